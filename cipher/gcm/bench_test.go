package gcm

import (
	"crypto/cipher"
	"testing"
	"time"
)

// Every benchmark reports, besides ns/op, cpu-ns/op: the process's CPU time
// per operation. On the shared machines these run on, wall-clock figures
// swing by 2x from run to run while CPU time barely moves:
//
//	go test -run '^$' -bench 'BenchmarkGCM(Seal|Open)Paths' -count 6 ./cipher/gcm/

// benchSizes are a small record, a typical packet and a full TLS record.
var benchSizes = []struct {
	name string
	n    int
}{{"64B", 64}, {"1KiB", 1024}, {"16KiB", 16384}}

// benchAEADs are the two sides of each comparison: minitls GCM over
// minitls/cipher/aes on the fastest path this CPU supports (gcm.New's
// default) and the standard library (crypto/aes + cipher.NewGCM; built with
// -tags purego it is Go's portable code, otherwise AES-NI/PCLMULQDQ
// assembly). The Makefile's bench target compares .../minitls/... with
// .../stdlib/...
var benchAEADs = []struct {
	name string
	new  func(b *testing.B, key []byte) cipher.AEAD
}{
	{"minitls", func(b *testing.B, key []byte) cipher.AEAD { return newAEAD(b, blockImpls[0], key) }},
	{"stdlib", func(b *testing.B, key []byte) cipher.AEAD { return newStdGCM(b, key) }},
}

// BenchmarkGCMSeal measures AES-128-GCM Seal throughput with 13 bytes of
// additional data (a TLS 1.2 record header) into a dst with room.
func BenchmarkGCMSeal(b *testing.B) {
	for _, impl := range benchAEADs {
		for _, size := range benchSizes {
			b.Run(impl.name+"/AES-128/"+size.name, func(b *testing.B) {
				benchSeal(b, impl.new(b, make([]byte, 16)), size.n)
			})
		}
	}
}

// BenchmarkGCMOpen measures AES-128-GCM Open (tag check and decryption) of
// an authentic record into a dst with room.
func BenchmarkGCMOpen(b *testing.B) {
	for _, impl := range benchAEADs {
		for _, size := range benchSizes {
			b.Run(impl.name+"/AES-128/"+size.name, func(b *testing.B) {
				benchOpen(b, impl.new(b, make([]byte, 16)), size.n)
			})
		}
	}
}

// BenchmarkGCMSealPaths is BenchmarkGCMSeal for minitls on each path this
// CPU supports, forced in turn (…/aesni/AES-128/16KiB, …/portable/…), and
// the standard library beside them (…/stdlib/…), so one run compares all.
func BenchmarkGCMSealPaths(b *testing.B) {
	forEachBenchPath(b, benchSeal)
}

// BenchmarkGCMOpenPaths is BenchmarkGCMOpen on each supported path, as
// BenchmarkGCMSealPaths.
func BenchmarkGCMOpenPaths(b *testing.B) {
	forEachBenchPath(b, benchOpen)
}

// forEachBenchPath runs bench for every size on minitls's AES on every
// supported path and on the standard library, interleaved size by size so
// that a noisy neighbour hits all sides alike.
func forEachBenchPath(b *testing.B, bench func(b *testing.B, g cipher.AEAD, n int)) {
	for _, size := range benchSizes {
		for _, bi := range blockImpls {
			if bi.name == "std-aes-block" {
				continue
			}
			b.Run(bi.path.String()+"/AES-128/"+size.name, func(b *testing.B) {
				bench(b, newAEAD(b, bi, make([]byte, 16)), size.n)
			})
		}
		b.Run("stdlib/AES-128/"+size.name, func(b *testing.B) {
			bench(b, newStdGCM(b, make([]byte, 16)), size.n)
		})
	}
}

func benchSeal(b *testing.B, g cipher.AEAD, n int) {
	nonce, aad := make([]byte, 12), make([]byte, 13)
	pt := make([]byte, n)
	dst := make([]byte, 0, n+TagSize)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		g.Seal(dst[:0], nonce, pt, aad)
	}
	reportCPU(b, start)
}

func benchOpen(b *testing.B, g cipher.AEAD, n int) {
	nonce, aad := make([]byte, 12), make([]byte, 13)
	sealed := g.Seal(nil, nonce, make([]byte, n), aad)
	dst := make([]byte, 0, n)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := g.Open(dst[:0], nonce, sealed, aad); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// reportCPU adds the CPU time per operation since start as "cpu-ns/op".
func reportCPU(b *testing.B, start time.Duration) {
	if end := cpuTime(); start != 0 && end > start && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}
