// Package handshake is minitls's TLS 1.2 handshake and its crypto/tls-shaped
// API: Config, Client, Server, Dial, Listen and Conn.
//
// It speaks exactly TLS 1.2 (RFC 5246) with RSA key transport and AES-GCM
// (RFC 5288): TLS_RSA_WITH_AES_128_GCM_SHA256 and
// TLS_RSA_WITH_AES_256_GCM_SHA384, with the extended master secret (RFC
// 7627), secure renegotiation signalling (RFC 5746; renegotiation itself is
// refused), SNI (RFC 6066) and ALPN (RFC 7301). It interoperates with
// crypto/tls, OpenSSL and curl (see the tests).
//
// Reading order, following the message flow of rfc5246#7.3:
//
//	wire.go          bounded reader and builder every message uses
//	message.go       the handshake header and the Message interface
//	hello.go         ClientHello, ServerHello, HelloRequest
//	extensions.go    the hello extensions
//	certificate.go   Certificate (CertificateMessage)
//	serverhellodone.go, keyexchange.go, finished.go
//	prf.go           PRF, master secret, key expansion, verify_data
//	suites.go        the two cipher suites
//	transcript.go    the running handshake hash
//	client.go        the client's state machine, one method per flight
//	server.go        the server's, including the RFC 5246 §7.4.7.1
//	                 countermeasure against Bleichenbacher's attack
//	errors.go        the error type and the cause → alert table
//	phase.go, trace.go  phases and the Trace hook
//	conn.go, config.go  the public API
//
// Not supported, on purpose: TLS versions other than 1.2, renegotiation,
// session resumption (session IDs and tickets), compression, client
// certificates (a CertificateRequest is answered with an empty Certificate), (EC)DHE key exchange, CBC suites and SSLv2-compatible hellos.
//
// What is constant time: the premaster secret decryption and selection
// (server.go), the Finished comparison (prf.go). Public: every length on the
// wire, the negotiated parameters, and the outcome of certificate checks.
//
// Secrets leave the package only through Config.KeyLogWriter (the NSS key log
// format) and the Trace hook's EventKey events, which exist for teaching
// (`minitls demo` prints them). Neither is set by default.
//
// spec: rfc5246#7
package handshake
