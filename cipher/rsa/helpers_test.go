package rsa

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// This file holds the test-only bridges to crypto/rsa (production code may not
// import it) and the loaders for the shared Wycheproof vectors.

// stdPublic converts our public key to a *crypto/rsa.PublicKey.
func stdPublic(pub *PublicKey) *rsa.PublicKey {
	return &rsa.PublicKey{N: new(big.Int).SetBytes(pub.N), E: pub.E}
}

// fromStdPublic converts a *crypto/rsa.PublicKey to ours.
func fromStdPublic(pub *rsa.PublicKey) *PublicKey {
	return &PublicKey{N: pub.N.Bytes(), E: pub.E}
}

// stdPrivate converts our private key to a *crypto/rsa.PrivateKey.
func stdPrivate(t testing.TB, priv *PrivateKey) *rsa.PrivateKey {
	t.Helper()
	b := func(x []byte) *big.Int { return new(big.Int).SetBytes(x) }
	k := &rsa.PrivateKey{
		PublicKey: *stdPublic(&priv.PublicKey),
		D:         b(priv.D),
		Primes:    []*big.Int{b(priv.P), b(priv.Q)},
	}
	k.Precompute()
	if err := k.Validate(); err != nil {
		t.Fatalf("crypto/rsa rejects our key: %v", err)
	}
	return k
}

// fromStdPrivate converts a two-prime *crypto/rsa.PrivateKey to ours.
func fromStdPrivate(t testing.TB, k *rsa.PrivateKey) *PrivateKey {
	t.Helper()
	priv, err := NewPrivateKey(k.N.Bytes(), k.E, k.D.Bytes(), k.Primes[0].Bytes(), k.Primes[1].Bytes())
	if err != nil {
		t.Fatalf("NewPrivateKey(std key): %v", err)
	}
	return priv
}

// generateKeyForTests is GenerateKey that also makes 1024-bit keys, which
// are quick to generate and too weak for anything but tests. It lives in a
// test file, so no program can call it.
func generateKeyForTests(random io.Reader, bits int) (*PrivateKey, error) {
	if bits == 1024 {
		return generateKey(random, bits)
	}
	return GenerateKey(random, bits)
}

// testdataDir finds ../shared/testdata beside the repository root (the
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

// hexBytes is a Wycheproof HexBytes / BigInt field.
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

// int returns a small BigInt field as an int.
func (h hexBytes) int() int {
	return int(new(big.Int).SetBytes(h).Int64())
}

type wpTest struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Flags   []string `json:"flags"`
	Msg     hexBytes `json:"msg"`
	Ct      hexBytes `json:"ct"`
	Sig     hexBytes `json:"sig"`
	Result  string   `json:"result"`
}

type wpKey struct {
	Modulus         hexBytes `json:"modulus"`
	PublicExponent  hexBytes `json:"publicExponent"`
	PrivateExponent hexBytes `json:"privateExponent"`
	Prime1          hexBytes `json:"prime1"`
	Prime2          hexBytes `json:"prime2"`
	Exponent1       hexBytes `json:"exponent1"`
	Exponent2       hexBytes `json:"exponent2"`
	Coefficient     hexBytes `json:"coefficient"`
}

type wpGroup struct {
	Type       string   `json:"type"`
	KeySize    int      `json:"keySize"`
	Sha        string   `json:"sha"`
	MgfSha     string   `json:"mgfSha"` // PSS: the hash inside MGF1
	SLen       int      `json:"sLen"`   // PSS: the salt length
	PrivateKey *wpKey   `json:"privateKey"`
	PublicKey  *wpKey   `json:"publicKey"`
	Tests      []wpTest `json:"tests"`
}

type wpFile struct {
	Algorithm     string    `json:"algorithm"`
	NumberOfTests int       `json:"numberOfTests"`
	TestGroups    []wpGroup `json:"testGroups"`
}

// loadWycheproof reads and decodes one Wycheproof file.
func loadWycheproof(t testing.TB, name string) *wpFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir(t), "wycheproof", name))
	if err != nil {
		t.Fatal(err)
	}
	var f wpFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	n := 0
	for _, g := range f.TestGroups {
		n += len(g.Tests)
	}
	if n != f.NumberOfTests || n == 0 {
		t.Fatalf("%s: decoded %d tests, file says %d", name, n, f.NumberOfTests)
	}
	return &f
}

// privateKeyFromWycheproof builds our key from a Wycheproof privateKey object
// (memoized: several tests walk the same 99 keys).
func privateKeyFromWycheproof(t testing.TB, k *wpKey) (*PrivateKey, error) {
	t.Helper()
	wpKeysMu.Lock()
	defer wpKeysMu.Unlock()
	if priv := wpKeys[string(k.Modulus)]; priv != nil {
		return priv, nil
	}
	priv, err := NewPrivateKey(k.Modulus, k.PublicExponent.int(), k.PrivateExponent, k.Prime1, k.Prime2)
	if err == nil {
		wpKeys[string(k.Modulus)] = priv
	}
	return priv, err
}

var (
	wpKeysMu sync.Mutex
	wpKeys   = map[string]*PrivateKey{}
)

var (
	testKeysMu sync.Mutex
	testKeys   = map[int]*PrivateKey{}
)

// testKey returns a fixed private key of the given size (2048, 3072 or
// 4096): the ordinary key of the first group of the Wycheproof PKCS#1 file of
// that size, so tests need no key generation.
func testKey(t testing.TB, bits int) *PrivateKey {
	t.Helper()
	testKeysMu.Lock()
	defer testKeysMu.Unlock()
	if k := testKeys[bits]; k != nil {
		return k
	}
	f := loadWycheproof(t, "rsa_pkcs1_"+itoa(bits)+"_test.json")
	k, err := privateKeyFromWycheproof(t, f.TestGroups[0].PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	testKeys[bits] = k
	return k
}

// crypto/rsa deprecated its PKCS#1 v1.5 encryption in Go 1.26 (in favour of
// OAEP). TLS 1.2's RSA key exchange is built on exactly that scheme, so the
// tests keep using it as the oracle, through these wrappers.

//lint:ignore SA1019 PKCS#1 v1.5 encryption is what TLS 1.2 RSA key exchange uses; the oracle must too.
type stdDecryptOptions = rsa.PKCS1v15DecryptOptions

func stdEncryptPKCS1v15(pub *rsa.PublicKey, msg []byte) ([]byte, error) {
	//lint:ignore SA1019 see above
	return rsa.EncryptPKCS1v15(rand.Reader, pub, msg)
}

func stdDecryptPKCS1v15(priv *rsa.PrivateKey, c []byte) ([]byte, error) {
	//lint:ignore SA1019 see above
	return rsa.DecryptPKCS1v15(nil, priv, c)
}

func stdDecryptPKCS1v15SessionKey(priv *rsa.PrivateKey, c, key []byte) error {
	//lint:ignore SA1019 see above
	return rsa.DecryptPKCS1v15SessionKey(nil, priv, c, key)
}
