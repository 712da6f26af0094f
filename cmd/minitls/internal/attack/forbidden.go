package attack

import (
	"encoding/binary"
	"errors"
	"io"
)

// ghashBlocks returns the blocks GHASH absorbs for additional data a and
// ciphertext c: a and c each zero-padded to whole blocks, then the block
// len(a) || len(c) in bits (sp800-38d#7.1, steps 5 and 6).
func ghashBlocks(a, c []byte) []Elem {
	var blocks []Elem
	pad := func(b []byte) {
		for len(b) > 0 {
			var blk [16]byte
			n := copy(blk[:], b)
			blocks = append(blocks, LoadElem(blk[:]))
			b = b[n:]
		}
	}
	pad(a)
	pad(c)
	var lens [16]byte
	binary.BigEndian.PutUint64(lens[0:8], uint64(len(a))*8)
	binary.BigEndian.PutUint64(lens[8:16], uint64(len(c))*8)
	return append(blocks, LoadElem(lens[:]))
}

// GHASHPoly returns GHASH_H(a, c) as a polynomial in H. GHASH folds its m
// blocks as Y = (Y + X_i)·H, so GHASH = X_1·H^m + X_2·H^(m-1) + … + X_m·H:
// the coefficient of H^k is block m-k+1, and the constant term is zero.
func GHASHPoly(a, c []byte) Poly {
	blocks := ghashBlocks(a, c)
	m := len(blocks)
	p := make(Poly, m+1)
	for i, b := range blocks {
		p[m-i] = b
	}
	return p
}

// GHASH returns GHASH_H(a, c).
func GHASH(h Elem, a, c []byte) Elem {
	var y Elem
	for _, b := range ghashBlocks(a, c) {
		y = y.Add(b).Mul(h)
	}
	return y
}

// Sealed is one GCM output the attacker saw: the additional data, the
// ciphertext and the tag.
type Sealed struct {
	AAD, Ciphertext, Tag []byte
}

// ErrNoCommonKey means the records yielded no candidate for H: they were
// not sealed under one key and one nonce.
var ErrNoCommonKey = errors.New("attack: no hash key H fits these records (were they really sealed under one key and one nonce?)")

// RecoverH runs the forbidden attack (Joux 2006): records sealed under one
// key with one nonce share the mask S = E_K(J0), so for any two of them
//
//	tag1 + tag2 = GHASH_H(a1, c1) + GHASH_H(a2, c2)
//
// and H is a root of the polynomial GHASH1(x) + GHASH2(x) + tag1 + tag2.
// Each further record (or pair) narrows the candidates to the roots every
// pair shares. It returns the candidates left (usually one) after using
// every record against the first.
func RecoverH(records []Sealed, random io.Reader) ([]Elem, error) {
	if len(records) < 2 {
		return nil, errors.New("attack: the forbidden attack needs at least two records with the same nonce")
	}
	var candidates []Elem
	for i, r := range records[1:] {
		p := pairPoly(records[0], r)
		roots, err := Roots(p, random)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			candidates = roots
			continue
		}
		var kept []Elem
		for _, c := range candidates {
			if p.Eval(c).IsZero() {
				kept = append(kept, c)
			}
		}
		candidates = kept
	}
	if len(candidates) == 0 {
		return nil, ErrNoCommonKey
	}
	return candidates, nil
}

// pairPoly is GHASH1(x) + GHASH2(x) + tag1 + tag2.
func pairPoly(r1, r2 Sealed) Poly {
	p := GHASHPoly(r1.AAD, r1.Ciphertext).Add(GHASHPoly(r2.AAD, r2.Ciphertext))
	t := LoadElem(r1.Tag).Add(LoadElem(r2.Tag))
	return p.Add(Poly{t})
}

// Mask returns S = E_K(J0) = tag + GHASH_H(a, c) of a record sealed with
// hash key h: the other half of what a forger needs.
func Mask(h Elem, r Sealed) Elem {
	return LoadElem(r.Tag).Add(GHASH(h, r.AAD, r.Ciphertext))
}

// Forge returns the tag that makes (a, c) authentic under the key and nonce
// whose hash key is h and mask is s: GHASH_H(a, c) + S.
func Forge(h, s Elem, a, c []byte) []byte {
	return GHASH(h, a, c).Add(s).Bytes()
}
