package handshake

import (
	"errors"
	"fmt"
)

// Client authentication in TLS 1.3: the server's CertificateRequest comes
// after EncryptedExtensions; the client answers, after the server's
// Finished, with Certificate (echoing the request's context),
// CertificateVerify (context "TLS 1.3, client CertificateVerify") when it
// has a certificate, and Finished, all under its handshake traffic keys.
//
//	                                  {EncryptedExtensions}
//	                                  {CertificateRequest}
//	                                  {Certificate}
//	                                  {CertificateVerify}
//	                         <------- {Finished}
//	{Certificate}
//	{CertificateVerify}
//	{Finished}               -------->
//
// Unlike TLS 1.2, the signature covers the transcript hash of the suite
// (with a context string), so any scheme works whatever the suite's hash;
// RSA keys sign with RSASSA-PSS only, and an ECDSA scheme names its curve.
//
// spec: rfc8446#4.3.2, rfc8446#4.4.2, rfc8446#4.4.3

// ExtCertificateAuthorities is the certificate_authorities extension: the
// distinguished names of the CAs a peer trusts, in a TLS 1.3
// CertificateRequest (or ClientHello).
//
// spec: rfc8446#4.2.4
const ExtCertificateAuthorities ExtensionType = 47

func init() { extensionTypeNames[ExtCertificateAuthorities] = "certificate_authorities" }

// ErrCertificateRequired13: the server requires a client certificate and
// the TLS 1.3 client sent none.
//
// spec: rfc8446#4.4.2.4 "If the client does not send any certificates
// (i.e., it sends an empty Certificate message), the server MAY at its
// discretion either continue the handshake without client authentication
// or abort the handshake with a "certificate_required" alert."
var ErrCertificateRequired13 = errors.New("the server requires a client certificate and the client sent none (TLS 1.3)")

// CertificateAuthorities is the body of certificate_authorities.
//
//	opaque DistinguishedName<1..2^16-1>;
//
//	struct {
//	    DistinguishedName authorities<3..2^16-1>;
//	} CertificateAuthoritiesExtension;
//
// spec: rfc8446#4.2.4
type CertificateAuthorities struct {
	Authorities [][]byte // DER distinguished names
}

// Marshal returns the extension_data body.
func (a *CertificateAuthorities) Marshal() ([]byte, error) {
	var b builder
	b.vector(2, 3, 1<<16-1, "authorities", func(b *builder) {
		for _, dn := range a.Authorities {
			b.opaque(2, 1, 1<<16-1, "DistinguishedName", dn)
		}
	})
	return b.result()
}

// Unmarshal parses an extension_data body.
func (a *CertificateAuthorities) Unmarshal(data []byte) error {
	*a = CertificateAuthorities{}
	r := newReader(data, "certificate_authorities")
	list := r.vector(2, 3, 1<<16-1, "authorities")
	for !list.empty() && !list.failed() {
		a.Authorities = append(a.Authorities, list.opaque(2, 1, 1<<16-1, "DistinguishedName"))
	}
	return r.finish("certificate_authorities")
}

// clientAuthSchemes13 are the schemes a minitls TLS 1.3 server accepts in
// the client's CertificateVerify: RSASSA-PSS and ECDSA (rfc8446#4.2.3
// forbids PKCS#1 v1.5 there), in crypto/tls's order.
var clientAuthSchemes13 = []SignatureScheme{PSSWithSHA256, ECDSAWithP256AndSHA256, PSSWithSHA384, ECDSAWithP384AndSHA384, PSSWithSHA512}

// clientScheme13For returns the first scheme of offered that c's key can
// sign with under TLS 1.3's rules (PSS for RSA, the curve's own scheme for
// ECDSA), or 0.
//
// spec: rfc8446#4.2.3, rfc8446#4.4.3
func clientScheme13For(c *Certificate, offered []SignatureScheme) SignatureScheme {
	for _, s := range offered {
		switch {
		case c.ECDSAKey != nil && s == ecdsaSchemeFor(c.ECDSAKey.Curve()):
			return s
		case c.PrivateKey != nil && isPSS(s) && signatureFits(s, &c.PrivateKey.PublicKey):
			return s
		}
	}
	return 0
}

// acceptCertificateRequest13 reads the server's request (signature_algorithms
// is required: missing_extension; certificate_authorities is optional) and
// picks our certificate as in TLS 1.2.
//
// spec: rfc8446#4.3.2 ("The "signature_algorithms" extension MUST be
// specified"), rfc8446#4.2.4
func (h *clientState13) acceptCertificateRequest13(req *CertificateRequest13) (*clientAuth, error) {
	c := h.c
	data, ok := findExtension(req.Extensions, ExtSignatureAlgorithms)
	if !ok {
		return nil, failf(ErrMissingExtension, "CertificateRequest without signature_algorithms")
	}
	var algs SignatureAlgorithms
	if err := algs.Unmarshal(data); err != nil {
		return nil, err
	}
	var cas CertificateAuthorities
	if data, ok := findExtension(req.Extensions, ExtCertificateAuthorities); ok {
		if err := cas.Unmarshal(data); err != nil {
			return nil, err
		}
	}
	info := &CertificateRequestInfo{AcceptableCAs: cas.Authorities, SignatureSchemes: algs.Schemes, Version: uint16(VersionTLS13)}
	var cert *Certificate
	if get := c.config.GetClientCertificate; get != nil {
		var err error
		if cert, err = get(info); err != nil {
			return nil, fmt.Errorf("%w: Config.GetClientCertificate: %v", ErrConfig, err)
		}
	} else {
		for i := range c.config.Certificates {
			if info.supportsCertificate13(&c.config.Certificates[i]) {
				cert = &c.config.Certificates[i]
				break
			}
		}
	}
	if cert == nil || len(cert.Certificate) == 0 {
		return &clientAuth{}, nil
	}
	a := &clientAuth{cert: cert, scheme: clientScheme13For(cert, algs.Schemes)}
	if a.scheme == 0 {
		return nil, fmt.Errorf("%w: the client certificate's key cannot sign with any TLS 1.3 scheme the server accepts (%v)", ErrConfig, algs.Schemes)
	}
	return a, nil
}

// supportsCertificate13 is SupportsCertificate with TLS 1.3's scheme rules.
func (cri *CertificateRequestInfo) supportsCertificate13(c *Certificate) bool {
	return clientScheme13For(c, cri.SignatureSchemes) != 0 && cri.SupportsCertificate(c) == nil
}

// appendClientCertificate13 adds, when the server asked, our Certificate
// (with the request's context; empty when we have none) and, with a
// certificate, our CertificateVerify to the client's last flight.
//
// spec: rfc8446#4.4.2 ("certificate_request_context: If this message is in
// response to a CertificateRequest, the value of certificate_request_context
// in that message"), rfc8446#4.4.3
func (h *clientState13) appendClientCertificate13(flight *[][]byte) error {
	if h.certRequest == nil {
		return nil
	}
	c := h.c
	auth, err := h.acceptCertificateRequest13(h.certRequest)
	if err != nil {
		return err
	}
	c.setPhase(PhaseClientCertificate)
	cm := &Certificate13{Context: h.certRequest.Context}
	if auth.cert != nil {
		for _, der := range auth.cert.Certificate {
			cm.Entries = append(cm.Entries, CertificateEntry{Data: der})
		}
	}
	if err := c.appendToFlight(flight, cm); err != nil {
		return fmt.Errorf("%w: our client certificate chain: %v", ErrConfig, err)
	}
	if auth.cert == nil {
		return nil
	}
	c.setPhase(PhaseCertificateVerify)
	digest := signedContent13(auth.scheme, clientSignatureContext, c.transcript.sum())
	sig, err := signWithScheme(c.config.rand(), auth.cert.signer(), auth.scheme, digest)
	if err != nil {
		return fmt.Errorf("%w: signing CertificateVerify with the client certificate's key: %v", ErrConfig, err)
	}
	return c.appendToFlight(flight, &CertificateVerify{Scheme: auth.scheme, Signature: sig})
}

// certificateRequest13 returns the server's TLS 1.3 CertificateRequest for
// Config.ClientAuth, or nil: an empty context (minitls does not
// authenticate after the handshake), signature_algorithms,
// signature_algorithms_cert (what x509lite verifies in a chain) and, with
// ClientCAs, certificate_authorities.
//
// spec: rfc8446#4.3.2, rfc8446#4.2.3, rfc8446#4.2.4
func (h *serverState13) certificateRequest13() (*CertificateRequest13, error) {
	config := h.c.config
	if !config.ClientAuth.requests() {
		return nil, nil
	}
	if config.ClientAuth.verifies() && config.ClientCAs == nil {
		return nil, fmt.Errorf("%w: Config.ClientAuth is %v but Config.ClientCAs is nil; set it to the authorities that issue client certificates", ErrConfig, config.ClientAuth)
	}
	m := &CertificateRequest13{Context: []byte{}}
	add := func(t ExtensionType, body extensionMarshaler) error {
		e, err := NewExtension(t, body)
		if err != nil {
			return fmt.Errorf("%w: CertificateRequest: %v", ErrConfig, err)
		}
		m.Extensions = append(m.Extensions, e)
		return nil
	}
	if err := add(ExtSignatureAlgorithms, &SignatureAlgorithms{Schemes: clientAuthSchemes13}); err != nil {
		return nil, err
	}
	if err := add(ExtSignatureAlgsCert, &SignatureAlgorithms{Schemes: clientCertSignatureSchemes}); err != nil {
		return nil, err
	}
	if config.ClientCAs != nil && config.ClientCAs.Len() > 0 {
		var cas CertificateAuthorities
		for _, ca := range config.ClientCAs.Certs() {
			cas.Authorities = append(cas.Authorities, ca.RawSubject)
		}
		if err := add(ExtCertificateAuthorities, &cas); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// appendCertificateRequest13 adds the CertificateRequest, when
// Config.ClientAuth asks for one, after EncryptedExtensions. (Never with a
// PSK: rfc8446#4.3.2 "Servers which are authenticating with a PSK MUST NOT
// send the CertificateRequest message in the main handshake".)
//
// spec: rfc8446#4.3.2
func (h *serverState13) appendCertificateRequest13(flight *[][]byte) error {
	m, err := h.certificateRequest13()
	if m == nil || err != nil {
		return err
	}
	h.c.setPhase(PhaseCertificateRequest)
	if err := h.c.appendToFlight(flight, m); err != nil {
		return fmt.Errorf("%w: CertificateRequest (too many Config.ClientCAs?): %v", ErrConfig, err)
	}
	h.hs.clientAuth.request13 = m
	return nil
}

// readClientCertificate13 reads the client's Certificate and
// CertificateVerify when we asked: the context must be ours
// (illegal_parameter), an empty Certificate ends the handshake with
// certificate_required when the policy requires one, a chain is judged as
// in TLS 1.2, and the signature must use a scheme we offered that suits the
// key (illegal_parameter) and verify (decrypt_error).
//
// spec: rfc8446#4.4.2, rfc8446#4.4.2.4, rfc8446#4.4.3
func (h *serverState13) readClientCertificate13() error {
	c := h.c
	req := h.hs.clientAuth.request13
	if req == nil {
		return nil
	}
	c.setPhase(PhaseClientCertificate)
	msg, err := c.readHandshake13(0, TypeCertificate)
	if err != nil {
		return err
	}
	cm := msg.(*Certificate13)
	if string(cm.Context) != string(req.Context) {
		return failf(ErrIllegalParameter, "the client's Certificate has certificate_request_context %x, our CertificateRequest %x", cm.Context, req.Context)
	}
	if len(cm.Entries) == 0 {
		if c.config.ClientAuth.requires() {
			return failf(ErrCertificateRequired13, "Config.ClientAuth is %v", c.config.ClientAuth)
		}
		return nil
	}
	chain, err := verifyClientChain(c.config, cm.certificates())
	if err != nil {
		return err
	}
	c.setPhase(PhaseCertificateVerify)
	th := c.transcript.sum()
	msg, err = c.readHandshake13(0, TypeCertificateVerify)
	if err != nil {
		return err
	}
	cv := msg.(*CertificateVerify)
	if err := checkScheme13(cv.Scheme, chain[0], clientAuthSchemes13, "client"); err != nil { // ecdsa.go
		return err
	}
	digest := signedContent13(cv.Scheme, clientSignatureContext, th)
	if err := verifyWithScheme(chain[0], cv.Scheme, digest, cv.Signature); err != nil {
		return failf(ErrBadSignature, "the client's CertificateVerify (%v) does not verify with its certificate's key: %v", cv.Scheme, err)
	}
	h.hs.clientAuth.chain = chain
	c.state.PeerCertificates = chain
	return nil
}
