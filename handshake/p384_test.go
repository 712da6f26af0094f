package handshake

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	mecdsa "minitls/cipher/ecdsa"
	"minitls/x509lite"
)

// p384Leaf issues an ECDSA P-384 leaf for localhost under the RSA test CA
// and writes it and its key (PKCS#8) as PEM files in a temporary directory
// for openssl; it also returns the pair for crypto/tls.
func p384Leaf(t *testing.T) (certFile, keyFile string, std tls.Certificate) {
	t.Helper()
	caCerts, _ := os.ReadFile(filepath.Join("testdata", "ca.pem"))
	caKeyPEM, _ := os.ReadFile(filepath.Join("testdata", "ca-key.pem"))
	caChain, caKey, err := x509lite.KeyPairFromPEMWithKey(caCerts, caKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	k, err := mecdsa.GenerateKey(mecdsa.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509lite.Certificate{Subject: x509lite.NewName(x509lite.Attr(x509lite.OIDCommonName, "localhost")),
		NotBefore: caChain[0].NotBefore, NotAfter: caChain[0].NotAfter, KeyUsage: x509lite.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth}, DNSNames: []string{"localhost"}}
	der, err := x509lite.CreateCertificateWithKey(rand.Reader, tmpl, caChain[0], k.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P384(), k.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "p384.pem"), filepath.Join(dir, "p384-key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv}
}

// TestP384CertificateOpenSSLServer: the minitls client with its default
// configuration against `openssl s_server` holding an ECDSA P-384
// certificate, TLS 1.2 and TLS 1.3. Under TLS 1.2 OpenSSL presents an ECDSA
// certificate only to a client whose supported_groups lists its curve
// (rfc8422#5.3), and answers handshake_failure otherwise: the default
// groups must include secp384r1. With -groups P-384 the key exchange itself
// runs on P-384 (secp384r1 ECDHE, TLS 1.2 ServerKeyExchange and TLS 1.3
// key_share after a HelloRetryRequest).
func TestP384CertificateOpenSSLServer(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	certFile, keyFile, _ := p384Leaf(t)
	for _, tt := range []struct {
		name, version, groups string
		clientMax             uint16 // 0: TLS 1.3, whose ClientHello lists the TLS 1.3 groups
		wantVersion           uint16
		wantCurve             CurveID
		wantScheme            SignatureScheme
	}{
		// TLS 1.2 does not bind the hash to the curve: OpenSSL signs with
		// the first ECDSA scheme the client lists, SHA-256, even on P-384.
		{"TLS1.2/default groups", "-tls1_2", "", 0, tls.VersionTLS12, CurveX25519, ECDSAWithP256AndSHA256},
		{"TLS1.2/P-384 only", "-tls1_2", "P-384", 0, tls.VersionTLS12, CurveP384, ECDSAWithP256AndSHA256},
		{"TLS1.2 client/default groups", "-tls1_2", "", tls.VersionTLS12, tls.VersionTLS12, CurveX25519, ECDSAWithP256AndSHA256},
		{"TLS1.2 client/P-384 only", "-tls1_2", "P-384", tls.VersionTLS12, tls.VersionTLS12, CurveP384, ECDSAWithP256AndSHA256},
		{"TLS1.3/default groups", "-tls1_3", "", 0, tls.VersionTLS13, CurveX25519, ECDSAWithP384AndSHA384},
		{"TLS1.3/P-384 only", "-tls1_3", "P-384", 0, tls.VersionTLS13, CurveP384, ECDSAWithP384AndSHA384},
	} {
		t.Run(tt.name, func(t *testing.T) {
			port := freePort(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			args := []string{"s_server", "-accept", fmt.Sprint(port), tt.version, "-cert", certFile, "-key", keyFile, "-www", "-naccept", "1"}
			if tt.groups != "" {
				args = append(args, "-groups", tt.groups)
			}
			cmd := exec.CommandContext(ctx, openssl, args...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cancel(); cmd.Wait() }()
			raw := dialSServer(t, port, &out)
			var seen keyExchangeSeen
			c := Client(raw, &Config{MaxVersion: tt.clientMax, RootCAs: f.roots, ServerName: "localhost", Trace: seen.trace})
			if err := c.Handshake(); err != nil {
				t.Fatalf("handshake with openssl s_server: %v\n%s", err, out.String())
			}
			curve, scheme := seen.get(c)
			if v := c.ConnectionState().Version; v != tt.wantVersion || curve != tt.wantCurve || scheme != tt.wantScheme {
				t.Errorf("version %#x, group %v, scheme %v; want %#x, %v, %v", v, curve, scheme, tt.wantVersion, tt.wantCurve, tt.wantScheme)
			}
			io.WriteString(c, "GET / HTTP/1.0\r\n\r\n")
			body, err := io.ReadAll(c)
			if err != nil {
				t.Fatalf("status page: %v (%q)", err, body)
			}
			if !bytes.Contains(body, []byte("HTTP/1.0 200 ok")) {
				t.Errorf("status page:\n%s", body)
			}
			c.Close()
		})
	}
}

// TestP384StdBothWays: secp384r1 ECDHE between minitls and crypto/tls in
// both directions, TLS 1.2 (ECDHE_ECDSA with the P-384 certificate, and
// ECDHE_RSA) and TLS 1.3: the group is P-384 on both sides and the key logs
// agree.
func TestP384StdBothWays(t *testing.T) {
	f := testFixture(t)
	certFile, keyFile, std384 := p384Leaf(t)
	mini384, err := LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		version uint16
		suite   uint16
		std     tls.Certificate
		mini    Certificate
	}{
		{"TLS1.2/ECDHE_ECDSA", tls.VersionTLS12, uint16(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), std384, mini384},
		{"TLS1.2/ECDHE_RSA", tls.VersionTLS12, uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), f.stdCert, f.cert},
		{"TLS1.3", tls.VersionTLS13, uint16(TLS_AES_128_GCM_SHA256), std384, mini384},
	} {
		t.Run("minitls client/"+tt.name, func(t *testing.T) {
			cc, sc := tcpPair(t)
			var ourLog, stdLog bytes.Buffer
			std := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{tt.std}, MinVersion: tt.version, MaxVersion: tt.version,
				CipherSuites: []uint16{tt.suite}, CurvePreferences: []tls.CurveID{tls.CurveP384}, KeyLogWriter: &stdLog})
			var seen keyExchangeSeen
			ours := Client(cc, &Config{MaxVersion: tt.version, RootCAs: f.roots, ServerName: "localhost", Time: testTime, KeyLogWriter: &ourLog, Trace: seen.trace})
			checkP384Pair(t, ours, std, &seen, &ourLog, &stdLog)
		})
		t.Run("minitls server/"+tt.name, func(t *testing.T) {
			cc, sc := tcpPair(t)
			var ourLog, stdLog bytes.Buffer
			std := tls.Client(cc, &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", MinVersion: tt.version, MaxVersion: tt.version,
				CipherSuites: []uint16{tt.suite}, CurvePreferences: []tls.CurveID{tls.CurveP384}, KeyLogWriter: &stdLog})
			var seen keyExchangeSeen
			ours := Server(sc, &Config{MaxVersion: tt.version, Certificates: []Certificate{tt.mini}, Time: testTime, KeyLogWriter: &ourLog, Trace: seen.trace})
			checkP384Pair(t, ours, std, &seen, &ourLog, &stdLog)
		})
	}
}

// keyExchangeSeen records the group and scheme of a TLS 1.2
// ServerKeyExchange (sent or received) from the trace; ConnectionState
// carries them only under TLS 1.3.
type keyExchangeSeen struct {
	curve  CurveID
	scheme SignatureScheme
}

func (s *keyExchangeSeen) trace(e Event) {
	if m, ok := e.Message.(*ServerKeyExchange); ok {
		s.curve, s.scheme = m.NamedCurve, m.SignatureAlgorithm
	}
}

// get returns the connection's group and the server's signature scheme.
func (s *keyExchangeSeen) get(c *Conn) (CurveID, SignatureScheme) {
	if st := c.ConnectionState(); st.Version == tls.VersionTLS13 {
		return st.CurveID, st.SignatureScheme
	}
	return s.curve, s.scheme
}

// checkP384Pair runs both handshakes and checks the group on both sides,
// the key logs and a round trip of data.
func checkP384Pair(t *testing.T, ours *Conn, std *tls.Conn, seen *keyExchangeSeen, ourLog, stdLog *bytes.Buffer) {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- std.Handshake() }()
	if err := ours.Handshake(); err != nil {
		t.Fatalf("minitls: %v (crypto/tls: %v)", err, <-errc)
	}
	if err := <-errc; err != nil {
		t.Fatalf("crypto/tls: %v", err)
	}
	if got, _ := seen.get(ours); got != CurveP384 || std.ConnectionState().CurveID != tls.CurveP384 {
		t.Errorf("groups %v (minitls) and %v (crypto/tls), want secp384r1 on both sides", got, std.ConnectionState().CurveID)
	}
	if ourLog.Len() == 0 || ourLog.String() != stdLog.String() {
		t.Errorf("key logs differ:\nminitls:\n%s\ncrypto/tls:\n%s", ourLog, stdLog)
	}
	exchange(t, ours, std)
}
