// Package record is minitls's TLS 1.2 record layer: the part of TLS that every
// byte travels through. It frames bytes into records, splits large writes into
// records of at most 2^14 bytes, protects records with an AEAD cipher
// (AES-GCM in minitls), reassembles handshake messages that the peer split over
// several records, and turns every protocol violation into the alert that the
// peer should receive.
//
// It knows nothing about certificates or key exchange. The handshake layer above
// hands it keys as a *pending* Protection; the keys become *active* only when a
// ChangeCipherSpec record is sent or received, and the sequence number of that
// direction restarts at zero at that moment.
//
// The layers, from the wire up:
//
//	bytes on the wire  --Reader.Next-->  one record (Header + fragment)
//	protected fragment --Protection.Open-->  plaintext fragment
//	plaintext fragments --Conn.ReadHandshake-->  whole handshake messages
//	                    --Conn.ReadApplicationData-->  application bytes
//
// One file per concern: header.go (framing and the Reader), alert.go (alerts
// and errors), protection.go (AEAD nonce and additional data), fragment.go (the
// writing half: fragmenting and packing), reassembly.go (handshake messages),
// conn.go (the reading half and the connection state), trace.go (events).
//
// Errors: everything that should make the connection fail with an alert is an
// *Error carrying that alert. The record layer does not send alerts on its own
// when reading fails (STYLE §5: only the top of Handshake/Read/Write sends
// alerts); the caller passes the error to AlertFor, or to Conn.SendAlertFor,
// which picks the alert (or none, e.g. after the peer's own fatal alert).
//
// Not supported, on purpose: compression (RFC 5246 §6.2.2; only the null
// method exists here), CBC and stream ciphers (only AEAD suites, RFC 5288),
// SSLv2-compatible hellos, and renegotiation (a renegotiation request after
// the handshake is reported to the caller, who refuses it with
// no_renegotiation; any other handshake message then is unexpected_message;
// see SetRenegotiationRequest).
//
// Handshake message sizes: the table in reassembly.go derives the largest
// body of each message type from its RFC struct, once for all of minitls
// (MaxHandshakeBody; package handshake's parsers use it too).
//
// spec: rfc5246#6
package record
