package chacha20poly1305

import (
	"encoding/binary"
	"math/bits"
)

// The ChaCha20 state is a 4x4 matrix of 32-bit words (rfc8439#2.3):
//
//	cccccccc  cccccccc  cccccccc  cccccccc    c = constant "expand 32-byte k"
//	kkkkkkkk  kkkkkkkk  kkkkkkkk  kkkkkkkk    k = 256-bit key, 8 words
//	kkkkkkkk  kkkkkkkk  kkkkkkkk  kkkkkkkk
//	bbbbbbbb  nnnnnnnn  nnnnnnnn  nnnnnnnn    b = block counter, n = 96-bit nonce
//
// Every word is read and written little-endian.
const (
	sigma0 = 0x61707865 // "expa"
	sigma1 = 0x3320646e // "nd 3"
	sigma2 = 0x79622d32 // "2-by"
	sigma3 = 0x6b206574 // "te k"

	// blockSize is the size of one ChaCha20 key stream block.
	//
	// spec: rfc8439#2.3
	blockSize = 64
)

// chachaState is the part of the initial state that does not change from
// block to block: the key and the nonce. The counter is passed separately.
//
// spec: rfc8439#2.3
type chachaState struct {
	key   [8]uint32
	nonce [3]uint32
}

// newChaChaState loads a 32-byte key and a 12-byte nonce as little-endian
// words.
//
// spec: rfc8439#2.3
func newChaChaState(key *[KeySize]byte, nonce []byte) chachaState {
	var s chachaState
	for i := range s.key {
		s.key[i] = binary.LittleEndian.Uint32(key[4*i:])
	}
	for i := range s.nonce {
		s.nonce[i] = binary.LittleEndian.Uint32(nonce[4*i:])
	}
	return s
}

// quarterRound is the ChaCha quarter round on four words a, b, c, d:
//
//	a += b; d ^= a; d <<<= 16;
//	c += d; b ^= c; b <<<= 12;
//	a += b; d ^= a; d <<<= 8;
//	c += d; b ^= c; b <<<= 7;
//
// spec: rfc8439#2.1
func quarterRound(a, b, c, d uint32) (uint32, uint32, uint32, uint32) {
	a += b
	d ^= a
	d = bits.RotateLeft32(d, 16)
	c += d
	b ^= c
	b = bits.RotateLeft32(b, 12)
	a += b
	d ^= a
	d = bits.RotateLeft32(d, 8)
	c += d
	b ^= c
	b = bits.RotateLeft32(b, 7)
	return a, b, c, d
}

// block computes the ChaCha20 block function for the given counter and
// writes the 64-byte key stream block to out: 20 rounds (ten column rounds
// alternating with ten diagonal rounds), then the initial state added word
// by word, serialized little-endian.
//
// spec: rfc8439#2.3
func (s *chachaState) block(out *[blockSize]byte, counter uint32) {
	var x [16]uint32
	s.blockWords(&x, counter)
	for i, w := range x {
		binary.LittleEndian.PutUint32(out[4*i:], w)
	}
}

// blockWords is the block function of rfc8439#2.3 leaving the sixteen output
// words (initial state already added) in x.
//
// spec: rfc8439#2.3
func (s *chachaState) blockWords(x *[16]uint32, counter uint32) {
	k, n := &s.key, &s.nonce
	x0, x1, x2, x3 := uint32(sigma0), uint32(sigma1), uint32(sigma2), uint32(sigma3)
	x4, x5, x6, x7 := k[0], k[1], k[2], k[3]
	x8, x9, x10, x11 := k[4], k[5], k[6], k[7]
	x12, x13, x14, x15 := counter, n[0], n[1], n[2]

	for range 10 {
		// Column round: QUARTERROUND(0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15).
		x0, x4, x8, x12 = quarterRound(x0, x4, x8, x12)
		x1, x5, x9, x13 = quarterRound(x1, x5, x9, x13)
		x2, x6, x10, x14 = quarterRound(x2, x6, x10, x14)
		x3, x7, x11, x15 = quarterRound(x3, x7, x11, x15)
		// Diagonal round: QUARTERROUND(0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14).
		x0, x5, x10, x15 = quarterRound(x0, x5, x10, x15)
		x1, x6, x11, x12 = quarterRound(x1, x6, x11, x12)
		x2, x7, x8, x13 = quarterRound(x2, x7, x8, x13)
		x3, x4, x9, x14 = quarterRound(x3, x4, x9, x14)
	}

	// Add the initial state to the result (rfc8439#2.3, step "state += initial_state").
	x[0], x[1], x[2], x[3] = x0+sigma0, x1+sigma1, x2+sigma2, x3+sigma3
	x[4], x[5], x[6], x[7] = x4+k[0], x5+k[1], x6+k[2], x7+k[3]
	x[8], x[9], x[10], x[11] = x8+k[4], x9+k[5], x10+k[6], x11+k[7]
	x[12], x[13], x[14], x[15] = x12+counter, x13+n[0], x14+n[1], x15+n[2]
}

// xorKeyStreamGeneric encrypts (or decrypts: it is the same operation) src
// into dst with the key stream starting at block counter, in portable Go.
// dst must be at least as long as src; dst and src may be the same slice.
// The caller makes sure the counter does not wrap.
//
// spec: rfc8439#2.4
func (s *chachaState) xorKeyStreamGeneric(dst, src []byte, counter uint32) {
	var x [16]uint32
	for len(src) >= blockSize {
		s.blockWords(&x, counter)
		out, in := dst[:blockSize], src[:blockSize]
		for i, w := range x {
			binary.LittleEndian.PutUint32(out[4*i:], binary.LittleEndian.Uint32(in[4*i:])^w)
		}
		counter++
		src, dst = src[blockSize:], dst[blockSize:]
	}
	if len(src) > 0 {
		var ks [blockSize]byte
		s.block(&ks, counter)
		for i := range src {
			dst[i] = src[i] ^ ks[i]
		}
		clear(ks[:])
	}
	clear(x[:])
}
