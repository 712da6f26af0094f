package main

// Tests of get as a measuring client: -resume and -n against openssl
// s_server (session ID and ticket) and crypto/tls, -timing's phases, -json,
// -group; and getSplit on a hand-built timeline.

import (
	"crypto/tls"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minitls/handshake"
)

// getTestMeasure runs get with args plus -json and parses the report.
func getTestMeasure(t *testing.T, args ...string) getReport {
	t.Helper()
	r := cliTestRun(t, nil, append([]string{"get", "-json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("get -json %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	var rep getReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("get -json output does not parse: %v\n%s", err, r.stdout)
	}
	if rep.Schema != getSchema {
		t.Errorf("schema %q, want %q", rep.Schema, getSchema)
	}
	return rep
}

// getTestKinds is each connection's kind: "full", or what resumed it.
func getTestKinds(rep getReport) []string {
	var out []string
	for _, c := range rep.Connections {
		k := "full"
		if c.Resumed {
			k = c.ResumedBy
		}
		out = append(out, k)
	}
	return out
}

func getTestWant(t *testing.T, what string, rep getReport, want ...string) {
	t.Helper()
	if got := getTestKinds(rep); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s: connections %q, want %q", what, got, want)
	}
	for i, c := range rep.Connections {
		if c.Index != i+1 || !strings.HasPrefix(c.Status, "200") || c.BodyBytes == 0 || c.HandshakeNs <= 0 {
			t.Errorf("%s: connection %+v: want index %d, status 200, a body and a handshake time", what, c, i+1)
		}
	}
}

// TestGetResumeOpenSSL: -resume against openssl s_server resumes by
// session ticket by default and by session ID with -no_ticket; -n 4
// -resume is one full handshake and three resumptions; -n 3 alone is three
// full handshakes, none offering a session.
func TestGetResumeOpenSSL(t *testing.T) {
	openssl := cliTestNeed(t, "openssl", "openssl")
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	for _, tc := range []struct {
		name  string
		flags []string
		by    string
	}{
		{"tickets", nil, "session ticket"},
		{"session IDs", []string{"-no_ticket"}, "session ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port, _, _ := getTestSServer(t, openssl, dir, append([]string{"-www"}, tc.flags...)...)
			url := "https://localhost:" + port + "/"
			rep := getTestMeasure(t, "-cafile", ca, "-resume", url)
			getTestWant(t, "-resume", rep, "full", tc.by)
			if rep.Connections[1].Offered != tc.by {
				t.Errorf("-resume: second ClientHello offered %q, want %q", rep.Connections[1].Offered, tc.by)
			}
			rep = getTestMeasure(t, "-cafile", ca, "-resume", "-n", "4", "-suite", "aes128", url)
			getTestWant(t, "-resume -n 4", rep, "full", tc.by, tc.by, tc.by)
			if s := rep.Handshake["resumed"]; s.Count != 3 || s.MinNs > s.MedianNs || s.MedianNs > s.MaxNs {
				t.Errorf("-resume -n 4: resumed summary %+v", s)
			}
			rep = getTestMeasure(t, "-cafile", ca, "-n", "3", url)
			getTestWant(t, "-n 3", rep, "full", "full", "full")
			for _, c := range rep.Connections {
				if c.Offered != "" {
					t.Errorf("-n 3 without -resume: connection %d offered %q", c.Index, c.Offered)
				}
			}
		})
	}
}

// TestGetResumeCryptoTLS: crypto/tls (TLS 1.2) resumes by ticket; with
// tickets disabled it keeps no session IDs either, so nothing is offered
// and every connection is full, which get says.
func TestGetResumeCryptoTLS(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	port := getTestTLSServer(t, dir, tls.NoClientCert)
	rep := getTestMeasure(t, "-cafile", ca, "-resume", "-n", "3", "https://localhost:"+port+"/")
	getTestWant(t, "crypto/tls", rep, "full", "session ticket", "session ticket")

	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key"))
	if err != nil {
		t.Fatal(err)
	}
	port = getTestTLSServerConfig(t, &tls.Config{Certificates: []tls.Certificate{cert},
		MaxVersion: tls.VersionTLS12, SessionTicketsDisabled: true})
	r := cliTestRun(t, nil, "get", "-cafile", ca, "-resume", "-n", "3", "https://localhost:"+port+"/")
	full := 0
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "#") && strings.Contains(l, " full ") {
			full++
		}
	}
	if r.code != 0 || full != 3 || strings.Contains(r.stdout, "resumed (") {
		t.Errorf("crypto/tls without tickets: exit %d, want three full handshakes:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestGetTiming: each phase of -timing is non-negative, they add up to the
// connect and handshake times, a full handshake verifies a chain and makes
// a key exchange, a resumed one does neither; the text form prints a
// table and the sentence that says what it means.
func TestGetTiming(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	srv := cliTestServe(t, dir)
	url := "https://localhost:" + srv.port + "/"
	for _, suite := range []string{"aes128", "ECDHE-RSA-AES128-GCM-SHA256"} {
		rep := getTestMeasure(t, "-cafile", ca, "-resume", "-n", "3", "-timing", "-suite", suite, url)
		getTestWant(t, suite, rep, "full", "session ticket", "session ticket")
		for _, c := range rep.Connections {
			if len(c.Phases) != int(getNumSteps) {
				t.Fatalf("%s #%d: %d phases, want %d", suite, c.Index, len(c.Phases), getNumSteps)
			}
			var sum int64
			phase := map[string]int64{}
			for _, p := range c.Phases {
				if p.WallNs < 0 || p.CPUNs < 0 {
					t.Errorf("%s #%d: phase %s is negative: %+v", suite, c.Index, p.ID, p)
				}
				sum += p.WallNs
				phase[p.ID] = p.WallNs
			}
			total := c.ConnectNs + c.HandshakeNs
			if d := sum - total; d < -int64(time.Microsecond) || d > int64(time.Microsecond) {
				t.Errorf("%s #%d: phases add up to %d ns, connect + handshake is %d ns", suite, c.Index, sum, total)
			}
			if phase["tcp-connect"] != c.ConnectNs || phase["wait-first-flight"] <= 0 {
				t.Errorf("%s #%d: phases %v: want tcp-connect = connect_ns %d and a wait", suite, c.Index, phase, c.ConnectNs)
			}
			full := !c.Resumed
			if (phase["verify-chain"] > 0) != full || (phase["key-exchange"] > 0) != full || (phase["wait-finished"] > 0) != full {
				t.Errorf("%s #%d (resumed %v): phases %v: a full handshake verifies, exchanges keys and waits for Finished; a resumed one does none", suite, c.Index, c.Resumed, phase)
			}
			if ecdhe := strings.Contains(suite, "ECDHE"); (phase["verify-signature"] > 0) != (ecdhe && full) {
				t.Errorf("%s #%d: verify-signature %d ns: want one only in a full ECDHE handshake", suite, c.Index, phase["verify-signature"])
			}
			if c.HandshakeCPUNs <= 0 || (getHaveCPUClock && c.HandshakeCPUNs > c.HandshakeNs+int64(time.Millisecond)) {
				t.Errorf("%s #%d: handshake CPU %d ns for %d ns of handshake", suite, c.Index, c.HandshakeCPUNs, c.HandshakeNs)
			}
		}
		if len(rep.Meaning) != 2 || !strings.HasPrefix(rep.Meaning[0], "Full: the server's private-key operation and the network cost") ||
			!strings.Contains(rep.Meaning[0], "your own cryptography cost") || !strings.HasPrefix(rep.Meaning[1], "Resumed:") {
			t.Errorf("%s: meaning %q", suite, rep.Meaning)
		}
	}
	// TLS 1.2 (the suite says so): a TLS 1.3 session resumes only once
	// the TLS 1.3 PSK exists.
	r := cliTestRun(t, nil, "get", "-cafile", ca, "-resume", "-timing", "-suite", "ECDHE-RSA-AES128-GCM-SHA256", url)
	for _, want := range []string{"#1 ", "#2 ", "resumed (session ticket)", "Where the time went, median of the full handshakes",
		"certificate chain verification", "wait: server's Finished", "client CPU", "your own cryptography cost",
		"handshake, resumed:   1  min "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("get -resume -timing lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 0 || strings.Contains(r.stdout, "<html") {
		t.Errorf("get -resume -timing: exit %d (the bodies are counted, not printed):\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestGetGroupFlag: -group pins the ECDHE group by curl's or openssl's
// name; an unknown one is a usage error that lists the known ones, and so
// are -n 0 and -n 1 -resume.
func TestGetGroupFlag(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	srv := cliTestServe(t, dir)
	url := "https://localhost:" + srv.port + "/"
	for name, want := range map[string]string{"x25519": "x25519", "p256": "secp256r1", "prime256v1": "secp256r1", "p384": "secp384r1"} {
		rep := getTestMeasure(t, "-cafile", ca, "-group", name, "-suite", "ECDHE-RSA-AES256-GCM-SHA384", url)
		if len(rep.Connections) != 1 || rep.Connections[0].Group != want {
			t.Errorf("-group %s: connections %+v, want group %s", name, rep.Connections, want)
		}
	}
	for _, args := range [][]string{{"-group", "secp521r1"}, {"-n", "-1"}, {"-n", "1", "-resume"}} {
		r := cliTestRun(t, nil, append([]string{"get", "-cafile", ca}, append(args, url)...)...)
		if r.code != 2 || !strings.Contains(r.stderr, args[1]) {
			t.Errorf("get %v: exit %d, stderr %q; want a usage error naming %s", args, r.code, r.stderr, args[1])
		}
	}
}

// TestGetSplit: on a hand-built timeline each interval lands in its step,
// whatever the events between.
func TestGetSplit(t *testing.T) {
	t0 := time.Unix(0, 0)
	type ev struct {
		ms    int // the interval that ends with this event, in ms
		kind  handshake.EventKind
		sent  bool
		msg   handshake.HandshakeType
		phase handshake.Phase
	}
	const (
		rec   = handshake.EventRecord
		msg   = handshake.EventMessage
		phase = handshake.EventPhase
	)
	build := func(evs []ev) []getMark {
		marks := []getMark{{wall: t0}}
		at := t0
		for _, e := range evs {
			at = at.Add(time.Duration(e.ms) * time.Millisecond)
			marks = append(marks, getMark{wall: at, cpu: at.Sub(t0) / 2, kind: e.kind, sent: e.sent, msg: e.msg, phase: e.phase})
		}
		return marks
	}
	// A full TLS 1.2 ECDHE handshake, each interval a different length.
	full := []ev{
		{ms: 100}, // connected
		{ms: 1, kind: phase, phase: handshake.PhaseClientHello},
		{ms: 1, kind: msg, sent: true, msg: handshake.TypeClientHello},
		{ms: 1, kind: rec, sent: true},
		{ms: 1, kind: phase, phase: handshake.PhaseServerHello},
		{ms: 200, kind: rec}, // the first flight
		{ms: 1, kind: msg, msg: handshake.TypeServerHello},
		{ms: 1, kind: phase, phase: handshake.PhaseServerCertificate},
		{ms: 1, kind: msg, msg: handshake.TypeCertificate},
		{ms: 30, kind: phase, phase: handshake.PhaseServerKeyExchange}, // chain verified
		{ms: 3, kind: rec}, // already there
		{ms: 1, kind: msg, msg: handshake.TypeServerKeyExchange},
		{ms: 7, kind: phase, phase: handshake.PhaseServerHelloDone}, // signature checked
		{ms: 1, kind: msg, msg: handshake.TypeServerHelloDone},
		{ms: 1, kind: phase, phase: handshake.PhaseClientKeyExchange},
		{ms: 40, kind: msg, sent: true, msg: handshake.TypeClientKeyExchange}, // key exchange
		{ms: 1, kind: rec, sent: true},
		{ms: 1, kind: msg, sent: true, msg: handshake.TypeFinished},
		{ms: 1, kind: rec, sent: true},
		{ms: 1, kind: phase, phase: handshake.PhaseServerChangeCipherSpec},
		{ms: 500, kind: rec}, // the server's Finished
		{ms: 1, kind: msg, msg: handshake.TypeFinished},
		{ms: 1}, // the end
	}
	got := getSplit(build(full), false, false)
	// Each wait starts at the record sent before it (the write), across
	// phase changes; the write of the ClientKeyExchange, followed by more
	// of our work, is not a wait.
	want := map[getStep]time.Duration{getStepConnect: 100, getStepFirstFlight: 1 + 200 + 3, getStepVerify: 30,
		getStepSignature: 7, getStepKeyExchange: 40, getStepFinished: 1 + 500, getStepOther: 14}
	for s := range getNumSteps {
		if got[s].Wall != want[s]*time.Millisecond || got[s].CPU != got[s].Wall/2 {
			t.Errorf("full: %s = %v (cpu %v), want %v (cpu half)", getSteps[s].id, got[s].Wall, got[s].CPU, want[s]*time.Millisecond)
		}
	}
	// With TLS 1.3 key shares in the ClientHello, building it is key
	// exchange; under TLS 1.3 so is the ServerHello's shared secret.
	hello := full[:8]
	got = getSplit(build(hello), true, false)
	if got[getStepKeyExchange].Wall != time.Millisecond {
		t.Errorf("key shares offered: key exchange %v, want 1ms (the ClientHello's making)", got[getStepKeyExchange].Wall)
	}
	got = getSplit(build(hello), true, true)
	if got[getStepKeyExchange].Wall != 2*time.Millisecond {
		t.Errorf("TLS 1.3: key exchange %v, want 2ms (key shares and shared secret)", got[getStepKeyExchange].Wall)
	}
}

// TestGetTLS13: against crypto/tls's defaults get negotiates TLS 1.3 over
// X25519MLKEM768; -group and -max-version pin what a benchmarker names;
// -timing under TLS 1.3 has one wait (the server's whole flight, Finished
// included), a CertificateVerify to check and a key exchange on the
// client (key shares, then the shared secret).
func TestGetTLS13(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key"))
	if err != nil {
		t.Fatal(err)
	}
	url := "https://localhost:" + getTestTLSServerConfig(t, &tls.Config{Certificates: []tls.Certificate{cert}}) + "/"
	for _, tc := range []struct {
		args           []string
		version, group string
	}{
		{nil, "TLS 1.3", "X25519MLKEM768"},
		{[]string{"-group", "x25519"}, "TLS 1.3", "x25519"},
		{[]string{"-group", "prime256v1"}, "TLS 1.3", "secp256r1"},
		{[]string{"-max-version", "1.2"}, "TLS 1.2", "x25519"},
		{[]string{"-max-version", "1.3", "-group", "x25519mlkem768"}, "TLS 1.3", "X25519MLKEM768"},
	} {
		rep := getTestMeasure(t, append([]string{"-cafile", ca, "-timing", "-n", "2"}, append(tc.args, url)...)...)
		for _, c := range rep.Connections {
			if c.Version != tc.version || c.Group != tc.group || c.Resumed {
				t.Errorf("%v: #%d %s %s %s resumed %v, want a full %s handshake over %s", tc.args, c.Index, c.Version, c.Suite, c.Group, c.Resumed, tc.version, tc.group)
			}
			phase := map[string]int64{}
			var sum int64
			for _, p := range c.Phases {
				phase[p.ID] = p.WallNs
				sum += p.WallNs
			}
			if sum != c.ConnectNs+c.HandshakeNs || phase["verify-chain"] <= 0 || phase["verify-signature"] <= 0 || phase["key-exchange"] <= 0 {
				t.Errorf("%v: #%d phases %v (sum %d, connect + handshake %d)", tc.args, c.Index, phase, sum, c.ConnectNs+c.HandshakeNs)
			}
			if tls13 := c.Version == "TLS 1.3"; (phase["wait-finished"] == 0) != tls13 {
				t.Errorf("%v: #%d waited %d ns for the server's Finished: TLS 1.3's comes in its first flight", tc.args, c.Index, phase["wait-finished"])
			}
		}
	}
	r := cliTestRun(t, nil, "get", "-cafile", ca, "-max-version", "1.2", "-group", "x25519mlkem768", url)
	if r.code != 2 || !strings.Contains(r.stderr, "x25519mlkem768 is a TLS 1.3 group") {
		t.Errorf("get -max-version 1.2 -group x25519mlkem768: exit %d, %q; want a usage error", r.code, r.stderr)
	}
	r = cliTestRun(t, nil, "get", "-cafile", ca, "-max-version", "1.4", url)
	if r.code != 2 || !strings.Contains(r.stderr, "minitls speaks 1.2 and 1.3") {
		t.Errorf("get -max-version 1.4: exit %d, %q; want a usage error", r.code, r.stderr)
	}
}

// TestGetResumeTLS13: TLS 1.3 sessions resume by PSK (the ticket of a
// post-handshake NewSessionTicket, offered in pre_shared_key) against
// crypto/tls and openssl s_server -tls1_3, and get says so; -timing shows a
// key exchange still (psk_dhe_ke) but no certificate to verify.
func TestGetResumeTLS13(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	check := func(t *testing.T, port string) {
		rep := getTestMeasure(t, "-cafile", ca, "-resume", "-n", "3", "-timing", "https://localhost:"+port+"/")
		getTestWant(t, "-resume", rep, "full", "TLS 1.3 PSK", "TLS 1.3 PSK")
		for _, c := range rep.Connections[1:] {
			phase := map[string]int64{}
			for _, p := range c.Phases {
				phase[p.ID] = p.WallNs
			}
			if c.Version != "TLS 1.3" || c.Offered != "TLS 1.3 PSK" || phase["verify-chain"] != 0 || phase["verify-signature"] != 0 || phase["key-exchange"] <= 0 {
				t.Errorf("#%d: %s, offered %q, phases %v: want TLS 1.3 resumed by PSK, with a key exchange and nothing to verify", c.Index, c.Version, c.Offered, phase)
			}
		}
	}
	t.Run("crypto/tls", func(t *testing.T) {
		cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key"))
		if err != nil {
			t.Fatal(err)
		}
		check(t, getTestTLSServerConfig(t, &tls.Config{Certificates: []tls.Certificate{cert}}))
	})
	t.Run("openssl s_server -tls1_3", func(t *testing.T) {
		openssl := cliTestNeed(t, "openssl", "openssl")
		port, _, _ := getTestSServerVersion(t, openssl, dir, "-tls1_3", "-www")
		check(t, port)
	})
}
