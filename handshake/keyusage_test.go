package handshake

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"testing"

	"minitls/record"
	"minitls/x509lite"
)

// TestKeyUsagePresentWithoutKnownBits: a leaf whose keyUsage extension is
// present but sets only bit 9, which RFC 5280 does not name, allows neither
// keyEncipherment nor digitalSignature. The client asks whether the
// extension is present (rfc5246#7.4.2: "the keyEncipherment bit MUST be set
// if the key usage extension is present"), so both RSA key transport and
// ECDHE_RSA end in unsupported_certificate; testing the bits for zero would
// read the extension as absent and accept the key for both. The leaf is
// made with crypto/x509 (a test oracle) and signed by the test CA.
func TestKeyUsagePresentWithoutKnownBits(t *testing.T) {
	// KeyUsage ::= BIT STRING; DER: 6 unused bits, bit 9 the only one set.
	bit9 := []byte{0x03, 0x03, 0x06, 0x00, 0x40}
	leaf := caSignedLeaf(t, func(c *x509.Certificate) {
		c.KeyUsage = 0
		c.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 15}, Critical: true, Value: bit9}}
	})
	parsed, err := x509lite.ParseCertificate(leaf.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if !parsed.HasExtension(x509lite.OIDExtKeyUsage) || parsed.KeyUsage != 0 {
		t.Fatalf("test leaf: keyUsage present %v, bits %#x; want present with no named bit", parsed.HasExtension(x509lite.OIDExtKeyUsage), parsed.KeyUsage)
	}
	for _, tc := range []struct {
		name    string
		configs func(*testing.T) (*Config, *Config)
	}{
		{"RSA key transport", baseConfigs},
		{"ECDHE_RSA", func(t *testing.T) (*Config, *Config) { return ecdheConfigs(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ccfg, scfg := tc.configs(t)
			scfg.Certificates = []Certificate{leaf}
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, true, record.UnsupportedCertificate)
			if !errors.Is(r.clientErr, ErrUnsupportedCertificate) {
				t.Errorf("client error %v is not ErrUnsupportedCertificate", r.clientErr)
			}
		})
	}
}
