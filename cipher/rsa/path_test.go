package rsa

import (
	"errors"
	"math/big"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// forEachPath runs f as a subtest once per path this CPU and build support,
// with that path forced, and restores the default afterwards.
func forEachPath(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, p := range supportedPaths {
		t.Run(p.String(), func(t *testing.T) {
			defer forcePath(p)()
			f(t)
		})
	}
}

// TestEveryPath runs the RSA tests that reach the Montgomery arithmetic once
// per supported path: Wycheproof decryption and signatures, the differential
// tests against crypto/rsa, key generation and the fault check.
func TestEveryPath(t *testing.T) {
	tests := []struct {
		name string
		f    func(*testing.T)
	}{
		{"WycheproofPKCS1Decrypt", TestWycheproofPKCS1Decrypt},
		{"WycheproofPKCS1Verify", TestWycheproofPKCS1Verify},
		{"EncryptDifferential", TestEncryptDifferential},
		{"SignDifferential", TestSignDifferential},
		{"SessionKey", TestSessionKey},
		{"NewPrivateKeyComputesCRT", TestNewPrivateKeyComputesCRT},
		{"FaultCheck", TestFaultCheck},
		{"UnbalancedPrimes", TestUnbalancedPrimes},
		{"ExpMatchesBig", TestExpMatchesBig},
		{"ByteArithmetic", TestByteArithmetic},
	}
	forEachPath(t, func(t *testing.T) {
		for _, tc := range tests {
			t.Run(tc.name, tc.f)
		}
	})
}

// asmWidths are the limb counts that have assembly on some path, with their
// neighbours (which must fall back to the portable code).
var asmWidths = []int{15, 16, 17, 24, 32, 48, 64}

// drawWideModulus draws an odd modulus of exactly n limbs (on 64-bit
// platforms; the same bit length on 32-bit ones), whose top limb is nearly
// full (all ones, or only the top bit), nearly empty (1 or a few bits) or
// random.
func drawWideModulus(t *rapid.T, n int) *big.Int {
	bitLen := n * 64
	b := rapid.SliceOfN(rapid.Byte(), bitLen/8, bitLen/8).Draw(t, "m")
	m := new(big.Int).SetBytes(b)
	top := new(big.Int)
	switch rapid.IntRange(0, 4).Draw(t, "topKind") {
	case 0: // top limb all ones
		top.Lsh(big.NewInt(1), 64).Sub(top, big.NewInt(1))
	case 1: // top limb 2^63
		top.Lsh(big.NewInt(1), 63)
	case 2: // top limb 1
		top.SetInt64(1)
	case 3: // top limb of a few bits
		top.SetUint64(rapid.Uint64Range(1, 255).Draw(t, "topSmall"))
	default:
		top.SetUint64(rapid.Uint64Range(1, 1<<64-1).Draw(t, "topRandom"))
	}
	if rapid.Bool().Draw(t, "lowAllOnes") {
		m.Lsh(big.NewInt(1), uint(bitLen-64)).Sub(m, big.NewInt(1))
	} else {
		m.Mod(m, new(big.Int).Lsh(big.NewInt(1), uint(bitLen-64))) // the random low limbs
	}
	m.Add(m, top.Lsh(top, uint(bitLen-64)))
	m.SetBit(m, 0, 1)
	return m
}

// drawOperand draws x in [0, bound): 0, 1, bound-1, bound-2 or random.
func drawOperand(t *rapid.T, bound *big.Int, label string) *big.Int {
	switch rapid.IntRange(0, 5).Draw(t, label+"Kind") {
	case 0:
		return big.NewInt(0)
	case 1:
		return big.NewInt(1)
	case 2:
		return new(big.Int).Sub(bound, big.NewInt(1))
	case 3:
		return new(big.Int).Sub(bound, big.NewInt(2))
	}
	b := rapid.SliceOfN(rapid.Byte(), len(bound.Bytes())+8, len(bound.Bytes())+8).Draw(t, label)
	return new(big.Int).Mod(new(big.Int).SetBytes(b), bound)
}

// TestPathsMontgomeryMatchBig checks montMul and montSqr on every path at the
// widths with assembly (and their neighbours) against math/big: moduli with
// the top limb nearly full and nearly empty, operands 0, 1, m-1, and a
// first factor of montMul up to R-1 (which montMul allows unreduced).
func TestPathsMontgomeryMatchBig(t *testing.T) {
	if _W != 64 {
		t.Log("32-bit limbs: the same numbers run at twice the limb count")
	}
	forEachPath(t, func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			n := rapid.SampledFrom(asmWidths).Draw(t, "limbs")
			m := drawWideModulus(t, n)
			mod := mustModulus(t, m)
			w := mod.size()
			R := new(big.Int).Lsh(big.NewInt(1), uint(w*_W))
			Rinv := new(big.Int).ModInverse(R, m)
			a := drawOperand(t, m, "a")
			if rapid.Bool().Draw(t, "aUnreduced") {
				a = drawOperand(t, R, "aWide")
			}
			b := drawOperand(t, m, "b")
			want := func(x, y *big.Int) *big.Int {
				z := new(big.Int).Mul(x, y)
				return z.Mul(z, Rinv).Mod(z, m)
			}
			out, tt := newNat(w), newNat(2*w)
			mod.montMul(out, natFromBig(t, a, w), natFromBig(t, b, w), tt)
			diffBig(t, "montMul", out, want(a, b))
			// out aliasing an operand, as exp does.
			x := natFromBig(t, a, w)
			mod.montMul(x, x, natFromBig(t, b, w), tt)
			diffBig(t, "montMul in place", x, want(a, b))
			ar := new(big.Int).Mod(a, m)
			y := natFromBig(t, ar, w)
			mod.montSqr(y, y, tt)
			diffBig(t, "montSqr in place", y, want(ar, ar))
		})
	})
}

// TestPathsExpMatchBig checks the private-key exponentiation on every path at
// the CRT widths against big.Int.Exp, with exponents of the modulus' length,
// and the public-exponent one with 0, 1, 3, 65537 and any exponent.
func TestPathsExpMatchBig(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			n := rapid.SampledFrom([]int{16, 24, 32}).Draw(t, "limbs")
			m := drawWideModulus(t, n)
			mod := mustModulus(t, m)
			x := drawOperand(t, m, "x")
			e := drawOperand(t, m, "e").FillBytes(make([]byte, n*8))
			want := new(big.Int).Exp(x, new(big.Int).SetBytes(e), m)
			diffBig(t, "exp", mod.exp(natFromBig(t, x, mod.size()), e), want)
			ep := rapid.SampledFrom([]uint{0, 1, 3, 65537, rapid.Uint().Draw(t, "eAny")}).Draw(t, "ePublic")
			want = new(big.Int).Exp(x, new(big.Int).SetUint64(uint64(ep)), m)
			diffBig(t, "expPublic", mod.expPublic(natFromBig(t, x, mod.size()), ep), want)
		})
	})
}

// TestForcePath checks the switch itself: Implementation names the forced
// path, the restore function brings back the previous one, and an
// unsupported path is refused.
func TestForcePath(t *testing.T) {
	def := Implementation()
	if want := supportedPaths[len(supportedPaths)-1].String(); def != want {
		t.Fatalf("Implementation() = %q by default, want the fastest supported path %q", def, want)
	}
	for _, p := range supportedPaths {
		restore := forcePath(p)
		if got := Implementation(); got != p.String() {
			t.Errorf("after forcePath(%v): Implementation() = %q", p, got)
		}
		restore()
		if got := Implementation(); got != def {
			t.Errorf("after restore: Implementation() = %q, want %q", got, def)
		}
	}
	for _, p := range []path{pathPortable, pathMULXADX, pathIFMA} {
		if slices.Contains(supportedPaths, p) {
			continue
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("forcePath(%v) on a CPU without it did not panic", p)
				}
			}()
			forcePath(p)
		}()
	}
	if supportedPaths[0] != pathPortable {
		t.Errorf("supported paths %v do not start with portable", supportedPaths)
	}
}

// TestByteArithmeticOn checks the exported ...On entry points on every
// implementation against math/big at the widths with assembly, and that an
// unknown implementation name is ErrImplementation.
func TestByteArithmeticOn(t *testing.T) {
	for _, impl := range Implementations() {
		t.Run(impl, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				m := drawWideModulus(t, rapid.SampledFrom(asmWidths).Draw(t, "limbs"))
				mb := m.Bytes()
				a := drawOperand(t, m, "a").Bytes()
				b := rapid.SliceOfN(rapid.Byte(), 0, 2*len(mb)+5).Draw(t, "b")
				e := rapid.SliceOfN(rapid.Byte(), 0, 24).Draw(t, "e")
				A, B, E := new(big.Int).SetBytes(a), new(big.Int).SetBytes(b), new(big.Int).SetBytes(e)
				want := func(x *big.Int) []byte { return x.FillBytes(make([]byte, len(mb))) }
				got, err := ModMulOn(impl, a, b, mb)
				if err != nil || !slices.Equal(got, want(new(big.Int).Mod(new(big.Int).Mul(A, B), m))) {
					t.Fatalf("ModMulOn = %x, %v", got, err)
				}
				got, err = ModExpOn(impl, a, e, mb)
				if err != nil || !slices.Equal(got, want(new(big.Int).Exp(A, E, m))) {
					t.Fatalf("ModExpOn = %x, %v", got, err)
				}
				got, err = ModReduceOn(impl, b, mb)
				if err != nil || !slices.Equal(got, want(new(big.Int).Mod(B, m))) {
					t.Fatalf("ModReduceOn = %x, %v", got, err)
				}
			})
		})
	}
	for _, name := range []string{"", "avx-9000", "active"} {
		if _, err := ModMulOn(name, []byte{1}, []byte{1}, []byte{3}); !errors.Is(err, ErrImplementation) {
			t.Errorf("ModMulOn(%q): %v, want ErrImplementation", name, err)
		}
	}
}

// TestPathsExpPairMatchBig checks expPair, the two CRT exponentiations run
// side by side, on every path against big.Int.Exp: moduli of the same width
// (interleaved where the path can) and of different widths or exponent
// lengths (one after the other).
func TestPathsExpPairMatchBig(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			n := rapid.SampledFrom([]int{16, 24, 32}).Draw(t, "limbs")
			n2 := n
			if rapid.IntRange(0, 3).Draw(t, "otherWidth") == 0 {
				n2 = rapid.SampledFrom([]int{15, 16, 24, 32}).Draw(t, "limbs2")
			}
			m, m2 := drawWideModulus(t, n), drawWideModulus(t, n2)
			mod, mod2 := mustModulus(t, m), mustModulus(t, m2)
			x, x2 := drawOperand(t, m, "x"), drawOperand(t, m2, "x2")
			e := drawOperand(t, m, "e").FillBytes(make([]byte, n*8))
			e2 := drawOperand(t, m2, "e2").FillBytes(make([]byte, n2*8))
			z, z2 := expPair(mod, natFromBig(t, x, mod.size()), e, mod2, natFromBig(t, x2, mod2.size()), e2)
			diffBig(t, "expPair first", z, new(big.Int).Exp(x, new(big.Int).SetBytes(e), m))
			diffBig(t, "expPair second", z2, new(big.Int).Exp(x2, new(big.Int).SetBytes(e2), m2))
		})
	})
}

// TestRadix52 checks the conversions of the avx512-ifma path on every
// platform: limb j of toRadix52 is bits 52j … 52j+51 of the number (as
// math/big computes them), fromRadix52 inverts it, and the modulus' 52-bit
// constants are R52² mod m, R52 mod m and −m⁻¹ mod 2^52.
func TestRadix52(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom(asmWidths).Draw(t, "limbs")
		m := drawWideModulus(t, n)
		mod := mustModulus(t, m)
		w := mod.size()
		l := (w*_W + 2 + 51) / 52
		x := drawOperand(t, m, "x")
		r := &radix52Modulus{l: l, lanes: (l + 8) / 8 * 8}
		x52 := r.from(natFromBig(t, x, w))
		mask := new(big.Int).SetUint64(mask52)
		for j, limb := range x52 {
			want := new(big.Int).Rsh(x, uint(52*j))
			if got := new(big.Int).SetUint64(limb); got.Cmp(want.And(want, mask)) != 0 {
				t.Fatalf("limb %d of %x = %x, want %x", j, x, got, want)
			}
		}
		back := newNat(w)
		fromRadix52(back, x52)
		diffBig(t, "fromRadix52(toRadix52(x))", back, x)

		r = newRadix52Modulus(mod, l)
		R52 := new(big.Int).Lsh(big.NewInt(1), uint(52*l))
		check := func(what string, got []uint64, want *big.Int) {
			z := newNat(w)
			fromRadix52(z, got)
			diffBig(t, what, z, want)
		}
		check("m", r.m, m)
		check("R52² mod m", r.rr, new(big.Int).Mod(new(big.Int).Mul(R52, R52), m))
		check("R52 mod m", r.one, new(big.Int).Mod(R52, m))
		if got := (r.k0 * uint64(m.Uint64())) & mask52; got != mask52 {
			t.Fatalf("k0·m mod 2^52 = %x, want 2^52 − 1", got)
		}
		if newRadix52Modulus(mod, (w*_W+1)/52) != nil {
			t.Fatalf("newRadix52Modulus accepted limbs without 4m < R52")
		}
	})
}
