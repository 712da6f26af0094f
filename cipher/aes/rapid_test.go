package aes

import (
	stdaes "crypto/aes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"minitls/internal/impl"
)

// TestDifferentialStdlib compares every entry point with crypto/aes on
// random keys of all three sizes and random blocks, on every path. The block
// counts reach past two of the widest batch (16 blocks) plus every tail.
func TestDifferentialStdlib(t *testing.T) {
	forEachPath(t, testDifferentialStdlib)
}

func testDifferentialStdlib(t *testing.T, p impl.Path) {
	rapid.Check(t, func(t *rapid.T) {
		keyLen := rapid.SampledFrom([]int{16, 24, 32}).Draw(t, "keyLen")
		key := rapid.SliceOfN(rapid.Byte(), keyLen, keyLen).Draw(t, "key")
		nBlocks := rapid.IntRange(1, 40).Draw(t, "nBlocks")
		src := rapid.SliceOfN(rapid.Byte(), 16*nBlocks, 16*nBlocks).Draw(t, "src")

		c := mustCipherOn(t, p, key)
		ref, err := stdaes.NewCipher(key)
		if err != nil {
			t.Fatalf("crypto/aes.NewCipher: %v", err)
		}

		wantEnc := make([]byte, len(src))
		wantDec := make([]byte, len(src))
		for i := 0; i < len(src); i += 16 {
			ref.Encrypt(wantEnc[i:], src[i:])
			ref.Decrypt(wantDec[i:], src[i:])
		}

		gotEnc := make([]byte, 16)
		c.Encrypt(gotEnc, src)
		if diff := cmp.Diff(wantEnc[:16], gotEnc); diff != "" {
			t.Fatalf("Encrypt (-crypto/aes +minitls):\n%s", diff)
		}
		gotDec := make([]byte, 16)
		c.Decrypt(gotDec, src)
		if diff := cmp.Diff(wantDec[:16], gotDec); diff != "" {
			t.Fatalf("Decrypt (-crypto/aes +minitls):\n%s", diff)
		}
		back := make([]byte, 16)
		c.Decrypt(back, gotEnc)
		if diff := cmp.Diff(src[:16], back); diff != "" {
			t.Fatalf("Decrypt(Encrypt(x)) != x (-x +got):\n%s", diff)
		}

		// dst longer than src: bytes past len(src) must stay untouched.
		got := make([]byte, len(src)+16)
		for i := range got {
			got[i] = 0xa5
		}
		c.EncryptBlocks(got, src)
		if diff := cmp.Diff(wantEnc, got[:len(src)]); diff != "" {
			t.Fatalf("EncryptBlocks(%d blocks) (-crypto/aes +minitls):\n%s", nBlocks, diff)
		}
		for i, v := range got[len(src):] {
			if v != 0xa5 {
				t.Fatalf("EncryptBlocks wrote past len(src) at offset %d", len(src)+i)
			}
		}
	})
}
