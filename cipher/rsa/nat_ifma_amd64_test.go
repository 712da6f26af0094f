//go:build amd64 && !purego

package rsa

import (
	"math/big"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestNormalizeIFMA checks the carry propagation that ends every IFMA
// multiplication (the normIFMA functions run the same emitted code) against
// a lane-by-lane reference, on lanes drawn to make carries ripple: lanes of
// exactly 2^52 − 1 (which pass a carry on), just below 2^52 (which become
// 2^52 − 1 or overflow once a carry arrives), with high bits set (which
// carry more than 1), and random ones.
func TestNormalizeIFMA(t *testing.T) {
	if !slices.Contains(supportedPaths, pathIFMA) {
		t.Log("no AVX-512 IFMA on this CPU: normIFMA is not run")
		return
	}
	norms := map[int]func(*uint64, uint64){20: normIFMA20, 30: normIFMA30, 40: normIFMA40}
	rapid.Check(t, func(t *rapid.T) {
		l := rapid.SampledFrom([]int{20, 30, 40}).Draw(t, "limbs")
		n := (l + 8) / 8 * 8
		x := make([]uint64, n)
		for j := range x {
			switch rapid.IntRange(0, 5).Draw(t, "kind") {
			case 0:
				x[j] = mask52
			case 1:
				x[j] = mask52 - rapid.Uint64Range(0, 3).Draw(t, "below")
			case 2:
				x[j] = rapid.Uint64Range(0, 3).Draw(t, "carry")<<52 | mask52
			case 3:
				x[j] = rapid.Uint64Range(0, 1<<62).Draw(t, "any") // lanes of a multiplication stay far below 2^64
			case 4:
				x[j] = 0
			default:
				x[j] = rapid.Uint64Range(0, mask52).Draw(t, "limb")
			}
		}
		c := rapid.Uint64Range(0, 1<<12).Draw(t, "c")
		want := make([]uint64, n)
		carry := c
		for j, v := range x {
			s := v + carry
			hi := uint64(0)
			if s < v {
				hi = 1 << 12 // the sum's 65th bit, 2^64 / 2^52
			}
			want[j] = s & mask52
			carry = s>>52 | hi
		}
		got := slices.Clone(x)
		norms[l](&got[0], c)
		if !slices.Equal(got, want) {
			t.Fatalf("normIFMA%d(%x, c=%x) =\n%x\nwant\n%x", l, x, c, got, want)
		}
	})
}

// TestAMMIFMAMatchesBig checks the IFMA multiplications themselves
// (ammIFMA<L> and the interleaved ammIFMA<L>x2) against math/big at every
// width, not only through exp: for a, b below 2m the result is normalised, below 2m and
// a·b·R52⁻¹ mod m; the operands are drawn to carry hard (2m − 1, all ones
// below 2m's length, 0, 1) as well as at random, and each multiplication
// also runs in place (out aliasing a) and gives the same limbs as the
// other form.
func TestAMMIFMAMatchesBig(t *testing.T) {
	if !slices.Contains(supportedPaths, pathIFMA) {
		t.Log("no AVX-512 IFMA on this CPU: ammIFMA is not run")
		return
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom([]int{16, 24, 32}).Draw(t, "limbs")
		draw52 := func(r *radix52Modulus, m *big.Int, name string) ([]uint64, *big.Int) {
			twoM := new(big.Int).Lsh(m, 1)
			var a *big.Int
			switch rapid.IntRange(0, 4).Draw(t, name+"Kind") {
			case 0: // the largest input
				a = new(big.Int).Sub(twoM, big.NewInt(1))
			case 1: // every bit below 2m's top bit
				a = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(twoM.BitLen()-1)), big.NewInt(1))
			case 2:
				a = big.NewInt(int64(rapid.IntRange(0, 1).Draw(t, name+"Small")))
			default:
				size := len(twoM.Bytes())
				a = new(big.Int).SetBytes(rapid.SliceOfN(rapid.Byte(), size, size).Draw(t, name))
				a.Mod(a, twoM)
			}
			a52 := make([]uint64, r.lanes)
			for j := range a52 {
				a52[j] = new(big.Int).Rsh(a, uint(52*j)).Uint64() & mask52
			}
			return a52, a
		}
		check := func(what string, r *radix52Modulus, m *big.Int, got []uint64, a, b *big.Int) {
			z := new(big.Int)
			for j := len(got) - 1; j >= 0; j-- {
				if got[j] > mask52 {
					t.Fatalf("%s: limb %d = %x is not normalised", what, j, got[j])
				}
				z.Lsh(z, 52).Or(z, new(big.Int).SetUint64(got[j]))
			}
			if z.Cmp(new(big.Int).Lsh(m, 1)) >= 0 {
				t.Fatalf("%s(%x, %x) = %x is not below 2m (m = %x)", what, a, b, z, m)
			}
			rInv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), uint(52*r.l)), m)
			want := new(big.Int).Mul(a, b)
			want.Mul(want, rInv).Mod(want, m)
			if new(big.Int).Mod(z, m).Cmp(want) != 0 {
				t.Fatalf("%s(%x, %x) = %x, want %x mod m (m = %x)", what, a, b, z, want, m)
			}
		}
		m, m2 := drawWideModulus(t, n), drawWideModulus(t, n)
		r := newRadix52Modulus(mustModulus(t, m), radix52Limbs(n))
		r2 := newRadix52Modulus(mustModulus(t, m2), radix52Limbs(n))
		a52, a := draw52(r, m, "a")
		b52, b := draw52(r, m, "b")
		c52, c := draw52(r2, m2, "c")
		d52, d := draw52(r2, m2, "d")
		out := make([]uint64, r.lanes)
		r.amm(out, a52, b52)
		check("ammIFMA", r, m, out, a, b)
		out1, out2 := make([]uint64, r.lanes), make([]uint64, r.lanes)
		ammPair(r, out1, a52, b52, r2, out2, c52, d52)
		check("ammIFMA x2 first", r, m, out1, a, b)
		check("ammIFMA x2 second", r2, m2, out2, c, d)
		if !slices.Equal(out, out1) {
			t.Fatalf("ammIFMA gave %x, the x2 form %x", out, out1)
		}
		r.amm(a52, a52, b52)
		if !slices.Equal(a52, out) {
			t.Fatalf("ammIFMA in place gave %x, want %x", a52, out)
		}
	})
}

// BenchmarkIFMA times one IFMA multiplication (ammIFMA<L>) and one
// interleaved pair (ammIFMA<L>x2) at RSA-2048's and RSA-4096's CRT widths.
// A pair costing little more than one multiplication says the step is bound
// by the latency of its chain (lane 0 → u → u·m → move), not by throughput.
func BenchmarkIFMA(b *testing.B) {
	if !slices.Contains(supportedPaths, pathIFMA) {
		b.Log("no AVX-512 IFMA on this CPU")
		return
	}
	for _, n := range []int{16, 32} {
		m := new(big.Int).Lsh(big.NewInt(1), uint(64*n))
		m.Sub(m, big.NewInt(189)) // odd, top limb full
		mod, err := newModulus(m.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		r := newRadix52Modulus(mod, radix52Limbs(n))
		x, y := slices.Clone(r.rr), slices.Clone(r.one)
		b.Run("single/"+itoa(64*n), func(b *testing.B) {
			measure(b, func() error { r.amm(x, x, x); return nil })
		})
		b.Run("pair/"+itoa(64*n), func(b *testing.B) {
			measure(b, func() error { ammPair(r, x, x, x, r, y, y, y); return nil })
		})
	}
}
