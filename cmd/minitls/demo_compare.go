package main

// The story of `minitls demo -compare` (issue 18): one run, two
// connections to the same server with the same certificate, TLS 1.2
// (ECDHE, its best) and TLS 1.3, both over X25519 unless -group says
// otherwise, then side by side: round trips, messages, bytes, what an
// eavesdropper sees, the server's time; and what TLS 1.3 removed and why.

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"minitls/handshake"
)

func init() {
	demoRegister("compare", demoSetup, demoCompareRun, demoCompareMessages, demoCompareTable, demoCompareRemoved)
}

// demoCompared is the -compare story's state: the two connections.
type demoCompared struct{ tls12, tls13 *demoConn }

// demoCompareRun makes both connections.
func demoCompareRun(s *demoSession) error {
	group := s.opts.group
	if group == "" {
		group = "x25519"
	}
	groups, err := demoGroups13(group)
	if err != nil {
		return err
	}
	ecdhe := []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}
	if err := s.connect(func(cli, _ *handshake.Config) {
		cli.CipherSuites, cli.CurvePreferences = ecdhe, groups
		if groups[0] == handshake.CurveX25519MLKEM768 {
			cli.CurvePreferences = nil // TLS 1.2 has no hybrid group: its default
		}
	}); err != nil {
		return err
	}
	c12 := s.demoConn
	if err := s.connect(demoTune13(groups)); err != nil {
		return err
	}
	c13 := s.demoConn
	s.story = &demoCompared{tls12: c12, tls13: c13}
	fmt.Fprintln(s.w, s.st.bold("minitls demo -compare: the same request over TLS 1.2 and over TLS 1.3"))
	s.para(0, fmt.Sprintf("Two connections to one minitls server with the same RSA-%d certificate: TLS 1.2 with %v (ECDHE, the best TLS 1.2 offers), then TLS 1.3 with %v. Everything below comes from their traces.",
		s.bits, handshake.CipherSuite(c12.state.CipherSuite), handshake.CipherSuite(c13.state.CipherSuite)))
	return nil
}

// demoClientFlow is the handshake as the client saw it: each message and
// ChangeCipherSpec in order, with its size and whether a record
// protection sealed it (serve_flow.go's rule, from the other end).
func demoClientFlow(t *demoTrace) []serveFlowMsg {
	in := &serveConnInfo{}
	for _, e := range t.events {
		if e.e.IsClient && e.e.Phase != handshake.PhaseEstablished {
			in.flowEvent(e.e, e.at)
		}
	}
	return in.flow
}

// demoServerCPU is the minitls server's CPU time per handshake of kind k,
// measured as minitls bench does (bench_net.go: the server on one locked
// OS thread, its thread's CPU clock), over n handshakes after one to warm
// up, with bench's own RSA-2048 certificate.
func demoServerCPU(k benchHSKind, n int) (time.Duration, error) {
	fx, err := newBenchFixture()
	if err != nil {
		return 0, err
	}
	ops, cleanup, err := benchHandshakeOps(fx, k, true)
	if err != nil {
		return 0, err
	}
	defer cleanup()
	if _, err := ops[0](1); err != nil {
		return 0, err
	}
	d, err := ops[0](n)
	return d / time.Duration(n), err
}

// demoCompareMessages lists both handshakes' messages side by side.
func demoCompareMessages(s *demoSession) error {
	c := s.story.(*demoCompared)
	s.heading("The messages, as the client saw them (→ sent, ← received, * encrypted)")
	f12, f13 := demoClientFlow(c.tls12.demoTrace), demoClientFlow(c.tls13.demoTrace)
	fmt.Fprintf(s.w, "  %-36s%s\n", s.st.bold("TLS 1.2")+strings.Repeat(" ", 29), s.st.bold("TLS 1.3"))
	for i := 0; i < max(len(f12), len(f13)); i++ {
		fmt.Fprintf(s.w, "  %-36s%s\n", demoFlowCell(f12, i), demoFlowCell(f13, i))
	}
	return nil
}

func demoFlowCell(f []serveFlowMsg, i int) string {
	if i >= len(f) {
		return ""
	}
	a, lock := "←", ""
	if f[i].fromClient {
		a = "→"
	}
	if f[i].encrypted {
		lock = " *"
	}
	return fmt.Sprintf("%s %s  %s%s", a, f[i].name, demoBytes(f[i].size), lock)
}

// demoEncryptedNames lists the messages a record protection sealed.
func demoEncryptedNames(f []serveFlowMsg) string {
	var out []string
	for _, m := range f {
		if m.encrypted && m.name != "ChangeCipherSpec" {
			out = append(out, m.name)
		}
	}
	return strings.Join(out, ", ")
}

// demoCompareTable sets the two handshakes' figures side by side.
func demoCompareTable(s *demoSession) error {
	c := s.story.(*demoCompared)
	a, b := c.tls12, c.tls13
	f12, f13 := demoClientFlow(a.demoTrace), demoClientFlow(b.demoTrace)
	s.heading("Side by side")
	s.row("", s.st.bold("TLS 1.2"), s.st.bold("TLS 1.3"))
	s.row("round trips before data", fmt.Sprint(serveRoundTrips(f12)), fmt.Sprint(serveRoundTrips(f13)))
	s.row("handshake messages →/←", demoCountDir(f12), demoCountDir(f13))
	s.row("handshake bytes →/←", fmt.Sprintf("%d / %d", a.handshakeBytes(true), a.handshakeBytes(false)),
		fmt.Sprintf("%d / %d", b.handshakeBytes(true), b.handshakeBytes(false)))
	s.row("certificate seen on path", "yes, in clear", s.st.green("no, encrypted"))
	s.row("key exchange", "ECDHE "+serveGroupName(demoGroupOf(a)), serveGroupName(handshake.CurveID(b.state.CurveID))+" key_share")
	s.row("server signs", "ServerKeyExchange", "CertificateVerify")
	s.row("key derivation", "PRF (P_SHA256)", "HKDF, 3 stages")
	s.row("record overhead", "29 bytes (8 nonce)", "22 bytes (no nonce)")
	cpu12, err12 := demoServerCPU(benchKindECDHE, 20)
	cpu13, err13 := demoServerCPU(benchKindTLS13, 20)
	if err := errors.Join(err12, err13); err != nil {
		return fmt.Errorf("measuring the server's CPU: %w", err)
	}
	s.row("server CPU per handshake", cliDuration(cpu12), cliDuration(cpu13))
	s.row("client handshake time", cliDuration(a.handshakeTime()), cliDuration(b.handshakeTime()))
	s.blank()
	s.kv("encrypted in 1.2", demoEncryptedNames(f12))
	s.kv("encrypted in 1.3", demoEncryptedNames(f13))
	s.para(2, "Server CPU: 20 more handshakes of each kind (X25519, RSA-2048), timed on the server's own thread as minitls bench does; the work is the same (one signature, one X25519), TLS 1.3 only hashes more. The client's times are mostly CPU too: on loopback a round trip costs microseconds, but across the Internet each adds 20 to 200 ms, and TLS 1.3 saves one per new connection. Timings vary from run to run.")
	return nil
}

// demoCountDir counts messages sent and received (ChangeCipherSpec aside).
func demoCountDir(f []serveFlowMsg) string {
	out, in := 0, 0
	for _, m := range f {
		switch {
		case m.name == "ChangeCipherSpec":
		case m.fromClient:
			out++
		default:
			in++
		}
	}
	return fmt.Sprintf("%d / %d", out, in)
}

// demoGroupOf is the curve of a TLS 1.2 ECDHE connection.
func demoGroupOf(c *demoConn) handshake.CurveID {
	if ske, ok := c.msgOf(true, false, handshake.TypeServerKeyExchange).(*handshake.ServerKeyExchange); ok {
		return ske.NamedCurve
	}
	return 0
}

// demoRemoved13 is what TLS 1.3 took out of TLS 1.2, and why.
//
// spec: rfc8446#1.2
var demoRemoved13 = [][2]string{
	{"RSA key transport", "no forward secrecy (one stolen key opens every recorded session: demo -leak), and its PKCS#1 v1.5 padding check is an oracle that Bleichenbacher (1998) and ROBOT (2017) turned into decryption"},
	{"static RSA and DH", "same flaw: a long-term key agrees the session key. Every 1.3 key exchange is ephemeral (EC)DHE, or a PSK with it"},
	{"renegotiation", "the 2009 renegotiation attack spliced an attacker's request in front of the victim's (RFC 5746 patched it); 1.3 has KeyUpdate for new keys and post-handshake authentication instead"},
	{"compression", "CRIME (2012): compressing secrets with attacker-chosen text leaks them through the record lengths"},
	{"CBC", "MAC-then-encrypt invited padding oracles (Vaudenay 2002, POODLE, Lucky13): only AEADs remain (AES-GCM, ChaCha20-Poly1305)"},
	{"and more", "custom DH groups (Logjam), RC4, export ciphers, MD5 and SHA-1 signatures, ChangeCipherSpec (kept as a dummy for middleboxes)"},
}

// demoCompareRemoved lists what TLS 1.3 removed and why.
func demoCompareRemoved(s *demoSession) error {
	s.heading("What TLS 1.3 removed, and why (RFC 8446 §1.2)")
	for _, r := range demoRemoved13 {
		s.check(false, r[0], r[1])
	}
	s.para(2, "What is left is smaller: one key exchange shape, one cipher shape, one key schedule, so there is less to get wrong. minitls demo -tls13 walks the new handshake byte by byte.")
	return nil
}
