package handshake

import (
	"bytes"
	"fmt"
	"io"
	"time"
)

// clientResumption is what the client knows about resumption during one
// handshake.
type clientResumption struct {
	cacheKey string              // where the session lives in Config.ClientSessionCache
	session  *ClientSessionState // the session offered, if any
	// ticketExpected: the ServerHello carried session_ticket, so a
	// NewSessionTicket comes before the server's ChangeCipherSpec.
	ticketExpected bool
	newTicket      *NewSessionTicket
}

// sessionCacheKey is the key of this connection's sessions in
// Config.ClientSessionCache: the server name when set (Dial sets it from
// the address), else the remote address.
func (c *Conn) sessionCacheKey() string {
	if c.config.ServerName != "" {
		return c.config.ServerName
	}
	return c.conn.RemoteAddr().String()
}

// offerSession adds resumption to the ClientHello when Config has a
// ClientSessionCache: the cached session's ticket (with a fresh random
// session_id, by which the server signals that it accepted the ticket) or
// its session_id, and an empty session_ticket extension to ask for a new
// ticket. A cached session is offered only if it can still be resumed
// here: same server name, its suite still offered, not expired, its
// certificate verified (unless InsecureSkipVerify is set now) and still
// valid, and made with the extended master secret.
//
// spec: rfc5246#7.4.1.2, rfc5077#3.4, rfc7627#5.3 ("The client SHOULD NOT
// offer an abbreviated handshake to resume a session that does not use an
// extended master secret.")
func (hs *clientState) offerSession(m *ClientHello, add func(ExtensionType, extensionMarshaler) error) error {
	c := hs.c
	cache := c.config.ClientSessionCache
	if cache == nil {
		return nil
	}
	r := &hs.resumption
	r.cacheKey = c.sessionCacheKey()
	tickets := !c.config.SessionTicketsDisabled
	if s, ok := cache.Get(r.cacheKey); ok && s != nil && hs.canResume(s, m) {
		switch {
		case tickets && len(s.ticket) > 0:
			m.SessionID = make([]byte, 32)
			if _, err := io.ReadFull(c.config.rand(), m.SessionID); err != nil {
				return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
			}
			r.session = s
			return add(ExtSessionTicket, &SessionTicketExtension{Ticket: s.ticket})
		case len(s.sessionID) > 0:
			m.SessionID = append([]byte{}, s.sessionID...)
			r.session = s
		}
	}
	if tickets {
		return add(ExtSessionTicket, nil)
	}
	return nil
}

// canResume reports whether s may be offered in hello m.
func (hs *clientState) canResume(s *ClientSessionState, m *ClientHello) bool {
	cfg := hs.c.config
	if s.serverName != cfg.ServerName {
		return false // rfc6066#3: a session belongs to one server name
	}
	if !s.ems || cfg.disableEMS {
		return false // rfc7627#5.3: only EMS sessions, offered with the extension
	}
	offered := false
	for _, id := range m.CipherSuites {
		offered = offered || id == s.suite
	}
	if !offered {
		return false // rfc5246#7.4.1.2: the hello must offer the session's suite
	}
	now := cfg.time()
	lifetime := cfg.sessionLifetime()
	if hint := time.Duration(s.lifetimeHint) * time.Second; hint > 0 && hint < lifetime {
		lifetime = hint
	}
	if !now.Before(s.createdAt.Add(lifetime)) {
		return false
	}
	if !cfg.InsecureSkipVerify && !s.verified {
		// The session was made with InsecureSkipVerify (the cache may be
		// shared by Configs that differ there): resuming it would
		// authenticate a server whose chain was never checked.
		return false
	}
	if !cfg.InsecureSkipVerify && (len(s.peerCertificates) == 0 || now.After(s.peerCertificates[0].NotAfter)) {
		return false // the certificate verified then has expired since
	}
	return true
}

// serverResumed reports whether the ServerHello accepted the session we
// offered: it echoes our (non-empty) session_id.
//
// spec: rfc5246#7.4.1.3, rfc5077#3.4
func (hs *clientState) serverResumed() bool {
	return hs.resumption.session != nil && len(hs.hello.SessionID) > 0 &&
		bytes.Equal(hs.serverHello.SessionID, hs.hello.SessionID)
}

// resumeHandshake runs the abbreviated handshake as the client once the
// ServerHello accepted our session: no Certificate to verify, no key to
// encrypt to; the server's Finished comes first and proves it knows the
// session's master secret.
//
//	                                                ServerHello
//	                                         [NewSessionTicket]
//	                                         [ChangeCipherSpec]
//	                             <--------             Finished
//	[ChangeCipherSpec]
//	Finished                     -------->
//
// spec: rfc5246#7.3, rfc5077#3.1
func (hs *clientState) resumeHandshake() (err error) {
	c := hs.c
	s := hs.resumption.session
	defer func() {
		if err != nil {
			// A session that failed to resume is not offered again.
			c.config.ClientSessionCache.Put(hs.resumption.cacheKey, nil)
		}
	}()
	c.setPhase(PhaseSessionResumed)
	// spec: rfc5246#7.4.1.3 "For resumed sessions, this field is the value
	// from the state of the session being resumed."
	if hs.suite.id != s.suite {
		return failf(ErrIllegalParameter, "server resumed our session with cipher suite %v, the session's is %v", hs.suite.id, s.suite)
	}
	// spec: rfc7627#5.3 "If the original session used the extension but the
	// new ServerHello does not contain the extension, the client MUST abort
	// the handshake" (and the other way round).
	if c.state.ExtendedMasterSecret != s.ems {
		return failf(ErrResumeEMSMismatch, "the session used it: %v, the ServerHello: %v", s.ems, c.state.ExtendedMasterSecret)
	}
	if err := hs.readNewSessionTicket(); err != nil {
		return err
	}
	hs.masterSecret = s.masterSecret
	if err := c.resumeKeys(hs.suite, s.masterSecret, hs.hello.Random[:], hs.serverHello.Random[:]); err != nil {
		return err
	}
	finished, err := hs.readFinished()
	if err != nil {
		return err
	}
	if err := hs.sendFinished(); err != nil {
		return err
	}
	// The resumed connection is authenticated by the session: it keeps the
	// certificates verified in the full handshake.
	c.state.PeerCertificates = s.peerCertificates
	c.state.DidResume = true
	c.establish(finished)
	hs.saveSession()
	return nil
}

// readNewSessionTicket reads the ticket the ServerHello promised, if it did.
//
// spec: rfc5077#3.3
func (hs *clientState) readNewSessionTicket() error {
	if !hs.resumption.ticketExpected {
		return nil
	}
	c := hs.c
	c.setPhase(PhaseNewSessionTicket)
	m := new(NewSessionTicket)
	if err := c.readHandshake(TypeNewSessionTicket, m); err != nil {
		return err
	}
	hs.resumption.newTicket = m
	return nil
}

// saveSession stores the session of an established connection in
// Config.ClientSessionCache: after a full handshake, its session_id and/or
// ticket; after a resumption, the same session with the new ticket if the
// server sent one. A full handshake that created nothing resumable removes
// the old entry.
func (hs *clientState) saveSession() {
	c := hs.c
	cache := c.config.ClientSessionCache
	if cache == nil {
		return
	}
	r := &hs.resumption
	var ticket []byte
	var hint uint32
	if r.newTicket != nil {
		ticket, hint = r.newTicket.Ticket, r.newTicket.TicketLifetimeHint
	}
	if c.state.DidResume {
		if len(ticket) > 0 {
			s := *r.session
			s.ticket, s.lifetimeHint, s.sessionID = ticket, hint, nil
			cache.Put(r.cacheKey, &s)
		}
		return
	}
	if !c.state.ExtendedMasterSecret || (len(hs.serverHello.SessionID) == 0 && len(ticket) == 0) {
		if r.session != nil {
			cache.Put(r.cacheKey, nil)
		}
		return
	}
	cache.Put(r.cacheKey, &ClientSessionState{
		sessionID:        append([]byte{}, hs.serverHello.SessionID...),
		ticket:           ticket,
		lifetimeHint:     hint,
		suite:            hs.suite.id,
		masterSecret:     hs.masterSecret,
		ems:              c.state.ExtendedMasterSecret,
		serverName:       c.config.ServerName,
		peerCertificates: c.state.PeerCertificates,
		verified:         !c.config.InsecureSkipVerify,
		createdAt:        c.config.time(),
	})
}
