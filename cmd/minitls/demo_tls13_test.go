package main

import (
	"bufio"
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// demoTestExpandLabel is HKDF-Expand-Label on crypto/hkdf (the oracle).
//
// spec: rfc8446#7.1
func demoTestExpandLabel(t *testing.T, secret []byte, label string, context []byte, n int) []byte {
	t.Helper()
	info := []byte{byte(n >> 8), byte(n), byte(6 + len(label))}
	info = append(append(info, "tls13 "+label...), byte(len(context)))
	info = append(info, context...)
	out, err := hkdf.Expand(sha256.New, secret, string(info), n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDemoTLS13: `minitls demo -tls13` walks a real TLS 1.3 handshake with
// X25519MLKEM768 by default: hellos with their key shares (1216 and 1120
// bytes), the key schedule whose printed values are recomputed here with
// crypto/hkdf (early secret of RFC 8448, handshake and master secrets from
// the printed shared secret), every secret the same on both sides, the
// encrypted flight with the certificate and the CertificateVerify checked,
// the request after one round trip; -seed makes it reproducible, and the
// -keylog file holds the four TLS 1.3 lines with the printed secrets.
func TestDemoTLS13(t *testing.T) {
	keylog := filepath.Join(t.TempDir(), "keys.txt")
	a := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-tls13", "-seed", "3", "-keylog", keylog)
	if a.code != 0 {
		t.Fatalf("demo -tls13 exited %d:\n%s\n%s", a.code, a.stdout, a.stderr)
	}
	out := a.stdout
	for _, want := range []string{
		"Step 2  Hellos: the only handshake messages in clear", "versions          TLS 1.3 (supported_versions)",
		"key_share         X25519MLKEM768: a 1216-byte public share", "key_share         X25519MLKEM768: the server's 1120-byte share",
		"Step 3  The key schedule", "Step 4  The server's flight, encrypted", "← EncryptedExtensions: ",
		"← Certificate: ", "✓ key usage         digitalSignature: this key may sign the", "Verdict: trusted",
		"✓ signature         rsa_pss_rsae_sha256 verifies", "✓ tamper test", "Step 5  Finished, and the request after one round trip",
		"→ GET / HTTP/1.1  (80 bytes in 1 record)", `"GET / HTTP/1.1\r\nHost: localhos…" + 17`, "X25519MLKEM768    server ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo -tls13 lacks %q", want)
		}
	}
	if strings.Contains(out, "✗") {
		t.Errorf("demo -tls13 shows a failed check:\n%s", out)
	}
	early := cliTestHex(t, out, "early secret = HKDF-Extract", "")
	// RFC 8448 §3: the early secret of a handshake without PSK.
	if want, _ := hex.DecodeString("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"); !bytes.Equal(early, want) {
		t.Errorf("early secret %x, want RFC 8448's %x", early, want)
	}
	shared := cliTestHex(t, out, "(EC)DHE shared secret:", "")
	if len(shared) != 64 {
		t.Errorf("X25519MLKEM768 shared secret is %d bytes, want 32 + 32", len(shared))
	}
	empty := sha256.Sum256(nil)
	hs, _ := hkdf.Extract(sha256.New, shared, demoTestExpandLabel(t, early, "derived", empty[:], 32))
	if got := cliTestHex(t, out, "handshake secret = HKDF-Extract", ""); !bytes.Equal(got, hs) {
		t.Errorf("handshake secret %x, recomputed %x", got, hs)
	}
	ms, _ := hkdf.Extract(sha256.New, make([]byte, 32), demoTestExpandLabel(t, hs, "derived", empty[:], 32))
	if got := cliTestHex(t, out, "master secret = HKDF-Extract", ""); !bytes.Equal(got, ms) {
		t.Errorf("master secret %x, recomputed %x", got, ms)
	}
	demoTestKeyLog13(t, out, keylog)
	// The default group, X25519MLKEM768: the server's ML-KEM encapsulation
	// takes its randomness from Config.Rand too, so -seed repeats every
	// secret of the hybrid exchange.
	b := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-tls13", "-seed", "3")
	c := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-tls13", "-seed", "3")
	if b.code != 0 || cliTestStable(b.stdout) != cliTestStable(c.stdout) {
		t.Error("two -seed 3 runs of demo -tls13 differ beyond timings and ports")
	}
}

// demoTestKeyLog13 checks the key log's four TLS 1.3 lines against the
// traffic secrets the demo printed.
func demoTestKeyLog13(t *testing.T, out, keylog string) {
	t.Helper()
	f, err := os.Open(keylog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := map[string][]byte{}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if p := strings.Fields(sc.Text()); len(p) == 3 {
			lines[p[0]], _ = hex.DecodeString(p[2])
		}
	}
	for label, anchor := range map[string]string{
		"CLIENT_HANDSHAKE_TRAFFIC_SECRET": "client_handshake_traffic_secret = ",
		"SERVER_HANDSHAKE_TRAFFIC_SECRET": "server_handshake_traffic_secret = ",
		"CLIENT_TRAFFIC_SECRET_0":         "client_application_traffic_secret_0 = ",
		"SERVER_TRAFFIC_SECRET_0":         "server_application_traffic_secret_0 = ",
	} {
		if got := cliTestHex(t, out, anchor, ""); !bytes.Equal(lines[label], got) {
			t.Errorf("key log %s = %x, the demo printed %x", label, lines[label], got)
		}
	}
}

// TestDemoTLS13Groups: -group picks the key exchange the story tells (a
// wrong name is refused with the choices), and -suite aes256 the TLS 1.3
// suite with AES-256 (SHA-384 in the key schedule).
func TestDemoTLS13Groups(t *testing.T) {
	for group, want := range map[string]string{
		"x25519": "key_share         x25519: a 32-byte public share",
		"p256":   "key_share         secp256r1: a 65-byte public share",
	} {
		r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-tls13", "-group", group, "-seed", "4")
		if r.code != 0 || !strings.Contains(r.stdout, want) || strings.Contains(r.stdout, "✗") {
			t.Errorf("-group %s: exit %d, lacks %q or shows ✗:\n%s%s", group, r.code, want, r.stdout, r.stderr)
		}
	}
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-tls13", "-suite", "aes256", "-seed", "4")
	if r.code != 0 || !strings.Contains(r.stdout, "suite chosen      TLS_AES_256_GCM_SHA384") || strings.Contains(r.stdout, "✗") {
		t.Errorf("-suite aes256: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cliTestRun(t, nil, "demo", "-tls13", "-group", "x448")
	if r.code == 0 || !strings.Contains(r.stderr, "want x25519mlkem768") {
		t.Errorf("-group x448: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestDemoTLS13Trace: -trace shows the TLS 1.3 records, the protected
// ones with their real type.
func TestDemoTLS13Trace(t *testing.T) {
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-tls13", "-trace", "-seed", "5")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, re := range []string{`-trace: the hellos, as the client saw them`, `-trace: the server's flight`,
		`client_hello`, `encrypted_extensions`} {
		if !regexp.MustCompile(re).MatchString(r.stdout) {
			t.Errorf("demo -tls13 -trace lacks %s", re)
		}
	}
}

// TestDemoCompare: `minitls demo -compare` runs TLS 1.2 and TLS 1.3 against
// one server and sets them side by side from the traces: two round trips
// against one, the certificate in clear against encrypted, exactly which
// messages were encrypted, and what TLS 1.3 removed.
func TestDemoCompare(t *testing.T) {
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-compare", "-seed", "6")
	if r.code != 0 {
		t.Fatalf("demo -compare exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, re := range []string{
		`→ ClientHello  \d+ bytes +→ ClientHello  \d+ bytes\n`,
		`← ServerKeyExchange  \d+ bytes +← EncryptedExtensions  \d+ bytes \*\n`,
		`round trips before data +2 +1\n`,
		`server CPU per handshake +[0-9.]+ [µm]s +[0-9.]+ [µm]s\n`,
		`certificate seen on path +yes, in clear +no, encrypted\n`,
		`key exchange +ECDHE X25519 +X25519 key_share\n`,
		`encrypted in 1\.2 +Finished, Finished\n`,
		`encrypted in 1\.3 +EncryptedExtensions, Certificate, CertificateVerify,\s+Finished, Finished\n`,
		`✗ RSA key transport`, `✗ renegotiation`, `✗ compression`, `✗ CBC`, `✗ static RSA and DH`,
	} {
		if !regexp.MustCompile(re).MatchString(r.stdout) {
			t.Errorf("demo -compare lacks %s:\n%s", re, r.stdout)
		}
	}
}

// TestDemoTLS13Resume: `minitls demo -tls13 -resume` connects a second
// time with the ticket of the first connection: the resumed handshake has
// no Certificate and no CertificateVerify, both sides agree on an early
// secret that now comes from the PSK, and a fresh X25519 secret is mixed
// in (psk_dhe_ke).
func TestDemoTLS13Resume(t *testing.T) {
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-tls13", "-resume", "-group", "x25519", "-seed", "7")
	if r.code != 0 {
		t.Fatalf("demo -tls13 -resume exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	i := strings.Index(r.stdout, "Step 6  A second connection resumes with the ticket (PSK)")
	if i < 0 || !strings.Contains(r.stdout[:i], "Step 5  Finished") {
		t.Fatalf("no full TLS 1.3 story then step 6:\n%s", r.stdout)
	}
	step6 := r.stdout[i:]
	for _, re := range []string{
		`→ ClientHello\s+\d+ bytes\s+\d+ bytes\n`, `← EncryptedExtensions\s+\d+ bytes\s+\d+ bytes\n`,
		`← Certificate\s+\d+ bytes\s+—\n`, `← CertificateVerify\s+\d+ bytes\s+—\n`,
		`server signature\s+rsa_pss_rsae_sha256\s+none\n`, `key exchange\s+X25519\s+X25519 \+ PSK\n`,
		`early secret\s+✓ the same on both sides, and now from the PSK:\s+different from the first\s+connection's ✓`,
		`shared secret\s+a fresh X25519 exchange: different from the first\s+connection's ✓`,
		`DidResume\s+client true\n`,
	} {
		if !regexp.MustCompile(re).MatchString(step6) {
			t.Errorf("step 6 lacks %s:\n%s", re, step6)
		}
	}
	if strings.Contains(step6, "✗") {
		t.Errorf("step 6 shows a failed check:\n%s", step6)
	}
}
