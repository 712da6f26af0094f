//go:build amd64 && !purego

package gcm

import "minitls/cipher/internal/aeskey"

// The wide path: GCM on VAES and VPCLMULQDQ with 512-bit ZMM registers
// (AVX-512). One instruction encrypts, or multiplies in GF(2^128), four
// 16-byte blocks at once, one per 128-bit lane; the main loops keep sixteen
// blocks (four registers, 256 bytes) in flight. gcm_vaes512_amd64.s has the
// instructions; this file lays out the key material and strings the steps of
// sp800-38d#7.1 and #7.2 together the way the portable Seal and Open do.

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
	// top bit is the coefficient of x^0) and multiplied by x^-1 (which
	// cancels the factor x that a carry-less product of bit-reflected
	// operands picks up, see the assembly's header). After them come 3 zero blocks: a message tail of n < 16
	// blocks is hashed with the n powers starting at H^n, reading whole
	// registers (four blocks) from there, so the last register's lanes past
	// H^1 (which multiply zero data) read these.
	powers [(vaes512Powers + 3) * BlockSize]byte
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
// gcm.powers (sp800-38d#7.1 step 1).
//
//go:noescape
func vaes512Init(gcm *vaes512GCM)

// vaes512Seal is sp800-38d#7.1 steps 3 to 7 for the pre-counter block
// *j0: dst[:len(plaintext)] = GCTR_K(inc32(J0), plaintext) and
// dst[len(plaintext):][:16] = the tag. One call does all of it, so a short
// record pays for one entry, one key load and one VZEROUPPER.
//
//go:noescape
func vaes512Seal(gcm *vaes512GCM, j0 *[BlockSize]byte, dst, plaintext, additionalData []byte)

// vaes512Open is sp800-38d#7.2 steps 4 to 8 for *j0: it computes the tag
// over additionalData and ciphertext, compares it with *tag in constant
// time and, only if they are equal, writes GCTR_K(inc32(J0), ciphertext)
// into dst[:len(ciphertext)]. It reports whether they were equal.
//
//go:noescape
func vaes512Open(gcm *vaes512GCM, j0 *[BlockSize]byte, dst, ciphertext []byte, tag *[TagSize]byte, additionalData []byte) bool

// preCounter returns J0 = IV || 0^31 || 1 for a 96-bit IV.
//
// spec: sp800-38d#7.1 step 2
func preCounter(nonce *[NonceSize]byte) (j [BlockSize]byte) {
	copy(j[:], nonce[:])
	j[BlockSize-1] = 1
	return j
}

// seal is sp800-38d#7.1 (Algorithm 4) on the wide path; out holds
// len(plaintext)+16 bytes.
func (g *vaes512GCM) seal(out []byte, nonce *[NonceSize]byte, plaintext, additionalData []byte) {
	// The assembly writes len(plaintext)+16 bytes from &out[0]: make sure
	// they are there, so that no caller's mistake becomes a stray write.
	if len(out) != len(plaintext)+TagSize {
		panic("minitls/cipher/gcm: internal error: seal output is not len(plaintext)+16 bytes")
	}
	j0 := preCounter(nonce) // step 2
	vaes512Seal(g, &j0, out, plaintext, additionalData)
}

// open is sp800-38d#7.2 (Algorithm 5) on the wide path: the tag is computed
// and compared (steps 5 to 8) before any plaintext is written (step 4).
func (g *vaes512GCM) open(out []byte, nonce *[NonceSize]byte, ciphertext, tag, additionalData []byte) bool {
	if len(out) != len(ciphertext) || len(tag) != TagSize {
		panic("minitls/cipher/gcm: internal error: open output is not len(ciphertext) bytes or the tag not 16")
	}
	j0 := preCounter(nonce) // step 3
	return vaes512Open(g, &j0, out, ciphertext, (*[TagSize]byte)(tag), additionalData)
}
