package main

import (
	"bytes"
	"crypto/tls"
	"html"
	"path/filepath"
	"regexp"
	"testing"

	"minitls/handshake"
)

// serveTestCost is the page's "what it cost the server" sentence, unescaped.
func serveTestCost(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`<th>what it cost the server</th><td>([^<]*)</td>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page does not say what the handshake cost the server")
	}
	return html.UnescapeString(m[1])
}

// TestServePageServerCost: the page says what this connection's handshake
// cost the server, from its own state: RSA key transport is one RSA
// decryption and no key exchange (rfc5246#7.4.7.1); ECDHE signs the
// ServerKeyExchange with the certificate's key, RSA or ECDSA (rfc8422#5.4);
// TLS 1.3 signs the CertificateVerify (rfc8446#4.4.3); a resumed session
// makes no private-key operation, and in TLS 1.2 no key exchange either
// (rfc5246#7.3), while TLS 1.3's psk_dhe_ke still runs one (rfc8446#4.2.9).
// The visitors are crypto/tls clients of a server holding an RSA and an
// ECDSA certificate.
func TestServePageServerCost(t *testing.T) {
	rsaDir, ecDir := t.TempDir(), t.TempDir()
	for dir, args := range map[string][]string{rsaDir: nil, ecDir: {"-key", "ecdsa"}} {
		if err := certgenRun(append([]string{"-dir", dir}, args...), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	// One server holds only the RSA certificate, one both: a client that
	// can take ECDSA gets the ECDSA one.
	rsaSrv := cliTestServe(t, rsaDir)
	bothSrv := cliTestServe(t, rsaDir, "-cert", filepath.Join(ecDir, "server.pem"), "-key", filepath.Join(ecDir, "server.key"))
	const (
		noSignature = "no private-key operation: your client resumed an earlier session, so the server sent no certificate and neither signed nor decrypted anything"
		rest        = ". The rest is hashing and symmetric encryption, cheap by comparison."
		x25519      = "one X25519 key exchange: a fresh key pair, then the shared secret with your public value"
	)
	for _, tc := range []struct {
		name    string
		srv     *cliTestServer
		ca      string
		cfg     *tls.Config
		resumed bool // fetch twice, check the second
		want    string
	}{
		{"TLS 1.2 RSA key transport", rsaSrv, rsaDir, &tls.Config{MaxVersion: tls.VersionTLS12,
			CipherSuites: []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256}}, false,
			"Your handshake cost the server one RSA private-key operation: decrypting the premaster secret your client encrypted to its RSA-2048 key, and no key exchange of its own: RSA key transport moved the premaster secret" + rest},
		{"TLS 1.2 ECDHE_RSA", rsaSrv, rsaDir, &tls.Config{MaxVersion: tls.VersionTLS12,
			CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}, CurvePreferences: []tls.CurveID{tls.X25519}}, false,
			"Your handshake cost the server one RSA private-key operation: signing the ServerKeyExchange (rsa_pss_rsae_sha256), and " + x25519 + rest},
		{"TLS 1.2 ECDHE_ECDSA", bothSrv, ecDir, &tls.Config{MaxVersion: tls.VersionTLS12,
			CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, CurvePreferences: []tls.CurveID{tls.CurveP256}}, false,
			"Your handshake cost the server one ECDSA P-256 private-key operation: signing the ServerKeyExchange (ecdsa_secp256r1_sha256), and one P-256 key exchange: a fresh key pair, then the shared secret with your public value" + rest},
		{"TLS 1.2 resumed", rsaSrv, rsaDir, &tls.Config{MaxVersion: tls.VersionTLS12,
			CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}}, true,
			"Your handshake cost the server " + noSignature + ", and no key exchange: the new keys came from the saved master secret and the two fresh randoms" + rest},
		{"TLS 1.3", rsaSrv, rsaDir, &tls.Config{MinVersion: tls.VersionTLS13, CurvePreferences: []tls.CurveID{tls.X25519}}, false,
			"Your handshake cost the server one RSA private-key operation: signing the CertificateVerify (rsa_pss_rsae_sha256), and " + x25519 + rest},
		{"TLS 1.3 X25519MLKEM768", rsaSrv, rsaDir, &tls.Config{MinVersion: tls.VersionTLS13, CurvePreferences: []tls.CurveID{tls.X25519MLKEM768}}, false,
			"Your handshake cost the server one RSA private-key operation: signing the CertificateVerify (rsa_pss_rsae_sha256), and one X25519MLKEM768 key exchange: an X25519 key pair and shared secret, and an ML-KEM-768 encapsulation to your key share" + rest},
		{"TLS 1.3 ECDSA", bothSrv, ecDir, &tls.Config{MinVersion: tls.VersionTLS13, CurvePreferences: []tls.CurveID{tls.X25519}}, false,
			"Your handshake cost the server one ECDSA P-256 private-key operation: signing the CertificateVerify (ecdsa_secp256r1_sha256), and " + x25519 + rest},
		{"TLS 1.3 resumed", rsaSrv, rsaDir, &tls.Config{MinVersion: tls.VersionTLS13, CurvePreferences: []tls.CurveID{tls.X25519}}, true,
			"Your handshake cost the server " + noSignature + ", and " + x25519 + rest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg.Clone()
			cfg.ClientSessionCache = tls.NewLRUClientSessionCache(1)
			page := serveTestPage(t, tc.srv.addr, filepath.Join(tc.ca, "ca.pem"), cfg)
			if tc.resumed {
				page = serveTestPage(t, tc.srv.addr, filepath.Join(tc.ca, "ca.pem"), cfg)
			}
			if got := serveTestCost(t, page); got != tc.want {
				t.Errorf("cost:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestServeServerCostUnusual: a TLS 1.3 resumption without (EC)DHE
// (psk_ke, rfc8446#4.2.9) cost the server neither a signature nor a key
// exchange; a client certificate (rfc8446#4.4.2, #4.4.3) adds only checks
// of its chain and signature. crypto/tls never offers psk_ke, so the
// page's data is built here.
func TestServeServerCostUnusual(t *testing.T) {
	for _, tc := range []struct {
		d    servePageData
		want string
	}{
		{servePageData{st: handshake.ConnectionState{Version: 0x0304, DidResume: true, CipherSuite: 0x1301},
			kx: serveKX{version: serveTLS13, psk: true}},
			"Your handshake cost the server no private-key operation: your client resumed an earlier session, so the server sent no certificate and neither signed nor decrypted anything, and no key exchange: the keys came from your ticket's secret alone (psk_ke). The rest is hashing and symmetric encryption, cheap by comparison."},
		{servePageData{st: handshake.ConnectionState{Version: 0x0304, CipherSuite: 0x1301, SignatureScheme: 0x0403},
			kx: serveKX{version: serveTLS13, group: 0x0017, sigScheme: 0x0403}, clientScheme: 0x0804},
			"Your handshake cost the server one ECDSA P-256 private-key operation: signing the CertificateVerify (ecdsa_secp256r1_sha256), and one P-256 key exchange: a fresh key pair, then the shared secret with your public value. It also checked your certificate chain and your CertificateVerify's rsa_pss_rsae_sha256 signature: public-key operations only. The rest is hashing and symmetric encryption, cheap by comparison."},
	} {
		if got := serveServerCost(&tc.d); got != tc.want {
			t.Errorf("cost:\n%s\nwant:\n%s", got, tc.want)
		}
	}
}
