//go:build amd64 && !purego

package chacha20poly1305

import "testing"

// BenchmarkTwoBlockKernels measures the two-block kernels alone (the
// Poly1305 key of a short record and its first block of key stream), with
// cpu-ns/op as the AEAD benchmarks:
//
//	go test -run '^$' -bench TwoBlockKernels -count 6 ./cipher/chacha20poly1305/
//
// The kernel is one dependency chain, so these figures are its latency.
func BenchmarkTwoBlockKernels(b *testing.B) {
	var st [16]uint32
	var out [2 * blockSize]byte
	b.Run("avx2", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			chacha20AVX2x2(&st, &out[0], &zeroBatch[0])
		}
		reportCPU(b, start)
	})
	if hasAVX512VL {
		b.Run("avx512vl", func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				chacha20AVX512x2(&st, &out[0], &zeroBatch[0])
			}
			reportCPU(b, start)
		})
	}
}
