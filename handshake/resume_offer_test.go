package handshake

import (
	"testing"
)

// TestClientOffersTicketElseSessionID: a TLS 1.2 client offers its cached
// session by ticket when it has one and tickets are on, else by session_id
// when the session has one, else not at all. A session it did not offer is
// kept: here a ticket-only session (the server issues tickets and keeps no
// session cache, so its ServerHello session_id is empty) survives a
// connection from a Config with SessionTicketsDisabled sharing the cache,
// which can offer it neither way, and a later connection with tickets on
// resumes it. A session that has only a session_id (a server with a
// session cache, to a client that did not ask for a ticket) is offered by
// session_id, with or without tickets on.
//
// spec: rfc5077#3.4 (a client with a ticket sends it in the
// SessionTicket extension), rfc5246#7.4.1.2 (session_id: empty when
// there is no session to resume)
func TestClientOffersTicketElseSessionID(t *testing.T) {
	clock := testTime()
	ccfg, scfg := resumeConfigs(t, &clock)
	type offer struct {
		sessionIDLen int
		ticket, ext  bool
	}
	var offers []offer
	trace := func(e Event) {
		if m, ok := e.Message.(*ClientHello); ok && e.Sent {
			data, ext := m.extension(ExtSessionTicket)
			offers = append(offers, offer{len(m.SessionID), len(data) > 0, ext})
		}
	}
	ccfg.Trace = trace
	noTickets := ccfg.Clone()
	noTickets.SessionTicketsDisabled = true
	_, cacheServer := resumeConfigs(t, &clock) // other ticket keys
	cacheServer.SessionCacheSize = 8           // and a session_id in its ServerHello
	for i, step := range []struct {
		client, server *Config
		resume         bool
		offer          offer
	}{
		{ccfg, scfg, false, offer{0, false, true}},       // nothing cached: an empty ticket extension
		{noTickets, scfg, false, offer{0, false, false}}, // a ticket it may not send, and no session_id
		{ccfg, scfg, true, offer{32, true, true}},        // the ticket, and a session_id to recognise the answer
		{noTickets, cacheServer, false, offer{0, false, false}},
		{noTickets, cacheServer, true, offer{32, false, false}}, // the session_id cacheServer gave
		{ccfg, cacheServer, true, offer{32, false, true}},       // no ticket to send: the session_id
	} {
		offers = nil
		if c, s := handshakeOnce(t, step.client, step.server); c != step.resume || s != step.resume {
			t.Fatalf("connection %d: resumed %v / %v, want %v", i, c, s, step.resume)
		}
		if len(offers) != 1 || offers[0] != step.offer {
			t.Fatalf("connection %d: ClientHello offers %+v, want %+v", i, offers, step.offer)
		}
	}
}
