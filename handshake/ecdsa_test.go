package handshake

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	mecdsa "minitls/cipher/ecdsa"
	"minitls/x509lite"
)

// The ECDSA test fixture: testdata/server-ecdsa.pem, a P-256 leaf for the
// same names as server.pem, issued by the same RSA test CA (so its chain
// mixes the two kinds of key).

var (
	ecdsaFixtureOnce sync.Once
	ecdsaFixtureVal  Certificate
	ecdsaFixtureErr  error
)

// ecdsaFixture is the ECDSA server certificate with its key.
func ecdsaFixture(t testing.TB) Certificate {
	t.Helper()
	ecdsaFixtureOnce.Do(func() {
		ecdsaFixtureVal, ecdsaFixtureErr = LoadX509KeyPair(filepath.Join("testdata", "server-ecdsa.pem"), filepath.Join("testdata", "server-ecdsa-key.pem"))
	})
	if ecdsaFixtureErr != nil {
		t.Fatalf("ECDSA fixture: %v", ecdsaFixtureErr)
	}
	return ecdsaFixtureVal
}

// stdECDSAFixture is the same certificate for crypto/tls.
func stdECDSAFixture(t testing.TB) tls.Certificate {
	t.Helper()
	c, err := tls.LoadX509KeyPair(filepath.Join("testdata", "server-ecdsa.pem"), filepath.Join("testdata", "server-ecdsa-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serverCertFile and serverKeyFile name the testdata files of the
// certificate a server needs for suite: ECDSA for ECDHE_ECDSA, else RSA.
func serverCertFile(s *suite) string {
	if s.signsWithECDSA() {
		return "server-ecdsa.pem"
	}
	return "server.pem"
}

func serverKeyFile(s *suite) string {
	if s.signsWithECDSA() {
		return "server-ecdsa-key.pem"
	}
	return "server-key.pem"
}

var ecdsaSuiteIDs = []uint16{uint16(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), uint16(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)}

// TestECDHEECDSAInteropStd: the ECDHE_ECDSA suites with crypto/tls both
// ways. The minitls server holds an RSA and an ECDSA certificate and
// presents the ECDSA one, signing its ServerKeyExchange with
// ecdsa_secp256r1_sha256; the minitls client verifies crypto/tls's
// signature. Data flows both ways.
func TestECDHEECDSAInteropStd(t *testing.T) {
	f := testFixture(t)
	for _, suite := range ecdsaSuiteIDs {
		t.Run("minitls client/"+tls.CipherSuiteName(suite), func(t *testing.T) {
			cc, sc := tcpPair(t)
			std := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{stdECDSAFixture(t)}, CipherSuites: []uint16{suite}, MaxVersion: tls.VersionTLS12})
			ours := Client(cc, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: testTime})
			checkECDHEPair(t, ours, std, suite, func() error { return std.Handshake() })
			if leaf := ours.ConnectionState().PeerCertificates[0]; leaf.ECDSAPublicKey == nil {
				t.Errorf("peer certificate has a %s key", leaf.PublicKeyAlgorithm())
			}
			exchange(t, ours, std)
		})
		t.Run("minitls server/"+tls.CipherSuiteName(suite), func(t *testing.T) {
			cc, sc := tcpPair(t)
			std := tls.Client(cc, &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: []uint16{suite}, MaxVersion: tls.VersionTLS12})
			ours := Server(sc, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert, ecdsaFixture(t)}})
			checkECDHEPair(t, ours, std, suite, func() error { return std.Handshake() })
			if _, ok := std.ConnectionState().PeerCertificates[0].PublicKey.(*ecdsa.PublicKey); !ok {
				t.Errorf("crypto/tls saw a %T key", std.ConnectionState().PeerCertificates[0].PublicKey)
			}
			exchange(t, std, ours)
		})
	}
}

// TestServerPicksCertificateKind: a server holding an RSA and an ECDSA
// certificate (in either order) presents the ECDSA one to a client that
// offers ECDHE_ECDSA and lists ecdsa_secp256r1_sha256, and the RSA one to a
// client that offers only RSA suites, or ECDHE_ECDSA without the ECDSA
// signature scheme; a server with only an ECDSA certificate refuses a
// client that offers only RSA suites (handshake_failure).
func TestServerPicksCertificateKind(t *testing.T) {
	f := testFixture(t)
	ec := ecdsaFixture(t)
	noECDSASchemes := func(m *ClientHello) {
		for i, e := range m.Extensions {
			if e.Type == ExtSignatureAlgorithms {
				b, _ := (&SignatureAlgorithms{Schemes: []SignatureScheme{PSSWithSHA256, PKCS1WithSHA256}}).Marshal()
				m.Extensions[i].Data = b
			}
		}
	}
	for _, tt := range []struct {
		name    string
		certs   []Certificate
		suites  []uint16
		edit    func(*ClientHello)
		wantKey string // "ecdsa", "rsa", or "" for a failed handshake
	}{
		{"default client, RSA first", []Certificate{f.cert, ec}, nil, nil, "ecdsa"},
		{"default client, ECDSA first", []Certificate{ec, f.cert}, nil, nil, "ecdsa"},
		{"ECDHE_RSA only", []Certificate{ec, f.cert}, []uint16{uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}, nil, "rsa"},
		{"RSA key transport only", []Certificate{ec, f.cert}, []uint16{uint16(TLS_RSA_WITH_AES_128_GCM_SHA256)}, nil, "rsa"},
		{"no ECDSA signature scheme", []Certificate{ec, f.cert}, nil, noECDSASchemes, "rsa"},
		{"ECDSA server, RSA-only client", []Certificate{ec}, []uint16{uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), uint16(TLS_RSA_WITH_AES_128_GCM_SHA256)}, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cc, sc := tcpPair(t)
			client := Client(cc, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: testTime, CipherSuites: tt.suites, testEditClientHello: tt.edit})
			server := Server(sc, &Config{MaxVersion: tls12, Certificates: tt.certs, Time: testTime})
			errc := make(chan error, 1)
			go func() { errc <- server.Handshake() }()
			cerr := client.Handshake()
			serr := <-errc
			if tt.wantKey == "" {
				if cerr == nil || serr == nil {
					t.Fatalf("handshake succeeded (client %v, server %v)", cerr, serr)
				}
				return
			}
			if cerr != nil || serr != nil {
				t.Fatalf("client %v, server %v", cerr, serr)
			}
			leaf := client.ConnectionState().PeerCertificates[0]
			got := "rsa"
			if leaf.ECDSAPublicKey != nil {
				got = "ecdsa"
			}
			if got != tt.wantKey {
				t.Errorf("server presented an %s key (suite %#x), want %s", leaf.PublicKeyAlgorithm(), client.ConnectionState().CipherSuite, tt.wantKey)
			}
		})
	}
}

// TestECDSAKeyPairFiles: LoadX509KeyPair reads an "EC PRIVATE KEY" and
// fills ECDSAKey (not PrivateKey); a key of the wrong certificate is
// refused.
func TestECDSAKeyPairFiles(t *testing.T) {
	c := ecdsaFixture(t)
	if c.ECDSAKey == nil || c.PrivateKey != nil || c.Leaf.ECDSAPublicKey == nil {
		t.Fatalf("ECDSAKey %v, PrivateKey %v", c.ECDSAKey != nil, c.PrivateKey != nil)
	}
	certPEM, _ := os.ReadFile(filepath.Join("testdata", "server.pem"))
	keyPEM, _ := os.ReadFile(filepath.Join("testdata", "server-ecdsa-key.pem"))
	if _, err := X509KeyPair(certPEM, keyPEM); err == nil {
		t.Fatal("an ECDSA key paired with the RSA certificate was accepted")
	}
	if _, err := x509.ParseCertificate(c.Certificate[0]); err != nil {
		t.Fatal(fmt.Errorf("crypto/x509 refuses the fixture: %w", err))
	}
}

// TestTLS13ClientECDSAServer: the minitls client completes TLS 1.3 with a
// crypto/tls server whose certificate is ECDSA P-256 (the fixture) or
// P-384 (issued here by the same test CA), verifying the CertificateVerify
// signed with ecdsa_secp256r1_sha256 / ecdsa_secp384r1_sha384.
func TestTLS13ClientECDSAServer(t *testing.T) {
	f := testFixture(t)
	caCerts, _ := os.ReadFile(filepath.Join("testdata", "ca.pem"))
	caKeyPEM, _ := os.ReadFile(filepath.Join("testdata", "ca-key.pem"))
	caChain, caKey, err := x509lite.KeyPairFromPEMWithKey(caCerts, caKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	k384, _ := mecdsa.GenerateKey(mecdsa.P384(), rand.Reader)
	tmpl := &x509lite.Certificate{Subject: x509lite.NewName(x509lite.Attr(x509lite.OIDCommonName, "localhost")),
		NotBefore: caChain[0].NotBefore, NotAfter: caChain[0].NotAfter, KeyUsage: x509lite.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth}, DNSNames: []string{"localhost"}}
	der384, err := x509lite.CreateCertificateWithKey(rand.Reader, tmpl, caChain[0], k384.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	std384, _ := ecdsa.ParseRawPrivateKey(elliptic.P384(), k384.Bytes())
	for _, tt := range []struct {
		name   string
		cert   tls.Certificate
		scheme SignatureScheme
	}{
		{"P-256", stdECDSAFixture(t), ECDSAWithP256AndSHA256},
		{"P-384", tls.Certificate{Certificate: [][]byte{der384}, PrivateKey: std384}, ECDSAWithP384AndSHA384},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cc, sc := tcpPair(t)
			std := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{tt.cert}, MinVersion: tls.VersionTLS13})
			ours := Client(cc, &Config{RootCAs: f.roots, ServerName: "localhost", Time: testTime})
			errc := make(chan error, 1)
			go func() { errc <- std.Handshake() }()
			if err := ours.Handshake(); err != nil {
				t.Fatalf("minitls: %v (crypto/tls: %v)", err, <-errc)
			}
			if err := <-errc; err != nil {
				t.Fatalf("crypto/tls: %v", err)
			}
			st := ours.ConnectionState()
			if st.Version != tls.VersionTLS13 || st.SignatureScheme != tt.scheme {
				t.Errorf("version %#x, scheme %v; want TLS 1.3 and %v", st.Version, st.SignatureScheme, tt.scheme)
			}
			exchange(t, ours, std)
		})
	}
}

// TestTLS13ServerECDSA: the minitls TLS 1.3 server with an ECDSA
// certificate (alone, or beside an RSA one) signs CertificateVerify with
// ecdsa_secp256r1_sha256 for a crypto/tls client, which verifies it; a
// client that lists no ECDSA scheme gets the RSA certificate and PSS.
func TestTLS13ServerECDSA(t *testing.T) {
	f := testFixture(t)
	ec := ecdsaFixture(t)
	for _, tt := range []struct {
		name  string
		certs []Certificate
		want  SignatureScheme
	}{
		{"ECDSA only", []Certificate{ec}, ECDSAWithP256AndSHA256},
		{"RSA and ECDSA", []Certificate{f.cert, ec}, ECDSAWithP256AndSHA256},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cc, sc := tcpPair(t)
			std := tls.Client(cc, &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", MinVersion: tls.VersionTLS13})
			ours := Server(sc, &Config{Certificates: tt.certs, Time: testTime})
			errc := make(chan error, 1)
			go func() { errc <- std.Handshake() }()
			if err := ours.Handshake(); err != nil {
				t.Fatalf("minitls: %v (crypto/tls: %v)", err, <-errc)
			}
			if err := <-errc; err != nil {
				t.Fatalf("crypto/tls: %v", err)
			}
			if st := ours.ConnectionState(); st.Version != tls.VersionTLS13 || st.SignatureScheme != tt.want {
				t.Errorf("version %#x, scheme %v; want TLS 1.3 and %v", st.Version, st.SignatureScheme, tt.want)
			}
			if _, ok := std.ConnectionState().PeerCertificates[0].PublicKey.(*ecdsa.PublicKey); !ok {
				t.Errorf("crypto/tls saw a %T key", std.ConnectionState().PeerCertificates[0].PublicKey)
			}
			exchange(t, std, ours)
		})
	}
	// Without an ECDSA scheme in signature_algorithms: the RSA certificate.
	cc, sc := tcpPair(t)
	client := Client(cc, &Config{RootCAs: f.roots, ServerName: "localhost", Time: testTime, testEditClientHello: func(m *ClientHello) {
		for i, e := range m.Extensions {
			if e.Type == ExtSignatureAlgorithms {
				b, _ := (&SignatureAlgorithms{Schemes: []SignatureScheme{PSSWithSHA256}}).Marshal()
				m.Extensions[i].Data = b
			}
		}
	}})
	server := Server(sc, &Config{Certificates: []Certificate{ec, f.cert}, Time: testTime})
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	if err := client.Handshake(); err != nil {
		t.Fatalf("client: %v (server: %v)", err, <-errc)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if st := client.ConnectionState(); st.SignatureScheme != PSSWithSHA256 || st.PeerCertificates[0].PublicKey == nil {
		t.Errorf("scheme %v, leaf %s; want PSS with the RSA certificate", st.SignatureScheme, st.PeerCertificates[0].PublicKeyAlgorithm())
	}
}
