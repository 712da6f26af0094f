//go:build amd64 && !purego

package chacha20poly1305

import (
	"crypto/subtle"

	"golang.org/x/sys/cpu"
)

// detectPaths lists the portable path and the assembly paths this CPU has:
// avx2 needs AVX2 for ChaCha20 and BMI2 (MULX) for Poly1305.
func detectPaths() []path {
	paths := []path{pathPortable}
	if cpu.X86.HasAVX2 && cpu.X86.HasBMI2 {
		paths = append(paths, pathAVX2)
		if cpu.X86.HasAVX512F {
			paths = append(paths, pathAVX512)
		}
	}
	return paths
}

// batchSize is the most key stream one pass of the assembly makes: sixteen
// 64-byte blocks (avx512; avx2 makes eight).
const batchSize = 16 * blockSize

// chacha20AVX512 XORs batches × 1024 bytes of src with the key stream of
// blocks state[12], state[12]+1, ... into dst (chacha20_avx512_amd64.s).
//
//go:noescape
func chacha20AVX512(state *[16]uint32, dst, src *byte, batches int)

// batchBytes is the key stream one pass of path p's assembly makes.
func batchBytes(p path) int {
	if p == pathAVX512 {
		return 16 * blockSize
	}
	return 8 * blockSize
}

// run XORs batches passes of path p's key stream into dst (a direct call
// to the assembly, so that no buffer escapes to the heap).
func run(p path, st *[16]uint32, dst, src *byte, batches int) {
	if p == pathAVX512 {
		chacha20AVX512(st, dst, src, batches)
	} else {
		chacha20AVX2(st, dst, src, batches)
	}
}

// chacha20AVX2 XORs batches × 512 bytes of src with the key stream of
// blocks state[12], state[12]+1, ... into dst (chacha20_avx2_amd64.s).
//
//go:noescape
func chacha20AVX2(state *[16]uint32, dst, src *byte, batches int)

// chacha20AVX2x2 XORs 128 bytes of src with the key stream of blocks
// state[12] and state[12]+1 into dst (chacha20_avx2_amd64.s): the short
// records' kernel.
//
//go:noescape
func chacha20AVX2x2(state *[16]uint32, dst, src *byte)

// chacha20AVX512x2 is chacha20AVX2x2 with AVX-512VL's one-instruction
// rotations (chacha20_avx512_amd64.s).
//
//go:noescape
func chacha20AVX512x2(state *[16]uint32, dst, src *byte)

// hasAVX512VL reports whether the two-block kernel may use VPROLD on YMM
// registers.
var hasAVX512VL = cpu.X86.HasAVX512VL

// twoBlocks XORs 128 bytes of src with the key stream of blocks state[12]
// and state[12]+1 into dst: on the avx512 path with AVX-512VL by
// chacha20AVX512x2, else by chacha20AVX2x2.
func twoBlocks(p path, st *[16]uint32, dst, src *byte) {
	if p == pathAVX512 && hasAVX512VL {
		chacha20AVX512x2(st, dst, src)
	} else {
		chacha20AVX2x2(st, dst, src)
	}
}

// poly1305BlocksMULX absorbs n bytes (a multiple of 16) of whole Poly1305
// chunks into st (poly1305_amd64.s).
//
//go:noescape
func poly1305BlocksMULX(st *polyState, msg *byte, n int)

// zeroBatch is the input from which a tail's key stream is made.
var zeroBatch [batchSize]byte

// xorKeyStream encrypts src into dst from block counter on, on path a.path.
// On avx2 and avx512, whole batches (512 or 1024 bytes) go straight
// through the assembly; a tail shorter than a batch is XORed with one more
// batch of key stream.
//
// spec: rfc8439#2.4
func (a *aead) xorKeyStream(s *chachaState, dst, src []byte, counter uint32) {
	if a.path == pathPortable || len(src) == 0 {
		s.xorKeyStreamGeneric(dst, src, counter)
		return
	}
	batch := batchBytes(a.path)
	st := s.words(counter)
	if full := len(src) / batch; full > 0 {
		run(a.path, &st, &dst[0], &src[0], full)
		n := full * batch
		dst, src = dst[n:], src[n:]
		st[12] += uint32(n / blockSize)
	}
	a.xorTail(&st, dst, src)
	clear(st[:])
}

// begin sets poly to the one-time Poly1305 key's state (rfc8439#2.6) and
// returns key stream made ahead for the blocks after it. One batch from counter 0
// gives both: block 0 is the Poly1305 key, and the other seven (avx2) or
// fifteen (avx512) serve the first 448 or 960 bytes, so a short record
// takes one pass of the assembly.
//
// A record of at most 448 bytes needs no more than the eight blocks of one
// AVX2 pass, so the avx512 path makes those instead of sixteen.
func (a *aead) begin(s *chachaState, ks []byte, n int, poly *polyState) []byte {
	if a.path == pathPortable {
		*poly = s.polyKey()
		return nil
	}
	st := s.words(0)
	if n <= blockSize {
		// The Poly1305 key and one block: the two-block kernel.
		twoBlocks(a.path, &st, &ks[0], &zeroBatch[0])
		clear(st[:])
		*poly = newPolyState((*[polyKeySize]byte)(ks[:polyKeySize]))
		return ks[blockSize : 2*blockSize]
	}
	p := a.path
	if p == pathAVX512 && n <= 7*blockSize {
		p = pathAVX2
	}
	batch := batchBytes(p)
	run(p, &st, &ks[0], &zeroBatch[0], 1)
	clear(st[:])
	*poly = newPolyState((*[polyKeySize]byte)(ks[:polyKeySize]))
	return ks[blockSize:batch]
}

// beginOpen starts Open of body: poly keyed (rfc8439#2.6) and fed the
// additional data, padded (rfc8439#2.8), and key stream made ahead as begin
// does. It returns that key stream and how many bytes of body poly has
// absorbed already.
//
// On avx512, a body of 1024 bytes up to the stitched lengths (openStitched)
// takes the two-block kernel for the Poly1305 key (block 0) and block 1,
// then one stitched batch that makes the key stream of blocks 2-17 while it
// absorbs the first 1024 bytes of ciphertext: Poly1305's scalar
// multiplications run beside the vector rounds instead of after them. The
// key stream goes to ks, not to the output, so nothing is decrypted before
// the tag is checked.
func (a *aead) beginOpen(s *chachaState, ks, body, additionalData []byte, poly *polyState) ([]byte, int) {
	if a.path != pathAVX512 || len(body) < stitchWindow || a.stitched(len(body)) {
		pre := a.begin(s, ks, len(body), poly)
		poly.padded(a.path, additionalData)
		return pre, 0
	}
	// rfc8439#2.6: block 0 keys Poly1305; block 1 is key stream.
	st := s.words(0)
	twoBlocks(a.path, &st, &ks[0], &zeroBatch[0])
	*poly = newPolyState((*[polyKeySize]byte)(ks[:polyKeySize]))
	// rfc8439#2.8: the additional data, padded, comes first.
	poly.padded(a.path, additionalData)
	// Blocks 2-17 while the ciphertext's first 64 chunks are absorbed.
	st[12] = 2
	chacha20Poly1305AVX512(&st, &ks[2*blockSize], &zeroBatch[0], &body[0], poly)
	clear(st[:])
	return ks[blockSize : 2*blockSize+stitchWindow], stitchWindow
}

// words returns the sixteen words of the initial state with the given
// block counter (rfc8439#2.3's layout), as the assembly reads them.
func (s *chachaState) words(counter uint32) [16]uint32 {
	return [16]uint32{
		sigma0, sigma1, sigma2, sigma3,
		s.key[0], s.key[1], s.key[2], s.key[3],
		s.key[4], s.key[5], s.key[6], s.key[7],
		counter, s.nonce[0], s.nonce[1], s.nonce[2],
	}
}

// xorBytes sets dst[i] = a[i] ^ b[i] for i < len(b), with crypto/subtle's
// vector code.
func xorBytes(dst, a, b []byte) { subtle.XORBytes(dst, a, b[:min(len(a), len(b))]) }

// blocks absorbs whole 16-byte Poly1305 chunks on the given path.
//
// spec: rfc8439#2.5
func (p *polyState) blocks(path path, msg []byte) {
	if path == pathPortable || len(msg) == 0 {
		p.blocksGeneric(msg)
		return
	}
	poly1305BlocksMULX(p, &msg[0], len(msg))
}

// chacha20Poly1305AVX512 XORs 1024 bytes of src with the key stream of
// blocks state[12] ... state[12]+15 into dst and, interleaved with the
// rounds, absorbs the 1024 bytes at msg into poly (chacha20_avx512_amd64.s).
//
//go:noescape
func chacha20Poly1305AVX512(state *[16]uint32, dst, src, msg *byte, poly *polyState)

// stitchWindow is the ciphertext one stitched batch absorbs.
const stitchWindow = 16 * blockSize

// stitched reports whether Seal and Open of n bytes run ChaCha20 and
// Poly1305 interleaved: on avx512, when at least one whole stitched batch
// follows the 960 bytes begin makes ahead.
func (a *aead) stitched(n int) bool {
	return a.path == pathAVX512 && n >= 15*blockSize+stitchWindow
}

// sealStitched encrypts pt into ct (the key stream of blocks 1-15 in pre,
// then batches from block 16) and absorbs ct, padded, into poly: batch j
// absorbs the 1024-byte window j-1 of ciphertext, which is complete by then;
// what remains is absorbed at the end.
//
// spec: rfc8439#2.8
func (a *aead) sealStitched(s *chachaState, ct, pt, pre []byte, poly *polyState) {
	off := len(pre)
	xorBytes(ct[:off], pt[:off], pre)
	st := s.words(1 + uint32(off/blockSize))
	hashed := 0
	for ; len(pt)-off >= stitchWindow; off += stitchWindow {
		if hashed+stitchWindow <= off {
			chacha20Poly1305AVX512(&st, &ct[off], &pt[off], &ct[hashed], poly)
			hashed += stitchWindow
		} else {
			chacha20AVX512(&st, &ct[off], &pt[off], 1)
		}
		st[12] += stitchWindow / blockSize
	}
	a.xorTail(&st, ct[off:], pt[off:])
	poly.padded(a.path, ct[hashed:])
}

// openStitched absorbs ct, padded, into poly and decrypts it into out
// (which may be ct itself), never writing over ciphertext not yet absorbed:
// window 0 (bytes 0-1023) first, before the 960 bytes of pre are written;
// then batch j, which writes bytes 960+1024j to 1983+1024j, absorbs window
// j+1 (bytes 1024(j+1) to 1024(j+2)-1) while it runs, reading it before its
// stores; when no whole window is left the rest is absorbed before the batch.
//
// spec: rfc8439#2.8
func (a *aead) openStitched(s *chachaState, out, ct, pre []byte, poly *polyState) {
	poly.blocks(a.path, ct[:stitchWindow])
	hashed := stitchWindow
	off := len(pre)
	xorBytes(out[:off], ct[:off], pre)
	st := s.words(1 + uint32(off/blockSize))
	for ; len(ct)-off >= stitchWindow; off += stitchWindow {
		if hashed+stitchWindow <= len(ct) {
			chacha20Poly1305AVX512(&st, &out[off], &ct[off], &ct[hashed], poly)
			hashed += stitchWindow
		} else {
			// No whole window left: absorb the rest before this batch
			// overwrites it (when out is ct).
			poly.padded(a.path, ct[hashed:])
			hashed = len(ct)
			chacha20AVX512(&st, &out[off], &ct[off], 1)
		}
		st[12] += stitchWindow / blockSize
	}
	poly.padded(a.path, ct[hashed:])
	a.xorTail(&st, out[off:], ct[off:])
}

// xorTail XORs src (shorter than a batch) with key stream from st's
// counter into dst, made by the smallest kernel that covers it: two blocks,
// eight (AVX2) or the path's batch.
func (a *aead) xorTail(st *[16]uint32, dst, src []byte) {
	if len(src) == 0 {
		return
	}
	var ks [batchSize]byte
	switch {
	case len(src) <= 2*blockSize:
		twoBlocks(a.path, st, &ks[0], &zeroBatch[0])
	case len(src) <= 8*blockSize:
		run(pathAVX2, st, &ks[0], &zeroBatch[0], 1)
	default:
		run(a.path, st, &ks[0], &zeroBatch[0], 1)
	}
	xorBytes(dst, src, ks[:len(src)])
	clear(ks[:len(src)])
}
