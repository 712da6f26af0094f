package fuzz

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"minitls/handshake"
	"minitls/record"
	"minitls/x509lite"
)

// messageKind is one type FuzzHandshakeMessages unmarshals into: a whole
// handshake message (header included) or an extension_data body.
type messageKind struct {
	name    string
	message bool // a handshake.Message (header, Type, Fields) rather than an extension body
	new     func() unmarshaler
}

type unmarshaler interface {
	Unmarshal([]byte) error
	Marshal() ([]byte, error)
}

// messageKinds is every message type and every typed extension body of
// package handshake. The first byte of a FuzzHandshakeMessages input picks
// one (modulo the length), so the two bodies that share msg_type 16 (the
// RSA and the ECDHE ClientKeyExchange) are both reached: ParseMessage alone
// only ever reads the RSA one. Append only: the seed corpus names kinds by
// index (TestHandshakeMessageSeeds checks that every kind has a seed it
// accepts).
var messageKinds = []messageKind{
	{"HelloRequest", true, func() unmarshaler { return new(handshake.HelloRequest) }},
	{"ClientHello", true, func() unmarshaler { return new(handshake.ClientHello) }},
	{"ServerHello", true, func() unmarshaler { return new(handshake.ServerHello) }},
	{"NewSessionTicket", true, func() unmarshaler { return new(handshake.NewSessionTicket) }},
	{"Certificate", true, func() unmarshaler { return new(handshake.CertificateMessage) }},
	{"ServerKeyExchange", true, func() unmarshaler { return new(handshake.ServerKeyExchange) }},
	{"CertificateRequest", true, func() unmarshaler { return new(handshake.CertificateRequest) }},
	{"ServerHelloDone", true, func() unmarshaler { return new(handshake.ServerHelloDone) }},
	{"ClientKeyExchange(RSA)", true, func() unmarshaler { return new(handshake.ClientKeyExchange) }},
	{"ClientKeyExchange(ECDHE)", true, func() unmarshaler { return new(handshake.ECDHEClientKeyExchange) }},
	{"Finished", true, func() unmarshaler { return new(handshake.Finished) }},
	{"server_name", false, func() unmarshaler { return new(handshake.ServerNameList) }},
	{"signature_algorithms", false, func() unmarshaler { return new(handshake.SignatureAlgorithms) }},
	{"application_layer_protocol_negotiation", false, func() unmarshaler { return new(handshake.ProtocolNameList) }},
	{"renegotiation_info", false, func() unmarshaler { return new(handshake.RenegotiationInfo) }},
	{"supported_versions", false, func() unmarshaler { return new(handshake.SupportedVersions) }},
	{"supported_groups", false, func() unmarshaler { return new(handshake.SupportedGroups) }},
	{"ec_point_formats", false, func() unmarshaler { return new(handshake.ECPointFormats) }},
	{"CertificateVerify", true, func() unmarshaler { return new(handshake.CertificateVerify) }}, // TLS 1.2 and 1.3 alike
	{"CertificateRequest(TLS 1.3)", true, func() unmarshaler { return new(handshake.CertificateRequest13) }},
}

// FuzzHandshakeMessages checks every handshake message parser and every
// typed extension body. The input's first byte selects the type (see
// messageKinds), the rest is the message or body. Properties, for the
// selected type: bytes Unmarshal accepts marshal back to exactly those
// bytes from the parsed fields alone (Raw cleared), unmarshal → marshal →
// unmarshal is a fixed point (cmp.Diff of the two parses is empty), a
// message's Type is its msg_type and its Fields tile it with no gap or
// overlap, and a ServerKeyExchange's signed Params are the same bytes
// whether taken from what was received or re-marshalled; anything
// rejected is a *handshake.ParseError with a reason (which the handshake
// turns into decode_error or illegal_parameter). ParseMessage gets the
// same bytes and must agree with the type its msg_type names. Never a
// panic.
//
// spec: rfc5246#7.4, rfc8422#5.4, rfc8422#5.7
func FuzzHandshakeMessages(f *testing.F) {
	f.Add(append([]byte{7}, 14, 0, 0, 0))
	f.Add(append([]byte{10}, 20, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))
	f.Add(append([]byte{8}, 16, 0, 0, 4, 0, 2, 0xab, 0xcd))
	f.Add(append([]byte{9}, 16, 0, 0, 3, 2, 0xab, 0xcd))
	f.Add(append([]byte{4}, 11, 0, 0, 9, 0, 0, 6, 0, 0, 3, 0x30, 1, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		kind, body := messageKinds[int(data[0])%len(messageKinds)], data[1:]
		checkParseMessage(t, body)
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
		if err != nil {
			t.Fatalf("%s: accepted %x, does not marshal: %v", kind.name, body, err)
		}
		if !bytes.Equal(out, body) {
			t.Fatalf("%s re-marshals differently:\n got %x\nwant %x", kind.name, out, body)
		}
		v2 := kind.new()
		if err := v2.Unmarshal(out); err != nil {
			t.Fatalf("%s: re-marshalled bytes do not parse: %v", kind.name, err)
		}
		out2, err := v2.Marshal()
		if err != nil || !bytes.Equal(out2, out) {
			t.Fatalf("%s: marshal of the second parse differs (%v):\n got %x\nwant %x", kind.name, err, out2, out)
		}
		clearRaw(v2)
		if d := cmp.Diff(v, v2); d != "" {
			t.Fatalf("%s: unmarshal→marshal→unmarshal is not a fixed point (-first +second):\n%s", kind.name, d)
		}
		if !kind.message {
			return
		}
		if v.Unmarshal(body) != nil {
			t.Fatalf("%s: accepted once, rejected the second time", kind.name)
		}
		m := v.(handshake.Message)
		if got := m.Type(); got != handshake.HandshakeType(body[0]) {
			t.Fatalf("%s accepted msg_type %d, its Type is %v", kind.name, body[0], got)
		}
		checkTiling(t, m.Fields(), len(body))
		if ske, ok := m.(*handshake.ServerKeyExchange); ok {
			checkSignedParams(t, ske)
		}
	})
}

// checkParseMessage: ParseMessage accepts what the type named by msg_type
// accepts (NewMessage), returns that type, and rejects with a reason.
func checkParseMessage(t *testing.T, data []byte) {
	t.Helper()
	m, err := handshake.ParseMessage(data)
	if err != nil {
		var pe *handshake.ParseError
		if !errors.As(err, &pe) || pe.Reason == "" {
			t.Fatalf("ParseMessage: rejection without a *ParseError reason: %v", err)
		}
		if len(data) == 0 {
			return
		}
		if n := handshake.NewMessage(handshake.HandshakeType(data[0])); n != nil && n.Unmarshal(data) == nil {
			t.Fatalf("ParseMessage rejects what %T accepts: %v", n, err)
		}
		return
	}
	if want := handshake.NewMessage(m.Type()); want == nil || reflect.TypeOf(want) != reflect.TypeOf(m) || m.Type() != handshake.HandshakeType(data[0]) {
		t.Fatalf("ParseMessage of msg_type %d returned %T", data[0], m)
	}
	if out, err := m.Marshal(); err != nil || !bytes.Equal(out, data) {
		t.Fatalf("ParseMessage: %T re-marshals to %x (%v), want %x", m, out, err, data)
	}
}

// checkSignedParams: the ServerECDHParams a client verifies (taken from the
// received bytes) are the ones the fields describe, so what is signed and
// what is used cannot differ.
func checkSignedParams(t *testing.T, ske *handshake.ServerKeyExchange) {
	t.Helper()
	received, err := ske.Params()
	if err != nil {
		t.Fatalf("Params of a parsed ServerKeyExchange: %v", err)
	}
	local := *ske
	local.Raw = nil
	built, err := local.Params()
	if err != nil || !bytes.Equal(received, built) {
		t.Fatalf("ServerKeyExchange params: received %x, fields marshal to %x (%v)", received, built, err)
	}
}

// clearRaw sets a message's Raw field (the received copy) to nil, so that
// Marshal can only use the parsed fields.
func clearRaw(v any) {
	if f := reflect.ValueOf(v).Elem().FieldByName("Raw"); f.IsValid() && f.CanSet() {
		f.SetZero()
	}
}

// checkTiling asserts that the non-empty fields cover [0, n) exactly once.
func checkTiling(t *testing.T, fields []handshake.Field, n int) {
	t.Helper()
	var fs []handshake.Field
	for _, f := range fields {
		if f.Length > 0 {
			fs = append(fs, f)
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Offset < fs[j].Offset })
	pos := 0
	for _, f := range fs {
		if f.Offset != pos {
			t.Fatalf("field %q at %d, want %d", f.Name, f.Offset, pos)
		}
		pos += f.Length
	}
	if pos != n {
		t.Fatalf("fields explain %d of %d bytes", pos, n)
	}
}

// refPRF is an independent TLS 1.2 PRF straight from rfc5246#5, one fresh
// HMAC per block.
func refPRF(h func() hash.Hash, secret, label, seed []byte, n int) []byte {
	ls := append(append([]byte{}, label...), seed...)
	mac := func(parts ...[]byte) []byte {
		m := hmac.New(h, secret)
		for _, p := range parts {
			m.Write(p)
		}
		return m.Sum(nil)
	}
	var out []byte
	for a := mac(ls); len(out) < n; a = mac(a) {
		out = append(out, mac(a, ls)...)
	}
	return out[:n]
}

// FuzzPRF checks handshake.PRF against refPRF. Property: for any secret,
// label, seed and output length up to 1000 bytes, with SHA-256 or SHA-384,
// the outputs are equal.
//
// spec: rfc5246#5
func FuzzPRF(f *testing.F) {
	f.Add([]byte("secret"), []byte("master secret"), []byte("seed"), uint16(48))
	f.Add([]byte{}, []byte("key expansion"), make([]byte, 64), uint16(0x8000|40))
	f.Fuzz(func(t *testing.T, secret, label, seed []byte, n uint16) {
		h := sha256.New
		if n&0x8000 != 0 {
			h = sha512.New384
		}
		size := int(n&0x7fff) % 1001
		got := make([]byte, size)
		handshake.PRF(h, got, secret, string(label), seed)
		if want := refPRF(h, secret, label, seed, size); !bytes.Equal(got, want) {
			t.Fatalf("PRF differs from the reference:\n got %x\nwant %x", got, want)
		}
	})
}

// memConn is an in-memory net.Conn: reads come from the fuzzer's bytes
// (then io.EOF), writes are kept so the target can check that an alert
// really went out. It honours deadlines: after the deadline Read and Write
// fail with os.ErrDeadlineExceeded and the conn remembers it, so an
// endpoint that keeps reading or writing long after its input ended is
// caught as a hang.
type memConn struct {
	r        *bytes.Reader
	mu       sync.Mutex
	out      []byte
	deadline time.Time
	expired  bool
}

func newMemConn(data []byte) *memConn { return &memConn{r: bytes.NewReader(data)} }

// pastDeadline reports whether the deadline has passed, and remembers that
// an I/O call met it.
func (c *memConn) pastDeadline() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.deadline.IsZero() && time.Now().After(c.deadline) {
		c.expired = true
	}
	return c.expired
}

// metDeadline reports whether a Read or Write was refused for the deadline.
func (c *memConn) metDeadline() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.expired
}

func (c *memConn) Read(b []byte) (int, error) {
	if c.pastDeadline() {
		return 0, os.ErrDeadlineExceeded
	}
	return c.r.Read(b)
}

func (c *memConn) Write(b []byte) (int, error) {
	if c.pastDeadline() {
		return 0, os.ErrDeadlineExceeded
	}
	c.mu.Lock()
	c.out = append(c.out, b...)
	c.mu.Unlock()
	return len(b), nil
}

func (c *memConn) written() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out
}

func (c *memConn) Close() error         { return nil }
func (c *memConn) LocalAddr() net.Addr  { return &net.TCPAddr{} }
func (c *memConn) RemoteAddr() net.Addr { return &net.TCPAddr{} }
func (c *memConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return nil
}
func (c *memConn) SetReadDeadline(t time.Time) error  { return c.SetDeadline(t) }
func (c *memConn) SetWriteDeadline(t time.Time) error { return c.SetDeadline(t) }

// The fixtures of handshake/testdata, loaded once (no key work per exec).
var (
	hsOnce  sync.Once
	hsCert  handshake.Certificate
	hsRoots *x509lite.CertPool
	hsErr   error
)

func handshakeFixture(t testing.TB) {
	hsOnce.Do(func() {
		dir := filepath.Join("..", "handshake", "testdata")
		certPEM, err1 := os.ReadFile(filepath.Join(dir, "server.pem"))
		keyPEM, err2 := os.ReadFile(filepath.Join(dir, "server-key.pem"))
		caPEM, err3 := os.ReadFile(filepath.Join(dir, "ca.pem"))
		if hsErr = errors.Join(err1, err2, err3); hsErr != nil {
			return
		}
		hsCert, hsErr = handshake.X509KeyPair(certPEM, keyPEM)
		hsRoots = x509lite.NewCertPool()
		hsRoots.AppendCertsFromPEM(caPEM)
	})
	if hsErr != nil {
		t.Fatalf("handshake fixture: %v", hsErr)
	}
}

// The seeds and time of the golden transcripts in handshake/testdata/golden,
// so their byte streams replay to a complete handshake.
const (
	goldenClientSeed = 1
	goldenServerSeed = 2
)

var goldenTime = func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }

// clientOffer is one client configuration FuzzClientHandshake can run: the
// suites and groups it offers (nil: the defaults).
type clientOffer struct {
	name   string
	suites []uint16
	curves []handshake.CurveID
	alpn   []string
	golden string // the transcript in handshake/testdata/golden made with this client, if any
}

// clientOffers is picked by FuzzClientHandshake's offer byte (modulo the
// length). Append only: the seed corpus names offers by index. Offers 0, 1,
// 2 and 7 are the clients of the golden transcripts (aes128-*, aes256-*,
// ecdhe-x25519-aes128-ems, aes128-ems-alpn), so those server streams replay
// to the end.
var clientOffers = []clientOffer{
	{"rsa-aes128", []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256)}, nil, nil, "aes128-ems"},
	{"rsa-aes256", []uint16{uint16(handshake.TLS_RSA_WITH_AES_256_GCM_SHA384)}, nil, nil, "aes256-ems"},
	{"ecdhe-aes128", []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}, nil, nil, "ecdhe-x25519-aes128-ems"},
	{"ecdhe-aes256", []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)}, nil, nil, ""},
	{"ecdhe-aes128-p256", []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}, []handshake.CurveID{handshake.CurveP256}, nil, ""},
	{"ecdhe-aes256-p256", []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)}, []handshake.CurveID{handshake.CurveP256}, nil, ""},
	{"default", nil, nil, nil, ""},
	{"rsa-aes128-alpn", []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256)}, nil, goldenALPN, "aes128-ems-alpn"},
}

// goldenALPN is what both ends of the golden aes128-ems-alpn transcript
// offer; the fuzz server offers it too (a client without ALPN sees no
// difference), so that transcript replays to the end as well.
var goldenALPN = []string{"h2", "http/1.1"}

func clientConfig(offer uint8) *handshake.Config {
	o := clientOffers[int(offer)%len(clientOffers)]
	return &handshake.Config{
		MaxVersion:       uint16(handshake.VersionTLS12), // TLS 1.3 has its own targets (tls13_test.go)
		RootCAs:          hsRoots,
		ServerName:       "localhost",
		CipherSuites:     o.suites,
		CurvePreferences: o.curves,
		NextProtos:       o.alpn,
		Time:             goldenTime,
		Rand:             handshake.NewDeterministicRand(goldenClientSeed),
	}
}

// serverConfig is the server of the golden transcripts: every suite (ECDHE
// first), both groups, and ALPN.
func serverConfig() *handshake.Config {
	return &handshake.Config{
		MaxVersion:   uint16(handshake.VersionTLS12), // TLS 1.3 has its own targets (tls13_test.go)
		Certificates: []handshake.Certificate{hsCert},
		NextProtos:   goldenALPN,
		Time:         goldenTime,
		Rand:         handshake.NewDeterministicRand(goldenServerSeed),
	}
}

// hangLimit bounds one endpoint run. The input is in memory and never
// blocks, so an endpoint still busy after this is looping (a handshake
// takes milliseconds; the margin is for a loaded machine).
const hangLimit = 10 * time.Second

// runEndpoint runs the handshake of c over conn and, if it succeeds, reads
// application data until an error; it returns both errors. It enforces "no
// hang": a deadline on conn (an endpoint that keeps reading or writing
// after it fails), and a watchdog for a loop that does neither.
func runEndpoint(t *testing.T, conn *memConn, c *handshake.Conn) (hsErr, readErr error) {
	t.Helper()
	return runEndpointThen(t, conn, c, nil)
}

// runEndpointThen is runEndpoint with a step between the handshake and the
// reading (nil: none), such as UpdateKeys; an error from it is returned as
// the read error, without reading.
func runEndpointThen(t *testing.T, conn *memConn, c *handshake.Conn, after func(*handshake.Conn) error) (hsErr, readErr error) {
	t.Helper()
	if err := c.SetDeadline(time.Now().Add(hangLimit)); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if hsErr = c.Handshake(); hsErr != nil {
			return
		}
		if after != nil {
			if readErr = after(c); readErr != nil {
				return
			}
		}
		readErr = drain(c)
	}()
	select {
	case <-done:
	case <-time.After(2 * hangLimit):
		t.Fatalf("hang: the endpoint is still running after %v on in-memory input", 2*hangLimit)
	}
	if conn.metDeadline() {
		t.Fatalf("hang: the endpoint was still reading or writing %v after it started (handshake: %v, read: %v)", hangLimit, hsErr, readErr)
	}
	return hsErr, readErr
}

// checkEnding asserts the allowed outcomes of an endpoint fed attacker
// bytes. Success, or a *handshake.Error that either sent a real protocol
// alert (never internal_error, which would mean we failed ourselves) — and
// then the last record written is that alert — or sent none because the
// input ended or the peer's alert arrived. After a successful handshake,
// reading ends in EOF, truncation or an error that carries an alert.
func checkEnding(t *testing.T, conn *memConn, hsErr, readErr error) {
	t.Helper()
	if hsErr == nil {
		if !allowedReadError(readErr) {
			t.Fatalf("reading after the handshake ended without an alert: %v", readErr)
		}
		var re *record.Error
		if errors.As(readErr, &re) && re.Alert == record.InternalError {
			t.Fatalf("internal_error on attacker input after the handshake: %v", readErr)
		}
		return
	}
	var he *handshake.Error
	if !errors.As(hsErr, &he) {
		t.Fatalf("handshake error is not a *handshake.Error: %v", hsErr)
	}
	if !he.Sent {
		var are *record.AlertReceivedError
		if !errors.Is(hsErr, record.ErrTruncated) && !errors.As(hsErr, &are) && !errors.Is(hsErr, io.EOF) {
			t.Fatalf("no alert sent, but not because of EOF or a received alert: %v", hsErr)
		}
		return
	}
	if he.Alert == record.InternalError {
		t.Fatalf("internal_error on attacker input: %v", hsErr)
	}
	typ, frag := lastRecord(conn.written())
	if typ != 21 {
		t.Fatalf("error says alert %v was sent, but the last record written has type %d: %v", he.Alert, typ, hsErr)
	}
	if len(frag) == 2 && record.AlertDescription(frag[1]) != he.Alert {
		t.Fatalf("error says alert %v was sent, the wire says %d: %v", he.Alert, frag[1], hsErr)
	}
}

// lastRecord returns the content type and fragment of the last whole record
// in b (type 0 if there is none).
func lastRecord(b []byte) (typ byte, frag []byte) {
	for len(b) >= 5 {
		n := 5 + (int(b[3])<<8 | int(b[4]))
		if n > len(b) {
			break
		}
		typ, frag, b = b[0], b[5:n], b[n:]
	}
	return typ, frag
}

// drain reads application data after a successful handshake until an error,
// and returns it.
func drain(c *handshake.Conn) error {
	buf := make([]byte, 1024)
	for {
		if _, err := c.Read(buf); err != nil {
			return err
		}
	}
}

// fuzzEndpoint runs the endpoint made by newEndpoint over data and checks
// how it ended (checkEnding) and that the heap it allocated stays within
// a constant plus a multiple of the input, whatever lengths the input
// announces. The heap counter is process-wide and the fuzzing engine
// allocates now and then, so the run is repeated: a real excess repeats on
// every run of the same input (the endpoint is deterministic), noise does
// not.
func fuzzEndpoint(t *testing.T, data []byte, newEndpoint func(net.Conn) *handshake.Conn) {
	t.Helper()
	max := uint64(2<<20 + 16*len(data))
	var got uint64
	for range 3 {
		before := allocatedBytes()
		conn := newMemConn(data)
		hsErr, readErr := runEndpoint(t, conn, newEndpoint(conn))
		checkEnding(t, conn, hsErr, readErr)
		if got = allocatedBytes() - before; got <= max {
			return
		}
	}
	t.Fatalf("unbounded memory: %d bytes allocated for %d bytes of input on three runs (limit %d)", got, len(data), max)
}

// FuzzServerHandshake feeds arbitrary client bytes to a minitls server
// (every suite, ECDHE first, both groups) with fixed randomness and time —
// the golden ones, so the client streams in the seed corpus (RSA and ECDHE
// on x25519 and P-256) complete a handshake and the fuzzer mutates deep
// states. Property: the handshake ends in success or in a *handshake.Error
// that carries an alert, which is then really the last record written (or
// none was sent because the input ended or the peer's alert came); never
// internal_error; reading after a success ends the same way; never a panic,
// never a hang (a deadline on the in-memory conn plus a watchdog), and
// never more heap than 2 MiB plus 16 bytes per input byte (a message
// header claiming 16 MiB is refused before it costs 16 MiB).
//
// spec: rfc5246#7.3, rfc5246#7.2.2
func FuzzServerHandshake(f *testing.F) {
	handshakeFixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzEndpoint(t, data, func(conn net.Conn) *handshake.Conn { return handshake.Server(conn, serverConfig()) })
	})
}

// FuzzClientHandshake feeds arbitrary server bytes to a minitls client
// with fixed randomness and time (the golden ones). The offer byte picks
// what the client offers from clientOffers: each RSA and ECDHE suite alone
// (ECDHE on x25519 and P-256, or P-256 only), ALPN, or everything. Property: as for FuzzServerHandshake.
//
// spec: rfc5246#7.3, rfc5246#7.2.2, rfc8422#5.4
func FuzzClientHandshake(f *testing.F) {
	handshakeFixture(f)
	f.Fuzz(func(t *testing.T, offer uint8, data []byte) {
		fuzzEndpoint(t, data, func(conn net.Conn) *handshake.Conn { return handshake.Client(conn, clientConfig(offer)) })
	})
}

// readGolden returns the two streams of handshake/testdata/golden/<name>.txt.
func readGolden(t *testing.T, name string) (clientBytes, serverBytes []byte) {
	text, err := os.ReadFile(filepath.Join("..", "handshake", "testdata", "golden", name+".txt"))
	if err != nil {
		t.Fatal(err)
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
				t.Fatalf("bad golden line %q", line)
			}
			*cur = append(*cur, b...)
		}
	}
	return clientBytes, serverBytes
}

// replay runs one endpoint over a recorded stream and requires a complete
// handshake that ends cleanly (the peer's close_notify: io.EOF).
func replay(t *testing.T, what string, conn *memConn, c *handshake.Conn) {
	t.Helper()
	hsErr, readErr := runEndpoint(t, conn, c)
	if hsErr != nil {
		t.Errorf("%s: handshake: %v", what, hsErr)
	} else if readErr != io.EOF {
		t.Errorf("%s: after the handshake: %v, want io.EOF (close_notify)", what, readErr)
	}
}

// TestGoldenReplay: the golden byte streams, RSA and ECDHE, replayed to one
// endpoint with the golden seeds and the fuzz targets' configurations
// complete the handshake and the data after it, which is what makes them
// deep seeds for FuzzServerHandshake and FuzzClientHandshake.
func TestGoldenReplay(t *testing.T) {
	handshakeFixture(t)
	n := 0
	for i, o := range clientOffers {
		if o.golden == "" {
			continue
		}
		n++
		cb, sb := readGolden(t, o.golden)
		conn := newMemConn(cb)
		replay(t, o.golden+": server", conn, handshake.Server(conn, serverConfig()))
		conn = newMemConn(sb)
		replay(t, o.golden+": client", conn, handshake.Client(conn, clientConfig(uint8(i))))
	}
	if n < 4 {
		t.Fatalf("only %d golden transcripts replayed", n)
	}
}

var updateSeeds = flag.Bool("update-seeds", false, "rewrite the seed files that the Test*Seed* tests derive from live handshakes")

// recorder keeps a copy of every byte written through a net.Conn.
type recorder struct {
	net.Conn
	mu  sync.Mutex
	out []byte
}

func (r *recorder) Write(b []byte) (int, error) {
	r.mu.Lock()
	r.out = append(r.out, b...)
	r.mu.Unlock()
	return r.Conn.Write(b)
}

func (r *recorder) bytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte{}, r.out...)
}

// liveHandshake runs the client of offer against serverConfig over
// loopback TCP like the golden transcripts do (handshake, one line each way,
// close_notify both ways) and returns the bytes each side wrote.
func liveHandshake(t *testing.T, offer uint8) (clientBytes, serverBytes []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	cc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	sc := <-accepted
	if sc == nil {
		t.Fatal("accept failed")
	}
	crec, srec := &recorder{Conn: cc}, &recorder{Conn: sc}
	client, server := handshake.Client(crec, clientConfig(offer)), handshake.Server(srec, serverConfig())
	for _, c := range []*handshake.Conn{client, server} {
		if err := c.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 5)
		_, err := io.ReadFull(server, buf)
		if err == nil {
			_, err = server.Write([]byte("pong\n"))
		}
		if err == nil {
			if _, err = server.Read(buf); err == io.EOF {
				err = server.Close()
			}
		}
		errc <- err
	}()
	buf := make([]byte, 5)
	if _, err := client.Write([]byte("ping\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(client, buf); err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("server: %v", err)
	}
	return crec.bytes(), srec.bytes()
}

// corpusFile formats a seed in Go's corpus format ("go test fuzz v1").
func corpusFile(values ...any) []byte {
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, v := range values {
		switch v := v.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		case uint8:
			fmt.Fprintf(&b, "uint8(%d)\n", v)
		default:
			panic(fmt.Sprintf("corpusFile: %T", v))
		}
	}
	return []byte(b.String())
}

// checkSeedFile compares a seed file with want, or writes it with
// -update-seeds.
func checkSeedFile(t *testing.T, target, name string, want []byte) {
	t.Helper()
	path := filepath.Join("testdata", "fuzz", target, name)
	if *updateSeeds {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./fuzz -run Seed -update-seeds)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from a live handshake; if the handshake changed on purpose, run go test ./fuzz -run Seed -update-seeds", path)
	}
}

// TestLiveHandshakeSeeds: for every client offer of FuzzClientHandshake
// beyond the golden ones (ECDHE-AES256, P-256, the default offer), a live
// handshake between the fuzz targets' client and server configurations is
// reproducible, its server stream is the seed live-<offer> of
// FuzzClientHandshake and its client stream that of FuzzServerHandshake,
// and both replay to one endpoint to the end: deep ECDHE seeds on both
// groups and both suites.
func TestLiveHandshakeSeeds(t *testing.T) {
	handshakeFixture(t)
	for i, o := range clientOffers {
		if o.golden != "" {
			continue
		}
		offer := uint8(i)
		name := "live-" + clientOffers[i].name
		t.Run(clientOffers[i].name, func(t *testing.T) {
			cb, sb := liveHandshake(t, offer)
			cb2, sb2 := liveHandshake(t, offer)
			if !bytes.Equal(cb, cb2) || !bytes.Equal(sb, sb2) {
				t.Fatal("two live handshakes with the same seeds differ")
			}
			checkSeedFile(t, "FuzzClientHandshake", name, corpusFile(offer, sb))
			checkSeedFile(t, "FuzzServerHandshake", name, corpusFile(cb))
			conn := newMemConn(cb)
			replay(t, "server", conn, handshake.Server(conn, serverConfig()))
			conn = newMemConn(sb)
			replay(t, "client", conn, handshake.Client(conn, clientConfig(offer)))
		})
	}
}

// TestHandshakeMessageSeeds: every entry of messageKinds has a seed in
// FuzzHandshakeMessages's corpus that it accepts, so the fuzzer starts from
// a valid instance of every message and extension body (and a renumbered
// messageKinds, which would silently retarget the corpus, fails here).
func TestHandshakeMessageSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzHandshakeMessages")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	accepted := make([]int, len(messageKinds))
	for _, e := range entries {
		text, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(text)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "[]byte(") {
			t.Errorf("%s: not a one-[]byte corpus file", e.Name())
			continue
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil || len(s) == 0 {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		i := int(s[0]) % len(messageKinds)
		if messageKinds[i].new().Unmarshal([]byte(s[1:])) == nil {
			accepted[i]++
		}
	}
	for i, n := range accepted {
		if n == 0 {
			t.Errorf("no seed is a valid %s (selector %d)", messageKinds[i].name, i)
		}
	}
}
