package record

import (
	"errors"
	"fmt"
)

// What TLS 1.3 changes in the record layer, beside the record format of
// protection13.go:
//
//   - no ChangeCipherSpec switches keys: the handshake installs each new key
//     at a point the protocol fixes (after ServerHello, after Finished, at a
//     KeyUpdate) with SetReadKeys13 / SetWriteKeys13, and a key change must
//     fall on a record boundary (rfc8446#5.1);
//   - a plaintext ChangeCipherSpec of one byte 01 may still arrive during the
//     handshake (middlebox compatibility mode, rfc8446#D.4) and is dropped
//     (SetCompatCCS); any other is unexpected_message (rfc8446#5);
//   - after the handshake the peer may send NewSessionTicket and KeyUpdate
//     (rfc8446#4.6); ReadApplicationData hands them up (SetPostHandshake)
//     instead of treating them as renegotiation, which TLS 1.3 does not have.

// MaxCompatCCS bounds the dummy ChangeCipherSpec records dropped on one
// connection: a TLS 1.3 peer sends at most one (rfc8446#D.4), one after each
// of its hellos at most; more is unexpected_message, so a peer cannot stall us
// with them.
const MaxCompatCCS = 2

// SetCompatCCS turns on (or off) the dropping of the dummy ChangeCipherSpec
// records of TLS 1.3's middlebox compatibility mode. rfc8446#5: "An
// implementation may receive an unencrypted record of type change_cipher_spec
// consisting of the single byte value 0x01 at any time after the first
// ClientHello message has been sent or received and before the peer's
// Finished message has been received and MUST simply drop it without further
// processing." The handshake turns it on when TLS 1.3 is negotiated and off
// once the peer's Finished has arrived; after that a ChangeCipherSpec is
// unexpected_message.
//
// spec: rfc8446#5, rfc8446#D.4
func (c *Conn) SetCompatCCS(on bool) {
	c.in.mu.Lock()
	c.in.compatCCS = on
	c.in.mu.Unlock()
}

// dropCompatCCSLocked checks a ChangeCipherSpec received while SetCompatCCS is
// on: its body must be the single byte 01 ("An implementation which receives
// any other change_cipher_spec value ... MUST abort the handshake with an
// "unexpected_message" alert"), it may not split a handshake message, and
// at most MaxCompatCCS are dropped.
//
// spec: rfc8446#5
func (in *halfIn) dropCompatCCSLocked(body []byte) error {
	if len(body) != 1 || body[0] != 1 {
		return in.fail(NewError(UnexpectedMessage, "read change_cipher_spec",
			fmt.Errorf("%w: change_cipher_spec body %x is not the single byte 01", ErrUnexpectedRecord, body[:min(len(body), 8)])))
	}
	if len(in.hs) > 0 {
		return in.fail(NewError(UnexpectedMessage, "read change_cipher_spec",
			fmt.Errorf("%w: change_cipher_spec in the middle of a handshake message", ErrUnexpectedRecord)))
	}
	in.compatDropped++
	if in.compatDropped > MaxCompatCCS {
		return in.fail(NewError(UnexpectedMessage, "read change_cipher_spec",
			fmt.Errorf("%w: %d dummy change_cipher_spec records; a TLS 1.3 peer sends one", ErrUnexpectedRecord, in.compatDropped)))
	}
	return nil
}

// open13Locked checks and opens one record under TLS 1.3 read keys: its
// header must say application_data (every protected record does: "MUST be set
// to the value 23 (application_data)"; a plaintext handshake record or
// alert once the keys are on is unexpected_message) and the negotiated record
// version 0x0303; then it is decrypted and its padding removed (open13).
//
// spec: rfc8446#5.2, rfc8446#5.1
func (c *Conn) open13Locked(h Header, rec []byte) (ContentType, []byte, error) {
	in := &c.in
	if h.Type == Alert && in.compatCCS && plaintextAlertEnds(rec[HeaderLen:]) {
		// The peer gave up before it had our keys (it could not process
		// our ServerHello, say) and tells us why in clear. Taking it as
		// the reason costs nothing: an attacker who can inject it can as
		// well close the connection. Only an alert that ends the
		// connection is taken, and only during the handshake.
		return Alert, rec[HeaderLen:], nil
	}
	if h.Type != ApplicationData {
		return 0, nil, NewError(UnexpectedMessage, "read record",
			fmt.Errorf("%w: plaintext %v record after the TLS 1.3 keys were installed", ErrUnexpectedRecord, h.Type))
	}
	if h.Version != VersionTLS12 {
		return 0, nil, NewError(ProtocolVersion, "read record",
			fmt.Errorf("%w: protected record with version 0x%04x, TLS 1.3 records say 0x0303", ErrBadVersion, h.Version))
	}
	typ, pt, err := in.active.open13(in.seq, rec[:HeaderLen], rec[HeaderLen:])
	if err != nil {
		return 0, nil, err
	}
	if typ != Handshake && typ != Alert && typ != ApplicationData {
		return 0, nil, NewError(UnexpectedMessage, "read record",
			fmt.Errorf("%w: content type %v inside a TLS 1.3 record", ErrUnknownContentType, typ))
	}
	if err := checkEmpty(typ, len(pt)); err != nil {
		return 0, nil, err
	}
	return typ, pt, nil
}

// ErrKeyChangeSplit is the cause of unexpected_message for new read keys
// installed while part of a handshake message is buffered: rfc8446#5.1
// "Handshake messages MUST NOT span key changes. Implementations MUST verify
// that all messages immediately preceding a key change align with a record
// boundary; if not, then they MUST terminate the connection with an
// "unexpected_message" alert."
//
// spec: rfc8446#5.1
var ErrKeyChangeSplit = errors.New("handshake data left over at a TLS 1.3 key change")

// SetReadKeys13 makes p (a NewProtection13) the read protection at once and
// restarts the read sequence number at zero. Nothing may be left of the
// records read under the old keys (else unexpected_message, ErrKeyChangeSplit,
// sticky).
//
// spec: rfc8446#5.1, rfc8446#5.3 ("set to zero ... whenever the key is
// changed")
func (c *Conn) SetReadKeys13(p *Protection) error {
	in := &c.in
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.err != nil {
		return in.err
	}
	if len(in.hs) > 0 {
		return in.fail(NewError(UnexpectedMessage, "key change",
			fmt.Errorf("%w: %d bytes", ErrKeyChangeSplit, len(in.hs))))
	}
	in.active, in.pending, in.seq = p, nil, 0
	in.rd.SetProtected(true)
	return nil
}

// SetWriteKeys13 makes p (a NewProtection13) the write protection at once and
// restarts the write sequence number at zero.
//
// spec: rfc8446#5.3
func (c *Conn) SetWriteKeys13(p *Protection) error {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	o.active, o.pending, o.seq = p, nil, 0
	return nil
}

// WriteCompatCCS sends the dummy ChangeCipherSpec of the middlebox
// compatibility mode: a plaintext record of the single byte 01 that changes
// nothing (rfc8446#D.4: it makes a TLS 1.3 handshake look like a resumed TLS
// 1.2 one to middleboxes). It does not touch the keys or the sequence number.
//
// spec: rfc8446#D.4, rfc8446#5
func (c *Conn) WriteCompatCCS() error {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	active, seq := o.active, o.seq
	o.active = nil
	err := c.appendRecordLocked(ChangeCipherSpec, []byte{1})
	o.active, o.seq = active, seq
	if err != nil {
		return err
	}
	return c.flushLocked()
}

// SetPostHandshake names the handshake message types that may arrive after a
// TLS 1.3 handshake (new_session_ticket at a client, key_update at both:
// rfc8446#4.6). ReadApplicationData then returns each such message as a
// *PostHandshakeError for the handshake layer to act on, and any other
// handshake message, a ClientHello and a HelloRequest included (TLS 1.3 has no
// renegotiation), is unexpected_message. Calling it also says that TLS 1.3 was
// negotiated: from then on handshake headers are checked against
// handshakeLimits13 and a HelloRequest is never ignored. The handshake layer
// calls it as soon as it knows the version, with no types until the
// handshake is over.
//
// spec: rfc8446#4.6
func (c *Conn) SetPostHandshake(types ...uint8) {
	c.in.mu.Lock()
	c.in.postHandshake = append([]uint8{}, types...) // non-nil even when empty: TLS 1.3 is on
	c.in.mu.Unlock()
}

// PostHandshakeError carries a post-handshake message (SetPostHandshake) out of
// ReadApplicationData. It is not an error of the connection: nothing is sticky,
// and reading may go on once the handshake layer has processed Message.
//
// spec: rfc8446#4.6
type PostHandshakeError struct {
	Message []byte // the whole message, header included
}

// Error names the message.
func (e *PostHandshakeError) Error() string {
	return "post-handshake message " + handshakeTypeName(e.Message[0])
}

// postHandshakeLocked pops a post-handshake message from the reassembly buffer,
// if a whole one is there; a message of a type not in SetPostHandshake is
// unexpected_message.
//
// spec: rfc8446#4.6
func (in *halfIn) postHandshakeLocked() (bool, error) {
	msg, ok, err := in.nextMessageLocked(in.postHandshake)
	if err != nil {
		return true, in.fail(err)
	}
	if !ok {
		return false, nil
	}
	return true, &PostHandshakeError{Message: msg}
}

// handshakeLimits13 is the table of handshakeLimits for TLS 1.3, in force once
// the handshake layer calls SetPostHandshake (when TLS 1.3 is negotiated): the
// messages TLS 1.3 defines (rfc8446#4), with the largest body of each. The
// types TLS 1.3 removed (hello_request, server_key_exchange,
// server_hello_done, client_key_exchange, certificate_status) are not in it,
// so they are unexpected_message; end_of_early_data is not either, since
// minitls refuses 0-RTT (rfc8446#4.2.10).
//
// spec: rfc8446#4, rfc8446#B.3
var handshakeLimits13 = [...]handshakeLimit{
	{1, "client_hello", 131396, false, "rfc8446#4.1.2",
		"legacy_version 2 + random 32 + legacy_session_id 1+32 + cipher_suites 2+(2^16-2) + legacy_compression_methods 1+(2^8-1) + extensions 2+(2^16-1)"},
	{2, "server_hello", 65607, false, "rfc8446#4.1.3",
		"legacy_version 2 + random 32 + legacy_session_id_echo 1+32 + cipher_suite 2 + legacy_compression_method 1 + extensions 2+(2^16-1)"},
	{4, "new_session_ticket", 131337, false, "rfc8446#4.6.1",
		"ticket_lifetime 4 + ticket_age_add 4 + ticket_nonce 1+255 + ticket 2+(2^16-1) + extensions 2+(2^16-2)"},
	{8, "encrypted_extensions", 65537, false, "rfc8446#4.3.1", "extensions 2+(2^16-1)"},
	{11, "certificate", maxUint24, true, "rfc8446#4.4.2",
		"certificate_request_context 1+255 + certificate_list 3+(2^24-1): more than a uint24 length can state, so 2^24-1, and SetMaxHandshakeSize"},
	{13, "certificate_request", 65793, false, "rfc8446#4.3.2",
		"certificate_request_context 1+255 + extensions 2+(2^16-1)"},
	{15, "certificate_verify", 65539, false, "rfc8446#4.4.3", "algorithm 2 + signature 2+(2^16-1)"},
	{20, "finished", 48, false, "rfc8446#4.4.4",
		"verify_data[Hash.length]: 32 for SHA-256, 48 for SHA-384, the largest hash of a TLS 1.3 suite"},
	{24, "key_update", 1, false, "rfc8446#4.6.3", "request_update 1"},
}

// limit13 returns the row of typ in handshakeLimits13.
func limit13(typ uint8) (handshakeLimit, bool) {
	for _, l := range handshakeLimits13 {
		if l.typ == typ {
			return l, true
		}
	}
	return handshakeLimit{}, false
}

// MaxHandshakeBody13 is MaxHandshakeBody for TLS 1.3 (handshakeLimits13).
//
// spec: rfc8446#4
func MaxHandshakeBody13(typ uint8) (int, bool) {
	l, ok := limit13(typ)
	return l.max, ok
}

// WriteKeyUpdate13 sends the KeyUpdate message msg under the current write
// keys and makes next the write protection in the same locked step: every
// record after the KeyUpdate is under the new keys, even with other
// goroutines writing.
//
// spec: rfc8446#4.6.3 ("sending all its traffic using the next generation
// of keys"), rfc8446#5.3
func (c *Conn) WriteKeyUpdate13(msg []byte, next *Protection) error {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	if err := c.appendRecordLocked(Handshake, msg); err != nil {
		return err
	}
	if err := c.flushLocked(); err != nil {
		return err
	}
	o.active, o.seq = next, 0
	return nil
}

// plaintextAlertEnds reports whether an alert body is one that ends the
// connection (fatal level, or close_notify, or a description that is fatal
// whatever its level).
func plaintextAlertEnds(body []byte) bool {
	return len(body) == 2 && (body[0] == byte(Fatal) || body[1] == byte(CloseNotify) || AlertDescription(body[1]).Level() == Fatal)
}
