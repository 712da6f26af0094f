package rsa

import (
	"bytes"
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// The group orders of P-256 and P-384, the moduli cipher/ecdsa uses.
var scalarTestOrders = []string{
	"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
	"ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
}

// TestRapidScalarField: every ScalarField operation agrees with math/big
// modulo the P-256 and P-384 orders: NewScalar's range check, Reduce of any
// length, Add, Mul, both inverses (Inverse(0) = 0, InverseVarTime(0) fails).
func TestRapidScalarField(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nb, _ := new(big.Int).SetString(rapid.SampledFrom(scalarTestOrders).Draw(t, "n"), 16)
		f, err := NewScalarField(nb.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		size := f.ByteLen()
		draw := func(label string) (*Scalar, *big.Int) {
			b := rapid.SliceOfN(rapid.Byte(), size, size).Draw(t, label)
			if rapid.Bool().Draw(t, label+"Zero") {
				b = make([]byte, size)
			}
			x, err := f.NewScalar(b)
			v := new(big.Int).SetBytes(b)
			if (err == nil) != (v.Cmp(nb) < 0) {
				t.Fatalf("NewScalar(%x): %v", b, err)
			}
			if err != nil {
				v.Mod(v, nb)
				x, _ = f.NewScalar(v.FillBytes(make([]byte, size)))
			}
			return x, v
		}
		x, xv := draw("x")
		y, yv := draw("y")
		check := func(op string, got *Scalar, want *big.Int) {
			if !bytes.Equal(f.Bytes(got), want.FillBytes(make([]byte, size))) {
				t.Fatalf("%s = %x, want %x", op, f.Bytes(got), want)
			}
		}
		check("Add", f.Add(x, y), new(big.Int).Mod(new(big.Int).Add(xv, yv), nb))
		check("Mul", f.Mul(x, y), new(big.Int).Mod(new(big.Int).Mul(xv, yv), nb))
		inv := new(big.Int).ModInverse(xv, nb)
		if inv == nil {
			inv = new(big.Int)
		}
		check("Inverse", f.Inverse(x), inv)
		if z, ok := f.InverseVarTime(x); ok != (xv.Sign() != 0) || ok && !bytes.Equal(f.Bytes(z), inv.FillBytes(make([]byte, size))) {
			t.Fatalf("InverseVarTime(%x) = %v", xv, ok)
		}
		long := rapid.SliceOfN(rapid.Byte(), 0, 3*size).Draw(t, "long")
		check("Reduce", f.Reduce(long), new(big.Int).Mod(new(big.Int).SetBytes(long), nb))
		if x.IsZero() != bool2int(xv.Sign() == 0) || x.Equal(y) != bool2int(xv.Cmp(yv) == 0) {
			t.Fatalf("IsZero/Equal disagree for %x, %x", xv, yv)
		}
	})
}

func bool2int(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestScalarFieldRefuses: even moduli and 1 are not fields; a scalar must be
// exactly ByteLen bytes.
func TestScalarFieldRefuses(t *testing.T) {
	for _, n := range [][]byte{{}, {1}, {4}, {0, 1}} {
		if _, err := NewScalarField(n); err == nil {
			t.Errorf("NewScalarField(%x) accepted", n)
		}
	}
	f, _ := NewScalarField([]byte{0xff, 0xfb})
	for _, b := range [][]byte{{1}, {0, 0, 1}, {0xff, 0xfb}, {0xff, 0xff}} {
		if _, err := f.NewScalar(b); err != ErrScalarRange {
			t.Errorf("NewScalar(%x) = %v, want ErrScalarRange", b, err)
		}
	}
}
