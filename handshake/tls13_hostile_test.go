package handshake

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"minitls/record"
)

// configs13 returns a client and a server Config for TLS 1.3 tests
// (x25519 only, so no HelloRetryRequest unless a test asks for one).
func configs13(t *testing.T) (client, server *Config) {
	f := testFixture(t)
	return &Config{RootCAs: f.roots, ServerName: "localhost", Time: testTime, CurvePreferences: []CurveID{CurveX25519}},
		&Config{Certificates: []Certificate{f.cert}, Time: testTime}
}

// editMsg13 parses message i of a TLS 1.3 flight with the TLS 1.3 grammar,
// lets edit change it, and re-marshals it.
func editMsg13[M Message](t *testing.T, i int, edit func(M)) func([][]byte) [][]byte {
	return func(f [][]byte) [][]byte {
		m := newMessage13(HandshakeType(f[i][0]), 0)
		if err := m.Unmarshal(f[i]); err != nil {
			t.Errorf("editMsg13: %v", err)
			return f
		}
		edit(m.(M))
		b, err := m.Marshal()
		if err != nil {
			t.Errorf("editMsg13: %v", err)
			return f
		}
		f[i] = b
		return f
	}
}

// TestTLS13Hostile: every message of the TLS 1.3 handshake truncated,
// extended, reordered, duplicated or corrupted in flight, and the alert
// the detecting side sends for it. The server's flights are 0 (ServerHello)
// and 1 (EncryptedExtensions, Certificate, CertificateVerify, Finished); the
// client's are 0 (ClientHello) and 1 (Finished). The mangled messages are
// sent under the right keys, so it is the handshake layer that must catch
// them.
//
// spec: rfc8446#4, rfc8446#6.2
func TestTLS13Hostile(t *testing.T) {
	cases := []struct {
		name          string
		server        bool // the mangled flight is the server's
		flight        int
		op            func(t *testing.T) func([][]byte) [][]byte
		clientDetects bool
		want          record.AlertDescription
	}{
		{"ServerHello truncated", true, 0, func(*testing.T) func([][]byte) [][]byte { return truncateMsg(0) }, true, record.DecodeError},
		{"ServerHello trailing byte", true, 0, func(*testing.T) func([][]byte) [][]byte { return trailingMsg(0) }, true, record.DecodeError},
		{"ServerHello suite not offered", true, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ServerHello](t, 0, func(m *ServerHello) { m.CipherSuite = 0x1304 }) // TLS_AES_128_CCM_SHA256
		}, true, record.IllegalParameter},
		{"ServerHello session ID not echoed", true, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ServerHello](t, 0, func(m *ServerHello) { m.SessionID = nil })
		}, true, record.IllegalParameter},
		{"ServerHello key share in another group", true, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ServerHello](t, 0, func(m *ServerHello) {
				e, _ := NewExtension(ExtKeyShare, &KeyShareServerHello{Share: KeyShareEntry{Group: CurveP256, KeyExchange: make([]byte, 65)}})
				m.Extensions = setExt(m.Extensions, e)
			})
		}, true, record.IllegalParameter},
		{"ServerHello without key_share", true, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ServerHello](t, 0, func(m *ServerHello) { m.Extensions = dropExt(m.Extensions, ExtKeyShare) })
		}, true, record.MissingExtension},
		{"ServerHello selects TLS 1.4", true, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ServerHello](t, 0, func(m *ServerHello) {
				e, _ := NewExtension(ExtSupportedVersions, &SelectedVersion{Version: 0x0305})
				m.Extensions = setExt(m.Extensions, e)
			})
		}, true, record.IllegalParameter},
		{"ServerHello unsolicited extension", true, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ServerHello](t, 0, func(m *ServerHello) {
				m.Extensions = append(m.Extensions, Extension{Type: ExtEarlyData, Data: []byte{}})
			})
		}, true, record.UnsupportedExtension},
		{"ServerHello with ALPN (belongs in EncryptedExtensions)", true, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ServerHello](t, 0, func(m *ServerHello) {
				e, _ := NewExtension(ExtSignatureAlgorithms, &SignatureAlgorithms{Schemes: []SignatureScheme{PSSWithSHA256}})
				m.Extensions = append(m.Extensions, e)
			})
		}, true, record.IllegalParameter},
		{"EncryptedExtensions truncated", true, 1, func(*testing.T) func([][]byte) [][]byte { return truncateMsg(0) }, true, record.DecodeError},
		{"EncryptedExtensions with key_share", true, 1, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg13[*EncryptedExtensions](t, 0, func(m *EncryptedExtensions) {
				m.Extensions = append(m.Extensions, Extension{Type: ExtKeyShare, Data: []byte{0, 29, 0, 1, 0}})
			})
		}, true, record.IllegalParameter},
		{"EncryptedExtensions with early_data (not offered)", true, 1, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg13[*EncryptedExtensions](t, 0, func(m *EncryptedExtensions) {
				m.Extensions = append(m.Extensions, Extension{Type: ExtEarlyData, Data: []byte{}})
			})
		}, true, record.UnsupportedExtension},
		{"EncryptedExtensions duplicated", true, 1, func(*testing.T) func([][]byte) [][]byte { return duplicateMsg(0) }, true, record.UnexpectedMessage},
		{"Certificate before EncryptedExtensions", true, 1, func(*testing.T) func([][]byte) [][]byte { return swapMsgs(0, 1) }, true, record.UnexpectedMessage},
		{"Certificate with a request context", true, 1, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg13[*Certificate13](t, 1, func(m *Certificate13) { m.Context = []byte{1} })
		}, true, record.IllegalParameter},
		{"Certificate empty", true, 1, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg13[*Certificate13](t, 1, func(m *Certificate13) { m.Entries = nil })
		}, true, record.DecodeError},
		{"Certificate truncated", true, 1, func(*testing.T) func([][]byte) [][]byte { return truncateMsg(1) }, true, record.DecodeError},
		{"CertificateVerify missing", true, 1, func(*testing.T) func([][]byte) [][]byte {
			return func(f [][]byte) [][]byte { return append(f[:2:2], f[3]) }
		}, true, record.UnexpectedMessage},
		{"CertificateVerify signature corrupted", true, 1, func(*testing.T) func([][]byte) [][]byte { return flipByte(2, -1) }, true, record.DecryptError},
		{"CertificateVerify with PKCS#1 v1.5", true, 1, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg13[*CertificateVerify](t, 2, func(m *CertificateVerify) { m.Scheme = PKCS1WithSHA256 })
		}, true, record.IllegalParameter},
		{"server Finished corrupted", true, 1, func(*testing.T) func([][]byte) [][]byte { return flipByte(3, -1) }, true, record.DecryptError},
		{"server Finished truncated", true, 1, func(*testing.T) func([][]byte) [][]byte { return truncateMsg(3) }, true, record.DecodeError},
		{"server Finished duplicated", true, 1, func(*testing.T) func([][]byte) [][]byte { return duplicateMsg(3) }, true, record.UnexpectedMessage},
		{"client Finished corrupted", false, 1, func(*testing.T) func([][]byte) [][]byte { return flipByte(0, -1) }, false, record.DecryptError},
		{"client Finished extended", false, 1, func(*testing.T) func([][]byte) [][]byte { return trailingMsg(0) }, false, record.DecodeError},
		{"ClientHello compression methods [0 1]", false, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ClientHello](t, 0, func(m *ClientHello) { m.CompressionMethods = []uint8{0, 1} })
		}, false, record.IllegalParameter},
		{"ClientHello without key_share", false, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ClientHello](t, 0, func(m *ClientHello) { m.Extensions = dropExt(m.Extensions, ExtKeyShare) })
		}, false, record.MissingExtension},
		{"ClientHello without signature_algorithms", false, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ClientHello](t, 0, func(m *ClientHello) { m.Extensions = dropExt(m.Extensions, ExtSignatureAlgorithms) })
		}, false, record.MissingExtension},
		{"ClientHello with two shares in one group", false, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ClientHello](t, 0, func(m *ClientHello) {
				share := KeyShareEntry{Group: CurveX25519, KeyExchange: make([]byte, 32)}
				e, _ := NewExtension(ExtKeyShare, &KeyShareClientHello{Shares: []KeyShareEntry{share, share}})
				m.Extensions = setExt(m.Extensions, e)
			})
		}, false, record.IllegalParameter},
		{"ClientHello with a share outside supported_groups", false, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ClientHello](t, 0, func(m *ClientHello) {
				e, _ := NewExtension(ExtSupportedGroups, &SupportedGroups{Groups: []CurveID{CurveP256}})
				m.Extensions = setExt(m.Extensions, e)
			})
		}, false, record.IllegalParameter},
		{"ClientHello with an x25519 share of 31 bytes", false, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ClientHello](t, 0, func(m *ClientHello) {
				e, _ := NewExtension(ExtKeyShare, &KeyShareClientHello{Shares: []KeyShareEntry{{Group: CurveX25519, KeyExchange: make([]byte, 31)}}})
				m.Extensions = setExt(m.Extensions, e)
			})
		}, false, record.IllegalParameter},
		{"ClientHello pre_shared_key not last", false, 0, func(t *testing.T) func([][]byte) [][]byte {
			return editMsg[*ClientHello](t, 0, func(m *ClientHello) {
				psk, _ := NewExtension(ExtPreSharedKey, &OfferedPSKs{Identities: []PSKIdentity{{Identity: []byte("x")}}, Binders: [][]byte{make([]byte, 32)}})
				m.Extensions = append([]Extension{psk}, m.Extensions...)
			})
		}, false, record.IllegalParameter},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := configs13(t)
			hook := flightHook(c.flight, c.op(t))
			if c.server {
				scfg.testHookFlight = hook
			} else {
				ccfg.testHookFlight = hook
			}
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, c.clientDetects, c.want)
		})
	}
}

// TestTLS13DowngradeSentinel: a TLS 1.3 client that gets a TLS 1.2
// ServerHello whose random ends in DOWNGRD\x01 aborts with
// illegal_parameter; a TLS 1.3-capable server sets it when it negotiates
// 1.2 with a client that could do 1.3 (here the client disables it), and
// only then.
//
// spec: rfc8446#4.1.3
func TestTLS13DowngradeSentinel(t *testing.T) {
	t.Run("client detects", func(t *testing.T) {
		ccfg, scfg := configs13(t)
		scfg.MaxVersion = tls12
		scfg.testHookFlight = flightHook(0, editMsg[*ServerHello](t, 0, func(m *ServerHello) { copy(m.Random[24:], "DOWNGRD\x01") }))
		checkAlert(t, runPair(t, ccfg, scfg, 0, 0), true, record.IllegalParameter)
	})
	for _, server13 := range []bool{true, false} {
		ccfg, scfg := configs13(t)
		ccfg.MaxVersion = tls12
		if !server13 {
			scfg.MaxVersion = tls12
		}
		var random []byte
		scfg.Trace = func(e Event) {
			if m, ok := e.Message.(*ServerHello); ok && e.Sent {
				random = m.Random[:]
			}
		}
		r := runPair(t, ccfg, scfg, 0, 0)
		if r.clientErr != nil || r.serverErr != nil {
			t.Fatal(r.clientErr, r.serverErr)
		}
		if got := string(random[24:]) == "DOWNGRD\x01"; got != server13 {
			t.Errorf("server speaks 1.3: %v; sentinel in its 1.2 ServerHello: %v", server13, got)
		}
	}
}

// TestTLS13WrongBinder: a ClientHello whose PSK binder is off by one bit is
// decrypt_error, while the same session with its binder intact resumes.
//
// spec: rfc8446#4.2.11.2
func TestTLS13WrongBinder(t *testing.T) {
	ccfg, scfg := configs13(t)
	ccfg.ClientSessionCache = NewLRUClientSessionCache(2)
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatal(r.clientErr, r.serverErr)
	}
	go func() { _, _ = r.server.Write([]byte("x")) }() // the ticket arrives before it
	if _, err := r.client.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	r = runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || !r.client.ConnectionState().DidResume {
		t.Fatalf("the ticket does not resume: %v", r.clientErr)
	}
	ccfg.testEditClientHello = func(m *ClientHello) {
		e := m.Extensions[len(m.Extensions)-1]
		e.Data = append([]byte{}, e.Data...)
		e.Data[len(e.Data)-1] ^= 1
		m.Extensions[len(m.Extensions)-1] = e
	}
	checkAlert(t, runPair(t, ccfg, scfg, 0, 0), false, record.DecryptError)
}

// TestTLS13SecondHelloRetryRequest: a server that answers the second
// ClientHello with another HelloRetryRequest gets unexpected_message. The
// server is played by hand: it reads the ClientHello and sends a
// HelloRetryRequest for secp256r1 twice.
//
// spec: rfc8446#4.1.4
func TestTLS13SecondHelloRetryRequest(t *testing.T) {
	ccfg, _ := configs13(t)
	cc, sc := tcpPair(t)
	go func() {
		rec := record.NewConn(sc)
		for i := 0; i < 2; i++ {
			raw, err := rec.ReadHandshake()
			if err != nil {
				return
			}
			var ch ClientHello
			if ch.Unmarshal(raw) != nil {
				return
			}
			hrr := &ServerHello{Version: VersionTLS12, Random: helloRetryRequestRandom, SessionID: ch.SessionID, CipherSuite: TLS_AES_128_GCM_SHA256}
			sv, _ := NewExtension(ExtSupportedVersions, &SelectedVersion{Version: VersionTLS13})
			ks, _ := NewExtension(ExtKeyShare, &KeyShareHelloRetryRequest{SelectedGroup: CurveP256})
			hrr.Extensions = []Extension{sv, ks}
			b, _ := hrr.Marshal()
			if rec.WriteHandshake(b) != nil {
				return
			}
			if i == 0 {
				rec.SetCompatCCS(true) // the client's dummy ChangeCipherSpec comes before its second hello
			}
		}
		_, _ = io.Copy(io.Discard, sc)
	}()
	ccfg.CurvePreferences = []CurveID{CurveX25519, CurveP256}
	err := Client(cc, ccfg).Handshake()
	var he *Error
	if !errors.As(err, &he) || !he.Sent || he.Alert != record.UnexpectedMessage {
		t.Fatalf("got %v, want unexpected_message sent", err)
	}
}

// TestTLS13CCSAfterHandshake: the dummy ChangeCipherSpec is tolerated only
// until the peer's Finished; after the handshake a ChangeCipherSpec record is
// unexpected_message. Before, during the handshake, the client's dummy one
// (it always sends one) passes.
//
// spec: rfc8446#5 ("An implementation may receive an unencrypted record of
// type change_cipher_spec ... before the peer's Finished message has been
// received and MUST simply drop it"), rfc8446#D.4
func TestTLS13CCSAfterHandshake(t *testing.T) {
	ccfg, scfg := configs13(t)
	cc, sc := tcpPair(t)
	server := Server(sc, scfg)
	done := make(chan error, 1)
	go func() {
		if err := server.Handshake(); err != nil {
			done <- err
			return
		}
		_, err := server.Read(make([]byte, 1))
		done <- err
	}()
	if err := Client(cc, ccfg).Handshake(); err != nil {
		t.Fatal(err)
	}
	if _, err := cc.Write([]byte{20, 3, 3, 0, 1, 1}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var re *record.Error
		if !errors.As(err, &re) || re.Alert != record.UnexpectedMessage {
			t.Fatalf("server read: %v, want unexpected_message", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("server did not fail")
	}
}

// TestTLS13KeyUpdateIllegal: a KeyUpdate whose request_update is 2 is
// illegal_parameter.
//
// spec: rfc8446#4.6.3
func TestTLS13KeyUpdateIllegal(t *testing.T) {
	var m KeyUpdate
	err := m.Unmarshal([]byte{byte(TypeKeyUpdate), 0, 0, 1, 2})
	if d, _ := alertFor(err); d != record.IllegalParameter {
		t.Fatalf("request_update 2: %v (alert %v), want illegal_parameter", err, d)
	}
	for _, v := range []byte{0, 1} {
		if err := m.Unmarshal([]byte{byte(TypeKeyUpdate), 0, 0, 1, v}); err != nil || m.UpdateRequested != (v == 1) {
			t.Fatalf("request_update %d: %v", v, err)
		}
	}
}

var _ net.Conn = (*Conn)(nil)

// TestTLS13EarlyDataRefused: a ClientHello offering early_data (0-RTT) gets
// a normal 1-RTT handshake: the server's EncryptedExtensions carries no
// early_data, which is how a server refuses it, and its tickets carry no
// early_data extension either, so no client may try 0-RTT with them.
//
// spec: rfc8446#4.2.10 ("A server which receives an "early_data" extension
// MUST behave in one of three ways: Ignore the extension and return a
// regular 1-RTT response ...")
func TestTLS13EarlyDataRefused(t *testing.T) {
	ccfg, scfg := configs13(t)
	ccfg.ClientSessionCache = NewLRUClientSessionCache(1)
	ccfg.testEditClientHello = func(m *ClientHello) {
		m.Extensions = append([]Extension{{Type: ExtEarlyData, Data: []byte{}}}, m.Extensions...)
	}
	var ee *EncryptedExtensions
	var nst *NewSessionTicket13
	ccfg.Trace = func(e Event) {
		switch m := e.Message.(type) {
		case *EncryptedExtensions:
			ee = m
		case *NewSessionTicket13:
			nst = m
		}
	}
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatal(r.clientErr, r.serverErr)
	}
	go func() { _, _ = r.server.Write([]byte("x")) }()
	if _, err := r.client.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	if ee == nil || nst == nil {
		t.Fatal("no EncryptedExtensions or NewSessionTicket traced")
	}
	for _, exts := range [][]Extension{ee.Extensions, nst.Extensions} {
		if _, ok := findExtension(exts, ExtEarlyData); ok {
			t.Fatal("early_data accepted or allowed")
		}
	}
}
