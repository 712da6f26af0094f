package handshake

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"time"

	"minitls/record"
)

// The TLS 1.3 client. The ClientHello is shared with TLS 1.2 (client.go
// builds it, offer13 adds what TLS 1.3 needs), and so is reading the
// ServerHello; when its supported_versions says TLS 1.3, handshake13 takes
// over:
//
//	ClientHello
//	+ key_share
//	+ supported_versions         -------->
//	                                                ServerHello
//	                                                + key_share
//	                                       + supported_versions
//	                                      {EncryptedExtensions}
//	                                      {CertificateRequest*}
//	                                             {Certificate}
//	                                       {CertificateVerify}
//	                             <--------           {Finished}
//	{Certificate*}
//	{Finished}                   -------->
//	[Application Data]           <------->  [Application Data]
//
// {} are under the handshake traffic keys, [] under the application traffic
// keys: one round trip, and everything after the ServerHello encrypted, the
// certificate included. When the server wants a share in another group it
// answers with a HelloRetryRequest first, and the client sends a second
// ClientHello (a second round trip).
//
// spec: rfc8446#2, rfc8446#4

// clientOffer13 is what the client offered for TLS 1.3: its key shares
// (private halves) and the session ID it sent for the middlebox
// compatibility mode.
type clientOffer13 struct {
	shares    []*keyShare13
	sessionID []byte
	psk       *ClientSessionState // the TLS 1.3 session offered in pre_shared_key (resume13.go)
	pskSuite  *suite13
}

// offer13 adds TLS 1.3 to a ClientHello built for TLS 1.2: the TLS 1.3
// suites first, supported_versions (1.3, then 1.2 if enabled), the groups
// TLS 1.3 knows in supported_groups, one key share for our first group (and
// one for X25519 too when the first is the hybrid, as Chromium and Go do, so
// that a server without ML-KEM need not ask again), psk_key_exchange_modes,
// and a random 32-byte legacy_session_id (middlebox compatibility mode).
// Without TLS 1.2, the TLS 1.2 suites are left out.
//
// spec: rfc8446#4.1.2, rfc8446#4.2.1, rfc8446#4.2.8, rfc8446#4.2.9, rfc8446#D.4
func (hs *clientState) offer13(m *ClientHello, add func(ExtensionType, extensionMarshaler) error) error {
	c := hs.c
	if !c.config.supports13() {
		return nil
	}
	offer := &clientOffer13{}
	var ids []CipherSuite
	for _, s := range c.config.enabledSuites13() {
		ids = append(ids, s.id)
	}
	versions := []ProtocolVersion{VersionTLS13}
	if c.config.supports12() {
		ids = append(ids, m.CipherSuites...)
		versions = append(versions, VersionTLS12)
	}
	m.CipherSuites = ids
	if len(m.SessionID) == 0 {
		m.SessionID = make([]byte, 32)
		if _, err := io.ReadFull(c.config.rand(), m.SessionID); err != nil {
			return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
		}
	}
	offer.sessionID = m.SessionID
	groups := c.config.curves13()
	if len(groups) == 0 {
		return fmt.Errorf("%w: Config.CurvePreferences enables no group minitls implements for TLS 1.3", ErrConfig)
	}
	shareGroups := groups[:1]
	if groups[0] == CurveX25519MLKEM768 && slices.Contains(groups, CurveX25519) {
		shareGroups = []CurveID{CurveX25519MLKEM768, CurveX25519}
	}
	var ks KeyShareClientHello
	for _, g := range shareGroups {
		k, err := generateKeyShare13(c.config.rand(), g)
		if err != nil {
			return err
		}
		offer.shares = append(offer.shares, k)
		ks.Shares = append(ks.Shares, KeyShareEntry{Group: g, KeyExchange: k.public})
	}
	m.Extensions = slices.DeleteFunc(m.Extensions, func(e Extension) bool { return e.Type == ExtSupportedGroups })
	if err := add(ExtSupportedGroups, &SupportedGroups{Groups: groups}); err != nil {
		return err
	}
	if err := add(ExtSupportedVersions, &SupportedVersions{Versions: versions}); err != nil {
		return err
	}
	if err := add(ExtKeyShare, &ks); err != nil {
		return err
	}
	if err := add(ExtPSKModes, &PSKKeyExchangeModes{Modes: []uint8{pskModeDHEKE}}); err != nil {
		return err
	}
	hs.offered13 = offer
	s, err := hs.offerPSK13(m) // last: pre_shared_key ends the ClientHello (resume13.go)
	if err != nil {
		return err
	}
	if s != nil {
		offer.psk, offer.pskSuite = s, suite13ByID(s.suite)
	}
	return nil
}

// serverChose13 looks at the version the server chose, when we offered TLS
// 1.3: true for TLS 1.3 (supported_versions says 0x0304). For TLS 1.2 it
// checks that we accept TLS 1.2 and that the server did not mark the
// ServerHello as a downgrade (rfc8446#4.1.3: "TLS 1.3 clients receiving a
// ServerHello indicating TLS 1.2 or below MUST check that the last 8 bytes
// are not equal to either of these values ... If a match is found, the
// client MUST abort the handshake with an "illegal_parameter" alert.").
//
// spec: rfc8446#4.2.1, rfc8446#4.1.3
func (hs *clientState) serverChose13(m *ServerHello) (bool, error) {
	data, ok := m.extension(ExtSupportedVersions)
	if ok {
		var v SelectedVersion
		if err := v.Unmarshal(data); err != nil {
			return false, err
		}
		if v.Version != VersionTLS13 {
			// spec: rfc8446#4.2.1 "If the "supported_versions" extension in
			// the ServerHello contains a version not offered by the client
			// or contains a version prior to TLS 1.3, the client MUST abort
			// the handshake with an "illegal_parameter" alert."
			return false, failf(ErrIllegalParameter, "server selected version %v in supported_versions", v.Version)
		}
		return true, nil
	}
	if !hs.c.config.supports12() {
		return false, failf(ErrUnsupportedVersion, "server chose %v; Config.MinVersion asks for TLS 1.3", m.Version)
	}
	if bytes.Equal(m.Random[24:], downgradeTLS12) || bytes.Equal(m.Random[24:], []byte("DOWNGRD\x00")) {
		return false, failf(ErrIllegalParameter, "TLS 1.2 ServerHello carries the TLS 1.3 downgrade sentinel %q: an attacker may have removed TLS 1.3 from our hello", m.Random[24:])
	}
	return false, nil
}

// clientState13 is what the TLS 1.3 client learns during one handshake.
type clientState13 struct {
	c        *Conn
	hs       *clientState
	hello    *ClientHello // the last ClientHello sent
	suite    *suite13
	ks       *keySchedule13
	hrr      *ServerHello // the HelloRetryRequest, if any
	cookie   []byte
	group    CurveID
	clientHS []byte // client_handshake_traffic_secret
	serverHS []byte // server_handshake_traffic_secret
	clientAP []byte // client_application_traffic_secret_0
	serverAP []byte // server_application_traffic_secret_0

	certRequest *CertificateRequest13
	sentCCS     bool
	psk         []byte // the PSK the server accepted: a resumed handshake
	prefix      []byte // message_hash and HelloRetryRequest, what precedes ClientHello2
}

// handshake13 runs the rest of a TLS 1.3 handshake after the ServerHello
// (or HelloRetryRequest) that client.go read.
//
// spec: rfc8446#2, rfc8446#4
func (hs *clientState) handshake13() error {
	c := hs.c
	c.rec.SetPostHandshake() // TLS 1.3 rules from now on (record layer)
	c.rec.SetCompatCCS(true)
	h := &clientState13{c: c, hs: hs, hello: hs.hello}
	sh := hs.serverHello
	if isHelloRetryRequest(sh) {
		if err := h.retry(sh); err != nil {
			return err
		}
		var err error
		if sh, err = h.readServerHello(); err != nil {
			return err
		}
	}
	if err := h.processServerHello(sh); err != nil {
		return err
	}
	if err := h.readEncryptedExtensions(); err != nil {
		return err
	}
	if h.psk == nil {
		verified, err := h.readCertificate()
		if err != nil {
			return err
		}
		if err := h.readCertificateVerify(verified); err != nil {
			return err
		}
	}
	finished, err := h.readServerFinished()
	if err != nil {
		return err
	}
	if err := h.sendFinished(finished); err != nil {
		return err
	}
	c.establish13(finished)
	return nil
}

// checkServerHelloCommon checks what a ServerHello and a HelloRetryRequest
// share: legacy_version 0x0303, our session ID echoed, a TLS 1.3 suite we
// offered, compression 0, and only extensions we sent and that may appear
// in it (allowed).
//
// spec: rfc8446#4.1.3, rfc8446#4.2
func (h *clientState13) checkServerHelloCommon(m *ServerHello, allowed ...ExtensionType) error {
	if m.Version != VersionTLS12 {
		return failf(ErrIllegalParameter, "TLS 1.3 ServerHello with legacy_version %v, want TLS 1.2 (0x0303)", m.Version)
	}
	if !bytes.Equal(m.SessionID, h.hello.SessionID) {
		// spec: rfc8446#4.1.3 "A client which receives a
		// legacy_session_id_echo field that does not match what it sent
		// in the ClientHello MUST abort the handshake with an
		// "illegal_parameter" alert."
		return failf(ErrIllegalParameter, "legacy_session_id_echo does not match our session ID")
	}
	s := suite13ByID(m.CipherSuite)
	if s == nil || !slices.Contains(h.hello.CipherSuites, m.CipherSuite) {
		return failf(ErrIllegalParameter, "server chose cipher suite %v, which we did not offer for TLS 1.3", m.CipherSuite)
	}
	if h.suite != nil && s != h.suite {
		// spec: rfc8446#4.1.4 the ServerHello's suite must be the
		// HelloRetryRequest's.
		return failf(ErrIllegalParameter, "ServerHello's suite %v differs from the HelloRetryRequest's %v", s.id, h.suite.id)
	}
	h.suite = s
	if m.CompressionMethod != 0 {
		return failf(ErrIllegalParameter, "legacy_compression_method %d, want 0", m.CompressionMethod)
	}
	for _, e := range m.Extensions {
		// A HelloRetryRequest's cookie answers nothing we sent: the server
		// may add one for us to echo (rfc8446#4.2.2).
		if _, sent := h.hello.extension(e.Type); !sent && !(e.Type == ExtCookie && isHelloRetryRequest(m)) {
			return failf(ErrUnsupportedExtension, "%v in the ServerHello", e.Type)
		}
		if !slices.Contains(allowed, e.Type) {
			// spec: rfc8446#4.2 "If an implementation receives an extension
			// which it recognizes and which is not specified for the
			// message in which it appears, it MUST abort the handshake
			// with an "illegal_parameter" alert."
			return failf(ErrIllegalParameter, "%v may not appear in a ServerHello", e.Type)
		}
	}
	return nil
}

// readServerHello reads the ServerHello that follows our second
// ClientHello. A second HelloRetryRequest is unexpected_message.
//
// spec: rfc8446#4.1.4 ("If a client receives a second HelloRetryRequest in
// the same connection ..., it MUST abort the handshake with an
// "unexpected_message" alert.")
func (h *clientState13) readServerHello() (*ServerHello, error) {
	c := h.c
	c.setPhase(PhaseServerHello)
	m := new(ServerHello)
	if err := c.readHandshake(TypeServerHello, m); err != nil {
		return nil, err
	}
	if isHelloRetryRequest(m) {
		return nil, failf(ErrUnexpectedMessage, "a second HelloRetryRequest")
	}
	var v SelectedVersion
	data, ok := m.extension(ExtSupportedVersions)
	if !ok {
		return nil, failf(ErrIllegalParameter, "the ServerHello after a HelloRetryRequest lacks supported_versions")
	}
	if err := v.Unmarshal(data); err != nil {
		return nil, err
	}
	if v.Version != VersionTLS13 {
		return nil, failf(ErrIllegalParameter, "the ServerHello after a HelloRetryRequest selects %v", v.Version)
	}
	return m, nil
}

// processServerHello checks the ServerHello, computes the (EC)DHE shared
// secret from the server's share, runs the key schedule up to the handshake
// traffic secrets and installs them.
//
// spec: rfc8446#4.1.3, rfc8446#4.2.8, rfc8446#7.1
func (h *clientState13) processServerHello(m *ServerHello) error {
	c := h.c
	if err := h.checkServerHelloCommon(m, ExtSupportedVersions, ExtKeyShare, ExtPreSharedKey); err != nil {
		return err
	}
	if err := h.acceptedPSK(m); err != nil {
		return err
	}
	data, ok := m.extension(ExtKeyShare)
	if !ok {
		return failf(ErrMissingExtension, "the ServerHello has no key_share (minitls offers no PSK-only mode)")
	}
	var ks KeyShareServerHello
	if err := ks.Unmarshal(data); err != nil {
		return err
	}
	i := slices.IndexFunc(h.hs.offered13.shares, func(k *keyShare13) bool { return k.group == ks.Share.Group })
	if i < 0 {
		// spec: rfc8446#4.2.8 "If using (EC)DHE key establishment,
		// servers offer exactly one KeyShareEntry in the ServerHello. This
		// value MUST be in the same group as the KeyShareEntry value
		// offered by the client that the server has selected."
		return failf(ErrIllegalParameter, "server's key share is in %v, for which we sent no share", ks.Share.Group)
	}
	shared, err := h.hs.offered13.shares[i].sharedSecret(ks.Share.KeyExchange)
	if err != nil {
		return err
	}
	h.group = ks.Share.Group
	c.state.CipherSuite = uint16(h.suite.id)
	c.state.CurveID = h.group
	c.state.ServerName = hostnameForSNI(c.config.ServerName)
	if c.transcript.h == nil {
		c.transcript.setHash(h.suite.newHash)
	}
	c.setPhase(PhaseKeyDerivation)
	return h.handshakeSecrets(shared)
}

// handshakeSecrets runs the key schedule from the shared secret to the
// handshake traffic secrets (transcript: ClientHello...ServerHello) and
// installs them: the server's for reading, ours for writing.
//
// spec: rfc8446#7.1, rfc8446#7.3
func (h *clientState13) handshakeSecrets(shared []byte) error {
	c := h.c
	var err error
	if h.ks, h.clientHS, h.serverHS, err = c.handshakeTrafficSecrets13(h.suite, h.psk, shared, h.hs.hello.Random[:]); err != nil {
		return err
	}
	if err := c.setReadSecret13(h.suite, "server handshake traffic", h.serverHS); err != nil {
		return err
	}
	return c.setWriteSecret13(h.suite, "client handshake traffic", h.clientHS)
}

// readEncryptedExtensions reads the server's answers to our other
// extensions: each must answer one we sent (unsupported_extension), may not
// be one that belongs in a hello (illegal_parameter), and ALPN must pick a
// protocol we offered.
//
// spec: rfc8446#4.3.1, rfc8446#4.2, rfc7301#3.1
func (h *clientState13) readEncryptedExtensions() error {
	c := h.c
	c.setPhase(PhaseEncryptedExtensions)
	msg, err := c.readHandshake13(0, TypeEncryptedExtensions)
	if err != nil {
		return err
	}
	for _, e := range msg.(*EncryptedExtensions).Extensions {
		if _, sent := h.hello.extension(e.Type); !sent {
			return failf(ErrUnsupportedExtension, "%v in EncryptedExtensions", e.Type)
		}
		switch e.Type {
		case ExtServerName, ExtSupportedGroups:
			// server_name says the server used our name; supported_groups
			// gives the server's preference for next time.
		case ExtALPN:
			var p ProtocolNameList
			if err := p.Unmarshal(e.Data); err != nil {
				return err
			}
			if !slices.Contains(c.config.NextProtos, p.Protocols[0]) {
				return failf(ErrIllegalParameter, "server selected ALPN protocol %q, which we did not offer", p.Protocols[0])
			}
			c.state.NegotiatedProtocol = p.Protocols[0]
		default:
			return failf(ErrIllegalParameter, "%v may not appear in EncryptedExtensions", e.Type)
		}
	}
	return nil
}

// readCertificate reads an optional CertificateRequest (minitls answers it
// with an empty Certificate) and the server's Certificate, and verifies the
// chain as TLS 1.2 does. Its context must be empty, and the chain not.
//
// spec: rfc8446#4.3.2, rfc8446#4.4.2, rfc8446#4.4.2.4
func (h *clientState13) readCertificate() (chainVerified, error) {
	c := h.c
	c.setPhase(PhaseServerCertificate)
	msg, err := c.readHandshake13(0, TypeCertificateRequest, TypeCertificate)
	if err != nil {
		return chainVerified{}, err
	}
	if cr, ok := msg.(*CertificateRequest13); ok {
		c.setPhase(PhaseCertificateRequest)
		h.certRequest = cr
		c.setPhase(PhaseServerCertificate)
		if msg, err = c.readHandshake13(0, TypeCertificate); err != nil {
			return chainVerified{}, err
		}
	}
	cm := msg.(*Certificate13)
	if len(cm.Context) != 0 {
		return chainVerified{}, failf(ErrIllegalParameter, "server's Certificate has a certificate_request_context of %d bytes, want none", len(cm.Context))
	}
	if len(cm.Entries) == 0 {
		// spec: rfc8446#4.4.2.4 "If the server supplies an empty
		// Certificate message, the client MUST abort the handshake with a
		// "decode_error" alert."
		return chainVerified{}, &ParseError{What: "Certificate", Reason: "the server sent no certificate"}
	}
	return h.hs.verifyServerChain(cm.certificates())
}

// readCertificateVerify reads the server's signature over the transcript
// and checks it with the certificate's key: the scheme must be one we
// offered and RSASSA-PSS (TLS 1.3 forbids PKCS#1 v1.5 signatures in the
// handshake), else illegal_parameter; a signature that does not verify is
// decrypt_error.
//
// spec: rfc8446#4.4.3, rfc8446#4.2.3
func (h *clientState13) readCertificateVerify(_ chainVerified) error {
	c := h.c
	c.setPhase(PhaseCertificateVerify)
	th := c.transcript.sum()
	msg, err := c.readHandshake13(0, TypeCertificateVerify)
	if err != nil {
		return err
	}
	cv := msg.(*CertificateVerify)
	leaf := c.state.PeerCertificates[0]
	if err := checkScheme13(cv.Scheme, leaf, clientSignatureSchemes, "server"); err != nil { // ecdsa.go
		return err
	}
	digest := signedContent13(cv.Scheme, serverSignatureContext, th)
	if err := verifyWithScheme(leaf, cv.Scheme, digest, cv.Signature); err != nil {
		return failf(ErrBadSignature, "the server's CertificateVerify (%v) does not verify with its certificate's key", cv.Scheme)
	}
	c.state.SignatureScheme = cv.Scheme
	return nil
}

// readServerFinished checks the server's Finished (keyed by the server
// handshake traffic secret), then derives the application traffic secrets
// over ClientHello...server Finished and switches reading to the server's.
//
// spec: rfc8446#4.4.4, rfc8446#7.1
func (h *clientState13) readServerFinished() (finishedVerified, error) {
	c := h.c
	c.setPhase(PhaseServerFinished)
	want := finishedVerifyData13(h.suite, h.serverHS, c.transcript.sum())
	msg, err := c.readHandshake13(h.suite.hash.Size(), TypeFinished)
	if err != nil {
		return finishedVerified{}, err
	}
	proof, err := checkFinished13(msg.(*Finished13), want)
	if err != nil {
		return finishedVerified{}, err
	}
	c.rec.SetCompatCCS(false) // the peer's Finished has arrived (rfc8446#5)
	if err := h.applicationSecrets(); err != nil {
		return finishedVerified{}, err
	}
	return proof, nil
}

// applicationSecrets derives the Master Secret and the application traffic
// secrets (transcript: ClientHello...server Finished) and switches reading
// to the server's.
//
// spec: rfc8446#7.1
func (h *clientState13) applicationSecrets() error {
	c := h.c
	cr := h.hs.hello.Random[:]
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
	return c.setReadSecret13(h.suite, "server application traffic", h.serverAP)
}

// sendFinished sends the dummy ChangeCipherSpec (middlebox compatibility,
// once), our Certificate and CertificateVerify if the server asked for
// one (clientauth13.go), and our Finished under the client handshake traffic keys; then switches writing
// to the application keys and derives the resumption master secret
// (transcript: ClientHello...client Finished).
//
// spec: rfc8446#4.4.4, rfc8446#4.4.2, rfc8446#D.4
func (h *clientState13) sendFinished(_ finishedVerified) error {
	c := h.c
	c.setPhase(PhaseClientFinished)
	if !h.sentCCS {
		if err := c.rec.WriteCompatCCS(); err != nil {
			return err
		}
		h.sentCCS = true
	}
	var flight [][]byte
	if err := h.appendClientCertificate13(&flight); err != nil { // clientauth13.go
		return err
	}
	c.setPhase(PhaseClientFinished)
	vd := finishedVerifyData13(h.suite, h.clientHS, c.transcript.sum())
	if err := c.appendToFlight(&flight, &Finished13{VerifyData: vd}); err != nil {
		return err
	}
	if err := c.sendFlight(flight); err != nil {
		return err
	}
	if err := c.setWriteSecret13(h.suite, "client application traffic", h.clientAP); err != nil {
		return err
	}
	res := h.ks.derive(labelResumptionMaster, c.transcript.sum())
	c.traceKey("resumption master secret", res)
	c.tls13 = &conn13{suite: h.suite, ourSecret: h.clientAP, peerSecret: h.serverAP, resumption: res, onTicket: h.saveTicket13}
	c.rec.SetPostHandshake(uint8(TypeNewSessionTicket), uint8(TypeKeyUpdate))
	return nil
}

// retry answers a HelloRetryRequest: it checks it (a TLS 1.3 suite we
// offered, a group we support and did not already send a share for, nothing
// else than supported_versions, key_share and cookie), restarts the
// transcript with message_hash, and sends a second ClientHello with one
// share in the requested group and the cookie echoed.
//
// spec: rfc8446#4.1.4, rfc8446#4.4.1, rfc8446#4.2.2
func (h *clientState13) retry(hrr *ServerHello) error {
	c := h.c
	c.setPhase(PhaseHelloRetryRequest)
	if err := h.checkServerHelloCommon(hrr, ExtSupportedVersions, ExtKeyShare, ExtCookie); err != nil {
		return err
	}
	h.hrr = hrr
	data, ok := hrr.extension(ExtKeyShare)
	if !ok {
		// minitls only retries for a group; a HelloRetryRequest that would
		// not change the ClientHello is illegal_parameter (rfc8446#4.1.4).
		return failf(ErrIllegalParameter, "HelloRetryRequest without key_share would not change our ClientHello")
	}
	var sel KeyShareHelloRetryRequest
	if err := sel.Unmarshal(data); err != nil {
		return err
	}
	if !slices.Contains(c.config.curves13(), sel.SelectedGroup) {
		return failf(ErrIllegalParameter, "HelloRetryRequest asks for %v, which we do not support", sel.SelectedGroup)
	}
	if slices.ContainsFunc(h.hs.offered13.shares, func(k *keyShare13) bool { return k.group == sel.SelectedGroup }) {
		// spec: rfc8446#4.2.8 "... the selected_group field does not
		// correspond to a group which was provided in the "key_share"
		// extension in the original ClientHello" else illegal_parameter.
		return failf(ErrIllegalParameter, "HelloRetryRequest asks for %v, for which we already sent a share", sel.SelectedGroup)
	}
	if data, ok := hrr.extension(ExtCookie); ok {
		var ck Cookie
		if err := ck.Unmarshal(data); err != nil {
			return err
		}
		h.cookie = ck.Cookie
	}
	buf := c.transcript.buf
	h.prefix = append(c.transcript.restartWithMessageHash(h.suite, buf[:len(buf)-len(hrr.Raw)]), hrr.Raw...)
	c.transcript.write(hrr.Raw)
	return h.sendSecondClientHello(sel.SelectedGroup)
}

// sendSecondClientHello sends the ClientHello again with one key share in
// group and the cookie, after the dummy ChangeCipherSpec.
//
// spec: rfc8446#4.1.2 ("the client MUST send the same ClientHello without
// modification, except as follows: ..."), rfc8446#D.4
func (h *clientState13) sendSecondClientHello(group CurveID) error {
	c := h.c
	k, err := generateKeyShare13(c.config.rand(), group)
	if err != nil {
		return err
	}
	h.hs.offered13.shares = []*keyShare13{k}
	ks, err := NewExtension(ExtKeyShare, &KeyShareClientHello{Shares: []KeyShareEntry{{Group: group, KeyExchange: k.public}}})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	ch2 := *h.hello
	ch2.Raw = nil
	ch2.Extensions = nil
	for _, e := range h.hello.Extensions {
		switch e.Type {
		case ExtKeyShare:
			ch2.Extensions = append(ch2.Extensions, ks)
		case ExtEarlyData, ExtCookie, ExtPreSharedKey:
		default:
			ch2.Extensions = append(ch2.Extensions, e)
		}
	}
	if h.cookie != nil {
		ck, err := NewExtension(ExtCookie, &Cookie{Cookie: h.cookie})
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		ch2.Extensions = append(ch2.Extensions, ck)
	}
	if psk := h.hs.offered13.psk; psk != nil {
		if h.hs.offered13.pskSuite.hash != h.suite.hash {
			h.hs.offered13.psk = nil // rfc8446#4.1.4: a PSK of another hash is left out
		} else {
			offered := &OfferedPSKs{Identities: []PSKIdentity{{Identity: psk.ticket,
				ObfuscatedTicketAge: uint32(c.config.time().Sub(psk.createdAt)/time.Millisecond) + psk.ageAdd}},
				Binders: [][]byte{make([]byte, h.suite.hash.Size())}}
			if err := h.hs.setPSKBinder(&ch2, offered, h.suite, psk.masterSecret, h.prefix); err != nil {
				return err
			}
		}
	}
	if err := c.rec.WriteCompatCCS(); err != nil {
		return err
	}
	h.sentCCS = true
	h.hello = &ch2
	c.setPhase(PhaseClientHello)
	return c.writeFlight(&ch2)
}

// ErrMissingExtension: a TLS 1.3 message lacks an extension it must carry.
// spec: rfc8446#4.2 ("missing_extension"), rfc8446#9.2
var ErrMissingExtension error = &alertError{record.MissingExtension, "a required TLS 1.3 extension is missing"}

// alertError is a cause of failure that names its own alert (as x509lite's
// errors do), for the TLS 1.3 alerts that alertTable does not list.
type alertError struct {
	alert record.AlertDescription
	text  string
}

// Error returns the description.
func (e *alertError) Error() string { return e.text }

// Alert returns the alert to send.
func (e *alertError) Alert() uint8 { return uint8(e.alert) }

// acceptedPSK looks at the ServerHello's pre_shared_key: when present, the
// server resumed the session we offered; it must pick our one identity
// (index 0) and a suite of the PSK's hash.
//
// spec: rfc8446#4.2.11 ("Clients MUST verify that the server's
// selected_identity is within the range supplied by the client, that the
// server selected a cipher suite indicating a Hash associated with the PSK
// ... If these values are not consistent, the client MUST abort the
// handshake with an "illegal_parameter" alert.")
func (h *clientState13) acceptedPSK(m *ServerHello) error {
	data, ok := m.extension(ExtPreSharedKey)
	if !ok {
		return nil
	}
	var sel SelectedIdentity
	if err := sel.Unmarshal(data); err != nil {
		return err
	}
	offer := h.hs.offered13
	if offer.psk == nil || sel.Index != 0 || offer.pskSuite.hash != h.suite.hash {
		return failf(ErrIllegalParameter, "server selected PSK identity %d, which we did not offer for %v", sel.Index, h.suite.id)
	}
	h.psk = offer.psk.masterSecret
	h.c.state.DidResume = true
	h.c.state.PeerCertificates = offer.psk.peerCertificates
	return nil
}
