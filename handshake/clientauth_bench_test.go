package handshake

import (
	"crypto/tls"
	"net"
	"runtime"
	"testing"
)

// BenchmarkMutualHandshake puts a full ECDHE (X25519) handshake in which
// the server asks for and verifies a client certificate
// (RequireAndVerifyClientCert) beside the one-sided handshake, minitls
// against minitls and crypto/tls against crypto/tls, TLS 1.2 and TLS 1.3.
// Besides the time per handshake (client and server together) it reports
// client-cpu-ns/op, the CPU time of the client's own thread (the benchmark
// goroutine, locked to it): what mutual TLS adds there is one private-key
// operation, the CertificateVerify signature (RSA-2048 PSS or ECDSA P-256).
func BenchmarkMutualHandshake(b *testing.B) {
	pki := testClientPKI(b)
	f := testFixture(b)
	certs := []struct {
		name string
		pair *clientPair
	}{{"one-sided", nil}, {"mutual-RSA2048", &pki.rsa}, {"mutual-ECDSA-P256", &pki.ecdsa}}
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		for _, cert := range certs {
			for _, lib := range []string{"minitls", "stdlib"} {
				name := lib + "/" + tls.VersionName(version) + "/" + cert.name
				b.Run(name, func(b *testing.B) {
					newClient, newServer := mutualEndpoints(f, lib, version, cert.pair)
					benchClientCPU(b, newClient, newServer)
				})
			}
		}
	}
}

// mutualEndpoints returns one library's client and server constructors:
// ECDHE over X25519 with AES-128-GCM, the server requiring a client
// certificate when pair is not nil.
func mutualEndpoints(f *fixture, lib string, version uint16, pair *clientPair) (client, server func(net.Conn) handshaker) {
	var suites []uint16
	if version == tls.VersionTLS12 {
		suites = []uint16{uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}
	}
	if lib == "minitls" {
		ccfg := &Config{MinVersion: version, MaxVersion: version, RootCAs: f.roots, ServerName: "localhost", CipherSuites: suites,
			CurvePreferences: []CurveID{CurveX25519}}
		scfg := &Config{MinVersion: version, MaxVersion: version, Certificates: []Certificate{f.cert}, CipherSuites: suites,
			CurvePreferences: []CurveID{CurveX25519}, SessionTicketsDisabled: true}
		if pair != nil {
			ccfg.Certificates = []Certificate{pair.mini}
			scfg.ClientAuth, scfg.ClientCAs = RequireAndVerifyClientCert, f.roots
		}
		return func(c net.Conn) handshaker { return Client(c, ccfg) }, func(c net.Conn) handshaker { return Server(c, scfg) }
	}
	ccfg := &tls.Config{MinVersion: version, MaxVersion: version, RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: suites,
		CurvePreferences: []tls.CurveID{tls.X25519}}
	scfg := &tls.Config{MinVersion: version, MaxVersion: version, Certificates: []tls.Certificate{f.stdCert}, CipherSuites: suites,
		CurvePreferences: []tls.CurveID{tls.X25519}, SessionTicketsDisabled: true}
	if pair != nil {
		ccfg.Certificates = []tls.Certificate{pair.std}
		scfg.ClientAuth, scfg.ClientCAs = tls.RequireAndVerifyClientCert, f.stdRoots
	}
	return func(c net.Conn) handshaker { return tls.Client(c, ccfg) }, func(c net.Conn) handshaker { return tls.Server(c, scfg) }
}

// benchClientCPU runs full handshakes over loopback with the client on
// the benchmark goroutine, locked to its thread, and reports that thread's
// CPU time per handshake as client-cpu-ns/op.
func benchClientCPU(b *testing.B, newClient, newServer func(net.Conn) handshaker) {
	dial := benchListener(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	start, ok := threadCPUTime()
	n := 0
	for b.Loop() {
		cc, sc := dial()
		benchHandshakePair(b, newClient(cc), newServer(sc))
		cc.Close()
		sc.Close()
		n++
	}
	if end, ok2 := threadCPUTime(); ok && ok2 && n > 0 {
		b.ReportMetric(float64(end-start)/float64(n), "client-cpu-ns/op")
	}
}
