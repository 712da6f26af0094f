package main

// Step 3 of the TLS 1.3 story: the key schedule of RFC 8446 §7.1, every
// secret with its real value as the client's trace reported it, in order,
// each checked against the server's.

import (
	"fmt"
	"strings"

	"minitls/handshake"
)

// demoSchedule13 gives each secret of the key schedule its formula, by the
// label the handshake package traces it under.
//
// spec: rfc8446#7.1, rfc8446#7.3
var demoSchedule13 = []struct{ label, formula string }{
	{"early secret", `early secret = HKDF-Extract(salt 0, IKM 0): no PSK, so the same in every full handshake`},
	{"(EC)DHE shared secret", `(EC)DHE shared secret: from the two key shares (never on the wire)`},
	{"handshake secret", `handshake secret = HKDF-Extract(Derive-Secret(early secret, "derived", ""), shared secret)`},
	{"client handshake traffic secret", `client_handshake_traffic_secret = Derive-Secret(handshake secret, "c hs traffic", ClientHello...ServerHello)`},
	{"server handshake traffic secret", `server_handshake_traffic_secret = Derive-Secret(handshake secret, "s hs traffic", ClientHello...ServerHello)`},
	{"master secret", `master secret = HKDF-Extract(Derive-Secret(handshake secret, "derived", ""), 0)`},
	{"client application traffic secret", `client_application_traffic_secret_0 = Derive-Secret(master secret, "c ap traffic", ClientHello...server Finished)`},
	{"server application traffic secret", `server_application_traffic_secret_0 = Derive-Secret(master secret, "s ap traffic", ClientHello...server Finished)`},
	{"exporter master secret", `exporter_master_secret = Derive-Secret(master secret, "exp master", ClientHello...server Finished)`},
	{"resumption master secret", `resumption_master_secret = Derive-Secret(master secret, "res master", ClientHello...client Finished)`},
}

// demoKeySchedule13 is step 3.
func demoKeySchedule13(s *demoSession) error {
	s.heading("Step 3  The key schedule (RFC 8446 §7.1): HKDF instead of TLS 1.2's PRF")
	s.para(2, "(A demonstration: the secrets below never appear in real TLS.) Each stage extracts from the previous one and the next input, then expands secrets bound to the transcript so far: a change to any message changes every key after it.")
	for _, k := range demoShares13(s) {
		s.kv(k[0], k[1])
	}
	for _, st := range demoSchedule13 {
		v := s.key(true, st.label)
		if v == nil {
			continue
		}
		s.blank()
		s.para(2, st.formula)
		s.kvHexMark("", v, s.demoSame(st.label))
		if strings.HasSuffix(st.label, "traffic secret") {
			s.trafficKeys13(strings.TrimSuffix(st.label, " secret"))
		}
	}
	s.blank()
	s.para(2, "Both sides hold every value without any of them crossing the wire. Each traffic secret gives a key and an IV (HKDF-Expand-Label with \"key\" and \"iv\"); the handshake keys protect the rest of the handshake, the application keys the HTTP.")
	if s.opts.keylog != "" {
		s.para(2, fmt.Sprintf("Key log: %s holds CLIENT_HANDSHAKE_TRAFFIC_SECRET, SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0 and SERVER_TRAFFIC_SECRET_0, which let Wireshark decrypt a capture of this connection.", s.opts.keylog))
	}
	return nil
}

// trafficKeys13 prints the key and IV cut from one traffic secret.
func (s *demoSession) trafficKeys13(name string) {
	for _, part := range []string{"key", "iv"} {
		label := name + " " + part
		if v := s.key(true, label); v != nil {
			s.kvHexMark(part, v, s.demoSame(label))
		}
	}
}

// demoShares13 describes the shared secret's parts for the group used.
func demoShares13(s *demoSession) [][2]string {
	g := handshake.CurveID(s.state.CurveID)
	switch g {
	case handshake.CurveX25519MLKEM768:
		return [][2]string{{"group", "X25519MLKEM768: the shared secret is ML-KEM-768's 32-byte key (the server encapsulated to the client's key) followed by the 32-byte X25519 result; an attacker must break both"}}
	case 0:
		return nil
	}
	return [][2]string{{"group", fmt.Sprintf("%v: the shared secret is the ECDH result", g)}}
}
