package ecdsa

import (
	"bytes"
	"crypto/hmac"
	"hash"

	"minitls/cipher/rsa"
)

// nonceGenerator is RFC 6979's HMAC_DRBG (rfc6979#3.2, steps b to h), keyed
// by the private key and the digest, with optional extra data k' mixed into
// its seed (rfc6979#3.6). Without extra data it gives the deterministic
// nonces of RFC 6979 (known answers in the tests). Sign passes fresh random
// bytes as k': the nonce then still depends on the key and the message, so a
// broken random generator cannot make two messages share a k, and fresh
// randomness keeps fault attacks on deterministic signing from repeating a
// computation exactly ("hedged" signatures).
//
// Every value k has exactly n's byte length; P-256 and P-384 have orders
// whose bit length is a multiple of 8, so bits2int is a plain truncation to
// that many bytes (rfc6979#2.3.2).
type nonceGenerator struct {
	c    *Curve
	newH func() hash.Hash
	k, v []byte
	h    hash.Hash // HMAC keyed with hk, the K it was made for
	hk   []byte
}

// newNonceGenerator seeds the DRBG with x = int2octets(d), the digest as
// bits2octets(h1), and extra (may be empty). spec: rfc6979#3.2 b–f
func newNonceGenerator(c *Curve, newH func() hash.Hash, d []byte, digest []byte, extra []byte) *nonceGenerator {
	g := &nonceGenerator{c: c, newH: newH}
	hlen := newH().Size()
	g.v = make([]byte, hlen) // b. V = 0x01 0x01 ... 0x01
	for i := range g.v {
		g.v[i] = 1
	}
	g.k = make([]byte, hlen) // c. K = 0x00 0x00 ... 0x00
	h1 := bits2octets(c, digest)
	for _, sep := range []byte{0x00, 0x01} {
		// d., f. K = HMAC_K(V || sep || int2octets(x) || bits2octets(h1) || k')
		g.k = g.mac(g.v, []byte{sep}, d, h1, extra)
		// e., g. V = HMAC_K(V)
		g.v = g.mac(g.v)
	}
	return g
}

// mac returns HMAC_K(parts...) under the current K. The HMAC keyed with K
// is kept until K changes (keying hashes two blocks, so this saves about
// half of the DRBG's work).
func (g *nonceGenerator) mac(parts ...[]byte) []byte {
	if g.h == nil || !bytes.Equal(g.hk, g.k) {
		g.h, g.hk = hmac.New(g.newH, g.k), g.k
	}
	g.h.Reset()
	for _, p := range parts {
		g.h.Write(p)
	}
	return g.h.Sum(nil)
}

// next returns the next candidate k in [1, n-1], with its big-endian
// encoding. A candidate outside that range (probability about 2^-32 on P-256
// and 2^-190 on P-384) is discarded and the DRBG stepped, as step h.3 says;
// so is a k for which signing failed (r = 0 or s = 0), by calling next
// again. spec: rfc6979#3.2 h
func (g *nonceGenerator) next() (*rsa.Scalar, []byte) {
	for {
		// h.1, h.2: T = V1 || V2 || ... until it has qlen bits.
		var t []byte
		for len(t) < g.c.size {
			g.v = g.mac(g.v)
			t = append(t, g.v...)
		}
		t = t[:g.c.size] // bits2int(T): the leftmost qlen bits
		// h.3: the DRBG steps before k is used, so that calling next again
		// gives a fresh candidate.
		g.k = g.mac(g.v, []byte{0x00})
		g.v = g.mac(g.v)
		k, err := g.c.n.NewScalar(t)
		if err == nil && k.IsZero() == 0 {
			return k, t
		}
	}
}

// bits2int turns a digest into a scalar: its leftmost qlen bits as a
// number, reduced modulo n, which is also FIPS 186-5's e (§6.4.1 step 3).
// A digest shorter than n is used whole. spec: rfc6979#2.3.2, #2.3.4
func bits2int(c *Curve, digest []byte) *rsa.Scalar {
	if len(digest) > c.size {
		digest = digest[:c.size]
	}
	return c.n.Reduce(digest)
}

// bits2octets is bits2int(digest) mod n as Size bytes. spec: rfc6979#2.3.4
func bits2octets(c *Curve, digest []byte) []byte { return c.n.Bytes(bits2int(c, digest)) }
