package record

import (
	"bytes"
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
