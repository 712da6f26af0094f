package main

// minitls serve: HTTPS through net/http on a minitls listener. Each
// connection gets its own Trace hook, so the page (serve_page.go) can tell
// a visitor about their own handshake (serve_flow.go keeps its messages,
// what the client offered and the key exchange), and the log gets one
// line per connection, failed handshakes included.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"minitls/handshake"
	"minitls/record"
)

func init() {
	register(command{
		name:    "serve",
		summary: "HTTPS through net/http on a minitls listener",
		order:   20,
		run:     serveRun,
	})
}

// serveLimits are the bounds that keep one visitor, or a crowd of idle
// ones, from holding the server's connections and descriptors forever:
// each a flag of serve, with defaults of the kind production Go servers
// use.
type serveLimits struct {
	handshake time.Duration // the TLS handshake of a new connection
	read      time.Duration // reading one request, headers and body
	write     time.Duration // writing one response
	idle      time.Duration // a keep-alive connection waiting for its next request
	maxConns  int           // connections open at once; more wait in the kernel's backlog
}

// servePagePath is where the handshake page lives when -root serves files.
const servePagePath = "/.minitls"

// serveConnInfo is what one connection's Trace hook learned.
type serveConnInfo struct {
	remote string
	conn   *handshake.Conn

	mu          sync.Mutex
	helloAt     time.Time // ClientHello received
	ckeAt       time.Time // ClientKeyExchange received
	derivedAt   time.Time // premaster secret decrypted (or agreed), key derivation starts
	establishAt time.Time
	offered     []handshake.CipherSuite // from the ClientHello
	clientVer   handshake.ProtocolVersion
	alertSent   string
	keyBits     int

	// serve_flow.go: the handshake as the page draws it.
	flow          []serveFlowMsg
	unsent        []int // indexes in flow of server messages whose record is not yet written
	readProtected bool  // the last record read was protected
	hello         *handshake.ClientHello
	kx            serveKX

	clientScheme handshake.SignatureScheme // the visitor's CertificateVerify (serve_clientcert.go)
}

// trace is the connection's Config.Trace. It keeps timestamps and the
// client's offer, never a secret.
func (in *serveConnInfo) trace(e handshake.Event) {
	now := time.Now()
	in.mu.Lock()
	defer in.mu.Unlock()
	in.flowEvent(e, now)
	switch e.Kind {
	case handshake.EventMessage:
		if e.Sent {
			return
		}
		switch m := e.Message.(type) {
		case *handshake.ClientHello:
			in.helloAt = now
			in.offered = append([]handshake.CipherSuite(nil), m.CipherSuites...)
			in.clientVer = m.Version
		case *handshake.ClientKeyExchange:
			in.ckeAt = now
			in.keyBits = 8 * len(m.EncryptedPreMasterSecret)
		case *handshake.ECDHEClientKeyExchange:
			in.ckeAt = now
		case *handshake.CertificateVerify: // a server receives only the client's
			in.clientScheme = m.Scheme
		}
	case handshake.EventPhase:
		switch e.Phase {
		case handshake.PhaseKeyDerivation:
			in.derivedAt = now
		case handshake.PhaseEstablished:
			in.establishAt = now
		}
	case handshake.EventAlert:
		in.alertSent = e.Alert.String()
	}
}

// rsaTime is the time between receiving the ClientKeyExchange and starting
// key derivation: the RSA private decryption of the premaster secret (with
// its constant-time checks), which is what dominates a server's handshake;
// under ECDHE_RSA, the shared secret instead.
func (in *serveConnInfo) rsaTime() time.Duration {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.ckeAt.IsZero() || in.derivedAt.IsZero() {
		return 0
	}
	return in.derivedAt.Sub(in.ckeAt)
}

func (in *serveConnInfo) handshakeTime() time.Duration {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.helloAt.IsZero() || in.establishAt.IsZero() {
		return 0
	}
	return in.establishAt.Sub(in.helloAt)
}

// serveListener hands out minitls server connections, each with a Config
// of its own whose Trace hook records into that connection's info, and at
// most cap(slots) of them at once: Accept waits for a slot, which a
// connection gives back when it closes.
type serveListener struct {
	net.Listener
	config           *handshake.Config
	log              *log.Logger
	handshakeTimeout time.Duration

	slots     chan struct{} // one element per open connection
	done      chan struct{} // closed by Close, so a waiting Accept returns
	closeOnce sync.Once
	full      bool // the last Accept found every slot taken (logged once per episode)
}

func newServeListener(ln net.Listener, cfg *handshake.Config, logger *log.Logger, lim serveLimits) *serveListener {
	return &serveListener{Listener: ln, config: cfg, log: logger, handshakeTimeout: lim.handshake,
		slots: make(chan struct{}, lim.maxConns), done: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection. net/http calls it
// from one goroutine.
func (l *serveListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
		l.full = false
	default:
		if !l.full {
			l.log.Printf("all %d connection slots in use (-max-conns): new connections wait until one closes", cap(l.slots))
			l.full = true
		}
		select {
		case l.slots <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
	raw, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	info := &serveConnInfo{remote: raw.RemoteAddr().String()}
	c := handshake.Server(raw, l.connConfig(info))
	info.conn = c
	return &serveConn{Conn: c, info: info, log: l.log, handshakeTimeout: l.handshakeTimeout, slots: l.slots}, nil
}

// connConfig is the Config of one connection: serve's, with a Trace hook
// that records into info. That hook sees real traffic, so it never opts
// in to the secrets of the key schedule.
func (l *serveListener) connConfig(info *serveConnInfo) *handshake.Config {
	cfg := l.config.Clone()
	cfg.Trace = info.trace
	cfg.TraceSecrets = false
	return cfg
}

// Close stops accepting, including an Accept waiting for a slot.
func (l *serveListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// serveConn runs the handshake on first use (in the connection's own
// goroutine, never in Accept) and logs its outcome once; closing it frees
// its listener slot.
type serveConn struct {
	*handshake.Conn
	info             *serveConnInfo
	log              *log.Logger
	handshakeTimeout time.Duration
	once             sync.Once
	err              error
	slots            chan struct{}
	closeOnce        sync.Once
}

func (c *serveConn) handshake() error {
	c.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), c.handshakeTimeout)
		defer cancel()
		c.err = c.Conn.HandshakeContext(ctx)
		c.log.Print(serveLogLine(c.info, c.err))
	})
	return c.err
}

// Close closes the connection and gives its slot back, once.
func (c *serveConn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(func() { <-c.slots })
	return err
}

func (c *serveConn) Read(b []byte) (int, error) {
	if err := c.handshake(); err != nil {
		return 0, err
	}
	return c.Conn.Read(b)
}

func (c *serveConn) Write(b []byte) (int, error) {
	if err := c.handshake(); err != nil {
		return 0, err
	}
	return c.Conn.Write(b)
}

// serveLogLine is the one log line of a connection.
func serveLogLine(in *serveConnInfo, err error) string {
	if err == nil {
		st := in.conn.ConnectionState()
		in.mu.Lock()
		kx := in.kx
		in.mu.Unlock()
		if kx.version == serveTLS13 {
			// No RSA decryption and no extended master secret in TLS 1.3:
			// its group instead.
			return fmt.Sprintf("%s handshake ok: %v, TLS 1.3, group %s, resumed=%s, sni=%s, alpn=%s, handshake %s",
				in.remote, handshake.CipherSuite(st.CipherSuite), serveGroupName(kx.group), serveYesNo(st.DidResume),
				serveOr(st.ServerName, "-"), serveOr(st.NegotiatedProtocol, "-"), cliDuration(in.handshakeTime())) + serveClientLog(st)
		}
		// The time from ClientKeyExchange to the keys is RSA decryption
		// in RSA key transport, the shared secret under ECDHE.
		kxCost := "rsa decrypt"
		if kx.group != 0 {
			kxCost = "ecdhe " + serveGroupName(kx.group)
		}
		return fmt.Sprintf("%s handshake ok: %v, resumed=%s, ems=%s, sni=%s, alpn=%s, %s %s, handshake %s",
			in.remote, handshake.CipherSuite(st.CipherSuite), serveYesNo(st.DidResume), serveYesNo(st.ExtendedMasterSecret),
			serveOr(st.ServerName, "-"), serveOr(st.NegotiatedProtocol, "-"),
			kxCost, cliDuration(in.rsaTime()), cliDuration(in.handshakeTime())) + serveClientLog(st)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s handshake failed", in.remote)
	var herr *handshake.Error
	if errors.As(err, &herr) {
		fmt.Fprintf(&sb, " in phase %v", herr.Phase)
	}
	var rcvd *record.AlertReceivedError
	switch {
	case errors.As(err, &rcvd):
		fmt.Fprintf(&sb, ": client sent alert %v (%s)", rcvd.Description, rcvd.Description.Meaning())
	case in.alertSent != "":
		fmt.Fprintf(&sb, ": sent alert %s", in.alertSent)
	default:
		sb.WriteString(": no alert sent")
	}
	cause := ""
	if rcvd == nil {
		c := err
		if herr != nil && herr.Err != nil {
			c = herr.Err
		}
		cause = strings.ReplaceAll(c.Error(), "\n", " ")
		fmt.Fprintf(&sb, ": %s", cause)
	}
	if (errors.Is(err, handshake.ErrNoCommonCipherSuite) || errors.Is(err, handshake.ErrUnsupportedVersion)) &&
		!strings.Contains(cause, "offered") {
		fmt.Fprintf(&sb, "; client offered %s %s", in.clientVer, serveSuiteList(in.offered))
	}
	return sb.String()
}

func serveSuiteList(s []handshake.CipherSuite) string {
	names := make([]string, len(s))
	for i, x := range s {
		names[i] = x.String()
	}
	return "[" + strings.Join(names, " ") + "]"
}

func serveYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func serveOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

type serveCtxKey struct{}

// serveOptions are serve's flags, parsed.
type serveOptions struct {
	addr, root, suite, keylog, clientCA, clientAuth string
	certFiles, keyFiles                             serveFileList
	lim                                             serveLimits
}

// serveRun is `minitls serve`: read the flags, build the Config, listen,
// then serve until Ctrl-C or SIGTERM.
func serveRun(args []string, stdout, stderr io.Writer) error {
	o, err := serveParse(args, stderr)
	if err != nil {
		return err
	}
	cfg, keylog, err := serveConfig(o)
	if err != nil {
		return err
	}
	if keylog != nil {
		defer keylog.Close()
	}
	if o.root != "" {
		if st, err := os.Stat(o.root); err != nil || !st.IsDir() {
			return fmt.Errorf("-root %s: not a directory", o.root)
		}
	}
	logger := log.New(stderr, "", log.LstdFlags)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("-addr %s is already in use: stop the other server or pick another port", o.addr)
		}
		return fmt.Errorf("-addr %s: cannot listen: %w", o.addr, err)
	}
	srv := serveHTTPServer(o, logger)
	logger.Printf("listening on https://%s/%s; Ctrl-C to stop", ln.Addr(), serveCertificatesLine(cfg.Certificates))
	return serveUntilSignal(srv, newServeListener(ln, cfg, logger, o.lim), logger)
}

// serveParse defines serve's flags and reads them; a bad flag, argument or
// limit is a usage error (exit status 2).
func serveParse(args []string, stderr io.Writer) (*serveOptions, error) {
	set := newFlagSet("serve", "[-addr HOST:PORT] [-cert FILE] [-key FILE] [flags]",
		"Serves HTTPS through Go's net/http on a minitls listener. Without -root every\n"+
			"path shows a page explaining the visitor's own handshake; with -root the\n"+
			"files of DIR are served and that page is at "+servePagePath+".\n"+
			"One log line per connection (failed handshakes too, with the alert sent).\n"+
			"Slow, idle and surplus connections are bounded by the -*-timeout and\n"+
			"-max-conns flags. Ctrl-C shuts down gracefully. Make a certificate with\n"+
			"'minitls certgen'.", stderr)
	var o serveOptions
	set.StringVar(&o.addr, "addr", "127.0.0.1:8443", "address to listen on (port 0: any free port)")
	set.Var(&o.certFiles, "cert", "PEM certificate chain, server certificate first (default server.pem);\nrepeat with -key to serve an RSA and an ECDSA certificate")
	set.Var(&o.keyFiles, "key", "PEM private key, RSA or ECDSA, of the -cert in the same position\n(default server.key)")
	set.StringVar(&o.root, "root", "", "serve the files of this directory")
	set.StringVar(&o.suite, "suite", "", cliSuiteUsage("accept only this suite (default: all four)"))
	set.StringVar(&o.keylog, "keylog", "", "append NSS key log lines to FILE for Wireshark (exposes the keys)")
	set.StringVar(&o.clientCA, "clientca", "", "ask visitors for a client certificate issued by a CA in FILE\n(mutual TLS; e.g. the ca.pem of 'minitls certgen')")
	set.StringVar(&o.clientAuth, "clientauth", "require", "with -clientca: require a certificate, or request one\n(a visitor without one is still served)")
	set.DurationVar(&o.lim.handshake, "handshake-timeout", 10*time.Second, "close a connection whose TLS handshake takes longer")
	set.DurationVar(&o.lim.read, "read-timeout", 30*time.Second, "close a connection that takes longer to send a request")
	set.DurationVar(&o.lim.write, "write-timeout", 60*time.Second, "close a connection that takes longer to take a response")
	set.DurationVar(&o.lim.idle, "idle-timeout", 2*time.Minute, "close a keep-alive connection idle this long")
	set.IntVar(&o.lim.maxConns, "max-conns", 256, "serve at most N connections at once; more wait")
	if err := parseFlags(set, args); err != nil {
		return nil, err
	}
	if set.NArg() > 0 {
		return nil, &exitError{code: 2, err: fmt.Errorf("unexpected argument %q (see -h)", set.Arg(0))}
	}
	if err := o.lim.check(); err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	return &o, nil
}

// serveConfig is the server's Config: the certificates, the -suite, the
// key log (returned, for the caller to close) and client authentication.
func serveConfig(o *serveOptions) (*handshake.Config, *os.File, error) {
	certs, err := serveLoadCertificates(o.certFiles, o.keyFiles)
	if err != nil {
		return nil, nil, err
	}
	suites, err := cliParseSuite(o.suite)
	if err != nil {
		return nil, nil, &exitError{code: 2, err: err}
	}
	// Returning clients resume: by ticket (on by default) or, for clients that
	// do not take tickets (curl with TLS 1.2), by session ID from this cache.
	cfg := &handshake.Config{Certificates: certs, NextProtos: []string{"http/1.1"}, CipherSuites: suites,
		SessionCacheSize: 1024}
	var keylog *os.File
	if o.keylog != "" {
		if keylog, err = cliOpenKeyLog(o.keylog); err != nil {
			return nil, nil, err
		}
		cfg.KeyLogWriter = keylog
	}
	if err := serveClientAuth(cfg, o.clientCA, o.clientAuth); err != nil {
		if keylog != nil {
			keylog.Close()
		}
		return nil, nil, err
	}
	return cfg, keylog, nil
}

// serveHTTPServer is the net/http server: the page (or -root's files and
// the page at servePagePath), serve's timeouts, and each request's context
// carrying its connection's serveConnInfo for the page.
func serveHTTPServer(o *serveOptions, logger *log.Logger) *http.Server {
	mux := http.NewServeMux()
	if o.root != "" {
		mux.HandleFunc(servePagePath, servePage)
		mux.Handle("/", http.FileServer(http.Dir(o.root)))
	} else {
		mux.HandleFunc("/", servePage)
	}
	return &http.Server{
		Handler:      mux,
		ReadTimeout:  o.lim.read,
		WriteTimeout: o.lim.write,
		IdleTimeout:  o.lim.idle,
		ErrorLog:     logger,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if sc, ok := c.(*serveConn); ok {
				return context.WithValue(ctx, serveCtxKey{}, sc.info)
			}
			return ctx
		},
	}
}

// serveUntilSignal serves on ln until Ctrl-C or SIGTERM, then shuts down
// gracefully: requests in flight get up to 5 s to finish.
func serveUntilSignal(srv *http.Server, ln net.Listener, logger *log.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Print("shutting down: finishing requests in flight (up to 5 s)")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Print("stopped")
	return nil
}

// check refuses limits that would make serve useless.
func (lim serveLimits) check() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"-handshake-timeout", lim.handshake}, {"-read-timeout", lim.read}, {"-write-timeout", lim.write}, {"-idle-timeout", lim.idle}} {
		if d.v <= 0 {
			return fmt.Errorf("%s must be positive, not %v", d.name, d.v)
		}
	}
	if lim.maxConns < 1 {
		return fmt.Errorf("-max-conns must be at least 1, not %d", lim.maxConns)
	}
	return nil
}
