package rsa

// Numbers in radix 2^52, for the avx512-ifma path (nat_ifma_amd64.go): the
// IFMA instructions multiply 52-bit lanes, so that path holds a number as L
// limbs of 52 bits in uint64s, each array padded with zero limbs to a whole
// number of 8-lane registers. The conversions here are plain Go so that they
// can be tested on every platform; they run in time that depends only on the
// lengths.

// mask52 keeps the low 52 bits of a limb.
const mask52 = 1<<52 - 1

// radix52Modulus is what the 52-bit path needs to know about an odd modulus
// m of n limbs: its limbs in radix 2^52 and its Montgomery constants for
// R52 = 2^(52·l).
type radix52Modulus struct {
	l     int      // 52-bit limbs: 52·l ≥ W·n + 2, so that 4m < R52
	lanes int      // array length: l+1 (a zero pad limb) rounded up to a multiple of 8
	m     []uint64 // m in radix 2^52
	rr    []uint64 // R52² mod m
	one   []uint64 // R52 mod m: 1 in the 52-bit Montgomery form
	k0    uint64   // −m⁻¹ mod 2^52
}

// newRadix52Modulus returns m's 52-bit form with l limbs, or nil if l limbs
// of 52 bits do not leave the two spare bits the almost-Montgomery
// multiplication needs (4m < R52).
func newRadix52Modulus(m *modulus, l int) *radix52Modulus {
	n := m.size()
	if 52*l < _W*n+2 {
		return nil
	}
	r := &radix52Modulus{l: l, lanes: (l + 8) / 8 * 8}
	r.m = r.from(m.m)
	low := uint64(m.m[0]) // m mod 2^64
	if _W == 32 && n > 1 {
		low |= uint64(m.m[1]) << 32
	}
	r.k0 = -inverse64(low) & mask52
	r.rr = r.from(m.reduce(powerOfTwo(104 * l)))
	r.one = r.from(m.reduce(powerOfTwo(52 * l)))
	return r
}

// inverse64 returns x⁻¹ mod 2^64 for odd x, by Newton's iteration as in
// minusInverseModW.
func inverse64(x uint64) uint64 {
	y := x
	for range 5 {
		y *= 2 - x*y
	}
	return y
}

// powerOfTwo returns 2^k as a nat just wide enough.
func powerOfTwo(k int) nat {
	x := newNat(k/_W + 1)
	x[k/_W] = 1 << (k % _W)
	return x
}

// from returns x (any width, value below 2^(52·l)) in radix 2^52, as an
// array of r.lanes limbs.
func (r *radix52Modulus) from(x nat) []uint64 {
	dst := make([]uint64, r.lanes)
	toRadix52(dst, x)
	return dst
}

// toRadix52 writes x into dst in radix 2^52: limb j of dst holds bits
// 52j … 52j+51 of x. Limbs of dst beyond x's value are zeroed; bits of x that
// do not fit dst are dropped (callers make dst wide enough).
func toRadix52(dst []uint64, x nat) {
	clear(dst)
	j, filled := 0, 0 // next limb of dst, and how many of its bits are set
	for _, limb := range x {
		v, left := uint64(limb), _W
		for left > 0 && j < len(dst) {
			take := min(left, 52-filled)
			dst[j] |= (v & (1<<take - 1)) << filled
			v >>= take
			left -= take
			filled += take
			if filled == 52 {
				j, filled = j+1, 0
			}
		}
	}
}

// fromRadix52 writes the 52-bit limbs src into the nat x (the inverse of
// toRadix52); bits that do not fit x are dropped.
func fromRadix52(x nat, src []uint64) {
	clear(x)
	i, filled := 0, 0 // next limb of x, and how many of its bits are set
	for _, limb := range src {
		v, left := limb&mask52, 52
		for left > 0 && i < len(x) {
			take := min(left, _W-filled)
			x[i] |= uint((v & (1<<take - 1)) << filled)
			v >>= take
			left -= take
			filled += take
			if filled == _W {
				i, filled = i+1, 0
			}
		}
	}
}
