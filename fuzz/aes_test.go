package fuzz

import (
	"bytes"
	stdaes "crypto/aes"
	"errors"
	"testing"

	"minitls/cipher/aes"
	"minitls/internal/impl"
)

// FuzzAES checks minitls/cipher/aes against crypto/aes on arbitrary keys and
// data, on every path this CPU supports (the bitsliced code and each
// hardware path, forced in turn). Property: for a key of 16, 24 or 32 bytes,
// Encrypt and Decrypt of the first block and EncryptBlocks of every whole
// block of data (at most 40 per exec: past two 16-block VAES batches and
// every tail), out of place and in place, give exactly crypto/aes's bytes,
// and Decrypt undoes Encrypt; for any other key length both implementations
// refuse the key, ours with a KeySizeError carrying that length.
//
// spec: fips197#5.1, fips197#5.3
func FuzzAES(f *testing.F) {
	f.Add(bytes.Repeat([]byte{0}, 16), bytes.Repeat([]byte{0}, 16))
	f.Add([]byte("0123456789abcdef01234567"), bytes.Repeat([]byte("sixteen byte blk"), 5))
	f.Add([]byte("0123456789abcdef0123456789abcdef"), bytes.Repeat([]byte("thirty-five blks"), 35))
	f.Add([]byte("short key"), []byte("data"))
	f.Fuzz(func(t *testing.T, key, data []byte) {
		for _, p := range impl.Supported() {
			restore := impl.Force(p)
			checkAES(t, p, key, data)
			restore()
		}
	})
}

// checkAES is FuzzAES's property for one path.
func checkAES(t *testing.T, p impl.Path, key, data []byte) {
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
	if c.Path() != p {
		t.Fatalf("NewCipher with %v forced made a cipher on %v", p, c.Path())
	}

	n := min(len(data)/aes.BlockSize, 40)
	src := data[:n*aes.BlockSize]
	want := make([]byte, len(src))
	for i := 0; i < len(src); i += aes.BlockSize {
		ref.Encrypt(want[i:], src[i:])
	}
	got := make([]byte, len(src))
	c.EncryptBlocks(got, src)
	if !bytes.Equal(got, want) {
		t.Fatalf("%v: EncryptBlocks(%d blocks) = %x, crypto/aes gives %x", p, n, got, want)
	}
	inPlace := bytes.Clone(src)
	c.EncryptBlocks(inPlace, inPlace)
	if !bytes.Equal(inPlace, want) {
		t.Fatalf("%v: in-place EncryptBlocks(%d blocks) = %x, crypto/aes gives %x", p, n, inPlace, want)
	}
	if n == 0 {
		return
	}

	block := make([]byte, aes.BlockSize)
	c.Encrypt(block, src)
	if !bytes.Equal(block, want[:aes.BlockSize]) {
		t.Fatalf("%v: Encrypt = %x, crypto/aes gives %x", p, block, want[:aes.BlockSize])
	}
	c.Decrypt(block, block)
	if !bytes.Equal(block, src[:aes.BlockSize]) {
		t.Fatalf("%v: Decrypt(Encrypt(x)) = %x, want x = %x", p, block, src[:aes.BlockSize])
	}
	wantDec := make([]byte, aes.BlockSize)
	ref.Decrypt(wantDec, src)
	c.Decrypt(block, src)
	if !bytes.Equal(block, wantDec) {
		t.Fatalf("%v: Decrypt = %x, crypto/aes gives %x", p, block, wantDec)
	}
}
