package rsa

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"testing"
)

// The benchmarks run minitls and crypto/rsa side by side on the same keys
// (sub-benchmarks minitls/<bits> and stdlib/<bits>), so benchstat can compare
// them:
//
//	go test -run '^$' -bench 'BenchmarkRSA(Decrypt|Encrypt|Sign|Verify)' -count 6 ./cipher/rsa/
//
// Besides wall-clock ns/op, each reports cpu-ns/op: process CPU time per
// operation. On a shared, overloaded machine wall-clock figures swing by 2x
// or more between runs while CPU time stays put, so compare cpu-ns/op there.

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

func BenchmarkRSADecrypt(b *testing.B) {
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		c, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, make([]byte, 48))
		if err != nil {
			b.Fatal(err)
		}
		key := make([]byte, 48)
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { return DecryptPKCS1v15SessionKey(rand.Reader, priv, c, key) })
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { return stdDecryptPKCS1v15SessionKey(std, c, key) })
		})
	}
}

func BenchmarkRSASign(b *testing.B) {
	digest := hashFor(crypto.SHA256, []byte("benchmark"))
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { _, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest); return err })
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { _, err := rsa.SignPKCS1v15(rand.Reader, std, crypto.SHA256, digest); return err })
		})
	}
}

func BenchmarkRSAEncrypt(b *testing.B) {
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		msg := make([]byte, 48)
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { _, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, msg); return err })
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { _, err := stdEncryptPKCS1v15(&std.PublicKey, msg); return err })
		})
	}
}

func BenchmarkRSAVerify(b *testing.B) {
	digest := hashFor(crypto.SHA256, []byte("benchmark"))
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		sig, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { return VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, digest, sig) })
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { return rsa.VerifyPKCS1v15(&std.PublicKey, crypto.SHA256, digest, sig) })
		})
	}
}

// BenchmarkRSAGenerateKey is informational: key generation time is dominated
// by how many candidates happen to be tried, so it varies a lot run to run.
func BenchmarkRSAGenerateKey(b *testing.B) {
	b.Run("minitls/2048", func(b *testing.B) {
		measure(b, func() error { _, err := GenerateKey(rand.Reader, 2048); return err })
	})
	b.Run("stdlib/2048", func(b *testing.B) {
		measure(b, func() error { _, err := rsa.GenerateKey(rand.Reader, 2048); return err })
	})
}

// BenchmarkRSAPaths runs the private-key operations on every arithmetic path
// this CPU supports (each forced in turn) beside crypto/rsa, in one run, so
// that the paths' ratios to the standard library can be read off together:
//
//	go test -run '^$' -bench BenchmarkRSAPaths -count 6 ./cipher/rsa/
func BenchmarkRSAPaths(b *testing.B) {
	digest := hashFor(crypto.SHA256, []byte("benchmark"))
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		c, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, make([]byte, 48))
		if err != nil {
			b.Fatal(err)
		}
		key := make([]byte, 48)
		for _, p := range supportedPaths {
			b.Run("decrypt/"+p.String()+"/"+itoa(bits), func(b *testing.B) {
				defer forcePath(p)()
				measure(b, func() error { return DecryptPKCS1v15SessionKey(rand.Reader, priv, c, key) })
			})
			b.Run("sign/"+p.String()+"/"+itoa(bits), func(b *testing.B) {
				defer forcePath(p)()
				measure(b, func() error { _, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest); return err })
			})
		}
		b.Run("decrypt/stdlib/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { return stdDecryptPKCS1v15SessionKey(std, c, key) })
		})
		b.Run("sign/stdlib/"+itoa(bits), func(b *testing.B) {
			measure(b, func() error { _, err := rsa.SignPKCS1v15(rand.Reader, std, crypto.SHA256, digest); return err })
		})
	}
}
