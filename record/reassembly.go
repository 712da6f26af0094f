package record

import (
	"errors"
	"fmt"
)

// Handshake message types the record layer accepts, with the largest body each
// can have by its RFC definition. The bound of a message is checked from its
// 4-byte header, before any memory is set aside for its body, so a peer that
// announces a 16 MiB message gets decode_error instead of our memory.
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
var handshakeLimits = [...]struct {
	typ        uint8
	name       string
	max        int    // largest body; -1: the configurable bound (SetMaxHandshakeSize)
	spec       string // where the struct is defined
	derivation string
}{
	{0, "hello_request", 0, "rfc5246#7.4.1.1", "struct { } HelloRequest"},
	{1, "client_hello", 131396, "rfc5246#7.4.1.2",
		"version 2 + random 32 + session_id 1+32 + cipher_suites 2+(2^16-2) + compression_methods 1+(2^8-1) + extensions 2+(2^16-1)"},
	{2, "server_hello", 65607, "rfc5246#7.4.1.3",
		"version 2 + random 32 + session_id 1+32 + cipher_suite 2 + compression_method 1 + extensions 2+(2^16-1)"},
	{4, "new_session_ticket", 65541, "rfc5077#3.3", "ticket_lifetime_hint 4 + ticket 2+(2^16-1)"},
	{11, "certificate", -1, "rfc5246#7.4.2", "certificate_list 3+(2^24-1): bounded by SetMaxHandshakeSize"},
	{12, "server_key_exchange", 262150, "rfc5246#7.4.3",
		"DH: dh_p, dh_g, dh_Ys 3*(2+(2^16-1)) + digitally-signed 2+2+(2^16-1)"},
	{13, "certificate_request", 131329, "rfc5246#7.4.4",
		"certificate_types 1+(2^8-1) + supported_signature_algorithms 2+(2^16-2) + certificate_authorities 2+(2^16-1)"},
	{14, "server_hello_done", 0, "rfc5246#7.4.5", "struct { } ServerHelloDone"},
	{15, "certificate_verify", 65539, "rfc5246#7.4.8", "digitally-signed: algorithm 2 + signature 2+(2^16-1)"},
	{16, "client_key_exchange", 65537, "rfc5246#7.4.7", "EncryptedPreMasterSecret or dh_Yc: 2+(2^16-1)"},
	{20, "finished", 12, "rfc5246#7.4.9", "verify_data[verify_data_length], 12 for every TLS 1.2 suite"},
	{22, "certificate_status", -1, "rfc6066#8", "status_type 1 + OCSPResponse 3+(2^24-1): bounded by SetMaxHandshakeSize"},
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

// handshakeLimit returns the bound of a type (-2 if unknown), its name, and
// whether the bound is the configurable one.
func handshakeLimit(typ uint8, configured int) (max int, name string, local bool) {
	for _, l := range handshakeLimits {
		if l.typ == typ {
			if l.max < 0 {
				return configured, l.name, true
			}
			return l.max, l.name, false
		}
	}
	return -2, "", false
}

// checkHandshakeHeader checks the 4-byte header at the start of hdr against
// the table: unknown type → unexpected_message, length over the bound →
// decode_error ("the length of the message was incorrect", rfc5246#7.2.2). It
// returns the body length.
//
// spec: rfc5246#7.4
func checkHandshakeHeader(hdr []byte, configured int) (int, error) {
	typ := hdr[0]
	n := int(hdr[1])<<16 | int(hdr[2])<<8 | int(hdr[3])
	max, name, local := handshakeLimit(typ, configured)
	if max == -2 {
		return 0, NewError(UnexpectedMessage, "read handshake",
			fmt.Errorf("%w: %d", ErrUnknownHandshakeType, typ))
	}
	if n > max {
		hint := ""
		if local {
			hint = " (a local limit: raise it with SetMaxHandshakeSize if the peer is legitimate)"
		}
		return 0, NewError(DecodeError, "read handshake",
			fmt.Errorf("%w: %s of %d bytes, at most %d%s", ErrHandshakeTooLong, name, n, max, hint))
	}
	return n, nil
}

// nextMessageLocked pops the next whole handshake message off the reassembly
// buffer into a fresh slice owned by the caller. ok is false if the buffer holds
// less than a whole message. The header is checked as soon as its 4 bytes are
// there, before the body is buffered and long before the message is copied.
//
// spec: rfc5246#6.2.1
func (in *halfIn) nextMessageLocked() (msg []byte, ok bool, err error) {
	if len(in.hs) < 4 {
		return nil, false, nil
	}
	n, err := checkHandshakeHeader(in.hs, in.maxHandshake)
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

// ReadHandshake returns the next whole handshake message, its 4-byte header
// included, reassembled from as many records as the peer split it into, or cut
// from a record that carried several (rfc5246#6.2.1). The slice is the
// caller's. The bytes are exactly as received, ready for the transcript hash.
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
func (c *Conn) ReadHandshake() ([]byte, error) {
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
	for {
		msg, ok, err := in.nextMessageLocked()
		if err != nil {
			return nil, in.fail(err)
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

// ErrUnexpectedRecord is the cause of unexpected_message for a record of the
// wrong content type at this point of the connection.
//
// spec: rfc5246#6
var ErrUnexpectedRecord = errors.New("unexpected record")
