package record

import (
	"bytes"
	"errors"
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
