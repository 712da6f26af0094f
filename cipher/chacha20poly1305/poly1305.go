package chacha20poly1305

import (
	"encoding/binary"
	"math/bits"
)

// Poly1305 (rfc8439#2.5) evaluates the message as a polynomial in r modulo
// the prime p = 2^130 - 5 and adds s:
//
//	acc = 0
//	for each 16-byte chunk n (read little-endian, with a 1 byte appended):
//	    acc = ((acc + n) * r) mod p
//	tag = (acc + s) mod 2^128
//
// The accumulator h is kept in three 64-bit limbs h0 + h1·2^64 + h2·2^128,
// only partially reduced (h < 2·p between blocks), and r in two limbs. Every
// step is the same sequence of multiplications, additions and shifts whatever
// the values: no branch or index depends on the key or the message.

const (
	// polyKeySize is the one-time Poly1305 key: r then s, 16 bytes each.
	//
	// spec: rfc8439#2.5
	polyKeySize = 32
	// polyBlockSize is the chunk Poly1305 reads at a time.
	//
	// spec: rfc8439#2.5
	polyBlockSize = 16

	// rMask0 and rMask1 clamp r: the top four bits of r[3], r[7], r[11],
	// r[15] and the bottom two bits of r[4], r[8], r[12] are cleared.
	//
	// spec: rfc8439#2.5 (clamp(r): r &= 0x0ffffffc0ffffffc0ffffffc0fffffff)
	rMask0 = 0x0ffffffc0fffffff
	rMask1 = 0x0ffffffc0ffffffc
)

// polyState is one Poly1305 computation in progress.
type polyState struct {
	r0, r1     uint64 // clamped r
	s0, s1     uint64 // s
	h0, h1, h2 uint64 // accumulator, partially reduced
}

// newPolyState clamps r and loads s from the 32-byte one-time key.
//
// spec: rfc8439#2.5
func newPolyState(key *[polyKeySize]byte) polyState {
	return polyState{
		r0: binary.LittleEndian.Uint64(key[0:]) & rMask0,
		r1: binary.LittleEndian.Uint64(key[8:]) & rMask1,
		s0: binary.LittleEndian.Uint64(key[16:]),
		s1: binary.LittleEndian.Uint64(key[24:]),
	}
}

// blocksGeneric absorbs whole 16-byte chunks of msg (len(msg) must be a
// multiple of 16): each one with the 2^128 bit set (the "1 byte appended"
// of a full chunk), added to the accumulator, which is then multiplied by r
// modulo p.
//
// spec: rfc8439#2.5
func (p *polyState) blocksGeneric(msg []byte) {
	h0, h1, h2 := p.h0, p.h1, p.h2
	for len(msg) >= polyBlockSize {
		// acc += n, with n = chunk + 2^128.
		var c uint64
		h0, c = bits.Add64(h0, binary.LittleEndian.Uint64(msg[0:]), 0)
		h1, c = bits.Add64(h1, binary.LittleEndian.Uint64(msg[8:]), c)
		h2 += c + 1
		h0, h1, h2 = mulReduce(h0, h1, h2, p.r0, p.r1)
		msg = msg[polyBlockSize:]
	}
	p.h0, p.h1, p.h2 = h0, h1, h2
}

// mulReduce returns (h·r) mod p, partially reduced (below 2·p).
//
// The product of h (three limbs, h2 small) and r (two limbs, each below
// 2^60 after clamping) is four limbs t0..t3. Since 2^130 ≡ 5 (mod p), the
// part c = t >> 130 folds back in as 5·c = 4·c + c, and 4·c is simply t with
// its low 130 bits cleared: h = (t mod 2^130) + (t &^ (2^130-1)) + (t >> 130).
//
// spec: rfc8439#2.5 ("acc = (r * acc) % p")
func mulReduce(h0, h1, h2, r0, r1 uint64) (uint64, uint64, uint64) {
	// The partial products, column by column (h2 < 8 and r0, r1 < 2^60, so
	// h2·r0 and h2·r1 fit one limb):
	//   2^0:   h0·r0
	//   2^64:  h0·r1 + h1·r0
	//   2^128: h1·r1 + h2·r0
	//   2^192: h2·r1
	h0r0Hi, h0r0Lo := bits.Mul64(h0, r0)
	h0r1Hi, h0r1Lo := bits.Mul64(h0, r1)
	h1r0Hi, h1r0Lo := bits.Mul64(h1, r0)
	h1r1Hi, h1r1Lo := bits.Mul64(h1, r1)
	h2r0 := h2 * r0
	h2r1 := h2 * r1

	t0 := h0r0Lo
	t1, c := bits.Add64(h0r0Hi, h0r1Lo, 0)
	t2, c := bits.Add64(h0r1Hi, h1r1Lo, c)
	t3 := h1r1Hi + h2r1 + c
	t1, c = bits.Add64(t1, h1r0Lo, 0)
	t2, c = bits.Add64(t2, h1r0Hi, c)
	t3 += c
	t2, c = bits.Add64(t2, h2r0, 0)
	t3 += c

	// h = t mod 2^130 ...
	h0, h1, h2 = t0, t1, t2&3
	// ... + 4·c, that is t's bits from 2^130 up, left in place ...
	cc0, cc1 := t2&^3, t3
	h0, c = bits.Add64(h0, cc0, 0)
	h1, c = bits.Add64(h1, cc1, c)
	h2 += c
	// ... + c, the same bits shifted down by two.
	cc0 = cc0>>2 | cc1<<62
	cc1 >>= 2
	h0, c = bits.Add64(h0, cc0, 0)
	h1, c = bits.Add64(h1, cc1, c)
	h2 += c
	return h0, h1, h2
}

// lastChunk absorbs a final chunk shorter than 16 bytes (1 to 15): the
// "1 byte appended" lands right after its last byte, not at 2^128.
//
// spec: rfc8439#2.5
func (p *polyState) lastChunk(msg []byte) {
	var buf [polyBlockSize]byte
	copy(buf[:], msg)
	buf[len(msg)] = 1
	var c uint64
	p.h0, c = bits.Add64(p.h0, binary.LittleEndian.Uint64(buf[0:]), 0)
	p.h1, c = bits.Add64(p.h1, binary.LittleEndian.Uint64(buf[8:]), c)
	p.h2 += c
	p.h0, p.h1, p.h2 = mulReduce(p.h0, p.h1, p.h2, p.r0, p.r1)
}

// finish writes the tag: the accumulator fully reduced modulo p, plus s,
// modulo 2^128. The full reduction is a constant-time select: g = h + 5 is
// computed, and if it reaches 2^130 (h ≥ p) its low 130 bits (h - p)
// replace h, through a mask made from g's bit 130 with no branch.
//
// spec: rfc8439#2.5 ("a += s", and the tag is the 16 low-order bytes)
func (p *polyState) finish(tag *[TagSize]byte) {
	h0, h1, h2 := p.h0, p.h1, p.h2
	// Fold h2's bits above 2^130 once more (h < 2p, so this leaves h < 2^130 + 5·small).
	c := h2 >> 2
	h2 &= 3
	var cy uint64
	h0, cy = bits.Add64(h0, c*5, 0)
	h1, cy = bits.Add64(h1, 0, cy)
	h2 += cy

	g0, cy := bits.Add64(h0, 5, 0)
	g1, cy := bits.Add64(h1, 0, cy)
	g2 := h2 + cy
	// mask = all ones if g ≥ 2^130, that is h ≥ p.
	mask := -(g2 >> 2 & 1)
	h0 = h0&^mask | g0&mask
	h1 = h1&^mask | g1&mask

	h0, cy = bits.Add64(h0, p.s0, 0)
	h1, _ = bits.Add64(h1, p.s1, cy)
	binary.LittleEndian.PutUint64(tag[0:], h0)
	binary.LittleEndian.PutUint64(tag[8:], h1)
}
