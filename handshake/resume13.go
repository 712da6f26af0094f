package handshake

import (
	"crypto/hmac"
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// TLS 1.3 resumption: after the handshake the server sends NewSessionTicket;
// its ticket is the session's state sealed under the server's ticket keys
// (ticket.go, the same keys as TLS 1.2's tickets), and both sides derive the
// ticket's pre-shared key from the resumption master secret and the ticket's
// nonce. A later ClientHello offers the ticket in pre_shared_key, with a
// binder (an HMAC over the ClientHello keyed by the PSK) that proves the
// client holds the PSK; the server that accepts it skips Certificate and
// CertificateVerify. minitls offers and accepts only psk_dhe_ke: every
// resumed handshake runs (EC)DHE too, so it keeps forward secrecy.
//
// Reuse: a ticket may be used again until its lifetime ends (bounded by
// Config.SessionLifetime, at most 7 days); each resumption gets a fresh
// ticket. minitls refuses 0-RTT, the only case where replaying a ClientHello
// gains an attacker anything (rfc8446#8), so it keeps no single-use list.
//
// spec: rfc8446#2.2, rfc8446#4.2.11, rfc8446#4.6.1

// maxTicketLifetime is the longest lifetime a TLS 1.3 ticket may have.
// spec: rfc8446#4.6.1 ("Servers MUST NOT use any value greater than 604800
// seconds (7 days).")
const maxTicketLifetime = 604800

// session13 is the state a TLS 1.3 ticket seals.
//
//	struct {
//	    ProtocolVersion version = 0x0304;
//	    CipherSuite cipher_suite;
//	    opaque psk<32..48>;
//	    uint64 created_at;         /* Unix seconds */
//	    uint32 ticket_age_add;
//	    opaque server_name<0..2^16-1>;
//	    ASN.1Cert client_certificates<0..2^24-1>; /* the client's chain, if it sent one */
//	} Session13;
type session13 struct {
	suite      CipherSuite
	psk        []byte
	createdAt  uint64
	ageAdd     uint32
	serverName string
	// clientCertificates: the ticket carries the client's identity
	// (clientauth13.go). spec: rfc8446#4.6.1
	clientCertificates [][]byte
}

func (s *session13) marshal() ([]byte, error) {
	var b builder
	b.u16(uint16(VersionTLS13))
	b.u16(uint16(s.suite))
	b.opaque(1, 32, 48, "psk", s.psk)
	b.u32(uint32(s.createdAt >> 32))
	b.u32(uint32(s.createdAt))
	b.u32(s.ageAdd)
	b.opaque(2, 0, 1<<16-1, "server_name", []byte(s.serverName))
	marshalClientCertificates(&b, s.clientCertificates) // clientauth.go
	return b.result()
}

func parseSession13(data []byte) (*session13, error) {
	r := newReader(data, "Session13")
	s := &session13{}
	if v := ProtocolVersion(r.u16("version")); v != VersionTLS13 && !r.failed() {
		r.fail("version %v", v)
	}
	s.suite = CipherSuite(r.u16("cipher_suite"))
	s.psk = cloneBytes(r.opaque(1, 32, 48, "psk"))
	s.createdAt = uint64(r.u32("created_at high"))<<32 | uint64(r.u32("created_at low"))
	s.ageAdd = r.u32("ticket_age_add")
	s.serverName = string(r.opaque(2, 0, 1<<16-1, "server_name"))
	s.clientCertificates = parseClientCertificates(r) // clientauth.go
	if err := r.finish("Session13"); err != nil {
		return nil, err
	}
	return s, nil
}

// ticketLifetime13 is the lifetime a server announces for its tickets.
func (c *Config) ticketLifetime13() time.Duration {
	return min(c.sessionLifetime(), maxTicketLifetime*time.Second)
}

// sendSessionTicket13 sends one NewSessionTicket after the handshake, unless
// tickets are disabled or the client cannot resume (no
// psk_key_exchange_modes with psk_dhe_ke).
//
// spec: rfc8446#4.6.1, rfc8446#4.2.9 ("Servers MUST NOT send a
// NewSessionTicket with tickets that are not compatible with the advertised
// modes")
func (h *serverState13) sendSessionTicket13() error {
	c := h.c
	if c.config.SessionTicketsDisabled || !clientOffersPSKDHE(h.hello) {
		return nil
	}
	var nonce [1]byte // one ticket per connection: the nonce need only be unique on it
	var add [4]byte
	if _, err := io.ReadFull(c.config.rand(), add[:]); err != nil {
		return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
	}
	s := &session13{suite: h.suite.id, psk: resumptionPSK(h.suite, c.tls13.resumption, nonce[:]),
		createdAt: uint64(c.config.time().Unix()), ageAdd: binary.BigEndian.Uint32(add[:]), serverName: c.state.ServerName,
		clientCertificates: h.hs.clientAuth.ders()}
	state, err := s.marshal()
	if err != nil {
		return err
	}
	ticket, err := c.config.serverSessions().keys.seal(c.config, state)
	if err != nil {
		return err
	}
	m := &NewSessionTicket13{Lifetime: uint32(c.config.ticketLifetime13() / time.Second), AgeAdd: s.ageAdd, Nonce: nonce[:], Ticket: ticket}
	raw, err := m.Marshal()
	if err != nil {
		return err
	}
	c.traceKey("ticket PSK", s.psk)
	c.traceMessage(true, m, raw)
	return c.rec.WriteHandshake(raw)
}

// clientOffersPSKDHE reports whether a ClientHello's psk_key_exchange_modes
// lists psk_dhe_ke.
func clientOffersPSKDHE(m *ClientHello) bool {
	data, ok := m.extension(ExtPSKModes)
	if !ok {
		return false
	}
	var modes PSKKeyExchangeModes
	if modes.Unmarshal(data) != nil {
		return false
	}
	for _, mode := range modes.Modes {
		if mode == pskModeDHEKE {
			return true
		}
	}
	return false
}

// pskBinder computes a PSK binder: the Finished computation keyed by the
// binder key of the PSK's early secret, over the transcript up to and
// including the ClientHello truncated before its binders (prefix holds what
// comes before that ClientHello: nothing, or message_hash and the
// HelloRetryRequest).
//
// spec: rfc8446#4.2.11.2, rfc8446#7.1 (binder_key)
func pskBinder(s *suite13, psk, prefix, truncatedHello []byte) []byte {
	ks := newKeySchedule13(s, psk)
	binderKey := ks.derive(labelResBinder, s.newHash().Sum(nil))
	h := s.newHash()
	h.Write(prefix)
	h.Write(truncatedHello)
	return finishedVerifyData13(s, binderKey, h.Sum(nil))
}

// offerPSK13 adds the cached TLS 1.3 session, if any, to a ClientHello as
// its last extension, with the obfuscated ticket age and the binder. It
// returns the session offered (nil for none).
//
// spec: rfc8446#4.2.11, rfc8446#4.2.11.1 (obfuscated_ticket_age = age in
// ms + ticket_age_add mod 2^32)
func (hs *clientState) offerPSK13(m *ClientHello) (*ClientSessionState, error) {
	c := hs.c
	cache := c.config.ClientSessionCache
	if cache == nil || c.config.SessionTicketsDisabled {
		return nil, nil
	}
	s, ok := cache.Get(c.sessionCacheKey())
	if !ok || s == nil || s.version != VersionTLS13 || s.serverName != c.config.ServerName {
		return nil, nil
	}
	suite := suite13ByID(s.suite)
	age := c.config.time().Sub(s.createdAt)
	if suite == nil || age < 0 || age >= time.Duration(s.lifetimeHint)*time.Second || (!s.verified && !c.config.InsecureSkipVerify) {
		return nil, nil
	}
	enabled := false
	for _, e := range c.config.enabledSuites13() {
		enabled = enabled || e.hash == suite.hash
	}
	if !enabled {
		return nil, nil
	}
	offered := &OfferedPSKs{
		Identities: []PSKIdentity{{Identity: s.ticket, ObfuscatedTicketAge: uint32(age/time.Millisecond) + s.ageAdd}},
		Binders:    [][]byte{make([]byte, suite.hash.Size())},
	}
	if err := hs.setPSKBinder(m, offered, suite, s.masterSecret, nil); err != nil {
		return nil, err
	}
	return s, nil
}

// setPSKBinder adds m's pre_shared_key extension, last, with the binder
// computed over m truncated before its binders. m has none yet: the first
// ClientHello is built without one, and the second (after a
// HelloRetryRequest) leaves the first's out (sendSecondClientHello).
//
// spec: rfc8446#4.2.11 ("The "pre_shared_key" extension MUST be the last
// extension in the ClientHello"), rfc8446#4.2.11.2
func (hs *clientState) setPSKBinder(m *ClientHello, offered *OfferedPSKs, suite *suite13, psk, prefix []byte) error {
	ext, err := NewExtension(ExtPreSharedKey, offered)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	m.Extensions = append(m.Extensions, ext)
	raw, err := m.Marshal()
	if err != nil {
		return err
	}
	offered.Binders[0] = pskBinder(suite, psk, prefix, raw[:len(raw)-offered.bindersLen()])
	ext, err = NewExtension(ExtPreSharedKey, offered)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	m.Extensions[len(m.Extensions)-1] = ext
	return nil
}

// saveTicket13 is the client's NewSessionTicket handler: it keeps the ticket
// and its PSK in Config.ClientSessionCache.
//
// spec: rfc8446#4.6.1
func (h *clientState13) saveTicket13(m *NewSessionTicket13) error {
	c := h.c
	cache := c.config.ClientSessionCache
	if cache == nil || m.Lifetime == 0 {
		return nil // rfc8446#4.6.1: a lifetime of zero means "discard at once"
	}
	psk := resumptionPSK(h.suite, c.tls13.resumption, m.Nonce)
	c.traceKey("ticket PSK", psk)
	cache.Put(c.sessionCacheKey(), &ClientSessionState{
		version:          VersionTLS13,
		ticket:           cloneBytes(m.Ticket),
		lifetimeHint:     min(m.Lifetime, maxTicketLifetime),
		ageAdd:           m.AgeAdd,
		suite:            h.suite.id,
		masterSecret:     psk,
		serverName:       c.config.ServerName,
		peerCertificates: c.state.PeerCertificates,
		verified:         !c.config.InsecureSkipVerify,
		createdAt:        c.config.time(),
	})
	return nil
}

// acceptPSK13 is the server's side: it looks at the ClientHello's
// pre_shared_key and, when its ticket opens, is unexpired, was made for the
// chosen suite's hash and the same server name, checks its binder (a wrong
// binder is decrypt_error) and returns the PSK. Any other problem with the
// ticket means a full handshake (nil, nil).
//
// spec: rfc8446#4.2.11, rfc8446#4.2.11.2 ("If this value is not present or
// does not validate, the server MUST abort the handshake."), rfc8446#4.2.9
func (h *serverState13) acceptPSK13(prefix []byte) ([]byte, error) {
	c, m := h.c, h.hello
	data, ok := m.extension(ExtPreSharedKey)
	if !ok || c.config.SessionTicketsDisabled {
		return nil, nil
	}
	if _, ok := m.extension(ExtPSKModes); !ok {
		// spec: rfc8446#4.2.9 "If clients offer "pre_shared_key" without
		// a "psk_key_exchange_modes" extension, servers MUST abort the
		// handshake."
		return nil, failf(ErrMissingExtension, "pre_shared_key without psk_key_exchange_modes")
	}
	if !clientOffersPSKDHE(m) {
		return nil, nil
	}
	var offered OfferedPSKs
	if err := offered.Unmarshal(data); err != nil {
		return nil, err
	}
	state, _ := c.config.serverSessions().keys.open(c.config, offered.Identities[0].Identity)
	if state == nil {
		return nil, nil
	}
	s, err := parseSession13(state)
	if err != nil {
		return nil, nil
	}
	created := time.Unix(int64(s.createdAt), 0)
	now := c.config.time()
	if suite := suite13ByID(s.suite); suite == nil || suite.hash != h.suite.hash ||
		now.Before(created.Add(-time.Minute)) || !now.Before(created.Add(c.config.ticketLifetime13())) ||
		s.serverName != m.ServerName() {
		return nil, nil
	}
	// The client's identity, judged by today's policy (clientauth.go).
	chain, ok := h.hs.resumedClientChain(s.clientCertificates)
	if !ok {
		return nil, nil
	}
	raw := m.Raw
	want := pskBinder(h.suite, s.psk, prefix, raw[:len(raw)-offered.bindersLen()])
	if !hmac.Equal(want, offered.Binders[0]) {
		return nil, failf(ErrBadFinished, "the PSK binder does not verify")
	}
	c.state.PeerCertificates = chain
	return s.psk, nil
}
