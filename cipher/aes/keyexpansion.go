package aes

import "encoding/binary"

// rcon holds the round constants of fips197#5.2: Rcon[i] = [x^(i-1), 0, 0, 0]
// in GF(2^8), stored here as the first byte. Indexed by the (public) round
// number only.
var rcon = [...]uint32{
	0x01000000, 0x02000000, 0x04000000, 0x08000000, 0x10000000,
	0x20000000, 0x40000000, 0x80000000, 0x1b000000, 0x36000000,
}

// rotWord is RotWord (fips197#5.2): [a0, a1, a2, a3] -> [a1, a2, a3, a0].
// Words are big-endian, a0 in the top byte, as FIPS 197 writes them.
//
// spec: fips197#5.2
func rotWord(w uint32) uint32 { return w<<8 | w>>24 }

// subWord is SubWord (fips197#5.2): the S-box applied to each byte of a
// word. The key is secret, so this also must not use a table: we run the
// bitsliced subBytes with the word as column 0 of block 0 (the other 60
// byte slots are zero and ignored). Key expansion is done once per key, so
// wasting most of the pass is fine.
//
// spec: fips197#5.2
func subWord(w uint32) uint32 {
	var buf [4 * BlockSize]byte
	binary.BigEndian.PutUint32(buf[:4], w)
	var q [8]uint64
	load4(&q, &buf)
	q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = subBytes(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7])
	store4(&buf, &q)
	return binary.BigEndian.Uint32(buf[:4])
}

// keyExpansion is KeyExpansion (fips197#5.2, Figure 11): it stretches the
// Nk-word key into Nb*(Nr+1) = 4*(rounds+1) words w[i], where
//
//	w[i] = w[i-Nk] ^ SubWord(RotWord(w[i-1])) ^ Rcon[i/Nk]  if i mod Nk == 0
//	w[i] = w[i-Nk] ^ SubWord(w[i-1])                         if Nk > 6 and i mod Nk == 4
//	w[i] = w[i-Nk] ^ w[i-1]                                  otherwise
//
// The branches depend on i and Nk only (public); the key bytes pass only
// through XOR and the constant-time subWord.
//
// spec: fips197#5.2
func keyExpansion(key []byte, rounds int, w *[4 * (maxRounds + 1)]uint32) {
	nk := len(key) / 4
	for i := 0; i < nk; i++ {
		w[i] = binary.BigEndian.Uint32(key[4*i:])
	}
	for i := nk; i < 4*(rounds+1); i++ {
		temp := w[i-1]
		switch {
		case i%nk == 0:
			temp = subWord(rotWord(temp)) ^ rcon[i/nk-1]
		case nk > 6 && i%nk == 4:
			temp = subWord(temp)
		}
		w[i] = w[i-nk] ^ temp
	}
}
