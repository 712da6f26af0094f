package main

// minitls demo -tls13 -resume: after the TLS 1.3 story, the same client
// connects again and offers the ticket the server sent after the first
// handshake (NewSessionTicket), in its ClientHello's pre_shared_key with a
// binder that proves it holds the ticket's key. The server accepts: no
// Certificate, no CertificateVerify, yet a fresh X25519 exchange still
// runs (psk_dhe_ke), so the resumed session keeps forward secrecy.
//
// spec: rfc8446#2.2, rfc8446#4.2.11, rfc8446#4.6.1

import (
	"bytes"
	"fmt"

	"minitls/handshake"
)

func init() {
	demoRegister("resume13", demoResume13First, demoResume13Second, demoResume13Table)
}

// demoResume13First runs the whole TLS 1.3 story with a session cache, so
// the client keeps the ticket.
func demoResume13First(s *demoSession) error {
	s.sessions = handshake.NewLRUClientSessionCache(1)
	for _, step := range demoStories["tls13"] {
		if err := step(s); err != nil {
			return err
		}
	}
	return nil
}

// demoResume13Second makes the second connection and says what happened.
func demoResume13Second(s *demoSession) error {
	full := s.demoConn
	if err := demoConnect13(s); err != nil {
		return err
	}
	r := s.demoConn
	s.demoConn = full
	s.story = &demoResumed{full: full, resumed: r}
	s.heading("Step 6  A second connection resumes with the ticket (PSK)")
	if !r.state.DidResume {
		s.line(2, s.st.mark(false)+" the second connection did a full handshake: the server did not accept the ticket")
		s.story = nil
		return nil
	}
	ticket := "a NewSessionTicket"
	if e := s.msg(true, false, handshake.TypeNewSessionTicket); e != nil {
		ticket = fmt.Sprintf("a %d-byte NewSessionTicket", len(e.e.Bytes))
	}
	s.para(2, "After the first handshake the server sent "+ticket+", already under the application keys: a ticket (the session sealed under a key only the server holds) and a nonce from which both sides derive a pre-shared key, PSK = HKDF-Expand-Label(resumption_master_secret, \"resumption\", nonce). The client now offers the ticket in pre_shared_key, with a binder: an HMAC over its ClientHello keyed from the PSK, which proves it holds the key without showing it. The server opens the ticket, checks the binder, and skips its certificate and signature.")
	return nil
}

// demoResume13Table sets the full and the resumed TLS 1.3 handshakes side
// by side and checks what resumption kept and what it renewed.
func demoResume13Table(s *demoSession) error {
	rs, ok := s.story.(*demoResumed)
	if !ok {
		return nil
	}
	r := rs.resumed
	s.blank()
	s.row("", s.st.bold("full TLS 1.3"), s.st.bold("resumed"))
	for _, row := range demoMessageRows(s.demoPrinter, s.demoTrace, r.demoTrace) {
		s.row(row[0], row[1], row[2])
	}
	s.row("certificate chain check", "7 checks", s.st.green("none (the ticket vouches)"))
	s.row("server signature", s.state.SignatureScheme.String(), s.st.green("none"))
	s.row("key exchange", serveGroupName(s.state.CurveID), serveGroupName(r.state.CurveID)+" + PSK")
	s.row("round trips before data", "1", "1")
	s.row("handshake time (client)", cliDuration(s.handshakeTime()), cliDuration(r.handshakeTime()))
	s.blank()
	e1, e2 := s.key(true, "early secret"), r.key(true, "early secret")
	s.kv("early secret", s.sameAs(e2, r.key(false, "early secret"))+" on both sides, and now from the PSK: "+s.differs(e1, e2))
	s.kv("shared secret", "a fresh "+serveGroupName(r.state.CurveID)+" exchange: "+s.differs(s.key(true, "(EC)DHE shared secret"), r.key(true, "(EC)DHE shared secret")))
	s.kv("DidResume", fmt.Sprintf("client %v", r.state.DidResume))
	s.para(2, "psk_dhe_ke, the only mode minitls offers and accepts, mixes the PSK with a new (EC)DHE secret: a thief of the server's ticket key can open tickets, but not the sessions' traffic. TLS 1.2's ticket resumption reused the master secret itself. Timings vary from run to run.")
	s.replayResumed13(r)
	return nil
}

// differs says whether a value changed between the two connections.
func (p *demoPrinter) differs(a, b []byte) string {
	if len(a) > 0 && len(b) > 0 && !bytes.Equal(a, b) {
		return "different from the first connection's " + p.st.mark(true)
	}
	return "the same as the first connection's " + p.st.mark(false)
}

// replayResumed13 replays, under -trace, the resumed handshake's records.
func (s *demoSession) replayResumed13(r *demoConn) {
	s.replay(r.demoTrace, "the records of the resumed handshake, as the client saw them",
		func(e handshake.Event) bool { return e.Phase < handshake.PhaseEstablished })
}
