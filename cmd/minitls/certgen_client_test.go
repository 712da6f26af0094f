package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

// TestCertgenClientCertificate: certgen's client.pem and client.key load
// as a key pair in crypto/tls (the oracle), and the leaf chains to ca.pem
// for clientAuth (and not for serverAuth: it is no server certificate);
// client.key is private.
func TestCertgenClientCertificate(t *testing.T) {
	dir := t.TempDir()
	if r := cliTestRun(t, nil, "certgen", "-dir", dir, "-host", "localhost"); r.code != 0 {
		t.Fatalf("certgen: exit %d, %s", r.code, r.stderr)
	}
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key"))
	if err != nil {
		t.Fatalf("crypto/tls cannot load client.pem and client.key: %v", err)
	}
	if len(pair.Certificate) != 2 {
		t.Errorf("client.pem holds %d certificates, want the leaf and the CA", len(pair.Certificate))
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	block, _ := pem.Decode(caPEM)
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	roots.AddCert(ca)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("client certificate does not verify for clientAuth: %v", err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err == nil {
		t.Error("client certificate also verifies for serverAuth")
	}
	if leaf.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("keyUsage %v, want digitalSignature only", leaf.KeyUsage)
	}
	if st, err := os.Stat(filepath.Join(dir, "client.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("client.key: %v, mode %v, want 0600", err, st.Mode().Perm())
	}
}
