package ecdsa

import (
	"crypto"
	"crypto/rand"
	"testing"
)

// TestKeyEqual pins the Equal methods (crypto.PublicKey's and
// crypto.PrivateKey's Equal, as crypto/ecdsa has them): a key equals the
// same point Q or secret d on the same curve, rebuilt from its bytes, and
// no other key, on either curve; a value of another type is never equal.
// PublicKey.Equal is nil-safe (go-cmp calls it): two nil keys are equal, a
// nil key and a key are not.
func TestKeyEqual(t *testing.T) {
	var keys []*PrivateKey
	for _, c := range []*Curve{P256(), P384()} {
		for range 2 {
			k, err := GenerateKey(c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
	}
	for i, a := range keys {
		samePub, err := NewPublicKey(a.Curve(), a.PublicKey.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		samePriv, err := NewPrivateKey(a.Curve(), a.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !a.PublicKey.Equal(samePub) {
			t.Errorf("%s key %d: PublicKey.Equal(the same Q rebuilt) = false", a.Curve(), i)
		}
		if !a.Equal(samePriv) {
			t.Errorf("%s key %d: PrivateKey.Equal(the same d rebuilt) = false", a.Curve(), i)
		}
		for j, b := range keys {
			if i == j {
				continue
			}
			if a.PublicKey.Equal(&b.PublicKey) {
				t.Errorf("%s key %d equals %s key %d (public)", a.Curve(), i, b.Curve(), j)
			}
			if a.Equal(b) {
				t.Errorf("%s key %d equals %s key %d (private)", a.Curve(), i, b.Curve(), j)
			}
		}
		// Another type: the private key where a public key is expected,
		// and the other way round.
		if a.PublicKey.Equal(a) || a.Equal(&a.PublicKey) {
			t.Errorf("%s key %d: a key of the other kind is equal", a.Curve(), i)
		}
		var nilPub *PublicKey
		if a.PublicKey.Equal(nilPub) || nilPub.Equal(&a.PublicKey) {
			t.Errorf("%s key %d: a nil *PublicKey and a key are equal", a.Curve(), i)
		}
		if a.PublicKey.Equal(nil) || a.Equal(nil) {
			t.Errorf("%s key %d: equal to an untyped nil", a.Curve(), i)
		}
	}
	var nilPub *PublicKey
	if !nilPub.Equal(nilPub) {
		t.Error("two nil *PublicKey are not equal")
	}
	if nilPub.Equal(crypto.PublicKey(nil)) {
		t.Error("a nil *PublicKey equals an untyped nil")
	}
}
