package x509lite

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"fmt"
	"io"

	"minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
)

// ECDSA in certificates: keys on the named curves P-256 and P-384, and the
// ecdsa-with-SHA256/SHA384 signatures (RFC 5480, RFC 5758 §3.2), beside RSA.

var (
	oidECPublicKey     = MustOID("1.2.840.10045.2.1")   // id-ecPublicKey, rfc5480#2.1.1
	oidNamedCurveP256  = MustOID("1.2.840.10045.3.1.7") // secp256r1, rfc5480#2.1.1.1
	oidNamedCurveP384  = MustOID("1.3.132.0.34")        // secp384r1
	oidECDSAWithSHA256 = MustOID("1.2.840.10045.4.3.2") // rfc5758#3.2
	oidECDSAWithSHA384 = MustOID("1.2.840.10045.4.3.3")
)

// otherCurves names the curves minitls refuses, so that the error says which
// curve a certificate or key uses.
var otherCurves = map[string]string{
	"1.2.840.10045.3.1.1":   "P-192 (secp192r1)",
	"1.3.132.0.33":          "P-224 (secp224r1)",
	"1.3.132.0.35":          "P-521 (secp521r1)",
	"1.3.132.0.10":          "secp256k1",
	"1.3.36.3.3.2.8.1.1.7":  "brainpoolP256r1",
	"1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
	"1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1",
}

// curveFromOID returns the curve a namedCurve OID names, or an
// ErrUnsupportedAlgorithm error that names the curve refused.
//
// spec: rfc5480#2.1.1.1
func curveFromOID(o OID, field string) (*ecdsa.Curve, error) {
	switch o {
	case oidNamedCurveP256:
		return ecdsa.P256(), nil
	case oidNamedCurveP384:
		return ecdsa.P384(), nil
	}
	name, ok := otherCurves[o.String()]
	if !ok {
		name = "curve " + o.String()
	}
	return nil, &ParseError{Field: field, Kind: ErrUnsupportedAlgorithm,
		Detail: fmt.Sprintf("EC key on %s (minitls supports the curves P-256 and P-384 only)", name)}
}

// curveOID is the namedCurve OID of c.
func curveOID(c *ecdsa.Curve) OID {
	if c == ecdsa.P384() {
		return oidNamedCurveP384
	}
	return oidNamedCurveP256
}

// parseECParameters reads ECParameters, which must be a namedCurve: RFC
// 5480 forbids implicitCurve and specifiedCurve in certificates.
//
// spec: rfc5480#2.1.1
func parseECParameters(r *DERReader, field string) (*ecdsa.Curve, error) {
	if tag, ok := r.PeekTag(); ok && tag != TagOID {
		return nil, &ParseError{Field: field, Kind: ErrUnsupportedAlgorithm,
			Detail: "EC parameters are not a namedCurve (explicit curve parameters and implicitCurve are refused, rfc5480#2.1.1)"}
	}
	o, err := r.ReadOID()
	if err != nil {
		return nil, err
	}
	return curveFromOID(o, field)
}

// parseECPublicKeyInfo reads the rest of an id-ecPublicKey
// SubjectPublicKeyInfo: the algorithm's parameters (alg, after the OID) and
// the subjectPublicKey, an uncompressed point on the named curve.
//
// spec: rfc5480#2.1.1, rfc5480#2.2
func parseECPublicKeyInfo(alg *DERReader, r *DERReader, field string) (*ecdsa.PublicKey, error) {
	curve, err := parseECParameters(alg, field+".algorithm.parameters")
	if err != nil {
		return nil, err
	}
	if err := alg.Finish(); err != nil {
		return nil, err
	}
	bits, err := r.ReadBitString()
	if err != nil {
		return nil, err
	}
	if err := r.Finish(); err != nil {
		return nil, err
	}
	if bits.BitLength%8 != 0 {
		return nil, syntaxErr(field, "subjectPublicKey is not a whole number of bytes")
	}
	pub, err := ecdsa.NewPublicKey(curve, bits.Bytes)
	if err != nil {
		return nil, syntaxErr(field, "the %s public key is not an uncompressed point on the curve", curve)
	}
	return pub, nil
}

// marshalECPublicKeyInfo encodes pub as an id-ecPublicKey
// SubjectPublicKeyInfo with its namedCurve. spec: rfc5480#2
func marshalECPublicKeyInfo(pub *ecdsa.PublicKey) ([]byte, error) {
	q := pub.Bytes()
	var b DERBuilder
	b.AddSequence(func(b *DERBuilder) {
		b.AddSequence(func(b *DERBuilder) {
			b.AddOID(oidECPublicKey)
			b.AddOID(curveOID(pub.Curve()))
		})
		b.AddBitString(BitString{Bytes: q, BitLength: 8 * len(q)})
	})
	return b.Bytes()
}

// ecdsaSignatureAlgorithm is the signature algorithm a key on c signs
// certificates with: the hash that matches the curve's size.
func ecdsaSignatureAlgorithm(c *ecdsa.Curve) SignatureAlgorithm {
	if c == ecdsa.P384() {
		return ECDSAWithSHA384
	}
	return ECDSAWithSHA256
}

// isECDSA reports whether a is one of the ECDSA algorithms.
func (a SignatureAlgorithm) isECDSA() bool { return a == ECDSAWithSHA256 || a == ECDSAWithSHA384 }

// digestTBS hashes a certificate's signed bytes with h (SHA-256/384/512).
func digestTBS(h crypto.Hash, tbs []byte) []byte {
	switch h {
	case crypto.SHA256:
		d := sha256.Sum256(tbs)
		return d[:]
	case crypto.SHA384:
		d := sha512.Sum384(tbs)
		return d[:]
	case crypto.SHA512:
		d := sha512.Sum512(tbs)
		return d[:]
	}
	return nil
}

// checkECDSASignature checks c's ecdsa-with-SHA* signature with the
// parent's ECDSA key. Any curve may sign any of the two hashes (a P-384
// CA signing with SHA-256 is allowed, as in crypto/x509).
//
// spec: rfc5758#3.2, rfc5480#2.2.3
func checkECDSASignature(c, parent *Certificate) error {
	if parent.ECDSAPublicKey == nil {
		return &CertificateInvalidError{Cert: c, Reason: BadSignature,
			Detail: fmt.Sprintf("the %v signature needs an ECDSA issuer key, but %q has an RSA key", c.SignatureAlgorithm, parent.Subject.String())}
	}
	digest := digestTBS(c.SignatureAlgorithm.Hash(), c.RawTBSCertificate)
	if !ecdsa.VerifyASN1(parent.ECDSAPublicKey, digest, c.Signature) {
		return &CertificateInvalidError{Cert: c, Reason: BadSignature,
			Detail: fmt.Sprintf("%v signature does not verify with the %s key of %q", c.SignatureAlgorithm, parent.ECDSAPublicKey.Curve(), parent.Subject.String())}
	}
	return nil
}

// PublicKeyAlgorithm names the kind of public key a certificate holds.
func (c *Certificate) PublicKeyAlgorithm() string {
	switch {
	case c.ECDSAPublicKey != nil:
		return "ECDSA " + c.ECDSAPublicKey.Curve().Name
	case c.PublicKey != nil:
		return fmt.Sprintf("RSA-%d", modulusBits(c.PublicKey.N))
	}
	return "unknown"
}

// Public returns the certificate's public key, a *rsa.PublicKey or a
// *ecdsa.PublicKey (nil for neither).
func (c *Certificate) Public() crypto.PublicKey {
	switch {
	case c.ECDSAPublicKey != nil:
		return c.ECDSAPublicKey
	case c.PublicKey != nil:
		return c.PublicKey
	}
	return nil
}

// ParseECPrivateKey parses a SEC 1 ECPrivateKey, as in an "EC PRIVATE KEY"
// PEM block:
//
//	ECPrivateKey ::= SEQUENCE { version INTEGER { ecPrivkeyVer1(1) },
//	    privateKey OCTET STRING, parameters [0] ECParameters OPTIONAL,
//	    publicKey [1] BIT STRING OPTIONAL }
//
// The curve must be named in parameters. A publicKey, if present, must be
// d·G, which catches a corrupt key file.
//
// spec: sec1#C.4, rfc5915#3
func ParseECPrivateKey(der []byte) (*ecdsa.PrivateKey, error) { return parseECPrivateKey(der, nil) }

// parseECPrivateKey is ParseECPrivateKey with the curve known from outside
// (PKCS#8's algorithm parameters), in which case parameters may be absent
// but must agree if present.
func parseECPrivateKey(der []byte, curve *ecdsa.Curve) (*ecdsa.PrivateKey, error) {
	const field = "ECPrivateKey"
	r, err := wholeSequence(der, field)
	if err != nil {
		return nil, err
	}
	v, err := r.ReadSmallInt()
	if err != nil {
		return nil, err
	}
	if v != 1 {
		return nil, syntaxErr(field, "version %d (want 1)", v)
	}
	d, err := r.ReadOctetString()
	if err != nil {
		return nil, err
	}
	params, present, err := r.ReadOptional(ContextSpecificConstructed(0))
	if err != nil {
		return nil, err
	}
	if present {
		pr := NewDERReader(params, field+".parameters")
		c, err := parseECParameters(pr, field+".parameters")
		if err != nil {
			return nil, err
		}
		if err := pr.Finish(); err != nil {
			return nil, err
		}
		if curve != nil && c != curve {
			return nil, syntaxErr(field, "parameters name %s, but the PKCS#8 algorithm names %s", c, curve)
		}
		curve = c
	}
	if curve == nil {
		return nil, syntaxErr(field, "no curve named (parameters absent)")
	}
	pubBits, hasPub, err := r.ReadOptional(ContextSpecificConstructed(1))
	if err != nil {
		return nil, err
	}
	if err := r.Finish(); err != nil {
		return nil, err
	}
	if len(d) > curve.Size() {
		return nil, syntaxErr(field, "the private key is %d bytes, longer than %s's %d", len(d), curve, curve.Size())
	}
	// Some encoders drop leading zero bytes; put them back.
	padded := make([]byte, curve.Size())
	copy(padded[curve.Size()-len(d):], d)
	k, err := ecdsa.NewPrivateKey(curve, padded)
	if err != nil {
		return nil, &FileError{Kind: ErrMalformed, Msg: fmt.Sprintf("invalid %s private key: %v", curve, err)}
	}
	if hasPub {
		pr := NewDERReader(pubBits, field+".publicKey")
		bits, err := pr.ReadBitString()
		if err != nil {
			return nil, err
		}
		if err := pr.Finish(); err != nil {
			return nil, err
		}
		if !bytes.Equal(bits.Bytes, k.PublicKey.Bytes()) || bits.BitLength != 8*len(bits.Bytes) {
			return nil, &FileError{Kind: ErrMalformed, Msg: "invalid EC private key: its publicKey is not d·G (the key file is corrupt)"}
		}
	}
	return k, nil
}

// MarshalECPrivateKey encodes k as a SEC 1 ECPrivateKey with the curve's
// name and the public key, as OpenSSL writes it.
//
// spec: sec1#C.4, rfc5915#3
func MarshalECPrivateKey(k *ecdsa.PrivateKey) ([]byte, error) {
	return marshalECPrivateKey(k, true)
}

func marshalECPrivateKey(k *ecdsa.PrivateKey, withParams bool) ([]byte, error) {
	q := k.PublicKey.Bytes()
	var b DERBuilder
	b.AddSequence(func(b *DERBuilder) {
		b.AddSmallInt(1)
		b.AddOctetString(k.Bytes())
		if withParams {
			b.AddConstructed(ContextSpecificConstructed(0), func(b *DERBuilder) { b.AddOID(curveOID(k.Curve())) })
		}
		b.AddConstructed(ContextSpecificConstructed(1), func(b *DERBuilder) {
			b.AddBitString(BitString{Bytes: q, BitLength: 8 * len(q)})
		})
	})
	return b.Bytes()
}

// keyBelongs reports whether priv is the private half of pub (RSA: the same
// modulus and exponent; ECDSA: the same curve and point).
func keyBelongs(pub crypto.PublicKey, priv crypto.Signer) bool {
	switch k := priv.(type) {
	case *rsa.PrivateKey:
		p, ok := pub.(*rsa.PublicKey)
		return ok && p != nil && p.E == k.E && subtle.ConstantTimeCompare(trimLeadingZeros(p.N), trimLeadingZeros(k.N)) == 1
	case *ecdsa.PrivateKey:
		p, ok := pub.(*ecdsa.PublicKey)
		return ok && p != nil && p.Equal(k.Public())
	}
	return false
}

// signatureAlgorithmFor is the algorithm CreateCertificateWithKey signs
// with: sha256WithRSAEncryption for RSA, ecdsa-with-SHA256/384 by curve.
func signatureAlgorithmFor(priv crypto.Signer) (SignatureAlgorithm, error) {
	switch k := priv.(type) {
	case *rsa.PrivateKey:
		return SHA256WithRSA, nil
	case *ecdsa.PrivateKey:
		return ecdsaSignatureAlgorithm(k.Curve()), nil
	}
	return 0, fmt.Errorf("x509lite: CreateCertificate: a %T cannot sign: use a minitls RSA or ECDSA private key", priv)
}

// signTBS signs the certificate's tbs bytes and checks the signature with
// signerPub before it is released, which catches a faulty RSA-CRT result
// (that would leak the key) or a broken ECDSA computation.
func signTBS(random io.Reader, priv crypto.Signer, signerPub crypto.PublicKey, alg SignatureAlgorithm, tbs []byte) ([]byte, error) {
	digest := digestTBS(alg.Hash(), tbs)
	var sig []byte
	var err error
	switch k := priv.(type) {
	case *rsa.PrivateKey:
		sig, err = rsa.SignPKCS1v15(random, k, alg.Hash(), digest)
		if err == nil {
			err = rsa.VerifyPKCS1v15(signerPub.(*rsa.PublicKey), alg.Hash(), digest, sig)
		}
	case *ecdsa.PrivateKey:
		sig, err = ecdsa.SignASN1(random, k, digest)
		if err == nil && !ecdsa.VerifyASN1(signerPub.(*ecdsa.PublicKey), digest, sig) {
			err = ecdsa.ErrVerification
		}
	}
	if err != nil {
		return nil, fmt.Errorf("x509lite: signing the certificate: %w", err)
	}
	return sig, nil
}

// marshalAnyPublicKeyInfo is the SubjectPublicKeyInfo of an RSA or ECDSA
// key.
func marshalAnyPublicKeyInfo(pub crypto.PublicKey) ([]byte, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return MarshalPKIXPublicKey(k)
	case *ecdsa.PublicKey:
		return marshalECPublicKeyInfo(k)
	}
	return nil, fmt.Errorf("x509lite: CreateCertificate: cannot encode a %T public key: use a minitls RSA or ECDSA key", pub)
}
