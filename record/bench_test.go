package record

import (
	"io"
	"testing"
	"time"
)

// reportCPU adds the CPU time per operation since start as "cpu-ns/op". The
// machines these benchmarks run on are shared, and wall-clock ns/op then
// swings by 2x from run to run; CPU time barely moves, so the layer's
// overhead over the bare AEAD is best read from it.
func reportCPU(b *testing.B, start time.Duration) {
	if end := cpuTime(); start != 0 && end > start && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkRecord measures protect + unprotect of one 16 KiB record through the
// record layer (header, nonce, additional data, sequence numbers, Seal, header
// check, in-place Open) with minitls's cipher/gcm+cipher/aes and with the
// standard library's GCM plugged in, and the standard library's AEAD called
// directly on the same bytes, so the layer's own overhead is
// stdlib/protect+unprotect minus stdlib/direct-seal+open. The conn-write+read
// cases go through a whole Conn (copies and Reader included) over an in-memory
// transport. Besides ns/op each case reports cpu-ns/op, the process CPU time per
// operation, which a loaded machine disturbs much less.
//
//	go test -run '^$' -bench BenchmarkRecord -count 6 ./record/ | benchstat -
func BenchmarkRecord(b *testing.B) {
	const size = 16 << 10
	for _, m := range aeadMakers {
		b.Run(m.name+"/protect+unprotect/16KiB", func(b *testing.B) {
			seal := mustProtection(b, m, testKey, testSalt)
			open := mustProtection(b, m, testKey, testSalt)
			pt := pseudoBytes(1, size)
			buf := make([]byte, 0, HeaderLen+size+seal.Overhead())
			b.SetBytes(size)
			b.ReportAllocs()
			start := cpuTime()
			for seq := uint64(0); b.Loop(); seq++ {
				rec := Header{Type: ApplicationData, Version: VersionTLS12, Length: size + seal.Overhead()}.Append(buf)
				rec = seal.Seal(rec, seq, ApplicationData, VersionTLS12, pt)
				h, err := ParseHeader(rec, true)
				if err != nil {
					b.Fatal(err)
				}
				frag := rec[HeaderLen:]
				if _, err := open.Open(frag[ExplicitNonceLen:ExplicitNonceLen], seq, h.Type, h.Version, frag); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
	for _, m := range aeadMakers {
		b.Run(m.name+"/direct-seal+open/16KiB", func(b *testing.B) {
			a, err := m.make(testKey)
			if err != nil {
				b.Fatal(err)
			}
			pt := pseudoBytes(1, size)
			buf := make([]byte, 0, size+a.Overhead())
			nonce := make([]byte, NonceLen)
			ad := make([]byte, additionalLen)
			b.SetBytes(size)
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				ct := a.Seal(buf, nonce, pt, ad)
				if _, err := a.Open(ct[:0], nonce, ct, ad); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
	for _, m := range aeadMakers {
		b.Run(m.name+"/conn-write+read/16KiB", func(b *testing.B) {
			var l loopback
			c := NewConn(&l)
			pw, pr := protectPair(b, m)
			c.SetPendingWrite(pw)
			c.SetPendingRead(pr)
			if err := c.WriteChangeCipherSpec(); err != nil {
				b.Fatal(err)
			}
			if err := c.ReadChangeCipherSpec(); err != nil {
				b.Fatal(err)
			}
			data := pseudoBytes(1, size)
			out := make([]byte, size)
			b.SetBytes(size)
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				if _, err := c.WriteApplicationData(data); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(appReader{c}, out); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
}
