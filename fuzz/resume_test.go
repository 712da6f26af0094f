package fuzz

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"minitls/handshake"
	"minitls/x509lite"
)

// resumeFixture is a server Config that has issued one genuine ticket, and
// that ticket: made once per process with a real handshake over net.Pipe.
var (
	resumeOnce   sync.Once
	resumeServer *handshake.Config
	resumeTicket []byte
	resumeErr    error
)

func resumeSetup(t testing.TB) {
	t.Helper()
	resumeOnce.Do(func() {
		dir := filepath.Join("..", "handshake", "testdata")
		certPEM, err1 := os.ReadFile(filepath.Join(dir, "server.pem"))
		keyPEM, err2 := os.ReadFile(filepath.Join(dir, "server-key.pem"))
		caPEM, err3 := os.ReadFile(filepath.Join(dir, "ca.pem"))
		if resumeErr = errors.Join(err1, err2, err3); resumeErr != nil {
			return
		}
		cert, err := handshake.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			resumeErr = err
			return
		}
		roots := x509lite.NewCertPool()
		roots.AppendCertsFromPEM(caPEM)
		clock := func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }
		resumeServer = &handshake.Config{Certificates: []handshake.Certificate{cert}, Time: clock,
			Rand: handshake.NewDeterministicRand(5)}
		// Both sides deterministic: every process (the fuzzing coordinator
		// and each worker) makes the same ticket, so "genuine" means the
		// same bytes everywhere.
		client := &handshake.Config{RootCAs: roots, ServerName: "localhost", Time: clock, Rand: handshake.NewDeterministicRand(6),
			CipherSuites:       []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256)},
			ClientSessionCache: handshake.NewLRUClientSessionCache(1),
			Trace: func(e handshake.Event) {
				if m, ok := e.Message.(*handshake.NewSessionTicket); ok && e.Kind == handshake.EventMessage {
					resumeTicket = append([]byte{}, m.Ticket...)
				}
			}}
		cc, sc := net.Pipe()
		defer cc.Close()
		defer sc.Close()
		errc := make(chan error, 1)
		go func() { errc <- handshake.Server(sc, resumeServer).Handshake() }()
		resumeErr = errors.Join(handshake.Client(cc, client).Handshake(), <-errc)
		if resumeErr == nil && len(resumeTicket) == 0 {
			resumeErr = errors.New("the server issued no ticket")
		}
	})
	if resumeErr != nil {
		t.Fatalf("resume fixture: %v", resumeErr)
	}
}

// resumeConn plays a client that sent in and then nothing more; writes are
// discarded.
type resumeConn struct{ r io.Reader }

func (c *resumeConn) Read(b []byte) (int, error)         { return c.r.Read(b) }
func (c *resumeConn) Write(b []byte) (int, error)        { return len(b), nil }
func (c *resumeConn) Close() error                       { return nil }
func (c *resumeConn) LocalAddr() net.Addr                { return &net.TCPAddr{} }
func (c *resumeConn) RemoteAddr() net.Addr               { return &net.TCPAddr{} }
func (c *resumeConn) SetDeadline(time.Time) error        { return nil }
func (c *resumeConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *resumeConn) SetWriteDeadline(t time.Time) error { return nil }

// FuzzSessionTicket offers an arbitrary ticket, in a well-formed
// ClientHello, to a server that issued one genuine ticket. Property: the
// server resumes (the trace reaches PhaseSessionResumed) only for the
// genuine ticket byte for byte — a forged, truncated, extended or
// bit-flipped ticket falls back to a full handshake — and the handshake
// ends with a *handshake.Error (here: the input ends), never a panic.
//
// spec: rfc5077#3.4, rfc5077#4
func FuzzSessionTicket(f *testing.F) {
	resumeSetup(f)
	f.Add(resumeTicket)
	f.Add(resumeTicket[:len(resumeTicket)-1])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, ticket []byte) {
		if len(ticket) > 1<<15 {
			return // the extension's length field bounds it anyway
		}
		hello := &handshake.ClientHello{Version: handshake.VersionTLS12, SessionID: bytes.Repeat([]byte{7}, 32),
			CipherSuites:       []handshake.CipherSuite{handshake.TLS_RSA_WITH_AES_128_GCM_SHA256},
			CompressionMethods: []uint8{0},
			Extensions: []handshake.Extension{
				{Type: handshake.ExtServerName, Data: append([]byte{0, 12, 0, 0, 9}, "localhost"...)},
				{Type: handshake.ExtExtendedMasterSecret, Data: []byte{}},
				{Type: handshake.ExtSessionTicket, Data: ticket},
			}}
		msg, err := hello.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		in := append([]byte{22, 3, 1, byte(len(msg) >> 8), byte(len(msg))}, msg...)
		cfg := resumeServer.Clone() // shares the ticket keys
		resumed := false
		cfg.Trace = func(e handshake.Event) {
			resumed = resumed || (e.Kind == handshake.EventPhase && e.Phase == handshake.PhaseSessionResumed)
		}
		err = handshake.Server(&resumeConn{r: bytes.NewReader(in)}, cfg).Handshake()
		var he *handshake.Error
		if !errors.As(err, &he) {
			t.Fatalf("handshake ended with %v, want a *handshake.Error (the input ends)", err)
		}
		if genuine := bytes.Equal(ticket, resumeTicket); resumed != genuine {
			t.Fatalf("resumed %v for a ticket that is genuine: %v", resumed, genuine)
		}
	})
}
