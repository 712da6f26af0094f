package x509lite

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSystemCertPool loads the Debian bundle with x509lite and reports how
// many roots were skipped. Every root crypto/x509 reads as RSA with an
// RSA-PKCS#1 SHA-1/SHA-2 self-signature must load; everything we skip must
// be something else (ECDSA and friends). Without a bundle, the loader must
// say so with ErrNoSystemRoots.
func TestSystemCertPool(t *testing.T) {
	pool, skipped, err := SystemCertPool()
	data, readErr := os.ReadFile(systemBundles[0])
	if readErr != nil {
		if _, statErr := os.Stat(systemBundles[1]); statErr == nil {
			t.Fatalf("no %s but another bundle exists; extend the test", systemBundles[0])
		}
		if !errors.Is(err, ErrNoSystemRoots) {
			t.Fatalf("no bundle: err = %v, want ErrNoSystemRoots", err)
		}
		t.Logf("no system bundle here; ErrNoSystemRoots returned as expected")
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	total, usable := 0, 0
	supported := map[x509.SignatureAlgorithm]bool{x509.SHA1WithRSA: true, x509.SHA256WithRSA: true, x509.SHA384WithRSA: true, x509.SHA512WithRSA: true}
	ecdsaSupported := map[x509.SignatureAlgorithm]bool{x509.ECDSAWithSHA256: true, x509.ECDSAWithSHA384: true}
	ecdsaRoots := 0
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		total++
		std, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			continue
		}
		_, ours := parseCertificate(b.Bytes, true)
		if strict, err := ParseCertificate(b.Bytes); err == nil {
			// Real roots: every field agrees with crypto/x509.
			if diff := cmp.Diff(fromStd(t, std), strict, certCmpOpts...); diff != "" {
				t.Errorf("root %q parsed differently (-crypto/x509 +x509lite):\n%s", std.Subject, diff)
			}
		}
		usableECDSA := std.PublicKeyAlgorithm == x509.ECDSA && ecdsaSupported[std.SignatureAlgorithm] && stdCurveSupported(std)
		if usableECDSA {
			ecdsaRoots++
		}
		if std.PublicKeyAlgorithm == x509.RSA && supported[std.SignatureAlgorithm] || usableECDSA {
			usable++
			if ours != nil {
				t.Errorf("RSA root %q not loaded: %v", std.Subject, ours)
			}
		} else if ours == nil {
			t.Errorf("root %q (%v, %v) loaded but should be unsupported", std.Subject, std.PublicKeyAlgorithm, std.SignatureAlgorithm)
		}
	}
	t.Logf("system bundle %s: %d certificates, %d loaded (%d of them ECDSA), %d skipped (unsupported algorithms)", systemBundles[0], total, pool.Len(), ecdsaRoots, skipped)
	if pool.Len()+skipped != total || pool.Len() != usable || pool.Len() == 0 {
		t.Fatalf("loaded %d + skipped %d != %d, or loaded != %d usable", pool.Len(), skipped, total, usable)
	}
}

// TestCertPoolPEM: AppendCertsFromPEM and LoadCertPool skip what they cannot
// parse, deduplicate, and a SHA-1-signed root is an anchor but never a
// verifiable certificate.
func TestCertPoolPEM(t *testing.T) {
	c := buildStdChain(t, nil)
	bundle := append(pemBlock("CERTIFICATE", ecdsaCertDER(t)), pemBlock("CERTIFICATE", c.rootDER)...)
	bundle = append(bundle, pemBlock("CERTIFICATE", c.rootDER)...)
	p := NewCertPool()
	if !p.AppendCertsFromPEM(bundle) || p.Len() != 1 {
		t.Fatalf("pool has %d certificates, want 1", p.Len())
	}
	if NewCertPool().AppendCertsFromPEM(pemBlock("CERTIFICATE", ecdsaCertDER(t))) {
		t.Fatal("ECDSA-only bundle reported success")
	}
	f := filepath.Join(t.TempDir(), "bundle.pem")
	if err := os.WriteFile(f, bundle, 0o600); err != nil {
		t.Fatal(err)
	}
	pool, skipped, err := LoadCertPool(f)
	if err != nil || pool.Len() != 1 || skipped != 1 {
		t.Fatalf("LoadCertPool = %d, %d, %v", pool.Len(), skipped, err)
	}
	// A SHA-1 certificate parses only as an anchor.
	k := testKeys(t)
	tmpl := stdTemplate("sha1 root", true)
	tmpl.SignatureAlgorithm = x509.SHA1WithRSA
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k[0].std.PublicKey, k[0].std)
	if err != nil {
		t.Fatalf("crypto/x509 refuses to sign with SHA-1: %v", err)
	}
	if _, err := ParseCertificate(der); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Fatalf("SHA-1 certificate: err = %v", err)
	}
	anchor, err := parseCertificate(der, true)
	if err != nil || anchor.SignatureAlgorithm != SHA1WithRSA {
		t.Fatalf("SHA-1 anchor: %v", err)
	}
	if err := anchor.CheckSignatureFrom(anchor); err == nil {
		t.Fatal("a SHA-1 signature verified")
	}
}

// TestCertPoolCerts: Certs lists the pool's certificates once each, in the
// order they were added, as a copy the caller may change; a nil pool (an
// empty one, as for VerifyOptions.Intermediates) has none.
func TestCertPoolCerts(t *testing.T) {
	c := buildStdChain(t, nil)
	root, inter, leaf := mustParse(t, c.rootDER), mustParse(t, c.interDER), mustParse(t, c.leafDER)
	p := NewCertPool()
	for _, x := range []*Certificate{leaf, root, inter, root} {
		p.AddCert(x)
	}
	got := p.Certs()
	if len(got) != 3 || got[0] != leaf || got[1] != root || got[2] != inter {
		t.Fatalf("Certs() = %v, want leaf, root, intermediate", got)
	}
	got[0] = nil
	if again := p.Certs(); again[0] != leaf || p.Len() != 3 {
		t.Fatal("changing the slice Certs returned changed the pool")
	}
	var none *CertPool
	if got := none.Certs(); got != nil || none.Len() != 0 {
		t.Fatalf("nil pool: Certs() = %v, Len() = %d", got, none.Len())
	}
}

// TestIssuersOfKeyIdentifierOrder: among the pool's certificates whose
// subject is c's issuer, issuersOf puts first, in pool order, those that may
// be the issuer by key identifier — subjectKeyIdentifier equal to c's
// authorityKeyIdentifier, or either identifier absent — and last those whose
// subjectKeyIdentifier differs (rfc5280#4.2.1.1: the identifiers are a hint
// for path building; nothing is dropped, the signature decides).
func TestIssuersOfKeyIdentifierOrder(t *testing.T) {
	issuer := []byte("CN=Issuer")
	cand := func(raw string, skid []byte) *Certificate {
		return &Certificate{Raw: []byte(raw), RawSubject: issuer, SubjectKeyId: skid}
	}
	other := cand("other-skid", []byte{1, 1})
	none := cand("no-skid", nil)
	same := cand("same-skid", []byte{2, 2})
	pool := NewCertPool()
	for _, c := range []*Certificate{other, none, same} {
		pool.AddCert(c)
	}
	name := func(cs []*Certificate) []string {
		var s []string
		for _, c := range cs {
			s = append(s, string(c.Raw))
		}
		return s
	}
	for _, tc := range []struct {
		akid []byte
		want []*Certificate
	}{
		// With an authorityKeyIdentifier: the match and the one without an
		// identifier first, the mismatch last.
		{[]byte{2, 2}, []*Certificate{none, same, other}},
		// Without one there is nothing to compare: pool order.
		{nil, []*Certificate{other, none, same}},
	} {
		c := &Certificate{RawIssuer: issuer, AuthorityKeyId: tc.akid}
		if diff := cmp.Diff(name(tc.want), name(pool.issuersOf(c))); diff != "" {
			t.Errorf("authorityKeyIdentifier %x: issuersOf order (-want +got):\n%s", tc.akid, diff)
		}
	}
}
