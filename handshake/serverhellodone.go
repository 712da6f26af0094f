package handshake

// ServerHelloDone ends the server's first flight: the client may now check
// the certificate and send its key exchange.
//
//	struct { } ServerHelloDone;
//
// spec: rfc5246#7.4.5
type ServerHelloDone struct {
	Raw []byte
}

// Type returns TypeServerHelloDone.
func (*ServerHelloDone) Type() HandshakeType { return TypeServerHelloDone }

// Marshal returns the 4-byte message.
func (m *ServerHelloDone) Marshal() ([]byte, error) {
	return marshalMessage(TypeServerHelloDone, func(*builder) {})
}

// Unmarshal parses the message; any body byte is an error.
func (m *ServerHelloDone) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	if err := parseMessage(raw, TypeServerHelloDone, "ServerHelloDone", nil, func(*reader) {}); err != nil {
		return err
	}
	m.Raw = raw
	return nil
}

// Fields lists the header fields.
func (m *ServerHelloDone) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error {
		return parseMessage(d, TypeServerHelloDone, "ServerHelloDone", rec, func(*reader) {})
	})
}
