//go:build amd64 && !purego

package rsa

import (
	"math/big"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestAMSMatchesBig checks the IFMA squarings (amsIFMA<L> and the
// interleaved amsIFMA<L>x2) against math/big at every width: the result is
// below 2m and congruent to a²·R52⁻¹ mod m, for a below 2m drawn to carry
// hard (limbs of all ones, the largest a = 2m − 1, zero, one) as well as at
// random, and the x2 form gives what ams gives for each of its two halves.
func TestAMSMatchesBig(t *testing.T) {
	if !slices.Contains(supportedPaths, pathIFMA) {
		t.Log("no AVX-512 IFMA on this CPU: amsIFMA is not run")
		return
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom([]int{16, 24, 32}).Draw(t, "limbs")
		draw := func(name string) (*radix52Modulus, *big.Int, []uint64, *big.Int) {
			m := drawWideModulus(t, n)
			mod := mustModulus(t, m)
			r := newRadix52Modulus(mod, radix52Limbs(n))
			twoM := new(big.Int).Lsh(m, 1)
			var a *big.Int
			switch rapid.IntRange(0, 4).Draw(t, name+"kind") {
			case 0: // 2m − 1: the largest input
				a = new(big.Int).Sub(twoM, big.NewInt(1))
			case 1: // all ones below 2m's length, reduced below 2m
				a = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(twoM.BitLen()-1)), big.NewInt(1))
			case 2:
				a = big.NewInt(int64(rapid.IntRange(0, 1).Draw(t, name+"small")))
			default:
				b := rapid.SliceOfN(rapid.Byte(), len(twoM.Bytes()), len(twoM.Bytes())).Draw(t, name)
				a = new(big.Int).Mod(new(big.Int).SetBytes(b), twoM)
			}
			a52 := make([]uint64, r.lanes)
			for j := range a52 {
				a52[j] = new(big.Int).Rsh(a, uint(52*j)).Uint64() & mask52
			}
			return r, m, a52, a
		}
		check := func(what string, r *radix52Modulus, m *big.Int, got []uint64, a *big.Int) {
			z := new(big.Int)
			for j := len(got) - 1; j >= 0; j-- {
				if got[j] > mask52 {
					t.Fatalf("%s: limb %d = %x is not normalised", what, j, got[j])
				}
				z.Lsh(z, 52).Or(z, new(big.Int).SetUint64(got[j]))
			}
			if z.Cmp(new(big.Int).Lsh(m, 1)) >= 0 {
				t.Fatalf("%s(%x) = %x is not below 2m (m = %x)", what, a, z, m)
			}
			rInv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), uint(52*r.l)), m)
			want := new(big.Int).Mul(a, a)
			want.Mul(want, rInv).Mod(want, m)
			if new(big.Int).Mod(z, m).Cmp(want) != 0 {
				t.Fatalf("%s(%x) = %x, want %x mod m (m = %x)", what, a, z, want, m)
			}
		}
		r, m, a52, a := draw("a")
		r2, m2, b52, b := draw("b")
		out := make([]uint64, r.lanes)
		r.ams(out, a52)
		check("ams", r, m, out, a)
		out1, out2 := make([]uint64, r.lanes), make([]uint64, r.lanes)
		amsPair(r, out1, a52, r2, out2, b52)
		check("amsPair first", r, m, out1, a)
		check("amsPair second", r2, m2, out2, b)
		if !slices.Equal(out, out1) {
			t.Fatalf("amsPair's first half %x differs from ams %x", out1, out)
		}
		r.ams(a52, a52) // out aliasing a
		if !slices.Equal(a52, out) {
			t.Fatalf("ams in place gave %x, want %x", a52, out)
		}
	})
}
