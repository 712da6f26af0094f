package fuzz

import (
	"bytes"
	"crypto"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/x509lite"
)

// mutualKind is one way FuzzServerMutual and FuzzClientMutual run mutual
// TLS: the server asks for a client certificate (rfc5246#7.4.4,
// rfc8446#4.3.2) under policy, and the client answers with an RSA or an
// ECDSA certificate issued by the test CA, or with none. The TLS 1.3 kinds
// also pick the key-share group (the ones the golden transcripts do not
// reach: X25519MLKEM768, P-384) and offer ALPN; with keyUpdate the endpoint
// under test updates its keys after the handshake (rfc8446#4.6.3).
type mutualKind struct {
	name      string
	tls13     bool
	suite     handshake.CipherSuite
	group     handshake.CurveID // 0: the suite needs none (RSA key transport)
	policy    handshake.ClientAuthType
	cert      string // "rsa", "ecdsa" or "" (the client has none)
	alpn      bool
	keyUpdate bool
}

// mutualKinds is picked by the kind byte (modulo the length). Append only:
// the seed corpus names kinds by index.
var mutualKinds = []mutualKind{
	{"tls12-rsa-kx-rsa-cert", false, handshake.TLS_RSA_WITH_AES_128_GCM_SHA256, 0, handshake.RequireAndVerifyClientCert, "rsa", false, false},
	{"tls12-ecdhe-p256-ecdsa-cert", false, handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, handshake.CurveP256, handshake.RequireAndVerifyClientCert, "ecdsa", false, false},
	{"tls12-ecdhe-no-cert", false, handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, handshake.CurveX25519, handshake.VerifyClientCertIfGiven, "", false, false},
	{"tls13-mlkem-rsa-cert-alpn-keyupdate", true, handshake.TLS_AES_128_GCM_SHA256, handshake.CurveX25519MLKEM768, handshake.RequireAndVerifyClientCert, "rsa", true, true},
	{"tls13-p384-ecdsa-cert-alpn", true, handshake.TLS_AES_256_GCM_SHA384, handshake.CurveP384, handshake.RequireAnyClientCert, "ecdsa", true, false},
	{"tls13-x25519-no-cert", true, handshake.TLS_AES_128_GCM_SHA256, handshake.CurveX25519, handshake.RequestClientCert, "", false, false},
}

// The client certificates of the mutual kinds, made once per process.
var (
	mutualOnce  sync.Once
	mutualCerts map[string]handshake.Certificate
	mutualErr   error
)

// mutualFixture issues the two client certificates from the test CA
// (handshake/testdata/ca-key.pem): "rsa client" on server-key.pem's key,
// "ecdsa client" on server-ecdsa-key.pem's P-256 key, both clientAuth and
// digitalSignature. The serials are fixed and the CA signs with PKCS#1
// v1.5, so every process (the fuzzing coordinator and each worker) makes
// the same bytes and the seeds replay in all of them.
func mutualFixture(t testing.TB) {
	t.Helper()
	handshakeFixture(t)
	mutualOnce.Do(func() {
		dir := filepath.Join("..", "handshake", "testdata")
		read := func(name string) []byte {
			b, err := os.ReadFile(filepath.Join(dir, name))
			mutualErr = errors.Join(mutualErr, err)
			return b
		}
		caPEM, caKeyPEM := read("ca.pem"), read("ca-key.pem")
		ecPEM, ecKeyPEM := read("server-ecdsa.pem"), read("server-ecdsa-key.pem")
		if mutualErr != nil {
			return
		}
		ca, err := handshake.X509KeyPair(caPEM, caKeyPEM)
		if err != nil {
			mutualErr = err
			return
		}
		ec, err := handshake.X509KeyPair(ecPEM, ecKeyPEM)
		if err != nil {
			mutualErr = err
			return
		}
		issue := func(serial byte, cn string, pub any) ([]byte, error) {
			tmpl := &x509lite.Certificate{
				SerialNumber: []byte{0x4d, serial},
				Subject:      x509lite.NewName(x509lite.Attr(x509lite.OIDCommonName, cn)),
				NotBefore:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
				NotAfter:     time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC),
				KeyUsage:     x509lite.KeyUsageDigitalSignature,
				ExtKeyUsage:  []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageClientAuth},
			}
			return x509lite.CreateCertificateWithKey(handshake.NewDeterministicRand(7), tmpl, ca.Leaf, pub, ca.PrivateKey)
		}
		rsaDER, err1 := issue(1, "rsa client", &hsCert.PrivateKey.PublicKey)
		ecDER, err2 := issue(2, "ecdsa client", &ec.ECDSAKey.PublicKey)
		if mutualErr = errors.Join(err1, err2); mutualErr != nil {
			return
		}
		mutualCerts = map[string]handshake.Certificate{
			"rsa":   {Certificate: [][]byte{rsaDER}, PrivateKey: hsCert.PrivateKey},
			"ecdsa": {Certificate: [][]byte{ecDER}, ECDSAKey: ec.ECDSAKey},
		}
	})
	if mutualErr != nil {
		t.Fatalf("mutual TLS fixture: %v", mutualErr)
	}
}

// freshKey returns c with its RSA private key rebuilt by
// rsa.NewPrivateKey (an ECDSA certificate is returned as it is). A
// cipher/rsa key keeps a blinding pair that it draws from the caller's
// random, here Config.Rand, on its first private operation and then every
// 32nd: with a key shared by every handshake of the process, how much of
// Config.Rand a handshake consumes, and so its bytes, would depend on how
// many RSA operations the process ran before (other tests, earlier fuzz
// inputs). A fresh key draws on its first use every time, so the handshake
// depends on Config.Rand alone and the seeds replay in any process, in any
// order. It costs one key precomputation (about 1.5 ms) per endpoint.
func freshKey(t testing.TB, c handshake.Certificate) handshake.Certificate {
	t.Helper()
	if k := c.PrivateKey; k != nil {
		fresh, err := rsa.NewPrivateKey(k.N, k.E, k.D, k.P, k.Q)
		if err != nil {
			t.Fatalf("rebuilding the RSA key: %v", err)
		}
		c.PrivateKey = fresh
	}
	return c
}

// mutualKindOf is the kind the kind byte picks.
func mutualKindOf(kind uint8) mutualKind { return mutualKinds[int(kind)%len(mutualKinds)] }

// client is the fuzz client of k: its one suite and group, its
// certificate (with a fresh RSA key, see freshKey), ALPN when k offers it;
// TLS 1.2 only for the TLS 1.2 kinds.
func (k mutualKind) client(t testing.TB) *handshake.Config {
	cfg := &handshake.Config{RootCAs: hsRoots, ServerName: "localhost", Time: goldenTime,
		Rand: handshake.NewDeterministicRand(goldenClientSeed), CipherSuites: []uint16{uint16(k.suite)}}
	if !k.tls13 {
		cfg.MaxVersion = uint16(handshake.VersionTLS12)
	}
	if k.group != 0 {
		cfg.CurvePreferences = []handshake.CurveID{k.group}
	}
	if k.cert != "" {
		cfg.Certificates = []handshake.Certificate{freshKey(t, mutualCerts[k.cert])}
	}
	if k.alpn {
		cfg.NextProtos = goldenALPN
	}
	return cfg
}

// server is the fuzz server of k: serverConfig (every suite and group,
// ALPN; its certificate with a fresh key, see freshKey) asking for a client
// certificate under k.policy from the test CA, both versions for the TLS
// 1.3 kinds.
func (k mutualKind) server(t testing.TB) *handshake.Config {
	cfg := serverConfig()
	cfg.Certificates = []handshake.Certificate{freshKey(t, hsCert)}
	if k.tls13 {
		cfg.MaxVersion = 0 // serverConfig keeps FuzzServerHandshake on TLS 1.2
	}
	cfg.ClientAuth = k.policy
	cfg.ClientCAs = hsRoots
	return cfg
}

// mutualEndpoint runs the endpoint (client or server, as newEndpoint makes
// it) of kind over data with the properties of FuzzServerHandshake
// (fuzzEndpoint, or fuzzEndpoint13 for TLS 1.3, whose alerts after the
// ServerHello are encrypted). With keyUpdate the endpoint, once its
// handshake succeeds, updates its keys (UpdateKeys: the client asks the
// server to update too, as the live client did; the server does not, so the
// recorded client stream needs no answer) before it reads.
func mutualEndpoint(t *testing.T, kind uint8, isClient bool, data []byte) {
	t.Helper()
	k := mutualKindOf(kind)
	newEndpoint := func(conn net.Conn) *handshake.Conn {
		if isClient {
			return handshake.Client(conn, k.client(t))
		}
		return handshake.Server(conn, k.server(t))
	}
	if !k.tls13 {
		fuzzEndpoint(t, data, newEndpoint)
		return
	}
	fuzzEndpoint13Then(t, data, newEndpoint, k.after(isClient))
}

// after is the step between the handshake and the reading for the
// endpoint of k on one side (nil: none).
func (k mutualKind) after(isClient bool) func(*handshake.Conn) error {
	if !k.keyUpdate {
		return nil
	}
	return func(c *handshake.Conn) error { return c.UpdateKeys(isClient) }
}

// FuzzServerMutual feeds arbitrary client bytes to a minitls server that
// asks for a client certificate (mutual TLS); the kind byte picks the
// version, suite, group, policy and the client's certificate
// (mutualKinds). The seeds, a live handshake's client stream, take the
// server through its CertificateRequest, the client's Certificate and
// CertificateVerify (TLS 1.2 and 1.3), the X25519MLKEM768 and P-384 key
// shares and ALPN, and the fuzzer mutates from there. Property: as for
// FuzzServerHandshake.
//
// spec: rfc5246#7.4.4, rfc5246#7.4.6, rfc5246#7.4.8, rfc8446#4.3.2, rfc8446#4.4.2, rfc8446#4.4.3
func FuzzServerMutual(f *testing.F) {
	mutualFixture(f)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) { mutualEndpoint(t, kind, false, data) })
}

// FuzzClientMutual feeds arbitrary server bytes to a minitls client whose
// server asks for its certificate; see FuzzServerMutual. The seeds take
// the client through reading the CertificateRequest, choosing its
// certificate and signing its CertificateVerify, and, in TLS 1.3, a
// KeyUpdate it starts.
//
// spec: rfc5246#7.4.4, rfc5246#7.4.6, rfc5246#7.4.8, rfc8446#4.3.2, rfc8446#4.4.2, rfc8446#4.6.3
func FuzzClientMutual(f *testing.F) {
	mutualFixture(f)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) { mutualEndpoint(t, kind, true, data) })
}

// TestLiveMutualSeeds: for each mutualKind, a live handshake between the
// fuzz targets' client and server is reproducible, its client stream is
// the seed live-<kind> of FuzzServerMutual and its server stream that of
// FuzzClientMutual (-update-seeds rewrites them), and each replays to one
// endpoint to the end (close_notify) through the client-authentication
// states: the server sent a CertificateRequest and read the client's
// Certificate, and holds the client's certificate when it has one
// (CertificateVerify checked); the client signed a CertificateVerify when
// it has a certificate; both agree on the version, the group and, with
// ALPN, on h2.
func TestLiveMutualSeeds(t *testing.T) {
	mutualFixture(t)
	for i, k := range mutualKinds {
		kind := uint8(i)
		t.Run(k.name, func(t *testing.T) {
			cb, sb, err := pipeHandshake(k.client(t), k.server(t), k.keyUpdate)
			if err != nil {
				t.Fatal(err)
			}
			cb2, sb2, err := pipeHandshake(k.client(t), k.server(t), k.keyUpdate)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(cb, cb2) || !bytes.Equal(sb, sb2) {
				t.Fatal("two live mutual-TLS handshakes with the same seeds differ")
			}
			checkSeedFile(t, "FuzzServerMutual", "live-"+k.name, corpusFile(kind, cb))
			checkSeedFile(t, "FuzzClientMutual", "live-"+k.name, corpusFile(kind, sb))
			checkMutualReplay(t, k, false, cb)
			checkMutualReplay(t, k, true, sb)
		})
	}
}

// checkMutualReplay replays a recorded stream to the endpoint of k on one
// side (with k's step after the handshake) and checks the states it went
// through (see TestLiveMutualSeeds).
func checkMutualReplay(t *testing.T, k mutualKind, isClient bool, data []byte) {
	t.Helper()
	side := map[bool]string{false: "server", true: "client"}[isClient]
	phases := map[handshake.Phase]bool{}
	sentCV := false
	cfg := k.server(t)
	if isClient {
		cfg = k.client(t)
	}
	cfg.Trace = func(e handshake.Event) {
		if e.Kind == handshake.EventPhase {
			phases[e.Phase] = true
		}
		if _, ok := e.Message.(*handshake.CertificateVerify); ok && e.Kind == handshake.EventMessage && e.Sent {
			sentCV = true
		}
	}
	conn := newMemConn(data)
	c := handshake.Client(conn, cfg)
	if !isClient {
		c = handshake.Server(conn, cfg)
	}
	hsErr, readErr := runEndpointThen(t, conn, c, k.after(isClient))
	if hsErr != nil || readErr != io.EOF {
		t.Fatalf("%s: handshake %v, then %v; want a complete handshake and close_notify (io.EOF)", side, hsErr, readErr)
	}
	for _, p := range []handshake.Phase{handshake.PhaseCertificateRequest, handshake.PhaseClientCertificate} {
		if !phases[p] {
			t.Errorf("%s: never entered %v", side, p)
		}
	}
	st := c.ConnectionState()
	wantVersion, wantGroup := uint16(handshake.VersionTLS12), handshake.CurveID(0) // ConnectionState names no group in TLS 1.2
	if k.tls13 {
		wantVersion, wantGroup = uint16(handshake.VersionTLS13), k.group
	}
	if st.Version != wantVersion || st.CipherSuite != uint16(k.suite) || st.CurveID != wantGroup {
		t.Errorf("%s: version %#x, %v on group %v; want %#x, %v on %v", side, st.Version, handshake.CipherSuite(st.CipherSuite), st.CurveID, wantVersion, k.suite, wantGroup)
	}
	if k.alpn && st.NegotiatedProtocol != goldenALPN[0] {
		t.Errorf("%s: ALPN %q, want %q", side, st.NegotiatedProtocol, goldenALPN[0])
	}
	hasCert := k.cert != ""
	if isClient {
		if sentCV != hasCert {
			t.Errorf("client: sent a CertificateVerify: %v, want %v (it has a certificate: %v)", sentCV, hasCert, hasCert)
		}
	} else if got := len(st.PeerCertificates); got != map[bool]int{false: 0, true: 1}[hasCert] {
		t.Errorf("server: holds %d client certificates, want one if the client has one (%q)", got, k.cert)
	}
}

// TestMutualSeedsIgnoreKeyHistory: after the shared server key has made 33
// private operations in this process (so its blinding pair is past its
// first draw and one refresh), the live TLS 1.3 mutual handshake with an
// RSA server and an RSA client certificate still makes the bytes of its
// seeds: the fuzz endpoints' RSA keys are fresh (freshKey), so what a
// handshake draws from Config.Rand does not depend on what ran before.
func TestMutualSeedsIgnoreKeyHistory(t *testing.T) {
	mutualFixture(t)
	digest := make([]byte, 32)
	for range 33 {
		if _, err := rsa.SignPKCS1v15(handshake.NewDeterministicRand(1), hsCert.PrivateKey, crypto.SHA256, digest); err != nil {
			t.Fatal(err)
		}
	}
	const kind = 3 // tls13-mlkem-rsa-cert-alpn-keyupdate
	k := mutualKinds[kind]
	cb, sb, err := pipeHandshake(k.client(t), k.server(t), k.keyUpdate)
	if err != nil {
		t.Fatal(err)
	}
	checkSeedFile(t, "FuzzServerMutual", "live-"+k.name, corpusFile(uint8(kind), cb))
	checkSeedFile(t, "FuzzClientMutual", "live-"+k.name, corpusFile(uint8(kind), sb))
}
