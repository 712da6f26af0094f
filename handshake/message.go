package handshake

import "minitls/record"

// Message is implemented by every handshake message type. Marshal and
// Unmarshal work on whole messages including the 4-byte header; Fields
// explains every byte of the marshalled (or, for a received message, the
// received) bytes for the trace.
//
//	struct {
//	    HandshakeType msg_type;    /* handshake type */
//	    uint24 length;             /* bytes in message */
//	    select (HandshakeType) { ... } body;
//	} Handshake;
//
// spec: rfc5246#7.4
type Message interface {
	Type() HandshakeType
	Marshal() ([]byte, error)
	Unmarshal(data []byte) error
	Fields() []Field
}

// headerLen is the size of the msg_type + uint24 length header.
const headerLen = 4

// NewMessage returns an empty message of type t, or nil when minitls has no
// type for it. A client_key_exchange gets the RSA body (ClientKeyExchange);
// the ECDHE body is ECDHEClientKeyExchange, chosen by the negotiated suite.
// A server_key_exchange gets the ECDHE body, the only one minitls knows. A
// certificate_verify gets CertificateVerify, whose wire format TLS 1.2 and
// TLS 1.3 share (rfc5246#7.4.8, rfc8446#4.4.3).
//
// spec: rfc5246#7.4
func NewMessage(t HandshakeType) Message {
	switch t {
	case TypeHelloRequest:
		return new(HelloRequest)
	case TypeClientHello:
		return new(ClientHello)
	case TypeServerHello:
		return new(ServerHello)
	case TypeNewSessionTicket:
		return new(NewSessionTicket)
	case TypeCertificate:
		return new(CertificateMessage)
	case TypeCertificateRequest:
		return new(CertificateRequest)
	case TypeServerKeyExchange:
		return new(ServerKeyExchange)
	case TypeServerHelloDone:
		return new(ServerHelloDone)
	case TypeClientKeyExchange:
		return new(ClientKeyExchange)
	case TypeCertificateVerify:
		return new(CertificateVerify)
	case TypeFinished:
		return new(Finished)
	}
	return nil
}

// ParseMessage parses one whole handshake message of any type minitls knows.
//
// spec: rfc5246#7.4
func ParseMessage(data []byte) (Message, error) {
	if len(data) < headerLen {
		return nil, &ParseError{What: "handshake message", Reason: "shorter than its 4-byte header"}
	}
	m := NewMessage(HandshakeType(data[0]))
	if m == nil {
		return nil, &ParseError{What: "handshake message", Reason: "unknown or unsupported msg_type " + HandshakeType(data[0]).String()}
	}
	if err := m.Unmarshal(data); err != nil {
		return nil, err
	}
	return m, nil
}

// marshalMessage writes the header and the body written by body.
func marshalMessage(t HandshakeType, body func(*builder)) ([]byte, error) {
	b := builder{b: make([]byte, 0, 64)}
	b.u8(uint8(t))
	b.vector(3, 0, 1<<24-1, t.String(), body)
	return b.result()
}

// parseMessage checks the header of data (type t, a length that matches
// exactly and is within the bound of t's grammar) and runs body over a
// reader of exactly the body bytes. rec, when non-nil, collects the fields
// for the trace.
//
// The bound comes from the record layer's table (record.MaxHandshakeBody),
// the one place minitls derives it from the RFC's structs, so a message the
// record layer reassembles is never refused here for its size, nor the
// other way round. (The record layer also caps Certificate at
// record.DefaultMaxHandshakeSize before buffering it; that cap bounds
// memory, not the grammar, and is not repeated here.)
//
// spec: rfc5246#7.4
func parseMessage(data []byte, t HandshakeType, what string, rec *[]Field, body func(*reader)) error {
	r := newReader(data, what)
	r.rec = rec
	typ := HandshakeType(r.u8("msg_type"))
	r.note(typ)
	if !r.failed() && typ != t {
		r.fail("msg_type is %v, want %v", typ, t)
	}
	limit, _ := record.MaxHandshakeBody(uint8(t))
	b := r.sub(int(r.u24("length")), 0, limit, "body")
	if !r.failed() {
		body(b)
		b.finish(what)
	}
	return r.finish(what)
}

// fieldsOf parses raw (or m's marshalled bytes when raw is nil) with
// recording on. A message that cannot be marshalled has no fields.
func fieldsOf(raw []byte, m Message, parse func(data []byte, rec *[]Field) error) []Field {
	if raw == nil {
		var err error
		if raw, err = m.Marshal(); err != nil {
			return nil
		}
	}
	var f []Field
	if err := parse(raw, &f); err != nil {
		// A received message is only traced after it parsed, so this can
		// only happen for a message built in memory with invalid values;
		// the fields up to the failure still explain a prefix.
		return f
	}
	return f
}

// cloneBytes copies b so a message does not alias a caller's buffer; nil
// stays nil.
func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
