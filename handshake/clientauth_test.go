package handshake

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"minitls/record"
)

// clientPKI holds client certificates for the mutual-TLS tests, each in
// both libraries' types, made once with crypto/x509 (the test oracle):
// an RSA one (server-key.pem's key) and an ECDSA P-256 one issued by the
// test CA with clientAuth; one without clientAuth (serverAuth only); one
// self-signed, which no CA vouches for.
type clientPKI struct {
	rsa, ecdsa, noClientAuth, selfSigned clientPair
}

type clientPair struct {
	mini Certificate
	std  tls.Certificate
}

var (
	clientPKIOnce sync.Once
	clientPKIVal  clientPKI
	clientPKIErr  error
)

func testClientPKI(t testing.TB) clientPKI {
	t.Helper()
	f := testFixture(t)
	clientPKIOnce.Do(func() {
		caKey, err := os.ReadFile(filepath.Join("testdata", "ca-key.pem"))
		if err != nil {
			clientPKIErr = err
			return
		}
		clientPKIVal, clientPKIErr = makeClientPKI(f, caKey)
	})
	if clientPKIErr != nil {
		t.Fatalf("client PKI: %v", clientPKIErr)
	}
	return clientPKIVal
}

func makeClientPKI(f *fixture, caKeyPEM []byte) (p clientPKI, err error) {
	ca, err := tls.X509KeyPair(f.caPEM, caKeyPEM)
	if err != nil {
		return p, err
	}
	caCert, err := x509.ParseCertificate(ca.Certificate[0])
	if err != nil {
		return p, err
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return p, err
	}
	ecKeyDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		return p, err
	}
	ecKeyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecKeyDER})
	issue := func(serial int64, cn string, eku []x509.ExtKeyUsage, parent *x509.Certificate, signer any, pub any, keyPEM []byte) (clientPair, error) {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: cn},
			NotBefore:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:     time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  eku,
		}
		if parent == nil {
			parent = tmpl
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
		if err != nil {
			return clientPair{}, err
		}
		certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		var cp clientPair
		if cp.mini, err = X509KeyPair(certPEM, keyPEM); err != nil {
			return cp, err
		}
		cp.std, err = tls.X509KeyPair(certPEM, keyPEM)
		return cp, err
	}
	rsaPub := f.stdCert.PrivateKey.(crypto.Signer).Public()
	clientAuth := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	if p.rsa, err = issue(101, "rsa client", clientAuth, caCert, ca.PrivateKey, rsaPub, f.keyPEM); err != nil {
		return p, err
	}
	if p.ecdsa, err = issue(102, "ecdsa client", clientAuth, caCert, ca.PrivateKey, &ecKey.PublicKey, ecKeyPEM); err != nil {
		return p, err
	}
	if p.noClientAuth, err = issue(103, "server only", []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, caCert, ca.PrivateKey, &ecKey.PublicKey, ecKeyPEM); err != nil {
		return p, err
	}
	// The self-signed certificate has a key of its own.
	ecKey2, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return p, err
	}
	ecKey2DER, err := x509.MarshalPKCS8PrivateKey(ecKey2)
	if err != nil {
		return p, err
	}
	ecKey2PEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecKey2DER})
	p.selfSigned, err = issue(104, "self-signed client", clientAuth, nil, ecKey2, &ecKey2.PublicKey, ecKey2PEM)
	return p, err
}

// clientAuthModes are the five policies, in both libraries' names.
var clientAuthModes = []struct {
	mini ClientAuthType
	std  tls.ClientAuthType
}{
	{NoClientCert, tls.NoClientCert},
	{RequestClientCert, tls.RequestClientCert},
	{RequireAnyClientCert, tls.RequireAnyClientCert},
	{VerifyClientCertIfGiven, tls.VerifyClientCertIfGiven},
	{RequireAndVerifyClientCert, tls.RequireAndVerifyClientCert},
}

// authOutcome is what a mutual-TLS handshake ends in, in terms both
// libraries share: whether each side succeeded, and how many certificates
// the server saw from the client.
type authOutcome struct {
	ClientOK, ServerOK bool
	ServerSawCerts     int
}

// TestClientAuthDifferential runs every ClientAuth policy, with each kind
// of client certificate and without one, in TLS 1.2 over RSA key transport
// and ECDHE with the SHA-256 and the SHA-384 PRF, and in TLS 1.3, three
// ways: crypto/tls on both sides (the oracle), a minitls client against a
// crypto/tls server and a crypto/tls client against a minitls server. The
// outcomes must agree.
func TestClientAuthDifferential(t *testing.T) {
	f := testFixture(t)
	pki := testClientPKI(t)
	certs := []struct {
		name string
		pair *clientPair
	}{{"none", nil}, {"RSA", &pki.rsa}, {"ECDSA", &pki.ecdsa}, {"untrusted", &pki.selfSigned}, {"noClientAuth", &pki.noClientAuth}}
	type protocol struct {
		name    string
		version uint16
		suites  []uint16 // nil under TLS 1.3: both libraries' defaults
	}
	protocols := []protocol{{name: "TLS1.3", version: tls.VersionTLS13}}
	for _, id := range []CipherSuite{TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384} {
		protocols = append(protocols, protocol{id.String(), tls.VersionTLS12, []uint16{uint16(id)}})
	}
	for _, mode := range clientAuthModes {
		for _, cert := range certs {
			for _, p := range protocols {
				t.Run(fmt.Sprintf("%v/%s/%s", mode.mini, cert.name, p.name), func(t *testing.T) {
					stdClient := &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", MinVersion: p.version, MaxVersion: p.version, CipherSuites: p.suites}
					stdServer := &tls.Config{Certificates: []tls.Certificate{f.stdCert}, MinVersion: p.version, MaxVersion: p.version, CipherSuites: p.suites,
						ClientAuth: mode.std, ClientCAs: f.stdRoots, Time: testTime}
					miniClient := &Config{RootCAs: f.roots, ServerName: "localhost", MinVersion: p.version, MaxVersion: p.version, CipherSuites: p.suites, Time: testTime}
					miniServer := &Config{Certificates: []Certificate{f.cert}, MinVersion: p.version, MaxVersion: p.version, CipherSuites: p.suites,
						ClientAuth: mode.mini, ClientCAs: f.roots, Time: testTime}
					if cert.pair != nil {
						stdClient.Certificates = []tls.Certificate{cert.pair.std}
						miniClient.Certificates = []Certificate{cert.pair.mini}
					}
					want := stdAuthPair(t, stdClient, stdServer)
					t.Logf("crypto/tls on both sides: %+v", want)
					if got := miniClientAuthPair(t, miniClient, stdServer); got != want {
						t.Errorf("minitls client, crypto/tls server: %+v, crypto/tls on both sides: %+v", got, want)
					}
					if got := miniServerAuthPair(t, stdClient, miniServer); got != want {
						t.Errorf("crypto/tls client, minitls server: %+v, crypto/tls on both sides: %+v", got, want)
					}
				})
			}
		}
	}
}

// stdAuthPair handshakes crypto/tls with itself; the client also reads,
// so that a server's refusal after the client's last flight reaches it.
func stdAuthPair(t *testing.T, ccfg, scfg *tls.Config) authOutcome {
	cc, sc := tcpPair(t)
	s := tls.Server(sc, scfg)
	c := tls.Client(cc, ccfg)
	return authPair(func() error { return clientRoundTrip(c) }, s.Handshake, func() int { return len(s.ConnectionState().PeerCertificates) }, s)
}

func miniClientAuthPair(t *testing.T, ccfg *Config, scfg *tls.Config) authOutcome {
	cc, sc := tcpPair(t)
	s := tls.Server(sc, scfg)
	c := Client(cc, ccfg)
	return authPair(func() error { return clientRoundTrip(c) }, s.Handshake, func() int { return len(s.ConnectionState().PeerCertificates) }, s)
}

func miniServerAuthPair(t *testing.T, ccfg *tls.Config, scfg *Config) authOutcome {
	cc, sc := tcpPair(t)
	s := Server(sc, scfg)
	c := tls.Client(cc, ccfg)
	return authPair(func() error { return clientRoundTrip(c) }, s.Handshake, func() int { return len(s.ConnectionState().PeerCertificates) }, s)
}

// clientRoundTrip handshakes, then reads the one byte the server writes
// after its own handshake.
func clientRoundTrip(c interface {
	Handshake() error
	Read([]byte) (int, error)
}) error {
	if err := c.Handshake(); err != nil {
		return err
	}
	_, err := c.Read(make([]byte, 1))
	return err
}

func authPair(client, server func() error, serverCerts func() int, s interface{ Write([]byte) (int, error) }) authOutcome {
	errc := make(chan error, 1)
	go func() {
		err := server()
		if err == nil {
			_, err = s.Write([]byte{1})
		}
		errc <- err
	}()
	cerr := client()
	serr := <-errc
	out := authOutcome{ClientOK: cerr == nil, ServerOK: serr == nil}
	if serr == nil {
		out.ServerSawCerts = serverCerts()
	}
	return out
}

// mutualConfigs returns a minitls client with cert and a minitls server
// with policy, RSA key transport as in baseConfigs.
func mutualConfigs(t *testing.T, policy ClientAuthType, cert *Certificate) (client, server *Config) {
	client, server = baseConfigs(t)
	server.ClientAuth = policy
	server.ClientCAs = testFixture(t).roots
	server.Time = testTime
	if cert != nil {
		client.Certificates = []Certificate{*cert}
	}
	return client, server
}

// TestClientAuthPhases pins the phase sequence of a mutual-TLS handshake
// on both sides, and what each side learns: the server the client's chain,
// the client nothing new.
func TestClientAuthPhases(t *testing.T) {
	pki := testClientPKI(t)
	for _, cert := range []*Certificate{&pki.rsa.mini, &pki.ecdsa.mini} {
		ccfg, scfg := mutualConfigs(t, RequireAndVerifyClientCert, cert)
		var cphases, sphases []Phase
		ccfg.phaseLog, scfg.phaseLog = &cphases, &sphases
		r := runPair(t, ccfg, scfg, 0, 0)
		if r.clientErr != nil || r.serverErr != nil {
			t.Fatalf("client %v, server %v", r.clientErr, r.serverErr)
		}
		want := []Phase{PhaseClientHello, PhaseServerHello, PhaseServerCertificate, PhaseCertificateRequest, PhaseServerHelloDone,
			PhaseClientCertificate, PhaseClientKeyExchange, PhaseKeyDerivation, PhaseCertificateVerify,
			PhaseClientChangeCipherSpec, PhaseClientFinished, PhaseServerChangeCipherSpec, PhaseServerFinished, PhaseEstablished}
		clientWant := append([]Phase{}, want...)
		// The client learns of the request while reading toward ServerHelloDone.
		clientWant[3], clientWant[4] = PhaseServerHelloDone, PhaseCertificateRequest
		clientWant = append(clientWant[:5], append([]Phase{PhaseServerHelloDone}, clientWant[5:]...)...)
		// The client makes its ClientKeyExchange before it derives the keys.
		if d := cmp.Diff(clientWant, cphases); d != "" {
			t.Errorf("client phases (-want +got):\n%s", d)
		}
		if d := cmp.Diff(want, sphases); d != "" {
			t.Errorf("server phases (-want +got):\n%s", d)
		}
		got := r.server.ConnectionState().PeerCertificates
		if len(got) != 1 || string(got[0].Raw) != string(cert.Certificate[0]) {
			t.Errorf("server's PeerCertificates: %d certificates, want the client's leaf", len(got))
		}
	}
}

// TestClientAuthHostile asserts the alert of each way a client can fail
// to authenticate, and of each malformed CertificateRequest.
func TestClientAuthHostile(t *testing.T) {
	pki := testClientPKI(t)
	mismatched := pki.ecdsa.mini
	mismatched.ECDSAKey = pki.selfSigned.mini.ECDSAKey // another P-256 key (makeClientPKI)
	// Client flight 1 is [Certificate, ClientKeyExchange, CertificateVerify].
	setCVSchemeAt := func(i int, s SignatureScheme) func([][]byte) [][]byte {
		return func(f [][]byte) [][]byte { f[i][4], f[i][5] = byte(s>>8), byte(s); return f }
	}
	setCVScheme := func(s SignatureScheme) func([][]byte) [][]byte { return setCVSchemeAt(2, s) }
	// Server flight 0 is [ServerHello, Certificate, CertificateRequest, ServerHelloDone];
	// a CertificateRequest body is types<1..255>, algorithms<2..2^16-2>, names<0..2^16-1>.
	setCR := func(body []byte) func([][]byte) [][]byte {
		return func(f [][]byte) [][]byte {
			f[2] = setLen(append([]byte{byte(TypeCertificateRequest), 0, 0, 0}, body...), len(body))
			return f
		}
	}
	cases := []struct {
		name          string
		policy        ClientAuthType
		cert          *Certificate
		clientHook    func([][]byte) [][]byte
		serverHook    func([][]byte) [][]byte
		clientDetects bool
		want          record.AlertDescription
		tls13         bool
	}{
		{name: "required, none sent", policy: RequireAnyClientCert, want: record.HandshakeFailure},
		{name: "required and verified, none sent", policy: RequireAndVerifyClientCert, want: record.HandshakeFailure},
		{name: "untrusted chain", policy: RequireAndVerifyClientCert, cert: &pki.selfSigned.mini, want: record.UnknownCA},
		{name: "untrusted chain, verified if given", policy: VerifyClientCertIfGiven, cert: &pki.selfSigned.mini, want: record.UnknownCA},
		{name: "no clientAuth usage", policy: RequireAndVerifyClientCert, cert: &pki.noClientAuth.mini, want: record.UnsupportedCertificate},
		{name: "forged CertificateVerify", policy: RequireAnyClientCert, cert: &pki.rsa.mini, clientHook: flightHook(1, flipByte(2, -1)), want: record.DecryptError},
		{name: "forged ECDSA CertificateVerify", policy: RequireAnyClientCert, cert: &pki.ecdsa.mini, clientHook: flightHook(1, flipByte(2, -3)), want: record.DecryptError},
		{name: "CertificateVerify by another key", policy: RequestClientCert, cert: &mismatched, want: record.DecryptError},
		{name: "CertificateVerify scheme not offered", policy: RequireAnyClientCert, cert: &pki.rsa.mini, clientHook: flightHook(1, setCVScheme(PKCS1WithSHA512)), want: record.IllegalParameter},
		{name: "Certificate not asked for", policy: NoClientCert, clientHook: flightHook(1, func(f [][]byte) [][]byte {
			return append([][]byte{{byte(TypeCertificate), 0, 0, 3, 0, 0, 0}}, f...)
		}), want: record.UnexpectedMessage},
		{name: "CertificateRequest: empty certificate_types", policy: RequestClientCert, serverHook: flightHook(0, setCR([]byte{0, 0, 2, 4, 1, 0, 0})), clientDetects: true, want: record.DecodeError},
		{name: "CertificateRequest: empty signature_algorithms", policy: RequestClientCert, serverHook: flightHook(0, setCR([]byte{1, 1, 0, 0, 0, 0})), clientDetects: true, want: record.DecodeError},
		{name: "CertificateRequest: odd signature_algorithms", policy: RequestClientCert, serverHook: flightHook(0, setCR([]byte{1, 1, 0, 3, 4, 1, 5, 0, 0})), clientDetects: true, want: record.DecodeError},
		{name: "CertificateRequest: signature_algorithms past the message", policy: RequestClientCert, serverHook: flightHook(0, setCR([]byte{1, 1, 0xff, 0xfe, 4, 1, 0, 0})), clientDetects: true, want: record.DecodeError},
		{name: "CertificateRequest: empty DistinguishedName", policy: RequestClientCert, serverHook: flightHook(0, setCR([]byte{1, 1, 0, 2, 4, 1, 0, 2, 0, 0})), clientDetects: true, want: record.DecodeError},
		{name: "CertificateRequest: DistinguishedName past the list", policy: RequestClientCert, serverHook: flightHook(0, setCR([]byte{1, 1, 0, 2, 4, 1, 0, 3, 0, 9, 0x30})), clientDetects: true, want: record.DecodeError},
		// TLS 1.3: the client's last flight is [Certificate, CertificateVerify, Finished].
		{name: "TLS 1.3: required, none sent", tls13: true, policy: RequireAnyClientCert, want: record.CertificateRequired},
		{name: "TLS 1.3: untrusted chain", tls13: true, policy: RequireAndVerifyClientCert, cert: &pki.selfSigned.mini, want: record.UnknownCA},
		{name: "TLS 1.3: no clientAuth usage", tls13: true, policy: VerifyClientCertIfGiven, cert: &pki.noClientAuth.mini, want: record.UnsupportedCertificate},
		{name: "TLS 1.3: forged CertificateVerify", tls13: true, policy: RequireAnyClientCert, cert: &pki.rsa.mini, clientHook: flightHook(1, flipByte(1, -1)), want: record.DecryptError},
		{name: "TLS 1.3: CertificateVerify by another key", tls13: true, policy: RequestClientCert, cert: &mismatched, want: record.DecryptError},
		{name: "TLS 1.3: PKCS#1 v1.5 CertificateVerify", tls13: true, policy: RequireAnyClientCert, cert: &pki.rsa.mini, clientHook: flightHook(1, setCVSchemeAt(1, PKCS1WithSHA256)), want: record.IllegalParameter},
		{name: "TLS 1.3: ECDSA scheme of another curve", tls13: true, policy: RequireAnyClientCert, cert: &pki.ecdsa.mini, clientHook: flightHook(1, setCVSchemeAt(1, ECDSAWithP384AndSHA384)), want: record.IllegalParameter},
		{name: "TLS 1.3: ECDSA scheme with an RSA key", tls13: true, policy: RequireAnyClientCert, cert: &pki.rsa.mini, clientHook: flightHook(1, setCVSchemeAt(1, ECDSAWithP256AndSHA256)), want: record.IllegalParameter},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ccfg, scfg := mutualConfigs(t, tc.policy, nil)
			if tc.tls13 {
				ccfg.MaxVersion, scfg.MaxVersion = uint16(VersionTLS13), uint16(VersionTLS13)
				ccfg.CipherSuites = nil
			}
			// The client sends tc.cert even where it would not pick it
			// itself (an issuer the server did not list).
			ccfg.GetClientCertificate = func(*CertificateRequestInfo) (*Certificate, error) { return tc.cert, nil }
			ccfg.testHookFlight, scfg.testHookFlight = tc.clientHook, tc.serverHook
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, tc.clientDetects, tc.want)
			if errors.Is(r.serverErr, ErrClientCertificateRequired) != (tc.want == record.HandshakeFailure) ||
				errors.Is(r.serverErr, ErrCertificateRequired13) != (tc.want == record.CertificateRequired) {
				t.Errorf("server error %v: ErrClientCertificateRequired only when no certificate came", r.serverErr)
			}
		})
	}
}

// TestClientAuthRequestContents pins the CertificateRequest a minitls
// server sends: both key kinds, only the schemes with the suite's PRF hash,
// and ClientCAs' subjects; and what GetClientCertificate is shown.
func TestClientAuthRequestContents(t *testing.T) {
	f := testFixture(t)
	pki := testClientPKI(t)
	for _, tc := range []struct {
		suite CipherSuite
		want  []SignatureScheme
	}{
		{TLS_RSA_WITH_AES_128_GCM_SHA256, []SignatureScheme{PSSWithSHA256, ECDSAWithP256AndSHA256, PKCS1WithSHA256}},
		{TLS_RSA_WITH_AES_256_GCM_SHA384, []SignatureScheme{PSSWithSHA384, ECDSAWithP384AndSHA384, PKCS1WithSHA384}},
	} {
		ccfg, scfg := mutualConfigs(t, VerifyClientCertIfGiven, nil)
		ccfg.CipherSuites = []uint16{uint16(tc.suite)}
		var seen *CertificateRequestInfo
		ccfg.GetClientCertificate = func(info *CertificateRequestInfo) (*Certificate, error) {
			seen = info
			return &pki.ecdsa.mini, nil
		}
		r := runPair(t, ccfg, scfg, 0, 0)
		if r.clientErr != nil || r.serverErr != nil {
			t.Fatalf("%v: client %v, server %v", tc.suite, r.clientErr, r.serverErr)
		}
		if seen == nil {
			t.Fatalf("%v: GetClientCertificate was not called", tc.suite)
		}
		wantInfo := &CertificateRequestInfo{AcceptableCAs: [][]byte{f.roots.Certs()[0].RawSubject}, SignatureSchemes: tc.want, Version: uint16(VersionTLS12)}
		if d := cmp.Diff(wantInfo, seen); d != "" {
			t.Errorf("%v: CertificateRequestInfo (-want +got):\n%s", tc.suite, d)
		}
		if err := seen.SupportsCertificate(&pki.selfSigned.mini); err == nil {
			t.Errorf("%v: SupportsCertificate accepts a certificate no listed CA issued", tc.suite)
		}
		if n := len(r.server.ConnectionState().PeerCertificates); n != 1 {
			t.Errorf("%v: server saw %d client certificates, want 1", tc.suite, n)
		}
	}
}

// TestClientAuthConfigErrors: a verifying policy without ClientCAs is the
// server's own mistake (internal_error, with what to set), never a silent
// fallback to the system roots.
func TestClientAuthConfigErrors(t *testing.T) {
	ccfg, scfg := mutualConfigs(t, RequireAndVerifyClientCert, nil)
	scfg.ClientCAs = nil
	r := runPair(t, ccfg, scfg, 0, 0)
	if !errors.Is(r.serverErr, ErrConfig) {
		t.Fatalf("server: %v, want ErrConfig", r.serverErr)
	}
}

// TestClientAuthResumption: a resumed session keeps the client's identity
// (by ticket and by session_id, and by TLS 1.3 ticket), and a session without a client
// certificate is not resumed by a server that now requires one.
func TestClientAuthResumption(t *testing.T) {
	pki := testClientPKI(t)
	for _, via := range []string{"ticket", "session_id", "TLS 1.3 ticket"} {
		t.Run(via, func(t *testing.T) {
			ccfg, scfg := mutualConfigs(t, RequireAndVerifyClientCert, &pki.ecdsa.mini)
			ccfg.ClientSessionCache = NewLRUClientSessionCache(4)
			switch via {
			case "session_id":
				scfg.SessionTicketsDisabled, scfg.SessionCacheSize = true, 4
			case "TLS 1.3 ticket":
				ccfg.MaxVersion, scfg.MaxVersion, ccfg.CipherSuites = uint16(VersionTLS13), uint16(VersionTLS13), nil
			}
			first := runPair(t, ccfg, scfg, 0, 0)
			exchange(t, first.client, first.server)
			second := runPair(t, ccfg, scfg, 0, 0)
			if second.clientErr != nil || second.serverErr != nil {
				t.Fatalf("client %v, server %v", second.clientErr, second.serverErr)
			}
			ss := second.server.ConnectionState()
			if !ss.DidResume {
				t.Fatal("the second handshake did not resume")
			}
			if len(ss.PeerCertificates) != 1 || string(ss.PeerCertificates[0].Raw) != string(pki.ecdsa.mini.Certificate[0]) {
				t.Errorf("resumed session: server's PeerCertificates has %d certificates, want the client's leaf", len(ss.PeerCertificates))
			}
		})
	}
	t.Run("now required", func(t *testing.T) {
		ccfg, scfg := mutualConfigs(t, RequestClientCert, nil)
		ccfg.ClientSessionCache = NewLRUClientSessionCache(4)
		first := runPair(t, ccfg, scfg, 0, 0)
		exchange(t, first.client, first.server)
		scfg2 := scfg.Clone() // same ticket keys
		scfg2.ClientAuth = RequireAnyClientCert
		ccfg.Certificates = []Certificate{pki.rsa.mini}
		second := runPair(t, ccfg, scfg2, 0, 0)
		if second.clientErr != nil || second.serverErr != nil {
			t.Fatalf("client %v, server %v", second.clientErr, second.serverErr)
		}
		if ss := second.server.ConnectionState(); ss.DidResume || len(ss.PeerCertificates) != 1 {
			t.Errorf("DidResume %v with %d client certificates; want a full handshake that asks for the certificate", ss.DidResume, len(ss.PeerCertificates))
		}
	})
}
