// Package chacha20poly1305 implements the ChaCha20-Poly1305 AEAD of RFC 8439:
// the ChaCha20 stream cipher (rfc8439#2.4) encrypts, and the Poly1305
// one-time authenticator (rfc8439#2.5), keyed from ChaCha20's block 0,
// authenticates the additional data and the ciphertext (rfc8439#2.8).
//
// It is the AEAD of the TLS 1.2 suites of RFC 7905 and of TLS 1.3's
// TLS_CHACHA20_POLY1305_SHA256. It exists because it is fast without special
// instructions: ChaCha20 is only 32-bit additions, rotations and XORs, and
// Poly1305 only 64-bit multiplications, so portable code runs it in constant
// time at a speed that constant-time software AES (minitls/cipher/aes's
// bitsliced code) cannot reach.
//
// The AEAD behaves like golang.org/x/crypto/chacha20poly1305's: 32-byte keys,
// 12-byte nonces, 16-byte tags; Seal and Open append to dst, dst[:0] may
// alias the input exactly, and they panic in the same situations (wrong nonce
// length, inexactly overlapping buffers, a plaintext longer than 256 GiB).
//
// Constant time: no branch or memory address depends on the key, the nonce,
// the plaintext or the tag. Lengths are public. Open compares the tag with
// crypto/subtle; it decrypts only after the tag has matched, except on the
// avx512 path for records of 1984 bytes or more, where the assembly
// decrypts while it authenticates and Open wipes the plaintext when the tag
// does not match (as x/crypto's amd64 code does): either way a failed Open
// returns nothing and leaves zeros in dst.
//
// Implementations: see Implementation. The portable Go code runs everywhere;
// on amd64 assembly runs 8 (AVX2) or 16 (AVX-512) ChaCha20 blocks at once in
// vector registers and Poly1305 with MULX, on AVX-512 interleaved with the
// ChaCha20 rounds (Open from 1024 bytes, Seal from 1984). Records of up to
// 64 bytes, and tails, take a two-block kernel (with AVX-512VL's rotations
// on the avx512 path). The purego build tag leaves only the portable code.
package chacha20poly1305

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"
)

const (
	// KeySize is the size of the key, in bytes.
	//
	// spec: rfc8439#2.8
	KeySize = 32
	// NonceSize is the size of the nonce, in bytes.
	//
	// spec: rfc8439#2.8
	NonceSize = 12
	// TagSize is the size of the Poly1305 tag, in bytes.
	//
	// spec: rfc8439#2.8
	TagSize = 16

	// maxPlaintext is the longest plaintext for one nonce: the 32-bit block
	// counter starts at 1 (block 0 keys Poly1305), leaving 2^32 - 1 blocks
	// of 64 bytes.
	//
	// spec: rfc8439#2.8 (and #4: "the ... counter ... 32 bits ... 256 GB")
	maxPlaintext = (1<<32 - 1) * blockSize
)

var (
	// ErrKeySize is returned by New for a key that is not 32 bytes long.
	//
	// spec: rfc8439#2.8
	ErrKeySize = errors.New("minitls/cipher/chacha20poly1305: key must be 32 bytes")
	// ErrOpen is the one error Open returns for any inauthentic input: a wrong
	// tag, a modified ciphertext, nonce or additional data, or a ciphertext
	// shorter than a tag. It deliberately does not say which.
	//
	// spec: rfc8439#2.8
	ErrOpen = errors.New("minitls/cipher/chacha20poly1305: message authentication failed")
)

// aead is ChaCha20-Poly1305 with a fixed key. It holds no mutable state, so
// it is safe for concurrent use.
type aead struct {
	key   [KeySize]byte
	words chachaState // key as rfc8439#2.3's words, loaded once by New; nonce zero
	path  path        // the implementation chosen when the AEAD was made
}

// New returns ChaCha20-Poly1305 with the given 32-byte key, running on the
// implementation that Implementation names at the time of the call.
//
// spec: rfc8439#2.8
func New(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w (got %d bytes)", ErrKeySize, len(key))
	}
	a := &aead{path: activePath()}
	copy(a.key[:], key)
	a.words = newChaChaState(&a.key, make([]byte, NonceSize))
	return a, nil
}

// withNonce returns the ChaCha20 state of a's key with nonce: only the
// nonce is loaded per record, the key words were loaded by New.
//
// spec: rfc8439#2.3
func (a *aead) withNonce(nonce []byte) chachaState {
	s := a.words
	s.nonce[0] = binary.LittleEndian.Uint32(nonce[0:])
	s.nonce[1] = binary.LittleEndian.Uint32(nonce[4:])
	s.nonce[2] = binary.LittleEndian.Uint32(nonce[8:])
	return s
}

// NonceSize returns 12.
//
// spec: rfc8439#2.8
func (a *aead) NonceSize() int { return NonceSize }

// Overhead returns 16, the tag length.
//
// spec: rfc8439#2.8
func (a *aead) Overhead() int { return TagSize }

// Seal encrypts and authenticates plaintext with the nonce, authenticates
// additionalData, and appends ciphertext||tag to dst. To encrypt in place,
// pass plaintext[:0] as dst; any other overlap of the output with plaintext
// or additionalData panics, as in crypto/cipher.
//
// spec: rfc8439#2.8
func (a *aead) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	if len(nonce) != NonceSize {
		panic("minitls/cipher/chacha20poly1305: bad nonce length passed to Seal")
	}
	if uint64(len(plaintext)) > maxPlaintext {
		panic("minitls/cipher/chacha20poly1305: plaintext too large")
	}
	ret, out := sliceForAppend(dst, len(plaintext)+TagSize)
	checkOverlaps(out, plaintext, additionalData)

	s := a.withNonce(nonce)
	ks := keyStreamBuffer(len(plaintext))
	var poly polyState
	pre := a.begin(&s, ks, len(plaintext), &poly)
	poly.padded(a.path, additionalData)
	ciphertext := out[:len(plaintext)]
	if a.stitched(len(ciphertext)) {
		a.sealStitched(&s, ciphertext, plaintext, pre, &poly)
	} else {
		a.xorFrom(&s, ciphertext, plaintext, pre)
		poly.padded(a.path, ciphertext)
	}
	clear(ks[:blockSize+len(pre)])
	poly.lengths(a.path, len(additionalData), len(ciphertext))
	poly.finish((*[TagSize]byte)(out[len(plaintext):]))
	return ret
}

// Open authenticates ciphertext||tag and additionalData with the nonce and,
// only if the tag matches, decrypts and appends the plaintext to dst. On
// failure it returns ErrOpen and leaves zeros where the plaintext would have
// gone. To decrypt in place, pass ciphertext[:0] as dst.
//
// spec: rfc8439#2.8 ("the receiver ... compares the calculated tag ... and
// only if they match, ... decrypts")
func (a *aead) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	if len(nonce) != NonceSize {
		panic("minitls/cipher/chacha20poly1305: bad nonce length passed to Open")
	}
	if len(ciphertext) < TagSize {
		return nil, ErrOpen
	}
	if uint64(len(ciphertext)) > maxPlaintext+TagSize {
		return nil, ErrOpen
	}
	body, tag := ciphertext[:len(ciphertext)-TagSize], ciphertext[len(ciphertext)-TagSize:]
	ret, out := sliceForAppend(dst, len(body))
	checkOverlaps(out, ciphertext, additionalData)

	s := a.withNonce(nonce)
	ks := keyStreamBuffer(len(body))
	var poly polyState
	pre, hashed := a.beginOpen(&s, ks, body, additionalData, &poly)
	// The stitched assembly decrypts while it authenticates; the plaintext
	// is wiped below if the tag does not match. Otherwise the tag is
	// checked before anything is decrypted.
	stitched := a.stitched(len(body))
	if stitched {
		a.openStitched(&s, out, body, pre, &poly)
	} else {
		poly.padded(a.path, body[hashed:])
	}
	poly.lengths(a.path, len(additionalData), len(body))
	var want [TagSize]byte
	poly.finish(&want)
	if subtle.ConstantTimeCompare(want[:], tag) != 1 {
		clear(ks[:blockSize+len(pre)])
		clear(out)
		return nil, ErrOpen
	}
	if !stitched {
		a.xorFrom(&s, out, body, pre)
	}
	clear(ks[:blockSize+len(pre)])
	return ret, nil
}

// keyStreamBuffer returns room on the caller's stack for the key stream
// begin makes ahead for a record of n bytes: two blocks (the Poly1305 key
// and one block of key stream) when n fits in one block, otherwise two
// blocks and a whole batch (beginOpen can make both). Go zeroes the array on every call, so a short record does not
// pay for zeroing a batch it never uses. It must stay inlined: the
// caller's escape analysis keeps the buffer off the heap.
func keyStreamBuffer(n int) []byte {
	if n <= blockSize {
		return make([]byte, 2*blockSize)
	}
	return make([]byte, 2*blockSize+batchSize)
}

// polyKey generates the one-time Poly1305 key: the first 32 bytes of the
// ChaCha20 block with counter 0.
//
// spec: rfc8439#2.6
func (s *chachaState) polyKey() polyState {
	var block [blockSize]byte
	s.block(&block, 0)
	p := newPolyState((*[polyKeySize]byte)(block[:polyKeySize]))
	clear(block[:])
	return p
}

// xorFrom encrypts src into dst from block 1 on (rfc8439#2.8: the
// plaintext's key stream starts at counter 1): the first len(pre) bytes
// with pre, key stream that begin already made for blocks 1, 2, ..., the
// rest by xorKeyStream from the block after those.
//
// spec: rfc8439#2.8
func (a *aead) xorFrom(s *chachaState, dst, src, pre []byte) {
	// crypto/subtle's XOR runs in vector registers (the byte loop it
	// replaces cost 0.4 µs of a 1 KiB record's 0.94 µs).
	n := subtle.XORBytes(dst, src, pre)
	if len(src) > n {
		a.xorKeyStream(s, dst[n:], src[n:], 1+uint32(len(pre)/blockSize))
	}
}

// lengths absorbs the last chunk of the AEAD's Poly1305 input: the lengths
// of the additional data and of the ciphertext as 64-bit little-endian
// integers (after both, each zero-padded to 16 bytes: padded).
//
// spec: rfc8439#2.8
func (p *polyState) lengths(path path, aadLen, ctLen int) {
	var lengths [polyBlockSize]byte
	binary.LittleEndian.PutUint64(lengths[0:], uint64(aadLen))
	binary.LittleEndian.PutUint64(lengths[8:], uint64(ctLen))
	p.blocks(path, lengths[:])
}

// padded absorbs msg followed by zeros up to a multiple of 16 bytes
// (padding1 and padding2 of rfc8439#2.8). A zero-padded last chunk is a
// full 16-byte chunk, so it gets the 2^128 bit like any other.
//
// spec: rfc8439#2.8
func (p *polyState) padded(path path, msg []byte) {
	full := len(msg) &^ (polyBlockSize - 1)
	p.blocks(path, msg[:full])
	if rest := msg[full:]; len(rest) > 0 {
		var last [polyBlockSize]byte
		copy(last[:], rest)
		p.blocks(path, last[:])
	}
}

// sliceForAppend extends in by n bytes, reallocating if needed, and returns
// the whole slice and the new tail.
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	tail = head[len(in):]
	return
}

// checkOverlaps panics if the output overlaps the input other than exactly,
// or overlaps the additional data at all (crypto/cipher's rule for AEADs).
func checkOverlaps(out, in, additionalData []byte) {
	if inexactOverlap(out, in) {
		panic("minitls/cipher/chacha20poly1305: invalid buffer overlap of output and input")
	}
	if anyOverlap(out, additionalData) {
		panic("minitls/cipher/chacha20poly1305: invalid buffer overlap of output and additional data")
	}
}

// anyOverlap reports whether x and y share memory at any index (looking only
// at their lengths, not capacities).
func anyOverlap(x, y []byte) bool {
	return len(x) > 0 && len(y) > 0 &&
		uintptr(unsafe.Pointer(&x[0])) <= uintptr(unsafe.Pointer(&y[len(y)-1])) &&
		uintptr(unsafe.Pointer(&y[0])) <= uintptr(unsafe.Pointer(&x[len(x)-1]))
}

// inexactOverlap reports whether x and y share memory at any index other
// than the same one (x[i] and y[i] the same byte is allowed: in-place use).
func inexactOverlap(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 || &x[0] == &y[0] {
		return false
	}
	return anyOverlap(x, y)
}
