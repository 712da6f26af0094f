package x509lite

import (
	"crypto/x509"
	"testing"
)

// BenchmarkParseCertificate parses a 2048-bit RSA leaf (what a client does
// for every certificate in every full handshake).
func BenchmarkParseCertificate(b *testing.B) {
	c := buildStdChain(b, nil)
	b.Run("minitls/leaf", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(c.leafDER)))
		for b.Loop() {
			if _, err := ParseCertificate(c.leafDER); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stdlib/leaf", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(c.leafDER)))
		for b.Loop() {
			if _, err := x509.ParseCertificate(c.leafDER); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyChain verifies leaf → intermediate → root (two RSA-2048
// signature checks, validity, names) from parsed certificates.
func BenchmarkVerifyChain(b *testing.B) {
	c := buildStdChain(b, nil)
	b.Run("minitls/3certs", func(b *testing.B) {
		roots, inters := NewCertPool(), NewCertPool()
		roots.AddCert(mustParse(b, c.rootDER))
		inters.AddCert(mustParse(b, c.interDER))
		leaf := mustParse(b, c.leafDER)
		opts := VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := leaf.Verify(opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stdlib/3certs", func(b *testing.B) {
		roots, inters := x509.NewCertPool(), x509.NewCertPool()
		roots.AddCert(c.root)
		inters.AddCert(c.inter)
		opts := x509.VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.leaf.Verify(opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
