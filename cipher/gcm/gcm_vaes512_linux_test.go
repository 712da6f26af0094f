//go:build linux

package gcm

import (
	"bytes"
	"os"
	"syscall"
	"testing"
)

// guardedPage returns a page of memory followed by an inaccessible one
// (PROT_NONE): a slice that ends at the end of the first page makes any
// read or write past its end fault. free releases both pages.
func guardedPage(t *testing.T) (page []byte, free func()) {
	t.Helper()
	size := os.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 2*size, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Fatalf("mapping two pages: %v", err)
	}
	if err := syscall.Mprotect(mem[size:], syscall.PROT_NONE); err != nil {
		t.Fatalf("protecting the guard page: %v", err)
	}
	return mem[:size], func() { _ = syscall.Munmap(mem) }
}

// atEnd copies b to the end of page and returns that copy, so its last
// byte is the last readable one.
func atEnd(page, b []byte) []byte {
	s := page[len(page)-len(b):]
	copy(s, b)
	return s
}

// TestNoAccessPastSlices: every path reads the plaintext, the additional
// data and the ciphertext, and writes its output, without touching a byte
// past the end of those slices — the partial last block and the tail's
// masked loads and stores included — for every length up to 300 (all tail
// shapes of a 256-byte batch and the batch after it). Each slice ends right
// before an inaccessible page; a stray access would crash the test.
func TestNoAccessPastSlices(t *testing.T) {
	in, freeIn := guardedPage(t)
	defer freeIn()
	aadPage, freeAAD := guardedPage(t)
	defer freeAAD()
	outPage, freeOut := guardedPage(t)
	defer freeOut()

	key := boundaryKeys[0]
	std := newStdGCM(t, key)
	nonce := make([]byte, NonceSize)
	for _, bi := range blockImpls {
		if bi.name == "std-aes-block" {
			continue
		}
		g := newAEAD(t, bi, key)
		for n := 0; n <= 300; n++ {
			msg := bytes.Repeat([]byte{byte(n)}, n)
			aad := atEnd(aadPage, bytes.Repeat([]byte{0x5a}, n%40))
			want := std.Seal(nil, nonce, msg, aad)

			// Seal: plaintext and output each end at a guard page.
			pt := atEnd(in, msg)
			out := outPage[len(outPage)-n-TagSize:]
			if got := g.Seal(out[:0], nonce, pt, aad); !bytes.Equal(got, want) {
				t.Fatalf("%s, len %d: Seal next to a guard page differs from crypto/cipher", bi.name, n)
			}

			// Open: ciphertext and output each end at a guard page.
			ct := atEnd(in, want)
			dst := outPage[len(outPage)-n:]
			got, err := g.Open(dst[:0], nonce, ct, aad)
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("%s, len %d: Open next to a guard page = %v", bi.name, n, err)
			}
		}
	}
}
