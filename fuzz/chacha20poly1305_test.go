package fuzz

import (
	"bytes"
	"crypto/cipher"
	"testing"

	xchacha "golang.org/x/crypto/chacha20poly1305"
	"minitls/cipher/chacha20poly1305"
)

// FuzzChaCha20Poly1305 checks minitls's ChaCha20-Poly1305 on every path this
// CPU and build support (chacha20poly1305.Implementations(), each in turn)
// against golang.org/x/crypto/chacha20poly1305. Property: for any key and
// nonce (cut or zero-padded to 32 and 12 bytes), plaintext (at most 16 KiB
// used) and additional data, Seal gives exactly x/crypto's bytes, also in
// place; Open gives back the plaintext, also in place; and Open of the
// arbitrary bytes `garbage`, and of the sealed message XORed with them,
// reaches x/crypto's verdict and leaves the same bytes in dst.
//
// spec: rfc8439#2.8
func FuzzChaCha20Poly1305(f *testing.F) {
	f.Add([]byte{}, []byte{}, []byte{}, []byte{}, []byte{})
	f.Add([]byte("a thirty-two byte key for chacha"), []byte("twelve bytes"), bytes.Repeat([]byte("sunscreen"), 60), []byte("header"), []byte{1})
	f.Fuzz(func(t *testing.T, key, nonce, plaintext, aad, garbage []byte) {
		key, nonce = fit(key, chacha20poly1305.KeySize), fit(nonce, chacha20poly1305.NonceSize)
		if len(plaintext) > 16<<10 {
			plaintext = plaintext[:16<<10]
		}
		ref, err := xchacha.New(key)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range chacha20poly1305.Implementations() {
			ours, err := chacha20poly1305.NewWithImplementation(key, name)
			if err != nil {
				t.Fatal(err)
			}
			checkChaCha(t, name, ours, ref, nonce, plaintext, aad, garbage)
		}
	})
}

// checkChaCha is FuzzChaCha20Poly1305's property for one path.
func checkChaCha(t *testing.T, name string, ours, ref cipher.AEAD, nonce, plaintext, aad, garbage []byte) {
	want := ref.Seal(nil, nonce, plaintext, aad)
	if got := ours.Seal(nil, nonce, plaintext, aad); !bytes.Equal(got, want) {
		t.Fatalf("%s: Seal = %x, x/crypto gives %x", name, got, want)
	}
	buf := append(make([]byte, 0, len(plaintext)+chacha20poly1305.TagSize), plaintext...)
	if inPlace := ours.Seal(buf[:0], nonce, buf, aad); !bytes.Equal(inPlace, want) {
		t.Fatalf("%s: in-place Seal = %x, want %x", name, inPlace, want)
	}
	pt, err := ours.Open(buf[:0], nonce, buf[:len(want)], aad)
	if err != nil || !bytes.Equal(pt, plaintext) {
		t.Fatalf("%s: in-place Open(Seal(x)) = %x, %v; want %x", name, pt, err, plaintext)
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
			t.Fatalf("%s: Open(%x): minitls err %v, x/crypto err %v", name, ct, ourErr, refErr)
		}
		if !bytes.Equal(ourOut, refOut) || (ourOut == nil) != (refOut == nil) {
			t.Fatalf("%s: Open(%x) = %x, x/crypto gives %x", name, ct, ourOut, refOut)
		}
		if !bytes.Equal(ourDst[:cap(ourDst)], refDst[:cap(refDst)]) {
			t.Fatalf("%s: Open(%x) left dst %x, x/crypto left %x", name, ct, ourDst[:cap(ourDst)], refDst[:cap(refDst)])
		}
	}
}
