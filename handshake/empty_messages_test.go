package handshake

import (
	"testing"

	"minitls/record"
)

// TestEmptyMessagesRejectBody: HelloRequest and ServerHelloDone have empty
// bodies, so their parsers take exactly the 4-byte header and refuse any
// body byte with decode_error (the record layer's bound for these types is
// also 0, so a handshake never reaches the parser with one; ParseMessage,
// the fuzz targets and a learner decoding bytes by hand do).
//
// spec: rfc5246#7.4.1.1 ("struct { } HelloRequest;"), rfc5246#7.4.5
// ("struct { } ServerHelloDone;"), rfc5246#7.2.2 decode_error
func TestEmptyMessagesRejectBody(t *testing.T) {
	for _, m := range []Message{&HelloRequest{}, &ServerHelloDone{}} {
		typ := byte(m.Type())
		empty := []byte{typ, 0, 0, 0}
		if err := m.Unmarshal(empty); err != nil {
			t.Errorf("%v with an empty body: %v", m.Type(), err)
		}
		for _, bad := range [][]byte{{typ, 0, 0, 1, 0}, {typ, 0, 0, 0, 0}, {typ, 0, 0}} {
			err := m.Unmarshal(bad)
			if alert, ok := alertFor(err); !ok || alert != record.DecodeError {
				t.Errorf("%v %x: %v (alert %v), want decode_error", m.Type(), bad, err, alert)
			}
			if _, err := ParseMessage(bad); err == nil {
				t.Errorf("ParseMessage(%x) accepted it", bad)
			}
		}
	}
}
