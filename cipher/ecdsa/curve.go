package ecdsa

import (
	"crypto"
	"encoding/hex"

	"filippo.io/nistec"

	"minitls/cipher/rsa"
)

// Curve is one of the two curves this package supports, P256() or P384(),
// with the hash its signatures use. Compare curves by pointer.
type Curve struct {
	// Name is the curve's NIST name, "P-256" or "P-384".
	Name string
	// Hash is the hash signed with the curve in TLS and X.509:
	// SHA-256 with P-256, SHA-384 with P-384 (rfc8446#4.2.3).
	Hash crypto.Hash

	size   int              // bytes of p and of n: 32 or 48
	n      *rsa.ScalarField // arithmetic modulo the group order n
	points pointOps         // nistec's arithmetic on this curve's points
}

// Size returns the byte length of the curve's field elements and scalars: 32
// for P-256, 48 for P-384. An uncompressed point is 1+2·Size bytes.
func (c *Curve) Size() int { return c.size }

// String returns the curve's name.
func (c *Curve) String() string { return c.Name }

// The group orders n (FIPS 186-5 / SP 800-186 §3.2.1.3, §3.2.1.4).
const (
	p256Order = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
	p384Order = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"
)

var (
	p256 = newCurve("P-256", crypto.SHA256, 32, p256Order, nistOps[*nistec.P256Point]{nistec.NewP256Point})
	p384 = newCurve("P-384", crypto.SHA384, 48, p384Order, nistOps[*nistec.P384Point]{nistec.NewP384Point})
)

// P256 returns the curve P-256 (secp256r1, prime256v1), signed with SHA-256.
func P256() *Curve { return p256 }

// P384 returns the curve P-384 (secp384r1), signed with SHA-384.
func P384() *Curve { return p384 }

func newCurve(name string, h crypto.Hash, size int, order string, ops pointOps) *Curve {
	n, err := hex.DecodeString(order)
	if err != nil {
		panic(err)
	}
	f, err := rsa.NewScalarField(n)
	if err != nil {
		panic(err)
	}
	return &Curve{Name: name, Hash: h, size: size, n: f, points: ops}
}

// pointOps is what ECDSA asks of the curve arithmetic. Points travel as
// uncompressed SEC 1 encodings (04 || x || y) and scalars as big-endian
// byte strings of the curve's size.
type pointOps interface {
	// checkPublic reports whether q is an uncompressed point on the curve
	// other than the point at infinity.
	checkPublic(q []byte) bool
	// baseMult returns k·G, uncompressed, for a secret k in [1, n-1].
	baseMult(k []byte) []byte
	// baseMultX returns the x-coordinate of k·G for a secret k in [1, n-1].
	baseMultX(k []byte) []byte
	// combinedX returns the x-coordinate of u1·G + u2·Q, or false if that
	// sum is the point at infinity. u1, u2 and q are public.
	combinedX(u1, u2, q []byte) ([]byte, bool)
}

// nistPoint is the part of nistec's point API shared by its P-256 and
// P-384 types.
type nistPoint[P any] interface {
	Bytes() []byte
	BytesX() ([]byte, error)
	SetBytes([]byte) (P, error)
	Add(P, P) P
	ScalarMult(P, []byte) (P, error)
	ScalarBaseMult([]byte) (P, error)
}

// nistOps implements pointOps on one of nistec's point types.
type nistOps[P nistPoint[P]] struct{ newPoint func() P }

func (o nistOps[P]) checkPublic(q []byte) bool {
	// nistec also accepts the one-byte encoding of infinity and compressed
	// points; a public key is neither (rfc5480#2.2 allows compressed
	// points, but crypto/x509 and the TLS groups of RFC 8422 use only the
	// uncompressed form).
	if len(q) == 0 || q[0] != 4 {
		return false
	}
	_, err := o.newPoint().SetBytes(q)
	return err == nil
}

func (o nistOps[P]) baseMult(k []byte) []byte {
	p, err := o.newPoint().ScalarBaseMult(k)
	if err != nil {
		panic("minitls/cipher/ecdsa: scalar of the wrong length") // callers pass Size bytes
	}
	return p.Bytes()
}

func (o nistOps[P]) baseMultX(k []byte) []byte {
	p, err := o.newPoint().ScalarBaseMult(k)
	if err != nil {
		panic("minitls/cipher/ecdsa: scalar of the wrong length")
	}
	// k in [1, n-1] makes k·G a finite point, so BytesX cannot fail.
	x, err := p.BytesX()
	if err != nil {
		panic("minitls/cipher/ecdsa: k·G is the point at infinity for k in [1, n-1]")
	}
	return x
}

func (o nistOps[P]) combinedX(u1, u2, q []byte) ([]byte, bool) {
	Q, err := o.newPoint().SetBytes(q)
	if err != nil {
		return nil, false
	}
	a, err := o.newPoint().ScalarBaseMult(u1)
	if err != nil {
		return nil, false
	}
	b, err := o.newPoint().ScalarMult(Q, u2)
	if err != nil {
		return nil, false
	}
	x, err := a.Add(a, b).BytesX() // fails only for the point at infinity
	return x, err == nil
}
