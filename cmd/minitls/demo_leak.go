package main

// The story of `minitls demo -leak` (issue 10): it records one RSA
// key-transport session and one ECDHE session, then plays an attacker who
// later obtains the server's private key: the first session decrypts, the
// second does not. This is forward secrecy, and why TLS 1.3 kept only
// ephemeral key exchanges.

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/x509lite"
)

// demoLeakRequest is the secret the recorded sessions carry.
const demoLeakRequest = "GET /account HTTP/1.1\r\nHost: localhost\r\nCookie: session=7f3a9c01d2\r\nConnection: close\r\n\r\n"

// demoLeakRecord runs one session offering suites and returns the bytes
// each way, as recorded on the wire.
func demoLeakRecord(pki *certgenPKI, roots *x509lite.CertPool, suites []uint16, srvRand, cliRand io.Reader, clock func() time.Time) (c2s, s2c []byte, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	srvCfg := &handshake.Config{
		Certificates: []handshake.Certificate{{Certificate: [][]byte{pki.leafDER, pki.caDER}, PrivateKey: pki.leafKey}},
		Rand:         srvRand, Time: clock,
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		fmt.Fprintf(w, "balance for %s: 1,234.56\n", r.Header.Get("Cookie"))
	}), ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(handshake.NewListener(ln, srvCfg))
	defer srv.Close()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	raw.SetDeadline(time.Now().Add(30 * time.Second))
	rec := &wireRecorder{Conn: raw}
	conn := handshake.Client(rec, &handshake.Config{RootCAs: roots, ServerName: "localhost", CipherSuites: suites, Rand: cliRand, Time: clock})
	if _, err := io.WriteString(conn, demoLeakRequest); err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("the recorded session failed: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	conn.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("the recorded session failed: %w", err)
	}
	c2s, s2c = rec.bytes()
	return c2s, s2c, nil
}

// demoAttack is what the attacker achieved on one recorded session.
type demoAttack struct {
	suite     handshake.CipherSuite
	curve     handshake.CurveID
	ckeLen    int
	premaster []byte
	master    []byte
	request   []byte
	err       error // why it stopped
}

// demoAttackRecording plays the attacker: with only the recorded bytes and
// the server's private key, recompute the session keys and open the
// client's first application-data record.
func demoAttackRecording(c2s, s2c []byte, key *rsa.PrivateKey) demoAttack {
	var a demoAttack
	sess, err := wireParse(c2s, s2c)
	if err != nil {
		a.err = err
		return a
	}
	a.suite = sess.sh.CipherSuite
	cke := sess.cmsgs[len(sess.cmsgs)-1]
	a.ckeLen = len(cke)
	for _, m := range sess.smsgs {
		var ske handshake.ServerKeyExchange
		if handshake.HandshakeType(m[0]) == handshake.TypeServerKeyExchange && ske.Unmarshal(m) == nil {
			a.curve = ske.NamedCurve
		}
	}
	// The RSA key-transport ClientKeyExchange is a 2-byte length and the
	// ciphertext; the ECDHE one a 1-byte length and a public value.
	body := cke[4:]
	if len(body) > 2 && int(binary.BigEndian.Uint16(body)) == len(body)-2 {
		body = body[2:]
	}
	pre, err := rsa.DecryptPKCS1v15(rand.Reader, key, body)
	if err != nil {
		a.err = fmt.Errorf("decrypting the ClientKeyExchange with the leaked key: %w", err)
		return a
	}
	a.premaster = pre
	a.master, a.request, a.err = sess.openRequest(pre)
	return a
}

func init() {
	demoRegister("leak", demoLeakSetup, demoLeakRecordBoth, demoLeakAttackBoth, demoLeakLesson)
}

// demoLeakSessions are the two recorded sessions: same server, same key,
// same request, two key exchanges.
var demoLeakSessions = []struct {
	title  string
	suites []uint16
}{
	{"RSA key transport", []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256)}},
	{"ECDHE (X25519, signed with RSA)", []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}},
}

// demoLeakState is what the -leak story carries between its steps.
type demoLeakState struct {
	c2s, s2c [][]byte
	results  []demoAttack
}

// demoLeakSetup issues the PKI quietly and sets the scene.
func demoLeakSetup(s *demoSession) error {
	if err := demoIssue(s, io.Discard); err != nil {
		return err
	}
	s.story = &demoLeakState{}
	fmt.Fprintln(s.w, s.st.bold("minitls demo -leak: what a stolen server key reveals about recorded traffic"))
	s.para(0, "Two HTTPS sessions to the same server, with the same certificate and key, carry the same secret request. An eavesdropper records every byte. Months later the server's private key leaks (a stolen backup, a compromised host, a court order). What can the eavesdropper read?")
	return nil
}

// demoLeakRecordBoth runs and records the two sessions.
func demoLeakRecordBoth(s *demoSession) error {
	st := s.story.(*demoLeakState)
	s.heading("Recording")
	for i, sess := range demoLeakSessions {
		c2s, s2c, err := demoLeakRecord(s.pki, s.roots, sess.suites, s.srvRand, s.cliRand, s.clock)
		if err != nil {
			return err
		}
		st.c2s, st.s2c = append(st.c2s, c2s), append(st.s2c, s2c)
		s.kv(fmt.Sprintf("session %d", i+1), fmt.Sprintf("%s: %d bytes from the client, %d from the server", sess.title, len(c2s), len(s2c)))
	}
	s.kv("the secret", fmt.Sprintf("%q", demoCut([]byte(demoLeakRequest), 40)))
	return nil
}

// demoLeakAttackBoth plays the attacker on each recording.
func demoLeakAttackBoth(s *demoSession) error {
	st := s.story.(*demoLeakState)
	s.heading(fmt.Sprintf("The leak: the attacker now holds the server's RSA-%d private key", s.bits))
	for i := range demoLeakSessions {
		a := demoAttackRecording(st.c2s[i], st.s2c[i], s.pki.leafKey)
		st.results = append(st.results, a)
		s.heading(fmt.Sprintf("Session %d  %v", i+1, a.suite))
		if demoIsECDHE(a.suite) {
			s.leakECDHE(a)
		} else {
			s.leakRSA(a)
		}
	}
	return nil
}

// leakECDHE tells why the leaked key opens nothing in an ECDHE session.
func (s *demoSession) leakECDHE(a demoAttack) {
	s.check(false, "ClientKeyExchange", fmt.Sprintf("%d bytes: the client's %v public value, not a ciphertext; the leaked key decrypts nothing here (%v)", a.ckeLen, a.curve, a.err))
	s.check(false, "premaster", fmt.Sprintf("= %v(server's ephemeral private scalar, client's public value). That scalar lived only in the server's memory during the handshake and was then forgotten; the recording holds just the two public values, and getting the secret from them is the elliptic-curve Diffie–Hellman problem, which no known method solves for this curve.", a.curve))
	s.check(false, "the request", "stays sealed in its AES-GCM record: without the premaster secret there is no master secret and no key")
	s.para(2, "The RSA key only signed the ServerKeyExchange. Leaking it lets the thief impersonate the server in FUTURE handshakes, not read past ones. This is forward secrecy.")
}

// leakRSA shows the RSA session opened with the leaked key.
func (s *demoSession) leakRSA(a demoAttack) {
	if a.premaster == nil {
		s.check(false, "ClientKeyExchange", fmt.Sprintf("could not decrypt: %v", a.err))
		return
	}
	s.check(true, "ClientKeyExchange", fmt.Sprintf("%d bytes of RSA ciphertext, decrypted with the leaked key", a.ckeLen))
	s.kvHex("premaster", a.premaster, s.st.yellow)
	s.check(true, "master secret", "PRF(premaster, session hash of the recorded handshake messages)")
	s.kvHex("", a.master, s.st.yellow)
	s.check(a.err == nil && a.request != nil, "the request", "the client's first application-data record opens with the derived client_write_key:")
	if a.err != nil {
		s.line(demoLabelCol, fmt.Sprint(a.err))
		return
	}
	for _, l := range strings.SplitAfter(string(a.request), "\r\n") {
		if l != "" {
			s.line(demoLabelCol, s.st.yellow(fmt.Sprintf("%q", l)))
		}
	}
	s.para(2, "With RSA key transport the premaster secret crossed the wire encrypted to the server's long-term key, so that one key unlocks every session ever recorded.")
}

// demoLeakLesson draws the conclusion and insists the run showed it.
func demoLeakLesson(s *demoSession) error {
	st := s.story.(*demoLeakState)
	s.heading("The lesson")
	s.para(2, "Same server, same key, same request: the RSA session is an open book after the leak, the ECDHE session stays secret. Forward secrecy is why RSA key transport was retired (TLS 1.3 has only ephemeral key exchanges) and why minitls's server prefers ECDHE.")
	if ok := len(st.results) == 2 && bytes.Equal(st.results[0].request, []byte(demoLeakRequest)) && st.results[1].request == nil; !ok {
		return errors.New("the leak demonstration did not come out as expected")
	}
	return nil
}
