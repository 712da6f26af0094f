package gcm

import (
	"crypto/cipher"

	"minitls/cipher/internal/aeskey"
	"minitls/internal/impl"
)

// Implementation returns the path gcm.New uses now for an AES cipher from
// minitls/cipher/aes made at the same time: the fastest the CPU supports,
// unless the build has the purego tag (then always impl.Portable). A block
// cipher from elsewhere always gets the portable GHASH.
func Implementation() impl.Path { return impl.Current() }

// PathOf returns the path an AEAD from New runs on: impl.Portable for the
// portable code, else the hardware path of its fused assembly.
func PathOf(a cipher.AEAD) impl.Path {
	if h, ok := a.(*hwAEAD); ok {
		return h.path
	}
	return impl.Portable
}

// scheduled is what minitls/cipher/aes's Cipher offers when it was made for
// a hardware path: its key schedule in the form AES instructions read.
type scheduled interface {
	KeySchedule() *aeskey.Schedule
}

// hwPath is one path's assembly for GCM (sp800-38d#7.1, #7.2) with a fixed
// key. The callers (hwAEAD.Seal and Open) have already checked the nonce
// length, the buffer sizes and the overlap rules.
type hwPath interface {
	// seal writes C = GCTR_K(inc32(J0), P) into out[:len(plaintext)] and the
	// tag T into out[len(plaintext):] (sp800-38d#7.1, Algorithm 4).
	seal(out []byte, nonce *[NonceSize]byte, plaintext, additionalData []byte)
	// open computes the tag T' over additionalData and ciphertext (without
	// its tag), compares it with tag in constant time and, only when they
	// are equal, writes P = GCTR_K(inc32(J0), C) into out. It reports
	// whether they were equal (sp800-38d#7.2, Algorithm 5, with step 4
	// after step 8, as the portable Open does).
	open(out []byte, nonce *[NonceSize]byte, ciphertext, tag, additionalData []byte) bool
}

// hwAEAD is GCM on one of the CPU's instruction paths: Seal and Open keep
// the portable aead's checks and buffer rules; the arithmetic is the path's.
type hwAEAD struct {
	path impl.Path
	p    hwPath
}

// newHardware returns GCM on b's hardware path when b is a minitls AES
// cipher made for one and this build has that path's assembly, else nil.
func newHardware(b cipher.Block) cipher.AEAD {
	s, ok := b.(scheduled)
	if !ok {
		return nil
	}
	ks := s.KeySchedule()
	if ks == nil {
		return nil
	}
	p := newPath(ks)
	if p == nil {
		return nil
	}
	return &hwAEAD{path: ks.Path, p: p}
}

// NonceSize returns 12.
//
// spec: sp800-38d#8.2
func (g *hwAEAD) NonceSize() int { return NonceSize }

// Overhead returns 16, the tag length.
//
// spec: sp800-38d#5.2.1.2
func (g *hwAEAD) Overhead() int { return TagSize }

// Seal is the portable aead's Seal on the CPU's instructions: it appends
// ciphertext || tag to dst, with the same panics.
//
// spec: sp800-38d#7.1
func (g *hwAEAD) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	ret, out := sealBuffers(dst, nonce, plaintext, additionalData)
	g.p.seal(out, (*[NonceSize]byte)(nonce), plaintext, additionalData)
	return ret
}

// Open is the portable aead's Open on the CPU's instructions: it returns
// ErrOpen, and writes no plaintext, unless the tag verifies; the output
// region of dst is zeroed on failure.
//
// spec: sp800-38d#7.2
func (g *hwAEAD) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	ret, out, ok := openBuffers(dst, nonce, ciphertext, additionalData)
	if !ok {
		return nil, ErrOpen
	}
	ct, tag := ciphertext[:len(out)], ciphertext[len(out):]
	if !g.p.open(out, (*[NonceSize]byte)(nonce), ct, tag, additionalData) {
		clear(out)
		return nil, ErrOpen
	}
	return ret, nil
}
