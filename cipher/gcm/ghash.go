package gcm

import (
	"encoding/binary"
	"math/bits"
)

// This file implements GHASH, the universal hash at the heart of GCM, in
// constant time: no table is indexed by secret data and no branch depends on a
// secret. The only secret inputs are the hash subkey H (and its powers) and the
// data being hashed (the ciphertext is public, but the running hash value Y is
// not); lengths are public.
//
// # Bit order
//
// SP 800-38D (sp800-38d#6.3) reads a 128-bit block as a polynomial over GF(2)
// whose x^0 coefficient is the MOST significant bit of byte 0 and whose x^127
// coefficient is the least significant bit of byte 15. We load a block as two
// big-endian 64-bit words, hi = bytes 0..7 and lo = bytes 8..15, so the 128-bit
// integer hi:lo is the polynomial with its bits reversed ("reflected"). A
// carry-less product of two reflected 128-bit values is the reflected product
// shifted right by one bit (the 255-bit product has 255 positions, not 256),
// which is why mul shifts the 256-bit product left by one before reducing.
//
// # Carry-less multiplication with integer multiplies
//
// CPUs without a carry-less multiply instruction (or Go code that cannot use it)
// can still compute a carry-less product with the ordinary integer multiplier
// if the operands have "holes": keep only every fourth bit of each operand (bits
// 0,4,8,... in lane 0, bits 1,5,9,... in lane 1, and so on). A product of two such
// sparse values adds at most n one-bit terms in any result column, and as long
// as n < 16 the carries out of a column stay inside the three hole bits above it.
// Keeping, after the multiplications, only the result bits of the right lane
// recovers the XOR (carry-less) sum exactly. This is the technique of
// BearSSL's ghash_ctmul64.c; unlike that code we use bits.Mul64 to get the
// whole 128-bit product of two 64-bit words at once instead of a second round
// of multiplications on bit-reversed operands.
//
// With 64-bit operands a lane holds 16 bits, and the middle column of a full
// 128-bit product could receive 16 terms, which would carry into the lane's
// next column. So the H side (which is fixed per key and precomputed) keeps
// only 15 bits per lane: its top four bits (60..63) are handled separately by
// masked shifts (mulFixup), still without branches.
//
// Not constant-time everywhere: this relies on the CPU's 64x64-bit multiply
// taking the same time for all operands, which holds for the 64-bit x86 and
// ARM cores Go runs on, but not for some small cores with early-exit
// multipliers (BearSSL documents which).

// Lane masks: lane<k> keeps bits k, k+4, k+8, ... of a 64-bit word.
const (
	lane0 = 0x1111111111111111
	lane1 = 0x2222222222222222
	lane2 = 0x4444444444444444
	lane3 = 0x8888888888888888
	// low60 clears bits 60..63, so each lane of the H side holds 15 bits.
	low60 = 1<<60 - 1
)

// fieldElement is an element of GF(2^128) as SP 800-38D orders its bits:
// hi holds bytes 0..7 of the block big-endian (x^0 in the top bit), lo holds
// bytes 8..15 (x^127 in the bottom bit).
type fieldElement struct {
	hi, lo uint64
}

func loadElement(b []byte) fieldElement {
	_ = b[15]
	return fieldElement{binary.BigEndian.Uint64(b[0:8]), binary.BigEndian.Uint64(b[8:16])}
}

func (e fieldElement) store(b []byte) {
	_ = b[15]
	binary.BigEndian.PutUint64(b[0:8], e.hi)
	binary.BigEndian.PutUint64(b[8:16], e.lo)
}

// wordTable is one 64-bit word y of a key, prepared for clmul: y split into its
// four lanes with bits 60..63 cleared, and those four top bits expanded to
// all-zero / all-one masks. It depends only on the key, so it is computed once.
type wordTable struct {
	y0, y1, y2, y3 uint64 // y & lane_k & low60
	m0, m1, m2, m3 uint64 // -(bit 60+k of y)
}

func newWordTable(y uint64) wordTable {
	yl := y & low60
	return wordTable{
		y0: yl & lane0, y1: yl & lane1, y2: yl & lane2, y3: yl & lane3,
		m0: -(y >> 60 & 1), m1: -(y >> 61 & 1), m2: -(y >> 62 & 1), m3: -(y >> 63),
	}
}

// clmul returns the 127-bit carry-less product of x and the word t was built
// from, as (hi, lo). It runs in constant time: 16 integer multiplies, masks and
// shifts, whatever the values.
func clmul(x uint64, t *wordTable) (hi, lo uint64) {
	x0 := x & lane0
	x1 := x & lane1
	x2 := x & lane2
	x3 := x & lane3

	// Result lane r collects the products of x lane a and y lane b with
	// a+b ≡ r (mod 4). Each lane is summed as soon as its products are
	// computed, which keeps everything in registers.
	h, l := bits.Mul64(x0, t.y0)
	ah, al := h, l
	h, l = bits.Mul64(x1, t.y3)
	ah, al = ah^h, al^l
	h, l = bits.Mul64(x2, t.y2)
	ah, al = ah^h, al^l
	h, l = bits.Mul64(x3, t.y1)
	ah, al = ah^h, al^l
	hi, lo = ah&lane0, al&lane0

	h, l = bits.Mul64(x0, t.y1)
	ah, al = h, l
	h, l = bits.Mul64(x1, t.y0)
	ah, al = ah^h, al^l
	h, l = bits.Mul64(x2, t.y3)
	ah, al = ah^h, al^l
	h, l = bits.Mul64(x3, t.y2)
	ah, al = ah^h, al^l
	hi, lo = hi|ah&lane1, lo|al&lane1

	h, l = bits.Mul64(x0, t.y2)
	ah, al = h, l
	h, l = bits.Mul64(x1, t.y1)
	ah, al = ah^h, al^l
	h, l = bits.Mul64(x2, t.y0)
	ah, al = ah^h, al^l
	h, l = bits.Mul64(x3, t.y3)
	ah, al = ah^h, al^l
	hi, lo = hi|ah&lane2, lo|al&lane2

	h, l = bits.Mul64(x0, t.y3)
	ah, al = h, l
	h, l = bits.Mul64(x1, t.y2)
	ah, al = ah^h, al^l
	h, l = bits.Mul64(x2, t.y1)
	ah, al = ah^h, al^l
	h, l = bits.Mul64(x3, t.y0)
	ah, al = ah^h, al^l
	hi, lo = hi|ah&lane3, lo|al&lane3

	// mulFixup: add x * (bit_k << (60+k)) for the four top bits of y that
	// the lanes above left out. x << (60+k) as a 128-bit value is
	// (x >> (4-k)) : (x << (60+k)); the mask is all ones or all zeros.
	lo ^= x<<60&t.m0 ^ x<<61&t.m1 ^ x<<62&t.m2 ^ x<<63&t.m3
	hi ^= x>>4&t.m0 ^ x>>3&t.m1 ^ x>>2&t.m2 ^ x>>1&t.m3
	return hi, lo
}

// keyTable holds one element K of GF(2^128) ready for Karatsuba
// multiplication: tables for K.lo, K.hi and K.lo^K.hi.
type keyTable struct {
	lo, hi, mid wordTable
}

func newKeyTable(k fieldElement) keyTable {
	return keyTable{lo: newWordTable(k.lo), hi: newWordTable(k.hi), mid: newWordTable(k.lo ^ k.hi)}
}

// product is an unreduced 255-bit carry-less product, kept as the three
// Karatsuba pieces so that several products can be summed before they are
// combined and reduced once (aggregated reduction).
type product struct {
	l1, l0 uint64 // x.lo * k.lo
	h1, h0 uint64 // x.hi * k.hi
	m1, m0 uint64 // (x.lo^x.hi) * (k.lo^k.hi)
}

// mulAdd adds x*K (unreduced) to p. Karatsuba: three 64x64 products instead of
// four.
func (p *product) mulAdd(x fieldElement, k *keyTable) {
	a1, a0 := clmul(x.lo, &k.lo)
	b1, b0 := clmul(x.hi, &k.hi)
	c1, c0 := clmul(x.lo^x.hi, &k.mid)
	p.l1 ^= a1
	p.l0 ^= a0
	p.h1 ^= b1
	p.h0 ^= b0
	p.m1 ^= c1
	p.m0 ^= c0
}

// reduce combines the Karatsuba pieces into the 256-bit product and reduces it
// modulo the GCM polynomial x^128 + x^7 + x^2 + x + 1 (sp800-38d#6.3).
func (p *product) reduce() fieldElement {
	// Middle term: (lo+hi)(klo+khi) - lo*klo - hi*khi.
	m1 := p.m1 ^ p.l1 ^ p.h1
	m0 := p.m0 ^ p.l0 ^ p.h0
	// 255-bit product v3:v2:v1:v0 (v3 = highest integer bits = lowest powers
	// of x, because the representation is reflected).
	v0 := p.l0
	v1 := p.l1 ^ m0
	v2 := p.h0 ^ m1
	v3 := p.h1
	// Shift left by one: the reflected product of two 128-bit values has
	// x^0 at integer bit 254; moving it to bit 255 puts x^k at bit 255-k.
	v3 = v3<<1 | v2>>63
	v2 = v2<<1 | v1>>63
	v1 = v1<<1 | v0>>63
	v0 <<= 1
	// Reduction. Integer bit p < 128 holds x^(255-p) = x^128 * x^(127-p), and
	// x^128 = 1 + x + x^2 + x^7, so that bit is added to the bits for
	// x^(127-p), x^(128-p), x^(129-p) and x^(134-p): integer bits p+128,
	// p+127, p+126 and p+121. Fold v0 (x^192..x^255) first: some of its
	// bits land in v1, which is folded next; v1's bits all land in v2:v3.
	v2 ^= v0 ^ v0>>1 ^ v0>>2 ^ v0>>7
	v1 ^= v0<<63 ^ v0<<62 ^ v0<<57
	v3 ^= v1 ^ v1>>1 ^ v1>>2 ^ v1>>7
	v2 ^= v1<<63 ^ v1<<62 ^ v1<<57
	return fieldElement{hi: v3, lo: v2}
}

// mul returns x*y in GF(2^128) (sp800-38d#6.3, Algorithm 1 computes the same
// product bit by bit). Used to precompute powers of H; the hashing loop uses
// keyTable directly.
func mul(x, y fieldElement) fieldElement {
	k := newKeyTable(y)
	var p product
	p.mulAdd(x, &k)
	return p.reduce()
}

// ghashKey is the hash subkey H of one GCM key, expanded once in New:
// pow[i] is the table of H^(i+1), so that four blocks can be hashed with one
// reduction: Y' = (Y+X1)H^4 + X2 H^3 + X3 H^2 + X4 H.
type ghashKey struct {
	pow [4]keyTable
}

func newGHASHKey(h fieldElement) ghashKey {
	var k ghashKey
	p := h
	for i := range k.pow {
		k.pow[i] = newKeyTable(p)
		p = mul(p, h)
	}
	return k
}

// update absorbs data into the running GHASH value y, zero-padding the last
// partial block (GHASH's input is A||0^v||C||0^u||len, sp800-38d#7.1 step 5,
// so AAD and ciphertext are each padded to a block boundary).
//
// spec: sp800-38d#6.4
//
// GHASH_H(X1..Xm): Y0 = 0; Yi = (Y(i-1) xor Xi) * H. The loop below applies
// that recurrence four blocks at a time using the precomputed powers of H, which
// gives the same Ym with a quarter of the reductions.
func (k *ghashKey) update(y *fieldElement, data []byte) {
	acc := *y
	for len(data) >= 64 {
		b := data[:64]
		x1 := loadElement(b[0:16])
		x2 := loadElement(b[16:32])
		x3 := loadElement(b[32:48])
		x4 := loadElement(b[48:64])
		x1.hi ^= acc.hi
		x1.lo ^= acc.lo
		var p product
		p.mulAdd(x1, &k.pow[3])
		p.mulAdd(x2, &k.pow[2])
		p.mulAdd(x3, &k.pow[1])
		p.mulAdd(x4, &k.pow[0])
		acc = p.reduce()
		data = data[64:]
	}
	for len(data) >= 16 {
		x := loadElement(data[:16])
		acc.hi ^= x.hi
		acc.lo ^= x.lo
		var p product
		p.mulAdd(acc, &k.pow[0])
		acc = p.reduce()
		data = data[16:]
	}
	if len(data) > 0 {
		var last [16]byte
		copy(last[:], data)
		x := loadElement(last[:])
		acc.hi ^= x.hi
		acc.lo ^= x.lo
		var p product
		p.mulAdd(acc, &k.pow[0])
		acc = p.reduce()
	}
	*y = acc
}

// updateLengths absorbs the final GHASH block [len(A)]64 || [len(C)]64, the
// bit lengths of the additional data and the ciphertext (sp800-38d#7.1 step 5).
func (k *ghashKey) updateLengths(y *fieldElement, aadLen, ctLen int) {
	acc := *y
	acc.hi ^= uint64(aadLen) * 8
	acc.lo ^= uint64(ctLen) * 8
	var p product
	p.mulAdd(acc, &k.pow[0])
	*y = p.reduce()
}
