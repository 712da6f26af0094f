package ecdsa

import (
	"bytes"
	"encoding/asn1"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// sigValue is ECDSA-Sig-Value for encoding/asn1, the oracle.
type sigValue struct{ R, S *big.Int }

// magnitude is what ParseSignature returns for the integer x: its
// big-endian bytes without leading zeros, and the one content byte 00 for
// zero (DER writes 0 as 02 01 00, and only a sign byte is dropped).
func magnitude(x *big.Int) []byte {
	if x.Sign() == 0 {
		return []byte{0}
	}
	return x.Bytes()
}

// checkSignatureDER marshals (r, s), compares the encoding with
// encoding/asn1's, and parses it back to the minimal magnitudes.
func checkSignatureDER(t fataler, r, s []byte) {
	t.Helper()
	ri, si := new(big.Int).SetBytes(r), new(big.Int).SetBytes(s)
	want, err := asn1.Marshal(sigValue{ri, si})
	if err != nil {
		t.Fatalf("encoding/asn1: %v", err)
	}
	got := MarshalSignature(r, s)
	if !bytes.Equal(got, want) {
		t.Fatalf("MarshalSignature(%x, %x) =\n%x\nencoding/asn1 gives\n%x", r, s, got, want)
	}
	pr, ps, err := ParseSignature(got)
	if err != nil {
		t.Fatalf("ParseSignature(%x): %v", got, err)
	}
	if diff := cmp.Diff([][]byte{magnitude(ri), magnitude(si)}, [][]byte{pr, ps}); diff != "" {
		t.Fatalf("ParseSignature(%x) (-want +got):\n%s", got, diff)
	}
}

// TestSignatureDERMatchesASN1: MarshalSignature writes the DER that
// encoding/asn1 writes for ECDSA-Sig-Value (rfc3279#2.2.3) for integers of
// any length, dropping leading zero bytes of its input and adding a 00 sign
// byte before a set top bit (X.690 §8.3.2), with the long form of a length
// from 128 on (X.690 §8.1.3.5, one and two length bytes), and ParseSignature
// reads it back to the integers without leading zeros. P-256 and P-384
// signatures (102 bytes at most) never need the long form; the exported
// functions take integers of any size.
func TestSignatureDERMatchesASN1(t *testing.T) {
	// Bodies of 127 and 128 bytes (the short form's last length and the
	// long form's first), 255 and 256 (one length byte, then two), each
	// integer being its magnitude plus a 2-byte header; then an r of 130
	// bytes, an INTEGER with a long-form length of its own.
	for _, c := range []struct{ body, rLen int }{{127, 60}, {128, 60}, {255, 120}, {256, 120}, {300, 130}} {
		r := bytes.Repeat([]byte{0x11}, c.rLen)
		s := bytes.Repeat([]byte{0x22}, c.body-4-c.rLen)
		checkSignatureDER(t, r, s)
	}
	rapid.Check(t, func(t *rapid.T) {
		// Leading zero bytes, set top bits and zero values all occur.
		part := func(name string) []byte {
			zeros := rapid.IntRange(0, 3).Draw(t, name+" zeros")
			x := rapid.SliceOfN(rapid.Byte(), 0, 200).Draw(t, name)
			return append(make([]byte, zeros), x...)
		}
		checkSignatureDER(t, part("r"), part("s"))
	})
}
