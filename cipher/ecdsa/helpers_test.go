package ecdsa

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// This file holds the test-only bridges to crypto/ecdsa (production code may
// not import it) and the loader for the shared Wycheproof vectors.

// fataler is the part of testing.TB that rapid.T also has.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// stdCurve returns crypto/elliptic's curve for c.
func stdCurve(c *Curve) elliptic.Curve {
	if c == P384() {
		return elliptic.P384()
	}
	return elliptic.P256()
}

// stdPrivate converts our private key to a *crypto/ecdsa.PrivateKey.
func stdPrivate(t fataler, priv *PrivateKey) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.ParseRawPrivateKey(stdCurve(priv.curve), priv.Bytes())
	if err != nil {
		t.Fatalf("crypto/ecdsa refuses our private key: %v", err)
	}
	return k
}

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

// hexBytes is a Wycheproof HexBytes field.
type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(s)
	*h = v
	return err
}

type wpFile struct {
	Algorithm  string `json:"algorithm"`
	TestGroups []struct {
		PublicKey struct {
			Curve        string   `json:"curve"`
			Uncompressed hexBytes `json:"uncompressed"`
		} `json:"publicKey"`
		Sha   string `json:"sha"`
		Tests []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Msg     hexBytes `json:"msg"`
			Sig     hexBytes `json:"sig"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

func loadWycheproof(t *testing.T, name string) *wpFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir(t), "wycheproof", name))
	if err != nil {
		t.Fatal(err)
	}
	var f wpFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &f
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
