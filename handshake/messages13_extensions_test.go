package handshake

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestTLS13MessageExtensionsRoundTrip: the extensions a TLS 1.3 Certificate
// entry carries (status_request's OCSP response, signed certificate
// timestamps) and those of a NewSessionTicket (early_data) are kept as
// received, in order, including an empty extension_data and one that fills
// the entry's extensions list to its 2-byte limit (65535 bytes); the
// message marshals back to the same bytes.
//
// spec: rfc8446#4.4.2 (CertificateEntry extensions), rfc8446#4.6.1
// (NewSessionTicket extensions)
func TestTLS13MessageExtensionsRoundTrip(t *testing.T) {
	exts := []Extension{
		{Type: 5, Data: []byte{1, 0, 0, 1, 0xaa}},             // status_request
		{Type: 18, Data: []byte{}},                            // signed_certificate_timestamp
		{Type: 0xfafa, Data: make([]byte, 1<<16-1-(4+5)-4-4)}, // fills the list to its last byte
	}
	for _, m := range []Message{
		&Certificate13{Context: []byte{}, Entries: []CertificateEntry{{Data: []byte{0x30, 0}, Extensions: exts}, {Data: []byte{0x30, 0}, Extensions: []Extension{}}}},
		&NewSessionTicket13{Lifetime: 60, AgeAdd: 7, Nonce: []byte{0}, Ticket: []byte("ticket"), Extensions: []Extension{{Type: ExtEarlyData, Data: []byte{0, 0, 0x40, 0}}, exts[2]}},
	} {
		wire := mustMarshal(t, m)
		got := newMessage13(m.Type(), 0)
		if err := got.Unmarshal(wire); err != nil {
			t.Fatalf("%T: %v", m, err)
		}
		if d := cmp.Diff(m, got, cmpopts.IgnoreFields(Certificate13{}, "Raw"), cmpopts.IgnoreFields(NewSessionTicket13{}, "Raw")); d != "" {
			t.Errorf("%T (-sent +parsed):\n%s", m, d)
		}
		if again := mustMarshal(t, got); !cmp.Equal(again, wire) {
			t.Errorf("%T does not marshal back to the bytes parsed", m)
		}
	}
}
