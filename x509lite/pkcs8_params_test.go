package x509lite

import (
	stdecdsa "crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"testing"
)

// TestPKCS8ECInnerParameters: a PKCS#8 EC key whose ECPrivateKey also names
// its curve (as OpenSSL and crypto/x509's SEC 1 encoder write it) parses when
// the two names agree and is malformed when they differ (rfc5915#3: the
// parameters, if present, are the algorithm's own; rfc5208#5).
func TestPKCS8ECInnerParameters(t *testing.T) {
	oidP256, oidP384 := asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}, asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	k, err := stdecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(k) // names P-256 inside
	if err != nil {
		t.Fatal(err)
	}
	wrap := func(curve asn1.ObjectIdentifier) []byte {
		params, _ := asn1.Marshal(curve)
		der, err := asn1.Marshal(struct {
			Version    int
			Algorithm  pkix.AlgorithmIdentifier
			PrivateKey []byte
		}{0, pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, Parameters: asn1.RawValue{FullBytes: params}}, sec1})
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	if _, err := ParsePKCS8Key(wrap(oidP256)); err != nil {
		t.Errorf("P-256 named in both places: %v", err)
	}
	if _, err := ParsePKCS8Key(wrap(oidP384)); !errors.Is(err, ErrMalformed) {
		t.Errorf("P-384 in the algorithm, P-256 in the key: %v, want ErrMalformed", err)
	}
}
