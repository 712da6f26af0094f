package handshake

import (
	"bytes"
	"crypto/tls"
	"testing"
)

const ecdsaChaChaID = uint16(TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)

// TestECDSAChaChaInteropStd: TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
// (rfc7905#2) against crypto/tls in both directions, with the P-256 ECDSA
// fixture: the handshake completes on that suite, the key logs agree and
// data flows both ways. The minitls server holds an RSA and an ECDSA
// certificate and must present the ECDSA one; a client offering both
// ChaCha20-Poly1305 suites gets the ECDSA one (ECDHE_ECDSA before
// ECDHE_RSA, as for AES-GCM).
func TestECDSAChaChaInteropStd(t *testing.T) {
	f := testFixture(t)
	t.Run("minitls client", func(t *testing.T) {
		cc, sc := tcpPair(t)
		var ourLog, stdLog bytes.Buffer
		std := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{stdECDSAFixture(t)}, CipherSuites: []uint16{ecdsaChaChaID},
			MaxVersion: tls.VersionTLS12, KeyLogWriter: &stdLog})
		var phases []Phase
		ours := Client(cc, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: testTime, phaseLog: &phases,
			KeyLogWriter: &ourLog})
		checkECDHEPair(t, ours, std, ecdsaChaChaID, func() error { return std.Handshake() })
		checkECDHEOurs(t, ours, phases, &ourLog, &stdLog)
		exchange(t, ours, std)
	})
	for name, offer := range map[string][]uint16{
		"ECDSA ChaCha only":  {ecdsaChaChaID},
		"both ChaCha suites": {chachaID, ecdsaChaChaID},
	} {
		t.Run("minitls server/"+name, func(t *testing.T) {
			cc, sc := tcpPair(t)
			var ourLog, stdLog bytes.Buffer
			std := tls.Client(cc, &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: offer,
				MaxVersion: tls.VersionTLS12, KeyLogWriter: &stdLog})
			var phases []Phase
			ours := Server(sc, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert, ecdsaFixture(t)}, phaseLog: &phases, KeyLogWriter: &ourLog})
			checkECDHEPair(t, ours, std, ecdsaChaChaID, func() error { return std.Handshake() })
			checkECDHEOurs(t, ours, phases, &ourLog, &stdLog)
			if pub := std.ConnectionState().PeerCertificates[0].PublicKeyAlgorithm.String(); pub != "ECDSA" {
				t.Errorf("server presented a %s certificate, want ECDSA", pub)
			}
			exchange(t, std, ours)
		})
	}
}
