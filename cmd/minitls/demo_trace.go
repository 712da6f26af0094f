package main

// The trace recorder of a demo connection: both endpoints' Trace hooks
// feed one demoTrace, and the stories read it back (which message, which
// key, when each phase began, which records crossed the wire).

import (
	"sync"
	"time"

	"minitls/handshake"
	"minitls/record"
)

// demoEvent is one trace event with the time it was reported.
type demoEvent struct {
	at time.Time
	e  handshake.Event
}

// demoTrace keeps, in order, the events of one connection, client's and
// server's.
type demoTrace struct {
	mu     sync.Mutex
	events []demoEvent
}

// record is the Config.Trace of both endpoints.
func (t *demoTrace) record(e handshake.Event) {
	at := time.Now()
	c := traceCopyEvent(e)
	t.mu.Lock()
	t.events = append(t.events, demoEvent{at: at, e: c})
	t.mu.Unlock()
}

// msg finds the first message of type ty that one side sent or received.
func (t *demoTrace) msg(client, sent bool, ty handshake.HandshakeType) *demoEvent {
	for i := range t.events {
		e := &t.events[i]
		if e.e.Kind == handshake.EventMessage && e.e.IsClient == client && e.e.Sent == sent &&
			len(e.e.Bytes) > 0 && handshake.HandshakeType(e.e.Bytes[0]) == ty {
			return e
		}
	}
	return nil
}

// msgOf returns a parsed message from the trace.
func (t *demoTrace) msgOf(client, sent bool, ty handshake.HandshakeType) handshake.Message {
	if e := t.msg(client, sent, ty); e != nil {
		return e.e.Message
	}
	return nil
}

// rawLen returns the wire length of a message the client sent or received
// (header included).
func (t *demoTrace) rawLen(sent bool, ty handshake.HandshakeType) int {
	if e := t.msg(true, sent, ty); e != nil {
		return len(e.e.Bytes)
	}
	return 0
}

// key returns the value of one side's key-schedule step by label.
func (t *demoTrace) key(client bool, label string) []byte {
	for _, e := range t.events {
		if e.e.Kind == handshake.EventKey && e.e.IsClient == client && e.e.Label == label {
			return e.e.Secret
		}
	}
	return nil
}

// phaseAt is when one side entered phase p (zero if it never did).
func (t *demoTrace) phaseAt(client bool, p handshake.Phase) time.Time {
	for _, e := range t.events {
		if e.e.Kind == handshake.EventPhase && e.e.IsClient == client && e.e.Phase == p {
			return e.at
		}
	}
	return time.Time{}
}

// records returns the records of type ty that one side sent or received.
func (t *demoTrace) records(client, sent bool, ty record.ContentType) []record.RecordEvent {
	var out []record.RecordEvent
	for _, e := range t.events {
		if e.e.Kind == handshake.EventRecord && e.e.IsClient == client && e.e.Record.Sent == sent && e.e.Record.Type == ty {
			out = append(out, e.e.Record)
		}
	}
	return out
}

// handshakeTime is the client's time from ClientHello to established.
func (t *demoTrace) handshakeTime() time.Duration {
	start, end := t.phaseAt(true, handshake.PhaseClientHello), t.phaseAt(true, handshake.PhaseEstablished)
	if start.IsZero() || end.IsZero() {
		return 0
	}
	return end.Sub(start)
}

// handshakeBytes counts the handshake message bytes the client sent (or
// received) until the handshake was done: not TLS 1.3's post-handshake
// messages (NewSessionTicket, KeyUpdate).
func (t *demoTrace) handshakeBytes(sent bool) int {
	n := 0
	for _, e := range t.events {
		if e.e.Kind == handshake.EventMessage && e.e.IsClient && e.e.Sent == sent && e.e.Phase != handshake.PhaseEstablished {
			n += len(e.e.Bytes)
		}
	}
	return n
}

// srvResumed reports whether the server's trace shows the resumption.
func (t *demoTrace) srvResumed() bool {
	return !t.phaseAt(false, handshake.PhaseSessionResumed).IsZero()
}

// replay prints under -trace, as the client saw them, the events keep
// selects, after a dim title.
func (p *demoPrinter) replay(t *demoTrace, title string, keep func(handshake.Event) bool) {
	if p.trace == nil {
		return
	}
	p.blank()
	p.line(0, p.st.dim("  -trace: "+title))
	for _, e := range t.events {
		if e.e.IsClient && keep(e.e) {
			p.trace.event(e.e)
		}
	}
}
