//go:build amd64 && !purego

package aes

import "minitls/internal/impl"

// The AES-NI and VAES rounds live in aes_amd64.s. Each takes Nr (10, 12 or
// 14), the round keys of an aeskey.Schedule (Enc, or Dec for decryption) and
// pointers into the caller's checked slices; n is a number of whole blocks,
// at least 1.

//go:noescape
func encryptBlockAESNI(nr int, xk *byte, dst, src *byte)

//go:noescape
func decryptBlockAESNI(nr int, xk *byte, dst, src *byte)

//go:noescape
func encryptBlocksAESNI(nr int, xk *byte, dst, src *byte, n int)

//go:noescape
func encryptBlocksVAES512(nr int, xk *byte, dst, src *byte, n int)

// encryptHW encrypts one block with AESENC (fips197#5.1). A single block
// gains nothing from wide registers, so both hardware paths use the AES-NI
// code. The caller has checked the buffers and that c.hw is set.
//
// spec: fips197#5.1
func (c *Cipher) encryptHW(dst, src []byte) {
	encryptBlockAESNI(c.hw.Rounds, &c.hw.Enc[0], &dst[0], &src[0])
}

// decryptHW decrypts one block with AESDEC, the equivalent inverse cipher
// (fips197#5.3.5) over the schedule's Dec keys.
//
// spec: fips197#5.3.5
func (c *Cipher) decryptHW(dst, src []byte) {
	decryptBlockAESNI(c.hw.Rounds, &c.hw.Dec[0], &dst[0], &src[0])
}

// encryptBlocksHW encrypts the whole blocks of src into dst on the cipher's
// path: 16 blocks per iteration in ZMM registers on VAES512, 8 in XMM
// registers on AESNI. len(src) is a non-zero multiple of 16 and dst is as
// long (checked by EncryptBlocks).
//
// spec: fips197#5.1
func (c *Cipher) encryptBlocksHW(dst, src []byte) {
	n := len(src) / BlockSize
	if c.hw.Path == impl.VAES512 {
		encryptBlocksVAES512(c.hw.Rounds, &c.hw.Enc[0], &dst[0], &src[0], n)
		return
	}
	encryptBlocksAESNI(c.hw.Rounds, &c.hw.Enc[0], &dst[0], &src[0], n)
}
