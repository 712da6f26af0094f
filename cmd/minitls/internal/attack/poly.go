package attack

import (
	"errors"
	"io"
)

// Poly is a polynomial over GF(2^128), its coefficients from the constant
// term up: p[i] is the coefficient of x^i. A trimmed Poly has a non-zero
// last coefficient; the zero polynomial is empty.
type Poly []Elem

// trim drops zero leading coefficients.
func (p Poly) trim() Poly {
	for len(p) > 0 && p[len(p)-1].IsZero() {
		p = p[:len(p)-1]
	}
	return p
}

// Degree returns the degree of p, -1 for the zero polynomial.
func (p Poly) Degree() int { return len(p.trim()) - 1 }

// Eval returns p(x), by Horner's rule.
func (p Poly) Eval(x Elem) Elem {
	var y Elem
	for i := len(p) - 1; i >= 0; i-- {
		y = y.Mul(x).Add(p[i])
	}
	return y
}

// Add returns p + q.
func (p Poly) Add(q Poly) Poly {
	if len(p) < len(q) {
		p, q = q, p
	}
	r := append(Poly(nil), p...)
	for i, c := range q {
		r[i] = r[i].Add(c)
	}
	return r.trim()
}

// Mul returns p·q.
func (p Poly) Mul(q Poly) Poly {
	p, q = p.trim(), q.trim()
	if len(p) == 0 || len(q) == 0 {
		return nil
	}
	r := make(Poly, len(p)+len(q)-1)
	for i, a := range p {
		for j, b := range q {
			r[i+j] = r[i+j].Add(a.Mul(b))
		}
	}
	return r.trim()
}

// DivMod returns the quotient and remainder of p by d (d not zero).
func (p Poly) DivMod(d Poly) (quo, rem Poly) {
	d = d.trim()
	if len(d) == 0 {
		panic("attack: polynomial division by zero")
	}
	rem = append(Poly(nil), p.trim()...)
	inv := One // dividing by a monic polynomial (the usual case) needs no inverse
	if lead := d[len(d)-1]; lead != One {
		inv = lead.Inverse()
	}
	if len(rem) < len(d) {
		return nil, rem
	}
	quo = make(Poly, len(rem)-len(d)+1)
	for len(rem) >= len(d) {
		shift := len(rem) - len(d)
		c := rem[len(rem)-1].Mul(inv)
		quo[shift] = c
		for i, b := range d {
			rem[shift+i] = rem[shift+i].Add(c.Mul(b))
		}
		rem = rem.trim()
	}
	return quo.trim(), rem
}

// Mod returns p mod d.
func (p Poly) Mod(d Poly) Poly {
	_, r := p.DivMod(d)
	return r
}

// Monic returns p divided by its leading coefficient.
func (p Poly) Monic() Poly {
	p = p.trim()
	if len(p) == 0 {
		return nil
	}
	inv := p[len(p)-1].Inverse()
	r := make(Poly, len(p))
	for i, c := range p {
		r[i] = c.Mul(inv)
	}
	return r
}

// GCD returns the monic greatest common divisor of p and q.
func GCD(p, q Poly) Poly {
	p, q = p.trim(), q.trim()
	for len(q) > 0 {
		p, q = q, p.Mod(q)
	}
	return p.Monic()
}

// X is the polynomial x.
var X = Poly{{}, One}

// Square returns p², which in characteristic 2 is the sum of c_i²·x^(2i):
// the cross terms come in pairs and cancel.
func (p Poly) Square() Poly {
	p = p.trim()
	if len(p) == 0 {
		return nil
	}
	r := make(Poly, 2*len(p)-1)
	for i, c := range p {
		r[2*i] = c.Square()
	}
	return r
}

// frobenius returns p^(2^k) mod m, by k squarings.
func frobenius(p, m Poly, k int) Poly {
	for i := 0; i < k; i++ {
		p = p.Square().Mod(m)
	}
	return p
}

// ErrZeroPoly is returned by Roots for the zero polynomial, of which every
// element is a root.
var ErrZeroPoly = errors.New("attack: the zero polynomial has every element as a root")

// Roots returns the distinct roots of p in GF(2^128), in no particular
// order, by the Cantor–Zassenhaus method; random supplies the splitting
// elements.
//
//  1. Every element of GF(2^128) is a root of x^(2^128) - x, and that
//     polynomial is the product of all (x - a). So g = gcd(p, x^(2^128) - x)
//     is the product of (x - r) over p's distinct roots r.
//  2. Split g: for a random a, the trace Tr(a·x) = sum (a·x)^(2^i), i < 128,
//     is 0 or 1 at each root, each with probability 1/2; gcd(g, Tr(a·x) mod g)
//     collects the roots where it is 0. Recurse on both factors until each
//     is linear; the root of x + c is c.
func Roots(p Poly, random io.Reader) ([]Elem, error) {
	p = p.trim()
	if len(p) == 0 {
		return nil, ErrZeroPoly
	}
	if len(p) == 1 {
		return nil, nil
	}
	p = p.Monic()
	xq := frobenius(X, p, 128)
	g := GCD(p, xq.Add(X))
	return split(g, random)
}

// split returns the roots of g, a monic product of distinct linear factors.
func split(g Poly, random io.Reader) ([]Elem, error) {
	switch g.Degree() {
	case 0:
		return nil, nil
	case 1:
		return []Elem{g[0]}, nil
	}
	var buf [16]byte
	for {
		if _, err := io.ReadFull(random, buf[:]); err != nil {
			return nil, err
		}
		ax := Poly{{}, LoadElem(buf[:])}.Mod(g)
		trace, y := ax, ax
		for i := 1; i < 128; i++ {
			y = y.Square().Mod(g)
			trace = trace.Add(y)
		}
		h := GCD(g, trace)
		if d := h.Degree(); d <= 0 || d >= g.Degree() {
			continue // a split that separated nothing: draw another a
		}
		other, _ := g.DivMod(h)
		left, err := split(h, random)
		if err != nil {
			return nil, err
		}
		right, err := split(other.Monic(), random)
		if err != nil {
			return nil, err
		}
		return append(left, right...), nil
	}
}
