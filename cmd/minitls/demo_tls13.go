package main

// The TLS 1.3 story of `minitls demo -tls13` (issue 18): the same HTTPS
// request over TLS 1.3. Only the two hellos cross the wire in clear; the
// key schedule of RFC 8446 §7.1 runs with the real values; the server's
// whole flight (its certificate too) is encrypted; and the client sends
// its request after one round trip.
//
//	Step 1  the TCP connection                         (demoTCP)
//	Step 2  the hellos: the only messages in clear     (demoHellos13)
//	Step 3  the key schedule, value by value           (demoKeySchedule13)
//	Step 4  the server's encrypted flight              (demoServerFlight13)
//	Step 5  Finished, one round trip, the request      (demoFinished13)
//	Lesson  what the post-quantum key share costs      (demoLesson13)

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"minitls/handshake"
	"minitls/record"
)

func init() {
	demoRegister("tls13", demoSetup, demoConnect13, demoHeader, demoTCP, demoHellos13,
		demoKeySchedule13, demoServerFlight13, demoFinished13, demoLesson13)
}

// demoGroups13 turns -group into the client's CurvePreferences: one group,
// so the story tells the key exchange asked for.
func demoGroups13(name string) ([]handshake.CurveID, error) {
	switch strings.ToLower(name) {
	case "", "x25519mlkem768", "mlkem":
		return []handshake.CurveID{handshake.CurveX25519MLKEM768}, nil
	case "x25519":
		return []handshake.CurveID{handshake.CurveX25519}, nil
	case "p256", "p-256", "secp256r1":
		return []handshake.CurveID{handshake.CurveP256}, nil
	}
	return nil, fmt.Errorf("-group %q: want x25519mlkem768 (the default, as browsers offer first), x25519 or p256", name)
}

// demoConnect13 runs the connection with TLS 1.3 only on the client, its
// default suites and the group -group names.
func demoConnect13(s *demoSession) error {
	groups, err := demoGroups13(s.opts.group)
	if err != nil {
		return err
	}
	tune := demoTune13(groups)
	if s.opts.suite != "" {
		// -suite aes128|aes256 (or a TLS 1.2 name) picks the TLS 1.3
		// suite with the same AES key size.
		id := uint16(0x1301) // TLS_AES_128_GCM_SHA256
		if cliSuiteAESBits(handshake.CipherSuite(s.opts.suites[0])) == 256 {
			id = 0x1302 // TLS_AES_256_GCM_SHA384
		}
		return s.connect(func(cli, srv *handshake.Config) {
			tune(cli, srv)
			cli.CipherSuites = []uint16{id}
		})
	}
	return s.connect(tune)
}

// demoTune13 makes the client TLS 1.3 only, with its default suites and
// the given groups.
func demoTune13(groups []handshake.CurveID) func(cli, srv *handshake.Config) {
	return func(cli, _ *handshake.Config) {
		cli.CipherSuites = nil
		cli.MinVersion = uint16(handshake.VersionTLS13)
		cli.MaxVersion = uint16(handshake.VersionTLS13)
		cli.CurvePreferences = groups
	}
}

// demoHellos13 is step 2: the two hellos, and how little else is in clear.
func demoHellos13(s *demoSession) error {
	s.heading("Step 2  Hellos: the only handshake messages in clear")
	ch, _ := s.msgOf(true, true, handshake.TypeClientHello).(*handshake.ClientHello)
	sh, _ := s.msgOf(true, false, handshake.TypeServerHello).(*handshake.ServerHello)
	if ch == nil || sh == nil {
		s.line(2, "(the trace is missing the hellos)")
		return nil
	}
	s.arrow(true, fmt.Sprintf("ClientHello: %d bytes", s.rawLen(true, handshake.TypeClientHello)))
	s.kv("legacy_version", ch.Version.String()+" (frozen for middleboxes; the real offer is below)")
	if vs, ok := ch.SupportedVersions(); ok {
		s.kv("versions", demoJoin(vs)+" (supported_versions)")
	}
	s.kv("suites offered", demoJoin(ch.CipherSuites))
	for _, k := range demoKeyShares(ch.Extensions, true) {
		s.kv("key_share", fmt.Sprintf("%v: a %d-byte public share, sent before the server has even answered", k.group, k.size))
	}
	s.para(4, "The client guesses the server's group and sends its share at once: that guess is what saves TLS 1.2's second round trip. (A wrong guess costs a HelloRetryRequest.)")
	s.arrow(false, fmt.Sprintf("ServerHello: %d bytes", s.rawLen(false, handshake.TypeServerHello)))
	s.kv("legacy_version", sh.Version.String()+"; supported_versions says "+handshake.ProtocolVersion(s.state.Version).String())
	s.kv("suite chosen", sh.CipherSuite.String()+" (an AEAD and a hash: no key exchange in the name)")
	for _, k := range demoKeyShares(sh.Extensions, false) {
		s.kv("key_share", fmt.Sprintf("%v: the server's %d-byte share", k.group, k.size))
	}
	clear, sealed := s.wireBytes13()
	s.para(2, fmt.Sprintf("Everything after the ServerHello is encrypted: of the %d handshake bytes on the wire, %d were in clear (the hellos and the two dummy ChangeCipherSpecs), %d sealed.", clear+sealed, clear, sealed))
	s.traceWhile13("the hellos", func(p handshake.Phase) bool { return p <= handshake.PhaseServerHello })
	return nil
}

// demoJoin prints a list of named values.
func demoJoin[T fmt.Stringer](xs []T) string {
	var out []string
	for _, x := range xs {
		out = append(out, x.String())
	}
	return strings.Join(out, ", ")
}

// demoShare is one key_share entry: its group and the size of its share.
type demoShare struct {
	group handshake.CurveID
	size  int
}

// demoKeyShares reads the key_share extension of a hello: the client's
// list of entries, or the server's one entry (group and share size).
//
// spec: rfc8446#4.2.8
func demoKeyShares(exts []handshake.Extension, client bool) []demoShare {
	var out []demoShare
	for _, e := range exts {
		if e.Type != handshake.ExtKeyShare {
			continue
		}
		d := e.Data
		if client && len(d) >= 2 {
			d = d[2:]
		}
		for len(d) >= 4 {
			n := int(binary.BigEndian.Uint16(d[2:]))
			if len(d) < 4+n {
				break
			}
			out = append(out, demoShare{handshake.CurveID(binary.BigEndian.Uint16(d)), n})
			d = d[4+n:]
		}
	}
	return out
}

// wireBytes13 counts the client's view of the handshake's records until
// it was established: bytes in clear and bytes sealed (headers included).
func (t *demoTrace) wireBytes13() (clear, sealed int) {
	for _, e := range t.events {
		if e.e.Kind != handshake.EventRecord || !e.e.IsClient || e.e.Phase == handshake.PhaseEstablished {
			continue
		}
		if r := e.e.Record; r.Type != record.ApplicationData || r.InnerType == record.Handshake {
			if r.Protected {
				sealed += len(r.Header) + len(r.Fragment)
			} else {
				clear += len(r.Header) + len(r.Fragment)
			}
		}
	}
	return clear, sealed
}

// traceWhile13 replays under -trace the client's events of the phases keep
// selects.
func (s *demoSession) traceWhile13(what string, keep func(handshake.Phase) bool) {
	s.replay(s.demoTrace, what+", as the client saw them", func(e handshake.Event) bool { return keep(e.Phase) })
}

// demoSame says whether both sides traced the same value under label.
func (s *demoSession) demoSame(label string) bool {
	a := s.key(true, label)
	return len(a) > 0 && bytes.Equal(a, s.key(false, label))
}
