// Package handshake is minitls's TLS 1.2 handshake and its crypto/tls-shaped
// API: Config, Client, Server, Dial, Listen and Conn.
//
// It speaks exactly TLS 1.2 (RFC 5246) with AES-GCM (RFC 5288, RFC 5289)
// and two key exchanges: ephemeral ECDH signed with the RSA certificate key,
// by RSASSA-PSS (rsa_pss_rsae_*, RFC 8446 §4.2.3) in preference to PKCS#1
// v1.5 (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 and
// TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, on x25519, secp256r1 or secp384r1, RFC 8422),
// preferred because it gives forward secrecy, and RSA key transport
// (TLS_RSA_WITH_AES_128_GCM_SHA256 and TLS_RSA_WITH_AES_256_GCM_SHA384), with the extended master secret (RFC
// 7627), secure renegotiation signalling (RFC 5746; renegotiation itself is
// refused), SNI (RFC 6066) and ALPN (RFC 7301), and session resumption by
// session_id (a bounded, expiring server cache) and by ticket (RFC 5077,
// sealed with AES-256-GCM under rotating keys), bound to the extended master
// secret (RFC 7627 §5.3). It interoperates with crypto/tls, OpenSSL and curl
// (see the tests).
//
// Reading order, following the message flow of rfc5246#7.3:
//
//	wire.go          bounded reader and builder every message uses
//	message.go       the handshake header and the Message interface
//	hello.go         ClientHello, ServerHello, HelloRequest
//	extensions.go    the hello extensions
//	certificate.go   Certificate (CertificateMessage)
//	serverhellodone.go, keyexchange.go, finished.go
//	serverkeyexchange.go  ServerKeyExchange, its signature schemes (PSS,
//	                 PKCS#1 v1.5), and the ECDHE ClientKeyExchange
//	ecdhe_extensions.go   supported_groups, ec_point_formats
//	ecdhe.go         the ECDHE key agreement (x25519, secp256r1, secp384r1) and why
//	ecdhe_handshake.go  the ECDHE-only steps of client and server
//	prf.go           PRF, master secret, key expansion, verify_data
//	suites.go        the four cipher suites, in preference order
//	transcript.go    the running handshake hash
//	client.go        the client's state machine, one method per flight
//	server.go        the server's, including the RFC 5246 §7.4.7.1
//	                 countermeasure against Bleichenbacher's attack
//	session.go       what is remembered of a session, ClientSessionCache
//	sessioncache.go  the bounded, expiring LRU cache; the server's state
//	ticket.go        NewSessionTicket, ticket sealing and key rotation
//	resume_client.go, resume_server.go  the abbreviated handshake
//	errors.go        the error type and the cause → alert table
//	phase.go, trace.go  phases and the Trace hook
//	conn.go, config.go  the public API
//
// Not supported, on purpose: TLS versions other than 1.2, renegotiation,
// resuming sessions made without the extended master secret, compression, client
// certificates (a CertificateRequest is answered with an empty Certificate),
// finite-field DHE, ECDSA certificates, compressed EC points, CBC suites and
// SSLv2-compatible hellos.
//
// Rules the RFCs leave to the implementation, as minitls applies them:
//
//   - Sizes: a message may be as large as its RFC struct allows, and no
//     larger. The bound of each type is derived once, in package record's
//     table (record.MaxHandshakeBody): a ClientHello up to 131396 bytes
//     (rfc5246#7.4.1.2: 2^16-2 bytes of cipher suites, 2^16-1 of
//     extensions). The record layer checks it from the 4-byte header,
//     before buffering the body, and the parsers here use the same bound;
//     only Certificate is capped lower, at 256 KiB, to bound memory. The
//     largest ClientHello costs a server about 1.4 MiB of heap in all
//     (TestLargestClientHelloMemory).
//   - Order: a message of a type that may not come next is
//     unexpected_message, judged from its header before its length
//     (rfc5246#7.4), and so is a ChangeCipherSpec other than the byte 01
//     (rfc8446#5).
//   - Renegotiation is refused: after the handshake a HelloRequest (at a
//     client) or a ClientHello (at a server) is answered with the warning
//     no_renegotiation, any other handshake message is unexpected_message,
//     and a client ignores HelloRequests during the handshake
//     (rfc5246#7.4.1.1); at most record.MaxConsecutiveRenegotiationRequests
//     of them without application data in between.
//   - Alerts: only close_notify, user_canceled and no_renegotiation are
//     survived at warning level; any other alert ends the connection
//     whatever its level (rfc5246#7.2.2, rfc8446#6).
//   - SNI: server_name entries of types other than host_name are ignored
//     (rfc6066#3); two host_names, or an empty one, are decode_error.
//   - An ECDHE ClientHello without signature_algorithms is refused with
//     handshake_failure (or falls back to RSA key transport when both sides
//     offer it): without the extension a client accepts only SHA-1
//     signatures (rfc5246#7.4.1.4.1), and RFC 9155 §3 forbids SHA-1
//     signatures in TLS 1.2.
//
// What is constant time: the premaster secret decryption and selection
// (server.go), the Finished comparison (prf.go), the ECDH key agreement and
// its all-zero check (ecdhe.go; crypto/ecdh and x/crypto/curve25519). Public: every length on the
// wire, the negotiated parameters, and the outcome of certificate checks.
//
// Secrets leave the package only through Config.KeyLogWriter (the NSS key log
// format) and the Trace hook's EventKey events, which exist for teaching
// (`minitls demo` prints them). Neither is set by default.
//
// spec: rfc5246#7
package handshake
