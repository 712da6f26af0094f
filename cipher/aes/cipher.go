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
	nr := c.rounds
	addRoundKey(q, &rk[0])
	for round := 1; round < nr; round++ {
		subBytes(q)
		shiftRows(q)
		mixColumns(q)
		addRoundKey(q, &rk[round])
	}
	subBytes(q)
	shiftRows(q)
	addRoundKey(q, &rk[nr])
}

// decrypt4 is the InvCipher() routine of fips197#5.3 (Figure 12): the steps
// of encrypt4 undone in reverse order, using the same round keys backwards.
//
// spec: fips197#5.3
func (c *Cipher) decrypt4(q *[8]uint64) {
	rk := &c.roundKeys
	nr := c.rounds
	addRoundKey(q, &rk[nr])
	for round := nr - 1; round > 0; round-- {
		invShiftRows(q)
		invSubBytes(q)
		addRoundKey(q, &rk[round])
		invMixColumns(q)
	}
	invShiftRows(q)
	invSubBytes(q)
	addRoundKey(q, &rk[0])
}
