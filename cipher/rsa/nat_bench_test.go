package rsa

import (
	"crypto/rand"
	"math/big"
	"testing"
)

// BenchmarkNatExp measures one constant-time exponentiation with an exponent
// as long as the modulus: the core of one CRT half of an RSA private operation
// (1024 bits for RSA-2048, 1536 for RSA-3072).
func BenchmarkNatExp(b *testing.B) {
	for _, bitLen := range []int{1024, 1536} {
		b.Run("minitls/"+itoa(bitLen), func(b *testing.B) {
			p, _ := rand.Prime(rand.Reader, bitLen)
			mod := mustModulus(b, p)
			x := natFromBig(b, new(big.Int).Sub(p, big.NewInt(12345)), mod.size())
			e := new(big.Int).Sub(p, big.NewInt(2)).Bytes()
			b.ReportAllocs()
			for b.Loop() {
				mod.exp(x, e)
			}
		})
	}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// BenchmarkMontMul measures one Montgomery multiplication.
func BenchmarkMontMul(b *testing.B) {
	for _, bitLen := range []int{1024, 2048} {
		b.Run("minitls/"+itoa(bitLen), func(b *testing.B) {
			p, _ := rand.Prime(rand.Reader, bitLen)
			mod := mustModulus(b, p)
			x := natFromBig(b, new(big.Int).Sub(p, big.NewInt(12345)), mod.size())
			y := natFromBig(b, new(big.Int).Sub(p, big.NewInt(99)), mod.size())
			t := newNat(2 * mod.size())
			for b.Loop() {
				mod.montMul(x, x, y, t)
			}
		})
	}
}

// BenchmarkNatExpPair measures the two CRT exponentiations of one RSA
// private operation (two primes of 1024 or 1536 bits, exponents as long),
// on each supported path: expPair interleaves them where the path can.
func BenchmarkNatExpPair(b *testing.B) {
	for _, bitLen := range []int{1024, 1536} {
		p, _ := rand.Prime(rand.Reader, bitLen)
		q, _ := rand.Prime(rand.Reader, bitLen)
		mp, mq := mustModulus(b, p), mustModulus(b, q)
		xp := natFromBig(b, new(big.Int).Sub(p, big.NewInt(12345)), mp.size())
		xq := natFromBig(b, new(big.Int).Sub(q, big.NewInt(12345)), mq.size())
		ep := new(big.Int).Sub(p, big.NewInt(2)).FillBytes(make([]byte, bitLen/8))
		eq := new(big.Int).Sub(q, big.NewInt(2)).FillBytes(make([]byte, bitLen/8))
		for _, path := range supportedPaths {
			b.Run(path.String()+"/"+itoa(bitLen), func(b *testing.B) {
				defer forcePath(path)()
				measure(b, func() error { expPair(mp, xp, ep, mq, xq, eq); return nil })
			})
		}
	}
}
