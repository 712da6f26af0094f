package fuzz

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"testing"

	mecdsa "minitls/cipher/ecdsa"
)

// FuzzECDSAVerify checks that for an arbitrary public key, digest and DER
// signature minitls's ECDSA gives crypto/ecdsa's verdict: NewPublicKey
// accepts exactly the keys ParseUncompressedPublicKey accepts, and VerifyASN1
// accepts exactly the signatures crypto/ecdsa.VerifyASN1 accepts (r, s in
// [1, n-1], strict DER, the equation). The low bit of mode picks P-256 or
// P-384; with bit 1 set, key is a private scalar d instead of a point (so
// the fuzzer reaches valid keys), and Q = d·G must be crypto/ecdsa's Q.
//
// spec: fips186-5#6.4.2, rfc5480#2.2.3
func FuzzECDSAVerify(f *testing.F) {
	for i, c := range []*mecdsa.Curve{mecdsa.P256(), mecdsa.P384()} {
		d := make([]byte, c.Size())
		d[len(d)-1] = 7
		priv, err := mecdsa.NewPrivateKey(c, d)
		if err != nil {
			f.Fatal(err)
		}
		for _, msg := range []string{"", "minitls"} {
			h := sha256.Sum256([]byte(msg))
			sig, err := mecdsa.SignASN1(nil, priv, h[:])
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(i|2), d, h[:], sig)
			f.Add(uint8(i), priv.PublicKey.Bytes(), h[:], sig)
		}
		f.Add(uint8(i), []byte{0}, []byte{}, []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01})
	}
	f.Fuzz(func(t *testing.T, mode uint8, key, digest, sig []byte) {
		c, sc := mecdsa.P256(), elliptic.P256()
		if mode&1 == 1 {
			c, sc = mecdsa.P384(), elliptic.P384()
		}
		var pub *mecdsa.PublicKey
		var std *ecdsa.PublicKey
		if mode&2 != 0 {
			priv, err := mecdsa.NewPrivateKey(c, key)
			stdPriv, errStd := ecdsa.ParseRawPrivateKey(sc, key)
			if (err == nil) != (errStd == nil) {
				t.Fatalf("private key %x: minitls %v, crypto/ecdsa %v", key, err, errStd)
			}
			if err != nil {
				return
			}
			pub, std = &priv.PublicKey, &stdPriv.PublicKey
			if q, _ := std.Bytes(); string(q) != string(pub.Bytes()) {
				t.Fatalf("d·G for d = %x: minitls %x, crypto/ecdsa %x", key, pub.Bytes(), q)
			}
		} else {
			var err, errStd error
			pub, err = mecdsa.NewPublicKey(c, key)
			std, errStd = ecdsa.ParseUncompressedPublicKey(sc, key)
			if (err == nil) != (errStd == nil) {
				t.Fatalf("public key %x: minitls %v, crypto/ecdsa %v", key, err, errStd)
			}
			if err != nil {
				return
			}
		}
		got, want := mecdsa.VerifyASN1(pub, digest, sig), ecdsa.VerifyASN1(std, digest, sig)
		if got != want {
			t.Fatalf("%s, %d-byte digest, signature %x: minitls %v, crypto/ecdsa %v", c, len(digest), sig, got, want)
		}
	})
}
