package handshake

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"slices"
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
func TestTLS13ClientAgainstStdServer(t *testing.T) { testTLS13AgainstStd(t, true) }

// The reverse: a crypto/tls client against a minitls server.
//
// spec: rfc8446#7.1, rfc8446#7.3
func TestTLS13ServerAgainstStdClient(t *testing.T) { testTLS13AgainstStd(t, false) }

// testTLS13AgainstStd is the differential of both directions: minitls
// (client when ourClient) offers or accepts one suite of allSuites13 and
// one group, crypto/tls its defaults for TLS 1.3 with that group.
func testTLS13AgainstStd(t *testing.T, ourClient bool) {
	for _, s := range allSuites13 {
		for _, g := range []CurveID{CurveX25519, CurveP256, CurveX25519MLKEM768} {
			t.Run(fmt.Sprintf("%v/%v", s.id, g), func(t *testing.T) {
				ours := &Config{CipherSuites: []uint16{uint16(s.id)}, CurvePreferences: []CurveID{g}}
				std := &tls.Config{MinVersion: tls.VersionTLS13, CurvePreferences: []tls.CurveID{stdCurve(g)}}
				o, c, ourLog, stdLog := stdPair13(t, ourClient, ours, std)
				st, sst := o.ConnectionState(), c.ConnectionState()
				if st.Version != tls.VersionTLS13 || sst.Version != tls.VersionTLS13 {
					t.Fatalf("versions %x / %x, want TLS 1.3", st.Version, sst.Version)
				}
				if st.CipherSuite != sst.CipherSuite || st.CipherSuite != uint16(s.id) {
					t.Fatalf("suites %x / %x, want %v", st.CipherSuite, sst.CipherSuite, s.id)
				}
				if st.CurveID != g || tls.CurveID(st.CurveID) != sst.CurveID {
					t.Fatalf("groups %v / %v, want %v", st.CurveID, sst.CurveID, g)
				}
				exchange(t, o, c)
				if d := cmp.Diff(keyLogLines(stdLog), keyLogLines(ourLog)); d != "" {
					t.Fatalf("key logs differ (-crypto/tls +minitls):\n%s", d)
				}
				if n := len(keyLogLines(ourLog)); n != 4 {
					t.Fatalf("%d key log lines, want 4 (two handshake, two traffic secrets)", n)
				}
			})
		}
	}
}

// tls12 pins a Config to TLS 1.2 (MaxVersion): the tests written for TLS 1.2
// keep testing TLS 1.2 now that TLS 1.3 is the default.
const tls12 = uint16(VersionTLS12)

// stdPair13 runs a handshake between a minitls side (client when
// ourClient) and crypto/tls, returning both ends and both key logs.
func stdPair13(t *testing.T, ourClient bool, ours *Config, std *tls.Config) (*Conn, *tls.Conn, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	f := testFixture(t)
	var ourLog, stdLog bytes.Buffer
	ours.KeyLogWriter, std.KeyLogWriter = &ourLog, &stdLog
	cc, sc := tcpPair(t)
	var o *Conn
	var s *tls.Conn
	if ourClient {
		if ours.RootCAs == nil {
			ours.RootCAs, ours.ServerName, ours.Time = f.roots, "localhost", testTime
		}
		if std.Certificates == nil {
			std.Certificates = []tls.Certificate{f.stdCert}
		}
		o, s = Client(cc, ours), tls.Server(sc, std)
	} else {
		if ours.Certificates == nil {
			ours.Certificates = []Certificate{f.cert}
		}
		if std.RootCAs == nil {
			std.RootCAs, std.ServerName, std.Time = f.stdRoots, "localhost", testTime
		}
		o, s = Server(sc, ours), tls.Client(cc, std)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Handshake() }()
	if err := o.Handshake(); err != nil {
		t.Fatalf("minitls: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("crypto/tls: %v", err)
	}
	return o, s, &ourLog, &stdLog
}

// HelloRetryRequest both ways: the server accepts only secp256r1 while the
// client's shares are in X25519MLKEM768 and x25519, so the server asks for a
// P-256 share; both sides must end on secp256r1 with equal key logs (the
// transcript after an HRR starts with message_hash, rfc8446#4.4.1).
//
// spec: rfc8446#4.1.4, rfc8446#4.4.1
func TestTLS13HelloRetryRequestStd(t *testing.T) {
	for _, ourClient := range []bool{true, false} {
		t.Run(fmt.Sprintf("minitls client %v", ourClient), func(t *testing.T) {
			var phases []Phase
			ours := &Config{phaseLog: &phases}
			std := &tls.Config{MinVersion: tls.VersionTLS13}
			if ourClient {
				std.CurvePreferences = []tls.CurveID{tls.CurveP256}
			} else {
				ours.CurvePreferences = []CurveID{CurveP256}
				std.CurvePreferences = []tls.CurveID{tls.X25519MLKEM768, tls.X25519, tls.CurveP256}
			}
			o, s, ourLog, stdLog := stdPair13(t, ourClient, ours, std)
			if o.ConnectionState().CurveID != CurveP256 || s.ConnectionState().CurveID != tls.CurveP256 {
				t.Fatalf("groups %v / %v, want secp256r1", o.ConnectionState().CurveID, s.ConnectionState().CurveID)
			}
			if !slices.Contains(phases, PhaseHelloRetryRequest) {
				t.Fatalf("phases %v lack HelloRetryRequest", phases)
			}
			exchange(t, o, s)
			if d := cmp.Diff(keyLogLines(stdLog), keyLogLines(ourLog)); d != "" {
				t.Fatalf("key logs differ (-crypto/tls +minitls):\n%s", d)
			}
		})
	}
}

// KeyUpdate with crypto/tls: minitls updates its keys asking the peer to
// update too; crypto/tls answers with its own KeyUpdate; data keeps flowing
// both ways under the next generation of keys, several times over.
//
// spec: rfc8446#4.6.3, rfc8446#7.2
func TestTLS13KeyUpdateStd(t *testing.T) {
	for _, ourClient := range []bool{true, false} {
		t.Run(fmt.Sprintf("minitls client %v", ourClient), func(t *testing.T) {
			o, s, _, _ := stdPair13(t, ourClient, &Config{}, &tls.Config{MinVersion: tls.VersionTLS13})
			for i := range 3 {
				if err := o.UpdateKeys(true); err != nil {
					t.Fatal(err)
				}
				msg := []byte(fmt.Sprintf("after update %d", i))
				go func() { _, _ = o.Write(msg) }()
				got := make([]byte, len(msg))
				if _, err := io.ReadFull(s, got); err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("crypto/tls read %q, %v", got, err)
				}
				// crypto/tls sent its KeyUpdate before this reply; minitls
				// must process it to read the reply.
				go func() { _, _ = s.Write(msg) }()
				if _, err := io.ReadFull(o, got); err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("minitls read %q, %v", got, err)
				}
			}
			if o.tls13.sentUpdates != 3 {
				t.Fatalf("sent %d KeyUpdates, want 3", o.tls13.sentUpdates)
			}
		})
	}
}

// PSK resumption with crypto/tls both ways: the first connection is full
// and leaves a ticket, the second resumes it (psk_dhe_ke: still a key
// exchange, no certificate), with equal key logs on both connections; a
// third with HelloRetryRequest on top (the server accepts only P-256 then)
// resumes too, its binder recomputed over message_hash and the HRR.
//
// spec: rfc8446#2.2, rfc8446#4.2.11, rfc8446#4.6.1
func TestTLS13ResumptionStd(t *testing.T) {
	for _, ourClient := range []bool{true, false} {
		t.Run(fmt.Sprintf("minitls client %v", ourClient), func(t *testing.T) {
			ourCache := NewLRUClientSessionCache(4)
			stdCache := tls.NewLRUClientSessionCache(4)
			ourServer := &Config{} // one server Config: one set of ticket keys
			stdServer := &tls.Config{MinVersion: tls.VersionTLS13}
			stdServer.SetSessionTicketKeys([][32]byte{{1}}) // shared by the clones below
			for i, want := range []bool{false, true, true} {
				ours, std := ourServer, stdServer.Clone()
				if ourClient {
					ours = &Config{ClientSessionCache: ourCache}
					if i == 2 {
						std.CurvePreferences = []tls.CurveID{tls.CurveP256}
					}
				} else {
					std.ClientSessionCache = stdCache
					if i == 2 {
						c := ourServer.Clone()
						c.CurvePreferences = []CurveID{CurveP256}
						ours = c
					}
				}
				ours.phaseLog = nil
				o, s, ourLog, stdLog := stdPair13(t, ourClient, ours, std)
				exchange(t, s, o) // the client reads the server's ticket
				if o.ConnectionState().DidResume != want || s.ConnectionState().DidResume != want {
					t.Fatalf("connection %d: resumed %v / %v, want %v", i, o.ConnectionState().DidResume, s.ConnectionState().DidResume, want)
				}
				if d := cmp.Diff(keyLogLines(stdLog), keyLogLines(ourLog)); d != "" {
					t.Fatalf("connection %d: key logs differ (-crypto/tls +minitls):\n%s", i, d)
				}
				if want && ourClient && len(o.ConnectionState().PeerCertificates) == 0 {
					t.Fatalf("a resumed session keeps the server's certificates")
				}
			}
		})
	}
}
