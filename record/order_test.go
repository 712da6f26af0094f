package record

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// TestOutOfOrderBeforeLength: a known handshake type that the caller does not
// expect is unexpected_message from its header alone, even when its length is
// also wrong for its type (rfc5246#7.4: "any other order is an
// unexpected_message"); an expected type with a wrong length stays
// decode_error.
func TestOutOfOrderBeforeLength(t *testing.T) {
	hs := func(p []byte) []byte { return rawRecord(Handshake, VersionTLS12, p) }
	cases := []struct {
		name     string
		msg      []byte
		expected []uint8
		want     AlertDescription
		cause    error
	}{
		// The first message at a server must be a ClientHello.
		{"hello_request with a body first", hsMsg(0, make([]byte, 60)), []uint8{1}, UnexpectedMessage, ErrUnexpectedHandshake},
		{"server_hello_done with a body first", hsMsg(14, make([]byte, 60)), []uint8{1}, UnexpectedMessage, ErrUnexpectedHandshake},
		{"finished of 60 bytes first", hsMsg(20, make([]byte, 60)), []uint8{1}, UnexpectedMessage, ErrUnexpectedHandshake},
		// A Finished in place of ClientKeyExchange, with the length of one.
		{"finished of 258 bytes for client_key_exchange", hsMsg(20, make([]byte, 258)), []uint8{16}, UnexpectedMessage, ErrUnexpectedHandshake},
		{"certificate over the bound, not expected", []byte{11, 0xff, 0xff, 0xff}, []uint8{2}, UnexpectedMessage, ErrUnexpectedHandshake},
		// The expected type with a length its grammar forbids.
		{"finished of 13 bytes, expected", hsMsg(20, make([]byte, 13)), []uint8{20}, DecodeError, ErrHandshakeTooLong},
		{"server_hello_done with a body, expected", hsMsg(14, []byte{0}), []uint8{13, 14}, DecodeError, ErrHandshakeTooLong},
		{"unknown type", hsMsg(99, nil), []uint8{1}, UnexpectedMessage, ErrUnknownHandshakeType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Only the header arrives: the verdict may not wait for the body.
			c := readerConn(hs(tc.msg[:4]))
			_, err := c.ReadHandshakeOf(tc.expected...)
			if alertOf(t, err) != tc.want || !errors.Is(err, tc.cause) {
				t.Fatalf("got %v, want %v (%v)", err, tc.want, tc.cause)
			}
		})
	}
	// The expected type at its bound is returned.
	fin := hsMsg(20, make([]byte, 12))
	if got, err := readerConn(hs(fin)).ReadHandshakeOf(16, 20); err != nil || !bytes.Equal(got, fin) {
		t.Fatalf("expected Finished: %x, %v", got, err)
	}
}

// TestHelloRequestDuringHandshake: a client may receive a HelloRequest
// while it negotiates, whatever it expects, to ignore it (rfc5246#7.4.1.1),
// MaxConsecutiveRenegotiationRequests of them; the next is
// unexpected_message. A server never accepts one.
func TestHelloRequestDuringHandshake(t *testing.T) {
	hr := rawRecord(Handshake, VersionTLS12, hsMsg(0, nil))
	serverHello := hsMsg(2, make([]byte, 70))
	sh := rawRecord(Handshake, VersionTLS12, serverHello)
	n := MaxConsecutiveRenegotiationRequests
	t.Run("client: up to the bound", func(t *testing.T) {
		c := readerConn(recs(bytes.Repeat(hr, n), sh))
		c.SetRenegotiationRequest(0)
		for i := range n {
			if got, err := c.ReadHandshakeOf(2); err != nil || !bytes.Equal(got, hsMsg(0, nil)) {
				t.Fatalf("HelloRequest %d: %x, %v", i+1, got, err)
			}
		}
		if got, err := c.ReadHandshakeOf(2); err != nil || !bytes.Equal(got, serverHello) {
			t.Fatalf("after %d HelloRequests: %v", n, err)
		}
	})
	t.Run("client: one more", func(t *testing.T) {
		c := readerConn(recs(bytes.Repeat(hr, n+1), sh))
		c.SetRenegotiationRequest(0)
		var err error
		for range n + 1 {
			if _, err = c.ReadHandshakeOf(2); err != nil {
				break
			}
		}
		if alertOf(t, err) != UnexpectedMessage {
			t.Fatalf("after %d HelloRequests: %v, want unexpected_message", n+1, err)
		}
	})
	t.Run("client: HelloRequest with a body", func(t *testing.T) {
		c := readerConn(recs(rawRecord(Handshake, VersionTLS12, hsMsg(0, []byte{0})), sh))
		c.SetRenegotiationRequest(0)
		if _, err := c.ReadHandshakeOf(2); alertOf(t, err) != DecodeError {
			t.Fatalf("got %v, want decode_error", err)
		}
	})
	t.Run("server", func(t *testing.T) {
		c := readerConn(recs(hr, sh))
		c.SetRenegotiationRequest(1)
		if _, err := c.ReadHandshakeOf(1); alertOf(t, err) != UnexpectedMessage {
			t.Fatalf("got %v, want unexpected_message", err)
		}
	})
}

// TestRenegotiationOnlyRequests: after the handshake, only the renegotiation
// request of this side (HelloRequest at a client, ClientHello at a server)
// is refused with no_renegotiation; any other handshake message is a fatal
// unexpected_message; and the requests are bounded unless application data
// comes between them.
func TestRenegotiationOnlyRequests(t *testing.T) {
	hs := func(p []byte) []byte { return rawRecord(Handshake, VersionTLS12, p) }
	app := rawRecord(ApplicationData, VersionTLS12, []byte("x"))
	hello := hs(hsMsg(1, make([]byte, 50)))
	request := hs(hsMsg(0, nil))
	for _, side := range []struct {
		name    string
		typ     uint8
		request []byte
		others  [][]byte
	}{
		{"client", 0, request, [][]byte{hello, hs(hsMsg(20, make([]byte, 12))), hs(hsMsg(2, make([]byte, 70))), hs(hsMsg(4, make([]byte, 6)))}},
		{"server", 1, hello, [][]byte{request, hs(hsMsg(20, make([]byte, 12))), hs(hsMsg(16, make([]byte, 10))), hs(hsMsg(11, make([]byte, 3)))}},
	} {
		t.Run(side.name+"/request refused", func(t *testing.T) {
			c := readerConn(recs(side.request, app))
			c.SetRenegotiationRequest(side.typ)
			_, err := c.ReadApplicationData(make([]byte, 1))
			if alertOf(t, err) != NoRenegotiation || !errors.Is(err, ErrRenegotiation) {
				t.Fatalf("got %v, want no_renegotiation", err)
			}
			if b, err := io.ReadAll(io.LimitReader(appReader{c}, 1)); err != nil || string(b) != "x" {
				t.Fatalf("data after the request: %q %v", b, err)
			}
		})
		for _, other := range side.others {
			t.Run(side.name+"/"+handshakeTypeName(other[HeaderLen]), func(t *testing.T) {
				c := readerConn(recs(other, app))
				c.SetRenegotiationRequest(side.typ)
				_, err := c.ReadApplicationData(make([]byte, 1))
				if alertOf(t, err) != UnexpectedMessage || !errors.Is(err, ErrUnexpectedHandshake) {
					t.Fatalf("got %v, want unexpected_message", err)
				}
				if _, again := c.ReadApplicationData(make([]byte, 1)); again != err {
					t.Fatalf("not permanent: then %v", again)
				}
			})
		}
		t.Run(side.name+"/bounded", func(t *testing.T) {
			n := MaxConsecutiveRenegotiationRequests
			c := readerConn(recs(bytes.Repeat(side.request, n+1), app))
			c.SetRenegotiationRequest(side.typ)
			for i := range n + 1 {
				_, err := c.ReadApplicationData(make([]byte, 1))
				want := NoRenegotiation
				if i == n {
					want = UnexpectedMessage
				}
				if alertOf(t, err) != want {
					t.Fatalf("request %d: %v, want %v", i+1, err, want)
				}
			}
		})
		t.Run(side.name+"/application data resets the bound", func(t *testing.T) {
			n := 3 * MaxConsecutiveRenegotiationRequests
			c := readerConn(recs(bytes.Repeat(recs(side.request, app), n)))
			c.SetRenegotiationRequest(side.typ)
			for i := range n {
				if _, err := c.ReadApplicationData(make([]byte, 1)); alertOf(t, err) != NoRenegotiation {
					t.Fatalf("request %d: %v", i+1, err)
				}
				if _, err := c.ReadApplicationData(make([]byte, 1)); err != nil {
					t.Fatalf("data %d: %v", i+1, err)
				}
			}
		})
	}
}

// TestWarningErrorAlerts: at warning level, only close_notify, user_canceled
// and no_renegotiation are survived; every other description, known or not,
// ends the connection as a fatal alert would (rfc5246#7.2.2, rfc8446#6), and
// AlertFor says not to answer it.
func TestWarningErrorAlerts(t *testing.T) {
	survivable := map[AlertDescription]bool{CloseNotify: true, UserCanceled: true, NoRenegotiation: true}
	descs := []AlertDescription{200, 255}
	for _, a := range alertTable {
		descs = append(descs, a.desc)
	}
	for _, d := range descs {
		stream := recs(rawRecord(Alert, VersionTLS12, []byte{byte(Warning), byte(d)}),
			rawRecord(ApplicationData, VersionTLS12, []byte("x")))
		c := readerConn(stream)
		n, err := c.ReadApplicationData(make([]byte, 1))
		switch {
		case d == CloseNotify:
			if err != io.EOF {
				t.Errorf("warning close_notify: %v, want io.EOF", err)
			}
		case survivable[d]:
			if err != nil || n != 1 {
				t.Errorf("warning %v: %d, %v; want the data after it", d, n, err)
			}
		default:
			var are *AlertReceivedError
			if !errors.As(err, &are) || are.Description != d || are.Level != Warning {
				t.Errorf("warning %v: %v, want it received as an error alert", d, err)
				continue
			}
			if _, _, send := AlertFor(err); send {
				t.Errorf("warning %v: AlertFor says to answer it", d)
			}
			if _, again := c.ReadApplicationData(make([]byte, 1)); again != err {
				t.Errorf("warning %v: not permanent: then %v", d, again)
			}
		}
	}
	// In the middle of a handshake message, an error alert at warning level
	// is reported as itself, not as unexpected_message.
	c := readerConn(recs(rawRecord(Handshake, VersionTLS12, hsMsg(1, make([]byte, 50))[:10]),
		rawRecord(Alert, VersionTLS12, []byte{byte(Warning), byte(HandshakeFailure)})))
	var are *AlertReceivedError
	if _, err := c.ReadHandshake(); !errors.As(err, &are) || are.Description != HandshakeFailure {
		t.Fatalf("warning handshake_failure inside a message: %v", err)
	}
}

// TestLargeMessageBufferReleased: once a message larger than two records
// has been returned, the reassembly buffer does not keep its size for the
// life of the connection.
func TestLargeMessageBufferReleased(t *testing.T) {
	big := hsMsg(1, pseudoBytes(3, 100000))
	var wire bytes.Buffer
	if err := writerConn(&wire).WriteHandshake(big); err != nil {
		t.Fatal(err)
	}
	c := readerConn(wire.Bytes())
	if got, err := c.ReadHandshake(); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("%d-byte message: %v", len(big), err)
	}
	if n := cap(c.in.hs); n > 2*MaxPlaintext {
		t.Fatalf("the reassembly buffer keeps %d bytes after the message was returned", n)
	}
}
