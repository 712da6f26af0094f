//go:build linux && (amd64 || arm64)

package gcm

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestSealTooLongPanics: a plaintext over 2^32-2 blocks must panic before
// anything is read or written (sp800-38d#5.2.1.1), as in crypto/cipher. The
// over-long buffer is address space reserved with PROT_NONE and
// MAP_NORESERVE, so the test costs no memory, and if the length check were
// missing the first read would fault and fail the test. (64-bit Linux only:
// elsewhere such a slice cannot be made this cheaply.)
func TestSealTooLongPanics(t *testing.T) {
	mem, err := syscall.Mmap(-1, 0, maxPlaintext+TagSize+1, syscall.PROT_NONE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		t.Fatalf("reserving %d bytes of address space: %v", maxPlaintext+TagSize+1, err)
	}
	defer syscall.Munmap(mem)

	g := newAEAD(t, blockImpls[0], make([]byte, 16))
	huge := mem[:maxPlaintext+1]
	v := catchPanic(func() { g.Seal(nil, make([]byte, 12), huge, nil) })
	if v == nil || !strings.Contains(fmt.Sprint(v), "too large") {
		t.Errorf("Seal of %d bytes: panic %v, want \"message too large\"", len(huge), v)
	}
	// Open of something that long is simply inauthentic, as in crypto/cipher.
	if _, err := g.Open(nil, make([]byte, 12), mem, nil); !errors.Is(err, ErrOpen) {
		t.Errorf("Open of an over-long ciphertext: %v, want ErrOpen", err)
	}
}
