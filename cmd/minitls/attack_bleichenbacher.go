package main

// minitls attack bleichenbacher: Bleichenbacher's padding-oracle attack
// (CRYPTO 1998; ROBOT, USENIX Security 2018) on RSA key transport.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"minitls/cmd/minitls/internal/attack"
	"minitls/handshake"
	"minitls/record"
)

func init() {
	registerLesson(attackLesson{
		name:    "bleichenbacher",
		summary: "a padding oracle decrypts a recorded RSA session (ROBOT)",
		order:   1,
		run:     bleichRun,
	})
}

// bleichRequest is the secret the recorded session carries.
const bleichRequest = "GET /account HTTP/1.1\r\nHost: localhost\r\nCookie: session=7f3a9c01d2\r\nConnection: close\r\n\r\n"

// bleichTrim is the query budget for trimming (Bardou et al. §4.1). Over
// 20 RSA-1024 ciphertexts it took the median number of questions from
// 21,929 to 2,710 and the worst from 152,837 to 28,983 (1,500 did no
// better).
const bleichTrim = 500

// bleichSuite is the suite of every connection in this lesson.
const bleichSuite = handshake.TLS_RSA_WITH_AES_128_GCM_SHA256

func bleichRun(args []string, stdout, stderr io.Writer) error {
	var f attackFlags
	set := newAttackFlagSet("bleichenbacher", "[-bits N] [-direct] [-seed N]",
		"Records one RSA key-transport session between a minitls client and server.\n"+
			"Then, against a server with the same key that answers a ClientKeyExchange\n"+
			"whose decryption does not start 00 02 with a different alert, runs\n"+
			"Bleichenbacher's attack on the recorded ciphertext, recovers the premaster\n"+
			"secret and decrypts the recorded request. Then asks the real minitls server\n"+
			"the same questions: its answers are all alike, and the attack learns nothing.", stderr, &f, false)
	bits := set.Int("bits", 1024, "RSA key size: 1024 (about a minute) or 2048 (slow)")
	direct := set.Bool("direct", false, "ask the padding check as a function, not over TLS (faster)")
	if err := parseAttackFlags(set, args, &f); err != nil {
		return err
	}
	if *bits != 1024 && *bits != 2048 {
		return &exitError{code: 2, err: fmt.Errorf("-bits %d: use 1024 or 2048", *bits)}
	}
	p := newAttackPrinter(stdout)
	progress := io.Discard
	if colorEnabled(stderr) {
		progress = stderr // a terminal: draw the progress bar
	}
	_, err := bleichLesson(p, progress, &f, *bits, *direct)
	return err
}

// bleichOutcome is what one run of the lesson measured, for the tests.
type bleichOutcome struct {
	premaster      []byte // the recorded session's, as the client made it
	recovered      []byte // what the attack recovered from the leaky server
	request        []byte // the recorded request, decrypted with it
	queries        int
	realRecovered  []byte // what the same attack "recovered" from the real server
	leakyAnswers   map[record.AlertDescription]int
	realAnswers    map[record.AlertDescription]int
	realQueries    int
	realRequestErr error
}

// bleichLesson runs the whole lesson, printing to p.
func bleichLesson(p *attackPrinter, progress io.Writer, f *attackFlags, bits int, direct bool) (*bleichOutcome, error) {
	out := &bleichOutcome{}
	p.title("minitls attack bleichenbacher: a padding oracle decrypts a recorded session")
	p.para(0, "RSA key transport sends the premaster secret encrypted with RSAES-PKCS1-v1_5 to the server's key. In 1998 Daniel Bleichenbacher showed that a server which tells whether a ciphertext decrypts to a block starting 00 02 lets anyone decrypt any such ciphertext by asking a few thousand modified versions of it. In 2017 ROBOT found servers of major vendors still answering.")
	srv, err := newAttackServer(f.rand(0), bits)
	if err != nil {
		return nil, err
	}

	p.heading("Step 1  An eavesdropper records one session")
	c2s, s2c, pre, err := bleichRecord(srv, f.rand(1), f.rand(2))
	if err != nil {
		return nil, err
	}
	out.premaster = pre
	cke, err := bleichCiphertext(c2s)
	if err != nil {
		return nil, err
	}
	p.kv("session", fmt.Sprintf("minitls client → minitls server, %v, RSA-%d: %d bytes from the client, %d from the server", bleichSuite, bits, len(c2s), len(s2c)))
	p.kvHex("ClientKeyExchange", cke, 2, plain)
	p.para(2, "The premaster secret is inside that ciphertext, PKCS#1 v1.5-padded (00 02, random non-zero bytes, 00, the 48 bytes). The client skipped the certificate check only because x509lite refuses RSA keys under 2048 bits; the attack does not care.")

	p.heading("Step 2  A weakened server with the same key")
	p.para(2, "The weakness, and only it: after decrypting a ClientKeyExchange, this server looks at the first two bytes and, when they are not 00 02, sends handshake_failure at once; otherwise it goes on and fails at the client's Finished with bad_record_mac. (A load balancer in front of the real server, sharing its key, is the usual story.) So each connection answers one yes/no question: does this ciphertext decrypt to 00 02 …?")
	leaky := &bleichLeaky{srv: srv, rand: f.rand(3)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	go leaky.serve(ln)
	oracle, tally := bleichTLSOracle(ln.Addr().String(), f.rand(4))
	how := "one TLS connection per question: ClientHello, the server's flight, then the chosen ClientKeyExchange, ChangeCipherSpec and a Finished under a random key; the alert is the answer"
	if direct {
		oracle, tally = bleichDirectOracle(leaky)
		how = "-direct: the weakened server's padding check called as a function, no connection"
	}
	p.kv("questions", how)

	p.heading("Step 3  Bleichenbacher's attack")
	p.para(2, "Multiplying the ciphertext by s^e multiplies the hidden block m by s. Each 'yes' says 2B ≤ m·s mod n < 3B (B = 2^(8(k-2))), which confines m to a set of intervals; the next s is chosen to halve them, until one value is left. Two improvements of Bardou et al. (2012) cut the questions about tenfold: first 'trimming', which asks about m·u/t for small fractions u/t to learn divisors of m and narrow [2B, 3B) before the search; then skipping the s that can never answer yes.")
	n := new(big.Int).SetBytes(srv.key.N)
	var recorded [][]byte
	a := &attack.Bleichenbacher{N: n, E: srv.key.E, Trim: bleichTrim,
		Oracle: func(c []byte) (bool, error) {
			recorded = append(recorded, c)
			return oracle(c)
		},
		Report: bleichProgressBar(progress, bits)}
	start := time.Now()
	m, err := a.Run(cke)
	elapsed := time.Since(start)
	fmt.Fprint(progress, "\r\x1b[K")
	if err != nil {
		return nil, fmt.Errorf("the attack on the weakened server failed: %w", err)
	}
	out.queries = a.Queries()
	out.leakyAnswers = tally()
	out.recovered = m[len(m)-48:]
	p.kv("questions asked", fmt.Sprintf("%d, in %s (%s each)", a.Queries(), cliDuration(elapsed), cliDuration(elapsed/time.Duration(a.Queries()))))
	p.kvHex("recovered block", m, 1, plain)
	p.kvHex("premaster", out.recovered, 0, p.st.yellow)
	p.check(bytes.Equal(out.recovered, pre), "premaster", "the same 48 bytes the client made (the client's own trace says so)")
	req, err := bleichDecrypt(c2s, s2c, out.recovered)
	if err != nil {
		return nil, fmt.Errorf("decrypting the recorded session with the recovered premaster: %w", err)
	}
	out.request = req
	p.check(true, "the request", "the recorded client's first application-data record, opened with keys derived from it:")
	for _, l := range strings.SplitAfter(string(req), "\r\n") {
		if l != "" {
			p.line(attackLabelCol, p.st.yellow(fmt.Sprintf("%q", l)))
		}
	}

	p.heading("Step 4  The same questions to the real minitls server")
	p.para(2, "The real server follows rfc5246#7.4.7.1: it draws a random premaster secret R before decrypting and, in constant time, keeps R whenever the padding, the length or the version bytes are wrong. The handshake goes on either way and fails at Finished, with the same alert.")
	realLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer realLn.Close()
	go bleichServeReal(realLn, srv.config(f.rand(5), true))
	realOracle, realTally := bleichTLSOracle(realLn.Addr().String(), f.rand(6))
	replay := bleichSample(recorded, leaky, 200)
	for _, c := range replay {
		if _, err := realOracle(c); err != nil {
			return nil, err
		}
	}
	leakySample := map[record.AlertDescription]int{}
	for _, c := range replay {
		leakySample[leaky.answer(c)]++
	}
	p.kv("asked", fmt.Sprintf("%d of the attack's ciphertexts, half of them the ones the weakened server said yes to", len(replay)))
	bleichTable(p, leakySample, realTally())
	p.para(2, "Every answer is the same, so each one carries no information. The attack needs the yes answers; run against this server it takes every answer as yes (they all look like the weakened server's yes) and converges on a number that is not the premaster secret:")
	realAttack := &attack.Bleichenbacher{N: n, E: srv.key.E, MaxQuery: 4 * bits, Trim: bleichTrim,
		Oracle: realOracle}
	start = time.Now()
	fake, err := realAttack.Run(cke)
	out.realQueries = realAttack.Queries()
	out.realAnswers = realTally()
	switch {
	case errors.Is(err, attack.ErrQueryLimit) || (err != nil && strings.Contains(err.Error(), "inconsistently")):
		p.check(false, "attack", fmt.Sprintf("gave up after %d questions (%s): %v", realAttack.Queries(), cliDuration(time.Since(start)), err))
	case err != nil:
		return nil, err
	default:
		out.realRecovered = fake[len(fake)-48:]
		p.kvHex("\"premaster\"", out.realRecovered, 0, plain)
		_, out.realRequestErr = bleichDecrypt(c2s, s2c, out.realRecovered)
		p.check(false, "the request", fmt.Sprintf("after %d questions (%s), the keys derived from it do not open the recorded record: %v", realAttack.Queries(), cliDuration(time.Since(start)), out.realRequestErr))
	}

	p.heading("The lesson")
	p.para(2, fmt.Sprintf("One different alert for a bad padding was enough to decrypt a recorded session with %d questions to the server (each one TLS connection), without its private key. The defence is subtle: no branch, error, alert or timing may depend on the padding, which is why RFC 5246 spells out the random-premaster countermeasure and why implementations kept getting it wrong (ROBOT, 2017, found it in F5, Citrix, Cisco and others, 19 years later). TLS 1.3 removed RSA key transport altogether: with only (EC)DHE, the server's key signs and never decrypts, so there is no decryption oracle to build, and recorded sessions stay secret even if the key leaks.", out.queries))
	return out, nil
}

// bleichProgressBar draws "queries, bits of uncertainty left" on a
// terminal.
func bleichProgressBar(w io.Writer, bits int) func(attack.Progress) {
	if w == io.Discard {
		return nil
	}
	last := time.Time{}
	return func(pr attack.Progress) {
		if time.Since(last) < 100*time.Millisecond && pr.Step != "done" {
			return
		}
		last = time.Now()
		const width = 30
		done := width - pr.WidthBits*width/bits
		if done < 0 {
			done = 0
		}
		fmt.Fprintf(w, "\r\x1b[K  [%s%s] %7d questions, %4d bits of the plaintext unknown, %d interval(s)",
			strings.Repeat("#", done), strings.Repeat(".", width-done), pr.Queries, pr.WidthBits, pr.Intervals)
	}
}

// bleichTable prints the answers of both servers side by side.
func bleichTable(p *attackPrinter, leaky, real map[record.AlertDescription]int) {
	keys := map[record.AlertDescription]bool{}
	for k := range leaky {
		keys[k] = true
	}
	for k := range real {
		keys[k] = true
	}
	list := make([]record.AlertDescription, 0, len(keys))
	for k := range keys {
		list = append(list, k)
	}
	slices.Sort(list)
	p.line(6, fmt.Sprintf("%-22s %16s %16s", "answer", "weakened server", "minitls server"))
	for _, k := range list {
		p.line(6, fmt.Sprintf("%-22s %16d %16d", bleichAlertName(k), leaky[k], real[k]))
	}
}

func bleichAlertName(a record.AlertDescription) string {
	if a == 255 {
		return "(no alert)"
	}
	return a.String()
}

// bleichSample picks up to n of the attack's ciphertexts, half answered yes
// by the weakened server and half no, in the order they were asked.
func bleichSample(asked [][]byte, leaky *bleichLeaky, n int) [][]byte {
	var yes, no [][]byte
	for _, c := range asked {
		if leaky.conformant(c) {
			if len(yes) < n/2 {
				yes = append(yes, c)
			}
		} else if len(no) < n/2 {
			no = append(no, c)
		}
	}
	return append(yes, no...)
}

// --- the recorded session -------------------------------------------

// bleichRecord runs one session between a real minitls client and server
// offering only RSA key transport, and returns the bytes each way and the
// premaster secret the client made (from its trace, for the check).
func bleichRecord(srv *attackServer, srvRand, cliRand io.Reader) (c2s, s2c, premaster []byte, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, nil, err
	}
	defer ln.Close()
	go bleichServeReal(ln, srv.config(srvRand, true))
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, nil, err
	}
	raw.SetDeadline(time.Now().Add(30 * time.Second))
	rec := &wireRecorder{Conn: raw}
	var mu sync.Mutex
	conn := handshake.Client(rec, &handshake.Config{
		ServerName: "localhost", InsecureSkipVerify: true,
		CipherSuites: []uint16{uint16(bleichSuite)}, Rand: cliRand,
		Time:         func() time.Time { return attackEpoch },
		TraceSecrets: true,
		Trace: func(e handshake.Event) {
			if e.Kind == handshake.EventKey && e.Label == "premaster secret" {
				mu.Lock()
				premaster = bytes.Clone(e.Secret)
				mu.Unlock()
			}
		},
	})
	defer conn.Close()
	if _, err := io.WriteString(conn, bleichRequest); err != nil {
		return nil, nil, nil, fmt.Errorf("the recorded session failed: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("the recorded session failed: %w", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if premaster == nil {
		return nil, nil, nil, errors.New("the client's trace did not report its premaster secret")
	}
	c2s, s2c = rec.bytes()
	return c2s, s2c, premaster, nil
}

// bleichServeReal serves HTTPS on ln with the real minitls server.
func bleichServeReal(ln net.Listener, cfg *handshake.Config) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		fmt.Fprintf(w, "balance for %s: 1,234.56\n", r.Header.Get("Cookie"))
	}), ErrorLog: log.New(io.Discard, "", 0)}
	srv.Serve(handshake.NewListener(ln, cfg))
}

// bleichCiphertext returns the RSA ciphertext of the recorded
// ClientKeyExchange (its 2-byte length stripped).
func bleichCiphertext(c2s []byte) ([]byte, error) {
	msgs, _ := wireSplit(wireRecords(c2s))
	for _, m := range msgs {
		if handshake.HandshakeType(m[0]) == handshake.TypeClientKeyExchange {
			var cke handshake.ClientKeyExchange
			if err := cke.Unmarshal(m); err != nil {
				return nil, err
			}
			return cke.EncryptedPreMasterSecret, nil
		}
	}
	return nil, errors.New("the recording has no ClientKeyExchange")
}

// bleichDecrypt derives the session's keys from a premaster secret and the
// recorded handshake, and opens the client's first application-data
// record: what the attacker does once the premaster is known.
//
// spec: rfc5246#8.1, rfc7627#4, rfc5246#6.3
func bleichDecrypt(c2s, s2c, premaster []byte) ([]byte, error) {
	sess, err := wireParse(c2s, s2c)
	if err != nil {
		return nil, err
	}
	_, request, err := sess.openRequest(premaster)
	return request, err
}
