//go:build linux && (amd64 || arm64)

package gcm

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
)

// specMaxPlaintext is the longest plaintext SP 800-38D allows, written out
// from the specification rather than taken from the code under test:
// 2^39 - 256 bits = 2^32 - 2 blocks, so the 32-bit counter never wraps back
// to J0 (sp800-38d#5.2.1.1).
const specMaxPlaintext = 1<<36 - 32

// TestSealTooLongPanics: a plaintext over 2^32-2 blocks must panic before
// anything is read or written (sp800-38d#5.2.1.1), as in crypto/cipher, and a
// ciphertext that long fails Open; one of exactly the limit is accepted. The
// buffers are address space reserved with PROT_NONE and MAP_NORESERVE, so the
// test costs no memory: if a length check were missing, the first read would
// fault and fail the test, and a message at the limit shows that it passed the
// checks by faulting on its first read (debug.SetPanicOnFault turns that into
// a panic we can recover). 64-bit Linux only: elsewhere such a slice cannot be
// made this cheaply.
func TestSealTooLongPanics(t *testing.T) {
	for _, impl := range blockImpls {
		t.Run(impl.name, func(t *testing.T) { sealTooLong(t, impl) })
	}
}

func sealTooLong(t *testing.T, impl blockImpl) {
	size := specMaxPlaintext + TagSize + 1
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_NONE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		t.Fatalf("reserving %d bytes of address space: %v", size, err)
	}
	defer syscall.Munmap(mem)
	nonce := make([]byte, 12)

	g := newAEAD(t, impl, make([]byte, 16))
	huge := mem[:specMaxPlaintext+1]
	v := catchPanic(func() { g.Seal(nil, nonce, huge, nil) })
	if v == nil || !strings.Contains(fmt.Sprint(v), "too large") {
		t.Errorf("Seal of %d bytes: panic %v, want \"message too large\"", len(huge), v)
	}
	// Open of something that long is simply inauthentic, as in crypto/cipher.
	if _, err := g.Open(nil, nonce, mem[:specMaxPlaintext+TagSize+1], nil); !errors.Is(err, ErrOpen) {
		t.Errorf("Open of an over-long ciphertext: %v, want ErrOpen", err)
	}

	// At the limit both go ahead and touch the data (in place, so nothing
	// is allocated): the fault on the PROT_NONE page proves it.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	faulted := func(v any) bool { _, ok := v.(interface{ Addr() uintptr }); return ok }
	g = newAEAD(t, impl, make([]byte, 16))
	if v := catchPanic(func() { g.Seal(mem[:0], nonce, mem[:specMaxPlaintext], nil) }); !faulted(v) {
		t.Errorf("Seal of exactly 2^32-2 blocks: panic %v, want it accepted (a fault reading the data)", v)
	}
	g = newAEAD(t, impl, make([]byte, 16))
	if v := catchPanic(func() { _, _ = g.Open(mem[:0], nonce, mem[:specMaxPlaintext+TagSize], nil) }); !faulted(v) {
		t.Errorf("Open of exactly 2^32-2 blocks and a tag: panic %v, want it accepted (a fault reading the data)", v)
	}
}
