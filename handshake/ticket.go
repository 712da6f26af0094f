package handshake

import (
	"crypto/cipher"
	"fmt"
	"io"
	"sync"
	"time"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
)

// NewSessionTicket hands the client a ticket: the session state, sealed
// under a key only the server knows, which the client sends back in the
// session_ticket extension of a later ClientHello so the server can resume
// without keeping anything itself. The server sends it after the client's
// Finished of a full handshake (or after ServerHello when resuming), and
// only when its ServerHello carried an empty session_ticket extension. An
// empty ticket means "no ticket after all".
//
//	struct {
//	    uint32 ticket_lifetime_hint;
//	    opaque ticket<0..2^16-1>;
//	} NewSessionTicket;
//
// spec: rfc5077#3.3
type NewSessionTicket struct {
	Raw                []byte // as received; nil when built locally
	TicketLifetimeHint uint32 // seconds; 0: unspecified
	Ticket             []byte
}

// Type returns TypeNewSessionTicket.
func (*NewSessionTicket) Type() HandshakeType { return TypeNewSessionTicket }

// Marshal serializes the message from its fields (Raw is ignored).
func (m *NewSessionTicket) Marshal() ([]byte, error) {
	return marshalMessage(TypeNewSessionTicket, func(b *builder) {
		b.u32(m.TicketLifetimeHint)
		b.opaque(2, 0, 1<<16-1, "ticket", m.Ticket)
	})
}

// Unmarshal parses a whole NewSessionTicket; m.Raw keeps a copy of data.
func (m *NewSessionTicket) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n NewSessionTicket
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *NewSessionTicket) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n NewSessionTicket; return n.parse(d, rec) })
}

func (m *NewSessionTicket) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeNewSessionTicket, "NewSessionTicket", rec, func(r *reader) {
		m.TicketLifetimeHint = r.u32("ticket_lifetime_hint")
		m.Ticket = r.opaque(2, 0, 1<<16-1, "ticket")
	})
}

// SessionTicketExtension is the body of the session_ticket extension: empty
// in a ClientHello that asks for a ticket and in a ServerHello that
// promises one, the ticket itself in a ClientHello that resumes. The body
// is the ticket, without a length prefix of its own.
//
//	struct {
//	    opaque ticket<0..2^16-1>;
//	} SessionTicket;   /* the extension_data is the opaque contents */
//
// spec: rfc5077#3.2
type SessionTicketExtension struct {
	Ticket []byte
}

// Marshal returns the extension_data body.
func (s *SessionTicketExtension) Marshal() ([]byte, error) {
	return append([]byte{}, s.Ticket...), nil
}

// The ticket format, minitls's own (the RFC leaves it to the server and
// recommends a key name, an IV and authenticated encryption):
//
//	struct {
//	    opaque key_name[16];
//	    opaque nonce[12];
//	    opaque sealed_state[];   /* AES-256-GCM(state), AAD = key_name, 16-byte tag at the end */
//	} Ticket;
//
// The key name says which key sealed the ticket, so the server tries only
// that one. Keys rotate (Config.TicketKeyRotation): the current key seals,
// the current and the previous open; a ticket under an older key, or one
// that does not authenticate, is simply ignored and the handshake is a full
// one (rfc5077#3.4: "If the server cannot or does not want to honor the
// ticket, then it can initiate a full handshake").
//
// spec: rfc5077#4, rfc5077#5.5 (ticket protection key management)
const (
	ticketKeyNameLen = 16
	ticketKeyLen     = 32
	ticketOverhead   = ticketKeyNameLen + gcm.NonceSize + gcm.TagSize
)

// ticketKey is one ticket protection key.
type ticketKey struct {
	name    [ticketKeyNameLen]byte
	aead    cipher.AEAD
	created time.Time
}

// ticketKeys is a server's current and previous ticket key.
type ticketKeys struct {
	mu       sync.Mutex
	current  *ticketKey
	previous *ticketKey
}

// newTicketKey draws a key name and an AES-256 key from rand.
func newTicketKey(rand io.Reader, now time.Time) (*ticketKey, error) {
	var buf [ticketKeyNameLen + ticketKeyLen]byte
	if _, err := io.ReadFull(rand, buf[:]); err != nil {
		return nil, fmt.Errorf("%w: reading Config.Rand for a ticket key: %v", ErrConfig, err)
	}
	block, err := aes.NewCipher(buf[ticketKeyNameLen:])
	if err != nil {
		return nil, err
	}
	aead, err := gcm.New(block)
	clear(buf[ticketKeyNameLen:])
	if err != nil {
		return nil, err
	}
	k := &ticketKey{aead: aead, created: now}
	copy(k.name[:], buf[:ticketKeyNameLen])
	return k, nil
}

// rotate brings the keys up to date at now: after one period the current
// key becomes the previous one and a new key is made; after two periods
// both are dropped. It never makes a key unless one is needed to seal
// (seal is true), so a server that only opens tickets draws no randomness.
// Called with k.mu held.
func (k *ticketKeys) rotate(rand io.Reader, now time.Time, period time.Duration, seal bool) error {
	if k.previous != nil && !now.Before(k.previous.created.Add(2*period)) {
		k.previous = nil
	}
	if k.current != nil && !now.Before(k.current.created.Add(period)) {
		k.previous, k.current = k.current, nil
		if !now.Before(k.previous.created.Add(2 * period)) {
			k.previous = nil
		}
	}
	if k.current == nil && seal {
		nk, err := newTicketKey(rand, now)
		if err != nil {
			return err
		}
		k.current = nk
	}
	return nil
}

// seal encrypts a session state into a ticket under the current key.
func (k *ticketKeys) seal(cfg *Config, state []byte) ([]byte, error) {
	now := cfg.time()
	k.mu.Lock()
	err := k.rotate(cfg.rand(), now, cfg.ticketKeyRotation(), true)
	key := k.current
	k.mu.Unlock()
	if err != nil {
		return nil, err
	}
	out := make([]byte, ticketKeyNameLen+gcm.NonceSize, ticketOverhead+len(state))
	copy(out, key.name[:])
	if _, err := io.ReadFull(cfg.rand(), out[ticketKeyNameLen:]); err != nil {
		return nil, fmt.Errorf("%w: reading Config.Rand for a ticket nonce: %v", ErrConfig, err)
	}
	nonce := out[ticketKeyNameLen:]
	return key.aead.Seal(out, nonce, state, out[:ticketKeyNameLen]), nil
}

// open returns the state inside ticket, or nil when the ticket is too
// short, names no key we still have, or does not authenticate. The reason
// goes nowhere: every failure means the same thing, a full handshake.
// stale reports that the previous key opened it: the server then gives the
// client a fresh ticket under the current key.
func (k *ticketKeys) open(cfg *Config, ticket []byte) (state []byte, stale bool) {
	if len(ticket) < ticketOverhead {
		return nil, false
	}
	now := cfg.time()
	k.mu.Lock()
	_ = k.rotate(cfg.rand(), now, cfg.ticketKeyRotation(), false)
	var key *ticketKey
	for _, cand := range []*ticketKey{k.current, k.previous} {
		if cand != nil && string(cand.name[:]) == string(ticket[:ticketKeyNameLen]) {
			key = cand
		}
	}
	stale = key != nil && key == k.previous
	k.mu.Unlock()
	if key == nil {
		return nil, false
	}
	nonce := ticket[ticketKeyNameLen : ticketKeyNameLen+gcm.NonceSize]
	state, err := key.aead.Open(nil, nonce, ticket[ticketKeyNameLen+gcm.NonceSize:], ticket[:ticketKeyNameLen])
	if err != nil {
		return nil, false
	}
	return state, stale
}
