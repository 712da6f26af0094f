// Package aes implements the AES block cipher (FIPS 197) for 128-, 192- and
// 256-bit keys, in constant time, by bitslicing.
//
// # Why not the textbook tables
//
// The usual fast software AES looks bytes of the state up in 256-entry tables
// (the S-box, or the combined "T-tables"). The state depends on the key, and
// which cache line a lookup touches leaks through timing: cache-timing
// attacks have recovered AES keys from exactly this. So this package never
// indexes memory with secret data and never branches on it; every operation
// it performs on key or data bits is a fixed sequence of AND, XOR, NOT,
// shift and rotate instructions whose timing does not depend on the values.
//
// # What bitslicing is
//
// FIPS 197 describes AES on a 4x4 matrix of bytes, the state (fips197#3.4).
// A bitsliced implementation stores the state "sideways": instead of keeping
// the 8 bits of a byte together, it keeps bit number j of many bytes together
// in one machine word. Here we use eight 64-bit words q[0..7]; word q[j]
// holds bit j of every byte of four AES states (4 blocks x 16 bytes = 64
// bytes = 64 bits per word). Bit position p of each word stands for
//
//	p = 16*row + 4*column + block      (row, column in 0..3; block in 0..3)
//
// so each 16-bit quarter of a word is one row of the state, each 4-bit
// nibble one state byte position, and the four bits of a nibble the same
// byte position in four different blocks.
//
// In that form every AES step becomes plain word arithmetic on all 64 bytes
// at once:
//
//   - SubBytes (fips197#5.1.1) is a Boolean circuit. The S-box is inversion in
//     GF(2^8) followed by an affine map; Boyar and Peralta found a circuit
//     of 115 gates (32 AND, 83 XOR/XNOR) that computes it. Running the
//     circuit on 64-bit words computes 64 S-boxes in parallel, with no table.
//   - ShiftRows (fips197#5.1.2) rotates each row; with rows as 16-bit quarters
//     that is a fixed rotation of nibbles inside each quarter (masks and shifts).
//   - MixColumns (fips197#5.1.3) multiplies columns by a fixed polynomial; the
//     neighbouring rows of a column are found by rotating the word by 16 bits,
//     and multiplication by x in GF(2^8) just renames the bit words.
//   - AddRoundKey (fips197#5.1.4) is XOR with a round key stored in the same
//     bitsliced form (one copy per block), prepared once by NewCipher.
//
// The cost of bitslicing is the conversion in and out (see bitslice.go) and
// that work is done for four blocks at a time even when fewer are wanted:
// Encrypt and Decrypt of a single block cost as much as four.
// Cipher.EncryptBlocks, the entry point for CTR mode (and so GCM), fills all
// four lanes. The layout and circuit follow the design Thomas Pornin
// describes as "ct64" in BearSSL (src/symcipher/aes_ct64*.c); this is an
// independent Go rendering of it.
//
// # Hardware paths
//
// On amd64 CPUs with AES instructions, NewCipher returns a Cipher that runs
// the rounds on them instead (aes_amd64.s): AESENC performs SubBytes,
// ShiftRows, MixColumns and AddRoundKey of one round on one block, and VAES
// does the same on four blocks in a 512-bit register. The key expansion
// stays the Go code below. Which path runs is chosen at start-up by
// minitls/internal/impl (the fastest the CPU has; Path and Implementation
// report it); the purego build tag keeps only the bitsliced code, which
// remains the reference every path is tested against. Hardware AES is
// constant-time by design: no tables, no data-dependent timing.
//
// # Reading guide
//
//   - aes.go: the API (NewCipher, Encrypt, Decrypt, EncryptBlocks).
//   - keyexpansion.go: KeyExpansion, RotWord, SubWord, Rcon (fips197#5.2).
//   - cipher.go: Cipher() and InvCipher() (fips197#5.1, #5.3), the round
//     loops, written like the pseudocode of Figures 5 and 12.
//   - round.go: one function per step: subBytes, shiftRows, mixColumns,
//     addRoundKey (fips197#5.1.1 to #5.1.4) and their inverses (#5.3).
//   - bitslice.go: the conversion between blocks and bitsliced words.
//   - schedule.go, aes_amd64.go, aes_amd64.s: the hardware paths, their
//     round-key layout and the same Cipher() loop in AESENC instructions.
//
// # What is public
//
// Public values (may influence timing): the key length and so the number of
// rounds, the number of blocks, buffer lengths and addresses. Secret values
// (only ever combined by AND, XOR, NOT, shifts and rotations by constant
// amounts): key bytes, round keys, plaintext and ciphertext. Nothing in this
// package is variable-time in secret data. Like any Go code it cannot
// promise that copies of secrets left on the stack are erased.
//
// spec: fips197
package aes

import (
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"unsafe"

	"minitls/cipher/internal/aeskey"
	"minitls/internal/impl"
)

// BlockSize is the AES block size in bytes: the state is 4x4 bytes.
//
// spec: fips197#3.4
const BlockSize = 16

// KeySizeError reports a key whose length is not one of the three AES key
// sizes: FIPS 197 defines AES only for Nk = 4, 6 or 8 32-bit words. Its value
// is the length, in bytes, that was given. Callers can detect it with
// errors.As.
//
// spec: fips197#5
type KeySizeError int

// Error names the wrong size and the sizes that are accepted, so the fix
// (pass a 16-, 24- or 32-byte key) is obvious from the message.
//
// spec: fips197#5
func (k KeySizeError) Error() string {
	return fmt.Sprintf("minitls/cipher/aes: invalid key size %d bytes (want 16, 24 or 32)", int(k))
}

// maxRounds is Nr for AES-256, the largest key size (fips197#5, Figure 4).
const maxRounds = 14

// Cipher is an AES key schedule, expanded into bitsliced form on the portable
// path or into the round keys AES instructions read on a hardware path
// (impl.AESNI, impl.VAES512; see Path). It implements
// crypto/cipher.Block, and adds EncryptBlocks for modes that encrypt many
// independent blocks (CTR, and so GCM). A Cipher is read-only after
// NewCipher and safe for concurrent use.
//
// spec: fips197#5
type Cipher struct {
	// rounds is Nr: 10, 12 or 14 for 128-, 192- and 256-bit keys.
	rounds int
	// roundKeys[r] is round key r (fips197#5.2) in bitsliced form, with the
	// same 16 bytes copied into all four block lanes, so AddRoundKey is
	// eight XORs. Only roundKeys[0..rounds] are used.
	roundKeys [maxRounds + 1][8]uint64
	// hw is the key schedule for the CPU's AES instructions when the cipher
	// was made for a hardware path (see schedule.go), else nil.
	hw *aeskey.Schedule
}

// NewCipher expands key (16, 24 or 32 bytes, selecting AES-128, -192 or
// -256) into a *Cipher. Any other length returns a KeySizeError.
//
// spec: fips197#5.2
func NewCipher(key []byte) (cipher.Block, error) {
	c := new(Cipher)
	if err := c.init(key); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cipher) init(key []byte) error {
	var rounds int
	switch len(key) {
	case 16:
		rounds = 10
	case 24:
		rounds = 12
	case 32:
		rounds = 14
	default:
		return KeySizeError(len(key))
	}
	c.rounds = rounds

	var w [4 * (maxRounds + 1)]uint32
	keyExpansion(key, rounds, &w)
	if p := impl.Current(); p != impl.Portable {
		// A hardware path reads its own schedule; the bitsliced round
		// keys would never be used.
		c.hw = newSchedule(&w, rounds, p)
		clear(w[:])
		return nil
	}

	// Store each round key bitsliced, once per block lane: a round key is
	// four words w[4r..4r+3], i.e. 16 bytes laid out like a state
	// (fips197#5.2: "the round key ... [w(4*round) ... w(4*round+3)]").
	var rk [4 * BlockSize]byte
	for r := 0; r <= rounds; r++ {
		for col := 0; col < 4; col++ {
			binary.BigEndian.PutUint32(rk[4*col:], w[4*r+col])
		}
		copy(rk[16:], rk[:16])
		copy(rk[32:], rk[:32])
		load4(&c.roundKeys[r], &rk)
	}
	clear(w[:])
	clear(rk[:])
	return nil
}

// BlockSize returns 16, the AES block size (crypto/cipher.Block).
//
// spec: fips197#3.4
func (c *Cipher) BlockSize() int { return BlockSize }

// Encrypt encrypts the first 16 bytes of src into dst. It panics, as
// crypto/aes does, if either is shorter than a block or if they overlap other
// than exactly. On the portable path a single block still costs one
// four-lane pass; use EncryptBlocks for many blocks.
//
// spec: fips197#5.1
func (c *Cipher) Encrypt(dst, src []byte) {
	checkBlock(dst, src)
	if c.hw != nil {
		c.encryptHW(dst, src)
		return
	}
	c.oneBlock(dst, src, false)
}

// Decrypt decrypts the first 16 bytes of src into dst with the inverse
// cipher. It panics like Encrypt.
//
// spec: fips197#5.3
func (c *Cipher) Decrypt(dst, src []byte) {
	checkBlock(dst, src)
	if c.hw != nil {
		c.decryptHW(dst, src)
		return
	}
	c.oneBlock(dst, src, true)
}

// oneBlock runs one block through a four-lane pass of the bitsliced cipher
// (decrypt selects InvCipher; the choice is the caller's, never
// data-dependent). The caller has checked the buffers.
func (c *Cipher) oneBlock(dst, src []byte, decrypt bool) {
	var buf [4 * BlockSize]byte
	copy(buf[:], src[:BlockSize])
	var q [8]uint64
	load4(&q, &buf)
	if decrypt {
		c.decrypt4(&q)
	} else {
		c.encrypt4(&q)
	}
	store4(&buf, &q)
	copy(dst[:BlockSize], buf[:BlockSize])
}

// EncryptBlocks encrypts each 16-byte block of src independently (as ECB
// would) into dst: four blocks per bitsliced pass on the portable path, 8
// (AES-NI) or 16 (VAES) blocks in flight on a hardware path. It is the multi-block
// entry point for CTR mode: the caller puts counter blocks in src and XORs
// dst into its data. len(src) must be a multiple of 16 and dst at least as
// long; dst and src may be the same buffer but must not otherwise overlap.
// It panics otherwise. It does not allocate.
//
// spec: fips197#5.1, sp800-38a#6.5
func (c *Cipher) EncryptBlocks(dst, src []byte) {
	if len(src)%BlockSize != 0 {
		panic("minitls/cipher/aes: EncryptBlocks input not a multiple of the block size")
	}
	if len(dst) < len(src) {
		panic("minitls/cipher/aes: EncryptBlocks output smaller than input")
	}
	dst = dst[:len(src)]
	if inexactOverlap(dst, src) {
		panic("minitls/cipher/aes: invalid buffer overlap")
	}
	if c.hw != nil {
		if len(src) > 0 {
			c.encryptBlocksHW(dst, src)
		}
		return
	}
	var q [8]uint64
	for len(src) >= 4*BlockSize {
		load4(&q, (*[4 * BlockSize]byte)(src))
		c.encrypt4(&q)
		store4((*[4 * BlockSize]byte)(dst), &q)
		src = src[4*BlockSize:]
		dst = dst[4*BlockSize:]
	}
	if len(src) > 0 {
		// One to three blocks left: fill the unused lanes with zeros.
		var buf [4 * BlockSize]byte
		copy(buf[:], src)
		load4(&q, &buf)
		c.encrypt4(&q)
		store4(&buf, &q)
		copy(dst, buf[:len(src)])
	}
}

// checkBlock applies crypto/aes's checks for single-block calls.
func checkBlock(dst, src []byte) {
	if len(src) < BlockSize {
		panic("minitls/cipher/aes: input not full block")
	}
	if len(dst) < BlockSize {
		panic("minitls/cipher/aes: output not full block")
	}
	if inexactOverlap(dst[:BlockSize], src[:BlockSize]) {
		panic("minitls/cipher/aes: invalid buffer overlap")
	}
}

// inexactOverlap reports whether x and y share memory at different offsets.
// Exact aliasing (in-place use) is allowed, as in crypto/cipher; partial
// overlap is a caller bug that crypto/aes rejects, so we reject it too.
// Buffer addresses are public, so comparing them is not a timing concern.
func inexactOverlap(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 || &x[0] == &y[0] {
		return false
	}
	xs := uintptr(unsafe.Pointer(&x[0]))
	ys := uintptr(unsafe.Pointer(&y[0]))
	return xs <= ys+uintptr(len(y)-1) && ys <= xs+uintptr(len(x)-1)
}
