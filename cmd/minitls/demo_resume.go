package main

// minitls demo -resume: after the full handshake of steps 1 to 4, the same
// client connects again and offers the session (the ticket the server gave
// it in NewSessionTicket). The server opens the ticket, finds the master
// secret, and both skip the certificate and the key exchange: the
// abbreviated handshake of RFC 5246 §7.3. Step 5 puts the two handshakes
// side by side, message by message, with what each cost.

import (
	"fmt"
	"strings"

	"minitls/handshake"
)

func init() {
	demoRegister("resume", demoResumeFirst, demoResumeSecond, demoResumeTable, demoResumeVerdict)
}

// demoResumed is the -resume story's state: the two connections.
type demoResumed struct{ full, resumed *demoConn }

// demoResumeFirst tells the first connection: the whole story -kx picks.
func demoResumeFirst(s *demoSession) error {
	for _, step := range demoStories[demoPick(demoOptions{kx: s.opts.kx})] {
		if err := step(s); err != nil {
			return err
		}
	}
	return nil
}

// demoResumeSecond runs the second connection, which offers the ticket
// the first one received, and says what happened.
func demoResumeSecond(s *demoSession) error {
	full := s.demoConn
	if err := s.connect(nil); err != nil {
		return err
	}
	r := s.demoConn
	s.demoConn = full
	s.story = &demoResumed{full: full, resumed: r}
	s.heading("Step 5  A second connection resumes the session (abbreviated handshake)")
	if !r.state.DidResume {
		s.line(2, s.st.mark(false)+" the second connection did a full handshake: the server did not accept the session")
		s.story = nil
		return nil
	}
	ticket := "a NewSessionTicket"
	if m, ok := s.msgOf(true, false, handshake.TypeNewSessionTicket).(*handshake.NewSessionTicket); ok {
		ticket = fmt.Sprintf("a NewSessionTicket (a %d-byte ticket, to be used within %d s)", len(m.Ticket), m.TicketLifetimeHint)
	}
	s.para(2, "Just before its ChangeCipherSpec in step 4, the server sent "+ticket+": the session (suite, master secret, server name) sealed with AES-256-GCM under a key only the server holds. The client kept it and now offers it in its ClientHello's session_ticket extension; the server opens it, echoes the client's session_id to say yes, and both derive fresh keys from the old master secret and the two new randoms. The server's Finished comes first.")
	return nil
}

// demoResumeTable sets the two handshakes side by side.
func demoResumeTable(s *demoSession) error {
	rs, ok := s.story.(*demoResumed)
	if !ok {
		return nil
	}
	r := rs.resumed
	s.blank()
	s.row("", s.st.bold("full handshake"), s.st.bold("resumed"))
	for _, row := range demoMessageRows(s.demoPrinter, s.demoTrace, r.demoTrace) {
		s.row(row[0], row[1], row[2])
	}
	costLabel, cost := fmt.Sprintf("RSA-%d decryption", s.bits), s.rsaTime()
	if s.isECDHE() {
		// The server signs its ServerKeyExchange and both compute ECDH.
		costLabel = fmt.Sprintf("RSA-%d sign + ECDH", s.bits)
		if a, b := s.phaseAt(false, handshake.PhaseServerKeyExchange), s.phaseAt(false, handshake.PhaseServerHelloDone); !a.IsZero() && b.After(a) {
			cost += b.Sub(a)
		}
	}
	s.row(costLabel, cliDuration(cost), s.st.green("none"))
	s.row("certificate chain check", "7 checks", s.st.green("none (kept from the first)"))
	s.row("handshake bytes →/←",
		fmt.Sprintf("%d / %d", s.handshakeBytes(true), s.handshakeBytes(false)),
		fmt.Sprintf("%d / %d", r.handshakeBytes(true), r.handshakeBytes(false)))
	s.row("round trips before data", "2", "1 (server Finished first)")
	s.row("handshake time (client)", cliDuration(s.handshakeTime()), cliDuration(r.handshakeTime()))
	return nil
}

// demoResumeVerdict checks what resumption kept and what it renewed.
func demoResumeVerdict(s *demoSession) error {
	rs, ok := s.story.(*demoResumed)
	if !ok {
		return nil
	}
	r := rs.resumed
	s.blank()
	ms, rms := s.key(true, "master secret"), r.key(true, "master secret")
	s.kv("master secret", s.sameAs(ms, rms)+" as the first connection's: resumed, not renegotiated")
	k1, k2 := s.key(true, "client_write_key"), r.key(true, "client_write_key")
	if len(k1) > 0 && len(k2) > 0 && string(k1) != string(k2) {
		s.kv("record keys", s.st.mark(true)+" new: the key block mixes in the two fresh randoms")
	}
	s.kv("DidResume", fmt.Sprintf("client %v, server %v", r.state.DidResume, r.srvResumed()))
	if full, resumed := s.handshakeTime(), r.handshakeTime(); full > 0 && resumed > 0 {
		s.line(2, s.st.bold(fmt.Sprintf("This resumed handshake took 1/%.0f of the full one's time.", float64(full)/float64(resumed))))
	}
	s.para(2, "Servers resume returning clients to skip the private-key operation; the cost is that the ticket (or the server's cache entry) holds the master secret, so both are kept short-lived and tickets are sealed under rotating keys. Timings vary from run to run.")
	s.replay(r.demoTrace, "the records of the resumed handshake, as the client saw them",
		func(e handshake.Event) bool { return e.Phase < handshake.PhaseEstablished })
	return nil
}

// demoMessageRows lists the handshake messages of both connections, as the
// client saw them, in the order of the full handshake (messages only in the
// resumed one after it), with their sizes: "—" where a message is gone.
func demoMessageRows(p *demoPrinter, full, resumed *demoTrace) [][3]string {
	type msg struct {
		sent bool
		t    handshake.HandshakeType
	}
	sizes := func(s *demoTrace) (order []msg, size map[msg][]int) {
		size = map[msg][]int{}
		for _, e := range s.events {
			if e.e.Kind != handshake.EventMessage || !e.e.IsClient || len(e.e.Bytes) == 0 {
				continue
			}
			m := msg{e.e.Sent, handshake.HandshakeType(e.e.Bytes[0])}
			if size[m] == nil {
				order = append(order, m)
			}
			size[m] = append(size[m], len(e.e.Bytes))
		}
		return order, size
	}
	fo, fs := sizes(full)
	ro, rs := sizes(resumed)
	for _, m := range ro {
		if fs[m] == nil {
			fo = append(fo, m)
		}
	}
	cell := func(n []int, st cliStyle) string {
		if len(n) == 0 {
			return st.dim("—")
		}
		var parts []string
		for _, v := range n {
			parts = append(parts, fmt.Sprintf("%d bytes", v))
		}
		return strings.Join(parts, ", ")
	}
	var rows [][3]string
	for _, m := range fo {
		arrow := "←"
		if m.sent {
			arrow = "→"
		}
		name := serveMessageName(m.t, nil)
		rows = append(rows, [3]string{arrow + " " + name, cell(fs[m], p.st), cell(rs[m], p.st)})
	}
	return rows
}

// demoMessageName is the RFC's name of a handshake message.
func demoMessageName(t handshake.HandshakeType) string {
	if m := handshake.NewMessage(t); m != nil {
		name := fmt.Sprintf("%T", m)
		name = name[strings.LastIndex(name, ".")+1:]
		if name == "CertificateMessage" {
			return "Certificate"
		}
		return name
	}
	return t.String()
}
