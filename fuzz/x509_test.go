package fuzz

import (
	"bytes"
	stdecdsa "crypto/ecdsa"
	"crypto/rand"
	stdrsa "crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"minitls/x509lite"
)

// The x509 seed corpora (testdata/fuzz/Fuzz{DER,ParseCertificate,VerifyChain})
// hold a root → intermediate → leaf chain made once with crypto/x509, a few
// broken variants of it, and RSA and ECDSA roots from the Debian bundle.
// x509FuzzRoot below is that chain's root. To make new ones:
//
//	go test ./fuzz -run TestX509Corpus -x509-regenerate
//
// then paste the root PEM it prints over x509FuzzRoot.
var x509Regenerate = flag.Bool("x509-regenerate", false, "rewrite the x509 seed corpora and print the new fuzz root")

// x509FuzzTime and x509FuzzHost are the fixed verification inputs of
// FuzzVerifyChain; the seed chain is valid for them.
var (
	x509FuzzTime = time.Date(2030, 6, 15, 12, 0, 0, 0, time.UTC)
	x509FuzzHost = "localhost"
)

const x509FuzzRoot = `-----BEGIN CERTIFICATE-----
MIIDIzCCAgugAwIBAgIBAjANBgkqhkiG9w0BAQsFADAzMRUwEwYDVQQKEwxtaW5p
dGxzIGZ1enoxGjAYBgNVBAMTEW1pbml0bHMgZnV6eiByb290MB4XDTI2MDYxNTEy
MDAwMFoXDTM2MDYxNTEyMDAwMFowMzEVMBMGA1UEChMMbWluaXRscyBmdXp6MRow
GAYDVQQDExFtaW5pdGxzIGZ1enogcm9vdDCCASIwDQYJKoZIhvcNAQEBBQADggEP
ADCCAQoCggEBALbvxxYcEMLzVd2EaCD5JqbQU/WS9cD2Lefwz8oJ7l7dgsARlE4V
tx0ms92rkD3m5DmLOcCBZ2hPFf+cib1DzpK4DrWBgMWYvhTICWnyggOY1RmiLE0D
xokRLz2YlyB0TJW95uggYCpb1Ts6IZ4PN4lzrUBCntOvb/tRYHj0MPZIEJSukFdk
u2FOfYm3j//BoGZkEXU1Pf0LfWQW+XCP71b2SF7Pso7NpVrL9QQncrVktKtWj3Nc
0G88xcwV/D2ULYBrE3iKdV7q/aOxAmdhFbEecPeLvh43ZUpYylXVo84tnLS+ehdQ
N5KPnbgmDv29SrWDdE7yHzUiP+wTAFf2oRcCAwEAAaNCMEAwDgYDVR0PAQH/BAQD
AgEGMA8GA1UdEwEB/wQFMAMBAf8wHQYDVR0OBBYEFEURoZnBH49I+4mhCd9ugBu8
PnKaMA0GCSqGSIb3DQEBCwUAA4IBAQAeBWdDIpVAyu1CCxJziD+qQDkl9NjDh2OJ
4dd2k5pTD0Xmk7T8gTixxon5PVv6LKtAU2g3mKyos4Jk2Qud9JKsyz3cLAEytD4F
mM1oRgL5ay/3bIuY1nS6CSdD62XDhUbuRfOie8o24O0GzhW0rac7DZ2QT2YDSnLC
tQQsMCO5MpemepUp8Sdy4Lb3P6exMXVTG3TXiAM4ZMib2MfYhcgHFtWN1hWUu+7e
5F+0b2PBEdJBll7m1vKu6MYxm6sVhXk6Kp00Q3SiS4xR04iPbdvfZInNgV59jI0+
Zc501K42Y3PgFL122jjQv7fI7RalM9yhr2X199nt7gHsGwqB+vdA
-----END CERTIFICATE-----
`

func x509Root(t testing.TB) []byte {
	t.Helper()
	b, _ := pem.Decode([]byte(x509FuzzRoot))
	if b == nil {
		t.Fatal("x509FuzzRoot is not PEM; regenerate it (see the comment above x509Regenerate)")
	}
	return b.Bytes
}

// x509Fields are the fields FuzzParseCertificate compares between
// x509lite and crypto/x509.
type x509Fields struct {
	Version                            int
	Serial, Signature, RawTBS, RawSPKI []byte
	RawSubject, RawIssuer              []byte
	NotBefore, NotAfter                time.Time
	N                                  []byte
	E                                  int
	BasicConstraintsValid, IsCA        bool
	MaxPathLen                         int
	MaxPathLenZero                     bool
	KeyUsage                           int
	ExtKeyUsage                        []int
	UnknownExtKeyUsage, ExtensionIDs   []string
	DNSNames                           []string
	IPAddresses                        []string
	SubjectKeyID, AuthorityKeyID       []byte
	OCSPServer, IssuingCertificateURL  []string
	SignatureAlgorithm, SubjectCN      string
}

func x509OurFields(c *x509lite.Certificate) x509Fields {
	f := x509Fields{Version: c.Version, Serial: c.SerialNumber, Signature: c.Signature, RawTBS: c.RawTBSCertificate,
		RawSPKI: c.RawSubjectPublicKeyInfo, RawSubject: c.RawSubject, RawIssuer: c.RawIssuer,
		NotBefore: c.NotBefore, NotAfter: c.NotAfter,
		BasicConstraintsValid: c.BasicConstraintsValid, IsCA: c.IsCA, MaxPathLen: c.MaxPathLen, MaxPathLenZero: c.MaxPathLenZero,
		KeyUsage: int(c.KeyUsage), DNSNames: c.DNSNames, SubjectKeyID: c.SubjectKeyId, AuthorityKeyID: c.AuthorityKeyId,
		OCSPServer: c.OCSPServer, IssuingCertificateURL: c.IssuingCertificateURL,
		SignatureAlgorithm: c.SignatureAlgorithm.String(), SubjectCN: c.Subject.CommonName()}
	if c.PublicKey != nil {
		f.N, f.E = c.PublicKey.N, c.PublicKey.E
	} else {
		f.N = c.ECDSAPublicKey.Bytes() // an ECDSA key: the point stands in for N
	}
	for _, u := range c.ExtKeyUsage {
		f.ExtKeyUsage = append(f.ExtKeyUsage, int(u))
	}
	for _, o := range c.UnknownExtKeyUsage {
		f.UnknownExtKeyUsage = append(f.UnknownExtKeyUsage, o.String())
	}
	for _, e := range c.Extensions {
		f.ExtensionIDs = append(f.ExtensionIDs, e.ID.String())
	}
	for _, ip := range c.IPAddresses {
		f.IPAddresses = append(f.IPAddresses, ip.String())
	}
	return f
}

var x509StdSigAlgs = map[x509.SignatureAlgorithm]string{
	x509.SHA256WithRSA:   x509lite.SHA256WithRSA.String(),
	x509.SHA384WithRSA:   x509lite.SHA384WithRSA.String(),
	x509.SHA512WithRSA:   x509lite.SHA512WithRSA.String(),
	x509.ECDSAWithSHA256: x509lite.ECDSAWithSHA256.String(),
	x509.ECDSAWithSHA384: x509lite.ECDSAWithSHA384.String(),
}

func x509StdFields(c *x509.Certificate) (x509Fields, error) {
	var n []byte
	var e int
	switch pub := c.PublicKey.(type) {
	case *stdrsa.PublicKey:
		n, e = pub.N.Bytes(), pub.E
	case *stdecdsa.PublicKey:
		if n, _ = pub.Bytes(); n == nil {
			return x509Fields{}, fmt.Errorf("crypto/x509 ECDSA key on %v", pub.Curve.Params().Name)
		}
	default:
		return x509Fields{}, fmt.Errorf("crypto/x509 public key is %T", c.PublicKey)
	}
	f := x509Fields{Version: c.Version, Serial: c.SerialNumber.Bytes(), Signature: c.Signature, RawTBS: c.RawTBSCertificate,
		RawSPKI: c.RawSubjectPublicKeyInfo, RawSubject: c.RawSubject, RawIssuer: c.RawIssuer,
		NotBefore: c.NotBefore, NotAfter: c.NotAfter, N: n, E: e,
		BasicConstraintsValid: c.BasicConstraintsValid, IsCA: c.IsCA, MaxPathLen: c.MaxPathLen, MaxPathLenZero: c.MaxPathLenZero,
		KeyUsage: int(c.KeyUsage), DNSNames: c.DNSNames, SubjectKeyID: c.SubjectKeyId, AuthorityKeyID: c.AuthorityKeyId,
		OCSPServer: c.OCSPServer, IssuingCertificateURL: c.IssuingCertificateURL,
		SignatureAlgorithm: x509StdSigAlgs[c.SignatureAlgorithm], SubjectCN: c.Subject.CommonName}
	// x509lite names only some extended key usages; crypto/x509 knows more.
	known := map[x509.ExtKeyUsage]bool{x509.ExtKeyUsageAny: true, x509.ExtKeyUsageServerAuth: true, x509.ExtKeyUsageClientAuth: true,
		x509.ExtKeyUsageCodeSigning: true, x509.ExtKeyUsageEmailProtection: true, x509.ExtKeyUsageTimeStamping: true, x509.ExtKeyUsageOCSPSigning: true}
	for _, u := range c.ExtKeyUsage {
		if !known[u] {
			return x509Fields{}, fmt.Errorf("crypto/x509 EKU %v has no x509lite name", u)
		}
		f.ExtKeyUsage = append(f.ExtKeyUsage, int(u))
	}
	for _, o := range c.UnknownExtKeyUsage {
		f.UnknownExtKeyUsage = append(f.UnknownExtKeyUsage, o.String())
	}
	for _, e := range c.Extensions {
		f.ExtensionIDs = append(f.ExtensionIDs, e.Id.String())
	}
	for _, ip := range c.IPAddresses {
		f.IPAddresses = append(f.IPAddresses, ip.String())
	}
	return f, nil
}

// x509IgnoredByUs are extensions crypto/x509 parses (and may reject when
// malformed) but x509lite deliberately skips when non-critical: name
// constraints, CRL distribution points, certificate policies, policy
// mappings/constraints, inhibitAnyPolicy. (authorityInfoAccess is not
// among them: x509lite parses it, more strictly than crypto/x509.)
var x509IgnoredByUs = map[string]bool{
	"2.5.29.30": true, "2.5.29.31": true, "2.5.29.32": true,
	"2.5.29.33": true, "2.5.29.36": true, "2.5.29.54": true,
}

// FuzzDER feeds arbitrary bytes to the DER reader. Property: nothing panics;
// whatever x509lite.ParseDER accepts, DERValue.Marshal (which rebuilds every
// universal primitive from its decoded value with the typed DERBuilder
// methods) re-encodes to exactly the input; and each typed reader that
// accepts the first value re-encodes it identically with the matching
// builder method — DER has one encoding per value, so reader and builder
// must agree byte for byte.
//
// spec: x690#10
func FuzzDER(f *testing.F) {
	for _, s := range [][]byte{{0x30, 0x03, 0x02, 0x01, 0x01}, {0x30, 0x80, 0, 0}, {0x04, 0x81, 0x01, 0}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if v, err := x509lite.ParseDER(data); err == nil {
			back, err := v.Marshal()
			if err != nil {
				t.Fatalf("ParseDER accepted %x but Marshal fails: %v", data, err)
			}
			if !bytes.Equal(back, data) {
				t.Fatalf("re-encoding differs:\n in  %x\n out %x", data, back)
			}
		}
		// The first value's whole encoding, then a fresh reader for the
		// typed read of that same value.
		_, _, full, err := x509lite.NewDERReader(data, "fuzz").ReadElement()
		if err != nil {
			return
		}
		r := x509lite.NewDERReader(data, "fuzz")
		var b x509lite.DERBuilder
		ok := false
		switch tag, _ := r.PeekTag(); tag {
		case x509lite.TagInteger:
			if v, err := r.ReadInteger(); err == nil {
				b.AddInteger(v)
				ok = true
			}
		case x509lite.TagBoolean:
			if v, err := r.ReadBoolean(); err == nil {
				b.AddBoolean(v)
				ok = true
			}
		case x509lite.TagOID:
			if v, err := r.ReadOID(); err == nil {
				b.AddOID(v)
				ok = true
				if o, err := x509lite.ParseOID(v.String()); err != nil || o != v {
					t.Fatalf("OID %s does not round-trip through String/ParseOID: %v", v, err)
				}
			}
		case x509lite.TagBitString:
			if v, err := r.ReadBitString(); err == nil {
				b.AddBitString(v)
				ok = true
			}
		case x509lite.TagUTCTime, x509lite.TagGeneralizedTime:
			if v, err := r.ReadTime(); err == nil {
				b.AddTimeAs(tag, v)
				ok = true
			}
		case x509lite.TagNull:
			if err := r.ReadNull(); err == nil {
				b.AddNull()
				ok = true
			}
		default:
			if tag, s, err := r.ReadString(); err == nil {
				b.AddString(tag, s)
				ok = true
			}
		}
		if ok {
			out, err := b.Bytes()
			if err != nil || !bytes.Equal(out, full) {
				t.Fatalf("typed round trip of %x gave %x (%v)", full, out, err)
			}
		}
	})
}

// FuzzParseCertificate is differential against crypto/x509. Property: no
// input panics x509lite.ParseCertificate; whenever x509lite accepts,
// crypto/x509.ParseCertificate accepts the same bytes (unless the
// certificate carries one of the non-critical extensions x509lite skips but
// crypto/x509 validates, see x509IgnoredByUs) and every field both read
// agrees (serial, names as raw bytes, validity, RSA key, basic constraints,
// key usages, SANs, key identifiers, authorityInfoAccess URIs, extension
// list, signature).
//
// spec: rfc5280#4.1
func FuzzParseCertificate(f *testing.F) {
	f.Fuzz(func(t *testing.T, der []byte) {
		ours, err := x509lite.ParseCertificate(der)
		if err != nil {
			var alerter interface{ Alert() uint8 }
			if !errors.As(err, &alerter) {
				t.Fatalf("error without an alert: %T %v", err, err)
			}
			return
		}
		std, stdErr := x509.ParseCertificate(der)
		if stdErr != nil {
			for _, e := range ours.Extensions {
				if x509IgnoredByUs[e.ID.String()] {
					return
				}
			}
			t.Fatalf("x509lite accepts a certificate crypto/x509 rejects: %v", stdErr)
		}
		want, err := x509StdFields(std)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, x509OurFields(ours)); diff != "" {
			t.Fatalf("fields differ (-crypto/x509 +x509lite):\n%s", diff)
		}
	})
}

// FuzzVerifyChain verifies an arbitrary leaf and intermediate against the
// fixed root x509FuzzRoot, for x509FuzzHost at x509FuzzTime. Property: no
// panic; every failure is a typed error with an alert; and x509lite never
// accepts a chain that crypto/x509's Verify rejects (and when it accepts,
// the chain is leaf, [intermediate,] root).
//
// spec: rfc5280#6.1
func FuzzVerifyChain(f *testing.F) {
	rootDER := x509Root(f)
	root, err := x509lite.ParseCertificate(rootDER)
	if err != nil {
		f.Fatalf("fuzz root: %v", err)
	}
	stdRoot, err := x509.ParseCertificate(rootDER)
	if err != nil {
		f.Fatal(err)
	}
	roots := x509lite.NewCertPool()
	roots.AddCert(root)
	stdRoots := x509.NewCertPool()
	stdRoots.AddCert(stdRoot)
	f.Fuzz(func(t *testing.T, leafDER, interDER []byte) {
		leaf, err := x509lite.ParseCertificate(leafDER)
		if err != nil {
			return
		}
		inters := x509lite.NewCertPool()
		stdInters := x509.NewCertPool()
		if inter, err := x509lite.ParseCertificate(interDER); err == nil {
			inters.AddCert(inter)
			if s, err := x509.ParseCertificate(interDER); err == nil {
				stdInters.AddCert(s)
			}
		}
		chain, err := leaf.Verify(x509lite.VerifyOptions{Roots: roots, Intermediates: inters, DNSName: x509FuzzHost, CurrentTime: x509FuzzTime})
		if err != nil {
			var alerter interface{ Alert() uint8 }
			if !errors.As(err, &alerter) {
				t.Fatalf("error without an alert: %T %v", err, err)
			}
			return
		}
		if len(chain) < 1 || chain[0] != leaf || !bytes.Equal(chain[len(chain)-1].Raw, rootDER) {
			t.Fatalf("accepted chain does not run from the leaf to the root")
		}
		stdLeaf, err := x509.ParseCertificate(leafDER)
		if err != nil {
			t.Fatalf("x509lite verified a leaf crypto/x509 cannot parse: %v", err)
		}
		if _, err := stdLeaf.Verify(x509.VerifyOptions{Roots: stdRoots, Intermediates: stdInters, DNSName: x509FuzzHost, CurrentTime: x509FuzzTime}); err != nil {
			t.Fatalf("x509lite accepts a chain crypto/x509 rejects: %v", err)
		}
	})
}

// TestX509Corpus checks the committed seeds: the good chain verifies with
// both libraries at the fuzz time and host, the system-bundle seeds parse
// in crypto/x509, and every corpus file is in Go's corpus format. With
// -x509-regenerate it first rewrites the seeds.
func TestX509Corpus(t *testing.T) {
	if *x509Regenerate {
		x509RegenerateCorpus(t)
		t.Log("seeds rewritten: paste the printed root over x509FuzzRoot and run again")
		return
	}
	rootDER := x509Root(t)
	leafDER := x509ReadSeed(t, "FuzzVerifyChain", "good-chain")
	stdRoots, stdInters := x509.NewCertPool(), x509.NewCertPool()
	stdRoot, err := x509.ParseCertificate(rootDER)
	if err != nil {
		t.Fatal(err)
	}
	stdRoots.AddCert(stdRoot)
	stdInter, err := x509.ParseCertificate(leafDER[1])
	if err != nil {
		t.Fatal(err)
	}
	stdInters.AddCert(stdInter)
	stdLeaf, err := x509.ParseCertificate(leafDER[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stdLeaf.Verify(x509.VerifyOptions{Roots: stdRoots, Intermediates: stdInters, DNSName: x509FuzzHost, CurrentTime: x509FuzzTime}); err != nil {
		t.Fatalf("crypto/x509 rejects the seed chain: %v", err)
	}
	roots, inters := x509lite.NewCertPool(), x509lite.NewCertPool()
	root, err := x509lite.ParseCertificate(rootDER)
	if err != nil {
		t.Fatal(err)
	}
	roots.AddCert(root)
	inter, err := x509lite.ParseCertificate(leafDER[1])
	if err != nil {
		t.Fatal(err)
	}
	inters.AddCert(inter)
	leaf, err := x509lite.ParseCertificate(leafDER[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Verify(x509lite.VerifyOptions{Roots: roots, Intermediates: inters, DNSName: x509FuzzHost, CurrentTime: x509FuzzTime}); err != nil {
		t.Fatalf("x509lite rejects the seed chain: %v", err)
	}
	sys := x509ReadSeed(t, "FuzzParseCertificate", "debian-rsa-root")
	if _, err := x509.ParseCertificate(sys[0]); err != nil {
		t.Fatalf("system seed: %v", err)
	}
	// Real certificates are DER that ParseDER reads and Marshal rebuilds,
	// so FuzzDER's round-trip property starts from inputs where it bites.
	for _, der := range [][]byte{rootDER, leafDER[0], leafDER[1], sys[0]} {
		v, err := x509lite.ParseDER(der)
		if err != nil {
			t.Fatalf("ParseDER of a seed certificate: %v", err)
		}
		if back, err := v.Marshal(); err != nil || !bytes.Equal(back, der) {
			t.Fatalf("seed certificate does not re-encode identically (%v)", err)
		}
	}
}

// x509ReadSeed reads a corpus file of []byte arguments.
func x509ReadSeed(t testing.TB, target, name string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fuzz", target, name))
	if err != nil {
		t.Fatalf("seed %s/%s: %v (regenerate with -x509-regenerate)", target, name, err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) < 2 || lines[0] != "go test fuzz v1" {
		t.Fatalf("seed %s/%s is not in corpus format", target, name)
	}
	var out [][]byte
	for _, l := range lines[1:] {
		var s string
		if _, err := fmt.Sscanf(strings.TrimSuffix(strings.TrimPrefix(l, "[]byte("), ")"), "%q", &s); err != nil {
			t.Fatalf("seed %s/%s: %v", target, name, err)
		}
		out = append(out, []byte(s))
	}
	return out
}

func x509WriteSeed(t testing.TB, target, name string, args ...[]byte) {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("go test fuzz v1\n")
	for _, a := range args {
		fmt.Fprintf(&sb, "[]byte(%q)\n", a)
	}
	dir := filepath.Join("testdata", "fuzz", target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// x509RegenerateCorpus issues a fresh chain with crypto/x509 and writes the
// seeds for the three x509 targets.
func x509RegenerateCorpus(t *testing.T) {
	key := func() *stdrsa.PrivateKey {
		k, err := stdrsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	rootKey, interKey, leafKey := key(), key(), key()
	serial := int64(1)
	tmpl := func(cn string, ca bool, mod func(*x509.Certificate)) *x509.Certificate {
		serial++
		c := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{"minitls fuzz"}},
			NotBefore: x509FuzzTime.AddDate(-4, 0, 0), NotAfter: x509FuzzTime.AddDate(6, 0, 0),
			SignatureAlgorithm: x509.SHA256WithRSA,
		}
		if ca {
			c.IsCA, c.BasicConstraintsValid, c.KeyUsage = true, true, x509.KeyUsageCertSign|x509.KeyUsageCRLSign
		} else {
			c.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			c.DNSNames = []string{"localhost", "*.example.com"}
			c.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
		}
		if mod != nil {
			mod(c)
		}
		return c
	}
	issue := func(c, parent *x509.Certificate, pub *stdrsa.PublicKey, priv *stdrsa.PrivateKey) (*x509.Certificate, []byte) {
		der, err := x509.CreateCertificate(rand.Reader, c, parent, pub, priv)
		if err != nil {
			t.Fatal(err)
		}
		p, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return p, der
	}
	rootT := tmpl("minitls fuzz root", true, nil)
	root, rootDER := issue(rootT, rootT, &rootKey.PublicKey, rootKey)
	inter, interDER := issue(tmpl("minitls fuzz intermediate", true, func(c *x509.Certificate) { c.SignatureAlgorithm = x509.SHA384WithRSA }), root, &interKey.PublicKey, rootKey)
	_, leafDER := issue(tmpl("localhost", false, nil), inter, &leafKey.PublicKey, interKey)
	_, expiredDER := issue(tmpl("localhost", false, func(c *x509.Certificate) { c.NotAfter = x509FuzzTime.Add(-time.Hour) }), inter, &leafKey.PublicKey, interKey)
	_, clientDER := issue(tmpl("localhost", false, func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} }), inter, &leafKey.PublicKey, interKey)
	_, directDER := issue(tmpl("localhost", false, func(c *x509.Certificate) { c.SignatureAlgorithm = x509.SHA512WithRSA }), root, &leafKey.PublicKey, rootKey)

	// Roots from the system bundle: the first RSA one and the first ECDSA one.
	var sysRSA, sysEC []byte
	if data, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		for {
			var b *pem.Block
			b, data = pem.Decode(data)
			if b == nil {
				break
			}
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				continue
			}
			if c.PublicKeyAlgorithm == x509.RSA && c.SignatureAlgorithm == x509.SHA256WithRSA && sysRSA == nil {
				sysRSA = b.Bytes
			}
			if c.PublicKeyAlgorithm == x509.ECDSA && sysEC == nil {
				sysEC = b.Bytes
			}
		}
	}
	if sysRSA == nil || sysEC == nil {
		t.Fatal("regenerating needs /etc/ssl/certs/ca-certificates.crt with RSA and ECDSA roots")
	}

	for name, der := range map[string][]byte{"root": rootDER, "intermediate": interDER, "leaf": leafDER,
		"leaf-expired": expiredDER, "debian-rsa-root": sysRSA, "debian-ecdsa-root": sysEC} {
		x509WriteSeed(t, "FuzzParseCertificate", name, der)
		x509WriteSeed(t, "FuzzDER", name, der)
	}
	x509WriteSeed(t, "FuzzDER", "tbs-of-leaf", leafDER[4:]) // a stray prefix: exercises trailing-byte handling
	x509WriteSeed(t, "FuzzVerifyChain", "good-chain", leafDER, interDER)
	x509WriteSeed(t, "FuzzVerifyChain", "expired-leaf", expiredDER, interDER)
	x509WriteSeed(t, "FuzzVerifyChain", "client-auth-leaf", clientDER, interDER)
	x509WriteSeed(t, "FuzzVerifyChain", "direct-leaf", directDER, nil)
	x509WriteSeed(t, "FuzzVerifyChain", "missing-intermediate", leafDER, nil)
	fmt.Printf("new x509FuzzRoot:\n%s", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rootDER}))
}
