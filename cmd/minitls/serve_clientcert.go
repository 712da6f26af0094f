package main

// Mutual TLS in serve: -clientca and -clientauth, and the page's section
// on the visitor's own certificate.

import (
	"errors"
	"fmt"
	"strings"

	"minitls/handshake"
	"minitls/x509lite"
)

// serveClientAuth sets cfg's client-certificate policy from -clientca and
// -clientauth: "require" is RequireAndVerifyClientCert, "request" is
// VerifyClientCertIfGiven (a certificate, when sent, is still verified).
// spec: rfc5246#7.4.4, rfc5246#7.4.6
func serveClientAuth(cfg *handshake.Config, caFile, mode string) error {
	if caFile == "" {
		return nil
	}
	pool, _, err := x509lite.LoadCertPool(caFile)
	if err != nil {
		return fmt.Errorf("-clientca: %v", err)
	}
	switch strings.ToLower(mode) {
	case "require":
		cfg.ClientAuth = handshake.RequireAndVerifyClientCert
	case "request":
		cfg.ClientAuth = handshake.VerifyClientCertIfGiven
	default:
		return &exitError{code: 2, err: errors.New("-clientauth must be require or request, not " + fmt.Sprintf("%q", mode))}
	}
	cfg.ClientCAs = pool
	return nil
}

// serveClientCertificate adds, when the visitor presented a certificate,
// what it says and what the visitor proved with it.
func serveClientCertificate(b *strings.Builder, d *servePageData) {
	if len(d.st.PeerCertificates) == 0 {
		return
	}
	leaf := d.st.PeerCertificates[0]
	b.WriteString("<h2>Your certificate</h2>\n")
	b.WriteString("<p>Your client presented a certificate (mutual TLS) and proved it holds its private key by signing the handshake so far: one private-key operation on your side.</p>\n")
	b.WriteString("<table>\n")
	serveRow(b, "subject", leaf.Subject.String())
	serveRow(b, "issuer", leaf.Issuer.String())
	serveRow(b, "key", serveCertKey(leaf))
	if d.clientScheme != 0 {
		serveRow(b, "signature scheme (CertificateVerify)", d.clientScheme.String())
	} else if d.st.DidResume {
		serveRow(b, "signature scheme (CertificateVerify)", "none on this connection: the resumed session keeps the identity proved in its full handshake")
	}
	serveRow(b, "valid until", leaf.NotAfter.UTC().Format("2006-01-02 15:04 MST"))
	b.WriteString("</table>\n")
}

// serveCertKey names a certificate's key: "RSA-2048", "ECDSA P-256".
func serveCertKey(c *x509lite.Certificate) string {
	switch {
	case c.PublicKey != nil:
		return fmt.Sprintf("RSA-%d", c.PublicKey.Size()*8)
	case c.ECDSAPublicKey != nil:
		return "ECDSA " + c.ECDSAPublicKey.Curve().String()
	}
	return c.PublicKeyAlgorithm()
}

// serveClientLog is what the log line adds when the visitor presented a
// certificate: its subject.
func serveClientLog(st handshake.ConnectionState) string {
	if len(st.PeerCertificates) == 0 {
		return ""
	}
	return fmt.Sprintf(", client certificate %q", st.PeerCertificates[0].Subject.String())
}
