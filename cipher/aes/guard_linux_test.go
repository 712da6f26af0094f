package aes

import (
	stdaes "crypto/aes"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"minitls/internal/impl"
)

// TestEncryptBlocksStaysInBounds puts src and dst at the very end of a
// readable page, followed by a page that may not be touched (PROT_NONE), and
// runs EncryptBlocks for 1..40 blocks on every path. A load or store of even
// one byte past the slices (say, a full 64-byte register for the last 1..3
// blocks on the VAES path) faults and kills the test. The results must still
// match crypto/aes.
func TestEncryptBlocksStaysInBounds(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 4*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("mmap: %v", err)
	}
	defer syscall.Munmap(mem)
	// Pages 1 and 3 are guards: src ends where page 1 starts, dst where page 3 starts.
	for _, g := range []int{1, 3} {
		if err := syscall.Mprotect(mem[g*page:(g+1)*page], syscall.PROT_NONE); err != nil {
			t.Fatalf("mprotect: %v", err)
		}
	}
	key := []byte("guard-page key!!")
	ref, _ := stdaes.NewCipher(key)
	forEachPath(t, func(t *testing.T, p impl.Path) {
		c := mustCipherOn(t, p, key)
		for n := 1; n <= 40; n++ {
			src := mem[page-16*n : page]
			dst := mem[3*page-16*n : 3*page]
			for i := range src {
				src[i] = byte(i*13 + n)
			}
			want := make([]byte, len(src))
			for i := 0; i < len(src); i += 16 {
				ref.Encrypt(want[i:], src[i:])
			}
			c.EncryptBlocks(dst, src)
			if diff := cmp.Diff(want, dst); diff != "" {
				t.Fatalf("EncryptBlocks(%d blocks) at a page end (-crypto/aes +minitls):\n%s", n, diff)
			}
			// In place, ending at the guard.
			c.EncryptBlocks(src, src)
			if diff := cmp.Diff(want, []byte(src)); diff != "" {
				t.Fatalf("in-place EncryptBlocks(%d blocks) at a page end (-crypto/aes +minitls):\n%s", n, diff)
			}
		}
		one := mem[page-16 : page]
		c.Encrypt(one, one)
		c.Decrypt(one, one)
	})
}
