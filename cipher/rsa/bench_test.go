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

func BenchmarkRSADecrypt(b *testing.B) {
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		c, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, make([]byte, 48))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			b.ReportAllocs()
			key := make([]byte, 48)
			for b.Loop() {
				if err := DecryptPKCS1v15SessionKey(rand.Reader, priv, c, key); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			b.ReportAllocs()
			key := make([]byte, 48)
			for b.Loop() {
				if err := stdDecryptPKCS1v15SessionKey(std, c, key); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRSASign(b *testing.B) {
	digest := hashFor(crypto.SHA256, []byte("benchmark"))
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rsa.SignPKCS1v15(rand.Reader, std, crypto.SHA256, digest); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRSAEncrypt(b *testing.B) {
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		msg := make([]byte, 48)
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := stdEncryptPKCS1v15(&std.PublicKey, msg); err != nil {
					b.Fatal(err)
				}
			}
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
			b.ReportAllocs()
			for b.Loop() {
				if err := VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, digest, sig); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := rsa.VerifyPKCS1v15(&std.PublicKey, crypto.SHA256, digest, sig); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRSAGenerateKey is informational: key generation time is dominated
// by how many candidates happen to be tried, so it varies a lot run to run.
func BenchmarkRSAGenerateKey(b *testing.B) {
	b.Run("minitls/2048", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := GenerateKey(rand.Reader, 2048); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stdlib/2048", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rsa.GenerateKey(rand.Reader, 2048); err != nil {
				b.Fatal(err)
			}
		}
	})
}
