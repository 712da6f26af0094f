package handshake

import (
	"fmt"
	"io"
	"time"
)

// serverResumption is what the server decides about resumption during one
// handshake.
type serverResumption struct {
	// clientTickets: the client sent a session_ticket extension and
	// tickets are enabled here, so a full handshake promises a ticket.
	clientTickets bool
	// session is the state to resume, when the client offered one that
	// checkResumption accepted; via says how ("ticket" or "session_id").
	session *sessionState
	via     string
	// issueTicket: our ServerHello carried an empty session_ticket
	// extension, so a NewSessionTicket must follow.
	issueTicket bool
	// sessionID is the session_id of a full handshake, under which the
	// session goes into the cache once it is established.
	sessionID []byte
}

// checkResumption looks for a session the client offered: first a ticket
// (session_ticket extension), then a session_id in the cache. A session is
// resumed only if it is still fresh, its suite is enabled here and offered
// by the client, the client asks for the same server name, and it used the
// extended master secret; anything else (including a ticket that does not
// open, a forged or truncated one, or one under a rotated-out key) falls
// back silently to a full handshake. The one hard failure is a session
// made with the extended master secret offered by a hello without it.
//
// It runs inside readClientHello, before the transcript hash is fixed,
// because a resumed session keeps its own cipher suite (and so its PRF
// hash), which may not be the one the server would pick now.
//
// spec: rfc5246#7.4.1.2, rfc5077#3.4, rfc6066#3, rfc7627#5.3
func (hs *serverState) checkResumption() error {
	c := hs.c
	r := &hs.resumption
	m := hs.hello
	ticket, ticketExt := m.extension(ExtSessionTicket)
	r.clientTickets = ticketExt && !c.config.SessionTicketsDisabled
	if !r.clientTickets && (len(m.SessionID) == 0 || c.config.SessionCacheSize <= 0) {
		return nil // nothing to look up: no shared state needed
	}
	store := c.config.serverSessions()
	now := c.config.time()
	var s *sessionState
	staleTicket := false
	if r.clientTickets && len(ticket) > 0 {
		if state, stale := store.keys.open(c.config, ticket); state != nil {
			if parsed, err := parseSessionState(state); err == nil {
				s, r.via, staleTicket = parsed, "ticket", stale
			}
		}
	}
	if s == nil && len(m.SessionID) > 0 && store.cache != nil {
		if cached, ok := store.cache.get(string(m.SessionID), now); ok {
			s, r.via = cached, "session_id"
		}
	}
	if s == nil || s.version != VersionTLS12 || s.expired(now, c.config.sessionLifetime()) {
		return nil
	}
	// spec: rfc5246#7.4.1.3 "cipher_suite ... For resumed sessions, this
	// field is the value from the state of the session being resumed."
	var chosen *suite
	for _, e := range c.config.enabledSuites() {
		if e.id == s.suite {
			chosen = e
		}
	}
	offered := false
	for _, id := range m.CipherSuites {
		offered = offered || id == s.suite
	}
	if chosen == nil || !offered {
		return nil
	}
	// spec: rfc6066#3 "A server that implements this extension MUST NOT
	// accept the request to resume the session if the server_name
	// extension contains a different name."
	if s.serverName != c.state.ServerName {
		return nil
	}
	// spec: rfc7627#5.3
	switch {
	case s.ems && !c.state.ExtendedMasterSecret:
		// "the server MUST abort the abbreviated handshake"
		return failf(ErrResumeEMSMismatch, "the %s names a session with the extended master secret, the ClientHello does not offer it", r.via)
	case !s.ems:
		// Session without EMS: "MUST NOT perform the abbreviated handshake"
		// when the hello offers EMS, and "SHOULD abort" when it does not;
		// minitls never resumes such a session (it never creates one
		// either) and does a full handshake.
		return nil
	}
	// The client's identity: a session without the certificate the policy
	// now requires, or whose chain no longer verifies, is not resumed.
	chain, ok := hs.resumedClientChain(s.clientCertificates) // clientauth.go
	if !ok {
		return nil
	}
	c.state.PeerCertificates = chain
	hs.suite = chosen
	r.session = s
	// spec: rfc5077#3.3 a resumed session may get a new ticket: one under
	// the current key outlives the old key. Decided only here, once the
	// session is accepted: a full handshake promises (or not) a ticket in
	// offerResumption.
	r.issueTicket = staleTicket
	return nil
}

// sessionForTicket is the state a new ticket seals: the session being
// resumed (its creation time unchanged, so a fresh ticket does not extend
// its lifetime), or the new session of a full handshake.
func (hs *serverState) sessionForTicket() *sessionState {
	if s := hs.resumption.session; s != nil {
		return s
	}
	return hs.newSessionState(hs.c.config.time())
}

// resumeHandshake runs the abbreviated handshake as the server: the server
// sends its Finished first, and no Certificate, ServerKeyExchange or
// ClientKeyExchange is exchanged, so there is no private-key operation.
//
//	ClientHello                  -------->
//	                                                ServerHello
//	                                         [ChangeCipherSpec]
//	                             <--------             Finished
//	[ChangeCipherSpec]
//	Finished                     -------->
//
// spec: rfc5246#7.3
func (hs *serverState) resumeHandshake() error {
	c := hs.c
	s := hs.resumption.session
	c.setPhase(PhaseServerHello)
	// spec: rfc5077#3.4 "If the server accepts the ticket and the Session
	// ID is not empty, then it MUST respond with the same Session ID
	// present in the ClientHello."
	sh := &ServerHello{Version: VersionTLS12, SessionID: append([]byte{}, hs.hello.SessionID...), CipherSuite: hs.suite.id}
	if _, err := io.ReadFull(c.config.rand(), sh.Random[:]); err != nil {
		return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
	}
	c.config.markDowngrade(&sh.Random) // rfc8446#4.1.3
	exts := []Extension{}
	if hs.secureRenegSig {
		exts = append(exts, Extension{Type: ExtRenegotiationInfo, Data: []byte{0}}) // empty renegotiated_connection; spec: rfc5746#3.6
	}
	// spec: rfc7627#5.3 "the server MUST include the
	// "extended_master_secret" extension in its ServerHello"
	exts = append(exts, Extension{Type: ExtExtendedMasterSecret, Data: []byte{}})
	if hs.resumption.issueTicket {
		exts = append(exts, Extension{Type: ExtSessionTicket, Data: []byte{}}) // a NewSessionTicket follows
	}
	if p := c.state.NegotiatedProtocol; p != "" {
		e, err := NewExtension(ExtALPN, &ProtocolNameList{Protocols: []string{p}})
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		exts = append(exts, e)
	}
	sh.Extensions = exts
	hs.serverHello = sh
	if err := c.writeFlight(sh); err != nil {
		return err
	}
	c.setPhase(PhaseSessionResumed)
	// A fresh ticket for a session a ticket of ours already proved; no
	// Finished has been checked yet, and none is needed for that.
	if err := hs.writeNewSessionTicket(); err != nil {
		return err
	}
	hs.masterSecret = s.masterSecret
	if err := c.resumeKeys(hs.suite, s.masterSecret, hs.hello.Random[:], sh.Random[:]); err != nil {
		return err
	}
	c.setPhase(PhaseServerChangeCipherSpec)
	if err := c.writeChangeCipherSpec(); err != nil {
		return err
	}
	c.setPhase(PhaseServerFinished)
	vd := VerifyData(hs.suite.prf, hs.masterSecret, labelServerFinished, c.transcript.sum())
	if err := c.writeFlight(&Finished{VerifyData: vd}); err != nil {
		return err
	}
	finished, err := hs.readFinished()
	if err != nil {
		return err
	}
	c.state.DidResume = true
	c.establish(finished)
	return nil
}

// offerResumption prepares a full handshake's ServerHello for a later
// resumption: an empty session_ticket extension when the client asked for
// a ticket, else a fresh random session_id when the cache is on. A session
// without the extended master secret is never offered for resumption
// (rfc7627#5.3 would forbid resuming it with a client that has EMS), so
// such a handshake gets neither.
//
// spec: rfc5246#7.4.1.3, rfc5077#3.2
func (hs *serverState) offerResumption(sh *ServerHello, add func(ExtensionType, extensionMarshaler) error) error {
	c := hs.c
	r := &hs.resumption
	if !c.state.ExtendedMasterSecret {
		return nil
	}
	if r.clientTickets {
		r.issueTicket = true
		return add(ExtSessionTicket, nil)
	}
	if c.config.SessionCacheSize > 0 && c.config.serverSessions().cache != nil {
		id := make([]byte, 32)
		if _, err := io.ReadFull(c.config.rand(), id); err != nil {
			return fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
		}
		sh.SessionID, r.sessionID = id, id
	}
	return nil
}

// newSessionState describes the session this full handshake created.
func (hs *serverState) newSessionState(now time.Time) *sessionState {
	return &sessionState{
		version:      VersionTLS12,
		suite:        hs.suite.id,
		ems:          hs.c.state.ExtendedMasterSecret,
		masterSecret: hs.masterSecret,
		createdAt:    uint64(now.Unix()),
		serverName:   hs.c.state.ServerName,

		clientCertificates: hs.clientAuth.ders(), // clientauth.go
	}
}

// sendNewSessionTicket sends the ticket promised in a full handshake's
// ServerHello, after the client's Finished verified (so a ticket is only
// ever issued for a session whose peer proved it holds the master secret)
// and before our ChangeCipherSpec.
//
// spec: rfc5077#3.3
func (hs *serverState) sendNewSessionTicket(_ finishedVerified) error {
	return hs.writeNewSessionTicket()
}

// writeNewSessionTicket seals sessionForTicket and sends it, when the
// ServerHello promised a ticket. A resumed handshake calls it right after
// the ServerHello, to replace a ticket under the previous key.
//
// spec: rfc5077#3.3
func (hs *serverState) writeNewSessionTicket() error {
	c := hs.c
	if !hs.resumption.issueTicket {
		return nil
	}
	c.setPhase(PhaseNewSessionTicket)
	state, err := hs.sessionForTicket().marshal()
	if err != nil {
		return err
	}
	ticket, err := c.config.serverSessions().keys.seal(c.config, state)
	clear(state)
	if err != nil {
		return err
	}
	return c.writeFlight(&NewSessionTicket{
		TicketLifetimeHint: uint32(c.config.sessionLifetime() / time.Second),
		Ticket:             ticket,
	})
}

// rememberSession puts an established full handshake's session into the
// cache under the session_id the ServerHello announced.
//
// spec: rfc5246#7.4.1.3
func (hs *serverState) rememberSession() {
	c := hs.c
	id := hs.resumption.sessionID
	if id == nil {
		return
	}
	if cache := c.config.serverSessions().cache; cache != nil {
		now := c.config.time()
		cache.put(string(id), hs.newSessionState(now), now.Add(c.config.sessionLifetime()))
	}
}

// resumeKeys runs the key schedule of an abbreviated handshake: the master
// secret comes from the session, only the key block is new (fresh randoms
// make fresh keys).
//
// spec: rfc5246#6.3, rfc5246#7.3
func (c *Conn) resumeKeys(s *suite, masterSecret, clientRandom, serverRandom []byte) error {
	c.setPhase(PhaseKeyDerivation)
	return c.keysFromMasterSecret(s, masterSecret, clientRandom, serverRandom) // conn.go
}
