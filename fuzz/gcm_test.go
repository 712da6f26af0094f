package fuzz

import (
	"bytes"
	stdaes "crypto/aes"
	"crypto/cipher"
	"testing"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
)

// gcmKeySizes maps the first byte of the fuzzer's key argument to an AES key
// size, so every input exercises a valid key.
var gcmKeySizes = [3]int{16, 24, 32}

// fit returns b cut or zero-padded to exactly n bytes.
func fit(b []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, b)
	return out
}

// FuzzGCM checks minitls GCM (over minitls/cipher/aes) against crypto/aes +
// crypto/cipher.NewGCM. Property: for any key (AES-128/192/256 chosen by its
// first byte, the rest cut or zero-padded to size), nonce (cut or padded to
// 12 bytes), plaintext (at most 16 KiB used) and additional data, Seal gives
// exactly the standard library's bytes, also in place; Open gives back the
// plaintext; and Open of the arbitrary bytes `garbage`, and of the sealed
// message XORed with them, reaches the same verdict as crypto/cipher and
// leaves the same bytes in dst (the plaintext on success, zeros on failure).
//
// spec: sp800-38d#7.1, sp800-38d#7.2
func FuzzGCM(f *testing.F) {
	f.Add([]byte{0}, make([]byte, 12), []byte{}, []byte{}, []byte{})
	f.Add([]byte("\x02thirty-two byte key for AES-256"), []byte("twelve bytes"), []byte("hello, world"), []byte("header"), []byte("not a ciphertext at all"))
	f.Fuzz(func(t *testing.T, keySel, nonce, plaintext, aad, garbage []byte) {
		size := 16
		if len(keySel) > 0 {
			size = gcmKeySizes[int(keySel[0])%len(gcmKeySizes)]
			keySel = keySel[1:]
		}
		key := fit(keySel, size)
		nonce = fit(nonce, gcm.NonceSize)
		if len(plaintext) > 16<<10 {
			plaintext = plaintext[:16<<10]
		}

		ob, err := aes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := gcm.New(ob)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := stdaes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := cipher.NewGCM(sb)
		if err != nil {
			t.Fatal(err)
		}

		want := ref.Seal(nil, nonce, plaintext, aad)
		got := ours.Seal(nil, nonce, plaintext, aad)
		if !bytes.Equal(got, want) {
			t.Fatalf("Seal = %x, crypto/cipher gives %x", got, want)
		}
		buf := append(make([]byte, 0, len(plaintext)+gcm.TagSize), plaintext...)
		if inPlace := ours.Seal(buf[:0], nonce, buf, aad); !bytes.Equal(inPlace, want) {
			t.Fatalf("in-place Seal = %x, want %x", inPlace, want)
		}
		pt, err := ours.Open(buf[:0], nonce, buf[:len(want)], aad)
		if err != nil || !bytes.Equal(pt, plaintext) {
			t.Fatalf("in-place Open(Seal(x)) = %x, %v; want %x", pt, err, plaintext)
		}

		tampered := bytes.Clone(want)
		for i := range tampered {
			if len(garbage) > 0 {
				tampered[i] ^= garbage[i%len(garbage)]
			}
		}
		for _, ct := range [][]byte{garbage, tampered} {
			refDst := make([]byte, 3, 3+len(ct))
			ourDst := make([]byte, 3, 3+len(ct))
			refOut, refErr := ref.Open(refDst, nonce, ct, aad)
			ourOut, ourErr := ours.Open(ourDst, nonce, ct, aad)
			if (refErr == nil) != (ourErr == nil) {
				t.Fatalf("Open(%x): minitls err %v, crypto/cipher err %v", ct, ourErr, refErr)
			}
			if !bytes.Equal(ourOut, refOut) || (ourOut == nil) != (refOut == nil) {
				t.Fatalf("Open(%x) = %x, crypto/cipher gives %x", ct, ourOut, refOut)
			}
			if !bytes.Equal(ourDst[:cap(ourDst)], refDst[:cap(refDst)]) {
				t.Fatalf("Open(%x) left dst %x, crypto/cipher left %x", ct, ourDst[:cap(ourDst)], refDst[:cap(refDst)])
			}
		}
	})
}
