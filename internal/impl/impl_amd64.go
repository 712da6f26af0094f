//go:build amd64 && !purego

package impl

import "golang.org/x/sys/cpu"

// detect reads the CPU's feature flags. AESNI needs AES-NI, PCLMULQDQ and the
// SSSE3/SSE4.1 byte shuffles and inserts the assembly uses; VAES512 needs
// AVX-512 F, BW and VL (512-bit registers, byte shuffles, masked loads) with
// the vector forms of AES and carry-less multiplication.
func detect() []Path {
	paths := []Path{Portable}
	x := cpu.X86
	if x.HasAES && x.HasPCLMULQDQ && x.HasSSSE3 && x.HasSSE41 {
		paths = append(paths, AESNI)
		if x.HasAVX512F && x.HasAVX512BW && x.HasAVX512VL && x.HasAVX512VAES && x.HasAVX512VPCLMULQDQ {
			paths = append(paths, VAES512)
		}
	}
	return paths
}
