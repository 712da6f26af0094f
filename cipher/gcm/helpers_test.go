package gcm

import (
	stdaes "crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"minitls/cipher/aes"
	"minitls/internal/impl"
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

// blockImpl is one way of getting a cipher.Block to run GCM over. GCM has
// one code path per hardware path of minitls/cipher/aes (the fused assembly
// of each path, and the portable GHASH over the EncryptBlocks batch path) and
// the one-Encrypt-per-block fallback for any other block cipher, so the tests
// run against all of them.
type blockImpl struct {
	name string
	// path is the path minitls/cipher/aes was forced to when the block was
	// made (impl.Portable for blocks from elsewhere).
	path impl.Path
	new  func(key []byte) (cipher.Block, error)
}

// blockImpls lists minitls's AES on every path this CPU and build support,
// the fastest first (so blockImpls[0] is what gcm.New gives by default),
// then crypto/aes behind a plain cipher.Block.
var blockImpls = makeBlockImpls()

func makeBlockImpls() []blockImpl {
	var list []blockImpl
	paths := impl.Supported()
	for i := len(paths) - 1; i >= 0; i-- {
		p := paths[i]
		list = append(list, blockImpl{"minitls-aes/" + p.String(), p, func(key []byte) (cipher.Block, error) {
			defer impl.Force(p)()
			return aes.NewCipher(key)
		}})
	}
	// crypto/aes hidden behind a wrapper, so GCM sees a plain cipher.Block
	// and uses the per-block fallback.
	return append(list, blockImpl{"std-aes-block", impl.Portable, func(key []byte) (cipher.Block, error) {
		b, err := stdaes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return plainBlock{b}, nil
	}})
}

// plainBlock exposes only the cipher.Block methods of the block it wraps.
type plainBlock struct{ b cipher.Block }

func (p plainBlock) BlockSize() int          { return p.b.BlockSize() }
func (p plainBlock) Encrypt(dst, src []byte) { p.b.Encrypt(dst, src) }
func (p plainBlock) Decrypt(dst, src []byte) { p.b.Decrypt(dst, src) }

// newAEAD returns minitls GCM over the given implementation.
func newAEAD(t tb, bi blockImpl, key []byte) cipher.AEAD {
	t.Helper()
	b, err := bi.new(key)
	if err != nil {
		t.Fatalf("%s: NewCipher: %v", bi.name, err)
	}
	g, err := New(b)
	if err != nil {
		t.Fatalf("%s: New: %v", bi.name, err)
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
