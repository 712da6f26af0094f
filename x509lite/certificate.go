// Package x509lite is a small, strict X.509 implementation for TLS server
// certificates: its own DER reader and builder, certificate parsing, PEM key
// files, issuing, and fail-closed chain validation.
//
// It understands the subset of RFC 5280 that TLS server certificates use —
// RSA keys, RSA PKCS#1 v1.5 signatures with SHA-256/384/512, and the
// extensions basicConstraints, keyUsage, extKeyUsage, subjectAltName,
// subjectKeyIdentifier, authorityKeyIdentifier and authorityInfoAccess — and
// rejects anything else that could change the outcome (an unknown critical
// extension, another algorithm, an RSA key outside 2048..8192 bits in a
// verified path) instead of guessing. It never imports crypto/x509,
// encoding/asn1, crypto/rsa or math/big; those are test oracles only.
package x509lite

import (
	"crypto"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
)

// SignatureAlgorithm is the signature algorithm of a certificate: RSA
// PKCS#1 v1.5 with SHA-2, or ECDSA with SHA-256/384.
//
// spec: rfc4055#5
type SignatureAlgorithm int

// Supported signature algorithms (the zero value means unknown).
//
// spec: rfc4055#5
const (
	UnknownSignatureAlgorithm SignatureAlgorithm = iota
	SHA256WithRSA
	SHA384WithRSA
	SHA512WithRSA
	// SHA1WithRSA is set only on trust anchors loaded into a CertPool from
	// PEM (AppendCertsFromPEM, SystemCertPool): many roots are self-signed
	// with SHA-1, and an anchor's own signature is never checked
	// (rfc5280#6.1.1 (d) takes only its name and key). A SHA-1 signature
	// on any certificate that must be verified is refused.
	SHA1WithRSA
	// ECDSAWithSHA256 and ECDSAWithSHA384 are ecdsa-with-SHA256/384
	// (rfc5758#3.2), by a P-256 or P-384 issuer key.
	ECDSAWithSHA256
	ECDSAWithSHA384
)

var (
	oidSHA1WithRSA   = MustOID("1.2.840.113549.1.1.5")
	oidSHA256WithRSA = MustOID("1.2.840.113549.1.1.11")
	oidSHA384WithRSA = MustOID("1.2.840.113549.1.1.12")
	oidSHA512WithRSA = MustOID("1.2.840.113549.1.1.13")
	oidRSAEncryption = MustOID("1.2.840.113549.1.1.1")
)

// String names the algorithm as crypto/x509 does ("SHA256-RSA").
func (a SignatureAlgorithm) String() string {
	switch a {
	case SHA256WithRSA:
		return "SHA256-RSA"
	case SHA384WithRSA:
		return "SHA384-RSA"
	case SHA512WithRSA:
		return "SHA512-RSA"
	case SHA1WithRSA:
		return "SHA1-RSA (trust anchors only)"
	case ECDSAWithSHA256:
		return "ECDSA-SHA256"
	case ECDSAWithSHA384:
		return "ECDSA-SHA384"
	}
	return "unknown"
}

// Hash returns the digest the algorithm signs (0 for unknown, and for
// SHA1WithRSA, whose signatures minitls never verifies).
//
// spec: rfc4055#5
func (a SignatureAlgorithm) Hash() crypto.Hash {
	switch a {
	case SHA256WithRSA, ECDSAWithSHA256:
		return crypto.SHA256
	case SHA384WithRSA, ECDSAWithSHA384:
		return crypto.SHA384
	case SHA512WithRSA:
		return crypto.SHA512
	}
	return 0
}

func (a SignatureAlgorithm) oid() OID {
	switch a {
	case SHA256WithRSA:
		return oidSHA256WithRSA
	case SHA384WithRSA:
		return oidSHA384WithRSA
	case SHA512WithRSA:
		return oidSHA512WithRSA
	case ECDSAWithSHA256:
		return oidECDSAWithSHA256
	case ECDSAWithSHA384:
		return oidECDSAWithSHA384
	}
	return ""
}

// KeyUsage is the keyUsage bit set; bit n of the BIT STRING is 1<<n, the
// same numbering as Go's crypto/x509.
//
// spec: rfc5280#4.2.1.3
type KeyUsage int

// Key usages, bit n of the keyUsage BIT STRING as 1<<n.
//
// spec: rfc5280#4.2.1.3
const (
	KeyUsageDigitalSignature KeyUsage = 1 << iota
	KeyUsageContentCommitment
	KeyUsageKeyEncipherment
	KeyUsageDataEncipherment
	KeyUsageKeyAgreement
	KeyUsageCertSign
	KeyUsageCRLSign
	KeyUsageEncipherOnly
	KeyUsageDecipherOnly
)

// ExtKeyUsage is a known extended key usage; the numbering matches Go's
// crypto/x509 for the values defined here.
//
// spec: rfc5280#4.2.1.12
type ExtKeyUsage int

// Extended key usages minitls knows by name; others land in
// Certificate.UnknownExtKeyUsage.
//
// spec: rfc5280#4.2.1.12
const (
	ExtKeyUsageAny             ExtKeyUsage = 0
	ExtKeyUsageServerAuth      ExtKeyUsage = 1
	ExtKeyUsageClientAuth      ExtKeyUsage = 2
	ExtKeyUsageCodeSigning     ExtKeyUsage = 3
	ExtKeyUsageEmailProtection ExtKeyUsage = 4
	ExtKeyUsageTimeStamping    ExtKeyUsage = 8
	ExtKeyUsageOCSPSigning     ExtKeyUsage = 9
)

var extKeyUsageOIDs = map[ExtKeyUsage]OID{
	ExtKeyUsageAny:             MustOID("2.5.29.37.0"),
	ExtKeyUsageServerAuth:      MustOID("1.3.6.1.5.5.7.3.1"),
	ExtKeyUsageClientAuth:      MustOID("1.3.6.1.5.5.7.3.2"),
	ExtKeyUsageCodeSigning:     MustOID("1.3.6.1.5.5.7.3.3"),
	ExtKeyUsageEmailProtection: MustOID("1.3.6.1.5.5.7.3.4"),
	ExtKeyUsageTimeStamping:    MustOID("1.3.6.1.5.5.7.3.8"),
	ExtKeyUsageOCSPSigning:     MustOID("1.3.6.1.5.5.7.3.9"),
}

// String is the RFC 5280 name of the usage (serverAuth, clientAuth, ...).
func (u ExtKeyUsage) String() string {
	switch u {
	case ExtKeyUsageAny:
		return "any"
	case ExtKeyUsageServerAuth:
		return "serverAuth"
	case ExtKeyUsageClientAuth:
		return "clientAuth"
	case ExtKeyUsageCodeSigning:
		return "codeSigning"
	case ExtKeyUsageEmailProtection:
		return "emailProtection"
	case ExtKeyUsageTimeStamping:
		return "timeStamping"
	case ExtKeyUsageOCSPSigning:
		return "OCSPSigning"
	}
	return fmt.Sprintf("ExtKeyUsage(%d)", int(u))
}

// Extension is one raw certificate extension.
//
// spec: rfc5280#4.1
type Extension struct {
	ID       OID
	Critical bool
	Value    []byte // the extnValue OCTET STRING contents
}

// Extension OIDs minitls interprets.
//
// spec: rfc5280#4.2.1
var (
	OIDExtSubjectKeyID     = MustOID("2.5.29.14")
	OIDExtKeyUsage         = MustOID("2.5.29.15")
	OIDExtSubjectAltName   = MustOID("2.5.29.17")
	OIDExtBasicConstraints = MustOID("2.5.29.19")
	OIDExtAuthorityKeyID   = MustOID("2.5.29.35")
	OIDExtExtendedKeyUsage = MustOID("2.5.29.37")
	// OIDExtAuthorityInfoAccess is id-pe-authorityInfoAccess (rfc5280#4.2.2.1).
	OIDExtAuthorityInfoAccess = MustOID("1.3.6.1.5.5.7.1.1")
)

// accessMethod values of authorityInfoAccess minitls keeps.
//
// spec: rfc5280#4.2.2.1
var (
	oidAccessOCSP      = MustOID("1.3.6.1.5.5.7.48.1") // id-ad-ocsp
	oidAccessCAIssuers = MustOID("1.3.6.1.5.5.7.48.2") // id-ad-caIssuers
)

// Certificate is a parsed X.509 v1 or v3 certificate.
//
//	Certificate  ::=  SEQUENCE  {
//	     tbsCertificate       TBSCertificate,
//	     signatureAlgorithm   AlgorithmIdentifier,
//	     signatureValue       BIT STRING  }
//
// spec: rfc5280#4.1
type Certificate struct {
	Raw                     []byte // the whole certificate as received
	RawTBSCertificate       []byte // the signed bytes, exactly as received
	RawSubjectPublicKeyInfo []byte
	RawSubject              []byte // the subject Name SEQUENCE, for issuer matching
	RawIssuer               []byte

	Version            int    // 1 or 3 (v2 is refused)
	SerialNumber       []byte // big-endian magnitude, no leading zeros (empty for 0); negative serials are refused
	SignatureAlgorithm SignatureAlgorithm
	Signature          []byte

	Issuer, Subject     Name
	NotBefore, NotAfter time.Time
	// PublicKey is the subject's RSA key, nil when it has an ECDSA key.
	PublicKey *rsa.PublicKey
	// ECDSAPublicKey is the subject's ECDSA key (P-256 or P-384), nil when
	// it has an RSA key. Public returns whichever is set.
	ECDSAPublicKey *ecdsa.PublicKey

	// basicConstraints (rfc5280#4.2.1.9). MaxPathLen is -1 when the
	// extension is present without pathLenConstraint, and 0 when it is
	// absent; MaxPathLenZero tells an explicit 0 apart (as in crypto/x509).
	BasicConstraintsValid bool
	IsCA                  bool
	MaxPathLen            int
	MaxPathLenZero        bool

	KeyUsage           KeyUsage
	ExtKeyUsage        []ExtKeyUsage
	UnknownExtKeyUsage []OID

	// subjectAltName: only dNSName and iPAddress entries are kept, the
	// only kinds a TLS client can match; others (rfc822Name, URI, ...) are
	// skipped, which is safe because they can never match a host name.
	DNSNames    []string
	IPAddresses []net.IP

	SubjectKeyId   []byte
	AuthorityKeyId []byte

	// authorityInfoAccess (rfc5280#4.2.2.1): the URIs of id-ad-ocsp and
	// id-ad-caIssuers access descriptions, in order. minitls never fetches
	// them; other access methods and non-URI locations are checked and
	// skipped.
	OCSPServer            []string
	IssuingCertificateURL []string

	Extensions []Extension // every extension, in order, including the ones above

	// ExtraExtensions is read only by CreateCertificate: extensions written
	// verbatim, each in place of the one of the same ID it would build from
	// the fields above, or after them. ParseCertificate leaves it nil.
	ExtraExtensions []Extension
}

// maxCertificateSize bounds what ParseCertificate will look at.
const maxCertificateSize = 64 << 10

// maxModulusBytes: moduli above 8192 bits (maxRSABits) are refused as
// they are parsed, so a peer's oversized key is gone before any signature
// is checked or any premaster secret encrypted with it, whether or not the
// chain is then verified (crypto/tls refuses them in every mode too).
const maxModulusBytes = maxRSABits / 8

// ParseCertificate parses one DER certificate. The result aliases der.
//
//	TBSCertificate  ::=  SEQUENCE  {
//	     version         [0]  EXPLICIT Version DEFAULT v1,
//	     serialNumber         CertificateSerialNumber,
//	     signature            AlgorithmIdentifier,
//	     issuer               Name,
//	     validity             Validity,
//	     subject              Name,
//	     subjectPublicKeyInfo SubjectPublicKeyInfo,
//	     issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
//	     subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
//	     extensions      [3]  EXPLICIT Extensions OPTIONAL }
//
// spec: rfc5280#4.1
func ParseCertificate(der []byte) (*Certificate, error) {
	return parseCertificate(der, false)
}

// parseCertificate is ParseCertificate; anchor additionally accepts
// sha1WithRSAEncryption (see SHA1WithRSA).
func parseCertificate(der []byte, anchor bool) (*Certificate, error) {
	if len(der) > maxCertificateSize {
		return nil, syntaxErr("certificate", "%d bytes exceeds the %d-byte limit", len(der), maxCertificateSize)
	}
	top := NewDERReader(der, "certificate")
	certContents, raw, err := top.ReadWithFull(TagSequence)
	if err != nil {
		return nil, err
	}
	if err := top.Finish(); err != nil {
		return nil, err
	}
	c := &Certificate{Raw: raw}
	cert := NewDERReader(certContents, "certificate")

	tbsContents, tbsFull, err := cert.ReadWithFull(TagSequence)
	if err != nil {
		return nil, err
	}
	c.RawTBSCertificate = tbsFull
	_, outerAlg, err := cert.ReadWithFull(TagSequence)
	if err != nil {
		return nil, err
	}
	sig, err := cert.ReadBitString()
	if err != nil {
		return nil, err
	}
	if sig.BitLength%8 != 0 {
		return nil, syntaxErr("signatureValue", "signature is not a whole number of bytes")
	}
	c.Signature = sig.Bytes
	if err := cert.Finish(); err != nil {
		return nil, err
	}

	tbs := NewDERReader(tbsContents, "tbsCertificate")
	// version [0] EXPLICIT Version DEFAULT v1: DER omits the default, so an
	// explicit v1 is refused (x690#11.5).
	c.Version = 1
	if vc, ok, err := tbs.ReadOptional(ContextSpecificConstructed(0)); err != nil {
		return nil, err
	} else if ok {
		vr := NewDERReader(vc, "tbsCertificate.version")
		v, err := vr.ReadSmallInt()
		if err != nil {
			return nil, err
		}
		if err := vr.Finish(); err != nil {
			return nil, err
		}
		switch v {
		case 0:
			return nil, syntaxErr("tbsCertificate.version", "explicit v1 (DER omits the default)")
		case 2:
			c.Version = 3
		default:
			return nil, &ParseError{Field: "tbsCertificate.version", Kind: ErrUnsupportedVersion,
				Detail: fmt.Sprintf("version value %d (minitls reads v1 and v3)", v)}
		}
	}
	serial, err := tbs.ReadInteger()
	if err != nil {
		return nil, err
	}
	if serial[0]&0x80 != 0 {
		return nil, &ParseError{Field: "tbsCertificate.serialNumber", Kind: ErrMalformed, Detail: "negative serial number (rfc5280#4.1.2.2)"}
	}
	// The bound is on the value: a 20-octet serial with its top bit set is
	// 21 bytes in DER, the first a zero that keeps it positive.
	c.SerialNumber = trimLeadingZeros(serial)
	if len(c.SerialNumber) > 20 {
		return nil, &ParseError{Field: "tbsCertificate.serialNumber", Kind: ErrMalformed, Detail: "longer than 20 octets (rfc5280#4.1.2.2)"}
	}

	innerAlgContents, innerAlg, err := tbs.ReadWithFull(TagSequence)
	if err != nil {
		return nil, err
	}
	// rfc5280#4.1.1.2: the two algorithm fields MUST be identical; compare
	// the exact bytes so no encoding difference can slip through.
	if string(innerAlg) != string(outerAlg) {
		return nil, &ParseError{Field: "signatureAlgorithm", Kind: ErrSignatureAlgorithmMismatch}
	}
	if c.SignatureAlgorithm, err = parseSignatureAlgorithm(innerAlgContents, anchor); err != nil {
		return nil, err
	}

	issuerContents, rawIssuer, err := tbs.ReadWithFull(TagSequence)
	if err != nil {
		return nil, err
	}
	c.RawIssuer = rawIssuer
	if c.Issuer, err = parseName(issuerContents, "tbsCertificate.issuer"); err != nil {
		return nil, err
	}
	if len(c.Issuer.RDNs) == 0 {
		return nil, &ParseError{Field: "tbsCertificate.issuer", Kind: ErrMalformed, Detail: "empty issuer name (rfc5280#4.1.2.4)"}
	}

	validity, err := tbs.ReadSequence("tbsCertificate.validity")
	if err != nil {
		return nil, err
	}
	if c.NotBefore, err = validity.ReadTime(); err != nil {
		return nil, err
	}
	if c.NotAfter, err = validity.ReadTime(); err != nil {
		return nil, err
	}
	if err := validity.Finish(); err != nil {
		return nil, err
	}

	subjectContents, rawSubject, err := tbs.ReadWithFull(TagSequence)
	if err != nil {
		return nil, err
	}
	c.RawSubject = rawSubject
	if c.Subject, err = parseName(subjectContents, "tbsCertificate.subject"); err != nil {
		return nil, err
	}

	spkiContents, spki, err := tbs.ReadWithFull(TagSequence)
	if err != nil {
		return nil, err
	}
	c.RawSubjectPublicKeyInfo = spki
	if c.PublicKey, c.ECDSAPublicKey, err = parseSubjectPublicKeyInfo(spkiContents); err != nil {
		return nil, err
	}

	if tag, ok := tbs.PeekTag(); ok && (tag == ContextSpecific(1) || tag == ContextSpecific(2) ||
		tag == ContextSpecificConstructed(1) || tag == ContextSpecificConstructed(2)) {
		return nil, &ParseError{Field: "tbsCertificate.uniqueID", Kind: ErrUnsupportedVersion,
			Detail: "issuerUniqueID/subjectUniqueID are not supported (CAs MUST NOT generate them, rfc5280#4.1.2.8)"}
	}
	if extsContents, ok, err := tbs.ReadOptional(ContextSpecificConstructed(3)); err != nil {
		return nil, err
	} else if ok {
		if c.Version != 3 {
			return nil, &ParseError{Field: "tbsCertificate.extensions", Kind: ErrMalformed, Detail: "extensions in a v1 certificate (rfc5280#4.1.2.9)"}
		}
		exts, err := wholeSequence(extsContents, "tbsCertificate.extensions")
		if err != nil {
			return nil, err
		}
		if err := c.parseExtensions(exts); err != nil {
			return nil, err
		}
	}
	if err := tbs.Finish(); err != nil {
		return nil, err
	}
	return c, nil
}

// parseSignatureAlgorithm maps an AlgorithmIdentifier to one of the three
// supported algorithms. RFC 4055 §5 says the parameters are NULL, and
// implementations MUST accept them absent as well; nothing else is allowed.
//
// spec: rfc4055#5
func parseSignatureAlgorithm(contents []byte, anchor bool) (SignatureAlgorithm, error) {
	r := NewDERReader(contents, "signatureAlgorithm")
	oid, err := r.ReadOID()
	if err != nil {
		return 0, err
	}
	switch oid {
	case oidECDSAWithSHA256, oidECDSAWithSHA384:
		// rfc5758#3.2: the parameters MUST be omitted (not even NULL).
		if !r.Empty() {
			return 0, &ParseError{Field: "signatureAlgorithm", Kind: ErrUnsupportedAlgorithm, Detail: "ecdsa-with-SHA2 parameters present (rfc5758#3.2 says omit them)"}
		}
		if oid == oidECDSAWithSHA384 {
			return ECDSAWithSHA384, nil
		}
		return ECDSAWithSHA256, nil
	}
	if !r.Empty() {
		if err := r.ReadNull(); err != nil {
			return 0, &ParseError{Field: "signatureAlgorithm", Kind: ErrUnsupportedAlgorithm, Detail: "parameters are not NULL"}
		}
		if err := r.Finish(); err != nil {
			return 0, err
		}
	}
	switch oid {
	case oidSHA256WithRSA:
		return SHA256WithRSA, nil
	case oidSHA384WithRSA:
		return SHA384WithRSA, nil
	case oidSHA512WithRSA:
		return SHA512WithRSA, nil
	case oidSHA1WithRSA:
		if anchor {
			return SHA1WithRSA, nil
		}
	}
	return 0, &ParseError{Field: "signatureAlgorithm", Kind: ErrUnsupportedAlgorithm,
		Detail: fmt.Sprintf("%s (minitls verifies only sha256/384/512WithRSAEncryption and ecdsa-with-SHA256/384)", oid)}
}

// parseSubjectPublicKeyInfo reads an rsaEncryption key or an id-ecPublicKey
// (parseECPublicKeyInfo) key:
//
//	SubjectPublicKeyInfo  ::=  SEQUENCE  { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
//	RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
//
// The parameters MUST be NULL (rfc3279#2.3.1). The modulus must be positive
// and at most 8192 bits (ErrKeySize); the exponent positive, odd and below
// 2^31. The 2048-bit floor is Verify's (checkKeySize): a trust store may
// hold old roots that are never used.
//
// spec: rfc3279#2.3.1
func parseSubjectPublicKeyInfo(contents []byte) (*rsa.PublicKey, *ecdsa.PublicKey, error) {
	const field = "tbsCertificate.subjectPublicKeyInfo"
	r := NewDERReader(contents, field)
	alg, err := r.ReadSequence(field + ".algorithm")
	if err != nil {
		return nil, nil, err
	}
	oid, err := alg.ReadOID()
	if err != nil {
		return nil, nil, err
	}
	if oid == oidECPublicKey {
		ec, err := parseECPublicKeyInfo(alg, r, field)
		return nil, ec, err
	}
	if oid != oidRSAEncryption {
		return nil, nil, &ParseError{Field: field, Kind: ErrUnsupportedAlgorithm,
			Detail: fmt.Sprintf("public key algorithm %s (minitls supports RSA and ECDSA P-256/P-384 keys only)", oid)}
	}
	k, err := parseRSAKeyInfo(alg, r, field)
	return k, nil, err
}

// parseRSAKeyInfo reads the rest of an rsaEncryption SubjectPublicKeyInfo:
// the NULL parameters and the RSAPublicKey in the BIT STRING.
//
// spec: rfc3279#2.3.1
func parseRSAKeyInfo(alg, r *DERReader, field string) (*rsa.PublicKey, error) {
	if err := alg.ReadNull(); err != nil {
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
	return parseRSAPublicKey(bits.Bytes, field)
}

func parseRSAPublicKey(der []byte, field string) (*rsa.PublicKey, error) {
	k, err := wholeSequence(der, field+".RSAPublicKey")
	if err != nil {
		return nil, err
	}
	n, err := k.ReadUnsignedInteger()
	if err != nil {
		return nil, err
	}
	if len(n) == 0 {
		return nil, syntaxErr(field, "zero RSA modulus")
	}
	if len(n) > maxModulusBytes {
		return nil, &ParseError{Field: field, Kind: ErrKeySize,
			Detail: fmt.Sprintf("the %d-bit RSA modulus is above the %d-bit maximum minitls will spend a signature check on: use a key of %d to %d bits", modulusBits(n), maxRSABits, minRSABits, maxRSABits)}
	}
	eMag, err := k.ReadUnsignedInteger()
	if err != nil {
		return nil, err
	}
	e, ok := smallInt(eMag)
	if !ok {
		return nil, &ParseError{Field: field, Kind: ErrUnsupportedAlgorithm, Detail: "RSA public exponent above 2^31-1"}
	}
	if e < 3 || e%2 == 0 {
		return nil, syntaxErr(field, "RSA public exponent %d is not odd and at least 3", e)
	}
	if err := k.Finish(); err != nil {
		return nil, err
	}
	return &rsa.PublicKey{N: n, E: e}, nil
}

// parseExtensions reads Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension.
//
//	Extension  ::=  SEQUENCE  {
//	     extnID      OBJECT IDENTIFIER,
//	     critical    BOOLEAN DEFAULT FALSE,
//	     extnValue   OCTET STRING }
//
// spec: rfc5280#4.2
func (c *Certificate) parseExtensions(r *DERReader) error {
	if r.Empty() {
		return syntaxErr("tbsCertificate.extensions", "empty Extensions (SIZE 1..MAX)")
	}
	seen := map[OID]bool{}
	for !r.Empty() {
		er, err := r.ReadSequence("tbsCertificate.extensions")
		if err != nil {
			return err
		}
		var ext Extension
		if ext.ID, err = er.ReadOID(); err != nil {
			return err
		}
		if bc, ok, err := er.ReadOptional(TagBoolean); err != nil {
			return err
		} else if ok {
			if ext.Critical, err = parseBoolean(bc, "extension.critical"); err != nil {
				return err
			}
			if !ext.Critical {
				return syntaxErr("extension "+ext.ID.String(), "critical FALSE encoded explicitly (DER omits the default)")
			}
		}
		if ext.Value, err = er.ReadOctetString(); err != nil {
			return err
		}
		if err := er.Finish(); err != nil {
			return err
		}
		if seen[ext.ID] {
			return &ParseError{Field: "extension " + ext.ID.String(), Kind: ErrDuplicateExtension}
		}
		seen[ext.ID] = true
		c.Extensions = append(c.Extensions, ext)
		if err := c.applyExtension(ext); err != nil {
			return err
		}
	}
	return nil
}

func (c *Certificate) applyExtension(ext Extension) error {
	var err error
	switch ext.ID {
	case OIDExtBasicConstraints:
		err = c.parseBasicConstraints(ext.Value)
	case OIDExtKeyUsage:
		err = c.parseKeyUsage(ext.Value)
	case OIDExtExtendedKeyUsage:
		err = c.parseExtKeyUsage(ext.Value)
	case OIDExtSubjectAltName:
		var kept int
		kept, err = c.parseSubjectAltName(ext.Value)
		// A critical subjectAltName with only name forms minitls skips
		// (otherName, directoryName, ...) holds the certificate's only
		// identity in a form it cannot check: treat it as unhandled, as
		// crypto/x509 does.
		if err == nil && kept == 0 && ext.Critical {
			return &ParseError{Field: "extensions.subjectAltName", Kind: ErrUnhandledCriticalExtension,
				Detail: "critical subjectAltName has no dNSName, iPAddress, rfc822Name or URI entry"}
		}
	case OIDExtSubjectKeyID:
		// spec: rfc5280#4.2.1.2 "Conforming CAs MUST mark this extension
		// as non-critical."
		if ext.Critical {
			return &ParseError{Field: "extensions.subjectKeyIdentifier", Kind: ErrCriticalNotAllowed,
				Detail: "rfc5280#4.2.1.2: the issuing CA must reissue it without the critical flag"}
		}
		r := NewDERReader(ext.Value, "extensions.subjectKeyIdentifier")
		if c.SubjectKeyId, err = r.ReadOctetString(); err == nil {
			err = r.Finish()
		}
	case OIDExtAuthorityKeyID:
		// spec: rfc5280#4.2.1.1 "Conforming CAs MUST mark this extension
		// as non-critical."
		if ext.Critical {
			return &ParseError{Field: "extensions.authorityKeyIdentifier", Kind: ErrCriticalNotAllowed,
				Detail: "rfc5280#4.2.1.1: the issuing CA must reissue it without the critical flag"}
		}
		err = c.parseAuthorityKeyID(ext.Value)
	case OIDExtAuthorityInfoAccess:
		// spec: rfc5280#4.2.2.1 "Conforming CAs MUST mark this extension
		// as non-critical."
		if ext.Critical {
			return &ParseError{Field: "extensions.authorityInfoAccess", Kind: ErrCriticalNotAllowed,
				Detail: "rfc5280#4.2.2.1: the issuing CA must reissue it without the critical flag"}
		}
		err = c.parseAuthorityInfoAccess(ext.Value)
	default:
		// rfc5280#4.2: "A certificate-using system MUST reject the
		// certificate if it encounters a critical extension it does not
		// recognize"; non-critical ones may be ignored.
		if ext.Critical {
			return &ParseError{Field: "extension " + ext.ID.String(), Kind: ErrUnhandledCriticalExtension,
				Detail: "minitls implements basicConstraints, keyUsage, extKeyUsage, subjectAltName, key identifiers and authorityInfoAccess only"}
		}
	}
	return err
}

// parseBasicConstraints: SEQUENCE { cA BOOLEAN DEFAULT FALSE,
// pathLenConstraint INTEGER (0..MAX) OPTIONAL }.
//
// spec: rfc5280#4.2.1.9
func (c *Certificate) parseBasicConstraints(v []byte) error {
	const field = "extensions.basicConstraints"
	r, err := wholeSequence(v, field)
	if err != nil {
		return err
	}
	if bc, ok, err := r.ReadOptional(TagBoolean); err != nil {
		return err
	} else if ok {
		if c.IsCA, err = parseBoolean(bc, field); err != nil {
			return err
		}
		if !c.IsCA {
			return syntaxErr(field, "cA FALSE encoded explicitly (DER omits the default)")
		}
	}
	c.MaxPathLen = -1
	if tag, ok := r.PeekTag(); ok && tag == TagInteger {
		if c.MaxPathLen, err = r.ReadSmallInt(); err != nil {
			return err
		}
		c.MaxPathLenZero = c.MaxPathLen == 0
	}
	if err := r.Finish(); err != nil {
		return err
	}
	c.BasicConstraintsValid = true
	return nil
}

// parseKeyUsage: KeyUsage ::= BIT STRING (9 named bits).
//
// spec: rfc5280#4.2.1.3
func (c *Certificate) parseKeyUsage(v []byte) error {
	const field = "extensions.keyUsage"
	r := NewDERReader(v, field)
	bs, err := r.ReadBitString()
	if err != nil {
		return err
	}
	if err := r.Finish(); err != nil {
		return err
	}
	if bs.BitLength > 16 {
		return syntaxErr(field, "%d bits (keyUsage defines 9)", bs.BitLength)
	}
	// spec: rfc5280#4.2.1.3 "When the keyUsage extension appears in a
	// certificate, at least one of the bits MUST be set to 1." An empty
	// one would otherwise read as "no restriction" to code that tests the
	// bits instead of the extension's presence.
	empty := true
	for i := 0; i < bs.BitLength; i++ {
		if bs.At(i) != 0 {
			empty = false
		}
	}
	if empty {
		return &ParseError{Field: field, Kind: ErrEmptyKeyUsage,
			Detail: "rfc5280#4.2.1.3 requires at least one bit; the issuing CA must list the key's usages or omit the extension"}
	}
	for i := 0; i < 9; i++ {
		if bs.At(i) != 0 {
			c.KeyUsage |= 1 << uint(i)
		}
	}
	return nil
}

// parseExtKeyUsage: SEQUENCE SIZE (1..MAX) OF KeyPurposeId.
//
// spec: rfc5280#4.2.1.12
func (c *Certificate) parseExtKeyUsage(v []byte) error {
	const field = "extensions.extKeyUsage"
	r, err := wholeSequence(v, field)
	if err != nil {
		return err
	}
	if r.Empty() {
		return syntaxErr(field, "empty list (SIZE 1..MAX)")
	}
	for !r.Empty() {
		oid, err := r.ReadOID()
		if err != nil {
			return err
		}
		known := false
		for u, o := range extKeyUsageOIDs {
			if o == oid {
				c.ExtKeyUsage = append(c.ExtKeyUsage, u)
				known = true
				break
			}
		}
		if !known {
			c.UnknownExtKeyUsage = append(c.UnknownExtKeyUsage, oid)
		}
	}
	return nil
}

// parseSubjectAltName: GeneralNames ::= SEQUENCE SIZE (1..MAX) OF
// GeneralName. Every entry must pass checkGeneralName; dNSName and iPAddress
// entries are kept, the other kinds are not (rfc822Name and URI still count
// as entries a verifier understands, for the critical-SAN rule).
//
// spec: rfc5280#4.2.1.6
func (c *Certificate) parseSubjectAltName(v []byte) (kept int, err error) {
	const field = "extensions.subjectAltName"
	r, err := wholeSequence(v, field)
	if err != nil {
		return 0, err
	}
	if r.Empty() {
		return 0, syntaxErr(field, "empty GeneralNames (SIZE 1..MAX)")
	}
	for !r.Empty() {
		tag, contents, _, err := r.ReadElement()
		if err != nil {
			return 0, err
		}
		if err := checkGeneralName(tag, contents, field); err != nil {
			return 0, err
		}
		switch tag {
		case ContextSpecific(1), ContextSpecific(6):
			kept++
		case ContextSpecific(2): // dNSName
			kept++
			c.DNSNames = append(c.DNSNames, string(contents))
		case ContextSpecific(7): // iPAddress
			kept++
			c.IPAddresses = append(c.IPAddresses, net.IP(append([]byte(nil), contents...)))
		}
	}
	return kept, nil
}

// checkGeneralName checks one GeneralName: a context-specific tag 0..8;
// rfc822Name [1] and dNSName [2] must be IA5Strings, a
// uniformResourceIdentifier [6] a well-formed URI (checkURI), an iPAddress
// [7] 4 or 16 bytes. The other kinds (otherName, x400Address,
// directoryName, ediPartyName, registeredID) are not looked into.
//
//	GeneralName ::= CHOICE {
//	     otherName                 [0]  OtherName,
//	     rfc822Name                [1]  IA5String,
//	     dNSName                   [2]  IA5String,
//	     x400Address               [3]  ORAddress,
//	     directoryName             [4]  Name,
//	     ediPartyName              [5]  EDIPartyName,
//	     uniformResourceIdentifier [6]  IA5String,
//	     iPAddress                 [7]  OCTET STRING,
//	     registeredID              [8]  OBJECT IDENTIFIER }
//
// spec: rfc5280#4.2.1.6
func checkGeneralName(tag Tag, contents []byte, field string) error {
	if tag&0xc0 != classContextSpecific || tag&0x1f > 8 {
		return syntaxErr(field, "%v is not a GeneralName", tag)
	}
	switch tag {
	case ContextSpecific(1): // rfc822Name
		if _, err := decodeString(TagIA5String, contents); err != nil {
			return syntaxErr(field, "rfc822Name: %v", err)
		}
	case ContextSpecific(2): // dNSName
		if _, err := decodeString(TagIA5String, contents); err != nil {
			return syntaxErr(field, "dNSName: %v", err)
		}
	case ContextSpecific(6): // uniformResourceIdentifier
		if err := checkURI(contents); err != nil {
			return syntaxErr(field, "uniformResourceIdentifier: %v", err)
		}
	case ContextSpecific(7): // iPAddress
		if len(contents) != net.IPv4len && len(contents) != net.IPv6len {
			return syntaxErr(field, "iPAddress of %d bytes (want 4 or 16)", len(contents))
		}
	}
	return nil
}

// parseAuthorityInfoAccess reads where the issuer's certificate and its
// OCSP responder can be found:
//
//	AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
//	AccessDescription ::= SEQUENCE {
//	     accessMethod    OBJECT IDENTIFIER,
//	     accessLocation  GeneralName }
//
// Every accessLocation must pass checkGeneralName; the URIs of id-ad-ocsp
// and id-ad-caIssuers go to OCSPServer and IssuingCertificateURL. A
// malformed extension is refused rather than skipped: the bytes are signed
// by the CA, so a broken encoding means a broken certificate.
//
// spec: rfc5280#4.2.2.1
func (c *Certificate) parseAuthorityInfoAccess(v []byte) error {
	const field = "extensions.authorityInfoAccess"
	r, err := wholeSequence(v, field)
	if err != nil {
		return err
	}
	if r.Empty() {
		return syntaxErr(field, "no AccessDescription (SIZE 1..MAX)")
	}
	for !r.Empty() {
		ad, err := r.ReadSequence(field + ".accessDescription")
		if err != nil {
			return err
		}
		method, err := ad.ReadOID()
		if err != nil {
			return err
		}
		tag, location, _, err := ad.ReadElement()
		if err != nil {
			return err
		}
		if err := ad.Finish(); err != nil {
			return err
		}
		if err := checkGeneralName(tag, location, field+".accessLocation"); err != nil {
			return err
		}
		if tag != ContextSpecific(6) {
			continue
		}
		switch method {
		case oidAccessOCSP:
			c.OCSPServer = append(c.OCSPServer, string(location))
		case oidAccessCAIssuers:
			c.IssuingCertificateURL = append(c.IssuingCertificateURL, string(location))
		}
	}
	return nil
}

// checkURI requires an IA5String that parses as a URI whose host, if any,
// is non-empty labels of printable ASCII. URIs are never matched, but a
// malformed one is a malformed certificate (crypto/x509 refuses it too).
//
// spec: rfc5280#4.2.1.6
func checkURI(b []byte) error {
	if _, err := decodeString(TagIA5String, b); err != nil {
		return err
	}
	u, err := url.Parse(string(b))
	if err != nil {
		return err
	}
	if u.Host != "" {
		for _, label := range strings.Split(u.Host, ".") {
			if label == "" {
				return fmt.Errorf("URI host %q has an empty label", u.Host)
			}
			for _, c := range []byte(label) {
				if c < 33 || c > 126 {
					return fmt.Errorf("URI host %q has byte 0x%02x", u.Host, c)
				}
			}
		}
	}
	return nil
}

// parseAuthorityKeyID: SEQUENCE { keyIdentifier [0] OPTIONAL,
// authorityCertIssuer [1] OPTIONAL, authorityCertSerialNumber [2] OPTIONAL };
// only keyIdentifier is used (to prefer the right issuer while building
// paths).
//
// spec: rfc5280#4.2.1.1
func (c *Certificate) parseAuthorityKeyID(v []byte) error {
	const field = "extensions.authorityKeyIdentifier"
	r, err := wholeSequence(v, field)
	if err != nil {
		return err
	}
	if kid, ok, err := r.ReadOptional(ContextSpecific(0)); err != nil {
		return err
	} else if ok {
		c.AuthorityKeyId = kid
	}
	if _, _, err := r.ReadOptional(ContextSpecificConstructed(1)); err != nil {
		return err
	}
	if serial, ok, err := r.ReadOptional(ContextSpecific(2)); err != nil {
		return err
	} else if ok {
		if err := checkInteger(serial, field); err != nil {
			return err
		}
	}
	return r.Finish()
}
