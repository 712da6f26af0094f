package x509lite

import (
	"crypto"
	"encoding/pem"
	"fmt"
	"strings"

	"minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
)

// Private keys of either kind, RSA or ECDSA, as crypto.Signer: the forms a
// server's key file comes in (PKCS#1, SEC 1, PKCS#8) and the key-pair
// loaders built on them. The RSA-only functions in pem.go stay as they are.

// ParseKeyPEM parses the first private-key block: "RSA PRIVATE KEY"
// (PKCS#1), "EC PRIVATE KEY" (SEC 1, P-256 or P-384) or "PRIVATE KEY"
// (PKCS#8 holding either). It returns a *rsa.PrivateKey or a
// *ecdsa.PrivateKey. Encrypted keys and other algorithms are refused with
// an error that names what was found. An "EC PARAMETERS" block before the
// key (as `openssl ecparam -genkey` writes) is skipped.
//
// spec: rfc7468#10, rfc5915#4
func ParseKeyPEM(pemBytes []byte) (crypto.Signer, error) {
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
			return signerOrError(ParsePKCS1PrivateKey(b.Bytes))
		case "EC PRIVATE KEY":
			return signerOrError(ParseECPrivateKey(b.Bytes))
		case "PRIVATE KEY":
			return ParsePKCS8Key(b.Bytes)
		}
		return nil, &FileError{Kind: ErrUnsupportedAlgorithm, Msg: fmt.Sprintf("not an RSA or EC private key (found %s): minitls supports RSA and ECDSA P-256/P-384 keys", b.Type)}
	}
	msg := "no \"-----BEGIN PRIVATE KEY-----\", \"-----BEGIN RSA PRIVATE KEY-----\" or \"-----BEGIN EC PRIVATE KEY-----\" block found"
	if t := pemTypes(pemBytes); len(t) > 0 {
		msg += " (found " + strings.Join(t, ", ") + "): pass the key file"
	}
	return nil, &FileError{Kind: ErrNoPEMData, Msg: msg}
}

// signerOrError turns a typed key and error into a crypto.Signer and error
// without wrapping a nil pointer in a non-nil interface.
func signerOrError[K interface {
	*rsa.PrivateKey | *ecdsa.PrivateKey
	crypto.Signer
}](k K, err error) (crypto.Signer, error) {
	if err != nil {
		return nil, err
	}
	return k, nil
}

// ParsePKCS8Key parses a DER PrivateKeyInfo holding an rsaEncryption key
// (returned as *rsa.PrivateKey) or an id-ecPublicKey key on P-256 or P-384
// (*ecdsa.PrivateKey, the curve named in the algorithm's parameters).
//
// spec: rfc5208#5, rfc5915#2
func ParsePKCS8Key(der []byte) (crypto.Signer, error) {
	const field = "PrivateKeyInfo"
	r, err := wholeSequence(der, field)
	if err != nil {
		return nil, err
	}
	if v, err := r.ReadSmallInt(); err != nil || v != 0 {
		if err != nil {
			return nil, err
		}
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
	if oid != oidECPublicKey {
		// RSA, or an error naming the algorithm: ParsePKCS8PrivateKey says it.
		return signerOrError(ParsePKCS8PrivateKey(der))
	}
	curve, err := parseECParameters(alg, field+".privateKeyAlgorithm.parameters")
	if err != nil {
		return nil, err
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
	return signerOrError(parseECPrivateKey(key, curve))
}

// MarshalPKCS8Key encodes a *rsa.PrivateKey or *ecdsa.PrivateKey as a DER
// PrivateKeyInfo (an EC key's curve goes in the algorithm parameters, and
// the inner ECPrivateKey omits them, as OpenSSL writes it).
//
// spec: rfc5208#5, rfc5915#2
func MarshalPKCS8Key(k crypto.Signer) ([]byte, error) {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return MarshalPKCS8PrivateKey(k)
	case *ecdsa.PrivateKey:
		inner, err := marshalECPrivateKey(k, false)
		if err != nil {
			return nil, err
		}
		var b DERBuilder
		b.AddSequence(func(b *DERBuilder) {
			b.AddSmallInt(0)
			b.AddSequence(func(b *DERBuilder) {
				b.AddOID(oidECPublicKey)
				b.AddOID(curveOID(k.Curve()))
			})
			b.AddOctetString(inner)
		})
		return b.Bytes()
	}
	return nil, fmt.Errorf("x509lite: MarshalPKCS8Key: cannot encode a %T", k)
}

// KeyPairFromPEMWithKey is KeyPairFromPEM for RSA and ECDSA keys: it parses
// a certificate chain (leaf first) and a private key (ParseKeyPEM), and
// checks that the key belongs to the leaf.
//
// spec: rfc5246#7.4.2
func KeyPairFromPEMWithKey(certPEM, keyPEM []byte) (chain []*Certificate, key crypto.Signer, err error) {
	chain, err = ParseCertificatesPEM(certPEM)
	if err != nil {
		return nil, nil, err
	}
	key, err = ParseKeyPEM(keyPEM)
	if err != nil {
		return nil, nil, err
	}
	if err := checkAnyKeyMatch(chain[0], key); err != nil {
		return nil, nil, err
	}
	return chain, key, nil
}

// LoadKeyPairWithKey is LoadKeyPair for RSA and ECDSA keys (see
// KeyPairFromPEMWithKey). Errors name the file at fault.
//
// spec: rfc7468#2
func LoadKeyPairWithKey(certFile, keyFile string) (chain []*Certificate, key crypto.Signer, err error) {
	return loadKeyPair(certFile, keyFile, ParseKeyPEM, checkAnyKeyMatch)
}

// checkAnyKeyMatch checks that key is the private half of leaf's key, of
// either kind.
func checkAnyKeyMatch(leaf *Certificate, key crypto.Signer) error {
	if keyBelongs(leaf.Public(), key) {
		return nil
	}
	return &FileError{Kind: ErrKeyMismatch, Msg: fmt.Sprintf(
		"the private key does not match the certificate %q (the certificate has an %s key): pass the key that was generated with this certificate",
		leaf.Subject.String(), leaf.PublicKeyAlgorithm())}
}
