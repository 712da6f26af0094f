package record

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// TestParseHeaderLimits checks every rule of ParseHeader at and around its
// limit, asserting the alert.
func TestParseHeaderLimits(t *testing.T) {
	hdr := func(typ byte, vers uint16, n int) []byte {
		return []byte{typ, byte(vers >> 8), byte(vers), byte(n >> 8), byte(n)}
	}
	tests := []struct {
		name      string
		b         []byte
		protected bool
		alert     AlertDescription // 255: no error
	}{
		{"handshake TLS1.2", hdr(22, 0x0303, 100), false, 255},
		{"ClientHello record version 0x0301", hdr(22, 0x0301, 100), false, 255},
		{"SSL3 version tolerated in framing", hdr(22, 0x0300, 100), false, 255},
		{"version 0x0201", hdr(22, 0x0201, 100), false, DecodeError},
		{"version 0x0403", hdr(22, 0x0403, 100), false, DecodeError},
		{"version 0x0000", hdr(23, 0x0000, 1), false, DecodeError},
		{"type 0", hdr(0, 0x0303, 1), false, UnexpectedMessage},
		{"type 19", hdr(19, 0x0303, 1), false, UnexpectedMessage},
		{"type 24 (heartbeat)", hdr(24, 0x0303, 1), false, UnexpectedMessage},
		{"type 0x80 (SSLv2 hello)", hdr(0x80, 0x0303, 1), false, UnexpectedMessage},
		{"plaintext 2^14", hdr(23, 0x0303, MaxPlaintext), false, 255},
		{"plaintext 2^14+1", hdr(23, 0x0303, MaxPlaintext+1), false, RecordOverflow},
		{"plaintext 65535", hdr(22, 0x0303, 65535), false, RecordOverflow},
		{"protected 2^14+1", hdr(23, 0x0303, MaxPlaintext+1), true, 255},
		{"protected 2^14+2048", hdr(23, 0x0303, MaxCiphertext), true, 255},
		{"protected 2^14+2049", hdr(23, 0x0303, MaxCiphertext+1), true, RecordOverflow},
		{"empty handshake", hdr(22, 0x0303, 0), false, UnexpectedMessage},
		{"empty alert", hdr(21, 0x0303, 0), false, UnexpectedMessage},
		{"empty change_cipher_spec", hdr(20, 0x0303, 0), false, UnexpectedMessage},
		{"empty application data", hdr(23, 0x0303, 0), false, 255},
		{"protected empty (judged after decryption)", hdr(22, 0x0303, 0), true, 255},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHeader(tc.b, tc.protected)
			if tc.alert == 255 {
				if err != nil {
					t.Fatalf("ParseHeader: %v", err)
				}
				want := Header{Type: ContentType(tc.b[0]), Version: uint16(tc.b[1])<<8 | uint16(tc.b[2]), Length: int(tc.b[3])<<8 | int(tc.b[4])}
				if diff := cmp.Diff(want, h); diff != "" {
					t.Fatalf("header (-want +got):\n%s", diff)
				}
				return
			}
			if got := alertOf(t, err); got != tc.alert {
				t.Fatalf("alert %v, want %v (err %v)", got, tc.alert, err)
			}
		})
	}
	if _, err := ParseHeader([]byte{22, 3, 3, 0}, false); err != io.ErrUnexpectedEOF {
		t.Fatalf("short header: %v, want io.ErrUnexpectedEOF", err)
	}
}

// TestReaderEnds checks how a stream may end: cleanly between records (io.EOF)
// or inside a record or header (io.ErrUnexpectedEOF).
func TestReaderEnds(t *testing.T) {
	rec := rawRecord(Handshake, VersionTLS12, []byte{1, 0, 0, 0})
	for cut := 0; cut <= len(rec); cut++ {
		r := NewReader(bytes.NewReader(rec[:cut]))
		_, got, err := r.Next()
		switch {
		case cut == 0:
			if err != io.EOF {
				t.Fatalf("cut %d: %v, want io.EOF", cut, err)
			}
		case cut < len(rec):
			if err != io.ErrUnexpectedEOF {
				t.Fatalf("cut %d: %v, want io.ErrUnexpectedEOF", cut, err)
			}
		default:
			if err != nil || !bytes.Equal(got, rec) {
				t.Fatalf("whole record: %x, %v", got, err)
			}
			if _, _, err := r.Next(); err != io.EOF {
				t.Fatalf("after the record: %v, want io.EOF", err)
			}
		}
	}
}

// timeoutErr is a transport timeout, as a net.Conn deadline produces.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// stutterReader returns one byte, then a timeout, then the next byte, ...
type stutterReader struct {
	data    []byte
	timeout bool
}

func (s *stutterReader) Read(p []byte) (int, error) {
	if s.timeout = !s.timeout; s.timeout {
		return 0, timeoutErr{}
	}
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	p[0] = s.data[0]
	s.data = s.data[1:]
	return 1, nil
}

// TestReaderTimeoutResumes: a timeout in the middle of a record loses nothing;
// calling Next again (after the caller extended its deadline) resumes.
func TestReaderTimeoutResumes(t *testing.T) {
	want := rawRecord(ApplicationData, VersionTLS12, []byte("hello"))
	r := NewReader(&stutterReader{data: want})
	timeouts := 0
	for {
		_, rec, err := r.Next()
		var te timeoutErr
		if errors.As(err, &te) {
			timeouts++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(rec, want) {
			t.Fatalf("record %x, want %x", rec, want)
		}
		break
	}
	if timeouts != len(want) {
		t.Fatalf("%d timeouts, want %d", timeouts, len(want))
	}
}

type rec struct {
	Type    ContentType
	Payload []byte
}

// drawRecords draws a sequence of records with legal plaintext payloads (up to
// 2^14 bytes, non-empty except application data).
func drawRecords(t *rapid.T) []rec {
	n := rapid.IntRange(0, 12).Draw(t, "records")
	out := make([]rec, n)
	for i := range out {
		typ := rapid.SampledFrom([]ContentType{ChangeCipherSpec, Alert, Handshake, ApplicationData}).Draw(t, "type")
		lo := 1
		if typ == ApplicationData {
			lo = 0
		}
		size := rapid.OneOf(rapid.IntRange(lo, 40), rapid.IntRange(lo, MaxPlaintext), rapid.Just(MaxPlaintext)).Draw(t, "size")
		out[i] = rec{typ, pseudoBytes(rapid.Uint64().Draw(t, "seed"), size)}
	}
	return out
}

// drawSizes draws the read sizes of the transport, 1 byte included.
func drawSizes(t *rapid.T) []int {
	return rapid.SliceOfN(rapid.OneOf(rapid.Just(1), rapid.IntRange(1, 7), rapid.IntRange(1, 40000)), 1, 8).Draw(t, "read sizes")
}

// TestPropRecordSequence: any sequence of (content type, payload) written
// through a Conn's record writer, in plaintext or protected, comes back the same
// from a Reader whose transport returns the bytes in reads of random sizes.
func TestPropRecordSequence(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				want := drawRecords(t)
				protected := rapid.Bool().Draw(t, "protected")
				var wire bytes.Buffer
				w := writerConn(&wire)
				var open *Protection
				if protected {
					w.out.active = mustProtection(t, m, testKey, testSalt)
					open = mustProtection(t, m, testKey, testSalt)
				}
				w.out.mu.Lock()
				for _, r := range want {
					if err := w.appendRecordLocked(r.Type, r.Payload); err != nil {
						t.Fatal(err)
					}
				}
				if err := w.flushLocked(); err != nil {
					t.Fatal(err)
				}
				w.out.mu.Unlock()

				rd := NewReader(&chunkReader{data: wire.Bytes(), sizes: drawSizes(t)})
				rd.SetProtected(protected)
				got := []rec{}
				for seq := uint64(0); ; seq++ {
					h, raw, err := rd.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("record %d: %v", seq, err)
					}
					payload := raw[HeaderLen:]
					if protected {
						if payload, err = open.Open(nil, seq, h.Type, h.Version, payload); err != nil {
							t.Fatalf("record %d: %v", seq, err)
						}
					}
					got = append(got, rec{h.Type, bytes.Clone(payload)})
				}
				if diff := diffRecs(want, got); diff != "" {
					t.Fatalf("records differ (-written +read):\n%s", diff)
				}
			})
		})
	}
}

// diffRecs compares record sequences; go-cmp walks 16 KiB payloads byte by
// byte, so equal sequences are recognized first with bytes.Equal.
func diffRecs(want, got []rec) string {
	if len(want) == len(got) {
		same := true
		for i := range want {
			same = same && want[i].Type == got[i].Type && bytes.Equal(want[i].Payload, got[i].Payload)
		}
		if same {
			return ""
		}
	}
	return cmp.Diff(want, got, cmpopts.EquateEmpty())
}
