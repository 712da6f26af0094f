package handshake

import (
	"errors"
	"fmt"
	"io"

	"minitls/cipher/rsa"
	"minitls/record"
	"minitls/x509lite"
)

// clientHandshake runs a full handshake as the client, one method per
// flight, in the order of the message flow:
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
//
// (ServerKeyExchange only with an ECDHE suite.)
//
// spec: rfc5246#7.3
func (c *Conn) clientHandshake() error {
	if c.config.ServerName == "" && !c.config.InsecureSkipVerify {
		return fmt.Errorf("%w: set Config.ServerName (the name to check the certificate against) or InsecureSkipVerify", ErrConfig)
	}
	hs := &clientState{c: c}
	if err := hs.sendClientHello(); err != nil {
		return err
	}
	if err := hs.readServerHello(); err != nil {
		return err
	}
	if hs.tls13 {
		return hs.handshake13() // client13.go
	}
	if hs.serverResumed() {
		return hs.resumeHandshake() // resume_client.go
	}
	verified, err := hs.readCertificate()
	if err != nil {
		return err
	}
	var params serverParamsVerified
	if hs.suite.ecdhe {
		if params, err = hs.readServerKeyExchange(verified); err != nil {
			return err
		}
	}
	if err := hs.readServerHelloDone(); err != nil {
		return err
	}
	if err := hs.queueClientCertificate(); err != nil { // clientauth.go
		return err
	}
	if hs.suite.ecdhe {
		err = hs.sendECDHEClientKeyExchange(verified, params)
	} else {
		err = hs.sendClientKeyExchange(verified)
	}
	if err != nil {
		return err
	}
	if err := hs.sendFinished(); err != nil {
		return err
	}
	if err := hs.readNewSessionTicket(); err != nil {
		return err
	}
	finished, err := hs.readFinished()
	if err != nil {
		return err
	}
	c.establish(finished)
	hs.saveSession()
	return nil
}

// clientState is what the client learns during one handshake.
type clientState struct {
	c            *Conn
	hello        *ClientHello
	serverHello  *ServerHello
	suite        *suite
	serverKey    *rsa.PublicKey
	masterSecret []byte
	// auth: the server sent CertificateRequest, so our flight starts with
	// a Certificate (empty when we have none that fits) and, with one,
	// CertificateVerify follows ClientKeyExchange (clientauth.go).
	// spec: rfc5246#7.4.6
	auth   *clientAuth
	queued [][]byte // hashed messages waiting for the key exchange flight

	resumption clientResumption // session offered or to save (resume_client.go)

	offered13 *clientOffer13 // what we offered for TLS 1.3, if anything (client13.go)
	tls13     bool           // the server chose TLS 1.3
}

// sendClientHello offers TLS 1.2, our suites, and the extensions real
// servers expect: server_name (for a host name), signature_algorithms
// (OpenSSL's s_server refuses a hello without it), extended_master_secret,
// an empty renegotiation_info, and ALPN when configured.
//
// spec: rfc5246#7.4.1.2
func (hs *clientState) sendClientHello() error {
	c := hs.c
	c.setPhase(PhaseClientHello)
	enabled := c.config.enabledSuites()
	if !c.config.supports12() && !c.config.supports13() {
		return fmt.Errorf("%w: no version left to offer: Config allows %v to %v, and Config.CipherSuites lists no TLS 1.2 suite minitls implements (TLS 1.3 suites need MaxVersion 1.3)",
			ErrConfig, ProtocolVersion(c.config.minVersion()), ProtocolVersion(c.config.maxVersion()))
	}
	if !c.config.supports12() {
		enabled = nil // TLS 1.3 only: offer13 fills the suites in
	} else if len(enabled) == 0 {
		return fmt.Errorf("%w: Config.CipherSuites enables no suite minitls implements", ErrConfig)
	}
	m := &ClientHello{
		Version:            VersionTLS12,
		CompressionMethods: []uint8{0}, // null only; spec: rfc5246#6.2.2
		Extensions:         []Extension{},
	}
	if _, err := io.ReadFull(c.config.rand(), m.Random[:]); err != nil {
		return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
	}
	offerECDHE := false
	for _, s := range enabled {
		if s.ecdhe && len(c.config.curves()) == 0 {
			continue // no group enabled: ECDHE cannot work
		}
		offerECDHE = offerECDHE || s.ecdhe
		m.CipherSuites = append(m.CipherSuites, s.id)
	}
	if len(m.CipherSuites) == 0 && c.config.supports12() {
		return fmt.Errorf("%w: Config.CipherSuites enables only ECDHE suites but Config.CurvePreferences no group minitls implements", ErrConfig)
	}
	add := func(t ExtensionType, body extensionMarshaler) error {
		e, err := NewExtension(t, body)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		m.Extensions = append(m.Extensions, e)
		return nil
	}
	if host := hostnameForSNI(c.config.ServerName); host != "" {
		if err := add(ExtServerName, &ServerNameList{HostName: host}); err != nil {
			return err
		}
	}
	// We can verify RSASSA-PSS (rsa_pss_rsae_*) and PKCS#1 v1.5 signatures
	// with SHA-256/384/512 in the ServerKeyExchange, PSS first, as crypto/tls
	// lists them; in the chain only PKCS#1 v1.5, which
	// signature_algorithms_cert says apart.
	// spec: rfc5246#7.4.1.4.1, rfc8446#4.2.3
	if err := add(ExtSignatureAlgorithms, &SignatureAlgorithms{Schemes: clientSignatureSchemes}); err != nil {
		return err
	}
	if err := add(ExtSignatureAlgsCert, &SignatureAlgorithms{Schemes: clientCertSignatureSchemes}); err != nil {
		return err
	}
	if !c.config.disableEMS {
		if err := add(ExtExtendedMasterSecret, nil); err != nil {
			return err
		}
	}
	if err := add(ExtRenegotiationInfo, &RenegotiationInfo{RenegotiatedConnection: []byte{}}); err != nil {
		return err
	}
	if len(c.config.NextProtos) > 0 {
		if err := add(ExtALPN, &ProtocolNameList{Protocols: c.config.NextProtos}); err != nil {
			return err
		}
	}
	if offerECDHE {
		exts, err := ecdheHelloExtensions(c.config)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		m.Extensions = append(m.Extensions, exts...)
	}
	if err := hs.offerSession(m, add); err != nil {
		return err
	}
	if err := hs.offer13(m, add); err != nil { // client13.go
		return err
	}
	if c.config.testEditClientHello != nil {
		c.config.testEditClientHello(m)
	}
	hs.hello = m
	// The record carrying the first ClientHello says TLS 1.0, which every
	// server accepts; the hello itself says 1.2. spec: rfc5246#E.1
	c.rec.SetVersion(uint16(VersionTLS10))
	if err := c.writeFlight(m); err != nil {
		return err
	}
	c.rec.SetVersion(uint16(VersionTLS12))
	return nil
}

// readServerHello checks the server's choices against what we offered.
//
// spec: rfc5246#7.4.1.3
func (hs *clientState) readServerHello() error {
	c := hs.c
	c.setPhase(PhaseServerHello)
	m := new(ServerHello)
	if err := c.readHandshake(TypeServerHello, m); err != nil {
		return explainHelloRefusal(err)
	}
	hs.serverHello = m
	if hs.offered13 != nil {
		var err error
		if hs.tls13, err = hs.serverChose13(m); hs.tls13 || err != nil { // client13.go
			return err
		}
	}
	if m.Version != VersionTLS12 {
		return failf(ErrUnsupportedVersion, "server chose %v", m.Version)
	}
	offered := false
	for _, s := range hs.hello.CipherSuites {
		offered = offered || s == m.CipherSuite
	}
	hs.suite = suiteByID(m.CipherSuite)
	if !offered || hs.suite == nil {
		return failf(ErrIllegalParameter, "server chose cipher suite %v, which we did not offer", m.CipherSuite)
	}
	if m.CompressionMethod != 0 {
		return failf(ErrIllegalParameter, "server chose compression method %d; we offered only null", m.CompressionMethod)
	}
	// Every extension in the ServerHello must answer one we sent.
	// spec: rfc5246#7.4.1.4 "If a client receives an extension type in
	// ServerHello that it did not request in the associated ClientHello, it
	// MUST abort the handshake with an unsupported_extension fatal alert."
	for _, e := range m.Extensions {
		_, requested := hs.hello.extension(e.Type)
		if e.Type == ExtRenegotiationInfo {
			// The SCSV requests it too. spec: rfc5746#3.4
			requested, _ = hs.hello.SecureRenegotiation()
		}
		if !requested {
			return failf(ErrUnsupportedExtension, "%v", e.Type)
		}
		switch e.Type {
		case ExtRenegotiationInfo:
			var ri RenegotiationInfo
			if err := ri.Unmarshal(e.Data); err != nil {
				return err
			}
			if len(ri.RenegotiatedConnection) != 0 {
				// spec: rfc5746#3.4
				return failf(ErrRenegotiationInfo, "server sent %d bytes", len(ri.RenegotiatedConnection))
			}
		case ExtExtendedMasterSecret:
			c.state.ExtendedMasterSecret = true
		case ExtSessionTicket:
			hs.resumption.ticketExpected = true // spec: rfc5077#3.2
		case ExtALPN:
			var p ProtocolNameList
			if err := p.Unmarshal(e.Data); err != nil {
				return err
			}
			ok := false
			for _, proto := range c.config.NextProtos {
				ok = ok || proto == p.Protocols[0]
			}
			if !ok {
				// spec: rfc7301#3.1 the server selects one of the client's protocols.
				return failf(ErrIllegalParameter, "server selected ALPN protocol %q, which we did not offer", p.Protocols[0])
			}
			c.state.NegotiatedProtocol = p.Protocols[0]
		case ExtECPointFormats:
			var p ECPointFormats
			if err := p.Unmarshal(e.Data); err != nil {
				return err
			}
			if !p.hasUncompressed() {
				// spec: rfc8422#5.2, rfc8422#5.1.2 (uncompressed MUST be supported)
				return failf(ErrIllegalParameter, "server's ec_point_formats %v lacks uncompressed(0)", p.Formats)
			}
		}
	}
	c.state.CipherSuite = uint16(m.CipherSuite)
	c.state.ServerName = hostnameForSNI(c.config.ServerName)
	c.transcript.setHash(hs.suite.prf)
	return nil
}

// explainHelloRefusal adds what to do when a server refuses our hello: the
// usual reasons are that it shares none of our suites (many servers disable
// RSA key transport, and ECDHE_RSA needs an RSA certificate on the server)
// or does not speak TLS 1.2.
func explainHelloRefusal(err error) error {
	var are *record.AlertReceivedError
	if !errors.As(err, &are) {
		return err
	}
	switch are.Description {
	case record.HandshakeFailure, record.InsufficientSecurity:
		return fmt.Errorf("%w; the server probably enables none of the suites minitls offered: TLS_ECDHE_RSA_WITH_AES_128/256_GCM (with x25519 or secp256r1 and an RSA certificate) and TLS_RSA_WITH_AES_128/256_GCM (RSA key transport, which many servers disable)", err)
	case record.ProtocolVersion:
		return fmt.Errorf("%w; the server accepts none of the versions we offered (minitls speaks TLS 1.3 and 1.2; see Config.MinVersion/MaxVersion)", err)
	}
	return err
}

// chainVerified proves that the server's certificate chain was verified
// (or that the user explicitly disabled verification with
// InsecureSkipVerify). Only verifyServerChain creates one; the key exchange
// takes it as a parameter, so the premaster secret is never encrypted to an
// unchecked key.
type chainVerified struct{}

// readCertificate reads and verifies the server's chain.
//
// spec: rfc5246#7.4.2
func (hs *clientState) readCertificate() (chainVerified, error) {
	c := hs.c
	c.setPhase(PhaseServerCertificate)
	m := new(CertificateMessage)
	if err := c.readHandshake(TypeCertificate, m); err != nil {
		return chainVerified{}, err
	}
	return hs.verifyServerChain(m.Certificates)
}

// verifyServerChain parses the chain, checks it against Config.RootCAs and
// Config.ServerName at Config.Time, and keeps the leaf's RSA key. x509lite's
// errors carry the alert that fits (bad_certificate, unknown_ca,
// certificate_expired, unsupported_certificate).
//
// spec: rfc5246#7.4.2, rfc5280#6
func (hs *clientState) verifyServerChain(ders [][]byte) (chainVerified, error) {
	c := hs.c
	if len(ders) == 0 {
		return chainVerified{}, ErrCertificateRequired
	}
	certs := make([]*x509lite.Certificate, len(ders))
	for i, der := range ders {
		cert, err := x509lite.ParseCertificate(der)
		if err != nil {
			return chainVerified{}, err
		}
		certs[i] = cert
	}
	if !c.config.InsecureSkipVerify {
		// A nil RootCAs leaves Roots nil: x509lite then uses the system
		// bundle, parsed once per process rather than once per handshake.
		roots := c.config.RootCAs
		inter := x509lite.NewCertPool()
		for _, cert := range certs[1:] {
			inter.AddCert(cert)
		}
		_, err := certs[0].Verify(x509lite.VerifyOptions{
			Roots:         roots,
			Intermediates: inter,
			DNSName:       c.config.ServerName,
			CurrentTime:   c.config.time(),
			KeyUsages:     []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth},
		})
		if err != nil {
			return chainVerified{}, err
		}
	}
	if err := checkServerKeyKind(hs.suite, certs[0]); err != nil { // ecdsa.go
		return chainVerified{}, err
	}
	if hs.suite == nil || hs.suite.ecdhe { // nil: TLS 1.3, where the key signs too
		if err := checkSigningKeyUsage(certs[0]); err != nil {
			return chainVerified{}, err
		}
	} else if certs[0].HasExtension(x509lite.OIDExtKeyUsage) && certs[0].KeyUsage&x509lite.KeyUsageKeyEncipherment == 0 {
		// spec: rfc5246#7.4.2 "RSA: ... the keyEncipherment bit MUST be set if
		// the key usage extension is present." The premaster secret is
		// encrypted to this key, so it must be allowed to encrypt.
		return chainVerified{}, fmt.Errorf("%w: the server's certificate does not allow keyEncipherment, which RSA key transport needs", ErrUnsupportedCertificate)
	}
	hs.serverKey = certs[0].PublicKey
	c.state.PeerCertificates = certs
	return chainVerified{}, nil
}

// readServerHelloDone reads the end of the server's flight, after an
// optional CertificateRequest, for which we pick a certificate from
// Config.Certificates or Config.GetClientCertificate (clientauth.go). With
// RSA key transport there is no ServerKeyExchange: it is unexpected_message
// here.
//
// spec: rfc5246#7.4.4, rfc5246#7.4.5
func (hs *clientState) readServerHelloDone() error {
	c := hs.c
	c.setPhase(PhaseServerHelloDone)
	m, err := c.readHandshakeOf(TypeCertificateRequest, TypeServerHelloDone)
	if err != nil {
		return err
	}
	if m.Type() == TypeServerHelloDone {
		return nil
	}
	c.setPhase(PhaseCertificateRequest)
	if err := hs.acceptCertificateRequest(m.(*CertificateRequest)); err != nil {
		return err
	}
	c.setPhase(PhaseServerHelloDone)
	return c.readHandshake(TypeServerHelloDone, new(ServerHelloDone))
}

// sendClientKeyExchange makes the premaster secret (client_version then 46
// random bytes), encrypts it to the verified server key, and derives the
// keys. The client_version is the one in our ClientHello, so a version
// rollback is detected by the server.
//
// spec: rfc5246#7.4.7.1
func (hs *clientState) sendClientKeyExchange(_ chainVerified) error {
	c := hs.c
	c.setPhase(PhaseClientKeyExchange)
	pre := make([]byte, 48)
	pre[0], pre[1] = byte(hs.hello.Version>>8), byte(hs.hello.Version)
	if v := c.config.testPremasterVersion; v != 0 {
		pre[0], pre[1] = byte(v>>8), byte(v)
	}
	if _, err := io.ReadFull(c.config.rand(), pre[2:]); err != nil {
		return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
	}
	ct, err := rsa.EncryptPKCS1v15(c.config.rand(), hs.serverKey, pre)
	if err != nil {
		return fmt.Errorf("%w: encrypting the premaster secret to the server's key: %v", ErrUnsupportedCertificate, err)
	}
	return hs.sendKeyExchangeFlight(&ClientKeyExchange{EncryptedPreMasterSecret: ct}, pre)
}

// sendKeyExchangeFlight sends ClientKeyExchange cke (RSA or ECDHE), after
// our Certificate when the server asked for one, derives the keys from the
// premaster secret pre (the extended master secret's session hash ends at
// ClientKeyExchange), and sends CertificateVerify when we have a
// certificate, all in one write.
//
// spec: rfc5246#7.4.6, rfc5246#7.4.7, rfc5246#7.4.8, rfc5246#8.1,
// rfc7627#3
func (hs *clientState) sendKeyExchangeFlight(cke Message, pre []byte) error {
	c := hs.c
	flight := hs.queued // our Certificate, if the server asked (queueClientCertificate)
	add := func(m Message) error { return c.appendToFlight(&flight, m) }
	if err := add(cke); err != nil {
		return err
	}
	var err error
	hs.masterSecret, err = c.deriveKeys(hs.suite, pre, hs.hello.Random[:], hs.serverHello.Random[:])
	if err != nil {
		return err
	}
	if hs.auth != nil && hs.auth.cert != nil {
		c.setPhase(PhaseCertificateVerify)
		cv, err := hs.makeCertificateVerify()
		if err != nil {
			return err
		}
		if err := add(cv); err != nil {
			return err
		}
	}
	return c.sendFlight(flight)
}

// sendFinished switches our direction to the new keys and sends Finished.
//
// spec: rfc5246#7.1, rfc5246#7.4.9
func (hs *clientState) sendFinished() error {
	c := hs.c
	c.setPhase(PhaseClientChangeCipherSpec)
	if err := c.writeChangeCipherSpec(); err != nil {
		return err
	}
	c.setPhase(PhaseClientFinished)
	vd := VerifyData(hs.suite.prf, hs.masterSecret, labelClientFinished, c.transcript.sum())
	return c.writeFlight(&Finished{VerifyData: vd})
}

// readFinished reads the server's ChangeCipherSpec and Finished and checks it.
//
// spec: rfc5246#7.4.9
func (hs *clientState) readFinished() (finishedVerified, error) {
	c := hs.c
	c.setPhase(PhaseServerChangeCipherSpec)
	if err := c.rec.ReadChangeCipherSpec(); err != nil {
		return finishedVerified{}, err
	}
	c.setPhase(PhaseServerFinished)
	want := VerifyData(hs.suite.prf, hs.masterSecret, labelServerFinished, c.transcript.sum())
	m := new(Finished)
	if err := c.readHandshake(TypeFinished, m); err != nil {
		return finishedVerified{}, err
	}
	return checkPeerFinished(m, want)
}
