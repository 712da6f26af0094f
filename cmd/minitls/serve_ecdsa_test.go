package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRSAAndECDSA: `minitls serve` with two -cert/-key pairs (an RSA
// and an ECDSA certgen) presents the ECDSA certificate to a client that
// offers ECDHE_ECDSA and the RSA one to a client that offers only
// ECDHE_RSA; its listening line names both key types; `minitls get`
// fetches the page over the ECDSA certificate (it offers ECDHE_ECDSA first)
// and its -v output names the suite; a -cert without its -key is a usage
// error.
func TestServeRSAAndECDSA(t *testing.T) {
	rsaDir, ecDir := t.TempDir(), t.TempDir()
	for dir, args := range map[string][]string{rsaDir: nil, ecDir: {"-key", "ecdsa"}} {
		if err := certgenRun(append([]string{"-dir", dir}, args...), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	srv := cliTestServe(t, rsaDir, "-cert", filepath.Join(ecDir, "server.pem"), "-key", filepath.Join(ecDir, "server.key"))
	if log := srv.log.String(); !strings.Contains(log, "ECDSA P-256") || !strings.Contains(log, "RSA-2048") {
		t.Errorf("listening line does not name both certificates:\n%s", log)
	}
	roots := x509.NewCertPool()
	for _, dir := range []string{rsaDir, ecDir} {
		b, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
		if err != nil {
			t.Fatal(err)
		}
		roots.AppendCertsFromPEM(b)
	}
	for _, tt := range []struct {
		suite uint16
		ecdsa bool
	}{
		{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true},
		{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, false},
	} {
		c, err := tls.Dial("tcp", srv.addr, &tls.Config{RootCAs: roots, ServerName: "localhost", MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tt.suite}})
		if err != nil {
			t.Fatalf("%s: %v", tls.CipherSuiteName(tt.suite), err)
		}
		pub := c.ConnectionState().PeerCertificates[0].PublicKey
		c.Close()
		if _, isEC := pub.(*ecdsa.PublicKey); isEC != tt.ecdsa {
			t.Errorf("%s: server presented a %T", tls.CipherSuiteName(tt.suite), pub)
		} else if _, isRSA := pub.(*rsa.PublicKey); !tt.ecdsa && !isRSA {
			t.Errorf("%s: server presented a %T", tls.CipherSuiteName(tt.suite), pub)
		}
	}
	r := cliTestRun(t, nil, "get", "-v", "-max-version", "1.2", "-cafile", filepath.Join(ecDir, "ca.pem"), "https://localhost:"+srv.port+"/")
	if r.code != 0 || !strings.Contains(r.stderr+r.stdout, "ECDHE_ECDSA") {
		t.Errorf("get over the ECDSA certificate: exit %d\n%s\n%s", r.code, r.stderr, r.stdout)
	}
	bad := cliTestRun(t, nil, "serve", "-addr", "127.0.0.1:0", "-cert", filepath.Join(rsaDir, "server.pem"), "-cert", filepath.Join(ecDir, "server.pem"), "-key", filepath.Join(rsaDir, "server.key"))
	if bad.code != 2 || !strings.Contains(bad.stderr, "one -key for each -cert") {
		t.Errorf("unpaired -cert: exit %d, %s", bad.code, bad.stderr)
	}
}
