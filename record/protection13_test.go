package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"pgregory.net/rapid"
)

var testIV13 = []byte("twelve bytes")

// protection13 returns a TLS 1.3 Protection with the test key for maker m.
func protection13(tb tb, m aeadMaker) *Protection {
	tb.Helper()
	a, err := m.make(testKey)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := NewProtection13(a, testIV13)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// sealInner13 builds a TLS 1.3 record by hand around an arbitrary
// TLSInnerPlaintext (content, type, padding) with the standard library's
// AEAD: nonce = IV XOR seq, additional data = the header.
func sealInner13(tb tb, seq uint64, inner []byte) []byte {
	a, err := aeadMakers[0].make(testKey)
	if err != nil {
		tb.Fatal(err)
	}
	nonce := append([]byte{}, testIV13...)
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], seq)
	for i := range s {
		nonce[4+i] ^= s[i]
	}
	hdr := Header{Type: ApplicationData, Version: VersionTLS12, Length: len(inner) + a.Overhead()}.Append(nil)
	return a.Seal(hdr, nonce, inner, hdr)
}

// TestProtection13Wire: what minitls seals is, byte for byte, the record
// built by hand with the standard library's AES-GCM (nonce = IV XOR seq,
// header as additional data, the real type after the content), for any
// content, type and sequence number; and minitls opens it back.
//
// spec: rfc8446#5.2, rfc8446#5.3
func TestProtection13Wire(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				p := protection13(t, m)
				seq := rapid.Uint64Range(0, 1<<40).Draw(t, "seq")
				typ := rapid.SampledFrom([]ContentType{Handshake, Alert, ApplicationData}).Draw(t, "type")
				content := rapid.SliceOfN(rapid.Byte(), 1, 600).Draw(t, "content")
				got := p.seal13(nil, seq, typ, content)
				want := sealInner13(t, seq, append(append([]byte{}, content...), byte(typ)))
				if !bytes.Equal(got, want) {
					t.Fatalf("sealed record differs from the hand-built one")
				}
				gotType, pt, err := p.open13(seq, got[:HeaderLen], got[HeaderLen:])
				if err != nil || gotType != typ || !bytes.Equal(pt, content) {
					t.Fatalf("open: %v %v %x", err, gotType, pt)
				}
			})
		})
	}
}

// TestOpen13Rules: padding is removed; an all-zero TLSInnerPlaintext is
// unexpected_message; an inner plaintext over 2^14+1 bytes or a fragment over
// 2^14+256 is record_overflow; a wrong sequence number is bad_record_mac.
//
// spec: rfc8446#5.2, rfc8446#5.4
func TestOpen13Rules(t *testing.T) {
	p := protection13(t, aeadMakers[1])
	rec := sealInner13(t, 7, append([]byte("hello"), byte(Handshake), 0, 0, 0, 0))
	typ, pt, err := p.open13(7, rec[:HeaderLen], rec[HeaderLen:])
	if err != nil || typ != Handshake || string(pt) != "hello" {
		t.Fatalf("padded record: %v %v %q", err, typ, pt)
	}
	for _, c := range []struct {
		name string
		seq  uint64
		rec  []byte
		want AlertDescription
	}{
		{"all zeros", 0, sealInner13(t, 0, make([]byte, 40)), UnexpectedMessage},
		{"inner plaintext 2^14+2", 0, sealInner13(t, 0, append(make([]byte, MaxPlaintext+1), byte(ApplicationData))), RecordOverflow},
		{"fragment over 2^14+256", 0, sealInner13(t, 0, append(make([]byte, MaxPlaintext+250), 23)), RecordOverflow},
		{"wrong sequence number", 8, sealInner13(t, 7, []byte{1, byte(Handshake)}), BadRecordMAC},
	} {
		_, _, err := p.open13(c.seq, c.rec[:HeaderLen], c.rec[HeaderLen:])
		if got := alertOf(t, err); got != c.want {
			t.Errorf("%s: alert %v, want %v (%v)", c.name, got, c.want, err)
		}
	}
}

// TestConn13: through a Conn, a TLS 1.3 protected record must say
// application_data (a plaintext handshake record once keys are on is
// unexpected_message), the dummy ChangeCipherSpec is dropped only while
// SetCompatCCS is on and only as the byte 01, and a key change inside a
// handshake message is unexpected_message.
//
// spec: rfc8446#5, rfc8446#5.1, rfc8446#D.4
func TestConn13(t *testing.T) {
	ccs := rawRecord(ChangeCipherSpec, VersionTLS12, []byte{1})
	msg := hsMsg(20, make([]byte, 32))
	protected := sealInner13(t, 0, append(append([]byte{}, msg...), byte(Handshake)))
	read := func(compat bool, data ...[]byte) error {
		c := readerConn(bytes.Join(data, nil))
		if err := c.SetReadKeys13(protection13(t, aeadMakers[1])); err != nil {
			t.Fatal(err)
		}
		c.SetPostHandshake()
		c.SetCompatCCS(compat)
		got, err := c.ReadHandshakeOf(20)
		if err == nil && !bytes.Equal(got, msg) {
			t.Fatalf("read %x", got)
		}
		return err
	}
	if err := read(true, ccs, protected); err != nil {
		t.Errorf("dummy ChangeCipherSpec during the handshake: %v", err)
	}
	if got := alertOf(t, read(false, ccs, protected)); got != UnexpectedMessage {
		t.Errorf("ChangeCipherSpec after the peer's Finished: %v", got)
	}
	if got := alertOf(t, read(true, rawRecord(ChangeCipherSpec, VersionTLS12, []byte{2}), protected)); got != UnexpectedMessage {
		t.Errorf("ChangeCipherSpec 02: %v", got)
	}
	if got := alertOf(t, read(true, ccs, ccs, ccs, protected)); got != UnexpectedMessage {
		t.Errorf("three dummy ChangeCipherSpecs: %v", got)
	}
	if got := alertOf(t, read(true, rawRecord(Handshake, VersionTLS12, msg))); got != UnexpectedMessage {
		t.Errorf("plaintext handshake record under TLS 1.3 keys: %v", got)
	}

	// A message and half of the next in one record, then a key change.
	c := readerConn(rawRecord(Handshake, VersionTLS12, append(append([]byte{}, msg...), msg[:10]...)))
	c.SetPostHandshake()
	if _, err := c.ReadHandshakeOf(20); err != nil {
		t.Fatal(err)
	}
	if got := alertOf(t, c.SetReadKeys13(protection13(t, aeadMakers[1]))); got != UnexpectedMessage {
		t.Errorf("key change inside a message: %v", got)
	}
}

// TestAlerts13: under TLS 1.3 (SetPostHandshake), a warning no_renegotiation
// is an error alert, while user_canceled at warning level is still survived;
// under TLS 1.2 both warnings are survived.
//
// spec: rfc8446#6 ("All the alerts listed in Section 6.2 MUST be sent with
// AlertLevel=fatal and MUST be treated as error alerts when received
// regardless of the AlertLevel in the message."), rfc8446#6.1
func TestAlerts13(t *testing.T) {
	data := func(desc AlertDescription) []byte {
		return append(rawRecord(Alert, VersionTLS12, []byte{byte(Warning), byte(desc)}),
			rawRecord(ApplicationData, VersionTLS12, []byte("x"))...)
	}
	for _, c := range []struct {
		tls13 bool
		desc  AlertDescription
		fails bool
	}{
		{false, NoRenegotiation, false}, {false, UserCanceled, false},
		{true, NoRenegotiation, true}, {true, UserCanceled, false},
	} {
		conn := readerConn(data(c.desc))
		if c.tls13 {
			conn.SetPostHandshake()
		}
		_, err := conn.ReadApplicationData(make([]byte, 4))
		var are *AlertReceivedError
		if got := errors.As(err, &are); got != c.fails {
			t.Errorf("TLS 1.3 %v, warning %v: %v", c.tls13, c.desc, err)
		}
	}
}
