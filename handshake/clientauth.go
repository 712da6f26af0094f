package handshake

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"slices"

	"minitls/x509lite"
)

// This file holds client authentication in TLS 1.2 (mutual TLS): the
// server's CertificateRequest, the client's Certificate and
// CertificateVerify, and the server's verdict on them.
//
//	ClientHello                  -------->
//	                                                ServerHello
//	                                               Certificate
//	                                         ServerKeyExchange*
//	                                         CertificateRequest
//	                             <--------      ServerHelloDone
//	Certificate
//	ClientKeyExchange
//	CertificateVerify
//	[ChangeCipherSpec]
//	Finished                     -------->
//
// The client proves it holds the private key of its certificate by signing
// the handshake so far (ClientHello up to ClientKeyExchange): one
// private-key operation on the client, one signature check on the server.
//
// Which hash the signature uses: rfc5246#7.4.8 signs handshake_messages with
// the hash of the scheme the client picks among those of the
// CertificateRequest. A minitls server offers only the schemes whose hash is
// the suite's PRF hash (SHA-256 or SHA-384), and a minitls client picks only
// those, so the signed digest is the running transcript hash: neither side
// keeps a copy of the messages for a second hash.
//
// spec: rfc5246#7.4.4, rfc5246#7.4.6, rfc5246#7.4.8

// ClientAuthType says whether a server asks for a client certificate and
// what it requires of the answer; the values and their meaning are
// crypto/tls's.
//
// spec: rfc5246#7.4.4, rfc5246#7.4.6
type ClientAuthType int

// The client authentication policies, weakest first.
const (
	// NoClientCert: no CertificateRequest is sent.
	NoClientCert ClientAuthType = iota
	// RequestClientCert: ask, accept any certificate or none, verify nothing
	// (the application may look at ConnectionState.PeerCertificates).
	RequestClientCert
	// RequireAnyClientCert: ask, require a certificate, verify no chain
	// (the CertificateVerify signature is always checked).
	RequireAnyClientCert
	// VerifyClientCertIfGiven: ask, accept none, but a certificate that is
	// sent must chain to Config.ClientCAs with the clientAuth usage.
	VerifyClientCertIfGiven
	// RequireAndVerifyClientCert: ask, require a certificate that chains to
	// Config.ClientCAs with the clientAuth usage.
	RequireAndVerifyClientCert
)

var clientAuthNames = [...]string{
	NoClientCert:               "NoClientCert",
	RequestClientCert:          "RequestClientCert",
	RequireAnyClientCert:       "RequireAnyClientCert",
	VerifyClientCertIfGiven:    "VerifyClientCertIfGiven",
	RequireAndVerifyClientCert: "RequireAndVerifyClientCert",
}

// String returns the policy's name, e.g. "RequireAndVerifyClientCert".
func (t ClientAuthType) String() string {
	if t >= 0 && int(t) < len(clientAuthNames) {
		return clientAuthNames[t]
	}
	return fmt.Sprintf("ClientAuthType(%d)", int(t))
}

// requests reports whether the server sends a CertificateRequest.
func (t ClientAuthType) requests() bool { return t != NoClientCert }

// requires reports whether an empty client Certificate ends the handshake.
func (t ClientAuthType) requires() bool {
	return t == RequireAnyClientCert || t == RequireAndVerifyClientCert
}

// verifies reports whether a client chain is checked against ClientCAs.
func (t ClientAuthType) verifies() bool {
	return t == VerifyClientCertIfGiven || t == RequireAndVerifyClientCert
}

// ErrClientCertificateRequired: the server requires a client certificate
// and the client sent none. In TLS 1.2 the alert is handshake_failure
// (TLS 1.3 has certificate_required for it).
//
// spec: rfc5246#7.4.6 "If the client does not send any certificates, the
// server MAY at its discretion either continue the handshake without client
// authentication, or respond with a fatal handshake_failure alert."
var ErrClientCertificateRequired = errors.New("the server requires a client certificate and the client sent none")

// The ClientCertificateType values minitls asks for: a certificate whose
// key signs, RSA or ECDSA.
//
// spec: rfc5246#7.4.4, rfc8422#5.5
const (
	certTypeRSASign   uint8 = 1  // rsa_sign
	certTypeECDSASign uint8 = 64 // ecdsa_sign
)

// clientAuthSchemes lists, for the PRF hash h of the negotiated suite, the
// schemes a minitls server offers in its CertificateRequest and a minitls
// client signs CertificateVerify with (see the file comment): RSASSA-PSS
// first, then ECDSA (in TLS 1.2 either ECDSA code point means "ECDSA with
// this hash", whatever the curve), then PKCS#1 v1.5.
//
// spec: rfc5246#7.4.1.4.1, rfc8446#4.2.3, rfc8422#5.1.3
func clientAuthSchemes(h crypto.Hash) []SignatureScheme {
	if h == crypto.SHA384 {
		return []SignatureScheme{PSSWithSHA384, ECDSAWithP384AndSHA384, PKCS1WithSHA384}
	}
	return []SignatureScheme{PSSWithSHA256, ECDSAWithP256AndSHA256, PKCS1WithSHA256}
}

// CertificateRequestInfo is what a server's CertificateRequest asks for,
// as given to Config.GetClientCertificate.
//
// spec: rfc5246#7.4.4
type CertificateRequestInfo struct {
	// AcceptableCAs are the DER distinguished names of the authorities the
	// server trusts; empty means any.
	AcceptableCAs [][]byte
	// SignatureSchemes are the schemes the server accepts in
	// CertificateVerify.
	SignatureSchemes []SignatureScheme
	// Version is the negotiated version (VersionTLS12).
	Version uint16
}

// SupportsCertificate returns nil when c can answer the request: it has a
// chain and a private key that signs with one of SignatureSchemes and, when
// AcceptableCAs is not empty, a certificate of its chain is issued by one
// of them. Otherwise the error says what does not fit.
//
// spec: rfc5246#7.4.6 ("The certificate type MUST be appropriate for the
// client certificate types ... any certificates in the certification path
// MUST be signed by a hash/signature algorithm pair listed")
func (cri *CertificateRequestInfo) SupportsCertificate(c *Certificate) error {
	if len(c.Certificate) == 0 || c.signer() == nil {
		return errors.New("the certificate has no chain or no private key")
	}
	if clientSchemeFor(c, cri.SignatureSchemes) == 0 {
		return fmt.Errorf("its key cannot sign with any scheme the server accepts (%v)", cri.SignatureSchemes)
	}
	if len(cri.AcceptableCAs) == 0 {
		return nil
	}
	for _, der := range c.Certificate {
		cert, err := x509lite.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("parsing the certificate: %v", err)
		}
		for _, name := range cri.AcceptableCAs {
			if bytes.Equal(cert.RawIssuer, name) || bytes.Equal(cert.RawSubject, name) {
				return nil
			}
		}
	}
	return errors.New("no certificate of its chain is issued by an authority the server accepts")
}

// clientSchemeFor returns the first scheme of offered (the server's order)
// that c's key can sign with, or 0.
func clientSchemeFor(c *Certificate, offered []SignatureScheme) SignatureScheme {
	for _, s := range offered {
		switch {
		case c.ECDSAKey != nil && isECDSAScheme(s):
			return s
		case c.PrivateKey != nil && !isECDSAScheme(s) && signatureHash(s) != 0 && signatureFits(s, &c.PrivateKey.PublicKey):
			return s
		}
	}
	return 0
}

// clientAuth is what the client chose in answer to a CertificateRequest:
// the certificate to send (nil: an empty Certificate message) and the
// scheme its CertificateVerify uses.
type clientAuth struct {
	cert   *Certificate
	scheme SignatureScheme
}

// acceptCertificateRequest reads the server's CertificateRequest and picks
// our certificate: Config.GetClientCertificate's, else the first of
// Config.Certificates that SupportsCertificate, else none (an empty
// Certificate follows, which the RFC allows). Only schemes with the suite's
// PRF hash are considered (see the file comment).
//
// spec: rfc5246#7.4.4, rfc5246#7.4.6
func (hs *clientState) acceptCertificateRequest(req *CertificateRequest) error {
	c := hs.c
	var schemes []SignatureScheme
	for _, s := range req.SignatureAlgorithms {
		if signatureHash(s) == hs.suite.hash {
			schemes = append(schemes, s)
		}
	}
	info := &CertificateRequestInfo{AcceptableCAs: req.CertificateAuthorities, SignatureSchemes: schemes, Version: uint16(VersionTLS12)}
	hs.auth = &clientAuth{}
	if get := c.config.GetClientCertificate; get != nil {
		cert, err := get(info)
		if err != nil {
			return fmt.Errorf("%w: Config.GetClientCertificate: %v", ErrConfig, err)
		}
		if cert == nil || len(cert.Certificate) == 0 {
			return nil // no certificate: an empty Certificate message
		}
		if hs.auth.scheme = clientSchemeFor(cert, schemes); hs.auth.scheme == 0 {
			return fmt.Errorf("%w: the certificate from Config.GetClientCertificate cannot sign with any scheme the server accepts with the %v PRF hash (%v)", ErrConfig, hs.suite.hash, req.SignatureAlgorithms)
		}
		hs.auth.cert = cert
		return nil
	}
	for i := range c.config.Certificates {
		cert := &c.config.Certificates[i]
		if info.SupportsCertificate(cert) == nil {
			hs.auth = &clientAuth{cert: cert, scheme: clientSchemeFor(cert, schemes)}
			return nil
		}
	}
	return nil
}

// queueClientCertificate, when the server asked, hashes our Certificate
// (empty when we have none that fits) and holds it for the key exchange
// flight, which it opens.
//
// spec: rfc5246#7.4.6 "This is the first message the client can send after
// receiving a ServerHelloDone message. ... If no suitable certificate is
// available, the client MUST send a certificate message containing no
// certificates."
func (hs *clientState) queueClientCertificate() error {
	if hs.auth == nil {
		return nil
	}
	c := hs.c
	c.setPhase(PhaseClientCertificate)
	m := &CertificateMessage{Certificates: [][]byte{}}
	if hs.auth.cert != nil {
		m.Certificates = hs.auth.cert.Certificate
	}
	if err := c.appendToFlight(&hs.queued, m); err != nil {
		return fmt.Errorf("%w: our client certificate chain: %v", ErrConfig, err)
	}
	return nil
}

// makeCertificateVerify signs the transcript so far (ClientHello up to
// ClientKeyExchange) with our certificate's key.
//
//	struct {
//	     digitally-signed struct {
//	         opaque handshake_messages[handshake_messages_length];
//	     }
//	} CertificateVerify;
//
// spec: rfc5246#7.4.8, rfc5246#4.7
func (hs *clientState) makeCertificateVerify() (*CertificateVerify, error) {
	c := hs.c
	digest := c.transcript.sum() // the suite's hash, which is the scheme's
	sig, err := signWithScheme(c.config.rand(), hs.auth.cert.signer(), hs.auth.scheme, digest)
	if err != nil {
		return nil, fmt.Errorf("%w: signing CertificateVerify with the client certificate's key: %v", ErrConfig, err)
	}
	return &CertificateVerify{Scheme: hs.auth.scheme, Signature: sig}, nil
}

// serverClientAuth is what the server asked of the client and learned
// from it.
type serverClientAuth struct {
	request   *CertificateRequest     // what we sent; nil when we did not ask
	request13 *CertificateRequest13   // the same in TLS 1.3 (clientauth13.go)
	chain     []*x509lite.Certificate // the client's certificates, leaf first; nil if none
}

// certificateRequest returns the CertificateRequest for Config.ClientAuth,
// or nil when the policy does not ask: both key kinds, the schemes of
// clientAuthSchemes for the suite's hash, and the subjects of ClientCAs as
// certificate_authorities.
//
// spec: rfc5246#7.4.4
func (hs *serverState) certificateRequest() (*CertificateRequest, error) {
	config := hs.c.config
	if !config.ClientAuth.requests() {
		return nil, nil
	}
	if config.ClientAuth.verifies() && config.ClientCAs == nil {
		return nil, fmt.Errorf("%w: Config.ClientAuth is %v but Config.ClientCAs is nil; set it to the authorities that issue client certificates", ErrConfig, config.ClientAuth)
	}
	m := &CertificateRequest{
		CertificateTypes:       []uint8{certTypeRSASign, certTypeECDSASign},
		SignatureAlgorithms:    clientAuthSchemes(hs.suite.hash),
		CertificateAuthorities: [][]byte{},
	}
	if config.ClientCAs != nil {
		for _, ca := range config.ClientCAs.Certs() {
			m.CertificateAuthorities = append(m.CertificateAuthorities, ca.RawSubject)
		}
	}
	return m, nil
}

// appendCertificateRequest adds the CertificateRequest, when
// Config.ClientAuth asks for one, to the server's flight (before
// ServerHelloDone).
//
// spec: rfc5246#7.4.4
func (hs *serverState) appendCertificateRequest(flight *[][]byte) error {
	c := hs.c
	m, err := hs.certificateRequest()
	if m == nil || err != nil {
		return err
	}
	c.setPhase(PhaseCertificateRequest)
	if err := c.appendToFlight(flight, m); err != nil {
		return fmt.Errorf("%w: CertificateRequest (too many Config.ClientCAs?): %v", ErrConfig, err)
	}
	hs.clientAuth.request = m
	return nil
}

// readClientCertificate reads the client's Certificate when we asked for
// one, and judges it by Config.ClientAuth: an empty one ends the handshake
// when a certificate is required; a chain is parsed, and verified against
// Config.ClientCAs with the clientAuth usage when the policy verifies.
// Without a CertificateRequest a Certificate here is unexpected_message,
// which readHandshake of ClientKeyExchange already says.
//
// spec: rfc5246#7.4.6, rfc5280#6, rfc5280#4.2.1.12
func (hs *serverState) readClientCertificate() error {
	c := hs.c
	if hs.clientAuth.request == nil {
		return nil
	}
	c.setPhase(PhaseClientCertificate)
	m := new(CertificateMessage)
	if err := c.readHandshake(TypeCertificate, m); err != nil {
		return err
	}
	if len(m.Certificates) == 0 {
		if c.config.ClientAuth.requires() {
			return failf(ErrClientCertificateRequired, "Config.ClientAuth is %v", c.config.ClientAuth)
		}
		return nil
	}
	chain, err := verifyClientChain(c.config, m.Certificates)
	if err != nil {
		return err
	}
	hs.clientAuth.chain = chain
	c.state.PeerCertificates = chain
	return nil
}

// verifyClientChain parses the client's chain and, when the policy
// verifies, checks it like a server chain but against ClientCAs, for the
// clientAuth usage, with no name. The leaf must have a key that signs (RSA
// or ECDSA, digitalSignature when keyUsage is present) whatever the policy:
// CertificateVerify is checked with it.
//
// spec: rfc5246#7.4.6, rfc5246#7.4.8, rfc5280#6, rfc5280#4.2.1.3
func verifyClientChain(config *Config, ders [][]byte) ([]*x509lite.Certificate, error) {
	certs := make([]*x509lite.Certificate, len(ders))
	for i, der := range ders {
		cert, err := x509lite.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		certs[i] = cert
	}
	leaf := certs[0]
	if config.ClientAuth.verifies() {
		inter := x509lite.NewCertPool()
		for _, cert := range certs[1:] {
			inter.AddCert(cert)
		}
		_, err := leaf.Verify(x509lite.VerifyOptions{
			Roots:         config.ClientCAs,
			Intermediates: inter,
			CurrentTime:   config.time(),
			KeyUsages:     []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageClientAuth},
		})
		if err != nil {
			return nil, err
		}
	}
	if leaf.PublicKey == nil && leaf.ECDSAPublicKey == nil {
		return nil, fmt.Errorf("%w: the client's certificate has an %s key; minitls checks CertificateVerify with RSA or ECDSA keys", ErrUnsupportedCertificate, leaf.PublicKeyAlgorithm())
	}
	if leaf.HasExtension(x509lite.OIDExtKeyUsage) && leaf.KeyUsage&x509lite.KeyUsageDigitalSignature == 0 {
		return nil, fmt.Errorf("%w: the client's certificate does not allow digitalSignature, which CertificateVerify needs", ErrUnsupportedCertificate)
	}
	return certs, nil
}

// readCertificateVerify reads the client's CertificateVerify when it sent
// a certificate, and checks its signature over the transcript up to
// ClientKeyExchange with the leaf's key. A scheme we did not offer is
// illegal_parameter; a signature that does not verify is decrypt_error.
//
// spec: rfc5246#7.4.8 ("the hash and signature algorithms used in the
// signature MUST be one of those present in the supported_signature_algorithms
// field of the CertificateRequest message"), rfc5246#7.2.2 decrypt_error
func (hs *serverState) readCertificateVerify() error {
	c := hs.c
	if len(hs.clientAuth.chain) == 0 {
		return nil
	}
	c.setPhase(PhaseCertificateVerify)
	digest := c.transcript.sum() // ClientHello ... ClientKeyExchange
	m := new(CertificateVerify)
	if err := c.readHandshake(TypeCertificateVerify, m); err != nil {
		return err
	}
	if !slices.Contains(hs.clientAuth.request.SignatureAlgorithms, m.Scheme) {
		return failf(ErrIllegalParameter, "the client's CertificateVerify uses %v, which our CertificateRequest did not offer (%v)", m.Scheme, hs.clientAuth.request.SignatureAlgorithms)
	}
	if err := verifyWithScheme(hs.clientAuth.chain[0], m.Scheme, digest, m.Signature); err != nil {
		return failf(ErrBadSignature, "the client's CertificateVerify (%v) does not verify with its certificate's key: %v", m.Scheme, err)
	}
	return nil
}

// ders returns the client's chain as sent (DER), for the session state; nil
// when it sent none.
func (a *serverClientAuth) ders() [][]byte {
	var out [][]byte
	for _, c := range a.chain {
		out = append(out, c.Raw)
	}
	return out
}

// resumedClientChain judges the client identity a session (TLS 1.2) or a
// ticket (TLS 1.3) carries, ders, by
// today's Config: none when a certificate is now required means no
// resumption (a full handshake asks for one), and a chain is verified again
// when the policy verifies (it may have expired, or its CA been removed
// from ClientCAs). It returns the parsed chain, for
// ConnectionState.PeerCertificates.
//
// spec: rfc5246#7.4.6, rfc5077#4 (the state carries the client's identity)
func (hs *serverState) resumedClientChain(ders [][]byte) ([]*x509lite.Certificate, bool) {
	config := hs.c.config
	if len(ders) == 0 {
		return nil, !config.ClientAuth.requires()
	}
	if config.ClientAuth.verifies() && config.ClientCAs == nil {
		return nil, false // a full handshake reports the configuration error
	}
	chain, err := verifyClientChain(config, ders)
	if err != nil {
		return nil, false
	}
	return chain, true
}

// marshalClientCertificates writes the client's chain into a session
// state or ticket:
//
//	ASN.1Cert client_certificates<0..2^24-1>;
func marshalClientCertificates(b *builder, ders [][]byte) {
	b.vector(3, 0, 1<<24-1, "client_certificates", func(b *builder) {
		for _, c := range ders {
			b.opaque(3, 1, 1<<24-1, "ASN.1Cert", c)
		}
	})
}

// parseClientCertificates is marshalClientCertificates's inverse.
func parseClientCertificates(r *reader) [][]byte {
	var ders [][]byte
	list := r.vector(3, 0, 1<<24-1, "client_certificates")
	for !list.empty() && !list.failed() {
		ders = append(ders, cloneBytes(list.opaque(3, 1, 1<<24-1, "ASN.1Cert")))
	}
	return ders
}
