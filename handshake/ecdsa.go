package handshake

import (
	"crypto"
	"fmt"
	"io"
	"slices"

	"minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
	"minitls/x509lite"
)

// This file holds what ECDSA certificates add to the handshake: the
// ECDHE_ECDSA suites (rfc8422#2.1: the same ECDHE key agreement as
// ECDHE_RSA, with the ServerKeyExchange signed by the certificate's ECDSA
// key), the ecdsa_secp256r1_sha256 and ecdsa_secp384r1_sha384 signature
// schemes, and the one place where a signature is made or checked by scheme
// (signWithScheme, verifyWithScheme), for the TLS 1.2 ServerKeyExchange and
// the TLS 1.3 CertificateVerify alike.

// The ECDHE_ECDSA suites with AES-GCM.
//
// spec: rfc5289#3.2
const (
	TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 CipherSuite = 0xC02B
	TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 CipherSuite = 0xC02C
)

// TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 is ECDHE_ECDSA key agreement
// with the ChaCha20-Poly1305 AEAD of RFC 8439 and the SHA-256 PRF, the
// ECDSA twin of TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256.
//
// spec: rfc7905#2
const TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 CipherSuite = 0xCCA9

// The ECDSA signature schemes: in TLS 1.3 each names its curve; in TLS 1.2
// the same code points mean "ECDSA with this hash" (rfc8446#4.2.3 keeps the
// 1.2 meaning for 1.2).
//
// spec: rfc8446#4.2.3, rfc8422#5.1.3
const (
	ECDSAWithP256AndSHA256 SignatureScheme = 0x0403 // ecdsa_secp256r1_sha256
	ECDSAWithP384AndSHA384 SignatureScheme = 0x0503 // ecdsa_secp384r1_sha384
)

// signsWithECDSA reports whether the suite's ServerKeyExchange is signed by
// an ECDSA certificate key (ECDHE_ECDSA), not an RSA one.
//
// spec: rfc8422#2.1
func (s *suite) signsWithECDSA() bool {
	switch s.id {
	case TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
		return true
	}
	return false
}

// isECDSAScheme reports whether s is one of the ECDSA schemes.
func isECDSAScheme(s SignatureScheme) bool {
	return s == ECDSAWithP256AndSHA256 || s == ECDSAWithP384AndSHA384
}

// ecdsaSchemeFor is the scheme a key on c signs with: the curve's own hash,
// which TLS 1.3 requires and minitls's 1.2 server uses as well.
//
// spec: rfc8446#4.2.3
func ecdsaSchemeFor(c *ecdsa.Curve) SignatureScheme {
	if c == ecdsa.P384() {
		return ECDSAWithP384AndSHA384
	}
	return ECDSAWithP256AndSHA256
}

// signer returns the certificate's private key, RSA or ECDSA, or nil.
func (c *Certificate) signer() crypto.Signer {
	switch {
	case c.ECDSAKey != nil:
		return c.ECDSAKey
	case c.PrivateKey != nil:
		return c.PrivateKey
	}
	return nil
}

// signWithScheme signs digest (the hash of what the scheme signs, with
// signatureHash(s)) with key under the scheme s: RSASSA-PSS or PKCS#1 v1.5
// for an RSA key, ECDSA (a DER ECDSA-Sig-Value) for an ECDSA key.
//
// spec: rfc5246#4.7, rfc8422#5.4, rfc8446#4.2.3
func signWithScheme(random io.Reader, key crypto.Signer, s SignatureScheme, digest []byte) ([]byte, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if isECDSAScheme(s) {
			return nil, fmt.Errorf("scheme %v needs an ECDSA key, the certificate's is RSA", s)
		}
		return signDigest(random, k, s, digest)
	case *ecdsa.PrivateKey:
		if !isECDSAScheme(s) {
			return nil, fmt.Errorf("scheme %v needs an RSA key, the certificate's is ECDSA %s", s, k.Curve())
		}
		return ecdsa.SignASN1(random, k, digest)
	}
	return nil, fmt.Errorf("the certificate has no private key minitls can sign with (%T)", key)
}

// verifyWithScheme checks a signature over digest by the leaf's key under
// the scheme s, which must suit the key's kind.
//
// spec: rfc5246#4.7, rfc8422#5.4, rfc8446#4.2.3
func verifyWithScheme(leaf *x509lite.Certificate, s SignatureScheme, digest, sig []byte) error {
	switch {
	case leaf.ECDSAPublicKey != nil && isECDSAScheme(s):
		if !ecdsa.VerifyASN1(leaf.ECDSAPublicKey, digest, sig) {
			return ecdsa.ErrVerification
		}
		return nil
	case leaf.PublicKey != nil && !isECDSAScheme(s):
		return verifyDigest(leaf.PublicKey, s, digest, sig)
	}
	return fmt.Errorf("scheme %v does not suit the certificate's %s key", s, leaf.PublicKeyAlgorithm())
}

// chooseECDSACertificate picks, for the ECDHE_ECDSA suites, the first
// ECDSA certificate whose curve's scheme the client lists in
// signature_algorithms, preferring one whose leaf names the SNI host; nil
// if there is none.
//
// spec: rfc8422#5.3, rfc5246#7.4.1.4.1
func chooseECDSACertificate(config *Config, m *ClientHello, offered []SignatureScheme) (*Certificate, SignatureScheme) {
	var first *Certificate
	var firstScheme SignatureScheme
	for i := range config.Certificates {
		c := &config.Certificates[i]
		if c.ECDSAKey == nil || len(c.Certificate) == 0 {
			continue
		}
		s := ecdsaSchemeFor(c.ECDSAKey.Curve())
		if !slices.Contains(offered, s) {
			continue
		}
		if name := m.ServerName(); name != "" && c.Leaf != nil && slices.Contains(c.Leaf.DNSNames, name) {
			return c, s
		}
		if first == nil {
			first, firstScheme = c, s
		}
	}
	return first, firstScheme
}

// hasKeyFor reports whether some certificate has the kind of key suite s
// needs: ECDSA for ECDHE_ECDSA, RSA for ECDHE_RSA and RSA key transport.
func (config *Config) hasKeyFor(s *suite) bool {
	return slices.ContainsFunc(config.Certificates, func(c Certificate) bool {
		if s.signsWithECDSA() {
			return c.ECDSAKey != nil
		}
		return c.PrivateKey != nil
	})
}

// checkServerKeyKind checks that the server's leaf has the kind of key the
// suite uses: ECDSA for ECDHE_ECDSA, RSA otherwise; in TLS 1.3, where suite
// is nil, either (the CertificateVerify scheme must then fit it,
// checkScheme13).
//
// spec: rfc8422#5.3, rfc5246#7.4.2, rfc8446#4.4.2.2
func checkServerKeyKind(s *suite, leaf *x509lite.Certificate) error {
	if s == nil && leaf.ECDSAPublicKey != nil {
		return nil
	}
	if s != nil && s.signsWithECDSA() {
		if leaf.ECDSAPublicKey == nil {
			return fmt.Errorf("%w: the server chose %v but its certificate has an %s key, not ECDSA", ErrUnsupportedCertificate, s.id, leaf.PublicKeyAlgorithm())
		}
		return nil
	}
	if leaf.PublicKey == nil {
		return fmt.Errorf("%w: the server's certificate has an %s key, but the suite needs an RSA key", ErrUnsupportedCertificate, leaf.PublicKeyAlgorithm())
	}
	return nil
}

// checkScheme13 checks the scheme of a TLS 1.3 CertificateVerify, the
// server's (read by the client) or the client's (read by the server): it
// must be one we offered in our signature_algorithms (offered), and it
// must fit the leaf's key: an RSA key signs RSASSA-PSS (never PKCS#1
// v1.5), an ECDSA key the scheme of its own curve (in TLS 1.3
// ecdsa_secp256r1_sha256 means P-256, unlike TLS 1.2). Either failure is
// illegal_parameter; peer ("server" or "client") names the signer.
//
// spec: rfc8446#4.4.3 ("the signature algorithm MUST be one offered in the
// ... "signature_algorithms" extension"), rfc8446#4.2.3 ("RSASSA-PKCS1-v1_5
// algorithms ... MUST NOT be used for signed TLS handshake messages")
func checkScheme13(s SignatureScheme, leaf *x509lite.Certificate, offered []SignatureScheme, peer string) error {
	if !slices.Contains(offered, s) {
		return failf(ErrIllegalParameter, "the %s's CertificateVerify uses %v, which we did not offer (%v)", peer, s, offered)
	}
	switch {
	case leaf.ECDSAPublicKey != nil && s == ecdsaSchemeFor(leaf.ECDSAPublicKey.Curve()):
		return nil
	case leaf.PublicKey != nil && isPSS(s):
		return nil
	}
	return failf(ErrIllegalParameter, "the %s's CertificateVerify uses %v, which does not fit its certificate's %s key (TLS 1.3: RSASSA-PSS for RSA, the curve's own scheme for ECDSA)", peer, s, leaf.PublicKeyAlgorithm())
}
