package main

import (
	"crypto/elliptic"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDemoECDSA: `minitls demo -cert ecdsa -seed N` tells the ECDHE story
// with an ECDSA P-256 certificate: the PKI and the certificate name their
// ECDSA keys and ecdsa-with-SHA256 signatures, step 3 shows the
// ServerKeyExchange signed with ecdsa_secp256r1_sha256, its r and s, and
// its checks (r and s in range); the lesson measures ECDSA against RSA-2048 for
// both sides. Two seeded runs print the same step 3. Bad combinations are
// usage errors.
func TestDemoECDSA(t *testing.T) {
	a := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-cert", "ecdsa", "-seed", "5")
	if a.code != 0 {
		t.Fatalf("demo -cert ecdsa exited %d:\n%s\n%s", a.code, a.stdout, a.stderr)
	}
	out := a.stdout
	for _, want := range []string{
		"CN=minitls demo CA,O=minitls, ECDSA P-256, self-signed", "ECDSA P-256, signed by the CA",
		"public key        ECDSA P-256, 65-byte point", "verifies the ecdsa-with-SHA256",
		"suite chosen      TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
		"Step 3  Key exchange: ephemeral ECDH, signed with the server's ECDSA key",
		"signature         ecdsa_secp256r1_sha256,", "SEQUENCE { r INTEGER, s INTEGER }",
		"ECDSA verifies with the certificate's P-256 public key", "tamper test", "32 bytes, ✓ the same on both sides",
		"decrypts to",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo -cert ecdsa lacks %q", want)
		}
	}
	if strings.Contains(out, "✗") || strings.Contains(out, "DIFFERENT") || strings.Contains(out, "RSA-2048, self-signed") {
		t.Errorf("a check failed or an RSA key is named:\n%s", out)
	}
	if !regexp.MustCompile(`The server signs \d+\.\dx faster with ECDSA; the client verifies \d+\.\dx slower\.`).MatchString(out) {
		t.Errorf("demo -cert ecdsa lacks the measured lesson:\n%s", out)
	}
	for i, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("line %d is %d columns wide (max 80): %q", i+1, n, l)
		}
	}
	// r and s are numbers in [1, n-1] (rfc3279#2.2.3, fips186-5#6.4.2).
	r, s := cliTestHex(t, out, "Step 3", "r"), cliTestHex(t, out, "Step 3", "s")
	n := elliptic.P256().Params().N
	if ri, si := new(big.Int).SetBytes(r), new(big.Int).SetBytes(s); ri.Sign() == 0 || si.Sign() == 0 || ri.Cmp(n) >= 0 || si.Cmp(n) >= 0 {
		t.Errorf("r %x or s %x out of [1, n-1]", r, s)
	}
	b := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-cert", "ecdsa", "-seed", "5")
	step3 := func(o string) string { return o[strings.Index(o, "Step 3"):strings.Index(o, "Step 4")] }
	if b.code != 0 || step3(b.stdout) != step3(out) {
		t.Errorf("two -seed 5 runs differ in step 3")
	}
	for _, args := range [][]string{{"-cert", "ecdsa", "-kx", "rsa"}, {"-cert", "ecdsa", "-tls13"}, {"-cert", "ed25519"}} {
		r := cliTestRun(t, nil, append([]string{"demo"}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "-cert") {
			t.Errorf("demo %v: exit %d, stderr %q; want a usage error about -cert", args, r.code, r.stderr)
		}
	}
}
