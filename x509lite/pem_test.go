package x509lite

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minitls/cipher/rsa"
)

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// TestPrivateKeyPEM: PKCS#1 and PKCS#8 keys written by crypto/x509 load
// with every component equal to crypto/rsa's, and our encoders produce
// crypto/x509's exact bytes.
func TestPrivateKeyPEM(t *testing.T) {
	for i, k := range testKeys(t) {
		std := k.std
		pkcs8, err := x509.MarshalPKCS8PrivateKey(std)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range [][]byte{pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(std)), pemBlock("PRIVATE KEY", pkcs8)} {
			got, err := ParsePrivateKeyPEM(in)
			if err != nil {
				t.Fatalf("key %d: %v", i, err)
			}
			want := [][]byte{std.N.Bytes(), std.D.Bytes(), std.Primes[0].Bytes(), std.Primes[1].Bytes(),
				std.Precomputed.Dp.Bytes(), std.Precomputed.Dq.Bytes(), std.Precomputed.Qinv.Bytes()}
			have := [][]byte{got.N, got.D, got.P, got.Q, got.Dp, got.Dq, got.Qinv}
			for j := range want {
				if !bytes.Equal(trimLeadingZeros(have[j]), want[j]) {
					t.Fatalf("key %d component %d differs", i, j)
				}
			}
			if got.E != std.E {
				t.Fatalf("E = %d", got.E)
			}
		}
		if !bytes.Equal(MarshalPKCS1PrivateKey(k.our), x509.MarshalPKCS1PrivateKey(std)) {
			t.Fatal("MarshalPKCS1PrivateKey differs from crypto/x509")
		}
		ours8, err := MarshalPKCS8PrivateKey(k.our)
		if err != nil || !bytes.Equal(ours8, pkcs8) {
			t.Fatalf("MarshalPKCS8PrivateKey differs from crypto/x509 (%v)", err)
		}
	}
}

// TestPrivateKeyPEMErrors: wrong key types, encrypted keys, corrupt CRT
// values and missing blocks give typed errors that say what to do.
func TestPrivateKeyPEMErrors(t *testing.T) {
	k := testKeys(t)[0]
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecSEC1, _ := x509.MarshalECPrivateKey(ec)
	ec8, _ := x509.MarshalPKCS8PrivateKey(ec)
	bad := *k.our
	bad.Dp = append([]byte(nil), bad.Dp...)
	bad.Dp[len(bad.Dp)-1] ^= 1
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00"}, Bytes: []byte{1}})
	tests := []struct {
		name string
		in   []byte
		kind error
		msg  string
	}{
		{"SEC1 EC key", pemBlock("EC PRIVATE KEY", ecSEC1), ErrUnsupportedAlgorithm, "not an RSA private key (found EC PRIVATE KEY): minitls supports RSA keys only"},
		{"PKCS#8 EC key", pemBlock("PRIVATE KEY", ec8), ErrUnsupportedAlgorithm, "found an EC key in PKCS#8"},
		{"encrypted", encrypted, ErrEncryptedKey, "openssl pkey"},
		{"encrypted PKCS#8", pemBlock("ENCRYPTED PRIVATE KEY", []byte{1}), ErrEncryptedKey, "encrypted"},
		{"corrupt dp", pemBlock("RSA PRIVATE KEY", MarshalPKCS1PrivateKey(&bad)), ErrMalformed, "exponent1"},
		{"certificate instead of key", pemBlock("CERTIFICATE", []byte{1}), ErrNoPEMData, "found CERTIFICATE"},
		{"not PEM", []byte("hello"), ErrNoPEMData, "no \"-----BEGIN"},
		{"trailing garbage in DER", pemBlock("RSA PRIVATE KEY", append(x509.MarshalPKCS1PrivateKey(k.std), 0)), ErrMalformed, "trailing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePrivateKeyPEM(tc.in)
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v, want %v containing %q", err, tc.kind, tc.msg)
			}
		})
	}
}

// TestKeyPairFiles: LoadKeyPair accepts a matching chain and key (in either
// key form), and refuses a key of another certificate naming both files.
func TestKeyPairFiles(t *testing.T) {
	k := testKeys(t)
	c := buildStdChain(t, nil)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	chainFile := write("chain.pem", append(pemBlock("CERTIFICATE", c.leafDER), pemBlock("CERTIFICATE", c.interDER)...))
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(k[2].std)
	goodKey := write("server.key", pemBlock("PRIVATE KEY", pkcs8))
	goodKey1 := write("server1.key", pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k[2].std)))
	wrongKey := write("wrong.key", pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k[1].std)))
	ecKey := write("ec.key", pemBlock("EC PRIVATE KEY", []byte{1}))

	for _, kf := range []string{goodKey, goodKey1} {
		chain, key, err := LoadKeyPair(chainFile, kf)
		if err != nil {
			t.Fatalf("LoadKeyPair(%s): %v", kf, err)
		}
		if len(chain) != 2 || !bytes.Equal(chain[0].Raw, c.leafDER) || !bytes.Equal(chain[1].Raw, c.interDER) {
			t.Fatal("chain not loaded in order")
		}
		if !key.PublicKey.Equal(chain[0].PublicKey) {
			t.Fatal("key does not match leaf")
		}
	}
	_, _, err := LoadKeyPair(chainFile, wrongKey)
	if !errors.Is(err, ErrKeyMismatch) || !strings.Contains(err.Error(), "wrong.key") || !strings.Contains(err.Error(), "CN=localhost") {
		t.Fatalf("mismatched key: err = %v", err)
	}
	_, _, err = LoadKeyPair(chainFile, ecKey)
	if !errors.Is(err, ErrUnsupportedAlgorithm) || !strings.HasPrefix(err.Error(), ecKey+": not an RSA private key") {
		t.Fatalf("EC key: err = %v", err)
	}
	_, _, err = LoadKeyPair(goodKey, goodKey)
	if !errors.Is(err, ErrNoPEMData) || !strings.Contains(err.Error(), "found PRIVATE KEY") {
		t.Fatalf("key passed as certificate: err = %v", err)
	}
	// KeyPairFromPEM skips the key block in a combined file.
	combined := append(pemBlock("CERTIFICATE", c.leafDER), pemBlock("PRIVATE KEY", pkcs8)...)
	if _, _, err := KeyPairFromPEM(combined, combined); err != nil {
		t.Fatalf("combined PEM: %v", err)
	}
	var _ *rsa.PrivateKey = k[0].our
}

// TestParseCertificatesPEMNamesBlock: a CERTIFICATE block that does not
// parse fails the whole chain file, and the error counts certificates
// from 1 in file order (other blocks not counted) so the user can find it;
// the parse error stays reachable with errors.Is.
func TestParseCertificatesPEMNamesBlock(t *testing.T) {
	c := buildStdChain(t, nil)
	bad := pemBlock("CERTIFICATE", c.leafDER[:len(c.leafDER)-1])
	key := pemBlock("PRIVATE KEY", []byte{1})
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{bad, "certificate 1 in the PEM data: "},
		{append(append(pemBlock("CERTIFICATE", c.leafDER), key...), bad...), "certificate 2 in the PEM data: "},
		{append(append(pemBlock("CERTIFICATE", c.leafDER), pemBlock("CERTIFICATE", c.interDER)...), bad...), "certificate 3 in the PEM data: "},
	} {
		_, err := ParseCertificatesPEM(tc.in)
		if !errors.Is(err, ErrMalformed) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("err = %v, want ErrMalformed starting %q", err, tc.want)
		}
	}
}
