package aes

import (
	stdaes "crypto/aes"
	"crypto/cipher"
	"strconv"
	"testing"

	"minitls/internal/impl"
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
		for _, side := range []struct {
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
				b.Run(side.name+"/"+name+"/block", func(b *testing.B) {
					buf := make([]byte, 16)
					b.SetBytes(16)
					b.ReportAllocs()
					for b.Loop() {
						side.block.Encrypt(buf, buf)
					}
				})
				b.Run(side.name+"/"+name+"/decrypt", func(b *testing.B) {
					buf := make([]byte, 16)
					b.SetBytes(16)
					b.ReportAllocs()
					for b.Loop() {
						side.block.Decrypt(buf, buf)
					}
				})
			}
			b.Run(side.name+"/"+name+"/4blocks", func(b *testing.B) {
				buf := make([]byte, 64)
				b.SetBytes(64)
				b.ReportAllocs()
				for b.Loop() {
					side.multi(buf, buf)
				}
			})
		}
	}
}

// BenchmarkAESPaths runs the AES-128 benchmarks on minitls's AES on every
// path this CPU supports, forced in turn (…/aesni/AES-128/4blocks,
// …/portable/…), with the standard library beside them (…/stdlib/…),
// interleaved case by case so a noisy neighbour hits all sides alike.
// 4blocks is what `minitls bench` calls "AES-128 encrypt 4 blocks": four
// independent blocks, EncryptBlocks for minitls and four Encrypt calls for
// crypto/aes; 32blocks is the batch cipher/gcm's portable GCTR hands over.
func BenchmarkAESPaths(b *testing.B) {
	key := make([]byte, 16)
	for i := range key {
		key[i] = byte(i)
	}
	std, err := stdaes.NewCipher(key)
	if err != nil {
		b.Fatal(err)
	}
	stdMulti := func(dst, src []byte) {
		for i := 0; i < len(src); i += 16 {
			std.Encrypt(dst[i:i+16], src[i:i+16])
		}
	}
	type side struct {
		name  string
		block cipher.Block
		multi func(dst, src []byte)
	}
	var sides []side
	for _, p := range impl.Supported() {
		c := mustCipherOn(b, p, key)
		sides = append(sides, side{p.String(), c, c.EncryptBlocks})
	}
	sides = append(sides, side{"stdlib", std, stdMulti})

	for _, bc := range []struct {
		name  string
		bytes int
		run   func(s side, buf []byte)
	}{
		{"block", 16, func(s side, buf []byte) { s.block.Encrypt(buf, buf) }},
		{"decrypt", 16, func(s side, buf []byte) { s.block.Decrypt(buf, buf) }},
		{"4blocks", 64, func(s side, buf []byte) { s.multi(buf, buf) }},
		{"32blocks", 512, func(s side, buf []byte) { s.multi(buf, buf) }},
	} {
		for _, s := range sides {
			b.Run(s.name+"/AES-128/"+bc.name, func(b *testing.B) {
				buf := make([]byte, bc.bytes)
				b.SetBytes(int64(bc.bytes))
				b.ReportAllocs()
				for b.Loop() {
					bc.run(s, buf)
				}
			})
		}
	}
}
