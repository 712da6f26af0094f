package handshake

import (
	"minitls/record"
)

// The handshake messages TLS 1.3 adds or changes. ClientHello and ServerHello
// keep their TLS 1.2 wire format (hello.go): TLS 1.3 moved everything new
// into extensions (extensions13.go), so the hellos still parse as TLS 1.2
// hellos and an old server can answer a new client. Everything after the
// ServerHello is encrypted.
//
// spec: rfc8446#4

// The TLS 1.3 handshake types that TLS 1.2 does not have.
//
// spec: rfc8446#4
const (
	TypeEncryptedExtensions HandshakeType = 8
	TypeKeyUpdate           HandshakeType = 24
	// typeMessageHash is never sent: it stands for ClientHello1 in the
	// transcript after a HelloRetryRequest (rfc8446#4.4.1).
	typeMessageHash HandshakeType = 254
)

func init() {
	handshakeTypeNames[TypeEncryptedExtensions] = "encrypted_extensions"
	handshakeTypeNames[TypeKeyUpdate] = "key_update"
	handshakeTypeNames[typeMessageHash] = "message_hash"
}

// parseMessage13 is parseMessage for TLS 1.3, with the bound of
// record.MaxHandshakeBody13.
//
// spec: rfc8446#4
func parseMessage13(data []byte, t HandshakeType, what string, rec *[]Field, body func(*reader)) error {
	r := newReader(data, what)
	r.rec = rec
	typ := HandshakeType(r.u8("msg_type"))
	r.note(typ)
	if !r.failed() && typ != t {
		r.fail("msg_type is %v, want %v", typ, t)
	}
	limit, _ := record.MaxHandshakeBody13(uint8(t))
	b := r.sub(int(r.u24("length")), 0, limit, "body")
	if !r.failed() {
		body(b)
		b.finish(what)
	}
	return r.finish(what)
}

// EncryptedExtensions carries the server's answers to the client's
// extensions that do not set up keys (ALPN, server_name, ...): the first
// message under the handshake keys, so that an observer no longer sees them.
//
//	struct {
//	    Extension extensions<0..2^16-1>;
//	} EncryptedExtensions;
//
// spec: rfc8446#4.3.1
type EncryptedExtensions struct {
	Raw        []byte // as received; nil when built locally
	Extensions []Extension
}

// Type returns TypeEncryptedExtensions.
func (*EncryptedExtensions) Type() HandshakeType { return TypeEncryptedExtensions }

// Marshal serializes the message.
func (m *EncryptedExtensions) Marshal() ([]byte, error) {
	return marshalMessage(TypeEncryptedExtensions, func(b *builder) {
		exts := m.Extensions
		if exts == nil {
			exts = []Extension{}
		}
		marshalExtensions(b, exts)
	})
}

// Unmarshal parses a whole EncryptedExtensions; m.Raw keeps a copy of data.
func (m *EncryptedExtensions) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n EncryptedExtensions
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *EncryptedExtensions) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n EncryptedExtensions; return n.parse(d, rec) })
}

func (m *EncryptedExtensions) parse(data []byte, rec *[]Field) error {
	return parseMessage13(data, TypeEncryptedExtensions, "EncryptedExtensions", rec, func(r *reader) {
		m.Extensions = parseExtensions(r, roleServer)
	})
}

// CertificateEntry is one certificate of a TLS 1.3 Certificate message, with
// its own extensions (OCSP status, SCTs; minitls sends none and ignores
// those it receives).
//
//	struct {
//	    opaque cert_data<1..2^24-1>;
//	    Extension extensions<0..2^16-1>;
//	} CertificateEntry;
//
// spec: rfc8446#4.4.2
type CertificateEntry struct {
	Data       []byte
	Extensions []Extension
}

// Certificate13 is TLS 1.3's Certificate message: a request context (empty
// in the handshake) and the chain, leaf first, each entry with extensions.
//
//	struct {
//	    opaque certificate_request_context<0..2^8-1>;
//	    CertificateEntry certificate_list<0..2^24-1>;
//	} Certificate;
//
// spec: rfc8446#4.4.2
type Certificate13 struct {
	Raw     []byte // as received; nil when built locally
	Context []byte
	Entries []CertificateEntry
}

// Type returns TypeCertificate.
func (*Certificate13) Type() HandshakeType { return TypeCertificate }

// Marshal serializes the message.
func (m *Certificate13) Marshal() ([]byte, error) {
	return marshalMessage(TypeCertificate, func(b *builder) {
		b.opaque(1, 0, 255, "certificate_request_context", m.Context)
		b.vector(3, 0, 1<<24-1, "certificate_list", func(b *builder) {
			for _, e := range m.Entries {
				b.opaque(3, 1, 1<<24-1, "cert_data", e.Data)
				exts := e.Extensions
				if exts == nil {
					exts = []Extension{}
				}
				marshalExtensions(b, exts)
			}
		})
	})
}

// Unmarshal parses a whole Certificate; m.Raw keeps a copy of data.
func (m *Certificate13) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n Certificate13
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *Certificate13) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n Certificate13; return n.parse(d, rec) })
}

func (m *Certificate13) parse(data []byte, rec *[]Field) error {
	return parseMessage13(data, TypeCertificate, "Certificate", rec, func(r *reader) {
		m.Context = r.opaque(1, 0, 255, "certificate_request_context")
		list := r.vector(3, 0, 1<<24-1, "certificate_list")
		m.Entries = []CertificateEntry{}
		for !list.empty() && !list.failed() {
			var e CertificateEntry
			e.Data = list.opaque(3, 1, 1<<24-1, "cert_data")
			exts := list.vector(2, 0, 1<<16-1, "extensions")
			e.Extensions = []Extension{}
			for !exts.empty() && !exts.failed() {
				t := ExtensionType(exts.u16("extension_type"))
				exts.note(t)
				e.Extensions = append(e.Extensions, Extension{Type: t, Data: exts.opaque(2, 0, 1<<16-1, "extension_data")})
			}
			m.Entries = append(m.Entries, e)
		}
	})
}

// certificates returns the chain's DER certificates, leaf first.
func (m *Certificate13) certificates() [][]byte {
	out := make([][]byte, len(m.Entries))
	for i, e := range m.Entries {
		out[i] = e.Data
	}
	return out
}

// CertificateVerify proves that the sender holds the private key of its
// certificate: a signature over the transcript so far (see
// signedContent13).
//
//	struct {
//	    SignatureScheme algorithm;
//	    opaque signature<0..2^16-1>;
//	} CertificateVerify;
//
// spec: rfc8446#4.4.3
type CertificateVerify struct {
	Raw       []byte // as received; nil when built locally
	Scheme    SignatureScheme
	Signature []byte
}

// Type returns TypeCertificateVerify.
func (*CertificateVerify) Type() HandshakeType { return TypeCertificateVerify }

// Marshal serializes the message.
func (m *CertificateVerify) Marshal() ([]byte, error) {
	return marshalMessage(TypeCertificateVerify, func(b *builder) {
		b.u16(uint16(m.Scheme))
		b.opaque(2, 0, 1<<16-1, "signature", m.Signature)
	})
}

// Unmarshal parses a whole CertificateVerify; m.Raw keeps a copy of data.
func (m *CertificateVerify) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n CertificateVerify
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *CertificateVerify) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n CertificateVerify; return n.parse(d, rec) })
}

func (m *CertificateVerify) parse(data []byte, rec *[]Field) error {
	return parseMessage13(data, TypeCertificateVerify, "CertificateVerify", rec, func(r *reader) {
		m.Scheme = SignatureScheme(r.u16("algorithm"))
		r.note(m.Scheme)
		m.Signature = r.opaque(2, 0, 1<<16-1, "signature")
	})
}

// Finished13 is TLS 1.3's Finished: an HMAC of the transcript, as long as
// the suite's hash (32 or 48 bytes), where TLS 1.2's is always 12.
//
//	struct {
//	    opaque verify_data[Hash.length];
//	} Finished;
//
// spec: rfc8446#4.4.4
type Finished13 struct {
	Raw        []byte // as received; nil when built locally
	VerifyData []byte
	// HashLen is the length verify_data must have; set it before Unmarshal
	// (0: 32 or 48 both accepted).
	HashLen int
}

// Type returns TypeFinished.
func (*Finished13) Type() HandshakeType { return TypeFinished }

// Marshal serializes the message.
func (m *Finished13) Marshal() ([]byte, error) {
	return marshalMessage(TypeFinished, func(b *builder) { b.bytes(m.VerifyData) })
}

// Unmarshal parses a whole Finished; a verify_data of the wrong length is a
// decode_error.
func (m *Finished13) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	n := Finished13{HashLen: m.HashLen}
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *Finished13) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { n := Finished13{HashLen: m.HashLen}; return n.parse(d, rec) })
}

func (m *Finished13) parse(data []byte, rec *[]Field) error {
	return parseMessage13(data, TypeFinished, "Finished", rec, func(r *reader) {
		n := r.remaining()
		if (m.HashLen != 0 && n != m.HashLen) || (m.HashLen == 0 && n != 32 && n != 48) {
			r.fail("verify_data: %d bytes, want the hash length %d", n, m.HashLen)
			return
		}
		m.VerifyData = r.bytes(n, "verify_data")
	})
}

// NewSessionTicket13 is TLS 1.3's NewSessionTicket, sent after the
// handshake: a ticket (opaque to the client) with its lifetime, the value
// that hides the ticket's age, and the nonce from which client and server
// derive the ticket's PSK.
//
//	struct {
//	    uint32 ticket_lifetime;
//	    uint32 ticket_age_add;
//	    opaque ticket_nonce<0..255>;
//	    opaque ticket<1..2^16-1>;
//	    Extension extensions<0..2^16-2>;
//	} NewSessionTicket;
//
// spec: rfc8446#4.6.1
type NewSessionTicket13 struct {
	Raw        []byte // as received; nil when built locally
	Lifetime   uint32 // seconds, at most 604800 (7 days)
	AgeAdd     uint32
	Nonce      []byte
	Ticket     []byte
	Extensions []Extension
}

// Type returns TypeNewSessionTicket.
func (*NewSessionTicket13) Type() HandshakeType { return TypeNewSessionTicket }

// Marshal serializes the message.
func (m *NewSessionTicket13) Marshal() ([]byte, error) {
	return marshalMessage(TypeNewSessionTicket, func(b *builder) {
		b.u32(m.Lifetime)
		b.u32(m.AgeAdd)
		b.opaque(1, 0, 255, "ticket_nonce", m.Nonce)
		b.opaque(2, 1, 1<<16-1, "ticket", m.Ticket)
		exts := m.Extensions
		if exts == nil {
			exts = []Extension{}
		}
		marshalExtensions(b, exts)
	})
}

// Unmarshal parses a whole NewSessionTicket; m.Raw keeps a copy of data.
func (m *NewSessionTicket13) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n NewSessionTicket13
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *NewSessionTicket13) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n NewSessionTicket13; return n.parse(d, rec) })
}

func (m *NewSessionTicket13) parse(data []byte, rec *[]Field) error {
	return parseMessage13(data, TypeNewSessionTicket, "NewSessionTicket", rec, func(r *reader) {
		m.Lifetime = r.u32("ticket_lifetime")
		m.AgeAdd = r.u32("ticket_age_add")
		m.Nonce = r.opaque(1, 0, 255, "ticket_nonce")
		m.Ticket = r.opaque(2, 1, 1<<16-1, "ticket")
		list := r.vector(2, 0, 1<<16-2, "extensions")
		m.Extensions = []Extension{}
		for !list.empty() && !list.failed() {
			t := ExtensionType(list.u16("extension_type"))
			list.note(t)
			m.Extensions = append(m.Extensions, Extension{Type: t, Data: list.opaque(2, 0, 1<<16-1, "extension_data")})
		}
	})
}

// KeyUpdate says that the sender now encrypts under its next traffic
// secret, and whether the receiver should update its own too.
//
//	enum { update_not_requested(0), update_requested(1), (255) } KeyUpdateRequest;
//	struct {
//	    KeyUpdateRequest request_update;
//	} KeyUpdate;
//
// spec: rfc8446#4.6.3
type KeyUpdate struct {
	Raw             []byte // as received; nil when built locally
	UpdateRequested bool
}

// Type returns TypeKeyUpdate.
func (*KeyUpdate) Type() HandshakeType { return TypeKeyUpdate }

// Marshal serializes the message.
func (m *KeyUpdate) Marshal() ([]byte, error) {
	return marshalMessage(TypeKeyUpdate, func(b *builder) {
		if m.UpdateRequested {
			b.u8(1)
		} else {
			b.u8(0)
		}
	})
}

// Unmarshal parses a whole KeyUpdate; a request_update other than 0 or 1 is
// illegal_parameter ("If an implementation receives any other value, it MUST
// terminate the connection with an "illegal_parameter" alert.").
func (m *KeyUpdate) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n KeyUpdate
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *KeyUpdate) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n KeyUpdate; return n.parse(d, rec) })
}

func (m *KeyUpdate) parse(data []byte, rec *[]Field) error {
	return parseMessage13(data, TypeKeyUpdate, "KeyUpdate", rec, func(r *reader) {
		v := r.u8("request_update")
		if r.failed() {
			return
		}
		if v > 1 {
			r.failErr(&ParseError{What: "KeyUpdate", Reason: "request_update is neither 0 nor 1", Illegal: true})
			return
		}
		m.UpdateRequested = v == 1
	})
}

// CertificateRequest13 is TLS 1.3's CertificateRequest: a context the
// client echoes in its Certificate, and extensions (signature_algorithms at
// least). minitls has no client certificates and answers with an empty
// Certificate.
//
//	struct {
//	    opaque certificate_request_context<0..2^8-1>;
//	    Extension extensions<2..2^16-1>;
//	} CertificateRequest;
//
// spec: rfc8446#4.3.2
type CertificateRequest13 struct {
	Raw        []byte // as received; nil when built locally
	Context    []byte
	Extensions []Extension
}

// Type returns TypeCertificateRequest.
func (*CertificateRequest13) Type() HandshakeType { return TypeCertificateRequest }

// Marshal serializes the message.
func (m *CertificateRequest13) Marshal() ([]byte, error) {
	return marshalMessage(TypeCertificateRequest, func(b *builder) {
		b.opaque(1, 0, 255, "certificate_request_context", m.Context)
		marshalExtensions(b, m.Extensions)
	})
}

// Unmarshal parses a whole CertificateRequest; m.Raw keeps a copy of data.
func (m *CertificateRequest13) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n CertificateRequest13
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *CertificateRequest13) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n CertificateRequest13; return n.parse(d, rec) })
}

func (m *CertificateRequest13) parse(data []byte, rec *[]Field) error {
	return parseMessage13(data, TypeCertificateRequest, "CertificateRequest", rec, func(r *reader) {
		m.Context = r.opaque(1, 0, 255, "certificate_request_context")
		m.Extensions = parseExtensions(r, roleClient)
	})
}
