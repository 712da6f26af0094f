package chacha20poly1305

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"sync/atomic"
)

// ChaCha20-Poly1305 runs on one of several implementations ("paths"). They
// compute the same bytes; only the instructions differ:
//
//   - portable: the Go code of chacha20.go and poly1305.go, one ChaCha20
//     block at a time; every platform, and the only path under the purego
//     build tag.
//   - avx2: amd64 assembly with eight ChaCha20 blocks in flight, one per
//     32-bit lane of the sixteen 256-bit YMM registers (AVX2), and Poly1305
//     with MULX (BMI2).
//   - avx512: sixteen blocks in flight, one per lane of 512-bit ZMM
//     registers (AVX-512F: 32 registers, so nothing is spilled, and VPROLD
//     rotates in one instruction), Poly1305 as in avx2.
//
// The fastest path the CPU supports is chosen at start-up; New fixes the
// path of each AEAD it makes. This selection is separate from
// minitls/internal/impl, which chooses AES's paths from other CPU features.

// path names one implementation.
type path uint8

const (
	pathPortable path = iota // Go code, every platform
	pathAVX2                 // amd64 AVX2 eight-block ChaCha20, MULX Poly1305
	pathAVX512               // amd64 AVX-512 sixteen-block ChaCha20, MULX Poly1305
)

// String returns the path's name as Implementation reports it.
func (p path) String() string {
	switch p {
	case pathPortable:
		return "portable"
	case pathAVX2:
		return "avx2"
	case pathAVX512:
		return "avx512"
	}
	return fmt.Sprintf("path(%d)", uint8(p))
}

// supportedPaths lists the paths this CPU and build can run, portable first
// and the fastest last (set by detectPaths in path_amd64.go or
// path_noasm.go).
var supportedPaths = detectPaths()

// currentPath is the path New gives its AEADs: the fastest one, unless a
// test has forced another with forcePath.
var currentPath atomic.Uint32

func init() { currentPath.Store(uint32(supportedPaths[len(supportedPaths)-1])) }

// activePath returns the path New uses now.
func activePath() path { return path(currentPath.Load()) }

// Implementation returns the name of the path New uses: "portable" (Go
// code), "avx2" (amd64, 8 blocks in flight) or "avx512" (amd64, 16 blocks in
// flight). `minitls bench` prints it beside the ChaCha20-Poly1305 figures.
func Implementation() string { return activePath().String() }

// Implementations returns the names of the paths this CPU and build can run,
// "portable" first and the fastest, which New uses, last.
func Implementations() []string {
	names := make([]string, len(supportedPaths))
	for i, p := range supportedPaths {
		names[i] = p.String()
	}
	return names
}

// ErrImplementation reports a name that is not one of Implementations().
var ErrImplementation = errors.New("minitls/cipher/chacha20poly1305: no such implementation on this CPU and build; use one of chacha20poly1305.Implementations()")

// NewWithImplementation is New on the named path (one of
// Implementations()), for benchmarks that compare the paths side by side.
func NewWithImplementation(key []byte, name string) (cipher.AEAD, error) {
	for _, p := range supportedPaths {
		if p.String() == name {
			defer forcePath(p)()
			return New(key)
		}
	}
	return nil, fmt.Errorf("%w (asked for %q, have %v)", ErrImplementation, name, Implementations())
}

// forcePath makes New use p from now on and returns a function that restores
// the previous choice. It is for tests, which run every supported path in
// turn; it panics if p cannot run here.
func forcePath(p path) (restore func()) {
	ok := false
	for _, q := range supportedPaths {
		ok = ok || q == p
	}
	if !ok {
		panic(fmt.Sprintf("minitls/cipher/chacha20poly1305: path %v is not supported on this CPU or build (supported: %v)", p, supportedPaths))
	}
	prev := currentPath.Swap(uint32(p))
	return func() { currentPath.Store(prev) }
}

// ImplementationOf returns the name of the path an AEAD made by New runs
// on, fixed when it was made, or "" for any other cipher.AEAD. Tests of
// the packages that build record protection use it to check they get the
// fastest path.
func ImplementationOf(c cipher.AEAD) string {
	if a, ok := c.(*aead); ok {
		return a.path.String()
	}
	return ""
}
