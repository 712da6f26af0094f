package handshake

import (
	"crypto/subtle"
	"fmt"
	"io"
	"slices"

	"minitls/cipher/rsa"
	"minitls/x509lite"
)

// serverHandshake runs a full handshake as the server, one method per
// flight, in the order of the message flow:
//
//	ClientHello                  -------->
//	                                                ServerHello
//	                                               Certificate
//	                             <--------      ServerHelloDone
//	ClientKeyExchange
//	[ChangeCipherSpec]
//	Finished                     -------->
//	                                         [ChangeCipherSpec]
//	                             <--------             Finished
//
// spec: rfc5246#7.3
func (c *Conn) serverHandshake() error {
	hs := &serverState{c: c}
	if err := hs.readClientHello(); err != nil {
		return err
	}
	if hs.tls13 {
		return hs.handshake13() // server13.go
	}
	if hs.resumption.session != nil {
		return hs.resumeHandshake() // resume_server.go
	}
	if err := hs.sendServerFlight(); err != nil {
		return err
	}
	if err := hs.readClientKeyExchange(); err != nil {
		return err
	}
	finished, err := hs.readFinished()
	if err != nil {
		return err
	}
	if err := hs.sendNewSessionTicket(finished); err != nil {
		return err
	}
	if err := hs.sendFinished(finished); err != nil {
		return err
	}
	c.establish(finished)
	hs.rememberSession()
	return nil
}

// serverState is what the server learns during one handshake.
type serverState struct {
	c              *Conn
	hello          *ClientHello
	serverHello    *ServerHello
	suite          *suite
	cert           *Certificate
	secureRenegSig bool
	masterSecret   []byte
	ecdhe          ecdheChoice // group and signature scheme, for an ECDHE suite
	ecdheKey       *ecdheKey   // our ephemeral key, until ClientKeyExchange

	resumption serverResumption // session to resume or to offer (resume_server.go)
	clientAuth serverClientAuth // what we asked of the client and learned (clientauth.go)

	tls13 bool // the client offers TLS 1.3 and we enable it (server13.go)
}

// readClientHello reads the ClientHello and makes every choice: version,
// suite (by our preference), extensions, certificate.
//
// spec: rfc5246#7.4.1.2, rfc5246#7.4.1.3
func (hs *serverState) readClientHello() error {
	c := hs.c
	c.setPhase(PhaseClientHello)
	if len(c.config.Certificates) == 0 {
		return ErrNoCertificate
	}
	m := new(ClientHello)
	if err := c.readHandshake(TypeClientHello, m); err != nil {
		return err
	}
	hs.hello = m
	if c.config.accepts13(m) { // server13.go
		hs.tls13 = true
		return nil
	}
	if !c.config.supports12() {
		return failf(ErrUnsupportedVersion, "client does not offer TLS 1.3; Config.MinVersion asks for it")
	}

	// Version. A TLS 1.3 client lists its versions in supported_versions
	// and puts 0x0303 in client_version; a TLS 1.2 one only has
	// client_version, the highest it supports.
	// spec: rfc8446#4.2.1, rfc5246#E.1
	if versions, ok := m.SupportedVersions(); ok {
		found := false
		for _, v := range versions {
			found = found || v == VersionTLS12
		}
		if !found {
			return failf(ErrUnsupportedVersion, "client's supported_versions %v lacks TLS 1.2", versions)
		}
	} else if m.Version < VersionTLS12 {
		return failf(ErrUnsupportedVersion, "client offers at most %v", m.Version)
	}

	// spec: rfc5246#7.4.1.2 "this vector MUST contain, and all
	// implementations MUST support, CompressionMethod.null"
	hasNull := false
	for _, cm := range m.CompressionMethods {
		hasNull = hasNull || cm == 0
	}
	if !hasNull {
		return failf(ErrIllegalParameter, "compression_methods lacks null")
	}

	// Suite: the first of ours that the client offers (in the order of
	// preferServerSuites, suites.go: ChaCha20-Poly1305 first for a client
	// that lists it first); an ECDHE suite only when a group and a signature
	// hash are shared too (ecdhe_handshake.go).
	ecdhe, err := chooseECDHE(c.config, m)
	if err != nil {
		return err
	}
	hs.ecdhe = ecdhe
	var skippedECDHE error // why the first ECDHE suite both offer was refused
	for _, s := range preferServerSuites(c.config, m.CipherSuites) {
		if !c.config.hasKeyFor(s) {
			continue // no certificate with the kind of key s needs (ecdsa.go)
		}
		for _, id := range m.CipherSuites {
			if id == s.id && s.ecdhe && !ecdhe.allows(s) {
				if skippedECDHE == nil {
					skippedECDHE = ecdhe.refusal(s)
				}
			} else if id == s.id {
				hs.suite = s
				break
			}
		}
		if hs.suite != nil {
			break
		}
	}
	if hs.suite == nil && skippedECDHE != nil {
		// spec: rfc8422#5.1.1, rfc5246#7.4.1.3, rfc5246#7.4.1.4.1
		// (handshake_failure)
		return fmt.Errorf("%w, and no RSA key-transport suite is enabled on both sides", skippedECDHE)
	}
	if hs.suite == nil {
		return failf(ErrNoCommonCipherSuite, "client offered %v", m.CipherSuites)
	}

	// Secure renegotiation: an initial handshake carries it empty.
	// spec: rfc5746#3.6
	signalled, rc := m.SecureRenegotiation()
	if len(rc) != 0 {
		return failf(ErrRenegotiationInfo, "client sent %d bytes", len(rc))
	}
	hs.secureRenegSig = signalled

	c.state.ExtendedMasterSecret = m.ExtendedMasterSecret() && !c.config.disableEMS
	c.state.ServerName = m.ServerName()

	// ALPN: our preference among the client's protocols. spec: rfc7301#3.2
	if clientProtos := m.ALPNProtocols(); len(clientProtos) > 0 && len(c.config.NextProtos) > 0 {
		for _, p := range c.config.NextProtos {
			for _, q := range clientProtos {
				if p == q && c.state.NegotiatedProtocol == "" {
					c.state.NegotiatedProtocol = p
				}
			}
		}
		if c.state.NegotiatedProtocol == "" {
			return failf(ErrNoApplicationProtocol, "client offered %q, we support %q", clientProtos, c.config.NextProtos)
		}
	}

	cert, err := hs.pickCertificate()
	if err != nil {
		return err
	}
	hs.cert = cert
	// A resumed session keeps its own suite (resume_server.go).
	if err := hs.checkResumption(); err != nil {
		return err
	}
	c.state.CipherSuite = uint16(hs.suite.id)
	c.transcript.setHash(hs.suite.prf)
	return nil
}

// pickCertificate returns, among the certificates with an RSA key, the
// first whose leaf matches the SNI name, else the first one; for an
// ECDHE_ECDSA suite, the ECDSA certificate chooseECDHE picked.
func (hs *serverState) pickCertificate() (*Certificate, error) {
	if hs.suite != nil && hs.suite.signsWithECDSA() && hs.ecdhe.ecdsaCert != nil {
		return hs.ecdhe.ecdsaCert, nil
	}
	certs := hs.c.config.Certificates
	chosen := &certs[0]
	if i := slices.IndexFunc(certs, func(c Certificate) bool { return c.PrivateKey != nil }); i >= 0 {
		chosen = &certs[i]
	}
	if name := hs.c.state.ServerName; name != "" {
		i := slices.IndexFunc(certs, func(c Certificate) bool {
			return c.PrivateKey != nil && c.Leaf != nil && slices.Contains(c.Leaf.DNSNames, name)
		})
		if i >= 0 {
			chosen = &certs[i]
		}
	}
	if len(chosen.Certificate) == 0 || chosen.PrivateKey == nil {
		return nil, fmt.Errorf("%w: the certificate needs a chain and a private key", ErrNoCertificate)
	}
	if chosen.Leaf == nil {
		if _, err := x509lite.ParseCertificate(chosen.Certificate[0]); err != nil {
			return nil, fmt.Errorf("%w: parsing our own certificate: %v", ErrConfig, err)
		}
	}
	return chosen, nil
}

// sendServerFlight sends ServerHello, Certificate, for an ECDHE suite the
// signed ServerKeyExchange, and ServerHelloDone in one write. The
// ServerHello's session_id is empty unless the session cache is on (see
// offerResumption; spec: rfc5246#7.4.1.3) and it carries renegotiation_info whenever
// the client signalled RFC 5746 by extension or SCSV (every OpenSSL-based
// client insists), extended_master_secret when both use it, and the ALPN
// choice. encrypt_then_mac is never echoed: it means nothing for AEAD
// suites (spec: rfc7366#3).
//
// spec: rfc5246#7.4.1.3, rfc5746#3.6, rfc7627#5.2, rfc7301#3.1
func (hs *serverState) sendServerFlight() error {
	c := hs.c
	c.setPhase(PhaseServerHello)
	sh := &ServerHello{
		Version:     VersionTLS12,
		SessionID:   []byte{},
		CipherSuite: hs.suite.id,
	}
	if _, err := io.ReadFull(c.config.rand(), sh.Random[:]); err != nil {
		return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
	}
	c.config.markDowngrade(&sh.Random) // rfc8446#4.1.3
	var exts []Extension
	add := func(t ExtensionType, body extensionMarshaler) error {
		e, err := NewExtension(t, body)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		exts = append(exts, e)
		return nil
	}
	if hs.secureRenegSig {
		if err := add(ExtRenegotiationInfo, &RenegotiationInfo{RenegotiatedConnection: []byte{}}); err != nil {
			return err
		}
	}
	if c.state.ExtendedMasterSecret {
		if err := add(ExtExtendedMasterSecret, nil); err != nil {
			return err
		}
	}
	if c.state.NegotiatedProtocol != "" {
		if err := add(ExtALPN, &ProtocolNameList{Protocols: []string{c.state.NegotiatedProtocol}}); err != nil {
			return err
		}
	}
	if _, sent := hs.hello.PointFormats(); sent && hs.suite.ecdhe {
		// spec: rfc8422#5.2 (answer ec_point_formats when ECC is negotiated)
		if err := add(ExtECPointFormats, &ECPointFormats{Formats: []uint8{pointUncompressed}}); err != nil {
			return err
		}
	}
	if err := hs.offerResumption(sh, add); err != nil {
		return err
	}
	sh.Extensions = exts
	hs.serverHello = sh
	raw, err := sh.Marshal()
	if err != nil {
		return err
	}
	c.transcript.write(raw)
	c.traceMessage(true, sh, raw)

	c.setPhase(PhaseServerCertificate)
	cm := &CertificateMessage{Certificates: hs.cert.Certificate}
	rawCert, err := cm.Marshal()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	c.transcript.write(rawCert)
	c.traceMessage(true, cm, rawCert)
	flight := [][]byte{raw, rawCert}

	if hs.suite.ecdhe {
		c.setPhase(PhaseServerKeyExchange)
		ske, err := hs.makeServerKeyExchange()
		if err != nil {
			return err
		}
		rawSKE, err := ske.Marshal()
		if err != nil {
			return err
		}
		c.transcript.write(rawSKE)
		c.traceMessage(true, ske, rawSKE)
		flight = append(flight, rawSKE)
	}

	if err := hs.appendCertificateRequest(&flight); err != nil { // clientauth.go
		return err
	}

	c.setPhase(PhaseServerHelloDone)
	done := &ServerHelloDone{}
	rawDone, _ := done.Marshal()
	c.transcript.write(rawDone)
	c.traceMessage(true, done, rawDone)
	return c.sendFlight(append(flight, rawDone))
}

// readClientKeyExchange decrypts the premaster secret without revealing
// whether the decryption worked (RSA key transport), or computes it from
// the client's ECDHE public value, then derives the keys. When we asked for
// a client certificate, the client's Certificate comes first and its
// CertificateVerify after (clientauth.go).
//
// spec: rfc5246#7.4.7.1, rfc8422#5.7, rfc5246#7.4.6, rfc5246#7.4.8
func (hs *serverState) readClientKeyExchange() error {
	c := hs.c
	if err := hs.readClientCertificate(); err != nil {
		return err
	}
	c.setPhase(PhaseClientKeyExchange)
	var pre []byte
	var err error
	if hs.suite.ecdhe {
		pre, err = hs.readECDHEClientKeyExchange()
	} else {
		m := new(ClientKeyExchange)
		if err := c.readHandshake(TypeClientKeyExchange, m); err != nil {
			return err
		}
		pre, err = hs.decryptPreMasterSecret(m.EncryptedPreMasterSecret)
	}
	if err != nil {
		return err
	}
	hs.masterSecret, err = c.deriveKeys(hs.suite, pre, hs.hello.Random[:], hs.serverHello.Random[:])
	if err != nil {
		return err
	}
	return hs.readCertificateVerify()
}

// decryptPreMasterSecret follows the countermeasure of rfc5246#7.4.7.1
// against Bleichenbacher's attack: draw 48 random bytes R first, decrypt,
// and select in constant time between the decrypted value M and R. A bad
// padding, a wrong length, a wrong ciphertext length and wrong version bytes
// all yield R, so the handshake goes on and fails only at Finished, with no
// distinct alert, error or timing.
//
// Version bytes: of the two usual choices (force them to
// ClientHello.client_version, or ignore them as Go's crypto/tls does),
// minitls FORCES: the premaster secret always begins with client_version.
// It goes one step further than a plain overwrite, as the RFC's algorithm
// says ("If M[0..1] != ClientHello.client_version: premaster secret = R")
// and as OpenSSL does: a mismatch selects R, in constant time, since R also
// starts with client_version. Why: the version bytes are the RFC's defence
// against a man in the middle rolling the version back, and ignoring them
// exists only for ancient clients that wrote the negotiated version there;
// minitls speaks only TLS 1.2, and every client that does (OpenSSL, Go,
// curl, browsers) writes client_version. Such a client would fail at
// Finished, never earlier (TestWrongVersionInPremaster).
//
// The ciphertext length is public (it is on the wire); everything else here
// runs in time independent of the secret.
func (hs *serverState) decryptPreMasterSecret(ciphertext []byte) ([]byte, error) {
	c := hs.c
	random := make([]byte, 48)
	if _, err := io.ReadFull(c.config.rand(), random[2:]); err != nil {
		return nil, fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
	}
	v := hs.hello.Version
	random[0], random[1] = byte(v>>8), byte(v)
	pre := make([]byte, 48)
	copy(pre, random)
	// The only errors are public facts (ciphertext length, a bad key);
	// they too continue with R so the peer sees nothing different.
	_ = rsa.DecryptPKCS1v15SessionKey(c.config.rand(), hs.cert.PrivateKey, ciphertext, pre)
	versionOK := subtle.ConstantTimeByteEq(pre[0], random[0]) & subtle.ConstantTimeByteEq(pre[1], random[1])
	subtle.ConstantTimeCopy(1-versionOK, pre, random)
	return pre, nil
}

// readFinished reads the client's ChangeCipherSpec and Finished and checks
// it against our transcript.
//
// spec: rfc5246#7.1, rfc5246#7.4.9
func (hs *serverState) readFinished() (finishedVerified, error) {
	c := hs.c
	c.setPhase(PhaseClientChangeCipherSpec)
	if err := c.rec.ReadChangeCipherSpec(); err != nil {
		return finishedVerified{}, err
	}
	c.setPhase(PhaseClientFinished)
	want := VerifyData(hs.suite.prf, hs.masterSecret, labelClientFinished, c.transcript.sum())
	m := new(Finished)
	if err := c.readHandshake(TypeFinished, m); err != nil {
		return finishedVerified{}, err
	}
	return checkPeerFinished(m, want)
}

// sendFinished sends our ChangeCipherSpec and Finished. It requires the
// proof that the client's Finished verified: a server must not confirm a
// handshake it has not authenticated.
//
// spec: rfc5246#7.4.9
func (hs *serverState) sendFinished(_ finishedVerified) error {
	c := hs.c
	c.setPhase(PhaseServerChangeCipherSpec)
	if err := c.writeChangeCipherSpec(); err != nil {
		return err
	}
	c.setPhase(PhaseServerFinished)
	vd := VerifyData(hs.suite.prf, hs.masterSecret, labelServerFinished, c.transcript.sum())
	return c.writeFlight(&Finished{VerifyData: vd})
}
