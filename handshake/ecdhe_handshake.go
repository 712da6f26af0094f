package handshake

import (
	"fmt"
	"slices"

	"minitls/x509lite"
)

// This file holds the handshake steps that only the ECDHE_RSA suites take:
// on the server, choosing a group and a signature hash and sending the
// signed ServerKeyExchange; on the client, checking that message before
// anything keyed is sent, and the ECDHE ClientKeyExchange. client.go and
// server.go call these steps in the order of rfc5246#7.3.

// ecdheChoice is what a server needs to run ECDHE with this client: a group
// from both lists and a signature scheme from the client's
// signature_algorithms. ok is false when there is none, so the server must
// not choose an ECDHE suite (it may fall back to RSA key transport).
//
// spec: rfc8422#5.1.1 ("servers MUST NOT negotiate the use of an ECC
// cipher suite unless they can complete the handshake while respecting the
// choice of curves specified by the client"), rfc5246#7.4.1.4.1
type ecdheChoice struct {
	ok     bool
	curve  CurveID
	scheme SignatureScheme // for ECDHE_RSA (0: none the RSA keys can use)
	why    string          // when !ok: what was missing, for the error text
	cause  error           // when !ok: ErrNoCommonGroup or ErrNoCommonSignatureScheme

	// For ECDHE_ECDSA: the ECDSA certificate to present and the scheme it
	// signs with (chooseECDSACertificate, ecdsa.go); nil and 0 when the
	// client lists no scheme of our ECDSA keys' curves.
	ecdsaCert   *Certificate
	ecdsaScheme SignatureScheme
}

// allows reports whether the server can run the ECDHE suite s with this
// client: a shared group and a scheme for the key the suite signs with.
func (ch ecdheChoice) allows(s *suite) bool {
	if s.signsWithECDSA() {
		return ch.ok && ch.ecdsaCert != nil
	}
	return ch.ok && ch.scheme != 0
}

// refusal explains why the server cannot run the ECDHE suite s with this
// client (allows(s) is false): no group in common, or no signature scheme
// for the key s signs with. The two are separate causes, so a server's log
// names the list that did not match.
//
// spec: rfc8422#5.1.1, rfc5246#7.4.1.4.1
func (ch ecdheChoice) refusal(s *suite) error {
	switch {
	case !ch.ok && ch.cause != nil:
		return failf(ch.cause, "%s", ch.why)
	case !ch.ok:
		return failf(ErrNoCommonCipherSuite, "%s", ch.why)
	case s.signsWithECDSA():
		return failf(ErrNoCommonSignatureScheme, "%v needs an ECDSA signature, and the client's signature_algorithms lists the scheme of none of our ECDSA keys' curves", s.id)
	default:
		return failf(ErrNoCommonSignatureScheme, "%v needs an RSA signature, and the client's signature_algorithms lists none that our RSA key can make", s.id)
	}
}

// chooseECDHE picks the server's first group that the client lists and a
// signature scheme (chooseSignatureScheme). A client
// without supported_groups gets no ECDHE (RFC 8422 makes the extension the
// way to say which curves it has); one without signature_algorithms gets no
// ECDHE either, since its default is SHA-1, which minitls does not sign
// with. A client that lists curves but not the uncompressed point format
// is illegal_parameter.
//
// spec: rfc8422#5.1.1, rfc8422#5.1.2, rfc5246#7.4.1.4.1
func chooseECDHE(config *Config, m *ClientHello) (ecdheChoice, error) {
	candidate := false
	for _, s := range config.enabledSuites() {
		candidate = candidate || (s.ecdhe && slices.Contains(m.CipherSuites, s.id))
	}
	if !candidate {
		// No ECDHE suite both enabled here and offered: nothing to check.
		return ecdheChoice{why: "no ECDHE suite is both offered and enabled"}, nil
	}
	groups, ok := m.SupportedGroups()
	if !ok {
		return ecdheChoice{why: "the client sent no supported_groups", cause: ErrNoCommonGroup}, nil
	}
	if formats, sent := m.PointFormats(); sent {
		p := ECPointFormats{Formats: formats}
		if !p.hasUncompressed() && slices.ContainsFunc(groups, supportedCurve) {
			// spec: rfc8422#5.1.2 "If the client sends the extension and the
			// extension does not contain the uncompressed point format ...
			// the server MUST abort the handshake and return an
			// illegal_parameter alert."
			return ecdheChoice{}, failf(ErrIllegalParameter, "ec_point_formats %v lacks uncompressed(0)", formats)
		}
	}
	var ch ecdheChoice
	for _, c := range config.curves() {
		if slices.Contains(groups, c) {
			ch.curve = c
			break
		}
	}
	if ch.curve == 0 {
		return ecdheChoice{why: fmt.Sprintf("the client's groups %v include none of ours %v", groups, config.curves()), cause: ErrNoCommonGroup}, nil
	}
	schemes, sent := m.SignatureSchemes()
	if !sent {
		// spec: rfc5246#7.4.1.4.1 (absent, the client's default is
		// {sha1,rsa}), rfc9155#3 (SHA-1 signatures MUST NOT be used)
		return ecdheChoice{why: "the client sent no signature_algorithms, so the only signature it accepts is SHA-1, which TLS 1.2 may no longer use (RFC 9155)", cause: ErrNoCommonSignatureScheme}, nil
	}
	ch.scheme = chooseSignatureScheme(config, schemes)
	ch.ecdsaCert, ch.ecdsaScheme = chooseECDSACertificate(config, m, schemes)
	if ch.scheme == 0 && ch.ecdsaCert == nil {
		return ecdheChoice{why: fmt.Sprintf("the client's signature_algorithms %v lists none that our keys can make", schemes),
			cause: ErrNoCommonSignatureScheme}, nil
	}
	ch.ok = true
	return ch, nil
}

// chooseSignatureScheme picks the scheme the server signs its
// ServerKeyExchange with, from the client's signature_algorithms: the
// client's first rsa_pss_rsae_* that every certificate key can sign with,
// else its first rsa_pkcs1_* (SHA-256/384/512); 0 if there is none. PSS
// comes first whatever the client's order: it is the scheme with a
// security proof, and the only RSA signature TLS 1.3 keeps for handshake
// messages. (crypto/tls ranks PSS first among its own RSA schemes, but its
// TLS 1.2 server takes the client's order; since clients, crypto/tls's
// own included, list PSS first, the two usually agree.)
//
// spec: rfc5246#7.4.1.4.1, rfc8446#4.2.3
func chooseSignatureScheme(config *Config, offered []SignatureScheme) SignatureScheme {
	fitsAll := func(s SignatureScheme) bool {
		for _, c := range config.Certificates {
			if c.PrivateKey != nil && !signatureFits(s, &c.PrivateKey.PublicKey) {
				return false
			}
		}
		return true
	}
	for _, s := range offered {
		if isPSS(s) && fitsAll(s) {
			return s
		}
	}
	for _, s := range offered {
		if !isPSS(s) && !isECDSAScheme(s) && signatureHash(s) != 0 {
			return s
		}
	}
	return 0
}

// makeServerKeyExchange generates the server's ephemeral key on the chosen
// group and signs ServerECDHParams with the certificate's private key,
// with the chosen scheme: RSASSA-PSS or PKCS#1 v1.5 (cipher/rsa) for
// ECDHE_RSA, ECDSA (cipher/ecdsa) for ECDHE_ECDSA.
//
// spec: rfc8422#5.4, rfc5246#7.4.3, rfc8446#4.2.3
func (hs *serverState) makeServerKeyExchange() (*ServerKeyExchange, error) {
	c := hs.c
	key, err := generateECDHE(c.config.rand(), hs.ecdhe.curve)
	if err != nil {
		return nil, err
	}
	hs.ecdheKey = key
	m := &ServerKeyExchange{NamedCurve: key.curve, PublicKey: key.public, SignatureAlgorithm: hs.ecdhe.scheme}
	if hs.suite.signsWithECDSA() {
		m.SignatureAlgorithm = hs.ecdhe.ecdsaScheme
	}
	params, err := m.Params()
	if err != nil {
		return nil, err
	}
	h := signatureHash(m.SignatureAlgorithm)
	digest := signedParamsDigest(h, hs.hello.Random[:], hs.serverHello.Random[:], params)
	if m.Signature, err = signWithScheme(c.config.rand(), hs.cert.signer(), m.SignatureAlgorithm, digest); err != nil {
		return nil, fmt.Errorf("%w: signing ServerKeyExchange with the certificate key: %v", ErrConfig, err)
	}
	return m, nil
}

// readECDHEClientKeyExchange reads the client's public value and computes
// the premaster secret; an invalid value (wrong length, not on the curve,
// an all-zero X25519 result) is illegal_parameter.
//
// spec: rfc8422#5.7, rfc8422#5.10, rfc8422#5.11
func (hs *serverState) readECDHEClientKeyExchange() ([]byte, error) {
	m := new(ECDHEClientKeyExchange)
	if err := hs.c.readHandshake(TypeClientKeyExchange, m); err != nil {
		return nil, err
	}
	pre, err := hs.ecdheKey.sharedSecret(m.PublicKey)
	hs.ecdheKey = nil // ephemeral: forgotten as soon as it was used
	return pre, err
}

// serverParamsVerified proves that the ServerKeyExchange signature verified
// with the key of the server's verified certificate. Only
// verifyServerKeyExchange creates one, and it carries the verified group
// and public value: the ECDHE ClientKeyExchange step takes its peer key
// from this proof and nowhere else, so nothing keyed can be computed from
// parameters whose signature was not checked (STYLE §3). Its zero value
// names no group and makes the key agreement fail.
type serverParamsVerified struct {
	curve  CurveID
	public []byte
}

// readServerKeyExchange reads the ServerKeyExchange of an ECDHE suite and
// checks it, in this order: a group we offered, a valid public value, a
// signature scheme we offered, and the signature itself.
//
// spec: rfc8422#5.4, rfc5246#7.4.3
func (hs *clientState) readServerKeyExchange(_ chainVerified) (serverParamsVerified, error) {
	c := hs.c
	c.setPhase(PhaseServerKeyExchange)
	m := new(ServerKeyExchange)
	if err := c.readHandshake(TypeServerKeyExchange, m); err != nil {
		return serverParamsVerified{}, err
	}
	return hs.verifyServerKeyExchange(m)
}

// verifyServerKeyExchange is the check behind serverParamsVerified.
func (hs *clientState) verifyServerKeyExchange(m *ServerKeyExchange) (serverParamsVerified, error) {
	offered, _ := hs.hello.SupportedGroups()
	if !slices.Contains(offered, m.NamedCurve) {
		// spec: rfc8422#5.4 the server picks one of the client's curves;
		// rfc5246#7.2.2 illegal_parameter "a field in the handshake was
		// ... inconsistent with other fields".
		return serverParamsVerified{}, failf(ErrIllegalParameter, "server chose group %v, which we did not offer (%v)", m.NamedCurve, offered)
	}
	if err := checkPublicKey(m.NamedCurve, m.PublicKey); err != nil {
		return serverParamsVerified{}, err
	}
	schemes, _ := hs.hello.SignatureSchemes()
	h := signatureHash(m.SignatureAlgorithm)
	if h == 0 || !slices.Contains(schemes, m.SignatureAlgorithm) {
		// spec: rfc5246#7.4.3 the signature uses a pair the client listed.
		return serverParamsVerified{}, failf(ErrIllegalParameter, "server signed with %v, which we did not offer", m.SignatureAlgorithm)
	}
	params, err := m.Params()
	if err != nil {
		return serverParamsVerified{}, err
	}
	digest := signedParamsDigest(h, hs.hello.Random[:], hs.serverHello.Random[:], params)
	if len(hs.c.state.PeerCertificates) == 0 {
		return serverParamsVerified{}, fmt.Errorf("%w: no verified server certificate", ErrConfig)
	}
	if err := verifyWithScheme(hs.c.state.PeerCertificates[0], m.SignatureAlgorithm, digest, m.Signature); err != nil {
		return serverParamsVerified{}, fmt.Errorf("%w (%v, %v)", ErrBadSignature, m.SignatureAlgorithm, err)
	}
	return serverParamsVerified{curve: m.NamedCurve, public: m.PublicKey}, nil
}

// sendECDHEClientKeyExchange makes the client's ephemeral key on the
// server's group, sends its public value, and derives the keys from the
// shared secret. It needs both proofs: the certificate chain was verified,
// and the server's parameters carry that certificate's signature.
//
// spec: rfc8422#5.7, rfc8422#5.10
func (hs *clientState) sendECDHEClientKeyExchange(_ chainVerified, params serverParamsVerified) error {
	c := hs.c
	c.setPhase(PhaseClientKeyExchange)
	if !supportedCurve(params.curve) {
		return fmt.Errorf("%w: no verified ServerKeyExchange parameters", ErrConfig)
	}
	key, err := generateECDHE(c.config.rand(), params.curve)
	if err != nil {
		return err
	}
	pre, err := key.sharedSecret(params.public)
	if err != nil {
		return err
	}
	return hs.sendKeyExchangeFlight(&ECDHEClientKeyExchange{PublicKey: key.public}, pre) // client.go
}

// checkSigningKeyUsage: with ECDHE_RSA the certificate key signs the
// ServerKeyExchange, so a key usage extension, when present, must allow
// digitalSignature (it need not allow keyEncipherment). Presence is asked
// of the certificate: a keyUsage whose only bits are ones minitls does not
// name still restricts the key.
//
// spec: rfc5246#7.4.2 ("ECDHE_RSA ... RSA public key; the certificate MUST
// allow the key to be used for signing"), rfc5280#4.2.1.3
func checkSigningKeyUsage(leaf *x509lite.Certificate) error {
	if leaf.HasExtension(x509lite.OIDExtKeyUsage) && leaf.KeyUsage&x509lite.KeyUsageDigitalSignature == 0 {
		return fmt.Errorf("%w: the server's certificate does not allow digitalSignature, which ECDHE_RSA needs to sign the ServerKeyExchange", ErrUnsupportedCertificate)
	}
	return nil
}

// ecdheHelloExtensions returns the extensions a client adds when it offers
// an ECDHE suite: its groups and the one point format.
//
// spec: rfc8422#5.1 ("Clients SHOULD send both the Supported Elliptic
// Curves Extension and the Supported Point Formats Extension")
func ecdheHelloExtensions(config *Config) ([]Extension, error) {
	g, err := NewExtension(ExtSupportedGroups, &SupportedGroups{Groups: config.curves()})
	if err != nil {
		return nil, err
	}
	p, err := NewExtension(ExtECPointFormats, &ECPointFormats{Formats: []uint8{pointUncompressed}})
	if err != nil {
		return nil, err
	}
	return []Extension{g, p}, nil
}
