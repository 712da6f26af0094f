package aes

import (
	"encoding/binary"

	"minitls/cipher/internal/aeskey"
	"minitls/internal/impl"
)

// Implementation returns the path NewCipher uses now: the fastest the CPU
// supports (impl.Portable, the bitsliced code, with the purego build tag or
// on a CPU without AES instructions).
func Implementation() impl.Path { return impl.Current() }

// Path returns the path this cipher runs on.
func (c *Cipher) Path() impl.Path {
	if c.hw == nil {
		return impl.Portable
	}
	return c.hw.Path
}

// KeySchedule returns the cipher's key schedule in the form the CPU's AES
// instructions read it, or nil on the portable path. It exists for
// minitls/cipher/gcm, whose fused assembly encrypts with the round keys; the
// schedule's type lives in an internal package.
func (c *Cipher) KeySchedule() *aeskey.Schedule { return c.hw }

// newSchedule lays out the words w of KeyExpansion (fips197#5.2) as the
// round keys AESENC reads, and derives the equivalent inverse cipher's round
// keys (fips197#5.3.5) that AESDEC reads: the encryption keys in reverse
// order, InvMixColumns applied to all but the first and the last. The
// expansion itself is the portable keyExpansion (it runs once per key); only
// the rounds run on the path's instructions.
//
// spec: fips197#5.3.5
func newSchedule(w *[4 * (maxRounds + 1)]uint32, rounds int, path impl.Path) *aeskey.Schedule {
	ks := &aeskey.Schedule{Rounds: rounds, Path: path}
	for i := 0; i < 4*(rounds+1); i++ {
		binary.BigEndian.PutUint32(ks.Enc[4*i:], w[i])
	}
	for r := 0; r <= rounds; r++ {
		rk := (*[BlockSize]byte)(ks.Enc[16*(rounds-r):])
		out := (*[BlockSize]byte)(ks.Dec[16*r:])
		if r == 0 || r == rounds {
			*out = *rk
			continue
		}
		invMixColumnsKey(out, rk)
	}
	return ks
}

// invMixColumnsKey applies InvMixColumns (fips197#5.3.3) to one round key,
// with the bitsliced invMixColumns (the key is secret: no tables).
//
// spec: fips197#5.3.5
func invMixColumnsKey(dst, rk *[BlockSize]byte) {
	var buf [4 * BlockSize]byte
	copy(buf[:], rk[:])
	var q [8]uint64
	load4(&q, &buf)
	q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = invMixColumns(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7])
	store4(&buf, &q)
	copy(dst[:], buf[:BlockSize])
	clear(buf[:])
}
