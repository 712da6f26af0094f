package handshake

import (
	"bytes"
	"crypto/tls"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"minitls/record"
)

// captureClientHello runs a crypto/tls client against a listener that only
// reads, and returns the ClientHello bytes from the first record(s).
func captureClientHello(t *testing.T, cfg *tls.Config) []byte {
	t.Helper()
	cc, sc := net.Pipe()
	defer cc.Close()
	defer sc.Close()
	go tls.Client(cc, cfg).Handshake()
	sc.SetDeadline(time.Now().Add(5 * time.Second))
	rd := record.NewReader(sc)
	var msg []byte
	for {
		h, rec, err := rd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if h.Type != record.Handshake {
			t.Fatalf("record type %v", h.Type)
		}
		msg = append(msg, rec[record.HeaderLen:]...)
		if len(msg) >= 4 && len(msg) >= 4+int(msg[1])<<16|int(msg[2])<<8|int(msg[3]) {
			return msg
		}
	}
}

// TestParseStdClientHello: a real crypto/tls ClientHello (TLS 1.3 capable,
// with GREASE-free but many extensions) parses, re-marshals identically, and
// its Fields explain every byte.
func TestParseStdClientHello(t *testing.T) {
	raw := captureClientHello(t, &tls.Config{ServerName: "example.test", NextProtos: []string{"h2", "http/1.1"},
		CipherSuites: stdSuites()})
	var ch ClientHello
	if err := ch.Unmarshal(raw); err != nil {
		t.Fatalf("%v\n%x", err, raw)
	}
	again, err := ch.Marshal()
	if err != nil || !bytes.Equal(again, raw) {
		t.Fatalf("re-marshal differs: %v", err)
	}
	checkFields(t, &ch, raw)
	if ch.ServerName() != "example.test" {
		t.Errorf("SNI %q", ch.ServerName())
	}
	if !slices.Equal(ch.ALPNProtocols(), []string{"h2", "http/1.1"}) {
		t.Errorf("ALPN %q", ch.ALPNProtocols())
	}
	if !ch.ExtendedMasterSecret() {
		t.Error("crypto/tls always offers EMS")
	}
	if sig, _ := ch.SecureRenegotiation(); !sig {
		t.Error("crypto/tls signals secure renegotiation")
	}
	if v, ok := ch.SupportedVersions(); !ok || !slices.Contains(v, VersionTLS13) || !slices.Contains(v, VersionTLS12) {
		t.Errorf("supported_versions %v", v)
	}
	if s, ok := ch.SignatureSchemes(); !ok || !slices.Contains(s, PKCS1WithSHA256) {
		t.Errorf("signature_algorithms %v", s)
	}
	if !slices.Contains(ch.CipherSuites, TLS_RSA_WITH_AES_128_GCM_SHA256) {
		t.Errorf("suites %v", ch.CipherSuites)
	}
}

// TestStdTLS13Client: a crypto/tls client that prefers TLS 1.3 gets TLS 1.2
// from the minitls server (supported_versions understood, 1.2 chosen).
func TestStdTLS13Client(t *testing.T) {
	f := testFixture(t)
	cc, sc := tcpPair(t)
	client := tls.Client(cc, &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: stdSuites()})
	server := Server(sc, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}})
	errc := make(chan error, 1)
	go func() { errc <- client.Handshake() }()
	if err := server.Handshake(); err != nil {
		t.Fatal(err, <-errc)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if v := client.ConnectionState().Version; v != tls.VersionTLS12 {
		t.Fatalf("version %x", v)
	}
	exchange(t, server, client)
}

// TestServerTolerance: the server accepts what real clients send: GREASE
// suites, extensions and values, unknown signature algorithms and groups,
// TLS 1.3 extensions, a 32-byte session_id, a ClientHello of about 2 KB
// split over two records, no signature_algorithms at all, the SCSV instead
// of the extension; and it never echoes encrypt_then_mac or unknown
// extensions.
func TestServerTolerance(t *testing.T) {
	edits := map[string]func(*ClientHello){
		"GREASE, TLS 1.3 extensions, 2 KB, session id": func(m *ClientHello) {
			m.SessionID = bytes.Repeat([]byte{7}, 32)
			m.CipherSuites = append([]CipherSuite{0x2a2a, 0x1301, 0xc02f}, m.CipherSuites...)
			m.Extensions = append([]Extension{{0x3a3a, []byte{}}}, m.Extensions...)
			m.Extensions = setExt(m.Extensions, Extension{ExtSignatureAlgorithms, []byte{0, 8, 0x08, 0x04, 0xfe, 0xfe, 0x04, 0x01, 0x5a, 0x5a}})
			m.Extensions = append(m.Extensions,
				Extension{ExtSupportedGroups, []byte{0, 6, 0x4a, 0x4a, 0x00, 0x1d, 0x99, 0x99}},
				Extension{ExtKeyShare, append([]byte{0, 36, 0, 0x1d, 0, 32}, make([]byte, 32)...)},
				Extension{ExtSupportedVersions, []byte{6, 0x6a, 0x6a, 3, 4, 3, 3}},
				Extension{ExtPSKModes, []byte{1, 1}},
				Extension{ExtEncryptThenMAC, []byte{}},
				Extension{ExtSessionTicket, []byte{}},
				Extension{ExtStatusRequest, []byte{1, 0, 0, 0, 0}},
				Extension{ExtPadding, make([]byte, 1800)})
		},
		"no signature_algorithms": func(m *ClientHello) {
			m.Extensions = dropExt(m.Extensions, ExtSignatureAlgorithms)
		},
		"SCSV instead of renegotiation_info": func(m *ClientHello) {
			m.Extensions = dropExt(m.Extensions, ExtRenegotiationInfo)
			m.CipherSuites = append(m.CipherSuites, TLS_EMPTY_RENEGOTIATION_INFO_SCSV)
		},
		"no extensions at all": func(m *ClientHello) { m.Extensions = nil },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			ccfg.testEditClientHello = edit
			var mu sync.Mutex
			var sh *ServerHello
			var chLen int
			ccfg.Trace = func(e Event) {
				mu.Lock()
				defer mu.Unlock()
				if e.Kind == EventMessage && !e.Sent {
					if m, ok := e.Message.(*ServerHello); ok {
						sh = m
					}
				}
				if e.Kind == EventMessage && e.Sent && e.Message.Type() == TypeClientHello {
					chLen = len(e.Bytes)
				}
			}
			scfg.NextProtos = nil
			r := runPair(t, ccfg, scfg, 0, 0)
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("client %v / server %v", r.clientErr, r.serverErr)
			}
			mu.Lock()
			defer mu.Unlock()
			if sh == nil {
				t.Fatal("no ServerHello traced")
			}
			var types []ExtensionType
			for _, e := range sh.Extensions {
				types = append(types, e.Type)
			}
			if !slices.Contains(types, ExtRenegotiationInfo) && name != "no extensions at all" {
				t.Errorf("ServerHello lacks renegotiation_info: %v", types)
			}
			// session_ticket is answered (a ticket follows, RFC 5077 §3.2);
			// the others are never echoed.
			if asked := name == "GREASE, TLS 1.3 extensions, 2 KB, session id"; asked != slices.Contains(types, ExtSessionTicket) {
				t.Errorf("client asked for a ticket: %v; ServerHello extensions %v", asked, types)
			}
			for _, bad := range []ExtensionType{ExtEncryptThenMAC, ExtStatusRequest, ExtPadding, ExtSupportedVersions} {
				if slices.Contains(types, bad) {
					t.Errorf("ServerHello echoes %v", bad)
				}
			}
			if name == "GREASE, TLS 1.3 extensions, 2 KB, session id" && chLen < 2000 {
				t.Errorf("ClientHello only %d bytes", chLen)
			}
			if len(sh.SessionID) != 0 {
				t.Errorf("session id %x echoed; the server has no session cache, so it cannot know it", sh.SessionID)
			}
		})
	}
}

// TestOneByteRecords: the client's plaintext handshake messages delivered
// one byte per record still parse (reassembly is the record layer's job; the
// transcript hashes the reassembled bytes), and the handshake completes.
func TestOneByteRecords(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	cc, sc := tcpPair(t)
	splitter := &splitConn{Conn: cc}
	client := Client(splitter, ccfg)
	server := Server(sc, scfg)
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	if err := client.Handshake(); err != nil {
		t.Fatal(err, <-errc)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if splitter.records < 300 {
		t.Errorf("only %d one-byte records written", splitter.records)
	}
	exchange(t, client, server)
}

// splitConn rewrites the plaintext handshake records written through it
// (until the first ChangeCipherSpec) into one record per byte. Each Write
// of the record layer carries whole records.
type splitConn struct {
	net.Conn
	records   int
	protected bool
}

func (c *splitConn) Write(b []byte) (int, error) {
	var out []byte
	for rest := b; len(rest) >= 5; {
		n := int(rest[3])<<8 | int(rest[4])
		if len(rest) < 5+n {
			out = append(out, rest...)
			break
		}
		hdr, body := rest[:5], rest[5:5+n]
		if hdr[0] == 20 {
			c.protected = true
		}
		if hdr[0] == 22 && !c.protected {
			for _, x := range body {
				out = append(out, hdr[0], hdr[1], hdr[2], 0, 1, x)
				c.records++
			}
		} else {
			out = append(out, rest[:5+n]...)
		}
		rest = rest[5+n:]
	}
	if _, err := c.Conn.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}
