package aes

import (
	stdaes "crypto/aes"
	"crypto/cipher"
	"strconv"
	"testing"
)

// BenchmarkAES compares minitls and crypto/aes on one block (Encrypt) and on
// the multi-block path: EncryptBlocks for minitls, a loop of Encrypt for the
// standard library (which has no exported multi-block ECB call; its CTR
// mode uses internal batching). Run with and without -tags purego.
func BenchmarkAES(b *testing.B) {
	for _, n := range []int{16, 24, 32} {
		key := make([]byte, n)
		for i := range key {
			key[i] = byte(i)
		}
		mini, err := NewCipher(key)
		if err != nil {
			b.Fatal(err)
		}
		std, err := stdaes.NewCipher(key)
		if err != nil {
			b.Fatal(err)
		}
		name := "AES-" + strconv.Itoa(8*n)
		for _, impl := range []struct {
			name  string
			block cipher.Block
			multi func(dst, src []byte)
		}{
			{"minitls", mini, mini.(*Cipher).EncryptBlocks},
			{"stdlib", std, func(dst, src []byte) {
				for i := 0; i < len(src); i += 16 {
					std.Encrypt(dst[i:i+16], src[i:i+16])
				}
			}},
		} {
			if n == 16 {
				// Single-block cost only for AES-128: a bitsliced pass
				// always does four blocks' work.
				b.Run(impl.name+"/"+name+"/block", func(b *testing.B) {
					buf := make([]byte, 16)
					b.SetBytes(16)
					b.ReportAllocs()
					for b.Loop() {
						impl.block.Encrypt(buf, buf)
					}
				})
				b.Run(impl.name+"/"+name+"/decrypt", func(b *testing.B) {
					buf := make([]byte, 16)
					b.SetBytes(16)
					b.ReportAllocs()
					for b.Loop() {
						impl.block.Decrypt(buf, buf)
					}
				})
			}
			b.Run(impl.name+"/"+name+"/4blocks", func(b *testing.B) {
				buf := make([]byte, 64)
				b.SetBytes(64)
				b.ReportAllocs()
				for b.Loop() {
					impl.multi(buf, buf)
				}
			})
		}
	}
}
