package handshake

import (
	"bytes"
	"fmt"
	"io"
	"slices"
)

// The TLS 1.3 server. server.go reads the ClientHello; when the client lists
// TLS 1.3 in supported_versions and this server enables it, handshake13 takes
// over. The server's whole answer is one flight:
//
//	ServerHello, [ChangeCipherSpec], {EncryptedExtensions}, {Certificate},
//	{CertificateVerify}, {Finished}
//
// and the client's Finished completes the handshake. When no share of the
// client's is in a group the server accepts, a HelloRetryRequest asks for one
// first.
//
// spec: rfc8446#2, rfc8446#4

// serverState13 is what the TLS 1.3 server learns during one handshake.
type serverState13 struct {
	c        *Conn
	hs       *serverState
	hello    *ClientHello // the last ClientHello received
	suite    *suite13
	group    CurveID
	share    []byte // the client's key share in group, nil before a HelloRetryRequest
	scheme   SignatureScheme
	cookie   []byte
	sentCCS  bool
	ks       *keySchedule13
	clientHS []byte
	serverHS []byte
	clientAP []byte
	serverAP []byte
	random   [32]byte
	psk      []byte // the PSK of the session resumed, if any (resume13.go)
	prefix   []byte // message_hash and HelloRetryRequest, what precedes ClientHello2
}

// accepts13 reports whether the server negotiates TLS 1.3 with the client
// of this hello: it enables TLS 1.3 and the client lists it in
// supported_versions.
//
// spec: rfc8446#4.2.1
func (c *Config) accepts13(m *ClientHello) bool {
	versions, ok := m.SupportedVersions()
	return ok && c.supports13() && slices.Contains(versions, VersionTLS13)
}

// handshake13 runs the TLS 1.3 server handshake after the ClientHello.
//
// spec: rfc8446#2, rfc8446#4
func (hs *serverState) handshake13() error {
	c := hs.c
	c.rec.SetPostHandshake() // TLS 1.3 rules from now on (record layer)
	c.rec.SetCompatCCS(true)
	h := &serverState13{c: c, hs: hs, hello: hs.hello}
	if err := h.chooseParameters(); err != nil {
		return err
	}
	if h.share == nil {
		if err := h.retry(); err != nil {
			return err
		}
	}
	var err error
	if h.psk, err = h.acceptPSK13(h.prefix); err != nil { // resume13.go
		return err
	}
	if err := h.sendServerHello(); err != nil {
		return err
	}
	if err := h.sendServerFlight(); err != nil {
		return err
	}
	finished, err := h.readClientFinished()
	if err != nil {
		return err
	}
	c.establish13(finished)
	return h.sendSessionTicket13() // resume13.go
}

// chooseParameters checks the ClientHello and makes the server's choices:
// the suite (our order), the group (the first of ours the client sent a
// share for; else the first of ours in its supported_groups, which costs a
// HelloRetryRequest), the signature scheme, the certificate and ALPN.
//
// spec: rfc8446#4.1.1, rfc8446#4.1.2, rfc8446#4.2.3, rfc8446#4.2.7, rfc8446#4.2.8
func (h *serverState13) chooseParameters() error {
	c, m := h.c, h.hello
	if !bytes.Equal(m.CompressionMethods, []byte{0}) {
		// spec: rfc8446#4.1.2 "For every TLS 1.3 ClientHello, this vector
		// MUST contain exactly one byte, set to zero ... abort the
		// handshake with an "illegal_parameter" alert."
		return failf(ErrIllegalParameter, "TLS 1.3 ClientHello with compression methods %v, want exactly [0]", m.CompressionMethods)
	}
	if err := checkPSKLast(m); err != nil {
		return err
	}
	for _, s := range c.config.enabledSuites13() {
		if slices.Contains(m.CipherSuites, s.id) {
			h.suite = s
			break
		}
	}
	if h.suite == nil {
		return failf(ErrNoCommonCipherSuite, "client offered %v for TLS 1.3", m.CipherSuites)
	}
	if err := h.chooseGroup(); err != nil {
		return err
	}
	// An ECDSA certificate whose curve's scheme the client lists comes
	// first, as in TLS 1.2 (ecdsa.go); else RSA with RSASSA-PSS.
	offered, _ := m.SignatureSchemes()
	if ec, s := chooseECDSACertificate(c.config, m, offered); ec != nil {
		c.state.ServerName = m.ServerName()
		h.hs.cert, h.scheme = ec, s
		return h.chooseALPN()
	}
	if err := h.chooseSignature(); err != nil {
		return err
	}
	if onlyECDSAKeys(c.config) {
		// The client lists none of our keys' schemes.
		// spec: rfc8446#4.2.3, rfc8446#4.1.1
		return failf(ErrNoCommonSignatureScheme, "the client's signature_algorithms %v lists the scheme of none of our ECDSA keys' curves", offered)
	}
	c.state.ServerName = m.ServerName()
	cert, err := h.hs.pickCertificate()
	if err != nil {
		return err
	}
	h.hs.cert = cert
	if cert.PrivateKey == nil {
		// minitls's TLS 1.3 server signs CertificateVerify with RSASSA-PSS.
		return fmt.Errorf("%w: TLS 1.3 needs a certificate with an RSA key here", ErrNoCertificate)
	}
	if !signatureFits(h.scheme, &cert.PrivateKey.PublicKey) {
		return fmt.Errorf("%w: our RSA key is too small for %v", ErrConfig, h.scheme)
	}
	return h.chooseALPN()
}

// checkPSKLast enforces that pre_shared_key, when present, is the last
// extension of the ClientHello.
//
// spec: rfc8446#4.2.11 ("The "pre_shared_key" extension MUST be the last
// extension in the ClientHello ... Servers MUST check that it is the last
// extension and otherwise fail the handshake with an "illegal_parameter"
// alert.")
func checkPSKLast(m *ClientHello) error {
	for i, e := range m.Extensions {
		if e.Type == ExtPreSharedKey && i != len(m.Extensions)-1 {
			return failf(ErrIllegalParameter, "pre_shared_key is not the last extension of the ClientHello")
		}
	}
	return nil
}

// clientShares parses the client's supported_groups and key_share; both
// must be there (missing_extension), and every share must be in a listed
// group (illegal_parameter).
//
// spec: rfc8446#9.2, rfc8446#4.2.8
func clientShares(m *ClientHello) ([]CurveID, []KeyShareEntry, error) {
	groups, ok := m.SupportedGroups()
	if !ok {
		return nil, nil, failf(ErrMissingExtension, "TLS 1.3 ClientHello without supported_groups")
	}
	data, ok := m.extension(ExtKeyShare)
	if !ok {
		return nil, nil, failf(ErrMissingExtension, "TLS 1.3 ClientHello without key_share")
	}
	var ks KeyShareClientHello
	if err := ks.Unmarshal(data); err != nil {
		return nil, nil, err
	}
	for _, s := range ks.Shares {
		if !slices.Contains(groups, s.Group) {
			// spec: rfc8446#4.2.8 "Each KeyShareEntry value MUST correspond
			// to a group offered in the "supported_groups" extension"
			return nil, nil, failf(ErrIllegalParameter, "key share in %v, which supported_groups does not list", s.Group)
		}
	}
	return groups, ks.Shares, nil
}

// chooseGroup picks the key exchange group and, when the client sent a
// share in it, keeps that share.
//
// spec: rfc8446#4.2.7, rfc8446#4.2.8, rfc8446#4.1.1
func (h *serverState13) chooseGroup() error {
	groups, shares, err := clientShares(h.hello)
	if err != nil {
		return err
	}
	ours := h.c.config.curves13()
	for _, g := range ours {
		if i := slices.IndexFunc(shares, func(s KeyShareEntry) bool { return s.Group == g }); i >= 0 {
			h.group, h.share = g, shares[i].KeyExchange
			return nil
		}
	}
	for _, g := range ours {
		if slices.Contains(groups, g) {
			h.group = g // a HelloRetryRequest will ask for a share
			return nil
		}
	}
	return failf(ErrNoCommonGroup, "client offers groups %v, we accept %v", groups, ours)
}

// server13Schemes are the schemes a TLS 1.3 server signs CertificateVerify
// with, in preference order: RSASSA-PSS only.
//
// spec: rfc8446#4.2.3, rfc8446#4.4.3
var server13Schemes = []SignatureScheme{PSSWithSHA256, PSSWithSHA384, PSSWithSHA512}

// onlyECDSAKeys reports whether the server holds ECDSA keys and no RSA key.
func onlyECDSAKeys(config *Config) bool {
	hasRSA := slices.ContainsFunc(config.Certificates, func(c Certificate) bool { return c.PrivateKey != nil })
	hasECDSA := slices.ContainsFunc(config.Certificates, func(c Certificate) bool { return c.ECDSAKey != nil })
	return hasECDSA && !hasRSA
}

// chooseSignature picks the CertificateVerify scheme among the client's
// signature_algorithms, which a TLS 1.3 ClientHello must carry
// (missing_extension).
//
// spec: rfc8446#4.2.3, rfc8446#9.2
func (h *serverState13) chooseSignature() error {
	offered, ok := h.hello.SignatureSchemes()
	if !ok {
		return failf(ErrMissingExtension, "TLS 1.3 ClientHello without signature_algorithms")
	}
	for _, s := range server13Schemes {
		if slices.Contains(offered, s) {
			h.scheme = s
			return nil
		}
	}
	// spec: rfc8446#4.1.1 (no overlap: handshake_failure)
	return failf(ErrNoCommonSignatureScheme, "the client's signature_algorithms %v lists no RSASSA-PSS scheme (the only RSA signature TLS 1.3 allows), nor the scheme of an ECDSA key we hold", offered)
}

// chooseALPN picks our most preferred of the client's ALPN protocols.
//
// spec: rfc7301#3.2
func (h *serverState13) chooseALPN() error {
	c := h.c
	clientProtos := h.hello.ALPNProtocols()
	if len(clientProtos) == 0 || len(c.config.NextProtos) == 0 {
		return nil
	}
	for _, p := range c.config.NextProtos {
		if slices.Contains(clientProtos, p) {
			c.state.NegotiatedProtocol = p
			return nil
		}
	}
	return failf(ErrNoApplicationProtocol, "client offered %q, we support %q", clientProtos, c.config.NextProtos)
}

// retry sends a HelloRetryRequest asking for a share in h.group, with a
// random cookie, and reads the second ClientHello, which must be the first
// with one share in that group and the cookie echoed.
//
// spec: rfc8446#4.1.4, rfc8446#4.4.1, rfc8446#4.2.2
func (h *serverState13) retry() error {
	c := h.c
	c.setPhase(PhaseHelloRetryRequest)
	h.cookie = make([]byte, 32)
	if _, err := io.ReadFull(c.config.rand(), h.cookie); err != nil {
		return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
	}
	hrr := &ServerHello{Version: VersionTLS12, Random: helloRetryRequestRandom, SessionID: h.hello.SessionID, CipherSuite: h.suite.id}
	for _, e := range []struct {
		t    ExtensionType
		body extensionMarshaler
	}{
		{ExtSupportedVersions, &SelectedVersion{Version: VersionTLS13}},
		{ExtKeyShare, &KeyShareHelloRetryRequest{SelectedGroup: h.group}},
		{ExtCookie, &Cookie{Cookie: h.cookie}},
	} {
		ext, err := NewExtension(e.t, e.body)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		hrr.Extensions = append(hrr.Extensions, ext)
	}
	h.prefix = c.transcript.restartWithMessageHash(h.suite, c.transcript.buf)
	if err := c.writeFlight(hrr); err != nil {
		return err
	}
	hrrRaw, err := hrr.Marshal()
	if err != nil {
		return err
	}
	h.prefix = append(h.prefix, hrrRaw...)
	if err := h.sendCompatCCS(); err != nil {
		return err
	}
	return h.readSecondClientHello()
}

// readSecondClientHello reads and checks the ClientHello after a
// HelloRetryRequest.
//
// spec: rfc8446#4.1.2, rfc8446#4.1.4
func (h *serverState13) readSecondClientHello() error {
	c := h.c
	c.setPhase(PhaseClientHello)
	m := new(ClientHello)
	if err := c.readHandshake(TypeClientHello, m); err != nil {
		return err
	}
	first := h.hello
	h.hello = m
	if !c.config.accepts13(m) || !bytes.Equal(m.SessionID, first.SessionID) ||
		!slices.Equal(m.CipherSuites, first.CipherSuites) || !bytes.Equal(m.CompressionMethods, first.CompressionMethods) {
		return failf(ErrIllegalParameter, "the second ClientHello changes what it may not (version, session ID, suites or compression)")
	}
	if err := checkPSKLast(m); err != nil {
		return err
	}
	data, ok := m.extension(ExtCookie)
	var ck Cookie
	if !ok || ck.Unmarshal(data) != nil || !bytes.Equal(ck.Cookie, h.cookie) {
		// spec: rfc8446#4.2.2 the client MUST copy the cookie.
		return failf(ErrIllegalParameter, "the second ClientHello does not echo our cookie")
	}
	_, shares, err := clientShares(m)
	if err != nil {
		return err
	}
	if len(shares) != 1 || shares[0].Group != h.group {
		// spec: rfc8446#4.2.8 the client replaces its shares "with a list
		// containing a single KeyShareEntry from the indicated group"
		return failf(ErrIllegalParameter, "the second ClientHello must hold exactly one share, in %v", h.group)
	}
	h.share = shares[0].KeyExchange
	return nil
}

// sendCompatCCS sends the dummy ChangeCipherSpec after our first handshake
// message, once, when the client asked for the middlebox compatibility mode
// by sending a session ID.
//
// spec: rfc8446#D.4 ("The server sends a dummy change_cipher_spec record
// immediately after its first handshake message. This may either be after
// a ServerHello or a HelloRetryRequest.")
func (h *serverState13) sendCompatCCS() error {
	if h.sentCCS || len(h.hello.SessionID) == 0 {
		return nil
	}
	h.sentCCS = true
	return h.c.rec.WriteCompatCCS()
}

// sendServerHello computes our share and the shared secret, sends the
// ServerHello (and the dummy ChangeCipherSpec) and installs the handshake
// traffic keys.
//
// spec: rfc8446#4.1.3, rfc8446#4.2.8, rfc8446#7.1
func (h *serverState13) sendServerHello() error {
	c := h.c
	c.setPhase(PhaseServerHello)
	public, shared, err := serverKeyShare13(c.config.rand(), h.group, h.share)
	if err != nil {
		return err
	}
	sh := &ServerHello{Version: VersionTLS12, SessionID: h.hello.SessionID, CipherSuite: h.suite.id}
	if _, err := io.ReadFull(c.config.rand(), sh.Random[:]); err != nil {
		return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
	}
	h.random = sh.Random
	for _, e := range []struct {
		t    ExtensionType
		body extensionMarshaler
	}{
		{ExtSupportedVersions, &SelectedVersion{Version: VersionTLS13}},
		{ExtKeyShare, &KeyShareServerHello{Share: KeyShareEntry{Group: h.group, KeyExchange: public}}},
		{ExtPreSharedKey, &SelectedIdentity{Index: 0}},
	} {
		if e.t == ExtPreSharedKey && h.psk == nil {
			continue
		}
		ext, err := NewExtension(e.t, e.body)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		sh.Extensions = append(sh.Extensions, ext)
	}
	if c.transcript.h == nil {
		c.transcript.setHash(h.suite.newHash)
	}
	if err := c.writeFlight(sh); err != nil {
		return err
	}
	if err := h.sendCompatCCS(); err != nil {
		return err
	}
	c.state.CipherSuite = uint16(h.suite.id)
	c.state.CurveID = h.group
	if h.psk == nil {
		c.state.SignatureScheme = h.scheme
	}
	c.setPhase(PhaseKeyDerivation)
	return h.handshakeSecrets(shared)
}

// handshakeSecrets runs the key schedule to the handshake traffic secrets
// (transcript: ClientHello...ServerHello) and installs them: ours for
// writing, the client's for reading.
//
// spec: rfc8446#7.1, rfc8446#7.3
func (h *serverState13) handshakeSecrets(shared []byte) error {
	c := h.c
	c.state.DidResume = h.psk != nil
	var err error
	if h.ks, h.clientHS, h.serverHS, err = c.handshakeTrafficSecrets13(h.suite, h.psk, shared, h.hello.Random[:]); err != nil {
		return err
	}
	if err := c.setWriteSecret13(h.suite, "server handshake traffic", h.serverHS); err != nil {
		return err
	}
	return c.setReadSecret13(h.suite, "client handshake traffic", h.clientHS)
}

// sendServerFlight sends EncryptedExtensions, Certificate,
// CertificateVerify and Finished under the handshake keys, in one write,
// then derives the application traffic secrets and switches writing to
// ours.
//
// spec: rfc8446#4.3.1, rfc8446#4.4.2, rfc8446#4.4.3, rfc8446#4.4.4
func (h *serverState13) sendServerFlight() error {
	c := h.c
	var flight [][]byte
	c.setPhase(PhaseEncryptedExtensions)
	ee := &EncryptedExtensions{}
	if p := c.state.NegotiatedProtocol; p != "" {
		ext, err := NewExtension(ExtALPN, &ProtocolNameList{Protocols: []string{p}})
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		ee.Extensions = append(ee.Extensions, ext)
	}
	if err := c.appendToFlight(&flight, ee); err != nil {
		return err
	}
	if h.psk != nil {
		return h.sendFinished(flight) // resumed: the PSK authenticates the server
	}
	if err := h.appendCertificateRequest13(&flight); err != nil { // clientauth13.go
		return err
	}
	c.setPhase(PhaseServerCertificate)
	cm := &Certificate13{}
	for _, der := range h.hs.cert.Certificate {
		cm.Entries = append(cm.Entries, CertificateEntry{Data: der})
	}
	if err := c.appendToFlight(&flight, cm); err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	c.setPhase(PhaseCertificateVerify)
	digest := signedContent13(h.scheme, serverSignatureContext, c.transcript.sum())
	sig, err := signWithScheme(c.config.rand(), h.hs.cert.signer(), h.scheme, digest)
	if err != nil {
		return fmt.Errorf("%w: signing CertificateVerify: %v", ErrConfig, err)
	}
	if err := c.appendToFlight(&flight, &CertificateVerify{Scheme: h.scheme, Signature: sig}); err != nil {
		return err
	}
	return h.sendFinished(flight)
}

// sendFinished adds our Finished to the flight, sends it, and derives the
// application secrets.
//
// spec: rfc8446#4.4.4
func (h *serverState13) sendFinished(flight [][]byte) error {
	c := h.c
	c.setPhase(PhaseServerFinished)
	vd := finishedVerifyData13(h.suite, h.serverHS, c.transcript.sum())
	if err := c.appendToFlight(&flight, &Finished13{VerifyData: vd}); err != nil {
		return err
	}
	if err := c.sendFlight(flight); err != nil {
		return err
	}
	return h.applicationSecrets()
}

// applicationSecrets derives the Master Secret and the application traffic
// secrets (transcript: ClientHello...server Finished) and switches writing
// to ours; the client's are installed once its Finished is checked.
//
// spec: rfc8446#7.1
func (h *serverState13) applicationSecrets() error {
	c := h.c
	cr := h.hello.Random[:]
	h.ks.next(nil)
	c.traceKey("master secret", h.ks.secret)
	th := c.transcript.sum()
	h.clientAP = h.ks.derive(labelClientAPTraffic, th)
	h.serverAP = h.ks.derive(labelServerAPTraffic, th)
	exporter := h.ks.derive(labelExporterMaster, th)
	if err := c.secret13("client application traffic secret", labelNSSClientTraffic0, cr, h.clientAP); err != nil {
		return err
	}
	if err := c.secret13("server application traffic secret", labelNSSServerTraffic0, cr, h.serverAP); err != nil {
		return err
	}
	if err := c.secret13("exporter master secret", "", cr, exporter); err != nil {
		return err
	}
	return c.setWriteSecret13(h.suite, "server application traffic", h.serverAP)
}

// readClientFinished reads the client's Certificate and CertificateVerify
// when we asked for them (clientauth13.go; otherwise a Certificate is
// unexpected_message), then its Finished, checks it, and switches reading
// to the client's application keys.
//
// spec: rfc8446#4.4.4
func (h *serverState13) readClientFinished() (finishedVerified, error) {
	c := h.c
	if err := h.readClientCertificate13(); err != nil { // clientauth13.go
		return finishedVerified{}, err
	}
	c.setPhase(PhaseClientFinished)
	want := finishedVerifyData13(h.suite, h.clientHS, c.transcript.sum())
	msg, err := c.readHandshake13(h.suite.hash.Size(), TypeFinished)
	if err != nil {
		return finishedVerified{}, err
	}
	proof, err := checkFinished13(msg.(*Finished13), want)
	if err != nil {
		return finishedVerified{}, err
	}
	c.rec.SetCompatCCS(false) // the peer's Finished has arrived (rfc8446#5)
	if err := c.setReadSecret13(h.suite, "client application traffic", h.clientAP); err != nil {
		return finishedVerified{}, err
	}
	res := h.ks.derive(labelResumptionMaster, c.transcript.sum())
	c.traceKey("resumption master secret", res)
	c.tls13 = &conn13{suite: h.suite, ourSecret: h.serverAP, peerSecret: h.clientAP, resumption: res}
	c.rec.SetPostHandshake(uint8(TypeKeyUpdate))
	return proof, nil
}
