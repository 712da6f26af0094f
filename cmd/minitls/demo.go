package main

// minitls demo: the HTTPS story on a real connection. It issues a throwaway
// CA and server certificate in memory, starts a minitls server (net/http on
// handshake.NewListener) on 127.0.0.1:0, connects a minitls client, sends
// one HTTP GET, and then tells what happened, step by step, from the events
// the handshake package's Trace hook reported on both sides:
//
//	Step 1  the TCP connection                       (demoStep1)
//	Step 2  the hellos and the certificate check     (demoStep2)
//	Step 3  RSA key transport and key derivation     (demoStep3)
//	Step 4  ChangeCipherSpec, Finished, HTTP in GCM  (demoStep4)
//	Lesson  RSA decryption time vs AES-GCM time      (demoLesson)
//
// `-kx ecdhe` (issue 10, demo_ecdhe.go) changes what Step 3 and the lesson
// tell, and `-leak` replaces the walk by the forward-secrecy lesson;
// `-resume` (issue 11, demo_resume.go) adds Step 5, a second connection
// that resumes the session, side by side with the first; demoSession keeps
// the events of one connection so either fits.

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/internal/impl"
	"minitls/record"
	"minitls/x509lite"
)

func init() {
	register(command{
		name:    "demo",
		summary: "walk a live HTTPS handshake step by step (make demo)",
		order:   10,
		run:     demoRun,
	})
}

// demoEpoch is the clock of a -seed run, so certificates and their check
// come out the same every time.
var demoEpoch = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// demoBodySize is the size of the page the demo server returns: a few
// records' worth, so the lesson compares RSA with GCM over real data.
const demoBodySize = 32 << 10

// demoEvent is one trace event with the time it was reported.
type demoEvent struct {
	at time.Time
	e  handshake.Event
}

// demoSession holds everything one demo connection produced.
type demoSession struct {
	w  io.Writer
	st cliStyle

	bits     int
	now      time.Time
	seeded   bool
	pki      *certgenPKI
	roots    *x509lite.CertPool
	keylog   string
	trace    *tracePrinter
	srvAddr  string
	cliAddr  string
	tcpTime  time.Duration
	request  []byte
	respLine string
	// serverName is the client's Config.ServerName: the name its
	// certificate check matched, and so the one the demo's checks use.
	serverName string
	body       []byte
	state      handshake.ConnectionState

	// -resume (demo_resume.go): the client's session cache, and the
	// server's Config, shared by the full and the resumed connection.
	sessions handshake.ClientSessionCache
	srvCfg   *handshake.Config

	mu     sync.Mutex
	events []demoEvent
}

func (s *demoSession) record(e handshake.Event) {
	at := time.Now()
	c := traceCopyEvent(e)
	s.mu.Lock()
	s.events = append(s.events, demoEvent{at: at, e: c})
	s.mu.Unlock()
}

func demoRun(args []string, stdout, stderr io.Writer) error {
	set := newFlagSet("demo", "[-kx rsa|ecdhe] [-leak] [-trace] [-suite NAME]\n                    [-bits N] [-keylog FILE] [-seed N] [-resume]",
		"Makes a throwaway CA and server certificate, starts a minitls HTTPS server on\n"+
			"127.0.0.1, connects a minitls client and tells, with the real bytes, each\n"+
			"step: TCP, hellos, certificate check, RSA key transport, key derivation,\n"+
			"Finished, and HTTP inside AES-GCM records; then measures RSA against AES-GCM.\n"+
			"It prints the session's secrets: it is a demonstration.\n"+
			"With -seed N the run is reproducible: every line is the same each time\n"+
			"except timings (and what is computed from them) and the port numbers.", stderr)
	traceFlag := set.Bool("trace", false, "also show every record as annotated hex, field by field")
	suite := set.String("suite", "", "offer only this suite: aes128 or aes256 (or its IANA/OpenSSL name)")
	bits := set.Int("bits", 2048, "RSA key size of the CA and the server: 2048 or 3072")
	keylog := set.String("keylog", "", "write the NSS key log line to FILE (for Wireshark)")
	seed := set.Uint64("seed", 0, "make the run reproducible from this seed (fixed randomness and clock)")
	kx := set.String("kx", "", "key exchange: rsa (RSA key transport, the default) or ecdhe")
	leak := set.Bool("leak", false, "show what a leaked server key decrypts: RSA vs ECDHE sessions")
	resume := set.Bool("resume", false, "then connect again, resuming the session, and compare the two handshakes")
	if err := parseFlags(set, args); err != nil {
		return err
	}
	if set.NArg() > 0 {
		return &exitError{code: 2, err: fmt.Errorf("unexpected argument %q (see -h)", set.Arg(0))}
	}
	if err := certgenBits(*bits); err != nil {
		return err
	}
	suites, err := cliParseSuite(*suite)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if suites == nil {
		// The story told is RSA key transport: offer exactly those suites,
		// whatever else the handshake package may enable by default.
		suites = []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256), uint16(handshake.TLS_RSA_WITH_AES_256_GCM_SHA384)}
	}
	if suites, err = demoSuitesFor(*kx, suites); err != nil {
		return &exitError{code: 2, err: err}
	}
	seeded := false
	set.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			seeded = true
		}
	})

	s := &demoSession{w: stdout, st: cliStyle{on: colorEnabled(stdout)}, bits: *bits, now: time.Now(), seeded: seeded, keylog: *keylog}
	var keyRand, srvRand, cliRand io.Reader = rand.Reader, rand.Reader, rand.Reader
	if seeded {
		// Three independent streams, so the keys do not depend on how
		// many bytes a handshake happened to read.
		keyRand = handshake.NewDeterministicRand(*seed * 3)
		srvRand = handshake.NewDeterministicRand(*seed*3 + 1)
		cliRand = handshake.NewDeterministicRand(*seed*3 + 2)
		s.now = demoEpoch
	}
	if *traceFlag {
		s.trace = newTracePrinter(stdout, s.st, true, false)
	}
	if *leak {
		return demoLeak(s, keyRand, srvRand, cliRand) // demo_ecdhe.go
	}

	s.pki, err = certgenIssue(keyRand, *bits, []string{"localhost", "127.0.0.1"}, "minitls demo CA",
		s.now, 24*time.Hour, 24*time.Hour, stderr)
	if err != nil {
		return err
	}
	s.roots = x509lite.NewCertPool()
	s.roots.AddCert(s.pki.ca)
	clock := func() time.Time { return s.now }
	if *resume {
		s.sessions = handshake.NewLRUClientSessionCache(1)
	}

	if err := s.connect(suites, srvRand, cliRand, clock); err != nil {
		return err
	}
	s.header()
	s.step1()
	s.step2()
	s.step3()
	s.step4()
	s.lesson()
	if *resume {
		return s.resumeStep(suites, srvRand, cliRand, clock) // demo_resume.go
	}
	return nil
}

// connect runs the real exchange: server, client, handshake, one GET.
func (s *demoSession) connect(suites []uint16, srvRand, cliRand io.Reader, clock func() time.Time) error {
	srvCfg := &handshake.Config{
		Certificates: []handshake.Certificate{{
			Certificate: [][]byte{s.pki.leafDER, s.pki.caDER},
			PrivateKey:  s.pki.leafKey,
		}},
		NextProtos: []string{"http/1.1"},
		Rand:       srvRand,
		Time:       clock,
		Trace:      s.record,
		// The demo prints the key schedule: its trace opts in to the
		// secrets (serve's does not).
		TraceSecrets: true,
	}
	if s.srvCfg != nil {
		// The resumed connection: same server (its ticket keys), own trace.
		srvCfg = s.srvCfg.Clone()
		srvCfg.Trace = s.record
	}
	s.srvCfg = srvCfg
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listening on 127.0.0.1: %w", err)
	}
	defer ln.Close()
	s.srvAddr = ln.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(demoHandler), ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(handshake.NewListener(ln, srvCfg))
	defer srv.Close()

	cliCfg := &handshake.Config{
		RootCAs:      s.roots,
		ServerName:   "localhost",
		CipherSuites: suites,
		NextProtos:   []string{"http/1.1"},
		Rand:         cliRand,
		Time:         clock,
		Trace:        s.record,
		TraceSecrets: true,

		ClientSessionCache: s.sessions,
	}
	s.serverName = cliCfg.ServerName
	if s.keylog != "" {
		f, err := os.OpenFile(s.keylog, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		cliCfg.KeyLogWriter = f
	}
	start := time.Now()
	raw, err := net.Dial("tcp", s.srvAddr)
	if err != nil {
		return fmt.Errorf("connecting to the demo server: %w", err)
	}
	s.tcpTime = time.Since(start)
	s.cliAddr = raw.LocalAddr().String()
	raw.SetDeadline(time.Now().Add(30 * time.Second))
	conn := handshake.Client(raw, cliCfg)
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		return fmt.Errorf("the demo handshake failed: %w", err)
	}
	s.state = conn.ConnectionState()
	// Host without the port: the port changes every run, and a -seed run
	// must send the same bytes each time. The server does not look at it.
	s.request = []byte("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: minitls-demo\r\nConnection: close\r\n\r\n")
	if _, err := conn.Write(s.request); err != nil {
		return fmt.Errorf("sending the request: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return fmt.Errorf("reading the response: %w", err)
	}
	s.respLine = resp.Proto + " " + resp.Status
	s.body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("reading the response body: %w", err)
	}
	return nil
}

// demoHandler serves a page of demoBodySize bytes. The Date header is
// suppressed so that a -seed run's records are the same every time.
func demoHandler(w http.ResponseWriter, r *http.Request) {
	w.Header()["Date"] = nil
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var b bytes.Buffer
	b.WriteString("Hello from the minitls demo server.\n")
	for i := 1; b.Len() < demoBodySize; i++ {
		fmt.Fprintf(&b, "line %04d: these bytes crossed the wire inside AES-GCM records\n", i)
	}
	w.Write(b.Bytes()[:demoBodySize])
}

// --- finding events ---------------------------------------------------

func (s *demoSession) msg(client, sent bool, t handshake.HandshakeType) *demoEvent {
	for i := range s.events {
		e := &s.events[i]
		if e.e.Kind == handshake.EventMessage && e.e.IsClient == client && e.e.Sent == sent &&
			len(e.e.Bytes) > 0 && handshake.HandshakeType(e.e.Bytes[0]) == t {
			return e
		}
	}
	return nil
}

func (s *demoSession) key(client bool, label string) []byte {
	for _, e := range s.events {
		if e.e.Kind == handshake.EventKey && e.e.IsClient == client && e.e.Label == label {
			return e.e.Secret
		}
	}
	return nil
}

func (s *demoSession) phaseAt(client bool, p handshake.Phase) time.Time {
	for _, e := range s.events {
		if e.e.Kind == handshake.EventPhase && e.e.IsClient == client && e.e.Phase == p {
			return e.at
		}
	}
	return time.Time{}
}

func (s *demoSession) records(client, sent bool, t record.ContentType) []record.RecordEvent {
	var out []record.RecordEvent
	for _, e := range s.events {
		if e.e.Kind == handshake.EventRecord && e.e.IsClient == client && e.e.Record.Sent == sent && e.e.Record.Type == t {
			out = append(out, e.e.Record)
		}
	}
	return out
}

// rsaTime is how long the server took from receiving the ClientKeyExchange
// to starting key derivation: the RSA private decryption.
func (s *demoSession) rsaTime() time.Duration {
	cke := s.msg(false, false, handshake.TypeClientKeyExchange)
	done := s.phaseAt(false, handshake.PhaseKeyDerivation)
	if cke == nil || done.IsZero() {
		return 0
	}
	return done.Sub(cke.at)
}

// traceStep replays, under -trace, the client's records that belong to a
// step (by the client's phase when they crossed the wire).
func (s *demoSession) traceStep(step int) {
	if s.trace == nil {
		return
	}
	s.blank()
	fmt.Fprintln(s.w, s.st.dim(fmt.Sprintf("  -trace: the records of step %d, as the client saw them", step)))
	for _, e := range s.events {
		if e.e.IsClient && demoStepOf(e.e.Phase) == step {
			s.trace.event(e.e)
		}
	}
}

func demoStepOf(p handshake.Phase) int {
	switch {
	case p <= handshake.PhaseServerHelloDone:
		return 2
	case p <= handshake.PhaseKeyDerivation:
		return 3
	}
	return 4
}

// --- printing helpers --------------------------------------------------

const demoLabelCol = 24 // where values start in "      label   value" lines

func (s *demoSession) blank() { fmt.Fprintln(s.w) }

func (s *demoSession) heading(title string) {
	s.blank()
	fmt.Fprintln(s.w, s.st.bold(title))
}

// line prints an indented line.
func (s *demoSession) line(indent int, text string) {
	fmt.Fprintf(s.w, "%s%s\n", strings.Repeat(" ", indent), text)
}

// para prints text wrapped to the terminal width at the given indent.
func (s *demoSession) para(indent int, text string) {
	for _, l := range cliWrapWords(text, cliWidth-indent) {
		s.line(indent, l)
	}
}

// kv prints "      label          value", wrapping value in its column.
func (s *demoSession) kv(label, value string) {
	lines := cliWrapWords(value, cliWidth-demoLabelCol)
	if len(lines) == 0 {
		lines = []string{""}
	}
	fmt.Fprintf(s.w, "      %-*s%s\n", demoLabelCol-6, label, lines[0])
	for _, l := range lines[1:] {
		s.line(demoLabelCol, l)
	}
}

// kvHex prints a byte string in the value column, 16 bytes a line.
func (s *demoSession) kvHex(label string, b []byte, paint func(string) string) {
	for i, l := range cliHexLines(b, 16) {
		if i == 0 {
			fmt.Fprintf(s.w, "      %-*s%s\n", demoLabelCol-6, label, paint(l))
		} else {
			s.line(demoLabelCol, paint(l))
		}
	}
}

// check prints one named check with its verdict.
func (s *demoSession) check(ok bool, name, detail string) {
	lines := cliWrapWords(detail, cliWidth-demoLabelCol)
	if len(lines) == 0 {
		lines = []string{""}
	}
	fmt.Fprintf(s.w, "    %s %-*s%s\n", s.st.mark(ok), demoLabelCol-6, name, lines[0])
	for _, l := range lines[1:] {
		s.line(demoLabelCol, l)
	}
}

func (s *demoSession) same(a, b []byte) string {
	if len(a) > 0 && bytes.Equal(a, b) {
		return s.st.mark(true) + " the same on both sides"
	}
	return s.st.mark(false) + " DIFFERENT on the two sides"
}

// --- the story ---------------------------------------------------------

func (s *demoSession) header() {
	fmt.Fprintln(s.w, s.st.bold("minitls demo: one HTTPS request over a real TCP connection, step by step"))
	s.para(0, "This is a demonstration: it prints the session's secrets, which real TLS never shows. minitls is for study and experiment, not for protecting production traffic.")
	s.heading("Setup  a throwaway CA and server certificate, made in memory")
	s.kv("CA", fmt.Sprintf("%s, RSA-%d, self-signed", s.pki.ca.Subject, s.bits))
	s.kv("server", fmt.Sprintf("%s, RSA-%d, signed by the CA", s.pki.leaf.Subject, s.bits))
	s.para(2, "The server holds the server's private key; the client trusts only the CA's certificate.")
	if s.seeded {
		s.para(2, "-seed: randomness and the clock ("+demoEpoch.Format("2006-01-02 15:04 MST")+
			") are fixed, so every run prints the same bytes; only timings and port numbers vary.")
	}
}

func (s *demoSession) step1() {
	s.heading("Step 1  TCP connection")
	s.kv("server", "listening on "+s.srvAddr)
	s.kv("client", fmt.Sprintf("%s connected to it (took %s)", s.cliAddr, cliDuration(s.tcpTime)))
	s.para(2, "TCP moves bytes and nothing more: anyone on the path can read and change them. Everything below travels inside this connection.")
}

func (s *demoSession) step2() {
	s.heading("Step 2  Hellos and the certificate (in clear: anyone on the path sees this)")
	ch, _ := s.msgOf(true, true, handshake.TypeClientHello).(*handshake.ClientHello)
	sh, _ := s.msgOf(true, false, handshake.TypeServerHello).(*handshake.ServerHello)
	cm, _ := s.msgOf(true, false, handshake.TypeCertificate).(*handshake.CertificateMessage)
	if ch == nil || sh == nil || cm == nil || len(cm.Certificates) == 0 {
		s.line(2, "(the trace is missing the hellos)")
		return
	}
	recs := s.records(true, true, record.Handshake)
	recLen := 0
	if len(recs) > 0 {
		recLen = len(recs[0].Header) + len(recs[0].Fragment)
	}
	s.line(2, s.st.cyan("→")+fmt.Sprintf(" ClientHello: %d bytes in a %d-byte record", s.rawLen(true, handshake.TypeClientHello), recLen))
	s.kv("version", ch.Version.String()+" (the highest the client speaks)")
	s.kvHex("random", ch.Random[:], s.st.yellow)
	var offered []string
	for _, c := range ch.CipherSuites {
		offered = append(offered, c.String())
	}
	s.kv("suites offered", strings.Join(offered, " "))
	s.kv("extensions", demoExtensions(ch.Extensions, ch.ServerName(), ch.ALPNProtocols()))

	s.line(2, s.st.cyan("←")+fmt.Sprintf(" ServerHello: %d bytes", s.rawLen(false, handshake.TypeServerHello)))
	s.kv("version", sh.Version.String())
	s.kvHex("random", sh.Random[:], s.st.yellow)
	s.kv("suite chosen", sh.CipherSuite.String())
	var alpn []string
	if s.state.NegotiatedProtocol != "" {
		alpn = []string{s.state.NegotiatedProtocol}
	}
	s.kv("extensions", demoExtensions(sh.Extensions, "", alpn))

	leaf, err := x509lite.ParseCertificate(cm.Certificates[0])
	if err != nil {
		s.line(2, "(the certificate does not parse: "+err.Error()+")")
		return
	}
	s.line(2, s.st.cyan("←")+fmt.Sprintf(" Certificate: %d bytes, a chain of %d (server first, then its CA)",
		s.rawLen(false, handshake.TypeCertificate), len(cm.Certificates)))
	s.kv("subject", leaf.Subject.String())
	s.kv("issuer", leaf.Issuer.String())
	s.kv("validity", leaf.NotBefore.UTC().Format("2006-01-02 15:04")+" to "+leaf.NotAfter.UTC().Format("2006-01-02 15:04 UTC"))
	s.kv("names", strings.Join(getCertNames(leaf), ", "))
	s.kv("public key", fmt.Sprintf("RSA-%d, e=%d", 8*len(leaf.PublicKey.N), leaf.PublicKey.E))
	s.kv("usage", demoUsage(leaf))
	count := "three"
	if s.isECDHE() {
		count = "four"
		s.line(2, s.st.cyan("←")+fmt.Sprintf(" ServerKeyExchange: %d bytes, the server's signed ephemeral key (step 3)",
			s.rawLen(false, handshake.TypeServerKeyExchange)))
	}
	s.line(2, s.st.cyan("←")+" ServerHelloDone: 4 bytes, the server's turn is over")
	if in := s.records(true, false, record.Handshake); len(in) > 0 {
		s.para(4, fmt.Sprintf("(The server sent these %s messages together, in one %d-byte record.)",
			count, len(in[0].Header)+len(in[0].Fragment)))
	}

	s.blank()
	s.line(2, "The client checks the certificate before it trusts the key in it:")
	s.certChecks(leaf, cm.Certificates[1:])
	s.traceStep(2)
}

// msgOf returns a parsed message from the trace.
func (s *demoSession) msgOf(client, sent bool, t handshake.HandshakeType) handshake.Message {
	if e := s.msg(client, sent, t); e != nil {
		return e.e.Message
	}
	return nil
}

// rawLen returns the wire length of a traced message (header included).
func (s *demoSession) rawLen(sent bool, t handshake.HandshakeType) int {
	if e := s.msg(true, sent, t); e != nil {
		return len(e.e.Bytes)
	}
	return 0
}

// certChecks runs, one by one and by name, the checks x509lite's Verify
// made inside the handshake, for the name the client asked for
// (s.serverName), so each can be seen to pass, and gives the verdict those
// checks make: trusted only if every one passed.
func (s *demoSession) certChecks(leaf *x509lite.Certificate, rest [][]byte) {
	var failed []string
	check := func(ok bool, name, detail string) {
		s.check(ok, name, detail)
		if !ok {
			failed = append(failed, name)
		}
	}
	inter := x509lite.NewCertPool()
	for _, der := range rest {
		if c, err := x509lite.ParseCertificate(der); err == nil {
			inter.AddCert(c)
		}
	}
	chain, err := leaf.Verify(x509lite.VerifyOptions{Roots: s.roots, Intermediates: inter, CurrentTime: s.now,
		KeyUsages: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth}})
	var issuer *x509lite.Certificate
	if err == nil && len(chain) > 1 {
		issuer = chain[1]
		check(true, "chain", fmt.Sprintf("server certificate ← %s, a root the client trusts", issuer.Subject))
	} else {
		check(false, "chain", fmt.Sprintf("no path to a trusted root: %v", err))
	}
	if issuer != nil {
		sigErr := leaf.CheckSignatureFrom(issuer)
		check(sigErr == nil, "signature", "the CA's public key verifies the sha256WithRSAEncryption signature over the certificate")
		check(issuer.IsCA && issuer.KeyUsage&x509lite.KeyUsageCertSign != 0, "issuer is a CA",
			"basicConstraints cA=true and keyUsage keyCertSign")
	}
	inDates := !s.now.Before(leaf.NotBefore) && !s.now.After(leaf.NotAfter)
	check(inDates, "validity", "now ("+s.now.UTC().Format("2006-01-02 15:04 UTC")+") is within its dates")
	nameErr := leaf.VerifyHostname(s.serverName)
	nameIs := "is"
	if nameErr != nil {
		nameIs = "is not"
	}
	check(nameErr == nil, "name", fmt.Sprintf("%q, the name the client asked for, %s in subjectAltName", s.serverName, nameIs))
	serverAuth := false
	for _, u := range leaf.ExtKeyUsage {
		serverAuth = serverAuth || u == x509lite.ExtKeyUsageServerAuth
	}
	check(serverAuth, "purpose", "extKeyUsage includes serverAuth (TLS server)")
	if s.isECDHE() {
		check(leaf.KeyUsage&x509lite.KeyUsageDigitalSignature != 0, "key usage",
			"digitalSignature: this key may sign the ServerKeyExchange")
	} else {
		check(leaf.KeyUsage&x509lite.KeyUsageKeyEncipherment != 0, "key usage",
			"keyEncipherment: this key may receive an encrypted premaster secret")
	}
	if len(failed) > 0 {
		s.para(2, fmt.Sprintf("Verdict: NOT trusted: %s failed. A client making these checks sends an alert (unknown_ca, bad_certificate, certificate_expired, ...) and stops here.", strings.Join(failed, ", ")))
		return
	}
	s.para(2, "Verdict: trusted. The handshake made the same checks (x509lite's Verify) before going on; had one failed, the client would have sent an alert and stopped here.")
}

func demoExtensions(exts []handshake.Extension, sni string, alpn []string) string {
	var names []string
	for _, e := range exts {
		switch e.Type {
		case handshake.ExtServerName:
			names = append(names, fmt.Sprintf("server_name %q", sni))
		case handshake.ExtALPN:
			names = append(names, fmt.Sprintf("ALPN %q", strings.Join(alpn, ",")))
		default:
			names = append(names, e.Type.String())
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func demoUsage(c *x509lite.Certificate) string {
	var u []string
	for _, k := range []struct {
		bit  x509lite.KeyUsage
		name string
	}{
		{x509lite.KeyUsageDigitalSignature, "digitalSignature"},
		{x509lite.KeyUsageKeyEncipherment, "keyEncipherment"},
		{x509lite.KeyUsageCertSign, "keyCertSign"},
	} {
		if c.KeyUsage&k.bit != 0 {
			u = append(u, k.name)
		}
	}
	for _, e := range c.ExtKeyUsage {
		u = append(u, e.String())
	}
	return strings.Join(u, ", ")
}

func (s *demoSession) step3() {
	if s.isECDHE() {
		s.step3ECDHE() // demo_ecdhe.go
		return
	}
	s.heading("Step 3  Key exchange: RSA key transport, then key derivation")
	s.para(2, "(A demonstration: the secrets below never appear in real TLS.)")
	pre := s.key(true, "premaster secret")
	srvPre := s.key(false, "premaster secret")
	cke, _ := s.msgOf(true, true, handshake.TypeClientKeyExchange).(*handshake.ClientKeyExchange)
	if pre == nil || cke == nil {
		s.line(2, "(the trace is missing the key exchange)")
		return
	}
	s.line(2, fmt.Sprintf("The client makes a %d-byte premaster secret: %02x%02x (TLS 1.2), then random.", len(pre), pre[0], pre[1]))
	s.kvHex("premaster", pre, s.st.yellow)
	s.line(2, s.st.cyan("→")+fmt.Sprintf(" ClientKeyExchange: RSAES-PKCS1-v1_5 encrypts the %d bytes to the", len(pre)))
	s.line(4, fmt.Sprintf("server's RSA-%d public key: %d bytes of ciphertext on the wire", s.bits, len(cke.EncryptedPreMasterSecret)))
	s.kvHex("ciphertext", cke.EncryptedPreMasterSecret[:16], s.st.dim)
	s.line(demoLabelCol, s.st.dim(fmt.Sprintf("… %d more bytes", len(cke.EncryptedPreMasterSecret)-16)))
	s.line(2, fmt.Sprintf("The server decrypts it with its private key (took %s):", cliDuration(s.rsaTime())))
	s.kv("recovered", fmt.Sprintf("%d bytes, %s", len(srvPre), s.same(pre, srvPre)))
	s.step3Keys()
}

// step3Keys tells the key derivation from the premaster secret, the same
// for both key exchanges.
func (s *demoSession) step3Keys() {
	s.blank()
	if s.state.ExtendedMasterSecret {
		s.line(2, `master secret = PRF(premaster, "extended master secret", session hash)`)
		s.kvHex("session hash", s.key(true, "session hash"), s.st.dim)
		s.line(demoLabelCol, "(hash of every handshake message so far)")
	} else {
		s.line(2, `master secret = PRF(premaster, "master secret", client random + server random)`)
	}
	ms := s.key(true, "master secret")
	s.kvHex("master secret", ms, s.st.yellow)
	s.kv("", s.same(ms, s.key(false, "master secret")))
	s.line(2, `key block = PRF(master secret, "key expansion", server random + client random)`)
	for _, label := range []string{"client_write_key", "server_write_key", "client_write_IV", "server_write_IV"} {
		k := s.key(true, label)
		ok := len(k) > 0 && bytes.Equal(k, s.key(false, label))
		lines := cliHexLines(k, 16) // a 32-byte AES-256 key takes two
		for i, l := range lines {
			text := s.st.yellow(l)
			if i == len(lines)-1 {
				text += " " + s.st.mark(ok)
			}
			if i == 0 {
				fmt.Fprintf(s.w, "      %-*s%s\n", demoLabelCol-6, label, text)
			} else {
				s.line(demoLabelCol, text)
			}
		}
	}
	if s.isECDHE() {
		s.para(2, "Both sides derived the same keys, yet the premaster secret never crossed the wire: only the two endpoints, each with its own ephemeral private key, could compute it. (GCM suites need no MAC keys; the IVs are the 4-byte implicit part of each nonce.)")
	} else {
		s.para(2, "Both sides derived the same keys, yet the premaster secret crossed the wire only encrypted: only the holder of the server's private key can compute them. (GCM suites need no MAC keys; the IVs are the 4-byte implicit part of each nonce.)")
	}
	if s.keylog != "" {
		s.para(2, fmt.Sprintf("Key log: %s holds \"CLIENT_RANDOM <client random> <master secret>\", which lets Wireshark decrypt a capture of this connection.", s.keylog))
	}
	s.traceStep(3)
}

func (s *demoSession) step4() {
	s.heading("Step 4  ChangeCipherSpec, Finished, then HTTP inside AES-GCM records")
	cf, _ := s.msgOf(true, true, handshake.TypeFinished).(*handshake.Finished)
	sf, _ := s.msgOf(true, false, handshake.TypeFinished).(*handshake.Finished)
	s.line(2, s.st.cyan("→")+" ChangeCipherSpec: from its next record on, the client encrypts")
	if cf != nil {
		s.line(2, s.st.cyan("→")+fmt.Sprintf(" Finished, encrypted: verify_data %x", cf.VerifyData))
	}
	s.line(2, s.st.cyan("←")+" ChangeCipherSpec: the server encrypts from here on")
	if sf != nil {
		s.line(2, s.st.cyan("←")+fmt.Sprintf(" Finished, encrypted: verify_data %x %s", sf.VerifyData, s.st.mark(s.state.HandshakeComplete)))
	}
	s.para(4, "Each verify_data is PRF(master secret, \"client finished\" or \"server finished\", hash of the handshake): it proves that both saw the same messages and hold the same keys. A man in the middle who changed a single byte is caught here.")

	reqRecs := s.records(true, true, record.ApplicationData)
	respRecs := s.records(true, false, record.ApplicationData)
	respBytes := 0
	for _, r := range respRecs {
		respBytes += len(r.Plaintext)
	}
	first := strings.SplitN(string(s.request), "\r\n", 2)[0]
	s.line(2, s.st.cyan("→")+fmt.Sprintf(" %s  (%d bytes in %d record)", first, len(s.request), len(reqRecs)))
	s.line(2, s.st.cyan("←")+fmt.Sprintf(" %s  (%d bytes: headers and a %d-byte body, in %d records)",
		s.respLine, respBytes, len(s.body), len(respRecs)))
	if len(reqRecs) > 0 {
		r := reqRecs[0]
		f := r.Fragment
		if len(r.Header) == record.HeaderLen && len(f) >= record.ExplicitNonceLen+16 {
			n := len(f) - record.ExplicitNonceLen - 16
			s.blank()
			s.line(2, "The request's record, exactly as it crossed the wire:")
			s.kv("header", fmt.Sprintf("%s  %v, %v, %d bytes", cliSpacedHex(r.Header),
				record.ContentType(r.Header[0]), handshake.ProtocolVersion(uint16(r.Header[1])<<8|uint16(r.Header[2])),
				len(f)))
			s.kv("nonce_explicit", fmt.Sprintf("%x  (record sequence number %d)", f[:record.ExplicitNonceLen], r.Seq))
			s.kvHex("ciphertext", f[record.ExplicitNonceLen:record.ExplicitNonceLen+n], s.st.dim)
			s.kvHex("tag", f[record.ExplicitNonceLen+n:], s.st.dim)
			s.kv("decrypts to", fmt.Sprintf("%q", demoCut(r.Plaintext, 44)))
			iv := s.key(true, "client_write_IV")
			s.para(4, fmt.Sprintf("GCM nonce = client_write_IV %x || nonce_explicit. The tag also covers seq_num, type, version and length, so a record cannot be replayed, reordered or cut.", iv))
		}
	}
	s.traceStep(4)
}

func demoCut(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// lesson measures, on this machine and with this connection's own key and
// data, what the server paid for RSA against what AES-GCM costs.
func (s *demoSession) lesson() {
	if s.isECDHE() {
		s.lessonECDHE() // demo_ecdhe.go
		return
	}
	s.heading("The lesson, measured on this machine")
	live := s.rsaTime()
	cke, _ := s.msgOf(false, false, handshake.TypeClientKeyExchange).(*handshake.ClientKeyExchange)
	var times []time.Duration
	if cke != nil {
		buf := make([]byte, 48)
		for i := 0; i < 7; i++ {
			start := time.Now()
			_ = rsa.DecryptPKCS1v15SessionKey(rand.Reader, s.pki.leafKey, cke.EncryptedPreMasterSecret, buf)
			times = append(times, time.Since(start))
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	median := live
	if len(times) > 0 {
		median = times[len(times)/2]
	}
	var resp []byte
	for _, r := range s.records(false, true, record.ApplicationData) {
		resp = append(resp, r.Plaintext...)
	}
	gcmTime, path, err := demoMeasureGCM(s.key(false, "server_write_key"), resp)
	if err != nil || len(resp) == 0 {
		s.line(2, "(could not measure AES-GCM: "+fmt.Sprint(err)+")")
		return
	}
	aesBits := 8 * len(s.key(false, "server_write_key"))
	s.kv(fmt.Sprintf("RSA-%d decrypt", s.bits), fmt.Sprintf("%s in this handshake; %s median of 7 repeats", cliDuration(live), cliDuration(median)))
	mbps := float64(len(resp)) / gcmTime.Seconds() / 1e6
	s.kv(fmt.Sprintf("AES-%d-GCM", aesBits), fmt.Sprintf("%s to seal the %d-byte response (%.0f MB/s)", cliDuration(gcmTime), len(resp), mbps))
	s.kv("AES path", fmt.Sprintf("%s: %s", path, path.Describe()))
	// The median of the repeats is steadier than the one live decryption,
	// which also absorbs scheduling delays between the two goroutines.
	kib := median.Seconds() / gcmTime.Seconds() * float64(len(resp)) / 1024
	s.line(2, s.st.bold(fmt.Sprintf("One RSA-%d decryption costs as much as AES-GCM over %.0f KiB.", s.bits, kib)))
	s.para(2, "That is why TLS uses the expensive public-key step once per connection, to agree on a key, and protects all the data with a symmetric cipher. Timings vary from run to run (and the numbers computed from them).")
}

// demoMeasureGCM times minitls's AES-GCM sealing data in record-sized
// pieces under key, repeating until the total is long enough to trust,
// and returns the time of one pass and the path it ran on (gcm.PathOf: the
// one the connection's records used, the fastest this CPU has).
func demoMeasureGCM(key, data []byte) (time.Duration, impl.Path, error) {
	if len(key) == 0 {
		return 0, 0, errors.New("no server_write_key in the trace")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return 0, 0, err
	}
	aead, err := gcm.New(block)
	if err != nil {
		return 0, 0, err
	}
	nonce := make([]byte, aead.NonceSize())
	out := make([]byte, 0, record.MaxPlaintext+aead.Overhead())
	pass := func() {
		for off := 0; off < len(data); off += record.MaxPlaintext {
			end := min(off+record.MaxPlaintext, len(data))
			out = aead.Seal(out[:0], nonce, data[off:end], nonce[:5])
		}
	}
	pass() // warm up
	start := time.Now()
	n := 0
	for n < 5 || time.Since(start) < 20*time.Millisecond {
		pass()
		n++
	}
	return time.Since(start) / time.Duration(n), gcm.PathOf(aead), nil
}
