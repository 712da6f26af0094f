package gcm

import (
	stdaes "crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"minitls/cipher/aes"
)

// testdataDir finds ../shared/testdata relative to the module root (the
// directory holding go.mod), as CI lays it out. A missing directory fails the
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

func mustHex(t tb, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// tb is the part of testing.TB that the helpers need; *rapid.T has it too.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// blockImpl is one way of getting a cipher.Block to run GCM over. GCM has two
// code paths for the key stream (the EncryptBlocks batch path and the
// one-Encrypt-per-block fallback), so the tests run against both.
type blockImpl struct {
	name string
	new  func(key []byte) (cipher.Block, error)
}

var blockImpls = []blockImpl{
	// minitls's bitsliced AES, which has EncryptBlocks.
	{"minitls-aes", aes.NewCipher},
	// crypto/aes hidden behind a wrapper, so GCM sees a plain cipher.Block
	// and uses the per-block fallback.
	{"std-aes-block", func(key []byte) (cipher.Block, error) {
		b, err := stdaes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return plainBlock{b}, nil
	}},
}

// plainBlock exposes only the cipher.Block methods of the block it wraps.
type plainBlock struct{ b cipher.Block }

func (p plainBlock) BlockSize() int          { return p.b.BlockSize() }
func (p plainBlock) Encrypt(dst, src []byte) { p.b.Encrypt(dst, src) }
func (p plainBlock) Decrypt(dst, src []byte) { p.b.Decrypt(dst, src) }

// newAEAD returns minitls GCM over the given implementation.
func newAEAD(t tb, impl blockImpl, key []byte) cipher.AEAD {
	t.Helper()
	b, err := impl.new(key)
	if err != nil {
		t.Fatalf("%s: NewCipher: %v", impl.name, err)
	}
	g, err := New(b)
	if err != nil {
		t.Fatalf("%s: New: %v", impl.name, err)
	}
	return g
}

// newStdGCM returns the oracle: crypto/aes + crypto/cipher.NewGCM.
func newStdGCM(t tb, key []byte) cipher.AEAD {
	t.Helper()
	b, err := stdaes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// catchPanic runs f and returns the panic value, or nil.
func catchPanic(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}
