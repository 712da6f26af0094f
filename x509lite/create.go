package x509lite

import (
	"crypto"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"

	"minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
)

// MarshalPKIXPublicKey encodes pub as a SubjectPublicKeyInfo with the
// rsaEncryption algorithm (NULL parameters, rfc3279#2.3.1).
//
// spec: rfc5280#4.1.2.7
func MarshalPKIXPublicKey(pub *rsa.PublicKey) ([]byte, error) {
	key := marshalRSAPublicKey(pub)
	var b DERBuilder
	b.AddSequence(func(b *DERBuilder) {
		b.AddSequence(func(b *DERBuilder) {
			b.AddOID(oidRSAEncryption)
			b.AddNull()
		})
		b.AddBitString(BitString{Bytes: key, BitLength: 8 * len(key)})
	})
	return b.Bytes()
}

// marshalRSAPublicKey encodes RSAPublicKey ::= SEQUENCE { modulus, publicExponent }.
func marshalRSAPublicKey(pub *rsa.PublicKey) []byte {
	var b DERBuilder
	b.AddSequence(func(b *DERBuilder) {
		b.AddUnsignedInteger(pub.N)
		b.AddSmallInt(pub.E)
	})
	der, _ := b.Bytes()
	return der
}

// keyID is the subjectKeyIdentifier of pub by RFC 5280's method (1): the
// SHA-1 of the subjectPublicKey BIT STRING contents. SHA-1 is used as an
// identifier here, not for security.
//
// spec: rfc5280#4.2.1.2
func keyID(pub crypto.PublicKey) []byte {
	var bits []byte
	switch k := pub.(type) {
	case *rsa.PublicKey:
		bits = marshalRSAPublicKey(k)
	case *ecdsa.PublicKey:
		bits = k.Bytes() // the ECPoint is the BIT STRING's contents
	}
	h := sha1.Sum(bits)
	return h[:]
}

// CreateCertificate issues a v3 certificate for the RSA key pub, signed by
// the RSA key priv with sha256WithRSAEncryption, and returns its DER
// encoding. CreateCertificateWithKey does the same for RSA and ECDSA keys.
//
// From template it takes SerialNumber (16 random bytes when empty),
// Subject, NotBefore, NotAfter (UTCTime before 2050, GeneralizedTime after),
// BasicConstraintsValid/IsCA/MaxPathLen/MaxPathLenZero (with crypto/x509's
// meaning: pathLenConstraint is written when MaxPathLen > 0, or when it is 0
// and MaxPathLenZero), KeyUsage, ExtKeyUsage, DNSNames, IPAddresses,
// SubjectKeyId (default: SHA-1 of the public key), OCSPServer and
// IssuingCertificateURL (authorityInfoAccess), and ExtraExtensions, each of
// which replaces, in place, the extension of the same ID the other fields
// would produce (as in crypto/x509), or is appended.
// The issuer name is parent's RawSubject when set (so it matches the
// parent byte for byte) and the authorityKeyIdentifier is parent's
// SubjectKeyId. parent == nil or parent == template issues a self-signed
// certificate. priv must be the key of parent (or of pub when self-signed).
// The signature is checked before returning, which catches a faulty RSA-CRT
// computation that would otherwise leak the key.
//
// spec: rfc5280#4.1
func CreateCertificate(random io.Reader, template, parent *Certificate, pub *rsa.PublicKey, priv *rsa.PrivateKey) ([]byte, error) {
	if pub == nil || priv == nil {
		return nil, errors.New("x509lite: CreateCertificate needs a template, a public key and a private key")
	}
	return CreateCertificateWithKey(random, template, parent, pub, priv)
}

// CreateCertificateWithKey is CreateCertificate for a subject key pub that
// is a *rsa.PublicKey or a *ecdsa.PublicKey (P-256, P-384), signed by priv, a
// *rsa.PrivateKey (sha256WithRSAEncryption) or a *ecdsa.PrivateKey
// (ecdsa-with-SHA256 on P-256, ecdsa-with-SHA384 on P-384): so an RSA CA
// can issue ECDSA certificates and the reverse.
//
// spec: rfc5280#4.1, rfc5758#3.2
func CreateCertificateWithKey(random io.Reader, template, parent *Certificate, pub crypto.PublicKey, priv crypto.Signer) ([]byte, error) {
	if template == nil || pub == nil || priv == nil {
		return nil, errors.New("x509lite: CreateCertificate needs a template, a public key and a private key")
	}
	selfSigned := parent == nil || parent == template
	if selfSigned {
		parent = template
	}
	signerPub := parent.Public()
	if selfSigned {
		signerPub = pub
	}
	if !keyBelongs(signerPub, priv) {
		return nil, errors.New("x509lite: CreateCertificate: the private key does not belong to the issuer (parent) certificate")
	}
	sigAlg, err := signatureAlgorithmFor(priv)
	if err != nil {
		return nil, err
	}

	serial := trimLeadingZeros(template.SerialNumber)
	if len(serial) == 0 {
		serial = make([]byte, 16)
		if _, err := io.ReadFull(random, serial); err != nil {
			return nil, fmt.Errorf("x509lite: generating a serial number: %w", err)
		}
		serial[0] &= 0x7f
		serial[0] |= 0x40 // non-zero and a fixed length: rfc5280#4.1.2.2
	}
	if len(serial) > 20 {
		return nil, errors.New("x509lite: CreateCertificate: serial number longer than 20 octets (rfc5280#4.1.2.2)")
	}

	exts, err := buildExtensions(template, parent, pub, selfSigned)
	if err != nil {
		return nil, err
	}
	spki, err := marshalAnyPublicKeyInfo(pub)
	if err != nil {
		return nil, err
	}

	addSigAlg := func(b *DERBuilder) {
		b.AddSequence(func(b *DERBuilder) {
			b.AddOID(sigAlg.oid())
			if !sigAlg.isECDSA() {
				b.AddNull() // rfc4055#5; ECDSA omits the parameters, rfc5758#3.2
			}
		})
	}
	var tb DERBuilder
	tb.AddSequence(func(b *DERBuilder) {
		b.AddConstructed(ContextSpecificConstructed(0), func(b *DERBuilder) { b.AddSmallInt(2) })
		b.AddUnsignedInteger(serial)
		addSigAlg(b)
		if len(parent.RawSubject) > 0 && !selfSigned {
			b.AddRaw(parent.RawSubject)
		} else {
			marshalName(b, parent.Subject)
		}
		b.AddSequence(func(b *DERBuilder) {
			b.AddTime(template.NotBefore)
			b.AddTime(template.NotAfter)
		})
		marshalName(b, template.Subject)
		b.AddRaw(spki)
		if len(exts) > 0 {
			b.AddConstructed(ContextSpecificConstructed(3), func(b *DERBuilder) {
				b.AddSequence(func(b *DERBuilder) {
					for _, e := range exts {
						b.AddSequence(func(b *DERBuilder) {
							b.AddOID(e.ID)
							if e.Critical {
								b.AddBoolean(true)
							}
							b.AddOctetString(e.Value)
						})
					}
				})
			})
		}
	})
	tbs, err := tb.Bytes()
	if err != nil {
		return nil, err
	}
	sig, err := signTBS(random, priv, signerPub, sigAlg, tbs)
	if err != nil {
		return nil, err
	}
	var cb DERBuilder
	cb.AddSequence(func(b *DERBuilder) {
		b.AddRaw(tbs)
		addSigAlg(b)
		b.AddBitString(BitString{Bytes: sig, BitLength: 8 * len(sig)})
	})
	return cb.Bytes()
}

// buildExtensions encodes the template's extensions in a fixed order.
func buildExtensions(t, parent *Certificate, pub crypto.PublicKey, selfSigned bool) ([]Extension, error) {
	var exts []Extension
	add := func(id OID, critical bool, f func(b *DERBuilder)) error {
		var b DERBuilder
		f(&b)
		v, err := b.Bytes()
		if err != nil {
			return err
		}
		exts = append(exts, Extension{ID: id, Critical: critical, Value: v})
		return nil
	}
	// keyUsage, critical as rfc5280#4.2.1.3 recommends; trailing zero bits
	// are dropped (DER NamedBitList, x690#11.2.2).
	if t.KeyUsage != 0 {
		n := 0
		for i := 0; i < 9; i++ {
			if t.KeyUsage&(1<<uint(i)) != 0 {
				n = i + 1
			}
		}
		bs := BitString{Bytes: make([]byte, (n+7)/8), BitLength: n}
		for i := 0; i < n; i++ {
			if t.KeyUsage&(1<<uint(i)) != 0 {
				bs.Bytes[i/8] |= 0x80 >> uint(i%8)
			}
		}
		if err := add(OIDExtKeyUsage, true, func(b *DERBuilder) { b.AddBitString(bs) }); err != nil {
			return nil, err
		}
	}
	if len(t.ExtKeyUsage) > 0 || len(t.UnknownExtKeyUsage) > 0 {
		err := add(OIDExtExtendedKeyUsage, false, func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) {
				for _, u := range t.ExtKeyUsage {
					o, ok := extKeyUsageOIDs[u]
					if !ok {
						b.fail("unknown ExtKeyUsage %d", int(u))
						return
					}
					b.AddOID(o)
				}
				for _, o := range t.UnknownExtKeyUsage {
					b.AddOID(o)
				}
			})
		})
		if err != nil {
			return nil, err
		}
	}
	// basicConstraints, critical (rfc5280#4.2.1.9: MUST for CA certificates).
	if t.BasicConstraintsValid {
		err := add(OIDExtBasicConstraints, true, func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) {
				if t.IsCA {
					b.AddBoolean(true)
				}
				if t.MaxPathLen > 0 || t.MaxPathLen == 0 && t.MaxPathLenZero {
					b.AddSmallInt(t.MaxPathLen)
				}
			})
		})
		if err != nil {
			return nil, err
		}
	}
	ski := t.SubjectKeyId
	if len(ski) == 0 {
		ski = keyID(pub)
	}
	if err := add(OIDExtSubjectKeyID, false, func(b *DERBuilder) { b.AddOctetString(ski) }); err != nil {
		return nil, err
	}
	if !selfSigned && len(parent.SubjectKeyId) > 0 {
		err := add(OIDExtAuthorityKeyID, false, func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) { b.AddElement(ContextSpecific(0), parent.SubjectKeyId) })
		})
		if err != nil {
			return nil, err
		}
	}
	// subjectAltName, critical when the subject is empty (rfc5280#4.2.1.6).
	if len(t.DNSNames) > 0 || len(t.IPAddresses) > 0 {
		err := add(OIDExtSubjectAltName, len(t.Subject.RDNs) == 0, func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) {
				for _, n := range t.DNSNames {
					if _, err := decodeString(TagIA5String, []byte(n)); err != nil {
						b.fail("dNSName %q: %v", n, err)
						return
					}
					b.AddElement(ContextSpecific(2), []byte(n))
				}
				for _, ip := range t.IPAddresses {
					if v4 := ip.To4(); v4 != nil {
						b.AddElement(ContextSpecific(7), v4)
					} else if len(ip) == 16 {
						b.AddElement(ContextSpecific(7), ip)
					} else {
						b.fail("invalid IP address %v", ip)
						return
					}
				}
			})
		})
		if err != nil {
			return nil, err
		}
	}
	if len(t.OCSPServer) > 0 || len(t.IssuingCertificateURL) > 0 {
		if err := add(OIDExtAuthorityInfoAccess, false, func(b *DERBuilder) { buildAuthorityInfoAccess(b, t) }); err != nil {
			return nil, err
		}
	}
	return mergeExtraExtensions(exts, t.ExtraExtensions)
}

// buildAuthorityInfoAccess writes one id-ad-ocsp AccessDescription per
// OCSPServer URI, then one id-ad-caIssuers per IssuingCertificateURL.
//
// spec: rfc5280#4.2.2.1
func buildAuthorityInfoAccess(b *DERBuilder, t *Certificate) {
	b.AddSequence(func(b *DERBuilder) {
		for _, ad := range []struct {
			method OID
			uris   []string
		}{{oidAccessOCSP, t.OCSPServer}, {oidAccessCAIssuers, t.IssuingCertificateURL}} {
			for _, u := range ad.uris {
				if err := checkURI([]byte(u)); err != nil {
					b.fail("authorityInfoAccess URI %q: %v", u, err)
					return
				}
				b.AddSequence(func(b *DERBuilder) {
					b.AddOID(ad.method)
					b.AddElement(ContextSpecific(6), []byte(u))
				})
			}
		}
	})
}

// mergeExtraExtensions puts each extra extension in place of the built one
// with the same ID, or after the built ones; an ID given twice in extra is
// an error.
func mergeExtraExtensions(exts, extra []Extension) ([]Extension, error) {
	for i, e := range extra {
		for _, prev := range extra[:i] {
			if prev.ID == e.ID {
				return nil, fmt.Errorf("x509lite: CreateCertificate: ExtraExtensions has %s twice", e.ID)
			}
		}
		replaced := false
		for j := range exts {
			if exts[j].ID == e.ID {
				exts[j], replaced = e, true
			}
		}
		if !replaced {
			exts = append(exts, e)
		}
	}
	return exts, nil
}
