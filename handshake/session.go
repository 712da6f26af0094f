package handshake

import (
	"errors"
	"time"

	"minitls/x509lite"
)

// Session resumption lets a client and a server that completed a full
// handshake skip the expensive part next time: no Certificate, no
// ClientKeyExchange, no RSA decryption. Both sides keep the master secret
// of the first handshake and derive fresh keys from it and two fresh
// randoms (rfc5246#7.3, "abbreviated handshake"):
//
//	ClientHello (session_id or ticket)  -------->
//	                                                ServerHello (same session_id)
//	                                         [NewSessionTicket]
//	                                         [ChangeCipherSpec]
//	                                    <--------             Finished
//	[ChangeCipherSpec]
//	Finished                            -------->
//
// The server finds the master secret either in its own bounded cache, by the
// session_id it handed out (sessioncache.go), or inside a ticket the client
// brings back, sealed under a key only the server knows (ticket.go, RFC
// 5077). This file holds what is remembered about a session on each side.
//
// spec: rfc5246#7.3, rfc5077#3.1, rfc7627#5.3

// DefaultSessionLifetime is how long a session can be resumed when
// Config.SessionLifetime is zero. RFC 5246 suggests at most 24 hours; two
// hours keeps a stolen ticket or cache entry useful for a short time only
// (it holds the master secret, so it decrypts every connection resumed
// from it).
//
// spec: rfc5246#F.1.4
const DefaultSessionLifetime = 2 * time.Hour

// DefaultTicketKeyRotation is how often the server makes a new ticket key
// when Config.TicketKeyRotation is zero. A key seals new tickets for one
// period and still opens them for one more, so a ticket always outlives
// DefaultSessionLifetime's check rather than the key.
//
// spec: rfc5077#5.5
const DefaultTicketKeyRotation = 2 * time.Hour

// ErrResumeEMSMismatch: a resumption would change whether the extended
// master secret is used, which RFC 7627 forbids: the session is bound to
// the handshake that created it only when both used it.
//
// spec: rfc7627#5.3
var ErrResumeEMSMismatch = errors.New("resumed session and new hello disagree on extended_master_secret (RFC 7627 §5.3); clear the client's session cache")

// sessionState is what a server remembers of a session, in its cache or
// sealed inside a ticket. Its wire form (marshal) is minitls's own:
//
//	struct {
//	    ProtocolVersion version;          /* 0x0303 */
//	    CipherSuite cipher_suite;
//	    uint8 extended_master_secret;     /* 0 or 1 */
//	    opaque master_secret[48];
//	    uint64 created_at;                /* Unix seconds */
//	    opaque server_name<0..2^16-1>;    /* the SNI host of the full handshake */
//	    ASN.1Cert client_certificates<0..2^24-1>; /* the client's chain, if it sent one */
//	} SessionState;
//
// spec: rfc5077#4 (the server chooses the format of the state it seals),
// rfc5246#7.4.1.3 (a resumed session keeps its cipher suite)
type sessionState struct {
	version      ProtocolVersion
	suite        CipherSuite
	ems          bool
	masterSecret []byte
	createdAt    uint64
	serverName   string
	// clientCertificates is the client's chain (DER, leaf first) when it
	// authenticated with a certificate: a resumed session keeps the
	// client's identity. spec: rfc5246#7.4.6, rfc5077#4
	clientCertificates [][]byte
}

// marshal serializes the state for a ticket.
func (s *sessionState) marshal() ([]byte, error) {
	var b builder
	b.u16(uint16(s.version))
	b.u16(uint16(s.suite))
	ems := uint8(0)
	if s.ems {
		ems = 1
	}
	b.u8(ems)
	if len(s.masterSecret) != 48 {
		b.fail("SessionState", "master_secret must be 48 bytes")
	}
	b.bytes(s.masterSecret)
	b.u32(uint32(s.createdAt >> 32))
	b.u32(uint32(s.createdAt))
	b.opaque(2, 0, 1<<16-1, "server_name", []byte(s.serverName))
	marshalClientCertificates(&b, s.clientCertificates) // clientauth.go
	return b.result()
}

// parseSessionState is marshal's inverse. It only ever sees bytes that
// came out of a ticket that authenticated, but it checks every length
// anyway (a parser never trusts its input).
func parseSessionState(data []byte) (*sessionState, error) {
	r := newReader(data, "SessionState")
	s := &sessionState{}
	s.version = ProtocolVersion(r.u16("version"))
	s.suite = CipherSuite(r.u16("cipher_suite"))
	switch r.u8("extended_master_secret") {
	case 0:
	case 1:
		s.ems = true
	default:
		r.fail("extended_master_secret is neither 0 nor 1")
	}
	s.masterSecret = cloneBytes(r.bytes(48, "master_secret"))
	s.createdAt = uint64(r.u32("created_at high"))<<32 | uint64(r.u32("created_at low"))
	s.serverName = string(r.opaque(2, 0, 1<<16-1, "server_name"))
	s.clientCertificates = parseClientCertificates(r) // clientauth.go
	if err := r.finish("SessionState"); err != nil {
		return nil, err
	}
	return s, nil
}

// expired reports whether the session is older than lifetime at now (or
// claims to come from the future, which only a clock jump can explain).
func (s *sessionState) expired(now time.Time, lifetime time.Duration) bool {
	created := time.Unix(int64(s.createdAt), 0)
	return now.Before(created.Add(-time.Minute)) || !now.Before(created.Add(lifetime))
}

// ClientSessionState is what a client keeps to resume a session: the
// session_id or ticket the server gave it, the master secret, and what the
// full handshake established (suite, extended master secret, the server's
// name and its verified certificates). It is opaque: only the handshake
// reads it, and it must be kept as secret as the connections it resumes.
//
// spec: rfc5246#7.3, rfc5077#3.3
type ClientSessionState struct {
	version          ProtocolVersion // VersionTLS13 for a TLS 1.3 ticket (resume13.go), else TLS 1.2's zero
	sessionID        []byte
	ticket           []byte
	lifetimeHint     uint32
	ageAdd           uint32 // TLS 1.3: ticket_age_add (rfc8446#4.6.1)
	suite            CipherSuite
	masterSecret     []byte
	ems              bool
	serverName       string
	peerCertificates []*x509lite.Certificate
	// verified: the full handshake checked peerCertificates against
	// RootCAs (InsecureSkipVerify was off), so a client that verifies may
	// resume the session without seeing a certificate again.
	verified  bool
	createdAt time.Time
}

// ClientSessionCache keeps sessions for clients to resume, keyed by the
// server's name (Config.ServerName, else the address dialled). The
// handshake calls Get before the ClientHello and Put after a handshake that
// created or replaced a session; Put with a nil state removes the entry. An
// implementation must be safe for concurrent use: one Config serves many
// connections. Like crypto/tls.ClientSessionCache.
//
// spec: rfc5246#7.3
type ClientSessionCache interface {
	Get(sessionKey string) (session *ClientSessionState, ok bool)
	Put(sessionKey string, cs *ClientSessionState)
}

// NewLRUClientSessionCache returns a ClientSessionCache that holds at most
// capacity sessions, evicting the least recently used; capacity < 1 means
// 64. Expiry is checked by the handshake (with Config.Time), not here.
//
// spec: rfc5246#7.3
func NewLRUClientSessionCache(capacity int) ClientSessionCache {
	if capacity < 1 {
		capacity = 64
	}
	return &lruClientSessionCache{c: newLRU[*ClientSessionState](capacity)}
}

type lruClientSessionCache struct {
	c *lru[*ClientSessionState]
}

// Get returns the session stored under sessionKey.
func (l *lruClientSessionCache) Get(sessionKey string) (*ClientSessionState, bool) {
	return l.c.get(sessionKey, time.Time{})
}

// Put stores cs under sessionKey; a nil cs removes the entry.
func (l *lruClientSessionCache) Put(sessionKey string, cs *ClientSessionState) {
	if cs == nil {
		l.c.remove(sessionKey)
		return
	}
	l.c.put(sessionKey, cs, time.Time{})
}
