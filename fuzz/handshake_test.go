package fuzz

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"minitls/handshake"
	"minitls/record"
	"minitls/x509lite"
)

// FuzzHandshakeMessages checks every handshake message parser. Property: any
// bytes ParseMessage accepts re-marshal to exactly those bytes, parse again
// to the same message, and their Fields tile the message with no gap or
// overlap; anything rejected is a *handshake.ParseError with a reason (which
// the handshake turns into decode_error or illegal_parameter). The typed
// extension bodies get the same fixed-point check. Never a panic.
//
// spec: rfc5246#7.4
func FuzzHandshakeMessages(f *testing.F) {
	f.Add([]byte{14, 0, 0, 0})
	f.Add([]byte{20, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte{16, 0, 0, 4, 0, 2, 0xab, 0xcd})
	f.Add([]byte{11, 0, 0, 9, 0, 0, 6, 0, 0, 3, 0x30, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := handshake.ParseMessage(data)
		if err != nil {
			var pe *handshake.ParseError
			if !errors.As(err, &pe) || pe.Reason == "" {
				t.Fatalf("rejection without a *ParseError reason: %v", err)
			}
		} else {
			out, err := m.Marshal()
			if err != nil {
				t.Fatalf("accepted %T does not marshal: %v", m, err)
			}
			if !bytes.Equal(out, data) {
				t.Fatalf("%T re-marshals differently:\n got %x\nwant %x", m, out, data)
			}
			m2 := handshake.NewMessage(m.Type())
			if err := m2.Unmarshal(out); err != nil {
				t.Fatalf("re-marshalled %T does not parse: %v", m, err)
			}
			out2, _ := m2.Marshal()
			if !bytes.Equal(out2, data) {
				t.Fatalf("%T: unmarshal→marshal→unmarshal is not a fixed point", m)
			}
			checkTiling(t, m.Fields(), len(data))
		}
		bodies := []interface {
			Unmarshal([]byte) error
			Marshal() ([]byte, error)
		}{
			new(handshake.ServerNameList), new(handshake.SignatureAlgorithms),
			new(handshake.ProtocolNameList), new(handshake.RenegotiationInfo), new(handshake.SupportedVersions),
		}
		for _, b := range bodies {
			if b.Unmarshal(data) != nil {
				continue
			}
			out, err := b.Marshal()
			if err != nil || !bytes.Equal(out, data) {
				t.Fatalf("%T: accepted %x, re-marshals to %x (%v)", b, data, out, err)
			}
		}
	})
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

// memConn is an in-memory net.Conn: reads come from the fuzzer's bytes (then
// io.EOF), writes are counted and discarded.
type memConn struct {
	r       *bytes.Reader
	written int
}

func (c *memConn) Read(b []byte) (int, error)         { return c.r.Read(b) }
func (c *memConn) Write(b []byte) (int, error)        { c.written += len(b); return len(b), nil }
func (c *memConn) Close() error                       { return nil }
func (c *memConn) LocalAddr() net.Addr                { return &net.TCPAddr{} }
func (c *memConn) RemoteAddr() net.Addr               { return &net.TCPAddr{} }
func (c *memConn) SetDeadline(t time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(t time.Time) error { return nil }

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

// checkEnding asserts the allowed outcomes of an endpoint fed attacker
// bytes: success, or a *handshake.Error that either sent a real protocol
// alert (never internal_error, which would mean we failed ourselves) or
// sent none because the input ended or the peer's alert arrived.
func checkEnding(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var he *handshake.Error
	if !errors.As(err, &he) {
		t.Fatalf("error is not a *handshake.Error: %v", err)
	}
	if he.Sent && he.Alert == record.InternalError {
		t.Fatalf("internal_error on attacker input: %v", err)
	}
	if !he.Sent {
		var are *record.AlertReceivedError
		if !errors.Is(err, record.ErrTruncated) && !errors.As(err, &are) && !errors.Is(err, io.EOF) {
			t.Fatalf("no alert sent, but not because of EOF or a received alert: %v", err)
		}
	}
}

// drain reads application data after a successful handshake until an error.
func drain(c *handshake.Conn) {
	buf := make([]byte, 1024)
	for i := 0; i < 1000; i++ {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

// FuzzServerHandshake feeds arbitrary client bytes to a minitls server with
// fixed randomness (the golden seed, so the golden client streams in the
// seed corpus complete a handshake and the fuzzer mutates deep states).
// Property: the handshake ends in success or an error that carries an alert
// (or ends because the input ended); never a panic, a hang (the input ends
// in EOF) or unbounded memory (the record layer bounds every message).
//
// spec: rfc5246#7.3
func FuzzServerHandshake(f *testing.F) {
	handshakeFixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		conn := &memConn{r: bytes.NewReader(data)}
		s := handshake.Server(conn, &handshake.Config{
			Certificates: []handshake.Certificate{hsCert},
			Time:         goldenTime,
			Rand:         handshake.NewDeterministicRand(goldenServerSeed),
		})
		err := s.Handshake()
		checkEnding(t, err)
		if err == nil {
			drain(s)
		}
	})
}

// FuzzClientHandshake feeds arbitrary server bytes to a minitls client with
// fixed randomness and time (the golden ones; aes256 selects the suite the
// golden clients offered). Property: as for FuzzServerHandshake.
//
// spec: rfc5246#7.3
func FuzzClientHandshake(f *testing.F) {
	handshakeFixture(f)
	f.Fuzz(func(t *testing.T, data []byte, aes256 bool) {
		suite := uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256)
		if aes256 {
			suite = uint16(handshake.TLS_RSA_WITH_AES_256_GCM_SHA384)
		}
		conn := &memConn{r: bytes.NewReader(data)}
		c := handshake.Client(conn, &handshake.Config{
			RootCAs:      hsRoots,
			ServerName:   "localhost",
			CipherSuites: []uint16{suite},
			Time:         goldenTime,
			Rand:         handshake.NewDeterministicRand(goldenClientSeed),
		})
		err := c.Handshake()
		checkEnding(t, err)
		if err == nil {
			drain(c)
		}
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

// TestGoldenReplay: the golden byte streams replayed to one endpoint with
// the golden seeds complete the handshake, which is what makes them deep
// seeds for FuzzServerHandshake and FuzzClientHandshake.
func TestGoldenReplay(t *testing.T) {
	handshakeFixture(t)
	for _, g := range []struct {
		name   string
		aes256 bool
	}{{"aes128-ems", false}, {"aes256-ems", true}} {
		cb, sb := readGolden(t, g.name)
		s := handshake.Server(&memConn{r: bytes.NewReader(cb)}, &handshake.Config{
			Certificates: []handshake.Certificate{hsCert}, Time: goldenTime,
			Rand: handshake.NewDeterministicRand(goldenServerSeed)})
		if err := s.Handshake(); err != nil {
			t.Errorf("%s: server replay: %v", g.name, err)
		}
		suite := uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256)
		if g.aes256 {
			suite = uint16(handshake.TLS_RSA_WITH_AES_256_GCM_SHA384)
		}
		c := handshake.Client(&memConn{r: bytes.NewReader(sb)}, &handshake.Config{
			RootCAs: hsRoots, ServerName: "localhost", CipherSuites: []uint16{suite}, Time: goldenTime,
			Rand: handshake.NewDeterministicRand(goldenClientSeed)})
		if err := c.Handshake(); err != nil {
			t.Errorf("%s: client replay: %v", g.name, err)
		}
	}
}
