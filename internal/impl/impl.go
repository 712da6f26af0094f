// Package impl decides, once at start-up, which implementation of AES and
// AES-GCM minitls runs: the portable Go code (bitsliced AES, GHASH by integer
// multiplication), or one of the CPU's instruction paths.
//
// The paths, slowest first:
//
//   - Portable: minitls/cipher/aes's bitsliced AES and minitls/cipher/gcm's
//     GHASH in Go. Runs everywhere, constant-time by construction.
//   - AESNI: AES-NI (AESENC, AESENCLAST, AESDEC, AESKEYGENASSIST) and
//     PCLMULQDQ on 128-bit XMM registers: one block per instruction.
//   - VAES512: VAES and VPCLMULQDQ on 512-bit ZMM registers (AVX-512): four
//     blocks per instruction.
//
// The fastest path the CPU supports is chosen at start-up; the purego build
// tag (the Go ecosystem's convention) leaves only the portable one. Tests and
// `minitls bench` call Force to run each supported path in turn.
//
// CPU features come from golang.org/x/sys/cpu. It reports VAES and
// VPCLMULQDQ only on CPUs with AVX-512, so a 256-bit VAES path (for CPUs that
// have VAES without AVX-512) would have nothing to select it; there is none.
package impl

import (
	"fmt"
	"sync/atomic"
)

// Path names one implementation of AES and AES-GCM.
type Path uint8

const (
	// Portable is the pure-Go path: bitsliced AES, GHASH by integer multiplies.
	Portable Path = iota
	// AESNI is the AES-NI + PCLMULQDQ path on 128-bit registers.
	AESNI
	// VAES512 is the VAES + VPCLMULQDQ path on 512-bit AVX-512 registers.
	VAES512
)

// String returns the path's short name, as tests and `minitls bench -json` use it.
func (p Path) String() string {
	switch p {
	case Portable:
		return "portable"
	case AESNI:
		return "aesni"
	case VAES512:
		return "vaes-avx512"
	}
	return fmt.Sprintf("Path(%d)", uint8(p))
}

// Describe says in a few words what the path runs on, for people.
func (p Path) Describe() string {
	switch p {
	case Portable:
		return "portable Go (bitsliced AES, GHASH by integer multiplication)"
	case AESNI:
		return "AES-NI + PCLMULQDQ, 128-bit registers"
	case VAES512:
		return "VAES + VPCLMULQDQ, 512-bit AVX-512 registers"
	}
	return p.String()
}

// supported lists the paths this CPU and build can run, Portable first and
// the fastest last. It is set once by detect (impl_amd64.go, impl_other.go).
var supported = detect()

// current is the path new ciphers are made for: the fastest supported one
// unless Force has chosen another.
var current atomic.Uint32

func init() { current.Store(uint32(Best())) }

// Supported returns the paths this CPU and build can run, Portable first and
// the fastest last.
func Supported() []Path { return append([]Path(nil), supported...) }

// Best returns the fastest path this CPU and build can run.
func Best() Path { return supported[len(supported)-1] }

// Current returns the path that aes.NewCipher and gcm.New use now.
func Current() Path { return Path(current.Load()) }

// IsSupported reports whether p can run here.
func IsSupported(p Path) bool {
	for _, q := range supported {
		if q == p {
			return true
		}
	}
	return false
}

// Force makes ciphers created from now on use path p, and returns a function
// that restores the previous choice. Ciphers already made keep their path.
// It is for tests and benchmarks, which run every supported path in turn; it
// panics if p is not supported here.
func Force(p Path) (restore func()) {
	if !IsSupported(p) {
		panic(fmt.Sprintf("minitls/internal/impl: path %v is not supported on this CPU or build (supported: %v)", p, supported))
	}
	prev := current.Swap(uint32(p))
	return func() { current.Store(prev) }
}

// ForEach calls f once for every supported path, with that path forced, and
// restores the previous choice afterwards. Tests use it to run the same
// known-answer and differential checks on every path.
func ForEach(f func(p Path)) {
	for _, p := range supported {
		restore := Force(p)
		f(p)
		restore()
	}
}
