package handshake

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestWireIntegers: builder and reader agree on every integer width, and
// the recording reader names each field at the right offset.
func TestWireIntegers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.Uint8().Draw(t, "a")
		b := rapid.Uint16().Draw(t, "b")
		c := rapid.Uint32Range(0, 1<<24-1).Draw(t, "c")
		d := rapid.Uint32().Draw(t, "d")
		var bl builder
		bl.u8(a)
		bl.u16(b)
		bl.u24(c)
		bl.u32(d)
		out, err := bl.result()
		if err != nil || len(out) != 10 {
			t.Fatalf("built %x, %v", out, err)
		}
		var rec []Field
		r := newRecordingReader(out, "test", &rec)
		if r.u8("a") != a || r.u16("b") != b || r.u24("c") != c || r.u32("d") != d {
			t.Fatal("read back differs")
		}
		if err := r.finish("test"); err != nil {
			t.Fatal(err)
		}
		if len(rec) != 4 || rec[3].Offset != 6 || rec[3].Length != 4 || rec[2].Name != "c" {
			t.Fatalf("fields %+v", rec)
		}
		// Any truncation fails with a reason instead of panicking.
		for i := 0; i < len(out); i++ {
			r := newReader(out[:i], "test")
			r.u8("a")
			r.u16("b")
			r.u24("c")
			r.u32("d")
			err := r.finish("test")
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(pe.Reason, "need") {
				t.Fatalf("prefix %d: %v", i, err)
			}
		}
	})
}

func TestWireVectorBounds(t *testing.T) {
	var b builder
	b.opaque(1, 2, 3, "x", []byte{1})
	if _, err := b.result(); err == nil {
		t.Error("vector below its floor built")
	}
	b = builder{}
	b.opaque(1, 0, 1000, "x", make([]byte, 256))
	if _, err := b.result(); err == nil {
		t.Error("256 bytes fit a 1-byte length prefix")
	}
	b = builder{}
	b.vector(2, 0, 1<<16-1, "outer", func(b *builder) { b.opaque(1, 0, 255, "inner", []byte("hi")) })
	out, err := b.result()
	if err != nil || !bytes.Equal(out, []byte{0, 3, 2, 'h', 'i'}) {
		t.Fatalf("nested = %x, %v", out, err)
	}
	// A child reader cannot read past its own length even if the parent
	// has more bytes.
	r := newReader([]byte{0, 1, 7, 8, 9}, "test")
	c := r.vector(2, 0, 10, "v")
	if c.u16("too far") != 0 || !c.failed() {
		t.Error("child read past its end")
	}
	// Leftover bytes are an error with a reason.
	r = newReader([]byte{0, 2, 7, 8, 9}, "test")
	r.vector(2, 0, 10, "v").u8("first")
	if err := r.finish("test"); err == nil || !strings.Contains(err.Error(), "trailing") {
		t.Errorf("leftover: %v", err)
	}
	// A length beyond the ceiling or the buffer is refused before reading.
	for _, in := range [][]byte{{0, 11}, {0, 5, 1}} {
		r = newReader(in, "test")
		r.vector(2, 0, 10, "v")
		if err := r.finish("test"); err == nil {
			t.Errorf("%x accepted", in)
		}
	}
}
