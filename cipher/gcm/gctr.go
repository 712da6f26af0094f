package gcm

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
)

// batchBlocks is how many counter blocks GCTR builds before it asks the block
// cipher to encrypt them. A bitsliced AES encrypts four blocks per pass, so the
// batch is a multiple of four; 32 blocks (512 bytes) keeps the per-call overhead
// small and the key stream in L1 cache.
const batchBlocks = 32

// batchSize is the scratch size in bytes.
const batchSize = batchBlocks * BlockSize

// multiBlock is the optional multi-block entry point of a block cipher
// (minitls/cipher/aes provides it): encrypt every 16-byte block of src into
// dst independently, dst and src overlapping exactly or not at all.
type multiBlock interface {
	EncryptBlocks(dst, src []byte)
}

// encryptBlocks encrypts buf (a whole number of blocks) in place, with the
// multi-block entry point when the cipher has one.
func encryptBlocks(b cipher.Block, mb multiBlock, buf []byte) {
	if mb != nil {
		mb.EncryptBlocks(buf, buf)
		return
	}
	for i := 0; i+BlockSize <= len(buf); i += BlockSize {
		blk := buf[i : i+BlockSize]
		b.Encrypt(blk, blk)
	}
}

// counter is a GCM counter block: a fixed 96-bit prefix (the IV, for the
// 96-bit IVs we support) and a 32-bit big-endian counter.
type counter struct {
	prefix0 uint64 // IV bytes 0..7, loaded little-endian only to copy them back
	prefix1 uint32 // IV bytes 8..11, likewise
	ctr     uint32
}

// j0 returns the pre-counter block J0 = IV || 0^31 || 1 for a 96-bit IV.
//
// spec: sp800-38d#7.1
//
// Step 2 of the authenticated encryption function: "If len(IV)=96, then let
// J0 = IV || 0^31 || 1." (Other IV lengths hash the IV with GHASH; we do not
// support them, see NewWithSizes.)
func j0(nonce []byte) counter {
	return counter{
		prefix0: binary.LittleEndian.Uint64(nonce[0:8]),
		prefix1: binary.LittleEndian.Uint32(nonce[8:12]),
		ctr:     1,
	}
}

// put writes the counter block into b[:16].
func (c *counter) put(b []byte) {
	_ = b[15]
	binary.LittleEndian.PutUint64(b[0:8], c.prefix0)
	binary.LittleEndian.PutUint32(b[8:12], c.prefix1)
	binary.BigEndian.PutUint32(b[12:16], c.ctr)
}

// inc32 increments the rightmost 32 bits of the counter block modulo 2^32 and
// leaves the leftmost 96 bits unchanged.
//
// spec: sp800-38d#6.2
func (c *counter) inc32() {
	c.ctr++ // uint32 arithmetic wraps modulo 2^32, as inc32 requires
}

// gctr XORs src with the key stream CIPH_K(CB1) || CIPH_K(CB2) || ... into
// dst, starting with counter block *cb, and leaves *cb at the next unused
// counter block. dst and src have the same length and overlap exactly or not
// at all. scratch is a batchSize buffer the block cipher writes into; it is
// heap memory owned by the AEAD, so passing it through the cipher.Block
// interface does not make anything escape.
//
// spec: sp800-38d#6.5
//
// GCTR_K(ICB, X): n = ceil(len(X)/128); CB1 = ICB; CBi = inc32(CB(i-1));
// Yi = Xi xor CIPH_K(CBi), the last block truncated to the length of X. We
// build up to batchBlocks counter blocks at a time and encrypt them in one
// call, which is what lets a bitsliced AES run four blocks per pass.
func gctr(b cipher.Block, mb multiBlock, scratch []byte, cb *counter, dst, src []byte) {
	scratch = scratch[:batchSize]
	for len(src) > 0 {
		n := min(len(src), batchSize)
		nb := (n + BlockSize - 1) / BlockSize
		ks := scratch[:nb*BlockSize]
		for i := 0; i < len(ks); i += BlockSize {
			cb.put(ks[i : i+BlockSize])
			cb.inc32()
		}
		encryptBlocks(b, mb, ks)
		subtle.XORBytes(dst[:n], src[:n], ks[:n])
		dst = dst[n:]
		src = src[n:]
	}
}
