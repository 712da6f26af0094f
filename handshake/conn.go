package handshake

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"minitls/record"
	"minitls/x509lite"
)

// Conn is a TLS 1.2 connection over a net.Conn, shaped like crypto/tls.Conn.
// The first Read or Write runs the handshake if Handshake was not called.
// One goroutine may Read while another Writes; the record layer keeps the
// two directions apart.
//
// spec: rfc5246#7.3 (handshake), rfc5246#6 (records), rfc5246#7.2.1 (closure)
type Conn struct {
	conn     net.Conn
	rec      *record.Conn
	config   *Config
	isClient bool

	handshakeMu   sync.Mutex
	handshakeDone atomic.Bool
	handshakeErr  error
	phase         atomic.Uint32 // the current Phase; read by tracers on any goroutine
	phaseLog      *[]Phase
	state         ConnectionState
	transcript    transcript
	tls13         *conn13 // TLS 1.3 only (conn13.go)

	closed atomic.Bool
}

// Conn is a net.Conn, so net/http and anything else that takes one can use it.
var _ net.Conn = (*Conn)(nil)

// ConnectionState describes a connection after its handshake.
//
// spec: rfc5246#A.6 (SecurityParameters)
type ConnectionState struct {
	Version              uint16 // 0x0303 (TLS 1.2) or 0x0304 (TLS 1.3) once complete
	HandshakeComplete    bool
	DidResume            bool   // an abbreviated handshake resumed an earlier session (rfc5246#7.3)
	CipherSuite          uint16 // the negotiated suite
	NegotiatedProtocol   string // ALPN protocol, or ""
	ServerName           string // the client's SNI host name (on both sides)
	PeerCertificates     []*x509lite.Certificate
	ExtendedMasterSecret bool // RFC 7627 was used

	// TLS 1.3 (rfc8446#4.2.7, rfc8446#4.2.3): the key exchange group and
	// the scheme of the server's CertificateVerify. Zero under TLS 1.2.
	CurveID         CurveID
	SignatureScheme SignatureScheme
}

// Client returns a client connection over conn. config must set ServerName
// or InsecureSkipVerify.
//
// spec: rfc5246#7.3
func Client(conn net.Conn, config *Config) *Conn {
	return newConn(conn, config, true)
}

// Server returns a server connection over conn. config must have at least
// one Certificate.
//
// spec: rfc5246#7.3
func Server(conn net.Conn, config *Config) *Conn {
	return newConn(conn, config, false)
}

func newConn(conn net.Conn, config *Config, isClient bool) *Conn {
	if config == nil {
		config = &Config{}
	}
	c := &Conn{conn: conn, rec: record.NewConn(conn), config: config, isClient: isClient, phaseLog: config.phaseLog}
	// The one message that may ask us for a new handshake: a HelloRequest
	// sent to a client, a ClientHello sent to a server (rfc5246#7.4.1.1).
	// The record layer refuses it after the handshake, lets a client see
	// (and ignore) a bounded number of HelloRequests during it, and makes
	// any other type out of turn unexpected_message.
	if isClient {
		c.rec.SetRenegotiationRequest(uint8(TypeHelloRequest))
	} else {
		c.rec.SetRenegotiationRequest(uint8(TypeClientHello))
	}
	if config.Trace != nil {
		c.rec.SetTracer(func(ev record.RecordEvent) {
			c.trace(Event{Kind: EventRecord, Sent: ev.Sent, Record: ev})
		})
	}
	return c
}

// Handshake runs the handshake if it has not run yet.
func (c *Conn) Handshake() error {
	return c.HandshakeContext(context.Background())
}

// HandshakeContext runs the handshake; if ctx ends first, the underlying
// connection is closed to interrupt it and ctx's error is returned.
func (c *Conn) HandshakeContext(ctx context.Context) (ret error) {
	if c.handshakeDone.Load() {
		return nil
	}
	c.handshakeMu.Lock()
	defer c.handshakeMu.Unlock()
	if c.handshakeErr != nil {
		return c.handshakeErr
	}
	if c.handshakeDone.Load() {
		return nil
	}
	if ctx.Done() != nil {
		done := make(chan struct{})
		interrupted := make(chan error, 1)
		go func() {
			select {
			case <-ctx.Done():
				_ = c.conn.Close()
				interrupted <- ctx.Err()
			case <-done:
				interrupted <- nil
			}
		}()
		defer func() {
			close(done)
			if ctxErr := <-interrupted; ctxErr != nil {
				ret = fmt.Errorf("minitls: handshake interrupted: %w", ctxErr)
				c.handshakeErr = ret
				c.handshakeDone.Store(false)
			}
		}()
	}
	var err error
	if c.isClient {
		err = c.clientHandshake()
	} else {
		err = c.serverHandshake()
	}
	if err != nil {
		c.handshakeErr = c.failHandshake(err)
		return c.handshakeErr
	}
	c.handshakeDone.Store(true)
	return nil
}

// failHandshake sends the alert err calls for (STYLE §5: only here, at the
// top, are alerts sent) and wraps err with the phase.
func (c *Conn) failHandshake(err error) error {
	desc, send := alertFor(err)
	if send {
		_ = c.rec.SendAlert(desc.Level(), desc)
		if c.traceEnabled() {
			c.trace(Event{Kind: EventAlert, Sent: true, Alert: desc, Err: err})
		}
	}
	var received *record.AlertReceivedError
	if errors.As(err, &received) && c.traceEnabled() {
		c.trace(Event{Kind: EventAlert, Alert: received.Description, Err: err})
	}
	herr := &Error{Phase: Phase(c.phase.Load()), Alert: desc, Sent: send, Err: err}
	c.setPhase(PhaseFailed)
	return herr
}

// establish makes the connection live. It takes the proof that the peer's
// Finished verified, so no code path can reach application data without
// checking it (STYLE §3).
func (c *Conn) establish(_ finishedVerified) {
	c.state.HandshakeComplete = true
	c.state.Version = uint16(VersionTLS12)
	c.setPhase(PhaseEstablished)
}

// finishedVerified proves that the peer's Finished message was checked
// against our own transcript and master secret. Only checkPeerFinished
// creates one.
type finishedVerified struct{}

// checkPeerFinished compares the peer's verify_data with ours in constant
// time and returns the proof that it matched.
//
// spec: rfc5246#7.4.9 ("Recipients of Finished messages MUST verify that the
// contents are correct.")
func checkPeerFinished(m *Finished, want []byte) (finishedVerified, error) {
	if !verifyDataEqual(m.VerifyData, want) {
		return finishedVerified{}, ErrBadFinished
	}
	return finishedVerified{}, nil
}

// readHandshake reads the next handshake message, insists that it is of
// type want (else unexpected_message), parses it into m and adds its bytes,
// as received, to the transcript. The record layer checks the type from the
// message's header, before its length: a message out of order is
// unexpected_message even when its length is wrong for its type too.
//
// spec: rfc5246#7.3, rfc5246#7.4 ("Handshake messages MUST be sent in the
// order specified; any other order is an unexpected_message.")
func (c *Conn) readHandshake(want HandshakeType, m Message) error {
	for {
		data, err := c.rec.ReadHandshakeOf(uint8(want))
		if err != nil {
			return err
		}
		got := HandshakeType(data[0])
		if got == TypeHelloRequest && c.isClient && len(data) == headerLen {
			// spec: rfc5246#7.4.1.1 "This message will be ignored by the
			// client if the client is currently negotiating a session."
			// It is not part of the transcript.
			if c.traceEnabled() {
				c.traceMessage(false, &HelloRequest{Raw: data}, data)
			}
			continue
		}
		if got != want {
			return failf(ErrUnexpectedMessage, "received %v while waiting for %v", got, want)
		}
		if err := m.Unmarshal(data); err != nil {
			return err
		}
		c.transcript.write(data)
		c.traceMessage(false, m, data)
		return nil
	}
}

// readHandshakeOf is readHandshake for a step where one of several message
// types may come next; it returns the parsed message.
func (c *Conn) readHandshakeOf(types ...HandshakeType) (Message, error) {
	expect := make([]uint8, len(types))
	for i, t := range types {
		expect[i] = uint8(t)
	}
	for {
		data, err := c.rec.ReadHandshakeOf(expect...)
		if err != nil {
			return nil, err
		}
		got := HandshakeType(data[0])
		if got == TypeHelloRequest && c.isClient && len(data) == headerLen {
			// spec: rfc5246#7.4.1.1, ignored as in readHandshake, and
			// traced as there.
			if c.traceEnabled() {
				c.traceMessage(false, &HelloRequest{Raw: data}, data)
			}
			continue
		}
		expected := false
		for _, t := range types {
			expected = expected || got == t
		}
		if !expected {
			return nil, failf(ErrUnexpectedMessage, "received %v while waiting for one of %v", got, types)
		}
		m := NewMessage(got)
		if err := m.Unmarshal(data); err != nil {
			return nil, err
		}
		c.transcript.write(data)
		c.traceMessage(false, m, data)
		return m, nil
	}
}

// writeFlight marshals msgs, adds them to the transcript and sends them
// together.
func (c *Conn) writeFlight(msgs ...Message) error {
	raws := make([][]byte, 0, len(msgs))
	for _, m := range msgs {
		raw, err := m.Marshal()
		if err != nil {
			return err
		}
		c.transcript.write(raw)
		c.traceMessage(true, m, raw)
		raws = append(raws, raw)
	}
	return c.sendFlight(raws)
}

// sendFlight writes already hashed messages as one flight.
func (c *Conn) sendFlight(raws [][]byte) error {
	if c.config.testHookFlight != nil {
		raws = c.config.testHookFlight(raws)
	}
	if c.config.testRawRecords {
		// Each message in its own plaintext record, written directly so
		// that headers the record layer would refuse reach the peer.
		var out []byte
		for _, m := range raws {
			out = append(out, byte(22), 3, 3, byte(len(m)>>8), byte(len(m)))
			out = append(out, m...)
		}
		_, err := c.conn.Write(out)
		return err
	}
	return c.rec.WriteHandshake(raws...)
}

// writeChangeCipherSpec sends ChangeCipherSpec, which activates our pending
// keys. spec: rfc5246#7.1
func (c *Conn) writeChangeCipherSpec() error {
	if c.config.testSkipCCS {
		return nil
	}
	return c.rec.WriteChangeCipherSpec()
}

// installKeys derives the record protection for both directions and sets it
// as pending; ChangeCipherSpec makes each direction's keys active.
//
// spec: rfc5246#6.3, rfc5246#7.1
func (c *Conn) installKeys(s *suite, kb KeyBlock) error {
	clientProt, err := s.newProtection(kb.ClientKey, kb.ClientIV)
	if err != nil {
		return err
	}
	serverProt, err := s.newProtection(kb.ServerKey, kb.ServerIV)
	if err != nil {
		return err
	}
	if c.isClient {
		c.rec.SetPendingWrite(clientProt)
		c.rec.SetPendingRead(serverProt)
	} else {
		c.rec.SetPendingWrite(serverProt)
		c.rec.SetPendingRead(clientProt)
	}
	return nil
}

// deriveKeys runs the key schedule from the premaster secret: the master
// secret (extended when negotiated, over the session hash that ends with
// ClientKeyExchange), the key log line, and the key block.
//
// spec: rfc5246#8.1, rfc7627#4, rfc5246#6.3
func (c *Conn) deriveKeys(s *suite, preMasterSecret, clientRandom, serverRandom []byte) (masterSecret []byte, err error) {
	c.setPhase(PhaseKeyDerivation)
	c.traceKey("premaster secret", preMasterSecret)
	if c.state.ExtendedMasterSecret {
		sessionHash := c.transcript.sum()
		c.traceKey("session hash", sessionHash)
		masterSecret = ExtendedMasterSecret(s.prf, preMasterSecret, sessionHash)
	} else {
		masterSecret = MasterSecret(s.prf, preMasterSecret, clientRandom, serverRandom)
	}
	if err := c.keysFromMasterSecret(s, masterSecret, clientRandom, serverRandom); err != nil {
		return nil, err
	}
	return masterSecret, nil
}

// keysFromMasterSecret is the part of the key schedule a full and an
// abbreviated handshake share: the key log line, then the key block from
// the master secret and the two randoms of this handshake, installed as
// pending keys.
//
// spec: rfc5246#6.3, rfc5246#7.1
func (c *Conn) keysFromMasterSecret(s *suite, masterSecret, clientRandom, serverRandom []byte) error {
	c.traceKey("master secret", masterSecret)
	if err := c.config.writeKeyLog(clientRandom, masterSecret); err != nil {
		return fmt.Errorf("%w: writing KeyLogWriter: %v", ErrConfig, err)
	}
	kb := KeyExpansion(s.prf, masterSecret, clientRandom, serverRandom, s.keyLen, s.ivLen)
	c.traceKey("key block", kb.Raw)
	c.traceKey("client_write_key", kb.ClientKey)
	c.traceKey("server_write_key", kb.ServerKey)
	c.traceKey("client_write_IV", kb.ClientIV)
	c.traceKey("server_write_IV", kb.ServerIV)
	return c.installKeys(s, kb)
}

// Read reads application data, running the handshake first if needed. A
// renegotiation attempt by the peer is refused with a no_renegotiation
// warning and reading goes on (spec: rfc5746#4.2, rfc5246#7.4.1.1). After
// the peer's close_notify Read returns io.EOF; if the transport ends without
// it, record.ErrTruncated.
func (c *Conn) Read(b []byte) (int, error) {
	if err := c.Handshake(); err != nil {
		return 0, err
	}
	for {
		n, err := c.rec.ReadApplicationData(b)
		var post *record.PostHandshakeError
		if errors.As(err, &post) {
			if err := c.handlePostHandshake13(post.Message); err != nil {
				if desc, send := alertFor(err); send {
					_ = c.rec.SendAlert(record.Fatal, desc)
				}
				return 0, err
			}
			continue
		}
		if err != nil && errors.Is(err, record.ErrRenegotiation) {
			if aerr := c.rec.SendAlert(record.Warning, record.NoRenegotiation); aerr != nil {
				return n, aerr
			}
			if c.traceEnabled() {
				c.trace(Event{Kind: EventAlert, Sent: true, Alert: record.NoRenegotiation, Err: err})
			}
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err != nil {
			_ = c.rec.SendAlertFor(err)
		}
		return n, err
	}
}

// Write sends application data, running the handshake first if needed.
func (c *Conn) Write(b []byte) (int, error) {
	if err := c.Handshake(); err != nil {
		return 0, err
	}
	return c.rec.WriteApplicationData(b)
}

// Close sends close_notify (after a completed handshake) and closes the
// underlying connection.
//
// spec: rfc5246#7.2.1
func (c *Conn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return net.ErrClosed
	}
	var alertErr error
	if c.handshakeDone.Load() {
		c.setPhase(PhaseClosed)
		_ = c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		alertErr = c.rec.SendAlert(record.Warning, record.CloseNotify)
		if errors.Is(alertErr, record.ErrClosed) {
			alertErr = nil // a fatal alert or close_notify was already sent
		}
	}
	if err := c.conn.Close(); err != nil {
		return err
	}
	return alertErr
}

// ConnectionState returns the negotiated parameters.
func (c *Conn) ConnectionState() ConnectionState {
	if !c.handshakeDone.Load() {
		return ConnectionState{}
	}
	return c.state
}

// NetConn returns the underlying connection.
func (c *Conn) NetConn() net.Conn { return c.conn }

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr { return c.conn.LocalAddr() }

// RemoteAddr returns the remote network address.
func (c *Conn) RemoteAddr() net.Addr { return c.conn.RemoteAddr() }

// SetDeadline sets the read and write deadlines of the underlying connection;
// they bound the handshake too.
func (c *Conn) SetDeadline(t time.Time) error { return c.conn.SetDeadline(t) }

// SetReadDeadline sets the read deadline of the underlying connection.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.conn.SetReadDeadline(t) }

// SetWriteDeadline sets the write deadline of the underlying connection.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.conn.SetWriteDeadline(t) }

// Dial connects to addr and runs a client handshake. When config.ServerName
// is empty the host part of addr is used.
//
// spec: rfc5246#7.3, rfc6066#3 (the name goes into server_name)
func Dial(network, addr string, config *Config) (*Conn, error) {
	return DialContext(context.Background(), network, addr, config)
}

// DialContext is Dial with a context bounding the connection and the
// handshake.
//
// spec: rfc5246#7.3
func DialContext(ctx context.Context, network, addr string, config *Config) (*Conn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	cfg := config.Clone()
	if cfg == nil {
		cfg = &Config{}
	}
	if cfg.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		cfg.ServerName = host
	}
	c := Client(raw, cfg)
	if err := c.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, err
	}
	return c, nil
}

type listener struct {
	net.Listener
	config *Config
}

// Accept waits for a connection and returns it as a server *Conn; the
// handshake runs on its first Read or Write.
func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return Server(c, l.config), nil
}

// NewListener returns a listener whose connections are minitls servers.
//
// spec: rfc5246#7.3
func NewListener(inner net.Listener, config *Config) net.Listener {
	return &listener{Listener: inner, config: config}
}

// Listen listens on laddr and returns a listener of minitls servers.
//
// spec: rfc5246#7.3
func Listen(network, laddr string, config *Config) (net.Listener, error) {
	if config == nil || len(config.Certificates) == 0 {
		return nil, ErrNoCertificate
	}
	l, err := net.Listen(network, laddr)
	if err != nil {
		return nil, err
	}
	return NewListener(l, config), nil
}
