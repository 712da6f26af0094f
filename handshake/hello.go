package handshake

// ClientHello opens every handshake: the client's best version, its random
// nonce, a session to resume (minitls never resumes), the cipher suites and
// compression methods it accepts, and extensions.
//
//	struct {
//	    ProtocolVersion client_version;
//	    Random random;
//	    SessionID session_id;
//	    CipherSuite cipher_suites<2..2^16-2>;
//	    CompressionMethod compression_methods<1..2^8-1>;
//	    select (extensions_present) {
//	        case false:
//	            struct {};
//	        case true:
//	            Extension extensions<0..2^16-1>;
//	    };
//	} ClientHello;
//
//	opaque SessionID<0..32>;
//
// spec: rfc5246#7.4.1.2
type ClientHello struct {
	// Raw holds the message exactly as received (header included); the
	// transcript hashes these bytes. Nil for a message built locally.
	Raw                []byte
	Version            ProtocolVersion
	Random             [32]byte
	SessionID          []byte
	CipherSuites       []CipherSuite
	CompressionMethods []uint8
	// Extensions in wire order; nil when the hello has no extension block,
	// non-nil and empty when it has an empty one.
	Extensions []Extension
}

// Type returns TypeClientHello.
func (*ClientHello) Type() HandshakeType { return TypeClientHello }

// Marshal serializes the message from its fields (Raw is ignored).
func (m *ClientHello) Marshal() ([]byte, error) {
	return marshalMessage(TypeClientHello, func(b *builder) {
		b.u16(uint16(m.Version))
		b.bytes(m.Random[:])
		b.opaque(1, 0, 32, "session_id", m.SessionID)
		b.vector(2, 2, 1<<16-2, "cipher_suites", func(b *builder) {
			for _, s := range m.CipherSuites {
				b.u16(uint16(s))
			}
		})
		b.opaque(1, 1, 255, "compression_methods", m.CompressionMethods)
		marshalExtensions(b, m.Extensions)
	})
}

// Unmarshal parses a whole ClientHello; m.Raw keeps a copy of data.
func (m *ClientHello) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n ClientHello
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *ClientHello) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n ClientHello; return n.parse(d, rec) })
}

func (m *ClientHello) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeClientHello, "ClientHello", rec, func(r *reader) {
		m.Version = ProtocolVersion(r.u16("client_version"))
		r.note(m.Version)
		copy(m.Random[:], r.bytes(32, "random"))
		m.SessionID = r.opaque(1, 0, 32, "session_id")
		suites := r.vector(2, 2, 1<<16-2, "cipher_suites")
		if suites.remaining()%2 != 0 {
			suites.fail("cipher_suites: odd length %d", suites.remaining())
		}
		m.CipherSuites = make([]CipherSuite, 0, suites.remaining()/2)
		for !suites.empty() {
			s := CipherSuite(suites.u16("cipher_suite"))
			if suites.rec != nil { // boxing s for note costs an allocation per suite
				suites.note(s)
			}
			m.CipherSuites = append(m.CipherSuites, s)
		}
		m.CompressionMethods = r.opaque(1, 1, 255, "compression_methods")
		if !r.empty() {
			m.Extensions = parseExtensions(r, roleClient)
		}
	})
}

// extension returns the body of the extension of type t, if present.
func (m *ClientHello) extension(t ExtensionType) ([]byte, bool) {
	return findExtension(m.Extensions, t)
}

// ServerName returns the SNI host name, or "" when the client sent none.
// spec: rfc6066#3
func (m *ClientHello) ServerName() string {
	data, ok := m.extension(ExtServerName)
	if !ok {
		return ""
	}
	var l ServerNameList
	if l.Unmarshal(data) != nil {
		return ""
	}
	return l.HostName
}

// ALPNProtocols returns the client's ALPN list (nil when absent).
// spec: rfc7301#3.1
func (m *ClientHello) ALPNProtocols() []string {
	data, ok := m.extension(ExtALPN)
	if !ok {
		return nil
	}
	var p ProtocolNameList
	if p.Unmarshal(data) != nil {
		return nil
	}
	return p.Protocols
}

// SignatureSchemes returns the signature_algorithms list and whether the
// extension was present.
// spec: rfc5246#7.4.1.4.1
func (m *ClientHello) SignatureSchemes() ([]SignatureScheme, bool) {
	data, ok := m.extension(ExtSignatureAlgorithms)
	if !ok {
		return nil, false
	}
	var s SignatureAlgorithms
	if s.Unmarshal(data) != nil {
		return nil, false
	}
	return s.Schemes, true
}

// ExtendedMasterSecret reports whether the client offered RFC 7627.
// spec: rfc7627#5.1
func (m *ClientHello) ExtendedMasterSecret() bool {
	_, ok := m.extension(ExtExtendedMasterSecret)
	return ok
}

// SecureRenegotiation reports whether the client signalled RFC 5746 support,
// by the renegotiation_info extension or by the SCSV in cipher_suites, and
// returns renegotiated_connection from the extension (empty on an initial
// handshake).
// spec: rfc5746#3.3, rfc5746#3.6
func (m *ClientHello) SecureRenegotiation() (signalled bool, renegotiatedConnection []byte) {
	if data, ok := m.extension(ExtRenegotiationInfo); ok {
		var ri RenegotiationInfo
		if ri.Unmarshal(data) == nil {
			signalled = true
			renegotiatedConnection = ri.RenegotiatedConnection
		}
	}
	for _, s := range m.CipherSuites {
		if s == TLS_EMPTY_RENEGOTIATION_INFO_SCSV {
			signalled = true
		}
	}
	return signalled, renegotiatedConnection
}

// SupportedVersions returns a TLS 1.3 client's supported_versions list and
// whether it was present.
// spec: rfc8446#4.2.1
func (m *ClientHello) SupportedVersions() ([]ProtocolVersion, bool) {
	data, ok := m.extension(ExtSupportedVersions)
	if !ok {
		return nil, false
	}
	var sv SupportedVersions
	if sv.Unmarshal(data) != nil {
		return nil, false
	}
	return sv.Versions, true
}

// ServerHello answers the ClientHello with the server's choices.
//
//	struct {
//	    ProtocolVersion server_version;
//	    Random random;
//	    SessionID session_id;
//	    CipherSuite cipher_suite;
//	    CompressionMethod compression_method;
//	    select (extensions_present) {
//	        case false:
//	            struct {};
//	        case true:
//	            Extension extensions<0..2^16-1>;
//	    };
//	} ServerHello;
//
// spec: rfc5246#7.4.1.3
type ServerHello struct {
	Raw               []byte // as received; nil when built locally
	Version           ProtocolVersion
	Random            [32]byte
	SessionID         []byte
	CipherSuite       CipherSuite
	CompressionMethod uint8
	Extensions        []Extension // nil: no extension block
}

// Type returns TypeServerHello.
func (*ServerHello) Type() HandshakeType { return TypeServerHello }

// Marshal serializes the message from its fields (Raw is ignored).
func (m *ServerHello) Marshal() ([]byte, error) {
	return marshalMessage(TypeServerHello, func(b *builder) {
		b.u16(uint16(m.Version))
		b.bytes(m.Random[:])
		b.opaque(1, 0, 32, "session_id", m.SessionID)
		b.u16(uint16(m.CipherSuite))
		b.u8(m.CompressionMethod)
		marshalExtensions(b, m.Extensions)
	})
}

// Unmarshal parses a whole ServerHello; m.Raw keeps a copy of data.
func (m *ServerHello) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n ServerHello
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *ServerHello) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n ServerHello; return n.parse(d, rec) })
}

func (m *ServerHello) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeServerHello, "ServerHello", rec, func(r *reader) {
		m.Version = ProtocolVersion(r.u16("server_version"))
		r.note(m.Version)
		copy(m.Random[:], r.bytes(32, "random"))
		m.SessionID = r.opaque(1, 0, 32, "session_id")
		m.CipherSuite = CipherSuite(r.u16("cipher_suite"))
		r.note(m.CipherSuite)
		m.CompressionMethod = r.u8("compression_method")
		if !r.empty() {
			m.Extensions = parseExtensions(r, roleServer)
		}
	})
}

// HelloRequest asks the client to start a new handshake. minitls never sends
// it and, as a client, answers it with a no_renegotiation warning.
//
//	struct { } HelloRequest;
//
// spec: rfc5246#7.4.1.1
type HelloRequest struct {
	Raw []byte
}

// Type returns TypeHelloRequest.
func (*HelloRequest) Type() HandshakeType { return TypeHelloRequest }

// Marshal returns the 4-byte message.
func (m *HelloRequest) Marshal() ([]byte, error) {
	return marshalMessage(TypeHelloRequest, func(*builder) {})
}

// Unmarshal parses the message; any body byte is an error.
func (m *HelloRequest) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	if err := parseMessage(raw, TypeHelloRequest, "HelloRequest", nil, func(*reader) {}); err != nil {
		return err
	}
	m.Raw = raw
	return nil
}

// Fields lists the header fields.
func (m *HelloRequest) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error {
		return parseMessage(d, TypeHelloRequest, "HelloRequest", rec, func(*reader) {})
	})
}
