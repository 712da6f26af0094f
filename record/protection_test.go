package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"pgregory.net/rapid"
)

// TestProtectionLayout builds the expected protected fragment by hand from the
// RFC's definitions — nonce = salt || seq_num, additional_data = seq_num ||
// type || version || length, fragment = seq_num || AEAD output — using the AEAD
// directly, and compares it with Seal.
func TestProtectionLayout(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			a, err := m.make(testKey)
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewProtection(a, testSalt)
			if err != nil {
				t.Fatal(err)
			}
			const seq = 0x0102030405060708
			pt := []byte("GET / HTTP/1.1\r\n\r\n")
			nonce := append(bytes.Clone(testSalt), 1, 2, 3, 4, 5, 6, 7, 8)
			ad := []byte{1, 2, 3, 4, 5, 6, 7, 8, 23, 3, 3, 0, byte(len(pt))}
			want := append([]byte{1, 2, 3, 4, 5, 6, 7, 8}, a.Seal(nil, nonce, pt, ad)...)
			got := p.Seal([]byte("hdr"), seq, ApplicationData, VersionTLS12, pt)
			if !bytes.Equal(got[:3], []byte("hdr")) || !bytes.Equal(got[3:], want) {
				t.Fatalf("Seal = %x\nwant   hdr%x", got, want)
			}
			if p.Overhead() != 8+16 {
				t.Fatalf("Overhead = %d", p.Overhead())
			}
		})
	}
}

// TestNewProtectionErrors: wrong salt length, nil AEAD.
func TestNewProtectionErrors(t *testing.T) {
	a, err := aeadMakers[0].make(testKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, salt := range [][]byte{nil, {1, 2, 3}, {1, 2, 3, 4, 5}, make([]byte, 12)} {
		if _, err := NewProtection(a, salt); err == nil {
			t.Errorf("salt of %d bytes accepted", len(salt))
		}
	}
	if _, err := NewProtection(nil, testSalt); err == nil {
		t.Error("nil AEAD accepted")
	}
}

// TestPropProtectRoundTrip: Open(Seal(x)) = x for random sequence numbers,
// types, versions and plaintexts, in place and into fresh buffers.
func TestPropProtectRoundTrip(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			seal := mustProtection(t, m, testKey, testSalt)
			open := mustProtection(t, m, testKey, testSalt)
			rapid.Check(t, func(t *rapid.T) {
				seq := rapid.OneOf(rapid.Uint64(), rapid.Uint64Range(0, 3), rapid.Uint64Range(1<<64-4, 1<<64-1)).Draw(t, "seq")
				typ := ContentType(rapid.IntRange(20, 23).Draw(t, "type"))
				vers := uint16(rapid.IntRange(0x0300, 0x03ff).Draw(t, "version"))
				pt := pseudoBytes(rapid.Uint64().Draw(t, "seed"), rapid.OneOf(rapid.IntRange(0, 64), rapid.IntRange(0, MaxPlaintext), rapid.Just(MaxPlaintext)).Draw(t, "n"))
				frag := seal.Seal(nil, seq, typ, vers, pt)
				if len(frag) != len(pt)+seal.Overhead() {
					t.Fatalf("fragment %d bytes for %d plaintext", len(frag), len(pt))
				}
				if binary.BigEndian.Uint64(frag) != seq {
					t.Fatalf("explicit nonce %x is not the sequence number %x", frag[:8], seq)
				}
				if rapid.Bool().Draw(t, "in place") {
					got, err := open.Open(frag[ExplicitNonceLen:ExplicitNonceLen], seq, typ, vers, frag)
					if err != nil || !bytes.Equal(got, pt) {
						t.Fatalf("in-place Open: %v", err)
					}
				} else {
					got, err := open.Open(nil, seq, typ, vers, frag)
					if err != nil || !bytes.Equal(got, pt) {
						t.Fatalf("Open: %v", err)
					}
				}
			})
		})
	}
}

// TestPropProtectTamper: a flipped bit anywhere in a protected record, a record
// opened under another sequence number (replayed or reordered) or a truncated
// fragment gives bad_record_mac and no plaintext. A flip in the header either
// breaks the framing (with the framing's alert) or, if the header still parses,
// fails authentication because the type and version are in the additional data.
func TestPropProtectTamper(t *testing.T) {
	for _, m := range aeadMakers {
		t.Run(m.name, func(t *testing.T) {
			seal := mustProtection(t, m, testKey, testSalt)
			open := mustProtection(t, m, testKey, testSalt)
			rapid.Check(t, func(t *rapid.T) {
				seq := rapid.Uint64().Draw(t, "seq")
				typ := ContentType(rapid.IntRange(20, 23).Draw(t, "type"))
				pt := pseudoBytes(rapid.Uint64().Draw(t, "seed"), rapid.IntRange(1, 2000).Draw(t, "n"))
				rec := Header{Type: typ, Version: VersionTLS12, Length: len(pt) + seal.Overhead()}.Append(nil)
				rec = seal.Seal(rec, seq, typ, VersionTLS12, pt)

				var got []byte
				var err error
				switch rapid.IntRange(0, 2).Draw(t, "attack") {
				case 0: // flip one bit, not in the length field
					bit := rapid.IntRange(0, len(rec)*8-1).Filter(func(b int) bool { return b/8 != 3 && b/8 != 4 }).Draw(t, "bit")
					rec[bit/8] ^= 1 << (bit % 8)
					h, herr := ParseHeader(rec, true)
					if herr != nil {
						if a := alertOf(t, herr); a != UnexpectedMessage && a != DecodeError {
							t.Fatalf("header flip: alert %v", a)
						}
						return
					}
					got, err = open.Open(nil, seq, h.Type, h.Version, rec[HeaderLen:])
				case 1: // wrong sequence number: replayed or reordered
					other := rapid.Uint64().Filter(func(s uint64) bool { return s != seq }).Draw(t, "other seq")
					got, err = open.Open(nil, other, typ, VersionTLS12, rec[HeaderLen:])
				case 2: // truncated
					cut := rapid.IntRange(0, len(rec)-HeaderLen-1).Draw(t, "cut")
					got, err = open.Open(nil, seq, typ, VersionTLS12, rec[HeaderLen:HeaderLen+cut])
				}
				if got != nil {
					t.Fatalf("tampered record opened to %x", got)
				}
				if a := alertOf(t, err); a != BadRecordMAC || !errors.Is(err, ErrBadRecordMAC) {
					t.Fatalf("alert %v (%v), want bad_record_mac", a, err)
				}
			})
		})
	}
}

// TestOpenWrongKeyOrSalt: the same record under another key or salt fails.
func TestOpenWrongKeyOrSalt(t *testing.T) {
	for _, m := range aeadMakers {
		p := mustProtection(t, m, testKey, testSalt)
		frag := p.Seal(nil, 7, ApplicationData, VersionTLS12, []byte("secret"))
		for _, q := range []*Protection{
			mustProtection(t, m, []byte("0123456789abcdeF"), testSalt),
			mustProtection(t, m, testKey, []byte{0xde, 0xad, 0xbe, 0xee}),
		} {
			if got, err := q.Open(nil, 7, ApplicationData, VersionTLS12, frag); got != nil || alertOf(t, err) != BadRecordMAC {
				t.Errorf("%s: opened under the wrong key material", m.name)
			}
		}
	}
}
