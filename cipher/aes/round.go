package aes

import "math/bits"

// The round transformations of FIPS 197 section 5, each acting on four
// bitsliced states at once (layout in the package doc). None of them looks
// anything up by value or branches on it.
//
// Every step takes the eight bitsliced words q0..q7 (q_j = bit j of every
// state byte) as arguments and returns the new eight words. Passing them as
// values rather than through a *[8]uint64 lets the compiler keep the state
// in registers from one step to the next (Go passes up to nine integer
// arguments and results in registers); with a pointer every step had to
// store and reload the state, and encryption was about 30% slower.

// subBytes is SubBytes (fips197#5.1.1): every state byte b is replaced by
// S(b) = A(b^-1) + 0x63, the inverse in GF(2^8) followed by an affine map.
//
// Instead of the 256-byte table of fips197 Figure 7 it evaluates the
// 115-gate circuit (32 AND, 83 XOR/XNOR) of Boyar and Peralta ("A new
// combinational logic minimization technique with applications to
// cryptology", SEA 2010, eprint.iacr.org/2009/191). Each gate works on a whole 64-bit word, i.e. on
// the same bit of all 64 state bytes, so one pass computes 64 S-boxes.
//
// The circuit has three parts: a linear "top" layer (only XOR) that maps the
// input bits into a basis where inversion is cheap, a non-linear middle
// (the AND gates: inversion in GF(2^8) built from GF(2^4) and GF(2^2)), and
// a linear "bottom" layer that returns to the AES basis and applies the
// affine map; the XNOR gates (written a ^ ^b) add the constant 0x63. Variable names
// are the paper's; its x0 is the most significant bit, i.e. our q7.
//
// spec: fips197#5.1.1
func subBytes(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (r0, r1, r2, r3, r4, r5, r6, r7 uint64) {
	x0, x1, x2, x3 := q7, q6, q5, q4
	x4, x5, x6, x7 := q3, q2, q1, q0

	// Top linear layer.
	y14 := x3 ^ x5
	y13 := x0 ^ x6
	y9 := x0 ^ x3
	y8 := x0 ^ x5
	t0 := x1 ^ x2
	y1 := t0 ^ x7
	y4 := y1 ^ x3
	y12 := y13 ^ y14
	y2 := y1 ^ x0
	y5 := y1 ^ x6
	y3 := y5 ^ y8
	t1 := x4 ^ y12
	y15 := t1 ^ x5
	y20 := t1 ^ x1
	y6 := y15 ^ x7
	y10 := y15 ^ t0
	y11 := y20 ^ y9
	y7 := x7 ^ y11
	y17 := y10 ^ y11
	y19 := y10 ^ y8
	y16 := t0 ^ y11
	y21 := y13 ^ y16
	y18 := x0 ^ y16

	// Non-linear middle: inversion in GF(2^8) via a tower of subfields.
	t2 := y12 & y15
	t3 := y3 & y6
	t4 := t3 ^ t2
	t5 := y4 & x7
	t6 := t5 ^ t2
	t7 := y13 & y16
	t8 := y5 & y1
	t9 := t8 ^ t7
	t10 := y2 & y7
	t11 := t10 ^ t7
	t12 := y9 & y11
	t13 := y14 & y17
	t14 := t13 ^ t12
	t15 := y8 & y10
	t16 := t15 ^ t12
	t17 := t4 ^ t14
	t18 := t6 ^ t16
	t19 := t9 ^ t14
	t20 := t11 ^ t16
	t21 := t17 ^ y20
	t22 := t18 ^ y19
	t23 := t19 ^ y21
	t24 := t20 ^ y18

	t25 := t21 ^ t22
	t26 := t21 & t23
	t27 := t24 ^ t26
	t28 := t25 & t27
	t29 := t28 ^ t22
	t30 := t23 ^ t24
	t31 := t22 ^ t26
	t32 := t31 & t30
	t33 := t32 ^ t24
	t34 := t23 ^ t33
	t35 := t27 ^ t33
	t36 := t24 & t35
	t37 := t36 ^ t34
	t38 := t27 ^ t36
	t39 := t29 & t38
	t40 := t25 ^ t39

	t41 := t40 ^ t37
	t42 := t29 ^ t33
	t43 := t29 ^ t40
	t44 := t33 ^ t37
	t45 := t42 ^ t41
	z0 := t44 & y15
	z1 := t37 & y6
	z2 := t33 & x7
	z3 := t43 & y16
	z4 := t40 & y1
	z5 := t29 & y7
	z6 := t42 & y11
	z7 := t45 & y17
	z8 := t41 & y10
	z9 := t44 & y12
	z10 := t37 & y3
	z11 := t33 & y4
	z12 := t43 & y13
	z13 := t40 & y5
	z14 := t29 & y2
	z15 := t42 & y9
	z16 := t45 & y14
	z17 := t41 & y8

	// Bottom linear layer, including the affine constant 0x63.
	t46 := z15 ^ z16
	t47 := z10 ^ z11
	t48 := z5 ^ z13
	t49 := z9 ^ z10
	t50 := z2 ^ z12
	t51 := z2 ^ z5
	t52 := z7 ^ z8
	t53 := z0 ^ z3
	t54 := z6 ^ z7
	t55 := z16 ^ z17
	t56 := z12 ^ t48
	t57 := t50 ^ t53
	t58 := z4 ^ t46
	t59 := z3 ^ t54
	t60 := t46 ^ t57
	t61 := z14 ^ t57
	t62 := t52 ^ t58
	t63 := t49 ^ t58
	t64 := z4 ^ t59
	t65 := t61 ^ t62
	t66 := z1 ^ t63
	s0 := t59 ^ t63
	s6 := t56 ^ ^t62
	s7 := t48 ^ ^t60
	t67 := t64 ^ t65
	s3 := t53 ^ t66
	s4 := t51 ^ t66
	s5 := t47 ^ t65
	s1 := t64 ^ ^s3
	s2 := t55 ^ ^t67
	// The paper's s0 is the most significant output bit, so it becomes q7.
	return s7, s6, s5, s4, s3, s2, s1, s0
}

// invAffineLinear applies the linear part L of the inverse affine map of
// fips197#5.3.2: bit i of the result is b[i+2] ^ b[i+5] ^ b[i+7] (indices
// mod 8). On bitsliced words "bit i" is word i, so this is nine XORs.
func invAffineLinear(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (r0, r1, r2, r3, r4, r5, r6, r7 uint64) {
	return q2 ^ q5 ^ q7, q3 ^ q6 ^ q0, q4 ^ q7 ^ q1, q5 ^ q0 ^ q2,
		q6 ^ q1 ^ q3, q7 ^ q2 ^ q4, q0 ^ q3 ^ q5, q1 ^ q4 ^ q6
}

// invSubBytes is InvSubBytes (fips197#5.3.2): the inverse S-box,
// S^-1(b) = (A^-1(b))^-1. We have no separate inversion circuit, but the
// forward S-box contains one: b^-1 = A^-1(S(b)). With A^-1(b) = L(b) ^ 0x05
// (L the linear part, 0x05 = L(0x63)) that gives
//
//	S^-1(b) = L(S(L(b) ^ 0x05)) ^ 0x05
//
// so we reuse subBytes between two applications of L. XOR with 0x05 flips
// bits 0 and 2, i.e. complements words q0 and q2.
//
// spec: fips197#5.3.2
func invSubBytes(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (r0, r1, r2, r3, r4, r5, r6, r7 uint64) {
	q0, q1, q2, q3, q4, q5, q6, q7 = invAffineLinear(q0, q1, q2, q3, q4, q5, q6, q7)
	q0, q1, q2, q3, q4, q5, q6, q7 = subBytes(^q0, q1, ^q2, q3, q4, q5, q6, q7)
	r0, r1, r2, r3, r4, r5, r6, r7 = invAffineLinear(q0, q1, q2, q3, q4, q5, q6, q7)
	return ^r0, r1, ^r2, r3, r4, r5, r6, r7
}

// Lane masks for rows of the state: row r occupies bits 16r..16r+15 of
// every bitsliced word.
const (
	rows13 = 0xFFFF0000FFFF0000 // rows 1 and 3
	rows23 = 0xFFFFFFFF00000000 // rows 2 and 3
)

// shiftRows is ShiftRows (fips197#5.1.2): row r of the state is rotated left
// by r byte positions, s'[r][c] = s[r][(c+r) mod 4]. A byte position is a
// 4-bit nibble inside the row's 16-bit lane, so "left by one column" means
// "right by 4 bits" within the lane. We do it in two data-independent
// moves: rotate rows 2 and 3 by two columns (swap the two bytes of the
// lane), then rows 1 and 3 by one column; row 3 thus moves by three.
//
// spec: fips197#5.1.2
func shiftRows(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (r0, r1, r2, r3, r4, r5, r6, r7 uint64) {
	return shiftRowsWord(q0), shiftRowsWord(q1), shiftRowsWord(q2), shiftRowsWord(q3),
		shiftRowsWord(q4), shiftRowsWord(q5), shiftRowsWord(q6), shiftRowsWord(q7)
}

// shiftRowsWord applies ShiftRows to one bitsliced word.
func shiftRowsWord(x uint64) uint64 {
	// Rows 2 and 3: exchange the two bytes of the 16-bit lane.
	t := (x ^ x>>8) & (rows23 & 0x00FF00FF00FF00FF)
	x ^= t | t<<8
	// Rows 1 and 3: the nibble of column c+1 moves to column c, and
	// column 0 wraps around to column 3.
	return x&^rows13 | (x>>4)&(rows13&0x0FFF0FFF0FFF0FFF) | (x<<12)&(rows13&0xF000F000F000F000)
}

// invShiftRows is InvShiftRows (fips197#5.3.1): row r is rotated right by r
// positions, s'[r][(c+r) mod 4] = s[r][c]. Same two moves as shiftRows, with
// the one-column move in the other direction.
//
// spec: fips197#5.3.1
func invShiftRows(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (r0, r1, r2, r3, r4, r5, r6, r7 uint64) {
	return invShiftRowsWord(q0), invShiftRowsWord(q1), invShiftRowsWord(q2), invShiftRowsWord(q3),
		invShiftRowsWord(q4), invShiftRowsWord(q5), invShiftRowsWord(q6), invShiftRowsWord(q7)
}

// invShiftRowsWord applies InvShiftRows to one bitsliced word.
func invShiftRowsWord(x uint64) uint64 {
	t := (x ^ x>>8) & (rows23 & 0x00FF00FF00FF00FF)
	x ^= t | t<<8
	return x&^rows13 | (x<<4)&(rows13&0xFFF0FFF0FFF0FFF0) | (x>>12)&(rows13&0x000F000F000F000F)
}

// nextRow moves row r+1 of every column into row r's lane (rotating the
// word by 16 bits), which lines up each byte with its column neighbour.
func nextRow(x uint64) uint64 { return bits.RotateLeft64(x, -16) }

// rowsAcross moves row r+2 into row r's lane (rotation by 32 bits).
func rowsAcross(x uint64) uint64 { return bits.RotateLeft64(x, 32) }

// mixColumns is MixColumns (fips197#5.1.3): each column is multiplied by
// a(x) = {03}x^3 + {01}x^2 + {01}x + {02}, i.e. for every row r
//
//	s'[r] = {02}s[r] ^ {03}s[r+1] ^ s[r+2] ^ s[r+3]      (rows mod 4)
//	      = {02}(s[r] ^ s[r+1]) ^ s[r+1] ^ (s[r+2] ^ s[r+3])
//
// With a = s[r] ^ s[r+1] (word q ^ nextRow(q)), s[r+2] ^ s[r+3] is a moved
// across by two rows. Multiplying by {02} is xtime (fips197#4.2.1): shift
// the bits up by one and, if bit 7 was set, XOR {1b} (bits 0, 1, 3, 4). On
// bitsliced words "shift the bits up" just renames word j to word j+1, and
// "if bit 7 was set, XOR" is XOR with word 7.
//
// spec: fips197#5.1.3
func mixColumns(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (s0, s1, s2, s3, s4, s5, s6, s7 uint64) {
	r0, r1, r2, r3 := nextRow(q0), nextRow(q1), nextRow(q2), nextRow(q3)
	r4, r5, r6, r7 := nextRow(q4), nextRow(q5), nextRow(q6), nextRow(q7)
	a0, a1, a2, a3 := q0^r0, q1^r1, q2^r2, q3^r3
	a4, a5, a6, a7 := q4^r4, q5^r5, q6^r6, q7^r7
	// Word j of {02}a is a[j-1], plus a[7] for j in {0, 1, 3, 4}.
	s0 = a7 ^ r0 ^ rowsAcross(a0)
	s1 = a0 ^ a7 ^ r1 ^ rowsAcross(a1)
	s2 = a1 ^ r2 ^ rowsAcross(a2)
	s3 = a2 ^ a7 ^ r3 ^ rowsAcross(a3)
	s4 = a3 ^ a7 ^ r4 ^ rowsAcross(a4)
	s5 = a4 ^ r5 ^ rowsAcross(a5)
	s6 = a5 ^ r6 ^ rowsAcross(a6)
	s7 = a6 ^ r7 ^ rowsAcross(a7)
	return
}

// invMixColumns is InvMixColumns (fips197#5.3.3): multiplication by
// a^-1(x) = {0b}x^3 + {0d}x^2 + {09}x + {0e}. It uses the factorisation
// a^-1(x) = a(x) * ({04}x^2 + {05}) mod x^4+1, so it first computes
//
//	s[r] ^= {04}(s[r] ^ s[r+2])
//
// (the term s[r] ^ s[r+2] is the same for rows r and r+2, one rotation by 32
// bits) and then applies mixColumns. {04} is xtime applied twice.
//
// spec: fips197#5.3.3
func invMixColumns(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (s0, s1, s2, s3, s4, s5, s6, s7 uint64) {
	u0, u1, u2, u3 := q0^rowsAcross(q0), q1^rowsAcross(q1), q2^rowsAcross(q2), q3^rowsAcross(q3)
	u4, u5, u6, u7 := q4^rowsAcross(q4), q5^rowsAcross(q5), q6^rowsAcross(q6), q7^rowsAcross(q7)
	// {04}u: word j is u[j-2]; the two top bits u[6], u[7] move past bit 7
	// and come back reduced mod the AES polynomial: x^8 = {1b} (bits 0, 1,
	// 3, 4) and x^9 = {36} (bits 1, 2, 4, 5).
	return mixColumns(q0^u6, q1^u7^u6, q2^u0^u7, q3^u1^u6,
		q4^u2^u7^u6, q5^u3^u7, q6^u4, q7^u5)
}

// addRoundKey is AddRoundKey (fips197#5.1.4): XOR the round key into the
// state. The round key is stored bitsliced like the state, so this is one
// XOR per word. It is its own inverse (fips197#5.3.4).
//
// spec: fips197#5.1.4
func addRoundKey(q0, q1, q2, q3, q4, q5, q6, q7 uint64, rk *[8]uint64) (s0, s1, s2, s3, s4, s5, s6, s7 uint64) {
	return q0 ^ rk[0], q1 ^ rk[1], q2 ^ rk[2], q3 ^ rk[3], q4 ^ rk[4], q5 ^ rk[5], q6 ^ rk[6], q7 ^ rk[7]
}
