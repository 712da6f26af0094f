package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestGetTraceECDSAChaCha: against a server with an ECDSA certificate,
// `get -suite ECDHE-ECDSA-CHACHA20-POLY1305 -group secp384r1 -trace`
// negotiates TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 on P-384, and the
// trace shows its records as RFC 7905 lays them out (no nonce_explicit),
// like its ECDHE_RSA twin's.
func TestGetTraceECDSAChaCha(t *testing.T) {
	dir := t.TempDir()
	if err := certgenRun([]string{"-dir", dir, "-key", "ecdsa"}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	srv := cliTestServe(t, dir)
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "get", "-cafile", filepath.Join(dir, "ca.pem"), "-max-version", "1.2",
		"-suite", "ECDHE-ECDSA-CHACHA20-POLY1305", "-group", "secp384r1", "-trace", "https://localhost:"+srv.port+"/")
	if r.code != 0 {
		t.Fatalf("get exited %d: %s", r.code, cliTestTail(r.stderr, 400))
	}
	out := r.stdout + r.stderr
	for _, want := range []string{"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "secp384r1", "ChaCha20-Poly1305 protected",
		"write_IV XOR seq_num", "Poly1305 tag", "decrypted content"} {
		if !strings.Contains(out, want) {
			t.Errorf("get -trace output lacks %q", want)
		}
	}
	for _, bad := range []string{"nonce_explicit", "AES-GCM protected"} {
		if strings.Contains(out, bad) {
			t.Errorf("get -trace of a ChaCha20-Poly1305 connection says %q", bad)
		}
	}
}
