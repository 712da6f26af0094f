package handshake

import (
	"crypto/tls"
	"io"
	"net"
	"testing"
)

// benchPair accepts loopback connections and wraps both ends with the given
// constructors; it returns a function that makes one connected pair.
func benchListener(b *testing.B) (dial func() (net.Conn, net.Conn)) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	accepted := make(chan net.Conn, 1)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	return func() (net.Conn, net.Conn) {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		return c, <-accepted
	}
}

type handshaker interface {
	Handshake() error
	net.Conn
}

// benchEndpoints returns client and server constructors for one library,
// with RSA key transport and AES-128-GCM.
func benchEndpoints(b *testing.B, lib string) (client, server func(net.Conn) handshaker) {
	return benchEndpointsFor(b, lib, TLS_RSA_WITH_AES_128_GCM_SHA256, 0)
}

// benchEndpointsFor is benchEndpoints for a given suite and, for an ECDHE
// suite, group.
func benchEndpointsFor(b *testing.B, lib string, id CipherSuite, curve CurveID) (client, server func(net.Conn) handshaker) {
	f := testFixture(b)
	suite := uint16(id)
	var curves []CurveID
	var stdCurves []tls.CurveID
	if curve != 0 {
		curves = []CurveID{curve}
		stdCurves = []tls.CurveID{tls.CurveID(curve)} // the same IANA numbers
	}
	if lib == "minitls" {
		ccfg := &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", CipherSuites: []uint16{suite}, CurvePreferences: curves}
		scfg := &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}}
		if suiteByID(CipherSuite(suite)).signsWithECDSA() {
			scfg.Certificates = []Certificate{ecdsaFixture(b)}
		}
		return func(c net.Conn) handshaker { return Client(c, ccfg) },
			func(c net.Conn) handshaker { return Server(c, scfg) }
	}
	ccfg := &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: []uint16{suite}, MaxVersion: tls.VersionTLS12,
		CurvePreferences: stdCurves}
	scfg := &tls.Config{Certificates: []tls.Certificate{f.stdCert}, CipherSuites: []uint16{suite},
		MaxVersion: tls.VersionTLS12, SessionTicketsDisabled: true}
	if suiteByID(CipherSuite(suite)).signsWithECDSA() {
		scfg.Certificates = []tls.Certificate{stdECDSAFixture(b)}
	}
	return func(c net.Conn) handshaker { return tls.Client(c, ccfg) },
		func(c net.Conn) handshaker { return tls.Server(c, scfg) }
}

// BenchmarkHandshake measures full handshakes (client and server in this
// process, AES-128-GCM) over loopback TCP, minitls against minitls and
// crypto/tls against crypto/tls: with RSA-2048 key transport (the server
// decrypts), and with ECDHE on X25519 or P-256 signed with RSA-2048 (the
// server signs, both sides do one key agreement; the client also verifies),
// or on X25519 signed with ECDSA P-256 (testdata/server-ecdsa.pem).
func BenchmarkHandshake(b *testing.B) {
	kinds := []struct {
		name  string
		suite CipherSuite
		curve CurveID
	}{
		{"RSA-AES128-GCM", TLS_RSA_WITH_AES_128_GCM_SHA256, 0},
		{"ECDHE-X25519-RSA-AES128-GCM", TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CurveX25519},
		{"ECDHE-P256-RSA-AES128-GCM", TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CurveP256},
		{"ECDHE-X25519-ECDSA-P256-AES128-GCM", TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CurveX25519},
	}
	for _, kind := range kinds {
		for _, lib := range []string{"minitls", "stdlib"} {
			benchHandshake(b, lib, kind.name, kind.suite, kind.curve)
		}
	}
}

// benchHandshakePair runs the server's handshake on another goroutine and
// the client's on this one, and fails b if either fails.
func benchHandshakePair(b *testing.B, client, server handshaker) {
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	if err := client.Handshake(); err != nil {
		b.Fatal(err)
	}
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
}

func benchHandshake(b *testing.B, lib, name string, suite CipherSuite, curve CurveID) {
	{
		b.Run(lib+"/"+name, func(b *testing.B) {
			dial := benchListener(b)
			newClient, newServer := benchEndpointsFor(b, lib, suite, curve)
			b.ReportAllocs()
			for b.Loop() {
				cc, sc := dial()
				benchHandshakePair(b, newClient(cc), newServer(sc))
				cc.Close()
				sc.Close()
			}
		})
	}
}

// BenchmarkBulk measures sending 64 MiB one way after the handshake, in
// 1 MiB writes, over loopback TCP.
func BenchmarkBulk(b *testing.B) {
	const total = 64 << 20
	chunk := make([]byte, 1<<20)
	for _, lib := range []string{"minitls", "stdlib"} {
		b.Run(lib+"/64MiB", func(b *testing.B) {
			dial := benchListener(b)
			newClient, newServer := benchEndpoints(b, lib)
			cc, sc := dial()
			client, server := newClient(cc), newServer(sc)
			defer cc.Close()
			defer sc.Close()
			benchHandshakePair(b, client, server)
			b.SetBytes(total)
			b.ReportAllocs()
			for b.Loop() {
				done := make(chan error, 1)
				go func() {
					_, err := io.CopyN(io.Discard, server, total)
					done <- err
				}()
				for sent := 0; sent < total; sent += len(chunk) {
					if _, err := client.Write(chunk); err != nil {
						b.Fatal(err)
					}
				}
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
