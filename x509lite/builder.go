package x509lite

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"
)

// DERBuilder appends DER values to a buffer; constructed values are built by
// a callback that fills a child builder, and the length is written once the
// child is complete, so callers never compute lengths by hand. The first
// error (a value that has no DER encoding) sticks and is returned by Bytes.
//
// spec: x690#10
type DERBuilder struct {
	b   []byte
	err error
}

// Bytes returns the encoding built so far, or the first error.
//
// spec: x690#10
func (b *DERBuilder) Bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	return b.b, nil
}

func (b *DERBuilder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("x509lite: cannot encode: "+format, args...)
	}
}

// AddElement appends tag, the minimal length, and contents.
//
// spec: x690#8.1.3
func (b *DERBuilder) AddElement(tag Tag, contents []byte) {
	if tag&0x1f == 0x1f {
		b.fail("high-tag-number form")
		return
	}
	n := len(contents)
	if n > maxDERLength {
		b.fail("value of %d bytes exceeds %d", n, maxDERLength)
		return
	}
	b.b = append(b.b, byte(tag))
	switch {
	case n < 0x80:
		b.b = append(b.b, byte(n))
	case n < 0x100:
		b.b = append(b.b, 0x81, byte(n))
	case n < 0x10000:
		b.b = append(b.b, 0x82, byte(n>>8), byte(n))
	default:
		b.b = append(b.b, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	b.b = append(b.b, contents...)
}

// AddRaw appends an already-encoded value verbatim (e.g. a parent's
// RawSubject, so the issuer name is byte-identical to it).
//
// spec: x690#8.1.1
func (b *DERBuilder) AddRaw(full []byte) { b.b = append(b.b, full...) }

// AddConstructed appends a constructed value whose contents f builds.
//
// spec: x690#8.1.3
func (b *DERBuilder) AddConstructed(tag Tag, f func(child *DERBuilder)) {
	if contents, ok := b.buildChild(f); ok {
		b.AddElement(tag|constructedBit, contents)
	}
}

// buildChild runs f on a fresh child builder and returns what it built; a
// child's error becomes b's (if b has none yet) and ok is false.
func (b *DERBuilder) buildChild(f func(child *DERBuilder)) (contents []byte, ok bool) {
	var child DERBuilder
	f(&child)
	if child.err != nil {
		if b.err == nil {
			b.err = child.err
		}
		return nil, false
	}
	return child.b, true
}

// AddSequence appends a SEQUENCE whose contents f builds.
//
// spec: x690#8.9
func (b *DERBuilder) AddSequence(f func(child *DERBuilder)) { b.AddConstructed(TagSequence, f) }

// AddSetOf appends a SET OF whose elements f builds, sorted by their
// encodings as DER requires.
//
// spec: x690#11.6
func (b *DERBuilder) AddSetOf(f func(child *DERBuilder)) {
	contents, ok := b.buildChild(f)
	if !ok {
		return
	}
	r := NewDERReader(contents, "SET OF")
	var elems [][]byte
	for !r.Empty() {
		_, _, full, err := r.ReadElement()
		if err != nil {
			b.fail("SET OF element: %v", err)
			return
		}
		elems = append(elems, full)
	}
	slices.SortFunc(elems, bytes.Compare) // x690#11.6: ascending encodings
	b.AddElement(TagSet, bytes.Join(elems, nil))
}

// AddInteger appends an INTEGER from its two's-complement contents, which
// must already be minimal.
//
// spec: x690#8.3
func (b *DERBuilder) AddInteger(twos []byte) {
	if err := checkInteger(twos, "INTEGER"); err != nil {
		b.fail("%v", err)
		return
	}
	b.AddElement(TagInteger, twos)
}

// AddUnsignedInteger appends a non-negative INTEGER from a big-endian
// magnitude (leading zeros allowed; empty means zero), adding the 0x00 sign
// octet when the top bit is set.
//
// spec: x690#8.3.2
func (b *DERBuilder) AddUnsignedInteger(mag []byte) {
	mag = trimLeadingZeros(mag)
	switch {
	case len(mag) == 0:
		b.AddElement(TagInteger, []byte{0})
	case mag[0]&0x80 != 0:
		b.AddElement(TagInteger, append([]byte{0}, mag...))
	default:
		b.AddElement(TagInteger, mag)
	}
}

// AddSmallInt appends a non-negative int as an INTEGER.
//
// spec: x690#8.3
func (b *DERBuilder) AddSmallInt(v int) {
	if v < 0 {
		b.fail("negative small integer %d", v)
		return
	}
	var mag [8]byte
	for i := range mag {
		mag[7-i] = byte(v >> (8 * i))
	}
	b.AddUnsignedInteger(mag[:])
}

// AddBoolean appends a BOOLEAN (0xFF for TRUE, as DER requires).
//
// spec: x690#11.1
func (b *DERBuilder) AddBoolean(v bool) {
	if v {
		b.AddElement(TagBoolean, []byte{0xff})
	} else {
		b.AddElement(TagBoolean, []byte{0})
	}
}

// AddNull appends a NULL.
//
// spec: x690#8.8
func (b *DERBuilder) AddNull() { b.AddElement(TagNull, nil) }

// AddOID appends an OBJECT IDENTIFIER.
//
// spec: x690#8.19
func (b *DERBuilder) AddOID(o OID) {
	if err := checkOID([]byte(o)); err != nil {
		b.fail("%v", err)
		return
	}
	b.AddElement(TagOID, []byte(o))
}

// AddBitString appends a BIT STRING; bits past BitLength must be zero.
//
// spec: x690#11.2
func (b *DERBuilder) AddBitString(bs BitString) {
	if bs.BitLength < 0 || (bs.BitLength+7)/8 != len(bs.Bytes) {
		b.fail("BIT STRING length %d does not fit %d bytes", bs.BitLength, len(bs.Bytes))
		return
	}
	unused := 8*len(bs.Bytes) - bs.BitLength
	c := append([]byte{byte(unused)}, bs.Bytes...)
	if _, err := parseBitString(c, "BIT STRING"); err != nil {
		b.fail("%v", err)
		return
	}
	b.AddElement(TagBitString, c)
}

// AddOctetString appends an OCTET STRING.
//
// spec: x690#8.7
func (b *DERBuilder) AddOctetString(c []byte) { b.AddElement(TagOctetString, c) }

// AddTime appends t (in UTC, truncated to the second) as UTCTime for years
// 1950 through 2049 and as GeneralizedTime otherwise, as RFC 5280 requires
// of issuers.
//
// spec: rfc5280#4.1.2.5
func (b *DERBuilder) AddTime(t time.Time) {
	t = t.UTC()
	if y := t.Year(); y >= 1950 && y < 2050 {
		b.AddTimeAs(TagUTCTime, t)
	} else {
		b.AddTimeAs(TagGeneralizedTime, t)
	}
}

// AddTimeAs appends t with the given time tag (TagUTCTime or
// TagGeneralizedTime), failing if the year does not fit that form.
//
// spec: rfc5280#4.1.2.5
func (b *DERBuilder) AddTimeAs(tag Tag, t time.Time) {
	t = t.UTC()
	y := t.Year()
	switch tag {
	case TagUTCTime:
		if y < 1950 || y >= 2050 {
			b.fail("year %d cannot be a UTCTime", y)
			return
		}
		b.AddElement(tag, []byte(t.Format("060102150405Z")))
	case TagGeneralizedTime:
		if y < 0 || y > 9999 {
			b.fail("year %d cannot be a GeneralizedTime", y)
			return
		}
		b.AddElement(tag, []byte(t.Format("20060102150405Z")))
	default:
		b.fail("%v is not a time type", tag)
	}
}

// AddString appends s with a string tag, checking it fits that type's
// alphabet (the same rules ReadString enforces).
//
// spec: rfc5280#4.1.2.4
func (b *DERBuilder) AddString(tag Tag, s string) {
	var c []byte
	if tag == TagBMPString {
		for _, r := range s {
			if r > 0xffff {
				b.fail("BMPString cannot hold U+%04X", r)
				return
			}
			c = append(c, byte(r>>8), byte(r))
		}
	} else {
		c = []byte(s)
	}
	if _, err := decodeString(tag, c); err != nil {
		b.fail("%v", err)
		return
	}
	b.AddElement(tag, c)
}

// DERValue is a generic parsed DER value: constructed values (SEQUENCE,
// SET, and context-specific or application constructed tags) hold their
// Children, primitive ones their Contents. It exists so learners and the
// fuzzer can decode any DER; certificate parsing uses DERReader directly.
//
// spec: x690#8.1
type DERValue struct {
	Tag      Tag
	Contents []byte     // primitive contents (nil for constructed values)
	Children []DERValue // constructed contents
}

// maxDERDepth bounds nesting so hostile input cannot exhaust the stack.
// Certificates nest about 8 deep.
const maxDERDepth = 32

// ParseDER decodes exactly one DER value (no trailing bytes) into a tree,
// applying the typed checks to every universal primitive it understands
// (INTEGER, BOOLEAN, NULL, OBJECT IDENTIFIER, BIT STRING, the time and
// string types), refusing constructed encodings of universal primitive types
// (BER only), SET OF elements out of order, and unknown universal types.
//
// spec: x690#10
func ParseDER(b []byte) (DERValue, error) {
	r := NewDERReader(b, "DER")
	v, err := parseDERValue(r, 0)
	if err != nil {
		return DERValue{}, err
	}
	return v, r.Finish()
}

func parseDERValue(r *DERReader, depth int) (DERValue, error) {
	if depth > maxDERDepth {
		return DERValue{}, syntaxErr(r.field, "nested deeper than %d", maxDERDepth)
	}
	tag, contents, _, err := r.ReadElement()
	if err != nil {
		return DERValue{}, err
	}
	if tag.Constructed() {
		if tag&0xc0 == 0 && tag != TagSequence && tag != TagSet {
			return DERValue{}, syntaxErr(r.field, "constructed %v is BER, not DER", tag&^constructedBit)
		}
		child := NewDERReader(contents, r.field)
		v := DERValue{Tag: tag, Children: []DERValue{}}
		var prev []byte
		for !child.Empty() {
			before := child.b
			c, err := parseDERValue(child, depth+1)
			if err != nil {
				return DERValue{}, err
			}
			enc := before[:len(before)-len(child.b)]
			if tag == TagSet && prev != nil && bytes.Compare(prev, enc) > 0 {
				return DERValue{}, syntaxErr(r.field, "SET OF elements are not in ascending order")
			}
			prev = enc
			v.Children = append(v.Children, c)
		}
		return v, nil
	}
	if tag&0xc0 == 0 {
		if err := checkUniversal(tag, contents, r.field); err != nil {
			return DERValue{}, err
		}
	}
	return DERValue{Tag: tag, Contents: contents}, nil
}

// checkUniversal applies the typed reader's checks to a universal primitive
// and returns a *SyntaxError naming field.
func checkUniversal(tag Tag, c []byte, field string) error {
	var err error
	switch tag {
	case TagInteger:
		return checkInteger(c, field)
	case TagBoolean:
		_, err := parseBoolean(c, field)
		return err
	case TagBitString:
		_, err := parseBitString(c, field)
		return err
	case TagOctetString:
		return nil
	case TagNull:
		if len(c) != 0 {
			err = errors.New("NULL with contents")
		}
	case TagOID:
		err = checkOID(c)
	case TagUTCTime, TagGeneralizedTime:
		_, err = parseTime(tag, c)
	case TagUTF8String, TagPrintableString, TagIA5String, TagNumericString, TagT61String, TagBMPString:
		_, err = decodeString(tag, c)
	default:
		err = fmt.Errorf("unsupported universal %v", tag)
	}
	if err != nil {
		return syntaxErr(field, "%v", err)
	}
	return nil
}

// Marshal re-encodes v. Universal primitives are rebuilt from their decoded
// value through the typed DERBuilder methods (so a tree from ParseDER
// marshals back to the identical bytes only if reader and builder agree).
//
// spec: x690#10
func (v DERValue) Marshal() ([]byte, error) {
	var b DERBuilder
	v.build(&b)
	return b.Bytes()
}

func (v DERValue) build(b *DERBuilder) {
	if v.Tag.Constructed() {
		b.AddConstructed(v.Tag&^constructedBit, func(c *DERBuilder) {
			for _, ch := range v.Children {
				ch.build(c)
			}
		})
		return
	}
	switch v.Tag {
	case TagInteger:
		b.AddInteger(v.Contents)
	case TagBoolean:
		x, err := parseBoolean(v.Contents, "")
		if err != nil {
			b.fail("%v", err)
			return
		}
		b.AddBoolean(x)
	case TagNull:
		b.AddNull()
	case TagOID:
		b.AddOID(OID(v.Contents))
	case TagBitString:
		bs, err := parseBitString(v.Contents, "")
		if err != nil {
			b.fail("%v", err)
			return
		}
		b.AddBitString(bs)
	case TagUTCTime, TagGeneralizedTime:
		t, err := parseTime(v.Tag, v.Contents)
		if err != nil {
			b.fail("%v", err)
			return
		}
		b.AddTimeAs(v.Tag, t)
	case TagUTF8String, TagPrintableString, TagIA5String, TagNumericString, TagT61String, TagBMPString:
		s, err := decodeString(v.Tag, v.Contents)
		if err != nil {
			b.fail("%v", err)
			return
		}
		b.AddString(v.Tag, s)
	default:
		b.AddElement(v.Tag, v.Contents)
	}
}
