// Package gcm implements the Galois/Counter Mode of operation (GCM) of NIST
// SP 800-38D on top of any 128-bit block cipher, as the AEAD that TLS 1.2's
// AES-GCM cipher suites use (RFC 5288).
//
// The AEAD it returns behaves exactly like the one crypto/cipher.NewGCM
// returns: Seal and Open append to dst, dst[:0] may alias the input exactly
// (in-place use), and they panic in the same situations (wrong nonce length,
// inexactly overlapping buffers, a plaintext longer than GCM allows).
//
// Only what TLS needs is supported: 96-bit (12-byte) nonces and 128-bit
// (16-byte) tags. Other sizes are refused with a *SizeError rather than
// silently accepted.
//
// Constant time: GHASH multiplies with integer multiplications "with holes"
// (see ghash.go) and uses no table indexed by secret data; the tag is compared
// with crypto/subtle. Whether encryption itself is constant-time depends on the
// block cipher; minitls/cipher/aes is bitsliced. Lengths (of the plaintext,
// ciphertext and additional data) are public.
package gcm

import (
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"unsafe"
)

const (
	// BlockSize is the block size GCM requires of its cipher, in bytes.
	//
	// spec: sp800-38d#5.1
	BlockSize = 16
	// NonceSize is the only nonce (IV) length supported, in bytes: the 96-bit
	// IV that SP 800-38D recommends (sp800-38d#8.2) and TLS 1.2 uses (RFC 5288
	// §3: 4-byte salt plus 8-byte explicit nonce).
	//
	// spec: sp800-38d#8.2
	NonceSize = 12
	// TagSize is the only authentication tag length supported, in bytes: the
	// full 128-bit tag, as TLS 1.2 uses (RFC 5288 §3).
	//
	// spec: sp800-38d#5.2.1.2
	TagSize = 16

	// maxPlaintext is the longest plaintext GCM allows: 2^39 - 256 bits,
	// that is 2^32 - 2 blocks, so the 32-bit counter never wraps back to J0
	// (sp800-38d#5.2.1.1).
	maxPlaintext = (1<<32 - 2) * BlockSize
)

var (
	// ErrNonceSize is wrapped by a *SizeError when the nonce size is not 12.
	//
	// spec: sp800-38d#5.2.1.1
	ErrNonceSize = errors.New("minitls/cipher/gcm: unsupported nonce size")
	// ErrTagSize is wrapped by a *SizeError when the tag size is not 16.
	//
	// spec: sp800-38d#5.2.1.2
	ErrTagSize = errors.New("minitls/cipher/gcm: unsupported tag size")
	// ErrBlockSize is returned when the block cipher's block is not 16 bytes
	// (or the block is nil): GCM is defined only for 128-bit block ciphers
	// (sp800-38d#5.1).
	//
	// spec: sp800-38d#5.1
	ErrBlockSize = errors.New("minitls/cipher/gcm: GCM requires a block cipher with 16-byte blocks, such as AES")
	// ErrOpen is the one error Open returns for any inauthentic input: a wrong
	// tag, a modified ciphertext, nonce or additional data, or a ciphertext
	// shorter than a tag. It deliberately does not say which (sp800-38d#7.2
	// outputs only FAIL).
	//
	// spec: sp800-38d#7.2
	ErrOpen = errors.New("minitls/cipher/gcm: message authentication failed")
)

// SizeError reports nonce or tag sizes that NewWithSizes does not support.
// errors.Is(err, ErrNonceSize) and errors.Is(err, ErrTagSize) tell which of
// the two was wrong. SP 800-38D allows other IV lengths and shorter tags; we
// refuse them because TLS 1.2 uses neither, and short tags weaken
// authentication (sp800-38d Appendix C).
//
// spec: sp800-38d#5.2.1.1
type SizeError struct {
	NonceSize, TagSize int // the sizes that were asked for, in bytes
}

// Error names the unsupported size(s) and the sizes that are supported.
//
// spec: sp800-38d#5.2.1.1
func (e *SizeError) Error() string {
	var parts []string
	if e.NonceSize != NonceSize {
		parts = append(parts, fmt.Sprintf("nonce size %d bytes", e.NonceSize))
	}
	if e.TagSize != TagSize {
		parts = append(parts, fmt.Sprintf("tag size %d bytes", e.TagSize))
	}
	return fmt.Sprintf("minitls/cipher/gcm: unsupported %s (only %d-byte nonces and %d-byte tags are supported, as TLS 1.2 uses)",
		strings.Join(parts, " and "), NonceSize, TagSize)
}

// Unwrap returns ErrNonceSize and/or ErrTagSize, whichever apply.
//
// spec: sp800-38d#5.2.1.1
func (e *SizeError) Unwrap() []error {
	var errs []error
	if e.NonceSize != NonceSize {
		errs = append(errs, ErrNonceSize)
	}
	if e.TagSize != TagSize {
		errs = append(errs, ErrTagSize)
	}
	return errs
}

// New returns GCM with the given 128-bit block cipher, 12-byte nonces and
// 16-byte tags. When b has the multi-block method EncryptBlocks (as
// minitls/cipher/aes does), counter mode uses it to encrypt many blocks per
// call.
//
// spec: sp800-38d#7.1
//
// The hash subkey H = CIPH_K(0^128) (step 1 of the authenticated encryption
// function) is computed here once, together with H^2, H^3 and H^4 for
// aggregated GHASH.
func New(b cipher.Block) (cipher.AEAD, error) {
	return NewWithSizes(b, NonceSize, TagSize)
}

// NewWithSizes is New with explicit nonce and tag sizes in bytes. Only 12 and
// 16 are supported; anything else returns a *SizeError (wrapping ErrNonceSize
// and/or ErrTagSize). The function exists so callers that take sizes from
// elsewhere (test vectors, configuration) get a clear error instead of a panic
// later.
//
// spec: sp800-38d#5.2.1.1
func NewWithSizes(b cipher.Block, nonceSize, tagSize int) (cipher.AEAD, error) {
	if nonceSize != NonceSize || tagSize != TagSize {
		return nil, &SizeError{NonceSize: nonceSize, TagSize: tagSize}
	}
	if b == nil || b.BlockSize() != BlockSize {
		return nil, ErrBlockSize
	}
	if hw := newHardware(b); hw != nil {
		return hw, nil
	}
	g := &aead{block: b}
	if mb, ok := b.(multiBlock); ok {
		g.multi = mb
	}
	h := g.scratch[:BlockSize]
	clear(h)
	b.Encrypt(h, h) // H = CIPH_K(0^128)
	g.key = newGHASHKey(loadElement(h))
	clear(h)
	return g, nil
}

// aead is GCM with a fixed key. It is safe for concurrent use: the only
// mutable state is the scratch buffer, which one call at a time borrows (a
// concurrent call allocates its own).
type aead struct {
	block cipher.Block
	multi multiBlock // nil when block has no EncryptBlocks
	key   ghashKey

	// busy guards scratch. The key stream is built in scratch, which lives on
	// the heap with the AEAD: a buffer on the stack would escape (and be
	// allocated on every call) because it is passed to the block cipher
	// through an interface.
	busy    atomic.Bool
	scratch [batchSize]byte
}

// NonceSize returns 12.
//
// spec: sp800-38d#8.2
func (g *aead) NonceSize() int { return NonceSize }

// Overhead returns 16, the tag length.
//
// spec: sp800-38d#5.2.1.2
func (g *aead) Overhead() int { return TagSize }

func (g *aead) acquire() []byte {
	if g.busy.CompareAndSwap(false, true) {
		return g.scratch[:]
	}
	return make([]byte, batchSize)
}

// release wipes the key stream and returns the scratch buffer.
func (g *aead) release(buf []byte) {
	clear(buf)
	if &buf[0] == &g.scratch[0] {
		g.busy.Store(false)
	}
}

// firstBatch encrypts J0 together with the counter blocks for the first n
// bytes of data (n <= firstChunk) in a single call to the block cipher: a
// short record then costs one bitsliced pass instead of two. It sets mask to
// CIPH_K(J0) (for the tag, sp800-38d#7.1 step 6), leaves cb at the next unused
// counter block, and returns the key stream for those n bytes (in scratch).
func (g *aead) firstBatch(mask *[TagSize]byte, cb *counter, scratch []byte, n int) []byte {
	nb := 1 + (n+BlockSize-1)/BlockSize
	blocks := scratch[:nb*BlockSize]
	for i := 0; i < len(blocks); i += BlockSize {
		cb.put(blocks[i : i+BlockSize])
		cb.inc32()
	}
	encryptBlocks(g.block, g.multi, blocks)
	copy(mask[:], blocks[:BlockSize])
	return blocks[BlockSize : BlockSize+n]
}

// firstChunk is how many bytes of data share the first batch with J0.
const firstChunk = batchSize - BlockSize

// Seal encrypts and authenticates plaintext, authenticates additionalData,
// and appends ciphertext || tag to dst. To reuse plaintext's storage for the
// output, use plaintext[:0] as dst; any other overlap of the output with
// plaintext or additionalData panics, as with crypto/cipher. The nonce must
// be 12 bytes and must never repeat for one key.
//
// spec: sp800-38d#7.1
//
// Algorithm 4 (GCM-AE_K(IV, P, A)):
//  1. H = CIPH_K(0^128) — precomputed in New.
//  2. J0 = IV || 0^31 || 1.
//  3. C = GCTR_K(inc32(J0), P).
//  4. u, v: the zero padding that brings C and A to whole blocks.
//  5. S = GHASH_H(A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64).
//  6. T = MSB_t(GCTR_K(J0, S)) = S xor CIPH_K(J0).
//
// We run steps 3 and 5 together, batch by batch, so each piece of ciphertext
// is hashed while it is still in cache.
func (g *aead) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	ret, out := sealBuffers(dst, nonce, plaintext, additionalData)
	scratch := g.acquire()
	cb := j0(nonce) // step 2
	var mask [TagSize]byte
	var s fieldElement
	g.key.update(&s, additionalData) // step 5: A || 0^v

	// Step 3, C = GCTR_K(inc32(J0), P), interleaved with step 5's hashing of
	// C || 0^u; the first batch also yields CIPH_K(J0) for step 6.
	ct := out[:len(plaintext)]
	n := min(len(plaintext), firstChunk)
	subtle.XORBytes(ct[:n], plaintext[:n], g.firstBatch(&mask, &cb, scratch, n))
	g.key.update(&s, ct[:n])
	for off := n; off < len(plaintext); off += batchSize {
		end := min(off+batchSize, len(plaintext))
		gctr(g.block, g.multi, scratch, &cb, ct[off:end], plaintext[off:end])
		g.key.update(&s, ct[off:end])
	}
	g.release(scratch)
	g.key.updateLengths(&s, len(additionalData), len(plaintext)) // step 5: lengths

	tag := out[len(plaintext):]
	s.store(tag)
	subtle.XORBytes(tag, tag, mask[:]) // step 6
	return ret
}

// Open authenticates ciphertext (which ends with the 16-byte tag) and
// additionalData and, if they are authentic, decrypts the ciphertext and
// appends the plaintext to dst. To decrypt in place use ciphertext[:0] as dst.
// Any failure returns ErrOpen and nothing else: the tag is compared in
// constant time, and the plaintext is computed only after the tag has
// verified, so none is ever released. Like crypto/cipher, the output region of
// dst is zeroed on failure.
//
// spec: sp800-38d#7.2
//
// Algorithm 5 (GCM-AD_K(IV, C, A, T)):
//  1. Reject if the lengths are not supported (here: ciphertext shorter than
//     the tag, or longer than GCM allows).
//  2. H = CIPH_K(0^128) — precomputed in New.
//  3. J0 = IV || 0^31 || 1.
//  4. P = GCTR_K(inc32(J0), C).
//  5. u, v as in Seal.
//  6. S = GHASH_H(A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64).
//  7. T' = MSB_t(GCTR_K(J0, S)).
//  8. If T = T' return P, else FAIL.
//
// We do step 4 after step 8, which the specification allows (the output is
// the same) and which means unauthenticated plaintext is never written.
func (g *aead) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	ret, out, ok := openBuffers(dst, nonce, ciphertext, additionalData) // step 1
	if !ok {
		return nil, ErrOpen
	}
	tag := ciphertext[len(ciphertext)-TagSize:]
	ct := ciphertext[:len(ciphertext)-TagSize]

	var s fieldElement // step 6
	g.key.update(&s, additionalData)
	g.key.update(&s, ct)
	g.key.updateLengths(&s, len(additionalData), len(ct))

	scratch := g.acquire()
	cb := j0(nonce) // step 3
	var want [TagSize]byte
	n := min(len(ct), firstChunk)
	ks := g.firstBatch(&want, &cb, scratch, n) // CIPH_K(J0), and key stream kept back for now
	var sb [TagSize]byte
	s.store(sb[:])
	subtle.XORBytes(want[:], want[:], sb[:]) // step 7

	if subtle.ConstantTimeCompare(want[:], tag) != 1 { // step 8
		g.release(scratch)
		clear(out)
		return nil, ErrOpen
	}
	subtle.XORBytes(out[:n], ct[:n], ks)                  // step 4, first batch
	gctr(g.block, g.multi, scratch, &cb, out[n:], ct[n:]) // step 4, the rest
	g.release(scratch)
	return ret, nil
}

// sealBuffers applies Seal's checks, which are crypto/cipher's: the nonce
// length, the longest plaintext GCM allows (sp800-38d#5.2.1.1), and the
// buffer rules (the output may alias the plaintext exactly, and nothing
// else). It panics as crypto/cipher does and returns dst extended by
// len(plaintext)+TagSize bytes and those new bytes.
func sealBuffers(dst, nonce, plaintext, additionalData []byte) (ret, out []byte) {
	if len(nonce) != NonceSize {
		panic("minitls/cipher/gcm: incorrect nonce length given to GCM")
	}
	if uint64(len(plaintext)) > maxPlaintext {
		panic("minitls/cipher/gcm: message too large for GCM")
	}
	ret, out = sliceForAppend(dst, len(plaintext)+TagSize)
	checkOverlaps(out, plaintext, additionalData)
	return ret, out
}

// openBuffers applies Open's checks: it panics on a wrong nonce length or a
// forbidden overlap, as crypto/cipher does, and reports !ok for a ciphertext
// shorter than a tag or longer than GCM allows (sp800-38d#7.2 step 1). It
// returns dst extended by the plaintext's length and those new bytes.
func openBuffers(dst, nonce, ciphertext, additionalData []byte) (ret, out []byte, ok bool) {
	if len(nonce) != NonceSize {
		panic("minitls/cipher/gcm: incorrect nonce length given to GCM")
	}
	if len(ciphertext) < TagSize || uint64(len(ciphertext)) > maxPlaintext+TagSize {
		return nil, nil, false
	}
	ret, out = sliceForAppend(dst, len(ciphertext)-TagSize)
	checkOverlaps(out, ciphertext, additionalData)
	return ret, out, true
}

// checkOverlaps panics if the output overlaps the input other than exactly,
// or overlaps the additional data at all.
func checkOverlaps(out, in, additionalData []byte) {
	if inexactOverlap(out, in) {
		panic("minitls/cipher/gcm: invalid buffer overlap of output and input")
	}
	if anyOverlap(out, additionalData) {
		panic("minitls/cipher/gcm: invalid buffer overlap of output and additional data")
	}
}

// sliceForAppend extends in by n bytes, reusing its capacity when it can, and
// returns the whole slice and the n new bytes.
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	tail = head[len(in):]
	return head, tail
}

// anyOverlap reports whether x and y share memory at any index (looking only
// at their lengths, not capacities).
func anyOverlap(x, y []byte) bool {
	return len(x) > 0 && len(y) > 0 &&
		uintptr(unsafe.Pointer(&x[0])) <= uintptr(unsafe.Pointer(&y[len(y)-1])) &&
		uintptr(unsafe.Pointer(&y[0])) <= uintptr(unsafe.Pointer(&x[len(x)-1]))
}

// inexactOverlap reports whether x and y share memory at any
// non-corresponding index: exact aliasing (same start) is allowed.
func inexactOverlap(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 || &x[0] == &y[0] {
		return false
	}
	return anyOverlap(x, y)
}
