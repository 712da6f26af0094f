package handshake

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// keyLogLines returns the key log's lines, sorted, for comparing two sides.
func keyLogLines(b *bytes.Buffer) []string {
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	sort.Strings(lines)
	return lines
}

// stdCurve maps a minitls group to crypto/tls's.
func stdCurve(g CurveID) tls.CurveID { return tls.CurveID(g) }

// The TLS 1.3 differential: a minitls client against a crypto/tls server,
// each suite and each group, with both KeyLogWriters: the two logs must hold
// the same lines (every traffic secret equal), data must flow both ways, and
// both sides must agree on version, suite and group.
//
// spec: rfc8446#7.1, rfc8446#7.3
func TestTLS13ClientAgainstStdServer(t *testing.T) {
	f := testFixture(t)
	for _, s := range suites13 {
		for _, g := range []CurveID{CurveX25519, CurveP256, CurveX25519MLKEM768} {
			t.Run(fmt.Sprintf("%v/%v", s.id, g), func(t *testing.T) {
				var ourLog, stdLog bytes.Buffer
				cc, sc := tcpPair(t)
				std := tls.Server(sc, &tls.Config{
					Certificates:     []tls.Certificate{f.stdCert},
					MinVersion:       tls.VersionTLS13,
					CipherSuites:     nil,
					CurvePreferences: []tls.CurveID{stdCurve(g)},
					KeyLogWriter:     &stdLog,
				})
				ours := Client(cc, &Config{
					RootCAs: f.roots, ServerName: "localhost", Time: testTime,
					CipherSuites:     []uint16{uint16(s.id)},
					CurvePreferences: []CurveID{g},
					KeyLogWriter:     &ourLog,
				})
				errc := make(chan error, 1)
				go func() { errc <- std.Handshake() }()
				if err := ours.Handshake(); err != nil {
					t.Fatalf("minitls client: %v", err)
				}
				if err := <-errc; err != nil {
					t.Fatalf("crypto/tls server: %v", err)
				}
				st, sst := ours.ConnectionState(), std.ConnectionState()
				if st.Version != tls.VersionTLS13 || sst.Version != tls.VersionTLS13 {
					t.Fatalf("versions %x / %x, want TLS 1.3", st.Version, sst.Version)
				}
				if st.CipherSuite != sst.CipherSuite || st.CipherSuite != uint16(s.id) {
					t.Fatalf("suites %x / %x, want %v", st.CipherSuite, sst.CipherSuite, s.id)
				}
				if st.CurveID != g || tls.CurveID(st.CurveID) != sst.CurveID {
					t.Fatalf("groups %v / %v, want %v", st.CurveID, sst.CurveID, g)
				}
				exchange(t, ours, std)
				if d := cmp.Diff(keyLogLines(&stdLog), keyLogLines(&ourLog)); d != "" {
					t.Fatalf("key logs differ (-crypto/tls +minitls):\n%s", d)
				}
				if n := len(keyLogLines(&ourLog)); n != 4 {
					t.Fatalf("%d key log lines, want 4 (two handshake, two traffic secrets)", n)
				}
			})
		}
	}
}

// The reverse: a crypto/tls client against a minitls server.
//
// spec: rfc8446#7.1, rfc8446#7.3
func TestTLS13ServerAgainstStdClient(t *testing.T) {
	f := testFixture(t)
	for _, s := range suites13 {
		for _, g := range []CurveID{CurveX25519, CurveP256, CurveX25519MLKEM768} {
			t.Run(fmt.Sprintf("%v/%v", s.id, g), func(t *testing.T) {
				var ourLog, stdLog bytes.Buffer
				cc, sc := tcpPair(t)
				std := tls.Client(cc, &tls.Config{
					RootCAs: f.stdRoots, ServerName: "localhost", Time: testTime,
					MinVersion:       tls.VersionTLS13,
					CurvePreferences: []tls.CurveID{stdCurve(g)},
					KeyLogWriter:     &stdLog,
				})
				ours := Server(sc, &Config{
					Certificates:     []Certificate{f.cert},
					CipherSuites:     []uint16{uint16(s.id)},
					CurvePreferences: []CurveID{g},
					KeyLogWriter:     &ourLog,
				})
				errc := make(chan error, 1)
				go func() { errc <- std.Handshake() }()
				if err := ours.Handshake(); err != nil {
					t.Fatalf("minitls server: %v", err)
				}
				if err := <-errc; err != nil {
					t.Fatalf("crypto/tls client: %v", err)
				}
				st, sst := ours.ConnectionState(), std.ConnectionState()
				if st.Version != tls.VersionTLS13 || sst.Version != tls.VersionTLS13 {
					t.Fatalf("versions %x / %x, want TLS 1.3", st.Version, sst.Version)
				}
				if st.CipherSuite != sst.CipherSuite || st.CipherSuite != uint16(s.id) {
					t.Fatalf("suites %x / %x, want %v", st.CipherSuite, sst.CipherSuite, s.id)
				}
				if tls.CurveID(st.CurveID) != sst.CurveID || st.CurveID != g {
					t.Fatalf("groups %v / %v, want %v", st.CurveID, sst.CurveID, g)
				}
				exchange(t, ours, std)
				if d := cmp.Diff(keyLogLines(&stdLog), keyLogLines(&ourLog)); d != "" {
					t.Fatalf("key logs differ (-crypto/tls +minitls):\n%s", d)
				}
			})
		}
	}
}

// tls12 pins a Config to TLS 1.2 (MaxVersion): the tests written for TLS 1.2
// keep testing TLS 1.2 now that TLS 1.3 is the default.
const tls12 = uint16(VersionTLS12)
