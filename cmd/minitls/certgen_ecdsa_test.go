package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCertgenECDSA: certgen -key ecdsa (P-256 by default, -curve p384)
// writes an ECDSA CA and server certificate that crypto/x509 parses and
// verifies for localhost, with "EC PRIVATE KEY" files that crypto/x509
// reads and that belong to the certificates; the server certificate has
// digitalSignature without keyEncipherment (an ECDSA key cannot encrypt),
// and bad -key and -curve values are usage errors.
func TestCertgenECDSA(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		curve elliptic.Curve
		alg   x509.SignatureAlgorithm
	}{
		{[]string{"-key", "ecdsa"}, elliptic.P256(), x509.ECDSAWithSHA256},
		{[]string{"-key", "ecdsa", "-curve", "p384"}, elliptic.P384(), x509.ECDSAWithSHA384},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			var out, errOut bytes.Buffer
			if err := certgenRun(append([]string{"-dir", dir}, tt.args...), &out, &errOut); err != nil {
				t.Fatalf("certgen: %v\n%s", err, errOut.String())
			}
			read := func(name string) []*pem.Block {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				var blocks []*pem.Block
				for {
					var p *pem.Block
					if p, b = pem.Decode(b); p == nil {
						return blocks
					}
					blocks = append(blocks, p)
				}
			}
			ca, err := x509.ParseCertificate(read("ca.pem")[0].Bytes)
			if err != nil {
				t.Fatal(err)
			}
			leaf, err := x509.ParseCertificate(read("server.pem")[0].Bytes)
			if err != nil {
				t.Fatal(err)
			}
			roots := x509.NewCertPool()
			roots.AddCert(ca)
			if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "localhost"}); err != nil {
				t.Fatalf("crypto/x509: %v", err)
			}
			for name, c := range map[string]*x509.Certificate{"ca": ca, "server": leaf} {
				pub, ok := c.PublicKey.(*ecdsa.PublicKey)
				if !ok || pub.Curve != tt.curve || c.SignatureAlgorithm != tt.alg {
					t.Fatalf("%s: %T on %v, %v", name, c.PublicKey, pub.Curve.Params().Name, c.SignatureAlgorithm)
				}
				kb := read(name + ".key")[0]
				k, err := x509.ParseECPrivateKey(kb.Bytes)
				if kb.Type != "EC PRIVATE KEY" || err != nil || !k.PublicKey.Equal(pub) {
					t.Fatalf("%s.key: %s, %v", name, kb.Type, err)
				}
			}
			if leaf.KeyUsage != x509.KeyUsageDigitalSignature {
				t.Errorf("server keyUsage %v, want digitalSignature only", leaf.KeyUsage)
			}
			if !strings.Contains(out.String(), "ECDSA "+tt.curve.Params().Name) {
				t.Errorf("output does not name the key type:\n%s", out.String())
			}
		})
	}
	for _, args := range [][]string{{"-key", "dsa"}, {"-key", "ecdsa", "-curve", "p521"}} {
		err := certgenRun(append([]string{"-dir", t.TempDir()}, args...), &bytes.Buffer{}, &bytes.Buffer{})
		if ee, ok := err.(*exitError); !ok || ee.code != 2 {
			t.Errorf("certgen %v: %v, want a usage error", args, err)
		}
	}
}
