package x509lite

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	stdrsa "crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	mecdsa "minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
)

// testKey holds one 2048-bit key in both representations. Keys are made once
// per test binary: generation is the slowest thing these tests do.
type testKey struct {
	std *stdrsa.PrivateKey
	our *rsa.PrivateKey
}

var (
	keysOnce sync.Once
	keys     []testKey
	keysErr  error
)

const numTestKeys = 4

func testKeys(t testing.TB) []testKey {
	t.Helper()
	keysOnce.Do(func() {
		var wg sync.WaitGroup
		keys = make([]testKey, numTestKeys)
		errs := make([]error, numTestKeys)
		for i := range keys {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				k, err := stdrsa.GenerateKey(rand.Reader, 2048)
				if err != nil {
					errs[i] = err
					return
				}
				our, err := ourKey(k)
				if err != nil {
					errs[i] = err
					return
				}
				keys[i] = testKey{std: k, our: our}
			}(i)
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				keysErr = err
			}
		}
	})
	if keysErr != nil {
		t.Fatalf("making test keys: %v", keysErr)
	}
	return keys
}

// ourKey converts a crypto/rsa key with cipher/rsa's constructor.
func ourKey(k *stdrsa.PrivateKey) (*rsa.PrivateKey, error) {
	return rsa.NewPrivateKey(k.N.Bytes(), k.E, k.D.Bytes(), k.Primes[0].Bytes(), k.Primes[1].Bytes())
}

// ourPub converts a crypto/rsa public key.
func ourPub(k *stdrsa.PublicKey) *rsa.PublicKey {
	return &rsa.PublicKey{N: k.N.Bytes(), E: k.E}
}

// mustParse parses with x509lite, failing the test on error.
func mustParse(t testing.TB, der []byte) *Certificate {
	t.Helper()
	c, err := ParseCertificate(der)
	if err != nil {
		t.Fatalf("ParseCertificate: %v", err)
	}
	return c
}

// stdIssue issues a certificate with crypto/x509 (the oracle).
func stdIssue(t testing.TB, tmpl, parent *x509.Certificate, pub *stdrsa.PublicKey, priv *stdrsa.PrivateKey) (*x509.Certificate, []byte) {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
	if err != nil {
		t.Fatalf("x509.CreateCertificate: %v", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("x509.ParseCertificate: %v", err)
	}
	return c, der
}

// baseTime is a fixed verification time for deterministic tests.
var baseTime = time.Date(2030, 6, 15, 12, 0, 0, 0, time.UTC)

// stdChain builds root → intermediate → leaf (for "localhost" and
// 127.0.0.1) with crypto/x509, applying mod to each template first.
type stdChainT struct {
	root, inter, leaf          *x509.Certificate
	rootDER, interDER, leafDER []byte
}

func stdTemplate(cn string, ca bool) *x509.Certificate {
	t := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"minitls"}},
		NotBefore:    baseTime.Add(-24 * time.Hour),
		NotAfter:     baseTime.Add(365 * 24 * time.Hour),
	}
	if ca {
		t.IsCA = true
		t.BasicConstraintsValid = true
		t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		t.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		t.DNSNames = []string{"localhost"}
		t.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	return t
}

func buildStdChain(t testing.TB, mod func(root, inter, leaf *x509.Certificate)) stdChainT {
	t.Helper()
	k := testKeys(t)
	root, inter, leaf := stdTemplate("minitls test root", true), stdTemplate("minitls test intermediate", true), stdTemplate("localhost", false)
	if mod != nil {
		mod(root, inter, leaf)
	}
	var c stdChainT
	c.root, c.rootDER = stdIssue(t, root, root, &k[0].std.PublicKey, k[0].std)
	c.inter, c.interDER = stdIssue(t, inter, c.root, &k[1].std.PublicKey, k[0].std)
	c.leaf, c.leafDER = stdIssue(t, leaf, c.inter, &k[2].std.PublicKey, k[1].std)
	return c
}

type stdRSAPublicKey = stdrsa.PublicKey

// ecdsaCertDER is a self-signed ECDSA P-521 certificate (ecdsa-with-SHA512):
// a curve and a signature algorithm x509lite refuses (it reads P-256 and
// P-384 with SHA-256/384).
func ecdsaCertDER(t testing.TB) []byte {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := stdTemplate("ecdsa", false)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

type stdECDSAPublicKey = ecdsa.PublicKey

// ourECDSAPub converts a crypto/ecdsa public key on P-256 or P-384.
func ourECDSAPub(t testing.TB, pub *stdECDSAPublicKey) *mecdsa.PublicKey {
	t.Helper()
	curve := mecdsa.P256()
	if pub.Curve == elliptic.P384() {
		curve = mecdsa.P384()
	}
	q, err := pub.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	k, err := mecdsa.NewPublicKey(curve, q)
	if err != nil {
		t.Fatalf("NewPublicKey(%s key from crypto/ecdsa): %v", curve, err)
	}
	return k
}

// stdCurveSupported reports whether c's ECDSA key is on P-256 or P-384.
func stdCurveSupported(c *x509.Certificate) bool {
	pub, ok := c.PublicKey.(*ecdsa.PublicKey)
	return ok && (pub.Curve == elliptic.P256() || pub.Curve == elliptic.P384())
}
