package handshake

import (
	"errors"
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"minitls/record"
)

// TestOutOfOrderMessages: a handshake message of a known type that may not
// come in the current state is unexpected_message (rfc5246#7.4: "any other
// order is an unexpected_message"), even when its length is also wrong for
// its type, which used to make it decode_error; a ChangeCipherSpec whose
// body is not the byte 01 is unexpected_message (rfc8446#5); a client
// ignores up to record.MaxConsecutiveRenegotiationRequests HelloRequests
// during the handshake (rfc5246#7.4.1.1). Each case asserts the alert on
// both sides, as TestHostileFlights does.
func TestOutOfOrderMessages(t *testing.T) {
	helloRequests := func(n int, body []byte) func([][]byte) [][]byte {
		return func(f [][]byte) [][]byte {
			hr := append([]byte{byte(TypeHelloRequest), 0, 0, byte(len(body))}, body...)
			return append(repeatMsg(hr, n), f...)
		}
	}
	cases := []struct {
		name          string
		clientMangles bool // the server detects
		flight        int
		op            func([][]byte) [][]byte
		clientWrite   int
		serverWrite   int
		mutate        func([]byte)
		want          record.AlertDescription // 0: the handshake completes
		phase         Phase
	}{
		// The first message at the server must be a ClientHello.
		{name: "first message hello_request (with the hello's body)", clientMangles: true, op: retypeMsg(0, TypeHelloRequest), want: record.UnexpectedMessage, phase: PhaseClientHello},
		{name: "first message server_hello_done", clientMangles: true, op: retypeMsg(0, TypeServerHelloDone), want: record.UnexpectedMessage, phase: PhaseClientHello},
		{name: "first message finished", clientMangles: true, op: retypeMsg(0, TypeFinished), want: record.UnexpectedMessage, phase: PhaseClientHello},
		{name: "first message certificate_verify", clientMangles: true, op: retypeMsg(0, TypeCertificateVerify), want: record.UnexpectedMessage, phase: PhaseClientHello},
		// A client Finished with no ClientKeyExchange before it.
		{name: "Finished in place of ClientKeyExchange (its length)", clientMangles: true, flight: 1, op: retypeMsg(0, TypeFinished), want: record.UnexpectedMessage, phase: PhaseClientKeyExchange},
		{name: "Finished in place of ClientKeyExchange (12 bytes)", clientMangles: true, flight: 1, op: func(f [][]byte) [][]byte {
			return [][]byte{append([]byte{byte(TypeFinished), 0, 0, 12}, make([]byte, 12)...)}
		}, want: record.UnexpectedMessage, phase: PhaseClientKeyExchange},
		// At the client.
		{name: "ServerHello retyped finished", op: retypeMsg(0, TypeFinished), want: record.UnexpectedMessage, phase: PhaseServerHello},
		{name: "Certificate retyped server_hello_done", op: retypeMsg(1, TypeServerHelloDone), want: record.UnexpectedMessage, phase: PhaseServerCertificate},
		{name: "server Finished retyped server_hello_done", flight: 1, op: retypeMsg(0, TypeServerHelloDone), want: record.UnexpectedMessage, phase: PhaseServerFinished},
		// ChangeCipherSpec bodies (the third client Write, the second server Write).
		{name: "client ChangeCipherSpec 02", clientMangles: true, clientWrite: 3, mutate: func(b []byte) { b[5] = 2 }, want: record.UnexpectedMessage, phase: PhaseClientChangeCipherSpec},
		{name: "client ChangeCipherSpec 00", clientMangles: true, clientWrite: 3, mutate: func(b []byte) { b[5] = 0 }, want: record.UnexpectedMessage, phase: PhaseClientChangeCipherSpec},
		{name: "server ChangeCipherSpec 02", serverWrite: 2, mutate: func(b []byte) { b[5] = 2 }, want: record.UnexpectedMessage, phase: PhaseServerChangeCipherSpec},
		// HelloRequests during the handshake, at the client.
		{name: "HelloRequests at the bound", op: helloRequests(record.MaxConsecutiveRenegotiationRequests, nil)},
		{name: "HelloRequests over the bound", op: helloRequests(record.MaxConsecutiveRenegotiationRequests+1, nil), want: record.UnexpectedMessage, phase: PhaseServerHello},
		{name: "HelloRequest with a body", op: helloRequests(1, []byte{0}), want: record.DecodeError, phase: PhaseServerHello},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			mangler := scfg
			if c.clientMangles {
				mangler = ccfg
			}
			if c.op != nil {
				mangler.testHookFlight = flightHook(c.flight, c.op)
			}
			r := runPairMutate(t, ccfg, scfg, c.clientWrite, c.serverWrite, c.mutate)
			if c.want == 0 {
				if r.clientErr != nil || r.serverErr != nil {
					t.Fatalf("client %v, server %v; want a completed handshake", r.clientErr, r.serverErr)
				}
				return
			}
			checkAlert(t, r, !c.clientMangles, c.want)
			detErr := r.serverErr
			if !c.clientMangles {
				detErr = r.clientErr
			}
			var he *Error
			errors.As(detErr, &he)
			if he.Phase != c.phase {
				t.Errorf("failed in phase %v, want %v (%v)", he.Phase, c.phase, detErr)
			}
		})
	}
}

// repeatMsg returns n copies of msg as a flight.
func repeatMsg(msg []byte, n int) [][]byte {
	f := make([][]byte, n)
	for i := range f {
		f[i] = append([]byte{}, msg...)
	}
	return f
}

// TestAfterHandshakeMessages: after the handshake, only a renegotiation
// request (a ClientHello at a server, a HelloRequest at a client) is
// answered with the no_renegotiation warning; any other handshake message
// is a fatal unexpected_message; and requests without application data
// between them are bounded by record.MaxConsecutiveRenegotiationRequests,
// the next being unexpected_message. Both sides are asserted: the alert
// sent, and the alert the sender of the message receives.
func TestAfterHandshakeMessages(t *testing.T) {
	hello, _ := (&ClientHello{Version: VersionTLS12, CipherSuites: []CipherSuite{0x009c}, CompressionMethods: []byte{0}}).Marshal()
	helloRequest, _ := (&HelloRequest{}).Marshal()
	finished, _ := (&Finished{VerifyData: make([]byte, 12)}).Marshal()
	done, _ := (&ServerHelloDone{}).Marshal()
	serverHello, _ := (&ServerHello{Version: VersionTLS12, SessionID: []byte{}, CipherSuite: 0x009c}).Marshal()
	cke, _ := (&ClientKeyExchange{EncryptedPreMasterSecret: make([]byte, 256)}).Marshal()
	cases := []struct {
		name       string
		fromServer bool     // the server sends msgs to the client
		msgs       [][]byte // sent in one flight, then "after"
		refused    int      // no_renegotiation warnings expected
		fatal      bool     // then unexpected_message
	}{
		{"server sends Finished", true, [][]byte{finished}, 0, true},
		{"server sends ServerHelloDone", true, [][]byte{done}, 0, true},
		{"server sends ServerHello", true, [][]byte{serverHello}, 0, true},
		{"server sends ClientHello", true, [][]byte{hello}, 0, true},
		{"server sends HelloRequests up to the bound", true, repeatMsg(helloRequest, record.MaxConsecutiveRenegotiationRequests), record.MaxConsecutiveRenegotiationRequests, false},
		{"server sends HelloRequests over the bound", true, repeatMsg(helloRequest, record.MaxConsecutiveRenegotiationRequests+1), record.MaxConsecutiveRenegotiationRequests, true},
		{"client sends Finished", false, [][]byte{finished}, 0, true},
		{"client sends HelloRequest", false, [][]byte{helloRequest}, 0, true},
		{"client sends ClientKeyExchange", false, [][]byte{cke}, 0, true},
		{"client sends ClientHellos up to the bound", false, repeatMsg(hello, record.MaxConsecutiveRenegotiationRequests), record.MaxConsecutiveRenegotiationRequests, false},
		{"client sends ClientHellos over the bound", false, repeatMsg(hello, record.MaxConsecutiveRenegotiationRequests+1), record.MaxConsecutiveRenegotiationRequests, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, alerts := establishedWithAlerts(t)
			sender, victim := r.client, r.server
			if c.fromServer {
				sender, victim = r.server, r.client
			}
			if err := sender.rec.WriteHandshake(c.msgs...); err != nil {
				t.Fatal(err)
			}
			if _, err := sender.Write([]byte("after")); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 5)
			_, err := io.ReadFull(victim, buf)
			if !c.fatal {
				if err != nil || string(buf) != "after" {
					t.Fatalf("victim read: %q %v", buf, err)
				}
				go victim.Write([]byte("still"))
			} else {
				var re *record.Error
				if !errors.As(err, &re) || re.Alert != record.UnexpectedMessage || !errors.Is(err, ErrUnexpectedMessage) {
					t.Fatalf("victim read: %v, want unexpected_message", err)
				}
			}
			// The sender survives the warnings and sees the fatal alert.
			_, err = io.ReadFull(sender, buf)
			var are *record.AlertReceivedError
			switch {
			case c.fatal && !(errors.As(err, &are) && are.Description == record.UnexpectedMessage):
				t.Errorf("sender read: %v, want the alert unexpected_message", err)
			case !c.fatal && (err != nil || string(buf) != "still"):
				t.Errorf("sender read: %q %v", buf, err)
			}
			// The warnings are traced (the fatal alert is not: Read sends it
			// through the record layer; the sender's read above saw it).
			want := make([]record.AlertDescription, c.refused)
			for i := range want {
				want[i] = record.NoRenegotiation
			}
			if got := alerts(); !slices.Equal(got, want) {
				t.Errorf("alerts sent %v, want %v", got, want)
			}
		})
	}
}

// injectingConn writes extra bytes just before its nth Write.
type injectingConn struct {
	net.Conn
	mu     sync.Mutex
	writes int
	nth    int
	extra  []byte
}

func (c *injectingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.writes++
	if c.writes == c.nth {
		if _, err := c.Conn.Write(c.extra); err != nil {
			c.mu.Unlock()
			return 0, err
		}
	}
	c.mu.Unlock()
	return c.Conn.Write(b)
}

// TestWarningErrorAlertsInHandshake: an alert that RFC 5246 §7.2.2 calls
// fatal ends the handshake even when it arrives at warning level, on
// either side, and is not answered (rfc8446#6: error alerts are errors
// "regardless of the AlertLevel"); the warnings that may be survived
// (user_canceled, no_renegotiation) are, and the handshake completes.
func TestWarningErrorAlertsInHandshake(t *testing.T) {
	for _, fromServer := range []bool{true, false} {
		for _, d := range []record.AlertDescription{record.BadRecordMAC, record.DecryptError, record.HandshakeFailure,
			record.UnexpectedMessage, record.UnrecognizedName, 0xee, record.UserCanceled, record.NoRenegotiation} {
			side := "client sends"
			if fromServer {
				side = "server sends"
			}
			t.Run(side+" warning "+d.String(), func(t *testing.T) {
				ccfg, scfg := baseConfigs(t)
				cc, sc := tcpPair(t)
				deadline := time.Now().Add(5 * time.Second)
				cc.SetDeadline(deadline)
				sc.SetDeadline(deadline)
				alert := []byte{byte(record.Alert), 3, 3, 0, 2, byte(record.Warning), byte(d)}
				var cconn, sconn net.Conn = cc, sc
				if fromServer {
					sconn = &injectingConn{Conn: sc, nth: 1, extra: alert} // before the ServerHello flight
				} else {
					cconn = &injectingConn{Conn: cc, nth: 2, extra: alert} // before ClientKeyExchange
				}
				client, server := Client(cconn, ccfg), Server(sconn, scfg)
				done := make(chan error, 1)
				go func() {
					err := server.Handshake()
					if err != nil {
						sc.Close() // the client waits for nothing more
					}
					done <- err
				}()
				clientErr := client.Handshake()
				if clientErr != nil {
					cc.Close()
				}
				serverErr := <-done
				victimErr, senderErr := serverErr, clientErr
				if fromServer {
					victimErr, senderErr = clientErr, serverErr
				}
				if d == record.UserCanceled || d == record.NoRenegotiation {
					if clientErr != nil || serverErr != nil {
						t.Fatalf("client %v, server %v; a %v warning is survived", clientErr, serverErr, d)
					}
					return
				}
				var are *record.AlertReceivedError
				var he *Error
				if !errors.As(victimErr, &are) || are.Description != d || are.Level != record.Warning {
					t.Fatalf("receiver: %v, want the warning %v received as an error alert", victimErr, d)
				}
				if !errors.As(victimErr, &he) || he.Sent {
					t.Fatalf("receiver answered the alert: %v", victimErr)
				}
				if senderErr == nil {
					t.Fatalf("the sender of the alert completed its handshake")
				}
			})
		}
	}
}

// establishedWithAlerts completes a TLS 1.2 handshake between the base
// configs (baseConfigs) and returns the pair and a function that reads, at
// any moment, the alerts both sides have sent since (their Trace hooks).
func establishedWithAlerts(t *testing.T) (pairResult, func() []record.AlertDescription) {
	t.Helper()
	ccfg, scfg := baseConfigs(t)
	var alerts []record.AlertDescription
	var mu sync.Mutex
	tr := func(e Event) {
		if e.Kind == EventAlert && e.Sent {
			mu.Lock()
			alerts = append(alerts, e.Alert)
			mu.Unlock()
		}
	}
	ccfg.Trace, scfg.Trace = tr, tr
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatal(r.clientErr, r.serverErr)
	}
	return r, func() []record.AlertDescription {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(alerts)
	}
}
