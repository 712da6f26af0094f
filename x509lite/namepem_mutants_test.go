package x509lite

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
)

// cnATV is the DER of AttributeTypeAndValue{commonName, UTF8String v}.
func cnATV(v byte) []byte {
	return []byte{0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, v}
}

// rdnOf is the DER contents of a Name holding one RDN (a SET of atvs).
func rdnOf(atvs ...[]byte) []byte {
	body := bytes.Join(atvs, nil)
	return append([]byte{0x31, byte(len(body))}, body...)
}

// TestParseNameRDNSetOfOrder: a multi-valued RDN is a DER SET OF, whose
// elements are in ascending order of their encodings, equal encodings
// allowed (X.690 11.6, as required for a Name by rfc5280#4.1.2.4 and read
// as one RDN by rfc4514#2.2). Two identical attributes parse (the order
// check compares each attribute's own encoding, no more, with a strict >);
// two out of order are refused. Kills gremlins' name.go:204:30 (the
// encoding's length len(before)-len(set.b) as +), 205:12 (prev != nil
// negated) and 205:35 (> as >=).
func TestParseNameRDNSetOfOrder(t *testing.T) {
	// Slack after the name so an over-long slice reads bytes, not panics.
	buf := append(rdnOf(cnATV('a'), cnATV('a')), bytes.Repeat([]byte{0xff}, 64)...)
	n, err := parseName(buf[:22], "subject")
	if err != nil {
		t.Fatalf("RDN with two equal attributes: %v", err)
	}
	if len(n.RDNs) != 1 || len(n.RDNs[0]) != 2 || n.RDNs[0][0].Value != "a" || n.RDNs[0][1].Value != "a" {
		t.Fatalf("RDN with two equal attributes parsed as %+v", n.RDNs)
	}
	if n, err := parseName(rdnOf(cnATV('a'), cnATV('b')), "subject"); err != nil || len(n.RDNs) != 1 || len(n.RDNs[0]) != 2 {
		t.Fatalf("ordered RDN: %+v, %v", n, err)
	}
	_, err = parseName(rdnOf(cnATV('b'), cnATV('a')), "subject")
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "DER SET OF order") {
		t.Fatalf("RDN out of order: err = %v, want ErrMalformed about SET OF order", err)
	}
}

// TestNoPEMDataHints: when a file has no PEM block at all, the error says
// so (ParseCertificatesPEM suggests converting DER) and lists no found
// types; "(found ...)" appears only when some other PEM block was present
// (rfc7468#2). Kills gremlins' pem.go:97:38 and 135:37 (len(t) > 0 as >=).
func TestNoPEMDataHints(t *testing.T) {
	notPEM := []byte("this is not PEM\n")
	_, err := ParseCertificatesPEM(notPEM)
	if !errors.Is(err, ErrNoPEMData) || strings.Contains(err.Error(), "(found") || !strings.Contains(err.Error(), "is the file PEM?") {
		t.Fatalf("certificate from non-PEM: err = %v", err)
	}
	_, err = ParsePrivateKeyPEM(notPEM)
	want := "x509lite: no \"-----BEGIN RSA PRIVATE KEY-----\" or \"-----BEGIN PRIVATE KEY-----\" block found"
	if !errors.Is(err, ErrNoPEMData) || err.Error() != want {
		t.Fatalf("key from non-PEM: err = %v, want %q", err, want)
	}
	_, err = ParsePrivateKeyPEM(pemBlock("CERTIFICATE", []byte{1}))
	if !errors.Is(err, ErrNoPEMData) || !strings.Contains(err.Error(), "(found CERTIFICATE): pass the key file") {
		t.Fatalf("key from certificate PEM: err = %v", err)
	}
}

// TestKeyPairFromPEMResults: KeyPairFromPEM returns the chain and the key
// when the key is the leaf's (rfc5246#7.4.2: the server's key must match
// its certificate's public key), ErrKeyMismatch for another key, and the
// parse error, with nothing else, when either PEM input is bad (rfc7468#2).
// Kills gremlins' pem.go:302:9, 306:9 (both) and 309:46 (err != nil
// negated), which lived because the only test looked at err alone.
func TestKeyPairFromPEMResults(t *testing.T) {
	k := testKeys(t)
	c := buildStdChain(t, nil)
	certPEM := append(pemBlock("CERTIFICATE", c.leafDER), pemBlock("CERTIFICATE", c.interDER)...)
	goodKey := pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k[2].std))
	wrongKey := pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k[1].std))

	chain, key, err := KeyPairFromPEM(certPEM, goodKey)
	if err != nil || len(chain) != 2 || key == nil || !bytes.Equal(chain[0].Raw, c.leafDER) || !key.PublicKey.Equal(chain[0].PublicKey) {
		t.Fatalf("matching pair: chain %d certs, key %v, err %v", len(chain), key != nil, err)
	}
	chain, key, err = KeyPairFromPEM(certPEM, wrongKey)
	if !errors.Is(err, ErrKeyMismatch) || chain != nil || key != nil {
		t.Fatalf("wrong key: err = %v (chain %v, key %v)", err, chain != nil, key != nil)
	}
	chain, key, err = KeyPairFromPEM([]byte("not PEM"), goodKey)
	if !errors.Is(err, ErrNoPEMData) || chain != nil || key != nil {
		t.Fatalf("bad certificate PEM: err = %v", err)
	}
	chain, key, err = KeyPairFromPEM(certPEM, []byte("not PEM"))
	if !errors.Is(err, ErrNoPEMData) || chain != nil || key != nil {
		t.Fatalf("bad key PEM: err = %v", err)
	}
}
