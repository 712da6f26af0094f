package fuzz

import (
	"bytes"
	stdaes "crypto/aes"
	"errors"
	"testing"

	"minitls/cipher/aes"
)

// FuzzAES checks minitls/cipher/aes against crypto/aes on arbitrary keys and
// data. Property: for a key of 16, 24 or 32 bytes, Encrypt and Decrypt of the
// first block and EncryptBlocks of every whole block of data (at most 20 per
// exec) give exactly crypto/aes's bytes, and Decrypt undoes Encrypt; for any
// other key length both implementations refuse the key, ours with a
// KeySizeError carrying that length.
//
// spec: fips197#5.1, fips197#5.3
func FuzzAES(f *testing.F) {
	f.Add(bytes.Repeat([]byte{0}, 16), bytes.Repeat([]byte{0}, 16))
	f.Add([]byte("0123456789abcdef01234567"), bytes.Repeat([]byte("sixteen byte blk"), 5))
	f.Add([]byte("short key"), []byte("data"))
	f.Fuzz(func(t *testing.T, key, data []byte) {
		ours, err := aes.NewCipher(key)
		ref, refErr := stdaes.NewCipher(key)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("NewCipher(%d-byte key): minitls err %v, crypto/aes err %v", len(key), err, refErr)
		}
		if err != nil {
			var kse aes.KeySizeError
			if !errors.As(err, &kse) || int(kse) != len(key) {
				t.Fatalf("NewCipher(%d-byte key) error %v is not KeySizeError(%d)", len(key), err, len(key))
			}
			return
		}
		c := ours.(*aes.Cipher)

		n := len(data) / aes.BlockSize
		if n > 20 {
			n = 20
		}
		src := data[:n*aes.BlockSize]
		want := make([]byte, len(src))
		for i := 0; i < len(src); i += aes.BlockSize {
			ref.Encrypt(want[i:], src[i:])
		}
		got := make([]byte, len(src))
		c.EncryptBlocks(got, src)
		if !bytes.Equal(got, want) {
			t.Fatalf("EncryptBlocks(%d blocks) = %x, crypto/aes gives %x", n, got, want)
		}
		if n == 0 {
			return
		}

		block := make([]byte, aes.BlockSize)
		c.Encrypt(block, src)
		if !bytes.Equal(block, want[:aes.BlockSize]) {
			t.Fatalf("Encrypt = %x, crypto/aes gives %x", block, want[:aes.BlockSize])
		}
		c.Decrypt(block, block)
		if !bytes.Equal(block, src[:aes.BlockSize]) {
			t.Fatalf("Decrypt(Encrypt(x)) = %x, want x = %x", block, src[:aes.BlockSize])
		}
		wantDec := make([]byte, aes.BlockSize)
		ref.Decrypt(wantDec, src)
		c.Decrypt(block, src)
		if !bytes.Equal(block, wantDec) {
			t.Fatalf("Decrypt = %x, crypto/aes gives %x", block, wantDec)
		}
	})
}
