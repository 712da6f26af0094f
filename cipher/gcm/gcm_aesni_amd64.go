//go:build amd64 && !purego

package gcm

import (
	"crypto/subtle"
	"encoding/binary"

	"minitls/cipher/internal/aeskey"
)

// The assembly in gcm_aesni_amd64.s. Pointers are to the first byte of a
// buffer; block counts and lengths are public.

// aesniEncryptBlock writes CIPH_K(src) to dst, one block (fips197#5.1).
//
//go:noescape
func aesniEncryptBlock(rk *byte, rounds int, dst, src *byte)

// aesniGHASH absorbs blocks 16-byte blocks of data into *y
// (sp800-38d#6.4), y byte-reversed as the assembly keeps it.
//
//go:noescape
func aesniGHASH(tbl *[16][16]byte, y *[16]byte, data *byte, blocks int)

// aesniCTR is GCTR over whole blocks from counter block *ctr, which it
// advances (sp800-38d#6.5).
//
//go:noescape
func aesniCTR(rk *byte, rounds int, ctr *[16]byte, dst, src *byte, blocks int)

// aesniSeal is GCTR and GHASH fused over batches*128 bytes; the last 128
// bytes of ciphertext it writes are not hashed yet.
//
//go:noescape
func aesniSeal(rk *byte, rounds int, tbl *[16][16]byte, y *[16]byte, ctr *[16]byte, dst, src *byte, batches int)

// aesniBatch is the fused assembly's unit: eight blocks in flight.
const aesniBatch = 8 * BlockSize

// aesniGCM is GCM (sp800-38d#7) on AES-NI + PCLMULQDQ with one key.
type aesniGCM struct {
	ks *aeskey.Schedule
	// tbl holds H^8 .. H^1, each premultiplied by x^-1 for the assembly's
	// bit order, with its Karatsuba helper (see gcm_aesni_amd64.s). It is
	// computed once, in newAESNI, and lives here, in the AEAD's memory.
	tbl [16][16]byte
}

// newAESNI returns GCM on AES-NI + PCLMULQDQ for the schedule: it computes
// the hash subkey H = CIPH_K(0^128) (sp800-38d#7.1 step 1) on AES-NI and its
// powers H^2..H^8 with the portable constant-time field multiplication.
func newAESNI(ks *aeskey.Schedule) hwPath {
	g := &aesniGCM{ks: ks}
	var h [BlockSize]byte
	aesniEncryptBlock(&ks.Enc[0], ks.Rounds, &h[0], &h[0])
	hk := loadElement(h[:])
	clear(h[:])
	p := hk
	for i := 1; i <= 8; i++ {
		g.setPower(i, p)
		p = mul(p, hk)
	}
	return g
}

// setPower stores H^i in the table: as the assembly's 128-bit integer
// (low quadword e.lo, high quadword e.hi) times x^-1, which in that
// reflected order is a left shift by one with the bit shifted out folded
// back as x^-1 = x^127 + x^6 + x + 1 (low quadword 1, high 0xc2<<56) — without
// a branch; and beside it lo^hi for Karatsuba's middle product.
func (g *aesniGCM) setPower(i int, e fieldElement) {
	carry := -(e.hi >> 63)
	hi := e.hi<<1 | e.lo>>63
	lo := e.lo << 1
	hi ^= 0xc200000000000000 & carry
	lo ^= 1 & carry
	h, k := &g.tbl[2*(8-i)], &g.tbl[2*(8-i)+1]
	binary.LittleEndian.PutUint64(h[0:], lo)
	binary.LittleEndian.PutUint64(h[8:], hi)
	binary.LittleEndian.PutUint64(k[0:], lo^hi)
	binary.LittleEndian.PutUint64(k[8:], lo^hi)
}

// start returns the counter block inc32(J0) and CIPH_K(J0), the tag mask
// (sp800-38d#7.1 steps 2 and 6), J0 = IV || 0^31 || 1.
func (g *aesniGCM) start(nonce *[NonceSize]byte, cb, mask *[BlockSize]byte) {
	copy(cb[:NonceSize], nonce[:])
	binary.BigEndian.PutUint32(cb[NonceSize:], 1)
	aesniEncryptBlock(&g.ks.Enc[0], g.ks.Rounds, &mask[0], &cb[0])
	binary.BigEndian.PutUint32(cb[NonceSize:], 2)
}

// ghash absorbs data into y, the last partial block zero-padded
// (sp800-38d#7.1 step 5: A || 0^v). Whole 128-byte batches are hashed
// where they are; what is left (under 128 bytes) is copied into a buffer
// with the padding, so that the assembly never reads past the slice and
// the rest costs one call.
func (g *aesniGCM) ghash(y *[BlockSize]byte, data []byte) {
	g.ghashWithLengths(y, data, false, 0, 0)
}

// ghashWithLengths is ghash, and when lengths is set it also absorbs the
// final block [len(A)]64 || [len(C)]64 (sp800-38d#7.1 step 5) in the same
// call as the data's last blocks.
func (g *aesniGCM) ghashWithLengths(y *[BlockSize]byte, data []byte, lengths bool, aadLen, ctLen int) {
	head := len(data) &^ (aesniBatch - 1)
	if head > 0 {
		aesniGHASH(&g.tbl, y, &data[0], head/BlockSize)
	}
	var buf [aesniBatch + BlockSize]byte
	rest := copy(buf[:], data[head:])
	blocks := (rest + BlockSize - 1) / BlockSize
	if lengths {
		binary.BigEndian.PutUint64(buf[16*blocks:], uint64(aadLen)*8)
		binary.BigEndian.PutUint64(buf[16*blocks+8:], uint64(ctLen)*8)
		blocks++
	}
	if blocks > 0 {
		aesniGHASH(&g.tbl, y, &buf[0], blocks)
	}
}

// ctr is GCTR from *cb over src into dst (same length): whole 128-byte
// batches where they are, the rest (under 128 bytes) through a buffer so
// the assembly never reads or writes past the slices.
func (g *aesniGCM) ctr(cb *[BlockSize]byte, dst, src []byte) {
	head := len(src) &^ (aesniBatch - 1)
	if head > 0 {
		aesniCTR(&g.ks.Enc[0], g.ks.Rounds, cb, &dst[0], &src[0], head/BlockSize)
	}
	if head < len(src) {
		var buf [aesniBatch]byte
		rest := copy(buf[:], src[head:])
		aesniCTR(&g.ks.Enc[0], g.ks.Rounds, cb, &buf[0], &buf[0], (rest+BlockSize-1)/BlockSize)
		copy(dst[head:], buf[:rest])
		clear(buf[:])
	}
}

// finalTag writes T = GHASH xor CIPH_K(J0) (sp800-38d#7.1 step 6). y is
// byte-reversed: its low quadword, read little-endian, is the tag's bytes
// 8..15 read big-endian.
func finalTag(t []byte, y, mask *[BlockSize]byte) {
	_ = t[15]
	binary.BigEndian.PutUint64(t[0:], binary.LittleEndian.Uint64(y[8:])^binary.BigEndian.Uint64(mask[0:]))
	binary.BigEndian.PutUint64(t[8:], binary.LittleEndian.Uint64(y[0:])^binary.BigEndian.Uint64(mask[8:]))
}

// seal is Algorithm 4 of sp800-38d#7.1 (see aead.Seal): counter mode and
// GHASH fused in the assembly for whole 128-byte batches, the rest (at
// most 127 bytes) by the separate counter-mode and GHASH routines.
func (g *aesniGCM) seal(out []byte, nonce *[NonceSize]byte, plaintext, additionalData []byte) {
	var cb, mask, y [BlockSize]byte
	g.start(nonce, &cb, &mask)
	g.ghash(&y, additionalData)

	n := len(plaintext)
	ct := out[:n]
	batches := n / aesniBatch
	unhashed := 0
	if batches > 0 {
		aesniSeal(&g.ks.Enc[0], g.ks.Rounds, &g.tbl, &y, &cb, &ct[0], &plaintext[0], batches)
		unhashed = (batches - 1) * aesniBatch
	}
	done := batches * aesniBatch
	g.ctr(&cb, ct[done:], plaintext[done:])
	g.ghashWithLengths(&y, ct[unhashed:], true, len(additionalData), n)
	finalTag(out[n:], &y, &mask)
	clear(mask[:])
}

// open is Algorithm 5 of sp800-38d#7.2 (see aead.Open): GHASH over the
// additional data and the ciphertext first, the tag compared in constant
// time, and only then counter mode into out.
func (g *aesniGCM) open(out []byte, nonce *[NonceSize]byte, ciphertext, tag, additionalData []byte) bool {
	var cb, mask, y [BlockSize]byte
	g.start(nonce, &cb, &mask)
	g.ghash(&y, additionalData)
	g.ghashWithLengths(&y, ciphertext, true, len(additionalData), len(ciphertext))
	var want [TagSize]byte
	finalTag(want[:], &y, &mask)
	clear(mask[:])
	if subtle.ConstantTimeCompare(want[:], tag) != 1 {
		return false
	}
	g.ctr(&cb, out, ciphertext)
	return true
}
