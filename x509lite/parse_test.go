package x509lite

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"minitls/cipher/rsa"
)

var stdSigAlgs = map[x509.SignatureAlgorithm]SignatureAlgorithm{
	x509.SHA256WithRSA:   SHA256WithRSA,
	x509.SHA384WithRSA:   SHA384WithRSA,
	x509.SHA512WithRSA:   SHA512WithRSA,
	x509.ECDSAWithSHA256: ECDSAWithSHA256,
	x509.ECDSAWithSHA384: ECDSAWithSHA384,
}

var stdEKUs = map[x509.ExtKeyUsage]ExtKeyUsage{
	x509.ExtKeyUsageAny:             ExtKeyUsageAny,
	x509.ExtKeyUsageServerAuth:      ExtKeyUsageServerAuth,
	x509.ExtKeyUsageClientAuth:      ExtKeyUsageClientAuth,
	x509.ExtKeyUsageCodeSigning:     ExtKeyUsageCodeSigning,
	x509.ExtKeyUsageEmailProtection: ExtKeyUsageEmailProtection,
	x509.ExtKeyUsageTimeStamping:    ExtKeyUsageTimeStamping,
	x509.ExtKeyUsageOCSPSigning:     ExtKeyUsageOCSPSigning,
}

// stdName maps the raw Name bytes through encoding/asn1's RDNSequence (the
// oracle) into our Name, string types left out (asn1 does not keep them).
func stdName(t testing.TB, raw []byte) (Name, pkix.RDNSequence) {
	t.Helper()
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &seq); err != nil || len(rest) != 0 {
		t.Fatalf("asn1.Unmarshal name: %v", err)
	}
	n := Name{RDNs: []RelativeDistinguishedName{}}
	for _, set := range seq {
		var rdn RelativeDistinguishedName
		for _, atv := range set {
			s, ok := atv.Value.(string)
			if !ok {
				t.Fatalf("attribute %v is not a string", atv.Type)
			}
			rdn = append(rdn, AttributeTypeAndValue{Type: MustOID(atv.Type.String()), Value: s})
		}
		n.RDNs = append(n.RDNs, rdn)
	}
	return n, seq
}

// fromStd maps a crypto/x509 certificate to the x509lite value it must
// parse to.
func fromStd(t testing.TB, c *x509.Certificate) *Certificate {
	t.Helper()
	alg, ok := stdSigAlgs[c.SignatureAlgorithm]
	if !ok {
		t.Fatalf("unexpected algorithm %v", c.SignatureAlgorithm)
	}
	issuer, _ := stdName(t, c.RawIssuer)
	subject, _ := stdName(t, c.RawSubject)
	out := &Certificate{
		Raw: c.Raw, RawTBSCertificate: c.RawTBSCertificate, RawSubjectPublicKeyInfo: c.RawSubjectPublicKeyInfo,
		RawSubject: c.RawSubject, RawIssuer: c.RawIssuer,
		Version: c.Version, SerialNumber: c.SerialNumber.Bytes(), SignatureAlgorithm: alg, Signature: c.Signature,
		Issuer: issuer, Subject: subject, NotBefore: c.NotBefore, NotAfter: c.NotAfter,
		BasicConstraintsValid: c.BasicConstraintsValid, IsCA: c.IsCA, MaxPathLen: c.MaxPathLen, MaxPathLenZero: c.MaxPathLenZero,
		KeyUsage: KeyUsage(c.KeyUsage), DNSNames: c.DNSNames, IPAddresses: c.IPAddresses,
		SubjectKeyId: c.SubjectKeyId, AuthorityKeyId: c.AuthorityKeyId,
	}
	switch pub := c.PublicKey.(type) {
	case *stdRSAPublicKey:
		out.PublicKey = ourPub(pub)
	case *stdECDSAPublicKey:
		out.ECDSAPublicKey = ourECDSAPub(t, pub)
	default:
		t.Fatalf("public key is %T", c.PublicKey)
	}
	for _, u := range c.ExtKeyUsage {
		m, ok := stdEKUs[u]
		if !ok {
			t.Fatalf("test generated an unmapped EKU %v", u)
		}
		out.ExtKeyUsage = append(out.ExtKeyUsage, m)
	}
	for _, o := range c.UnknownExtKeyUsage {
		out.UnknownExtKeyUsage = append(out.UnknownExtKeyUsage, MustOID(o.String()))
	}
	for _, e := range c.Extensions {
		out.Extensions = append(out.Extensions, Extension{ID: MustOID(e.Id.String()), Critical: e.Critical, Value: e.Value})
	}
	return out
}

var certCmpOpts = []cmp.Option{
	cmpopts.EquateEmpty(),
	cmpopts.IgnoreFields(AttributeTypeAndValue{}, "Tag"),
	cmp.Comparer(func(a, b OID) bool { return a == b }),
	// An ECDSA certificate has no RSA key: two nil keys are equal.
	cmp.Comparer(func(a, b *rsa.PublicKey) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.Equal(b)
	}),
}

// Generators for rapid templates.
func genLabel(t *rapid.T, label string) string {
	return rapid.StringMatching(`[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?`).Draw(t, label)
}

func genDNSName(t *rapid.T, label string) string {
	n := rapid.IntRange(2, 4).Draw(t, label+"Labels")
	parts := make([]string, n)
	for i := range parts {
		parts[i] = genLabel(t, label)
	}
	if rapid.IntRange(0, 4).Draw(t, label+"Wild") == 0 {
		parts[0] = "*"
	}
	return strings.Join(parts, ".")
}

func genIP(t *rapid.T, label string) net.IP {
	if rapid.Bool().Draw(t, label+"V6") {
		return net.IP(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, label))
	}
	return net.IP(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, label))
}

func genAttrValue(t *rapid.T, label string) string {
	return rapid.StringMatching(`[A-Za-z0-9 '()+,\-./:=?é中#\\"<>;]{1,20}`).Draw(t, label)
}

func genTime(t *rapid.T, label string) time.Time {
	lo := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	return time.Unix(rapid.Int64Range(lo, hi).Draw(t, label), 0).UTC()
}

// genStdTemplate draws a crypto/x509 template covering the fields x509lite
// parses.
func genStdTemplate(t *rapid.T) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(rapid.SliceOfN(rapid.Byte(), 1, 20).Draw(t, "serial")),
		NotBefore:    genTime(t, "notBefore"),
		NotAfter:     genTime(t, "notAfter"),
	}
	if tmpl.SerialNumber.Sign() == 0 {
		tmpl.SerialNumber.SetInt64(1)
	}
	tmpl.Subject.CommonName = genAttrValue(t, "cn")
	for i := rapid.IntRange(0, 2).Draw(t, "nO"); i > 0; i-- {
		tmpl.Subject.Organization = append(tmpl.Subject.Organization, genAttrValue(t, "o"))
	}
	if rapid.Bool().Draw(t, "hasC") {
		tmpl.Subject.Country = []string{rapid.StringMatching(`[A-Z]{2}`).Draw(t, "c")}
	}
	if rapid.Bool().Draw(t, "hasOU") {
		tmpl.Subject.OrganizationalUnit = []string{genAttrValue(t, "ou")}
		tmpl.Subject.Locality = []string{genAttrValue(t, "l")}
		tmpl.Subject.Province = []string{genAttrValue(t, "st")}
	}
	if rapid.Bool().Draw(t, "hasDC") { // an attribute type without a short name
		tmpl.Subject.ExtraNames = []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}, Value: genLabel(t, "dc")}}
	}
	tmpl.KeyUsage = x509.KeyUsage(rapid.IntRange(0, 1<<9-1).Draw(t, "keyUsage"))
	allEKU := []x509.ExtKeyUsage{x509.ExtKeyUsageAny, x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth,
		x509.ExtKeyUsageCodeSigning, x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageTimeStamping, x509.ExtKeyUsageOCSPSigning}
	for _, u := range allEKU {
		if rapid.IntRange(0, 3).Draw(t, "eku") == 0 {
			tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, u)
		}
	}
	if rapid.IntRange(0, 5).Draw(t, "unknownEKU") == 0 {
		tmpl.UnknownExtKeyUsage = []asn1.ObjectIdentifier{{1, 3, 6, 1, 4, 1, 311, 10, 3, 4}}
	}
	tmpl.BasicConstraintsValid = rapid.Bool().Draw(t, "bc")
	if tmpl.BasicConstraintsValid {
		tmpl.IsCA = rapid.Bool().Draw(t, "isCA")
		tmpl.MaxPathLen = -1
		if tmpl.IsCA {
			tmpl.MaxPathLen = rapid.IntRange(-1, 5).Draw(t, "maxPathLen")
			tmpl.MaxPathLenZero = tmpl.MaxPathLen == 0
		}
	}
	for i := rapid.IntRange(0, 3).Draw(t, "nDNS"); i > 0; i-- {
		tmpl.DNSNames = append(tmpl.DNSNames, genDNSName(t, "dns"))
	}
	for i := rapid.IntRange(0, 2).Draw(t, "nIP"); i > 0; i-- {
		tmpl.IPAddresses = append(tmpl.IPAddresses, genIP(t, "ip"))
	}
	if rapid.Bool().Draw(t, "hasSKI") {
		tmpl.SubjectKeyId = rapid.SliceOfN(rapid.Byte(), 1, 32).Draw(t, "ski")
	}
	tmpl.SignatureAlgorithm = rapid.SampledFrom([]x509.SignatureAlgorithm{x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA}).Draw(t, "sigAlg")
	return tmpl
}

// TestParseAgainstCryptoX509 issues rapid-generated certificates with
// crypto/x509 and checks that every field x509lite parses agrees with
// crypto/x509's view (and encoding/asn1's for names), that the signature
// verifies with cipher/rsa, and that Name.String equals
// pkix.RDNSequence.String whenever every attribute type has a short name.
func TestParseAgainstCryptoX509(t *testing.T) {
	k := testKeys(t)
	ca := buildStdChain(t, nil)
	ourCA := mustParse(t, ca.interDER)
	rapid.Check(t, func(rt *rapid.T) {
		tmpl := genStdTemplate(rt)
		parent, signer := ca.inter, k[1].std
		selfSigned := rapid.Bool().Draw(rt, "selfSigned")
		subjKey := k[rapid.IntRange(0, numTestKeys-1).Draw(rt, "key")]
		if selfSigned {
			parent, signer = tmpl, subjKey.std
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &subjKey.std.PublicKey, signer)
		if err != nil {
			rt.Fatalf("x509.CreateCertificate: %v", err)
		}
		std, err := x509.ParseCertificate(der)
		if err != nil {
			rt.Fatalf("x509.ParseCertificate: %v", err)
		}
		got, err := ParseCertificate(der)
		if err != nil {
			rt.Fatalf("ParseCertificate: %v", err)
		}
		want := fromStd(t, std)
		if diff := cmp.Diff(want, got, certCmpOpts...); diff != "" {
			rt.Fatalf("fields differ (-crypto/x509 +x509lite):\n%s", diff)
		}
		for _, raw := range [][]byte{std.RawSubject, std.RawIssuer} {
			ours, err := parseNameFull(raw)
			if err != nil {
				rt.Fatal(err)
			}
			_, seq := stdName(t, raw)
			known := true
			for _, rdn := range ours.RDNs {
				for _, a := range rdn {
					if _, ok := attributeShortNames[a.Type]; !ok {
						known = false
					}
				}
			}
			if known && ours.String() != seq.String() {
				rt.Fatalf("Name.String() = %q, pkix says %q", ours.String(), seq.String())
			}
		}
		if got.Subject.CommonName() != std.Subject.CommonName {
			rt.Fatalf("CommonName %q, want %q", got.Subject.CommonName(), std.Subject.CommonName)
		}
		issuerCert := ourCA
		if selfSigned {
			issuerCert = got
		}
		if err := got.CheckSignatureFrom(issuerCert); err != nil {
			rt.Fatalf("signature does not verify with cipher/rsa: %v", err)
		}
	})
}

func parseNameFull(raw []byte) (Name, error) {
	r := NewDERReader(raw, "name")
	c, err := r.Read(TagSequence)
	if err != nil {
		return Name{}, err
	}
	return parseName(c, "name")
}

// TestParseRejects checks the structural rules on certificates built by
// crypto/x509 and then edited at the DER level.
func TestParseRejects(t *testing.T) {
	k := testKeys(t)
	base := stdTemplate("localhost", false)
	issue := func(mod func(*x509.Certificate)) []byte {
		tmpl := *base
		if mod != nil {
			mod(&tmpl)
		}
		_, der := stdIssue(t, &tmpl, &tmpl, &k[0].std.PublicKey, k[0].std)
		return der
	}
	good := issue(nil)
	if _, err := ParseCertificate(good); err != nil {
		t.Fatalf("good certificate rejected: %v", err)
	}
	tests := []struct {
		name string
		der  []byte
		kind error
	}{
		{"unknown critical extension", issue(func(c *x509.Certificate) {
			c.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}}
		}), ErrUnhandledCriticalExtension},
		{"critical name constraints", issue(func(c *x509.Certificate) {
			c.IsCA, c.BasicConstraintsValid = true, true
			c.PermittedDNSDomains = []string{"example.com"}
			c.PermittedDNSDomainsCritical = true
		}), ErrUnhandledCriticalExtension},
		{"critical SAN with only otherName", issue(func(c *x509.Certificate) {
			c.DNSNames, c.IPAddresses = nil, nil
			c.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Critical: true,
				Value: []byte{0x30, 0x0b, 0xa0, 0x09, 0x06, 0x03, 0x2a, 0x03, 0x04, 0xa0, 0x02, 0x05, 0x00}}}
		}), ErrUnhandledCriticalExtension},
		// DER omits a DEFAULT value (x690#11.5): critical FALSE written out
		// is malformed (rfc5280#4.1: critical BOOLEAN DEFAULT FALSE).
		{"critical FALSE encoded explicitly", replaceLast(issue(func(c *x509.Certificate) {
			c.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}}
		}), []byte{6, 3, 0x2a, 3, 4, 1, 1, 0xff}, []byte{6, 3, 0x2a, 3, 4, 1, 1, 0}), ErrMalformed},
		{"duplicate extension", replaceLast(issue(func(c *x509.Certificate) {
			c.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Value: []byte{5, 0}}, {Id: asn1.ObjectIdentifier{1, 2, 3, 5}, Value: []byte{5, 0}}}
		}), []byte{6, 3, 0x2a, 3, 5}, []byte{6, 3, 0x2a, 3, 4}), ErrDuplicateExtension},
		{"outer algorithm differs", replaceLast(good, []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}, []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c}), ErrSignatureAlgorithmMismatch},
		{"trailing byte", append(append([]byte(nil), good...), 0), ErrMalformed},
		{"truncated", good[:len(good)-1], ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCertificate(tc.der)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("err = %v, want %v", err, tc.kind)
			}
			if a, ok := err.(interface{ Alert() uint8 }); !ok || a.Alert() == 0 {
				t.Fatalf("error %T has no alert", err)
			}
		})
	}
	// A URI SAN with an empty host label: crypto/x509 refuses it, and so
	// must we (it is not kept, but it is malformed).
	uriTmpl := *base
	uriTmpl.URIs = []*url.URL{{Scheme: "https", Host: "a..example"}}
	uriDER, err := x509.CreateCertificate(rand.Reader, &uriTmpl, &uriTmpl, &k[0].std.PublicKey, k[0].std)
	if err != nil {
		t.Fatal(err)
	}
	if _, stdErr := x509.ParseCertificate(uriDER); stdErr == nil {
		t.Fatal("crypto/x509 accepts the bad URI; pick another")
	}
	if _, err := ParseCertificate(uriDER); !errors.Is(err, ErrMalformed) {
		t.Fatalf("bad URI SAN: err = %v", err)
	}
	uriTmpl.URIs = []*url.URL{{Scheme: "spiffe", Host: "example.org", Path: "/ns/x"}}
	_, uriDER = stdIssue(t, &uriTmpl, &uriTmpl, &k[0].std.PublicKey, k[0].std)
	if _, err := ParseCertificate(uriDER); err != nil {
		t.Fatalf("good URI SAN: %v", err)
	}

	// A P-521 key and ecdsa-with-SHA512: ErrUnsupportedAlgorithm with 43.
	_, err = ParseCertificate(ecdsaCertDER(t))
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrUnsupportedAlgorithm) || pe.Alert() != AlertUnsupportedCertificate {
		t.Fatalf("ECDSA certificate: err = %v, want ErrUnsupportedAlgorithm/unsupported_certificate", err)
	}
}

// replaceLast replaces the last occurrence of old in b.
func replaceLast(b, old, new []byte) []byte {
	s := string(b)
	i := strings.LastIndex(s, string(old))
	if i < 0 {
		panic(fmt.Sprintf("%x not found", old))
	}
	return []byte(s[:i] + string(new) + s[i+len(old):])
}

// TestParseMutationsDifferential is a cheap always-on cousin of
// FuzzParseCertificate: rapid mutates real certificates (byte flips,
// insertions, deletions, length-byte tweaks). Property: no panic, every
// error carries an alert, and whatever x509lite accepts crypto/x509 accepts
// with the same fields.
func TestParseMutationsDifferential(t *testing.T) {
	c := buildStdChain(t, nil)
	seeds := [][]byte{c.rootDER, c.interDER, c.leafDER}
	rapid.Check(t, func(rt *rapid.T) {
		der := append([]byte(nil), rapid.SampledFrom(seeds).Draw(rt, "seed")...)
		for n := rapid.IntRange(1, 4).Draw(rt, "n"); n > 0; n-- {
			i := rapid.IntRange(0, len(der)-1).Draw(rt, "pos")
			switch rapid.IntRange(0, 3).Draw(rt, "op") {
			case 0:
				der[i] ^= byte(rapid.IntRange(1, 255).Draw(rt, "xor"))
			case 1:
				der = append(der[:i], append([]byte{rapid.Byte().Draw(rt, "ins")}, der[i:]...)...)
			case 2:
				der = append(der[:i], der[i+1:]...)
			case 3:
				der[i] = rapid.SampledFrom([]byte{0x00, 0x01, 0x80, 0x81, 0xff, 0x30, 0x05}).Draw(rt, "special")
			}
			if len(der) == 0 {
				return
			}
		}
		ours, err := ParseCertificate(der)
		if err != nil {
			if a, ok := err.(interface{ Alert() uint8 }); !ok || a.Alert() == 0 {
				rt.Fatalf("error %T without alert: %v", err, err)
			}
			return
		}
		std, err := x509.ParseCertificate(der)
		if err != nil {
			rt.Fatalf("x509lite accepts what crypto/x509 rejects (%v)", err)
		}
		if diff := cmp.Diff(fromStd(t, std), ours, certCmpOpts...); diff != "" {
			rt.Fatalf("fields differ:\n%s", diff)
		}
	})
}

// TestNameStringUnknownType: an attribute type without a short name prints
// as its dotted OID, "=#" and the hex of the value's DER encoding
// (rfc4514#2.4). For a value built without a string type, that is the
// PrintableString or UTF8String encoding/asn1 picks, so the text equals
// pkix.RDNSequence.String; a parsed value keeps its own type (IA5String
// here). A value its type cannot hold (a PrintableString with '@', invalid
// UTF-8) prints the hex of its raw bytes instead of nothing.
func TestNameStringUnknownType(t *testing.T) {
	email := MustOID("1.2.840.113549.1.9.1")
	stdEmail := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	for _, v := range []string{"x", "a b", "a@b", "a*b", "é"} {
		got := NewName(Attr(OIDCommonName, "h"), Attr(email, v)).String()
		want := pkix.RDNSequence{
			{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "h"}},
			{{Type: stdEmail, Value: v}},
		}.String()
		if got != want {
			t.Errorf("Name.String() with %q = %q, pkix says %q", v, got, want)
		}
	}
	for _, tc := range []struct {
		a    AttributeTypeAndValue
		want string
	}{
		{AttributeTypeAndValue{Type: email, Value: "a@b", Tag: TagIA5String}, "1.2.840.113549.1.9.1=#1603614062"},
		{AttributeTypeAndValue{Type: email, Value: "a@b", Tag: TagPrintableString}, "1.2.840.113549.1.9.1=#614062"},
		{AttributeTypeAndValue{Type: email, Value: "\xff"}, "1.2.840.113549.1.9.1=#ff"},
	} {
		if got := NewName(tc.a).String(); got != tc.want {
			t.Errorf("Name.String() of %v %q = %q, want %q", tc.a.Tag, tc.a.Value, got, tc.want)
		}
	}
}
