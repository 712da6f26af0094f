package aes

import "encoding/binary"

// This file converts between four ordinary 16-byte AES blocks and the
// bitsliced form described in the package doc: eight words q[0..7], where
// bit p = 16*row + 4*column + block of q[j] is bit j of that state byte.
//
// The conversion has two stages.
//
//  1. interleave: each block's four columns (fips197#3.4: input byte
//     in[r+4c] is state byte s[r][c]) are spread into two 64-bit words so
//     that byte number 2*row+h of the first word is s[row][2h] and of the
//     second word s[row][2h+1]. Block k gives words k and k+4.
//  2. transpose: viewing the eight words as eight 8x8 bit matrices (one per
//     byte position), transpose each matrix. Afterwards word j collects bit j
//     of every byte, and the bit that came from byte position b of word i
//     sits at bit 8*b+i. Working that through stage 1 gives exactly
//     p = 16*row + 4*column + block.
//
// Both stages are fixed shifts and masks, independent of the data.

// swapBits exchanges the bits of x selected by mask<<shift with the bits of y
// selected by mask (a "delta swap"): with x = word i and y = word i+shift,
// bit i+shift of word i trades places with bit i of word i+shift, which is
// one layer of the 8x8 bit transpose.
func swapBits(x, y *uint64, mask uint64, shift uint) {
	t := ((*x >> shift) ^ *y) & mask
	*y ^= t
	*x ^= t << shift
}

// transpose transposes the eight 8x8 bit matrices held in q (matrix b is
// byte b of every word). It is its own inverse, so it is used both to enter
// and to leave the bitsliced form.
func transpose(q *[8]uint64) {
	// Swap single bits between words 2i and 2i+1 ...
	swapBits(&q[0], &q[1], 0x5555555555555555, 1)
	swapBits(&q[2], &q[3], 0x5555555555555555, 1)
	swapBits(&q[4], &q[5], 0x5555555555555555, 1)
	swapBits(&q[6], &q[7], 0x5555555555555555, 1)
	// ... then pairs of bits between words at distance 2 ...
	swapBits(&q[0], &q[2], 0x3333333333333333, 2)
	swapBits(&q[1], &q[3], 0x3333333333333333, 2)
	swapBits(&q[4], &q[6], 0x3333333333333333, 2)
	swapBits(&q[5], &q[7], 0x3333333333333333, 2)
	// ... then nibbles between words at distance 4.
	swapBits(&q[0], &q[4], 0x0F0F0F0F0F0F0F0F, 4)
	swapBits(&q[1], &q[5], 0x0F0F0F0F0F0F0F0F, 4)
	swapBits(&q[2], &q[6], 0x0F0F0F0F0F0F0F0F, 4)
	swapBits(&q[3], &q[7], 0x0F0F0F0F0F0F0F0F, 4)
}

// spread moves byte r of the 32-bit value w to bits 16r..16r+7.
func spread(w uint32) uint64 {
	x := uint64(w)
	x = (x | x<<16) & 0x0000FFFF0000FFFF
	x = (x | x<<8) & 0x00FF00FF00FF00FF
	return x
}

// unspread is the inverse of spread: it collects the low byte of each 16-bit
// lane of x into a 32-bit value.
func unspread(x uint64) uint32 {
	x &= 0x00FF00FF00FF00FF
	x = (x | x>>8) & 0x0000FFFF0000FFFF
	return uint32(x | x>>16)
}

// load4 converts four consecutive 16-byte blocks into bitsliced form.
func load4(q *[8]uint64, src *[4 * BlockSize]byte) {
	for k := 0; k < 4; k++ {
		b := src[16*k : 16*k+16]
		// Column c of the state is bytes 4c..4c+3, row r in byte r of the
		// little-endian word.
		c0 := binary.LittleEndian.Uint32(b[0:])
		c1 := binary.LittleEndian.Uint32(b[4:])
		c2 := binary.LittleEndian.Uint32(b[8:])
		c3 := binary.LittleEndian.Uint32(b[12:])
		q[k] = spread(c0) | spread(c2)<<8
		q[k+4] = spread(c1) | spread(c3)<<8
	}
	transpose(q)
}

// store4 converts bitsliced q back into four 16-byte blocks. It leaves q in
// transposed (non-bitsliced) order.
func store4(dst *[4 * BlockSize]byte, q *[8]uint64) {
	transpose(q)
	for k := 0; k < 4; k++ {
		b := dst[16*k : 16*k+16]
		binary.LittleEndian.PutUint32(b[0:], unspread(q[k]))
		binary.LittleEndian.PutUint32(b[4:], unspread(q[k+4]))
		binary.LittleEndian.PutUint32(b[8:], unspread(q[k]>>8))
		binary.LittleEndian.PutUint32(b[12:], unspread(q[k+4]>>8))
	}
}
