package handshake

import (
	"encoding/hex"
	"fmt"
	"strconv"
)

// This file holds the two tools every message parser and serializer uses: a
// bounded reader and a length-prefixing builder, in the spirit of
// golang.org/x/crypto/cryptobyte but written for this package.
//
// The reader never indexes past its slice: every read checks the remaining
// length first, and a length-prefixed vector is read through a child reader
// of exactly that length, so a lying length field can only make a read fail,
// never reach into the next field. Errors are sticky and shared by a reader
// and all its children: after the first failure every read returns zero
// values, and the first reason is what the caller sees.
//
// The reader can also record every field it reads (offset, length, name and a
// printable value). Fields() on each message is nothing more than a parse of
// the marshalled bytes with recording switched on, so the trace explains
// exactly the bytes the parser looked at.
//
// spec: rfc5246#4 (presentation language: vectors carry a length prefix whose
// width follows from the ceiling of the vector).

// Field names one span of a marshalled handshake message for the trace.
// Offset and Length are in bytes from the start of the message, including its
// 4-byte handshake header.
//
// spec: rfc5246#7.4 (the handshake header), rfc5246#4
type Field struct {
	Offset, Length int
	Name           string
	Value          string
}

// reader is the bounded cursor over one message.
type reader struct {
	s    []byte   // the whole buffer being parsed (shared with children)
	off  int      // next unread byte, absolute in s
	end  int      // one past the last byte this reader may read
	err  *error   // shared sticky error
	rec  *[]Field // non-nil when recording fields for the trace
	what string   // context prefixed to error reasons, e.g. "ClientHello"
}

// newReader returns a reader over b. what names the structure for error text.
func newReader(b []byte, what string) *reader {
	var err error
	return &reader{s: b, end: len(b), err: &err, what: what}
}

// newRecordingReader is newReader that also appends one Field per read to rec.
func newRecordingReader(b []byte, what string, rec *[]Field) *reader {
	r := newReader(b, what)
	r.rec = rec
	return r
}

// fail records the first error; later failures are ignored so the reason
// names the first thing that went wrong.
func (r *reader) fail(format string, args ...any) {
	if *r.err == nil {
		*r.err = &ParseError{What: r.what, Reason: fmt.Sprintf(format, args...)}
	}
}

// failErr is fail with a ready error (kept as the first one).
func (r *reader) failErr(err error) {
	if *r.err == nil {
		*r.err = err
	}
}

// failed reports whether an error has been recorded.
func (r *reader) failed() bool { return *r.err != nil }

// remaining is the number of unread bytes of this reader.
func (r *reader) remaining() int {
	if r.failed() {
		return 0
	}
	return r.end - r.off
}

// empty reports whether all bytes of this reader have been consumed (or the
// parse has failed, which also ends every loop over it).
func (r *reader) empty() bool { return r.remaining() == 0 }

// take returns the next n bytes, or nil and an error if fewer remain.
func (r *reader) take(n int, name string) []byte {
	if r.failed() {
		return nil
	}
	if n < 0 || n > r.end-r.off {
		r.fail("%s: need %d bytes, only %d left", name, n, r.end-r.off)
		return nil
	}
	b := r.s[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}

// record appends a field for the n bytes just read.
func (r *reader) record(n int, name string, value func() string) {
	if r.rec == nil || r.failed() {
		return
	}
	*r.rec = append(*r.rec, Field{Offset: r.off - n, Length: n, Name: name, Value: value()})
}

// note replaces the value of the most recently recorded field, so a parser
// can print an enum by name: r.note(CipherSuite(v)). Without recording it
// costs one comparison.
func (r *reader) note(v fmt.Stringer) {
	if r.rec == nil || r.failed() || len(*r.rec) == 0 {
		return
	}
	(*r.rec)[len(*r.rec)-1].Value = v.String()
}

func (r *reader) uint(n int, name string) uint32 {
	b := r.take(n, name)
	if b == nil {
		return 0
	}
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	r.record(n, name, func() string { return strconv.FormatUint(uint64(v), 10) })
	return v
}

// u8, u16, u24 and u32 read big-endian integers of 1, 2, 3 and 4 bytes.
func (r *reader) u8(name string) uint8   { return uint8(r.uint(1, name)) }
func (r *reader) u16(name string) uint16 { return uint16(r.uint(2, name)) }
func (r *reader) u24(name string) uint32 { return r.uint(3, name) }
func (r *reader) u32(name string) uint32 { return r.uint(4, name) }

// bytes reads a fixed-length opaque field, e.g. Random random (32 bytes).
func (r *reader) bytes(n int, name string) []byte {
	b := r.take(n, name)
	if b == nil {
		return nil
	}
	r.record(n, name, func() string { return hex.EncodeToString(b) })
	return b
}

// vector reads a variable-length vector with a prefixWidth-byte length
// (1, 2 or 3) and returns a child reader over exactly its contents. The
// length must lie in [min, max] (the RFC's <floor..ceiling>); the bounds are
// enforced here so every caller states them.
func (r *reader) vector(prefixWidth int, min, max int, name string) *reader {
	c := r.vectorValue(prefixWidth, min, max, name)
	return &c
}

// vectorValue is vector returning the child reader by value, so that a loop
// over thousands of small vectors (the extensions of a hello) does not
// allocate a reader for each.
func (r *reader) vectorValue(prefixWidth int, min, max int, name string) reader {
	lengthName := name
	if r.rec != nil || r.end-r.off < prefixWidth {
		// The field's name is only needed to record it or to say why
		// the read failed; building it costs an allocation per vector.
		lengthName = name + " length"
	}
	n := int(r.uint(prefixWidth, lengthName))
	return r.subValue(n, min, max, name)
}

// sub returns a child reader over the next n bytes, whose length was just
// read from a prefix; n must lie in [min, max].
func (r *reader) sub(n, min, max int, name string) *reader {
	c := r.subValue(n, min, max, name)
	return &c
}

// subValue is sub returning the child reader by value.
func (r *reader) subValue(n, min, max int, name string) reader {
	if !r.failed() {
		if n < min || n > max {
			r.fail("%s: length %d outside <%d..%d>", name, n, min, max)
		} else if n > r.end-r.off {
			r.fail("%s: length %d but only %d bytes left", name, n, r.end-r.off)
		}
	}
	if r.failed() {
		return reader{s: r.s, off: r.off, end: r.off, err: r.err, rec: r.rec, what: r.what}
	}
	c := reader{s: r.s, off: r.off, end: r.off + n, err: r.err, rec: r.rec, what: r.what}
	r.off += n
	return c
}

// opaque reads a length-prefixed opaque vector (opaque x<min..max>) and
// returns its bytes.
func (r *reader) opaque(prefixWidth int, min, max int, name string) []byte {
	c := r.vector(prefixWidth, min, max, name)
	if r.failed() {
		return nil
	}
	return c.bytes(c.remaining(), name)
}

// finish requires that every byte has been consumed and returns the first
// error of the whole parse, if any. Leftover bytes are an error at every
// level: a vector whose elements do not fill it exactly is malformed.
func (r *reader) finish(name string) error {
	if !r.failed() && r.off != r.end {
		r.fail("%s: %d trailing bytes", name, r.end-r.off)
	}
	return *r.err
}

// builder serializes a message. Length-prefixed vectors are nested with
// vector(), which fills in the prefix afterwards and records an error if the
// contents do not fit the prefix or the RFC's bounds.
type builder struct {
	b   []byte
	err error
}

func (b *builder) u8(v uint8)   { b.b = append(b.b, v) }
func (b *builder) u16(v uint16) { b.b = append(b.b, byte(v>>8), byte(v)) }
func (b *builder) u24(v uint32) { b.b = append(b.b, byte(v>>16), byte(v>>8), byte(v)) }
func (b *builder) u32(v uint32) {
	b.b = append(b.b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}
func (b *builder) bytes(p []byte) { b.b = append(b.b, p...) }

// vector writes a prefixWidth-byte length and then whatever f writes; the
// length of f's output must lie in [min, max].
func (b *builder) vector(prefixWidth int, min, max int, name string, f func(*builder)) {
	start := len(b.b)
	for i := 0; i < prefixWidth; i++ {
		b.b = append(b.b, 0)
	}
	f(b)
	n := len(b.b) - start - prefixWidth
	limit := 1<<(8*uint(prefixWidth)) - 1
	if n > limit || n < min || n > max {
		if b.err == nil {
			b.err = &MarshalError{What: name, Reason: fmt.Sprintf("length %d outside <%d..%d>", n, min, max)}
		}
		return
	}
	for i := 0; i < prefixWidth; i++ {
		b.b[start+i] = byte(n >> (8 * uint(prefixWidth-1-i)))
	}
}

// opaque writes a length-prefixed opaque vector.
func (b *builder) opaque(prefixWidth int, min, max int, name string, p []byte) {
	b.vector(prefixWidth, min, max, name, func(b *builder) { b.bytes(p) })
}

// fail records a marshalling error (the first one wins).
func (b *builder) fail(what, reason string) {
	if b.err == nil {
		b.err = &MarshalError{What: what, Reason: reason}
	}
}

// result returns the built bytes or the first error.
func (b *builder) result() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	return b.b, nil
}

// ParseError says why bytes received from the peer are not a well-formed
// message. The handshake answers it with a decode_error alert, or
// illegal_parameter when Illegal is set (a well-formed field with a value
// the RFC forbids).
//
// spec: rfc5246#7.2.2 (decode_error, illegal_parameter)
type ParseError struct {
	What    string // the message or extension, e.g. "ClientHello"
	Reason  string // what was wrong, e.g. "cipher_suites: length 3 is odd"
	Illegal bool   // illegal_parameter rather than decode_error
}

// Error names the structure and the reason.
func (e *ParseError) Error() string {
	return "minitls/handshake: malformed " + e.What + ": " + e.Reason
}

// MarshalError says why a message could not be serialized: a field is too
// long for its length prefix or outside the RFC's bounds. It is a mistake in
// the caller's message (for example an ALPN protocol name of 300 bytes in
// Config.NextProtos), not something the peer did.
//
// spec: rfc5246#4.3 (vector bounds)
type MarshalError struct {
	What, Reason string
}

// Error names the field, the reason and the fix.
func (e *MarshalError) Error() string {
	return "minitls/handshake: cannot marshal " + e.What + ": " + e.Reason + "; shorten or remove that value"
}
