package handshake

import (
	"errors"
	"fmt"
	"net"

	"minitls/record"
)

// Error ends a handshake or a connection. It names the phase that failed,
// the alert minitls sent to the peer because of it (if Sent), and the cause,
// which errors.Is / errors.As reach: a *ParseError, one of the Err* values
// below, an x509lite error, a *record.Error, or a *record.AlertReceivedError
// when the peer gave up first.
//
// spec: rfc5246#7.2.2
type Error struct {
	Phase Phase                   // the step that failed
	Alert record.AlertDescription // the alert sent to the peer; only meaningful if Sent
	Sent  bool                    // whether an alert was (or was to be) sent
	Err   error                   // the cause
}

// Error says which phase failed, why, and which alert was sent.
func (e *Error) Error() string {
	s := "minitls: handshake failed in phase " + e.Phase.String() + ": " + e.Err.Error()
	if e.Sent {
		s += " (sent alert " + e.Alert.String() + ")"
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Causes of handshake failures. Each maps to one alert in alertTable.
var (
	// ErrUnexpectedMessage: a message of the wrong type for this phase.
	// It is record.ErrUnexpectedHandshake: the record layer finds most of
	// them from the message header, before the length is judged.
	// spec: rfc5246#7.4, rfc5246#7.2.2
	ErrUnexpectedMessage = record.ErrUnexpectedHandshake
	// ErrNoCommonCipherSuite: the client offered none of the server's suites.
	// spec: rfc5246#7.4.1.3
	ErrNoCommonCipherSuite = errors.New("no cipher suite in common (minitls implements, for TLS 1.2, AES-GCM and ChaCha20-Poly1305 suites with ECDHE key agreement or RSA key transport, which DefaultCipherSuites lists, and for TLS 1.3 TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256; enable one on both sides)")
	// ErrUnsupportedVersion: the peer does not speak TLS 1.2.
	// spec: rfc5246#E.1, rfc5246#7.2.2
	ErrUnsupportedVersion = errors.New("peer supports none of the protocol versions enabled here (minitls speaks TLS 1.3 and TLS 1.2; see Config.MinVersion/MaxVersion)")
	// ErrUnsupportedExtension: a ServerHello carried an extension the client did not offer.
	// spec: rfc5246#7.4.1.4
	ErrUnsupportedExtension = errors.New("server sent an extension the client did not offer")
	// ErrIllegalParameter: a well-formed field holds a value the protocol forbids here.
	// spec: rfc5246#7.2.2
	ErrIllegalParameter = errors.New("illegal parameter")
	// ErrBadFinished: the peer's Finished verify_data is wrong: the two
	// sides disagree on the transcript or the master secret.
	// spec: rfc5246#7.4.9
	ErrBadFinished = errors.New("peer's Finished does not verify (different transcript or master secret)")
	// ErrRenegotiationInfo: renegotiation_info was not empty on an initial handshake.
	// spec: rfc5746#3.4, rfc5746#3.6
	ErrRenegotiationInfo = errors.New("renegotiation_info is not empty on an initial handshake")
	// ErrNoApplicationProtocol: no ALPN protocol in common.
	// spec: rfc7301#3.2
	ErrNoApplicationProtocol = errors.New("no application protocol (ALPN) in common")
	// ErrRenegotiationRefused: the peer tried to renegotiate.
	// spec: rfc5746#4.2, rfc5246#7.2.2
	ErrRenegotiationRefused = errors.New("peer tried to renegotiate; minitls does not support renegotiation")
	// ErrNoCertificate: the server has no certificate to send.
	// spec: rfc5246#7.4.2
	ErrNoCertificate = errors.New("server has no certificate: set Config.Certificates")
	// ErrCertificateRequired: the server sent an empty Certificate message.
	// spec: rfc5246#7.4.2
	ErrCertificateRequired = errors.New("server sent no certificate")
	// ErrUnsupportedCertificate: the server's certificate cannot be used
	// for the negotiated key exchange (no RSA key, a key usage that forbids
	// it, or a key too small to carry the premaster secret).
	// spec: rfc5246#7.4.2, rfc5280#4.2.1.3
	ErrUnsupportedCertificate = errors.New("unsupported server certificate")
	// ErrNoCommonSignatureScheme: the client's signature_algorithms lists
	// no scheme that the server's certificate keys can sign with (or, in
	// TLS 1.2, is absent, which leaves only SHA-1). Groups and suites may
	// well match: this is its own cause so that logs say which list did not.
	// spec: rfc5246#7.4.1.4.1, rfc8446#4.2.3, rfc8446#4.1.1
	ErrNoCommonSignatureScheme = errors.New("no signature algorithm in common: the client accepts no signature our certificate's key can make (minitls signs with rsa_pss_rsae_sha256/384/512 and rsa_pkcs1_sha256/384/512 for an RSA key, ecdsa_secp256r1_sha256 or ecdsa_secp384r1_sha384 for an ECDSA key); let the client accept one, or give the server a certificate whose key it accepts")
	// ErrConfig: the configuration cannot work (a local mistake, never the peer's).
	// spec: rfc5246#7.2.2 (internal_error)
	ErrConfig = errors.New("invalid configuration")
)

// alertTable maps each cause to the alert the RFC prescribes, with the
// reference. It is data so a reader can check every row against the RFC,
// and tests assert each row against malformed input.
var alertTable = []struct {
	cause error
	alert record.AlertDescription
	spec  string
}{
	{ErrUnexpectedMessage, record.UnexpectedMessage, "rfc5246#7.2.2 unexpected_message"},
	{ErrNoCommonCipherSuite, record.HandshakeFailure, "rfc5246#7.4.1.3 (no acceptable choices: handshake_failure)"},
	{ErrUnsupportedVersion, record.ProtocolVersion, "rfc5246#7.2.2 protocol_version, rfc5246#E.1"},
	{ErrUnsupportedExtension, record.UnsupportedExtension, "rfc5246#7.4.1.4 (unsupported_extension)"},
	{ErrIllegalParameter, record.IllegalParameter, "rfc5246#7.2.2 illegal_parameter"},
	{ErrBadFinished, record.DecryptError, "rfc5246#7.2.2 decrypt_error (\"validate a Finished message\")"},
	{ErrRenegotiationInfo, record.HandshakeFailure, "rfc5746#3.4, rfc5746#3.6 (handshake_failure)"},
	{ErrResumeEMSMismatch, record.HandshakeFailure, "rfc7627#5.3 (\"abort the handshake\", which rfc7627#5.2 defines as a fatal handshake_failure)"},
	{ErrNoApplicationProtocol, record.NoApplicationProtocol, "rfc7301#3.2 no_application_protocol"},
	{ErrRenegotiationRefused, record.NoRenegotiation, "rfc5246#7.2.2 no_renegotiation"},
	{ErrNoCertificate, record.HandshakeFailure, "rfc5246#7.4.2 (a server with no certificate cannot do RSA key transport)"},
	{ErrCertificateRequired, record.BadCertificate, "rfc5246#7.4.2 (the server MUST send a certificate for RSA)"},
	{ErrClientCertificateRequired, record.HandshakeFailure, "rfc5246#7.4.6 (no client certificate: \"respond with a fatal handshake_failure alert\")"},
	{ErrCertificateRequired13, record.CertificateRequired, "rfc8446#4.4.2.4 certificate_required"},
	{ErrUnsupportedCertificate, record.UnsupportedCertificate, "rfc5246#7.4.2 (RSA key with keyEncipherment), rfc5246#7.2.2 unsupported_certificate"},
	{ErrInvalidPublicKey, record.IllegalParameter, "rfc8422#5.11 (point validation), rfc7748#6.1 (all-zero X25519 secret), rfc5246#7.2.2 illegal_parameter"},
	{ErrBadSignature, record.DecryptError, "rfc5246#7.2.2 decrypt_error (\"unable to correctly verify a signature\"), rfc8422#5.4"},
	{ErrNoCommonGroup, record.HandshakeFailure, "rfc8422#5.1.1, rfc5246#7.4.1.3 (no acceptable choices: handshake_failure)"},
	{ErrNoCommonSignatureScheme, record.HandshakeFailure, "rfc5246#7.4.1.4.1, rfc8446#4.1.1 (no overlap in parameters: handshake_failure)"},
	{ErrConfig, record.InternalError, "rfc5246#7.2.2 internal_error (a local mistake, explained in the error)"},
}

// alertFor picks the alert for err and whether to send one: a cause from
// alertTable; a *ParseError (decode_error or illegal_parameter); an x509lite
// error, which knows its alert (bad_certificate, unknown_ca,
// certificate_expired, unsupported_certificate); otherwise the record
// layer's mapping (which also says when not to answer at all: after the
// peer's fatal alert, a closed transport, a timeout).
func alertFor(err error) (record.AlertDescription, bool) {
	for _, row := range alertTable {
		if errors.Is(err, row.cause) {
			return row.alert, true
		}
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		if pe.Illegal {
			return record.IllegalParameter, true
		}
		return record.DecodeError, true
	}
	var me *MarshalError
	if errors.As(err, &me) {
		return record.InternalError, true
	}
	var ce interface{ Alert() uint8 }
	if errors.As(err, &ce) {
		return record.AlertDescription(ce.Alert()), true
	}
	// A transport failure (reset, broken pipe, timeout): the peer is gone
	// or silent, and an alert would not reach it.
	var oe *net.OpError
	if errors.As(err, &oe) {
		return record.InternalError, false
	}
	_, desc, send := record.AlertFor(err)
	return desc, send
}

// failf returns an error with cause and a formatted detail.
func failf(cause error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", cause, fmt.Sprintf(format, args...))
}
