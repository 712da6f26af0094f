package main

// minitls get: fetch one URL over minitls, like curl. The body goes to
// stdout; -v writes a summary of the handshake to stderr, -trace the
// annotated records. Every failure is one line that says what went wrong and
// what to do about it.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"minitls/handshake"
	"minitls/record"
	"minitls/x509lite"
)

func init() {
	register(command{
		name:    "get",
		summary: "fetch an https:// URL over minitls, like curl",
		order:   30,
		run:     getRun,
	})
}

func getRun(args []string, stdout, stderr io.Writer) error {
	set := newFlagSet("get", "[flags] https://HOST[:PORT]/PATH [flags]",
		"Fetches the URL over minitls (TLS 1.3 or 1.2) and writes the body to stdout.\n"+
			"The server's certificate is checked against the system's roots, or the\n"+
			"CA certificates in -cafile (e.g. the ca.pem of 'minitls certgen').\n"+
			"Flags may come before or after the URL, as with curl.\n\n"+
			"Measuring: -n N, -resume, -timing or -json make N connections (2 with\n"+
			"-resume alone) one after the other and print one line for each, then\n"+
			"min/median/max of the handshake time; the bodies are read and counted,\n"+
			"not printed. -resume resumes the first session on the others (session\n"+
			"ticket, else session ID) and says whether each was resumed and by what;\n"+
			"-timing says where each handshake's time went, measured on the client.", stderr)
	cafile := set.String("cafile", "", "PEM file of the CA certificates to trust instead of the system's")
	insecure := set.Bool("insecure", false, "do not check the server's certificate (for looking at it only)")
	verbose := set.Bool("v", false, "describe the handshake and the response on stderr")
	traceFlag := set.Bool("trace", false, "print every record as annotated hex on stderr")
	keylog := set.String("keylog", "", "append NSS key log lines to FILE for Wireshark (exposes the keys)")
	suite := set.String("suite", "", cliSuiteUsage("offer only this suite (default: all four, ECDHE first)"))
	timeout := set.Duration("timeout", 10*time.Second, "give up after this long (connect, handshake and response)")
	connect := set.String("connect", "", "dial HOST:PORT but check the URL's host (like curl --connect-to)")
	group := set.String("group", "", "offer only this key exchange group: x25519, p256, p384 or,\nTLS 1.3 only, x25519mlkem768 (openssl's -groups names work too)")
	maxVersion := set.String("max-version", "", "the highest TLS version to offer: 1.2 or 1.3 (default 1.3)")
	count := set.Int("n", 0, "make N connections one after the other and summarize\ntheir handshake times")
	resume := set.Bool("resume", false, "resume the first connection's session on the next ones\n(session ticket, else session ID)")
	timing := set.Bool("timing", false, "say where each handshake's time went: network and server,\nverification, key exchange")
	asJSON := set.Bool("json", false, "write the measurements as JSON (schema "+getSchema+") instead of lines")
	clientCert := set.String("cert", "", "PEM client certificate chain to present when the server asks\n(mutual TLS; e.g. client.pem of 'minitls certgen'); needs -key")
	clientKey := set.String("key", "", "PEM private key of -cert (RSA or ECDSA)")
	operands, err := parseInterspersed(set, args)
	if err != nil {
		return err
	}
	if len(operands) != 1 {
		set.Usage()
		return &exitError{code: 2, err: errors.New("give exactly one https:// URL")}
	}
	rawURL := operands[0]
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" {
		return &exitError{code: 2, err: fmt.Errorf("%q is not an https://HOST[:PORT]/PATH URL", rawURL)}
	}
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = "443"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return &exitError{code: 2, err: fmt.Errorf("%q: port %s is not between 1 and 65535", rawURL, port)}
	}
	addr := net.JoinHostPort(host, port)
	if *connect != "" {
		addr = *connect
	}
	suites, err := cliParseSuite(*suite)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	curves, err := getParseGroup(*group)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	highest, err := getParseVersion(*maxVersion)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if highest == uint16(handshake.VersionTLS12) && slices.Contains(curves, handshake.CurveX25519MLKEM768) {
		return &exitError{code: 2, err: errors.New("-group x25519mlkem768 is a TLS 1.3 group, and -max-version 1.2 leaves no TLS 1.3: drop one of them")}
	}
	measure := getMeasureOptions{n: *count, resume: *resume, timing: *timing, asJSON: *asJSON}
	if measure.n < 0 || (measure.n == 1 && measure.resume) {
		return &exitError{code: 2, err: fmt.Errorf("-n %d: give at least 1 connection, and at least 2 with -resume (one full handshake, then resumptions)", measure.n)}
	}
	measuring := measure.n > 0 || measure.resume || measure.timing || measure.asJSON
	if measure.n == 0 {
		measure.n = 1
		if measure.resume {
			measure.n = 2
		}
	}
	cfg := &handshake.Config{
		ServerName:         host,
		CipherSuites:       suites,
		CurvePreferences:   curves,
		MaxVersion:         highest,
		InsecureSkipVerify: *insecure,
		NextProtos:         []string{"http/1.1"},
	}
	if err := getClientCertificate(cfg, *clientCert, *clientKey); err != nil {
		return err
	}
	if *cafile != "" {
		pool, _, err := x509lite.LoadCertPool(*cafile)
		if err != nil {
			return fmt.Errorf("-cafile: %v", err)
		}
		cfg.RootCAs = pool
	}
	if *keylog != "" {
		f, err := cliOpenKeyLog(*keylog)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.KeyLogWriter = f
	}
	st := cliStyle{on: colorEnabled(stderr)}
	target := &getTarget{u: u, host: host, addr: addr, cfg: cfg, timeout: *timeout, signals: &getSignals{}}
	signals := target.signals
	var printer *tracePrinter
	if *traceFlag {
		printer = newTracePrinter(stderr, st, true, true)
	}
	cfg.Trace = func(e handshake.Event) {
		if target.onEvent != nil {
			target.onEvent(e) // first: the timestamps of -timing
		}
		target.signals.trace(e)
		if printer != nil {
			printer.event(e)
		}
	}
	if measuring {
		return getMeasure(target, measure, stdout)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	start := time.Now()
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return getExplain(err, addr, host, *timeout, "")
	}
	defer raw.Close()
	if dl, ok := ctx.Deadline(); ok {
		raw.SetDeadline(dl)
	}
	connected := time.Since(start)
	conn := handshake.Client(raw, cfg)
	if err := conn.HandshakeContext(ctx); err != nil {
		return getExplain(err, addr, host, *timeout, signals.cause(err, true))
	}
	handshaken := time.Since(start)
	cs := conn.ConnectionState()
	if *verbose {
		getSummary(stderr, st, conn, cs, connected, handshaken, *insecure)
		if signals.certificateSent.Load() && cfg.Certificates[0].Leaf != nil {
			fmt.Fprintf(stderr, "* client certificate presented: %s (the server asked with a CertificateRequest; CertificateVerify signed the handshake)\n",
				cfg.Certificates[0].Leaf.Subject)
		}
	}

	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "minitls-get")
	req.Close = true
	if err := req.Write(conn); err != nil {
		return getExplain(err, addr, host, *timeout, signals.cause(err, false))
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return getExplain(err, addr, host, *timeout, signals.cause(err, false))
	}
	defer resp.Body.Close()
	if *verbose {
		fmt.Fprintf(stderr, "%s %s %s, %s\n", st.cyan("<"), resp.Proto, resp.Status, getLength(resp.ContentLength))
		for _, k := range []string{"Content-Type", "Server", "Date"} {
			if v := resp.Header.Get(k); v != "" {
				fmt.Fprintf(stderr, "%s %s: %s\n", st.cyan("<"), k, v)
			}
		}
	}
	n, err := io.Copy(stdout, resp.Body)
	if err != nil {
		return getExplain(err, addr, host, *timeout, signals.cause(err, false))
	}
	if *verbose {
		fmt.Fprintf(stderr, "* %d body bytes in %s in all\n", n, cliDuration(time.Since(start)))
	}
	conn.Close()
	return nil
}

// getTarget is what every connection of one get run shares.
type getTarget struct {
	u          *url.URL
	host, addr string // the URL's host, and where to dial (-connect)
	dial       string // addr with the host looked up (resolve)
	cfg        *handshake.Config
	timeout    time.Duration
	signals    *getSignals
	// onEvent, when set, sees every trace event first (getRecorder).
	onEvent func(handshake.Event)
}

// getGroups maps the names of -group to the groups minitls implements:
// curl's and openssl's (-groups, -curves) names, and short ones.
// spec: rfc8422#5.1.1, rfc7748, draft-ietf-tls-ecdhe-mlkem
var getGroups = map[string]handshake.CurveID{
	"x25519":         handshake.CurveX25519,
	"p256":           handshake.CurveP256,
	"p-256":          handshake.CurveP256,
	"secp256r1":      handshake.CurveP256,
	"prime256v1":     handshake.CurveP256,
	"p384":           handshake.CurveP384,
	"p-384":          handshake.CurveP384,
	"secp384r1":      handshake.CurveP384,
	"x25519mlkem768": handshake.CurveX25519MLKEM768,
}

// getParseGroup returns the curve preferences for -group ("" is the
// library's default).
func getParseGroup(name string) ([]handshake.CurveID, error) {
	if name == "" {
		return nil, nil
	}
	g, ok := getGroups[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return nil, fmt.Errorf("unknown group %q: minitls implements x25519, p256 (also called secp256r1, prime256v1, P-256), p384 (secp384r1, P-384) and, with TLS 1.3, x25519mlkem768", name)
	}
	return []handshake.CurveID{g}, nil
}

// getParseVersion returns Config.MaxVersion for -max-version ("" is the
// library's default, TLS 1.3). spec: rfc8446#4.2.1
func getParseVersion(v string) (uint16, error) {
	switch strings.TrimPrefix(strings.ToLower(strings.TrimSpace(v)), "tls") {
	case "":
		return 0, nil
	case "1.2":
		return uint16(handshake.VersionTLS12), nil
	case "1.3":
		return uint16(handshake.VersionTLS13), nil
	}
	return 0, fmt.Errorf("-max-version %q: minitls speaks 1.2 and 1.3", v)
}

func getLength(n int64) string {
	if n < 0 {
		return "length not announced"
	}
	return fmt.Sprintf("%d bytes announced", n)
}

// getSummary is the -v description of the handshake.
func getSummary(w io.Writer, st cliStyle, conn *handshake.Conn, cs handshake.ConnectionState,
	connected, handshaken time.Duration, insecure bool) {
	fmt.Fprintf(w, "* connected to %s from %s in %s\n", conn.RemoteAddr(), conn.LocalAddr(), cliDuration(connected))
	fmt.Fprintf(w, "* %v handshake done in %s: %v\n", handshake.ProtocolVersion(cs.Version), cliDuration(handshaken-connected),
		handshake.CipherSuite(cs.CipherSuite))
	ems := "extended master secret: " + serveYesNo(cs.ExtendedMasterSecret)
	if cs.Version == uint16(handshake.VersionTLS13) {
		// TLS 1.3's key schedule hashes the transcript in anyway (rfc8446#7.1).
		ems = "TLS 1.3 key schedule"
	}
	fmt.Fprintf(w, "* %s, SNI: %s, ALPN: %s\n", ems,
		serveOr(cs.ServerName, "not sent (IP address)"), serveOr(cs.NegotiatedProtocol, "none"))
	for i, c := range cs.PeerCertificates {
		role := "server"
		if i > 0 {
			role = fmt.Sprintf("chain[%d]", i)
		}
		bits := 0
		if c.PublicKey != nil {
			bits = 8 * len(c.PublicKey.N)
		}
		fmt.Fprintf(w, "* %s certificate: %s, issued by %s, RSA-%d\n", role, c.Subject, c.Issuer, bits)
		if i == 0 {
			fmt.Fprintf(w, "*   valid %s to %s, names %s\n", c.NotBefore.Format("2006-01-02"),
				c.NotAfter.Format("2006-01-02"), strings.Join(getCertNames(c), ", "))
		}
	}
	if insecure {
		fmt.Fprintln(w, st.red("* certificate NOT verified (-insecure)"))
	} else {
		fmt.Fprintln(w, st.green("* certificate verified: chain to a trusted root, name, dates and usage"))
	}
}

// getCertNames lists the subjectAltName entries a client can match.
func getCertNames(c *x509lite.Certificate) []string {
	var names []string
	for _, n := range c.DNSNames {
		names = append(names, "DNS:"+n)
	}
	for _, ip := range c.IPAddresses {
		names = append(names, "IP:"+ip.String())
	}
	if len(names) == 0 {
		names = []string{"(none: no subjectAltName)"}
	}
	return names
}

// getError is a failure already phrased for a person; the main program
// prints it on one line.
type getError struct {
	msg string
	err error
}

func (e *getError) Error() string { return e.msg }
func (e *getError) Unwrap() error { return e.err }

// getSignals is what the server's own messages say about a failure that
// follows them: the trace hook notes them as they arrive.
type getSignals struct {
	// certificateRequested: the server sent CertificateRequest; without
	// -cert, minitls get answered with an empty Certificate.
	// spec: rfc5246#7.4.4, rfc5246#7.4.6
	certificateRequested atomic.Bool
	// certificateSent: we presented a client certificate (-cert).
	certificateSent atomic.Bool
	// helloRequested: the server sent HelloRequest, asking for a new
	// handshake; minitls ignores it during a handshake and answers it with
	// a no_renegotiation warning after one. spec: rfc5246#7.4.1.1
	helloRequested atomic.Bool
}

func (g *getSignals) trace(e handshake.Event) {
	switch {
	case e.Kind == handshake.EventMessage && !e.Sent:
		switch e.Message.(type) {
		case *handshake.CertificateRequest:
			g.certificateRequested.Store(true)
		case *handshake.HelloRequest:
			g.helloRequested.Store(true)
		}
	case e.Kind == handshake.EventMessage && e.Sent:
		switch m := e.Message.(type) {
		case *handshake.CertificateMessage: // TLS 1.2
			g.certificateSent.Store(len(m.Certificates) > 0)
		case *handshake.Certificate13:
			g.certificateSent.Store(len(m.Entries) > 0)
		}
	case e.Kind == handshake.EventAlert && e.Sent && e.Alert == record.NoRenegotiation:
		// After the handshake the record layer takes the HelloRequest;
		// the refusal is what the trace sees.
		g.helloRequested.Store(true)
	}
}

// cause names what the server wanted when it ended the connection (an
// alert, or closing it) after a CertificateRequest or a HelloRequest, or
// returns "" when err is something else: our own refusal of its
// certificate, a timeout, a failure without either message. A
// CertificateRequest only explains a failed handshake, not a later error.
func (g *getSignals) cause(err error, inHandshake bool) string {
	var received *record.AlertReceivedError
	how := ""
	switch {
	case errors.As(err, &received):
		how = fmt.Sprintf("sent alert %v", received.Description)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, record.ErrTruncated) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		how = "closed the connection"
	default:
		return ""
	}
	// TLS 1.3 names the reason (certificate_required, rfc8446#4.4.2.4),
	// and the server's verdict may come after our Finished.
	required := errors.As(err, &received) && received.Description == record.CertificateRequired
	// Under TLS 1.3 the server judges our certificate after our Finished:
	// its verdict is an alert on the first read.
	refused := received != nil && slices.Contains([]record.AlertDescription{record.BadCertificate, record.UnsupportedCertificate,
		record.CertificateExpired, record.CertificateUnknown, record.UnknownCA, record.DecryptError}, received.Description)
	switch {
	case (inHandshake || required || refused) && g.certificateSent.Load():
		return "the server refused our client certificate (it " + how + "): check that -cert is issued by a CA the server trusts (serve -clientca) for clientAuth, and that -key is its key"
	case (inHandshake && g.certificateRequested.Load()) || required:
		return "the server requires a client certificate and minitls get sent none (the server asked with a CertificateRequest, got an empty Certificate and " +
			how + "): pass -cert FILE -key FILE, e.g. the client.pem and client.key of 'minitls certgen'"
	case g.helloRequested.Load():
		return "the server insisted on renegotiation, which minitls refuses (it sent a HelloRequest, minitls declined to start a new handshake, and the server " +
			how + "); servers do this to ask for a client certificate mid-connection"
	}
	return ""
}

// getExplain turns a failure into one clear line that names the cause and,
// where there is one, what to do. why, when not empty, is a cause already
// phrased (see getSignals.cause) that takes precedence.
func getExplain(err error, addr, host string, timeout time.Duration, why string) error {
	var (
		unknown  *x509lite.UnknownAuthorityError
		hostErr  *x509lite.HostnameError
		invalid  *x509lite.CertificateInvalidError
		received *record.AlertReceivedError
		netErr   net.Error
		dnsErr   *net.DNSError
	)
	var msg string
	switch {
	case why != "":
		msg = why
	case errors.As(err, &unknown):
		msg = fmt.Sprintf("certificate signed by unknown authority (%s): pass -cafile FILE with the CA that issued it (for 'minitls certgen', its ca.pem)", unknown.Issuer)
	case errors.As(err, &hostErr):
		msg = fmt.Sprintf("certificate is not valid for %q: it holds %s", host, strings.Join(getCertNames(hostErr.Cert), ", "))
	case errors.As(err, &invalid):
		msg = fmt.Sprintf("certificate rejected: %v", invalid)
	case errors.As(err, &received):
		msg = fmt.Sprintf("the server sent alert %v: %s", received.Description, received.Description.Meaning())
	case errors.Is(err, syscall.ECONNREFUSED):
		msg = fmt.Sprintf("connection refused: nothing is listening on %s", addr)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &netErr) && netErr.Timeout()):
		msg = fmt.Sprintf("timed out after %s talking to %s (raise -timeout if the server is just slow)", timeout, addr)
	case errors.As(err, &dnsErr):
		msg = fmt.Sprintf("cannot resolve host %q (%s): check the host name in the URL", dnsErr.Name, dnsErr.Err)
	default:
		msg = err.Error()
	}
	return &getError{msg: strings.ReplaceAll(msg, "\n", " "), err: err}
}

// getClientCertificate loads -cert and -key into cfg.Certificates, which
// the client offers when a server sends a CertificateRequest (mutual TLS).
// spec: rfc5246#7.4.6
func getClientCertificate(cfg *handshake.Config, certFile, keyFile string) error {
	if certFile == "" && keyFile == "" {
		return nil
	}
	if certFile == "" || keyFile == "" {
		return &exitError{code: 2, err: errors.New("-cert and -key go together: the client certificate chain and its private key (e.g. client.pem and client.key of 'minitls certgen')")}
	}
	cert, err := handshake.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return fmt.Errorf("-cert/-key: %w", err)
	}
	cfg.Certificates = []handshake.Certificate{cert}
	return nil
}
