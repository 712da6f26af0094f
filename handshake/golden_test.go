package handshake

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/golden")

// recordingConn keeps a copy of every byte written through it.
type recordingConn struct {
	net.Conn
	mu  sync.Mutex
	out bytes.Buffer
}

func (c *recordingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.out.Write(b)
	c.mu.Unlock()
	return c.Conn.Write(b)
}

func (c *recordingConn) bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte{}, c.out.Bytes()...)
}

// GoldenScenario is one reproducible handshake.
type goldenScenario struct {
	name  string
	suite CipherSuite
	ems   bool
	alpn  []string
}

var goldenScenarios = []goldenScenario{
	{"aes128-ems", TLS_RSA_WITH_AES_128_GCM_SHA256, true, nil},
	{"aes128-noems", TLS_RSA_WITH_AES_128_GCM_SHA256, false, nil},
	{"aes256-ems", TLS_RSA_WITH_AES_256_GCM_SHA384, true, nil},
	{"aes256-noems", TLS_RSA_WITH_AES_256_GCM_SHA384, false, nil},
	{"aes128-ems-alpn", TLS_RSA_WITH_AES_128_GCM_SHA256, true, []string{"h2", "http/1.1"}},
	// ECDHE_RSA with x25519 (the client's first group): ServerKeyExchange
	// and the ECDHE ClientKeyExchange; see ecdhe.go.
	{"ecdhe-x25519-aes128-ems", TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true, nil},
}

// Seeds of the deterministic randomness of the golden transcripts; the fuzz
// targets in fuzz/ use the same ones to replay them.
const (
	goldenClientSeed = 1
	goldenServerSeed = 2
)

// goldenTime is inside the validity of testdata/server.pem.
var goldenTime = func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }

// runGolden performs one deterministic handshake, sends one line each way,
// closes, and returns the bytes each side wrote.
func runGolden(t *testing.T, s goldenScenario) (clientBytes, serverBytes []byte, phases [2][]Phase) {
	t.Helper()
	f := testFixture(t)
	ccfg := &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: goldenTime, Rand: NewDeterministicRand(goldenClientSeed),
		CipherSuites: []uint16{uint16(s.suite)}, NextProtos: s.alpn, disableEMS: !s.ems, phaseLog: &phases[0]}
	scfg := &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, Time: goldenTime, Rand: NewDeterministicRand(goldenServerSeed),
		NextProtos: s.alpn, phaseLog: &phases[1]}
	clientBytes, serverBytes, _ = pingPong(t, ccfg, scfg)
	return clientBytes, serverBytes, phases
}

func formatGolden(s goldenScenario, c, srv []byte) string {
	return formatGoldenFile(fmt.Sprintf("%s: %v, EMS %v, ALPN %q", s.name, s.suite, s.ems, s.alpn), c, srv)
}

// formatGoldenFile writes a golden file (TLS 1.2's and TLS 1.3's): a line
// that names the scenario (what), one with the seeds and the time, then
// the bytes each side wrote in hex, 32 a line.
func formatGoldenFile(what string, c, srv []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# minitls golden transcript %s\n", what)
	fmt.Fprintf(&b, "# client seed %d, server seed %d, time %s; regenerate with go test ./handshake -update\n",
		goldenClientSeed, goldenServerSeed, goldenTime().Format(time.RFC3339))
	for _, part := range []struct {
		name string
		b    []byte
	}{{"client->server", c}, {"server->client", srv}} {
		fmt.Fprintf(&b, "%s %d\n", part.name, len(part.b))
		for i := 0; i < len(part.b); i += 32 {
			fmt.Fprintf(&b, "%x\n", part.b[i:min(i+32, len(part.b))])
		}
	}
	return b.String()
}

// parseGolden returns the two byte streams of a golden file.
func parseGolden(text string) (c, s []byte, err error) {
	var cur *[]byte
	for _, line := range strings.Split(text, "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "client->server"):
			cur = &c
		case strings.HasPrefix(line, "server->client"):
			cur = &s
		default:
			b, err := hex.DecodeString(line)
			if err != nil || cur == nil {
				return nil, nil, fmt.Errorf("bad golden line %q", line)
			}
			*cur = append(*cur, b...)
		}
	}
	return c, s, nil
}

// TestGoldenTranscripts: with fixed Rand and Time, every byte of a
// handshake (and the data and close_notify after it) is identical run to
// run and equals testdata/golden/<scenario>.txt.
func TestGoldenTranscripts(t *testing.T) {
	for _, s := range goldenScenarios {
		t.Run(s.name, func(t *testing.T) {
			c1, s1, phases := runGolden(t, s)
			c2, s2, _ := runGolden(t, s)
			if !bytes.Equal(c1, c2) || !bytes.Equal(s1, s2) {
				t.Fatal("two runs with the same seeds differ")
			}
			wantPhases := fullHandshakePhases
			if suiteByID(s.suite).ecdhe {
				wantPhases = ecdheHandshakePhases // ecdhe_test.go
			}
			for i, p := range phases {
				if d := cmp.Diff(append(wantPhases[:len(wantPhases):len(wantPhases)], PhaseClosed), p); d != "" {
					t.Errorf("side %d phases (-want +got):\n%s", i, d)
				}
			}
			got := formatGolden(s, c1, s1)
			path := filepath.Join("testdata", "golden", s.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./handshake -update to create it)", err)
			}
			if string(want) != got {
				wc, ws, _ := parseGolden(string(want))
				t.Errorf("transcript differs from %s (client bytes equal: %v, server bytes equal: %v); if the change is intended, run go test ./handshake -update",
					path, bytes.Equal(wc, c1), bytes.Equal(ws, s1))
			}
			// The stored stream parses back to the bytes.
			pc, ps, err := parseGolden(string(want))
			if err != nil || !bytes.Equal(pc, c1) || !bytes.Equal(ps, s1) {
				t.Errorf("parseGolden: %v", err)
			}
		})
	}
}
