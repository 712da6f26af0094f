package handshake

import (
	"errors"
	"testing"

	"minitls/record"
)

// TestPickCertificate: the server's choice among Config.Certificates when
// it uses an RSA certificate (TLS 1.2's RSA and ECDHE_RSA suites, TLS 1.3
// when no ECDSA certificate fits), under both versions. A Certificate
// without a private key is passed over for the first one that has one (it
// cannot decrypt the ClientKeyExchange or sign); a Certificate whose Leaf
// is nil is parsed, and our own leaf that does not parse is a
// configuration mistake, ErrConfig with internal_error, not something to
// send the client.
//
// spec: rfc5246#7.4.2 (the server's certificate must suit the suite's key
// exchange), rfc5246#7.2.2 (internal_error: "an internal error unrelated to
// the peer")
func TestPickCertificate(t *testing.T) {
	f := testFixture(t)
	unparsed := f.cert
	unparsed.Leaf = nil // parsed on first use
	t.Run("a certificate without a private key is skipped", func(t *testing.T) {
		for _, version := range []uint16{tls12, uint16(VersionTLS13)} {
			ccfg, scfg := configs13(t)
			ccfg.MaxVersion, scfg.MaxVersion = version, version
			noKey := f.cert
			noKey.PrivateKey = nil
			// The second has no Leaf, so no SNI match picks it: only the
			// rule "the first with a private key" does.
			scfg.Certificates = []Certificate{noKey, unparsed}
			r := runPair(t, ccfg, scfg, 0, 0)
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("%v: client: %v\nserver: %v", ProtocolVersion(version), r.clientErr, r.serverErr)
			}
			if got := r.client.ConnectionState().Version; got != version {
				t.Fatalf("negotiated %v, want %v", ProtocolVersion(got), ProtocolVersion(version))
			}
		}
	})
	t.Run("our own leaf does not parse", func(t *testing.T) {
		for _, version := range []uint16{tls12, uint16(VersionTLS13)} {
			ccfg, scfg := configs13(t)
			ccfg.MaxVersion, scfg.MaxVersion = version, version
			scfg.Certificates = []Certificate{{Certificate: [][]byte{[]byte("not DER")}, PrivateKey: f.cert.PrivateKey}}
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, false, record.InternalError)
			if !errors.Is(r.serverErr, ErrConfig) {
				t.Errorf("%v: server error %v, want ErrConfig", ProtocolVersion(version), r.serverErr)
			}
		}
	})
}

// TestChooseECDSACertificate: for the ECDHE_ECDSA suites (and a TLS 1.3
// server) the server takes, among the certificates with an ECDSA key and a
// chain whose curve's scheme the client lists in signature_algorithms, the
// one whose leaf names the SNI host; when none does (or there is no SNI),
// the first usable one; when none is usable, none.
//
// spec: rfc8422#5.3 ("The end-entity certificate ... MUST contain an
// ECDSA-capable public key"), rfc5246#7.4.2, rfc6066#3 (server_name
// selects the certificate)
func TestChooseECDSACertificate(t *testing.T) {
	f := testFixture(t)
	named := ecdsaFixture(t) // its leaf names localhost and example.test
	unnamed := named
	unnamed.Leaf = nil
	noChain := named
	noChain.Certificate = nil
	config := &Config{Certificates: []Certificate{f.cert, noChain, unnamed, named}}
	hello := func(sni string) *ClientHello {
		m := &ClientHello{}
		if sni != "" {
			e, err := NewExtension(ExtServerName, &ServerNameList{HostName: sni})
			if err != nil {
				t.Fatal(err)
			}
			m.Extensions = []Extension{e}
		}
		return m
	}
	p256 := []SignatureScheme{PSSWithSHA256, ECDSAWithP256AndSHA256}
	for _, c := range []struct {
		name    string
		sni     string
		offered []SignatureScheme
		want    int // index in config.Certificates, -1 for none
	}{
		{"SNI names the last", "example.test", p256, 3},
		{"SNI names none: the first usable", "other.example", p256, 2},
		{"no SNI: the first usable", "", p256, 2},
		{"P-256 scheme not offered", "localhost", []SignatureScheme{PSSWithSHA256, ECDSAWithP384AndSHA384}, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, scheme := chooseECDSACertificate(config, hello(c.sni), c.offered)
			if c.want < 0 {
				if got != nil || scheme != 0 {
					t.Fatalf("got certificate %p scheme %v, want none", got, scheme)
				}
				return
			}
			if got != &config.Certificates[c.want] || scheme != ECDSAWithP256AndSHA256 {
				t.Fatalf("got %p with %v, want Certificates[%d] (%p) with %v", got, scheme, c.want, &config.Certificates[c.want], ECDSAWithP256AndSHA256)
			}
		})
	}
	if got, _ := chooseECDSACertificate(&Config{Certificates: []Certificate{f.cert}}, hello(""), p256); got != nil {
		t.Errorf("an RSA-only Config gives an ECDSA certificate %p", got)
	}
}
