package handshake

import (
	"fmt"
	"strconv"
)

// Extension is one entry of a hello message's extension list, kept exactly as
// received so that a parsed hello re-marshals to the same bytes and unknown
// extensions pass through untouched.
//
//	struct {
//	    ExtensionType extension_type;
//	    opaque extension_data<0..2^16-1>;
//	} Extension;
//
// spec: rfc5246#7.4.1.4
type Extension struct {
	Type ExtensionType
	Data []byte
}

// helloRole says whose hello an extension list belongs to: the same
// extension type has different bodies in ClientHello and ServerHello
// (server_name is a list from the client and empty from the server).
type helloRole uint8

const (
	roleClient helloRole = iota
	roleServer
)

// parseExtensions reads the extensions<0..2^16-1> vector of a hello.
// Duplicates are a decode_error ("There MUST NOT be more than one extension
// of the same type", spec: rfc5246#7.4.1.4). The bodies of the extensions
// minitls understands are parsed here too, so a malformed body is rejected
// while reading the hello and never reaches the state machine.
//
// The block may hold up to 16383 (empty) extensions, so the loop allocates
// nothing per extension: the result is sized by a first count, duplicates
// are found in a bitmap of all 2^16 types on the stack, and each body is
// read through a reader held by value.
func parseExtensions(r *reader, role helloRole) []Extension {
	list := r.vector(2, 0, 1<<16-1, "extensions")
	exts := make([]Extension, 0, countExtensions(list.s[list.off:list.end]))
	var seen [1 << 16 / 64]uint64
	for !list.empty() {
		t := ExtensionType(list.u16("extension_type"))
		if list.rec != nil {
			list.note(t)
		}
		data := list.vectorValue(2, 0, 1<<16-1, "extension_data")
		if list.failed() {
			break
		}
		if word, bit := t/64, uint64(1)<<(t%64); seen[word]&bit != 0 {
			list.fail("duplicate extension %v", t)
			break
		} else {
			seen[word] |= bit
		}
		start := data.off
		parseExtensionBody(&data, t, role)
		if data.failed() {
			break
		}
		if !data.empty() {
			data.finish(t.String())
			break
		}
		exts = append(exts, Extension{Type: t, Data: r.s[start:data.end:data.end]})
	}
	return exts
}

// countExtensions counts the entries of an extensions block, stopping at
// the first that does not fit; parseExtensions then checks each.
func countExtensions(block []byte) int {
	n := 0
	for len(block) >= 4 {
		l := 4 + (int(block[2])<<8 | int(block[3]))
		if l > len(block) {
			break
		}
		block = block[l:]
		n++
	}
	return n
}

// parseExtensionBody checks the body of an extension minitls understands.
// Unknown types (GREASE, TLS 1.3 key_share, ...) are skipped: a server must
// ignore extensions it does not recognise (spec: rfc5246#7.4.1.4), and a
// client rejects unrequested ones later in its state machine.
func parseExtensionBody(r *reader, t ExtensionType, role helloRole) {
	switch t {
	case ExtServerName:
		if role == roleServer {
			// The server's server_name extension is empty: it only says
			// "I used your name". spec: rfc6066#3
			return
		}
		var l ServerNameList
		l.parse(r)
	case ExtSignatureAlgorithms, ExtSignatureAlgsCert:
		// signature_algorithms_cert has the same body. spec: rfc8446#4.2.3
		if role == roleClient {
			var s SignatureAlgorithms
			s.parse(r)
		} else if r.remaining() > 0 {
			// Not defined in a ServerHello; kept opaque like an unknown one
			// (the client then refuses it as unsolicited).
			r.bytes(r.remaining(), "extension_data")
		}
	case ExtALPN:
		var p ProtocolNameList
		p.parse(r)
		if role == roleServer && len(p.Protocols) != 1 && !r.failed() {
			// spec: rfc7301#3.1 "The "ProtocolNameList" MUST contain exactly
			// one "ProtocolName"" in the ServerHello.
			r.fail("ALPN: server selected %d protocols, want exactly 1", len(p.Protocols))
		}
	case ExtExtendedMasterSecret:
		// spec: rfc7627#5.1 "The "extension_data" field of this extension
		// SHALL be empty."
		if !r.empty() {
			r.fail("extended_master_secret: extension_data must be empty")
		}
	case ExtRenegotiationInfo:
		var ri RenegotiationInfo
		ri.parse(r)
	case ExtSessionTicket:
		// The client's is empty or a ticket (opaque, no length prefix);
		// the server's only promises a NewSessionTicket and is empty.
		// spec: rfc5077#3.2
		if role == roleServer && !r.empty() {
			r.fail("session_ticket: a server's extension_data must be empty")
		} else if r.remaining() > 0 {
			r.bytes(r.remaining(), "ticket")
		}
	case ExtSupportedGroups:
		if role == roleClient {
			var g SupportedGroups
			g.parse(r)
		} else if r.remaining() > 0 {
			// Not defined in a TLS 1.2 ServerHello (spec: rfc8422#5.2);
			// the client refuses it as unsolicited or ignores it.
			r.bytes(r.remaining(), "extension_data")
		}
	case ExtECPointFormats:
		// Same body from both sides. spec: rfc8422#5.1.2, rfc8422#5.2
		var p ECPointFormats
		p.parse(r)
	case ExtSupportedVersions:
		if role == roleClient {
			var sv SupportedVersions
			sv.parse(r)
		} else {
			// spec: rfc8446#4.2.1 selected_version
			v := ProtocolVersion(r.u16("selected_version"))
			r.note(v)
		}
	default:
		if r.remaining() > 0 {
			r.bytes(r.remaining(), "extension_data")
		}
	}
}

// marshalExtensions writes the extension block, or nothing when exts is nil
// (a hello without extensions ends after its compression methods).
func marshalExtensions(b *builder, exts []Extension) {
	if exts == nil {
		return
	}
	b.vector(2, 0, 1<<16-1, "extensions", func(b *builder) {
		for _, e := range exts {
			b.u16(uint16(e.Type))
			b.opaque(2, 0, 1<<16-1, "extension_data", e.Data)
		}
	})
}

// quoted prints a name field of the trace as a Go string literal.
type quoted []byte

// String returns the name as a quoted Go string.
func (q quoted) String() string { return strconv.Quote(string(q)) }

// label prints a fixed text for a field of the trace.
type label string

// String returns the fixed text.
func (l label) String() string { return string(l) }

// findExtension returns the body of the extension of type t.
func findExtension(exts []Extension, t ExtensionType) ([]byte, bool) {
	for _, e := range exts {
		if e.Type == t {
			return e.Data, true
		}
	}
	return nil, false
}

// ServerNameList is the body of a client's server_name extension (SNI).
//
//	struct {
//	    NameType name_type;
//	    select (name_type) {
//	        case host_name: HostName;
//	    } name;
//	} ServerName;
//	enum { host_name(0), (255) } NameType;
//	opaque HostName<1..2^16-1>;
//	struct {
//	    ServerName server_name_list<1..2^16-1>
//	} ServerNameList;
//
// Only host_name is defined. Entries of other name types are accepted and
// ignored, as RFC 6066 §3 provides for ("all future data structures
// associated with new NameTypes MUST begin with a 16-bit length field", so
// they can be skipped); they are kept in Others so that a parsed list
// marshals back to the bytes received. The list may hold one name of each
// type ("MUST NOT contain more than one name of the same name_type"): two
// host_names, or two entries of one other type, are decode_error.
//
// spec: rfc6066#3
type ServerNameList struct {
	// HostName is the DNS name (ASCII, no trailing dot), or "" when the
	// list holds entries of other types only.
	HostName string
	// Others are the entries of name types other than host_name, in wire
	// order.
	Others []ServerName
	// HostNameIndex is the position of the host_name entry among all the
	// entries of the list (0: first); 0 when Others is empty.
	HostNameIndex int
}

// ServerName is an entry of a server_name list whose name_type no RFC
// defines: its type and its name, read as the 16-bit-length vector every
// future name type begins with.
//
// spec: rfc6066#3
type ServerName struct {
	NameType uint8
	Name     []byte
}

// nameTypeHostName is NameType host_name(0). spec: rfc6066#3
const nameTypeHostName = 0

func (l *ServerNameList) parse(r *reader) {
	list := r.vector(2, 1, 1<<16-1, "server_name_list")
	var seen [256]bool
	for i := 0; !list.empty(); i++ {
		t := list.u8("name_type")
		if seen[t] {
			// spec: rfc6066#3 "The ServerNameList MUST NOT contain more
			// than one name of the same name_type."
			if t == nameTypeHostName {
				list.fail("server_name: more than one host_name")
			} else {
				list.fail("server_name: more than one name of name_type %d", t)
			}
			return
		}
		seen[t] = true
		if t != nameTypeHostName {
			list.note(label(fmt.Sprintf("unknown(%d), ignored", t)))
			name := list.opaque(2, 0, 1<<16-1, "name")
			if list.failed() {
				return
			}
			l.Others = append(l.Others, ServerName{NameType: t, Name: name})
			continue
		}
		list.note(label("host_name(0)"))
		if !l.parseHostName(list, r) {
			return
		}
		l.HostNameIndex = i
	}
	list.finish("server_name_list")
}

// parseHostName reads the HostName of a host_name entry from list into l;
// a name that is not a host name is illegal_parameter, reported on r.
func (l *ServerNameList) parseHostName(list, r *reader) bool {
	name := list.opaque(2, 1, 1<<16-1, "host_name")
	if list.failed() {
		return false
	}
	list.note(quoted(name))
	for _, c := range name {
		if c <= 0x20 || c >= 0x7f {
			r.failErr(&ParseError{What: "server_name", Reason: "host_name is not printable ASCII", Illegal: true})
			return false
		}
	}
	if name[len(name)-1] == '.' {
		// spec: rfc6066#3 "The hostname is represented ... without a trailing dot."
		r.failErr(&ParseError{What: "server_name", Reason: "host_name ends with a dot", Illegal: true})
		return false
	}
	l.HostName = string(name)
	return true
}

func (l *ServerNameList) marshal(b *builder) {
	if l.HostNameIndex < 0 || l.HostNameIndex > len(l.Others) || (l.HostName == "" && l.HostNameIndex != 0) {
		b.fail("server_name", fmt.Sprintf("HostNameIndex %d with %d other names", l.HostNameIndex, len(l.Others)))
		return
	}
	b.vector(2, 1, 1<<16-1, "server_name_list", func(b *builder) {
		for i := 0; i <= len(l.Others); i++ {
			if i == l.HostNameIndex && l.HostName != "" {
				b.u8(nameTypeHostName)
				b.opaque(2, 1, 1<<16-1, "host_name", []byte(l.HostName))
			}
			if i == len(l.Others) {
				break
			}
			o := l.Others[i]
			if o.NameType == nameTypeHostName {
				b.fail("server_name", "an entry of Others has name_type host_name; set HostName")
				return
			}
			b.u8(o.NameType)
			b.opaque(2, 0, 1<<16-1, "name", o.Name)
		}
	})
}

// Unmarshal parses an extension_data body.
func (l *ServerNameList) Unmarshal(data []byte) error {
	*l = ServerNameList{}
	r := newReader(data, "server_name")
	l.parse(r)
	return r.finish("server_name")
}

// Marshal returns the extension_data body.
func (l *ServerNameList) Marshal() ([]byte, error) {
	var b builder
	l.marshal(&b)
	return b.result()
}

// SignatureAlgorithms is the body of the signature_algorithms extension: the
// client's supported {hash, signature} pairs, most preferred first. With
// ECDHE_RSA the server signs its ServerKeyExchange with the first
// rsa_pss_rsae_sha256/384/512 in this list, else the first
// rsa_pkcs1_sha256/384/512 (neither: no ECDHE, see chooseSignatureScheme);
// with RSA key transport the server signs nothing in the handshake. OpenSSL's s_server refuses a ClientHello without it, so the
// minitls client always sends it.
//
//	SignatureAndHashAlgorithm
//	  supported_signature_algorithms<2..2^16-2>;
//
// spec: rfc5246#7.4.1.4.1
type SignatureAlgorithms struct {
	Schemes []SignatureScheme
}

func (s *SignatureAlgorithms) parse(r *reader) {
	list := r.vector(2, 2, 1<<16-2, "supported_signature_algorithms")
	if list.remaining()%2 != 0 {
		list.fail("supported_signature_algorithms: odd length %d", list.remaining())
		return
	}
	for !list.empty() {
		v := SignatureScheme(list.u16("signature_scheme"))
		if list.rec != nil { // boxing v for note costs an allocation per scheme
			list.note(v)
		}
		s.Schemes = append(s.Schemes, v)
	}
	list.finish("supported_signature_algorithms")
}

func (s *SignatureAlgorithms) marshal(b *builder) {
	b.vector(2, 2, 1<<16-2, "supported_signature_algorithms", func(b *builder) {
		for _, v := range s.Schemes {
			b.u16(uint16(v))
		}
	})
}

// Unmarshal parses an extension_data body.
func (s *SignatureAlgorithms) Unmarshal(data []byte) error {
	*s = SignatureAlgorithms{}
	r := newReader(data, "signature_algorithms")
	s.parse(r)
	return r.finish("signature_algorithms")
}

// Marshal returns the extension_data body.
func (s *SignatureAlgorithms) Marshal() ([]byte, error) {
	var b builder
	s.marshal(&b)
	return b.result()
}

// ProtocolNameList is the body of the ALPN extension: the client's
// protocols in preference order, or the one protocol the server chose.
//
//	opaque ProtocolName<1..2^8-1>;
//	struct {
//	    ProtocolName protocol_name_list<2..2^16-1>
//	} ProtocolNameList;
//
// spec: rfc7301#3.1
type ProtocolNameList struct {
	Protocols []string
}

func (p *ProtocolNameList) parse(r *reader) {
	list := r.vector(2, 2, 1<<16-1, "protocol_name_list")
	for !list.empty() {
		name := list.opaque(1, 1, 255, "protocol_name")
		if list.failed() {
			return
		}
		list.note(quoted(name))
		p.Protocols = append(p.Protocols, string(name))
	}
	list.finish("protocol_name_list")
}

func (p *ProtocolNameList) marshal(b *builder) {
	b.vector(2, 2, 1<<16-1, "protocol_name_list", func(b *builder) {
		for _, s := range p.Protocols {
			b.opaque(1, 1, 255, "protocol_name "+strconv.Quote(s), []byte(s))
		}
	})
}

// Unmarshal parses an extension_data body.
func (p *ProtocolNameList) Unmarshal(data []byte) error {
	*p = ProtocolNameList{}
	r := newReader(data, "application_layer_protocol_negotiation")
	p.parse(r)
	return r.finish("application_layer_protocol_negotiation")
}

// Marshal returns the extension_data body.
func (p *ProtocolNameList) Marshal() ([]byte, error) {
	var b builder
	p.marshal(&b)
	return b.result()
}

// RenegotiationInfo is the body of the renegotiation_info extension. On an
// initial handshake both sides send it empty; minitls never renegotiates, so
// it never sends verify_data here, and it treats a non-empty value on an
// initial handshake as handshake_failure (spec: rfc5746#3.4, #3.6).
//
//	struct {
//	    opaque renegotiated_connection<0..255>;
//	} RenegotiationInfo;
//
// spec: rfc5746#3.2
type RenegotiationInfo struct {
	RenegotiatedConnection []byte
}

func (ri *RenegotiationInfo) parse(r *reader) {
	ri.RenegotiatedConnection = r.opaque(1, 0, 255, "renegotiated_connection")
}

func (ri *RenegotiationInfo) marshal(b *builder) {
	b.opaque(1, 0, 255, "renegotiated_connection", ri.RenegotiatedConnection)
}

// Unmarshal parses an extension_data body.
func (ri *RenegotiationInfo) Unmarshal(data []byte) error {
	*ri = RenegotiationInfo{}
	r := newReader(data, "renegotiation_info")
	ri.parse(r)
	return r.finish("renegotiation_info")
}

// Marshal returns the extension_data body.
func (ri *RenegotiationInfo) Marshal() ([]byte, error) {
	var b builder
	ri.marshal(&b)
	return b.result()
}

// SupportedVersions is the body of a TLS 1.3 client's supported_versions
// extension. minitls speaks only TLS 1.2: when a client sends this list the
// server picks 1.2 if the list holds it and answers protocol_version if not;
// the ServerHello then carries 0x0303 in server_version and no
// supported_versions extension, as a TLS 1.2 server does.
//
//	struct {
//	    select (Handshake.msg_type) {
//	        case client_hello:
//	             ProtocolVersion versions<2..254>;
//	        case server_hello: /* and HelloRetryRequest */
//	             ProtocolVersion selected_version;
//	    };
//	} SupportedVersions;
//
// spec: rfc8446#4.2.1
type SupportedVersions struct {
	Versions []ProtocolVersion
}

func (sv *SupportedVersions) parse(r *reader) {
	list := r.vector(1, 2, 254, "versions")
	if list.remaining()%2 != 0 {
		list.fail("versions: odd length %d", list.remaining())
		return
	}
	for !list.empty() {
		v := ProtocolVersion(list.u16("version"))
		list.note(v)
		sv.Versions = append(sv.Versions, v)
	}
	list.finish("versions")
}

func (sv *SupportedVersions) marshal(b *builder) {
	b.vector(1, 2, 254, "versions", func(b *builder) {
		for _, v := range sv.Versions {
			b.u16(uint16(v))
		}
	})
}

// Unmarshal parses a ClientHello's extension_data body.
func (sv *SupportedVersions) Unmarshal(data []byte) error {
	*sv = SupportedVersions{}
	r := newReader(data, "supported_versions")
	sv.parse(r)
	return r.finish("supported_versions")
}

// Marshal returns the extension_data body.
func (sv *SupportedVersions) Marshal() ([]byte, error) {
	var b builder
	sv.marshal(&b)
	return b.result()
}

// extensionMarshaler is implemented by the typed extension bodies.
type extensionMarshaler interface {
	Marshal() ([]byte, error)
}

// NewExtension marshals a typed body into an Extension of type t.
//
// spec: rfc5246#7.4.1.4
func NewExtension(t ExtensionType, body extensionMarshaler) (Extension, error) {
	if body == nil {
		return Extension{Type: t, Data: []byte{}}, nil
	}
	data, err := body.Marshal()
	if err != nil {
		return Extension{}, err
	}
	return Extension{Type: t, Data: data}, nil
}
