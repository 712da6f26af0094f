package handshake

import (
	"crypto/tls"
	"net"
	"testing"
)

// resumeEndpoints returns client and server constructors for one library,
// on TLS_RSA_WITH_AES_128_GCM_SHA256 with session tickets on; resume gives
// the client a session cache (so every handshake after the first resumes).
func resumeEndpoints(b *testing.B, lib string, resume bool) (client, server func(net.Conn) handshaker) {
	f := testFixture(b)
	suite := uint16(TLS_RSA_WITH_AES_128_GCM_SHA256)
	if lib == "minitls" {
		ccfg := &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", CipherSuites: []uint16{suite}}
		if resume {
			ccfg.ClientSessionCache = NewLRUClientSessionCache(1)
		}
		scfg := &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, CipherSuites: []uint16{suite}}
		return func(c net.Conn) handshaker { return Client(c, ccfg) },
			func(c net.Conn) handshaker { return Server(c, scfg) }
	}
	ccfg := &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: []uint16{suite}, MaxVersion: tls.VersionTLS12}
	if resume {
		ccfg.ClientSessionCache = tls.NewLRUClientSessionCache(1)
	}
	scfg := &tls.Config{Certificates: []tls.Certificate{f.stdCert}, CipherSuites: []uint16{suite}, MaxVersion: tls.VersionTLS12}
	return func(c net.Conn) handshaker { return tls.Client(c, ccfg) },
		func(c net.Conn) handshaker { return tls.Server(c, scfg) }
}

// BenchmarkResume compares full handshakes with resumed ones (session
// tickets), client and server in this process over loopback TCP, RSA key
// transport with AES-128-GCM, minitls against minitls and crypto/tls
// against crypto/tls. A resumed handshake has no RSA decryption (and no
// certificate to parse and verify), which is most of a full one's cost:
// compare full/ with resumed/ to get the N in "a resumed handshake costs
// 1/N of a full one". Each resumed iteration checks that it did resume.
func BenchmarkResume(b *testing.B) {
	for _, lib := range []string{"minitls", "stdlib"} {
		for _, mode := range []string{"full", "resumed"} {
			b.Run(lib+"/"+mode, func(b *testing.B) {
				dial := benchListener(b)
				newClient, newServer := resumeEndpoints(b, lib, mode == "resumed")
				once := func() (client, server handshaker) {
					cc, sc := dial()
					client, server = newClient(cc), newServer(sc)
					benchHandshakePair(b, client, server)
					cc.Close()
					sc.Close()
					return client, server
				}
				if mode == "resumed" {
					once() // the full handshake that fills the cache
				}
				b.ReportAllocs()
				for b.Loop() {
					client, _ := once()
					if didResume(client) != (mode == "resumed") {
						b.Fatalf("%s: DidResume = %v", mode, didResume(client))
					}
				}
			})
		}
	}
}

func didResume(c handshaker) bool {
	switch c := c.(type) {
	case *Conn:
		return c.ConnectionState().DidResume
	case *tls.Conn:
		return c.ConnectionState().DidResume
	}
	return false
}
