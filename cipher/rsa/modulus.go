package rsa

import "math/bits"

// Montgomery arithmetic in one page.
//
// Computing a·b mod m the school way needs a division by m, which is slow and
// hard to do in constant time. Montgomery's trick replaces the division by m
// with a division by a power of two, which is just dropping limbs.
//
// Let n be the limb count of m and R = 2^(W·n), the first power of the limb
// base above m. m is odd, so R is invertible mod m. The Montgomery form of x
// is x·R mod m. Montgomery multiplication computes
//
//	montMul(a, b) = a·b·R⁻¹ mod m
//
// so the product of two Montgomery forms is again a Montgomery form:
// montMul(aR, bR) = abR. montMul works one limb of b at a time: it adds
// a·b[i] to an accumulator T, then adds the multiple u·m of m that makes the
// lowest limb of T zero (u = T[0]·(-m⁻¹) mod 2^W, the precomputed m0inv),
// and shifts T down by one limb, which divides by 2^W exactly. After n steps
// T = (a·b + U·m)/R ≡ a·b·R⁻¹ (mod m), and T < 2m, so one conditional
// subtraction finishes the job.
//
// Converting into Montgomery form is one more montMul with the precomputed
// constant rr = R² mod m: montMul(x, R²) = x·R. Converting back is a montMul
// with 1: montMul(xR, 1) = x.
//
// Exponentiation (see exp) stays in Montgomery form throughout, so the cost of
// converting is paid twice per exponentiation, not once per multiplication.

// modulus is an odd modulus m > 1 with its precomputed Montgomery constants.
// Its width (limb count) and bit length are public.
type modulus struct {
	m      nat  // the modulus itself, n limbs, odd
	bitLen int  // number of significant bits of m (public)
	m0inv  uint // -m⁻¹ mod 2^W
	rr     nat  // R² mod m, R = 2^(W·n)
	one    nat  // R mod m: 1 in Montgomery form
	// path, if not pathActive, pins this modulus' arithmetic to one path
	// (the byte-level ModMulOn and friends); RSA keys leave it unset and
	// follow activePath.
	path path
	// r52 is m in radix 2^52 for the avx512-ifma path's exponentiation, or
	// nil where that path cannot run (set by initAsm, nat_amd64.go).
	r52 *radix52Modulus
}

// pathNow returns the path m's arithmetic runs on now.
func (m *modulus) pathNow() path {
	if m.path != pathActive {
		return m.path
	}
	return activePath()
}

// newModulus builds a modulus from its big-endian encoding. Leading zero bytes
// are stripped first, so the width follows the value's byte length: callers
// pass public values (RSA moduli) or values whose size is fixed by the key
// size (primes).
func newModulus(b []byte) (*modulus, error) { return newModulusOn(b, pathActive) }

// newModulusOn is newModulus with the arithmetic pinned to path p
// (pathActive: follow activePath).
func newModulusOn(b []byte, p path) (*modulus, error) {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	x, err := natFromBytes(b, limbsFor(len(b)))
	if err != nil || len(x) == 0 {
		return nil, ErrModulus
	}
	return newModulusFromNatOn(x, p)
}

// newModulusFromNat builds a modulus from x, whose top limb must be non-zero.
func newModulusFromNat(x nat) (*modulus, error) { return newModulusFromNatOn(x, pathActive) }

// newModulusFromNatOn is newModulusFromNat with the arithmetic pinned to p.
func newModulusFromNatOn(x nat, p path) (*modulus, error) {
	if len(x) == 0 || x[0]&1 == 0 || x[len(x)-1] == 0 || (len(x) == 1 && x[0] == 1) {
		return nil, ErrModulus
	}
	m := &modulus{m: x, bitLen: x.bitLenVarTime(), path: p}
	m.m0inv = minusInverseModW(x[0])
	m.one = m.computeR()
	m.rr = m.computeRR()
	initAsm(m)
	return m, nil
}

// size returns the number of limbs of m.
func (m *modulus) size() int { return len(m.m) }

// byteLen returns the number of bytes of m.
func (m *modulus) byteLen() int { return (m.bitLen + 7) / 8 }

// minusInverseModW returns -x⁻¹ mod 2^W for odd x, by Newton's iteration:
// if y·x ≡ 1 mod 2^k then y·(2 - x·y)·x ≡ 1 mod 2^2k. y = x is correct mod
// 2^3 for every odd x, so five doublings reach 96 ≥ 64 bits.
func minusInverseModW(x uint) uint {
	y := x
	for range 5 {
		y *= 2 - x*y
	}
	return -y
}

// computeR returns R mod m. It starts from 2^(bitLen-1), which is below m
// because m is odd and > 1, and doubles it (with a conditional subtraction)
// until it reaches 2^(W·n). At most W doublings.
func (m *modulus) computeR() nat {
	n := m.size()
	x := newNat(n)
	x[(m.bitLen-1)/_W] = 1 << ((m.bitLen - 1) % _W)
	t := newNat(n)
	for range n*_W - m.bitLen + 1 {
		hi := x.shiftLeft1(0)
		copy(t, x)
		b := t.sub(m.m)
		x.assign(choice(hi)|not(choice(b)), t)
	}
	return x
}

// computeRR returns R² mod m. R² is the Montgomery form of R = 2^(W·n), so
// starting from 2R mod m (the Montgomery form of 2) it raises 2 to the power
// W·n with Montgomery squarings and multiplications: about log2(W·n)
// montMuls instead of W·n modular doublings.
func (m *modulus) computeRR() nat {
	n := m.size()
	two := m.one.clone()
	m.modAdd(two, m.one) // 2R mod m
	acc := m.one.clone()
	t := newNat(2 * n)
	e := uint(n * _W) // public
	for i := bits.Len(e) - 1; i >= 0; i-- {
		m.montSqr(acc, acc, t)
		if (e>>i)&1 == 1 {
			m.montMul(acc, acc, two, t)
		}
	}
	return acc
}

// montMul sets out = a·b·R⁻¹ mod m. All nats have the width n of m, except
// the scratch space t, which needs 2n limbs. out may alias a or b, never t.
// It requires b < m and a < R (a need not be reduced); the result is fully
// reduced (< m). It runs on the active path (path.go): assembly where the
// CPU and m's width allow, else montMulGeneric.
func (m *modulus) montMul(out, a, b, t nat) {
	if !montMulAsm(m, out, a, b, t) {
		m.montMulGeneric(out, a, b, t)
	}
}

// montSqr sets out = a²·R⁻¹ mod m for a < m, with t of 2n limbs as scratch,
// on the active path like montMul.
func (m *modulus) montSqr(out, a, t nat) {
	if !montSqrAsm(m, out, a, t) {
		m.montSqrGeneric(out, a, t)
	}
}

// montMulGeneric is montMul in Go, the portable path (and the reference the
// assembly is tested against).
//
// The loop interleaves the two halves of a Montgomery step ("CIOS", coarsely
// integrated operand scanning). For each limb b[i], in one pass over j:
//
//	(c1, lo)     = a[j]·b[i] + t[j] + c1   // accumulate a·b[i]
//	(c2, t[j-1]) = lo + m[j]·u + c2        // add u·m, shift down one limb
//
// where u = (t[0] + a[0]·b[i])·(-m⁻¹) mod 2^W is chosen so that column 0
// becomes zero and the shift (a division by 2^W) is exact. Neither sum can
// overflow two limbs: (2^W-1)² + 2·(2^W-1) = 2^2W - 1. After n steps
// T = (a·b + U·m)/R ≡ a·b·R⁻¹ (mod m), and T < (R·m + R·m)/R = 2m, so one
// conditional subtraction of m finishes the job.
func (m *modulus) montMulGeneric(out, a, b, t nat) {
	mm := m.m
	n := len(mm)
	a, b, t = a[:n], b[:n], t[:n]
	clear(t)
	m0inv := m.m0inv
	var top uint // the limb above t; it stays 0 or 1 since T < a + m < 2R
	for i := range n {
		bi := b[i]
		hi, lo := bits.Mul(a[0], bi)
		var c uint
		lo, c = bits.Add(lo, t[0], 0)
		c1 := hi + c
		u := lo * m0inv
		hi, mlo := bits.Mul(mm[0], u)
		_, c = bits.Add(lo, mlo, 0) // the sum is 0 mod 2^W by choice of u
		c2 := hi + c
		for j := 1; j < n; j++ {
			hi, lo = bits.Mul(a[j], bi)
			lo, c = bits.Add(lo, t[j], 0)
			hi += c
			lo, c = bits.Add(lo, c1, 0)
			c1 = hi + c
			hi, mlo = bits.Mul(mm[j], u)
			lo, c = bits.Add(lo, mlo, 0)
			hi += c
			lo, c = bits.Add(lo, c2, 0)
			c2 = hi + c
			t[j-1] = lo
		}
		s, cA := bits.Add(c1, c2, 0)
		s, cB := bits.Add(s, top, 0)
		t[n-1] = s
		top = cA + cB
	}
	m.finalSub(out, t, top)
}

// finalSub sets out = T - m if T >= m, else T, for T = t + top·R < 2m, in
// constant time.
func (m *modulus) finalSub(out, t nat, top uint) {
	mm := m.m
	t = t[:len(mm)]
	var borrow uint
	for j := range mm {
		out[j], borrow = bits.Sub(t[j], mm[j], borrow)
	}
	// Keep T itself if top == 0 and the subtraction borrowed (T < m).
	keepT := not(choice(top)) & choice(borrow)
	out.assign(keepT, t)
}

// montSqrGeneric is montSqr in Go, the portable path. Squaring is most of an
// exponentiation, and it can skip almost half of the limb products: in a² = Σ a[i]·a[j]·2^(W(i+j)) every product with i ≠ j
// appears twice. So it
//
//  1. adds the products a[i]·a[j] with i < j into T (n(n-1)/2 of them),
//  2. doubles T with a one-bit shift,
//  3. adds the squares a[i]² on the diagonal,
//
// and then runs the Montgomery reduction on the 2n-limb T: for each of the n
// low limbs, add the multiple u·m that zeroes it; T/R is then ≡ a²·R⁻¹ and
// below 2m, as in montMul.
func (m *modulus) montSqrGeneric(out, a, t nat) {
	mm := m.m
	n := len(mm)
	a, t = a[:n], t[:2*n]
	clear(t)
	for i := 0; i < n-1; i++ {
		t[i+n] = addMulVVW(t[2*i+1:i+n], a[i+1:n], a[i])
	}
	var hi uint
	for i := range t {
		t[i], hi = t[i]<<1|hi, t[i]>>(_W-1)
	}
	var c uint
	for i := range n {
		h, l := bits.Mul(a[i], a[i])
		t[2*i], c = bits.Add(t[2*i], l, c)
		t[2*i+1], c = bits.Add(t[2*i+1], h, c)
	}
	m0inv := m.m0inv
	var top uint // carry out of the high half: 0 or 1
	for i := range n {
		u := t[i] * m0inv
		c := addMulVVW(t[i:n+i], mm, u)
		t[n+i], top = bits.Add(t[n+i], c, top)
	}
	m.finalSub(out, t[n:], top)
}

// addMulVVW sets z = z + x·y, for len(z) == len(x), and returns the limb
// that carries out. Each step adds a two-limb product and two one-limb
// values: (2^W-1)² + 2(2^W-1) = 2^2W - 1, so the carry always fits a limb.
func addMulVVW(z, x []uint, y uint) (carry uint) {
	x = x[:len(z)]
	for i := range z {
		hi, lo := bits.Mul(x[i], y)
		var c uint
		lo, c = bits.Add(lo, z[i], 0)
		hi += c
		lo, c = bits.Add(lo, carry, 0)
		hi += c
		z[i] = lo
		carry = hi
	}
	return carry
}

// modAdd sets x = x + y mod m, for x, y < m.
func (m *modulus) modAdd(x, y nat) {
	c := x.add(y)
	// x+y < 2m: subtract m if the sum overflowed or is still >= m.
	need := choice(c) | x.cmpGeq(m.m)
	x.subMasked(m.m, ctMask(need))
}

// modSub sets x = x - y mod m, for x, y < m.
func (m *modulus) modSub(x, y nat) {
	b := x.sub(y)
	// If it borrowed, x holds x - y + 2^(W·n); adding m wraps it back.
	x.addMasked(m.m, ctMask(choice(b)))
}

// modMul returns x·y mod m (not in Montgomery form), for x < R and y < m.
func (m *modulus) modMul(x, y nat) nat {
	t := newNat(2 * m.size())
	out := newNat(m.size())
	m.montMul(out, x, m.rr, t) // xR
	m.montMul(out, out, y, t)  // xR·y·R⁻¹ = xy
	return out
}

// reduce returns x mod m for an x of any width, in constant time.
//
// x is cut into chunks of n limbs (the width of m), highest first:
// x = Σ c_k·R^k. Horner's rule in Montgomery form gives
//
//	acc = acc·R + c_k  (mod m)
//
// where montMul(acc, R²) multiplies a Montgomery form by R, and
// montMul(c_k, R²) is the Montgomery form of c_k even when c_k >= m, because
// montMul only needs its second operand reduced. A final montMul by 1 leaves
// Montgomery form. This is how CRT reduces c mod p and c mod q.
func (m *modulus) reduce(x nat) nat {
	n := m.size()
	t := newNat(2 * n)
	acc := newNat(n)
	chunk := newNat(n)
	cm := newNat(n)
	chunks := (len(x) + n - 1) / n
	for k := chunks - 1; k >= 0; k-- {
		clear(chunk)
		copy(chunk, x[k*n:min(len(x), (k+1)*n)])
		m.montMul(acc, acc, m.rr, t)  // acc·R
		m.montMul(cm, chunk, m.rr, t) // c_k·R
		m.modAdd(acc, cm)
	}
	one := newNat(n).setUint(1)
	m.montMul(acc, acc, one, t)
	return acc
}

// exp returns x^e mod m in constant time, for x < m. The exponent is the
// big-endian byte string e; its length is public, its bits are secret.
//
// Fixed 4-bit window: the exponent is read four bits (one nibble) at a time
// from the top. For each nibble w the accumulator is squared four times
// (multiplying its exponent by 16) and then multiplied by x^w, taken from a
// table of x^0 … x^15 prepared in advance. Every nibble, even w = 0, costs
// exactly four squarings and one multiplication, and the table entry is
// picked by reading all 16 entries and keeping the wanted one with a mask, so
// neither the sequence of operations nor the memory addresses touched depend
// on the exponent. Compared with bit-by-bit square-and-multiply it needs about
// a quarter of the multiplications.
func (m *modulus) exp(x nat, e []byte) nat {
	if z := expAsm(m, x, e); z != nil {
		return z
	}
	n := m.size()
	// One allocation for everything: 16 table entries, the accumulator, the
	// selected entry and montMul scratch.
	buf := newNat(20 * n)
	var table [16]nat
	for i := range table {
		table[i] = buf[i*n : (i+1)*n]
	}
	acc := buf[16*n : 17*n]
	sel := buf[17*n : 18*n]
	t := buf[18*n : 20*n]

	copy(table[0], m.one)           // x^0 = 1 in Montgomery form
	m.montMul(table[1], x, m.rr, t) // x·R
	for i := 2; i < len(table); i++ {
		m.montMul(table[i], table[i-1], table[1], t)
	}

	copy(acc, m.one)
	for _, b := range e {
		for _, w := range [2]uint{uint(b >> 4), uint(b & 0x0f)} {
			m.montSqr(acc, acc, t)
			m.montSqr(acc, acc, t)
			m.montSqr(acc, acc, t)
			m.montSqr(acc, acc, t)
			// Constant-time table lookup: read every entry.
			clear(sel)
			for k := range table {
				mask := ctMask(ctEq(uint(k), w))
				for j := range sel {
					sel[j] |= table[k][j] & mask
				}
			}
			m.montMul(acc, acc, sel, t)
		}
	}
	// Leave Montgomery form: montMul(acc, 1) = acc·R⁻¹.
	m.montMul(acc, acc, sel.setUint(1), t)
	return acc.clone()
}

// expPair returns x^e mod m and x2^e2 mod m2: the two halves of an RSA-CRT
// private operation. Where the active path can, it runs them interleaved,
// each multiplication of one beside the same multiplication of the other
// (the avx512-ifma path's x2 code); else it runs exp twice.
func expPair(m *modulus, x nat, e []byte, m2 *modulus, x2 nat, e2 []byte) (nat, nat) {
	if z, z2 := expPairAsm(m, x, e, m2, x2, e2); z != nil {
		return z, z2
	}
	return m.exp(x, e), m2.exp(x2, e2)
}

// expPublic returns x^e mod m for x < m and a public exponent e, with plain
// left-to-right square-and-multiply. Its timing depends on e, which is fine
// because e is public (RSAEP, RSAVP1).
func (m *modulus) expPublic(x nat, e uint) nat {
	if z := expPublicAsm(m, x, e); z != nil {
		return z
	}
	n := m.size()
	t := newNat(2 * n)
	xm := newNat(n)
	m.montMul(xm, x, m.rr, t)
	acc := m.one.clone()
	for i := bits.Len(e) - 1; i >= 0; i-- {
		m.montSqr(acc, acc, t)
		if (e>>i)&1 == 1 {
			m.montMul(acc, acc, xm, t)
		}
	}
	m.montMul(acc, acc, xm.setUint(1), t)
	return acc
}

// inverseVarTime returns a⁻¹ mod m and true, or false if a has no inverse
// (a = 0 or gcd(a, m) > 1), for a < m.
//
// NOT constant time: the binary extended Euclidean algorithm takes a number of
// steps that depends on a. Callers only pass values that are uniformly random
// and independent of any secret they protect (the blinding code inverts r·t,
// not r).
//
// Invariants: x1·a ≡ u and x2·a ≡ v (mod m), with u = a, v = m at the start.
// Each step halves an even u or v (halving x mod m: x/2 if x is even, else
// (x+m)/2, m being odd) or subtracts the smaller of u, v from the larger,
// until one of them reaches 1.
func (m *modulus) inverseVarTime(a nat) (nat, bool) {
	n := m.size()
	if a.isZero() == 1 {
		return nil, false
	}
	u, v := a.clone(), m.m.clone()
	x1, x2 := newNat(n).setUint(1), newNat(n)
	one := newNat(n).setUint(1)
	halve := func(x nat) {
		if x[0]&1 == 1 {
			x.shiftRight1(x.add(m.m))
		} else {
			x.shiftRight1(0)
		}
	}
	for {
		for u[0]&1 == 0 {
			u.shiftRight1(0)
			halve(x1)
		}
		for v[0]&1 == 0 {
			v.shiftRight1(0)
			halve(x2)
		}
		if u.equal(one) == 1 {
			return x1, true
		}
		if v.equal(one) == 1 {
			return x2, true
		}
		if u.cmpGeq(v) == 1 {
			u.sub(v)
			m.modSub(x1, x2)
			if u.isZero() == 1 {
				return nil, false // u = v > 1 divides both a and m
			}
		} else {
			v.sub(u)
			m.modSub(x2, x1)
		}
	}
}
