package chacha20poly1305

import (
	"crypto/cipher"
	"testing"
	"time"

	xchacha "golang.org/x/crypto/chacha20poly1305"
)

// Every benchmark reports, besides ns/op, cpu-ns/op: the process's CPU time
// per operation, which on a shared machine moves far less than the wall
// clock. One run compares every path with x/crypto:
//
//	go test -run '^$' -bench 'BenchmarkChaCha20Poly1305' -count 6 ./cipher/chacha20poly1305/
//
// Built with -tags purego, both minitls and x/crypto run their portable Go.

// benchSizes are a small record, a typical packet and a full TLS record.
var benchSizes = []struct {
	name string
	n    int
}{{"64B", 64}, {"1KiB", 1024}, {"16KiB", 16384}}

// BenchmarkChaCha20Poly1305Seal measures Seal with 13 bytes of additional
// data (a TLS 1.2 record header) into a dst with room, on every supported
// path (…/portable/16KiB, …/avx2/…) and x/crypto (…/xcrypto/…), interleaved
// size by size so that a noisy neighbour hits all sides alike.
func BenchmarkChaCha20Poly1305Seal(b *testing.B) { forEachBenchPath(b, benchSeal) }

// BenchmarkChaCha20Poly1305Open measures Open (tag check and decryption) of
// an authentic record, as BenchmarkChaCha20Poly1305Seal.
func BenchmarkChaCha20Poly1305Open(b *testing.B) { forEachBenchPath(b, benchOpen) }

func forEachBenchPath(b *testing.B, bench func(b *testing.B, a cipher.AEAD, n int)) {
	key := make([]byte, KeySize)
	for _, size := range benchSizes {
		for _, p := range supportedPaths {
			b.Run(p.String()+"/"+size.name, func(b *testing.B) {
				a, err := NewWithImplementation(key, p.String())
				if err != nil {
					b.Fatal(err)
				}
				bench(b, a, size.n)
			})
		}
		b.Run("xcrypto/"+size.name, func(b *testing.B) {
			a, err := xchacha.New(key)
			if err != nil {
				b.Fatal(err)
			}
			bench(b, a, size.n)
		})
	}
}

func benchSeal(b *testing.B, a cipher.AEAD, n int) {
	nonce, aad := make([]byte, NonceSize), make([]byte, 13)
	pt := make([]byte, n)
	dst := make([]byte, 0, n+TagSize)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		a.Seal(dst[:0], nonce, pt, aad)
	}
	reportCPU(b, start)
}

func benchOpen(b *testing.B, a cipher.AEAD, n int) {
	nonce, aad := make([]byte, NonceSize), make([]byte, 13)
	sealed := a.Seal(nil, nonce, make([]byte, n), aad)
	dst := make([]byte, 0, n)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := a.Open(dst[:0], nonce, sealed, aad); err != nil {
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
