package handshake

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// ignoreRaw compares messages by their fields only.
var ignoreRaw = cmp.Options{
	cmpopts.IgnoreFields(ClientHello{}, "Raw"),
	cmpopts.IgnoreFields(ServerHello{}, "Raw"),
	cmpopts.IgnoreFields(CertificateMessage{}, "Raw"),
	cmpopts.IgnoreFields(ClientKeyExchange{}, "Raw"),
	cmpopts.IgnoreFields(Finished{}, "Raw"),
	cmpopts.IgnoreFields(HelloRequest{}, "Raw"),
	cmpopts.IgnoreFields(ServerHelloDone{}, "Raw"),
	cmpopts.IgnoreFields(CertificateRequest{}, "Raw"),
	cmpopts.EquateEmpty(),
}

func genBytes(min, max int) *rapid.Generator[[]byte] {
	return rapid.SliceOfN(rapid.Byte(), min, max)
}

func genRandom(t *rapid.T) (r [32]byte) {
	copy(r[:], genBytes(32, 32).Draw(t, "random"))
	return r
}

// genExtensions draws a valid extension list for role: known extensions with
// well-formed bodies plus unknown ones, no duplicates, in random order.
func genExtensions(t *rapid.T, role helloRole) []Extension {
	if rapid.IntRange(0, 5).Draw(t, "noExtensions") == 0 {
		return nil
	}
	var exts []Extension
	add := func(typ ExtensionType, body extensionMarshaler) {
		e, err := NewExtension(typ, body)
		if err != nil {
			t.Fatalf("NewExtension(%v): %v", typ, err)
		}
		exts = append(exts, e)
	}
	alpnName := rapid.StringMatching(`[a-z0-9/.]{1,20}`)
	if rapid.Bool().Draw(t, "sni") {
		if role == roleClient {
			add(ExtServerName, &ServerNameList{HostName: rapid.StringMatching(`[a-z][a-z0-9.-]{0,40}[a-z]`).Draw(t, "host")})
		} else {
			add(ExtServerName, nil)
		}
	}
	if role == roleClient && rapid.Bool().Draw(t, "sigalgs") {
		n := rapid.IntRange(1, 20).Draw(t, "nsig")
		s := make([]SignatureScheme, n)
		for i := range s {
			s[i] = SignatureScheme(rapid.Uint16().Draw(t, "sig"))
		}
		add(ExtSignatureAlgorithms, &SignatureAlgorithms{Schemes: s})
	}
	if rapid.Bool().Draw(t, "alpn") {
		n := 1
		if role == roleClient {
			n = rapid.IntRange(1, 5).Draw(t, "nalpn")
		}
		p := make([]string, n)
		for i := range p {
			p[i] = alpnName.Draw(t, "proto")
		}
		add(ExtALPN, &ProtocolNameList{Protocols: p})
	}
	if rapid.Bool().Draw(t, "ems") {
		add(ExtExtendedMasterSecret, nil)
	}
	if rapid.Bool().Draw(t, "reneg") {
		add(ExtRenegotiationInfo, &RenegotiationInfo{RenegotiatedConnection: genBytes(0, 36).Draw(t, "rc")})
	}
	if rapid.Bool().Draw(t, "versions") {
		if role == roleClient {
			n := rapid.IntRange(1, 6).Draw(t, "nver")
			v := make([]ProtocolVersion, n)
			for i := range v {
				v[i] = ProtocolVersion(rapid.Uint16().Draw(t, "ver"))
			}
			add(ExtSupportedVersions, &SupportedVersions{Versions: v})
		} else {
			exts = append(exts, Extension{Type: ExtSupportedVersions, Data: []byte{3, 3}})
		}
	}
	// supported_groups from a client, ec_point_formats from both (rfc8422#5.1).
	if role == roleClient && rapid.Bool().Draw(t, "groups") {
		g := make([]CurveID, rapid.IntRange(1, 10).Draw(t, "ngroups"))
		for i := range g {
			g[i] = CurveID(rapid.Uint16().Draw(t, "group"))
		}
		add(ExtSupportedGroups, &SupportedGroups{Groups: g})
	}
	if rapid.Bool().Draw(t, "pointformats") {
		add(ExtECPointFormats, &ECPointFormats{Formats: genBytes(1, 4).Draw(t, "formats")})
	}
	known := map[ExtensionType]bool{ExtServerName: true, ExtSignatureAlgorithms: true, ExtSignatureAlgsCert: true, ExtALPN: true,
		ExtExtendedMasterSecret: true, ExtRenegotiationInfo: true, ExtSupportedVersions: true,
		ExtSupportedGroups: true, ExtECPointFormats: true}
	// session_ticket: a ticket from a client, empty from a server (rfc5077#3.2).
	known[ExtSessionTicket] = true
	if rapid.Bool().Draw(t, "ticket") {
		data := []byte{}
		if role == roleClient {
			data = genBytes(0, 200).Draw(t, "ticket")
		}
		exts = append(exts, Extension{Type: ExtSessionTicket, Data: data})
	}
	for i, n := 0, rapid.IntRange(0, 4).Draw(t, "nunknown"); i < n; i++ {
		typ := ExtensionType(rapid.Uint16().Draw(t, "utype"))
		if known[typ] {
			continue
		}
		known[typ] = true
		exts = append(exts, Extension{Type: typ, Data: genBytes(0, 40).Draw(t, "udata")})
	}
	perm := rapid.Permutation(exts).Draw(t, "order")
	if perm == nil {
		perm = []Extension{}
	}
	return perm
}

// genMessage draws a valid message of every type minitls implements.
func genMessage(t *rapid.T) Message {
	switch rapid.IntRange(0, 7).Draw(t, "type") {
	case 7:
		n := rapid.IntRange(1, 10).Draw(t, "nsig")
		s := make([]SignatureScheme, n)
		for i := range s {
			s[i] = SignatureScheme(rapid.Uint16().Draw(t, "sig"))
		}
		return &CertificateRequest{
			CertificateTypes:       genBytes(1, 5).Draw(t, "types"),
			SignatureAlgorithms:    s,
			CertificateAuthorities: rapid.SliceOfN(genBytes(1, 50), 0, 3).Draw(t, "cas"),
		}
	case 0:
		n := rapid.IntRange(1, 30).Draw(t, "nsuites")
		s := make([]CipherSuite, n)
		for i := range s {
			s[i] = CipherSuite(rapid.Uint16().Draw(t, "suite"))
		}
		return &ClientHello{
			Version:            ProtocolVersion(rapid.Uint16().Draw(t, "version")),
			Random:             genRandom(t),
			SessionID:          genBytes(0, 32).Draw(t, "sid"),
			CipherSuites:       s,
			CompressionMethods: genBytes(1, 4).Draw(t, "comp"),
			Extensions:         genExtensions(t, roleClient),
		}
	case 1:
		return &ServerHello{
			Version:           ProtocolVersion(rapid.Uint16().Draw(t, "version")),
			Random:            genRandom(t),
			SessionID:         genBytes(0, 32).Draw(t, "sid"),
			CipherSuite:       CipherSuite(rapid.Uint16().Draw(t, "suite")),
			CompressionMethod: rapid.Byte().Draw(t, "comp"),
			Extensions:        genExtensions(t, roleServer),
		}
	case 2:
		return &CertificateMessage{Certificates: rapid.SliceOfN(genBytes(1, 300), 0, 4).Draw(t, "certs")}
	case 3:
		return &ClientKeyExchange{EncryptedPreMasterSecret: genBytes(0, 300).Draw(t, "epms")}
	case 4:
		return &Finished{VerifyData: genBytes(12, 12).Draw(t, "vd")}
	case 5:
		return &HelloRequest{}
	default:
		return &ServerHelloDone{}
	}
}

// checkFields asserts that the non-empty fields of a message tile it
// exactly: every byte is explained once, in order.
func checkFields(t interface{ Fatalf(string, ...any) }, m Message, wire []byte) {
	fields := m.Fields()
	var nonEmpty []Field
	for _, f := range fields {
		if f.Length > 0 {
			nonEmpty = append(nonEmpty, f)
		}
	}
	sort.SliceStable(nonEmpty, func(i, j int) bool { return nonEmpty[i].Offset < nonEmpty[j].Offset })
	pos := 0
	for _, f := range nonEmpty {
		if f.Offset != pos {
			t.Fatalf("%T: field %q at offset %d, want %d (fields %v)", m, f.Name, f.Offset, pos, fields)
		}
		if f.Name == "" || f.Value == "" {
			t.Fatalf("%T: field at %d has empty name or value: %+v", m, f.Offset, f)
		}
		pos += f.Length
	}
	if pos != len(wire) {
		t.Fatalf("%T: fields explain %d of %d bytes", m, pos, len(wire))
	}
}

// TestMessageRoundTrip: for every message type, marshal → unmarshal gives the
// same fields back, the accepted bytes re-marshal identically, no proper
// prefix parses, one trailing byte is rejected, and Fields tiles the bytes.
func TestMessageRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genMessage(t)
		wire, err := m.Marshal()
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", m, err)
		}
		got := NewMessage(m.Type())
		if err := got.Unmarshal(wire); err != nil {
			t.Fatalf("Unmarshal(Marshal(%T)): %v\n%x", m, err, wire)
		}
		if d := cmp.Diff(m, got, ignoreRaw); d != "" {
			t.Fatalf("round trip changed the message (-want +got):\n%s", d)
		}
		again, err := got.Marshal()
		if err != nil || !bytes.Equal(again, wire) {
			t.Fatalf("re-marshal differs: err %v\n got %x\nwant %x", err, again, wire)
		}
		parsed, err := ParseMessage(wire)
		if err != nil || parsed.Type() != m.Type() {
			t.Fatalf("ParseMessage: %v, %v", parsed, err)
		}
		for i := 0; i < len(wire); i++ {
			if err := NewMessage(m.Type()).Unmarshal(wire[:i]); err == nil {
				t.Fatalf("%T: proper prefix of %d/%d bytes parsed", m, i, len(wire))
			}
		}
		if err := NewMessage(m.Type()).Unmarshal(append(append([]byte{}, wire...), 0)); err == nil {
			t.Fatalf("%T: trailing byte accepted", m)
		}
		checkFields(t, got, wire)
		checkFields(t, m, wire)
	})
}

// TestUnmarshalArbitraryFixedPoint: whatever bytes Unmarshal accepts
// re-marshal to exactly those bytes (the fuzz target's property, here with
// rapid's structured mutations of valid messages).
func TestUnmarshalArbitraryFixedPoint(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		wire, err := genMessage(t).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		for i, n := 0, rapid.IntRange(0, 4).Draw(t, "nflips"); i < n && len(wire) > 0; i++ {
			pos := rapid.IntRange(0, len(wire)-1).Draw(t, "pos")
			wire[pos] = rapid.Byte().Draw(t, "val")
		}
		m, err := ParseMessage(wire)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason == "" {
				t.Fatalf("error is not a *ParseError with a reason: %v", err)
			}
			return
		}
		again, err := m.Marshal()
		if err != nil || !bytes.Equal(again, wire) {
			t.Fatalf("accepted bytes re-marshal differently: %v\n got %x\nwant %x", err, again, wire)
		}
	})
}

func mustMarshal(t testing.TB, m Message) []byte {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDuplicateExtensionIsDecodeError(t *testing.T) {
	for _, typ := range []ExtensionType{ExtExtendedMasterSecret, ExtensionType(0x1234), ExtServerName} {
		data := []byte{}
		if typ == ExtServerName {
			data, _ = (&ServerNameList{HostName: "a.example"}).Marshal()
		}
		ch := &ClientHello{Version: VersionTLS12, CipherSuites: []CipherSuite{0x009c}, CompressionMethods: []byte{0},
			Extensions: []Extension{{typ, data}, {ExtALPN, []byte{0, 3, 2, 'h', '2'}}, {typ, data}}}
		err := new(ClientHello).Unmarshal(mustMarshal(t, ch))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Illegal {
			t.Fatalf("%v duplicated: got %v, want a decode_error ParseError", typ, err)
		}
	}
}

// TestExtensionBounds checks the RFC's vector bounds, one malformed body each.
func TestExtensionBounds(t *testing.T) {
	cases := []struct {
		name string
		typ  ExtensionType
		role helloRole
		data []byte
	}{
		{"sni empty list", ExtServerName, roleClient, []byte{0, 0}},
		{"sni empty name", ExtServerName, roleClient, []byte{0, 3, 0, 0, 0}},
		{"sni two names", ExtServerName, roleClient, []byte{0, 8, 0, 0, 1, 'a', 0, 0, 1, 'b'}},
		{"sni trailing dot", ExtServerName, roleClient, []byte{0, 5, 0, 0, 2, 'a', '.'}},
		{"sni in ServerHello not empty", ExtServerName, roleServer, []byte{0}},
		{"sigalgs empty", ExtSignatureAlgorithms, roleClient, []byte{0, 0}},
		{"sigalgs odd", ExtSignatureAlgorithms, roleClient, []byte{0, 3, 4, 1, 5}},
		{"alpn empty name", ExtALPN, roleClient, []byte{0, 2, 0, 0}},
		{"alpn two from server", ExtALPN, roleServer, []byte{0, 6, 2, 'h', '2', 2, 'h', '3'}},
		{"alpn list too short", ExtALPN, roleClient, []byte{0, 1, 0}},
		{"ems not empty", ExtExtendedMasterSecret, roleClient, []byte{0}},
		{"reneg inner length", ExtRenegotiationInfo, roleClient, []byte{1}},
		{"reneg trailing", ExtRenegotiationInfo, roleClient, []byte{0, 0}},
		{"versions odd", ExtSupportedVersions, roleClient, []byte{3, 3, 4, 3}},
		{"versions empty", ExtSupportedVersions, roleClient, []byte{0}},
		{"selected_version short", ExtSupportedVersions, roleServer, []byte{3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			exts := []Extension{{c.typ, c.data}}
			var err error
			if c.role == roleClient {
				err = new(ClientHello).Unmarshal(mustMarshal(t, &ClientHello{Version: VersionTLS12,
					CipherSuites: []CipherSuite{0x009c}, CompressionMethods: []byte{0}, Extensions: exts}))
			} else {
				err = new(ServerHello).Unmarshal(mustMarshal(t, &ServerHello{Version: VersionTLS12, Extensions: exts}))
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%x accepted (err %v)", c.data, err)
			}
			t.Log(err)
		})
	}
}

func TestMarshalRejectsOutOfBounds(t *testing.T) {
	bad := []Message{
		&ClientHello{CipherSuites: nil, CompressionMethods: []byte{0}},
		&ClientHello{CipherSuites: []CipherSuite{1}, CompressionMethods: nil},
		&ClientHello{CipherSuites: []CipherSuite{1}, CompressionMethods: []byte{0}, SessionID: make([]byte, 33)},
		&Finished{VerifyData: make([]byte, 11)},
		&CertificateMessage{Certificates: [][]byte{{}}},
	}
	for _, m := range bad {
		if b, err := m.Marshal(); err == nil {
			t.Errorf("%T %+v marshalled to %x", m, m, b)
		}
	}
	if _, err := (&ProtocolNameList{Protocols: []string{string(make([]byte, 256))}}).Marshal(); err == nil {
		t.Error("256-byte ALPN name marshalled")
	}
}

func TestEnumStrings(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{TypeClientHello.String(), "client_hello"},
		{HandshakeType(99).String(), "0x63"},
		{TLS_RSA_WITH_AES_128_GCM_SHA256.String(), "TLS_RSA_WITH_AES_128_GCM_SHA256"},
		{CipherSuite(0x1a1a).String(), "GREASE(0x1a1a)"},
		{CipherSuite(0x1234).String(), "0x1234"},
		{ExtRenegotiationInfo.String(), "renegotiation_info"},
		{ExtensionType(0xabcd).String(), "0xabcd"},
		{PKCS1WithSHA256.String(), "rsa_pkcs1_sha256"},
		{SignatureScheme(0x0102).String(), "0x0102"},
		{VersionTLS12.String(), "TLS 1.2"},
		{PhaseServerHelloDone.String(), "ServerHelloDone"},
		{Phase(200).String(), "Phase(200)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if !isGREASE(0xfafa) || isGREASE(0xfa0a) || isGREASE(0x0a1a) {
		t.Error("isGREASE wrong")
	}
}

// TestFieldsNameEveryByte spot-checks names and values on a known message.
func TestFieldsNameEveryByte(t *testing.T) {
	sh := &ServerHello{Version: VersionTLS12, CipherSuite: TLS_RSA_WITH_AES_128_GCM_SHA256,
		Extensions: []Extension{{ExtExtendedMasterSecret, []byte{}}}}
	wire := mustMarshal(t, sh)
	var got []string
	for _, f := range sh.Fields() {
		got = append(got, fmt.Sprintf("%d+%d %s=%s", f.Offset, f.Length, f.Name, f.Value))
	}
	want := []string{
		"0+1 msg_type=server_hello", "1+3 length=" + fmt.Sprint(len(wire)-4),
		"4+2 server_version=TLS 1.2", "6+32 random=" + fmt.Sprintf("%x", make([]byte, 32)),
		"38+1 session_id length=0", "39+0 session_id=",
		"39+2 cipher_suite=TLS_RSA_WITH_AES_128_GCM_SHA256", "41+1 compression_method=0",
		"42+2 extensions length=4", "44+2 extension_type=extended_master_secret", "46+2 extension_data length=0",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
}

// TestFieldsServerHelloWithClientOnlyExtension: an extension that only a
// ClientHello defines, inside a ServerHello, still has its bytes explained.
func TestFieldsServerHelloWithClientOnlyExtension(t *testing.T) {
	sh := &ServerHello{Version: VersionTLS12, Extensions: []Extension{{ExtSignatureAlgorithms, []byte{0, 2, 4, 1}}}}
	wire := mustMarshal(t, sh)
	var got ServerHello
	if err := got.Unmarshal(wire); err != nil {
		t.Fatal(err)
	}
	checkFields(t, &got, wire)
}
