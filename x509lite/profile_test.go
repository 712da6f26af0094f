package x509lite

import (
	"crypto"
	"crypto/rand"
	stdrsa "crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"minitls/cipher/rsa"
)

// This file pins the RFC 5280 / CABF Baseline Requirements profile rules of
// issue 14. Every chain is issued with x509lite's own CreateCertificate (or
// built as raw DER where CreateCertificate cannot say it, as for a v1
// root); crypto/x509's verdict on the same bytes is logged beside ours
// where the two differ.

// ourTemplate is stdTemplate for CreateCertificate: a CA with keyCertSign
// and cRLSign, or a serverAuth leaf for "localhost" without
// basicConstraints.
func ourTemplate(cn string, ca bool) *Certificate {
	t := &Certificate{
		Subject:   NewName(Attr(OIDOrganization, "minitls"), Attr(OIDCommonName, cn)),
		NotBefore: baseTime.Add(-24 * time.Hour),
		NotAfter:  baseTime.Add(365 * 24 * time.Hour),
	}
	if ca {
		t.BasicConstraintsValid, t.IsCA, t.MaxPathLen = true, true, -1
		t.KeyUsage = KeyUsageCertSign | KeyUsageCRLSign
	} else {
		t.KeyUsage = KeyUsageDigitalSignature | KeyUsageKeyEncipherment
		t.ExtKeyUsage = []ExtKeyUsage{ExtKeyUsageServerAuth}
		t.DNSNames = []string{"localhost"}
	}
	return t
}

// chainPlan describes root → intermediate → leaf before issuing: the
// templates (for the test to edit), the signing keys, and public keys that
// replace a certificate's own (a key without its private half: a huge or
// odd-sized modulus nobody can sign with, set on a certificate whose own
// key signs nothing, or whose signatures must never be checked).
type chainPlan struct {
	root, inter, leaf *Certificate
	rootKey, interKey *rsa.PrivateKey
	rootPub, interPub *rsa.PublicKey // nil: the public half of rootKey, interKey
	leafPub           *rsa.PublicKey // newPlan: testKeys()[2]
	rootV1, interV1   bool           // issue as a v1 certificate (raw DER, no extensions)
}

func newPlan(t testing.TB) *chainPlan {
	k := testKeys(t)
	return &chainPlan{
		root: ourTemplate("minitls test root", true), inter: ourTemplate("minitls test intermediate", true),
		leaf: ourTemplate("localhost", false), rootKey: k[0].our, interKey: k[1].our, leafPub: &k[2].our.PublicKey,
	}
}

// ourChainT is an issued chain, DER.
type ourChainT struct{ root, inter, leaf []byte }

// issue makes the chain. Each certificate is signed through its issuer's
// template carrying the signing key's public half and the key identifier
// CreateCertificate gave the issuer, so a replaced public key (rootPub,
// interPub, even one ParseCertificate refuses) does not stop its private
// half from signing.
func (p *chainPlan) issue(t testing.TB) ourChainT {
	t.Helper()
	signer := func(tmpl *Certificate, pub *rsa.PublicKey, key *rsa.PrivateKey, v1 bool) *Certificate {
		s := *tmpl
		s.PublicKey = &key.PublicKey
		if s.SubjectKeyId == nil && !v1 {
			s.SubjectKeyId = keyID(pub)
		}
		return &s
	}
	rootPub, interPub := p.rootPub, p.interPub
	if rootPub == nil {
		rootPub = &p.rootKey.PublicKey
	}
	if interPub == nil {
		interPub = &p.interKey.PublicKey
	}
	var c ourChainT
	var err error
	rootSigner := signer(p.root, rootPub, p.rootKey, p.rootV1)
	if p.rootV1 {
		c.root = issueV1(t, p.root, p.root.Subject, rootPub, p.rootKey)
	} else if c.root, err = CreateCertificate(rand.Reader, p.root, rootSigner, rootPub, p.rootKey); err != nil {
		// rootSigner is a distinct parent with the root's name and key:
		// the certificate is self-issued, signed by the root key.
		t.Fatalf("issuing the root: %v", err)
	}
	if p.interV1 {
		c.inter = issueV1(t, p.inter, p.root.Subject, interPub, p.rootKey)
	} else if c.inter, err = CreateCertificate(rand.Reader, p.inter, rootSigner, interPub, p.rootKey); err != nil {
		t.Fatalf("issuing the intermediate: %v", err)
	}
	if c.leaf, err = CreateCertificate(rand.Reader, p.leaf, signer(p.inter, interPub, p.interKey, p.interV1), p.leafPub, p.interKey); err != nil {
		t.Fatalf("issuing the leaf: %v", err)
	}
	return c
}

// issueV1 builds a v1 certificate for tmpl's subject, issued by issuer
// and signed with priv, as raw DER: no version field, no extensions
// (rfc5280#4.1), which CreateCertificate never makes.
func issueV1(t testing.TB, tmpl *Certificate, issuer Name, pub *rsa.PublicKey, priv *rsa.PrivateKey) []byte {
	t.Helper()
	spki, err := MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	sigAlg := func(b *DERBuilder) {
		b.AddSequence(func(b *DERBuilder) { b.AddOID(oidSHA256WithRSA); b.AddNull() })
	}
	var tb DERBuilder
	tb.AddSequence(func(b *DERBuilder) {
		b.AddUnsignedInteger([]byte{0x01, 0x23})
		sigAlg(b)
		marshalName(b, issuer)
		b.AddSequence(func(b *DERBuilder) { b.AddTime(tmpl.NotBefore); b.AddTime(tmpl.NotAfter) })
		marshalName(b, tmpl.Subject)
		b.AddRaw(spki)
	})
	tbs, err := tb.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(tbs)
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	var cb DERBuilder
	cb.AddSequence(func(b *DERBuilder) {
		b.AddRaw(tbs)
		sigAlg(b)
		b.AddBitString(BitString{Bytes: sig, BitLength: 8 * len(sig)})
	})
	der, err := cb.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// verdict is what both libraries say about one chain.
type verdict struct {
	err    error // x509lite: a parse or verification error
	checks int   // signature verifications x509lite did
	std    error // crypto/x509
}

// verifyBoth verifies c (root trusted, intermediate untrusted, leaf for
// "localhost" at baseTime) with x509lite, counting its signature checks,
// and with crypto/x509.
func verifyBoth(t testing.TB, c ourChainT, opts VerifyOptions) verdict {
	t.Helper()
	var v verdict
	v.std = stdVerify(c, opts)
	roots, inters := NewCertPool(), NewCertPool()
	var leaf *Certificate
	for _, p := range []struct {
		der  []byte
		pool *CertPool
		out  **Certificate
	}{{c.root, roots, nil}, {c.inter, inters, nil}, {c.leaf, nil, &leaf}} {
		if p.der == nil {
			continue
		}
		cert, err := ParseCertificate(p.der)
		if err != nil {
			v.err = err
			return v
		}
		if p.pool != nil {
			p.pool.AddCert(cert)
		} else {
			*p.out = cert
		}
	}
	opts.Roots, opts.Intermediates = roots, inters
	if opts.DNSName == "" {
		opts.DNSName = "localhost"
	}
	if opts.CurrentTime.IsZero() {
		opts.CurrentTime = baseTime
	}
	vr, err := newVerifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	_, v.err = vr.verify(leaf)
	v.checks = vr.checks
	return v
}

// stdVerify is crypto/x509's verdict on the same chain and options.
func stdVerify(c ourChainT, opts VerifyOptions) error {
	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	root, err := x509.ParseCertificate(c.root)
	if err != nil {
		return err
	}
	roots.AddCert(root)
	if c.inter != nil {
		inter, err := x509.ParseCertificate(c.inter)
		if err != nil {
			return err
		}
		inters.AddCert(inter)
	}
	leaf, err := x509.ParseCertificate(c.leaf)
	if err != nil {
		return err
	}
	var usages []x509.ExtKeyUsage
	for _, u := range opts.KeyUsages {
		usages = append(usages, x509.ExtKeyUsage(u))
	}
	host := opts.DNSName
	if host == "" {
		host = "localhost"
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, DNSName: host, CurrentTime: baseTime, KeyUsages: usages})
	return err
}

// logVerdicts prints crypto/x509's verdict beside x509lite's when one
// accepts what the other refuses.
func logVerdicts(t testing.TB, name string, ours, std error) {
	t.Helper()
	if (ours == nil) != (std == nil) {
		t.Logf("%s: x509lite: %v; crypto/x509: %v", name, verdictString(ours), verdictString(std))
	}
}

func verdictString(err error) string {
	if err == nil {
		return "accepts"
	}
	return "refuses (" + err.Error() + ")"
}

// wantReason checks that err is a CertificateInvalidError with reason and
// the alert the table gives it.
func wantReason(t testing.TB, err error, reason InvalidReason, alert uint8) {
	t.Helper()
	var ie *CertificateInvalidError
	if !errors.As(err, &ie) || ie.Reason != reason {
		t.Fatalf("err = %v, want CertificateInvalidError %q", err, reason)
	}
	if ie.Alert() != alert {
		t.Fatalf("%v: alert %d, want %d", reason, ie.Alert(), alert)
	}
}

// fakeKey is an RSA public key of exactly bits bits with no private half:
// enough for a certificate whose key is never used to sign.
func fakeKey(t testing.TB, bits int) *rsa.PublicKey {
	t.Helper()
	n := make([]byte, (bits+7)/8)
	if _, err := rand.Read(n); err != nil {
		t.Fatal(err)
	}
	top := bits % 8
	if top == 0 {
		top = 8
	}
	n[0] &= byte(1<<top - 1)
	n[0] |= byte(1 << (top - 1))
	n[len(n)-1] |= 1
	if got := modulusBits(n); got != bits {
		t.Fatalf("fakeKey: %d bits, want %d", got, bits)
	}
	return &rsa.PublicKey{N: n, E: 65537}
}

var (
	oddKeysOnce sync.Once
	oddKeys     map[int]*rsa.PrivateKey
	oddKeysErr  error
)

// oddSizedKey returns a real key of a size x509lite refuses (1024 or 2052
// bits), made with crypto/rsa (which still makes them) and converted; the
// keys are made once per test binary.
func oddSizedKey(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	oddKeysOnce.Do(func() {
		oddKeys = map[int]*rsa.PrivateKey{}
		for _, b := range []int{1024, 2052} {
			k, err := stdrsa.GenerateKey(rand.Reader, b)
			if err != nil {
				oddKeysErr = err
				return
			}
			if oddKeys[b], err = ourKey(k); err != nil {
				oddKeysErr = err
				return
			}
		}
	})
	if oddKeysErr != nil {
		t.Fatalf("making odd-sized keys: %v", oddKeysErr)
	}
	return oddKeys[bits]
}

// TestKeySizeRules: an RSA key below 2048 bits, or whose modulus is not a
// whole number of bytes, is refused (UnsupportedKeySize,
// unsupported_certificate) wherever it sits in a verified path: the leaf,
// the intermediate, the trust anchor that signs. A key above 8192 bits is
// refused as the certificate is parsed (ErrKeySize, also
// unsupported_certificate), so no signature is ever checked with it. 2048
// and 8192 bits are accepted. wantChecks counts the signature
// verifications x509lite did: a refused key is never used for one.
//
// spec: CABF BR §6.1.5
func TestKeySizeRules(t *testing.T) {
	const (
		accept = iota
		refuse // CertificateInvalidError UnsupportedKeySize
		parse  // ParseError ErrKeySize
	)
	for _, tc := range []struct {
		name       string
		edit       func(t *testing.T, p *chainPlan)
		want       int
		wantChecks int
	}{
		{"2048-bit keys", func(t *testing.T, p *chainPlan) {}, accept, 2},
		{"8192-bit leaf", func(t *testing.T, p *chainPlan) { p.leafPub = fakeKey(t, 8192) }, accept, 2},
		{"2040-bit leaf", func(t *testing.T, p *chainPlan) { p.leafPub = fakeKey(t, 2040) }, refuse, 0},
		{"1024-bit leaf", func(t *testing.T, p *chainPlan) { p.leafPub = &oddSizedKey(t, 1024).PublicKey }, refuse, 0},
		{"2052-bit leaf, not a multiple of 8", func(t *testing.T, p *chainPlan) { p.leafPub = fakeKey(t, 2052) }, refuse, 0},
		{"8200-bit leaf", func(t *testing.T, p *chainPlan) { p.leafPub = fakeKey(t, 8200) }, parse, 0},
		{"16384-bit leaf", func(t *testing.T, p *chainPlan) { p.leafPub = fakeKey(t, 16384) }, parse, 0},
		{"1024-bit intermediate", func(t *testing.T, p *chainPlan) { p.interKey = oddSizedKey(t, 1024) }, refuse, 0},
		{"2052-bit intermediate", func(t *testing.T, p *chainPlan) { p.interKey = oddSizedKey(t, 2052) }, refuse, 0},
		{"8200-bit intermediate", func(t *testing.T, p *chainPlan) { p.interPub = fakeKey(t, 8200) }, parse, 0},
		{"1024-bit root", func(t *testing.T, p *chainPlan) { p.rootKey = oddSizedKey(t, 1024) }, refuse, 1},
		{"2052-bit root", func(t *testing.T, p *chainPlan) { p.rootKey = oddSizedKey(t, 2052) }, refuse, 1},
		{"9000-bit root", func(t *testing.T, p *chainPlan) { p.rootPub = fakeKey(t, 9000) }, parse, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPlan(t)
			tc.edit(t, p)
			c := p.issue(t)
			v := verifyBoth(t, c, VerifyOptions{})
			logVerdicts(t, tc.name, v.err, v.std)
			switch tc.want {
			case accept:
				if v.err != nil {
					t.Fatalf("err = %v, want the chain accepted", v.err)
				}
			case refuse:
				wantReason(t, v.err, UnsupportedKeySize, AlertUnsupportedCertificate)
			case parse:
				var pe *ParseError
				if !errors.As(v.err, &pe) || !errors.Is(v.err, ErrKeySize) || pe.Alert() != AlertUnsupportedCertificate {
					t.Fatalf("err = %v, want ParseError ErrKeySize (unsupported_certificate)", v.err)
				}
			}
			if v.checks != tc.wantChecks {
				t.Errorf("%d signature checks, want %d", v.checks, tc.wantChecks)
			}
		})
	}
	// CheckSignatureFrom applies the same rule to the parent's key.
	p := newPlan(t)
	p.rootKey = oddSizedKey(t, 1024)
	c := p.issue(t)
	err := mustParse(t, c.inter).CheckSignatureFrom(mustParse(t, c.root))
	wantReason(t, err, UnsupportedKeySize, AlertUnsupportedCertificate)
}

// TestOversizedKeyNoSignatureCheck: Verify itself refuses a key above 8192
// bits before any signature is checked with it, for a Certificate that did
// not come from ParseCertificate (its fields are exported): on the leaf,
// on the intermediate that would check the leaf's signature, and through
// CheckSignatureFrom.
func TestOversizedKeyNoSignatureCheck(t *testing.T) {
	c := newPlan(t).issue(t)
	big := fakeKey(t, 8200)
	for _, tc := range []struct {
		name string
		edit func(leaf, inter *Certificate)
	}{
		{"leaf", func(leaf, inter *Certificate) { leaf.PublicKey = big }},
		{"intermediate", func(leaf, inter *Certificate) { inter.PublicKey = big }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, inter, leaf := mustParse(t, c.root), mustParse(t, c.inter), mustParse(t, c.leaf)
			tc.edit(leaf, inter)
			roots, inters := NewCertPool(), NewCertPool()
			roots.AddCert(root)
			inters.AddCert(inter)
			vr, err := newVerifier(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime})
			if err != nil {
				t.Fatal(err)
			}
			_, err = vr.verify(leaf)
			wantReason(t, err, UnsupportedKeySize, AlertUnsupportedCertificate)
			if vr.checks != 0 {
				t.Errorf("%d signature checks before the refusal, want 0", vr.checks)
			}
		})
	}
	inter, leaf := mustParse(t, c.inter), mustParse(t, c.leaf)
	inter.PublicKey = big
	wantReason(t, leaf.CheckSignatureFrom(inter), UnsupportedKeySize, AlertUnsupportedCertificate)
}

// TestSignatureCheckBound: a peer that sends a hundred intermediates with
// the leaf's issuer name, none of which signed it, costs at most
// maxSignatureChecks RSA verifications; path building then gives up with
// ChainTooLong (certificate_unknown).
func TestSignatureCheckBound(t *testing.T) {
	k := testKeys(t)
	p := newPlan(t)
	c := p.issue(t)
	root := mustParse(t, c.root)
	signer := *root
	signer.PublicKey = &k[0].our.PublicKey
	inters := NewCertPool()
	const sent = 100
	for i := 0; i < sent; i++ {
		tmpl := ourTemplate("minitls test intermediate", true)
		tmpl.SerialNumber = big.NewInt(int64(i + 1)).Bytes()
		der, err := CreateCertificate(rand.Reader, tmpl, &signer, &k[3].our.PublicKey, k[0].our)
		if err != nil {
			t.Fatal(err)
		}
		inters.AddCert(mustParse(t, der))
	}
	if inters.Len() != sent {
		t.Fatalf("pool holds %d certificates, want %d", inters.Len(), sent)
	}
	roots := NewCertPool()
	roots.AddCert(root)
	vr, err := newVerifier(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime})
	if err != nil {
		t.Fatal(err)
	}
	_, err = vr.verify(mustParse(t, c.leaf))
	wantReason(t, err, ChainTooLong, AlertCertificateUnknown)
	if vr.checks != maxSignatureChecks {
		t.Errorf("%d signature checks, want the bound %d", vr.checks, maxSignatureChecks)
	}
}

// TestIssuerNeedsBasicConstraints: a v3 certificate without
// basicConstraints cannot issue, whether it is an intermediate or a trusted
// root (NotAuthorizedToSign, bad_certificate); a v1 root, which has no
// extensions at all, is the one certificate trusted to sign without it.
//
// spec: rfc5280#4.2.1.9, rfc5280#6.1.4 (k)
func TestIssuerNeedsBasicConstraints(t *testing.T) {
	noBC := func(c *Certificate) { c.BasicConstraintsValid, c.IsCA = false, false }
	for _, tc := range []struct {
		name    string
		edit    func(p *chainPlan)
		wantErr bool
	}{
		{"v3 root and intermediate with cA TRUE", func(p *chainPlan) {}, false},
		{"v1 root", func(p *chainPlan) { p.rootV1 = true }, false},
		{"v3 root without basicConstraints", func(p *chainPlan) { noBC(p.root) }, true},
		{"v3 root with basicConstraints, cA FALSE", func(p *chainPlan) { p.root.IsCA = false }, true},
		{"v3 intermediate without basicConstraints", func(p *chainPlan) { noBC(p.inter) }, true},
		{"v1 intermediate", func(p *chainPlan) { p.interV1 = true }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPlan(t)
			tc.edit(p)
			c := p.issue(t)
			if p.rootV1 || p.interV1 {
				if v1 := mustParse(t, c.root); p.rootV1 && (v1.Version != 1 || len(v1.Extensions) != 0) {
					t.Fatalf("the v1 root is version %d with %d extensions", v1.Version, len(v1.Extensions))
				}
			}
			v := verifyBoth(t, c, VerifyOptions{})
			logVerdicts(t, tc.name, v.err, v.std)
			if tc.wantErr {
				wantReason(t, v.err, NotAuthorizedToSign, AlertBadCertificate)
			} else if v.err != nil {
				t.Fatalf("err = %v, want the chain accepted", v.err)
			}
		})
	}
}

// TestServerLeafNotCA: a certificate verified for serverAuth must be an
// end entity: basicConstraints cA TRUE or keyUsage keyCertSign on it is
// EndEntityIsCA (unsupported_certificate), also when the CA certificate
// itself is trusted directly. cA FALSE is fine, and the rule is about
// serverAuth only.
//
// spec: rfc5280#4.2.1.9, CABF BR §7.1.2.7.8, CABF BR §7.1.2.7.11
func TestServerLeafNotCA(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(p *chainPlan)
		opts    VerifyOptions
		wantErr bool
	}{
		{"leaf with basicConstraints cA FALSE", func(p *chainPlan) { p.leaf.BasicConstraintsValid = true }, VerifyOptions{}, false},
		{"leaf with cA TRUE", func(p *chainPlan) { p.leaf.BasicConstraintsValid, p.leaf.IsCA = true, true }, VerifyOptions{}, true},
		{"leaf with keyCertSign", func(p *chainPlan) { p.leaf.KeyUsage |= KeyUsageCertSign }, VerifyOptions{}, true},
		{"leaf with cA TRUE and keyCertSign, serverAuth asked explicitly", func(p *chainPlan) {
			p.leaf.BasicConstraintsValid, p.leaf.IsCA = true, true
			p.leaf.KeyUsage |= KeyUsageCertSign
		}, VerifyOptions{KeyUsages: []ExtKeyUsage{ExtKeyUsageClientAuth, ExtKeyUsageServerAuth}}, true},
		{"clientAuth leaf with cA TRUE", func(p *chainPlan) {
			p.leaf.BasicConstraintsValid, p.leaf.IsCA = true, true
			p.leaf.ExtKeyUsage = []ExtKeyUsage{ExtKeyUsageClientAuth}
		}, VerifyOptions{KeyUsages: []ExtKeyUsage{ExtKeyUsageClientAuth}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPlan(t)
			tc.edit(p)
			c := p.issue(t)
			v := verifyBoth(t, c, tc.opts)
			logVerdicts(t, tc.name, v.err, v.std)
			if tc.wantErr {
				wantReason(t, v.err, EndEntityIsCA, AlertUnsupportedCertificate)
			} else if v.err != nil {
				t.Fatalf("err = %v, want the chain accepted", v.err)
			}
		})
	}
	// A self-signed CA certificate trusted directly, presented as the
	// server's certificate.
	p := newPlan(t)
	p.root.DNSNames = []string{"localhost"}
	root := mustParse(t, p.issue(t).root)
	roots := NewCertPool()
	roots.AddCert(root)
	_, err := root.Verify(VerifyOptions{Roots: roots, DNSName: "localhost", CurrentTime: baseTime})
	wantReason(t, err, EndEntityIsCA, AlertUnsupportedCertificate)
	stdRoot, _ := x509.ParseCertificate(root.Raw)
	stdRoots := x509.NewCertPool()
	stdRoots.AddCert(stdRoot)
	_, stdErr := stdRoot.Verify(x509.VerifyOptions{Roots: stdRoots, DNSName: "localhost", CurrentTime: baseTime})
	logVerdicts(t, "CA certificate trusted directly as a server's", err, stdErr)
}

// issueLeafWith issues the plan's chain with exts as the leaf's
// ExtraExtensions (each replacing the extension of the same ID that
// CreateCertificate would build) and returns the leaf's DER.
func issueLeafWith(t testing.TB, exts ...Extension) []byte {
	t.Helper()
	p := newPlan(t)
	p.leaf.ExtraExtensions = exts
	return p.issue(t).leaf
}

// derOf builds a DER value with f.
func derOf(t testing.TB, f func(b *DERBuilder)) []byte {
	t.Helper()
	var b DERBuilder
	f(&b)
	der, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// accessDescription builds one AccessDescription with a URI location.
func accessDescription(method OID, uri string) func(b *DERBuilder) {
	return func(b *DERBuilder) {
		b.AddSequence(func(b *DERBuilder) {
			b.AddOID(method)
			b.AddElement(ContextSpecific(6), []byte(uri))
		})
	}
}

// TestExtensionProfile: the parse-time rules of issue 14, each on a leaf
// issued by CreateCertificate with one extension replaced.
// authorityKeyIdentifier, subjectKeyIdentifier and authorityInfoAccess
// marked critical are ErrCriticalNotAllowed (rfc5280#4.2.1.1, 4.2.1.2,
// 4.2.2.1); a keyUsage with no bit set is ErrEmptyKeyUsage
// (rfc5280#4.2.1.3); a malformed authorityInfoAccess is a SyntaxError
// (ErrMalformed). All are bad_certificate.
func TestExtensionProfile(t *testing.T) {
	k := testKeys(t)
	aki := derOf(t, func(b *DERBuilder) {
		b.AddSequence(func(b *DERBuilder) { b.AddElement(ContextSpecific(0), keyID(&k[1].our.PublicKey)) })
	})
	ski := derOf(t, func(b *DERBuilder) { b.AddOctetString(keyID(&k[2].our.PublicKey)) })
	aia := derOf(t, func(b *DERBuilder) {
		b.AddSequence(accessDescription(oidAccessCAIssuers, "http://ca.example/ca.der"))
	})
	aiaOf := func(f func(b *DERBuilder)) []byte { return derOf(t, func(b *DERBuilder) { b.AddSequence(f) }) }
	malformedAIA := map[string][]byte{
		"not a SEQUENCE":                 {0x04, 0x00},
		"no AccessDescription":           {0x30, 0x00},
		"trailing byte":                  append(append([]byte(nil), aia...), 0),
		"AccessDescription not SEQUENCE": aiaOf(func(b *DERBuilder) { b.AddOID(oidAccessOCSP) }),
		"no accessLocation": aiaOf(func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) { b.AddOID(oidAccessOCSP) })
		}),
		"accessMethod not an OID": aiaOf(func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) { b.AddNull(); b.AddElement(ContextSpecific(6), []byte("http://ocsp.example")) })
		}),
		"accessLocation not a GeneralName": aiaOf(func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) { b.AddOID(oidAccessOCSP); b.AddString(TagIA5String, "http://ocsp.example") })
		}),
		"second accessLocation": aiaOf(func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) {
				b.AddOID(oidAccessOCSP)
				b.AddElement(ContextSpecific(6), []byte("http://ocsp.example"))
				b.AddElement(ContextSpecific(6), []byte("http://ocsp2.example"))
			})
		}),
		"URI with an empty host label": aiaOf(accessDescription(oidAccessOCSP, "http://ocsp..example/")),
		"URI not IA5":                  aiaOf(accessDescription(oidAccessCAIssuers, "http://ca.example/\xff")),
		"iPAddress of 5 bytes": aiaOf(func(b *DERBuilder) {
			b.AddSequence(func(b *DERBuilder) { b.AddOID(oidAccessOCSP); b.AddElement(ContextSpecific(7), []byte{10, 0, 0, 1, 2}) })
		}),
	}
	type parseCase struct {
		name string
		ext  Extension
		kind error
	}
	cases := []parseCase{
		{"critical authorityKeyIdentifier", Extension{ID: OIDExtAuthorityKeyID, Critical: true, Value: aki}, ErrCriticalNotAllowed},
		{"critical subjectKeyIdentifier", Extension{ID: OIDExtSubjectKeyID, Critical: true, Value: ski}, ErrCriticalNotAllowed},
		{"critical authorityInfoAccess", Extension{ID: OIDExtAuthorityInfoAccess, Critical: true, Value: aia}, ErrCriticalNotAllowed},
		{"empty keyUsage", Extension{ID: OIDExtKeyUsage, Critical: true, Value: []byte{0x03, 0x01, 0x00}}, ErrEmptyKeyUsage},
		{"empty keyUsage, non-critical", Extension{ID: OIDExtKeyUsage, Value: []byte{0x03, 0x01, 0x00}}, ErrEmptyKeyUsage},
	}
	for name, v := range malformedAIA {
		cases = append(cases, parseCase{"authorityInfoAccess: " + name, Extension{ID: OIDExtAuthorityInfoAccess, Value: v}, ErrMalformed})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			der := issueLeafWith(t, tc.ext)
			_, err := ParseCertificate(der)
			_, stdErr := x509.ParseCertificate(der)
			logVerdicts(t, tc.name, err, stdErr)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("err = %v, want %v", err, tc.kind)
			}
			if a, ok := err.(interface{ Alert() uint8 }); !ok || a.Alert() != AlertBadCertificate {
				t.Fatalf("error %T %v: want bad_certificate", err, err)
			}
		})
	}
	// The same extensions non-critical, and a keyUsage whose only bit is
	// one RFC 5280 does not name (bit 9), parse; the latter reads as
	// present with no known usage, which is what the handshake must see.
	der := issueLeafWith(t, Extension{ID: OIDExtAuthorityKeyID, Value: aki}, Extension{ID: OIDExtSubjectKeyID, Value: ski},
		Extension{ID: OIDExtAuthorityInfoAccess, Value: aia}, Extension{ID: OIDExtKeyUsage, Critical: true, Value: []byte{0x03, 0x03, 0x06, 0x00, 0x40}})
	c, err := ParseCertificate(der)
	if err != nil {
		t.Fatalf("non-critical key identifiers and AIA, keyUsage bit 9: %v", err)
	}
	if !c.HasExtension(OIDExtKeyUsage) || c.KeyUsage != 0 {
		t.Errorf("keyUsage bit 9 only: present %v, KeyUsage %#x; want present, 0", c.HasExtension(OIDExtKeyUsage), c.KeyUsage)
	}
	if c.HasExtension(OIDExtBasicConstraints) {
		t.Errorf("HasExtension(basicConstraints) on a leaf without it")
	}
}

// TestAuthorityInfoAccess: authorityInfoAccess written by CreateCertificate
// from rapid-drawn OCSPServer and IssuingCertificateURL lists reads back
// the same in x509lite and in crypto/x509, and crypto/x509's own encoding
// reads the same in x509lite. Access methods other than id-ad-ocsp and
// id-ad-caIssuers, and locations that are not URIs, are checked and
// skipped, as crypto/x509 skips them. A URI CreateCertificate could not
// write well-formed is an error.
//
// spec: rfc5280#4.2.2.1
func TestAuthorityInfoAccess(t *testing.T) {
	k := testKeys(t)
	genURIs := func(rt *rapid.T, label string) []string {
		var uris []string
		for i := rapid.IntRange(0, 3).Draw(rt, label+"N"); i > 0; i-- {
			uris = append(uris, rapid.SampledFrom([]string{"http", "https", "ldap"}).Draw(rt, label+"Scheme")+"://"+
				genDNSName(rt, label+"Host")+"/"+rapid.StringMatching(`[a-z0-9./-]{0,12}`).Draw(rt, label+"Path"))
		}
		return uris
	}
	rapid.Check(t, func(rt *rapid.T) {
		tmpl := ourTemplate("localhost", false)
		tmpl.OCSPServer = genURIs(rt, "ocsp")
		tmpl.IssuingCertificateURL = genURIs(rt, "caIssuers")
		der, err := CreateCertificate(rand.Reader, tmpl, tmpl, &k[2].our.PublicKey, k[2].our)
		if err != nil {
			rt.Fatal(err)
		}
		ours, err := ParseCertificate(der)
		if err != nil {
			rt.Fatal(err)
		}
		std, err := x509.ParseCertificate(der)
		if err != nil {
			rt.Fatalf("crypto/x509 rejects our authorityInfoAccess: %v", err)
		}
		if diff := cmp.Diff([][]string{std.OCSPServer, std.IssuingCertificateURL}, [][]string{ours.OCSPServer, ours.IssuingCertificateURL}); diff != "" {
			rt.Fatalf("crypto/x509 vs x509lite (-std +ours):\n%s", diff)
		}
		if diff := cmp.Diff([][]string{tmpl.OCSPServer, tmpl.IssuingCertificateURL}, [][]string{ours.OCSPServer, ours.IssuingCertificateURL}); diff != "" {
			rt.Fatalf("template vs parsed (-template +parsed):\n%s", diff)
		}
	})

	stdT := stdTemplate("localhost", false)
	stdT.OCSPServer = []string{"http://ocsp.example.com", "http://ocsp2.example.com/x"}
	stdT.IssuingCertificateURL = []string{"http://ca.example.com/ca.crt"}
	std, stdDER := stdIssue(t, stdT, stdT, &k[0].std.PublicKey, k[0].std)
	ours := mustParse(t, stdDER)
	if diff := cmp.Diff([][]string{std.OCSPServer, std.IssuingCertificateURL}, [][]string{ours.OCSPServer, ours.IssuingCertificateURL}); diff != "" {
		t.Errorf("crypto/x509's authorityInfoAccess (-std +ours):\n%s", diff)
	}

	// Skipped entries: an unknown access method with a URI, id-ad-ocsp
	// with a dNSName location.
	skipped := derOf(t, func(b *DERBuilder) {
		b.AddSequence(func(b *DERBuilder) {
			accessDescription(MustOID("1.3.6.1.5.5.7.48.5"), "http://repo.example/")(b)
			b.AddSequence(func(b *DERBuilder) { b.AddOID(oidAccessOCSP); b.AddElement(ContextSpecific(2), []byte("ocsp.example")) })
			accessDescription(oidAccessOCSP, "http://ocsp.example/")(b)
		})
	})
	der := issueLeafWith(t, Extension{ID: OIDExtAuthorityInfoAccess, Value: skipped})
	c := mustParse(t, der)
	stdC, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{stdC.OCSPServer, stdC.IssuingCertificateURL}, [][]string{c.OCSPServer, c.IssuingCertificateURL}); diff != "" {
		t.Errorf("skipped entries (-std +ours):\n%s", diff)
	}
	if len(c.OCSPServer) != 1 || len(c.IssuingCertificateURL) != 0 {
		t.Errorf("OCSPServer %q, IssuingCertificateURL %q; want only the one id-ad-ocsp URI", c.OCSPServer, c.IssuingCertificateURL)
	}

	bad := ourTemplate("localhost", false)
	bad.OCSPServer = []string{"http://ocsp..example/"}
	if _, err := CreateCertificate(rand.Reader, bad, bad, &k[2].our.PublicKey, k[2].our); err == nil {
		t.Error("CreateCertificate wrote a malformed authorityInfoAccess URI")
	}
}
