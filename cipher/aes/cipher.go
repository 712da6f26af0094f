package aes

// encrypt4 is the Cipher() routine of fips197#5.1 (Figure 5) run on four
// bitsliced blocks at once:
//
//	AddRoundKey(state, w[0, Nb-1])
//	for round = 1 step 1 to Nr-1
//		SubBytes(state); ShiftRows(state); MixColumns(state)
//		AddRoundKey(state, w[round*Nb, (round+1)*Nb-1])
//	SubBytes(state); ShiftRows(state)
//	AddRoundKey(state, w[Nr*Nb, (Nr+1)*Nb-1])
//
// The number of rounds depends only on the key length, which is public.
//
// spec: fips197#5.1
func (c *Cipher) encrypt4(q *[8]uint64) {
	rk := &c.roundKeys
	nr := c.rounds & 15 // always 10, 12 or 14; the mask lets the compiler drop bounds checks
	q0, q1, q2, q3, q4, q5, q6, q7 := addRoundKey(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], &rk[0])
	for round := 1; round < nr; round++ {
		q0, q1, q2, q3, q4, q5, q6, q7 = subBytes(q0, q1, q2, q3, q4, q5, q6, q7)
		// ShiftRows, spelled out word by word so the compiler inlines it.
		q0, q1, q2, q3 = shiftRowsWord(q0), shiftRowsWord(q1), shiftRowsWord(q2), shiftRowsWord(q3)
		q4, q5, q6, q7 = shiftRowsWord(q4), shiftRowsWord(q5), shiftRowsWord(q6), shiftRowsWord(q7)
		q0, q1, q2, q3, q4, q5, q6, q7 = mixColumns(q0, q1, q2, q3, q4, q5, q6, q7)
		q0, q1, q2, q3, q4, q5, q6, q7 = addRoundKey(q0, q1, q2, q3, q4, q5, q6, q7, &rk[round])
	}
	q0, q1, q2, q3, q4, q5, q6, q7 = subBytes(q0, q1, q2, q3, q4, q5, q6, q7)
	q0, q1, q2, q3, q4, q5, q6, q7 = shiftRows(q0, q1, q2, q3, q4, q5, q6, q7)
	q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = addRoundKey(q0, q1, q2, q3, q4, q5, q6, q7, &rk[nr])
}

// decrypt4 is the InvCipher() routine of fips197#5.3 (Figure 12): the steps
// of encrypt4 undone in reverse order, using the same round keys backwards.
//
// spec: fips197#5.3
func (c *Cipher) decrypt4(q *[8]uint64) {
	rk := &c.roundKeys
	nr := c.rounds & 15
	q0, q1, q2, q3, q4, q5, q6, q7 := addRoundKey(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], &rk[nr])
	for round := nr - 1; round > 0; round-- {
		q0, q1, q2, q3, q4, q5, q6, q7 = invShiftRows(q0, q1, q2, q3, q4, q5, q6, q7)
		q0, q1, q2, q3, q4, q5, q6, q7 = invSubBytes(q0, q1, q2, q3, q4, q5, q6, q7)
		q0, q1, q2, q3, q4, q5, q6, q7 = addRoundKey(q0, q1, q2, q3, q4, q5, q6, q7, &rk[round])
		q0, q1, q2, q3, q4, q5, q6, q7 = invMixColumns(q0, q1, q2, q3, q4, q5, q6, q7)
	}
	q0, q1, q2, q3, q4, q5, q6, q7 = invShiftRows(q0, q1, q2, q3, q4, q5, q6, q7)
	q0, q1, q2, q3, q4, q5, q6, q7 = invSubBytes(q0, q1, q2, q3, q4, q5, q6, q7)
	q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = addRoundKey(q0, q1, q2, q3, q4, q5, q6, q7, &rk[0])
}
