package fuzz

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"minitls/handshake"
	"minitls/record"
)

// messageKinds13 are the TLS 1.3 messages and extension bodies that
// FuzzTLS13Messages unmarshals into (the first input byte picks one).
// Append only: seeds name kinds by index.
var messageKinds13 = []messageKind{
	{"EncryptedExtensions", true, func() unmarshaler { return new(handshake.EncryptedExtensions) }},
	{"Certificate(TLS 1.3)", true, func() unmarshaler { return new(handshake.Certificate13) }},
	{"Finished(TLS 1.3)", true, func() unmarshaler { return new(handshake.Finished13) }},
	{"NewSessionTicket(TLS 1.3)", true, func() unmarshaler { return new(handshake.NewSessionTicket13) }},
	{"KeyUpdate", true, func() unmarshaler { return new(handshake.KeyUpdate) }},
	{"key_share(ClientHello)", false, func() unmarshaler { return new(handshake.KeyShareClientHello) }},
	{"key_share(ServerHello)", false, func() unmarshaler { return new(handshake.KeyShareServerHello) }},
	{"key_share(HelloRetryRequest)", false, func() unmarshaler { return new(handshake.KeyShareHelloRetryRequest) }},
	{"supported_versions(ServerHello)", false, func() unmarshaler { return new(handshake.SelectedVersion) }},
	{"psk_key_exchange_modes", false, func() unmarshaler { return new(handshake.PSKKeyExchangeModes) }},
	{"cookie", false, func() unmarshaler { return new(handshake.Cookie) }},
	{"pre_shared_key(ClientHello)", false, func() unmarshaler { return new(handshake.OfferedPSKs) }},
	{"pre_shared_key(ServerHello)", false, func() unmarshaler { return new(handshake.SelectedIdentity) }},
}

// FuzzTLS13Messages checks the TLS 1.3 message and extension parsers with
// the properties of FuzzHandshakeMessages: what Unmarshal accepts marshals
// back to the same bytes from its fields, a second parse equals the first,
// a message's Fields tile it; a rejection is a *handshake.ParseError with a
// reason. Never a panic.
//
// spec: rfc8446#4, rfc8446#4.2
func FuzzTLS13Messages(f *testing.F) {
	f.Add([]byte{0, 8, 0, 0, 2, 0, 0})
	f.Add([]byte{1, 11, 0, 0, 9, 0, 0, 0, 5, 0, 0, 1, 0x30, 0, 0})
	f.Add(append([]byte{2, 20, 0, 0, 32}, make([]byte, 32)...))
	f.Add([]byte{3, 4, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 2, 1, 7, 0, 1, 0xaa, 0, 0})
	f.Add([]byte{4, 24, 0, 0, 1, 1})
	f.Add(append([]byte{5, 0, 36, 0, 29, 0, 32}, make([]byte, 32)...))
	f.Add([]byte{7, 0, 23})
	f.Add([]byte{8, 3, 4})
	f.Add([]byte{9, 1, 1})
	f.Add([]byte{10, 0, 2, 1, 2})
	f.Add(append([]byte{11, 0, 9, 0, 3, 1, 2, 3, 0, 0, 0, 0, 0, 33, 32}, make([]byte, 32)...))
	f.Add([]byte{12, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		kind, body := messageKinds13[int(data[0])%len(messageKinds13)], data[1:]
		v := kind.new()
		if err := v.Unmarshal(body); err != nil {
			var pe *handshake.ParseError
			if !errors.As(err, &pe) || pe.Reason == "" {
				t.Fatalf("%s: rejection without a *ParseError reason: %v", kind.name, err)
			}
			return
		}
		clearRaw(v)
		out, err := v.Marshal()
		if err != nil || !bytes.Equal(out, body) {
			t.Fatalf("%s re-marshals differently (%v):\n got %x\nwant %x", kind.name, err, out, body)
		}
		v2 := kind.new()
		if err := v2.Unmarshal(out); err != nil {
			t.Fatalf("%s: re-marshalled bytes do not parse: %v", kind.name, err)
		}
		clearRaw(v2)
		if d := cmp.Diff(v, v2); d != "" {
			t.Fatalf("%s: unmarshal→marshal→unmarshal is not a fixed point:\n%s", kind.name, d)
		}
		if kind.message {
			m := v.(handshake.Message)
			if m.Type() != handshake.HandshakeType(body[0]) {
				t.Fatalf("%s accepted msg_type %d, its Type is %v", kind.name, body[0], m.Type())
			}
			if err := v.Unmarshal(body); err != nil {
				t.Fatal(err)
			}
			checkTiling(t, m.Fields(), len(body))
		}
	})
}

// tls13Scenario is a client and server configuration whose golden
// transcript (handshake/testdata/golden/<name>.txt) replays to the other
// side: the fuzz targets below start from those byte streams, so mutations
// reach every state of the TLS 1.3 handshake behind the encryption.
type tls13Scenario struct {
	name                       string
	suite                      handshake.CipherSuite
	clientGroups, serverGroups []handshake.CurveID
}

// tls13Scenarios are the scenarios of handshake's TestGoldenTranscripts13.
// Append only: the fuzz inputs pick one by index.
var tls13Scenarios = []tls13Scenario{
	{"tls13-aes128-x25519", handshake.TLS_AES_128_GCM_SHA256, []handshake.CurveID{handshake.CurveX25519}, nil},
	{"tls13-aes256-p256", handshake.TLS_AES_256_GCM_SHA384, []handshake.CurveID{handshake.CurveP256}, nil},
	{"tls13-hrr-p256", handshake.TLS_AES_128_GCM_SHA256, []handshake.CurveID{handshake.CurveX25519, handshake.CurveP256}, []handshake.CurveID{handshake.CurveP256}},
}

func (s tls13Scenario) client() *handshake.Config {
	return &handshake.Config{RootCAs: hsRoots, ServerName: "localhost", Time: goldenTime, Rand: handshake.NewDeterministicRand(goldenClientSeed),
		CipherSuites: []uint16{uint16(s.suite)}, CurvePreferences: s.clientGroups}
}

func (s tls13Scenario) server() *handshake.Config {
	return &handshake.Config{Certificates: []handshake.Certificate{hsCert}, Time: goldenTime, Rand: handshake.NewDeterministicRand(goldenServerSeed),
		CurvePreferences: s.serverGroups, SessionTicketsDisabled: true}
}

// TestTLS13GoldenReplay: each TLS 1.3 golden stream replayed to the other
// side with the golden seeds completes the handshake and the data after
// it: the seeds of the fuzz targets below are deep.
func TestTLS13GoldenReplay(t *testing.T) {
	handshakeFixture(t)
	for _, s := range tls13Scenarios {
		cb, sb := readGolden(t, s.name)
		conn := newMemConn(cb)
		replay(t, s.name+": server", conn, handshake.Server(conn, s.server()))
		conn = newMemConn(sb)
		replay(t, s.name+": client", conn, handshake.Client(conn, s.client()))
	}
}

// FuzzTLS13ServerHandshake and FuzzTLS13ClientHandshake feed a TLS 1.3
// server or client (scenario picked by the first argument) with arbitrary
// bytes as its peer's, seeded with the golden streams: no panic, no hang
// (the memConn deadline), bounded memory, and every failure an alert the
// RFC names (never internal_error), sent as the last record.
//
// spec: rfc8446#4, rfc8446#6
func FuzzTLS13ServerHandshake(f *testing.F) {
	handshakeFixture(f)
	for i, s := range tls13Scenarios {
		cb, _ := readGoldenTB(f, s.name)
		f.Add(uint8(i), cb)
	}
	f.Fuzz(func(t *testing.T, scenario uint8, data []byte) {
		s := tls13Scenarios[int(scenario)%len(tls13Scenarios)]
		fuzzEndpoint13(t, data, func(conn net.Conn) *handshake.Conn { return handshake.Server(conn, s.server()) })
	})
}

// FuzzTLS13ClientHandshake: see FuzzTLS13ServerHandshake.
func FuzzTLS13ClientHandshake(f *testing.F) {
	handshakeFixture(f)
	for i, s := range tls13Scenarios {
		_, sb := readGoldenTB(f, s.name)
		f.Add(uint8(i), sb)
	}
	f.Fuzz(func(t *testing.T, scenario uint8, data []byte) {
		s := tls13Scenarios[int(scenario)%len(tls13Scenarios)]
		fuzzEndpoint13(t, data, func(conn net.Conn) *handshake.Conn { return handshake.Client(conn, s.client()) })
	})
}

// readGoldenTB is readGolden for any testing.TB (a fuzz target's seeds).
func readGoldenTB(tb testing.TB, name string) (clientBytes, serverBytes []byte) {
	tb.Helper()
	text, err := os.ReadFile(filepath.Join("..", "handshake", "testdata", "golden", name+".txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var cur *[]byte
	for _, line := range strings.Split(string(text), "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "client->server"):
			cur = &clientBytes
		case strings.HasPrefix(line, "server->client"):
			cur = &serverBytes
		default:
			b, err := hex.DecodeString(line)
			if err != nil || cur == nil {
				tb.Fatalf("bad golden line %q", line)
			}
			*cur = append(*cur, b...)
		}
	}
	return clientBytes, serverBytes
}

// fuzzEndpoint13 is fuzzEndpoint for TLS 1.3, where an alert sent after the
// ServerHello is encrypted: its record says application_data (23) and only
// the type can be checked on the wire.
func fuzzEndpoint13(t *testing.T, data []byte, newEndpoint func(net.Conn) *handshake.Conn) {
	t.Helper()
	fuzzEndpoint13Then(t, data, newEndpoint, nil)
}

// fuzzEndpoint13Then is fuzzEndpoint13 with a step after a successful
// handshake (see runEndpointThen).
func fuzzEndpoint13Then(t *testing.T, data []byte, newEndpoint func(net.Conn) *handshake.Conn, after func(*handshake.Conn) error) {
	t.Helper()
	max := uint64(2<<20 + 16*len(data))
	var got uint64
	for range 3 {
		before := allocatedBytes()
		conn := newMemConn(data)
		hsErr, readErr := runEndpointThen(t, conn, newEndpoint(conn), after)
		var he *handshake.Error
		if errors.As(hsErr, &he) && he.Sent {
			if he.Alert == record.InternalError {
				t.Fatalf("internal_error on attacker input: %v", hsErr)
			}
			if typ, frag := lastRecord(conn.written()); typ != 21 && typ != 23 || typ == 21 && len(frag) == 2 && record.AlertDescription(frag[1]) != he.Alert {
				t.Fatalf("error says alert %v was sent, the last record is type %d %x: %v", he.Alert, typ, frag, hsErr)
			}
		} else {
			checkEnding(t, conn, hsErr, readErr)
		}
		if got = allocatedBytes() - before; got <= max {
			return
		}
	}
	t.Fatalf("unbounded memory: %d bytes allocated for %d bytes of input on three runs (limit %d)", got, len(data), max)
}
