package handshake

import (
	"errors"
	"testing"

	"minitls/record"
)

// TestNoCommonSignatureScheme: a client whose signature_algorithms lists no
// scheme the server's keys can make, while a group and a suite match, is
// refused with handshake_failure and the cause ErrNoCommonSignatureScheme —
// not ErrNoCommonGroup (TLS 1.2 said so before, issue 23), nor
// ErrNoCommonCipherSuite or ErrNoCertificate (TLS 1.3 said so before).
func TestNoCommonSignatureScheme(t *testing.T) {
	only := func(c *Config, schemes ...SignatureScheme) {
		ext := sigAlgsExt(t, schemes...)
		c.testEditClientHello = func(m *ClientHello) { m.Extensions = setExt(m.Extensions, ext) }
	}
	cases := []struct {
		name           string
		client, server func(t *testing.T) *Config
	}{
		{"TLS 1.2 ECDHE_RSA, client takes only ECDSA and Ed25519", func(t *testing.T) *Config {
			c, _ := ecdheConfigs(t)
			only(c, ECDSAWithP256AndSHA256, 0x0807)
			return c
		}, func(t *testing.T) *Config { _, s := ecdheConfigs(t); return s }},
		{"TLS 1.2 ECDHE_ECDSA, client takes only RSA-PSS", func(t *testing.T) *Config {
			c, _ := ecdheConfigs(t)
			c.CipherSuites = []uint16{uint16(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)}
			only(c, PSSWithSHA256)
			return c
		}, func(t *testing.T) *Config {
			_, s := ecdheConfigs(t)
			s.Certificates = append(s.Certificates, ecdsaFixture(t))
			return s
		}},
		{"TLS 1.3 RSA server, client takes only ECDSA", func(t *testing.T) *Config {
			c, _ := configs13(t)
			only(c, ECDSAWithP256AndSHA256)
			return c
		}, func(t *testing.T) *Config { _, s := configs13(t); return s }},
		{"TLS 1.3 ECDSA server, client takes only RSA-PSS", func(t *testing.T) *Config {
			c, _ := configs13(t)
			only(c, PSSWithSHA256)
			return c
		}, func(t *testing.T) *Config {
			_, s := configs13(t)
			s.Certificates = []Certificate{ecdsaFixture(t)}
			return s
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runPair(t, tc.client(t), tc.server(t), 0, 0)
			checkAlert(t, r, false, record.HandshakeFailure)
			if !errors.Is(r.serverErr, ErrNoCommonSignatureScheme) {
				t.Fatalf("server error %v, want ErrNoCommonSignatureScheme", r.serverErr)
			}
			for _, wrong := range []error{ErrNoCommonGroup, ErrNoCommonCipherSuite, ErrNoCertificate} {
				if errors.Is(r.serverErr, wrong) {
					t.Errorf("server error %v also claims %v", r.serverErr, wrong)
				}
			}
		})
	}
}
