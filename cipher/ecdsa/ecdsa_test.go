package ecdsa

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func digestFor(c *Curve, msg []byte) []byte {
	if c == P384() {
		h := sha512.Sum384(msg)
		return h[:]
	}
	h := sha256.Sum256(msg)
	return h[:]
}

// TestRFC6979Deterministic pins the nonce construction to RFC 6979's own
// answers (rfc6979#A.2.5 P-256 and #A.2.6 P-384, message "sample", the
// curve's hash): with no randomness, Sign gives exactly their r and s.
func TestRFC6979Deterministic(t *testing.T) {
	for _, tt := range []struct {
		curve   *Curve
		d, r, s string
	}{
		{P256(),
			"c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
			"efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
			"f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"},
		{P384(),
			"6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5",
			"94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46",
			"99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8"},
	} {
		t.Run(tt.curve.Name, func(t *testing.T) {
			priv, err := NewPrivateKey(tt.curve, mustHex(tt.d))
			if err != nil {
				t.Fatal(err)
			}
			r, s, err := Sign(nil, priv, digestFor(tt.curve, []byte("sample")))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r, mustHex(tt.r)) || !bytes.Equal(s, mustHex(tt.s)) {
				t.Errorf("Sign(nil) = (%x, %x), want RFC 6979's (%s, %s)", r, s, tt.r, tt.s)
			}
		})
	}
}

// TestHedgedNonces: with randomness, two signatures of one digest differ
// (the nonce is hedged), both verify, and without it they repeat.
func TestHedgedNonces(t *testing.T) {
	for _, c := range []*Curve{P256(), P384()} {
		priv, err := GenerateKey(c, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		dg := digestFor(c, []byte("hedge"))
		a, _ := SignASN1(rand.Reader, priv, dg)
		b, _ := SignASN1(rand.Reader, priv, dg)
		if bytes.Equal(a, b) {
			t.Errorf("%s: two hedged signatures are equal", c)
		}
		d1, _ := SignASN1(nil, priv, dg)
		d2, _ := SignASN1(nil, priv, dg)
		if !bytes.Equal(d1, d2) {
			t.Errorf("%s: deterministic signatures differ", c)
		}
		for _, sig := range [][]byte{a, b, d1} {
			if !VerifyASN1(&priv.PublicKey, dg, sig) {
				t.Errorf("%s: own signature does not verify", c)
			}
		}
	}
}

// genCurve draws one of the two curves.
func genCurve() *rapid.Generator[*Curve] { return rapid.SampledFrom([]*Curve{P256(), P384()}) }

// TestRapidSignVerifiesInStdlib: our signatures, of arbitrary digests
// (including lengths other than the hash's), verify with crypto/ecdsa, and
// the public key we compute from d is crypto/ecdsa's.
func TestRapidSignVerifiesInStdlib(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCurve().Draw(t, "curve")
		// Only d in [1, n-1] is a private key; rapid draws again otherwise.
		d := rapid.SliceOfN(rapid.Byte(), c.size, c.size).Filter(func(d []byte) bool {
			_, err := NewPrivateKey(c, d)
			return err == nil
		}).Draw(t, "d")
		priv, err := NewPrivateKey(c, d)
		if err != nil {
			t.Fatalf("NewPrivateKey(%x) after the filter accepted it: %v", d, err)
		}
		std := stdPrivate(t, priv)
		stdQ, _ := std.PublicKey.Bytes()
		if diff := cmp.Diff(stdQ, priv.PublicKey.Bytes()); diff != "" {
			t.Fatalf("Q = d·G differs from crypto/ecdsa's (-std +ours):\n%s", diff)
		}
		digest := rapid.SliceOfN(rapid.Byte(), 0, 80).Draw(t, "digest")
		sig, err := SignASN1(rand.Reader, priv, digest)
		if err != nil {
			t.Fatal(err)
		}
		if !ecdsa.VerifyASN1(&std.PublicKey, digest, sig) {
			t.Fatalf("crypto/ecdsa refuses our signature %x", sig)
		}
		if !VerifyASN1(&priv.PublicKey, digest, sig) {
			t.Fatalf("we refuse our own signature %x", sig)
		}
	})
}

// TestRapidStdlibSignaturesVerify: crypto/ecdsa's signatures verify here,
// and a one-bit change of the digest or of r or s makes both refuse.
func TestRapidStdlibSignaturesVerify(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCurve().Draw(t, "curve")
		std, err := ecdsa.GenerateKey(stdCurve(c), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		q, _ := std.PublicKey.Bytes()
		pub, err := NewPublicKey(c, q)
		if err != nil {
			t.Fatalf("NewPublicKey(crypto/ecdsa's key): %v", err)
		}
		digest := rapid.SliceOfN(rapid.Byte(), 0, 80).Draw(t, "digest")
		sig, err := ecdsa.SignASN1(rand.Reader, std, digest)
		if err != nil {
			t.Fatal(err)
		}
		if !VerifyASN1(pub, digest, sig) {
			t.Fatalf("crypto/ecdsa's signature %x refused", sig)
		}
		bad := bytes.Clone(sig)
		i := rapid.IntRange(0, len(bad)-1).Draw(t, "byte")
		bad[i] ^= 1 << rapid.IntRange(0, 7).Draw(t, "bit")
		if got, want := VerifyASN1(pub, digest, bad), ecdsa.VerifyASN1(&std.PublicKey, digest, bad); got != want {
			t.Fatalf("flipped signature %x: VerifyASN1 %v, crypto/ecdsa %v", bad, got, want)
		}
	})
}

// TestRangeChecks: r and s must be in [1, n-1]. 0, n, n+1, and n-1 with
// the other value valid, and values wider than n, are refused like
// crypto/ecdsa refuses them; r + n (a value that is r mod n) is refused too.
func TestRangeChecks(t *testing.T) {
	for _, c := range []*Curve{P256(), P384()} {
		priv, _ := GenerateKey(c, rand.Reader)
		std := stdPrivate(t, priv)
		dg := digestFor(c, []byte("range"))
		r, s, _ := Sign(rand.Reader, priv, dg)
		n := new(big.Int).SetBytes(c.n.Modulus())
		rPlusN := new(big.Int).Add(new(big.Int).SetBytes(r), n).Bytes()
		cases := map[string][2][]byte{
			"r=0":        {{0}, s},
			"s=0":        {r, {0}},
			"r=n":        {n.Bytes(), s},
			"s=n":        {r, n.Bytes()},
			"r+n":        {rPlusN, s},
			"s=n-1":      {r, new(big.Int).Sub(n, big.NewInt(1)).Bytes()},
			"s=-s mod n": {r, new(big.Int).Sub(n, new(big.Int).SetBytes(s)).Bytes()},
			"wide r":     {append([]byte{1}, r...), s},
		}
		for name, rs := range cases {
			got := Verify(&priv.PublicKey, dg, rs[0], rs[1])
			want := ecdsa.VerifyASN1(&std.PublicKey, dg, MarshalSignature(rs[0], rs[1]))
			if got != want || got && name != "s=-s mod n" {
				t.Errorf("%s %s: Verify = %v, crypto/ecdsa %v", c, name, got, want)
			}
		}
	}
}

// TestSigner: PrivateKey is a crypto.Signer that refuses a hash other than
// its curve's, and signs through crypto.Signer like SignASN1.
func TestSigner(t *testing.T) {
	priv, _ := GenerateKey(P256(), rand.Reader)
	var signer crypto.Signer = priv
	dg := digestFor(P256(), []byte("signer"))
	sig, err := signer.Sign(rand.Reader, dg, crypto.SHA256)
	if err != nil || !VerifyASN1(signer.Public().(*PublicKey), dg, sig) {
		t.Fatalf("Sign via crypto.Signer: %x, %v", sig, err)
	}
	if _, err := signer.Sign(rand.Reader, dg, crypto.SHA384); !errors.Is(err, ErrUnsupportedHash) {
		t.Errorf("SHA-384 on P-256: %v, want ErrUnsupportedHash", err)
	}
	if _, err := signer.Sign(rand.Reader, dg[:20], crypto.SHA256); !errors.Is(err, ErrUnsupportedHash) {
		t.Errorf("20-byte digest for SHA-256: %v, want ErrUnsupportedHash", err)
	}
}

// TestKeyChecks: public keys off the curve, compressed, at infinity or of
// the wrong length are refused, as are private keys 0, n and of the wrong
// length.
func TestKeyChecks(t *testing.T) {
	priv, _ := GenerateKey(P256(), rand.Reader)
	q := priv.PublicKey.Bytes()
	off := bytes.Clone(q)
	off[len(off)-1] ^= 1
	x := q[1:33]
	compressed := append([]byte{2 + q[64]&1}, x...)
	for name, b := range map[string][]byte{
		"off curve": off, "compressed": compressed, "infinity": {0}, "short": q[:64], "empty": nil,
		"P-384 length": make([]byte, 97),
	} {
		if _, err := NewPublicKey(P256(), b); !errors.Is(err, ErrInvalidPublicKey) {
			t.Errorf("NewPublicKey(%s) = %v, want ErrInvalidPublicKey", name, err)
		}
	}
	for name, d := range map[string][]byte{
		"zero": make([]byte, 32), "n": P256().n.Modulus(), "short": priv.Bytes()[1:], "long": append([]byte{0}, priv.Bytes()...),
	} {
		if _, err := NewPrivateKey(P256(), d); !errors.Is(err, ErrInvalidPrivateKey) {
			t.Errorf("NewPrivateKey(%s) = %v, want ErrInvalidPrivateKey", name, err)
		}
	}
}
