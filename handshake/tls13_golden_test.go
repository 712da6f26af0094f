package handshake

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// golden13 is one TLS 1.3 golden transcript: a deterministic handshake
// (Config.Rand and Config.Time fixed on both sides), a ping and a pong, and
// close_notify, with every byte each side wrote.
type golden13 struct {
	name         string
	suite        CipherSuite
	clientGroups []CurveID
	serverGroups []CurveID
	wantHRR      bool
}

// The TLS 1.3 scenarios. Both sides' ML-KEM randomness comes from
// Config.Rand, so the hybrid group has a transcript too.
var golden13Scenarios = []golden13{
	{name: "tls13-aes128-x25519mlkem768", suite: TLS_AES_128_GCM_SHA256, clientGroups: []CurveID{CurveX25519MLKEM768}},
	{name: "tls13-aes128-x25519", suite: TLS_AES_128_GCM_SHA256, clientGroups: []CurveID{CurveX25519}},
	{name: "tls13-aes256-p256", suite: TLS_AES_256_GCM_SHA384, clientGroups: []CurveID{CurveP256}},
	{name: "tls13-hrr-p256", suite: TLS_AES_128_GCM_SHA256, clientGroups: []CurveID{CurveX25519, CurveP256}, serverGroups: []CurveID{CurveP256}, wantHRR: true},
}

func runGolden13(t *testing.T, s golden13) (c, srv []byte, phases [2][]Phase) {
	t.Helper()
	f := testFixture(t)
	ccfg := &Config{RootCAs: f.roots, ServerName: "localhost", Time: goldenTime, Rand: NewDeterministicRand(goldenClientSeed),
		CipherSuites: []uint16{uint16(s.suite)}, CurvePreferences: s.clientGroups, phaseLog: &phases[0]}
	// No ticket: RSA blinding draws a variable number of bytes from Rand
	// (rejection sampling), so what Rand gives after the CertificateVerify,
	// the ticket's key and nonce, is not fixed from run to run.
	scfg := &Config{Certificates: []Certificate{f.cert}, Time: goldenTime, Rand: NewDeterministicRand(goldenServerSeed),
		CurvePreferences: s.serverGroups, phaseLog: &phases[1], SessionTicketsDisabled: true}
	c, srv, _ = pingPong(t, ccfg, scfg)
	return c, srv, phases
}

func formatGolden13(s golden13, c, srv []byte) string {
	return formatGoldenFile(fmt.Sprintf("%s: TLS 1.3, %v, client groups %v, server groups %v", s.name, s.suite, s.clientGroups, s.serverGroups), c, srv)
}

// TestGoldenTranscripts13: with Config.Rand and Config.Time fixed, a TLS 1.3
// handshake (and a HelloRetryRequest one) writes the same bytes run after
// run, and those bytes are testdata/golden/tls13-*.txt (regenerate with
// go test ./handshake -update after an intended change). The transcripts
// also seed the fuzzers of fuzz/tls13_test.go: replayed to a client or a
// server with the same seeds, they drive it through the whole handshake.
//
// spec: rfc8446#2
func TestGoldenTranscripts13(t *testing.T) {
	for _, s := range golden13Scenarios {
		t.Run(s.name, func(t *testing.T) {
			c1, s1, phases := runGolden13(t, s)
			c2, s2, _ := runGolden13(t, s)
			if !bytes.Equal(c1, c2) || !bytes.Equal(s1, s2) {
				t.Fatal("two runs with the same seeds differ")
			}
			for i, side := range phases {
				if containsPhase(side, PhaseHelloRetryRequest) != s.wantHRR || side[len(side)-1] != PhaseClosed && side[len(side)-1] != PhaseEstablished {
					t.Errorf("side %d phases %v (HelloRetryRequest wanted: %v)", i, side, s.wantHRR)
				}
			}
			path := filepath.Join("testdata", "golden", s.name+".txt")
			text := formatGolden13(s, c1, s1)
			if *update {
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./handshake -run TestGoldenTranscripts13 -update to create it)", err)
			}
			wc, ws, err := parseGolden(string(want))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(wc, c1) || !bytes.Equal(ws, s1) {
				t.Fatalf("transcript differs from %s (client bytes equal: %v, server bytes equal: %v); if the change is intended, run go test ./handshake -update",
					path, bytes.Equal(wc, c1), bytes.Equal(ws, s1))
			}
			// The records say what TLS 1.3 promises: after the two hellos
			// (and the dummy ChangeCipherSpec) every record is
			// application_data on the wire.
			for _, b := range [][]byte{c1, s1} {
				if typ := firstProtectedType(b); typ != 23 {
					t.Fatalf("a record after the hellos has type %d, want 23 (application_data)", typ)
				}
			}
		})
	}
}

// firstProtectedType returns the type of the first record after the
// plaintext handshake and ChangeCipherSpec records that do not say 23 and
// come after one that does: 23 when all protected records say
// application_data.
func firstProtectedType(b []byte) byte {
	seen23 := false
	for len(b) >= 5 {
		n := 5 + (int(b[3])<<8 | int(b[4]))
		if n > len(b) {
			break
		}
		if b[0] == 23 {
			seen23 = true
		} else if seen23 {
			return b[0]
		}
		b = b[n:]
	}
	return 23
}
