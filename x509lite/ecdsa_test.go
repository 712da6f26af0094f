package x509lite

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	mecdsa "minitls/cipher/ecdsa"
)

// issueAny is stdIssue for a key of any type.
func issueAny(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, priv crypto.Signer) []byte {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
	if err != nil {
		t.Fatalf("x509.CreateCertificate: %v", err)
	}
	return der
}

// stdKeyOf returns a fresh key: "rsa" (the shared 2048-bit test key i),
// "p256" or "p384".
func stdKeyOf(t testing.TB, kind string, i int) crypto.Signer {
	t.Helper()
	switch kind {
	case "p256", "p384":
		c := elliptic.P256()
		if kind == "p384" {
			c = elliptic.P384()
		}
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	return testKeys(t)[i].std
}

// TestMixedChains: chains that mix RSA and ECDSA verify in every order the
// issue names — an ECDSA root, an RSA intermediate and an ECDSA leaf, and
// the reverse — and all-ECDSA chains on both curves, with each issuer's
// signature algorithm following its key (ecdsa-with-SHA384 from a P-384
// key, SHA256WithRSA from RSA). A flipped bit in any signature fails.
func TestMixedChains(t *testing.T) {
	for _, kinds := range [][3]string{
		{"p384", "rsa", "p256"},
		{"rsa", "p256", "rsa"},
		{"p256", "p256", "p256"},
		{"p384", "p384", "p384"},
		{"rsa", "p384", "p256"},
	} {
		name := strings.Join(kinds[:], "-")
		t.Run(name, func(t *testing.T) {
			keys := [3]crypto.Signer{stdKeyOf(t, kinds[0], 0), stdKeyOf(t, kinds[1], 1), stdKeyOf(t, kinds[2], 2)}
			root, inter, leaf := stdTemplate("root "+name, true), stdTemplate("inter "+name, true), stdTemplate("localhost", false)
			rootDER := issueAny(t, root, root, keys[0].Public(), keys[0])
			rootStd, _ := x509.ParseCertificate(rootDER)
			interDER := issueAny(t, inter, rootStd, keys[1].Public(), keys[0])
			interStd, _ := x509.ParseCertificate(interDER)
			leafDER := issueAny(t, leaf, interStd, keys[2].Public(), keys[1])

			verify := func(leafDER []byte) error {
				roots, inters := NewCertPool(), NewCertPool()
				for pool, der := range map[*CertPool][]byte{roots: rootDER, inters: interDER} {
					c, err := ParseCertificate(der)
					if err != nil {
						t.Fatalf("ParseCertificate: %v", err)
					}
					pool.AddCert(c)
				}
				l, err := ParseCertificate(leafDER)
				if err != nil {
					t.Fatalf("ParseCertificate(leaf): %v", err)
				}
				_, err = l.Verify(VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime})
				return err
			}
			if err := verify(leafDER); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			bad := append([]byte(nil), leafDER...)
			bad[len(bad)-3] ^= 0x10 // inside the signature
			var ce *CertificateInvalidError
			if err := verify(bad); !errors.As(err, &ce) || ce.Reason != BadSignature {
				t.Fatalf("tampered leaf signature: %v, want BadSignature", err)
			}
		})
	}
}

// TestECDSAKeyFields: an ECDSA certificate has ECDSAPublicKey on its curve
// and no RSA PublicKey; Public and PublicKeyAlgorithm say which.
func TestECDSAKeyFields(t *testing.T) {
	k := stdKeyOf(t, "p384", 0).(*ecdsa.PrivateKey)
	tmpl := stdTemplate("p384", true)
	c, err := ParseCertificate(issueAny(t, tmpl, tmpl, &k.PublicKey, k))
	if err != nil {
		t.Fatal(err)
	}
	q, _ := k.PublicKey.Bytes()
	if c.PublicKey != nil || c.ECDSAPublicKey == nil || string(c.ECDSAPublicKey.Bytes()) != string(q) ||
		c.PublicKeyAlgorithm() != "ECDSA P-384" || c.Public() != c.ECDSAPublicKey || c.SignatureAlgorithm != ECDSAWithSHA384 {
		t.Fatalf("fields: rsa %v, ecdsa %v, %s, %v", c.PublicKey, c.ECDSAPublicKey, c.PublicKeyAlgorithm(), c.SignatureAlgorithm)
	}
}

// TestOtherCurvesRefusedByName: a key on any curve but P-256 and P-384 is
// refused with ErrUnsupportedAlgorithm (unsupported_certificate), and the
// error names the curve.
func TestOtherCurvesRefusedByName(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	signer := stdKeyOf(t, "p256", 0)
	tmpl := stdTemplate("p521 leaf", false)
	parent := stdTemplate("p256 root", true)
	parentStd, _ := x509.ParseCertificate(issueAny(t, parent, parent, signer.Public(), signer))
	der := issueAny(t, tmpl, parentStd, &k.PublicKey, signer) // ecdsa-with-SHA256 signature, P-521 key
	_, err := ParseCertificate(der)
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrUnsupportedAlgorithm) || pe.Alert() != AlertUnsupportedCertificate ||
		!strings.Contains(err.Error(), "P-521") {
		t.Fatalf("P-521 key: %v, want ErrUnsupportedAlgorithm naming P-521", err)
	}
}

// TestECDSASignatureParameters: ecdsa-with-SHA256 with NULL parameters is
// refused (rfc5758#3.2: they MUST be omitted).
func TestECDSASignatureParameters(t *testing.T) {
	k := stdKeyOf(t, "p256", 0)
	tmpl := stdTemplate("params", true)
	der := issueAny(t, tmpl, tmpl, k.Public(), k)
	// The AlgorithmIdentifier SEQUENCE { OID ecdsa-with-SHA256 } appears
	// twice; give the inner one a NULL and fix up nothing else: the lengths
	// change, so rebuild through the DER reader instead of patching bytes.
	alg := []byte{0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}
	if !strings.Contains(string(der), string(alg)) {
		t.Fatal("no ecdsa-with-SHA256 AlgorithmIdentifier")
	}
	if _, err := parseSignatureAlgorithm(append(alg[2:], 0x05, 0x00), false); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Fatalf("NULL parameters: %v, want ErrUnsupportedAlgorithm", err)
	}
	if a, err := parseSignatureAlgorithm(alg[2:], false); err != nil || a != ECDSAWithSHA256 {
		t.Fatalf("absent parameters: %v, %v", a, err)
	}
}

// TestCreateChecksItsOwnSignature: CreateCertificateWithKey verifies its
// signature under the issuer's public key before releasing a certificate,
// so a key whose public half does not match its private half (here
// assembled by hand: a's scalar, b's point, which keyBelongs cannot tell
// apart from a sound key; likewise for RSA) is an error, not a certificate
// that verifies under nothing.
func TestCreateChecksItsOwnSignature(t *testing.T) {
	a, err := mecdsa.GenerateKey(mecdsa.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, err := mecdsa.GenerateKey(mecdsa.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	bad := *a
	bad.PublicKey = b.PublicKey
	tmpl := &Certificate{Subject: NewName(Attr(OIDCommonName, "mismatched")), NotBefore: baseTime, NotAfter: baseTime.AddDate(0, 1, 0)}
	if der, err := CreateCertificateWithKey(rand.Reader, tmpl, nil, &bad.PublicKey, &bad); err == nil {
		t.Fatalf("a mismatched key issued a %d-byte certificate", len(der))
	}
	if _, err := CreateCertificateWithKey(rand.Reader, tmpl, nil, &a.PublicKey, a); err != nil {
		t.Fatalf("a sound key: %v", err)
	}

	// The same for RSA: the key computes with its first modulus (derived
	// once, when it was made) and claims the second.
	k := testKeys(t)
	badRSA := *k[0].our
	badRSA.PublicKey = k[1].our.PublicKey
	if der, err := CreateCertificateWithKey(rand.Reader, tmpl, nil, &badRSA.PublicKey, &badRSA); err == nil {
		t.Fatalf("a mismatched RSA key issued a %d-byte certificate", len(der))
	}
}
