package main

// minitls attack: lessons that break TLS to show why it is built the way it
// is. Each lesson runs a real attack against an in-process endpoint weakened
// in exactly one documented way, watches it succeed, then runs the same
// attack against the real minitls endpoint and watches it fail.
//
// The weakened endpoints live only in the attack*.go files of this command
// (package main, unreachable from any other package) and in
// cmd/minitls/internal/attack (the attacker's mathematics): nothing in
// record, handshake or cipher was weakened for them, and `serve` never
// runs them. attack_test.go asserts that the library's own endpoints never
// show the weaknesses.

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"minitls/cipher/rsa"
	"minitls/cmd/minitls/internal/attack"
	"minitls/handshake"
	"minitls/x509lite"
)

func init() {
	register(command{
		name:    "attack",
		summary: "break weakened TLS endpoints live, then watch the real ones resist",
		order:   15,
		run:     attackRun,
	})
}

// attackEpoch is the clock of every lesson's certificates and handshakes,
// so that a -seed run prints the same bytes each time.
var attackEpoch = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// attackLesson is one lesson: `minitls attack NAME [flags]`.
type attackLesson struct {
	name    string
	summary string
	order   int
	run     func(args []string, stdout, stderr io.Writer) error
}

var attackLessons = map[string]attackLesson{}

func registerLesson(l attackLesson) { attackLessons[l.name] = l }

// attackUsage lists the lessons in their order.
func attackUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: minitls attack <lesson> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Each lesson runs a real attack against an endpoint weakened in exactly one")
	fmt.Fprintln(w, "documented way (it exists only inside this command), shows it succeed, then runs")
	fmt.Fprintln(w, "the same attack against the real minitls endpoint and shows it fail.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "lessons:")
	list := make([]attackLesson, 0, len(attackLessons))
	for _, l := range attackLessons {
		list = append(list, l)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].order < list[j].order })
	for _, l := range list {
		fmt.Fprintf(w, "  %-15s %s\n", l.name, l.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'minitls attack <lesson> -h' for a lesson's flags.")
}

func attackRun(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		attackUsage(stderr)
		return &exitError{code: 2, err: errors.New("name a lesson")}
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		attackUsage(stderr) // where every subcommand's -h goes
		return flag.ErrHelp
	}
	l, ok := attackLessons[args[0]]
	if !ok {
		attackUsage(stderr)
		names := make([]string, 0, len(attackLessons))
		for n := range attackLessons {
			names = append(names, n)
		}
		sort.Strings(names)
		return &exitError{code: 2, err: fmt.Errorf("unknown lesson %q: pick one of %s", args[0], strings.Join(names, ", "))}
	}
	return l.run(args[1:], stdout, stderr)
}

// attackFlags is what every lesson accepts: -seed (and -trace where the
// wire matters).
type attackFlags struct {
	seed   uint64
	seeded bool
	trace  bool
}

// newAttackFlagSet returns a lesson's flag set with -seed, and -trace when
// withTrace.
func newAttackFlagSet(name, synopsis, explain string, stderr io.Writer, f *attackFlags, withTrace bool) *flag.FlagSet {
	set := newFlagSet("attack "+name, synopsis, explain, stderr)
	set.Uint64Var(&f.seed, "seed", 0, "make the run reproducible from this seed (fixed randomness)")
	if withTrace {
		set.BoolVar(&f.trace, "trace", false, "also show the records that matter as annotated hex")
	}
	return set
}

// parseAttackFlags parses a lesson's flags and notes whether -seed was set.
func parseAttackFlags(set *flag.FlagSet, args []string, f *attackFlags) error {
	if err := parseFlags(set, args); err != nil {
		return err
	}
	if set.NArg() > 0 {
		return &exitError{code: 2, err: fmt.Errorf("unexpected argument %q (see -h)", set.Arg(0))}
	}
	set.Visit(func(fl *flag.Flag) { f.seeded = f.seeded || fl.Name == "seed" })
	return nil
}

// rand returns the stream numbered i of this run: deterministic under
// -seed (independent streams, so one consumer's appetite does not shift
// another's bytes), crypto/rand otherwise.
func (f *attackFlags) rand(i uint64) io.Reader {
	if !f.seeded {
		return rand.Reader
	}
	return handshake.NewDeterministicRand(f.seed*16 + i)
}

// attackServer is a server's RSA key and its self-signed certificate.
type attackServer struct {
	key  *rsa.PrivateKey
	cert []byte // DER
	bits int
}

// newAttackServer makes the server key: RSA-1024 and below come from the
// attacker's toy key generation (minitls's own refuses keys under 2048 bits,
// as it should), larger ones from cipher/rsa. The certificate is
// self-signed: the lessons are about the server, and x509lite rightly
// refuses to verify RSA keys under 2048 bits, so their clients skip the
// certificate check (InsecureSkipVerify) and say so.
func newAttackServer(random io.Reader, bits int) (*attackServer, error) {
	var key *rsa.PrivateKey
	var err error
	if bits < 2048 {
		var t *attack.ToyKey
		if t, err = attack.GenerateToyKey(random, bits); err != nil {
			return nil, err
		}
		key, err = rsa.NewPrivateKey(t.N, t.E, t.D, t.P, t.Q)
	} else {
		key, err = rsa.GenerateKey(random, bits)
	}
	if err != nil {
		return nil, fmt.Errorf("generating the RSA-%d server key: %w", bits, err)
	}
	start := attackEpoch.Add(-time.Hour)
	tmpl := &x509lite.Certificate{
		Subject:     x509lite.NewName(x509lite.Attr(x509lite.OIDCommonName, "localhost")),
		NotBefore:   start,
		NotAfter:    start.Add(100 * 365 * 24 * time.Hour),
		KeyUsage:    x509lite.KeyUsageDigitalSignature | x509lite.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost"},
	}
	der, err := x509lite.CreateCertificate(random, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("issuing the server certificate: %w", err)
	}
	return &attackServer{key: key, cert: der, bits: bits}, nil
}

// config returns a real minitls server Config for this key, offering only
// RSA key transport (AES-128-GCM) when rsaOnly.
func (a *attackServer) config(random io.Reader, rsaOnly bool) *handshake.Config {
	cfg := &handshake.Config{
		Certificates: []handshake.Certificate{{Certificate: [][]byte{a.cert}, PrivateKey: a.key}},
		Rand:         random,
		Time:         func() time.Time { return attackEpoch },
	}
	if rsaOnly {
		cfg.CipherSuites = []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256)}
	}
	return cfg
}
