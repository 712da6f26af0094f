//go:build amd64 && !purego

package gcm

import (
	"crypto/subtle"
	"encoding/binary"

	"minitls/cipher/internal/aeskey"
)

// The wide path: GCM on VAES and VPCLMULQDQ with 512-bit ZMM registers
// (AVX-512). One instruction encrypts, or multiplies in GF(2^128), four
// 16-byte blocks at once, one per 128-bit lane; the main loops keep sixteen
// blocks (four registers, 256 bytes) in flight. gcm_vaes512_amd64.s has the
// instructions; this file lays out the key material and strings the steps of
// sp800-38d#7.1 and #7.2 together the way the portable Seal and Open do.

// vaes512Batch is the number of bytes the main loops take per iteration:
// sixteen blocks, four ZMM registers of four blocks each.
const vaes512Batch = 16 * BlockSize

// vaes512Powers is the number of powers of H kept per key: one for each
// block of a batch, so a batch is hashed with one reduction
// (sp800-38d#6.4 aggregated: Y_16 = (Y_0 xor X_1)*H^16 xor X_2*H^15 xor ...
// xor X_16*H).
const vaes512Powers = 16

// vaes512GCM is the wide path's key material for one AES key. The assembly
// reads its fields through go_asm.h (vaes512GCM_keys, _rounds, _powers).
type vaes512GCM struct {
	// keys is the cipher's round keys 0..Nr (fips197#5.2) as AESENC reads
	// them, copied from the aeskey.Schedule.
	keys [16 * (aeskey.MaxRounds + 1)]byte
	// rounds is Nr: 10, 12 or 14.
	rounds int
	// powers holds H^16, H^15, ..., H^1 (highest first, the order a batch
	// consumes them) in the form the multiplication in the assembly wants:
	// bytes reversed (so a block is a 128-bit little-endian integer whose
	// top bit is the coefficient of x^0) and multiplied by x once (which
	// absorbs the one-bit shift of a carry-less product of bit-reflected
	// operands). After them come 15 zero blocks: a message tail of n < 16
	// blocks is hashed with the n powers starting at H^n, reading up to
	// four registers (64 blocks' worth of bytes) from there, and the lanes
	// past its end multiply zero data by these zeros.
	powers [(2*vaes512Powers - 1) * BlockSize]byte
}

// newVAES512 returns GCM on VAES + VPCLMULQDQ (AVX-512) for the schedule:
// it copies the round keys and computes H = CIPH_K(0^128) and its powers
// once, here, so that Seal and Open do no per-key work.
//
// spec: sp800-38d#6.4 (H), sp800-38d#7.1 step 1
func newVAES512(ks *aeskey.Schedule) hwPath {
	g := &vaes512GCM{keys: ks.Enc, rounds: ks.Rounds}
	vaes512Init(g)
	return g
}

// Implemented in gcm_vaes512_amd64.s.

// vaes512Init computes H = CIPH_K(0^128) and writes H^16..H^1 into
// g.powers (sp800-38d#7.1 step 1).
//
//go:noescape
func vaes512Init(gcm *vaes512GCM)

// vaes512GHASH continues GHASH from the value *acc over data followed by
// zero bits up to a whole block (sp800-38d#6.4, the A || 0^v and
// C || 0^u of #7.1 step 5). *acc is a 16-byte block in the standard's byte
// order, before and after.
//
//go:noescape
func vaes512GHASH(gcm *vaes512GCM, acc *[BlockSize]byte, data []byte)

// vaes512CTR sets dst[:len(src)] = src XOR CIPH_K(cb) || CIPH_K(inc32(cb))
// || ... (GCTR, sp800-38d#6.5) and advances *cb by one inc32 per block,
// counting a partial last block. dst and src overlap exactly or not at all.
//
//go:noescape
func vaes512CTR(gcm *vaes512GCM, cb *[BlockSize]byte, dst, src []byte)

// vaes512Seal is vaes512CTR fused with vaes512GHASH of what it writes:
// dst[:len(src)] = GCTR_K(*cb, src), and *acc continues GHASH over that
// ciphertext padded to a whole block (sp800-38d#7.1 steps 3 and 5 in one
// pass over the data).
//
//go:noescape
func vaes512Seal(gcm *vaes512GCM, acc, cb *[BlockSize]byte, dst, src []byte)

// preCounter returns J0 = IV || 0^31 || 1 for a 96-bit IV.
//
// spec: sp800-38d#7.1 step 2
func preCounter(nonce *[NonceSize]byte) (j [BlockSize]byte) {
	copy(j[:], nonce[:])
	j[BlockSize-1] = 1
	return j
}

// lengthBlock returns [len(A)]_64 || [len(C)]_64, the last block GHASH
// takes (lengths in bits).
//
// spec: sp800-38d#7.1 step 5
func lengthBlock(aadLen, textLen int) (b [BlockSize]byte) {
	binary.BigEndian.PutUint64(b[0:8], uint64(aadLen)*8)
	binary.BigEndian.PutUint64(b[8:16], uint64(textLen)*8)
	return b
}

// seal is sp800-38d#7.1 (Algorithm 4) on the wide path.
func (g *vaes512GCM) seal(out []byte, nonce *[NonceSize]byte, plaintext, additionalData []byte) {
	j0 := preCounter(nonce) // step 2
	cb := j0
	cb[BlockSize-1] = 2 // inc32(J0): the first counter block of step 3

	// Steps 3 to 5: C = GCTR_K(inc32(J0), P) and
	// S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64).
	var s [BlockSize]byte
	vaes512GHASH(g, &s, additionalData)
	ct := out[:len(plaintext)]
	vaes512Seal(g, &s, &cb, ct, plaintext)
	lens := lengthBlock(len(additionalData), len(plaintext))
	vaes512GHASH(g, &s, lens[:])

	// Step 6: T = MSB_t(GCTR_K(J0, S)), t = 128.
	vaes512CTR(g, &j0, out[len(plaintext):], s[:])
}

// open is sp800-38d#7.2 (Algorithm 5) on the wide path: the tag is computed
// and compared (steps 5 to 8) before any plaintext is written (step 4).
func (g *vaes512GCM) open(out []byte, nonce *[NonceSize]byte, ciphertext, tag, additionalData []byte) bool {
	j0 := preCounter(nonce) // step 3

	// Step 6: S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64).
	var s [BlockSize]byte
	vaes512GHASH(g, &s, additionalData)
	vaes512GHASH(g, &s, ciphertext)
	lens := lengthBlock(len(additionalData), len(ciphertext))
	vaes512GHASH(g, &s, lens[:])

	// Step 7: T' = MSB_t(GCTR_K(J0, S)); step 8: compare in constant time.
	cb := j0
	var want [TagSize]byte
	vaes512CTR(g, &cb, want[:], s[:])
	if subtle.ConstantTimeCompare(want[:], tag) != 1 {
		return false
	}

	// Step 4: P = GCTR_K(inc32(J0), C); cb is inc32(J0) after step 7.
	vaes512CTR(g, &cb, out, ciphertext)
	return true
}
