package x509lite

import (
	"crypto/rand"
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

// BenchmarkVerifyHostileIntermediates is the most a peer can make one
// Verify cost: a leaf whose issuer name is shared by 100 intermediates with
// 8192-bit keys (the largest accepted) and the public exponent 2^31-1 (the
// largest parsed), with a 1024-byte signature so every check runs the full
// modular exponentiation. Path building stops after maxSignatureChecks.
func BenchmarkVerifyHostileIntermediates(b *testing.B) {
	k := testKeys(b)
	p := newPlan(b)
	c := p.issue(b)
	root := mustParse(b, c.root)
	signer := *root
	signer.PublicKey = &k[0].our.PublicKey
	inters := NewCertPool()
	for i := 0; i < 100; i++ {
		tmpl := ourTemplate("minitls test intermediate", true)
		tmpl.SerialNumber = []byte{byte(i + 1)}
		pub := fakeKey(b, maxRSABits)
		pub.E = 1<<31 - 1
		der, err := CreateCertificate(rand.Reader, tmpl, &signer, pub, k[0].our)
		if err != nil {
			b.Fatal(err)
		}
		inters.AddCert(mustParse(b, der))
	}
	leaf := mustParse(b, c.leaf)
	leaf.Signature = make([]byte, maxRSABits/8)
	if _, err := rand.Read(leaf.Signature[1:]); err != nil {
		b.Fatal(err)
	}
	roots := NewCertPool()
	roots.AddCert(root)
	opts := VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "localhost", CurrentTime: baseTime}
	b.ReportAllocs()
	for b.Loop() {
		v, err := newVerifier(opts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.verify(leaf); err == nil || v.checks != maxSignatureChecks {
			b.Fatalf("err = %v after %d checks, want a refusal after %d", err, v.checks, maxSignatureChecks)
		}
	}
}
