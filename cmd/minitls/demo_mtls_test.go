package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"io"
	"strings"
	"testing"

	"minitls/handshake"
)

// TestDemoMTLS: `minitls demo -mtls` walks a TLS 1.3 handshake in which
// the server requires a client certificate: the CertificateRequest field
// by field (empty context, signature_algorithms, signature_algorithms_cert,
// certificate_authorities naming the demo CA), the client's Certificate and
// CertificateVerify with the transcript hash it signs, the server's checks
// and its verdict, and the measured cost of the client's signature. The
// printed transcript hash is checked against the server's side of the same
// seeded handshake, and the client's signature against it with
// crypto/ecdsa and crypto/x509 (the oracles); two -seed runs print the
// same stable lines.
func TestDemoMTLS(t *testing.T) {
	a := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-mtls", "-seed", "8")
	if a.code != 0 {
		t.Fatalf("demo -mtls exited %d:\n%s\n%s", a.code, a.stdout, a.stderr)
	}
	out := a.stdout
	for _, want := range []string{
		"client            CN=minitls demo client,O=minitls, ECDSA P-256, signed by",
		"Step 2  The server asks: CertificateRequest", "← CertificateRequest: 93 bytes, encrypted",
		"context           0 bytes: empty during the handshake",
		"schemes           signature_algorithms: rsa_pss_rsae_sha256,",
		"schemes in chain  signature_algorithms_cert: ecdsa_secp256r1_sha256,",
		"CA names          certificate_authorities: CN=minitls demo CA,O=minitls",
		"Step 3  The client proves who it is", "→ Certificate: ", "usage             digitalSignature, clientAuth",
		"→ CertificateVerify: ", "scheme            ecdsa_secp256r1_sha256", `"TLS 1.3, client`,
		"✓ chain ", "✓ clientAuth ", "✓ signature         ecdsa_secp256r1_sha256 verifies", "✓ tamper test",
		"Verdict: accepted.", "HTTP/1.1 200 OK to CN=minitls demo", "client signs ", "server verifies ",
		"Mutual TLS costs the client one private-key operation per full handshake",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo -mtls lacks %q", want)
		}
	}
	if strings.Contains(out, "✗") {
		t.Errorf("demo -mtls shows a failed check:\n%s", out)
	}
	printed := cliTestHex(t, out, "Step 3", "transcript hash")

	// The same seeded run in process, read from the server's side.
	s := demoTestSession(t, 8, false)
	th, leaf, sig := demoTestServerView(t, s, handshake.TypeCertificate)
	if !bytes.Equal(printed, th) {
		t.Errorf("printed transcript hash %x, the server's transcript through the client's Certificate %x", printed, th)
	}
	pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		t.Fatalf("client certificate key is %T, want ECDSA", leaf.PublicKey)
	}
	signed := sha256.New()
	signed.Write(bytes.Repeat([]byte{0x20}, 64))
	signed.Write([]byte("TLS 1.3, client CertificateVerify\x00"))
	signed.Write(th)
	if !ecdsa.VerifyASN1(pub, signed.Sum(nil), sig) {
		t.Error("crypto/ecdsa rejects the client's CertificateVerify over the server's transcript")
	}
	roots := x509.NewCertPool()
	roots.AddCert(mustParseX509(t, s.pki.caDER))
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: demoEpoch, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("crypto/x509 refuses the demo's client certificate for clientAuth: %v", err)
	}

	b := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-mtls", "-seed", "8")
	beforeLesson := func(s string) string { return cliTestStable(strings.Split(s, "The lesson")[0]) }
	if b.code != 0 || beforeLesson(a.stdout) != beforeLesson(b.stdout) {
		t.Errorf("two runs of demo -mtls -seed 8 differ (exit %d)", b.code)
	}
	tr := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-mtls", "-trace", "-seed", "8")
	for _, want := range []string{"msg_type = certificate_request", "extension_type = certificate_authorities", "msg_type = certificate_verify",
		"algorithm = ecdsa_secp256r1_sha256 — the scheme the signer", "signature — over the transcript so far"} {
		if !strings.Contains(tr.stdout, want) {
			t.Errorf("demo -mtls -trace lacks %q", want)
		}
	}
	if strings.Contains(tr.stdout, "over both randoms") {
		t.Error("demo -mtls -trace labels the CertificateVerify signature as a ServerKeyExchange signature")
	}
}

// TestDemoMTLS12: `minitls demo -mtls -tls12` tells the same story over
// TLS 1.2: the CertificateRequest in clear with certificate_types, the
// client's Certificate and a CertificateVerify over the hash of
// ClientHello...ClientKeyExchange with no context string (checked against
// the server's transcript and with crypto/ecdsa), handshake_failure named
// for a missing certificate; -tls12 alone is a usage error.
func TestDemoMTLS12(t *testing.T) {
	a := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-mtls", "-tls12", "-seed", "9")
	if a.code != 0 {
		t.Fatalf("demo -mtls -tls12 exited %d:\n%s\n%s", a.code, a.stdout, a.stderr)
	}
	out := a.stdout
	for _, want := range []string{
		"Mutual TLS over TLS 1.2", "← CertificateRequest: 65 bytes, in clear, before ServerHelloDone",
		"certificate_types rsa_sign (1), ecdsa_sign (64)", "CA names          certificate_authorities: CN=minitls demo CA",
		"→ Certificate: ", "→ CertificateVerify: ", "ClientHello...ClientKeyExchange, with no context string",
		"✓ signature         ecdsa_secp256r1_sha256 verifies", "✓ tamper test", "Verdict: accepted.", "handshake_failure without a certificate",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo -mtls -tls12 lacks %q", want)
		}
	}
	if strings.Contains(out, "✗") || strings.Contains(out, "TLS 1.3, client CertificateVerify") {
		t.Errorf("demo -mtls -tls12 shows a failed check or TLS 1.3's context string:\n%s", out)
	}
	printed := cliTestHex(t, out, "Step 3", "transcript hash")
	s := demoTestSession(t, 9, true)
	th, leaf, sig := demoTestServerView(t, s, handshake.TypeClientKeyExchange)
	if !bytes.Equal(printed, th) {
		t.Errorf("printed transcript hash %x, the server's hash of ClientHello...ClientKeyExchange %x", printed, th)
	}
	if pub, ok := leaf.PublicKey.(*ecdsa.PublicKey); !ok || !ecdsa.VerifyASN1(pub, th, sig) {
		t.Error("crypto/ecdsa rejects the client's TLS 1.2 CertificateVerify over the server's transcript hash")
	}
	b := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-mtls", "-tls12", "-seed", "9")
	beforeLesson := func(s string) string { return cliTestStable(strings.Split(s, "The lesson")[0]) }
	if b.code != 0 || beforeLesson(a.stdout) != beforeLesson(b.stdout) {
		t.Errorf("two runs of demo -mtls -tls12 -seed 9 differ (exit %d)", b.code)
	}
	if r := cliTestRun(t, nil, "demo", "-tls12"); r.code != 2 || !strings.Contains(r.stderr, "-tls12 goes with -mtls") {
		t.Errorf("demo -tls12: exit %d, stderr %q; want 2 and the rule", r.code, r.stderr)
	}
}

// demoTestSession runs the mutual-TLS story in process with the
// randomness and clock of -seed n (as demoRun sets them), output
// discarded, and returns the session.
func demoTestSession(t *testing.T, n uint64, tls12 bool) *demoSession {
	t.Helper()
	opts := demoOptions{bits: 2048, seed: n, seeded: true, mtls: true, tls12: tls12}
	if tls12 {
		opts.suites = []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256), uint16(handshake.TLS_RSA_WITH_AES_256_GCM_SHA384)}
	}
	s := &demoSession{demoPrinter: newDemoPrinter(io.Discard, false), opts: opts, bits: opts.bits, now: demoEpoch,
		keyRand: handshake.NewDeterministicRand(n * 3), srvRand: handshake.NewDeterministicRand(n*3 + 1),
		cliRand: handshake.NewDeterministicRand(n*3 + 2), stderr: io.Discard}
	for _, step := range demoStories[demoPick(opts)] {
		if err := step(s); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// demoTestServerView reads the server's side of a mutual-TLS connection:
// the SHA-256 transcript hash through the message of type last the client
// sent (TLS 1.3: its Certificate; TLS 1.2: its ClientKeyExchange), the
// client's leaf (crypto/x509) and its CertificateVerify signature.
func demoTestServerView(t *testing.T, s *demoSession, last handshake.HandshakeType) (th []byte, leaf *x509.Certificate, sig []byte) {
	t.Helper()
	h := sha256.New()
	for _, e := range s.events {
		if e.e.IsClient || e.e.Kind != handshake.EventMessage || len(e.e.Bytes) == 0 {
			continue
		}
		ty := handshake.HandshakeType(e.e.Bytes[0])
		if th == nil {
			h.Write(e.e.Bytes)
			if !e.e.Sent && ty == last {
				th = h.Sum(nil)
			}
		}
		switch m := e.e.Message.(type) {
		case *handshake.Certificate13:
			if !e.e.Sent && len(m.Entries) > 0 {
				leaf = mustParseX509(t, m.Entries[0].Data)
			}
		case *handshake.CertificateMessage:
			if !e.e.Sent && len(m.Certificates) > 0 {
				leaf = mustParseX509(t, m.Certificates[0])
			}
		case *handshake.CertificateVerify:
			if !e.e.Sent {
				sig = m.Signature
			}
		}
	}
	if th == nil || leaf == nil || sig == nil {
		t.Fatal("the server's trace lacks the client's Certificate or CertificateVerify")
	}
	return th, leaf, sig
}

func mustParseX509(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
