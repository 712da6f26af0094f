package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestGetTraceChaCha: `get -suite ECDHE-RSA-CHACHA20-POLY1305 -trace`
// negotiates TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 and the trace shows
// its protected records as RFC 7905 lays them out: ciphertext and tag with
// no nonce_explicit (the nonce is write_IV XOR seq_num, never sent).
func TestGetTraceChaCha(t *testing.T) {
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "get", "-cafile", filepath.Join(dir, "ca.pem"), "-max-version", "1.2",
		"-suite", "ECDHE-RSA-CHACHA20-POLY1305", "-trace", "https://localhost:"+srv.port+"/")
	if r.code != 0 {
		t.Fatalf("get exited %d: %s", r.code, cliTestTail(r.stderr, 400))
	}
	out := r.stdout + r.stderr
	for _, want := range []string{"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ChaCha20-Poly1305 protected",
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
