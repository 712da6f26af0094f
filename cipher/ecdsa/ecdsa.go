package ecdsa

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"hash"
	"io"

	"minitls/cipher/rsa"
)

// PublicKey is an ECDSA public key: the point Q = d·G on its curve.
type PublicKey struct {
	curve *Curve
	q     []byte // uncompressed SEC 1 encoding, 04 || x || y
}

// NewPublicKey returns the public key whose uncompressed SEC 1 encoding
// (04 || x || y, 1+2·Size bytes) is q, after checking that it is a point on
// c (ErrInvalidPublicKey otherwise). spec: sec1#2.3.4, fips186-5#6.4.2
func NewPublicKey(c *Curve, q []byte) (*PublicKey, error) {
	if len(q) != 1+2*c.size || !c.points.checkPublic(q) {
		return nil, ErrInvalidPublicKey
	}
	return &PublicKey{curve: c, q: bytes.Clone(q)}, nil
}

// Curve returns the key's curve.
func (k *PublicKey) Curve() *Curve { return k.curve }

// Bytes returns the uncompressed encoding of Q, 04 || x || y.
func (k *PublicKey) Bytes() []byte { return bytes.Clone(k.q) }

// Equal reports whether x is a *PublicKey on the same curve with the same
// point. Two nil keys are equal.
func (k *PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*PublicKey)
	if !ok || k == nil || o == nil {
		return ok && k == o
	}
	return o.curve == k.curve && bytes.Equal(o.q, k.q)
}

// PrivateKey is an ECDSA private key d in [1, n-1], with its public key. It
// implements crypto.Signer.
type PrivateKey struct {
	PublicKey
	d  *rsa.Scalar
	db []byte // d, Size bytes big-endian: the DRBG's int2octets(x)
}

// NewPrivateKey returns the key with the big-endian secret d, exactly Size
// bytes and in [1, n-1] (ErrInvalidPrivateKey otherwise), computing its
// public key Q = d·G. spec: fips186-5#6.2.1
func NewPrivateKey(c *Curve, d []byte) (*PrivateKey, error) {
	s, err := c.n.NewScalar(d)
	if err != nil || s.IsZero() == 1 {
		return nil, ErrInvalidPrivateKey
	}
	db := bytes.Clone(d)
	return &PrivateKey{PublicKey: PublicKey{curve: c, q: c.points.baseMult(db)}, d: s, db: db}, nil
}

// GenerateKey returns a new key on c, with d drawn from random by rejection
// sampling: Size random bytes, kept if they encode a value in [1, n-1].
// spec: fips186-5#A.2.2
func GenerateKey(c *Curve, random io.Reader) (*PrivateKey, error) {
	b := make([]byte, c.size)
	for {
		if _, err := io.ReadFull(random, b); err != nil {
			return nil, err
		}
		if k, err := NewPrivateKey(c, b); err == nil {
			return k, nil
		}
	}
}

// Bytes returns d as Size big-endian bytes.
func (k *PrivateKey) Bytes() []byte { return bytes.Clone(k.db) }

// Public returns the key's *PublicKey (crypto.Signer).
func (k *PrivateKey) Public() crypto.PublicKey { return &k.PublicKey }

// Equal reports whether x is a *PrivateKey with the same curve and d.
func (k *PrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*PrivateKey)
	return ok && o.curve == k.curve && subtle.ConstantTimeCompare(o.db, k.db) == 1
}

// Sign signs digest, which must be opts.HashFunc()'s output and that hash
// the curve's own (SHA-256 on P-256, SHA-384 on P-384; ErrUnsupportedHash
// otherwise), and returns the DER signature (crypto.Signer). random hedges
// the nonce (see SignASN1).
func (k *PrivateKey) Sign(random io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts == nil || opts.HashFunc() != k.curve.Hash || len(digest) != k.curve.Hash.Size() {
		return nil, ErrUnsupportedHash
	}
	return SignASN1(random, k, digest)
}

// SignASN1 signs digest with priv and returns the DER signature. A digest
// longer than n is truncated to n's length, as FIPS 186-5 says. The nonce k
// comes from RFC 6979's construction over the key and the digest, mixed with
// Size fresh bytes from random; with a nil random the signature is RFC
// 6979's deterministic one.
func SignASN1(random io.Reader, priv *PrivateKey, digest []byte) ([]byte, error) {
	r, s, err := Sign(random, priv, digest)
	if err != nil {
		return nil, err
	}
	return MarshalSignature(r, s), nil
}

// Sign signs digest with priv and returns r and s as Size-byte big-endian
// strings. See SignASN1 for the digest and random.
//
// spec: fips186-5#6.4.1
func Sign(random io.Reader, priv *PrivateKey, digest []byte) (r, s []byte, err error) {
	c := priv.curve
	var extra []byte
	if random != nil {
		extra = make([]byte, c.size)
		if _, err := io.ReadFull(random, extra); err != nil {
			return nil, nil, err
		}
	}
	// Step 3: e = bits2int(H(M)) mod n.
	e := bits2int(c, digest)
	nonces := newNonceGenerator(c, c.hashFunc(), priv.db, digest, extra)
	for {
		// Steps 4–5: the per-message secret k in [1, n-1] and its inverse.
		k, kb := nonces.next()
		kInv := invertBlinded(c, k, nonces)
		// Steps 6–8: R = k·G, r = x_R mod n.
		rs := c.n.Reduce(c.points.baseMultX(kb))
		// Step 9: s = k⁻¹·(e + r·d) mod n.
		ss := c.n.Mul(kInv, c.n.Add(e, c.n.Mul(rs, priv.d)))
		// Step 11: r = 0 or s = 0 would be a signature anyone can forge
		// against, so take the next k (probability about 2^-256).
		if rs.IsZero() == 1 || ss.IsZero() == 1 {
			continue
		}
		return c.n.Bytes(rs), c.n.Bytes(ss), nil
	}
}

// invertBlinded returns k⁻¹ mod n for the secret k without letting the time
// taken depend on k: it draws a blinding factor b, uniform in [1, n-1] and
// unknown to anyone, from the same DRBG, inverts the product k·b with the
// fast variable-time algorithm and multiplies by b again:
// b·(k·b)⁻¹ = k⁻¹. k·b is uniformly random and independent of k, so its
// inversion time says nothing about k (the trick RSA blinding uses). It is
// about three times faster here than Fermat's k^(n-2) (ScalarField.Inverse),
// which is the constant-time exponentiation's 256 squarings on P-256.
func invertBlinded(c *Curve, k *rsa.Scalar, nonces *nonceGenerator) *rsa.Scalar {
	b, _ := nonces.next()
	kbInv, ok := c.n.InverseVarTime(c.n.Mul(k, b))
	if !ok {
		panic("minitls/cipher/ecdsa: k·b has no inverse modulo the prime n") // k, b in [1, n-1]
	}
	return c.n.Mul(kbInv, b)
}

// VerifyASN1 reports whether sig is a valid DER signature of digest by pub.
func VerifyASN1(pub *PublicKey, digest, sig []byte) bool {
	r, s, err := ParseSignature(sig)
	return err == nil && Verify(pub, digest, r, s)
}

// Verify reports whether (r, s), big-endian byte strings (leading zeros
// allowed), is a valid signature of digest by pub. It is variable-time:
// everything it sees is public.
//
// spec: fips186-5#6.4.2
func Verify(pub *PublicKey, digest, r, s []byte) bool {
	c := pub.curve
	// Step 2: r and s must be integers in [1, n-1].
	rs, ok1 := c.scalarInRange(r)
	ss, ok2 := c.scalarInRange(s)
	if !ok1 || !ok2 {
		return false
	}
	// Steps 3–4: e = bits2int(H(M)) mod n.
	e := bits2int(c, digest)
	// Step 5: w = s⁻¹ mod n (n is prime and s ≠ 0, so it exists).
	w, ok := c.n.InverseVarTime(ss)
	if !ok {
		return false
	}
	// Step 6: u1 = e·w, u2 = r·w mod n.
	u1, u2 := c.n.Mul(e, w), c.n.Mul(rs, w)
	// Step 7: R' = u1·G + u2·Q; the point at infinity fails.
	x, ok := c.points.combinedX(c.n.Bytes(u1), c.n.Bytes(u2), pub.q)
	if !ok {
		return false
	}
	// Steps 8–9: v = x_R' mod n must equal r.
	return c.n.Reduce(x).Equal(rs) == 1
}

// scalarInRange decodes a big-endian value (leading zeros allowed) and
// reports whether it is in [1, n-1].
func (c *Curve) scalarInRange(b []byte) (*rsa.Scalar, bool) {
	for len(b) > c.size && b[0] == 0 {
		b = b[1:]
	}
	if len(b) > c.size {
		return nil, false
	}
	padded := make([]byte, c.size)
	copy(padded[c.size-len(b):], b)
	x, err := c.n.NewScalar(padded)
	if err != nil || x.IsZero() == 1 {
		return nil, false
	}
	return x, true
}

// hashFunc returns the constructor of the curve's hash, for the HMAC_DRBG.
func (c *Curve) hashFunc() func() hash.Hash {
	if c.Hash == crypto.SHA384 {
		return sha512.New384
	}
	return sha256.New
}
