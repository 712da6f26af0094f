package record

import (
	"errors"
	"fmt"
	"io"
)

// ContentType is the first byte of every record: which higher-level protocol
// the fragment belongs to. The record layer needs it to know how to treat the
// fragment (reassemble handshake messages, parse alerts, switch keys at
// ChangeCipherSpec, hand application data to the user).
//
//	enum {
//	    change_cipher_spec(20), alert(21), handshake(22),
//	    application_data(23), (255)
//	} ContentType;
//
// spec: rfc5246#6.2.1
type ContentType uint8

// The four content types of TLS 1.2. Any other value in a received record is
// unexpected_message (rfc5246#6: "If a TLS implementation receives an unexpected
// record type, it MUST send an unexpected_message alert").
//
// spec: rfc5246#6.2.1
const (
	ChangeCipherSpec ContentType = 20
	Alert            ContentType = 21
	Handshake        ContentType = 22
	ApplicationData  ContentType = 23
)

// String returns the RFC name of t, or its value in hex if TLS 1.2 does not
// define it.
//
// spec: rfc5246#6.2.1
func (t ContentType) String() string {
	switch t {
	case ChangeCipherSpec:
		return "change_cipher_spec"
	case Alert:
		return "alert"
	case Handshake:
		return "handshake"
	case ApplicationData:
		return "application_data"
	}
	return fmt.Sprintf("content_type(0x%02x)", uint8(t))
}

// Valid reports whether t is one of the four content types of TLS 1.2.
//
// spec: rfc5246#6.2.1
func (t ContentType) Valid() bool {
	return t >= ChangeCipherSpec && t <= ApplicationData
}

// Protocol versions as they appear in the record header ({major, minor}).
// minitls speaks only TLS 1.2, but a ClientHello record may carry 0x0301 (many
// clients use it so old servers accept the hello), and the reader accepts any
// 0x03xx before the version is negotiated.
//
// spec: rfc5246#6.2.1
// spec: rfc5246#E.1
const (
	VersionTLS10 = 0x0301
	VersionTLS11 = 0x0302
	VersionTLS12 = 0x0303
)

// Sizes of the record layer. MaxPlaintext bounds a plaintext fragment
// (TLSPlaintext.length and the decrypted TLSCiphertext); MaxCiphertext bounds a
// protected fragment as it travels (TLSCiphertext.length). Both are limits the
// RFC imposes on the receiver too: anything longer is record_overflow.
//
// spec: rfc5246#6.2.1
// spec: rfc5246#6.2.3
const (
	HeaderLen     = 5
	MaxPlaintext  = 1 << 14
	MaxCiphertext = 1<<14 + 2048
)

// Header is the 5-byte header in front of every record. The same header serves
// TLSPlaintext and TLSCiphertext; only the meaning of the fragment changes.
//
//	 0        1        2        3        4        5
//	+--------+--------+--------+--------+--------+------------------ - -
//	|  type  | major  | minor  |    length       |  fragment (length bytes)
//	| 20..23 |  0x03  |  0x03  |   big-endian    |
//	+--------+--------+--------+--------+--------+------------------ - -
//
//	struct {
//	    ContentType type;
//	    ProtocolVersion version;
//	    uint16 length;
//	    opaque fragment[TLSPlaintext.length];
//	} TLSPlaintext;
//
// The header is never encrypted, so its values are public; with an AEAD the
// type, version and plaintext length are nevertheless authenticated through the
// additional data (see Protection).
//
// spec: rfc5246#6.2.1
type Header struct {
	Type    ContentType
	Version uint16
	Length  int // length of the fragment that follows, 0..65535 on the wire
}

// Append appends the 5 header bytes to b. Length must fit in 16 bits; callers in
// this package never build longer records.
//
// spec: rfc5246#6.2.1
func (h Header) Append(b []byte) []byte {
	return append(b, byte(h.Type), byte(h.Version>>8), byte(h.Version), byte(h.Length>>8), byte(h.Length))
}

// ParseHeader decodes and checks the 5-byte header at the start of b. protected
// says whether the fragment is protected by an AEAD (then up to MaxCiphertext
// bytes are allowed and emptiness can only be judged after decryption) or is
// plaintext (up to MaxPlaintext, and handshake, alert and change_cipher_spec
// fragments must not be empty). The checks, in order:
//
//   - len(b) < 5: io.ErrUnexpectedEOF (not an alert: more bytes are needed);
//   - unknown content type: unexpected_message (rfc5246#6);
//   - major version not 3: decode_error (every TLS version is 0x03xx; a ClientHello
//     record may say 0x0301, rfc5246#E.1);
//   - length over the limit: record_overflow (rfc5246#6.2.1, #6.2.3);
//   - empty handshake/alert/change_cipher_spec plaintext: unexpected_message.
//
// spec: rfc5246#6.2.1
func ParseHeader(b []byte, protected bool) (Header, error) {
	if len(b) < HeaderLen {
		return Header{}, io.ErrUnexpectedEOF
	}
	h := Header{
		Type:    ContentType(b[0]),
		Version: uint16(b[1])<<8 | uint16(b[2]),
		Length:  int(b[3])<<8 | int(b[4]),
	}
	if !h.Type.Valid() {
		return h, NewError(UnexpectedMessage, "read record header",
			fmt.Errorf("%w: %v (only 20..23 exist in TLS 1.2; is the peer speaking TLS?)", ErrUnknownContentType, h.Type))
	}
	if h.Version>>8 != 3 {
		return h, NewError(DecodeError, "read record header",
			fmt.Errorf("%w: 0x%04x (TLS versions are 0x03xx; is the peer speaking TLS?)", ErrBadVersion, h.Version))
	}
	if protected {
		if h.Length > MaxCiphertext {
			return h, NewError(RecordOverflow, "read record header",
				fmt.Errorf("%w: protected fragment of %d bytes exceeds 2^14+2048", ErrOverflow, h.Length))
		}
		return h, nil
	}
	if h.Length > MaxPlaintext {
		return h, NewError(RecordOverflow, "read record header",
			fmt.Errorf("%w: plaintext fragment of %d bytes exceeds 2^14", ErrOverflow, h.Length))
	}
	if err := checkEmpty(h.Type, h.Length); err != nil {
		return h, err
	}
	return h, nil
}

// checkEmpty rejects an empty fragment of a type whose messages always carry
// bytes. rfc5246#6.2.1: "Implementations MUST NOT send zero-length fragments of
// Handshake, Alert, or ChangeCipherSpec content types." The RFC names no alert
// for receiving one; we use unexpected_message, as RFC 8446 §5.1 does for the
// same case. Empty application data is legal (a traffic-analysis
// countermeasure) and is handled with a bounded count in Conn.
func checkEmpty(t ContentType, n int) error {
	if n == 0 && t != ApplicationData {
		return NewError(UnexpectedMessage, "read record",
			fmt.Errorf("%w: empty %v fragment (the RFC forbids sending one)", ErrEmptyFragment, t))
	}
	return nil
}

// Causes wrapped in the *Error values of the framing layer, for errors.Is.
//
// spec: rfc5246#6.2.1
var (
	ErrUnknownContentType = errors.New("unknown record content type")
	ErrBadVersion         = errors.New("record version is not TLS")
	ErrOverflow           = errors.New("record too long")
	ErrEmptyFragment      = errors.New("empty fragment")
)

// Reader reads records, one per call to Next, from a byte stream. It owns one
// buffer of HeaderLen+MaxCiphertext bytes (allocated on first use, never
// grown), so no input can make it allocate more; it may read ahead of the
// current record to save system calls, and keeps what it read across calls.
//
// A transport error that is a timeout leaves the Reader intact: call Next again
// after extending the deadline and it resumes where it stopped.
//
// spec: rfc5246#6.2.1
type Reader struct {
	r          io.Reader
	buf        []byte
	start, end int // buf[start:end] is read but not yet returned
	protected  bool
}

// NewReader returns a Reader of the records in r. It starts in plaintext mode.
//
// spec: rfc5246#6.2.1
func NewReader(r io.Reader) *Reader {
	return &Reader{r: r}
}

// SetProtected selects the length limit for the records that follow: true once
// an AEAD protects the reading direction (fragments up to MaxCiphertext),
// false for plaintext (up to MaxPlaintext, no empty handshake, alert or
// change_cipher_spec fragments).
//
// spec: rfc5246#6.2.3
func (r *Reader) SetProtected(p bool) { r.protected = p }

// Buffered returns the number of bytes read from the transport and not yet
// returned as part of a record.
//
// spec: rfc5246#6.2.1
func (r *Reader) Buffered() int { return r.end - r.start }

// Next reads exactly one record. It returns the checked header and the whole
// record, header included: rec[:HeaderLen] is the header and rec[HeaderLen:] the
// fragment, exactly as on the wire. rec aliases the Reader's buffer and is
// valid only until the next call to Next; it may be modified in place (Conn
// decrypts there).
//
// Errors: io.EOF when the stream ends cleanly between records,
// io.ErrUnexpectedEOF when it ends inside one, an *Error carrying the alert for
// a bad header (see ParseHeader), or the transport's error.
//
// spec: rfc5246#6.2.1
func (r *Reader) Next() (Header, []byte, error) {
	if r.buf == nil {
		r.buf = make([]byte, HeaderLen+MaxCiphertext)
	}
	if err := r.fill(HeaderLen); err != nil {
		return Header{}, nil, err
	}
	h, err := ParseHeader(r.buf[r.start:r.end], r.protected)
	if err != nil {
		return h, nil, err
	}
	n := HeaderLen + h.Length
	if err := r.fill(n); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return h, nil, err
	}
	rec := r.buf[r.start : r.start+n : r.start+n]
	r.start += n
	if r.start == r.end {
		r.start, r.end = 0, 0
	}
	return h, rec, nil
}

// fill makes sure at least n (≤ len(buf)) unread bytes are buffered.
func (r *Reader) fill(n int) error {
	zeroReads := 0
	for r.end-r.start < n {
		if r.start+n > len(r.buf) {
			r.end = copy(r.buf, r.buf[r.start:r.end])
			r.start = 0
		}
		m, err := r.r.Read(r.buf[r.end:])
		if m < 0 || m > len(r.buf)-r.end {
			return errors.New("record: transport returned an invalid count from Read")
		}
		r.end += m
		if r.end-r.start >= n {
			return nil
		}
		if err != nil {
			if err == io.EOF && r.end > r.start {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if m == 0 {
			if zeroReads++; zeroReads >= 100 {
				return io.ErrNoProgress
			}
		} else {
			zeroReads = 0
		}
	}
	return nil
}
