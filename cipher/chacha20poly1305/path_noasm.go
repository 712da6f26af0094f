//go:build !amd64 || purego

package chacha20poly1305

// detectPaths: without amd64 assembly (another GOARCH, or the purego build
// tag) only the portable Go code runs.
func detectPaths() []path { return []path{pathPortable} }

// xorKeyStream encrypts src into dst from block counter on, in Go.
//
// spec: rfc8439#2.4
func (a *aead) xorKeyStream(s *chachaState, dst, src []byte, counter uint32) {
	s.xorKeyStreamGeneric(dst, src, counter)
}

// blocks absorbs whole 16-byte Poly1305 chunks, in Go.
//
// spec: rfc8439#2.5
func (p *polyState) blocks(_ path, msg []byte) { p.blocksGeneric(msg) }

// batchSize is the key stream Seal and Open keep room for (what the amd64
// assembly makes in one pass; unused here).
const batchSize = 16 * blockSize

// begin sets poly to the one-time Poly1305 key's state (rfc8439#2.6) and
// returns no key stream made ahead: the portable code makes each block when
// needed.
func (a *aead) begin(s *chachaState, _ []byte, _ int, poly *polyState) []byte {
	*poly = s.polyKey()
	return nil
}

// beginOpen is begin followed by the additional data, padded (rfc8439#2.8):
// Open's start, with nothing of the ciphertext absorbed ahead.
func (a *aead) beginOpen(s *chachaState, ks, _, additionalData []byte, poly *polyState) ([]byte, int) {
	pre := a.begin(s, ks, 0, poly)
	poly.padded(a.path, additionalData)
	return pre, 0
}

// stitched reports whether Seal and Open run ChaCha20 and Poly1305
// interleaved in assembly: never without it.
func (a *aead) stitched(int) bool { return false }

// sealStitched and openStitched are not reached without assembly.
func (a *aead) sealStitched(*chachaState, []byte, []byte, []byte, *polyState) {
	panic("minitls/cipher/chacha20poly1305: no stitched assembly in this build")
}

func (a *aead) openStitched(*chachaState, []byte, []byte, []byte, *polyState) {
	panic("minitls/cipher/chacha20poly1305: no stitched assembly in this build")
}
