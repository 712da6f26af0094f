package x509lite

import (
	"crypto/subtle"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"minitls/cipher/rsa"
)

// Sentinel causes of a FileError.
//
// spec: rfc7468#2
var (
	// ErrNoPEMData: the input holds no PEM block of the wanted kind.
	ErrNoPEMData = errors.New("no PEM data")
	// ErrKeyMismatch: the private key does not belong to the leaf certificate.
	ErrKeyMismatch = errors.New("private key does not match the certificate")
	// ErrEncryptedKey: a password-protected key, which minitls does not decrypt.
	ErrEncryptedKey = errors.New("encrypted private key")
)

// FileError reports a problem with a PEM certificate or key file and says
// what to do about it. File is empty when the input did not come from a file.
//
// spec: rfc7468#2
type FileError struct {
	File string
	Kind error // ErrNoPEMData, ErrKeyMismatch, ErrEncryptedKey, ErrUnsupportedAlgorithm, ErrMalformed
	Msg  string
}

// Error names the file (when known) and what to do about the problem.
func (e *FileError) Error() string {
	p := "x509lite"
	if e.File != "" {
		p = e.File
	}
	return p + ": " + e.Msg
}

// Unwrap returns Kind.
func (e *FileError) Unwrap() error { return e.Kind }

func withFile(err error, file string) error {
	var fe *FileError
	if errors.As(err, &fe) && fe.File == "" {
		c := *fe
		c.File = file
		return &c
	}
	return fmt.Errorf("%s: %w", file, err)
}

// pemTypes lists the block types in data, for error messages.
func pemTypes(data []byte) []string {
	var types []string
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		types = append(types, b.Type)
	}
	return types
}

// ParseCertificatesPEM parses every CERTIFICATE block, in order (leaf
// first in a chain file). Blocks of other types (a private key in a combined
// file) are skipped; it is an error if there is no certificate at all.
//
// spec: rfc7468#5
func ParseCertificatesPEM(pemBytes []byte) ([]*Certificate, error) {
	var certs []*Certificate
	rest := pemBytes
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d in the PEM data: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		msg := "no \"-----BEGIN CERTIFICATE-----\" block found"
		if t := pemTypes(pemBytes); len(t) > 0 {
			msg += " (found " + strings.Join(t, ", ") + "): pass the certificate file"
		} else {
			msg += ": is the file PEM? (convert DER with `openssl x509 -inform der -in cert.der -out cert.pem`)"
		}
		return nil, &FileError{Kind: ErrNoPEMData, Msg: msg}
	}
	return certs, nil
}

// ParsePrivateKeyPEM parses the first private-key block: "RSA PRIVATE KEY"
// (PKCS#1) or "PRIVATE KEY" (PKCS#8 holding rsaEncryption). Other key types
// and encrypted keys are refused with an error that names what was found.
//
// spec: rfc8017#A.1.2
func ParsePrivateKeyPEM(pemBytes []byte) (*rsa.PrivateKey, error) {
	rest := pemBytes
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue
		}
		if _, ok := b.Headers["DEK-Info"]; ok || b.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, &FileError{Kind: ErrEncryptedKey, Msg: "the private key is encrypted: minitls reads unencrypted keys only (decrypt it with `openssl pkey -in key.pem -out plain.pem`)"}
		}
		switch b.Type {
		case "RSA PRIVATE KEY":
			return ParsePKCS1PrivateKey(b.Bytes)
		case "PRIVATE KEY":
			return ParsePKCS8PrivateKey(b.Bytes)
		}
		return nil, &FileError{Kind: ErrUnsupportedAlgorithm, Msg: fmt.Sprintf("not an RSA private key (found %s): minitls supports RSA keys only", b.Type)}
	}
	msg := "no \"-----BEGIN RSA PRIVATE KEY-----\" or \"-----BEGIN PRIVATE KEY-----\" block found"
	if t := pemTypes(pemBytes); len(t) > 0 {
		msg += " (found " + strings.Join(t, ", ") + "): pass the key file"
	}
	return nil, &FileError{Kind: ErrNoPEMData, Msg: msg}
}

// ParsePKCS1PrivateKey parses a DER RSAPrivateKey:
//
//	RSAPrivateKey ::= SEQUENCE { version Version, modulus INTEGER, publicExponent INTEGER,
//	    privateExponent INTEGER, prime1 INTEGER, prime2 INTEGER, exponent1 INTEGER,
//	    exponent2 INTEGER, coefficient INTEGER, otherPrimeInfos OtherPrimeInfos OPTIONAL }
//
// The key is rebuilt by rsa.NewPrivateKey from n, e, d, p, q (which
// validates it); the file's exponent1, exponent2 and coefficient must equal
// the recomputed values (compared in constant time), so a corrupted CRT
// component is caught here rather than producing faulty signatures.
// Multi-prime keys (version 1) are refused. Not constant time: the DER
// walk branches on the lengths of the secret integers (public in practice:
// they follow from the modulus size).
//
// spec: rfc8017#A.1.2
func ParsePKCS1PrivateKey(der []byte) (*rsa.PrivateKey, error) {
	const field = "RSAPrivateKey"
	r, err := wholeSequence(der, field)
	if err != nil {
		return nil, err
	}
	v, err := r.ReadSmallInt()
	if err != nil {
		return nil, err
	}
	if v != 0 {
		return nil, &FileError{Kind: ErrUnsupportedAlgorithm, Msg: fmt.Sprintf("RSAPrivateKey version %d (multi-prime keys are not supported)", v)}
	}
	var ints [8][]byte
	for i := range ints {
		if ints[i], err = r.ReadUnsignedInteger(); err != nil {
			return nil, err
		}
	}
	if err := r.Finish(); err != nil {
		return nil, err
	}
	e, ok := smallInt(ints[1])
	if !ok {
		return nil, &FileError{Kind: ErrUnsupportedAlgorithm, Msg: "RSA public exponent above 2^31-1"}
	}
	k, err := rsa.NewPrivateKey(ints[0], e, ints[2], ints[3], ints[4])
	if err != nil {
		return nil, &FileError{Kind: ErrMalformed, Msg: fmt.Sprintf("invalid RSA private key: %v", err)}
	}
	for i, got := range [][]byte{k.Dp, k.Dq, k.Qinv} {
		if subtle.ConstantTimeCompare(trimLeadingZeros(got), ints[5+i]) != 1 {
			name := [...]string{"exponent1 (d mod p-1)", "exponent2 (d mod q-1)", "coefficient (q^-1 mod p)"}[i]
			return nil, &FileError{Kind: ErrMalformed, Msg: "invalid RSA private key: " + name + " does not match the other components (the key file is corrupt)"}
		}
	}
	return k, nil
}

// ParsePKCS8PrivateKey parses a DER PrivateKeyInfo that holds an RSA key:
//
//	PrivateKeyInfo ::= SEQUENCE { version Version, privateKeyAlgorithm AlgorithmIdentifier,
//	    privateKey OCTET STRING, attributes [0] IMPLICIT Attributes OPTIONAL }
//
// spec: rfc5208#5
func ParsePKCS8PrivateKey(der []byte) (*rsa.PrivateKey, error) {
	const field = "PrivateKeyInfo"
	r, err := wholeSequence(der, field)
	if err != nil {
		return nil, err
	}
	v, err := r.ReadSmallInt()
	if err != nil {
		return nil, err
	}
	if v != 0 {
		return nil, syntaxErr(field, "version %d (want 0)", v)
	}
	alg, err := r.ReadSequence(field + ".privateKeyAlgorithm")
	if err != nil {
		return nil, err
	}
	oid, err := alg.ReadOID()
	if err != nil {
		return nil, err
	}
	if oid != oidRSAEncryption {
		kind := oid.String()
		switch oid.String() {
		case "1.2.840.10045.2.1":
			kind = "an EC key"
		case "1.3.101.112":
			kind = "an Ed25519 key"
		}
		return nil, &FileError{Kind: ErrUnsupportedAlgorithm, Msg: fmt.Sprintf("not an RSA private key (found %s in PKCS#8): minitls supports RSA keys only", kind)}
	}
	if !alg.Empty() {
		if err := alg.ReadNull(); err != nil {
			return nil, err
		}
	}
	if err := alg.Finish(); err != nil {
		return nil, err
	}
	key, err := r.ReadOctetString()
	if err != nil {
		return nil, err
	}
	if _, _, err := r.ReadOptional(ContextSpecificConstructed(0)); err != nil {
		return nil, err
	}
	if err := r.Finish(); err != nil {
		return nil, err
	}
	return ParsePKCS1PrivateKey(key)
}

// MarshalPKCS1PrivateKey encodes k as a DER RSAPrivateKey (version 0).
//
// spec: rfc8017#A.1.2
func MarshalPKCS1PrivateKey(k *rsa.PrivateKey) []byte {
	var b DERBuilder
	b.AddSequence(func(b *DERBuilder) {
		b.AddSmallInt(0)
		b.AddUnsignedInteger(k.N)
		b.AddSmallInt(k.E)
		for _, x := range [][]byte{k.D, k.P, k.Q, k.Dp, k.Dq, k.Qinv} {
			b.AddUnsignedInteger(x)
		}
	})
	der, err := b.Bytes()
	if err != nil { // only a negative E can fail, which NewPrivateKey never produces
		return nil
	}
	return der
}

// MarshalPKCS8PrivateKey wraps the PKCS#1 encoding of k in a PrivateKeyInfo
// with the rsaEncryption algorithm (NULL parameters).
//
// spec: rfc5208#5
func MarshalPKCS8PrivateKey(k *rsa.PrivateKey) ([]byte, error) {
	inner := MarshalPKCS1PrivateKey(k)
	if inner == nil {
		return nil, errors.New("x509lite: cannot encode RSA private key")
	}
	var b DERBuilder
	b.AddSequence(func(b *DERBuilder) {
		b.AddSmallInt(0)
		b.AddSequence(func(b *DERBuilder) {
			b.AddOID(oidRSAEncryption)
			b.AddNull()
		})
		b.AddOctetString(inner)
	})
	return b.Bytes()
}

// KeyPairFromPEM parses a certificate chain (leaf first) and a private key,
// and checks that the key belongs to the leaf (same modulus and exponent),
// which catches the common mistake of pairing a key with the wrong
// certificate before any client sees it.
//
// spec: rfc5246#7.4.2
func KeyPairFromPEM(certPEM, keyPEM []byte) (chain []*Certificate, key *rsa.PrivateKey, err error) {
	chain, err = ParseCertificatesPEM(certPEM)
	if err != nil {
		return nil, nil, err
	}
	key, err = ParsePrivateKeyPEM(keyPEM)
	if err != nil {
		return nil, nil, err
	}
	if err := checkKeyMatch(chain[0], key); err != nil {
		return nil, nil, err
	}
	return chain, key, nil
}

func checkKeyMatch(leaf *Certificate, key *rsa.PrivateKey) error {
	pub := leaf.PublicKey
	if pub.E != key.E || subtle.ConstantTimeCompare(trimLeadingZeros(pub.N), trimLeadingZeros(key.N)) != 1 {
		return &FileError{Kind: ErrKeyMismatch, Msg: fmt.Sprintf(
			"the private key does not match the certificate %q (different RSA public key): pass the key that was generated with this certificate",
			leaf.Subject.String())}
	}
	return nil
}

// LoadKeyPair reads a PEM certificate chain file and a PEM key file (see
// KeyPairFromPEM). Errors name the file at fault.
//
// spec: rfc7468#2
func LoadKeyPair(certFile, keyFile string) (chain []*Certificate, key *rsa.PrivateKey, err error) {
	return loadKeyPair(certFile, keyFile, ParsePrivateKeyPEM, checkKeyMatch)
}

// loadKeyPair reads the two files, parses the chain and the key with
// parseKey, and checks with match that the key is the leaf's; each error
// names the file at fault. LoadKeyPair (RSA) and LoadKeyPairWithKey (RSA or
// ECDSA) differ only in parseKey and match.
func loadKeyPair[K any](certFile, keyFile string, parseKey func([]byte) (K, error), match func(*Certificate, K) error) (chain []*Certificate, key K, err error) {
	var none K
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, none, err
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, none, err
	}
	if chain, err = ParseCertificatesPEM(certPEM); err != nil {
		return nil, none, withFile(err, certFile)
	}
	if key, err = parseKey(keyPEM); err != nil {
		return nil, none, withFile(err, keyFile)
	}
	if err := match(chain[0], key); err != nil {
		return nil, none, withFile(err, keyFile+" (for "+certFile+")")
	}
	return chain, key, nil
}
