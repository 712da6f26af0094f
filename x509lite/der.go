package x509lite

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a strict DER reader (ITU-T X.690 §8 basic rules narrowed by
// the §10 distinguished rules). It is written in the spirit of cryptobyte: a
// reader holds the bytes not read yet, every read checks the remaining length
// first, a constructed value is read through a child reader of exactly its
// length, and a caller must call Finish to prove nothing was left over.
//
// What is refused, and why: DER gives every value exactly one encoding, so a
// second accepted encoding would let two parsers (ours and the signer's) see
// different certificates in the same signed bytes. Hence: no indefinite
// lengths (§10.1), lengths in the fewest octets (§10.1), no high-tag-number
// form (certificates never need tag numbers above 30), INTEGERs in the fewest
// octets (§8.3.2), BOOLEAN TRUE only as 0xFF (§11.1), BIT STRING padding bits
// zero (§11.2.1), times only in the RFC 5280 §4.1.2.5 profile.

// ErrMalformed is the sentinel behind every DER or structure error: the
// bytes are not a well-formed certificate (or key), so the right TLS alert
// is bad_certificate. Match it with errors.Is.
//
// spec: x690#10
var ErrMalformed = errors.New("malformed DER")

// SyntaxError describes where DER decoding failed and why. It wraps
// ErrMalformed.
//
// spec: x690#10.1
type SyntaxError struct {
	Field string // what was being read, e.g. "tbsCertificate.validity"
	Msg   string // what was wrong with it
}

// Error says which field failed to decode and why.
func (e *SyntaxError) Error() string {
	if e.Field == "" {
		return "x509lite: malformed DER: " + e.Msg
	}
	return "x509lite: malformed DER in " + e.Field + ": " + e.Msg
}

// Unwrap makes errors.Is(err, ErrMalformed) true.
func (e *SyntaxError) Unwrap() error { return ErrMalformed }

// Alert is bad_certificate (42): "a certificate was corrupt".
//
// spec: rfc5246#7.2.2
func (e *SyntaxError) Alert() uint8 { return AlertBadCertificate }

func syntaxErr(field, format string, args ...any) error {
	return &SyntaxError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Tag is a DER identifier octet in the low-tag-number form: class (bits 8-7),
// constructed flag (bit 6) and tag number 0..30 (bits 5-1). The high-tag-number
// form (number bits all ones) is rejected by the reader: nothing in an X.509
// certificate uses it.
//
// spec: x690#8.1.2
type Tag uint8

// Universal and composite tags used by certificates.
//
// spec: x680#8.4
const (
	TagBoolean         Tag = 0x01
	TagInteger         Tag = 0x02
	TagBitString       Tag = 0x03
	TagOctetString     Tag = 0x04
	TagNull            Tag = 0x05
	TagOID             Tag = 0x06
	TagUTF8String      Tag = 0x0c
	TagNumericString   Tag = 0x12
	TagPrintableString Tag = 0x13
	TagT61String       Tag = 0x14
	TagIA5String       Tag = 0x16
	TagUTCTime         Tag = 0x17
	TagGeneralizedTime Tag = 0x18
	TagBMPString       Tag = 0x1e
	TagSequence        Tag = 0x30
	TagSet             Tag = 0x31

	classContextSpecific Tag = 0x80
	constructedBit       Tag = 0x20
)

// ContextSpecific returns the tag [n] IMPLICIT of a primitive value (0x80|n).
//
// spec: x690#8.1.2.2
func ContextSpecific(n uint8) Tag { return classContextSpecific | Tag(n&0x1f) }

// ContextSpecificConstructed returns the tag [n] of a constructed value
// (0xa0|n), which is also the tag of every EXPLICIT [n] wrapper.
//
// spec: x690#8.14
func ContextSpecificConstructed(n uint8) Tag {
	return classContextSpecific | constructedBit | Tag(n&0x1f)
}

// Constructed reports whether the value's contents are themselves DER values.
//
// spec: x690#8.1.2.5
func (t Tag) Constructed() bool { return t&constructedBit != 0 }

// String names universal tags and prints others as [n] or in hex.
func (t Tag) String() string {
	switch t {
	case TagBoolean:
		return "BOOLEAN"
	case TagInteger:
		return "INTEGER"
	case TagBitString:
		return "BIT STRING"
	case TagOctetString:
		return "OCTET STRING"
	case TagNull:
		return "NULL"
	case TagOID:
		return "OBJECT IDENTIFIER"
	case TagUTF8String:
		return "UTF8String"
	case TagNumericString:
		return "NumericString"
	case TagPrintableString:
		return "PrintableString"
	case TagT61String:
		return "TeletexString"
	case TagIA5String:
		return "IA5String"
	case TagUTCTime:
		return "UTCTime"
	case TagGeneralizedTime:
		return "GeneralizedTime"
	case TagBMPString:
		return "BMPString"
	case TagSequence:
		return "SEQUENCE"
	case TagSet:
		return "SET"
	}
	if t&0xc0 == classContextSpecific {
		return "[" + strconv.Itoa(int(t&0x1f)) + "]"
	}
	return fmt.Sprintf("tag 0x%02x", uint8(t))
}

// maxDERLength caps any single length field. A certificate chain message is
// at most 2^24-1 bytes (rfc5246#7.4.2: opaque ASN.1Cert<1..2^24-1>), so
// nothing longer can be legitimate, and it is the most three length octets
// can say (the reader refuses four); the cap also keeps lengths inside an
// int on every platform.
const maxDERLength = 1<<24 - 1

// DERReader reads consecutive DER values from a byte slice without copying.
// The zero value is an empty reader. All methods fail (never panic) on
// truncated or non-DER input.
//
// spec: x690#10.1
type DERReader struct {
	b     []byte
	field string // name used in error messages
}

// NewDERReader returns a reader over b; field names the structure for errors.
//
// spec: x690#8.1.1
func NewDERReader(b []byte, field string) *DERReader {
	return &DERReader{b: b, field: field}
}

// Empty reports whether every byte was consumed.
func (r *DERReader) Empty() bool { return len(r.b) == 0 }

// Finish returns an error if bytes remain: in DER a structure ends exactly
// where its length says, so leftover bytes mean a malformed or forged value.
//
// spec: x690#8.1.1
func (r *DERReader) Finish() error {
	if len(r.b) != 0 {
		return syntaxErr(r.field, "%d trailing bytes", len(r.b))
	}
	return nil
}

// PeekTag returns the next tag without consuming it; ok is false at the end.
//
// spec: x690#8.1.2
func (r *DERReader) PeekTag() (tag Tag, ok bool) {
	if len(r.b) == 0 {
		return 0, false
	}
	return Tag(r.b[0]), true
}

// ReadElement reads the next tag-length-value. contents is the value octets
// and full the whole encoding (tag and length included), both aliasing the
// input.
//
// spec: x690#8.1.1
func (r *DERReader) ReadElement() (tag Tag, contents, full []byte, err error) {
	b := r.b
	if len(b) < 2 {
		return 0, nil, nil, syntaxErr(r.field, "truncated: need a tag and a length, have %d bytes", len(b))
	}
	tag = Tag(b[0])
	if tag&0x1f == 0x1f {
		return 0, nil, nil, syntaxErr(r.field, "high-tag-number form (0x%02x) is not used by X.509", b[0])
	}
	l0 := b[1]
	var length, hdr int
	switch {
	case l0 < 0x80: // short form, x690#8.1.3.4
		length, hdr = int(l0), 2
	case l0 == 0x80: // indefinite form is BER only, x690#10.1
		return 0, nil, nil, syntaxErr(r.field, "indefinite length is not DER")
	case l0 == 0xff:
		return 0, nil, nil, syntaxErr(r.field, "length octet 0xff is reserved")
	default: // long form, x690#8.1.3.5
		n := int(l0 & 0x7f)
		if n > 3 {
			return 0, nil, nil, syntaxErr(r.field, "length uses %d octets (limit 3: %d bytes)", n, maxDERLength)
		}
		if len(b) < 2+n {
			return 0, nil, nil, syntaxErr(r.field, "truncated length")
		}
		if b[2] == 0 {
			return 0, nil, nil, syntaxErr(r.field, "length has a leading zero octet (not minimal)")
		}
		for _, c := range b[2 : 2+n] {
			length = length<<8 | int(c)
		}
		if length < 0x80 {
			return 0, nil, nil, syntaxErr(r.field, "length %d in long form (DER requires the short form)", length)
		}
		hdr = 2 + n
	}
	if length > maxDERLength || length > len(b)-hdr {
		return 0, nil, nil, syntaxErr(r.field, "value of %d bytes overruns the %d available", length, len(b)-hdr)
	}
	full = b[:hdr+length]
	contents = b[hdr : hdr+length]
	r.b = b[hdr+length:]
	return tag, contents, full, nil
}

// Read reads the next value, which must carry tag want, and returns its
// contents.
//
// spec: x690#8.1.1
func (r *DERReader) Read(want Tag) ([]byte, error) {
	c, _, err := r.ReadWithFull(want)
	return c, err
}

// ReadWithFull is Read that also returns the whole encoding (for Raw fields
// and signature checks over exactly the bytes received).
//
// spec: rfc5280#4.1.1.1
func (r *DERReader) ReadWithFull(want Tag) (contents, full []byte, err error) {
	tag, ok := r.PeekTag()
	if !ok {
		return nil, nil, syntaxErr(r.field, "missing %v", want)
	}
	if tag != want {
		return nil, nil, syntaxErr(r.field, "found %v where %v was expected", tag, want)
	}
	_, contents, full, err = r.ReadElement()
	return contents, full, err
}

// ReadOptional reads the next value if it carries tag want.
//
// spec: x680#25
func (r *DERReader) ReadOptional(want Tag) (contents []byte, present bool, err error) {
	if tag, ok := r.PeekTag(); !ok || tag != want {
		return nil, false, nil
	}
	_, contents, _, err = r.ReadElement()
	return contents, err == nil, err
}

// ReadConstructed reads a value of tag want (SEQUENCE, SET, [n] EXPLICIT...)
// and returns a child reader over exactly its contents.
//
// spec: x690#8.1.1
func (r *DERReader) ReadConstructed(want Tag, field string) (*DERReader, error) {
	c, err := r.Read(want)
	if err != nil {
		return nil, err
	}
	return &DERReader{b: c, field: field}, nil
}

// ReadSequence reads a SEQUENCE and returns a reader over its contents.
//
// spec: x690#8.9
func (r *DERReader) ReadSequence(field string) (*DERReader, error) {
	return r.ReadConstructed(TagSequence, field)
}

// wholeSequence reads b as exactly one SEQUENCE, with nothing after it, and
// returns a reader over its contents: the shape of every extnValue, key and
// key-info blob that x509lite decodes.
//
// spec: x690#8.9
func wholeSequence(b []byte, field string) (*DERReader, error) {
	outer := NewDERReader(b, field)
	r, err := outer.ReadSequence(field)
	if err != nil {
		return nil, err
	}
	if err := outer.Finish(); err != nil {
		return nil, err
	}
	return r, nil
}

// ReadInteger reads an INTEGER and returns its two's-complement contents,
// checked to be minimal (x690#8.3.2: the first nine bits are not all equal).
//
// spec: x690#8.3
func (r *DERReader) ReadInteger() ([]byte, error) {
	c, err := r.Read(TagInteger)
	if err != nil {
		return nil, err
	}
	return c, checkInteger(c, r.field)
}

func checkInteger(c []byte, field string) error {
	if len(c) == 0 {
		return syntaxErr(field, "empty INTEGER")
	}
	if len(c) > 1 && (c[0] == 0 && c[1]&0x80 == 0 || c[0] == 0xff && c[1]&0x80 != 0) {
		return syntaxErr(field, "INTEGER is not minimally encoded")
	}
	return nil
}

// ReadUnsignedInteger reads a non-negative INTEGER and returns its magnitude,
// big-endian without leading zeros (empty for zero), the form cipher/rsa
// uses for key components.
//
// spec: x690#8.3
func (r *DERReader) ReadUnsignedInteger() ([]byte, error) {
	c, err := r.ReadInteger()
	if err != nil {
		return nil, err
	}
	if c[0]&0x80 != 0 {
		return nil, syntaxErr(r.field, "negative INTEGER where a non-negative one is required")
	}
	return trimLeadingZeros(c), nil
}

// trimLeadingZeros strips the sign octet of a non-negative INTEGER (and any
// zeros a caller-supplied magnitude starts with).
func trimLeadingZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// smallInt converts a big-endian magnitude to an int if it is below 2^31.
func smallInt(mag []byte) (int, bool) {
	mag = trimLeadingZeros(mag)
	if len(mag) > 4 || len(mag) == 4 && mag[0]&0x80 != 0 {
		return 0, false
	}
	v := 0
	for _, b := range mag {
		v = v<<8 | int(b)
	}
	return v, true
}

// ReadSmallInt reads a non-negative INTEGER that must fit in 31 bits (a
// version, a pathLenConstraint, a public exponent): anything larger is
// refused rather than truncated.
//
// spec: x690#8.3
func (r *DERReader) ReadSmallInt() (int, error) {
	c, err := r.ReadUnsignedInteger()
	if err != nil {
		return 0, err
	}
	v, ok := smallInt(c)
	if !ok {
		return 0, syntaxErr(r.field, "INTEGER too large (limit 2^31-1)")
	}
	return v, nil
}

// ReadBoolean reads a BOOLEAN; DER allows only 0x00 and 0xFF.
//
// spec: x690#11.1
func (r *DERReader) ReadBoolean() (bool, error) {
	c, err := r.Read(TagBoolean)
	if err != nil {
		return false, err
	}
	return parseBoolean(c, r.field)
}

func parseBoolean(c []byte, field string) (bool, error) {
	if len(c) != 1 {
		return false, syntaxErr(field, "BOOLEAN of %d bytes", len(c))
	}
	switch c[0] {
	case 0x00:
		return false, nil
	case 0xff:
		return true, nil
	}
	return false, syntaxErr(field, "BOOLEAN 0x%02x (DER allows only 0x00 and 0xff)", c[0])
}

// ReadNull reads a NULL, which has empty contents.
//
// spec: x690#8.8
func (r *DERReader) ReadNull() error {
	c, err := r.Read(TagNull)
	if err != nil {
		return err
	}
	if len(c) != 0 {
		return syntaxErr(r.field, "NULL with %d content bytes", len(c))
	}
	return nil
}

// OID is an OBJECT IDENTIFIER held as its DER contents octets, so values are
// comparable with == and usable as map keys. Only OIDs built by ParseOID,
// MustOID or the reader are valid.
//
// spec: x690#8.19
type OID string

// maxOIDArc bounds every arc to 31 bits; real OIDs are far smaller, and the
// bound keeps decoding in an int everywhere (it is also what Go's cryptobyte
// accepts).
const maxOIDArc = 1<<31 - 1

// ReadOID reads an OBJECT IDENTIFIER, checking minimal base-128 arcs.
//
// spec: x690#8.19
func (r *DERReader) ReadOID() (OID, error) {
	c, err := r.Read(TagOID)
	if err != nil {
		return "", err
	}
	if err := checkOID(c); err != nil {
		return "", syntaxErr(r.field, "%v", err)
	}
	return OID(c), nil
}

func checkOID(c []byte) error {
	if len(c) == 0 {
		return errors.New("empty OBJECT IDENTIFIER")
	}
	for i := 0; i < len(c); {
		if c[i] == 0x80 {
			return errors.New("OBJECT IDENTIFIER arc with a leading 0x80 (not minimal)")
		}
		v := 0
		for {
			if i >= len(c) {
				return errors.New("OBJECT IDENTIFIER ends inside an arc")
			}
			v = v<<7 | int(c[i]&0x7f)
			if v > maxOIDArc {
				return errors.New("OBJECT IDENTIFIER arc exceeds 2^31-1")
			}
			i++
			if c[i-1]&0x80 == 0 {
				break
			}
		}
	}
	return nil
}

// arcs decodes o; it assumes o was validated.
func (o OID) arcs() []int {
	var out []int
	for i := 0; i < len(o); {
		v := 0
		for i < len(o) {
			v = v<<7 | int(o[i]&0x7f)
			i++
			if o[i-1]&0x80 == 0 {
				break
			}
		}
		if len(out) == 0 {
			// x690#8.19.4: the first subidentifier packs the first two arcs.
			switch {
			case v < 40:
				out = append(out, 0, v)
			case v < 80:
				out = append(out, 1, v-40)
			default:
				out = append(out, 2, v-80)
			}
			continue
		}
		out = append(out, v)
	}
	return out
}

// String returns dotted decimal, e.g. 1.2.840.113549.1.1.11.
//
// spec: x660#7
func (o OID) String() string {
	var sb strings.Builder
	for i, a := range o.arcs() {
		if i > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(strconv.Itoa(a))
	}
	return sb.String()
}

// ParseOID parses dotted decimal ("2.5.4.3") into an OID.
//
// spec: x690#8.19.4
func ParseOID(s string) (OID, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return "", fmt.Errorf("x509lite: OID %q needs at least two arcs", s)
	}
	arcs := make([]int, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > maxOIDArc || p != strconv.Itoa(v) {
			return "", fmt.Errorf("x509lite: OID %q: arc %q is not a decimal number below 2^31", s, p)
		}
		arcs[i] = v
	}
	if arcs[0] > 2 || arcs[0] < 2 && arcs[1] >= 40 || arcs[0] == 2 && arcs[1] > maxOIDArc-80 {
		return "", fmt.Errorf("x509lite: OID %q: invalid first two arcs", s)
	}
	var b []byte
	b = appendBase128(b, arcs[0]*40+arcs[1])
	for _, a := range arcs[2:] {
		b = appendBase128(b, a)
	}
	return OID(b), nil
}

// MustOID is ParseOID for constants; it panics on a malformed literal.
//
// spec: x690#8.19
func MustOID(s string) OID {
	o, err := ParseOID(s)
	if err != nil {
		panic(err)
	}
	return o
}

func appendBase128(b []byte, v int) []byte {
	n := 1
	for x := v >> 7; x > 0; x >>= 7 {
		n++
	}
	for i := n - 1; i >= 0; i-- {
		c := byte(v>>(7*i)) & 0x7f
		if i > 0 {
			c |= 0x80
		}
		b = append(b, c)
	}
	return b
}

// BitString is a decoded BIT STRING: Bytes holds the bits, most significant
// first, and BitLength how many of them are meaningful.
//
// spec: x690#8.6
type BitString struct {
	Bytes     []byte
	BitLength int
}

// At returns bit i (0 = the first, most significant bit), 0 when out of range.
//
// spec: x690#8.6.2
func (b BitString) At(i int) int {
	if i < 0 || i >= b.BitLength {
		return 0
	}
	return int(b.Bytes[i/8]>>(7-uint(i%8))) & 1
}

// ReadBitString reads a BIT STRING: the unused-bit count is 0..7, zero when
// there are no content bits, and the unused bits themselves are zero (DER).
//
// spec: x690#11.2.1
func (r *DERReader) ReadBitString() (BitString, error) {
	c, err := r.Read(TagBitString)
	if err != nil {
		return BitString{}, err
	}
	return parseBitString(c, r.field)
}

func parseBitString(c []byte, field string) (BitString, error) {
	if len(c) == 0 {
		return BitString{}, syntaxErr(field, "empty BIT STRING (the unused-bits octet is missing)")
	}
	unused := int(c[0])
	if unused > 7 {
		return BitString{}, syntaxErr(field, "BIT STRING with %d unused bits (limit 7)", unused)
	}
	if len(c) == 1 && unused != 0 {
		return BitString{}, syntaxErr(field, "empty BIT STRING with non-zero unused-bit count")
	}
	if len(c) > 1 && c[len(c)-1]&(1<<unused-1) != 0 {
		return BitString{}, syntaxErr(field, "BIT STRING padding bits are not zero")
	}
	return BitString{Bytes: c[1:], BitLength: 8*(len(c)-1) - unused}, nil
}

// ReadOctetString reads an OCTET STRING.
//
// spec: x690#8.7
func (r *DERReader) ReadOctetString() ([]byte, error) { return r.Read(TagOctetString) }

// ReadTime reads a UTCTime or GeneralizedTime in the only forms RFC 5280
// allows: UTC ("Z"), seconds present, no fractional seconds — YYMMDDHHMMSSZ
// or YYYYMMDDHHMMSSZ. A two-digit year 50..99 means 19YY, 00..49 means 20YY.
//
// Both encodings are accepted for any date: RFC 5280 says CAs MUST use
// UTCTime through 2049, but the value is unambiguous either way, and a few
// long-lived roots use GeneralizedTime early.
//
// spec: rfc5280#4.1.2.5
func (r *DERReader) ReadTime() (time.Time, error) {
	tag, ok := r.PeekTag()
	if !ok {
		return time.Time{}, syntaxErr(r.field, "missing time")
	}
	c, err := r.Read(tag)
	if err != nil {
		return time.Time{}, err
	}
	t, err := parseTime(tag, c)
	if err != nil {
		return time.Time{}, syntaxErr(r.field, "%v", err)
	}
	return t, nil
}

func parseTime(tag Tag, c []byte) (time.Time, error) {
	var year int
	var rest []byte
	switch tag {
	case TagUTCTime: // spec: rfc5280#4.1.2.5.1
		if len(c) != 13 {
			return time.Time{}, fmt.Errorf("UTCTime %q is not YYMMDDHHMMSSZ", c)
		}
		yy, ok := digits(c[0:2])
		if !ok {
			return time.Time{}, fmt.Errorf("UTCTime %q has a non-digit", c)
		}
		year = 2000 + yy
		if yy >= 50 {
			year = 1900 + yy
		}
		rest = c[2:]
	case TagGeneralizedTime: // spec: rfc5280#4.1.2.5.2
		if len(c) != 15 {
			return time.Time{}, fmt.Errorf("GeneralizedTime %q is not YYYYMMDDHHMMSSZ", c)
		}
		y, ok := digits(c[0:4])
		if !ok {
			return time.Time{}, fmt.Errorf("GeneralizedTime %q has a non-digit", c)
		}
		year = y
		rest = c[4:]
	default:
		return time.Time{}, fmt.Errorf("found %v where UTCTime or GeneralizedTime was expected", tag)
	}
	// rest is MMDDHHMMSSZ.
	if rest[10] != 'Z' {
		return time.Time{}, fmt.Errorf("time %q is not in UTC (must end in Z)", c)
	}
	var f [5]int
	for i := range f {
		v, ok := digits(rest[2*i : 2*i+2])
		if !ok {
			return time.Time{}, fmt.Errorf("time %q has a non-digit", c)
		}
		f[i] = v
	}
	month, day, hour, minute, sec := f[0], f[1], f[2], f[3], f[4]
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, fmt.Errorf("time %q is out of range", c)
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), nil
}

func digits(b []byte) (int, bool) {
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ReadString reads one of the string types used in names and returns the
// tag and the value as UTF-8.
//
// Accepted: UTF8String (valid UTF-8), PrintableString (its X.680 alphabet,
// plus '*' and '&' which real CAs use), IA5String and NumericString (their
// alphabets), BMPString (UCS-2 big-endian, no surrogates, no NUL), and
// TeletexString only when every byte is printable ASCII — T.61's other
// bytes do not map cleanly to Unicode, so such a name is refused rather
// than guessed. UniversalString and anything else is refused.
//
// spec: rfc5280#4.1.2.4
func (r *DERReader) ReadString() (Tag, string, error) {
	tag, ok := r.PeekTag()
	if !ok {
		return 0, "", syntaxErr(r.field, "missing string")
	}
	c, err := r.Read(tag)
	if err != nil {
		return 0, "", err
	}
	s, err := decodeString(tag, c)
	if err != nil {
		return 0, "", syntaxErr(r.field, "%v", err)
	}
	return tag, s, nil
}

func decodeString(tag Tag, c []byte) (string, error) {
	switch tag {
	case TagUTF8String:
		if !utf8.Valid(c) {
			return "", errors.New("UTF8String is not valid UTF-8")
		}
		return string(c), nil
	case TagPrintableString:
		for _, b := range c {
			if !isPrintable(b) {
				return "", fmt.Errorf("PrintableString contains 0x%02x", b)
			}
		}
		return string(c), nil
	case TagIA5String:
		for _, b := range c {
			if b >= 0x80 {
				return "", fmt.Errorf("IA5String contains 0x%02x", b)
			}
		}
		return string(c), nil
	case TagNumericString:
		for _, b := range c {
			if (b < '0' || b > '9') && b != ' ' {
				return "", fmt.Errorf("NumericString contains 0x%02x", b)
			}
		}
		return string(c), nil
	case TagT61String:
		for _, b := range c {
			if b < 0x20 || b > 0x7e {
				return "", fmt.Errorf("TeletexString byte 0x%02x is outside the ASCII subset minitls accepts", b)
			}
		}
		return string(c), nil
	case TagBMPString:
		if len(c)%2 != 0 {
			return "", errors.New("BMPString of odd length")
		}
		u := make([]uint16, len(c)/2)
		for i := range u {
			u[i] = uint16(c[2*i])<<8 | uint16(c[2*i+1])
			if u[i] == 0 || u[i] >= 0xd800 && u[i] < 0xe000 {
				return "", fmt.Errorf("BMPString contains U+%04X", u[i])
			}
		}
		return string(utf16.Decode(u)), nil
	}
	return "", fmt.Errorf("%v is not a supported string type", tag)
}

func isPrintable(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		'\'' <= b && b <= ')' || '+' <= b && b <= '/' ||
		b == ' ' || b == ':' || b == '=' || b == '?' || b == '*' || b == '&'
}
