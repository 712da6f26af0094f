package record

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"testing"
)

// TestAlertNames checks every code against the name the RFCs give it (typed in
// from RFC 5246 §7.2, RFC 6066 §3, RFC 7301 §3.2, RFC 7507 §2 and RFC 8446 §6.2).
func TestAlertNames(t *testing.T) {
	rfc := map[uint8]string{
		0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed_RESERVED",
		22: "record_overflow", 30: "decompression_failure", 40: "handshake_failure", 41: "no_certificate_RESERVED",
		42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
		46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied",
		50: "decode_error", 51: "decrypt_error", 60: "export_restriction_RESERVED", 70: "protocol_version",
		71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
		100: "no_renegotiation", 110: "unsupported_extension", 112: "unrecognized_name", 120: "no_application_protocol",
		109: "missing_extension", 115: "unknown_psk_identity", 116: "certificate_required",
	}
	for code := 0; code < 256; code++ {
		d := AlertDescription(code)
		want, known := rfc[uint8(code)]
		if !known {
			want = fmt.Sprintf("alert(0x%02x)", code)
		}
		if got := d.String(); got != want {
			t.Errorf("AlertDescription(%d).String() = %q, want %q", code, got, want)
		}
		if known && (d.Spec() == "" || d.Meaning() == "unknown alert description") {
			t.Errorf("%v: no spec or meaning in the table", d)
		}
	}
	if len(alertTable) != len(rfc) {
		t.Errorf("table has %d rows, RFCs define %d", len(alertTable), len(rfc))
	}
	for _, d := range []AlertDescription{CloseNotify, UserCanceled, NoRenegotiation} {
		if d.Level() != Warning {
			t.Errorf("%v.Level() = %v, want warning", d, d.Level())
		}
	}
	for _, d := range []AlertDescription{BadRecordMAC, UnexpectedMessage, DecodeError, HandshakeFailure} {
		if d.Level() != Fatal {
			t.Errorf("%v.Level() = %v, want fatal", d, d.Level())
		}
	}
	if Warning.String() != "warning" || Fatal.String() != "fatal" || AlertLevel(3).String() != "alert_level(3)" {
		t.Error("AlertLevel names")
	}
	for typ, name := range map[ContentType]string{20: "change_cipher_spec", 21: "alert", 22: "handshake", 23: "application_data", 24: "content_type(0x18)"} {
		if typ.String() != name {
			t.Errorf("ContentType(%d).String() = %q, want %q", typ, typ.String(), name)
		}
	}
}

// TestParseAlert checks the alert wire format and its errors.
func TestParseAlert(t *testing.T) {
	tests := []struct {
		in    []byte
		level AlertLevel
		desc  AlertDescription
		alert AlertDescription // 255: no error
	}{
		{[]byte{1, 0}, Warning, CloseNotify, 255},
		{[]byte{2, 40}, Fatal, HandshakeFailure, 255},
		{[]byte{2, 255}, Fatal, 255, 255},
		{[]byte{2}, 0, 0, DecodeError},
		{[]byte{2, 40, 0}, 0, 0, DecodeError},
		{[]byte{2, 40, 2, 40}, 0, 0, DecodeError},
		{[]byte{0, 40}, 0, 0, IllegalParameter},
		{[]byte{3, 40}, 0, 0, IllegalParameter},
	}
	for _, tc := range tests {
		level, desc, err := ParseAlert(tc.in)
		if tc.alert != 255 {
			if got := alertOf(t, err); got != tc.alert {
				t.Errorf("ParseAlert(%x): alert %v, want %v", tc.in, got, tc.alert)
			}
			continue
		}
		if err != nil || level != tc.level || desc != tc.desc {
			t.Errorf("ParseAlert(%x) = %v, %v, %v; want %v, %v", tc.in, level, desc, err, tc.level, tc.desc)
		}
		if got := AppendAlert(nil, level, desc); string(got) != string(tc.in) {
			t.Errorf("AppendAlert = %x, want %x", got, tc.in)
		}
	}
}

// TestAlertFor checks the single error → alert mapping.
func TestAlertFor(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		send  bool
		level AlertLevel
		desc  AlertDescription
	}{
		{"nil", nil, false, 0, 0},
		{"record error", NewError(BadRecordMAC, "open", ErrBadRecordMAC), true, Fatal, BadRecordMAC},
		{"wrapped record error", fmt.Errorf("handshake: %w", NewError(DecodeError, "x", nil)), true, Fatal, DecodeError},
		{"renegotiation", NewError(NoRenegotiation, "read", ErrRenegotiation), true, Warning, NoRenegotiation},
		{"close_notify received", io.EOF, false, 0, 0},
		{"truncation", ErrTruncated, false, 0, 0},
		{"peer's fatal alert", &AlertReceivedError{Fatal, HandshakeFailure}, false, 0, 0},
		{"write side closed", ErrClosed, false, 0, 0},
		{"net closed", fmt.Errorf("write: %w", net.ErrClosed), false, 0, 0},
		{"deadline", os.ErrDeadlineExceeded, false, 0, 0},
		{"local failure", errors.New("out of entropy"), true, Fatal, InternalError},
	}
	for _, tc := range tests {
		level, desc, send := AlertFor(tc.err)
		if send != tc.send || level != tc.level || desc != tc.desc {
			t.Errorf("%s: AlertFor = %v %v %v, want %v %v %v", tc.name, level, desc, send, tc.level, tc.desc, tc.send)
		}
	}
}

// TestErrorMessages: errors name the operation, the cause and the alert, and
// errors.Is reaches the cause.
func TestErrorMessages(t *testing.T) {
	err := error(NewError(RecordOverflow, "read record header", fmt.Errorf("%w: 20000 bytes", ErrOverflow)))
	if got, want := err.Error(), "record: read record header: record too long: 20000 bytes (alert record_overflow)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrOverflow) {
		t.Error("errors.Is does not reach the cause")
	}
	are := &AlertReceivedError{Fatal, BadRecordMAC}
	if got, want := are.Error(), "record: peer sent fatal alert bad_record_mac (20): "+BadRecordMAC.Meaning(); got != want {
		t.Errorf("AlertReceivedError = %q, want %q", got, want)
	}
}
