package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minitls/handshake"
)

// TestServeLogCause: serve's log line for a refused handshake names the
// list that did not match (issue 23). openssl s_client offers, in TLS 1.2
// and in TLS 1.3, only a signature scheme the server's RSA key cannot make,
// only a group the server lacks, or only a suite the server lacks; each is
// refused with handshake_failure, and the log line carries that cause and
// neither of the other two. Before ErrNoCommonSignatureScheme, the TLS 1.2
// signature case was logged as "no elliptic curve group in common" and the
// TLS 1.3 one as "no cipher suite in common".
func TestServeLogCause(t *testing.T) {
	openssl := cliTestNeed(t, "openssl", "openssl")
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	causes := map[string]error{
		"signature": handshake.ErrNoCommonSignatureScheme,
		"group":     handshake.ErrNoCommonGroup,
		"suite":     handshake.ErrNoCommonCipherSuite,
	}
	cases := []struct {
		name   string
		cause  string   // a key of causes
		detail string   // what the rest of the line must show of the offer
		args   []string // s_client's offer
	}{
		{"TLS 1.2 signature RSA+SHA224", "signature", "signature_algorithms",
			[]string{"-tls1_2", "-sigalgs", "RSA+SHA224", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"}},
		{"TLS 1.3 signature ECDSA+SHA256", "signature", "[ecdsa_secp256r1_sha256]",
			[]string{"-tls1_3", "-sigalgs", "ECDSA+SHA256"}},
		{"TLS 1.2 group secp521r1", "group", "[secp521r1]",
			[]string{"-tls1_2", "-groups", "secp521r1", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"}},
		{"TLS 1.3 group secp521r1", "group", "[secp521r1]",
			[]string{"-tls1_3", "-groups", "secp521r1"}},
		{"TLS 1.2 suite ECDHE-RSA-AES128-SHA", "suite", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
			[]string{"-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA"}},
		{"TLS 1.3 suite TLS_AES_128_CCM_SHA256", "suite", "[TLS_AES_128_CCM_SHA256",
			[]string{"-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_SHA256"}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			args := append([]string{"s_client", "-connect", srv.addr, "-servername", "localhost",
				"-CAfile", filepath.Join(dir, "ca.pem")}, tc.args...)
			out, err := exec.CommandContext(ctx, openssl, args...).CombinedOutput()
			if err == nil {
				t.Fatalf("s_client %s: the handshake succeeded, want a refusal:\n%s", strings.Join(tc.args, " "), out)
			}
			line := serveTestFailedLine(t, srv, i+1)
			if !strings.Contains(line, "sent alert handshake_failure") {
				t.Errorf("log line does not name the alert handshake_failure:\n%s\ns_client:\n%s", line, out)
			}
			for name, cause := range causes {
				has := strings.Contains(line, cause.Error())
				if name == tc.cause && !has {
					t.Errorf("log line does not name the cause %q:\n%s", cause, line)
				} else if name != tc.cause && has {
					t.Errorf("log line names the %s mismatch, but only the %s did not match:\n%s", name, tc.cause, line)
				}
			}
			if !strings.Contains(line, tc.detail) {
				t.Errorf("log line does not show %q of the client's offer:\n%s", tc.detail, line)
			}
		})
	}
}

// serveTestFailedLine waits for the n-th "handshake failed" line of srv's
// log and returns it.
func serveTestFailedLine(t *testing.T, srv *cliTestServer, n int) string {
	t.Helper()
	var failed []string
	for _, l := range strings.Split(srv.waitLog(t, "handshake failed", n), "\n") {
		if strings.Contains(l, "handshake failed") {
			failed = append(failed, l)
		}
	}
	return failed[n-1]
}
