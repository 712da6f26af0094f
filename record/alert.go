package record

import (
	"errors"
	"fmt"
	"net"
)

// AlertLevel says whether an alert ends the connection. A fatal alert makes
// both sides forget the session; a warning lets the connection go on (the only
// warnings TLS 1.2 peers send in practice are close_notify and
// no_renegotiation).
//
//	enum { warning(1), fatal(2), (255) } AlertLevel;
//
// spec: rfc5246#7.2
type AlertLevel uint8

// The two alert levels.
//
// spec: rfc5246#7.2
const (
	Warning AlertLevel = 1
	Fatal   AlertLevel = 2
)

// String returns the RFC name of l.
//
// spec: rfc5246#7.2
func (l AlertLevel) String() string {
	switch l {
	case Warning:
		return "warning"
	case Fatal:
		return "fatal"
	}
	return fmt.Sprintf("alert_level(%d)", uint8(l))
}

// AlertDescription says why an alert was sent. The names are the RFC's, so a
// trace reads like the specification.
//
// spec: rfc5246#7.2
type AlertDescription uint8

// Every alert description of RFC 5246 §7.2, plus the later ones a TLS 1.2 peer
// may send: unrecognized_name (RFC 6066), inappropriate_fallback (RFC 7507)
// and no_application_protocol (RFC 7301). The table alertTable below says
// what each one means and where it is defined.
//
// spec: rfc5246#7.2
const (
	CloseNotify            AlertDescription = 0
	UnexpectedMessage      AlertDescription = 10
	BadRecordMAC           AlertDescription = 20
	DecryptionFailed       AlertDescription = 21 // RESERVED: must not be sent in TLS 1.2
	RecordOverflow         AlertDescription = 22
	DecompressionFailure   AlertDescription = 30
	HandshakeFailure       AlertDescription = 40
	NoCertificate          AlertDescription = 41 // RESERVED: SSLv3 only
	BadCertificate         AlertDescription = 42
	UnsupportedCertificate AlertDescription = 43
	CertificateRevoked     AlertDescription = 44
	CertificateExpired     AlertDescription = 45
	CertificateUnknown     AlertDescription = 46
	IllegalParameter       AlertDescription = 47
	UnknownCA              AlertDescription = 48
	AccessDenied           AlertDescription = 49
	DecodeError            AlertDescription = 50
	DecryptError           AlertDescription = 51
	ExportRestriction      AlertDescription = 60 // RESERVED: export suites are gone
	ProtocolVersion        AlertDescription = 70
	InsufficientSecurity   AlertDescription = 71
	InternalError          AlertDescription = 80
	InappropriateFallback  AlertDescription = 86
	UserCanceled           AlertDescription = 90
	NoRenegotiation        AlertDescription = 100
	UnsupportedExtension   AlertDescription = 110
	UnrecognizedName       AlertDescription = 112
	NoApplicationProtocol  AlertDescription = 120
	MissingExtension       AlertDescription = 109 // spec: rfc8446#6.2
	UnknownPSKIdentity     AlertDescription = 115 // spec: rfc8446#6.2
	CertificateRequired    AlertDescription = 116 // spec: rfc8446#6.2
)

// alertInfo is one row of the description table.
type alertInfo struct {
	desc    AlertDescription
	name    string // as the RFC spells it
	spec    string // where it is defined
	warning bool   // normally sent as a warning (close_notify, user_canceled, no_renegotiation)
	meaning string // what a learner should read when it arrives
}

// alertTable lists every alert description minitls knows, as data, with the
// RFC section that defines it. String, Level and the error messages read it.
var alertTable = [...]alertInfo{
	{CloseNotify, "close_notify", "rfc5246#7.2.1", true, "the peer will send nothing more on this connection"},
	{UnexpectedMessage, "unexpected_message", "rfc5246#7.2.2", false, "a message or record arrived that is not allowed at this point"},
	{BadRecordMAC, "bad_record_mac", "rfc5246#7.2.2", false, "a record failed authentication (wrong keys, corruption, replay or reordering)"},
	{DecryptionFailed, "decryption_failed_RESERVED", "rfc5246#7.2.2", false, "reserved; old TLS versions only"},
	{RecordOverflow, "record_overflow", "rfc5246#7.2.2", false, "a record was longer than 2^14 (plaintext) or 2^14+2048 (protected) bytes"},
	{DecompressionFailure, "decompression_failure", "rfc5246#7.2.2", false, "decompression failed (compression is not used by minitls)"},
	{HandshakeFailure, "handshake_failure", "rfc5246#7.2.2", false, "no acceptable set of security parameters (e.g. no common cipher suite)"},
	{NoCertificate, "no_certificate_RESERVED", "rfc5246#7.2.2", false, "reserved; SSLv3 only"},
	{BadCertificate, "bad_certificate", "rfc5246#7.2.2", false, "a certificate was corrupt or its signature did not verify"},
	{UnsupportedCertificate, "unsupported_certificate", "rfc5246#7.2.2", false, "a certificate was of an unsupported type"},
	{CertificateRevoked, "certificate_revoked", "rfc5246#7.2.2", false, "a certificate was revoked by its signer"},
	{CertificateExpired, "certificate_expired", "rfc5246#7.2.2", false, "a certificate has expired or is not yet valid"},
	{CertificateUnknown, "certificate_unknown", "rfc5246#7.2.2", false, "some other problem made a certificate unacceptable"},
	{IllegalParameter, "illegal_parameter", "rfc5246#7.2.2", false, "a handshake field was out of range or inconsistent with other fields"},
	{UnknownCA, "unknown_ca", "rfc5246#7.2.2", false, "the certificate chain does not lead to a trusted root"},
	{AccessDenied, "access_denied", "rfc5246#7.2.2", false, "a valid certificate was received but access was refused"},
	{DecodeError, "decode_error", "rfc5246#7.2.2", false, "a message could not be decoded (a field out of range or a wrong length)"},
	{DecryptError, "decrypt_error", "rfc5246#7.2.2", false, "a handshake cryptographic operation failed (e.g. Finished did not match)"},
	{ExportRestriction, "export_restriction_RESERVED", "rfc5246#7.2.2", false, "reserved; export suites only"},
	{ProtocolVersion, "protocol_version", "rfc5246#7.2.2", false, "the protocol version is recognized but not supported"},
	{InsufficientSecurity, "insufficient_security", "rfc5246#7.2.2", false, "the peer requires stronger ciphers than offered"},
	{InternalError, "internal_error", "rfc5246#7.2.2", false, "a local error unrelated to the peer made the connection impossible"},
	{InappropriateFallback, "inappropriate_fallback", "rfc7507#2", false, "a fallback retry was detected while a higher version is supported"},
	{UserCanceled, "user_canceled", "rfc5246#7.2.2", true, "the handshake is being canceled for a reason unrelated to the protocol"},
	{NoRenegotiation, "no_renegotiation", "rfc5246#7.2.2", true, "renegotiation was requested and is refused"},
	{UnsupportedExtension, "unsupported_extension", "rfc5246#7.2.2", false, "a ServerHello carried an extension the client did not offer"},
	{UnrecognizedName, "unrecognized_name", "rfc6066#3", false, "the server does not know the name in server_name"},
	{NoApplicationProtocol, "no_application_protocol", "rfc7301#3.2", false, "no protocol in the client's ALPN list is supported"},
	{MissingExtension, "missing_extension", "rfc8446#6.2", false, "a TLS 1.3 handshake message lacks an extension it must carry"},
	{UnknownPSKIdentity, "unknown_psk_identity", "rfc8446#6.2", false, "the peer knows none of the offered pre-shared keys"},
	{CertificateRequired, "certificate_required", "rfc8446#6.2", false, "the server requires a client certificate and got none"},
}

// alertIndex maps a description code to its row in alertTable (+1; 0 = unknown).
var alertIndex = func() (idx [256]uint8) {
	for i, a := range alertTable {
		idx[a.desc] = uint8(i + 1)
	}
	return idx
}()

func (d AlertDescription) info() *alertInfo {
	if i := alertIndex[d]; i != 0 {
		return &alertTable[i-1]
	}
	return nil
}

// String returns the RFC name of d, e.g. "bad_record_mac", or
// "alert(0x..)" for a code no RFC minitls knows defines.
//
// spec: rfc5246#7.2
func (d AlertDescription) String() string {
	if a := d.info(); a != nil {
		return a.name
	}
	return fmt.Sprintf("alert(0x%02x)", uint8(d))
}

// Meaning explains d in one line, for error messages and traces.
//
// spec: rfc5246#7.2.2
func (d AlertDescription) Meaning() string {
	if a := d.info(); a != nil {
		return a.meaning
	}
	return "unknown alert description"
}

// Spec returns the section that defines d ("rfc5246#7.2.2"), or "" if unknown.
//
// spec: rfc5246#7.2
func (d AlertDescription) Spec() string {
	if a := d.info(); a != nil {
		return a.spec
	}
	return ""
}

// Level returns the level d is sent with: warning for close_notify,
// user_canceled and no_renegotiation (rfc5246#7.2.1, #7.2.2 call them
// warnings), fatal for everything else (rfc5246#7.2.2: the error alerts are
// always fatal in practice, and minitls never sends them as warnings).
//
// spec: rfc5246#7.2.2
func (d AlertDescription) Level() AlertLevel {
	if a := d.info(); a != nil && a.warning {
		return Warning
	}
	return Fatal
}

// AppendAlert appends the 2-byte alert message to b.
//
//	struct {
//	    AlertLevel level;
//	    AlertDescription description;
//	} Alert;
//
//	+--------+-------------+
//	| level  | description |
//	| 1 or 2 |   0..255    |
//	+--------+-------------+
//
// spec: rfc5246#7.2
func AppendAlert(b []byte, level AlertLevel, desc AlertDescription) []byte {
	return append(b, byte(level), byte(desc))
}

// ParseAlert decodes an alert fragment. It must be exactly 2 bytes: minitls does
// not accept alerts split over records or several alerts in one record (no peer
// sends them; RFC 8446 §5.1 forbids it outright), and a wrong length is
// decode_error. An unknown level is illegal_parameter. An unknown description
// is returned as is: the level decides what to do with it.
//
// spec: rfc5246#7.2
func ParseAlert(fragment []byte) (AlertLevel, AlertDescription, error) {
	if len(fragment) != 2 {
		return 0, 0, NewError(DecodeError, "read alert",
			fmt.Errorf("%w: alert fragment of %d bytes (want exactly 2)", ErrMalformedAlert, len(fragment)))
	}
	level, desc := AlertLevel(fragment[0]), AlertDescription(fragment[1])
	if level != Warning && level != Fatal {
		return 0, 0, NewError(IllegalParameter, "read alert",
			fmt.Errorf("%w: level %d (want 1 warning or 2 fatal)", ErrMalformedAlert, uint8(level)))
	}
	return level, desc, nil
}

// ErrMalformedAlert is the cause of a decode_error or illegal_parameter for an
// alert record that is not a 2-byte {level, description}.
//
// spec: rfc5246#7.2
var ErrMalformedAlert = errors.New("malformed alert")

// Error is a failure that ends the connection and carries the alert the peer
// should receive. Everything in minitls that detects a protocol violation
// returns one (wrapped or not), so the top of Handshake/Read/Write can send the
// right alert with AlertFor; errors.As finds it, errors.Is reaches the cause.
//
// spec: rfc5246#7.2.2
type Error struct {
	Alert AlertDescription // the alert to send
	Op    string           // what was being done, e.g. "read record header"
	Err   error            // the cause, with details
}

// NewError returns an *Error for alert with the operation and cause.
//
// spec: rfc5246#7.2.2
func NewError(alert AlertDescription, op string, err error) *Error {
	return &Error{Alert: alert, Op: op, Err: err}
}

// Error says what failed, why, and which alert goes to the peer.
//
// spec: rfc5246#7.2.2
func (e *Error) Error() string {
	msg := "record: "
	if e.Op != "" {
		msg += e.Op + ": "
	}
	if e.Err != nil {
		msg += e.Err.Error()
	} else {
		msg += e.Alert.Meaning()
	}
	return msg + " (alert " + e.Alert.String() + ")"
}

// Unwrap returns the cause.
//
// spec: rfc5246#7.2.2
func (e *Error) Unwrap() error { return e.Err }

// AlertReceivedError reports an alert received from the peer that ends the
// connection: a fatal alert, or an error alert sent at warning level (only
// close_notify, user_canceled and no_renegotiation are survivable warnings;
// too many of those in a row make the Conn return an *Error instead). RFC
// 5246 §7.2.2: after a fatal alert both sides close without sending anything
// more, so AlertFor says not to answer it.
//
// spec: rfc5246#7.2.2
type AlertReceivedError struct {
	Level       AlertLevel
	Description AlertDescription
}

// Error names the alert and what it usually means.
//
// spec: rfc5246#7.2.2
func (e *AlertReceivedError) Error() string {
	s := fmt.Sprintf("record: peer sent %v alert %v (%d): %s", e.Level, e.Description,
		uint8(e.Description), e.Description.Meaning())
	if e.Level == Warning && e.Description.Level() == Fatal {
		s += " (an error alert, which ends the connection whatever its level)"
	}
	return s
}

// ErrTruncated is returned by the reading methods when the transport ended
// (EOF, possibly in the middle of a record) before the peer sent close_notify.
// RFC 5246 §7.2.1 lets an application tell this apart from a clean end: data
// may have been cut off by an attacker, so do not treat it as io.EOF.
//
// spec: rfc5246#7.2.1
var ErrTruncated = errors.New("record: connection closed without close_notify (possible truncation attack; the data received may be incomplete)")

// ErrClosed is returned by the writing methods after this side sent
// close_notify or a fatal alert: nothing more may be sent (rfc5246#7.2.1,
// #7.2.2).
//
// spec: rfc5246#7.2.1
var ErrClosed = errors.New("record: write side closed (close_notify or a fatal alert was sent)")

// AlertFor says which alert to send, if any, when err ends a read or a write:
//
//   - an *Error anywhere in the chain: its alert, at the level the alert is
//     always sent with (Level);
//   - nil, io.EOF (the peer sent close_notify; Close answers it), ErrTruncated
//     (the transport is gone), *AlertReceivedError (rfc5246#7.2.2: do not answer
//     a fatal alert), ErrClosed, net.ErrClosed and timeouts: no alert;
//   - any other error, e.g. a local failure: internal_error.
//
// This is the single error → alert mapping of minitls (STYLE §5).
//
// spec: rfc5246#7.2
func AlertFor(err error) (level AlertLevel, desc AlertDescription, send bool) {
	if err == nil {
		return 0, 0, false
	}
	var re *Error
	if errors.As(err, &re) {
		return re.Alert.Level(), re.Alert, true
	}
	var are *AlertReceivedError
	var ne net.Error
	switch {
	case errors.As(err, &are), isEOF(err), errors.Is(err, ErrTruncated), errors.Is(err, ErrClosed),
		errors.Is(err, net.ErrClosed), errors.As(err, &ne) && ne.Timeout():
		return 0, 0, false
	}
	return Fatal, InternalError, true
}
