package aes

import (
	stdaes "crypto/aes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"minitls/internal/impl"
)

// TestOverlapBoundaries pins the exact edges of the overlap check that
// crypto/aes and crypto/cipher apply (a caller bug is refused, a legal call
// is not): dst starting on src's last byte, or src starting on dst's last
// byte, shares one byte and panics; dst ending where src starts, or src
// ending where dst starts, shares none and encrypts like crypto/aes. Each of
// Encrypt, Decrypt and EncryptBlocks is tried on every path.
//
// spec: fips197#5.1 (the cipher; the buffer rules are crypto/cipher.Block's)
func TestOverlapBoundaries(t *testing.T) {
	forEachPath(t, testOverlapBoundaries)
}

func testOverlapBoundaries(t *testing.T, p impl.Path) {
	key := []byte("overlap edge key")
	c := mustCipherOn(t, p, key)
	ref, _ := stdaes.NewCipher(key)
	fill := func(b []byte) {
		for i := range b {
			b[i] = byte(5*i + 1)
		}
	}
	type call struct {
		name string
		f    func(dst, src []byte)
		std  func(dst, src []byte)
		n    int // bytes of src and dst used
	}
	calls := []call{
		{"Encrypt", c.Encrypt, ref.Encrypt, 16},
		{"Decrypt", c.Decrypt, ref.Decrypt, 16},
		{"EncryptBlocks", c.EncryptBlocks, func(dst, src []byte) {
			for i := 0; i < len(src); i += 16 {
				ref.Encrypt(dst[i:i+16], src[i:i+16])
			}
		}, 48},
	}
	for _, k := range calls {
		n := k.n
		// One shared byte, each way round.
		buf := make([]byte, 2*n)
		expectPanic(t, k.name+" with dst starting on src's last byte",
			func() { k.f(buf[n-1:2*n-1], buf[:n]) })
		expectPanic(t, k.name+" with src starting on dst's last byte",
			func() { k.f(buf[:n], buf[n-1:2*n-1]) })

		// Adjacent, each way round: no byte shared, so no panic.
		for _, dstFirst := range []bool{true, false} {
			buf := make([]byte, 2*n)
			dst, src := buf[:n], buf[n:]
			if !dstFirst {
				src, dst = buf[:n], buf[n:]
			}
			fill(src)
			want := make([]byte, n)
			k.std(want, src)
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s with dst and src adjacent (dst first: %v) panicked: %v", k.name, dstFirst, r)
					}
				}()
				k.f(dst, src)
			}()
			if diff := cmp.Diff(want, dst); diff != "" {
				t.Errorf("%s with dst and src adjacent (dst first: %v) (-crypto/aes +minitls):\n%s", k.name, dstFirst, diff)
			}
		}
	}
}
