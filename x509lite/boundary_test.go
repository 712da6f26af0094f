package x509lite

import (
	"bytes"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

// Tests that pin the exact edge of a rule, found by mutation testing
// (docs/mutation.md): each fails if the comparison it guards is moved by one
// or turned around.

// deepChain returns a root, n-2 intermediates under it and a leaf under the
// last of them (n certificates in all), as pools and the parsed leaf.
func deepChain(t *testing.T, n int) (leaf *Certificate, roots, inters *CertPool) {
	t.Helper()
	k := testKeys(t)
	rootT := stdTemplate("depth root", true)
	prev, _ := stdIssue(t, rootT, rootT, &k[0].std.PublicKey, k[0].std)
	roots, inters = NewCertPool(), NewCertPool()
	roots.AddCert(mustParse(t, prev.Raw))
	for i := 1; i <= n-2; i++ {
		next, _ := stdIssue(t, stdTemplate(fmt.Sprintf("depth intermediate %d", i), true), prev, &k[0].std.PublicKey, k[0].std)
		inters.AddCert(mustParse(t, next.Raw))
		prev = next
	}
	_, leafDER := stdIssue(t, stdTemplate("localhost", false), prev, &k[0].std.PublicKey, k[0].std)
	return mustParse(t, leafDER), roots, inters
}

// TestChainDepthBoundary: a path of exactly maxChainDepth certificates (leaf
// and root included) verifies; one more is ChainTooLong.
//
// spec: rfc5280#6.1 (a path is bounded by the verifier's own limit)
func TestChainDepthBoundary(t *testing.T) {
	leaf, roots, inters := deepChain(t, maxChainDepth)
	chain, err := leaf.Verify(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime})
	if err != nil || len(chain) != maxChainDepth {
		t.Fatalf("path of %d certificates: chain of %d, err %v; want it verified", maxChainDepth, len(chain), err)
	}
	leaf, roots, inters = deepChain(t, maxChainDepth+1)
	_, err = leaf.Verify(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime})
	var ie *CertificateInvalidError
	if !errors.As(err, &ie) || ie.Reason != ChainTooLong {
		t.Fatalf("path of %d certificates: err = %v, want ChainTooLong", maxChainDepth+1, err)
	}
}

// sanExt is a subjectAltName extension whose GeneralNames are the given
// encoded entries.
func sanExt(critical bool, entries ...[]byte) pkix.Extension {
	var body []byte
	for _, e := range entries {
		body = append(body, e...)
	}
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Critical: critical,
		Value: append([]byte{0x30, byte(len(body))}, body...)}
}

// generalName encodes one GeneralName entry with a one-byte identifier.
func generalName(tag byte, contents []byte) []byte {
	return append([]byte{tag, byte(len(contents))}, contents...)
}

var (
	sanDNS   = generalName(0x82, []byte("localhost"))
	sanIP    = generalName(0x87, []byte{127, 0, 0, 1})
	sanEmail = generalName(0x81, []byte("a@example.com"))
	sanURI   = generalName(0x86, []byte("https://example.com/"))
	sanOther = generalName(0xa0, []byte{0x06, 0x03, 0x2a, 0x03, 0x04, 0xa0, 0x02, 0x05, 0x00})
	sanRID   = generalName(0x88, []byte{0x2a, 0x03, 0x04}) // registeredID [8]
)

// issueWithSAN issues a self-signed leaf whose only subjectAltName is ext.
func issueWithSAN(t *testing.T, ext pkix.Extension) []byte {
	t.Helper()
	k := testKeys(t)
	tmpl := stdTemplate("localhost", false)
	tmpl.DNSNames, tmpl.IPAddresses = nil, nil
	tmpl.ExtraExtensions = []pkix.Extension{ext}
	_, der := stdIssue(t, tmpl, tmpl, &k[0].std.PublicKey, k[0].std)
	return der
}

// TestCriticalSANAccepted: a critical subjectAltName is refused only when
// none of its entries is a name minitls can check (TestParseRejects has
// the otherName-only one); with a dNSName, an iPAddress, an rfc822Name or
// a URI among them, in any mix, it is accepted and the dNSName and
// iPAddress entries are kept. Each pair puts an understood kind beside
// another, so an entry that stopped counting (or counted against) would
// show.
//
// spec: rfc5280#4.2.1.6
// spec: rfc5280#4.2
func TestCriticalSANAccepted(t *testing.T) {
	tests := []struct {
		name            string
		entries         [][]byte
		wantDNS, wantIP int
	}{
		{"dNSName", [][]byte{sanDNS}, 1, 0},
		{"iPAddress", [][]byte{sanIP}, 0, 1},
		{"rfc822Name", [][]byte{sanEmail}, 0, 0},
		{"URI", [][]byte{sanURI}, 0, 0},
		{"otherName and dNSName", [][]byte{sanOther, sanDNS}, 1, 0},
		{"rfc822Name and dNSName", [][]byte{sanEmail, sanDNS}, 1, 0},
		{"URI and dNSName", [][]byte{sanURI, sanDNS}, 1, 0},
		{"iPAddress and dNSName", [][]byte{sanIP, sanDNS}, 1, 1},
		{"dNSName and iPAddress", [][]byte{sanDNS, sanIP}, 1, 1},
		{"rfc822Name and iPAddress", [][]byte{sanEmail, sanIP}, 0, 1},
	}
	for _, tc := range tests {
		for _, critical := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/critical=%v", tc.name, critical), func(t *testing.T) {
				c, err := ParseCertificate(issueWithSAN(t, sanExt(critical, tc.entries...)))
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				if len(c.DNSNames) != tc.wantDNS || len(c.IPAddresses) != tc.wantIP {
					t.Fatalf("kept %q and %v, want %d dNSName(s) and %d iPAddress(es)", c.DNSNames, c.IPAddresses, tc.wantDNS, tc.wantIP)
				}
			})
		}
	}
	// Not critical, an entry minitls skips is no reason to refuse.
	if _, err := ParseCertificate(issueWithSAN(t, sanExt(false, sanOther))); err != nil {
		t.Fatalf("non-critical otherName-only SAN rejected: %v", err)
	}
}

// TestGeneralNameTag: a GeneralName is a context-specific tag 0..8
// (registeredID [8] is the last); a universal-class element, even one
// whose tag number is 8 or less, an application- or private-class one, and
// [9] are malformed.
//
// spec: rfc5280#4.2.1.6
func TestGeneralNameTag(t *testing.T) {
	if c, err := ParseCertificate(issueWithSAN(t, sanExt(false, sanRID, sanDNS))); err != nil || len(c.DNSNames) != 1 {
		t.Fatalf("registeredID [8] beside a dNSName: %v", err)
	}
	bad := []struct {
		name  string
		entry []byte
	}{
		{"universal OCTET STRING (4)", generalName(0x04, []byte{1, 2, 3, 4})},
		{"universal OBJECT IDENTIFIER (6)", generalName(0x06, []byte{0x2a, 0x03})},
		{"universal IA5String (22)", generalName(0x16, []byte("localhost"))},
		{"application [2]", generalName(0x42, []byte("localhost"))},
		{"private [2]", generalName(0xc2, []byte("localhost"))},
		{"context-specific [9]", generalName(0x89, []byte{0})},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCertificate(issueWithSAN(t, sanExt(false, tc.entry, sanDNS)))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

// TestAddTimeFormBoundaries: AddTime writes UTCTime from 1950-01-01 through
// 2049-12-31 and GeneralizedTime on either side of that span; AddTimeAs
// refuses a UTCTime outside it (its two year digits would read back a
// century off) and a GeneralizedTime outside the years 0000..9999 that four
// digits can say. Every value written reads back as the same instant.
//
// spec: rfc5280#4.1.2.5 (through 2049 as UTCTime, 2050 or later as
// GeneralizedTime), rfc5280#4.1.2.5.1 (YY >= 50 is 19YY), rfc5280#4.1.2.5.2
func TestAddTimeFormBoundaries(t *testing.T) {
	at := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	const auto = Tag(0) // AddTime chooses the form
	for _, tc := range []struct {
		as      Tag // auto, or the tag given to AddTimeAs
		tm      time.Time
		wantTag Tag
		want    string // the contents; "" if the builder must fail
	}{
		{auto, at(1949, 12, 31, 23, 59, 59), TagGeneralizedTime, "19491231235959Z"},
		{auto, at(1950, 1, 1, 0, 0, 0), TagUTCTime, "500101000000Z"},
		{auto, at(2049, 12, 31, 23, 59, 59), TagUTCTime, "491231235959Z"},
		{auto, at(2050, 1, 1, 0, 0, 0), TagGeneralizedTime, "20500101000000Z"},
		{TagUTCTime, at(1949, 12, 31, 23, 59, 59), 0, ""},
		{TagUTCTime, at(1950, 1, 1, 0, 0, 0), TagUTCTime, "500101000000Z"},
		{TagUTCTime, at(2049, 12, 31, 23, 59, 59), TagUTCTime, "491231235959Z"},
		{TagUTCTime, at(2050, 1, 1, 0, 0, 0), 0, ""},
		{TagGeneralizedTime, at(-1, 12, 31, 23, 59, 59), 0, ""},
		{TagGeneralizedTime, at(0, 1, 1, 0, 0, 0), TagGeneralizedTime, "00000101000000Z"},
		{TagGeneralizedTime, at(9999, 12, 31, 23, 59, 59), TagGeneralizedTime, "99991231235959Z"},
		{TagGeneralizedTime, at(10000, 1, 1, 0, 0, 0), 0, ""},
	} {
		var b DERBuilder
		call := fmt.Sprintf("AddTime(%v)", tc.tm)
		if tc.as == auto {
			b.AddTime(tc.tm)
		} else {
			b.AddTimeAs(tc.as, tc.tm)
			call = fmt.Sprintf("AddTimeAs(%v, %v)", tc.as, tc.tm)
		}
		der, err := b.Bytes()
		if tc.want == "" {
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("year %d", tc.tm.Year())) {
				t.Errorf("%s wrote %x, err %v; want an error naming the year", call, der, err)
			}
			continue
		}
		want := append([]byte{byte(tc.wantTag), byte(len(tc.want))}, tc.want...)
		if err != nil || !bytes.Equal(der, want) {
			t.Errorf("%s wrote %x, err %v; want %x", call, der, err, want)
			continue
		}
		if got, err := NewDERReader(der, "time").ReadTime(); err != nil || !got.Equal(tc.tm) {
			t.Errorf("%v: reads back as %v, %v", tc.tm, got, err)
		}
	}
}

// TestParseDERDepthBoundary: ParseDER reads a NULL nested maxDERDepth
// SEQUENCEs deep and refuses one nested a level deeper as ErrMalformed.
// X.690 puts no bound on nesting; the bound is ours, so hostile input cannot
// exhaust the stack, and it must not cut into what it allows.
//
// spec: x690#8.9 (SEQUENCE contents are complete encodings, nested freely)
func TestParseDERDepthBoundary(t *testing.T) {
	nest := func(levels int) []byte {
		der := []byte{0x05, 0x00} // NULL
		for range levels {
			var b DERBuilder
			b.AddSequence(func(c *DERBuilder) { c.AddRaw(der) })
			der, _ = b.Bytes()
		}
		return der
	}
	v, err := ParseDER(nest(maxDERDepth))
	if err != nil {
		t.Fatalf("NULL under %d SEQUENCEs: %v; want it parsed", maxDERDepth, err)
	}
	levels := 0
	for ; len(v.Children) == 1; v = v.Children[0] {
		levels++
	}
	if levels != maxDERDepth || v.Tag != TagNull {
		t.Fatalf("parsed %d levels down to %v, want %d down to NULL", levels, v.Tag, maxDERDepth)
	}
	if _, err := ParseDER(nest(maxDERDepth + 1)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("NULL under %d SEQUENCEs: err %v, want ErrMalformed", maxDERDepth+1, err)
	}
}

// TestParseDERSetOfEqualElements: SET OF elements must appear in ascending
// order of their encodings, and equal encodings are in that order, so
// ParseDER reads the SET OF {1, 1} that encoding/asn1 (the oracle) and
// DERBuilder.AddSetOf both write, and still refuses {2, 1}.
//
// spec: x690#11.6
func TestParseDERSetOfEqualElements(t *testing.T) {
	std, err := asn1.MarshalWithParams([]int{1, 1}, "set")
	if err != nil {
		t.Fatal(err)
	}
	var b DERBuilder
	b.AddSetOf(func(c *DERBuilder) { c.AddInteger([]byte{1}); c.AddInteger([]byte{1}) })
	ours, err := b.Bytes()
	if err != nil || !bytes.Equal(ours, std) {
		t.Fatalf("AddSetOf wrote %x, %v; encoding/asn1 writes %x", ours, err, std)
	}
	v, err := ParseDER(std)
	if err != nil || len(v.Children) != 2 {
		t.Fatalf("ParseDER(%x) = %d children, %v; want the two equal INTEGERs", std, len(v.Children), err)
	}
	if _, err := ParseDER(unhex(t, "3106 020102 020101")); !errors.Is(err, ErrMalformed) {
		t.Fatalf("SET OF {2, 1}: err %v, want ErrMalformed", err)
	}
}

// paddedCert issues a certificate of exactly size bytes, reaching it with a
// non-critical private extension of zeros.
func paddedCert(t *testing.T, size int) []byte {
	t.Helper()
	k := testKeys(t)
	tmpl := stdTemplate("padded", true)
	pad := asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 3}
	n := size - 1000
	for range 8 {
		tmpl.ExtraExtensions = []pkix.Extension{{Id: pad, Value: make([]byte, n)}}
		_, der := stdIssue(t, tmpl, tmpl, &k[0].std.PublicKey, k[0].std)
		if len(der) == size {
			return der
		}
		n += size - len(der)
	}
	t.Fatalf("no padding gives a %d-byte certificate", size)
	return nil
}

// TestCertificateSizeBoundary: ParseCertificate reads a certificate of
// exactly maxCertificateSize bytes and refuses one a byte longer, before
// parsing it, as ErrMalformed naming the limit.
//
// spec: rfc5280#4.1 (the bound is ours: a certificate is one DER SEQUENCE
// of any length)
func TestCertificateSizeBoundary(t *testing.T) {
	if _, err := ParseCertificate(paddedCert(t, maxCertificateSize)); err != nil {
		t.Fatalf("%d-byte certificate: %v; want it parsed", maxCertificateSize, err)
	}
	_, err := ParseCertificate(paddedCert(t, maxCertificateSize+1))
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), fmt.Sprintf("%d-byte limit", maxCertificateSize)) {
		t.Fatalf("%d-byte certificate: err %v, want ErrMalformed naming the limit", maxCertificateSize+1, err)
	}
}

// issueWithExtensions issues a self-signed leaf for subject's key (signed by
// testKeys' first; nil means that key) that carries exts in place of any
// extension crypto/x509 would write with the same identifier.
func issueWithExtensions(t *testing.T, subject *stdRSAPublicKey, exts ...pkix.Extension) []byte {
	t.Helper()
	k := testKeys(t)
	if subject == nil {
		subject = &k[0].std.PublicKey
	}
	tmpl := stdTemplate("localhost", false)
	tmpl.ExtraExtensions = exts
	_, der := stdIssue(t, tmpl, tmpl, subject, k[0].std)
	return der
}

// TestRSAPublicExponentOdd: the RSA public exponent must be odd and at
// least 3 (an even one shares the factor 2 with φ(n), so no private
// exponent exists); 3 and 65537 parse, 4 and 65536 are ErrMalformed.
//
// spec: rfc8017#3.1 ("the RSA public exponent e is an integer between 3
// and n - 1 satisfying GCD(e, \lambda(n)) = 1")
func TestRSAPublicExponentOdd(t *testing.T) {
	k := testKeys(t)
	for _, e := range []int{3, 4, 65536, 65537} {
		pub := &stdRSAPublicKey{N: k[0].std.N, E: e}
		c, err := ParseCertificate(issueWithExtensions(t, pub))
		if e%2 == 1 {
			if err != nil || c.PublicKey == nil || c.PublicKey.E != e {
				t.Errorf("exponent %d: %v; want the key parsed", e, err)
			}
			continue
		}
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), fmt.Sprintf("exponent %d", e)) {
			t.Errorf("exponent %d: err %v, want ErrMalformed naming it", e, err)
		}
	}
}

// TestSubjectKeyIdentifierWhole: the subjectKeyIdentifier extension's value
// is exactly one OCTET STRING; a byte after it is ErrMalformed, not ignored.
//
// spec: rfc5280#4.2.1.2, rfc5280#4.1 (extnValue holds the DER encoding of
// the extension's ASN.1 value)
func TestSubjectKeyIdentifierWhole(t *testing.T) {
	ski := asn1.ObjectIdentifier{2, 5, 29, 14}
	c, err := ParseCertificate(issueWithExtensions(t, nil, pkix.Extension{Id: ski, Value: unhex(t, "0402 0102")}))
	if err != nil || !bytes.Equal(c.SubjectKeyId, []byte{1, 2}) {
		t.Fatalf("OCTET STRING 0102: %v; want SubjectKeyId 0102", err)
	}
	_, err = ParseCertificate(issueWithExtensions(t, nil, pkix.Extension{Id: ski, Value: unhex(t, "0402 0102 00")}))
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("OCTET STRING then 00: err %v, want ErrMalformed", err)
	}
}

// TestKeyUsageLengthBoundary: keyUsage names 9 bits, which take two octets;
// a BIT STRING of up to 16 bits parses (here digitalSignature and
// keyEncipherment with the second octet sent as zeros, as some CAs do) and
// one of 17 bits, a third octet, is ErrMalformed.
//
// spec: rfc5280#4.2.1.3
func TestKeyUsageLengthBoundary(t *testing.T) {
	ku := asn1.ObjectIdentifier{2, 5, 29, 15}
	c, err := ParseCertificate(issueWithExtensions(t, nil, pkix.Extension{Id: ku, Critical: true, Value: unhex(t, "0303 00 a000")}))
	if want := KeyUsageDigitalSignature | KeyUsageKeyEncipherment; err != nil || c.KeyUsage != want {
		t.Fatalf("16-bit keyUsage: %v; want KeyUsage %v", err, want)
	}
	_, err = ParseCertificate(issueWithExtensions(t, nil, pkix.Extension{Id: ku, Critical: true, Value: unhex(t, "0304 07 a00000")}))
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "17 bits") {
		t.Fatalf("17-bit keyUsage: err %v, want ErrMalformed naming the length", err)
	}
}

// TestURIHostPrintableEdges: a URI subjectAltName's host may use every
// printable ASCII byte that URI syntax lets through, '!' (0x21) and '~'
// (0x7e) at the two ends of the range included.
//
// spec: rfc5280#4.2.1.6 (the host of a uniformResourceIdentifier),
// rfc3986#3.2.2 (sub-delims and unreserved characters in reg-name)
func TestURIHostPrintableEdges(t *testing.T) {
	for _, uri := range []string{"https://a!b.example/", "https://a~b.example/"} {
		der := issueWithSAN(t, sanExt(false, sanDNS, generalName(0x86, []byte(uri))))
		if _, err := ParseCertificate(der); err != nil {
			t.Errorf("URI %s: %v; want it accepted", uri, err)
		}
	}
}

// TestAuthorityKeyIdentifierChecked: authorityKeyIdentifier is read to its
// end: keyIdentifier is kept, authorityCertSerialNumber must be a valid
// INTEGER, and nothing may follow the three optional fields.
//
// spec: rfc5280#4.2.1.1
func TestAuthorityKeyIdentifierChecked(t *testing.T) {
	aki := asn1.ObjectIdentifier{2, 5, 29, 35}
	c, err := ParseCertificate(issueWithExtensions(t, nil, pkix.Extension{Id: aki, Value: unhex(t, "3007 80020102 820105")}))
	if err != nil || !bytes.Equal(c.AuthorityKeyId, []byte{1, 2}) {
		t.Fatalf("keyIdentifier 0102, serial 5: %v; want AuthorityKeyId 0102", err)
	}
	for name, v := range map[string]string{
		"non-minimal serial": "3008 80020102 82020005",
		"trailing NULL":      "3006 80020102 0500",
	} {
		_, err := ParseCertificate(issueWithExtensions(t, nil, pkix.Extension{Id: aki, Value: unhex(t, v)}))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v, want ErrMalformed", name, err)
		}
	}
}

// TestCreateKeyUsageNamedBitsOnly: CreateCertificate writes the nine named
// keyUsage bits and nothing past them; decipherOnly (bit 8) makes the BIT
// STRING 9 bits long, while a caller's stray bit 9 is left out rather than
// written as a tenth bit.
//
// spec: rfc5280#4.2.1.3, x690#11.2.2 (NamedBitList: trailing zero bits dropped)
func TestCreateKeyUsageNamedBitsOnly(t *testing.T) {
	k := testKeys(t)
	for _, tc := range []struct {
		usage, want KeyUsage
		value       string
	}{
		{KeyUsageDigitalSignature | KeyUsageDecipherOnly, KeyUsageDigitalSignature | KeyUsageDecipherOnly, "0303 07 8080"},
		{KeyUsageDigitalSignature | 1<<9, KeyUsageDigitalSignature, "0302 07 80"},
		{KeyUsageDecipherOnly | 1<<9, KeyUsageDecipherOnly, "0303 07 0080"},
	} {
		tmpl := &Certificate{
			SerialNumber: []byte{1}, Subject: NewName(Attr(OIDCommonName, "keyUsage")),
			NotBefore: baseTime.Add(-time.Hour), NotAfter: baseTime.Add(time.Hour), KeyUsage: tc.usage,
		}
		der, err := CreateCertificate(rand.Reader, tmpl, tmpl, &k[0].our.PublicKey, k[0].our)
		if err != nil {
			t.Fatal(err)
		}
		c := mustParse(t, der)
		var got []byte
		for _, e := range c.Extensions {
			if e.ID == OIDExtKeyUsage {
				got = e.Value
			}
		}
		if want := unhex(t, tc.value); !bytes.Equal(got, want) || c.KeyUsage != tc.want {
			t.Errorf("KeyUsage %#x: wrote %x (parsed %#x), want %x (%#x)", tc.usage, got, c.KeyUsage, want, tc.want)
		}
	}
}

// TestSerialNumberLength: a serial number of 20 octets parses, also when
// its top bit is set and DER needs a 21st, zero byte to keep it positive;
// a 21-octet value is ErrMalformed.
//
// spec: rfc5280#4.1.2.2 ("Conforming CAs MUST NOT use serialNumber values
// longer than 20 octets")
func TestSerialNumberLength(t *testing.T) {
	k := testKeys(t)
	twenty := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 160), big.NewInt(1)) // 20 octets of 0xff
	for _, tc := range []struct {
		serial *big.Int
		ok     bool
	}{
		{big.NewInt(1), true},
		{new(big.Int).Rsh(twenty, 1), true}, // 20 octets, 20 bytes of DER
		{twenty, true},                      // 20 octets, 21 bytes of DER
		{new(big.Int).Lsh(big.NewInt(1), 160), false},
		{new(big.Int).Lsh(big.NewInt(1), 167), false}, // 21 octets, 21 bytes of DER
	} {
		tmpl := stdTemplate("serial", false)
		tmpl.SerialNumber = tc.serial
		_, der := stdIssue(t, tmpl, tmpl, &k[0].std.PublicKey, k[0].std)
		c, err := ParseCertificate(der)
		switch {
		case tc.ok && err != nil:
			t.Errorf("serial %x: %v; want it parsed", tc.serial, err)
		case tc.ok && !bytes.Equal(c.SerialNumber, tc.serial.Bytes()):
			t.Errorf("serial %x: parsed as %x", tc.serial, c.SerialNumber)
		case !tc.ok && (!errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "20 octets")):
			t.Errorf("serial %x (%d octets): err %v; want ErrMalformed naming 20 octets", tc.serial, len(tc.serial.Bytes()), err)
		}
	}
}
