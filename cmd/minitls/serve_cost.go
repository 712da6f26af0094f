package main

// What the visitor's handshake cost the server, for serve's page: the
// private-key operation (an RSA decryption, an RSA or ECDSA signature, or
// none when the session resumed) and the key exchange, read from the
// connection's state, never assumed.

import (
	"fmt"
	"strings"

	"minitls/handshake"
)

// serveServerCost says what this connection's handshake cost the server.
// RSA key transport decrypts the premaster secret (rfc5246#7.4.7.1); an
// ECDHE suite signs the ServerKeyExchange (rfc8422#5.4) and TLS 1.3 the
// CertificateVerify (rfc8446#4.4.3), with the certificate's key; a resumed
// session does neither (rfc5246#7.3, rfc8446#2.2).
func serveServerCost(d *servePageData) string {
	cost := "Your handshake cost the server " + serveServerPrivateKeyCost(d) + ", and " + serveServerKeyExchangeCost(d) + "."
	if d.clientScheme != 0 {
		cost += " It also checked your certificate chain and your CertificateVerify's " + d.clientScheme.String() + " signature: public-key operations only."
	}
	return cost + " The rest is hashing and symmetric encryption, cheap by comparison."
}

// serveServerPrivateKeyCost is the server's private-key operation.
func serveServerPrivateKeyCost(d *servePageData) string {
	if d.st.DidResume {
		return "no private-key operation: your client resumed an earlier session, so the server sent no certificate and neither signed nor decrypted anything"
	}
	if strings.HasPrefix(handshake.CipherSuite(d.st.CipherSuite).String(), "TLS_RSA_WITH_") {
		return "one RSA private-key operation: decrypting the premaster secret your client encrypted to its " + serveRSAKeyName(d.keyBits) + " key"
	}
	scheme := handshake.SignatureScheme(d.st.SignatureScheme) // TLS 1.3's CertificateVerify
	if scheme == 0 {
		scheme = d.kx.sigScheme // TLS 1.2's ServerKeyExchange
	}
	what := "the ServerKeyExchange"
	if d.version() == serveTLS13 {
		what = "the CertificateVerify"
	}
	if scheme == 0 {
		return "one private-key operation: signing " + what
	}
	return "one " + serveSignerName(scheme) + " private-key operation: signing " + what + " (" + scheme.String() + ")"
}

// serveServerKeyExchangeCost is the server's part of the key exchange.
func serveServerKeyExchangeCost(d *servePageData) string {
	switch {
	case d.version() == serveTLS13 && d.st.DidResume && d.kx.group == 0:
		return "no key exchange: the keys came from your ticket's secret alone (psk_ke)"
	case d.version() != serveTLS13 && d.st.DidResume:
		return "no key exchange: the new keys came from the saved master secret and the two fresh randoms"
	case strings.HasPrefix(handshake.CipherSuite(d.st.CipherSuite).String(), "TLS_RSA_WITH_"):
		return "no key exchange of its own: RSA key transport moved the premaster secret"
	case d.kx.group == handshake.CurveX25519MLKEM768:
		return "one X25519MLKEM768 key exchange: an X25519 key pair and shared secret, and an ML-KEM-768 encapsulation to your key share"
	}
	return "one " + serveGroupName(d.kx.group) + " key exchange: a fresh key pair, then the shared secret with your public value"
}

// serveSignerName names the key a signature scheme signs with.
func serveSignerName(s handshake.SignatureScheme) string {
	switch name := s.String(); {
	case strings.HasPrefix(name, "rsa_"):
		return "RSA"
	case strings.HasPrefix(name, "ecdsa_secp256r1_"):
		return "ECDSA P-256"
	case strings.HasPrefix(name, "ecdsa_secp384r1_"):
		return "ECDSA P-384"
	case strings.HasPrefix(name, "ecdsa_secp521r1_"):
		return "ECDSA P-521"
	}
	return s.String()
}

// serveRSAKeyName is "RSA-2048", or "RSA" when the size is not known.
func serveRSAKeyName(bits int) string {
	if bits == 0 {
		return "RSA"
	}
	return fmt.Sprintf("RSA-%d", bits)
}
