package rsa

import (
	"errors"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// tb is the part of testing.TB that *rapid.T also has.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// natFromBig converts a *big.Int into a nat of n limbs (test helper).
func natFromBig(t tb, x *big.Int, n int) nat {
	t.Helper()
	z, err := natFromBytes(x.Bytes(), n)
	if err != nil {
		t.Fatalf("natFromBig: %v", err)
	}
	return z
}

// bigFromNat converts a nat back into a *big.Int (test helper).
func bigFromNat(x nat) *big.Int {
	return new(big.Int).SetBytes(x.bytes(len(x) * _W / 8))
}

// drawOddModulus draws a random odd modulus > 1 of 1..maxLimbs limbs,
// sometimes with a short top limb, sometimes with all-ones limbs.
func drawOddModulus(t *rapid.T, maxLimbs int) *big.Int {
	limbs := rapid.IntRange(1, maxLimbs).Draw(t, "limbs")
	b := rapid.SliceOfN(rapid.Byte(), limbs*_W/8, limbs*_W/8).Draw(t, "m")
	if rapid.Bool().Draw(t, "allOnes") {
		for i := range b {
			b[i] = 0xff
		}
	}
	b[0] |= 0x80
	topBits := rapid.IntRange(1, 8).Draw(t, "topShift")
	b[0] >>= uint(topBits - 1)
	if b[0] == 0 {
		b[0] = 1
	}
	b[len(b)-1] |= 1
	m := new(big.Int).SetBytes(b)
	if m.Cmp(big.NewInt(1)) == 0 {
		m.SetInt64(3)
	}
	return m
}

// drawBelow draws a uniformly-ish random number in [0, m).
func drawBelow(t *rapid.T, m *big.Int, label string) *big.Int {
	b := rapid.SliceOfN(rapid.Byte(), len(m.Bytes())+8, len(m.Bytes())+8).Draw(t, label)
	x := new(big.Int).SetBytes(b)
	switch rapid.IntRange(0, 9).Draw(t, label+"Kind") {
	case 0:
		return big.NewInt(0)
	case 1:
		return new(big.Int).Sub(m, big.NewInt(1))
	}
	return x.Mod(x, m)
}

func mustModulus(t tb, m *big.Int) *modulus {
	t.Helper()
	mod, err := newModulus(m.Bytes())
	if err != nil {
		t.Fatalf("newModulus(%x): %v", m, err)
	}
	return mod
}

func diffBig(t tb, what string, got nat, want *big.Int) {
	t.Helper()
	if d := cmp.Diff(want.Text(16), bigFromNat(got).Text(16)); d != "" {
		t.Fatalf("%s mismatch (-math/big +nat):\n%s", what, d)
	}
}

// TestModulusConstants checks R mod m, R² mod m and -m⁻¹ mod 2^W against
// math/big.
func TestModulusConstants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := drawOddModulus(t, 40)
		mod := mustModulus(t, m)
		R := new(big.Int).Lsh(big.NewInt(1), uint(mod.size()*_W))
		diffBig(t, "R mod m", mod.one, new(big.Int).Mod(R, m))
		diffBig(t, "R² mod m", mod.rr, new(big.Int).Mod(new(big.Int).Mul(R, R), m))
		if got := mod.m0inv * mod.m[0]; got != ^uint(0) {
			t.Fatalf("m0inv·m0 = %x, want -1", got)
		}
	})
}

// TestMontMulMatchesBig checks montMul(a, b) = a·b·R⁻¹ mod m and modMul.
func TestMontMulMatchesBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := drawOddModulus(t, 40)
		mod := mustModulus(t, m)
		n := mod.size()
		a, b := drawBelow(t, m, "a"), drawBelow(t, m, "b")
		R := new(big.Int).Lsh(big.NewInt(1), uint(n*_W))
		Rinv := new(big.Int).ModInverse(R, m)
		out := newNat(n)
		mod.montMul(out, natFromBig(t, a, n), natFromBig(t, b, n), newNat(2*n))
		want := new(big.Int).Mul(a, b)
		want.Mul(want, Rinv).Mod(want, m)
		diffBig(t, "montMul", out, want)
		mod.montSqr(out, natFromBig(t, a, n), newNat(2*n))
		want = new(big.Int).Mul(a, a)
		want.Mul(want, Rinv).Mod(want, m)
		diffBig(t, "montSqr", out, want)
		diffBig(t, "modMul", mod.modMul(natFromBig(t, a, n), natFromBig(t, b, n)),
			new(big.Int).Mod(new(big.Int).Mul(a, b), m))
		// add and sub mod m
		x := natFromBig(t, a, n)
		mod.modAdd(x, natFromBig(t, b, n))
		diffBig(t, "modAdd", x, new(big.Int).Mod(new(big.Int).Add(a, b), m))
		x = natFromBig(t, a, n)
		mod.modSub(x, natFromBig(t, b, n))
		diffBig(t, "modSub", x, new(big.Int).Mod(new(big.Int).Sub(a, b), m))
	})
}

// TestExpMatchesBig checks the constant-time windowed exponentiation and the
// public-exponent one against big.Int.Exp.
func TestExpMatchesBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := drawOddModulus(t, 24)
		mod := mustModulus(t, m)
		x := drawBelow(t, m, "x")
		e := rapid.SliceOfN(rapid.Byte(), 0, 80).Draw(t, "e")
		want := new(big.Int).Exp(x, new(big.Int).SetBytes(e), m)
		diffBig(t, "exp", mod.exp(natFromBig(t, x, mod.size()), e), want)
		ep := rapid.Uint().Draw(t, "ePublic")
		want = new(big.Int).Exp(x, new(big.Int).SetUint64(uint64(ep)), m)
		diffBig(t, "expPublic", mod.expPublic(natFromBig(t, x, mod.size()), ep), want)
	})
}

// TestReduceMatchesBig checks x mod m for wide x, both the Montgomery
// reduction (odd m) and the bit-serial one (any m).
func TestReduceMatchesBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := drawOddModulus(t, 20)
		mod := mustModulus(t, m)
		xl := rapid.IntRange(0, 50).Draw(t, "xLimbs")
		xb := rapid.SliceOfN(rapid.Byte(), xl*_W/8, xl*_W/8).Draw(t, "x")
		x := new(big.Int).SetBytes(xb)
		xn := natFromBig(t, x, xl)
		want := new(big.Int).Mod(x, m)
		if xl > 0 {
			diffBig(t, "reduce", mod.reduce(xn), want)
		}
		// modGeneric also accepts even moduli.
		me := new(big.Int).Add(m, big.NewInt(int64(rapid.IntRange(0, 1).Draw(t, "even"))))
		mn := natFromBig(t, me, limbsFor(len(me.Bytes())))
		diffBig(t, "modGeneric", modGeneric(xn, mn), new(big.Int).Mod(x, me))
	})
}

// TestCompareMatchesBig checks cmpGeq, equal, isZero and assign.
func TestCompareMatchesBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "limbs")
		m := new(big.Int).Lsh(big.NewInt(1), uint(n*_W))
		a, b := drawBelow(t, m, "a"), drawBelow(t, m, "b")
		if rapid.Bool().Draw(t, "same") {
			b.Set(a)
		}
		an, bn := natFromBig(t, a, n), natFromBig(t, b, n)
		if got, want := an.cmpGeq(bn), a.Cmp(b) >= 0; (got == 1) != want {
			t.Fatalf("cmpGeq(%x, %x) = %d", a, b, got)
		}
		if got, want := an.equal(bn), a.Cmp(b) == 0; (got == 1) != want {
			t.Fatalf("equal(%x, %x) = %d", a, b, got)
		}
		if got, want := an.isZero(), a.Sign() == 0; (got == 1) != want {
			t.Fatalf("isZero(%x) = %d", a, got)
		}
		c := an.clone().assign(0, bn)
		diffBig(t, "assign(0)", c, a)
		c.assign(1, bn)
		diffBig(t, "assign(1)", c, b)
	})
}

// TestInverseVarTime checks the binary extended Euclid against ModInverse.
func TestInverseVarTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := drawOddModulus(t, 20)
		mod := mustModulus(t, m)
		a := drawBelow(t, m, "a")
		want := new(big.Int).ModInverse(a, m)
		got, ok := mod.inverseVarTime(natFromBig(t, a, mod.size()))
		if ok != (want != nil) {
			t.Fatalf("inverse of %x mod %x: ok=%v, big says %v", a, m, ok, want)
		}
		if ok {
			diffBig(t, "inverse", got, want)
		}
	})
}

// TestByteArithmetic checks the exported byte-level entry points against
// math/big, and that unusable moduli give ErrModulus.
func TestByteArithmetic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := drawOddModulus(t, 10)
		a := rapid.SliceOfN(rapid.Byte(), 0, 200).Draw(t, "a")
		b := rapid.SliceOfN(rapid.Byte(), 0, 200).Draw(t, "b")
		e := rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "e")
		A, B, E := new(big.Int).SetBytes(a), new(big.Int).SetBytes(b), new(big.Int).SetBytes(e)
		mb := append([]byte{0, 0}, m.Bytes()...) // leading zeros are stripped
		want := func(x *big.Int) []byte { return x.FillBytes(make([]byte, len(m.Bytes()))) }
		got, err := ModMul(a, b, mb)
		if err != nil || !cmp.Equal(got, want(new(big.Int).Mod(new(big.Int).Mul(A, B), m))) {
			t.Fatalf("ModMul = %x, %v", got, err)
		}
		got, err = ModExp(a, e, mb)
		if err != nil || !cmp.Equal(got, want(new(big.Int).Exp(A, E, m))) {
			t.Fatalf("ModExp = %x, %v", got, err)
		}
		got, err = ModReduce(b, mb)
		if err != nil || !cmp.Equal(got, want(new(big.Int).Mod(B, m))) {
			t.Fatalf("ModReduce = %x, %v", got, err)
		}
	})
	for _, m := range [][]byte{nil, {0}, {1}, {0, 1}, {2}, {0xff, 0xfe}} {
		if _, err := ModMul([]byte{1}, []byte{1}, m); !errors.Is(err, ErrModulus) {
			t.Errorf("modulus %x: %v, want ErrModulus", m, err)
		}
	}
}
