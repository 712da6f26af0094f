package x509lite

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	mecdsa "minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
)

// ourKeyOf returns a minitls private key: "rsa" (shared test key i), "p256"
// or "p384".
func ourKeyOf(t testing.TB, kind string, i int) crypto.Signer {
	t.Helper()
	switch kind {
	case "p256", "p384":
		c := mecdsa.P256()
		if kind == "p384" {
			c = mecdsa.P384()
		}
		k, err := mecdsa.GenerateKey(c, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	return testKeys(t)[i].our
}

// TestCreateWithEitherKey: CreateCertificateWithKey issues with RSA and
// ECDSA keys in every combination (an ECDSA CA over an RSA leaf and the
// reverse); crypto/x509 parses each certificate, reads the same key and
// signature algorithm, and verifies the chain, and so does x509lite.
func TestCreateWithEitherKey(t *testing.T) {
	for _, kinds := range [][2]string{{"p256", "p256"}, {"p384", "p256"}, {"rsa", "p384"}, {"p256", "rsa"}} {
		t.Run(kinds[0]+"-"+kinds[1], func(t *testing.T) {
			caKey, leafKey := ourKeyOf(t, kinds[0], 0), ourKeyOf(t, kinds[1], 1)
			now := time.Now()
			caT := &Certificate{Subject: NewName(Attr(OIDCommonName, "ca "+kinds[0])), NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
				BasicConstraintsValid: true, IsCA: true, KeyUsage: KeyUsageCertSign}
			caDER, err := CreateCertificateWithKey(rand.Reader, caT, nil, caKey.Public(), caKey)
			if err != nil {
				t.Fatal(err)
			}
			ca, err := ParseCertificate(caDER)
			if err != nil {
				t.Fatal(err)
			}
			leafT := &Certificate{Subject: NewName(Attr(OIDCommonName, "localhost")), NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
				KeyUsage: KeyUsageDigitalSignature, ExtKeyUsage: []ExtKeyUsage{ExtKeyUsageServerAuth}, DNSNames: []string{"localhost"}}
			leafDER, err := CreateCertificateWithKey(rand.Reader, leafT, ca, leafKey.Public(), caKey)
			if err != nil {
				t.Fatal(err)
			}
			stdCA, err := x509.ParseCertificate(caDER)
			if err != nil {
				t.Fatalf("crypto/x509 refuses our CA: %v", err)
			}
			stdLeaf, err := x509.ParseCertificate(leafDER)
			if err != nil {
				t.Fatalf("crypto/x509 refuses our leaf: %v", err)
			}
			roots := x509.NewCertPool()
			roots.AddCert(stdCA)
			if _, err := stdLeaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "localhost"}); err != nil {
				t.Fatalf("crypto/x509 does not verify the chain: %v", err)
			}
			leaf, err := ParseCertificate(leafDER)
			if err != nil {
				t.Fatal(err)
			}
			if stdLeaf.SignatureAlgorithm.String() != map[string]string{"p256": "ECDSA-SHA256", "p384": "ECDSA-SHA384", "rsa": "SHA256-RSA"}[kinds[0]] {
				t.Errorf("signature algorithm %v for a %s issuer", stdLeaf.SignatureAlgorithm, kinds[0])
			}
			if !keyBelongs(leaf.Public(), leafKey) {
				t.Error("the leaf does not carry the subject key")
			}
			pool := NewCertPool()
			pool.AddCert(ca)
			if _, err := leaf.Verify(VerifyOptions{Roots: pool, DNSName: "localhost"}); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			// The wrong issuer key is refused before signing.
			if _, err := CreateCertificateWithKey(rand.Reader, leafT, ca, leafKey.Public(), leafKey); err == nil {
				t.Fatal("issued with a key that is not the CA's")
			}
		})
	}
}

// TestECKeyForms: SEC 1 and PKCS#8 EC keys from crypto/x509 parse to the
// same d, ours parse in crypto/x509 to the same d, an "EC PARAMETERS" block
// before the key is skipped, a publicKey that is not d·G is refused, and a
// key that is not the certificate's is ErrKeyMismatch.
func TestECKeyForms(t *testing.T) {
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384()} {
		std, _ := ecdsa.GenerateKey(curve, rand.Reader)
		d, _ := std.Bytes()
		sec1, _ := x509.MarshalECPrivateKey(std)
		pkcs8, _ := x509.MarshalPKCS8PrivateKey(std)
		params := pemBlock("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})
		for name, p := range map[string][]byte{
			"sec1": append(params, pemBlock("EC PRIVATE KEY", sec1)...), "pkcs8": pemBlock("PRIVATE KEY", pkcs8),
		} {
			k, err := ParseKeyPEM(p)
			if err != nil {
				t.Fatalf("%s %s: %v", curve.Params().Name, name, err)
			}
			ek, ok := k.(*mecdsa.PrivateKey)
			if !ok || !bytes.Equal(ek.Bytes(), d) {
				t.Fatalf("%s %s: got %T", curve.Params().Name, name, k)
			}
			ours, _ := MarshalECPrivateKey(ek)
			back, err := x509.ParseECPrivateKey(ours)
			if err != nil || !back.Equal(std) {
				t.Fatalf("crypto/x509 reads our SEC 1 key: %v", err)
			}
			ours8, _ := MarshalPKCS8Key(ek)
			back8, err := x509.ParsePKCS8PrivateKey(ours8)
			if err != nil || !back8.(*ecdsa.PrivateKey).Equal(std) {
				t.Fatalf("crypto/x509 reads our PKCS#8 key: %v", err)
			}
		}
		// A corrupted publicKey (last byte of the point) is refused.
		bad := bytes.Clone(sec1)
		bad[len(bad)-1] ^= 1
		if _, err := ParseECPrivateKey(bad); err == nil {
			t.Fatalf("%s: corrupt publicKey accepted", curve.Params().Name)
		}
	}
	// RSA still comes back as RSA through the generic entry points.
	rk := testKeys(t)[0].our
	der, _ := MarshalPKCS8Key(rk)
	if k, err := ParseKeyPEM(pemBlock("PRIVATE KEY", der)); err != nil || k.(*rsa.PrivateKey).E != rk.E {
		t.Fatalf("RSA PKCS#8: %v", err)
	}
	// The wrong key for a certificate.
	k1, k2 := ourKeyOf(t, "p256", 0), ourKeyOf(t, "p256", 0)
	tmpl := &Certificate{Subject: NewName(Attr(OIDCommonName, "x")), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	certDER, _ := CreateCertificateWithKey(rand.Reader, tmpl, nil, k1.Public(), k1)
	keyDER, _ := MarshalPKCS8Key(k2)
	if _, _, err := KeyPairFromPEMWithKey(pemBlock("CERTIFICATE", certDER), pemBlock("PRIVATE KEY", keyDER)); !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("mismatched key: %v, want ErrKeyMismatch", err)
	}
	keyDER, _ = MarshalPKCS8Key(k1)
	if _, key, err := KeyPairFromPEMWithKey(pemBlock("CERTIFICATE", certDER), pemBlock("PRIVATE KEY", keyDER)); err != nil || key.Public().(*mecdsa.PublicKey) == nil {
		t.Fatalf("matching key: %v", err)
	}
}

// TestParseKeyPEMNoKey: PEM data with no private-key block is ErrNoPEMData,
// and the message lists the block types it did find (a certificate, EC
// parameters) so the user sees they passed the wrong file; data with no
// PEM block at all lists nothing.
func TestParseKeyPEMNoKey(t *testing.T) {
	params := pemBlock("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})
	for _, tc := range []struct {
		in    []byte
		found string
	}{
		{pemBlock("CERTIFICATE", []byte{1}), " (found CERTIFICATE): pass the key file"},
		{append(pemBlock("CERTIFICATE", []byte{1}), params...), " (found CERTIFICATE, EC PARAMETERS): pass the key file"},
		{[]byte("hello"), ""},
		{nil, ""},
	} {
		_, err := ParseKeyPEM(tc.in)
		if !errors.Is(err, ErrNoPEMData) || !strings.HasSuffix(err.Error(), "block found"+tc.found) {
			t.Errorf("ParseKeyPEM(%.20q) = %v, want ErrNoPEMData ending %q", tc.in, err, "block found"+tc.found)
		}
	}
}

// TestParsePKCS8KeyVersion: a PrivateKeyInfo's version must be the INTEGER
// 0 (rfc5208#5: Version ::= INTEGER {v1(0)}); version 1 or a version that
// is not an INTEGER is ErrMalformed, never a nil key without an error. A
// key on a curve minitls does not know by name is ErrUnsupportedAlgorithm
// naming its OID (rfc5480#2.1.1.1).
func TestParsePKCS8KeyVersion(t *testing.T) {
	std, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(std)
	if k, err := ParsePKCS8Key(der); err != nil || k == nil {
		t.Fatalf("ParsePKCS8Key(crypto/x509's key) = %v, %v", k, err)
	}
	edit := func(f func(v *DERValue)) []byte {
		v, err := ParseDER(der)
		if err != nil {
			t.Fatal(err)
		}
		f(&v)
		out, err := v.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for name, in := range map[string][]byte{
		"version 1":       edit(func(v *DERValue) { v.Children[0].Contents = []byte{1} }),
		"version BOOLEAN": edit(func(v *DERValue) { v.Children[0] = DERValue{Tag: TagBoolean, Contents: []byte{0xff}} }),
	} {
		k, err := ParsePKCS8Key(in)
		if !errors.Is(err, ErrMalformed) || k != nil {
			t.Errorf("%s: ParsePKCS8Key = %v, %v; want ErrMalformed", name, k, err)
		}
	}
	unknown := edit(func(v *DERValue) { v.Children[1].Children[1].Contents = []byte(MustOID("1.2.3.4")) })
	if _, err := ParsePKCS8Key(unknown); !errors.Is(err, ErrUnsupportedAlgorithm) || !strings.Contains(err.Error(), "EC key on curve 1.2.3.4 (") {
		t.Errorf("curve 1.2.3.4: err = %v, want ErrUnsupportedAlgorithm naming the curve's OID", err)
	}
}

// TestPublicKeyAlgorithm: PublicKeyAlgorithm names an RSA key by its size
// and an ECDSA key by its curve, and a key-pair error says which kind of
// key the certificate has, so a user can tell which key file belongs.
func TestPublicKeyAlgorithm(t *testing.T) {
	tmpl := &Certificate{Subject: NewName(Attr(OIDCommonName, "x")), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	for _, tc := range []struct {
		kind, want string
	}{{"rsa", "RSA-2048"}, {"p256", "ECDSA P-256"}, {"p384", "ECDSA P-384"}} {
		k := ourKeyOf(t, tc.kind, 0)
		der, err := CreateCertificateWithKey(rand.Reader, tmpl, nil, k.Public(), k)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustParse(t, der).PublicKeyAlgorithm(); got != tc.want {
			t.Errorf("%s: PublicKeyAlgorithm() = %q, want %q", tc.kind, got, tc.want)
		}
		other, _ := MarshalPKCS8Key(ourKeyOf(t, tc.kind, 1))
		_, _, err = KeyPairFromPEMWithKey(pemBlock("CERTIFICATE", der), pemBlock("PRIVATE KEY", other))
		if !errors.Is(err, ErrKeyMismatch) || !strings.Contains(err.Error(), "(the certificate has an "+tc.want+" key)") {
			t.Errorf("%s: another key: err = %v, want ErrKeyMismatch naming %s", tc.kind, err, tc.want)
		}
	}
	if got := (&Certificate{}).PublicKeyAlgorithm(); got != "unknown" {
		t.Errorf("no key: PublicKeyAlgorithm() = %q, want unknown", got)
	}
}
