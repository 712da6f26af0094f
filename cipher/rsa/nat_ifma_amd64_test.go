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
