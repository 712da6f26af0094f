package handshake

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync"

	"minitls/record"
)

// What the two TLS 1.3 state machines (client13.go, server13.go) share: the
// version choice, the transcript after a HelloRetryRequest, installing
// traffic keys, the key log, CertificateVerify's signed content, and the
// messages that may follow the handshake (NewSessionTicket, KeyUpdate).
//
// spec: rfc8446

// minVersion and maxVersion are Config.MinVersion and Config.MaxVersion with
// their defaults (TLS 1.2 and TLS 1.3); TLS 1.3 counts only while a TLS 1.3
// suite is enabled (see enabledSuites13).
func (c *Config) minVersion() ProtocolVersion {
	if c.MinVersion == 0 {
		return VersionTLS12
	}
	return ProtocolVersion(c.MinVersion)
}

func (c *Config) maxVersion() ProtocolVersion {
	v := VersionTLS13
	if c.MaxVersion != 0 {
		v = ProtocolVersion(c.MaxVersion)
	}
	if v >= VersionTLS13 && len(c.enabledSuites13()) == 0 {
		v = VersionTLS12
	}
	return v
}

// supports13 reports whether this side may negotiate TLS 1.3, and
// supports12 TLS 1.2.
func (c *Config) supports13() bool { return c.maxVersion() >= VersionTLS13 }
func (c *Config) supports12() bool {
	return c.minVersion() <= VersionTLS12 && c.maxVersion() >= VersionTLS12 && len(c.enabledSuites()) > 0
}

// downgradeTLS12 is the last 8 bytes of ServerHello.random when a server that
// speaks TLS 1.3 negotiates TLS 1.2: "44 4F 57 4E 47 52 44 01" ("DOWNGRD" and
// 01). A TLS 1.3 client that sees it in a TLS 1.2 ServerHello knows an
// attacker removed TLS 1.3 from its hello and aborts with illegal_parameter.
//
// spec: rfc8446#4.1.3
var downgradeTLS12 = []byte("DOWNGRD\x01")

// markDowngrade writes the sentinel into a TLS 1.2 ServerHello's random when
// this server would have spoken TLS 1.3.
//
// spec: rfc8446#4.1.3
func (c *Config) markDowngrade(random *[32]byte) {
	if c.supports13() {
		copy(random[24:], downgradeTLS12)
	}
}

// helloRetryRequestRandom is the random of a HelloRetryRequest, which is a
// ServerHello with this value: SHA-256("HelloRetryRequest").
//
// spec: rfc8446#4.1.3
var helloRetryRequestRandom = [32]byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}

// isHelloRetryRequest reports whether m is a HelloRetryRequest.
func isHelloRetryRequest(m *ServerHello) bool { return m.Random == helloRetryRequestRandom }

// restartWithMessageHash replaces ClientHello1 in the transcript by its hash
// in a synthetic message_hash message, after a HelloRetryRequest, so that a
// server can stay stateless (the cookie can carry that hash):
//
//	Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
//	    Hash(message_hash ||        /* Handshake type */
//	         00 00 Hash.length  ||  /* Handshake message length (bytes) */
//	         Hash(ClientHello1) ||  /* Hash of ClientHello1 */
//	         HelloRetryRequest  || ... || Mn)
//
// spec: rfc8446#4.4.1
func (t *transcript) restartWithMessageHash(s *suite13, clientHello1 []byte) (messageHash []byte) {
	h := s.newHash()
	h.Write(clientHello1)
	sum := h.Sum(nil)
	messageHash = append([]byte{byte(typeMessageHash), 0, 0, byte(len(sum))}, sum...)
	t.h = s.newHash()
	t.h.Write(messageHash)
	t.buf = nil
	return messageHash
}

// conn13 is the part of a Conn that only TLS 1.3 has: the current traffic
// secrets (KeyUpdate moves them on) and the resumption master secret.
type conn13 struct {
	suite       *suite13
	mu          sync.Mutex // serializes KeyUpdates we send
	ourSecret   []byte     // our current application traffic secret
	peerSecret  []byte     // the peer's
	resumption  []byte     // resumption_master_secret (rfc8446#7.1)
	sentUpdates int        // KeyUpdates sent
	ticketsSeen int        // NewSessionTickets received
	onTicket    func(*NewSessionTicket13) error
}

// trafficProtection builds the record protection of one traffic secret
// (key and IV by trafficKeys13), tracing both under the secret's name.
//
// spec: rfc8446#7.3
func (c *Conn) trafficProtection(s *suite13, name string, secret []byte) (*record.Protection, error) {
	key, iv := trafficKeys13(s, secret)
	c.traceKey(name+" key", key)
	c.traceKey(name+" iv", iv)
	aead, err := (&suite{chacha: s.chacha}).newAEAD(key) // AES-GCM or ChaCha20-Poly1305 (suites.go)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return record.NewProtection13(aead, iv)
}

// setReadSecret13 and setWriteSecret13 install the keys of a traffic secret
// for one direction, at once.
//
// spec: rfc8446#7.3, rfc8446#5.1
func (c *Conn) setReadSecret13(s *suite13, name string, secret []byte) error {
	p, err := c.trafficProtection(s, name, secret)
	if err != nil {
		return err
	}
	return c.rec.SetReadKeys13(p)
}

func (c *Conn) setWriteSecret13(s *suite13, name string, secret []byte) error {
	p, err := c.trafficProtection(s, name, secret)
	if err != nil {
		return err
	}
	return c.rec.SetWriteKeys13(p)
}

// writeKeyLog13 writes one NSS key log line of TLS 1.3 ("LABEL <client
// random> <secret>"), so that Wireshark can decrypt the handshake and the
// application data.
//
// spec: https://nss-crypto.org/reference/security/nss/legacy/key_log_format/
func (c *Config) writeKeyLog13(label string, clientRandom, secret []byte) error {
	if c.KeyLogWriter == nil {
		return nil
	}
	keyLogMu.Lock()
	defer keyLogMu.Unlock()
	if _, err := fmt.Fprintf(c.KeyLogWriter, "%s %x %x\n", label, clientRandom, secret); err != nil {
		return fmt.Errorf("%w: writing KeyLogWriter: %v", ErrConfig, err)
	}
	return nil
}

// secret13 traces a secret of the key schedule and writes its key log line
// (nssLabel "" for none).
func (c *Conn) secret13(name, nssLabel string, clientRandom, secret []byte) error {
	c.traceKey(name, secret)
	if nssLabel == "" {
		return nil
	}
	return c.config.writeKeyLog13(nssLabel, clientRandom, secret)
}

// The context strings of CertificateVerify.
//
// spec: rfc8446#4.4.3
const (
	serverSignatureContext = "TLS 1.3, server CertificateVerify"
	clientSignatureContext = "TLS 1.3, client CertificateVerify"
)

// signedContent13 is what CertificateVerify signs, hashed with the scheme's
// hash: 64 spaces, the context string, a zero byte, and the transcript hash
// up to and including Certificate. The 64 spaces make the content useless as
// anything a TLS 1.2 signature would cover.
//
// spec: rfc8446#4.4.3
func signedContent13(s SignatureScheme, context string, transcriptHash []byte) []byte {
	h := signatureHash(s).New()
	h.Write(bytes.Repeat([]byte{0x20}, 64))
	h.Write([]byte(context))
	h.Write([]byte{0})
	h.Write(transcriptHash)
	return h.Sum(nil)
}

// checkFinished13 compares a received Finished with the expected verify_data
// in constant time and returns the proof that it matched.
//
// spec: rfc8446#4.4.4 ("Recipients of Finished messages MUST verify that the
// contents are correct and if incorrect MUST terminate the connection with a
// "decrypt_error" alert.")
func checkFinished13(m *Finished13, want []byte) (finishedVerified, error) {
	if subtle.ConstantTimeCompare(m.VerifyData, want) != 1 {
		return finishedVerified{}, ErrBadFinished
	}
	return finishedVerified{}, nil
}

// newMessage13 returns an empty TLS 1.3 message of type t. hashLen is the
// length of a Finished's verify_data.
func newMessage13(t HandshakeType, hashLen int) Message {
	switch t {
	case TypeEncryptedExtensions:
		return new(EncryptedExtensions)
	case TypeCertificate:
		return new(Certificate13)
	case TypeCertificateRequest:
		return new(CertificateRequest13)
	case TypeCertificateVerify:
		return new(CertificateVerify)
	case TypeFinished:
		return &Finished13{HashLen: hashLen}
	case TypeNewSessionTicket:
		return new(NewSessionTicket13)
	case TypeKeyUpdate:
		return new(KeyUpdate)
	case TypeClientHello:
		return new(ClientHello)
	}
	return nil
}

// readHandshake13 reads the next handshake message, which must be of one of
// types (else unexpected_message), parses it with the TLS 1.3 grammar, adds
// it to the transcript and traces it.
//
// spec: rfc8446#4
func (c *Conn) readHandshake13(hashLen int, types ...HandshakeType) (Message, error) {
	expect := make([]uint8, len(types))
	for i, t := range types {
		expect[i] = uint8(t)
	}
	data, err := c.rec.ReadHandshakeOf(expect...)
	if err != nil {
		return nil, err
	}
	m := newMessage13(HandshakeType(data[0]), hashLen)
	if m == nil {
		return nil, failf(ErrUnexpectedMessage, "received %v while waiting for one of %v", HandshakeType(data[0]), types)
	}
	if err := m.Unmarshal(data); err != nil {
		return nil, err
	}
	c.transcript.write(data)
	c.traceMessage(false, m, data)
	return m, nil
}

// appendToFlight marshals m, adds it to the transcript and the trace, and
// appends it to flight; the flight is sent later by sendFlight, so that each
// message's transcript hash can be taken before the next is built.
func (c *Conn) appendToFlight(flight *[][]byte, m Message) error {
	raw, err := m.Marshal()
	if err != nil {
		return err
	}
	c.transcript.write(raw)
	c.traceMessage(true, m, raw)
	*flight = append(*flight, raw)
	return nil
}

// establish13 makes a TLS 1.3 connection live; like establish, it takes the
// proof that the peer's Finished verified.
func (c *Conn) establish13(_ finishedVerified) {
	c.state.HandshakeComplete = true
	c.state.Version = uint16(VersionTLS13)
	c.setPhase(PhaseEstablished)
}

// handlePostHandshake13 acts on a message that arrived after a TLS 1.3
// handshake: a NewSessionTicket (at a client) or a KeyUpdate. These
// messages are not part of the transcript.
//
// spec: rfc8446#4.6
func (c *Conn) handlePostHandshake13(raw []byte) error {
	m := newMessage13(HandshakeType(raw[0]), 0)
	if m == nil {
		return failf(ErrUnexpectedMessage, "%v after the handshake", HandshakeType(raw[0]))
	}
	if err := m.Unmarshal(raw); err != nil {
		return err
	}
	c.traceMessage(false, m, raw)
	switch m := m.(type) {
	case *KeyUpdate:
		return c.receiveKeyUpdate(m)
	case *NewSessionTicket13:
		c.tls13.ticketsSeen++
		if c.tls13.onTicket != nil {
			return c.tls13.onTicket(m)
		}
		return nil
	}
	return failf(ErrUnexpectedMessage, "%v after the handshake", m.Type())
}

// receiveKeyUpdate moves the peer's traffic secret on and, when the peer
// asked for it, sends our own KeyUpdate (not requesting one back, which
// would loop) and moves ours on too.
//
// spec: rfc8446#4.6.3 ("If the request_update field is set to
// "update_requested", then the receiver MUST send a KeyUpdate of its own with
// request_update set to "update_not_requested" prior to sending its next
// Application Data record."), rfc8446#7.2
func (c *Conn) receiveKeyUpdate(m *KeyUpdate) error {
	t := c.tls13
	t.peerSecret = nextTrafficSecret(t.suite, t.peerSecret)
	if err := c.setReadSecret13(t.suite, "peer application traffic (updated)", t.peerSecret); err != nil {
		return err
	}
	c.traceKey("peer application traffic secret (updated)", t.peerSecret)
	if m.UpdateRequested {
		return c.sendKeyUpdate(false)
	}
	return nil
}

// ErrNotTLS13 is returned by UpdateKeys on a connection that did not
// negotiate TLS 1.3 (TLS 1.2 has no KeyUpdate) or has not finished its
// handshake.
var ErrNotTLS13 = errors.New("minitls: KeyUpdate needs an established TLS 1.3 connection")

// UpdateKeys sends a KeyUpdate and from then on encrypts under the next
// application traffic secret; with requestPeer the peer is asked to update
// its own keys too (update_requested).
//
// spec: rfc8446#4.6.3, rfc8446#7.2
func (c *Conn) UpdateKeys(requestPeer bool) error {
	if !c.handshakeDone.Load() || c.tls13 == nil {
		return ErrNotTLS13
	}
	return c.sendKeyUpdate(requestPeer)
}

// sendKeyUpdate sends KeyUpdate under the current keys and switches our
// write keys in the same step, so no record of another writer slips between
// the two.
//
// spec: rfc8446#4.6.3
func (c *Conn) sendKeyUpdate(requestPeer bool) error {
	t := c.tls13
	t.mu.Lock()
	defer t.mu.Unlock()
	m := &KeyUpdate{UpdateRequested: requestPeer}
	raw, err := m.Marshal()
	if err != nil {
		return err
	}
	next := nextTrafficSecret(t.suite, t.ourSecret)
	p, err := c.trafficProtection(t.suite, "our application traffic (updated)", next)
	if err != nil {
		return err
	}
	c.traceMessage(true, m, raw)
	if err := c.rec.WriteKeyUpdate13(raw, p); err != nil {
		return err
	}
	t.ourSecret = next
	t.sentUpdates++
	c.traceKey("our application traffic secret (updated)", next)
	return nil
}
