package gcm

import (
	"crypto/cipher"
	"testing"
)

// benchSizes are a small record, a typical packet and a full TLS record.
var benchSizes = []struct {
	name string
	n    int
}{{"64B", 64}, {"1KiB", 1024}, {"16KiB", 16384}}

// benchAEADs are the two sides of each comparison: minitls GCM over
// minitls/cipher/aes (bitsliced, EncryptBlocks path) and the standard library
// (crypto/aes + cipher.NewGCM; built with -tags purego it is Go's portable
// code, otherwise AES-NI/PCLMULQDQ assembly).
var benchAEADs = []struct {
	name string
	new  func(b *testing.B, key []byte) cipher.AEAD
}{
	{"minitls", func(b *testing.B, key []byte) cipher.AEAD { return newAEAD(b, blockImpls[0], key) }},
	{"stdlib", func(b *testing.B, key []byte) cipher.AEAD { return newStdGCM(b, key) }},
}

// BenchmarkGCMSeal measures AES-128-GCM Seal throughput with 13 bytes of
// additional data (a TLS 1.2 record header) into a dst with room.
func BenchmarkGCMSeal(b *testing.B) {
	for _, impl := range benchAEADs {
		for _, size := range benchSizes {
			b.Run(impl.name+"/AES-128/"+size.name, func(b *testing.B) {
				g := impl.new(b, make([]byte, 16))
				nonce, aad := make([]byte, 12), make([]byte, 13)
				pt := make([]byte, size.n)
				dst := make([]byte, 0, size.n+TagSize)
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				for b.Loop() {
					g.Seal(dst[:0], nonce, pt, aad)
				}
			})
		}
	}
}

// BenchmarkGCMOpen measures AES-128-GCM Open (tag check and decryption) of
// an authentic record into a dst with room.
func BenchmarkGCMOpen(b *testing.B) {
	for _, impl := range benchAEADs {
		for _, size := range benchSizes {
			b.Run(impl.name+"/AES-128/"+size.name, func(b *testing.B) {
				g := impl.new(b, make([]byte, 16))
				nonce, aad := make([]byte, 12), make([]byte, 13)
				sealed := g.Seal(nil, nonce, make([]byte, size.n), aad)
				dst := make([]byte, 0, size.n)
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := g.Open(dst[:0], nonce, sealed, aad); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
