package handshake

import (
	"minitls/record"
)

// EventKind says what an Event describes.
//
// spec: rfc5246#6.2.1 (records), rfc5246#7.4 (handshake messages),
// rfc5246#7.2 (alerts)
type EventKind uint8

// The kinds of trace events.
//
// spec: rfc5246#6.2.1, rfc5246#7.4, rfc5246#7.2
const (
	EventRecord  EventKind = iota + 1 // a record sent or received (Record)
	EventMessage                      // a handshake message sent or received (Message, Bytes, Fields)
	EventPhase                        // the handshake moved to Phase
	EventKey                          // a key-derivation step (Label, Length; Secret only with Config.TraceSecrets)
	EventAlert                        // an alert sent because of Err (Alert)
)

// String names the kind, e.g. "message".
func (k EventKind) String() string {
	switch k {
	case EventRecord:
		return "record"
	case EventMessage:
		return "message"
	case EventPhase:
		return "phase"
	case EventKey:
		return "key"
	case EventAlert:
		return "alert"
	}
	return "EventKind(?)"
}

// Event is one step of a connection, delivered to Config.Trace so that a
// command-line tool can explain every byte of a live handshake (STYLE §10).
// Events arrive synchronously on the goroutine doing the work; the byte
// slices are only valid during the call, so copy what you keep.
//
// Secrets: an EventKey event names a step of the key schedule (Label) and
// the length of its value (Length). The value itself (the premaster secret,
// the master secret, the key block and the keys cut from it) is in Secret
// only when Config.TraceSecrets is set: `minitls demo` opts in, for
// teaching, so a student can recompute the key schedule by hand; a server
// that traces real traffic (`minitls serve`) does not, so its hook never
// holds a key. Never set TraceSecrets on a connection that protects real
// data.
//
// spec: rfc5246#6.3, rfc5246#8.1 (the secrets EventKey names)
type Event struct {
	Kind     EventKind
	IsClient bool  // which endpoint emitted the event
	Sent     bool  // for records, messages and alerts: sent (true) or received
	Phase    Phase // the phase at the time of the event (the new phase for EventPhase)

	Record record.RecordEvent // EventRecord

	Message Message // EventMessage: the parsed message
	Bytes   []byte  // EventMessage: the message as on the wire, header included
	Fields  []Field // EventMessage: every field of Bytes

	Label  string // EventKey: "premaster secret", "master secret", "key block", ...
	Length int    // EventKey: the value's length in bytes (always set)
	Secret []byte // EventKey: the value, only with Config.TraceSecrets (see the note on secrets above)

	Alert record.AlertDescription // EventAlert
	Err   error                   // EventAlert: the Go error behind the alert
}

// traceEnabled reports whether a tracer is installed; when it is not, every
// trace call costs this one check.
func (c *Conn) traceEnabled() bool { return c.config.Trace != nil }

func (c *Conn) trace(e Event) {
	e.IsClient = c.isClient
	if e.Kind != EventPhase {
		e.Phase = Phase(c.phase.Load())
	}
	c.config.Trace(e)
}

// setPhase moves the connection to p and reports it to the tracer.
func (c *Conn) setPhase(p Phase) {
	c.phase.Store(uint32(p))
	if c.phaseLog != nil {
		*c.phaseLog = append(*c.phaseLog, p)
	}
	if c.traceEnabled() {
		c.trace(Event{Kind: EventPhase, Phase: p})
	}
}

func (c *Conn) traceMessage(sent bool, m Message, raw []byte) {
	if c.traceEnabled() {
		c.trace(Event{Kind: EventMessage, Sent: sent, Message: m, Bytes: raw, Fields: m.Fields()})
	}
}

// traceKey reports one step of the key schedule: its label and length
// always, its value only when the caller opted in with Config.TraceSecrets.
func (c *Conn) traceKey(label string, secret []byte) {
	if !c.traceEnabled() {
		return
	}
	e := Event{Kind: EventKey, Label: label, Length: len(secret)}
	if c.config.TraceSecrets {
		e.Secret = secret
	}
	c.trace(e)
}
