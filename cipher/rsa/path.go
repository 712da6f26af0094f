package rsa

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// RSA's arithmetic runs on one of several implementations ("paths") of the
// Montgomery multiplication and squaring in modulus.go. They compute the same
// numbers; only the instructions differ:
//
//   - portable: montMulGeneric and montSqrGeneric in Go (math/bits), on every
//     platform and under the purego build tag.
//   - mulx-adx: amd64 assembly (nat_adx_amd64.s) with MULX, ADCX and ADOX
//     (BMI2 + ADX): two carry chains run side by side with no flag saved,
//     fully unrolled at RSA's widths.
//   - avx512-ifma: the private-key exponentiation at the CRT widths of
//     RSA-2048/3072/4096 runs in radix 2^52 on AVX-512 IFMA (VPMADD52LUQ,
//     VPMADD52HUQ: eight 52-bit products per instruction, nat_ifma_amd64.s),
//     converting into and out of radix 2^52 once per exponentiation; every
//     other multiplication takes the mulx-adx code.
//
// The fastest path the CPU supports is chosen at start-up. Widths without
// assembly (moduli that are not 1024, 1536, 2048, 3072 or 4096 bits long,
// rounded up to whole limbs) always run the portable code. This file is
// separate from minitls/internal/impl, which selects AES's paths: the CPU
// features differ, and so do the names.

// path names one implementation of RSA's Montgomery arithmetic.
type path uint8

const (
	pathActive   path = iota // no choice of its own: whatever activePath says
	pathPortable             // Go code, every platform
	pathMULXADX              // amd64 MULX/ADCX/ADOX assembly
	pathIFMA                 // amd64 AVX-512 IFMA exponentiation, MULX/ADX for the rest
)

// String returns the path's name as Implementation reports it.
func (p path) String() string {
	switch p {
	case pathActive:
		return "active"
	case pathPortable:
		return "portable"
	case pathMULXADX:
		return "mulx-adx"
	case pathIFMA:
		return "avx512-ifma"
	}
	return fmt.Sprintf("path(%d)", uint8(p))
}

// supportedPaths lists the paths this CPU and build can run, portable first
// and the fastest last (set by detectPaths in nat_amd64.go or nat_noasm.go).
var supportedPaths = detectPaths()

// currentPath is the path montMul and montSqr take now: the fastest one,
// unless a test has forced another with forcePath.
var currentPath atomic.Uint32

func init() { currentPath.Store(uint32(supportedPaths[len(supportedPaths)-1])) }

// Implementation returns the name of the path RSA's modular arithmetic runs
// on: "portable" (Go code), "mulx-adx" (amd64 MULX/ADCX/ADOX assembly) or
// "avx512-ifma" (AVX-512 IFMA for private-key exponentiations, MULX/ADX for
// the rest).
// `minitls bench` prints it beside the RSA figures.
func Implementation() string { return path(currentPath.Load()).String() }

// activePath returns the path to use now.
func activePath() path { return path(currentPath.Load()) }

// Implementations returns the names of the paths this CPU and build can run,
// "portable" first and the fastest, which RSA uses, last.
func Implementations() []string {
	names := make([]string, len(supportedPaths))
	for i, p := range supportedPaths {
		names[i] = p.String()
	}
	return names
}

// ErrImplementation reports a name that is not one of Implementations().
var ErrImplementation = errors.New("minitls/cipher/rsa: no such arithmetic implementation on this CPU and build; use one of rsa.Implementations()")

// pathNamed returns the supported path called name.
func pathNamed(name string) (path, error) {
	for _, p := range supportedPaths {
		if p.String() == name {
			return p, nil
		}
	}
	return 0, fmt.Errorf("%w (asked for %q, have %v)", ErrImplementation, name, Implementations())
}

// forcePath makes the arithmetic use p from now on and returns a function
// that restores the previous choice. It is for tests, which run every
// supported path in turn; it panics if p cannot run here.
func forcePath(p path) (restore func()) {
	ok := false
	for _, q := range supportedPaths {
		ok = ok || q == p
	}
	if !ok {
		panic(fmt.Sprintf("minitls/cipher/rsa: path %v is not supported on this CPU or build (supported: %v)", p, supportedPaths))
	}
	prev := currentPath.Swap(uint32(p))
	return func() { currentPath.Store(prev) }
}
