package ecdsa

import (
	"crypto/ecdsa"
	"crypto/rand"
	"testing"
)

// The benchmarks run minitls and crypto/ecdsa side by side on the same keys
// (sub-benchmarks minitls/<curve> and stdlib/<curve>), so benchstat can
// compare them:
//
//	go test -run '^$' -bench 'BenchmarkECDSA' -count 6 ./cipher/ecdsa/
//
// Both sides use the same point arithmetic (nistec is the standard library's
// code); the difference is the scalar arithmetic, the nonce and the DER.
// Besides wall-clock ns/op, each reports cpu-ns/op: process CPU time per
// operation, steadier on a shared machine.

// measure runs op in a b.Loop with ReportAllocs and adds the cpu-ns/op metric.
func measure(b *testing.B, op func() error) {
	b.ReportAllocs()
	start, ok := processCPUTime()
	n := 0
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if end, ok2 := processCPUTime(); ok && ok2 && n > 0 {
		b.ReportMetric(float64(end-start)/float64(n), "cpu-ns/op")
	}
}

func BenchmarkECDSASign(b *testing.B) {
	for _, c := range []*Curve{P256(), P384()} {
		priv, _ := GenerateKey(c, rand.Reader)
		std := stdPrivate(b, priv)
		dg := digestFor(c, []byte("benchmark"))
		b.Run("minitls/"+c.Name, func(b *testing.B) {
			measure(b, func() error { _, err := SignASN1(rand.Reader, priv, dg); return err })
		})
		b.Run("stdlib/"+c.Name, func(b *testing.B) {
			measure(b, func() error { _, err := ecdsa.SignASN1(rand.Reader, std, dg); return err })
		})
	}
}

func BenchmarkECDSAVerify(b *testing.B) {
	for _, c := range []*Curve{P256(), P384()} {
		priv, _ := GenerateKey(c, rand.Reader)
		std := stdPrivate(b, priv)
		dg := digestFor(c, []byte("benchmark"))
		sig, _ := SignASN1(rand.Reader, priv, dg)
		b.Run("minitls/"+c.Name, func(b *testing.B) {
			measure(b, func() error {
				if !VerifyASN1(&priv.PublicKey, dg, sig) {
					b.Fatal("refused")
				}
				return nil
			})
		})
		b.Run("stdlib/"+c.Name, func(b *testing.B) {
			measure(b, func() error {
				if !ecdsa.VerifyASN1(&std.PublicKey, dg, sig) {
					b.Fatal("refused")
				}
				return nil
			})
		})
	}
}
