package record

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// halfOut is the writing direction of a Conn: its own lock, keys, sequence
// number and buffer, so that a writer never waits for a reader.
//
// spec: rfc5246#6.1
type halfOut struct {
	mu      sync.Mutex
	w       io.Writer
	active  *Protection // nil while records are sent in plaintext
	pending *Protection // becomes active at the ChangeCipherSpec we send
	seq     uint64      // sequence number of the next record (rfc5246#6.1)
	buf     []byte      // records built but not yet written
	flight  []byte      // staging area for a handshake flight
	err     error       // sticky: once a write fails, every later write does
}

// ErrSeqExhausted is the cause of the error returned when one more record would
// make a sequence number wrap. rfc5246#6.1: "Sequence numbers do not wrap";
// the connection must end instead (minitls does not renegotiate).
//
// spec: rfc5246#6.1
var ErrSeqExhausted = errors.New("sequence number exhausted (2^64-1 records sent or received)")

// ErrNoPending is the cause of the error returned when a ChangeCipherSpec is
// sent or expected but no pending Protection was set: a bug in the caller.
//
// spec: rfc5246#7.1
var ErrNoPending = errors.New("no pending Protection: call SetPendingWrite/SetPendingRead before ChangeCipherSpec")

// appendRecordLocked builds one record of typ around payload (≤ MaxPlaintext)
// at the end of o.buf, protecting it if keys are active, and emits its trace
// event. The caller holds o.mu.
//
// spec: rfc5246#6.2.1
// spec: rfc5246#6.2.3.3
func (c *Conn) appendRecordLocked(typ ContentType, payload []byte) error {
	o := &c.out
	if o.seq == math.MaxUint64 {
		// The last value is never used, so the check is one comparison. The
		// write side is finished: nothing more may be sent under these keys.
		o.err = NewError(InternalError, "write record", ErrSeqExhausted)
		return o.err
	}
	vers := c.versionValue()
	start := len(o.buf)
	if o.active != nil && o.active.tls13 {
		o.buf = o.active.seal13(o.buf, o.seq, typ, payload)
	} else if o.active != nil {
		o.buf = Header{Type: typ, Version: vers, Length: len(payload) + o.active.Overhead()}.Append(o.buf)
		o.buf = o.active.Seal(o.buf, o.seq, typ, vers, payload)
	} else {
		o.buf = Header{Type: typ, Version: vers, Length: len(payload)}.Append(o.buf)
		o.buf = append(o.buf, payload...)
	}
	if t := c.tracerFunc(); t != nil {
		rec := o.buf[start:]
		t(RecordEvent{Sent: true, Type: ContentType(rec[0]), Version: vers, Seq: o.seq, Protected: o.active != nil,
			InnerType: typ, Header: rec[:HeaderLen], Fragment: rec[HeaderLen:], Plaintext: payload})
	}
	o.seq++
	return nil
}

// flushLocked writes the built records in one Write. A failed or short write
// leaves the peer with part of a record, so it is sticky.
func (c *Conn) flushLocked() error {
	o := &c.out
	if len(o.buf) == 0 {
		return nil
	}
	n, err := o.w.Write(o.buf)
	if err == nil && n != len(o.buf) {
		err = io.ErrShortWrite
	}
	o.buf = o.buf[:0]
	if err != nil {
		o.err = err
	}
	return err
}

// WriteHandshake sends a flight: whole handshake messages, each with its 4-byte
// header (type, uint24 length). They are concatenated and cut into as few
// records as the 2^14 limit allows (rfc5246#6.2.1 lets messages share a record
// and span records), and the records go out in one Write.
//
// A message whose header does not match its length is refused before anything
// is sent (a bug in the caller; internal_error).
//
// spec: rfc5246#6.2.1
// spec: rfc5246#7.4
func (c *Conn) WriteHandshake(msgs ...[]byte) error {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	o.flight = o.flight[:0]
	for i, m := range msgs {
		if len(m) < 4 || 4+(int(m[1])<<16|int(m[2])<<8|int(m[3])) != len(m) {
			return NewError(InternalError, "write handshake",
				fmt.Errorf("message %d of the flight (%d bytes) does not start with a matching 4-byte header", i, len(m)))
		}
		o.flight = append(o.flight, m...)
	}
	for f := o.flight; len(f) > 0; {
		n := min(len(f), MaxPlaintext)
		if err := c.appendRecordLocked(Handshake, f[:n]); err != nil {
			o.buf = o.buf[:0]
			return err
		}
		f = f[n:]
	}
	return c.flushLocked()
}

// WriteChangeCipherSpec sends the ChangeCipherSpec record (one byte, 1) under
// the current keys, then makes the pending write Protection active and restarts
// the write sequence number at zero. Every record after it is protected.
//
//	struct { enum { change_cipher_spec(1), (255) } type; } ChangeCipherSpec;
//
// spec: rfc5246#7.1
// spec: rfc5246#6.1
func (c *Conn) WriteChangeCipherSpec() error {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	if o.pending == nil {
		return NewError(InternalError, "write change_cipher_spec", ErrNoPending)
	}
	if err := c.appendRecordLocked(ChangeCipherSpec, []byte{1}); err != nil {
		return err
	}
	if err := c.flushLocked(); err != nil {
		return err
	}
	o.active, o.pending, o.seq = o.pending, nil, 0
	return nil
}

// SetPendingWrite sets the keys that WriteChangeCipherSpec will activate.
//
// spec: rfc5246#6.1
func (c *Conn) SetPendingWrite(p *Protection) {
	c.out.mu.Lock()
	c.out.pending = p
	c.out.mu.Unlock()
}

// WriteApplicationData sends b as application data, cut into records of at
// most 2^14 bytes (rfc5246#6.2.1), each written as soon as it is built. It
// returns how many bytes of b went out in whole records. An empty b sends
// nothing. The handshake layer must call it only after its ChangeCipherSpec:
// the record layer itself would send application data in plaintext.
//
// spec: rfc5246#6.2.1
// spec: rfc5246#10
func (c *Conn) WriteApplicationData(b []byte) (int, error) {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return 0, o.err
	}
	sent := 0
	for len(b) > 0 {
		n := min(len(b), MaxPlaintext)
		if err := c.appendRecordLocked(ApplicationData, b[:n]); err != nil {
			return sent, err
		}
		if err := c.flushLocked(); err != nil {
			return sent, err
		}
		sent += n
		b = b[n:]
	}
	return sent, nil
}

// SendAlert sends one alert record under the current keys. After close_notify
// or any fatal alert the write side is closed: later writes return ErrClosed
// (rfc5246#7.2.1: nothing may follow close_notify; #7.2.2: a fatal alert ends
// the connection).
//
// spec: rfc5246#7.2
func (c *Conn) SendAlert(level AlertLevel, desc AlertDescription) error {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	var a [2]byte
	if err := c.appendRecordLocked(Alert, AppendAlert(a[:0], level, desc)); err != nil {
		return err
	}
	if err := c.flushLocked(); err != nil {
		return err
	}
	if level == Fatal || desc == CloseNotify {
		o.err = ErrClosed
	}
	return nil
}

// SendAlertFor sends the alert AlertFor picks for err, if any, and returns the
// error of sending it (nil when nothing is to be sent). The handshake layer
// calls it at the top of Handshake/Read/Write with the error it returns.
//
// spec: rfc5246#7.2
func (c *Conn) SendAlertFor(err error) error {
	level, desc, send := AlertFor(err)
	if !send {
		return nil
	}
	return c.SendAlert(level, desc)
}
