package chacha20poly1305

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdataDir is ../shared/testdata beside the repository, as CI lays it out.
// go test runs in the package directory, two levels below the repository root.
// A missing directory fails the test: the vectors are part of the spec.
func testdataDir(t testing.TB) string {
	t.Helper()
	td := filepath.Join("..", "..", "..", "shared", "testdata")
	if _, err := os.Stat(td); err != nil {
		t.Fatalf("test vectors missing: clone shared/ beside the repository: %v", err)
	}
	return td
}

// tb is the part of testing.TB that the helpers need; *rapid.T has it too.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// mustHex decodes hex, ignoring spaces (vectors are copied from the RFC in
// groups).
func mustHex(t tb, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// forEachPath runs f as a subtest on every path this CPU and build support,
// with that path forced for New.
func forEachPath(t *testing.T, f func(t *testing.T, p path)) {
	for _, p := range supportedPaths {
		t.Run(p.String(), func(t *testing.T) {
			defer forcePath(p)()
			f(t, p)
		})
	}
}

// polySum is Poly1305 of rfc8439#2.5 over msg of any length on path p: whole
// chunks, then a short last chunk with its 1 byte right after it.
func polySum(p path, key *[polyKeySize]byte, msg []byte) [TagSize]byte {
	st := newPolyState(key)
	full := len(msg) &^ (polyBlockSize - 1)
	st.blocks(p, msg[:full])
	if len(msg) > full {
		st.lastChunk(msg[full:])
	}
	var tag [TagSize]byte
	st.finish(&tag)
	return tag
}

// xorStream runs the ChaCha20 stream of rfc8439#2.4 on path p, the way Seal
// does (through an AEAD made on that path).
func xorStream(p path, key, nonce []byte, counter uint32, src []byte) []byte {
	a := &aead{path: p}
	copy(a.key[:], key)
	s := newChaChaState(&a.key, nonce)
	dst := make([]byte, len(src))
	a.xorKeyStream(&s, dst, src, counter)
	return dst
}

// catchPanic runs f and returns the panic value, or nil.
func catchPanic(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}
