package main

// The client certificate certgen issues beside the server's, for mutual
// TLS (serve -clientca, get -cert/-key, curl --cert/--key).

import (
	"fmt"
	"io"
	"time"

	"minitls/cipher/ecdsa"
	"minitls/x509lite"
)

// certgenClient is a client certificate and its key.
type certgenClient struct {
	key  *ecdsa.PrivateKey
	der  []byte
	leaf *x509lite.Certificate
}

// certgenIssueClient issues a client certificate from the CA of pki for an
// ECDSA P-256 key (generated at once, unlike an RSA key): keyUsage
// digitalSignature (the key signs CertificateVerify, spec: rfc5246#7.4.8,
// rfc5280#4.2.1.3) and extKeyUsage clientAuth, which servers check (spec:
// rfc5280#4.2.1.12); the subject names the client, and there is no
// subjectAltName, since no one connects to a client.
func certgenIssueClient(random io.Reader, pki *certgenPKI, name string, now time.Time, life time.Duration) (*certgenClient, error) {
	key, err := ecdsa.GenerateKey(ecdsa.P256(), random)
	if err != nil {
		return nil, fmt.Errorf("generating the client key: %w", err)
	}
	start := now.Add(-time.Hour).UTC().Truncate(time.Second)
	tmpl := &x509lite.Certificate{
		Subject:     x509lite.NewName(x509lite.Attr(x509lite.OIDOrganization, "minitls"), x509lite.Attr(x509lite.OIDCommonName, name)),
		NotBefore:   start,
		NotAfter:    start.Add(life),
		KeyUsage:    x509lite.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageClientAuth},
	}
	der, err := x509lite.CreateCertificateWithKey(random, tmpl, pki.ca, &key.PublicKey, pki.caSigner())
	if err != nil {
		return nil, fmt.Errorf("issuing the client certificate: %w", err)
	}
	leaf, err := x509lite.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parsing the client certificate just issued: %w", err)
	}
	return &certgenClient{key: key, der: der, leaf: leaf}, nil
}
