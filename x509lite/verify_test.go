package x509lite

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// defect is a way to break a chain, the host to verify, and the x509lite
// error it must cause.
type defect struct {
	name  string
	mod   func(t *rapid.T, root, inter, leaf *x509.Certificate)
	post  func(c *stdChainT)                // edits the issued DER
	host  string                            // default "localhost"
	check func(t *rapid.T, err error) error // nil: ok
}

func wantInvalid(reason InvalidReason, alert uint8) func(*rapid.T, error) error {
	return func(t *rapid.T, err error) error {
		var ie *CertificateInvalidError
		if !errors.As(err, &ie) || ie.Reason != reason {
			return errors.New("want CertificateInvalidError " + reason.String() + ", got " + errString(err))
		}
		if ie.Alert() != alert {
			return errors.New("wrong alert for " + reason.String())
		}
		return nil
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func wantHostname(t *rapid.T, err error) error {
	var he *HostnameError
	if !errors.As(err, &he) || he.Alert() != AlertBadCertificate {
		return errors.New("want HostnameError, got " + errString(err))
	}
	return nil
}

var chainDefects = []defect{
	{name: "none", check: func(t *rapid.T, err error) error { return err }},
	{name: "leaf expired", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		l.NotAfter = baseTime.Add(-time.Duration(rapid.IntRange(1, 1e6).Draw(t, "s")) * time.Second)
		l.NotBefore = l.NotAfter.Add(-time.Hour)
	}, check: wantInvalid(Expired, AlertCertificateExpired)},
	{name: "leaf not yet valid", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		l.NotBefore = baseTime.Add(time.Duration(rapid.IntRange(1, 1e6).Draw(t, "s")) * time.Second)
	}, check: wantInvalid(NotYetValid, AlertCertificateExpired)},
	{name: "intermediate expired", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		i.NotAfter = baseTime.Add(-time.Second)
	}, check: wantInvalid(Expired, AlertCertificateExpired)},
	{name: "root not yet valid", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		r.NotBefore = baseTime.Add(time.Minute)
	}, check: wantInvalid(NotYetValid, AlertCertificateExpired)},
	{name: "intermediate not a CA", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		i.IsCA = false
		i.BasicConstraintsValid = rapid.Bool().Draw(t, "bc")
	}, check: wantInvalid(NotAuthorizedToSign, AlertBadCertificate)},
	{name: "root pathLen exceeded", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		r.MaxPathLen, r.MaxPathLenZero = 0, true
	}, check: wantInvalid(TooManyIntermediates, AlertBadCertificate)},
	{name: "flipped signature bit", post: func(c *stdChainT) {
		c.leafDER = append([]byte(nil), c.leafDER...)
		c.leafDER[len(c.leafDER)-7] ^= 0x10
	}, check: wantInvalid(BadSignature, AlertBadCertificate)},
	{name: "wrong issuer name", post: func(c *stdChainT) { c.interDER = nil }, check: func(t *rapid.T, err error) error {
		var ue *UnknownAuthorityError
		if !errors.As(err, &ue) || ue.Alert() != AlertUnknownCA || !strings.Contains(err.Error(), "minitls test intermediate") {
			return errors.New("want UnknownAuthorityError naming the intermediate, got " + errString(err))
		}
		return nil
	}},
	{name: "wrong issuer key", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		// The chain is re-signed below by an impostor with the same name.
	}, post: nil, check: wantInvalid(BadSignature, AlertBadCertificate)},
	{name: "unknown critical extension", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		l.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{5, 0}}}
	}, check: func(t *rapid.T, err error) error {
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrUnhandledCriticalExtension) || pe.Alert() != AlertUnsupportedCertificate {
			return errors.New("want ParseError ErrUnhandledCriticalExtension, got " + errString(err))
		}
		return nil
	}},
	{name: "wrong host", host: "example.org", check: wantHostname},
	{name: "IP not in SAN", host: "10.0.0.1", check: wantHostname},
	{name: "CN is not a name", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		l.Subject.CommonName = "cn-only.example.com"
	}, host: "cn-only.example.com", check: wantHostname},
	{name: "wildcard misuse", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		l.DNSNames = []string{rapid.SampledFrom([]string{"*.example.com", "f*.example.com", "www.*.com", "*.*.example.com", "*"}).Draw(t, "pattern")}
	}, host: "", check: wantHostname},
	{name: "intermediate name constraints (non-critical)", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		i.PermittedDNSDomains = []string{"example.com"}
	}, check: wantInvalid(UnsupportedConstraints, AlertUnsupportedCertificate)},
	{name: "EKU clientAuth only", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		l.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}, check: wantInvalid(IncompatibleUsage, AlertUnsupportedCertificate)},
	{name: "intermediate EKU clientAuth only", mod: func(t *rapid.T, r, i, l *x509.Certificate) {
		i.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}, check: wantInvalid(IncompatibleUsage, AlertUnsupportedCertificate)},
}

// TestVerifyDefects: chains from crypto/x509 with one rapid-chosen defect
// are rejected by x509lite with the right typed error and alert, and
// crypto/x509's Verify rejects them too; the defect-free chain passes both.
func TestVerifyDefects(t *testing.T) {
	seen := map[string]bool{}
	rapid.Check(t, func(rt *rapid.T) {
		d := rapid.SampledFrom(chainDefects).Draw(rt, "defect")
		seen[d.name] = true
		checkDefect(t, rt, d)
	})
	// Every defect must have been tried; top up any the draw missed.
	for _, d := range chainDefects {
		if !seen[d.name] {
			t.Run(d.name, func(t *testing.T) {
				rapid.Check(t, func(rt *rapid.T) { checkDefect(t, rt, d) })
			})
		}
	}
}

func checkDefect(t *testing.T, rt *rapid.T, d defect) {
	k := testKeys(t)
	c := buildStdChain(t, func(r, i, l *x509.Certificate) {
		if d.mod != nil {
			d.mod(rt, r, i, l)
		}
	})
	host := d.host
	if host == "" {
		host = "localhost"
		if d.name == "wildcard misuse" {
			host = rapid.SampledFrom([]string{"example.com", "a.b.example.com", "foo.example.com", "www.x.com", "a.b.example.com"}).Draw(rt, "host")
			if c.leaf.DNSNames[0] == "*.example.com" && host == "foo.example.com" {
				host = "example.com"
			}
		}
	}
	if d.name == "wrong issuer key" {
		// Same intermediate name, different key: the leaf's signature
		// cannot verify.
		impostor, _ := stdIssue(t, stdTemplate("minitls test intermediate", true), c.root, &k[3].std.PublicKey, k[0].std)
		leafT := stdTemplate("localhost", false)
		c.leaf, c.leafDER = stdIssue(t, leafT, impostor, &k[2].std.PublicKey, k[3].std)
	}
	if d.post != nil {
		d.post(&c)
	}

	// crypto/x509 must reject every defect.
	stdRoots, stdInters := x509.NewCertPool(), x509.NewCertPool()
	stdRoots.AddCert(c.root)
	if c.interDER != nil {
		stdInters.AddCert(c.inter)
	}
	var stdErr error
	stdLeaf, err := x509.ParseCertificate(c.leafDER)
	if err != nil {
		stdErr = err
	} else {
		_, stdErr = stdLeaf.Verify(x509.VerifyOptions{Roots: stdRoots, Intermediates: stdInters, DNSName: host, CurrentTime: baseTime})
	}

	_, err = ourVerify(t, c, host)
	if cerr := d.check(rt, err); cerr != nil {
		rt.Fatalf("%s: %v", d.name, cerr)
	}
	if d.name == "none" {
		if stdErr != nil {
			rt.Fatalf("crypto/x509 rejects the good chain: %v", stdErr)
		}
		return
	}
	if stdErr == nil {
		rt.Fatalf("%s: crypto/x509 accepts the chain x509lite rejected with %v", d.name, err)
	}
	if err.Error() == "" || (strings.Contains(d.name, "expired") && !strings.Contains(err.Error(), baseTime.Format(time.RFC3339))) {
		rt.Fatalf("error does not explain itself: %q", err)
	}
}

func ourVerify(t testing.TB, c stdChainT, host string) ([]*Certificate, error) {
	root, err := ParseCertificate(c.rootDER)
	if err != nil {
		return nil, err
	}
	roots, inters := NewCertPool(), NewCertPool()
	roots.AddCert(root)
	if c.interDER != nil {
		inter, err := ParseCertificate(c.interDER)
		if err != nil {
			return nil, err
		}
		inters.AddCert(inter)
	}
	leaf, err := ParseCertificate(c.leafDER)
	if err != nil {
		return nil, err
	}
	return leaf.Verify(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: host, CurrentTime: baseTime})
}

// TestVerifyStricterThanCryptoX509 covers rules x509lite enforces that
// crypto/x509 does not: keyCertSign on issuers with keyUsage, and no
// "*.tld" wildcards.
func TestVerifyStricterThanCryptoX509(t *testing.T) {
	c := buildStdChain(t, func(r, i, l *x509.Certificate) { i.KeyUsage = x509.KeyUsageDigitalSignature })
	_, err := ourVerify(t, c, "localhost")
	var ie *CertificateInvalidError
	if !errors.As(err, &ie) || ie.Reason != NotAuthorizedToSign || !strings.Contains(err.Error(), "keyCertSign") {
		t.Fatalf("issuer without keyCertSign: err = %v", err)
	}
	leaf := &Certificate{DNSNames: []string{"*.com", "*.example.com", "EXAMPLE.org"}}
	for host, ok := range map[string]bool{
		"foo.com": false, "a.example.com": true, "A.Example.COM.": true, "example.com": false,
		"a.b.example.com": false, ".example.com": false, "example.org": true, "example.org..": false,
		"x.example.org": false, "": false, "*.example.com": false,
	} {
		err := leaf.VerifyHostname(host)
		if (err == nil) != ok {
			t.Errorf("VerifyHostname(%q) = %v, want ok=%v", host, err, ok)
		}
	}
	ipLeaf := &Certificate{DNSNames: []string{"10.0.0.1", "*.0.0.1"}, IPAddresses: []net.IP{net.ParseIP("::1")}}
	for host, ok := range map[string]bool{"10.0.0.1": false, "[::1]": true, "::1": true, "0:0::1": true, "127.0.0.1": false} {
		err := ipLeaf.VerifyHostname(host)
		if (err == nil) != ok {
			t.Errorf("VerifyHostname(%q) = %v, want ok=%v", host, err, ok)
		}
	}
	var he *HostnameError
	if err := ipLeaf.VerifyHostname("10.0.0.1"); !errors.As(err, &he) || !strings.Contains(err.Error(), "::1") {
		t.Errorf("hostname error does not list the names: %v", err)
	}
}

// TestVerifyPathBuilding: loops and long chains terminate with an error;
// the leaf itself as a root verifies; an unknown authority names the issuer.
func TestVerifyPathBuilding(t *testing.T) {
	k := testKeys(t)
	// Two CAs that cross-sign each other, neither trusted: a loop.
	aT, bT := stdTemplate("loop A", true), stdTemplate("loop B", true)
	a, _ := stdIssue(t, aT, aT, &k[0].std.PublicKey, k[0].std)
	b, _ := stdIssue(t, bT, a, &k[1].std.PublicKey, k[0].std)
	_, aByBDER := stdIssue(t, aT, b, &k[0].std.PublicKey, k[1].std)
	_, leafDER := stdIssue(t, stdTemplate("localhost", false), a, &k[2].std.PublicKey, k[0].std)
	inters := NewCertPool()
	inters.AddCert(mustParse(t, b.Raw))
	inters.AddCert(mustParse(t, aByBDER))
	roots := NewCertPool()
	_, otherRootDER := stdIssue(t, stdTemplate("other root", true), stdTemplate("other root", true), &k[3].std.PublicKey, k[3].std)
	roots.AddCert(mustParse(t, otherRootDER))
	leaf := mustParse(t, leafDER)
	_, err := leaf.Verify(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime})
	var ue *UnknownAuthorityError
	if !errors.As(err, &ue) {
		t.Fatalf("loop: err = %v, want UnknownAuthorityError", err)
	}

	// A chain longer than maxChainDepth.
	var prevT = stdTemplate("deep 0", true)
	prev, _ := stdIssue(t, prevT, prevT, &k[0].std.PublicKey, k[0].std)
	deepRoots, deepInters := NewCertPool(), NewCertPool()
	deepRoots.AddCert(mustParse(t, prev.Raw))
	for i := 1; i <= maxChainDepth; i++ {
		tmpl := stdTemplate("deep "+string(rune('0'+i)), true)
		next, _ := stdIssue(t, tmpl, prev, &k[0].std.PublicKey, k[0].std)
		deepInters.AddCert(mustParse(t, next.Raw))
		prev = next
	}
	_, deepLeafDER := stdIssue(t, stdTemplate("localhost", false), prev, &k[0].std.PublicKey, k[0].std)
	_, err = mustParse(t, deepLeafDER).Verify(VerifyOptions{Roots: deepRoots, Intermediates: deepInters, CurrentTime: baseTime})
	var ie *CertificateInvalidError
	if !errors.As(err, &ie) || ie.Reason != ChainTooLong || ie.Alert() != AlertCertificateUnknown {
		t.Fatalf("deep chain: err = %v, want ChainTooLong", err)
	}

	// A self-signed leaf trusted directly.
	selfT := stdTemplate("localhost", false)
	_, selfDER := stdIssue(t, selfT, selfT, &k[0].std.PublicKey, k[0].std)
	self := mustParse(t, selfDER)
	direct := NewCertPool()
	direct.AddCert(self)
	if chain, err := self.Verify(VerifyOptions{Roots: direct, DNSName: "localhost", CurrentTime: baseTime}); err != nil || len(chain) != 1 {
		t.Fatalf("self-signed trusted leaf: %v", err)
	}
}

// TestAlertTable: every InvalidReason has a name and a row in the alert
// table, and each error type gives the alert RFC 5246 §7.2.2 describes.
func TestAlertTable(t *testing.T) {
	for r := Expired; r <= EndEntityIsCA; r++ {
		if _, ok := reasonAlerts[r]; !ok {
			t.Errorf("reason %v has no alert", r)
		}
		if strings.HasPrefix(r.String(), "InvalidReason(") {
			t.Errorf("reason %d has no name", int(r))
		}
	}
	c := &Certificate{Subject: NewName(Attr(OIDCommonName, "x"))}
	for _, tc := range []struct {
		err  interface{ Alert() uint8 }
		want uint8
	}{
		{&UnknownAuthorityError{Cert: c}, 48},
		{&CertificateInvalidError{Cert: c, Reason: Expired}, 45},
		{&CertificateInvalidError{Cert: c, Reason: NotYetValid}, 45},
		{&CertificateInvalidError{Cert: c, Reason: BadSignature}, 42},
		{&CertificateInvalidError{Cert: c, Reason: IncompatibleUsage}, 43},
		{&CertificateInvalidError{Cert: c, Reason: ChainTooLong}, 46},
		{&CertificateInvalidError{Cert: c, Reason: UnsupportedKeySize}, 43},
		{&CertificateInvalidError{Cert: c, Reason: EndEntityIsCA}, 43},
		{&HostnameError{Cert: c, Host: "h"}, 42},
		{&ParseError{Kind: ErrUnsupportedAlgorithm}, 43},
		{&ParseError{Kind: ErrDuplicateExtension}, 42},
		{&SyntaxError{}, 42},
	} {
		if got := tc.err.Alert(); got != tc.want {
			t.Errorf("%T %v: alert %d, want %d", tc.err, tc.err, got, tc.want)
		}
	}
}

// TestVerifyValidityBoundaries: validity is inclusive at both ends
// (rfc5280#4.1.2.5: "the validity period ... from notBefore through
// notAfter, inclusive"), so the chain verifies at exactly NotBefore and
// exactly NotAfter and fails one second outside; crypto/x509 agrees at every
// instant.
func TestVerifyValidityBoundaries(t *testing.T) {
	c := buildStdChain(t, nil)
	nb, na := c.leaf.NotBefore, c.leaf.NotAfter
	for _, tc := range []struct {
		at   time.Time
		want InvalidReason // 0: valid
	}{
		{nb, 0}, {na, 0}, {na.Add(time.Second), Expired}, {nb.Add(-time.Second), NotYetValid},
	} {
		roots, inters := NewCertPool(), NewCertPool()
		roots.AddCert(mustParse(t, c.rootDER))
		inters.AddCert(mustParse(t, c.interDER))
		_, err := mustParse(t, c.leafDER).Verify(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: tc.at})
		var ie *CertificateInvalidError
		switch {
		case tc.want == 0 && err != nil:
			t.Errorf("at %v: %v, want valid", tc.at, err)
		case tc.want != 0 && (!errors.As(err, &ie) || ie.Reason != tc.want || ie.Alert() != AlertCertificateExpired):
			t.Errorf("at %v: %v, want %v", tc.at, err, tc.want)
		}
		stdRoots, stdInters := x509.NewCertPool(), x509.NewCertPool()
		stdRoots.AddCert(c.root)
		stdInters.AddCert(c.inter)
		_, stdErr := c.leaf.Verify(x509.VerifyOptions{Roots: stdRoots, Intermediates: stdInters, DNSName: "localhost", CurrentTime: tc.at})
		if (stdErr == nil) != (tc.want == 0) {
			t.Errorf("at %v: crypto/x509 says %v, want valid=%v", tc.at, stdErr, tc.want == 0)
		}
	}
}

// useSystemBundles points SystemCertPool at files for one test and makes
// Verify load the system roots again, both then and after the test.
func useSystemBundles(t *testing.T, files ...string) {
	saved := systemBundles
	reset := func() { systemOnce, systemPool, systemError = sync.Once{}, nil, nil }
	systemBundles = files
	reset()
	t.Cleanup(func() {
		systemBundles = saved
		reset()
	})
}

// TestVerifySystemRoots: with Roots nil, Verify trusts the system bundle
// (rfc5280#6.1.1 (d): the trust anchors are an input to path validation),
// and when there is no usable bundle it returns that error, ErrNoSystemRoots
// or the bundle's ErrNoPEMData, instead of verifying against no roots.
func TestVerifySystemRoots(t *testing.T) {
	c := buildStdChain(t, nil)
	leaf := mustParse(t, c.leafDER)
	inters := NewCertPool()
	inters.AddCert(mustParse(t, c.interDER))
	opts := VerifyOptions{Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime}
	dir := t.TempDir()
	bundle, empty := filepath.Join(dir, "roots.pem"), filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(bundle, pemBlock("CERTIFICATE", c.rootDER), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(empty, []byte("no certificates here\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	useSystemBundles(t, filepath.Join(dir, "missing.pem"), bundle)
	chain, err := leaf.Verify(opts)
	if err != nil || len(chain) != 3 || chain[2].Subject.CommonName() != "minitls test root" {
		t.Fatalf("system bundle holding the root: chain of %d, %v", len(chain), err)
	}

	useSystemBundles(t, filepath.Join(dir, "missing.pem"))
	if chain, err := leaf.Verify(opts); !errors.Is(err, ErrNoSystemRoots) || chain != nil {
		t.Fatalf("no system bundle: %d certificates, %v; want ErrNoSystemRoots", len(chain), err)
	}

	useSystemBundles(t, empty)
	if chain, err := leaf.Verify(opts); !errors.Is(err, ErrNoPEMData) || chain != nil || !strings.Contains(err.Error(), empty) {
		t.Fatalf("bundle without certificates: %d certificates, %v; want ErrNoPEMData naming %s", len(chain), err, empty)
	}
}

// TestVerifyHostnameAlphabet: a host name label is letters, digits, '-'
// and '_' (rfc1123#2.1 letters-digits-hyphen, plus the '_' real names
// use), compared case-insensitively (rfc6125#6.4.1); each end of each
// range is accepted, in the name asked for and in the certificate's
// dNSName, wildcard or not, and the byte just outside each range is
// refused.
func TestVerifyHostnameAlphabet(t *testing.T) {
	for _, host := range []string{"a.example", "z.example", "0.example", "9.example", "A-Z_09.example", "xn--bcher-kva.example"} {
		if err := (&Certificate{DNSNames: []string{host}}).VerifyHostname(host); err != nil {
			t.Errorf("%q against itself: %v", host, err)
		}
		if err := (&Certificate{DNSNames: []string{"*." + host}}).VerifyHostname("w." + host); err != nil {
			t.Errorf("w.%q against *.%[1]q: %v", host, err)
		}
	}
	for _, c := range "`{/:@[ *" {
		host := "a" + string(c) + "b.example"
		if err := (&Certificate{DNSNames: []string{host}}).VerifyHostname(host); err == nil {
			t.Errorf("%q matched itself: %q is not a host name character", host, c)
		}
	}
}

// TestVerifyHostnameLengthLimits: a label may be 63 bytes and a whole name
// 253 bytes (rfc1035#2.3.4, the limits rfc6125#6.4.1 inherits through
// rfc1123#2.1); one byte more in either is refused, in the name asked for
// and in the certificate's dNSName alike. A trailing dot on the host is not
// counted (rfc6125#6.4.3 ignores it).
func TestVerifyHostnameLengthLimits(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	// 63+1+63+1+63+1+61 = 253 bytes: four labels, the last 61 long.
	name253 := label63 + "." + label63 + "." + label63 + "." + strings.Repeat("b", 61)
	for _, tc := range []struct {
		host string
		ok   bool
	}{
		{label63 + ".example", true},
		{label63 + "a.example", false}, // a 64-byte label
		{name253, true},
		{name253 + ".", true},  // the trailing dot is not part of the 253
		{name253 + "b", false}, // 254 bytes
	} {
		pattern := strings.TrimSuffix(tc.host, ".")
		err := (&Certificate{DNSNames: []string{pattern}}).VerifyHostname(tc.host)
		if (err == nil) != tc.ok {
			t.Errorf("%d-byte name (longest label %d) against itself: err = %v, want ok=%v",
				len(tc.host), longestLabel(tc.host), err, tc.ok)
		}
	}
}

func longestLabel(h string) int {
	n := 0
	for _, l := range strings.Split(h, ".") {
		n = max(n, len(l))
	}
	return n
}
