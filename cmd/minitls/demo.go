package main

// minitls demo: the HTTPS story on a real connection. It issues a throwaway
// CA and server certificate in memory, starts a minitls server (net/http on
// handshake.NewListener) on 127.0.0.1:0, connects a minitls client, sends
// one HTTP GET, and then tells what happened, step by step, from the events
// the handshake package's Trace hook reported on both sides.
//
// The demo is a set of stories. Each lives in its own file as a list of
// step functions, each step a screen or less, all writing through one
// printer (demo_print.go) and reading one trace recorder per connection
// (demo_trace.go):
//
//	demo_rsa.go      TLS 1.2, RSA key transport (the default)
//	demo_ecdhe.go    TLS 1.2, ECDHE signed with RSA       (-kx ecdhe)
//	demo_ecdsa.go    TLS 1.2, ECDHE signed with ECDSA     (-cert ecdsa)
//	demo_leak.go     what a leaked server key decrypts    (-leak)
//	demo_resume.go   a second connection resumes          (-resume)
//	demo_tls13.go    TLS 1.3, one round trip              (-tls13)
//	demo_resume13.go TLS 1.3 resumed with a ticket (PSK)  (-tls13 -resume)
//	demo_compare.go  TLS 1.2 and TLS 1.3 side by side     (-compare)
//	demo_mtls.go     mutual TLS: the client's certificate (-mtls [-tls12])
//	demo_tls12.go    the steps the TLS 1.2 stories share
//
// Adding a story means adding a file that registers it (demoRegister) and
// a flag that picks it (demoPick).

import (
	"bytes"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"minitls/cipher/ecdsa"
	"minitls/handshake"
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

// demoOptions are the demo's flags, checked.
type demoOptions struct {
	trace   bool
	suites  []uint16 // what the client offers (TLS 1.2 stories)
	suite   string   // -suite as given ("" for the default)
	bits    int
	keylog  string
	seed    uint64
	seeded  bool // -seed was given
	kx      string
	leak    bool
	resume  bool
	tls13   bool
	group   string // -tls13's key exchange group
	compare bool
	mtls    bool   // mutual TLS (demo_mtls.go)
	tls12   bool   // -mtls over TLS 1.2
	cert    string // -cert: the server certificate's key, "rsa" or "ecdsa" (demo_ecdsa.go)
}

// demoStep is one step of a story: it prints one section (or does the work
// the next sections tell). An error ends the story.
type demoStep func(s *demoSession) error

// demoStories maps a story's name to its steps; each story's file
// registers itself with demoRegister.
var demoStories = map[string][]demoStep{}

func demoRegister(name string, steps ...demoStep) { demoStories[name] = steps }

// demoSession is what every step of a story shares: the printer, the
// options, the throwaway PKI and randomness, and the connection being told
// (its trace recorder and what it returned).
type demoSession struct {
	*demoPrinter
	*demoConn

	opts  demoOptions
	bits  int
	now   time.Time
	pki   *certgenPKI
	roots *x509lite.CertPool
	// keyRand, srvRand and cliRand are three independent streams, so the
	// keys do not depend on how many bytes a handshake happened to read.
	keyRand, srvRand, cliRand io.Reader
	stderr                    io.Writer

	// -resume (demo_resume.go): the client's session cache, and the
	// server's Config, shared by the full and the resumed connection.
	sessions handshake.ClientSessionCache
	srvCfg   *handshake.Config

	// story is a story's own state between its steps (its file's type).
	story any
}

// clock is the Config.Time of both endpoints.
func (s *demoSession) clock() time.Time { return s.now }

func demoRun(args []string, stdout, stderr io.Writer) error {
	opts, err := demoParse(args, stderr)
	if err != nil {
		return err
	}
	s := &demoSession{demoPrinter: newDemoPrinter(stdout, opts.trace), opts: opts, bits: opts.bits, now: time.Now(),
		keyRand: rand.Reader, srvRand: rand.Reader, cliRand: rand.Reader, stderr: stderr}
	if opts.seeded {
		s.keyRand = handshake.NewDeterministicRand(opts.seed * 3)
		s.srvRand = handshake.NewDeterministicRand(opts.seed*3 + 1)
		s.cliRand = handshake.NewDeterministicRand(opts.seed*3 + 2)
		s.now = demoEpoch
	}
	for _, step := range demoStories[demoPick(opts)] {
		if err := step(s); err != nil {
			return err
		}
	}
	return nil
}

// demoPick names the story the flags ask for.
func demoPick(o demoOptions) string {
	switch {
	case o.compare:
		return "compare"
	case o.mtls:
		return "mtls"
	case o.tls13 && o.resume:
		return "resume13"
	case o.tls13:
		return "tls13"
	case o.leak:
		return "leak"
	case o.resume:
		return "resume"
	case o.cert == "ecdsa":
		return "ecdsa"
	case o.kx == "ecdhe":
		return "ecdhe"
	}
	return "rsa"
}

func demoParse(args []string, stderr io.Writer) (demoOptions, error) {
	set := newFlagSet("demo", "[-kx rsa|ecdhe] [-leak] [-resume] [-tls13 [-group G]]\n                    [-compare] [-mtls [-tls12]] [-trace] [-suite NAME] [-bits N]\n                    [-keylog FILE] [-seed N] [-cert rsa|ecdsa]",
		"Makes a throwaway CA and server certificate, starts a minitls HTTPS server on\n"+
			"127.0.0.1, connects a minitls client and tells, with the real bytes, each\n"+
			"step: TCP, hellos, certificate check, RSA key transport, key derivation,\n"+
			"Finished, and HTTP inside AES-GCM records; then measures RSA against AES-GCM.\n"+
			"It prints the session's secrets: it is a demonstration.\n"+
			"With -seed N the run is reproducible: every line is the same each time\n"+
			"except timings (and what is computed from them) and the port numbers.", stderr)
	var o demoOptions
	set.BoolVar(&o.trace, "trace", false, "also show every record as annotated hex, field by field")
	suite := set.String("suite", "", cliSuiteUsage("offer only this suite (default: the story's own)")+
		";\nwith -kx ecdhe, -cert ecdsa or -tls13, aes128 and aes256 pick the\nstory's suite with that AES key size")
	set.IntVar(&o.bits, "bits", 2048, "RSA key size of the CA and the server: 2048 or 3072")
	set.StringVar(&o.keylog, "keylog", "", "write the NSS key log line to FILE (for Wireshark)")
	set.Uint64Var(&o.seed, "seed", 0, "make the run reproducible from this seed (fixed randomness and clock)")
	set.StringVar(&o.kx, "kx", "", "key exchange: rsa (RSA key transport, the default) or ecdhe")
	set.BoolVar(&o.leak, "leak", false, "show what a leaked server key decrypts: RSA vs ECDHE sessions")
	set.BoolVar(&o.resume, "resume", false, "then connect again, resuming the session, and compare the two handshakes")
	set.BoolVar(&o.tls13, "tls13", false, "walk a TLS 1.3 handshake: one round trip, its key schedule")
	set.StringVar(&o.group, "group", "", "-tls13's key exchange: x25519mlkem768 (default), x25519 or p256")
	set.BoolVar(&o.compare, "compare", false, "run a TLS 1.2 and a TLS 1.3 handshake and set them side by side")
	set.BoolVar(&o.mtls, "mtls", false, "mutual TLS (TLS 1.3): the server asks for the client's certificate")
	set.BoolVar(&o.tls12, "tls12", false, "-mtls over TLS 1.2")
	set.StringVar(&o.cert, "cert", "rsa", "certificate key: rsa, or ecdsa (P-256, an ECDHE story)")
	if err := parseFlags(set, args); err != nil {
		return o, err
	}
	if set.NArg() > 0 {
		return o, &exitError{code: 2, err: fmt.Errorf("unexpected argument %q (see -h)", set.Arg(0))}
	}
	if err := certgenBits(o.bits); err != nil {
		return o, err
	}
	if o.tls12 && (!o.mtls || o.tls13) {
		return o, &exitError{code: 2, err: fmt.Errorf("-tls12 goes with -mtls, without -tls13 (the other stories are TLS 1.2 unless -tls13)")}
	}
	o.suite = *suite
	suites, err := cliParseSuite(*suite)
	if err != nil {
		return o, &exitError{code: 2, err: err}
	}
	if suites == nil {
		// The story told is RSA key transport: offer exactly those suites,
		// whatever else the handshake package may enable by default.
		suites = []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256), uint16(handshake.TLS_RSA_WITH_AES_256_GCM_SHA384)}
	}
	if o.suites, err = demoSuitesFor(o.kx, suites); err != nil { // demo_ecdhe.go
		return o, &exitError{code: 2, err: err}
	}
	switch {
	case o.cert == "ecdsa" && (o.kx == "rsa" || o.leak || o.resume || o.tls13 || o.compare || o.mtls):
		return o, &exitError{code: 2, err: errors.New("-cert ecdsa tells the TLS 1.2 ECDHE story (an ECDSA key cannot decrypt an RSA premaster secret): drop -kx rsa, -leak, -resume, -tls13, -compare and -mtls")}
	case o.cert == "ecdsa":
		o.suites, _ = demoSuitesECDSA(o.suites) // demo_ecdsa.go
	case o.cert != "rsa":
		return o, &exitError{code: 2, err: fmt.Errorf("-cert %q: want rsa or ecdsa", o.cert)}
	}
	set.Visit(func(f *flag.Flag) { o.seeded = o.seeded || f.Name == "seed" })
	return o, nil
}

// demoIssue is the first step of every story: the throwaway CA and server
// certificate, made in memory (progress on stderr unless quiet).
func demoIssue(s *demoSession, progress io.Writer) error {
	var err error
	if s.opts.cert == "ecdsa" {
		s.pki, err = certgenIssueECDSA(s.keyRand, ecdsa.P256(), []string{"localhost", "127.0.0.1"}, "minitls demo CA",
			s.now, 24*time.Hour, 24*time.Hour)
	} else {
		s.pki, err = certgenIssue(s.keyRand, s.bits, []string{"localhost", "127.0.0.1"}, "minitls demo CA",
			s.now, 24*time.Hour, 24*time.Hour, progress)
	}
	if err != nil {
		return err
	}
	s.roots = x509lite.NewCertPool()
	s.roots.AddCert(s.pki.ca)
	return nil
}

// demoSetup issues the PKI, with progress on stderr.
func demoSetup(s *demoSession) error { return demoIssue(s, s.stderr) }

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
