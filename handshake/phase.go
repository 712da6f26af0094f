package handshake

import "fmt"

// Phase names the step of the handshake a connection is in. Both sides walk
// the same sequence, the message flow of a full handshake, so a trace of
// either side reads like the figure in the RFC:
//
//	Client                                               Server
//
//	ClientHello                  -------->
//	                                                ServerHello
//	                                               Certificate
//	                                         ServerKeyExchange*
//	                                        CertificateRequest*
//	                             <--------      ServerHelloDone
//	Certificate*
//	ClientKeyExchange
//	[ChangeCipherSpec]
//	Finished                     -------->
//	                                         [ChangeCipherSpec]
//	                             <--------             Finished
//	Application Data             <------->     Application Data
//
// A resumed session takes the abbreviated path of rfc5246#7.3 instead:
// ClientHello, ServerHello, session resumed, [NewSessionTicket], key
// derivation, server ChangeCipherSpec and Finished first, then the client's.
//
// (* ServerKeyExchange only with the ECDHE suites; CertificateRequest and
// the client's Certificate only when the server asks for a client
// certificate, and minitls then sends an empty one.)
//
// Each step sets the phase before it sends or waits for its message, so an
// error names the step that failed, and tests assert the whole sequence.
//
// spec: rfc5246#7.3
type Phase uint8

// The phases, in the order of a full handshake.
//
// spec: rfc5246#7.3
const (
	PhaseStart                  Phase = iota // nothing sent or received yet
	PhaseClientHello                         // ClientHello sent / awaited
	PhaseServerHello                         // ServerHello sent / awaited
	PhaseSessionResumed                      // abbreviated handshake: the session's master secret is reused, no certificate, no key exchange (rfc5246#7.3)
	PhaseServerCertificate                   // Certificate sent / awaited and checked
	PhaseServerKeyExchange                   // ServerKeyExchange sent / awaited and its signature checked (ECDHE only)
	PhaseCertificateRequest                  // the server asked for a client certificate (optional)
	PhaseServerHelloDone                     // ServerHelloDone sent / awaited
	PhaseClientKeyExchange                   // ClientKeyExchange sent / awaited
	PhaseKeyDerivation                       // master secret and key block computed
	PhaseClientChangeCipherSpec              // client's ChangeCipherSpec
	PhaseClientFinished                      // client's Finished
	PhaseNewSessionTicket                    // the server's NewSessionTicket (only when it promised a ticket; rfc5077#3.3)
	PhaseServerChangeCipherSpec              // server's ChangeCipherSpec
	PhaseServerFinished                      // server's Finished
	PhaseEstablished                         // application data may flow
	PhaseClosed                              // close_notify sent or received
	PhaseFailed                              // a fatal error ended the connection

	// TLS 1.3 only (rfc8446#2), numbered after the others so the TLS 1.2
	// values stay as they were.
	PhaseHelloRetryRequest   // the server asked for a share in another group (rfc8446#4.1.4)
	PhaseEncryptedExtensions // EncryptedExtensions sent / awaited (rfc8446#4.3.1)
	PhaseCertificateVerify   // CertificateVerify sent / awaited and checked (rfc8446#4.4.3; the client's in TLS 1.2, rfc5246#7.4.8)

	// The client's Certificate, when the server asked for one (rfc5246#7.4.6).
	PhaseClientCertificate
)

var phaseNames = [...]string{
	PhaseStart:                  "start",
	PhaseClientHello:            "ClientHello",
	PhaseServerHello:            "ServerHello",
	PhaseSessionResumed:         "session resumed",
	PhaseServerCertificate:      "Certificate",
	PhaseServerKeyExchange:      "ServerKeyExchange",
	PhaseCertificateRequest:     "CertificateRequest",
	PhaseServerHelloDone:        "ServerHelloDone",
	PhaseClientKeyExchange:      "ClientKeyExchange",
	PhaseKeyDerivation:          "key derivation",
	PhaseClientChangeCipherSpec: "client ChangeCipherSpec",
	PhaseClientFinished:         "client Finished",
	PhaseNewSessionTicket:       "NewSessionTicket",
	PhaseServerChangeCipherSpec: "server ChangeCipherSpec",
	PhaseServerFinished:         "server Finished",
	PhaseEstablished:            "established",
	PhaseClosed:                 "closed",
	PhaseFailed:                 "failed",
	PhaseHelloRetryRequest:      "HelloRetryRequest",
	PhaseEncryptedExtensions:    "EncryptedExtensions",
	PhaseCertificateVerify:      "CertificateVerify",
	PhaseClientCertificate:      "client Certificate",
}

// String returns the phase's name, e.g. "ServerHelloDone".
func (p Phase) String() string {
	if int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return fmt.Sprintf("Phase(%d)", uint8(p))
}
