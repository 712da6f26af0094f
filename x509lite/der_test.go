package x509lite

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDERElementTable checks the tag/length layer: every non-DER length
// form is refused with ErrMalformed, and good ones give the right contents.
func TestDERElementTable(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		ok       bool
		contents string
	}{
		{"short form", "04 02 aabb", true, "aabb"},
		{"zero length", "04 00", true, ""},
		{"long form 0x81 for 128", "04 81 80" + strings.Repeat("00", 128), true, strings.Repeat("00", 128)},
		{"long form for a short length", "04 81 02 aabb", false, ""},
		{"long form with leading zero", "04 82 0080" + strings.Repeat("00", 128), false, ""},
		{"indefinite length", "30 80 0000", false, ""},
		// 0x80 is never a short-form length of 128, however many bytes follow.
		{"indefinite length with 128 bytes after it", "04 80" + strings.Repeat("00", 128), false, ""},
		{"largest short form", "04 7f" + strings.Repeat("00", 127), true, strings.Repeat("00", 127)},
		{"reserved 0xff length", "04 ff", false, ""},
		{"too many length octets", "04 84 00000001 00", false, ""},
		{"truncated value", "04 03 aabb", false, ""},
		{"truncated length", "04 82 01", false, ""},
		{"no length", "04", false, ""},
		{"empty", "", false, ""},
		{"high tag number", "1f 81 00 00", false, ""},
		{"context high tag number", "9f 20 00", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewDERReader(unhex(t, tc.in), "test")
			_, c, _, err := r.ReadElement()
			if tc.ok {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if !bytes.Equal(c, unhex(t, tc.contents)) {
					t.Fatalf("contents %x, want %s", c, tc.contents)
				}
				return
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			var se *SyntaxError
			if !errors.As(err, &se) || se.Alert() != AlertBadCertificate {
				t.Fatalf("err %v is not a *SyntaxError with bad_certificate", err)
			}
		})
	}
}

// TestDERTypedTable checks the typed readers against hand-made encodings.
func TestDERTypedTable(t *testing.T) {
	type reader func(r *DERReader) (any, error)
	integer := func(r *DERReader) (any, error) { return r.ReadInteger() }
	small := func(r *DERReader) (any, error) { return r.ReadSmallInt() }
	boolean := func(r *DERReader) (any, error) { return r.ReadBoolean() }
	null := func(r *DERReader) (any, error) { return nil, r.ReadNull() }
	oid := func(r *DERReader) (any, error) {
		o, err := r.ReadOID()
		return o.String(), err
	}
	bits := func(r *DERReader) (any, error) {
		b, err := r.ReadBitString()
		return b.BitLength, err
	}
	tm := func(r *DERReader) (any, error) { return r.ReadTime() }
	str := func(r *DERReader) (any, error) {
		_, s, err := r.ReadString()
		return s, err
	}
	tests := []struct {
		name string
		read reader
		in   string
		want any // nil: must fail
	}{
		{"int 0", integer, "02 01 00", []byte{0}},
		{"int 128", integer, "02 02 0080", []byte{0, 0x80}},
		{"int -1", integer, "02 01 ff", []byte{0xff}},
		{"int empty", integer, "02 00", nil},
		{"int non-minimal 00 7f", integer, "02 02 007f", nil},
		{"int non-minimal ff 80", integer, "02 02 ff80", nil},
		{"int wrong tag", integer, "04 01 00", nil},
		{"small 65537", small, "02 03 010001", 65537},
		{"small 2^31-1", small, "02 04 7fffffff", 1<<31 - 1},
		{"small 2^31", small, "02 05 0080000000", nil},
		{"small negative", small, "02 01 80", nil},
		{"bool true", boolean, "01 01 ff", true},
		{"bool false", boolean, "01 01 00", false},
		{"bool 0x01 (BER only)", boolean, "01 01 01", nil},
		{"bool two bytes", boolean, "01 02 ffff", nil},
		{"null", null, "05 00", nil},
		{"null with contents", null, "05 01 00", nil},
		{"oid sha256WithRSA", oid, "06 09 2a864886f70d01010b", "1.2.840.113549.1.1.11"},
		{"oid 2.999.3", oid, "06 03 883703", "2.999.3"},
		{"oid empty", oid, "06 00", nil},
		{"oid leading 0x80", oid, "06 03 2a8001", nil},
		{"oid truncated arc", oid, "06 02 2a86", nil},
		{"oid arc over 2^31", oid, "06 06 2a 8880808000", nil},
		{"bits 0 unused", bits, "03 02 00ff", 8},
		{"bits 1 unused", bits, "03 02 01fe", 7},
		{"bits empty", bits, "03 01 00", 0},
		{"bits no unused octet", bits, "03 00", nil},
		{"bits 8 unused", bits, "03 02 0800", nil},
		{"bits padding set", bits, "03 02 01ff", nil},
		{"bits unused without bits", bits, "03 01 03", nil},
		{"utc", tm, "17 0d " + hex.EncodeToString([]byte("300615120000Z")), time.Date(2030, 6, 15, 12, 0, 0, 0, time.UTC)},
		{"utc 1950", tm, "17 0d " + hex.EncodeToString([]byte("500101000000Z")), time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"utc no seconds", tm, "17 0b " + hex.EncodeToString([]byte("3006151200Z")), nil},
		{"utc offset", tm, "17 11 " + hex.EncodeToString([]byte("300615120000+0100")), nil},
		{"utc no Z", tm, "17 0d " + hex.EncodeToString([]byte("3006151200000")), nil},
		{"utc month 13", tm, "17 0d " + hex.EncodeToString([]byte("301315120000Z")), nil},
		{"utc Feb 30", tm, "17 0d " + hex.EncodeToString([]byte("300230120000Z")), nil},
		{"utc Feb 29 leap", tm, "17 0d " + hex.EncodeToString([]byte("280229120000Z")), time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)},
		{"utc hour 24", tm, "17 0d " + hex.EncodeToString([]byte("300615240000Z")), nil},
		{"utc sign", tm, "17 0d " + hex.EncodeToString([]byte("30061512000-Z")), nil},
		{"gen", tm, "18 0f " + hex.EncodeToString([]byte("20500101000000Z")), time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"gen fraction", tm, "18 13 " + hex.EncodeToString([]byte("20500101000000.123Z")), nil},
		{"gen local time", tm, "18 0e " + hex.EncodeToString([]byte("20500101000000")), nil},
		{"time wrong tag", tm, "04 0d " + hex.EncodeToString([]byte("300615120000Z")), nil},
		{"printable", str, "13 05 " + hex.EncodeToString([]byte("a-b.c")), "a-b.c"},
		{"printable with @", str, "13 01 40", nil},
		{"utf8", str, "0c 02 c3a9", "é"},
		{"utf8 invalid", str, "0c 01 ff", nil},
		{"ia5", str, "16 03 " + hex.EncodeToString([]byte("a@b")), "a@b"},
		{"ia5 high bit", str, "16 01 80", nil},
		{"bmp", str, "1e 04 00410042", "AB"},
		{"bmp odd", str, "1e 03 004100", nil},
		{"bmp surrogate", str, "1e 02 d800", nil},
		{"bmp NUL", str, "1e 02 0000", nil},
		{"teletex ascii", str, "14 02 4142", "AB"},
		{"teletex non-ascii", str, "14 01 c8", nil},
		{"universal string", str, "1c 04 00000041", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewDERReader(unhex(t, tc.in), "test")
			got, err := tc.read(r)
			if tc.want == nil && tc.name != "null" {
				if err == nil {
					t.Fatalf("accepted, got %v", got)
				}
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err %v is not ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if g, ok := got.([]byte); ok {
				if !bytes.Equal(g, tc.want.([]byte)) {
					t.Fatalf("got %x, want %x", g, tc.want)
				}
			} else if gt, ok := got.(time.Time); ok {
				if !gt.Equal(tc.want.(time.Time)) {
					t.Fatalf("got %v, want %v", gt, tc.want)
				}
			} else if got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if err := r.Finish(); err != nil {
				t.Fatalf("bytes left: %v", err)
			}
		})
	}
}

// TestDERTrailingAndNesting checks Finish, child readers and ParseDER.
func TestDERTrailingAndNesting(t *testing.T) {
	r := NewDERReader(unhex(t, "3003 020101 00"), "test")
	seq, err := r.ReadSequence("seq")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := seq.ReadSmallInt(); err != nil || v != 1 {
		t.Fatalf("got %d, %v", v, err)
	}
	if err := seq.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(); !errors.Is(err, ErrMalformed) {
		t.Fatalf("trailing byte accepted: %v", err)
	}
	for _, bad := range []string{
		"3003 020101 00",                    // trailing
		"3004 020101",                       // child overruns
		"3003 020100 ff",                    // trailing after
		"2403 040100",                       // constructed OCTET STRING (BER)
		"3106 020102 020101",                // SET OF out of order
		"0a0101",                            // ENUMERATED: not understood
		"3080 020101 0000",                  // indefinite
		strings.Repeat("3002", 40) + "0500", // too deep and inconsistent
	} {
		if _, err := ParseDER(unhex(t, bad)); err == nil {
			t.Errorf("ParseDER accepted %s", bad)
		}
	}
	deep := unhex(t, "0500")
	for i := 0; i < maxDERDepth+2; i++ {
		var b DERBuilder
		b.AddConstructed(TagSequence, func(c *DERBuilder) { c.AddRaw(deep) })
		deep, _ = b.Bytes()
	}
	if _, err := ParseDER(deep); err == nil {
		t.Error("ParseDER accepted nesting deeper than maxDERDepth")
	}
	good := unhex(t, "310e 0101ff 020101 020102 0603550403")
	if _, err := ParseDER(good); err != nil {
		t.Errorf("ParseDER rejected a sorted SET OF: %v", err)
	}
}

// TestDERIntegerAgainstBig: rapid INTEGERs encoded by encoding/asn1 (the
// oracle) are read back by ReadInteger/ReadUnsignedInteger, and the builder
// produces the same bytes as asn1.Marshal.
func TestDERIntegerAgainstBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mag := rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "mag")
		neg := rapid.Bool().Draw(t, "neg")
		x := new(big.Int).SetBytes(mag)
		if neg {
			x.Neg(x)
		}
		der, err := asn1.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		r := NewDERReader(der, "int")
		twos, err := r.ReadInteger()
		if err != nil {
			t.Fatalf("ReadInteger(%x): %v", der, err)
		}
		var b DERBuilder
		b.AddInteger(twos)
		if got, _ := b.Bytes(); !bytes.Equal(got, der) {
			t.Fatalf("AddInteger: %x, want %x", got, der)
		}
		u, err := NewDERReader(der, "int").ReadUnsignedInteger()
		if neg && x.Sign() < 0 {
			if err == nil {
				t.Fatalf("negative %v accepted as unsigned", x)
			}
			return
		}
		if err != nil || !bytes.Equal(u, x.Bytes()) {
			t.Fatalf("ReadUnsignedInteger = %x, %v; want %x", u, err, x.Bytes())
		}
		var ub DERBuilder
		ub.AddUnsignedInteger(mag)
		if got, _ := ub.Bytes(); !bytes.Equal(got, der) {
			t.Fatalf("AddUnsignedInteger: %x, want %x", got, der)
		}
	})
}

// TestDEROIDAgainstASN1: OIDs round-trip through ParseOID, String, the
// builder and the reader, and agree with encoding/asn1.
func TestDEROIDAgainstASN1(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		first := rapid.IntRange(0, 2).Draw(t, "first")
		secondMax := 39
		if first == 2 {
			secondMax = 10000
		}
		arcs := []int{first, rapid.IntRange(0, secondMax).Draw(t, "second")}
		arcs = append(arcs, rapid.SliceOfN(rapid.IntRange(0, 1<<31-1), 0, 8).Draw(t, "rest")...)
		want, err := asn1.Marshal(asn1.ObjectIdentifier(arcs))
		if err != nil {
			t.Fatal(err)
		}
		o, err := ParseOID(asn1.ObjectIdentifier(arcs).String())
		if err != nil {
			t.Fatal(err)
		}
		if o.String() != asn1.ObjectIdentifier(arcs).String() {
			t.Fatalf("String %s, want %s", o, asn1.ObjectIdentifier(arcs))
		}
		var b DERBuilder
		b.AddOID(o)
		if got, _ := b.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("AddOID %x, want %x", got, want)
		}
		back, err := NewDERReader(want, "oid").ReadOID()
		if err != nil || back != o {
			t.Fatalf("ReadOID = %v, %v", back, err)
		}
	})
}

// TestDERTimeRoundTrip: any second in years 0..9999 encodes (UTCTime for
// 1950-2049, else GeneralizedTime) and reads back unchanged, and
// encoding/asn1 reads the same instant.
func TestDERTimeRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sec := rapid.Int64Range(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()).Draw(t, "sec")
		tm := time.Unix(sec, 0).UTC()
		var b DERBuilder
		b.AddTime(tm)
		der, err := b.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		wantTag := TagGeneralizedTime
		if tm.Year() >= 1950 && tm.Year() < 2050 {
			wantTag = TagUTCTime
		}
		if Tag(der[0]) != wantTag {
			t.Fatalf("tag %v for year %d", Tag(der[0]), tm.Year())
		}
		got, err := NewDERReader(der, "time").ReadTime()
		if err != nil || !got.Equal(tm) {
			t.Fatalf("ReadTime = %v, %v; want %v", got, err, tm)
		}
		var std time.Time
		if _, err := asn1.Unmarshal(der, &std); err == nil && !std.Equal(tm) {
			t.Fatalf("encoding/asn1 reads %v, we wrote %v", std, tm)
		}
	})
}

// TestDERParseMarshalRoundTrip: whatever ParseDER accepts marshals back to
// the identical bytes (rapid-built trees of the supported types).
func TestDERParseMarshalRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var gen func(depth int) []byte
		gen = func(depth int) []byte {
			var b DERBuilder
			kind := rapid.IntRange(0, 8).Draw(t, "kind")
			if depth > 3 {
				kind = kind % 7
			}
			switch kind {
			case 0:
				b.AddUnsignedInteger(rapid.SliceOfN(rapid.Byte(), 0, 10).Draw(t, "int"))
			case 1:
				b.AddBoolean(rapid.Bool().Draw(t, "bool"))
			case 2:
				b.AddNull()
			case 3:
				b.AddOctetString(rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "octets"))
			case 4:
				b.AddString(TagUTF8String, rapid.String().Draw(t, "utf8"))
			case 5:
				b.AddTime(time.Unix(rapid.Int64Range(-1e10, 1e10).Draw(t, "t"), 0))
			case 6:
				b.AddOID(MustOID("1.2.840.113549.1.1.11"))
			case 7:
				b.AddSequence(func(c *DERBuilder) {
					for i := rapid.IntRange(0, 3).Draw(t, "n"); i > 0; i-- {
						c.AddRaw(gen(depth + 1))
					}
				})
			case 8:
				b.AddSetOf(func(c *DERBuilder) {
					for i := rapid.IntRange(0, 3).Draw(t, "n"); i > 0; i-- {
						c.AddRaw(gen(depth + 1))
					}
				})
			}
			der, err := b.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			return der
		}
		der := gen(0)
		v, err := ParseDER(der)
		if err != nil {
			t.Fatalf("ParseDER(%x): %v", der, err)
		}
		back, err := v.Marshal()
		if err != nil || !bytes.Equal(back, der) {
			t.Fatalf("Marshal = %x, %v; want %x", back, err, der)
		}
		// No proper prefix parses.
		for i := 0; i < len(der); i++ {
			if _, err := ParseDER(der[:i]); err == nil {
				t.Fatalf("prefix of %d bytes parsed", i)
			}
		}
	})
}

// TestParseDERErrorsNameTheField: ParseDER's errors for bad universal
// primitives are one *SyntaxError that names where it was reading, not a
// SyntaxError wrapped in another (which printed "malformed DER" twice).
func TestParseDERErrorsNameTheField(t *testing.T) {
	for _, in := range [][]byte{{0x02, 0x00}, {0x01, 0x01, 0x01}, {0x03, 0x01, 0x01}, {0x05, 0x01, 0}, {0x06, 0x01, 0x80}, {0x17, 0x00}} {
		_, err := ParseDER(in)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Field != "DER" || strings.Count(err.Error(), "malformed DER") != 1 {
			t.Errorf("ParseDER(%x) = %v, want one SyntaxError in field DER", in, err)
		}
	}
}

// TestDERBuilderLengthForms: AddElement writes the minimal definite length
// on each side of every boundary between its forms (short up to 127 bytes,
// then one, two and three length octets, x690#8.1.3.4-5 and #10.1), the
// same bytes as encoding/asn1, and ReadElement reads them back. A value of
// 2^24 bytes, which three length octets cannot say, is refused (it was once
// written with the length 0).
func TestDERBuilderLengthForms(t *testing.T) {
	for _, n := range []int{0, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0xffffff} {
		contents := make([]byte, n)
		var b DERBuilder
		b.AddOctetString(contents)
		got, err := b.Bytes()
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		want, err := asn1.Marshal(contents)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[:min(len(got), 5)], want[:min(len(want), 5)]) || len(got) != len(want) {
			t.Fatalf("%d bytes: header %x (%d bytes in all), encoding/asn1 writes %x (%d)", n, got[:min(len(got), 5)], len(got), want[:min(len(want), 5)], len(want))
		}
		r := NewDERReader(got, "test")
		if tag, c, _, err := r.ReadElement(); err != nil || tag != TagOctetString || len(c) != n || !r.Empty() {
			t.Fatalf("%d bytes: read back %v, %d bytes, %v", n, tag, len(c), err)
		}
	}
	var b DERBuilder
	b.AddOctetString(make([]byte, 1<<24))
	if got, err := b.Bytes(); err == nil {
		t.Fatalf("a value of 2^24 bytes was encoded, header %x", got[:min(len(got), 5)])
	}
}

// TestMarshalRechecksPrimitives: DERValue.Marshal rebuilds a universal
// primitive from its decoded value, so a BIT STRING (and the other typed
// values) round-trips, and a hand-built value that is not DER (unused bits
// above 7, padding bits set, a BOOLEAN other than 0x00/0xff, a time or a
// string that does not decode) is an error instead of being re-encoded as
// something else (x690#8.6.2.2, #11.1, #11.2.2).
func TestMarshalRechecksPrimitives(t *testing.T) {
	good := DERValue{Tag: TagSequence, Children: []DERValue{
		{Tag: TagBitString, Contents: []byte{0x07, 0x80}},
		{Tag: TagBitString, Contents: []byte{0x00}},
		{Tag: TagBoolean, Contents: []byte{0xff}},
		{Tag: TagUTCTime, Contents: []byte("300615120000Z")},
		{Tag: TagPrintableString, Contents: []byte("minitls")},
	}}
	der, err := good.Marshal()
	want := unhex(t, "30 22 03 02 0780 03 01 00 01 01 ff 17 0d"+hex.EncodeToString([]byte("300615120000Z"))+"13 07"+hex.EncodeToString([]byte("minitls")))
	if err != nil || !bytes.Equal(der, want) {
		t.Fatalf("Marshal = %x, %v; want %x", der, err, want)
	}
	for _, v := range []DERValue{
		{Tag: TagBitString, Contents: []byte{0x08, 0x00}},
		{Tag: TagBitString, Contents: []byte{0x01}},
		{Tag: TagBitString, Contents: []byte{0x07, 0x81}},
		{Tag: TagBitString},
		{Tag: TagBoolean, Contents: []byte{0x01}},
		{Tag: TagUTCTime, Contents: []byte("301315120000Z")},
		{Tag: TagPrintableString, Contents: []byte("a@b")},
	} {
		if der, err := v.Marshal(); err == nil {
			t.Errorf("Marshal(%v %x) = %x, want an error", v.Tag, v.Contents, der)
		}
	}
}

// TestAddStringBMP: a BMPString holds each character as one UTF-16 code
// unit, big-endian, up to U+FFFF; a character outside the Basic
// Multilingual Plane cannot be written and AddString says which (ITU-T
// X.680 #41, rfc5280#4.1.2.4). ReadString reads the result back.
func TestAddStringBMP(t *testing.T) {
	var b DERBuilder
	b.AddString(TagBMPString, "A\u20ac\uffff")
	der, err := b.Bytes()
	if want := unhex(t, "1e 06 0041 20ac ffff"); err != nil || !bytes.Equal(der, want) {
		t.Fatalf("AddString(BMPString) = %x, %v; want %x", der, err, want)
	}
	if tag, s, err := NewDERReader(der, "test").ReadString(); err != nil || tag != TagBMPString || s != "A\u20ac\uffff" {
		t.Fatalf("ReadString = %v %q, %v", tag, s, err)
	}
	var out DERBuilder
	out.AddString(TagBMPString, "A\U00010000")
	if _, err := out.Bytes(); err == nil || !strings.Contains(err.Error(), "U+10000") {
		t.Fatalf("U+10000 in a BMPString: err = %v, want one naming U+10000", err)
	}
}

// TestNumericString: a NumericString holds the digits 0 to 9 and space only
// (ITU-T X.680 #41.2, Table 9); the bytes on either side of the digits
// ('/' and ':') and any letter are ErrMalformed.
func TestNumericString(t *testing.T) {
	for _, s := range []string{"", "0", "9", " ", "0123456789", "0 9"} {
		in := append([]byte{byte(TagNumericString), byte(len(s))}, s...)
		if tag, got, err := NewDERReader(in, "test").ReadString(); err != nil || tag != TagNumericString || got != s {
			t.Errorf("NumericString %q: read %v %q, %v", s, tag, got, err)
		}
	}
	for _, s := range []string{"/", ":", "1/2", "12:", "a", "0x"} {
		in := append([]byte{byte(TagNumericString), byte(len(s))}, s...)
		if _, got, err := NewDERReader(in, "test").ReadString(); !errors.Is(err, ErrMalformed) {
			t.Errorf("NumericString %q: read %q, %v; want ErrMalformed", s, got, err)
		}
	}
}

// TestBMPStringCodePoints: a BMPString is UCS-2, one code point per 16-bit
// unit (X.680 #41.16), so the surrogate range U+D800 to U+DFFF, which is
// not characters, is ErrMalformed, as is NUL; the code points just outside
// the range (U+D7FF, U+E000) and the ends of the plane (U+0001, U+FFFF)
// are read.
func TestBMPStringCodePoints(t *testing.T) {
	for _, tc := range []struct {
		unit uint16
		ok   bool
	}{
		{0x0000, false}, {0x0001, true}, {0xd7ff, true}, {0xd800, false}, {0xdbff, false},
		{0xdc00, false}, {0xdfff, false}, {0xe000, true}, {0xffff, true},
	} {
		in := []byte{byte(TagBMPString), 2, byte(tc.unit >> 8), byte(tc.unit)}
		_, s, err := NewDERReader(in, "test").ReadString()
		if tc.ok && (err != nil || s != string(rune(tc.unit))) {
			t.Errorf("U+%04X: read %q, %v; want it read", tc.unit, s, err)
		}
		if !tc.ok && !errors.Is(err, ErrMalformed) {
			t.Errorf("U+%04X: read %q, %v; want ErrMalformed", tc.unit, s, err)
		}
	}
}

// TestDERErrorTexts: a length that ends the input early is a truncated
// length; one whose value runs past the input names the bytes there are; a
// SyntaxError names its field when it has one; a Tag names the
// context-specific class by its number and other unnamed tags in hex.
//
// spec: x690#8.1.3
func TestDERErrorTexts(t *testing.T) {
	for in, want := range map[string]string{
		"0481":           "in f: truncated length",
		"0482":           "in f: truncated length",
		"048201":         "in f: truncated length",
		"048180":         "value of 128 bytes overruns the 0 available",
		"04820100000102": "value of 256 bytes overruns the 3 available",
	} {
		b, _ := hex.DecodeString(in)
		_, _, _, err := NewDERReader(b, "f").ReadElement()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", in, err, want)
		}
	}
	if got := (&SyntaxError{Msg: "bad"}).Error(); got != "x509lite: malformed DER: bad" {
		t.Errorf("SyntaxError without a field: %q", got)
	}
	if got := (&SyntaxError{Field: "f", Msg: "bad"}).Error(); got != "x509lite: malformed DER in f: bad" {
		t.Errorf("SyntaxError with a field: %q", got)
	}
	for tag, want := range map[Tag]string{ContextSpecific(3): "[3]", ContextSpecificConstructed(0): "[0]", Tag(0x41): "tag 0x41", Tag(0xc2): "tag 0xc2"} {
		if got := tag.String(); got != want {
			t.Errorf("Tag(0x%02x).String() = %q, want %q", uint8(tag), got, want)
		}
	}
}

// TestOIDStringAnyBytes: String never panics, even on an OID that ParseOID,
// MustOID or the reader did not build (one whose last arc is unterminated),
// since it may be printed in an error message.
func TestOIDStringAnyBytes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		_ = OID(rapid.SliceOfN(rapid.Byte(), 0, 12).Draw(t, "o")).String()
	})
	if got := OID("\x2a\x86").String(); got != "1.2.6" {
		t.Errorf("an unterminated last arc: %q, want the arcs read, 1.2.6", got)
	}
}

// TestParseOIDFirstArcs: under the arcs 0 and 1 the second arc is below 40;
// under 2 it may be larger, as long as 80 plus it (the first subidentifier)
// fits the 2^31-1 bound on arcs; the first arc is 0, 1 or 2.
//
// spec: x690#8.19.4
func TestParseOIDFirstArcs(t *testing.T) {
	for s, ok := range map[string]bool{
		"0.39": true, "0.40": false, "1.39": true, "1.40": false, "2.40": true, "3.0": false,
		"2.2147483567": true, "2.2147483568": false,
	} {
		o, err := ParseOID(s)
		switch {
		case ok && (err != nil || o.String() != s):
			t.Errorf("ParseOID(%q) = %q, %v; want it to round-trip", s, o, err)
		case !ok && err == nil:
			t.Errorf("ParseOID(%q) = %x; want an error", s, string(o))
		}
	}
}

// TestReadTimeLeapDays: 29 February exists in years divisible by 4, except
// centuries not divisible by 400 (Gregorian calendar), in both time forms.
//
// spec: rfc5280#4.1.2.5
func TestReadTimeLeapDays(t *testing.T) {
	for _, tc := range []struct {
		tag   Tag
		value string
		ok    bool
	}{
		{TagUTCTime, "000229000000Z", true},            // 2000
		{TagUTCTime, "240229000000Z", true},            // 2024
		{TagUTCTime, "230229000000Z", false},           // 2023
		{TagGeneralizedTime, "19000229000000Z", false}, // a century
		{TagGeneralizedTime, "20000229000000Z", true},  // divisible by 400
		{TagGeneralizedTime, "21000229000000Z", false}, // a century
		{TagGeneralizedTime, "24000229000000Z", true},  // divisible by 400
		{TagGeneralizedTime, "20960229000000Z", true},  // divisible by 4
		{TagGeneralizedTime, "20970228000000Z", true},  // any year's 28th
		{TagGeneralizedTime, "20970229000000Z", false}, // not divisible by 4
	} {
		var b DERBuilder
		b.AddElement(tc.tag, []byte(tc.value))
		der, _ := b.Bytes()
		got, err := NewDERReader(der, "t").ReadTime()
		switch {
		case tc.ok && (err != nil || got.Day() != 29 && got.Day() != 28):
			t.Errorf("%v %s: %v, %v; want it read", tc.tag, tc.value, got, err)
		case !tc.ok && err == nil:
			t.Errorf("%v %s: read as %v; want an error (no such day)", tc.tag, tc.value, got)
		}
	}
}

// TestTeletexStringASCIIBounds: a TeletexString (T61String) is read when
// every byte is printable ASCII, space (0x20) through tilde (0x7e); 0x1f and
// 0x7f are refused.
func TestTeletexStringASCIIBounds(t *testing.T) {
	for value, ok := range map[string]bool{" ~": true, "a\x1f": false, "a\x7f": false} {
		var b DERBuilder
		b.AddElement(TagT61String, []byte(value))
		der, _ := b.Bytes()
		_, got, err := NewDERReader(der, "t").ReadString()
		if ok && (err != nil || got != value) || !ok && err == nil {
			t.Errorf("TeletexString %q: %q, %v; want accepted %v", value, got, err, ok)
		}
	}
}
