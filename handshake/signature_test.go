package handshake

import (
	"bytes"
	"crypto/rand"
	stdrsa "crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"slices"
	"testing"

	"minitls/cipher/rsa"
	"minitls/record"
)

// sigAlgsExt is a signature_algorithms extension listing schemes.
func sigAlgsExt(t *testing.T, schemes ...SignatureScheme) Extension {
	t.Helper()
	e, err := NewExtension(ExtSignatureAlgorithms, &SignatureAlgorithms{Schemes: schemes})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// skeScheme returns a Trace that records the signature scheme of the
// ServerKeyExchange the endpoint sends or receives.
func skeScheme(scheme *SignatureScheme) func(Event) {
	return func(e Event) {
		if m, ok := e.Message.(*ServerKeyExchange); ok && e.Kind == EventMessage {
			*scheme = m.SignatureAlgorithm
		}
	}
}

// TestSignatureSchemeNegotiation: the server signs its ServerKeyExchange
// with the client's first rsa_pss_rsae_* scheme when it lists one, even
// after PKCS#1 v1.5 schemes (PSS is preferred whatever the client's
// order), else with its first rsa_pkcs1_*; a client offering only
// rsa_pss_rsae_* completes an ECDHE handshake (before PSS it got
// handshake_failure from an ECDHE-only offer), and the minitls client
// verifies each of the six schemes.
func TestSignatureSchemeNegotiation(t *testing.T) {
	for _, c := range []struct {
		name    string
		offered []SignatureScheme // nil: the client's own list
		want    SignatureScheme
	}{
		{"default list", nil, PSSWithSHA256},
		{"only rsa_pss_rsae_sha256", []SignatureScheme{PSSWithSHA256}, PSSWithSHA256},
		{"only rsa_pss_rsae_sha384", []SignatureScheme{PSSWithSHA384}, PSSWithSHA384},
		{"only rsa_pss_rsae_sha512", []SignatureScheme{PSSWithSHA512}, PSSWithSHA512},
		{"PKCS#1 listed first, PSS still chosen", []SignatureScheme{PKCS1WithSHA384, 0x0807, PSSWithSHA512, PSSWithSHA256}, PSSWithSHA512},
		{"only rsa_pkcs1_sha256", []SignatureScheme{PKCS1WithSHA256}, PKCS1WithSHA256},
		{"rsa_pkcs1_sha1 skipped", []SignatureScheme{PKCS1WithSHA1, PKCS1WithSHA512}, PKCS1WithSHA512},
	} {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := ecdheConfigs(t)
			if c.offered != nil {
				ccfg.testEditClientHello = func(m *ClientHello) {
					m.Extensions = setExt(m.Extensions, sigAlgsExt(t, c.offered...))
				}
			}
			var sent, received SignatureScheme
			scfg.Trace, ccfg.Trace = skeScheme(&sent), skeScheme(&received)
			r := runPair(t, ccfg, scfg, 0, 0)
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("client %v / server %v", r.clientErr, r.serverErr)
			}
			if sent != c.want || received != c.want {
				t.Errorf("server signed with %v, client verified %v; want %v", sent, received, c.want)
			}
			exchange(t, r.client, r.server)
		})
	}
}

// TestClientOffersPSS: the minitls ClientHello lists rsa_pss_rsae_sha256,
// ecdsa_secp256r1_sha256, rsa_pss_rsae_sha384, ecdsa_secp384r1_sha384,
// rsa_pss_rsae_sha512, then rsa_pkcs1_sha256, _sha384, _sha512 in
// signature_algorithms, and only the ECDSA and rsa_pkcs1_* ones (what
// x509lite verifies) in signature_algorithms_cert, which the server parses.
func TestClientOffersPSS(t *testing.T) {
	ccfg, scfg := ecdheConfigs(t)
	var offered, offeredCert []SignatureScheme
	scfg.Trace = func(e Event) {
		if m, ok := e.Message.(*ClientHello); ok && e.Kind == EventMessage {
			offered, _ = m.SignatureSchemes()
			if data, ok := m.extension(ExtSignatureAlgsCert); ok {
				var s SignatureAlgorithms
				if err := s.Unmarshal(data); err != nil {
					t.Errorf("signature_algorithms_cert: %v", err)
				}
				offeredCert = s.Schemes
			}
		}
	}
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatalf("client %v / server %v", r.clientErr, r.serverErr)
	}
	want := []SignatureScheme{PSSWithSHA256, ECDSAWithP256AndSHA256, PSSWithSHA384, ECDSAWithP384AndSHA384, PSSWithSHA512, PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512}
	if !slices.Equal(offered, want) {
		t.Errorf("signature_algorithms %v, want %v", offered, want)
	}
	if want := []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512}; !slices.Equal(offeredCert, want) {
		t.Errorf("signature_algorithms_cert %v, want %v", offeredCert, want)
	}
	// A malformed signature_algorithms_cert is decode_error, like any
	// extension body minitls parses.
	hello := ClientHello{Version: VersionTLS12, CipherSuites: []CipherSuite{TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}, CompressionMethods: []uint8{0},
		Extensions: []Extension{{Type: ExtSignatureAlgsCert, Data: []byte{0, 3, 4, 1, 5}}}}
	b, err := hello.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := new(ClientHello).Unmarshal(b); err == nil {
		t.Error("a signature_algorithms_cert of odd length parsed")
	}
	hello.Extensions[0].Data = []byte{0, 2, 4, 1} // control: well formed
	if b, err = hello.Marshal(); err != nil {
		t.Fatal(err)
	}
	if err := new(ClientHello).Unmarshal(b); err != nil {
		t.Errorf("a well-formed signature_algorithms_cert: %v", err)
	}
}

// TestChooseSignatureSchemeKeySize: a PSS scheme is chosen only if every
// certificate key can sign with it: rsa_pss_rsae_sha512 needs
// 2·64 + 2 = 130 bytes of encoded message, more than a 1024-bit key has.
func TestChooseSignatureSchemeKeySize(t *testing.T) {
	std, err := stdrsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.NewPrivateKey(std.N.Bytes(), std.E, std.D.Bytes(), std.Primes[0].Bytes(), std.Primes[1].Bytes())
	if err != nil {
		t.Fatal(err)
	}
	f := testFixture(t)
	smallCfg := &Config{Certificates: []Certificate{f.cert, {PrivateKey: small}}}
	bigCfg := &Config{Certificates: []Certificate{f.cert}}
	for _, c := range []struct {
		cfg     *Config
		offered []SignatureScheme
		want    SignatureScheme
	}{
		{smallCfg, []SignatureScheme{PSSWithSHA512, PSSWithSHA384, PKCS1WithSHA256}, PSSWithSHA384},
		{smallCfg, []SignatureScheme{PSSWithSHA512, PKCS1WithSHA384}, PKCS1WithSHA384},
		{smallCfg, []SignatureScheme{PSSWithSHA512}, 0},
		{bigCfg, []SignatureScheme{PSSWithSHA512}, PSSWithSHA512},
		{bigCfg, []SignatureScheme{0x0403, 0x0807, PKCS1WithSHA1}, 0},
	} {
		if got := chooseSignatureScheme(c.cfg, c.offered); got != c.want {
			t.Errorf("%d keys, offered %v: chose %v, want %v", len(c.cfg.Certificates), c.offered, got, c.want)
		}
	}
	// The key really cannot: cipher/rsa refuses to sign.
	digest := make([]byte, 64)
	if _, err := signDigest(rand.Reader, small, PSSWithSHA512, digest); !errors.Is(err, rsa.ErrMessageTooLong) {
		t.Errorf("rsa_pss_rsae_sha512 with a 1024-bit key: %v, want ErrMessageTooLong", err)
	}
}

// TestPSSServerKeyExchangeHostile: the client checks a PSS-signed
// ServerKeyExchange under the scheme it names: relabelled as PKCS#1 v1.5,
// as PSS with another hash, or with a salt that is not the hash length, it
// is decrypt_error (the signature does not verify).
func TestPSSServerKeyExchangeHostile(t *testing.T) {
	const ske = 2
	for _, c := range []struct {
		name string
		edit func(*ServerKeyExchange)
	}{
		{"relabelled rsa_pkcs1_sha256", func(m *ServerKeyExchange) { m.SignatureAlgorithm = PKCS1WithSHA256 }},
		{"relabelled rsa_pss_rsae_sha384", func(m *ServerKeyExchange) { m.SignatureAlgorithm = PSSWithSHA384 }},
		{"last byte flipped", func(m *ServerKeyExchange) {
			m.Signature = bytes.Clone(m.Signature)
			m.Signature[len(m.Signature)-1] ^= 1
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := ecdheConfigs(t)
			scfg.testHookFlight = flightHook(0, editSKE(t, ske, c.edit))
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, true, record.DecryptError)
			if !errors.Is(r.clientErr, ErrBadSignature) {
				t.Errorf("client error %v is not ErrBadSignature", r.clientErr)
			}
		})
	}
	// The ServerKeyExchange re-signed with PSS and a salt of sLen bytes: a
	// 32-byte salt (the SHA-256 length) passes the signature check, which
	// shows the re-signing itself is right (the handshake then fails at
	// Finished, since the server hashed the message it first made); a
	// 20-byte one is valid RSASSA-PSS, but rsa_pss_rsae_* fixes the salt at
	// the hash length (rfc8446#4.2.3): decrypt_error at ServerKeyExchange.
	for _, sLen := range []int{32, 20} {
		t.Run(fmt.Sprintf("%d-byte salt", sLen), func(t *testing.T) {
			ccfg, scfg := ecdheConfigs(t)
			var clientRandom []byte
			scfg.Trace = func(e Event) {
				if m, ok := e.Message.(*ClientHello); ok && e.Kind == EventMessage {
					clientRandom = bytes.Clone(m.Random[:])
				}
			}
			scfg.testHookFlight = flightHook(0, func(f [][]byte) [][]byte {
				var sh ServerHello
				if err := sh.Unmarshal(f[0]); err != nil {
					t.Error(err)
					return f
				}
				return editSKE(t, ske, func(m *ServerKeyExchange) {
					h := signatureHash(m.SignatureAlgorithm)
					params, _ := m.Params()
					digest := signedParamsDigest(h, clientRandom, sh.Random[:], params)
					sig, err := rsa.SignPSS(rand.Reader, scfg.Certificates[0].PrivateKey, h, digest, &rsa.PSSOptions{SaltLength: sLen})
					if err != nil {
						t.Error(err)
					}
					m.Signature = sig
				})(f)
			})
			r := runPair(t, ccfg, scfg, 0, 0)
			var he *Error
			if !errors.As(r.clientErr, &he) {
				t.Fatalf("client: %v, want an *Error", r.clientErr)
			}
			if sLen == 32 {
				if errors.Is(r.clientErr, ErrBadSignature) || he.Phase == PhaseServerKeyExchange {
					t.Fatalf("re-signed with a 32-byte salt: %v, want a failure after ServerKeyExchange", r.clientErr)
				}
				return
			}
			checkAlert(t, r, true, record.DecryptError)
			if !errors.Is(r.clientErr, ErrBadSignature) || he.Phase != PhaseServerKeyExchange {
				t.Errorf("client: %v, want ErrBadSignature at ServerKeyExchange", r.clientErr)
			}
		})
	}
}

// TestPSSInteropStd: crypto/tls on both sides of PSS. A crypto/tls server
// whose certificate may only sign with rsa_pss_rsae_sha256 (or _sha512)
// is verified by the minitls client; a crypto/tls client (which lists PSS
// and PKCS#1 v1.5) gets a PSS-signed ServerKeyExchange from the minitls
// server and verifies it.
func TestPSSInteropStd(t *testing.T) {
	f := testFixture(t)
	for _, scheme := range []SignatureScheme{PSSWithSHA256, PSSWithSHA512} {
		t.Run("minitls client/crypto/tls server "+scheme.String(), func(t *testing.T) {
			cc, sc := tcpPair(t)
			cert := f.stdCert
			cert.SupportedSignatureAlgorithms = []tls.SignatureScheme{tls.SignatureScheme(scheme)}
			std := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12})
			var got SignatureScheme
			ours := Client(cc, &Config{RootCAs: f.roots, ServerName: "localhost", Time: testTime, Trace: skeScheme(&got)})
			checkECDHEPair(t, ours, std, uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), std.Handshake)
			if got != scheme {
				t.Errorf("crypto/tls signed with %v, want %v", got, scheme)
			}
			exchange(t, ours, std)
		})
	}
	t.Run("crypto/tls client/minitls server", func(t *testing.T) {
		cc, sc := tcpPair(t)
		std := tls.Client(cc, &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", MaxVersion: tls.VersionTLS12})
		var got SignatureScheme
		ours := Server(sc, &Config{Certificates: []Certificate{f.cert}, Trace: skeScheme(&got)})
		checkECDHEPair(t, ours, std, uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), std.Handshake)
		if got != PSSWithSHA256 {
			t.Errorf("minitls server signed with %v, want rsa_pss_rsae_sha256", got)
		}
		exchange(t, std, ours)
	})
}
