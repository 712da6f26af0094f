package x509lite

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"net"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// genTemplate draws an x509lite template for CreateCertificate.
func genTemplate(t *rapid.T, ca bool) *Certificate {
	tmpl := &Certificate{
		SerialNumber: rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, "serial"),
		NotBefore:    genTime(t, "notBefore"),
		NotAfter:     genTime(t, "notAfter"),
	}
	var attrs []AttributeTypeAndValue
	if rapid.Bool().Draw(t, "hasC") {
		attrs = append(attrs, Attr(OIDCountry, rapid.StringMatching(`[A-Z]{2}`).Draw(t, "c")))
	}
	for i := rapid.IntRange(0, 2).Draw(t, "nO"); i > 0; i-- {
		attrs = append(attrs, Attr(OIDOrganization, genAttrValue(t, "o")))
	}
	if rapid.Bool().Draw(t, "hasDC") {
		attrs = append(attrs, Attr(MustOID("0.9.2342.19200300.100.1.25"), genLabel(t, "dc")))
	}
	attrs = append(attrs, Attr(OIDCommonName, genAttrValue(t, "cn")))
	tmpl.Subject = NewName(attrs...)
	tmpl.KeyUsage = KeyUsage(rapid.IntRange(0, 1<<9-1).Draw(t, "keyUsage"))
	for _, u := range []ExtKeyUsage{ExtKeyUsageAny, ExtKeyUsageServerAuth, ExtKeyUsageClientAuth, ExtKeyUsageCodeSigning,
		ExtKeyUsageEmailProtection, ExtKeyUsageTimeStamping, ExtKeyUsageOCSPSigning} {
		if rapid.IntRange(0, 3).Draw(t, "eku") == 0 {
			tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, u)
		}
	}
	if ca {
		tmpl.BasicConstraintsValid, tmpl.IsCA = true, true
		tmpl.MaxPathLen = rapid.IntRange(-1, 4).Draw(t, "maxPathLen")
		tmpl.MaxPathLenZero = tmpl.MaxPathLen == 0
		tmpl.KeyUsage |= KeyUsageCertSign
	} else {
		tmpl.BasicConstraintsValid = rapid.Bool().Draw(t, "bc")
		tmpl.MaxPathLen = -1
	}
	for i := rapid.IntRange(0, 3).Draw(t, "nDNS"); i > 0; i-- {
		tmpl.DNSNames = append(tmpl.DNSNames, genDNSName(t, "dns"))
	}
	for i := rapid.IntRange(0, 2).Draw(t, "nIP"); i > 0; i-- {
		tmpl.IPAddresses = append(tmpl.IPAddresses, genIP(t, "ip"))
	}
	return tmpl
}

// TestCreateParsedByCryptoX509: certificates issued by x509lite from
// rapid templates parse in crypto/x509 with every templated field intact,
// carry SKI = SHA-1(public key) and AKI = the parent's SKI, and verify
// (crypto/x509 CheckSignatureFrom) under the parent's key.
func TestCreateParsedByCryptoX509(t *testing.T) {
	k := testKeys(t)
	caTmpl := &Certificate{
		SerialNumber: []byte{1}, Subject: NewName(Attr(OIDOrganization, "minitls"), Attr(OIDCommonName, "minitls CA")),
		NotBefore: baseTime.Add(-time.Hour), NotAfter: baseTime.Add(time.Hour),
		BasicConstraintsValid: true, IsCA: true, MaxPathLen: -1, KeyUsage: KeyUsageCertSign,
	}
	caDER, err := CreateCertificate(rand.Reader, caTmpl, caTmpl, &k[0].our.PublicKey, k[0].our)
	if err != nil {
		t.Fatal(err)
	}
	ca := mustParse(t, caDER)
	stdCA, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatalf("crypto/x509 rejects our CA: %v", err)
	}
	rapid.Check(t, func(rt *rapid.T) {
		tmpl := genTemplate(rt, rapid.Bool().Draw(rt, "ca"))
		subjKey := k[rapid.IntRange(0, numTestKeys-1).Draw(rt, "key")]
		der, err := CreateCertificate(rand.Reader, tmpl, ca, &subjKey.our.PublicKey, k[0].our)
		if err != nil {
			rt.Fatalf("CreateCertificate: %v", err)
		}
		std, err := x509.ParseCertificate(der)
		if err != nil {
			rt.Fatalf("crypto/x509 rejects our certificate: %v", err)
		}
		if err := std.CheckSignatureFrom(stdCA); err != nil {
			rt.Fatalf("crypto/x509: signature does not verify: %v", err)
		}
		ours := mustParse(t, der)
		if diff := cmp.Diff(fromStd(t, std), ours, certCmpOpts...); diff != "" {
			rt.Fatalf("x509lite and crypto/x509 read our certificate differently:\n%s", diff)
		}
		subj, _ := stdName(t, std.RawSubject)
		if diff := cmp.Diff(tmpl.Subject, subj, certCmpOpts...); diff != "" {
			rt.Fatalf("subject (-template +issued):\n%s", diff)
		}
		if !bytes.Equal(std.RawIssuer, ca.RawSubject) {
			rt.Fatalf("issuer %x is not the CA subject %x", std.RawIssuer, ca.RawSubject)
		}
		wantSerial := trimLeadingZeros(tmpl.SerialNumber)
		if len(wantSerial) == 0 {
			if std.SerialNumber.Sign() <= 0 || std.SerialNumber.BitLen() != 127 {
				rt.Fatalf("generated serial %v is not a positive 127-bit number", std.SerialNumber)
			}
		} else if !bytes.Equal(std.SerialNumber.Bytes(), wantSerial) {
			rt.Fatalf("serial %x, want %x", std.SerialNumber.Bytes(), wantSerial)
		}
		if !std.NotBefore.Equal(tmpl.NotBefore.Truncate(time.Second)) || !std.NotAfter.Equal(tmpl.NotAfter.Truncate(time.Second)) {
			rt.Fatalf("validity %v..%v, want %v..%v", std.NotBefore, std.NotAfter, tmpl.NotBefore, tmpl.NotAfter)
		}
		if KeyUsage(std.KeyUsage) != tmpl.KeyUsage {
			rt.Fatalf("keyUsage %b, want %b", std.KeyUsage, tmpl.KeyUsage)
		}
		if diff := cmp.Diff(tmpl.ExtKeyUsage, ours.ExtKeyUsage, certCmpOpts...); diff != "" {
			rt.Fatalf("extKeyUsage:\n%s", diff)
		}
		wantMax := tmpl.MaxPathLen
		if !tmpl.BasicConstraintsValid {
			wantMax = 0
		}
		if std.BasicConstraintsValid != tmpl.BasicConstraintsValid || std.IsCA != tmpl.IsCA || std.MaxPathLen != wantMax || std.MaxPathLenZero != tmpl.MaxPathLenZero {
			rt.Fatalf("basicConstraints %v %v %d %v, want %v %v %d %v", std.BasicConstraintsValid, std.IsCA, std.MaxPathLen, std.MaxPathLenZero,
				tmpl.BasicConstraintsValid, tmpl.IsCA, wantMax, tmpl.MaxPathLenZero)
		}
		if diff := cmp.Diff(tmpl.DNSNames, std.DNSNames, certCmpOpts...); diff != "" {
			rt.Fatalf("DNS names:\n%s", diff)
		}
		if len(std.IPAddresses) != len(tmpl.IPAddresses) {
			rt.Fatalf("IPs %v, want %v", std.IPAddresses, tmpl.IPAddresses)
		}
		for i, ip := range tmpl.IPAddresses {
			if !ip.Equal(std.IPAddresses[i]) {
				rt.Fatalf("IPs %v, want %v", std.IPAddresses, tmpl.IPAddresses)
			}
		}
		ski := sha1.Sum(marshalRSAPublicKey(&subjKey.our.PublicKey))
		if !bytes.Equal(std.SubjectKeyId, ski[:]) || !bytes.Equal(std.AuthorityKeyId, ca.SubjectKeyId) {
			rt.Fatalf("SKI %x AKI %x, want %x %x", std.SubjectKeyId, std.AuthorityKeyId, ski, ca.SubjectKeyId)
		}
	})
}

// TestCreateChainVerifiedByBoth: a root → intermediate → leaf chain issued
// by x509lite verifies in crypto/x509 (for the DNS name and the IP) and in
// x509lite, with the same chain.
func TestCreateChainVerifiedByBoth(t *testing.T) {
	k := testKeys(t)
	rootT := &Certificate{Subject: NewName(Attr(OIDCommonName, "minitls demo CA")), NotBefore: baseTime.AddDate(-1, 0, 0), NotAfter: baseTime.AddDate(30, 0, 0),
		BasicConstraintsValid: true, IsCA: true, MaxPathLen: 1, KeyUsage: KeyUsageCertSign | KeyUsageCRLSign}
	interT := &Certificate{Subject: NewName(Attr(OIDCommonName, "minitls intermediate")), NotBefore: baseTime.AddDate(-1, 0, 0), NotAfter: baseTime.AddDate(1, 0, 0),
		BasicConstraintsValid: true, IsCA: true, MaxPathLen: 0, MaxPathLenZero: true, KeyUsage: KeyUsageCertSign}
	leafT := &Certificate{Subject: NewName(Attr(OIDCommonName, "localhost")), NotBefore: baseTime.AddDate(0, -1, 0), NotAfter: baseTime.AddDate(0, 1, 0),
		KeyUsage: KeyUsageDigitalSignature | KeyUsageKeyEncipherment, ExtKeyUsage: []ExtKeyUsage{ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost", "*.example.com"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}}
	rootDER, err := CreateCertificate(rand.Reader, rootT, nil, &k[0].our.PublicKey, k[0].our)
	if err != nil {
		t.Fatal(err)
	}
	root := mustParse(t, rootDER)
	interDER, err := CreateCertificate(rand.Reader, interT, root, &k[1].our.PublicKey, k[0].our)
	if err != nil {
		t.Fatal(err)
	}
	inter := mustParse(t, interDER)
	leafDER, err := CreateCertificate(rand.Reader, leafT, inter, &k[2].our.PublicKey, k[1].our)
	if err != nil {
		t.Fatal(err)
	}
	leaf := mustParse(t, leafDER)

	if _, err := CreateCertificate(rand.Reader, leafT, inter, &k[2].our.PublicKey, k[0].our); err == nil {
		t.Error("CreateCertificate signed with a key that is not the parent's")
	}

	stdRoots, stdInters := x509.NewCertPool(), x509.NewCertPool()
	stdRoot, _ := x509.ParseCertificate(rootDER)
	stdInter, _ := x509.ParseCertificate(interDER)
	stdLeaf, err := x509.ParseCertificate(leafDER)
	if err != nil {
		t.Fatal(err)
	}
	stdRoots.AddCert(stdRoot)
	stdInters.AddCert(stdInter)
	roots, inters := NewCertPool(), NewCertPool()
	roots.AddCert(root)
	inters.AddCert(inter)
	for _, host := range []string{"localhost", "www.example.com", "127.0.0.1", "::1", "[::1]", "LOCALHOST"} {
		stdHost := host
		if host == "[::1]" {
			stdHost = "::1"
		}
		chains, err := stdLeaf.Verify(x509.VerifyOptions{Roots: stdRoots, Intermediates: stdInters, DNSName: stdHost, CurrentTime: baseTime})
		if err != nil {
			t.Fatalf("crypto/x509 rejects our chain for %s: %v", host, err)
		}
		chain, err := leaf.Verify(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: host, CurrentTime: baseTime})
		if err != nil {
			t.Fatalf("x509lite rejects its own chain for %s: %v", host, err)
		}
		if len(chain) != 3 || len(chains) != 1 || len(chains[0]) != 3 {
			t.Fatalf("chain lengths %d and %v", len(chain), chains)
		}
		for i := range chain {
			if !bytes.Equal(chain[i].Raw, chains[0][i].Raw) {
				t.Fatalf("chains differ at %d", i)
			}
		}
	}
}

// TestCreateExtraExtensionsReplace: an ExtraExtensions entry replaces, in
// place, the extension of the same ID CreateCertificate would build (as in
// crypto/x509), so a test can issue a certificate with, say, a critical
// subjectKeyIdentifier; other entries are appended; one ID given twice in
// ExtraExtensions is an error.
func TestCreateExtraExtensionsReplace(t *testing.T) {
	k := testKeys(t)
	issue := func(extra ...Extension) (*Certificate, error) {
		tmpl := &Certificate{
			SerialNumber: []byte{7}, Subject: NewName(Attr(OIDCommonName, "extra")),
			NotBefore: baseTime, NotAfter: baseTime.Add(time.Hour),
			KeyUsage: KeyUsageDigitalSignature, DNSNames: []string{"extra.example"}, ExtraExtensions: extra,
		}
		der, err := CreateCertificate(rand.Reader, tmpl, tmpl, &k[0].our.PublicKey, k[0].our)
		if err != nil {
			return nil, err
		}
		return ParseCertificate(der)
	}
	plain, err := issue()
	if err != nil {
		t.Fatal(err)
	}
	ski := Extension{ID: OIDExtSubjectKeyID, Value: []byte{0x04, 0x02, 0xab, 0xcd}}
	ku := Extension{ID: OIDExtKeyUsage, Critical: true, Value: []byte{0x03, 0x02, 0x05, 0x20}} // keyEncipherment
	other := Extension{ID: MustOID("1.3.6.1.4.1.99999.2"), Value: []byte{0x05, 0x00}}
	got, err := issue(ski, other, ku)
	if err != nil {
		t.Fatal(err)
	}
	var want []Extension
	for _, e := range plain.Extensions {
		switch e.ID {
		case ski.ID:
			e = ski
		case ku.ID:
			e = ku
		}
		want = append(want, e)
	}
	want = append(want, other)
	if diff := cmp.Diff(want, got.Extensions); diff != "" {
		t.Errorf("extensions (-want +got):\n%s", diff)
	}
	if !bytes.Equal(got.SubjectKeyId, []byte{0xab, 0xcd}) || got.KeyUsage != KeyUsageKeyEncipherment {
		t.Errorf("replaced values not in effect: SubjectKeyId %x, KeyUsage %#x", got.SubjectKeyId, got.KeyUsage)
	}
	if _, err := issue(other, other); err == nil {
		t.Error("the same ExtraExtensions ID twice was accepted")
	}
}

// TestCreateOptionalFields: what Create writes only in some cases, read back
// by crypto/x509. A CA's pathLenConstraint is written for MaxPathLen > 0 or
// for 0 with MaxPathLenZero, and left out (no limit) for 0 alone, as
// crypto/x509 does; subjectAltName is critical exactly when the subject is
// empty; a parent without a subjectKeyIdentifier gives no
// authorityKeyIdentifier.
//
// spec: rfc5280#4.2.1.9, rfc5280#4.2.1.6, rfc5280#4.2.1.1
func TestCreateOptionalFields(t *testing.T) {
	k := testKeys(t)
	issue := func(tmpl, parent *Certificate) *x509.Certificate {
		t.Helper()
		tmpl.NotBefore, tmpl.NotAfter = baseTime.AddDate(0, -1, 0), baseTime.AddDate(0, 1, 0)
		pub := &k[0].our.PublicKey // self-signed when parent is nil
		if parent != nil {
			pub = &k[1].our.PublicKey
		}
		der, err := CreateCertificate(rand.Reader, tmpl, parent, pub, k[0].our)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ca := func(maxPathLen int, zero bool) *Certificate {
		return &Certificate{Subject: NewName(Attr(OIDCommonName, "CA")), BasicConstraintsValid: true, IsCA: true,
			MaxPathLen: maxPathLen, MaxPathLenZero: zero, KeyUsage: KeyUsageCertSign}
	}
	for _, tc := range []struct {
		maxPathLen int
		zero       bool
		wantLen    int
		wantZero   bool
	}{{0, false, -1, false}, {0, true, 0, true}, {1, false, 1, false}, {-1, false, -1, false}} {
		if c := issue(ca(tc.maxPathLen, tc.zero), nil); c.MaxPathLen != tc.wantLen || c.MaxPathLenZero != tc.wantZero {
			t.Errorf("MaxPathLen %d, MaxPathLenZero %v: crypto/x509 reads %d, %v; want %d, %v",
				tc.maxPathLen, tc.zero, c.MaxPathLen, c.MaxPathLenZero, tc.wantLen, tc.wantZero)
		}
	}

	for _, subject := range []Name{{}, NewName(Attr(OIDCommonName, "localhost"))} {
		c := issue(&Certificate{Subject: subject, DNSNames: []string{"localhost"}}, nil)
		critical, found := false, false
		for _, e := range c.Extensions {
			if e.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 17}) {
				critical, found = e.Critical, true
			}
		}
		if want := len(subject.RDNs) == 0; !found || critical != want {
			t.Errorf("subject %q: subjectAltName present %v, critical %v; want critical %v", subject.String(), found, critical, want)
		}
	}

	root, err := ParseCertificate(issue(ca(1, false), nil).Raw)
	if err != nil {
		t.Fatal(err)
	}
	if c := issue(&Certificate{Subject: NewName(Attr(OIDCommonName, "leaf"))}, root); !bytes.Equal(c.AuthorityKeyId, root.SubjectKeyId) || len(c.AuthorityKeyId) == 0 {
		t.Errorf("parent with a subjectKeyIdentifier: authorityKeyIdentifier %x, want %x", c.AuthorityKeyId, root.SubjectKeyId)
	}
	root.SubjectKeyId = nil // as a v1 root has none
	if c := issue(&Certificate{Subject: NewName(Attr(OIDCommonName, "leaf"))}, root); c.AuthorityKeyId != nil {
		t.Errorf("parent without a subjectKeyIdentifier: authorityKeyIdentifier %x, want none", c.AuthorityKeyId)
	}
}
