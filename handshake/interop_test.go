package handshake

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"minitls/record"
	"minitls/x509lite"
)

// fixture holds the test PKI of testdata/ in both libraries' types.
type fixture struct {
	certPEM, keyPEM, caPEM []byte
	cert                   Certificate
	roots                  *x509lite.CertPool
	stdCert                tls.Certificate
	stdRoots               *x509.CertPool
}

var (
	fixtureOnce sync.Once
	fixtureVal  *fixture
	fixtureErr  error
)

func testFixture(t testing.TB) *fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		f := &fixture{}
		read := func(name string) []byte {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil && fixtureErr == nil {
				fixtureErr = err
			}
			return b
		}
		f.certPEM, f.keyPEM, f.caPEM = read("server.pem"), read("server-key.pem"), read("ca.pem")
		if fixtureErr != nil {
			return
		}
		if f.cert, fixtureErr = X509KeyPair(f.certPEM, f.keyPEM); fixtureErr != nil {
			return
		}
		f.roots = x509lite.NewCertPool()
		if !f.roots.AppendCertsFromPEM(f.caPEM) {
			fixtureErr = errors.New("x509lite could not read testdata/ca.pem")
			return
		}
		if f.stdCert, fixtureErr = tls.X509KeyPair(f.certPEM, f.keyPEM); fixtureErr != nil {
			return
		}
		f.stdRoots = x509.NewCertPool()
		f.stdRoots.AppendCertsFromPEM(f.caPEM)
		fixtureVal = f
	})
	if fixtureErr != nil {
		t.Fatalf("test fixture: %v", fixtureErr)
	}
	return fixtureVal
}

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type res struct {
		c   net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := l.Accept()
		ch <- res{c, err}
	}()
	client, err = net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { client.Close(); r.c.Close() })
	deadline := time.Now().Add(20 * time.Second)
	client.SetDeadline(deadline)
	r.c.SetDeadline(deadline)
	return client, r.c
}

func stdSuites(ids ...uint16) []uint16 {
	if len(ids) == 0 {
		return []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384}
	}
	return ids
}

// exchange writes msg from a to b and back, checks both arrive, then closes
// a cleanly and checks b sees io.EOF.
func exchange(t *testing.T, a, b net.Conn) {
	t.Helper()
	msgA := bytes.Repeat([]byte("minitls→peer "), 3000) // several records
	msgB := []byte("peer→minitls")
	errc := make(chan error, 1)
	go func() {
		_, err := a.Write(msgA)
		errc <- err
	}()
	got := make([]byte, len(msgA))
	if _, err := io.ReadFull(b, got); err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("write: %v", err)
	}
	if !bytes.Equal(got, msgA) {
		t.Fatal("data corrupted a→b")
	}
	go func() {
		_, err := b.Write(msgB)
		errc <- err
	}()
	got = make([]byte, len(msgB))
	if _, err := io.ReadFull(a, got); err != nil {
		t.Fatalf("read back: %v", err)
	}
	if err := <-errc; err != nil || !bytes.Equal(got, msgB) {
		t.Fatalf("b→a: %v %q", err, got)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if n, err := b.Read(make([]byte, 10)); err != io.EOF {
		t.Fatalf("after close_notify: %d, %v; want io.EOF", n, err)
	}
}

var testTime = func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }

func TestInteropStdServer(t *testing.T) {
	f := testFixture(t)
	for _, suite := range []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384} {
		for _, ems := range []bool{true, false} {
			name := fmt.Sprintf("%s/EMS=%v", tls.CipherSuiteName(suite), ems)
			t.Run(name, func(t *testing.T) {
				cc, sc := tcpPair(t)
				var ourLog, stdLog bytes.Buffer
				stdServer := tls.Server(sc, &tls.Config{
					Certificates: []tls.Certificate{f.stdCert},
					CipherSuites: stdSuites(suite),
					MaxVersion:   tls.VersionTLS12,
					NextProtos:   []string{"h2", "http/1.1"},
					KeyLogWriter: &stdLog,
				})
				var phases []Phase
				cfg := &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "example.test", NextProtos: []string{"http/1.1", "h2"},
					Time: testTime, disableEMS: !ems, phaseLog: &phases, KeyLogWriter: &ourLog}
				client := Client(cc, cfg)
				errc := make(chan error, 1)
				go func() { errc <- stdServer.Handshake() }()
				if err := client.Handshake(); err != nil {
					t.Fatalf("minitls client: %v (server: %v)", err, <-errc)
				}
				if err := <-errc; err != nil {
					t.Fatalf("crypto/tls server: %v", err)
				}
				st, std := client.ConnectionState(), stdServer.ConnectionState()
				if st.CipherSuite != suite || std.CipherSuite != suite || st.Version != tls.VersionTLS12 {
					t.Errorf("suite %x/%x version %x", st.CipherSuite, std.CipherSuite, st.Version)
				}
				if st.ExtendedMasterSecret != ems {
					t.Errorf("EMS: %v, want %v", st.ExtendedMasterSecret, ems)
				}
				if ours, theirs := ourLog.String(), stdLog.String(); ours != theirs || len(ours) != len("CLIENT_RANDOM  \n")+64+96 {
					t.Errorf("key logs differ:\nminitls   %q\ncrypto/tls %q", ours, theirs)
				}
				if std.ServerName != "example.test" || st.ServerName != "example.test" {
					t.Errorf("SNI: server saw %q", std.ServerName)
				}
				if st.NegotiatedProtocol != "h2" || std.NegotiatedProtocol != "h2" {
					t.Errorf("ALPN: %q / %q (server preference h2)", st.NegotiatedProtocol, std.NegotiatedProtocol)
				}
				if len(st.PeerCertificates) != 1 || st.PeerCertificates[0].Subject.String() == "" {
					t.Errorf("peer certificates %v", st.PeerCertificates)
				}
				if d := cmp.Diff(fullHandshakePhases, phases); d != "" {
					t.Errorf("phases (-want +got):\n%s", d)
				}
				exchange(t, client, stdServer)
			})
		}
	}
}

func TestInteropStdClient(t *testing.T) {
	f := testFixture(t)
	for _, suite := range []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384} {
		for _, ems := range []bool{true, false} {
			name := fmt.Sprintf("%s/EMS=%v", tls.CipherSuiteName(suite), ems)
			t.Run(name, func(t *testing.T) {
				cc, sc := tcpPair(t)
				var ourLog, stdLog bytes.Buffer
				stdClient := tls.Client(cc, &tls.Config{
					RootCAs:      f.stdRoots,
					ServerName:   "localhost",
					CipherSuites: stdSuites(suite),
					MaxVersion:   tls.VersionTLS12,
					NextProtos:   []string{"http/1.1"},
					KeyLogWriter: &stdLog,
				})
				var phases []Phase
				server := Server(sc, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, NextProtos: []string{"h2", "http/1.1"},
					disableEMS: !ems, phaseLog: &phases, KeyLogWriter: &ourLog})
				errc := make(chan error, 1)
				go func() { errc <- stdClient.Handshake() }()
				if err := server.Handshake(); err != nil {
					t.Fatalf("minitls server: %v (client: %v)", err, <-errc)
				}
				if err := <-errc; err != nil {
					t.Fatalf("crypto/tls client: %v", err)
				}
				st, std := server.ConnectionState(), stdClient.ConnectionState()
				if st.CipherSuite != suite || std.CipherSuite != suite {
					t.Errorf("suite %x/%x", st.CipherSuite, std.CipherSuite)
				}
				if st.ExtendedMasterSecret != ems {
					t.Errorf("EMS: %v, want %v", st.ExtendedMasterSecret, ems)
				}
				if ours, theirs := ourLog.String(), stdLog.String(); ours != theirs || len(ours) != len("CLIENT_RANDOM  \n")+64+96 {
					t.Errorf("key logs differ:\nminitls   %q\ncrypto/tls %q", ours, theirs)
				}
				if st.ServerName != "localhost" || st.NegotiatedProtocol != "http/1.1" || std.NegotiatedProtocol != "http/1.1" {
					t.Errorf("SNI %q ALPN %q/%q", st.ServerName, st.NegotiatedProtocol, std.NegotiatedProtocol)
				}
				if d := cmp.Diff(fullHandshakePhases, phases); d != "" {
					t.Errorf("phases (-want +got):\n%s", d)
				}
				if ems {
					exchange(t, server, stdClient)
				} else {
					// The other way round: crypto/tls closes, minitls reads
					// its close_notify as io.EOF.
					exchange(t, stdClient, server)
				}
			})
		}
	}
}

// TestStdServerWithoutRSASuites: a crypto/tls server with its default
// suites (no RSA key transport) refuses the hello; the error says why.
func TestStdServerWithoutRSASuites(t *testing.T) {
	f := testFixture(t)
	cc, sc := tcpPair(t)
	go tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{f.stdCert}}).Handshake()
	err := Client(cc, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", CipherSuites: rsaSuiteIDs}).Handshake()
	var are *record.AlertReceivedError
	if !errors.As(err, &are) || are.Description != record.HandshakeFailure || !strings.Contains(err.Error(), "RSA key transport") {
		t.Fatalf("got %v", err)
	}
}

// TestCertificateRequest: a server that asks for a client certificate gets
// an empty Certificate, with either key exchange; one that merely requests
// it completes, one that requires it refuses with an alert.
func TestCertificateRequest(t *testing.T) {
	f := testFixture(t)
	kxs := []struct {
		name   string
		suites []uint16
		phases []Phase // the handshake without CertificateRequest
		before int     // how many of phases come before ServerHelloDone
	}{
		{"RSA", stdSuites(), fullHandshakePhases, 3},
		{"ECDHE", stdSuites(tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), ecdheHandshakePhases, 4},
	}
	for _, kx := range kxs {
		for _, auth := range []tls.ClientAuthType{tls.RequestClientCert, tls.RequireAnyClientCert} {
			t.Run(kx.name+"/"+auth.String(), func(t *testing.T) {
				testCertificateRequest(t, f, auth, kx.suites, kx.phases, kx.before)
			})
		}
	}
}

// testCertificateRequest runs one case of TestCertificateRequest against a
// crypto/tls server limited to suites.
func testCertificateRequest(t *testing.T, f *fixture, auth tls.ClientAuthType, suites []uint16, fullPhases []Phase, before int) {
	cc, sc := tcpPair(t)
	stdServer := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{f.stdCert}, CipherSuites: suites,
		MaxVersion: tls.VersionTLS12, ClientAuth: auth})
	errc := make(chan error, 1)
	go func() { errc <- stdServer.Handshake() }()
	var phases []Phase
	client := Client(cc, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", phaseLog: &phases})
	err := client.Handshake()
	serr := <-errc
	if auth == tls.RequestClientCert {
		if err != nil || serr != nil {
			t.Fatalf("client %v, server %v", err, serr)
		}
		if len(stdServer.ConnectionState().PeerCertificates) != 0 {
			t.Error("server saw a client certificate")
		}
		want := append([]Phase{}, fullPhases[:before]...)
		want = append(want, PhaseServerHelloDone, PhaseCertificateRequest, PhaseServerHelloDone, PhaseClientCertificate)
		want = append(want, fullPhases[before+1:]...)
		if d := cmp.Diff(want, phases); d != "" {
			t.Errorf("phases (-want +got):\n%s", d)
		}
		exchange(t, client, stdServer)
		return
	}
	if serr == nil {
		t.Fatal("server accepted a client without a certificate")
	}
	if err == nil {
		_, err = client.Read(make([]byte, 1))
	}
	var are *record.AlertReceivedError
	if !errors.As(err, &are) {
		t.Fatalf("client: %v, want the server's alert", err)
	}
}

// fullHandshakePhases is the phase sequence of every successful full
// handshake, on both sides.
var fullHandshakePhases = []Phase{
	PhaseClientHello, PhaseServerHello, PhaseServerCertificate, PhaseServerHelloDone,
	PhaseClientKeyExchange, PhaseKeyDerivation, PhaseClientChangeCipherSpec, PhaseClientFinished,
	PhaseServerChangeCipherSpec, PhaseServerFinished, PhaseEstablished,
}
