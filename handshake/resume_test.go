package handshake

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"minitls/record"
	"minitls/x509lite"
)

// resumedPhases is the abbreviated handshake of rfc5246#7.3 on either side
// (withTicket: the server also sent a NewSessionTicket after ServerHello,
// which minitls never does when resuming, crypto/tls does).
var resumedPhases = []Phase{
	PhaseClientHello, PhaseServerHello, PhaseSessionResumed, PhaseKeyDerivation,
	PhaseServerChangeCipherSpec, PhaseServerFinished, PhaseClientChangeCipherSpec, PhaseClientFinished,
	PhaseEstablished,
}

// fullTicketPhases is a full handshake in which the server issues a ticket.
var fullTicketPhases = []Phase{
	PhaseClientHello, PhaseServerHello, PhaseServerCertificate, PhaseServerHelloDone,
	PhaseClientKeyExchange, PhaseKeyDerivation, PhaseClientChangeCipherSpec, PhaseClientFinished,
	PhaseNewSessionTicket, PhaseServerChangeCipherSpec, PhaseServerFinished, PhaseEstablished,
}

// resumeConfigs returns a client with a session cache and a server, both
// on the RSA suites and with a clock the test controls.
func resumeConfigs(t *testing.T, clock *time.Time) (client, server *Config) {
	f := testFixture(t)
	now := func() time.Time { return *clock }
	rsaSuites := []uint16{uint16(TLS_RSA_WITH_AES_128_GCM_SHA256), uint16(TLS_RSA_WITH_AES_256_GCM_SHA384)}
	return &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: now, CipherSuites: rsaSuites,
			ClientSessionCache: NewLRUClientSessionCache(4)},
		&Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, Time: now, CipherSuites: rsaSuites}
}

// serverEvents records which messages a server saw and which secrets it
// derived, to show what a resumption skips.
type serverEvents struct {
	mu       sync.Mutex
	messages []HandshakeType
	keys     []string
}

func (e *serverEvents) trace(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev.Kind {
	case EventMessage:
		e.messages = append(e.messages, ev.Message.Type())
	case EventKey:
		e.keys = append(e.keys, ev.Label)
	}
}

// handshakeOnce runs one minitls pair, checks both succeeded and agree,
// exchanges data and closes; it returns whether each side resumed.
func handshakeOnce(t *testing.T, ccfg, scfg *Config) (clientResumed, serverResumed bool) {
	t.Helper()
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatalf("client: %v\nserver: %v", r.clientErr, r.serverErr)
	}
	cs, ss := r.client.ConnectionState(), r.server.ConnectionState()
	if cs.CipherSuite != ss.CipherSuite || cs.ServerName != ss.ServerName || !cs.ExtendedMasterSecret || len(cs.PeerCertificates) == 0 {
		t.Errorf("states differ or incomplete: client %+v server %+v", cs, ss)
	}
	exchange(t, r.client, r.server)
	r.server.Close()
	return cs.DidResume, ss.DidResume
}

// TestResume: minitls client and server resume by ticket and by
// session_id, for all four suites (RSA key transport and ECDHE_RSA); the
// resumed handshake walks the abbreviated phases, skips Certificate,
// ServerKeyExchange and ClientKeyExchange (so no private-key operation and
// no premaster secret on the server), and keeps suite, SNI and the peer's
// certificates.
func TestResume(t *testing.T) {
	for _, via := range []string{"ticket", "session_id"} {
		for _, s := range suites {
			t.Run(via+"/"+s.id.String(), func(t *testing.T) {
				clock := testTime()
				ccfg, scfg := resumeConfigs(t, &clock)
				ccfg.CipherSuites = []uint16{uint16(s.id)}
				scfg.CipherSuites = ccfg.CipherSuites
				scfg.Certificates = append(scfg.Certificates, ecdsaFixture(t)) // for ECDHE_ECDSA
				if via == "session_id" {
					scfg.SessionTicketsDisabled = true
					scfg.SessionCacheSize = 8
				}
				var phases [2][]Phase
				ccfg.phaseLog, scfg.phaseLog = &phases[0], &phases[1]
				if c, s := handshakeOnce(t, ccfg, scfg); c || s {
					t.Fatalf("first handshake resumed (%v, %v)", c, s)
				}
				wantFull := fullHandshakePhases
				if s.ecdhe {
					wantFull = ecdheHandshakePhases // ecdhe_test.go
				}
				if via == "ticket" {
					// NewSessionTicket comes just before the server's
					// ChangeCipherSpec. spec: rfc5077#3.1
					i := slices.Index(wantFull, PhaseServerChangeCipherSpec)
					wantFull = slices.Insert(slices.Clone(wantFull), i, PhaseNewSessionTicket)
				}
				for i := range phases {
					if d := cmp.Diff(append(wantFull[:len(wantFull):len(wantFull)], PhaseClosed), phases[i]); d != "" {
						t.Errorf("full handshake, side %d phases (-want +got):\n%s", i, d)
					}
				}
				for round := 0; round < 2; round++ {
					phases = [2][]Phase{}
					var ev serverEvents
					scfg.Trace = ev.trace
					clock = clock.Add(time.Minute)
					r := runPair(t, ccfg, scfg, 0, 0)
					if r.clientErr != nil || r.serverErr != nil {
						t.Fatalf("client: %v\nserver: %v", r.clientErr, r.serverErr)
					}
					cs, ss := r.client.ConnectionState(), r.server.ConnectionState()
					if !cs.DidResume || !ss.DidResume {
						t.Fatalf("round %d: DidResume client %v server %v", round, cs.DidResume, ss.DidResume)
					}
					if cs.CipherSuite != uint16(s.id) || ss.CipherSuite != uint16(s.id) || ss.ServerName != "localhost" ||
						!cs.ExtendedMasterSecret || !ss.ExtendedMasterSecret || len(cs.PeerCertificates) != 1 {
						t.Errorf("resumed state: client %+v server %+v", cs, ss)
					}
					exchange(t, r.client, r.server)
					r.server.Close()
					for i := range phases {
						if d := cmp.Diff(append(resumedPhases[:len(resumedPhases):len(resumedPhases)], PhaseClosed), phases[i]); d != "" {
							t.Errorf("resumed, side %d phases (-want +got):\n%s", i, d)
						}
					}
					wantMsgs := []HandshakeType{TypeClientHello, TypeServerHello, TypeFinished, TypeFinished}
					if d := cmp.Diff(wantMsgs, ev.messages); d != "" {
						t.Errorf("server messages (-want +got):\n%s", d)
					}
					for _, k := range ev.keys {
						if k == "premaster secret" {
							t.Errorf("a resumed server derived a premaster secret (it decrypted something)")
						}
					}
				}
			})
		}
	}
}

// TestResumeStdServer: the minitls client resumes with a crypto/tls server
// by ticket (crypto/tls servers have no session_id cache), and does a
// clean full handshake when the server has tickets disabled.
func TestResumeStdServer(t *testing.T) {
	f := testFixture(t)
	for _, disabled := range []bool{false, true} {
		t.Run(fmt.Sprintf("SessionTicketsDisabled=%v", disabled), func(t *testing.T) {
			stdCfg := &tls.Config{Certificates: []tls.Certificate{f.stdCert}, CipherSuites: stdSuites(),
				MaxVersion: tls.VersionTLS12, SessionTicketsDisabled: disabled}
			ccfg := &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: testTime,
				CipherSuites: stdSuites(), ClientSessionCache: NewLRUClientSessionCache(2)}
			for round := 0; round < 3; round++ {
				cc, sc := tcpPair(t)
				std := tls.Server(sc, stdCfg)
				var phases []Phase
				ccfg.phaseLog = &phases
				client := Client(cc, ccfg)
				errc := make(chan error, 1)
				go func() { errc <- std.Handshake() }()
				if err := client.Handshake(); err != nil {
					t.Fatalf("round %d: minitls client: %v (server: %v)", round, err, <-errc)
				}
				if err := <-errc; err != nil {
					t.Fatalf("round %d: crypto/tls server: %v", round, err)
				}
				want := round > 0 && !disabled
				if got, gotStd := client.ConnectionState().DidResume, std.ConnectionState().DidResume; got != want || gotStd != want {
					t.Fatalf("round %d: DidResume minitls %v crypto/tls %v, want %v (phases %v)", round, got, gotStd, want, phases)
				}
				if want && (phases[2] != PhaseSessionResumed || phases[len(phases)-1] != PhaseEstablished) {
					t.Errorf("round %d: phases %v", round, phases)
				}
				if len(client.ConnectionState().PeerCertificates) != 1 {
					t.Errorf("round %d: no peer certificates", round)
				}
				exchange(t, client, std)
			}
		})
	}
}

// TestResumeStdClient: a crypto/tls client with a ClientSessionCache
// resumes with the minitls server by ticket; with SessionTicketsDisabled
// (crypto/tls then offers nothing to resume) every handshake is full.
func TestResumeStdClient(t *testing.T) {
	f := testFixture(t)
	for _, disabled := range []bool{false, true} {
		t.Run(fmt.Sprintf("SessionTicketsDisabled=%v", disabled), func(t *testing.T) {
			stdCfg := &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: stdSuites(),
				MaxVersion: tls.VersionTLS12, ClientSessionCache: tls.NewLRUClientSessionCache(2), SessionTicketsDisabled: disabled}
			scfg := &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, SessionCacheSize: 4}
			for round := 0; round < 3; round++ {
				cc, sc := tcpPair(t)
				std := tls.Client(cc, stdCfg)
				server := Server(sc, scfg)
				errc := make(chan error, 1)
				go func() { errc <- std.Handshake() }()
				if err := server.Handshake(); err != nil {
					t.Fatalf("round %d: minitls server: %v (client: %v)", round, err, <-errc)
				}
				if err := <-errc; err != nil {
					t.Fatalf("round %d: crypto/tls client: %v", round, err)
				}
				want := round > 0 && !disabled
				if got, gotStd := server.ConnectionState().DidResume, std.ConnectionState().DidResume; got != want || gotStd != want {
					t.Fatalf("round %d: DidResume minitls %v crypto/tls %v, want %v", round, got, gotStd, want)
				}
				if len(std.ConnectionState().PeerCertificates) != 1 {
					t.Errorf("round %d: crypto/tls lost the peer certificates", round)
				}
				exchange(t, server, std)
			}
		})
	}
}

// cachedSession returns the client's cached session for "localhost".
func cachedSession(t *testing.T, ccfg *Config) *ClientSessionState {
	t.Helper()
	s, ok := ccfg.ClientSessionCache.Get("localhost")
	if !ok || s == nil {
		t.Fatal("no cached session")
	}
	return s
}

// TestResumeHostileTickets: a ticket that was forged, truncated,
// bit-flipped, sealed under a rotated-out key, replayed after its
// lifetime, or holding a session without the extended master secret, is
// ignored: the handshake is a full one, and both sides succeed.
func TestResumeHostileTickets(t *testing.T) {
	type tc struct {
		name  string
		edit  func(t *testing.T, s *ClientSessionState, scfg *Config)
		clock time.Duration // how far the clock moves before the second handshake
	}
	cases := []tc{
		{"forged", func(t *testing.T, s *ClientSessionState, _ *Config) {
			s.ticket = make([]byte, len(s.ticket))
			for i := range s.ticket {
				s.ticket[i] = byte(i * 7)
			}
		}, 0},
		{"forged-key-name", func(t *testing.T, s *ClientSessionState, _ *Config) {
			s.ticket = append([]byte{}, s.ticket...)
			s.ticket[0] ^= 1
		}, 0},
		{"truncated", func(t *testing.T, s *ClientSessionState, _ *Config) { s.ticket = s.ticket[:len(s.ticket)-1] }, 0},
		{"truncated-to-header", func(t *testing.T, s *ClientSessionState, _ *Config) { s.ticket = s.ticket[:ticketKeyNameLen+3] }, 0},
		{"bit-flipped", func(t *testing.T, s *ClientSessionState, _ *Config) {
			s.ticket = append([]byte{}, s.ticket...)
			s.ticket[len(s.ticket)/2] ^= 0x10
		}, 0},
		{"replayed-after-expiry", func(t *testing.T, s *ClientSessionState, _ *Config) {
			s.createdAt = s.createdAt.Add(-24 * time.Hour) // the client believes it is fresh
			s.lifetimeHint = 0
		}, 3 * time.Hour},
		{"rotated-out-key", func(t *testing.T, s *ClientSessionState, scfg *Config) {
			s.createdAt = s.createdAt.Add(-24 * time.Hour)
			s.lifetimeHint = 0
			scfg.SessionLifetime = 10 * time.Hour
		}, 5 * time.Hour},
		{"session-without-ems", func(t *testing.T, s *ClientSessionState, scfg *Config) {
			st := &sessionState{version: VersionTLS12, suite: s.suite, masterSecret: s.masterSecret,
				createdAt: uint64(scfg.time().Unix()), serverName: "localhost"}
			raw, err := st.marshal()
			if err != nil {
				t.Fatal(err)
			}
			if s.ticket, err = scfg.serverSessions().keys.seal(scfg, raw); err != nil {
				t.Fatal(err)
			}
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := testTime()
			ccfg, scfg := resumeConfigs(t, &clock)
			ccfg.SessionLifetime = 100 * time.Hour // the client would offer anything
			handshakeOnce(t, ccfg, scfg)
			s := *cachedSession(t, ccfg)
			c.edit(t, &s, scfg)
			ccfg.ClientSessionCache.Put("localhost", &s)
			clock = clock.Add(c.clock)
			var phases []Phase
			scfg.phaseLog = &phases
			var offered []byte
			ccfg.testEditClientHello = func(m *ClientHello) { offered, _ = m.extension(ExtSessionTicket) }
			if cr, sr := handshakeOnce(t, ccfg, scfg); cr || sr {
				t.Fatalf("resumed with a bad ticket (client %v, server %v)", cr, sr)
			}
			if len(offered) == 0 {
				t.Fatal("the client did not offer the ticket")
			}
			ccfg.testEditClientHello = nil
			if d := cmp.Diff(append(fullTicketPhases[:len(fullTicketPhases):len(fullTicketPhases)], PhaseClosed), phases); d != "" {
				t.Errorf("server phases (-want +got):\n%s", d)
			}
			// The new ticket from that full handshake resumes.
			if cr, sr := handshakeOnce(t, ccfg, scfg); !cr || !sr {
				t.Errorf("the fresh ticket did not resume (client %v, server %v)", cr, sr)
			}
		})
	}
	// A ticket under the previous key (one rotation ago) still opens, and
	// the server replaces it with one under the current key (rfc5077#3.3),
	// so the session survives the next rotation too.
	t.Run("previous-key", func(t *testing.T) {
		clock := testTime()
		ccfg, scfg := resumeConfigs(t, &clock)
		scfg.TicketKeyRotation, scfg.SessionLifetime, ccfg.SessionLifetime = time.Hour, 10*time.Hour, 10*time.Hour
		handshakeOnce(t, ccfg, scfg)
		first := cachedSession(t, ccfg).ticket
		clock = clock.Add(30 * time.Minute)
		var phases []Phase
		scfg.phaseLog = &phases
		if cr, sr := handshakeOnce(t, ccfg, scfg); !cr || !sr {
			t.Fatalf("ticket under the current key did not resume (client %v, server %v)", cr, sr)
		}
		if !bytes.Equal(cachedSession(t, ccfg).ticket, first) || slices.Contains(phases, PhaseNewSessionTicket) {
			t.Error("a ticket under the current key was replaced")
		}
		clock = clock.Add(60 * time.Minute) // 90 min: the key is now the previous one
		phases = nil
		if cr, sr := handshakeOnce(t, ccfg, scfg); !cr || !sr {
			t.Fatalf("ticket under the previous key did not resume (client %v, server %v)", cr, sr)
		}
		want := []Phase{PhaseClientHello, PhaseServerHello, PhaseSessionResumed, PhaseNewSessionTicket, PhaseKeyDerivation,
			PhaseServerChangeCipherSpec, PhaseServerFinished, PhaseClientChangeCipherSpec, PhaseClientFinished, PhaseEstablished, PhaseClosed}
		if d := cmp.Diff(want, phases); d != "" {
			t.Errorf("resumption with a fresh ticket, server phases (-want +got):\n%s", d)
		}
		renewed := cachedSession(t, ccfg)
		if bytes.Equal(renewed.ticket, first) || !renewed.createdAt.Equal(testTime()) {
			t.Errorf("the client did not keep the fresh ticket with the original creation time (%v)", renewed.createdAt)
		}
		clock = clock.Add(90 * time.Minute) // 180 min: the first key is gone, the second is previous
		if cr, sr := handshakeOnce(t, ccfg, scfg); !cr || !sr {
			t.Errorf("the fresh ticket did not resume after the next rotation (client %v, server %v)", cr, sr)
		}
	})
	// A ticket under the previous key that opens but cannot be resumed (its
	// suite is not offered), in a hello without extended_master_secret: the
	// full handshake that follows creates no resumable session, so its
	// ServerHello promises no ticket and no NewSessionTicket may come
	// (rfc5077#3.3: only after an empty session_ticket in the ServerHello).
	t.Run("previous-key-not-resumed-no-ems", func(t *testing.T) {
		clock := testTime()
		ccfg, scfg := resumeConfigs(t, &clock)
		scfg.TicketKeyRotation, scfg.SessionLifetime, ccfg.SessionLifetime = time.Hour, 10*time.Hour, 10*time.Hour
		handshakeOnce(t, ccfg, scfg)
		clock = clock.Add(90 * time.Minute) // the ticket's key is now the previous one
		var offered []byte
		ccfg.testEditClientHello = func(m *ClientHello) {
			offered, _ = m.extension(ExtSessionTicket)
			m.CipherSuites = []CipherSuite{TLS_RSA_WITH_AES_256_GCM_SHA384}
			m.Extensions = dropExt(m.Extensions, ExtExtendedMasterSecret)
		}
		var phases []Phase
		scfg.phaseLog = &phases
		r := runPair(t, ccfg, scfg, 0, 0)
		if r.clientErr != nil || r.serverErr != nil {
			t.Fatalf("client: %v\nserver: %v", r.clientErr, r.serverErr)
		}
		if len(offered) == 0 {
			t.Fatal("the client did not offer the ticket")
		}
		if r.client.ConnectionState().DidResume || slices.Contains(phases, PhaseNewSessionTicket) {
			t.Errorf("resumed (%v) or sent a ticket the ServerHello did not promise; server phases %v", r.client.ConnectionState().DidResume, phases)
		}
		r.server.Close()
	})
}

// TestResumeSessionIDMismatch: a session_id offered with a different suite
// set (the session's suite not offered, or no longer enabled on the
// server) or for a different server name is not resumed: full handshake.
func TestResumeSessionIDMismatch(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(ccfg, scfg *Config)
	}{
		{"suite-not-offered", func(ccfg, scfg *Config) {
			ccfg.testEditClientHello = func(m *ClientHello) { m.CipherSuites = []CipherSuite{TLS_RSA_WITH_AES_256_GCM_SHA384} }
		}},
		{"suite-disabled-on-server", func(ccfg, scfg *Config) {
			scfg.CipherSuites = []uint16{uint16(TLS_RSA_WITH_AES_256_GCM_SHA384)}
		}},
		{"other-sni", func(ccfg, scfg *Config) {
			s, _ := ccfg.ClientSessionCache.Get("localhost")
			cp := *s
			cp.serverName = "example.test"
			ccfg.ServerName = "example.test"
			ccfg.ClientSessionCache.Put("example.test", &cp)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := testTime()
			ccfg, scfg := resumeConfigs(t, &clock)
			ccfg.CipherSuites = []uint16{uint16(TLS_RSA_WITH_AES_128_GCM_SHA256), uint16(TLS_RSA_WITH_AES_256_GCM_SHA384)}
			scfg.SessionTicketsDisabled, scfg.SessionCacheSize = true, 4
			handshakeOnce(t, ccfg, scfg)
			if s := cachedSession(t, ccfg); len(s.sessionID) != 32 || s.suite != TLS_RSA_WITH_AES_128_GCM_SHA256 {
				t.Fatalf("cached session: id %x suite %v", s.sessionID, s.suite)
			}
			c.edit(ccfg, scfg)
			var sent []byte
			ccfg.testEditClientHello = chain(ccfg.testEditClientHello, func(m *ClientHello) { sent = m.SessionID })
			r := runPair(t, ccfg, scfg, 0, 0)
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("client: %v\nserver: %v", r.clientErr, r.serverErr)
			}
			if len(sent) != 32 {
				t.Fatalf("the client did not offer the session (session_id %x)", sent)
			}
			if r.client.ConnectionState().DidResume || r.server.ConnectionState().DidResume {
				t.Error("resumed")
			}
			if got := r.client.ConnectionState().CipherSuite; got != uint16(TLS_RSA_WITH_AES_256_GCM_SHA384) && c.name != "other-sni" {
				t.Errorf("suite %x", got)
			}
		})
	}
}

func chain(a, b func(*ClientHello)) func(*ClientHello) {
	return func(m *ClientHello) {
		if a != nil {
			a(m)
		}
		b(m)
	}
}

// TestResumeAlerts: the resumptions the RFCs say to abort end with the
// alert they name, on the side that detects them.
func TestResumeAlerts(t *testing.T) {
	prime := func(t *testing.T) (ccfg, scfg *Config) {
		clock := testTime()
		ccfg, scfg = resumeConfigs(t, &clock)
		handshakeOnce(t, ccfg, scfg)
		return ccfg, scfg
	}
	t.Run("EMS-session-hello-without-EMS", func(t *testing.T) {
		// spec: rfc7627#5.3 the server MUST abort: handshake_failure.
		ccfg, scfg := prime(t)
		ccfg.testEditClientHello = func(m *ClientHello) { m.Extensions = dropExt(m.Extensions, ExtExtendedMasterSecret) }
		checkAlert(t, runPair(t, ccfg, scfg, 0, 0), false, record.HandshakeFailure)
	})
	t.Run("server-resumes-without-EMS", func(t *testing.T) {
		// spec: rfc7627#5.3 the client MUST abort: handshake_failure.
		ccfg, scfg := prime(t)
		scfg.testHookFlight = flightHook(0, editMsg(t, 0, func(m *ServerHello) { m.Extensions = dropExt(m.Extensions, ExtExtendedMasterSecret) }))
		r := runPair(t, ccfg, scfg, 0, 0)
		checkAlert(t, r, true, record.HandshakeFailure)
		if _, ok := ccfg.ClientSessionCache.Get("localhost"); ok {
			t.Error("the failed session is still cached")
		}
	})
	t.Run("server-resumes-with-other-suite", func(t *testing.T) {
		// spec: rfc5246#7.4.1.3 the resumed suite is the session's.
		ccfg, scfg := prime(t)
		scfg.testHookFlight = flightHook(0, editMsg(t, 0, func(m *ServerHello) { m.CipherSuite = TLS_RSA_WITH_AES_256_GCM_SHA384 }))
		checkAlert(t, runPair(t, ccfg, scfg, 0, 0), true, record.IllegalParameter)
	})
	t.Run("bad-server-Finished", func(t *testing.T) {
		// A server that does not know the master secret fails at Finished.
		ccfg, scfg := prime(t)
		scfg.testHookFlight = flightHook(1, flipByte(0, -1))
		checkAlert(t, runPair(t, ccfg, scfg, 0, 0), true, record.DecryptError)
	})
	t.Run("unpromised-NewSessionTicket", func(t *testing.T) {
		// spec: rfc5077#3.3 only after an empty session_ticket in the
		// ServerHello; otherwise the client waits for ChangeCipherSpec.
		ccfg, scfg := prime(t)
		ccfg.ClientSessionCache = NewLRUClientSessionCache(1) // full handshake
		scfg.SessionTicketsDisabled = true                    // no promise in the ServerHello
		nst := mustMarshal(t, &NewSessionTicket{TicketLifetimeHint: 60, Ticket: []byte("unasked")})
		scfg.testHookFlight = flightHook(0, func(f [][]byte) [][]byte { return append(f, nst) })
		checkAlert(t, runPair(t, ccfg, scfg, 0, 0), true, record.UnexpectedMessage)
	})
	t.Run("promised-NewSessionTicket-missing", func(t *testing.T) {
		ccfg, scfg := prime(t)
		ccfg.ClientSessionCache = NewLRUClientSessionCache(1) // full handshake
		scfg.testHookFlight = flightHook(1, func([][]byte) [][]byte { return nil })
		checkAlert(t, runPair(t, ccfg, scfg, 0, 0), true, record.UnexpectedMessage)
	})
	t.Run("unpromised-ticket-extension-data", func(t *testing.T) {
		// spec: rfc5077#3.2 the server's session_ticket is empty.
		ccfg, scfg := prime(t)
		ccfg.ClientSessionCache = NewLRUClientSessionCache(1) // full handshake
		scfg.testHookFlight = flightHook(0, editMsg(t, 0, func(m *ServerHello) {
			m.Extensions = setExt(m.Extensions, Extension{Type: ExtSessionTicket, Data: []byte{1}})
		}))
		checkAlert(t, runPair(t, ccfg, scfg, 0, 0), true, record.DecodeError)
	})
}

// TestSessionCacheFlood: however many full handshakes a server completes,
// its session cache holds at most SessionCacheSize sessions, and the most
// recent still resume.
func TestSessionCacheFlood(t *testing.T) {
	clock := testTime()
	_, scfg := resumeConfigs(t, &clock)
	scfg.SessionTicketsDisabled, scfg.SessionCacheSize = true, 3
	var clients []*Config
	n := 8
	if testing.Short() {
		n = 5
	}
	for i := 0; i < n; i++ {
		ccfg, _ := resumeConfigs(t, &clock)
		handshakeOnce(t, ccfg, scfg)
		clients = append(clients, ccfg)
		if got := scfg.serverSessions().cache.len(); got != min(i+1, 3) {
			t.Fatalf("after %d handshakes the cache holds %d sessions, want %d", i+1, got, min(i+1, 3))
		}
	}
	if cr, sr := handshakeOnce(t, clients[0], scfg); cr || sr {
		t.Error("an evicted session resumed")
	}
	if cr, sr := handshakeOnce(t, clients[n-1], scfg); !cr || !sr {
		t.Error("the newest session did not resume")
	}
}

// TestLRU: the cache never exceeds its capacity, evicts the least recently
// used entry, and forgets expired entries (property test against a model).
func TestLRU(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		capacity := rapid.IntRange(1, 5).Draw(t, "capacity")
		c := newLRU[int](capacity)
		var model []string // most recent first
		base := time.Unix(1e9, 0)
		for i, n := 0, rapid.IntRange(0, 60).Draw(t, "ops"); i < n; i++ {
			key := fmt.Sprint(rapid.IntRange(0, 7).Draw(t, "key"))
			idx := -1
			for j, k := range model {
				if k == key {
					idx = j
				}
			}
			if rapid.Bool().Draw(t, "put") {
				c.put(key, i, base.Add(time.Hour))
				if idx >= 0 {
					model = append(model[:idx], model[idx+1:]...)
				} else if len(model) == capacity {
					model = model[:capacity-1]
				}
				model = append([]string{key}, model...)
			} else {
				_, ok := c.get(key, base)
				if ok != (idx >= 0) {
					t.Fatalf("get(%s) = %v, model has it: %v", key, ok, idx >= 0)
				}
				if ok {
					model = append([]string{key}, append(model[:idx], model[idx+1:]...)...)
				}
			}
			if c.len() != len(model) || c.len() > capacity {
				t.Fatalf("len %d, model %d, capacity %d", c.len(), len(model), capacity)
			}
		}
		for _, k := range model {
			if _, ok := c.get(k, base.Add(time.Hour)); ok {
				t.Fatalf("%s did not expire", k)
			}
		}
		if c.len() != 0 {
			t.Fatalf("expired entries left: %d", c.len())
		}
	})
}

// TestSessionStateRoundTrip: the ticket plaintext parses back to the same
// state; every truncation and any trailing byte is an error, never a panic.
func TestSessionStateRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := &sessionState{
			version:      ProtocolVersion(rapid.Uint16().Draw(t, "version")),
			suite:        CipherSuite(rapid.Uint16().Draw(t, "suite")),
			ems:          rapid.Bool().Draw(t, "ems"),
			masterSecret: rapid.SliceOfN(rapid.Byte(), 48, 48).Draw(t, "ms"),
			createdAt:    rapid.Uint64().Draw(t, "created"),
			serverName:   rapid.StringN(0, 40, -1).Draw(t, "sni"),
		}
		raw, err := s.marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseSessionState(raw)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(s, got, cmp.AllowUnexported(sessionState{})); d != "" {
			t.Fatalf("(-want +got):\n%s", d)
		}
		cut := rapid.IntRange(0, len(raw)-1).Draw(t, "cut")
		if _, err := parseSessionState(raw[:cut]); err == nil {
			t.Fatalf("truncated to %d parsed", cut)
		}
		if _, err := parseSessionState(append(raw, 0)); err == nil {
			t.Fatal("trailing byte parsed")
		}
	})
}

// TestNewSessionTicketMessage: the message round-trips, its fields cover
// every byte, and a bad length is a decode error.
func TestNewSessionTicketMessage(t *testing.T) {
	m := &NewSessionTicket{TicketLifetimeHint: 7200, Ticket: []byte("sealed")}
	raw := mustMarshal(t, m)
	want := []byte{4, 0, 0, 12, 0, 0, 0x1c, 0x20, 0, 6, 's', 'e', 'a', 'l', 'e', 'd'}
	if d := cmp.Diff(want, raw); d != "" {
		t.Fatalf("marshal (-want +got):\n%s", d)
	}
	got, err := ParseMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	checkFields(t, got, raw)
	if _, err := ParseMessage(setLen(append([]byte{}, raw[:len(raw)-1]...), 11)); err == nil {
		t.Error("truncated ticket parsed")
	}
}

// pingPong runs one handshake over recording connections, sends one line
// each way, closes (checking that the server sees close_notify), and
// returns the bytes each side wrote and whether each resumed. runGolden
// and TestGoldenResumed record their transcripts with it.
func pingPong(t *testing.T, ccfg, scfg *Config) (clientBytes, serverBytes []byte, resumed [2]bool) {
	t.Helper()
	cc, sc := tcpPair(t)
	crec, srec := &recordingConn{Conn: cc}, &recordingConn{Conn: sc}
	client, server := Client(crec, ccfg), Server(srec, scfg)
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 6)
		_, err := server.Read(buf)
		if err == nil {
			_, err = server.Write([]byte("pong\n"))
		}
		errc <- err
	}()
	if _, err := client.Write([]byte("ping\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := client.Read(buf); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Read(buf); err == nil {
		t.Fatal("no close_notify")
	}
	server.Close()
	return crec.bytes(), srec.bytes(), [2]bool{client.ConnectionState().DidResume, server.ConnectionState().DidResume}
}

// TestGoldenResumed: with fixed Rand and Time, a full handshake that
// issues a ticket followed by a resumption with that ticket is identical
// run to run; the resumed connection's bytes equal
// testdata/golden/aes128-ems-resumed.txt (regenerate with -update).
func TestGoldenResumed(t *testing.T) {
	s := goldenScenario{name: "aes128-ems-resumed", suite: TLS_RSA_WITH_AES_128_GCM_SHA256, ems: true}
	run := func() (c, srv []byte, phases [2][]Phase) {
		f := testFixture(t)
		ccfg := &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: goldenTime, Rand: NewDeterministicRand(goldenClientSeed),
			CipherSuites: []uint16{uint16(s.suite)}, ClientSessionCache: NewLRUClientSessionCache(1)}
		// A freshly parsed key: the RSA key caches blinding values and
		// draws new ones every 32 decryptions, so a shared key would make
		// the randomness read after the decryption (the ticket key and
		// nonce) depend on earlier tests.
		cert, err := X509KeyPair(f.certPEM, f.keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		scfg := &Config{MaxVersion: tls12, Certificates: []Certificate{cert}, Time: goldenTime, Rand: NewDeterministicRand(goldenServerSeed)}
		if _, _, resumed := pingPong(t, ccfg, scfg); resumed[0] || resumed[1] {
			t.Fatal("first handshake resumed")
		}
		ccfg.phaseLog, scfg.phaseLog = &phases[0], &phases[1]
		c, srv, resumed := pingPong(t, ccfg, scfg)
		if !resumed[0] || !resumed[1] {
			t.Fatalf("second handshake did not resume: %v", resumed)
		}
		return c, srv, phases
	}
	c1, s1, phases := run()
	c2, s2, _ := run()
	if !bytes.Equal(c1, c2) || !bytes.Equal(s1, s2) {
		t.Fatalf("two runs with the same seeds differ:\nclient %x\n       %x\nserver %x\n       %x", c1, c2, s1, s2)
	}
	for i, p := range phases {
		if d := cmp.Diff(append(resumedPhases[:len(resumedPhases):len(resumedPhases)], PhaseClosed), p); d != "" {
			t.Errorf("side %d phases (-want +got):\n%s", i, d)
		}
	}
	got := formatGolden(s, c1, s1)
	path := filepath.Join("testdata", "golden", s.name+".txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./handshake -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("resumed transcript differs from %s; if the change is intended, run go test ./handshake -update", path)
	}
	// The resumed client sends no ClientKeyExchange and the server no
	// Certificate: both streams are far shorter than a full handshake's.
	full, err := os.ReadFile(filepath.Join("testdata", "golden", "aes128-ems.txt"))
	if err != nil {
		t.Fatal(err)
	}
	fc, fs, err := parseGolden(string(full))
	if err != nil {
		t.Fatal(err)
	}
	if len(c1) >= len(fc) || len(s1) >= len(fs)/2 {
		t.Errorf("resumed streams %d+%d bytes, full %d+%d", len(c1), len(s1), len(fc), len(fs))
	}
}

// TestResumeDial: Dial uses Config.ClientSessionCache by itself (keyed by
// the host it dials), so the second Dial with the same Config resumes.
func TestResumeDial(t *testing.T) {
	f := testFixture(t)
	l, err := Listen("tcp", "127.0.0.1:0", &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				c.SetDeadline(time.Now().Add(10 * time.Second))
				c.(*Conn).Handshake()
				c.Read(make([]byte, 1))
				c.Close()
			}()
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	cfg := &Config{MaxVersion: tls12, RootCAs: f.roots, ClientSessionCache: NewLRUClientSessionCache(4)}
	for i, want := range []bool{false, true, true} {
		c, err := Dial("tcp", "localhost:"+port, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.ConnectionState().DidResume; got != want {
			t.Errorf("dial %d: DidResume %v, want %v", i, got, want)
		}
		c.Close()
	}
	if _, ok := cfg.ClientSessionCache.Get("localhost"); !ok {
		t.Error("no session cached under the dialled host name")
	}
}

// TestResumeClonedServerConfig: a server that clones its Config for every
// connection (as cmd/minitls serve does) still resumes, by ticket and by
// session_id: clones share the ticket keys and the cache.
func TestResumeClonedServerConfig(t *testing.T) {
	for _, byID := range []bool{false, true} {
		clock := testTime()
		ccfg, scfg := resumeConfigs(t, &clock)
		if byID {
			scfg.SessionTicketsDisabled, scfg.SessionCacheSize = true, 4
		}
		handshakeOnce(t, ccfg, scfg.Clone())
		if cr, sr := handshakeOnce(t, ccfg, scfg.Clone()); !cr || !sr {
			t.Errorf("session_id=%v: a cloned server Config did not resume (client %v, server %v)", byID, cr, sr)
		}
	}
	// A clone that turns the cache on after the original was used gets a
	// cache of its own (and the original's ticket keys).
	clock := testTime()
	ccfg, scfg := resumeConfigs(t, &clock)
	handshakeOnce(t, ccfg, scfg)
	byID := scfg.Clone()
	byID.SessionTicketsDisabled, byID.SessionCacheSize = true, 2
	ccfg.SessionTicketsDisabled = true
	ccfg.ClientSessionCache = NewLRUClientSessionCache(1)
	handshakeOnce(t, ccfg, byID)
	if cr, sr := handshakeOnce(t, ccfg, byID); !cr || !sr {
		t.Errorf("a clone with its own cache did not resume by session_id (client %v, server %v)", cr, sr)
	}
	if byID.serverSessions().keys != scfg.serverSessions().keys || scfg.serverSessions().cache != nil {
		t.Error("the clone does not share the ticket keys, or gave the original its cache")
	}
}

// TestResumeUnverifiedSession: a session made with InsecureSkipVerify is
// not offered by a client that verifies, even from the same
// ClientSessionCache: it would authenticate a server whose chain no one
// checked (crypto/tls refuses the same). The verifying client's own full
// handshake then makes a session it resumes.
func TestResumeUnverifiedSession(t *testing.T) {
	clock := testTime()
	ccfg, scfg := resumeConfigs(t, &clock)
	insecure := ccfg.Clone()
	insecure.InsecureSkipVerify = true
	handshakeOnce(t, insecure, scfg)
	if s := cachedSession(t, ccfg); s.verified {
		t.Fatal("a session made with InsecureSkipVerify is marked verified")
	}
	if cr, sr := handshakeOnce(t, ccfg, scfg); cr || sr {
		t.Fatalf("a verifying client resumed an unverified session (client %v, server %v)", cr, sr)
	}
	if cr, sr := handshakeOnce(t, ccfg, scfg); !cr || !sr {
		t.Errorf("the verified session did not resume (client %v, server %v)", cr, sr)
	}
	if cr, sr := handshakeOnce(t, insecure, scfg); !cr || !sr {
		t.Errorf("an InsecureSkipVerify client did not resume a verified session (client %v, server %v)", cr, sr)
	}
}

// TestResumeTicketOtherSNI: a valid ticket from a handshake with SNI
// "localhost", presented with SNI "example.test", is not resumed: the
// server does a full handshake (rfc6066#3), as for a session_id in
// TestResumeSessionIDMismatch.
func TestResumeTicketOtherSNI(t *testing.T) {
	clock := testTime()
	ccfg, scfg := resumeConfigs(t, &clock)
	handshakeOnce(t, ccfg, scfg)
	s := *cachedSession(t, ccfg)
	if len(s.ticket) == 0 {
		t.Fatal("no ticket cached")
	}
	s.serverName = "example.test" // so that the client offers it there
	ccfg.ServerName = "example.test"
	ccfg.ClientSessionCache.Put("example.test", &s)
	var offered []byte
	ccfg.testEditClientHello = func(m *ClientHello) { offered, _ = m.extension(ExtSessionTicket) }
	if cr, sr := handshakeOnce(t, ccfg, scfg); cr || sr {
		t.Errorf("a ticket for localhost resumed under SNI example.test (client %v, server %v)", cr, sr)
	}
	if !bytes.Equal(offered, s.ticket) {
		t.Error("the client did not offer the ticket")
	}
}

// TestClientOffersOnlyResumable: the client offers a cached session only
// when it may resume it here (offerSession's rules); otherwise its
// ClientHello carries neither the ticket nor a session_id. The server
// would refuse most of these anyway, so this looks at the hello itself.
func TestClientOffersOnlyResumable(t *testing.T) {
	cases := []struct {
		name string
		edit func(s *ClientSessionState, ccfg *Config, clock *time.Time)
	}{
		{"resumable", nil}, // the control: offered
		{"no-ems", func(s *ClientSessionState, _ *Config, _ *time.Time) { s.ems = false }},
		{"suite-not-offered", func(_ *ClientSessionState, ccfg *Config, _ *time.Time) {
			ccfg.CipherSuites = []uint16{uint16(TLS_RSA_WITH_AES_256_GCM_SHA384)}
		}},
		{"expired", func(_ *ClientSessionState, ccfg *Config, clock *time.Time) {
			*clock = clock.Add(ccfg.sessionLifetime())
		}},
		{"lifetime-hint-passed", func(s *ClientSessionState, _ *Config, clock *time.Time) {
			s.lifetimeHint = 60
			*clock = clock.Add(61 * time.Second)
		}},
		{"certificate-expired", func(s *ClientSessionState, _ *Config, clock *time.Time) {
			leaf := *s.peerCertificates[0]
			leaf.NotAfter = clock.Add(-time.Second)
			s.peerCertificates = []*x509lite.Certificate{&leaf}
		}},
		{"other-server-name", func(s *ClientSessionState, _ *Config, _ *time.Time) { s.serverName = "example.test" }},
		{"unverified", func(s *ClientSessionState, _ *Config, _ *time.Time) { s.verified = false }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := testTime()
			ccfg, scfg := resumeConfigs(t, &clock)
			ccfg.CipherSuites = []uint16{uint16(TLS_RSA_WITH_AES_128_GCM_SHA256)}
			handshakeOnce(t, ccfg, scfg)
			s := *cachedSession(t, ccfg)
			if c.edit != nil {
				c.edit(&s, ccfg, &clock)
			}
			ccfg.ClientSessionCache.Put("localhost", &s)
			var ticket, sessionID []byte
			ccfg.testEditClientHello = func(m *ClientHello) {
				ticket, _ = m.extension(ExtSessionTicket)
				sessionID = m.SessionID
			}
			r := runPair(t, ccfg, scfg, 0, 0)
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("client: %v\nserver: %v", r.clientErr, r.serverErr)
			}
			offered := len(ticket) > 0 || len(sessionID) > 0
			if want := c.edit == nil; offered != want {
				t.Errorf("offered the session: %v, want %v (ticket %d bytes, session_id %x)", offered, want, len(ticket), sessionID)
			}
			if got := r.client.ConnectionState().DidResume; got != offered {
				t.Errorf("DidResume %v, offered %v", got, offered)
			}
			r.server.Close()
		})
	}
}

// TestTicketKeyRotation: a key seals for one period and opens for two from
// its creation, so tickets under it are refused exactly then, even while a
// newer current key is still fresh (keys are made lazily, so the current
// key may be younger than one period after the previous one).
func TestTicketKeyRotation(t *testing.T) {
	clock := testTime()
	start := clock
	cfg := &Config{MaxVersion: tls12, Time: func() time.Time { return clock }, TicketKeyRotation: time.Hour}
	keys := cfg.serverSessions().keys
	seal := func() []byte {
		tk, err := keys.seal(cfg, []byte("state"))
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	a := seal() // key 1, made at 0
	clock = start.Add(90 * time.Minute)
	b := seal() // key 2, made at 1h30; key 1 is now the previous one
	for _, c := range []struct {
		at        time.Duration
		ticket    []byte
		name      string
		opens     bool
		wantStale bool
	}{
		{110 * time.Minute, a, "a", true, true},
		{110 * time.Minute, b, "b", true, false},
		{120 * time.Minute, a, "a", false, false}, // key 1 is two periods old
		{120 * time.Minute, b, "b", true, false},
		{200 * time.Minute, b, "b", true, true},
		{210 * time.Minute, b, "b", false, false}, // key 2 is two periods old
	} {
		clock = start.Add(c.at)
		state, stale := keys.open(cfg, c.ticket)
		if (state != nil) != c.opens || stale != c.wantStale {
			t.Errorf("at %v ticket %s: opened %v stale %v, want %v %v", c.at, c.name, state != nil, stale, c.opens, c.wantStale)
		}
	}
}
