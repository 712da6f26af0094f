package main

// serve's certificates: -cert and -key may be repeated, one pair per
// certificate, so one server can hold an RSA and an ECDSA certificate and
// present to each visitor the one its client supports (see the handshake
// package's ECDHE_ECDSA suites).

import (
	"fmt"
	"strings"

	"minitls/handshake"
)

// serveFileList is a repeatable string flag.
type serveFileList []string

func (l *serveFileList) String() string { return strings.Join(*l, ",") }

// Set appends one file.
func (l *serveFileList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// serveLoadCertificates loads each -cert with the -key in the same position
// (server.pem and server.key when neither flag is given).
func serveLoadCertificates(certs, keys serveFileList) ([]handshake.Certificate, error) {
	if len(certs) == 0 && len(keys) == 0 {
		certs, keys = serveFileList{"server.pem"}, serveFileList{"server.key"}
	}
	if len(certs) != len(keys) {
		return nil, &exitError{code: 2, err: fmt.Errorf("%d -cert and %d -key flags: give one -key for each -cert, in the same order", len(certs), len(keys))}
	}
	var out []handshake.Certificate
	for i := range certs {
		c, err := handshake.LoadX509KeyPair(certs[i], keys[i])
		if err != nil {
			return nil, fmt.Errorf("loading the certificate %s: %w (make a pair with 'minitls certgen', -key ecdsa for ECDSA)", certs[i], err)
		}
		out = append(out, c)
	}
	return out, nil
}

func init() {
	// ECDHE_ECDSA (issue 19): IANA and OpenSSL names for -suite.
	for name, s := range map[string]handshake.CipherSuite{
		"tls_ecdhe_ecdsa_with_aes_128_gcm_sha256":       handshake.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		"ecdhe-ecdsa-aes128-gcm-sha256":                 handshake.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		"tls_ecdhe_ecdsa_with_aes_256_gcm_sha384":       handshake.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		"ecdhe-ecdsa-aes256-gcm-sha384":                 handshake.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		"tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256": handshake.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
		"ecdhe-ecdsa-chacha20-poly1305":                 handshake.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	} {
		cliSuiteAliases[name] = s
	}
}

// serveCertificatesLine says, for the "listening" log line, which names
// each certificate is for and its key type, e.g. " (certificate for
// localhost, 127.0.0.1, ECDSA P-256; certificate for localhost, RSA-2048)".
func serveCertificatesLine(certs []handshake.Certificate) string {
	var parts []string
	for _, c := range certs {
		if c.Leaf == nil {
			continue
		}
		all := append([]string(nil), c.Leaf.DNSNames...)
		for _, ip := range c.Leaf.IPAddresses {
			all = append(all, ip.String())
		}
		parts = append(parts, "certificate for "+strings.Join(append(all, c.Leaf.PublicKeyAlgorithm()), ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
