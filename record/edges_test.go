package record

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// Tests that pin behaviours mutation testing found unguarded
// (docs/mutation.md): each fails if the condition it names is turned around
// or moved by one.

// TestAlertReceivedErrorText: the text of a received alert says "ends the
// connection whatever its level" exactly when an error alert came at warning
// level, so a reader is not misled into thinking a warning is survivable.
//
// spec: rfc5246#7.2.2, rfc8446#6
func TestAlertReceivedErrorText(t *testing.T) {
	const note = "whatever its level"
	tests := []struct {
		level AlertLevel
		desc  AlertDescription
		want  bool
	}{
		{Warning, HandshakeFailure, true},
		{Warning, BadRecordMAC, true},
		{Fatal, HandshakeFailure, false},
		{Warning, UserCanceled, false},
		{Warning, NoRenegotiation, false},
		{Fatal, UserCanceled, false},
	}
	for _, tc := range tests {
		s := (&AlertReceivedError{Level: tc.level, Description: tc.desc}).Error()
		if got := strings.Contains(s, note); got != tc.want {
			t.Errorf("%v %v: %q; says %q: %v, want %v", tc.level, tc.desc, s, note, got, tc.want)
		}
	}
}

// TestTrace13Wire: a received TLS 1.3 record is traced with the fragment as
// it was on the wire (the ciphertext, not the plaintext that decryption
// wrote over it), Protected, and with its inner type; a record that fails
// to open is traced with its wire bytes and no plaintext.
//
// spec: rfc8446#5.2
func TestTrace13Wire(t *testing.T) {
	msg := hsMsg(20, make([]byte, 32))
	good := sealInner13(t, 0, append(bytes.Clone(msg), byte(Handshake)))
	bad := bytes.Clone(sealInner13(t, 1, append(bytes.Clone(msg), byte(Handshake))))
	bad[len(bad)-1] ^= 1
	var events []RecordEvent
	c := readerConn(recs(good, bad))
	c.SetTracer(func(e RecordEvent) {
		e.Header, e.Fragment, e.Plaintext = bytes.Clone(e.Header), bytes.Clone(e.Fragment), bytes.Clone(e.Plaintext)
		events = append(events, e)
	})
	if err := c.SetReadKeys13(protection13(t, aeadMakers[1])); err != nil {
		t.Fatal(err)
	}
	c.SetPostHandshake()
	if got, err := c.ReadHandshakeOf(20); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("read %x, %v", got, err)
	}
	if _, err := c.ReadHandshakeOf(20); alertOf(t, err) != BadRecordMAC {
		t.Fatalf("tampered record: %v, want bad_record_mac", err)
	}
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	ok, failed := events[0], events[1]
	if !ok.Protected || ok.InnerType != Handshake || !bytes.Equal(ok.Fragment, good[HeaderLen:]) ||
		!bytes.Equal(ok.Plaintext, msg) {
		t.Errorf("good record traced as %+v; want the wire fragment %x, plaintext %x", ok, good[HeaderLen:], msg)
	}
	if !failed.Protected || failed.Plaintext != nil || !bytes.Equal(failed.Fragment, bad[HeaderLen:]) {
		t.Errorf("failed record traced as %+v; want the wire fragment %x and no plaintext", failed, bad[HeaderLen:])
	}
}

// TestPostHandshakeMessages13: under TLS 1.3, ReadApplicationData hands each
// whole post-handshake message of a type the handshake layer allows out as a
// *PostHandshakeError (two in one record one after the other, then the data
// after them), not as a renegotiation request; a type it does not allow is
// unexpected_message.
//
// spec: rfc8446#4.6
func TestPostHandshakeMessages13(t *testing.T) {
	ticket := hsMsg(4, make([]byte, 20))
	keyUpdate := hsMsg(24, []byte{0})
	inner := func(typ ContentType, parts ...[]byte) []byte {
		return append(bytes.Join(parts, nil), byte(typ))
	}
	stream := recs(sealInner13(t, 0, inner(Handshake, ticket, keyUpdate)), sealInner13(t, 1, inner(ApplicationData, []byte("data"))))
	c := readerConn(stream, 7)
	if err := c.SetReadKeys13(protection13(t, aeadMakers[1])); err != nil {
		t.Fatal(err)
	}
	c.SetPostHandshake(4, 24)
	buf := make([]byte, 10)
	for _, want := range [][]byte{ticket, keyUpdate} {
		n, err := c.ReadApplicationData(buf)
		var post *PostHandshakeError
		if n != 0 || !errors.As(err, &post) || !bytes.Equal(post.Message, want) {
			t.Fatalf("read %d, %v; want the post-handshake message %x", n, err, want)
		}
	}
	if n, err := c.ReadApplicationData(buf); err != nil || string(buf[:n]) != "data" {
		t.Fatalf("after the messages: %q, %v", buf[:n], err)
	}

	c = readerConn(sealInner13(t, 0, inner(Handshake, hsMsg(20, make([]byte, 32)))))
	if err := c.SetReadKeys13(protection13(t, aeadMakers[1])); err != nil {
		t.Fatal(err)
	}
	c.SetPostHandshake(4, 24)
	if _, err := c.ReadApplicationData(buf); alertOf(t, err) != UnexpectedMessage {
		t.Fatalf("Finished after the handshake: %v, want unexpected_message", err)
	}
}

// TestEmptyRecordLimit: MaxConsecutiveEmpty empty application data records in
// a row are skipped and the data after them delivered; the count starts again
// after data, so the same run may follow; one more in a row is
// unexpected_message (TestReadAlerts).
//
// spec: rfc5246#6.2.1
func TestEmptyRecordLimit(t *testing.T) {
	app := func(p string) []byte { return rawRecord(ApplicationData, VersionTLS12, []byte(p)) }
	empties := bytes.Repeat(app(""), MaxConsecutiveEmpty)
	c := readerConn(recs(empties, app("a"), empties, app("b")), 5, 1000)
	buf := make([]byte, 4)
	for _, want := range []string{"a", "b"} {
		if n, err := c.ReadApplicationData(buf); err != nil || string(buf[:n]) != want {
			t.Fatalf("after %d empty records: %q, %v; want %q", MaxConsecutiveEmpty, buf[:n], err, want)
		}
	}
	c = readerConn(recs(empties, app(""), app("a")))
	if _, err := c.ReadApplicationData(buf); alertOf(t, err) != UnexpectedMessage {
		t.Fatalf("%d empty records in a row: %v, want unexpected_message", MaxConsecutiveEmpty+1, err)
	}
}

// TestCompatCCSLimit: while SetCompatCCS is on, MaxCompatCCS dummy
// ChangeCipherSpec records (one after each of a peer's two hellos) are
// dropped; one more is unexpected_message (TestConn13).
//
// spec: rfc8446#5, rfc8446#D.4
func TestCompatCCSLimit(t *testing.T) {
	ccs := rawRecord(ChangeCipherSpec, VersionTLS12, []byte{1})
	msg := hsMsg(2, make([]byte, 40))
	for _, n := range []int{MaxCompatCCS, MaxCompatCCS + 1} {
		c := readerConn(recs(bytes.Repeat(ccs, n), rawRecord(Handshake, VersionTLS12, msg)))
		c.SetPostHandshake()
		c.SetCompatCCS(true)
		got, err := c.ReadHandshakeOf(2)
		switch {
		case n <= MaxCompatCCS && (err != nil || !bytes.Equal(got, msg)):
			t.Errorf("%d dummy ChangeCipherSpecs: %x, %v; want them dropped and the message read", n, got, err)
		case n > MaxCompatCCS && alertOf(t, err) != UnexpectedMessage:
			t.Errorf("%d dummy ChangeCipherSpecs: %v, want unexpected_message", n, err)
		}
	}
}

// TestRead13Alerts: under TLS 1.3 read keys, a protected alert is read as an
// alert and protected application data as data, while an inner content type
// TLS 1.3 does not carry is unexpected_message; during the handshake
// (SetCompatCCS on) a plaintext alert that ends the connection — fatal
// level, close_notify, or an error alert at warning level — is taken as the
// peer's reason, and any other plaintext alert (a warning user_canceled, a
// body of 3 bytes, any alert once the handshake is over) is
// unexpected_message.
//
// spec: rfc8446#5.1, rfc8446#5.2, rfc8446#6
func TestRead13Alerts(t *testing.T) {
	inner := func(typ ContentType, content ...byte) []byte { return sealInner13(t, 0, append(content, byte(typ))) }
	plain := func(body ...byte) []byte { return rawRecord(Alert, VersionTLS12, body) }
	tests := []struct {
		name   string
		compat bool
		stream []byte
		want   AlertDescription // the alert received (peer) or to send (*Error)
		peer   bool
		eof    bool
	}{
		{"protected fatal alert", false, inner(Alert, 2, byte(HandshakeFailure)), HandshakeFailure, true, false},
		{"protected close_notify", false, inner(Alert, 1, byte(CloseNotify)), 0, false, true},
		{"inner type change_cipher_spec", false, inner(ChangeCipherSpec, 1), UnexpectedMessage, false, false},
		{"inner type 24", false, inner(24, 1), UnexpectedMessage, false, false},
		{"plaintext fatal alert in the handshake", true, plain(2, byte(HandshakeFailure)), HandshakeFailure, true, false},
		{"plaintext fatal level, warning description", true, plain(2, byte(UserCanceled)), UserCanceled, true, false},
		{"plaintext close_notify in the handshake", true, plain(1, byte(CloseNotify)), 0, false, true},
		{"plaintext error alert at warning level", true, plain(1, byte(DecodeError)), DecodeError, true, false},
		{"plaintext warning user_canceled", true, plain(1, byte(UserCanceled)), UnexpectedMessage, false, false},
		{"plaintext alert of 3 bytes", true, plain(2, byte(HandshakeFailure), 0), UnexpectedMessage, false, false},
		{"plaintext fatal alert after the handshake", false, plain(2, byte(HandshakeFailure)), UnexpectedMessage, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := readerConn(tc.stream)
			if err := c.SetReadKeys13(protection13(t, aeadMakers[1])); err != nil {
				t.Fatal(err)
			}
			c.SetPostHandshake()
			c.SetCompatCCS(tc.compat)
			_, err := c.ReadHandshakeOf(2)
			var are *AlertReceivedError
			switch {
			case tc.eof:
				if err != io.EOF {
					t.Fatalf("err = %v, want io.EOF", err)
				}
			case tc.peer:
				if !errors.As(err, &are) || are.Description != tc.want {
					t.Fatalf("err = %v, want the peer's %v", err, tc.want)
				}
			default:
				if got := alertOf(t, err); got != tc.want {
					t.Fatalf("err = %v, want %v", err, tc.want)
				}
			}
		})
	}
	// The inner types TLS 1.3 does not carry are refused as such, by the
	// record layer, whatever the reader expected.
	for _, typ := range []ContentType{ChangeCipherSpec, 24} {
		c := readerConn(inner(typ, 1))
		if err := c.SetReadKeys13(protection13(t, aeadMakers[1])); err != nil {
			t.Fatal(err)
		}
		c.SetPostHandshake()
		if _, err := c.ReadHandshakeOf(2); !errors.Is(err, ErrUnknownContentType) {
			t.Errorf("inner type %v: %v, want ErrUnknownContentType", typ, err)
		}
	}
	// Application data inside a TLS 1.3 record is data.
	c := readerConn(inner(ApplicationData, 'h', 'i'))
	if err := c.SetReadKeys13(protection13(t, aeadMakers[1])); err != nil {
		t.Fatal(err)
	}
	c.SetPostHandshake()
	buf := make([]byte, 4)
	if n, err := c.ReadApplicationData(buf); err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("protected application data: %q, %v", buf[:n], err)
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

// TestWrite13 is the TLS 1.3 write side end to end: SetWriteKeys13 protects
// from the next record on, WriteCompatCCS puts the plaintext 01 record on the
// wire under those keys without using a sequence number, and
// WriteKeyUpdate13 sends the KeyUpdate under the old keys and everything
// after it under the new ones; the reader follows with SetReadKeys13. Once a
// write has failed, every one of them returns that error.
//
// spec: rfc8446#5.2, rfc8446#5.3, rfc8446#4.6.3, rfc8446#D.4
func TestWrite13(t *testing.T) {
	var wire bytes.Buffer
	w := writerConn(&wire)
	if err := w.SetWriteKeys13(protection13(t, aeadMakers[1])); err != nil {
		t.Fatal(err)
	}
	fin := hsMsg(20, make([]byte, 32))
	if err := w.WriteCompatCCS(); err != nil {
		t.Fatal(err)
	}
	if wire.Len() != 6 {
		t.Fatalf("after WriteCompatCCS %d bytes are on the wire, want its record (6) at once", wire.Len())
	}
	if err := w.WriteHandshake(fin); err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteApplicationData([]byte("one")); err != nil {
		t.Fatal(err)
	}
	a, err := aeadMakers[0].make([]byte("fedcba9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	next, err := NewProtection13(a, []byte("other twelve"))
	if err != nil {
		t.Fatal(err)
	}
	keyUpdate := hsMsg(24, []byte{0})
	if err := w.WriteKeyUpdate13(keyUpdate, next); err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteApplicationData([]byte("two")); err != nil {
		t.Fatal(err)
	}
	if got := wire.Bytes()[:6]; !bytes.Equal(got, rawRecord(ChangeCipherSpec, VersionTLS12, []byte{1})) {
		t.Fatalf("compatibility ChangeCipherSpec on the wire: %x", got)
	}

	r := readerConn(bytes.Clone(wire.Bytes()), 3, 1000)
	if err := r.SetReadKeys13(protection13(t, aeadMakers[0])); err != nil {
		t.Fatal(err)
	}
	r.SetPostHandshake()
	r.SetCompatCCS(true)
	if got, err := r.ReadHandshakeOf(20); err != nil || !bytes.Equal(got, fin) {
		t.Fatalf("Finished: %x, %v (the ChangeCipherSpec must not have used a sequence number)", got, err)
	}
	r.SetCompatCCS(false)
	r.SetPostHandshake(24)
	buf := make([]byte, 8)
	if n, err := r.ReadApplicationData(buf); err != nil || string(buf[:n]) != "one" {
		t.Fatalf("data under the first keys: %q, %v", buf[:n], err)
	}
	var post *PostHandshakeError
	if _, err := r.ReadApplicationData(buf); !errors.As(err, &post) || !bytes.Equal(post.Message, keyUpdate) {
		t.Fatalf("KeyUpdate: %v", err)
	}
	if !strings.Contains(post.Error(), "key_update") {
		t.Errorf("PostHandshakeError text %q does not name key_update", post.Error())
	}
	if err := r.SetReadKeys13(next); err != nil {
		t.Fatal(err)
	}
	if n, err := r.ReadApplicationData(buf); err != nil || string(buf[:n]) != "two" {
		t.Fatalf("data under the next keys: %q, %v", buf[:n], err)
	}

	f := NewConn(rw{bytes.NewReader(nil), failingWriter{}})
	if err := f.WriteHandshake(fin); err == nil {
		t.Fatal("write to a failing transport succeeded")
	}
	for name, err := range map[string]error{
		"SetWriteKeys13":   f.SetWriteKeys13(next),
		"WriteCompatCCS":   f.WriteCompatCCS(),
		"WriteKeyUpdate13": f.WriteKeyUpdate13(keyUpdate, next),
	} {
		if !errors.Is(err, io.ErrClosedPipe) {
			t.Errorf("%s after a failed write: %v, want the write's error", name, err)
		}
	}
}

// TestMaxHandshakeBody13: each TLS 1.3 message type has its own bound, and
// the types TLS 1.3 removed have none.
//
// spec: rfc8446#4
func TestMaxHandshakeBody13(t *testing.T) {
	for _, l := range handshakeLimits13 {
		if got, ok := MaxHandshakeBody13(l.typ); !ok || got != l.max {
			t.Errorf("type %d: %d, %v; want %d", l.typ, got, ok, l.max)
		}
	}
	for _, typ := range []uint8{0, 12, 14, 16} {
		if _, ok := MaxHandshakeBody13(typ); ok {
			t.Errorf("type %d has a TLS 1.3 bound", typ)
		}
	}
}

// shortWriter accepts one byte less than it is given, without an error, and
// counts the calls.
type shortWriter struct{ calls int }

func (w *shortWriter) Write(b []byte) (int, error) {
	w.calls++
	return max(len(b)-1, 0), nil
}

// TestShortWrite: a transport that takes only part of a record without an
// error leaves the peer with a cut record, so the write fails with
// io.ErrShortWrite and every later write returns it without touching the
// transport again; the same for a write that fails outright.
//
// spec: rfc5246#6.2.1
func TestShortWrite(t *testing.T) {
	sw := &shortWriter{}
	c := NewConn(rw{bytes.NewReader(nil), sw})
	if err := c.WriteHandshake(hsMsg(14, nil)); err != io.ErrShortWrite {
		t.Fatalf("short write: %v, want io.ErrShortWrite", err)
	}
	if _, err := c.WriteApplicationData([]byte("x")); err != io.ErrShortWrite || sw.calls != 1 {
		t.Fatalf("write after a short write: %v after %d transport writes, want io.ErrShortWrite after 1", err, sw.calls)
	}
	f := NewConn(rw{bytes.NewReader(nil), failingWriter{}})
	f.WriteHandshake(hsMsg(14, nil))
	if _, err := f.WriteApplicationData([]byte("x")); err != io.ErrClosedPipe {
		t.Fatalf("write after a failed write: %v, want the first error", err)
	}
}

// zeroReader returns (0, nil) zeros times in a row before each read of data.
type zeroReader struct {
	data  []byte
	zeros int
	left  int
}

func (r *zeroReader) Read(b []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if r.left > 0 {
		r.left--
		return 0, nil
	}
	r.left = r.zeros
	n := copy(b[:1], r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestReaderNoProgress: a transport may return no bytes and no error now and
// then (io.Reader allows it), up to 99 times in a row, counted afresh after
// each byte; the 100th in a row is io.ErrNoProgress instead of a spin
// forever. Buffered counts what was read and not yet returned.
func TestReaderNoProgress(t *testing.T) {
	rec := rawRecord(Handshake, VersionTLS12, hsMsg(14, nil))
	r := NewReader(&zeroReader{data: rec, zeros: 99, left: 99})
	if _, got, err := r.Next(); err != nil || !bytes.Equal(got, rec) {
		t.Fatalf("99 empty reads before each byte: %x, %v", got, err)
	}
	r = NewReader(&zeroReader{data: rec, zeros: 100, left: 100})
	if _, _, err := r.Next(); err != io.ErrNoProgress {
		t.Fatalf("100 empty reads in a row: %v, want io.ErrNoProgress", err)
	}
	r = NewReader(bytes.NewReader(recs(rec, rec[:7])))
	if _, _, err := r.Next(); err != nil || r.Buffered() != 7 {
		t.Fatalf("after one record of a read that held 7 more bytes: Buffered %d, %v", r.Buffered(), err)
	}
}

// TestOverhead13: a TLS 1.3 record carries its inner content type (1 byte)
// and the AEAD tag.
//
// spec: rfc8446#5.2
func TestOverhead13(t *testing.T) {
	if got := protection13(t, aeadMakers[1]).Overhead(); got != 1+16 {
		t.Fatalf("Overhead %d, want 17", got)
	}
}

// TestOpen13Bounds: a TLS 1.3 record with a full 2^14 bytes of content
// opens; a protected fragment of exactly 2^14+256 bytes is judged by its tag
// (bad_record_mac for garbage), one byte more is record_overflow before any
// decryption.
//
// spec: rfc8446#5.2 ("The length MUST NOT exceed 2^14 + 256 bytes")
func TestOpen13Bounds(t *testing.T) {
	content := pseudoBytes(13, MaxPlaintext)
	full := sealInner13(t, 0, append(bytes.Clone(content), byte(ApplicationData)))
	p := protection13(t, aeadMakers[1])
	typ, got, err := p.open13(0, full[:HeaderLen], full[HeaderLen:])
	if err != nil || typ != ApplicationData || !bytes.Equal(got, content) {
		t.Fatalf("record with 2^14 bytes of content: type %v, %d bytes, %v", typ, len(got), err)
	}
	hdr := Header{Type: ApplicationData, Version: VersionTLS12, Length: MaxCiphertext13}.Append(nil)
	if _, _, err := p.open13(0, hdr, make([]byte, MaxCiphertext13)); alertOf(t, err) != BadRecordMAC {
		t.Errorf("fragment of 2^14+256 bytes: %v, want bad_record_mac", err)
	}
	if _, _, err := p.open13(0, hdr, make([]byte, MaxCiphertext13+1)); alertOf(t, err) != RecordOverflow {
		t.Errorf("fragment of 2^14+257 bytes: %v, want record_overflow", err)
	}
}

// TestOpen13EmptyContent: the smallest TLS 1.3 record, a TLSInnerPlaintext
// of the content type alone (a fragment of tag + 1 bytes), opens to that
// type and no content, with or without padding after it; a fragment of the
// tag alone has no room for a content type and is bad_record_mac before any
// decryption, even when it authenticates.
//
// spec: rfc8446#5.2 (TLSInnerPlaintext: content, type, zeros), rfc8446#5.4
func TestOpen13EmptyContent(t *testing.T) {
	p := protection13(t, aeadMakers[1])
	for _, inner := range [][]byte{{byte(ApplicationData)}, {byte(Handshake), 0, 0}} {
		rec := sealInner13(t, 3, inner)
		typ, pt, err := p.open13(3, rec[:HeaderLen], rec[HeaderLen:])
		if err != nil || typ != ContentType(inner[0]) || len(pt) != 0 {
			t.Errorf("inner plaintext %x (fragment of %d bytes): type %v, content %x, %v", inner, len(rec)-HeaderLen, typ, pt, err)
		}
	}
	rec := sealInner13(t, 3, nil)
	if _, _, err := p.open13(3, rec[:HeaderLen], rec[HeaderLen:]); alertOf(t, err) != BadRecordMAC ||
		!strings.Contains(err.Error(), "shorter than a content type and a tag") {
		t.Errorf("fragment of the tag alone: %v, want bad_record_mac for a short fragment", err)
	}
}

// TestReaderLastBytesWithEOF: io.Reader allows a Read to return the last bytes
// of the stream together with io.EOF; the record they complete is returned,
// and io.EOF comes with the next call.
//
// spec: rfc5246#6.2.1
func TestReaderLastBytesWithEOF(t *testing.T) {
	rec := rawRecord(Handshake, VersionTLS12, hsMsg(14, nil))
	for _, sizes := range [][]int{{len(rec)}, {HeaderLen, 4}, {1}} {
		r := NewReader(&eofReader{chunkReader{data: rec, sizes: sizes}})
		if _, got, err := r.Next(); err != nil || !bytes.Equal(got, rec) {
			t.Fatalf("reads of %v, the last with io.EOF: %x, %v", sizes, got, err)
		}
		if _, _, err := r.Next(); err != io.EOF {
			t.Fatalf("after the record: %v, want io.EOF", err)
		}
	}
}

// eofReader is a chunkReader that returns io.EOF with the read that empties it.
type eofReader struct{ chunkReader }

func (r *eofReader) Read(p []byte) (int, error) {
	n, err := r.chunkReader.Read(p)
	if len(r.data) == 0 {
		err = io.EOF
	}
	return n, err
}

// TestReaderInvalidCount: a transport that claims to have read more than the
// buffer it was given is an error, not a panic, also when part of a record
// is already buffered.
func TestReaderInvalidCount(t *testing.T) {
	rec := rawRecord(Handshake, VersionTLS12, hsMsg(14, nil))
	for _, first := range []int{0, 3, HeaderLen + 1} {
		r := NewReader(&liarReader{data: rec[:first]})
		if _, _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "invalid count") {
			t.Fatalf("count len(p)+1 after %d good bytes: %v, want the invalid count error", first, err)
		}
	}
}

// liarReader returns data, then claims len(p)+1 bytes.
type liarReader struct{ data []byte }

func (r *liarReader) Read(p []byte) (int, error) {
	if len(r.data) > 0 {
		n := copy(p, r.data)
		r.data = r.data[n:]
		return n, nil
	}
	return len(p) + 1, nil
}

// TestSealInPlaceExactCapacity: a plaintext placed where its ciphertext goes,
// in a buffer with exactly the room the record needs, is encrypted in place:
// Seal returns the caller's buffer and allocates nothing.
//
// spec: rfc5288#3
func TestSealInPlaceExactCapacity(t *testing.T) {
	p := mustProtection(t, aeadMakers[1], testKey, testSalt)
	want := mustProtection(t, aeadMakers[1], testKey, testSalt).Seal(nil, 5, ApplicationData, VersionTLS12, []byte("attack at dawn"))
	const n = len("attack at dawn")
	buf := make([]byte, HeaderLen, HeaderLen+n+p.Overhead())
	var out []byte
	seal := func() {
		pt := buf[HeaderLen+ExplicitNonceLen : HeaderLen+ExplicitNonceLen+n]
		copy(pt, "attack at dawn")
		out = p.Seal(buf, 5, ApplicationData, VersionTLS12, pt)
	}
	if allocs := testing.AllocsPerRun(10, seal); allocs != 0 {
		t.Errorf("%v allocations sealing into a buffer of the exact size", allocs)
	}
	if &out[0] != &buf[:1][0] || !bytes.Equal(out[HeaderLen:], want) {
		t.Errorf("record not sealed in place in the caller's buffer: %x, want %x", out[HeaderLen:], want)
	}
}

// TestHandshakeTypeNames: errors name a handshake message by its RFC name,
// the first row of the table (hello_request, type 0) and the TLS 1.3-only
// types included; a type no table knows is named by its number. A refused
// HelloRequest says "hello_request".
//
// spec: rfc5246#7.4, rfc8446#4
func TestHandshakeTypeNames(t *testing.T) {
	for _, l := range handshakeLimits {
		if got := handshakeTypeName(l.typ); got != l.name {
			t.Errorf("type %d: %q, want %q", l.typ, got, l.name)
		}
	}
	for _, l := range handshakeLimits13 {
		if handshakeLimitIndex(l.typ) >= 0 {
			continue // TLS 1.2 and 1.3 share the name
		}
		if got := handshakeTypeName(l.typ); got != l.name {
			t.Errorf("TLS 1.3 type %d: %q, want %q", l.typ, got, l.name)
		}
	}
	if got := handshakeTypeName(99); got != "handshake_type(99)" {
		t.Errorf("type 99: %q", got)
	}
	c := readerConn(rawRecord(Handshake, VersionTLS12, hsMsg(0, nil)))
	c.SetRenegotiationRequest(0)
	if _, err := c.ReadApplicationData(make([]byte, 10)); !errors.Is(err, ErrRenegotiation) ||
		!strings.Contains(err.Error(), "(hello_request, 4 bytes)") {
		t.Errorf("HelloRequest after the handshake: %v, want it named hello_request", err)
	}
}

// TestReassemblyBufferKept: a reassembly buffer of up to two records
// (2*MaxPlaintext bytes, the bound included) is kept once its message is
// returned, for the next flight to reuse (only a larger one is released:
// TestLargeMessageBufferReleased).
//
// spec: rfc5246#6.2.1
func TestReassemblyBufferKept(t *testing.T) {
	for _, tc := range []struct{ size, preset int }{{50, 0}, {MaxPlaintext + 100, 0}, {MaxPlaintext + 100, 2 * MaxPlaintext}} {
		msg := hsMsg(1, pseudoBytes(4, tc.size))
		var wire bytes.Buffer
		if err := writerConn(&wire).WriteHandshake(msg); err != nil {
			t.Fatal(err)
		}
		c := readerConn(wire.Bytes())
		if tc.preset > 0 {
			c.in.hs = make([]byte, 0, tc.preset) // a buffer of exactly two records
		}
		if got, err := c.ReadHandshake(); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("%d-byte message: %v", len(msg), err)
		}
		if n := cap(c.in.hs); n < len(msg) {
			t.Errorf("%d-byte message: the reassembly buffer keeps %d bytes, want it kept whole", len(msg), n)
		}
	}
}

// TestOpenShortFragmentText: a TLS 1.2 protected fragment too short to hold
// the explicit nonce and the tag is bad_record_mac, and the error states the
// size it has and the least it needs (8 + 16 for AES-GCM).
//
// spec: rfc5288#3, rfc5246#6.2.3.3
func TestOpenShortFragmentText(t *testing.T) {
	p := mustProtection(t, aeadMakers[1], testKey, testSalt)
	_, err := p.Open(nil, 0, ApplicationData, VersionTLS12, make([]byte, 23))
	if alertOf(t, err) != BadRecordMAC || !strings.Contains(err.Error(), "fragment of 23 bytes is shorter than nonce and tag (24)") {
		t.Errorf("23-byte fragment: %v", err)
	}
}
