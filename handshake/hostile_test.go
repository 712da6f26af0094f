package handshake

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"minitls/record"
	"minitls/x509lite"
)

// corruptingConn flips the last byte of the nth Write (1-based), playing a
// network attacker who changes a protected record.
type corruptingConn struct {
	net.Conn
	mu     sync.Mutex
	writes int
	nth    int
	mutate func([]byte) // instead of flipping the last byte
}

func (c *corruptingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.writes++
	if c.writes == c.nth {
		b = append([]byte{}, b...)
		if c.mutate != nil {
			c.mutate(b)
		} else {
			b[len(b)-1] ^= 0x40
		}
	}
	c.mu.Unlock()
	return c.Conn.Write(b)
}

// pairResult is what both ends of a handshake returned.
type pairResult struct {
	clientErr, serverErr error
	client, server       *Conn
}

// runPair handshakes a minitls client with a minitls server over loopback.
// corruptClientWrite / corruptServerWrite (if > 0) corrupt that Write.
func runPair(t *testing.T, ccfg, scfg *Config, corruptClientWrite, corruptServerWrite int) pairResult {
	return runPairMutate(t, ccfg, scfg, corruptClientWrite, corruptServerWrite, nil)
}

// runPairMutate is runPair with mutate (if set) applied to the corrupted Write.
func runPairMutate(t *testing.T, ccfg, scfg *Config, corruptClientWrite, corruptServerWrite int, mutate func([]byte)) pairResult {
	t.Helper()
	cc, sc := tcpPair(t)
	deadline := time.Now().Add(5 * time.Second)
	cc.SetDeadline(deadline)
	sc.SetDeadline(deadline)
	var cconn, sconn net.Conn = cc, sc
	if corruptClientWrite > 0 {
		cconn = &corruptingConn{Conn: cc, nth: corruptClientWrite, mutate: mutate}
	}
	if corruptServerWrite > 0 {
		sconn = &corruptingConn{Conn: sc, nth: corruptServerWrite, mutate: mutate}
	}
	r := pairResult{client: Client(cconn, ccfg), server: Server(sconn, scfg)}
	done := make(chan error, 1)
	go func() { done <- r.server.Handshake() }()
	r.clientErr = r.client.Handshake()
	if r.clientErr != nil {
		// Unblock a server still waiting for the client.
		cc.SetReadDeadline(time.Now().Add(time.Second))
	}
	r.serverErr = <-done
	return r
}

// baseConfigs returns a client and a server config for the RSA
// key-transport story: the client offers only the two RSA suites (the
// server keeps its defaults, ECDHE first, so it is the client's offer that
// selects RSA). ecdheConfigs in ecdhe_test.go is the ECDHE counterpart.
func baseConfigs(t *testing.T) (client, server *Config) {
	f := testFixture(t)
	return &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: testTime, NextProtos: []string{"h2"}, CipherSuites: rsaSuiteIDs},
		&Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, NextProtos: []string{"h2", "http/1.1"}}
}

// rsaSuiteIDs are the RSA key-transport suites, for Config.CipherSuites.
var rsaSuiteIDs = []uint16{uint16(TLS_RSA_WITH_AES_128_GCM_SHA256), uint16(TLS_RSA_WITH_AES_256_GCM_SHA384)}

// flightHook returns a testHookFlight that applies op to flight number n
// (0-based) of that endpoint.
func flightHook(n int, op func([][]byte) [][]byte) func([][]byte) [][]byte {
	count := 0
	return func(msgs [][]byte) [][]byte {
		count++
		if count-1 == n {
			cp := make([][]byte, len(msgs))
			for i, m := range msgs {
				cp[i] = append([]byte{}, m...)
			}
			return op(cp)
		}
		return msgs
	}
}

func setLen(m []byte, n int) []byte {
	m[1], m[2], m[3] = byte(n>>16), byte(n>>8), byte(n)
	return m
}

// Message mutations; i selects the message within the flight.
func truncateMsg(i int) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte { f[i] = setLen(f[i][:len(f[i])-1], len(f[i])-5); return f }
}
func trailingMsg(i int) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte { f[i] = setLen(append(f[i], 0), len(f[i])-3); return f }
}
func retypeMsg(i int, typ HandshakeType) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte { f[i][0] = byte(typ); return f }
}
func oversizeMsg(i, n int) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte { f[i] = setLen(f[i], n); return f }
}
func duplicateMsg(i int) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte {
		return append(f[:i+1:i+1], append([][]byte{f[i]}, f[i+1:]...)...)
	}
}
func swapMsgs(i, j int) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte { f[i], f[j] = f[j], f[i]; return f }
}
func flipByte(i, pos int) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte {
		if pos < 0 {
			pos += len(f[i])
		}
		f[i][pos] ^= 1
		return f
	}
}

// editMsg parses message i, lets edit change it, and re-marshals it.
func editMsg[M Message](t *testing.T, i int, edit func(M)) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte {
		m, err := ParseMessage(f[i])
		if err != nil {
			t.Errorf("editMsg: %v", err)
			return f
		}
		edit(m.(M))
		b, err := m.Marshal()
		if err != nil {
			t.Errorf("editMsg: %v", err)
			return f
		}
		f[i] = b
		return f
	}
}

func setExt(exts []Extension, e Extension) []Extension {
	for i := range exts {
		if exts[i].Type == e.Type {
			exts[i] = e
			return exts
		}
	}
	return append(exts, e)
}

func dropExt(exts []Extension, t ExtensionType) []Extension {
	var out []Extension
	for _, e := range exts {
		if e.Type != t {
			out = append(out, e)
		}
	}
	return out
}

// checkAlert asserts that detector failed sending want and that the other
// side received exactly that alert.
func checkAlert(t *testing.T, r pairResult, clientDetects bool, want record.AlertDescription) {
	t.Helper()
	detErr, peerErr := r.serverErr, r.clientErr
	if clientDetects {
		detErr, peerErr = r.clientErr, r.serverErr
	}
	var he *Error
	if !errors.As(detErr, &he) || !he.Sent || he.Alert != want {
		t.Fatalf("detecting side: got %v, want an *Error that sent %v", detErr, want)
	}
	if peerErr == nil {
		// The other side finished its handshake before the detector saw the
		// mangled message (the last flight); the alert ends its next Read.
		peer := r.server
		if !clientDetects {
			peer = r.client
		}
		_, peerErr = peer.Read(make([]byte, 1))
	}
	var are *record.AlertReceivedError
	if !errors.As(peerErr, &are) || are.Description != want {
		t.Fatalf("other side: got %v, want the received alert %v", peerErr, want)
	}
}

// TestHostileFlights mangles each message of each flight and asserts the
// alert the RFC prescribes, on both sides.
func TestHostileFlights(t *testing.T) {
	type tc struct {
		name          string
		clientMangles bool // the client's flights are mangled (the server detects)
		flight        int
		op            func([][]byte) [][]byte
		want          record.AlertDescription
		raw           bool // write the flight as raw records, bypassing the record layer's checks
		clientWrite   int  // corrupt this client Write instead (bad record MAC)
		serverWrite   int
		skipCCS       bool
		mutate        func([]byte) // with clientWrite/serverWrite: how to corrupt that Write
	}
	cases := []tc{
		// Client flight 0: ClientHello.
		{name: "ClientHello/truncated", clientMangles: true, flight: 0, op: truncateMsg(0), want: record.DecodeError},
		{name: "ClientHello/trailing", clientMangles: true, flight: 0, op: trailingMsg(0), want: record.DecodeError},
		// Only a client ignores HelloRequest (rfc5246#7.4.1.1); a server that
		// receives one is sent a message out of order.
		{name: "ClientHello/HelloRequest first", clientMangles: true, flight: 0, op: func(f [][]byte) [][]byte {
			return append([][]byte{{byte(TypeHelloRequest), 0, 0, 0}}, f...)
		}, want: record.UnexpectedMessage},
		{name: "ClientHello/wrong type", clientMangles: true, flight: 0, op: retypeMsg(0, TypeServerHello), want: record.UnexpectedMessage},
		{name: "ClientHello/duplicated", clientMangles: true, flight: 0, op: duplicateMsg(0), want: record.UnexpectedMessage},
		{name: "ClientHello/oversized", clientMangles: true, flight: 0, op: oversizeMsg(0, 0x030000), want: record.DecodeError, raw: true},
		{name: "ClientHello/TLS 1.1", clientMangles: true, flight: 0, op: editMsg(t, 0, func(m *ClientHello) { m.Version = VersionTLS11 }), want: record.ProtocolVersion},
		{name: "ClientHello/only TLS 1.3", clientMangles: true, flight: 0, op: editMsg(t, 0, func(m *ClientHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtSupportedVersions, []byte{2, 3, 4}})
		}), want: record.ProtocolVersion},
		{name: "ClientHello/no common suite", clientMangles: true, flight: 0, op: editMsg(t, 0, func(m *ClientHello) {
			m.CipherSuites = []CipherSuite{0x002F, 0xC02F}
		}), want: record.HandshakeFailure},
		{name: "ClientHello/no null compression", clientMangles: true, flight: 0, op: editMsg(t, 0, func(m *ClientHello) {
			m.CompressionMethods = []byte{1}
		}), want: record.IllegalParameter},
		{name: "ClientHello/renegotiation_info not empty", clientMangles: true, flight: 0, op: editMsg(t, 0, func(m *ClientHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtRenegotiationInfo, []byte{1, 0}})
		}), want: record.HandshakeFailure},
		{name: "ClientHello/ALPN mismatch", clientMangles: true, flight: 0, op: editMsg(t, 0, func(m *ClientHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtALPN, []byte{0, 3, 2, 'h', '3'}})
		}), want: record.NoApplicationProtocol},
		{name: "ClientHello/duplicate extension", clientMangles: true, flight: 0, op: editMsg(t, 0, func(m *ClientHello) {
			m.Extensions = append(m.Extensions, Extension{ExtExtendedMasterSecret, []byte{}})
		}), want: record.DecodeError},
		// Client flight 1: ClientKeyExchange.
		{name: "ClientKeyExchange/truncated", clientMangles: true, flight: 1, op: truncateMsg(0), want: record.DecodeError},
		{name: "ClientKeyExchange/trailing", clientMangles: true, flight: 1, op: trailingMsg(0), want: record.DecodeError},
		{name: "ClientKeyExchange/wrong type", clientMangles: true, flight: 1, op: retypeMsg(0, TypeCertificate), want: record.UnexpectedMessage},
		{name: "ClientKeyExchange/duplicated", clientMangles: true, flight: 1, op: duplicateMsg(0), want: record.UnexpectedMessage},
		{name: "ClientKeyExchange/oversized", clientMangles: true, flight: 1, op: oversizeMsg(0, 0x010100), want: record.DecodeError, raw: true},
		// RFC 5246 §7.4.7.1: a bad premaster secret is only noticed at Finished.
		// Then the server's keys differ from the client's, so the client's
		// protected Finished fails to open: bad_record_mac, like any
		// corrupted record, and nothing earlier.
		{name: "ClientKeyExchange/bad padding", clientMangles: true, flight: 1, op: flipByte(0, 7), want: record.BadRecordMAC},
		{name: "ClientKeyExchange/short ciphertext", clientMangles: true, flight: 1, op: editMsg(t, 0, func(m *ClientKeyExchange) {
			m.EncryptedPreMasterSecret = m.EncryptedPreMasterSecret[1:]
		}), want: record.BadRecordMAC},
		// Client flight 2: Finished (protected).
		{name: "client Finished/bad verify_data", clientMangles: true, flight: 2, op: flipByte(0, -1), want: record.DecryptError},
		{name: "client Finished/truncated", clientMangles: true, flight: 2, op: truncateMsg(0), want: record.DecodeError},
		{name: "client Finished/wrong type", clientMangles: true, flight: 2, op: retypeMsg(0, TypeClientKeyExchange), want: record.UnexpectedMessage},
		{name: "client Finished/bad record MAC", clientMangles: true, clientWrite: 4, want: record.BadRecordMAC},
		{name: "client Finished/record version TLS 1.1", clientMangles: true, clientWrite: 4, mutate: setRecordVersion(0x0302), want: record.ProtocolVersion},
		{name: "client ChangeCipherSpec/missing", clientMangles: true, skipCCS: true, want: record.UnexpectedMessage},
		// Server flight 0: ServerHello, Certificate, ServerHelloDone.
		{name: "ServerHello/truncated", flight: 0, op: truncateMsg(0), want: record.DecodeError},
		{name: "ServerHello/trailing", flight: 0, op: trailingMsg(0), want: record.DecodeError},
		// Out of order before too long for its type: unexpected_message. spec: rfc5246#7.4
		{name: "ServerHello/wrong type", flight: 0, op: retypeMsg(0, TypeServerHelloDone), want: record.UnexpectedMessage},
		{name: "ServerHello/retyped as ClientHello", flight: 0, op: retypeMsg(0, TypeClientHello), want: record.UnexpectedMessage},
		{name: "ServerHello/duplicated", flight: 0, op: duplicateMsg(0), want: record.UnexpectedMessage},
		{name: "ServerHello/reordered", flight: 0, op: swapMsgs(0, 1), want: record.UnexpectedMessage},
		{name: "ServerHello/oversized", flight: 0, op: oversizeMsg(0, 0x020000), want: record.DecodeError, raw: true},
		{name: "ServerHello/TLS 1.1", flight: 0, op: editMsg(t, 0, func(m *ServerHello) { m.Version = VersionTLS11 }), want: record.ProtocolVersion},
		{name: "ServerHello/suite not offered", flight: 0, op: editMsg(t, 0, func(m *ServerHello) { m.CipherSuite = 0x002F }), want: record.IllegalParameter},
		// A suite minitls implements but this client did not offer (it offers
		// only RSA key transport). spec: rfc5246#7.4.1.3
		{name: "ServerHello/known suite not offered", flight: 0, op: editMsg(t, 0, func(m *ServerHello) {
			m.CipherSuite = TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		}), want: record.IllegalParameter},
		{name: "ServerHello/compression", flight: 0, op: editMsg(t, 0, func(m *ServerHello) { m.CompressionMethod = 1 }), want: record.IllegalParameter},
		{name: "ServerHello/unsolicited extension", flight: 0, op: editMsg(t, 0, func(m *ServerHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtSessionTicket, []byte{}})
		}), want: record.UnsupportedExtension},
		{name: "ServerHello/renegotiation_info not empty", flight: 0, op: editMsg(t, 0, func(m *ServerHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtRenegotiationInfo, []byte{1, 7}})
		}), want: record.HandshakeFailure},
		{name: "ServerHello/ALPN not offered", flight: 0, op: editMsg(t, 0, func(m *ServerHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtALPN, []byte{0, 3, 2, 'h', '3'}})
		}), want: record.IllegalParameter},
		{name: "ServerHello/ALPN two protocols", flight: 0, op: editMsg(t, 0, func(m *ServerHello) {
			m.Extensions = setExt(m.Extensions, Extension{ExtALPN, []byte{0, 6, 2, 'h', '2', 2, 'h', '3'}})
		}), want: record.DecodeError}, // rfc7301#3.1: exactly one ProtocolName
		{name: "Certificate/truncated", flight: 0, op: truncateMsg(1), want: record.DecodeError},
		{name: "Certificate/trailing", flight: 0, op: trailingMsg(1), want: record.DecodeError},
		{name: "Certificate/empty", flight: 0, op: editMsg(t, 1, func(m *CertificateMessage) { m.Certificates = nil }), want: record.BadCertificate},
		{name: "Certificate/garbage DER", flight: 0, op: editMsg(t, 1, func(m *CertificateMessage) { m.Certificates = [][]byte{{0x30, 0x03, 1, 2, 3}} }), want: record.BadCertificate},
		{name: "Certificate/tampered signature", flight: 0, op: flipByte(1, -1), want: record.BadCertificate},
		{name: "Certificate/duplicated", flight: 0, op: duplicateMsg(1), want: record.UnexpectedMessage},
		{name: "ServerHelloDone/trailing", flight: 0, op: trailingMsg(2), want: record.DecodeError},
		{name: "ServerHelloDone/wrong type", flight: 0, op: retypeMsg(2, TypeServerKeyExchange), want: record.UnexpectedMessage},
		{name: "ServerHelloDone/duplicated", flight: 0, op: duplicateMsg(2), want: record.UnexpectedMessage},
		// Server flight 1: Finished (protected).
		{name: "server Finished/bad verify_data", flight: 1, op: flipByte(0, 4), want: record.DecryptError},
		{name: "server Finished/truncated", flight: 1, op: truncateMsg(0), want: record.DecodeError},
		{name: "server Finished/duplicated", flight: 1, op: duplicateMsg(0), want: 255}, // see below
		{name: "server Finished/bad record MAC", serverWrite: 3, want: record.BadRecordMAC},
		{name: "server Finished/record version TLS 1.1", serverWrite: 3, mutate: setRecordVersion(0x0302), want: record.ProtocolVersion},
		{name: "server ChangeCipherSpec/missing", skipCCS: true, want: record.UnexpectedMessage},
	}
	for _, c := range cases {
		if c.want == 255 {
			continue // a duplicated last Finished arrives after the handshake: covered by TestAfterHandshakeMessages
		}
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			mangler := scfg
			if c.clientMangles {
				mangler = ccfg
			}
			if c.op != nil {
				mangler.testHookFlight = flightHook(c.flight, c.op)
			}
			mangler.testSkipCCS = c.skipCCS
			mangler.testRawRecords = c.raw
			var cphases, sphases []Phase
			ccfg.phaseLog, scfg.phaseLog = &cphases, &sphases
			r := runPairMutate(t, ccfg, scfg, c.clientWrite, c.serverWrite, c.mutate)
			checkAlert(t, r, !c.clientMangles, c.want)
			detErr := r.serverErr
			if !c.clientMangles {
				detErr = r.clientErr
			}
			var he *Error
			errors.As(detErr, &he)
			if want := hostilePhase(c.name); he.Phase != want {
				t.Errorf("failed in phase %v, want %v", he.Phase, want)
			}
			// The side whose handshake failed ends in PhaseFailed; a server
			// whose last flight was mangled completed its own handshake
			// and learns of the failure from the alert on its next Read.
			for _, side := range []struct {
				phases []Phase
				err    error
			}{{cphases, r.clientErr}, {sphases, r.serverErr}} {
				last := side.phases[len(side.phases)-1]
				if (side.err != nil) != (last == PhaseFailed) {
					t.Errorf("phases end in %v with error %v", last, side.err)
				}
			}
		})
	}
}

// setRecordVersion rewrites the version in the header of the first record
// of a Write.
func setRecordVersion(v uint16) func([]byte) {
	return func(b []byte) { b[1], b[2] = byte(v>>8), byte(v) }
}

// hostilePhase is the phase in which the receiving side detects the mangled
// message of a TestHostileFlights case: the phase of that message, except
// where the damage shows only at a later message.
func hostilePhase(name string) Phase {
	switch name {
	case "ClientHello/duplicated":
		return PhaseClientKeyExchange // the second hello arrives where ClientKeyExchange belongs
	case "ClientKeyExchange/duplicated":
		return PhaseClientChangeCipherSpec
	case "ClientKeyExchange/bad padding", "ClientKeyExchange/short ciphertext":
		return PhaseClientFinished // rfc5246#7.4.7.1: nothing shows before Finished
	case "ServerHello/duplicated":
		return PhaseServerCertificate
	case "Certificate/duplicated":
		return PhaseServerHelloDone
	case "ServerHelloDone/duplicated":
		return PhaseServerChangeCipherSpec
	}
	prefixes := []struct {
		prefix string
		phase  Phase
	}{
		{"ClientHello/", PhaseClientHello}, {"ClientKeyExchange/", PhaseClientKeyExchange},
		{"client Finished/", PhaseClientFinished}, {"client ChangeCipherSpec/", PhaseClientChangeCipherSpec},
		{"ServerHello/", PhaseServerHello}, {"Certificate/", PhaseServerCertificate},
		{"ServerHelloDone/", PhaseServerHelloDone}, {"server Finished/", PhaseServerFinished},
		{"server ChangeCipherSpec/", PhaseServerChangeCipherSpec},
	}
	for _, p := range prefixes {
		if strings.HasPrefix(name, p.prefix) {
			return p.phase
		}
	}
	return PhaseFailed
}

// TestBadPremasterIndistinguishable: every kind of bad ClientKeyExchange
// ciphertext leads to the same outcome as a wrong key: the client's
// protected Finished does not open (bad_record_mac), in the same phase, with
// nothing visible before (rfc5246#7.4.7.1).
func TestBadPremasterIndistinguishable(t *testing.T) {
	var phases []Phase
	ops := map[string]func([][]byte) [][]byte{
		"flip first byte": flipByte(0, 6),
		"flip last byte":  flipByte(0, -1),
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			ccfg.testHookFlight = flightHook(1, op)
			phases = nil
			scfg.phaseLog = &phases
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, false, record.BadRecordMAC)
			var he *Error
			errors.As(r.serverErr, &he)
			if he.Phase != PhaseClientFinished || !errors.Is(he, record.ErrBadRecordMAC) {
				t.Errorf("server failed in %v with %v; want client Finished / ErrBadRecordMAC", he.Phase, he.Err)
			}
		})
	}
}

// TestWrongVersionInPremaster: a premaster secret whose first two bytes are
// not ClientHello.client_version is replaced by random bytes (minitls checks
// the version, see decryptPreMasterSecret), so the handshake fails at
// Finished (whose record no longer opens) and with no earlier sign.
func TestWrongVersionInPremaster(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	ccfg.testPremasterVersion = 0x0302
	r := runPair(t, ccfg, scfg, 0, 0)
	checkAlert(t, r, false, record.BadRecordMAC)
	// Control: the right version works.
	ccfg, scfg = baseConfigs(t)
	ccfg.testPremasterVersion = 0x0303
	if r := runPair(t, ccfg, scfg, 0, 0); r.clientErr != nil || r.serverErr != nil {
		t.Fatalf("control: %v / %v", r.clientErr, r.serverErr)
	}
}

// TestCertificateFailures: chain problems send the alert x509lite names and
// return its error.
func TestCertificateFailures(t *testing.T) {
	f := testFixture(t)
	expiredPEM := readTestdata(t, "expired.pem")
	expired, err := X509KeyPair(expiredPEM, f.keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	noEnc, err := X509KeyPair(readTestdata(t, "noencipherment.pem"), f.keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		edit   func(c, s *Config)
		want   record.AlertDescription
		errTyp any
	}{
		{"unknown CA", func(c, s *Config) { c.RootCAs = x509lite.NewCertPool() }, record.UnknownCA, new(*x509lite.UnknownAuthorityError)},
		{"expired", func(c, s *Config) { s.Certificates = []Certificate{expired} }, record.CertificateExpired, new(*x509lite.CertificateInvalidError)},
		{"wrong name", func(c, s *Config) { c.ServerName = "wrong.example" }, record.BadCertificate, new(*x509lite.HostnameError)},
		{"before validity", func(c, s *Config) {
			c.Time = func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }
		}, record.CertificateExpired, new(*x509lite.CertificateInvalidError)},
		{"no keyEncipherment", func(c, s *Config) { s.Certificates = []Certificate{noEnc} }, record.UnsupportedCertificate, &ErrUnsupportedCertificate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			c.edit(ccfg, scfg)
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, true, c.want)
			if e, ok := c.errTyp.(*error); ok {
				if !errors.Is(r.clientErr, *e) {
					t.Errorf("client error %v is not %v", r.clientErr, *e)
				}
			} else if !errors.As(r.clientErr, c.errTyp) {
				t.Errorf("client error %v is not %T", r.clientErr, c.errTyp)
			}
		})
	}
	t.Run("InsecureSkipVerify", func(t *testing.T) {
		ccfg, scfg := baseConfigs(t)
		ccfg.RootCAs, ccfg.InsecureSkipVerify, ccfg.ServerName = x509lite.NewCertPool(), true, ""
		if r := runPair(t, ccfg, scfg, 0, 0); r.clientErr != nil || r.serverErr != nil {
			t.Fatalf("%v / %v", r.clientErr, r.serverErr)
		}
	})
	t.Run("no ServerName", func(t *testing.T) {
		ccfg, _ := baseConfigs(t)
		ccfg.ServerName = ""
		cc, _ := tcpPair(t)
		err := Client(cc, ccfg).Handshake()
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "ServerName") {
			t.Fatalf("got %v", err)
		}
	})
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStallingPeer: a peer that says nothing, or closes mid-handshake, ends
// the handshake with an error within the deadline.
func TestStallingPeer(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	for _, side := range []string{"client", "server"} {
		for _, behaviour := range []string{"silent", "closes", "half a record"} {
			t.Run(side+"/"+behaviour, func(t *testing.T) {
				mine, peer := tcpPair(t)
				mine.SetDeadline(time.Now().Add(300 * time.Millisecond))
				go func() {
					switch behaviour {
					case "closes":
						if side == "client" {
							io.ReadAtLeast(peer, make([]byte, 1), 1)
						}
						peer.Close()
					case "half a record":
						peer.Write([]byte{22, 3, 3, 0, 100, 2, 0})
					}
				}()
				var c *Conn
				if side == "client" {
					c = Client(mine, ccfg)
				} else {
					c = Server(mine, scfg)
				}
				start := time.Now()
				err := c.Handshake()
				if err == nil {
					t.Fatal("handshake succeeded against a stalling peer")
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Fatalf("took %v", d)
				}
				var ne net.Error
				if behaviour != "closes" && !(errors.As(err, &ne) && ne.Timeout()) {
					t.Errorf("want a timeout, got %v", err)
				}
				var oe *net.OpError
				if behaviour == "closes" && !errors.Is(err, record.ErrTruncated) && !errors.As(err, &oe) {
					t.Errorf("want a truncation or transport error, got %v", err)
				}
				var he *Error
				if errors.As(err, &he) && he.Sent {
					t.Errorf("sent alert %v to a peer that is gone", he.Alert)
				}
			})
		}
	}
}

// TestContextCancel: HandshakeContext returns once its context ends.
func TestContextCancel(t *testing.T) {
	ccfg, _ := baseConfigs(t)
	mine, _ := tcpPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Client(mine, ccfg).HandshakeContext(ctx)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("too slow")
	}
}

// TestRenegotiationRefused: a HelloRequest to an established client and a
// ClientHello to an established server are answered with a
// no_renegotiation warning, and the connection goes on.
func TestRenegotiationRefused(t *testing.T) {
	for _, fromServer := range []bool{true, false} {
		name := "ClientHello to server"
		if fromServer {
			name = "HelloRequest to client"
		}
		t.Run(name, func(t *testing.T) {
			r, alerts := establishedWithAlerts(t)
			attacker, victim := r.client, r.server
			var msg []byte
			if fromServer {
				attacker, victim = r.server, r.client
				msg, _ = (&HelloRequest{}).Marshal()
			} else {
				ch := &ClientHello{Version: VersionTLS12, CipherSuites: []CipherSuite{0x009c}, CompressionMethods: []byte{0}}
				msg, _ = ch.Marshal()
			}
			if err := attacker.rec.WriteHandshake(msg); err != nil {
				t.Fatal(err)
			}
			if _, err := attacker.Write([]byte("after")); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 5)
			if _, err := io.ReadFull(victim, buf); err != nil || string(buf) != "after" {
				t.Fatalf("read after renegotiation attempt: %q %v", buf, err)
			}
			// The warning reaches the attacker, which ignores it and reads on.
			go victim.Write([]byte("still"))
			if _, err := io.ReadFull(attacker, buf); err != nil || string(buf) != "still" {
				t.Fatalf("attacker read: %q %v", buf, err)
			}
			if got := alerts(); len(got) != 1 || got[0] != record.NoRenegotiation {
				t.Errorf("alerts sent %v, want [no_renegotiation]", got)
			}
		})
	}
}

// TestCertificateBySNI: the server sends the first certificate whose leaf
// names the client's SNI host, not the first one nor a later match (here
// an expired one), and the first one when no leaf matches.
func TestCertificateBySNI(t *testing.T) {
	f := testFixture(t)
	other := caSignedLeaf(t, func(c *x509.Certificate) { c.DNSNames, c.IPAddresses = []string{"other.test"}, nil }) // ecdhe_test.go
	expired, err := X509KeyPair(readTestdata(t, "expired.pem"), f.keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sni, want string }{{"localhost", "localhost"}, {"other.test", "other.test"}, {"nomatch.test", "other.test"}} {
		ccfg, scfg := baseConfigs(t)
		ccfg.ServerName, ccfg.InsecureSkipVerify = c.sni, c.sni == "nomatch.test"
		scfg.Certificates = []Certificate{other, f.cert, expired}
		r := runPair(t, ccfg, scfg, 0, 0)
		if r.clientErr != nil || r.serverErr != nil {
			t.Errorf("SNI %s: client %v, server %v", c.sni, r.clientErr, r.serverErr)
			continue
		}
		if got := r.client.ConnectionState().PeerCertificates[0].DNSNames[0]; got != c.want {
			t.Errorf("SNI %s: got the certificate for %s, want %s", c.sni, got, c.want)
		}
	}
}
