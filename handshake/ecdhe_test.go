package handshake

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"minitls/internal/impl"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"minitls/record"
)

// ecdheSuiteIDs are the ECDHE_RSA suites, for Config.CipherSuites.
var ecdheSuiteIDs = []uint16{uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), uint16(TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)}

// ecdheHandshakePhases is the phase sequence of a successful ECDHE
// handshake on both sides: the RSA one with ServerKeyExchange after
// Certificate.
var ecdheHandshakePhases = []Phase{
	PhaseClientHello, PhaseServerHello, PhaseServerCertificate, PhaseServerKeyExchange, PhaseServerHelloDone,
	PhaseClientKeyExchange, PhaseKeyDerivation, PhaseClientChangeCipherSpec, PhaseClientFinished,
	PhaseServerChangeCipherSpec, PhaseServerFinished, PhaseEstablished,
}

// ecdheConfigs is baseConfigs for the ECDHE story: the client offers only
// the ECDHE suites on the given curves (nil: both).
func ecdheConfigs(t *testing.T, curves ...CurveID) (client, server *Config) {
	c, s := baseConfigs(t)
	c.CipherSuites = ecdheSuiteIDs
	c.CurvePreferences = curves
	return c, s
}

var stdCurves = map[CurveID]tls.CurveID{CurveX25519: tls.X25519, CurveP256: tls.CurveP256}

// TestECDHEInteropStd: minitls against crypto/tls in both directions, both
// ECDHE suites, both groups: the handshake completes with the expected
// suite, the key logs agree (same master secret), the phases include
// ServerKeyExchange, and data flows both ways.
func TestECDHEInteropStd(t *testing.T) {
	f := testFixture(t)
	for _, suite := range ecdheSuiteIDs {
		for _, curve := range []CurveID{CurveX25519, CurveP256} {
			name := fmt.Sprintf("%s/%v", tls.CipherSuiteName(suite), curve)
			t.Run("minitls client/"+name, func(t *testing.T) {
				cc, sc := tcpPair(t)
				var ourLog, stdLog bytes.Buffer
				std := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{f.stdCert}, CipherSuites: []uint16{suite},
					MaxVersion: tls.VersionTLS12, CurvePreferences: []tls.CurveID{stdCurves[curve]}, KeyLogWriter: &stdLog})
				var phases []Phase
				ours := Client(cc, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: testTime, phaseLog: &phases, KeyLogWriter: &ourLog})
				checkECDHEPair(t, ours, std, suite, func() error { return std.Handshake() })
				checkECDHEOurs(t, ours, phases, &ourLog, &stdLog)
				exchange(t, ours, std)
			})
			t.Run("minitls server/"+name, func(t *testing.T) {
				cc, sc := tcpPair(t)
				var ourLog, stdLog bytes.Buffer
				std := tls.Client(cc, &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: []uint16{suite},
					MaxVersion: tls.VersionTLS12, CurvePreferences: []tls.CurveID{stdCurves[curve]}, KeyLogWriter: &stdLog})
				var phases []Phase
				ours := Server(sc, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, phaseLog: &phases, KeyLogWriter: &ourLog})
				checkECDHEPair(t, ours, std, suite, func() error { return std.Handshake() })
				checkECDHEOurs(t, ours, phases, &ourLog, &stdLog)
				exchange(t, std, ours)
			})
		}
	}
}

// checkECDHEOurs checks what the minitls side of an ECDHE handshake with
// crypto/tls must show: the extended master secret, the ECDHE phase
// sequence, and a key log line identical to crypto/tls's.
func checkECDHEOurs(t *testing.T, ours *Conn, phases []Phase, ourLog, stdLog *bytes.Buffer) {
	t.Helper()
	if !ours.ConnectionState().ExtendedMasterSecret {
		t.Error("no extended master secret")
	}
	if d := cmp.Diff(ecdheHandshakePhases, phases); d != "" {
		t.Errorf("phases (-want +got):\n%s", d)
	}
	if ourLog.String() != stdLog.String() || ourLog.Len() == 0 {
		t.Errorf("key logs differ:\nminitls    %q\ncrypto/tls %q", ourLog.String(), stdLog.String())
	}
}

func checkECDHEPair(t *testing.T, ours *Conn, std *tls.Conn, suite uint16, stdHandshake func() error) {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- stdHandshake() }()
	if err := ours.Handshake(); err != nil {
		t.Fatalf("minitls: %v (crypto/tls: %v)", err, <-errc)
	}
	if err := <-errc; err != nil {
		t.Fatalf("crypto/tls: %v", err)
	}
	if got, std := ours.ConnectionState().CipherSuite, std.ConnectionState().CipherSuite; got != suite || std != suite {
		t.Errorf("suite %#x / %#x, want %#x", got, std, suite)
	}
}

// TestECDHENegotiation: the server prefers ECDHE; without a shared group,
// or without a signature hash it can use, it falls back to RSA key
// transport when both allow it, else handshake_failure; the client's own
// order does not override the server's.
func TestECDHENegotiation(t *testing.T) {
	type tc struct {
		name      string
		client    func(*Config)
		server    func(*Config)
		wantSuite CipherSuite
		wantCurve CurveID
		wantAlert record.AlertDescription // when the handshake must fail (server detects)
	}
	cases := []tc{
		{name: "defaults: ECDHE first, x25519", wantSuite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, wantCurve: CurveX25519},
		{name: "client lists RSA first: server order wins", client: func(c *Config) {
			c.CipherSuites = append(append([]uint16{}, rsaSuiteIDs...), ecdheSuiteIDs...)
		}, wantSuite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, wantCurve: CurveX25519},
		{name: "P-256 only client", client: func(c *Config) { c.CurvePreferences = []CurveID{CurveP256} },
			wantSuite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, wantCurve: CurveP256},
		{name: "server prefers P-256", server: func(s *Config) { s.CurvePreferences = []CurveID{CurveP256, CurveX25519} },
			wantSuite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, wantCurve: CurveP256},
		{name: "server AES-256 ECDHE only", server: func(s *Config) { s.CipherSuites = ecdheSuiteIDs[1:] },
			wantSuite: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, wantCurve: CurveX25519},
		{name: "no shared group: RSA fallback", client: func(c *Config) { c.CurvePreferences = []CurveID{CurveP256} },
			server: func(s *Config) { s.CurvePreferences = []CurveID{CurveX25519} }, wantSuite: TLS_RSA_WITH_AES_128_GCM_SHA256},
		{name: "no supported_groups: RSA fallback", client: func(c *Config) {
			c.testEditClientHello = func(m *ClientHello) { m.Extensions = dropExt(m.Extensions, ExtSupportedGroups) }
		}, wantSuite: TLS_RSA_WITH_AES_128_GCM_SHA256},
		{name: "no usable signature scheme (ed25519, ecdsa_secp256r1_sha256): RSA fallback", client: func(c *Config) {
			c.testEditClientHello = func(m *ClientHello) {
				m.Extensions = setExt(m.Extensions, Extension{ExtSignatureAlgorithms, []byte{0, 4, 0x08, 0x07, 0x04, 0x03}})
			}
		}, wantSuite: TLS_RSA_WITH_AES_128_GCM_SHA256},
		{name: "no shared group, ECDHE only: handshake_failure", client: func(c *Config) {
			c.CurvePreferences = []CurveID{CurveP256}
			c.CipherSuites = ecdheSuiteIDs
		}, server: func(s *Config) { s.CurvePreferences = []CurveID{CurveX25519} }, wantAlert: record.HandshakeFailure},
		{name: "no shared group, server ECDHE only: handshake_failure", client: func(c *Config) {
			c.CurvePreferences = []CurveID{CurveP256}
		}, server: func(s *Config) {
			s.CurvePreferences = []CurveID{CurveX25519}
			s.CipherSuites = ecdheSuiteIDs
		}, wantAlert: record.HandshakeFailure},
		{name: "ec_point_formats without uncompressed: illegal_parameter", client: func(c *Config) {
			c.testEditClientHello = func(m *ClientHello) {
				m.Extensions = setExt(m.Extensions, Extension{ExtECPointFormats, []byte{1, 1}})
			}
		}, wantAlert: record.IllegalParameter},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			ccfg.CipherSuites = nil // both key exchanges
			var curve CurveID
			ccfg.Trace = func(e Event) {
				if m, ok := e.Message.(*ServerKeyExchange); ok && e.Kind == EventMessage {
					curve = m.NamedCurve
				}
			}
			if c.client != nil {
				c.client(ccfg)
			}
			if c.server != nil {
				c.server(scfg)
			}
			r := runPair(t, ccfg, scfg, 0, 0)
			if c.wantAlert != 0 {
				checkAlert(t, r, false, c.wantAlert)
				if c.wantAlert == record.HandshakeFailure && !errors.Is(r.serverErr, ErrNoCommonGroup) {
					t.Errorf("server error %v is not ErrNoCommonGroup", r.serverErr)
				}
				return
			}
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("client %v / server %v", r.clientErr, r.serverErr)
			}
			if got := CipherSuite(r.client.ConnectionState().CipherSuite); got != c.wantSuite {
				t.Errorf("suite %v, want %v", got, c.wantSuite)
			}
			if curve != c.wantCurve {
				t.Errorf("group %v, want %v", curve, c.wantCurve)
			}
			exchange(t, r.client, r.server)
		})
	}
}

// editSKE parses the ServerKeyExchange at index i of a flight, edits it and
// re-marshals it (without re-signing: checks before the signature must
// catch the change first).
func editSKE(t *testing.T, i int, edit func(*ServerKeyExchange)) func([][]byte) [][]byte {
	return editMsg(t, i, edit)
}

// editECDHECKE is editMsg for the ECDHE ClientKeyExchange (ParseMessage
// returns the RSA body for that msg_type).
func editECDHECKE(t *testing.T, edit func(*ECDHEClientKeyExchange)) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte {
		var m ECDHEClientKeyExchange
		if err := m.Unmarshal(f[0]); err != nil {
			t.Errorf("editECDHECKE: %v", err)
			return f
		}
		edit(&m)
		b, err := m.Marshal()
		if err != nil {
			t.Errorf("editECDHECKE: %v", err)
			return f
		}
		f[0] = b
		return f
	}
}

// offCurveP256 is an uncompressed encoding of a point that is not on P-256
// (the generator with y+1).
func offCurveP256() []byte {
	g, _ := hex.DecodeString("046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")
	g[64] ^= 1
	return g
}

// lowOrderX25519 are public values whose product with any scalar is the
// all-zero point (the identity and a point of order 8), so X25519 yields
// zeros. spec: rfc7748#6.1
var lowOrderX25519 = map[string][]byte{
	"zero":    make([]byte, 32),
	"order 8": mustHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestECDHEHostile mangles the ServerKeyExchange and the ECDHE
// ClientKeyExchange and asserts the alert each side sends and receives and
// the phase that failed.
func TestECDHEHostile(t *testing.T) {
	type tc struct {
		name          string
		curves        []CurveID // client's groups (nil: both)
		serverCurves  []CurveID
		clientMangles bool
		flight        int
		op            func([][]byte) [][]byte
		want          record.AlertDescription
		phase         Phase
		cause         error
	}
	const ske = 2 // ServerHello, Certificate, ServerKeyExchange, ServerHelloDone
	cases := []tc{
		// spec: rfc8422#5.2 the server's ec_point_formats must list uncompressed.
		{name: "ServerHello/ec_point_formats without uncompressed", flight: 0, op: editMsg(t, 0, func(m *ServerHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtECPointFormats, []byte{1, 1}})
		}), want: record.IllegalParameter, phase: PhaseServerHello, cause: ErrIllegalParameter},
		// spec: rfc5246#7.2.2 decrypt_error, "unable to correctly verify a signature"
		{name: "ServerKeyExchange/bad signature", flight: 0, op: flipByte(ske, -1), want: record.DecryptError, phase: PhaseServerKeyExchange, cause: ErrBadSignature},
		{name: "ServerKeyExchange/altered point, signature kept", flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.PublicKey = bytes.Clone(m.PublicKey)
			m.PublicKey[5] ^= 1
		}), want: record.DecryptError, phase: PhaseServerKeyExchange, cause: ErrBadSignature},
		{name: "ServerKeyExchange/signature by another key", flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.Signature = bytes.Repeat([]byte{0x42}, len(m.Signature))
		}), want: record.DecryptError, phase: PhaseServerKeyExchange, cause: ErrBadSignature},
		// A group the client did not offer. spec: rfc8422#5.4, rfc5246#7.2.2
		{name: "ServerKeyExchange/wrong curve", curves: []CurveID{CurveX25519}, flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.NamedCurve = CurveP256
		}), want: record.IllegalParameter, phase: PhaseServerKeyExchange, cause: ErrIllegalParameter},
		{name: "ServerKeyExchange/unoffered secp521r1", flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.NamedCurve = 25
		}), want: record.IllegalParameter, phase: PhaseServerKeyExchange, cause: ErrIllegalParameter},
		// spec: rfc8422#5.4 (explicit curves MUST NOT be used)
		{name: "ServerKeyExchange/explicit_prime curve", flight: 0, op: func(f [][]byte) [][]byte {
			f[ske][4] = 1
			return f
		}, want: record.IllegalParameter, phase: PhaseServerKeyExchange},
		// spec: rfc8422#5.11, rfc7748#5
		{name: "ServerKeyExchange/x25519 point of 31 bytes", curves: []CurveID{CurveX25519}, flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.PublicKey = m.PublicKey[:31]
		}), want: record.IllegalParameter, phase: PhaseServerKeyExchange, cause: ErrInvalidPublicKey},
		{name: "ServerKeyExchange/P-256 point of 64 bytes", curves: []CurveID{CurveP256}, flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.PublicKey = m.PublicKey[1:]
		}), want: record.IllegalParameter, phase: PhaseServerKeyExchange, cause: ErrInvalidPublicKey},
		{name: "ServerKeyExchange/P-256 point off the curve", curves: []CurveID{CurveP256}, flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.PublicKey = offCurveP256()
		}), want: record.IllegalParameter, phase: PhaseServerKeyExchange, cause: ErrInvalidPublicKey},
		// spec: rfc8422#5.4.1 (uncompressed only)
		{name: "ServerKeyExchange/P-256 compressed point", curves: []CurveID{CurveP256}, flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.PublicKey = append([]byte{2 + m.PublicKey[64]&1}, m.PublicKey[1:33]...)
		}), want: record.IllegalParameter, phase: PhaseServerKeyExchange, cause: ErrInvalidPublicKey},
		// The signature covers the point, so a forged zero point fails the
		// signature first; the all-zero rule is tested on the server side
		// below and in TestX25519AllZero.
		{name: "ServerKeyExchange/all-zero x25519 point", curves: []CurveID{CurveX25519}, flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.PublicKey = make([]byte, 32)
		}), want: record.DecryptError, phase: PhaseServerKeyExchange, cause: ErrBadSignature},
		// spec: rfc5246#7.4.3 (a scheme the client offered)
		{name: "ServerKeyExchange/signature scheme not offered", flight: 0, op: editSKE(t, ske, func(m *ServerKeyExchange) {
			m.SignatureAlgorithm = PKCS1WithSHA1
		}), want: record.IllegalParameter, phase: PhaseServerKeyExchange, cause: ErrIllegalParameter},
		{name: "ServerKeyExchange/truncated", flight: 0, op: truncateMsg(ske), want: record.DecodeError, phase: PhaseServerKeyExchange},
		{name: "ServerKeyExchange/trailing", flight: 0, op: trailingMsg(ske), want: record.DecodeError, phase: PhaseServerKeyExchange},
		// spec: rfc5246#7.4 order, rfc5246#7.2.2 unexpected_message
		{name: "ServerKeyExchange/missing", flight: 0, op: func(f [][]byte) [][]byte {
			return append(f[:ske:ske], f[ske+1:]...)
		}, want: record.UnexpectedMessage, phase: PhaseServerKeyExchange, cause: ErrUnexpectedMessage},
		{name: "ServerKeyExchange/duplicated", flight: 0, op: duplicateMsg(ske), want: record.UnexpectedMessage, phase: PhaseServerHelloDone, cause: ErrUnexpectedMessage},
		{name: "ServerKeyExchange/before Certificate", flight: 0, op: swapMsgs(1, ske), want: record.UnexpectedMessage, phase: PhaseServerCertificate, cause: ErrUnexpectedMessage},
		{name: "ServerKeyExchange/after ServerHelloDone", flight: 0, op: swapMsgs(ske, ske+1), want: record.UnexpectedMessage, phase: PhaseServerKeyExchange, cause: ErrUnexpectedMessage},
		// The ECDHE ClientKeyExchange. spec: rfc8422#5.11, rfc7748#6.1
		{name: "ClientKeyExchange/x25519 point of 33 bytes", clientMangles: true, curves: []CurveID{CurveX25519}, flight: 1, op: editECDHECKE(t, func(m *ECDHEClientKeyExchange) {
			m.PublicKey = append(m.PublicKey, 0)
		}), want: record.IllegalParameter, phase: PhaseClientKeyExchange, cause: ErrInvalidPublicKey},
		{name: "ClientKeyExchange/all-zero x25519 point", clientMangles: true, curves: []CurveID{CurveX25519}, flight: 1, op: editECDHECKE(t, func(m *ECDHEClientKeyExchange) {
			m.PublicKey = lowOrderX25519["zero"]
		}), want: record.IllegalParameter, phase: PhaseClientKeyExchange, cause: ErrInvalidPublicKey},
		{name: "ClientKeyExchange/x25519 point of order 8", clientMangles: true, curves: []CurveID{CurveX25519}, flight: 1, op: editECDHECKE(t, func(m *ECDHEClientKeyExchange) {
			m.PublicKey = lowOrderX25519["order 8"]
		}), want: record.IllegalParameter, phase: PhaseClientKeyExchange, cause: ErrInvalidPublicKey},
		{name: "ClientKeyExchange/P-256 point off the curve", clientMangles: true, curves: []CurveID{CurveP256}, flight: 1, op: editECDHECKE(t, func(m *ECDHEClientKeyExchange) {
			m.PublicKey = offCurveP256()
		}), want: record.IllegalParameter, phase: PhaseClientKeyExchange, cause: ErrInvalidPublicKey},
		{name: "ClientKeyExchange/P-256 x25519-sized point", clientMangles: true, curves: []CurveID{CurveP256}, flight: 1, op: editECDHECKE(t, func(m *ECDHEClientKeyExchange) {
			m.PublicKey = m.PublicKey[:32]
		}), want: record.IllegalParameter, phase: PhaseClientKeyExchange, cause: ErrInvalidPublicKey},
		{name: "ClientKeyExchange/empty point", clientMangles: true, flight: 1, op: func(f [][]byte) [][]byte {
			f[0] = []byte{byte(TypeClientKeyExchange), 0, 0, 1, 0}
			return f
		}, want: record.DecodeError, phase: PhaseClientKeyExchange},
		{name: "ClientKeyExchange/truncated", clientMangles: true, flight: 1, op: truncateMsg(0), want: record.DecodeError, phase: PhaseClientKeyExchange},
		{name: "ClientKeyExchange/trailing", clientMangles: true, flight: 1, op: trailingMsg(0), want: record.DecodeError, phase: PhaseClientKeyExchange},
		{name: "ClientKeyExchange/RSA body", clientMangles: true, flight: 1, op: func(f [][]byte) [][]byte {
			b, _ := (&ClientKeyExchange{EncryptedPreMasterSecret: make([]byte, 256)}).Marshal()
			f[0] = b
			return f
		}, want: record.DecodeError, phase: PhaseClientKeyExchange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := ecdheConfigs(t, c.curves...)
			scfg.CurvePreferences = c.serverCurves
			mangler := scfg
			if c.clientMangles {
				mangler = ccfg
			}
			mangler.testHookFlight = flightHook(c.flight, c.op)
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, !c.clientMangles, c.want)
			detErr := r.serverErr
			if !c.clientMangles {
				detErr = r.clientErr
			}
			var he *Error
			errors.As(detErr, &he)
			if he.Phase != c.phase {
				t.Errorf("failed in phase %v, want %v (%v)", he.Phase, c.phase, detErr)
			}
			if c.cause != nil && !errors.Is(detErr, c.cause) {
				t.Errorf("error %v is not %v", detErr, c.cause)
			}
		})
	}
}

// TestECDHEClientSendsNothingKeyedBeforeSignature: when the signature
// fails, the client's only bytes after its ClientHello are the alert: no
// ClientKeyExchange, no ChangeCipherSpec.
func TestECDHEClientSendsNothingKeyedBeforeSignature(t *testing.T) {
	ccfg, scfg := ecdheConfigs(t)
	scfg.testHookFlight = flightHook(0, flipByte(2, -1))
	var sent []string
	ccfg.Trace = func(e Event) {
		if e.Kind == EventRecord && e.Sent {
			sent = append(sent, e.Record.Type.String())
		}
	}
	r := runPair(t, ccfg, scfg, 0, 0)
	checkAlert(t, r, true, record.DecryptError)
	if d := cmp.Diff([]string{record.Handshake.String(), record.Alert.String()}, sent); d != "" {
		t.Errorf("records the client sent (-want +got):\n%s", d)
	}
}

// TestServerParamsProofRequired: the ECDHE key exchange refuses to run on
// a zero serverParamsVerified (one not made by verifyServerKeyExchange).
func TestServerParamsProofRequired(t *testing.T) {
	hs := &clientState{c: newConn(nil, &Config{}, true)}
	err := hs.sendECDHEClientKeyExchange(chainVerified{}, serverParamsVerified{})
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("got %v, want a refusal", err)
	}
}

// TestX25519Vector: Alice's public value and the shared secret K match
// the example of rfc7748#6.1.
func TestX25519Vector(t *testing.T) {
	alicePriv := mustHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
	alicePub := mustHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
	bobPub := mustHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
	k, err := generateECDHE(bytes.NewReader(alicePriv), CurveX25519)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.public, alicePub) {
		t.Fatalf("public %x, want %x", k.public, alicePub)
	}
	z, err := k.sharedSecret(bobPub)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hex.EncodeToString(z), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"; got != want {
		t.Fatalf("K = %s, want %s", got, want)
	}
}

// TestP256AgainstStdlib: minitls's P-256 agreement gives crypto/ecdh's
// shared secret, with the keys from either side.
func TestP256AgainstStdlib(t *testing.T) {
	for i := 0; i < 20; i++ {
		ours, err := generateECDHE(rand.Reader, CurveP256)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := ecdh.P256().GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		z, err := ours.sharedSecret(theirs.PublicKey().Bytes())
		if err != nil {
			t.Fatal(err)
		}
		peer, err := ecdh.P256().NewPublicKey(ours.public)
		if err != nil {
			t.Fatal(err)
		}
		want, err := theirs.ECDH(peer)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(z, want) || len(z) != 32 {
			t.Fatalf("shared secret %x, crypto/ecdh %x", z, want)
		}
	}
}

// TestX25519AllZero: every low-order public value is refused with
// ErrInvalidPublicKey, whatever our scalar. spec: rfc7748#6.1
func TestX25519AllZero(t *testing.T) {
	for name, p := range lowOrderX25519 {
		k, err := generateECDHE(rand.Reader, CurveX25519)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.sharedSecret(p); !errors.Is(err, ErrInvalidPublicKey) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

// genECDHEMessage draws a valid ServerKeyExchange or ECDHE
// ClientKeyExchange.
func genECDHEMessage(t *rapid.T) Message {
	if rapid.Bool().Draw(t, "ske") {
		return &ServerKeyExchange{
			NamedCurve:         CurveID(rapid.Uint16().Draw(t, "curve")),
			PublicKey:          genBytes(1, 255).Draw(t, "point"),
			SignatureAlgorithm: SignatureScheme(rapid.Uint16().Draw(t, "sigalg")),
			Signature:          genBytes(0, 600).Draw(t, "sig"),
		}
	}
	return &ECDHEClientKeyExchange{PublicKey: genBytes(1, 255).Draw(t, "point")}
}

func newECDHEMessage(m Message) Message {
	if _, ok := m.(*ServerKeyExchange); ok {
		return new(ServerKeyExchange)
	}
	return new(ECDHEClientKeyExchange)
}

// ecdheIgnoreRaw compares the ECDHE messages by their fields only.
var ecdheIgnoreRaw = cmp.Options{
	cmpopts.IgnoreFields(ServerKeyExchange{}, "Raw"),
	cmpopts.IgnoreFields(ECDHEClientKeyExchange{}, "Raw"),
}

// TestECDHEMessageRoundTrip: the properties of TestMessageRoundTrip for
// the two ECDHE messages, and Params is exactly the signed prefix.
func TestECDHEMessageRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genECDHEMessage(t)
		wire, err := m.Marshal()
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", m, err)
		}
		got := newECDHEMessage(m)
		if err := got.Unmarshal(wire); err != nil {
			t.Fatalf("Unmarshal(Marshal(%T)): %v\n%x", m, err, wire)
		}
		if d := cmp.Diff(m, got, ecdheIgnoreRaw); d != "" {
			t.Fatalf("round trip changed the message (-want +got):\n%s", d)
		}
		again, err := got.Marshal()
		if err != nil || !bytes.Equal(again, wire) {
			t.Fatalf("re-marshal differs: %v", err)
		}
		for i := 0; i < len(wire); i++ {
			if newECDHEMessage(m).Unmarshal(wire[:i]) == nil {
				t.Fatalf("%T: proper prefix of %d/%d bytes parsed", m, i, len(wire))
			}
		}
		if newECDHEMessage(m).Unmarshal(append(bytes.Clone(wire), 0)) == nil {
			t.Fatalf("%T: trailing byte accepted", m)
		}
		checkFields(t, got, wire)
		checkFields(t, m, wire)
		if ske, ok := got.(*ServerKeyExchange); ok {
			p1, _ := ske.Params()
			p2, _ := m.(*ServerKeyExchange).Params()
			if !bytes.Equal(p1, p2) || !bytes.Equal(p1, wire[4:4+len(p1)]) || len(p1) != 4+len(ske.PublicKey) {
				t.Fatalf("Params %x / %x not the signed prefix of %x", p1, p2, wire)
			}
		}
	})
}

// TestECDHEUnmarshalArbitraryFixedPoint: whatever bytes the ECDHE parsers
// accept re-marshal to exactly those bytes; rejections are *ParseErrors.
func TestECDHEUnmarshalArbitraryFixedPoint(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genECDHEMessage(t)
		wire, _ := m.Marshal()
		for i, n := 0, rapid.IntRange(0, 4).Draw(t, "nflips"); i < n; i++ {
			pos := rapid.IntRange(0, len(wire)-1).Draw(t, "pos")
			wire[pos] = rapid.Byte().Draw(t, "val")
		}
		got := newECDHEMessage(m)
		if err := got.Unmarshal(wire); err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason == "" {
				t.Fatalf("error is not a *ParseError with a reason: %v", err)
			}
			return
		}
		again, err := got.Marshal()
		if err != nil || !bytes.Equal(again, wire) {
			t.Fatalf("accepted bytes re-marshal differently: %v", err)
		}
	})
}

// TestECDHEExtensionBodies: supported_groups and ec_point_formats round
// trip, and their RFC bounds are enforced.
func TestECDHEExtensionBodies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "n")
		g := &SupportedGroups{Groups: make([]CurveID, n)}
		for i := range g.Groups {
			g.Groups[i] = CurveID(rapid.Uint16().Draw(t, "g"))
		}
		b, err := g.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var g2 SupportedGroups
		if err := g2.Unmarshal(b); err != nil || !slicesEqual(g.Groups, g2.Groups) {
			t.Fatalf("supported_groups %v → %v (%v)", g.Groups, g2.Groups, err)
		}
		p := &ECPointFormats{Formats: genBytes(1, 10).Draw(t, "f")}
		b, err = p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var p2 ECPointFormats
		if err := p2.Unmarshal(b); err != nil || !bytes.Equal(p.Formats, p2.Formats) {
			t.Fatalf("ec_point_formats %v → %v (%v)", p.Formats, p2.Formats, err)
		}
	})
	for name, c := range map[string]struct {
		body []byte
		into interface{ Unmarshal([]byte) error }
		want string
	}{
		"groups empty list":   {[]byte{0, 0}, new(SupportedGroups), "outside"},
		"groups odd length":   {[]byte{0, 3, 0, 29, 0}, new(SupportedGroups), "odd"},
		"groups trailing":     {[]byte{0, 2, 0, 29, 0}, new(SupportedGroups), "trailing"},
		"formats empty list":  {[]byte{0}, new(ECPointFormats), "outside"},
		"formats short":       {[]byte{3, 0}, new(ECPointFormats), "only"},
		"formats no length":   {[]byte{}, new(ECPointFormats), "need"},
		"groups no length":    {[]byte{0}, new(SupportedGroups), "need"},
		"groups lying length": {[]byte{0, 8, 0, 29}, new(SupportedGroups), "only"},
	} {
		err := c.into.Unmarshal(c.body)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Reason, c.want) {
			t.Errorf("%s: got %v, want a ParseError about %q", name, err, c.want)
		}
	}
	if _, err := (&SupportedGroups{}).Marshal(); err == nil {
		t.Error("empty supported_groups marshalled")
	}
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestECDHENames: the new enums print their RFC names, unknowns in hex.
func TestECDHENames(t *testing.T) {
	for v, want := range map[fmt.Stringer]string{
		CurveX25519:                           "x25519",
		CurveP256:                             "secp256r1",
		CurveID(0x1234):                       "0x1234",
		CurveID(0x2a2a):                       "GREASE(0x2a2a)",
		TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
		TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
		PhaseServerKeyExchange:                "ServerKeyExchange",
	} {
		if got := v.String(); got != want {
			t.Errorf("%#v: %q, want %q", v, got, want)
		}
	}
	// ECDHE first, ECDHE_ECDSA before ECDHE_RSA; ChaCha20-Poly1305 after
	// AES-GCM when this CPU has AES instructions, before it otherwise
	// (TestSuitesForCPU).
	aesGCM := append(append([]uint16{}, ecdsaSuiteIDs...), ecdheSuiteIDs...)
	chacha := []uint16{ecdsaChaChaID, chachaID}
	ecdhe := append(aesGCM, chacha...)
	if impl.Best() == impl.Portable {
		ecdhe = append(chacha, aesGCM...)
	}
	if got, want := DefaultCipherSuites(), append(ecdhe, rsaSuiteIDs...); !slicesEqual(got, want) {
		t.Errorf("DefaultCipherSuites %x, want ECDHE first %x", got, want)
	}
}

// TestECDHEWithoutEMS: the ECDHE key schedule without the extended master
// secret (master secret over the randoms) agrees with crypto/tls's.
func TestECDHEWithoutEMS(t *testing.T) {
	f := testFixture(t)
	cc, sc := tcpPair(t)
	var ourLog, stdLog bytes.Buffer
	std := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{f.stdCert}, CipherSuites: []uint16{ecdheSuiteIDs[1]},
		MaxVersion: tls.VersionTLS12, KeyLogWriter: &stdLog})
	ours := Client(cc, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: testTime, disableEMS: true, KeyLogWriter: &ourLog})
	checkECDHEPair(t, ours, std, ecdheSuiteIDs[1], func() error { return std.Handshake() })
	if ours.ConnectionState().ExtendedMasterSecret {
		t.Error("EMS used although disabled")
	}
	if ourLog.String() != stdLog.String() || ourLog.Len() == 0 {
		t.Errorf("key logs differ:\nminitls    %q\ncrypto/tls %q", ourLog.String(), stdLog.String())
	}
	exchange(t, ours, std)
}

// TestECDHEConfigWithoutCurves: an empty CurvePreferences disables ECDHE;
// with only ECDHE suites enabled that is a configuration error, said so.
func TestECDHEConfigWithoutCurves(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	ccfg.CipherSuites = nil
	ccfg.CurvePreferences = []CurveID{}
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil || CipherSuite(r.client.ConnectionState().CipherSuite) != TLS_RSA_WITH_AES_128_GCM_SHA256 {
		t.Fatalf("no curves: %v / %v, suite %#x; want RSA key transport", r.clientErr, r.serverErr, r.client.ConnectionState().CipherSuite)
	}
	ccfg, _ = ecdheConfigs(t)
	ccfg.CurvePreferences = []CurveID{0x1234}
	cc, _ := tcpPair(t)
	err := Client(cc, ccfg).Handshake()
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "CurvePreferences") {
		t.Fatalf("ECDHE only, no usable curve: %v", err)
	}
}

// replayConn is a net.Conn that reads recorded bytes and discards writes.
type replayConn struct {
	net.Conn // nil: only the methods below are used
	r        *bytes.Reader
}

func (c *replayConn) Read(b []byte) (int, error)       { return c.r.Read(b) }
func (c *replayConn) Write(b []byte) (int, error)      { return len(b), nil }
func (c *replayConn) Close() error                     { return nil }
func (c *replayConn) SetDeadline(time.Time) error      { return nil }
func (c *replayConn) SetReadDeadline(time.Time) error  { return nil }
func (c *replayConn) SetWriteDeadline(time.Time) error { return nil }
func (c *replayConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *replayConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }

// TestECDHEClientMangledServerBytes replays the golden ECDHE server stream
// to a client with the golden seed (control: the handshake completes), then
// with a few bytes of the server's plaintext flight changed: every outcome
// is success or an *Error whose alert is a protocol alert, never
// internal_error (which would mean the client failed itself) and never a
// panic. The client-side counterpart of FuzzServerHandshake's ECDHE seed.
func TestECDHEClientMangledServerBytes(t *testing.T) {
	f := testFixture(t)
	text, err := os.ReadFile(filepath.Join("testdata", "golden", "ecdhe-x25519-aes128-ems.txt"))
	if err != nil {
		t.Fatal(err)
	}
	_, sb, err := parseGolden(string(text))
	if err != nil {
		t.Fatal(err)
	}
	client := func(b []byte) error {
		return Client(&replayConn{r: bytes.NewReader(b)}, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost",
			Time: goldenTime, Rand: NewDeterministicRand(goldenClientSeed),
			CipherSuites: []uint16{uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}}).Handshake()
	}
	if err := client(sb); err != nil {
		t.Fatalf("control: the golden server stream does not replay: %v", err)
	}
	flight := 5 + int(sb[3])<<8 | int(sb[4]) // the server's first record
	rapid.Check(t, func(rt *rapid.T) {
		b := bytes.Clone(sb)
		for i, n := 0, rapid.IntRange(1, 3).Draw(rt, "n"); i < n; i++ {
			pos := rapid.IntRange(0, flight-1).Draw(rt, "pos")
			b[pos] = rapid.Byte().Draw(rt, "val")
		}
		err := client(b)
		if err == nil {
			return
		}
		var he *Error
		if !errors.As(err, &he) {
			rt.Fatalf("not an *Error: %v", err)
		}
		if he.Sent && he.Alert == record.InternalError {
			rt.Fatalf("internal_error on a mangled server flight: %v", err)
		}
	})
}

// TestPointFormatsOnlyMatterForECDHE: a client whose ec_point_formats lacks
// uncompressed gets illegal_parameter only when ECDHE could be chosen; a
// server (or an offer) without ECDHE suites just goes on with RSA.
func TestPointFormatsOnlyMatterForECDHE(t *testing.T) {
	for _, serverECDHE := range []bool{false, true} {
		ccfg, scfg := baseConfigs(t)
		ccfg.CipherSuites = nil
		ccfg.testEditClientHello = func(m *ClientHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtECPointFormats, []byte{1, 1}})
		}
		if !serverECDHE {
			scfg.CipherSuites = rsaSuiteIDs
		}
		r := runPair(t, ccfg, scfg, 0, 0)
		if serverECDHE {
			checkAlert(t, r, false, record.IllegalParameter)
			continue
		}
		if r.clientErr != nil || r.serverErr != nil {
			t.Errorf("RSA-only server: %v / %v", r.clientErr, r.serverErr)
		}
	}
}

// TestECDHEKeyUsageDigitalSignature: with ECDHE_RSA the certificate key
// signs the ServerKeyExchange, so a leaf whose keyUsage allows only
// keyEncipherment is refused with unsupported_certificate (rfc5246#7.4.2);
// the same leaf still serves RSA key transport. The leaf is made here with
// crypto/x509 (a test oracle), from server.pem's fields, signed by the test CA.
func TestECDHEKeyUsageDigitalSignature(t *testing.T) {
	encOnly := caSignedLeaf(t, func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment })
	ccfg, scfg := ecdheConfigs(t)
	scfg.Certificates = []Certificate{encOnly}
	r := runPair(t, ccfg, scfg, 0, 0)
	checkAlert(t, r, true, record.UnsupportedCertificate)
	if !errors.Is(r.clientErr, ErrUnsupportedCertificate) {
		t.Errorf("client error %v is not ErrUnsupportedCertificate", r.clientErr)
	}
	ccfg, scfg = baseConfigs(t)
	scfg.Certificates = []Certificate{encOnly}
	if r := runPair(t, ccfg, scfg, 0, 0); r.clientErr != nil || r.serverErr != nil {
		t.Errorf("RSA key transport with a keyEncipherment leaf: client %v, server %v", r.clientErr, r.serverErr)
	}
}

// caSignedLeaf returns a Certificate for server-key.pem's key, made with
// crypto/x509 (a test oracle) from server.pem's fields as changed by edit
// and signed by the test CA.
func caSignedLeaf(t *testing.T, edit func(*x509.Certificate)) Certificate {
	t.Helper()
	f := testFixture(t)
	ca, err := tls.X509KeyPair(f.caPEM, readTestdata(t, "ca-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(ca.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := x509.ParseCertificate(f.stdCert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	edit(tmpl)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, tmpl.PublicKey, ca.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := X509KeyPair(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), f.keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
