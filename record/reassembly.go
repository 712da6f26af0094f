package record

import (
	"errors"
	"fmt"
	"slices"
)

// Handshake message types the record layer accepts, with the largest body each
// can have by its RFC definition. This table is the one place minitls states
// these bounds: the record layer checks each message's 4-byte header against
// it before any memory is set aside for the body (so a peer that announces a
// 16 MiB message gets decode_error instead of our memory), and package
// handshake's parsers read their bound from it too (MaxHandshakeBody), so the
// two layers cannot disagree on what a valid message is.
//
//	struct {
//	    HandshakeType msg_type;    /* 1 byte  */
//	    uint24 length;             /* 3 bytes: bytes in message */
//	    select (HandshakeType) { ... } body;
//	} Handshake;
//
// Each bound adds up the largest vectors of the message's struct; the
// derivation is in the row. Types that TLS 1.2 with RSA key transport never
// sends and this table does not list are unexpected_message.
//
// spec: rfc5246#7.4
var handshakeLimits = [...]handshakeLimit{
	{0, "hello_request", 0, false, "rfc5246#7.4.1.1", "struct { } HelloRequest"},
	{1, "client_hello", 131396, false, "rfc5246#7.4.1.2",
		"version 2 + random 32 + session_id 1+32 + cipher_suites 2+(2^16-2) + compression_methods 1+(2^8-1) + extensions 2+(2^16-1)"},
	{2, "server_hello", 65607, false, "rfc5246#7.4.1.3",
		"version 2 + random 32 + session_id 1+32 + cipher_suite 2 + compression_method 1 + extensions 2+(2^16-1)"},
	{4, "new_session_ticket", 65541, false, "rfc5077#3.3", "ticket_lifetime_hint 4 + ticket 2+(2^16-1)"},
	{11, "certificate", maxUint24, true, "rfc5246#7.4.2",
		"certificate_list 3+(2^24-1), more than the uint24 length can state: 2^24-1, and SetMaxHandshakeSize"},
	{12, "server_key_exchange", 262150, false, "rfc5246#7.4.3",
		"DH: dh_p, dh_g, dh_Ys 3*(2+(2^16-1)) + digitally-signed 2+2+(2^16-1)"},
	{13, "certificate_request", 131329, false, "rfc5246#7.4.4",
		"certificate_types 1+(2^8-1) + supported_signature_algorithms 2+(2^16-2) + certificate_authorities 2+(2^16-1)"},
	{14, "server_hello_done", 0, false, "rfc5246#7.4.5", "struct { } ServerHelloDone"},
	{15, "certificate_verify", 65539, false, "rfc5246#7.4.8", "digitally-signed: algorithm 2 + signature 2+(2^16-1)"},
	{16, "client_key_exchange", 65537, false, "rfc5246#7.4.7", "EncryptedPreMasterSecret or dh_Yc: 2+(2^16-1)"},
	{20, "finished", 12, false, "rfc5246#7.4.9", "verify_data[verify_data_length], 12 for every TLS 1.2 suite"},
	{22, "certificate_status", maxUint24, true, "rfc6066#8",
		"status_type 1 + OCSPResponse 3+(2^24-1), more than the uint24 length can state: 2^24-1, and SetMaxHandshakeSize"},
}

// handshakeLimit is one row of handshakeLimits (and of handshakeLimits13).
type handshakeLimit struct {
	typ        uint8
	name       string
	max        int    // largest body the grammar allows
	local      bool   // also bounded by SetMaxHandshakeSize, since the grammar allows up to 16 MiB
	spec       string // where the struct is defined
	derivation string
}

// DefaultMaxHandshakeSize is the default bound on the body of a Certificate (and
// CertificateStatus) message: 256 KiB holds any real chain. The RFC allows up to
// 2^24-1 bytes; raise the bound with SetMaxHandshakeSize if a peer needs it.
//
// spec: rfc5246#7.4.2
const DefaultMaxHandshakeSize = 256 << 10

// maxUint24 is the largest length a handshake header can state.
const maxUint24 = 1<<24 - 1

// ErrUnknownHandshakeType and ErrHandshakeTooLong are the causes of errors for a
// handshake message header that fails the table above.
//
// spec: rfc5246#7.4
var (
	ErrUnknownHandshakeType = errors.New("unknown handshake message type")
	ErrHandshakeTooLong     = errors.New("handshake message longer than its type allows")
)

// MaxHandshakeBody returns the largest body a handshake message of type typ
// can have by the RFC's grammar (the table above), and false for a type the
// table does not list. For Certificate and CertificateStatus that is 2^24-1,
// the most a handshake header can state; a Conn bounds those two further by
// SetMaxHandshakeSize before buffering them. Package handshake's parsers take
// their bound from here.
//
// spec: rfc5246#7.4
func MaxHandshakeBody(typ uint8) (int, bool) {
	i := handshakeLimitIndex(typ)
	if i < 0 {
		return 0, false
	}
	return handshakeLimits[i].max, true
}

// limit12 returns the row of typ in handshakeLimits.
func limit12(typ uint8) (handshakeLimit, bool) {
	if i := handshakeLimitIndex(typ); i >= 0 {
		return handshakeLimits[i], true
	}
	return handshakeLimit{}, false
}

// handshakeLimitIndex returns the row of typ in handshakeLimits, or -1.
func handshakeLimitIndex(typ uint8) int {
	for i, l := range handshakeLimits {
		if l.typ == typ {
			return i
		}
	}
	return -1
}

// handshakeTypeName returns the RFC name of a handshake type in the table, or
// its number.
func handshakeTypeName(typ uint8) string {
	if i := handshakeLimitIndex(typ); i >= 0 {
		return handshakeLimits[i].name
	}
	if l, ok := limit13(typ); ok {
		return l.name
	}
	return fmt.Sprintf("handshake_type(%d)", typ)
}

// checkHandshakeHeader checks the 4-byte header at the start of hdr, in the
// order that names the real fault first:
//
//   - a type the table does not know → unexpected_message;
//   - a known type that is not one of expected (nil: any type), nor a
//     HelloRequest at a client (helloRequestOK) → unexpected_message,
//     whatever its length: a message out of order is
//     out of order even when its length would also be wrong for its type
//     (rfc5246#7.4: "any other order is an unexpected_message");
//   - a length over the type's bound → decode_error ("the length of the
//     message was incorrect", rfc5246#7.2.2).
//
// It returns the body length.
//
// spec: rfc5246#7.4
func checkHandshakeHeader(hdr []byte, configured int, expected []uint8, helloRequestOK, tls13 bool) (int, error) {
	typ := hdr[0]
	n := int(hdr[1])<<16 | int(hdr[2])<<8 | int(hdr[3])
	l, ok := limit12(typ)
	if tls13 {
		l, ok = limit13(typ)
	}
	if !ok {
		return 0, NewError(UnexpectedMessage, "read handshake",
			fmt.Errorf("%w: %d", ErrUnknownHandshakeType, typ))
	}
	if expected != nil && !slices.Contains(expected, typ) && !(helloRequestOK && typ == helloRequest) {
		names := make([]string, len(expected))
		for j, e := range expected {
			names[j] = handshakeTypeName(e)
		}
		return 0, NewError(UnexpectedMessage, "read handshake",
			fmt.Errorf("%w: %s where %v was expected", ErrUnexpectedHandshake, l.name, names))
	}
	max, hint := l.max, ""
	if l.local && configured < max {
		max = configured
		hint = " (a local limit: raise it with SetMaxHandshakeSize if the peer is legitimate)"
	}
	if n > max {
		return 0, NewError(DecodeError, "read handshake",
			fmt.Errorf("%w: %s of %d bytes, at most %d%s", ErrHandshakeTooLong, l.name, n, max, hint))
	}
	return n, nil
}

// ErrUnexpectedHandshake is the cause of unexpected_message for a handshake
// message of a known type that may not come at this point of the handshake.
//
// spec: rfc5246#7.4
var ErrUnexpectedHandshake = errors.New("unexpected handshake message")

// nextMessageLocked pops the next whole handshake message off the reassembly
// buffer into a fresh slice owned by the caller. ok is false if the buffer holds
// less than a whole message. The header is checked (checkHandshakeHeader, with
// expected) as soon as its 4 bytes are there, before the body is buffered and
// long before the message is copied.
//
// spec: rfc5246#6.2.1
func (in *halfIn) nextMessageLocked(expected []uint8) (msg []byte, ok bool, err error) {
	if len(in.hs) < 4 {
		return nil, false, nil
	}
	n, err := checkHandshakeHeader(in.hs, in.maxHandshake, expected, in.renegotiationType == int(helloRequest) && in.postHandshake == nil, in.postHandshake != nil)
	if err != nil {
		return nil, false, err
	}
	if len(in.hs) < 4+n {
		// Wait for more records. The buffer grows only with bytes actually
		// received (at most one record past the bound), never by the size a
		// header announces: a few bytes cannot reserve megabytes.
		return nil, false, nil
	}
	msg = make([]byte, 4+n)
	copy(msg, in.hs)
	rest := copy(in.hs, in.hs[4+n:])
	in.hs = in.hs[:rest]
	if rest == 0 && cap(in.hs) > 2*MaxPlaintext {
		// A large message (a 128 KiB ClientHello, a long chain) does not
		// keep its buffer for the life of the connection.
		in.hs = nil
	}
	return msg, true, nil
}

// SetMaxHandshakeSize sets the largest body of a Certificate or
// CertificateStatus message this Conn accepts (default
// DefaultMaxHandshakeSize). n ≤ 0 restores the default; n is capped at 2^24-1,
// the most a handshake header can state. Every other message type keeps the
// bound its RFC definition gives it.
//
// spec: rfc5246#7.4.2
func (c *Conn) SetMaxHandshakeSize(n int) {
	if n <= 0 {
		n = DefaultMaxHandshakeSize
	}
	n = min(n, maxUint24)
	c.in.mu.Lock()
	c.in.maxHandshake = n
	c.in.mu.Unlock()
}

// ReadHandshake returns the next whole handshake message of any type the table
// above knows; it is ReadHandshakeOf with no restriction on the type.
//
// spec: rfc5246#7.4
func (c *Conn) ReadHandshake() ([]byte, error) {
	return c.ReadHandshakeOf()
}

// ReadHandshakeOf returns the next whole handshake message, its 4-byte header
// included, reassembled from as many records as the peer split it into, or cut
// from a record that carried several (rfc5246#6.2.1). The slice is the
// caller's. The bytes are exactly as received, ready for the transcript hash.
//
// expected lists the message types that may come next (none: any known type).
// A message of another type is unexpected_message as soon as its header
// arrives, before its length is judged or its body buffered.
//
// At a client (SetRenegotiationRequest(0)), a HelloRequest is returned
// whatever expected says, for the caller to ignore: the client "is currently
// negotiating a session", and the message is not part of the transcript
// (rfc5246#7.4.1.1). Only MaxConsecutiveRenegotiationRequests of them are
// returned; the next is unexpected_message.
//
// While reading, alerts are handled as described on Conn. Any other record
// type arriving here — application data, or a ChangeCipherSpec (which must be
// read with ReadChangeCipherSpec, and never in the middle of a message) — is
// unexpected_message. RFC 5246 §6.2.1 would allow other content types to
// interleave with the fragments of a handshake message; minitls refuses it,
// as RFC 8446 §5.1 and every TLS 1.2 stack in practice do.
//
// spec: rfc5246#7.4
// spec: rfc5246#6.2.1
// spec: rfc5246#7.4.1.1
func (c *Conn) ReadHandshakeOf(expected ...uint8) ([]byte, error) {
	in := &c.in
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.err != nil {
		return nil, in.err
	}
	if len(in.appData) > 0 {
		return nil, in.fail(NewError(UnexpectedMessage, "read handshake",
			errors.New("application data is waiting to be read where a handshake message was expected")))
	}
	atClient := in.renegotiationType == int(helloRequest) && in.postHandshake == nil // TLS 1.3 has no HelloRequest
	if len(expected) == 0 {
		expected = nil // any type
	}
	for {
		msg, ok, err := in.nextMessageLocked(expected)
		if err != nil {
			return nil, in.fail(err)
		}
		if ok && atClient && msg[0] == helloRequest {
			if err := in.countRenegotiationRequestLocked(); err != nil {
				return nil, err
			}
		}
		if ok {
			return msg, nil
		}
		typ, pt, err := c.readRecordLocked()
		if err != nil {
			return nil, err
		}
		switch typ {
		case Handshake:
			in.hs = append(in.hs, pt...)
		case ChangeCipherSpec:
			return nil, in.fail(NewError(UnexpectedMessage, "read handshake",
				fmt.Errorf("%w: change_cipher_spec where a handshake message was expected", ErrUnexpectedRecord)))
		default:
			return nil, in.fail(NewError(UnexpectedMessage, "read handshake",
				fmt.Errorf("%w: %v record where a handshake message was expected", ErrUnexpectedRecord, typ)))
		}
	}
}

// The two handshake messages that ask for a new handshake: a server's
// HelloRequest, a client's ClientHello.
//
// spec: rfc5246#7.4.1.1, rfc5246#7.4.1.2
const (
	helloRequest uint8 = 0
	clientHello  uint8 = 1
)

// SetRenegotiationRequest names the handshake message type that asks this
// side to renegotiate: hello_request (0) at a client, client_hello (1) at a
// server (rfc5246#7.4.1.1, #7.4.1.2). After the handshake ReadApplicationData
// refuses that type with no_renegotiation and any other handshake message is
// unexpected_message; during it, a client may receive HelloRequests, which
// it ignores, a bounded number of times (see ReadHandshakeOf). Until it is called, a Conn takes either type for a
// renegotiation request and ignores nothing.
//
// spec: rfc5246#7.4.1.1
// spec: rfc5746#4.2
func (c *Conn) SetRenegotiationRequest(typ uint8) {
	c.in.mu.Lock()
	c.in.renegotiationType = int(typ)
	c.in.mu.Unlock()
}

// renegotiationTypesLocked returns the handshake types that are a
// renegotiation request here (see SetRenegotiationRequest).
func (in *halfIn) renegotiationTypesLocked() []uint8 {
	if in.renegotiationType < 0 {
		return []uint8{helloRequest, clientHello}
	}
	return []uint8{uint8(in.renegotiationType)}
}

// countRenegotiationRequestLocked counts one renegotiation request refused or
// ignored since the last application data, and fails the connection once
// there are more than MaxConsecutiveRenegotiationRequests.
//
// spec: rfc5246#7.4.1.1
func (in *halfIn) countRenegotiationRequestLocked() error {
	in.renegotiations++
	if in.renegotiations > MaxConsecutiveRenegotiationRequests {
		return in.fail(NewError(UnexpectedMessage, "read handshake",
			fmt.Errorf("%w: %d renegotiation requests without application data between them; a peer that keeps asking is stalling",
				ErrUnexpectedHandshake, in.renegotiations)))
	}
	return nil
}

// ErrUnexpectedRecord is the cause of unexpected_message for a record of the
// wrong content type at this point of the connection.
//
// spec: rfc5246#6
var ErrUnexpectedRecord = errors.New("unexpected record")
