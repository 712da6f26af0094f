package main

// Tests of `minitls demo -kx ecdhe` and `minitls demo -leak` (issue 10), in
// their own file beside cli_test.go, whose helpers they use.

import (
	"bytes"
	"crypto/sha256"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/curve25519"

	"minitls/handshake"
	"minitls/x509lite"
)

func pkiRoots(p *certgenPKI) *x509lite.CertPool {
	r := x509lite.NewCertPool()
	r.AddCert(p.ca)
	return r
}

// TestDemoECDHE: `minitls demo -kx ecdhe -seed N` walks the ECDHE
// handshake: the signed ServerKeyExchange with its checks, both public
// values, a 32-byte shared secret as premaster, and keys that recompute
// from what it prints; two runs with the same seed print the same stable
// lines; and the default demo still tells RSA key transport.
func TestDemoECDHE(t *testing.T) {
	a := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-kx", "ecdhe", "-seed", "5")
	if a.code != 0 {
		t.Fatalf("demo -kx ecdhe exited %d:\n%s\n%s", a.code, a.stdout, a.stderr)
	}
	out := a.stdout
	for _, want := range []string{
		"Step 3  Key exchange: ephemeral ECDH, signed with the server's RSA key",
		"← ServerKeyExchange: 300 bytes", "curve             x25519 (named_curve 29)",
		// The client offers rsa_pss_rsae_* first, and the server takes it
		// (rfc8446#4.2.3); the demo checks that signature itself.
		"signature         rsa_pss_rsae_sha256, 256 bytes", "RSASSA-PSS (salted, a hash-long salt) verifies",
		"tamper test", "→ ClientKeyExchange: 37 bytes", "32 bytes, ✓ the same on both sides",
		"(The server sent these four messages together", "digitalSignature: this key may sign",
		"suite chosen      TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "decrypts to",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo -kx ecdhe lacks %q", want)
		}
	}
	if strings.Contains(out, "✗") || strings.Contains(out, "DIFFERENT") {
		t.Errorf("a check failed:\n%s", out)
	}
	if !regexp.MustCompile(`ECDHE costs the server [+-]\d+% CPU against RSA key transport\.`).MatchString(out) {
		t.Errorf("demo -kx ecdhe lacks the measured lesson")
	}
	for i, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("line %d is %d columns wide (max 80): %q", i+1, n, l)
		}
	}
	// The printed values are real: the premaster is X25519 of nothing we
	// can see (the private scalars are not printed), but it has the right
	// size, differs from both public values, and the master secret and
	// keys recompute from it.
	clientRandom := cliTestHex(t, out, "→ ClientHello", "random")
	serverRandom := cliTestHex(t, out, "← ServerHello", "random")
	serverPub := cliTestHex(t, out, "Step 3", "server public")
	clientPub := cliTestHex(t, out, "Step 3", "client public")
	pre := cliTestHex(t, out, "Step 3", "premaster")
	sessionHash := cliTestHex(t, out, "Step 3", "session hash")
	master := cliTestHex(t, out, "Step 3", "master secret")
	if len(serverPub) != curve25519.PointSize || len(clientPub) != 32 || len(pre) != 32 ||
		bytes.Equal(pre, serverPub) || bytes.Equal(pre, clientPub) || bytes.Equal(serverPub, clientPub) {
		t.Fatalf("public values %x / %x, premaster %x", serverPub, clientPub, pre)
	}
	if want := handshake.ExtendedMasterSecret(sha256.New, pre, sessionHash); !bytes.Equal(master, want) {
		t.Errorf("printed master secret %x, but PRF(printed premaster, session hash) = %x", master, want)
	}
	kb := handshake.KeyExpansion(sha256.New, master, clientRandom, serverRandom, 16, 4)
	if got := cliTestHex(t, out, "key block", "client_write_key"); !bytes.Equal(got, kb.ClientKey) {
		t.Errorf("client_write_key %x, recomputed %x", got, kb.ClientKey)
	}

	b := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-kx", "ecdhe", "-seed", "5")
	beforeLesson := func(s string) string { return cliTestStable(strings.Split(s, "The lesson")[0]) }
	if b.code != 0 || beforeLesson(a.stdout) != beforeLesson(b.stdout) {
		t.Errorf("two runs of demo -kx ecdhe -seed 5 differ (exit %d)", b.code)
	}
	// -kx rsa is the default story, and -suite keeps working with -kx ecdhe.
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-seed", "5")
	if r.code != 0 || !strings.Contains(r.stdout, "Step 3  Key exchange: RSA key transport") ||
		strings.Contains(r.stdout, "ServerKeyExchange") {
		t.Errorf("the default demo no longer tells RSA key transport (exit %d)", r.code)
	}
	c := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-kx", "ecdhe", "-suite", "aes256", "-seed", "5")
	if c.code != 0 || !strings.Contains(c.stdout, "suite chosen      TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384") {
		t.Errorf("-kx ecdhe -suite aes256 did not choose ECDHE with AES-256 (exit %d)\n%s", c.code, c.stderr)
	}
	for _, bad := range [][]string{{"demo", "-kx", "dhe"}, {"demo", "-kx", "rsa", "-suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}} {
		if r := cliTestRun(t, nil, bad...); r.code != 2 || !strings.Contains(r.stderr, "-kx") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a word about -kx", bad, r.code, r.stderr)
		}
	}
}

// TestDemoLeak: `minitls demo -leak` decrypts the recorded RSA session with
// the leaked key, showing the very request that was sent, and cannot
// decrypt the ECDHE session, saying why.
func TestDemoLeak(t *testing.T) {
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-leak", "-seed", "2")
	if r.code != 0 {
		t.Fatalf("demo -leak exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout
	rsaPart, ecdhePart, ok := strings.Cut(out, "Session 2  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
	if !ok || !strings.Contains(rsaPart, "Session 1  TLS_RSA_WITH_AES_128_GCM_SHA256") {
		t.Fatalf("demo -leak does not show both sessions:\n%s", out)
	}
	for _, want := range []string{`"GET /account HTTP/1.1\r\n"`, `"Cookie: session=7f3a9c01d2\r\n"`,
		"✓ ClientKeyExchange", "decrypted with the leaked"} {
		if !strings.Contains(rsaPart, want) {
			t.Errorf("RSA session lacks %q", want)
		}
	}
	if strings.Contains(rsaPart, "✗") {
		t.Errorf("the RSA session shows a failure:\n%s", rsaPart)
	}
	for _, want := range []string{"✗ ClientKeyExchange", "x25519 public value, not a", "ciphertext",
		"forgotten", "forward secrecy", "stays sealed"} {
		if !strings.Contains(ecdhePart, want) {
			t.Errorf("ECDHE session lacks %q", want)
		}
	}
	if strings.Contains(ecdhePart, "GET /account") || strings.Contains(ecdhePart, "Cookie") {
		t.Errorf("the ECDHE session's request leaked:\n%s", ecdhePart)
	}
	for i, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("line %d is %d columns wide (max 80): %q", i+1, n, l)
		}
	}
}

// TestDemoLeakAttack checks the attacker's code on its own: given the
// recording of an RSA session and the right key it recovers the request;
// with another server's key it fails (the GCM tag does not open or the
// padding does not parse), so the success above is not a coincidence.
func TestDemoLeakAttack(t *testing.T) {
	seedRand := handshake.NewDeterministicRand
	pki, err := certgenIssue(seedRand(1), 2048, []string{"localhost"}, "test CA", demoEpoch, 24*time.Hour, 24*time.Hour, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	other, err := certgenIssue(seedRand(9), 2048, []string{"localhost"}, "other CA", demoEpoch, 24*time.Hour, 24*time.Hour, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	roots := pkiRoots(pki)
	clock := func() time.Time { return demoEpoch }
	c2s, s2c, err := demoLeakRecord(pki, roots, []uint16{uint16(handshake.TLS_RSA_WITH_AES_256_GCM_SHA384)}, seedRand(2), seedRand(3), clock)
	if err != nil {
		t.Fatal(err)
	}
	if a := demoAttackRecording(c2s, s2c, pki.leafKey); a.err != nil || string(a.request) != demoLeakRequest {
		t.Fatalf("attack with the right key: %v, %q", a.err, a.request)
	}
	if a := demoAttackRecording(c2s, s2c, other.leafKey); a.err == nil || a.request != nil {
		t.Fatalf("attack with another key recovered %q", a.request)
	}
	c2s, s2c, err = demoLeakRecord(pki, roots, []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)}, seedRand(2), seedRand(3), clock)
	if err != nil {
		t.Fatal(err)
	}
	if a := demoAttackRecording(c2s, s2c, pki.leafKey); a.err == nil || a.request != nil || a.curve != handshake.CurveX25519 {
		t.Fatalf("attack on ECDHE: %v, %q, %v", a.err, a.request, a.curve)
	}
}
