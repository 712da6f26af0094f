package attack

import "encoding/binary"

// Elem is an element of GF(2^128) in the bit order of GCM
// (sp800-38d#6.3): hi holds bytes 0..7 of the 16-byte block big-endian,
// lo bytes 8..15, and the most significant bit of byte 0 is the
// coefficient of x^0. Addition is XOR.
type Elem struct{ Hi, Lo uint64 }

// LoadElem reads a 16-byte block as a field element.
func LoadElem(b []byte) Elem {
	return Elem{binary.BigEndian.Uint64(b[0:8]), binary.BigEndian.Uint64(b[8:16])}
}

// Bytes returns the 16-byte block of e.
func (e Elem) Bytes() []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b[0:8], e.Hi)
	binary.BigEndian.PutUint64(b[8:16], e.Lo)
	return b
}

// IsZero reports whether e is the zero element.
func (e Elem) IsZero() bool { return e.Hi|e.Lo == 0 }

// Add returns e + f, which in characteristic 2 is also e - f.
func (e Elem) Add(f Elem) Elem { return Elem{e.Hi ^ f.Hi, e.Lo ^ f.Lo} }

// One is the multiplicative identity: the polynomial 1, whose bit is the
// top bit of byte 0.
var One = Elem{Hi: 1 << 63}

// Mul returns e·f, by Algorithm 1 of sp800-38d#6.3 (shift and add, with
// R = 11100001 || 0^120 folding x^128 back in). It is the textbook
// bit-at-a-time product: variable time, which is fine for an attacker.
func (e Elem) Mul(f Elem) Elem {
	var z Elem
	v := f
	for i := 0; i < 128; i++ {
		var bit uint64
		if i < 64 {
			bit = e.Hi >> (63 - i) & 1
		} else {
			bit = e.Lo >> (127 - i) & 1
		}
		if bit == 1 {
			z = z.Add(v)
		}
		carry := v.Lo & 1
		v.Lo = v.Lo>>1 | v.Hi<<63
		v.Hi >>= 1
		if carry == 1 {
			v.Hi ^= 0xe1 << 56
		}
	}
	return z
}

// Square returns e·e.
func (e Elem) Square() Elem { return e.Mul(e) }

// Inverse returns e^-1 = e^(2^128-2) (Fermat); the inverse of zero is
// zero.
func (e Elem) Inverse() Elem {
	// 2^128-2 = 0b111…10: square and multiply over 127 one-bits, then one
	// last squaring.
	r := One
	for i := 0; i < 127; i++ {
		r = r.Mul(e).Square()
	}
	return r
}
