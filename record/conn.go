package record

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"sync"
	"sync/atomic"
)

// Limits on records that carry nothing for the application, so a peer cannot
// keep us busy forever with them.
//
// spec: rfc5246#6.2.1
const (
	// MaxConsecutiveWarnings is how many warning alerts (other than
	// close_notify) in a row are ignored; the next one is unexpected_message.
	MaxConsecutiveWarnings = 4
	// MaxConsecutiveEmpty is how many empty application data records in a row
	// are skipped; the next one is unexpected_message.
	MaxConsecutiveEmpty = 16
	// MaxConsecutiveRenegotiationRequests is how many renegotiation requests
	// (see SetRenegotiationRequest) are refused after the handshake, or
	// ignored during it (a HelloRequest at a client), with no application
	// data between them; the next one is unexpected_message. Each costs a
	// no_renegotiation alert or a loop of the handshake, so a peer may not
	// ask forever (rfc5246#7.4.1.1: "the server MAY ... close the
	// connection" when the client does not renegotiate).
	MaxConsecutiveRenegotiationRequests = 4
)

// Conn is the record layer of one TLS connection over a byte stream (usually a
// net.Conn). The two directions are independent, each with its own lock, keys,
// sequence number and buffers, so one goroutine may read while another writes
// (the methods of one direction are serialized by its lock).
//
// Deadlines are the transport's: set them on the net.Conn. A read that times
// out keeps what was received and can be retried; a write that fails is
// final, since the peer may have received part of a record.
//
// Reading, for every method that reads:
//   - close_notify (either level) → io.EOF, then io.EOF forever (rfc5246#7.2.1);
//   - a fatal alert → *AlertReceivedError, forever (rfc5246#7.2.2);
//   - a warning user_canceled or no_renegotiation is ignored, up to
//     MaxConsecutiveWarnings in a row; more is unexpected_message;
//   - any other alert at warning level is an error alert all the same
//     (rfc5246#7.2.2 calls them fatal; rfc8446#6 says to treat them as
//     errors whatever their level, and unknown ones too) →
//     *AlertReceivedError, forever;
//   - the transport ending without close_notify → ErrTruncated;
//   - any protocol violation → an *Error with the alert to send, forever.
//
// The Conn never sends an alert by itself when reading fails: the caller passes
// the error to SendAlertFor (or AlertFor), because only the top of the handshake
// knows whether it is still worth talking (STYLE §5).
//
// spec: rfc5246#6
type Conn struct {
	in      halfIn
	out     halfOut
	version atomic.Uint32 // record version we write and, once protected, expect
	tracer  atomic.Pointer[func(RecordEvent)]
}

// halfIn is the reading direction.
//
// spec: rfc5246#6.1
type halfIn struct {
	mu           sync.Mutex
	rd           *Reader
	active       *Protection // nil while records arrive in plaintext
	pending      *Protection // becomes active at the peer's ChangeCipherSpec
	seq          uint64      // sequence number of the next record
	err          error       // sticky
	hs           []byte      // handshake bytes received and not yet returned
	appData      []byte      // plaintext application data not yet returned (aliases rd's buffer)
	maxHandshake int
	warnings     int    // consecutive warning alerts
	empties      int    // consecutive empty application data records
	wire         []byte // copy of a protected fragment for the tracer

	renegotiationType int // the handshake type that asks us to renegotiate; -1: unset (SetRenegotiationRequest)
	renegotiations    int // renegotiation requests since the last application data

	compatCCS     bool    // TLS 1.3: drop a plaintext ChangeCipherSpec (SetCompatCCS, conn13.go)
	compatDropped int     // how many were dropped
	postHandshake []uint8 // TLS 1.3: handshake types ReadApplicationData returns (SetPostHandshake)
}

// NewConn returns the record layer over rw, writing records with version
// VersionTLS12 until SetVersion says otherwise, with no protection in either
// direction.
//
// spec: rfc5246#6
func NewConn(rw io.ReadWriter) *Conn {
	c := &Conn{}
	c.in.rd = NewReader(rw)
	c.in.maxHandshake = DefaultMaxHandshakeSize
	c.in.renegotiationType = -1
	c.out.w = rw
	c.version.Store(VersionTLS12)
	return c
}

// SetVersion sets the version written in the header of the records we send
// (0x0301 is customary for the record carrying the first ClientHello,
// rfc5246#E.1). Once the reading direction is protected, received records must
// carry the same version, else protocol_version: by then the version is
// negotiated and set here.
//
// spec: rfc5246#6.2.1
// spec: rfc5246#E.1
func (c *Conn) SetVersion(v uint16) { c.version.Store(uint32(v)) }

func (c *Conn) versionValue() uint16 { return uint16(c.version.Load()) }

// SetPendingRead sets the keys that the peer's ChangeCipherSpec will activate.
//
// spec: rfc5246#6.1
func (c *Conn) SetPendingRead(p *Protection) {
	c.in.mu.Lock()
	c.in.pending = p
	c.in.mu.Unlock()
}

// fail records a permanent read error and returns it.
func (in *halfIn) fail(err error) error {
	in.err = err
	return err
}

// isEOF reports whether err is, or wraps, io.EOF.
func isEOF(err error) bool { return errors.Is(err, io.EOF) }

// readRecordLocked returns the next record that is not an alert, decrypted if
// keys are active, with all checks done. Alerts are handled here (see Conn). The
// plaintext aliases the Reader's buffer. Errors are made sticky here, except
// transport timeouts.
//
// spec: rfc5246#6.2
func (c *Conn) readRecordLocked() (ContentType, []byte, error) {
	in := &c.in
	for {
		h, rec, err := in.rd.Next()
		if err != nil {
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				return 0, nil, err // retry after extending the deadline
			case err == io.EOF, err == io.ErrUnexpectedEOF:
				return 0, nil, in.fail(ErrTruncated)
			}
			return 0, nil, in.fail(err)
		}
		if in.seq == math.MaxUint64 {
			return 0, nil, in.fail(NewError(InternalError, "read record", ErrSeqExhausted))
		}
		t := c.tracerFunc()
		frag := rec[HeaderLen:]
		pt := frag
		typ := h.Type
		if in.compatCCS && h.Type == ChangeCipherSpec {
			if err := in.dropCompatCCSLocked(frag); err != nil {
				return 0, nil, err
			}
			if t != nil {
				t(RecordEvent{Type: h.Type, Version: h.Version, Seq: in.seq, Header: rec[:HeaderLen],
					Fragment: frag, Plaintext: frag, InnerType: h.Type})
			}
			continue
		}
		if in.active != nil && in.active.tls13 {
			if t != nil {
				in.wire = append(in.wire[:0], frag...)
			}
			typ, pt, err = c.open13Locked(h, rec)
			if err != nil {
				clear(frag)
				if t != nil {
					t(RecordEvent{Type: h.Type, Version: h.Version, Seq: in.seq, Protected: true,
						Header: rec[:HeaderLen], Fragment: in.wire})
				}
				return 0, nil, in.fail(err)
			}
		} else if in.active != nil {
			if want := c.versionValue(); h.Version != want {
				return 0, nil, in.fail(NewError(ProtocolVersion, "read record",
					fmt.Errorf("%w: protected record with version 0x%04x, negotiated 0x%04x", ErrBadVersion, h.Version, want)))
			}
			if t != nil {
				in.wire = append(in.wire[:0], frag...)
			}
			if len(frag) < in.active.Overhead() {
				pt, err = nil, NewError(BadRecordMAC, "open record",
					fmt.Errorf("%w: protected fragment of %d bytes is shorter than nonce and tag", ErrBadRecordMAC, len(frag)))
			} else {
				n := in.active.explicitNonceLen()
				pt, err = in.active.Open(frag[n:n], in.seq, h.Type, h.Version, frag)
			}
			if err != nil {
				clear(frag) // whatever a failed Open left there is not to be seen
				if t != nil {
					// The learner sees the record that failed, with no plaintext.
					t(RecordEvent{Type: h.Type, Version: h.Version, Seq: in.seq, Protected: true,
						Header: rec[:HeaderLen], Fragment: in.wire})
				}
				return 0, nil, in.fail(err)
			}
			if len(pt) > MaxPlaintext {
				return 0, nil, in.fail(NewError(RecordOverflow, "read record",
					fmt.Errorf("%w: decrypted fragment of %d bytes exceeds 2^14", ErrOverflow, len(pt))))
			}
			if err := checkEmpty(h.Type, len(pt)); err != nil {
				return 0, nil, in.fail(err)
			}
		}
		if t != nil {
			wire := frag
			if in.active != nil {
				wire = in.wire
			}
			t(RecordEvent{Type: h.Type, Version: h.Version, Seq: in.seq, Protected: in.active != nil,
				Header: rec[:HeaderLen], Fragment: wire, Plaintext: pt, InnerType: typ})
		}
		in.seq++
		if typ != Alert {
			in.warnings = 0
			return typ, pt, nil
		}
		if err := in.handleAlertLocked(pt); err != nil {
			return 0, nil, err
		}
	}
}

// handleAlertLocked acts on a received alert: close_notify ends reading with
// io.EOF; a fatal alert, or a warning whose description is an error alert,
// with *AlertReceivedError; a warning user_canceled or no_renegotiation is
// counted and skipped.
//
// spec: rfc5246#7.2
// spec: rfc8446#6
func (in *halfIn) handleAlertLocked(fragment []byte) error {
	// An alert may not split a handshake message any more than other records;
	// but an alert that ends the connection says more than
	// unexpected_message would, so those are reported as what they are.
	ending := len(fragment) == 2 && (fragment[0] == byte(Fatal) || fragment[1] == byte(CloseNotify) ||
		AlertDescription(fragment[1]).Level() == Fatal)
	if len(in.hs) > 0 && !ending {
		return in.fail(NewError(UnexpectedMessage, "read alert",
			fmt.Errorf("%w: alert in the middle of a handshake message", ErrUnexpectedRecord)))
	}
	level, desc, err := ParseAlert(fragment)
	if err != nil {
		return in.fail(err)
	}
	switch {
	case desc == CloseNotify:
		return in.fail(io.EOF)
	case level == Fatal, desc.Level() == Fatal,
		desc == NoRenegotiation && in.postHandshake != nil:
		// (TLS 1.3 has no renegotiation: rfc8446#6 makes every alert but
		// close_notify and user_canceled an error alert, no_renegotiation
		// too, whatever its level.)
		// A warning level does not make an error alert survivable: only
		// close_notify, user_canceled and no_renegotiation may be warnings
		// (rfc5246#7.2.1, #7.2.2; rfc8446#6: "MUST be treated as error alerts
		// when received regardless of the AlertLevel in the message").
		return in.fail(&AlertReceivedError{Level: level, Description: desc})
	}
	in.warnings++
	if in.warnings > MaxConsecutiveWarnings {
		return in.fail(NewError(UnexpectedMessage, "read alert",
			fmt.Errorf("%d warning alerts in a row (last: %v); a peer that only warns is stalling", in.warnings, desc)))
	}
	return nil
}

// ReadChangeCipherSpec reads the peer's ChangeCipherSpec, which must be the very
// next record and must not arrive while part of a handshake message is
// buffered (else unexpected_message), and must be the single byte 1 (else
// unexpected_message too: RFC 5246 §7.1 defines the message as that one
// byte, and RFC 8446 §5 states the rule for a TLS 1.2-style ChangeCipherSpec:
// any other value "MUST abort the handshake with an unexpected_message
// alert"). Then the pending read Protection becomes active and the read
// sequence number restarts at zero.
//
// spec: rfc5246#7.1
// spec: rfc8446#5
// spec: rfc5246#6.1
func (c *Conn) ReadChangeCipherSpec() error {
	in := &c.in
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.err != nil {
		return in.err
	}
	if in.pending == nil {
		// Not sticky: the caller's mistake, nothing was read.
		return NewError(InternalError, "read change_cipher_spec", ErrNoPending)
	}
	if len(in.hs) > 0 {
		return in.fail(NewError(UnexpectedMessage, "read change_cipher_spec",
			fmt.Errorf("%w: %d bytes of handshake data are buffered (a message is incomplete or unread) at the key change", ErrUnexpectedRecord, len(in.hs))))
	}
	if len(in.appData) > 0 {
		return in.fail(NewError(UnexpectedMessage, "read change_cipher_spec",
			fmt.Errorf("%w: %d bytes of application data are received and not yet read at the key change (read them with ReadApplicationData first)", ErrUnexpectedRecord, len(in.appData))))
	}
	typ, pt, err := c.readRecordLocked()
	if err != nil {
		return err
	}
	if typ != ChangeCipherSpec {
		return in.fail(NewError(UnexpectedMessage, "read change_cipher_spec",
			fmt.Errorf("%w: %v record where change_cipher_spec was expected", ErrUnexpectedRecord, typ)))
	}
	if len(pt) != 1 || pt[0] != 1 {
		return in.fail(NewError(UnexpectedMessage, "read change_cipher_spec",
			fmt.Errorf("%w: change_cipher_spec body %x is not the single byte 01", ErrUnexpectedRecord, pt[:min(len(pt), 8)])))
	}
	in.active, in.pending, in.seq = in.pending, nil, 0
	in.rd.SetProtected(true)
	return nil
}

// ErrRenegotiation is the cause inside the *Error (alert no_renegotiation) that
// ReadApplicationData returns when the peer sends a handshake message after the
// handshake: a HelloRequest from a server or a ClientHello from a client, i.e.
// an attempt to renegotiate. The message has been read and dropped; the
// connection is still usable. The handshake layer refuses by sending the
// warning no_renegotiation (SendAlertFor does that) and may read on, or close.
//
// spec: rfc5246#7.4.1.1
// spec: rfc5746#4.2
var ErrRenegotiation = errors.New("peer tried to renegotiate, which minitls does not support")

// ReadApplicationData reads application data into b, at most what one record
// carried. Empty records are skipped (up to MaxConsecutiveEmpty in a row).
// After the peer's close_notify it returns io.EOF. A renegotiation request
// after the handshake (a HelloRequest at a client, a ClientHello at a server:
// SetRenegotiationRequest) is returned as a non-permanent *Error with alert
// no_renegotiation wrapping ErrRenegotiation, up to
// MaxConsecutiveRenegotiationRequests without application data between them.
// Any other handshake message, a ChangeCipherSpec, or application data in the
// middle of a handshake message, is unexpected_message.
//
// spec: rfc5246#10
// spec: rfc5246#6.2.1
// spec: rfc5246#7.4.1.1
func (c *Conn) ReadApplicationData(b []byte) (int, error) {
	in := &c.in
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.err != nil {
		return 0, in.err
	}
	if len(b) == 0 {
		return 0, nil
	}
	for len(in.appData) == 0 {
		// A whole handshake message buffered here is a TLS 1.3
		// post-handshake message or a renegotiation request. The length
		// tests are a fast path only: nextMessageLocked finds no message in
		// an empty buffer either (docs/mutation.md lists them as equivalent).
		if len(in.hs) > 0 && in.postHandshake != nil {
			if ok, err := in.postHandshakeLocked(); ok {
				return 0, err
			}
		} else if len(in.hs) > 0 {
			msg, ok, err := in.nextMessageLocked(in.renegotiationTypesLocked())
			if err != nil {
				return 0, in.fail(err)
			}
			if ok {
				if err := in.countRenegotiationRequestLocked(); err != nil {
					return 0, err
				}
				return 0, NewError(NoRenegotiation, "read application data",
					fmt.Errorf("%w (%s, %d bytes)", ErrRenegotiation, handshakeTypeName(msg[0]), len(msg)))
			}
		}
		typ, pt, err := c.readRecordLocked()
		if err != nil {
			return 0, err
		}
		switch typ {
		case ApplicationData:
			if len(in.hs) > 0 {
				return 0, in.fail(NewError(UnexpectedMessage, "read application data",
					fmt.Errorf("%w: application data in the middle of a handshake message", ErrUnexpectedRecord)))
			}
			if len(pt) == 0 {
				if in.empties++; in.empties > MaxConsecutiveEmpty {
					return 0, in.fail(NewError(UnexpectedMessage, "read application data",
						fmt.Errorf("%d empty application data records in a row; a peer that sends only those is stalling", in.empties)))
				}
				continue
			}
			in.empties, in.renegotiations = 0, 0
			in.appData = pt
		case Handshake:
			in.empties = 0
			in.hs = append(in.hs, pt...)
		default:
			return 0, in.fail(NewError(UnexpectedMessage, "read application data",
				fmt.Errorf("%w: %v record after the handshake", ErrUnexpectedRecord, typ)))
		}
	}
	n := copy(b, in.appData)
	in.appData = in.appData[n:]
	return n, nil
}
