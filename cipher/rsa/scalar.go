package rsa

import "errors"

// This file opens the package's fixed-width Montgomery arithmetic to
// cipher/ecdsa, whose scalars live modulo an elliptic curve's group order n
// (a public odd prime of 256 or 384 bits), so that minitls has one modular
// arithmetic, not two. It only wraps modulus.go; the arithmetic is the one RSA
// runs on, with the same constant-time rules: the width of every number is
// public, the values are secret unless a name ends in VarTime.

// ErrScalarRange means a byte string given as a scalar is not of the field's
// byte length or not below its modulus.
var ErrScalarRange = errors.New("minitls/cipher/rsa: scalar out of range for its modulus")

// ScalarField is arithmetic modulo a public odd modulus n > 2, such as the
// order of an elliptic curve group. Safe for concurrent use.
type ScalarField struct {
	m         *modulus
	nMinusTwo []byte // n - 2, big-endian: the exponent of Fermat inversion
}

// Scalar is a residue modulo a ScalarField's n, always fully reduced, stored
// at the field's fixed width.
type Scalar struct{ v nat }

// NewScalarField returns the arithmetic modulo the big-endian odd n > 1
// (ErrModulus otherwise).
func NewScalarField(n []byte) (*ScalarField, error) {
	m, err := newModulus(n)
	if err != nil {
		return nil, err
	}
	// newModulus refused even moduli and 1, so n >= 3 and n - 2 >= 1.
	two := newNat(m.size()).setUint(2)
	e := m.m.clone()
	e.sub(two)
	return &ScalarField{m: m, nMinusTwo: e.bytes(m.byteLen())}, nil
}

// ByteLen returns the length of n in bytes: the length of every scalar's
// encoding.
func (f *ScalarField) ByteLen() int { return f.m.byteLen() }

// Modulus returns n, big-endian, ByteLen bytes long.
func (f *ScalarField) Modulus() []byte { return f.m.m.bytes(f.ByteLen()) }

// NewScalar decodes the big-endian b, which must be exactly ByteLen bytes and
// below n (ErrScalarRange otherwise). Only the verdict depends on the value.
func (f *ScalarField) NewScalar(b []byte) (*Scalar, error) {
	if len(b) != f.ByteLen() {
		return nil, ErrScalarRange
	}
	x, err := natFromBytes(b, f.m.size())
	if err != nil || x.cmpGeq(f.m.m) == 1 {
		return nil, ErrScalarRange
	}
	return &Scalar{v: x}, nil
}

// Reduce returns the big-endian b of any length reduced modulo n, in time
// that depends only on len(b).
func (f *ScalarField) Reduce(b []byte) *Scalar {
	x, _ := natFromBytes(b, max(1, limbsFor(len(b))))
	return &Scalar{v: f.m.reduce(x)}
}

// Bytes returns x as exactly ByteLen big-endian bytes.
func (f *ScalarField) Bytes(x *Scalar) []byte { return x.v.bytes(f.ByteLen()) }

// IsZero returns 1 if x = 0 and 0 otherwise.
func (x *Scalar) IsZero() int { return int(x.v.isZero()) }

// Equal returns 1 if x = y and 0 otherwise.
func (x *Scalar) Equal(y *Scalar) int { return int(x.v.equal(y.v)) }

// Add returns x + y mod n.
func (f *ScalarField) Add(x, y *Scalar) *Scalar {
	z := x.v.clone()
	f.m.modAdd(z, y.v)
	return &Scalar{v: z}
}

// Mul returns x·y mod n: two Montgomery multiplications (into Montgomery
// form by R², then the product, which leaves it again).
func (f *ScalarField) Mul(x, y *Scalar) *Scalar { return &Scalar{v: f.m.modMul(x.v, y.v)} }

// Inverse returns x⁻¹ mod n for a prime n, as x^(n-2) (Fermat's little
// theorem) with the constant-time fixed-window exponentiation that RSA's
// private key uses: for a secret x, such as an ECDSA nonce. Inverse(0) is 0.
func (f *ScalarField) Inverse(x *Scalar) *Scalar { return &Scalar{v: f.m.exp(x.v, f.nMinusTwo)} }

// InverseVarTime returns x⁻¹ mod n and true, or false if x has no inverse,
// with the binary extended Euclidean algorithm, whose running time depends on
// x: only for public values, such as the s of a signature being verified.
func (f *ScalarField) InverseVarTime(x *Scalar) (*Scalar, bool) {
	z, ok := f.m.inverseVarTime(x.v)
	if !ok {
		return nil, false
	}
	return &Scalar{v: z}, true
}
