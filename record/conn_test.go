package record

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// protectPair returns matching write and read protections for maker m.
func protectPair(tb tb, m aeadMaker) (w, r *Protection) {
	return mustProtection(tb, m, testKey, testSalt), mustProtection(tb, m, testKey, testSalt)
}

// switchKeys makes w send ChangeCipherSpec with fresh keys and returns the
// Protection the reading side must set pending.
func switchKeys(tb tb, m aeadMaker, w *Conn) *Protection {
	tb.Helper()
	pw, pr := protectPair(tb, m)
	w.SetPendingWrite(pw)
	if err := w.WriteChangeCipherSpec(); err != nil {
		tb.Fatal(err)
	}
	return pr
}

// op is one step of a conversation: a handshake flight or an application write.
type op struct {
	Flight [][]byte // handshake messages, if this is a flight
	Data   []byte   // application data otherwise
}

// handshake types with the body sizes the property test draws: up to the
// type's bound or 40000 bytes, whichever is smaller, so messages span records.
var propTypes = []struct {
	typ uint8
	max int
}{{0, 0}, {1, 40000}, {2, 1000}, {11, 40000}, {14, 0}, {16, 300}, {20, 12}}

func drawOps(t *rapid.T) []op {
	ops := make([]op, rapid.IntRange(0, 8).Draw(t, "ops"))
	for i := range ops {
		if rapid.Bool().Draw(t, "is flight") {
			msgs := make([][]byte, rapid.IntRange(1, 4).Draw(t, "messages"))
			for j := range msgs {
				ty := rapid.SampledFrom(propTypes).Draw(t, "handshake type")
				n := rapid.OneOf(rapid.IntRange(0, min(ty.max, 20)), rapid.IntRange(0, ty.max)).Draw(t, "body")
				msgs[j] = hsMsg(ty.typ, pseudoBytes(rapid.Uint64().Draw(t, "seed"), n))
			}
			ops[i].Flight = msgs
		} else {
			n := rapid.OneOf(rapid.IntRange(0, 100), rapid.IntRange(0, 3*MaxPlaintext)).Draw(t, "data")
			ops[i].Data = pseudoBytes(rapid.Uint64().Draw(t, "seed"), n)
		}
	}
	return ops
}

// TestPropConnRoundTrip: any sequence of handshake flights and application
// writes sent by one Conn (in plaintext, or after a ChangeCipherSpec under
// AES-GCM) is read back unchanged by another Conn whose transport delivers the
// bytes in reads of random sizes, 1 byte included; the close_notify that ends
// the stream becomes io.EOF.
func TestPropConnRoundTrip(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				ops := drawOps(t)
				protected := rapid.Bool().Draw(t, "protected")
				var wire bytes.Buffer
				w := writerConn(&wire)
				var pr *Protection
				if protected {
					pr = switchKeys(t, m, w)
				}
				for _, o := range ops {
					if o.Flight != nil {
						if err := w.WriteHandshake(o.Flight...); err != nil {
							t.Fatal(err)
						}
					} else if n, err := w.WriteApplicationData(o.Data); err != nil || n != len(o.Data) {
						t.Fatalf("WriteApplicationData = %d, %v", n, err)
					}
				}
				if err := w.SendAlert(Warning, CloseNotify); err != nil {
					t.Fatal(err)
				}

				r := readerConn(wire.Bytes(), drawSizes(t)...)
				if protected {
					r.SetPendingRead(pr)
					if err := r.ReadChangeCipherSpec(); err != nil {
						t.Fatal(err)
					}
				}
				for i, o := range ops {
					for j, want := range o.Flight {
						got, err := r.ReadHandshake()
						if err != nil || !bytes.Equal(got, want) {
							t.Fatalf("op %d message %d: %v (got %d bytes, want %d)", i, j, err, len(got), len(want))
						}
					}
					if o.Flight == nil {
						got := make([]byte, len(o.Data))
						if _, err := io.ReadFull(appReader{r}, got); err != nil || !bytes.Equal(got, o.Data) {
							t.Fatalf("op %d: application data: %v", i, err)
						}
					}
				}
				if n, err := r.ReadApplicationData(make([]byte, 1)); n != 0 || err != io.EOF {
					t.Fatalf("after close_notify: %d, %v; want io.EOF", n, err)
				}
			})
		})
	}
}

// appReader makes a Conn an io.Reader of application data.
type appReader struct{ c *Conn }

func (a appReader) Read(b []byte) (int, error) { return a.c.ReadApplicationData(b) }

// writeRecords sends each payload as one record of typ (bypassing
// WriteHandshake's packing) and returns the bytes on the wire.
func writeRecords(tb tb, w *Conn, wire *bytes.Buffer, typ ContentType, payloads ...[]byte) {
	tb.Helper()
	w.out.mu.Lock()
	defer w.out.mu.Unlock()
	for _, p := range payloads {
		if err := w.appendRecordLocked(typ, p); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.flushLocked(); err != nil {
		tb.Fatal(err)
	}
}

// splitAt cuts b at the given sorted offsets.
func splitAt(b []byte, cuts []int) [][]byte {
	var out [][]byte
	prev := 0
	for _, c := range cuts {
		if c > prev && c < len(b) {
			out = append(out, b[prev:c])
			prev = c
		}
	}
	return append(out, b[prev:])
}

// TestPropReassembly: handshake messages concatenated and cut at random record
// boundaries (so records hold parts of messages and several messages) are
// reassembled exactly, in plaintext and under AES-GCM.
func TestPropReassembly(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				var msgs [][]byte
				var stream []byte
				for range rapid.IntRange(1, 6).Draw(t, "messages") {
					ty := rapid.SampledFrom(propTypes).Draw(t, "handshake type")
					n := rapid.IntRange(0, min(ty.max, 3000)).Draw(t, "body")
					msg := hsMsg(ty.typ, pseudoBytes(rapid.Uint64().Draw(t, "seed"), n))
					msgs = append(msgs, msg)
					stream = append(stream, msg...)
				}
				cuts := rapid.SliceOfNDistinct(rapid.IntRange(1, len(stream)-1), 0, 40, rapid.ID[int]).Draw(t, "cuts")
				slices.Sort(cuts)
				var wire bytes.Buffer
				w := writerConn(&wire)
				var pr *Protection
				if rapid.Bool().Draw(t, "protected") {
					pr = switchKeys(t, m, w)
				}
				writeRecords(t, w, &wire, Handshake, splitAt(stream, cuts)...)
				r := readerConn(wire.Bytes(), drawSizes(t)...)
				if pr != nil {
					r.SetPendingRead(pr)
					if err := r.ReadChangeCipherSpec(); err != nil {
						t.Fatal(err)
					}
				}
				for i, want := range msgs {
					got, err := r.ReadHandshake()
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("message %d: %v", i, err)
					}
				}
				if _, err := r.ReadHandshake(); err != ErrTruncated {
					t.Fatalf("after the messages: %v, want ErrTruncated", err)
				}
			})
		})
	}
}

// TestOneByteRecords: a flight sent one handshake byte per record — the
// ClientHello, then after ChangeCipherSpec a Finished under GCM split over 16
// records — reassembles exactly (STYLE §4).
func TestOneByteRecords(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			hello := hsMsg(1, pseudoBytes(1, 300))
			finished := hsMsg(20, pseudoBytes(2, 12))
			var wire bytes.Buffer
			w := writerConn(&wire)
			writeRecords(t, w, &wire, Handshake, splitAt(hello, seq(1, len(hello)))...)
			pr := switchKeys(t, m, w)
			writeRecords(t, w, &wire, Handshake, splitAt(finished, seq(1, len(finished)))...)

			r := readerConn(wire.Bytes(), 1)
			if got, err := r.ReadHandshake(); err != nil || !bytes.Equal(got, hello) {
				t.Fatalf("ClientHello: %v", err)
			}
			r.SetPendingRead(pr)
			if err := r.ReadChangeCipherSpec(); err != nil {
				t.Fatal(err)
			}
			if got, err := r.ReadHandshake(); err != nil || !bytes.Equal(got, finished) {
				t.Fatalf("Finished: %v", err)
			}
			if r.in.seq != uint64(len(finished)) {
				t.Fatalf("read seq %d after %d protected records", r.in.seq, len(finished))
			}
		})
	}
}

func seq(from, to int) []int {
	var s []int
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

// TestSeveralMessagesInOneRecord: ServerHello, Certificate and ServerHelloDone
// packed into one record by WriteHandshake come out one by one.
func TestSeveralMessagesInOneRecord(t *testing.T) {
	msgs := [][]byte{hsMsg(2, pseudoBytes(3, 70)), hsMsg(11, pseudoBytes(4, 900)), hsMsg(14, nil)}
	var wire bytes.Buffer
	w := writerConn(&wire)
	var events []RecordEvent
	w.SetTracer(func(e RecordEvent) { events = append(events, e) })
	if err := w.WriteHandshake(msgs...); err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("flight of %d bytes sent in %d records, want 1", wire.Len(), len(events))
	}
	r := readerConn(wire.Bytes(), 4096)
	for i, want := range msgs {
		if got, err := r.ReadHandshake(); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("message %d: %v", i, err)
		}
	}
}

// TestFlightPacking: a flight goes out in as few records as 2^14 allows, and
// application data in records of at most 2^14.
func TestFlightPacking(t *testing.T) {
	for _, tc := range []struct {
		sizes   []int // message bodies
		records int
	}{
		{[]int{0}, 1},
		{[]int{MaxPlaintext - 4}, 1},
		{[]int{MaxPlaintext - 3}, 2},
		{[]int{10000, 10000, 10000}, 2},
		{[]int{70000, 40, 0}, 5},
	} {
		var msgs [][]byte
		total := 0
		for i, n := range tc.sizes {
			msgs = append(msgs, hsMsg(11, pseudoBytes(uint64(i), n)))
			total += 4 + n
		}
		var wire bytes.Buffer
		w := writerConn(&wire)
		var lens []int
		w.SetTracer(func(e RecordEvent) { lens = append(lens, len(e.Plaintext)) })
		if err := w.WriteHandshake(msgs...); err != nil {
			t.Fatal(err)
		}
		if len(lens) != tc.records || wire.Len() != total+HeaderLen*tc.records {
			t.Errorf("sizes %v: %d records %v, want %d", tc.sizes, len(lens), lens, tc.records)
		}
		for _, l := range lens[:len(lens)-1] {
			if l != MaxPlaintext {
				t.Errorf("sizes %v: record of %d bytes before the last one, want full records", tc.sizes, l)
			}
		}
	}
	var wire bytes.Buffer
	w := writerConn(&wire)
	var lens []int
	w.SetTracer(func(e RecordEvent) { lens = append(lens, len(e.Plaintext)) })
	if n, err := w.WriteApplicationData(make([]byte, 2*MaxPlaintext+1)); err != nil || n != 2*MaxPlaintext+1 {
		t.Fatal(n, err)
	}
	if len(lens) != 3 || lens[0] != MaxPlaintext || lens[2] != 1 {
		t.Fatalf("application data records %v", lens)
	}
	if err := w.WriteHandshake([]byte{1, 0, 0, 5, 0}); alertOf(t, err) != InternalError {
		t.Fatalf("mismatched handshake header accepted: %v", err)
	}
}

// readAll drives the read side as the handshake would, for the alert tables:
// mode "hs" reads handshake messages, "ccs" a ChangeCipherSpec (with keys
// pending), "app" application data. It returns the first error.
func readAll(c *Conn, mode string) error {
	for i := 0; i < 100; i++ {
		var err error
		switch mode {
		case "hs":
			_, err = c.ReadHandshake()
		case "ccs":
			c.SetPendingRead(mustProtection(nopTB{}, aeadMakers[0], testKey, testSalt))
			err = c.ReadChangeCipherSpec()
		case "app":
			_, err = c.ReadApplicationData(make([]byte, 100))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

type nopTB struct{}

func (nopTB) Helper()               {}
func (nopTB) Fatal(...any)          { panic("fatal") }
func (nopTB) Fatalf(string, ...any) { panic("fatal") }
func recs(rs ...[]byte) (b []byte) {
	for _, r := range rs {
		b = append(b, r...)
	}
	return b
}

// TestReadAlerts: each limit and each alert the reading side enforces, on
// hand-built plaintext byte streams, with the alert (or error) expected.
func TestReadAlerts(t *testing.T) {
	hs := func(p []byte) []byte { return rawRecord(Handshake, VersionTLS12, p) }
	al := func(l, d byte) []byte { return rawRecord(Alert, VersionTLS12, []byte{l, d}) }
	app := func(p []byte) []byte { return rawRecord(ApplicationData, VersionTLS12, p) }
	ccs := rawRecord(ChangeCipherSpec, VersionTLS12, []byte{1})
	hello := hsMsg(1, make([]byte, 50))
	warn := al(1, byte(UserCanceled))
	tests := []struct {
		name   string
		mode   string
		stream []byte
		alert  AlertDescription // for *Error
		err    error            // otherwise: errors.Is target
	}{
		{"unknown content type", "hs", rawRecord(24, VersionTLS12, []byte{1}), UnexpectedMessage, nil},
		{"version 0x0201", "hs", rawRecord(Handshake, 0x0201, hello), DecodeError, nil},
		{"plaintext record 2^14+1", "app", app(make([]byte, MaxPlaintext+1)), RecordOverflow, nil},
		{"empty handshake record", "hs", hs(nil), UnexpectedMessage, nil},
		{"empty alert record", "hs", rawRecord(Alert, VersionTLS12, nil), UnexpectedMessage, nil},
		{"empty ccs record", "ccs", rawRecord(ChangeCipherSpec, VersionTLS12, nil), UnexpectedMessage, nil},
		{"17 empty app records", "app", recs(bytes.Repeat(app(nil), 17)), UnexpectedMessage, nil},
		{"unknown handshake type", "hs", hs(hsMsg(99, nil)), UnexpectedMessage, nil},
		{"ClientHello longer than its RFC bound", "hs", hs([]byte{1, 0x02, 0x01, 0x45}), DecodeError, nil},
		{"Finished of 13 bytes", "hs", hs(hsMsg(20, make([]byte, 13))), DecodeError, nil},
		{"ServerHelloDone with a body", "hs", hs(hsMsg(14, []byte{0})), DecodeError, nil},
		{"Certificate over the default bound", "hs", hs([]byte{11, 0x04, 0x00, 0x01}), DecodeError, nil},
		{"application data during the handshake", "hs", app([]byte("x")), UnexpectedMessage, ErrUnexpectedRecord},
		{"ccs in place of a handshake message", "hs", ccs, UnexpectedMessage, ErrUnexpectedRecord},
		{"ccs inside a handshake message", "hs", recs(hs(hello[:10]), ccs), UnexpectedMessage, ErrUnexpectedRecord},
		{"application data inside a handshake message", "hs", recs(hs(hello[:10]), app([]byte("x"))), UnexpectedMessage, nil},
		{"warning inside a handshake message", "hs", recs(hs(hello[:10]), warn), UnexpectedMessage, nil},
		{"ccs while a message is incomplete", "ccs", recs(hs(hello[:10]), ccs), UnexpectedMessage, nil},
		{"handshake in place of ccs", "ccs", hs(hello), UnexpectedMessage, ErrUnexpectedRecord},
		// rfc8446#5: a change_cipher_spec other than the single byte 0x01 is unexpected_message.
		{"ccs payload 2", "ccs", rawRecord(ChangeCipherSpec, VersionTLS12, []byte{2}), UnexpectedMessage, ErrUnexpectedRecord},
		{"ccs payload 0", "ccs", rawRecord(ChangeCipherSpec, VersionTLS12, []byte{0}), UnexpectedMessage, ErrUnexpectedRecord},
		{"ccs payload of 2 bytes", "ccs", rawRecord(ChangeCipherSpec, VersionTLS12, []byte{1, 1}), UnexpectedMessage, ErrUnexpectedRecord},
		{"ccs in application data", "app", ccs, UnexpectedMessage, nil},
		{"alert of 1 byte", "hs", rawRecord(Alert, VersionTLS12, []byte{2}), DecodeError, ErrMalformedAlert},
		{"alert of 3 bytes", "hs", rawRecord(Alert, VersionTLS12, []byte{2, 40, 0}), DecodeError, ErrMalformedAlert},
		{"alert level 3", "app", al(3, 40), IllegalParameter, ErrMalformedAlert},
		{"5 warnings in a row", "app", recs(bytes.Repeat(warn, 5)), UnexpectedMessage, nil},
		{"close_notify during the handshake", "hs", al(1, 0), 0, io.EOF},
		{"close_notify (fatal level)", "app", al(2, 0), 0, io.EOF},
		{"close_notify after data", "app", recs(app([]byte("hi")), al(1, 0)), 0, io.EOF},
		{"EOF between records", "app", app([]byte("hi")), 0, ErrTruncated},
		{"EOF inside a header", "hs", hs(hello)[:3], 0, ErrTruncated},
		{"EOF inside a record", "hs", hs(hello)[:20], 0, ErrTruncated},
		{"EOF inside a message", "hs", hs(hello[:20]), 0, ErrTruncated},
		{"4 warnings then EOF", "app", recs(bytes.Repeat(warn, 4)), 0, ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := readerConn(tc.stream, 1, 3, 1000)
			err := readAll(c, tc.mode)
			if tc.err != nil && !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if tc.alert != 0 {
				if got := alertOf(t, err); got != tc.alert {
					t.Fatalf("alert %v, want %v (%v)", got, tc.alert, err)
				}
			} else {
				var re *Error
				if errors.As(err, &re) {
					t.Fatalf("unexpected alert error %v", err)
				}
			}
			// Errors are permanent: every later read returns the same one.
			if again := readAll(c, tc.mode); again != err && !(tc.mode == "ccs" && again != nil) {
				t.Fatalf("second read: %v, first %v", again, err)
			}
		})
	}
}

// TestFatalAlertReceived: a fatal alert ends reading with *AlertReceivedError
// naming it, and AlertFor says not to answer it.
func TestFatalAlertReceived(t *testing.T) {
	for _, d := range []AlertDescription{HandshakeFailure, BadRecordMAC, 255} {
		c := readerConn(rawRecord(Alert, VersionTLS12, []byte{2, byte(d)}))
		_, err := c.ReadHandshake()
		var are *AlertReceivedError
		if !errors.As(err, &are) || are.Description != d || are.Level != Fatal {
			t.Fatalf("%v: got %v", d, err)
		}
		if _, _, send := AlertFor(err); send {
			t.Fatalf("AlertFor says to answer a fatal alert")
		}
	}
	// Four warnings in a row are ignored; data after them is delivered.
	warn := rawRecord(Alert, VersionTLS12, []byte{1, byte(NoRenegotiation)})
	c := readerConn(recs(bytes.Repeat(warn, 4), rawRecord(ApplicationData, VersionTLS12, []byte("ok"))))
	if b, err := io.ReadAll(io.LimitReader(appReader{c}, 2)); err != nil || string(b) != "ok" {
		t.Fatalf("after 4 warnings: %q, %v", b, err)
	}
}

// TestCertificateBoundIsUint24: Certificate and CertificateStatus may be as
// long as a handshake header can state, 2^24-1 bytes, and no longer; that is
// also where SetMaxHandshakeSize caps its argument.
//
// spec: rfc5246#7.4.2 (certificate_list<0..2^24-1>)
func TestCertificateBoundIsUint24(t *testing.T) {
	for _, typ := range []uint8{11, 22} {
		if got, ok := MaxHandshakeBody(typ); !ok || got != 16777215 {
			t.Errorf("MaxHandshakeBody(%d) = %d, %v; want 16777215 (2^24-1)", typ, got, ok)
		}
	}
}

// TestMessageSizeBounds: a message at its RFC bound is accepted and one byte
// more is refused, from the header alone (no body needed); SetMaxHandshakeSize
// moves the Certificate bound.
func TestMessageSizeBounds(t *testing.T) {
	for _, l := range handshakeLimits {
		max := l.max
		if l.local {
			max = DefaultMaxHandshakeSize
		}
		if got, ok := MaxHandshakeBody(l.typ); !ok || got != l.max {
			t.Errorf("MaxHandshakeBody(%s) = %d, %v; the table says %d", l.name, got, ok, l.max)
		}
		over := []byte{l.typ, byte((max + 1) >> 16), byte((max + 1) >> 8), byte(max + 1)}
		c := readerConn(rawRecord(Handshake, VersionTLS12, over))
		if _, err := c.ReadHandshake(); alertOf(t, err) != DecodeError || !errors.Is(err, ErrHandshakeTooLong) {
			t.Errorf("%s of %d bytes: %v, want decode_error", l.name, max+1, err)
		}
		// At the bound the header passes and the read waits for the body:
		// the stream ends, so ErrTruncated (or the message itself if empty).
		at := []byte{l.typ, byte(max >> 16), byte(max >> 8), byte(max)}
		c = readerConn(rawRecord(Handshake, VersionTLS12, at))
		if msg, err := c.ReadHandshake(); !(max == 0 && err == nil && len(msg) == 4) && err != ErrTruncated {
			t.Errorf("%s of %d bytes: %v", l.name, max, err)
		}
	}
	if handshakeLimits[1].max <= 128<<10 {
		t.Error("a ClientHello must be allowed to exceed 128 KiB")
	}
	big := hsMsg(11, pseudoBytes(9, 300000))
	var wire bytes.Buffer
	w := writerConn(&wire)
	if err := w.WriteHandshake(big); err != nil {
		t.Fatal(err)
	}
	r := readerConn(bytes.Clone(wire.Bytes()), 5000)
	if _, err := r.ReadHandshake(); alertOf(t, err) != DecodeError {
		t.Fatalf("300000-byte Certificate under the default bound: %v", err)
	}
	r = readerConn(wire.Bytes(), 5000)
	r.SetMaxHandshakeSize(300000)
	if got, err := r.ReadHandshake(); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("300000-byte Certificate with SetMaxHandshakeSize(300000): %v", err)
	}
}

// TestHeaderCheckedBeforeAllocation: a 16 MiB Certificate announced in a
// 9-byte stream allocates nothing near its size.
func TestHeaderCheckedBeforeAllocation(t *testing.T) {
	stream := rawRecord(Handshake, VersionTLS12, []byte{11, 0xff, 0xff, 0xff})
	c := readerConn(stream)
	c.SetMaxHandshakeSize(maxUint24)
	if _, err := c.ReadHandshake(); err != ErrTruncated {
		t.Fatal(err)
	}
	if cap(c.in.hs) > 64 {
		t.Fatalf("reassembly buffer grew to %d bytes for a 4-byte header", cap(c.in.hs))
	}
}

// TestProtectedReadErrors: under GCM, a record replayed, reordered, corrupted
// or sent with another version fails with the right alert; an oversize or
// empty decrypted fragment is refused.
func TestProtectedReadErrors(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			build := func(payloads ...[]byte) ([][]byte, *Protection) {
				var wire bytes.Buffer
				w := writerConn(&wire)
				pr := switchKeys(t, m, w)
				var out [][]byte
				for _, p := range payloads {
					wire.Reset()
					writeRecords(t, w, &wire, ApplicationData, p)
					out = append(out, bytes.Clone(wire.Bytes()))
				}
				return out, pr
			}
			read := func(pr *Protection, stream []byte) error {
				c := readerConn(recs(rawRecord(ChangeCipherSpec, VersionTLS12, []byte{1}), stream))
				c.SetPendingRead(pr)
				if err := c.ReadChangeCipherSpec(); err != nil {
					return err
				}
				return readAll(c, "app")
			}
			rs, pr := build([]byte("one"), []byte("two"), []byte("three"))
			if err := read(pr, recs(rs...)); err != ErrTruncated {
				t.Fatalf("in order: %v", err)
			}
			for name, stream := range map[string][]byte{
				"replayed":  recs(rs[0], rs[0]),
				"reordered": recs(rs[1], rs[0]),
				"dropped":   recs(rs[0], rs[2]),
			} {
				if err := read(pr, stream); alertOf(t, err) != BadRecordMAC {
					t.Errorf("%s: %v, want bad_record_mac", name, err)
				}
			}
			for i := range rs[0] {
				if i == 3 || i == 4 { // the length: changes the framing instead
					continue
				}
				bad := bytes.Clone(rs[0])
				bad[i] ^= 0x40
				err := read(pr, bad)
				want := BadRecordMAC
				if i == 0 {
					want = UnexpectedMessage // 0x57 is no content type
				} else if i == 1 {
					want = DecodeError // major version 0x43
				} else if i == 2 {
					want = ProtocolVersion // 0x0343 is not the negotiated version
				}
				if got := alertOf(t, err); got != want {
					t.Errorf("bit flipped in byte %d: %v, want %v", i, got, want)
				}
			}
			short := rawRecord(ApplicationData, VersionTLS12, make([]byte, 23))
			if err := read(pr, short); alertOf(t, err) != BadRecordMAC {
				t.Errorf("fragment shorter than nonce+tag: %v", err)
			}
			// Build by hand what a broken peer would send: 2^14+1 plaintext bytes,
			// or an empty handshake fragment, properly protected.
			pw, pr2 := protectPair(t, m)
			for _, tc := range []struct {
				typ   ContentType
				n     int
				alert AlertDescription
			}{{ApplicationData, MaxPlaintext + 1, RecordOverflow}, {Handshake, 0, UnexpectedMessage}, {Alert, 0, UnexpectedMessage}} {
				frag := pw.Seal(nil, 0, tc.typ, VersionTLS12, make([]byte, tc.n))
				if err := read(pr2, rawRecord(tc.typ, VersionTLS12, frag)); alertOf(t, err) != tc.alert {
					t.Errorf("%v with %d plaintext bytes: %v, want %v", tc.typ, tc.n, err, tc.alert)
				}
			}
		})
	}
}

// TestRenegotiationRefused: a handshake message after the handshake is
// returned as no_renegotiation, is not permanent, and SendAlertFor answers it
// with a warning.
func TestRenegotiationRefused(t *testing.T) {
	helloRequest := rawRecord(Handshake, VersionTLS12, hsMsg(0, nil))
	c := readerConn(recs(helloRequest, rawRecord(ApplicationData, VersionTLS12, []byte("after"))))
	_, err := c.ReadApplicationData(make([]byte, 10))
	if alertOf(t, err) != NoRenegotiation || !errors.Is(err, ErrRenegotiation) {
		t.Fatalf("HelloRequest after the handshake: %v", err)
	}
	if b, err := io.ReadAll(io.LimitReader(appReader{c}, 5)); err != nil || string(b) != "after" {
		t.Fatalf("data after the refused renegotiation: %q, %v", b, err)
	}
	var wire bytes.Buffer
	w := writerConn(&wire)
	if err := w.SendAlertFor(err); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wire.Bytes(), rawRecord(Alert, VersionTLS12, []byte{1, 100})) {
		t.Fatalf("SendAlertFor sent %x", wire.Bytes())
	}
	if _, err := w.WriteApplicationData([]byte("x")); err != nil {
		t.Fatalf("a warning closed the write side: %v", err)
	}
}

// TestWriteSideClosed: after close_notify or a fatal alert nothing more is sent.
func TestWriteSideClosed(t *testing.T) {
	for _, a := range []struct {
		l AlertLevel
		d AlertDescription
	}{{Warning, CloseNotify}, {Fatal, HandshakeFailure}} {
		var wire bytes.Buffer
		w := writerConn(&wire)
		if err := w.SendAlert(a.l, a.d); err != nil {
			t.Fatal(err)
		}
		n := wire.Len()
		if _, err := w.WriteApplicationData([]byte("x")); err != ErrClosed {
			t.Errorf("write after %v: %v", a.d, err)
		}
		if err := w.WriteHandshake(hsMsg(20, make([]byte, 12))); err != ErrClosed {
			t.Errorf("handshake after %v: %v", a.d, err)
		}
		if wire.Len() != n {
			t.Errorf("bytes sent after %v", a.d)
		}
	}
}

// TestSequenceNumbers: sequence numbers count per direction, restart at 0 at
// each ChangeCipherSpec, and the last value is never used, so they cannot wrap.
func TestSequenceNumbers(t *testing.T) {
	m := aeadMakers[0]
	var wire bytes.Buffer
	w := writerConn(&wire)
	var seqs []uint64
	w.SetTracer(func(e RecordEvent) { seqs = append(seqs, e.Seq) })
	w.WriteHandshake(hsMsg(14, nil))
	w.WriteHandshake(hsMsg(14, nil))
	switchKeys(t, m, w)
	w.WriteApplicationData([]byte("a"))
	w.WriteApplicationData([]byte("b"))
	switchKeys(t, m, w)
	w.WriteApplicationData([]byte("c"))
	if want := []uint64{0, 1, 2, 0, 1, 2, 0}; !slices.Equal(seqs, want) {
		t.Fatalf("sequence numbers %v, want %v", seqs, want)
	}

	w.out.seq = math.MaxUint64 - 1
	if _, err := w.WriteApplicationData([]byte("last")); err != nil {
		t.Fatal(err)
	}
	n := wire.Len()
	if _, err := w.WriteApplicationData([]byte("wraps")); alertOf(t, err) != InternalError || !errors.Is(err, ErrSeqExhausted) {
		t.Fatalf("record that would wrap: %v", err)
	}
	if wire.Len() != n {
		t.Fatal("bytes sent for a refused record")
	}

	r := readerConn(rawRecord(ApplicationData, VersionTLS12, []byte("x")))
	r.in.seq = math.MaxUint64
	if _, err := r.ReadApplicationData(make([]byte, 1)); !errors.Is(err, ErrSeqExhausted) {
		t.Fatalf("read at the last sequence number: %v", err)
	}
}

// TestNoPendingProtection: ChangeCipherSpec without keys set is the caller's
// mistake, reported with ErrNoPending and nothing sent or consumed.
func TestNoPendingProtection(t *testing.T) {
	var wire bytes.Buffer
	w := writerConn(&wire)
	if err := w.WriteChangeCipherSpec(); !errors.Is(err, ErrNoPending) || wire.Len() != 0 {
		t.Fatalf("WriteChangeCipherSpec without keys: %v, %d bytes", err, wire.Len())
	}
	r := readerConn(rawRecord(ChangeCipherSpec, VersionTLS12, []byte{1}))
	if err := r.ReadChangeCipherSpec(); !errors.Is(err, ErrNoPending) {
		t.Fatalf("ReadChangeCipherSpec without keys: %v", err)
	}
	r.SetPendingRead(mustProtection(t, aeadMakers[0], testKey, testSalt))
	if err := r.ReadChangeCipherSpec(); err != nil {
		t.Fatalf("after setting keys: %v", err)
	}
}

// TestKeyChangeWithBufferedData: a ChangeCipherSpec is refused with
// unexpected_message while anything read under the old keys is still buffered
// (part of a handshake message, a whole one not yet read, or application data
// not yet returned), since a message must not span a key change; the error
// says how many bytes of which kind are left, and it is permanent. Read once
// the buffer is empty, the same ChangeCipherSpec is accepted.
//
// spec: rfc8446#5.1 (handshake messages MUST NOT span key changes)
// spec: rfc5246#7.1
func TestKeyChangeWithBufferedData(t *testing.T) {
	hs := func(p []byte) []byte { return rawRecord(Handshake, VersionTLS12, p) }
	app := func(p []byte) []byte { return rawRecord(ApplicationData, VersionTLS12, p) }
	ccs := rawRecord(ChangeCipherSpec, VersionTLS12, []byte{1})
	hello := hsMsg(1, make([]byte, 50))
	readHandshake := func(c *Conn) error { _, err := c.ReadHandshake(); return err }
	readTwoBytes := func(c *Conn) error { _, err := c.ReadApplicationData(make([]byte, 2)); return err }
	tests := []struct {
		name   string
		stream []byte
		read   func(*Conn) error // what the caller reads before the ChangeCipherSpec
		want   string            // in the error's text; "" for none
	}{
		{"part of a header", recs(hs(append(slices.Clone(hello), hello[:3]...)), ccs), readHandshake,
			"3 bytes of handshake data"},
		{"part of a body", recs(hs(append(slices.Clone(hello), hello[:10]...)), ccs), readHandshake,
			"10 bytes of handshake data"},
		{"a whole message unread", recs(hs(append(slices.Clone(hello), hello...)), ccs), readHandshake,
			"54 bytes of handshake data"},
		{"application data unread", recs(app([]byte("hello")), ccs), readTwoBytes,
			"3 bytes of application data"},
		{"nothing left", recs(hs(hello), ccs), readHandshake, ""},
		{"application data all read", recs(app([]byte("he")), ccs), readTwoBytes, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := readerConn(tc.stream)
			if err := tc.read(c); err != nil {
				t.Fatalf("read before the key change: %v", err)
			}
			c.SetPendingRead(mustProtection(t, aeadMakers[0], testKey, testSalt))
			err := c.ReadChangeCipherSpec()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("ChangeCipherSpec with nothing buffered: %v", err)
				}
				return
			}
			if alertOf(t, err) != UnexpectedMessage || !errors.Is(err, ErrUnexpectedRecord) {
				t.Fatalf("ChangeCipherSpec with data buffered: %v, want unexpected_message (ErrUnexpectedRecord)", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if again := c.ReadChangeCipherSpec(); again != err {
				t.Errorf("second ReadChangeCipherSpec: %v, first %v", again, err)
			}
		})
	}
}

// TestTrace: every record sent and received produces one event with the wire
// bytes, the plaintext and the sequence number; the received events describe
// exactly the bytes that were sent.
func TestTrace(t *testing.T) {
	m := aeadMakers[0]
	var wire bytes.Buffer
	w := writerConn(&wire)
	var sent, got []RecordEvent
	clone := func(e RecordEvent) RecordEvent {
		e.Header, e.Fragment, e.Plaintext = bytes.Clone(e.Header), bytes.Clone(e.Fragment), bytes.Clone(e.Plaintext)
		return e
	}
	w.SetTracer(func(e RecordEvent) { sent = append(sent, clone(e)) })
	w.SetVersion(VersionTLS10)
	w.WriteHandshake(hsMsg(1, make([]byte, 40)))
	w.SetVersion(VersionTLS12)
	pr := switchKeys(t, m, w)
	w.WriteHandshake(hsMsg(20, make([]byte, 12)))
	w.WriteApplicationData([]byte("GET /"))
	w.SendAlert(Warning, CloseNotify)

	r := readerConn(bytes.Clone(wire.Bytes()), 7)
	r.SetTracer(func(e RecordEvent) { got = append(got, clone(e)) })
	r.ReadHandshake()
	r.SetPendingRead(pr)
	r.ReadChangeCipherSpec()
	r.ReadHandshake()
	io.ReadAll(appReader{r})

	var onWire []byte
	for i, e := range sent {
		if !e.Sent {
			t.Errorf("sent event %d not marked Sent", i)
		}
		onWire = append(onWire, e.Header...)
		onWire = append(onWire, e.Fragment...)
	}
	if !bytes.Equal(onWire, wire.Bytes()) {
		t.Fatal("sent events do not add up to the bytes on the wire")
	}
	if len(got) != len(sent) || len(sent) != 5 {
		t.Fatalf("%d records sent, %d received events, want 5", len(sent), len(got))
	}
	for i := range sent {
		s, g := sent[i], got[i]
		s.Sent = false
		if s.Type != g.Type || s.Version != g.Version || s.Seq != g.Seq || s.Protected != g.Protected ||
			!bytes.Equal(s.Header, g.Header) || !bytes.Equal(s.Fragment, g.Fragment) || !bytes.Equal(s.Plaintext, g.Plaintext) {
			t.Errorf("record %d: sent %+v, received %+v", i, s, g)
		}
	}
	if sent[0].Version != VersionTLS10 || sent[2].Protected != true || sent[2].Seq != 0 || sent[3].Seq != 1 {
		t.Errorf("event fields: %+v", sent)
	}
	w.SetTracer(nil)
	n := len(sent)
	w.SendAlert(Warning, CloseNotify)
	if len(sent) != n {
		t.Error("events after SetTracer(nil)")
	}
}

// TestConcurrentReadWrite: over net.Pipe, both ends read and write at the same
// time (run with -race); every byte arrives in order.
func TestConcurrentReadWrite(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			ca, cb := NewConn(a), NewConn(b)
			wa, ra := protectPair(t, m)
			wb, rb := protectPair(t, m)
			ca.SetPendingWrite(wa)
			cb.SetPendingRead(ra)
			cb.SetPendingWrite(wb)
			ca.SetPendingRead(rb)
			const total = 200000
			data := pseudoBytes(7, total)
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for _, pair := range [][2]*Conn{{ca, cb}, {cb, ca}} {
				wr, rd := pair[0], pair[1]
				wg.Add(2)
				go func() {
					defer wg.Done()
					if err := wr.WriteChangeCipherSpec(); err != nil {
						errs <- err
						return
					}
					for off := 0; off < total; off += 10007 {
						if _, err := wr.WriteApplicationData(data[off:min(off+10007, total)]); err != nil {
							errs <- err
							return
						}
					}
					errs <- wr.SendAlert(Warning, CloseNotify)
				}()
				go func() {
					defer wg.Done()
					if err := rd.ReadChangeCipherSpec(); err != nil {
						errs <- err
						return
					}
					got, err := io.ReadAll(appReader{rd})
					if err == nil && !bytes.Equal(got, data) {
						err = errors.New("data differs")
					}
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestReadDeadline: a read that times out through the transport's deadline is
// not permanent: after extending it, the record arrives.
func TestReadDeadline(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := NewConn(a)
	a.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err := c.ReadHandshake()
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("ReadHandshake with an expired deadline: %v", err)
	}
	if _, _, send := AlertFor(err); send {
		t.Fatal("AlertFor wants an alert for a timeout")
	}
	msg := hsMsg(14, nil)
	go b.Write(rawRecord(Handshake, VersionTLS12, msg))
	a.SetReadDeadline(time.Time{})
	if got, err := c.ReadHandshake(); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("after extending the deadline: %v", err)
	}
}

// TestZeroAllocs: in the steady state, writing and reading a protected 16 KiB
// record allocates nothing (with the standard library's GCM and with minitls's).
func TestZeroAllocs(t *testing.T) {
	for _, m := range aeadMakers {
		var l loopback
		c := NewConn(&l)
		pw, pr := protectPair(t, m)
		c.SetPendingWrite(pw)
		c.SetPendingRead(pr)
		if err := c.WriteChangeCipherSpec(); err != nil {
			t.Fatal(err)
		}
		if err := c.ReadChangeCipherSpec(); err != nil {
			t.Fatal(err)
		}
		data := make([]byte, MaxPlaintext)
		buf := make([]byte, MaxPlaintext)
		roundTrip := func() {
			if _, err := c.WriteApplicationData(data); err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(appReader{c}, buf); err != nil {
				t.Fatal(err)
			}
		}
		roundTrip()
		if n := testing.AllocsPerRun(20, roundTrip); n != 0 {
			t.Errorf("%s: %v allocations per 16 KiB record written and read", m.name, n)
		}
	}
}

// TestTraceFailedRecord: a record that fails authentication still produces a
// received event (wire bytes, no plaintext) before bad_record_mac.
func TestTraceFailedRecord(t *testing.T) {
	var wire bytes.Buffer
	w := writerConn(&wire)
	pr := switchKeys(t, aeadMakers[0], w)
	ccsLen := wire.Len()
	w.WriteApplicationData([]byte("attack at dawn"))
	stream := bytes.Clone(wire.Bytes())
	stream[len(stream)-1] ^= 1
	r := readerConn(stream)
	var events []RecordEvent
	r.SetTracer(func(e RecordEvent) {
		e.Fragment, e.Plaintext = bytes.Clone(e.Fragment), bytes.Clone(e.Plaintext)
		events = append(events, e)
	})
	r.SetPendingRead(pr)
	if err := r.ReadChangeCipherSpec(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadApplicationData(make([]byte, 100)); alertOf(t, err) != BadRecordMAC {
		t.Fatalf("tampered record: %v", err)
	}
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	e := events[1]
	if !e.Protected || e.Plaintext != nil || !bytes.Equal(e.Fragment, stream[ccsLen+HeaderLen:]) {
		t.Fatalf("event for the failed record: %+v", e)
	}
}

// TestSetMaxHandshakeSizeRestoresDefault: SetMaxHandshakeSize(0) or a
// negative size puts back DefaultMaxHandshakeSize (a Certificate header at
// the default bound passes again), not a bound of zero.
func TestSetMaxHandshakeSizeRestoresDefault(t *testing.T) {
	max := DefaultMaxHandshakeSize
	at := []byte{11, byte(max >> 16), byte(max >> 8), byte(max)}
	for _, n := range []int{0, -1} {
		c := readerConn(rawRecord(Handshake, VersionTLS12, at))
		c.SetMaxHandshakeSize(100)
		c.SetMaxHandshakeSize(n)
		if _, err := c.ReadHandshake(); err != ErrTruncated {
			t.Errorf("SetMaxHandshakeSize(%d), then a %d-byte Certificate header: %v, want the default bound (ErrTruncated: the body never comes)", n, max, err)
		}
	}
}
