package rsa

import (
	"errors"
	"math/bits"
)

// nat is a natural number of a fixed width: a slice of limbs (machine words of
// _W bits) in little-endian order, so x = Σ x[i]·2^(W·i). The width len(x) is
// public and never depends on the value; a value that needs fewer limbs simply
// has zero limbs at the top. All methods here run in time that depends only on
// the widths of their operands, unless their name ends in VarTime.
//
// Operands of a two-argument method must have the same width unless stated
// otherwise.
type nat []uint

// newNat returns a zero nat of n limbs.
func newNat(n int) nat { return make(nat, n) }

// limbsFor returns how many limbs hold a number of byteLen bytes.
func limbsFor(byteLen int) int { return (byteLen + _W/8 - 1) / (_W / 8) }

// errNatTooLong reports that a byte string does not fit the requested width.
var errNatTooLong = errors.New("minitls/cipher/rsa: number too large for its width")

// natFromBytes decodes the big-endian b into a new nat of n limbs. It fails if
// the value does not fit. Leading zero bytes are allowed.
func natFromBytes(b []byte, n int) (nat, error) {
	x := newNat(n)
	if err := x.setBytes(b); err != nil {
		return nil, err
	}
	return x, nil
}

// setBytes sets x to the big-endian value b. Whether the value fits is a
// length check plus an inspection of the extra bytes; callers only pass
// inputs whose length is public.
func (x nat) setBytes(b []byte) error {
	clear(x)
	i, k := len(b), 0
	for k < len(x) && i > 0 {
		var limb uint
		for s := 0; s < _W && i > 0; s += 8 {
			i--
			limb |= uint(b[i]) << s
		}
		x[k] = limb
		k++
	}
	// Whatever is left over must be zero.
	var rest byte
	for _, c := range b[:i] {
		rest |= c
	}
	if rest != 0 {
		return errNatTooLong
	}
	return nil
}

// fillBytes writes x big-endian into all of buf, which must be large enough
// for the value; high limbs that do not fit must be zero (they are dropped).
func (x nat) fillBytes(buf []byte) []byte {
	clear(buf)
	i := len(buf)
	for _, limb := range x {
		for s := 0; s < _W && i > 0; s += 8 {
			i--
			buf[i] = byte(limb >> s)
		}
	}
	return buf
}

// bytes returns x as exactly n big-endian bytes.
func (x nat) bytes(n int) []byte { return x.fillBytes(make([]byte, n)) }

// clone returns a copy of x.
func (x nat) clone() nat { return append(nat(nil), x...) }

// setUint sets x to the single-limb value y.
func (x nat) setUint(y uint) nat {
	clear(x)
	x[0] = y
	return x
}

// isZero returns 1 if x == 0.
func (x nat) isZero() choice {
	var acc uint
	for _, l := range x {
		acc |= l
	}
	return ctEq(acc, 0)
}

// equal returns 1 if x == y.
func (x nat) equal(y nat) choice {
	var acc uint
	for i := range x {
		acc |= x[i] ^ y[i]
	}
	return ctEq(acc, 0)
}

// cmpGeq returns 1 if x >= y: it computes x - y and looks only at the final
// borrow.
func (x nat) cmpGeq(y nat) choice {
	var b uint
	for i := range x {
		_, b = bits.Sub(x[i], y[i], b)
	}
	return not(choice(b))
}

// assign sets x = y if on == 1 and leaves x alone if on == 0, touching every
// limb either way.
func (x nat) assign(on choice, y nat) nat {
	m := ctMask(on)
	for i := range x {
		x[i] ^= m & (x[i] ^ y[i])
	}
	return x
}

// add sets x = x + y mod 2^(W·len(x)) and returns the carry out (0 or 1).
func (x nat) add(y nat) uint {
	var c uint
	for i := range x {
		x[i], c = bits.Add(x[i], y[i], c)
	}
	return c
}

// sub sets x = x - y mod 2^(W·len(x)) and returns the borrow out (0 or 1).
func (x nat) sub(y nat) uint {
	var b uint
	for i := range x {
		x[i], b = bits.Sub(x[i], y[i], b)
	}
	return b
}

// shiftLeft1 sets x = 2x + in (in is 0 or 1) and returns the bit shifted out.
func (x nat) shiftLeft1(in uint) uint {
	for i := range x {
		out := x[i] >> (_W - 1)
		x[i] = x[i]<<1 | in
		in = out
	}
	return in
}

// shiftRight1 sets x = (x + carry·2^(W·len(x))) / 2, i.e. shifts right by one
// bit with carry entering at the top.
func (x nat) shiftRight1(carry uint) {
	for i := len(x) - 1; i >= 0; i-- {
		out := x[i] & 1
		x[i] = x[i]>>1 | carry<<(_W-1)
		carry = out
	}
}

// bitLenVarTime returns the number of significant bits of x. It leaks the
// value's size, so it is used only on public values or in key generation.
func (x nat) bitLenVarTime() int {
	for i := len(x) - 1; i >= 0; i-- {
		if x[i] != 0 {
			return i*_W + bits.Len(x[i])
		}
	}
	return 0
}

// mulPlain returns the full product x·y (len(x)+len(y) limbs), schoolbook.
// It is constant time in the values.
func mulPlain(x, y nat) nat {
	z := newNat(len(x) + len(y))
	for j, yj := range y {
		var c uint
		for i, xi := range x {
			hi, lo := bits.Mul(xi, yj)
			lo, cc := bits.Add(lo, z[i+j], 0)
			hi += cc
			lo, cc = bits.Add(lo, c, 0)
			hi += cc
			z[i+j] = lo
			c = hi
		}
		z[j+len(x)] = c
	}
	return z
}

// resize returns x as a nat of n limbs, dropping high limbs (which the caller
// knows are zero) or adding zero ones.
func (x nat) resize(n int) nat {
	z := newNat(n)
	copy(z, x)
	return z
}

// modGeneric returns x mod m for any m > 0 (even or odd), as len(m) limbs,
// feeding in the bits of x from the top one at a time:
//
//	acc = 2·acc + bit;  if acc >= m { acc -= m }
//
// Because acc < m before the step, 2·acc + 1 < 2m, so one conditional
// subtraction keeps acc < m. It costs W·len(x)·len(m) limb operations, which
// is fine for key set-up; the hot path uses modulus.reduce instead. Constant
// time in the values of x and m.
func modGeneric(x, m nat) nat {
	acc := newNat(len(m))
	t := newNat(len(m))
	for i := len(x) - 1; i >= 0; i-- {
		for s := _W - 1; s >= 0; s-- {
			hi := acc.shiftLeft1((x[i] >> s) & 1)
			copy(t, acc)
			b := t.sub(m)
			// acc >= m exactly when the shift overflowed or there was no borrow.
			acc.assign(choice(hi)|not(choice(b)), t)
		}
	}
	return acc
}

// addMasked sets x = x + (y & mask) for mask all-ones or zero, and returns the
// carry.
func (x nat) addMasked(y nat, mask uint) uint {
	var c uint
	for i := range x {
		x[i], c = bits.Add(x[i], y[i]&mask, c)
	}
	return c
}

// subMasked sets x = x - (y & mask) for mask all-ones or zero, and returns the
// borrow.
func (x nat) subMasked(y nat, mask uint) uint {
	var b uint
	for i := range x {
		x[i], b = bits.Sub(x[i], y[i]&mask, b)
	}
	return b
}
