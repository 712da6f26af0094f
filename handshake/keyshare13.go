package handshake

import (
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"fmt"
	"io"
	"slices"
)

// CurveX25519MLKEM768 is the hybrid post-quantum group: ML-KEM-768 (FIPS 203,
// from the standard library's crypto/mlkem, as P-256 comes from crypto/ecdh)
// and X25519 side by side, so the shared secret stays secret as long as
// either holds. The client's share is the ML-KEM-768 encapsulation key (1184
// bytes) followed by its X25519 public value (32); the server's is the
// ML-KEM ciphertext (1088) followed by its X25519 public value; the shared
// secret is the ML-KEM shared key (32) followed by the X25519 one (32).
//
// spec: draft-ietf-tls-ecdhe-mlkem-03#3, fips203
const CurveX25519MLKEM768 CurveID = 0x11EC

// Sizes of the parts of an X25519MLKEM768 share.
//
// spec: draft-ietf-tls-ecdhe-mlkem-03#4.1, fips203#8
const (
	mlkem768EncapsulationKeyLen = 1184
	mlkem768CiphertextLen       = 1088
	x25519Len                   = 32
)

// defaultCurves13 is the TLS 1.3 group preference: the hybrid first (what
// Chromium, curl and Go offer first today), then the classical groups.
var defaultCurves13 = []CurveID{CurveX25519MLKEM768, CurveX25519, CurveP256, CurveP384}

// curves13 returns the groups enabled for TLS 1.3 in preference order:
// Config.CurvePreferences (X25519MLKEM768 is known only to TLS 1.3), or
// defaultCurves13.
func (c *Config) curves13() []CurveID {
	if c.CurvePreferences == nil {
		return defaultCurves13
	}
	var out []CurveID
	for _, id := range c.CurvePreferences {
		if supportedCurve(id) || id == CurveX25519MLKEM768 {
			out = append(out, id)
		}
	}
	return out
}

// keyShare13 is a client's private half of one key share.
type keyShare13 struct {
	group  CurveID
	ecdhe  *ecdheKey                  // X25519, P-256 or P-384, or the X25519 half of the hybrid
	mlkem  *mlkem.DecapsulationKey768 // the ML-KEM half of the hybrid
	public []byte                     // key_exchange as sent
}

// generateKeyShare13 makes a client's share for group from random (the
// ML-KEM key from a 64-byte seed read from it, so that Config.Rand fixes it
// too).
//
// spec: rfc8446#4.2.8, draft-ietf-tls-ecdhe-mlkem-03#3
func generateKeyShare13(random io.Reader, group CurveID) (*keyShare13, error) {
	k := &keyShare13{group: group}
	switch group {
	case CurveX25519, CurveP256, CurveP384:
		e, err := generateECDHE(random, group)
		if err != nil {
			return nil, err
		}
		k.ecdhe, k.public = e, e.public
	case CurveX25519MLKEM768:
		seed := make([]byte, mlkem.SeedSize)
		if _, err := io.ReadFull(random, seed); err != nil {
			return nil, fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
		}
		dk, err := mlkem.NewDecapsulationKey768(seed)
		if err != nil {
			return nil, fmt.Errorf("%w: ML-KEM-768 key generation: %v", ErrConfig, err)
		}
		e, err := generateECDHE(random, CurveX25519)
		if err != nil {
			return nil, err
		}
		k.mlkem, k.ecdhe = dk, e
		k.public = slices.Concat(dk.EncapsulationKey().Bytes(), e.public)
	default:
		return nil, fmt.Errorf("%w: group %v is not implemented", ErrConfig, group)
	}
	return k, nil
}

// sharedSecret is the client's side: the (EC)DHE shared secret from the
// server's share. A share of the wrong length, a point off the curve, an
// all-zero X25519 result or a malformed ML-KEM ciphertext is
// illegal_parameter.
//
// spec: rfc8446#7.4, draft-ietf-tls-ecdhe-mlkem-03#3
func (k *keyShare13) sharedSecret(server []byte) ([]byte, error) {
	if k.group != CurveX25519MLKEM768 {
		return k.ecdhe.sharedSecret(server)
	}
	if len(server) != mlkem768CiphertextLen+x25519Len {
		return nil, failf(ErrInvalidPublicKey, "X25519MLKEM768 server share is %d bytes, want %d", len(server), mlkem768CiphertextLen+x25519Len)
	}
	kem, err := k.mlkem.Decapsulate(server[:mlkem768CiphertextLen])
	if err != nil {
		return nil, failf(ErrInvalidPublicKey, "ML-KEM-768 ciphertext: %v", err)
	}
	ecdh, err := k.ecdhe.sharedSecret(server[mlkem768CiphertextLen:])
	if err != nil {
		return nil, err
	}
	return slices.Concat(kem, ecdh), nil
}

// serverKeyShare13 is the server's side: given the client's share in group,
// it makes the server's share and the shared secret.
//
// spec: rfc8446#4.2.8, draft-ietf-tls-ecdhe-mlkem-03#3
func serverKeyShare13(random io.Reader, group CurveID, client []byte) (public, shared []byte, err error) {
	switch group {
	case CurveX25519, CurveP256, CurveP384:
		e, err := generateECDHE(random, group)
		if err != nil {
			return nil, nil, err
		}
		shared, err := e.sharedSecret(client)
		if err != nil {
			return nil, nil, err
		}
		return e.public, shared, nil
	case CurveX25519MLKEM768:
		if len(client) != mlkem768EncapsulationKeyLen+x25519Len {
			return nil, nil, failf(ErrInvalidPublicKey, "X25519MLKEM768 client share is %d bytes, want %d", len(client), mlkem768EncapsulationKeyLen+x25519Len)
		}
		ek, err := mlkem.NewEncapsulationKey768(client[:mlkem768EncapsulationKeyLen])
		if err != nil {
			return nil, nil, failf(ErrInvalidPublicKey, "ML-KEM-768 encapsulation key: %v", err)
		}
		// Encapsulation's randomness m (fips203#7.2 step 1) comes from
		// random, like every other random value of the handshake, so a
		// handshake under a deterministic Config.Rand repeats exactly (the
		// demo's -seed, golden transcripts). With crypto/rand this is the
		// same as ek.Encapsulate().
		var m [32]byte
		if _, err := io.ReadFull(random, m[:]); err != nil {
			return nil, nil, fmt.Errorf("%w: reading ML-KEM randomness: %v", ErrConfig, err)
		}
		kem, ct, err := mlkemtest.Encapsulate768(ek, m[:])
		clear(m[:])
		if err != nil {
			return nil, nil, failf(ErrInvalidPublicKey, "ML-KEM-768 encapsulation: %v", err)
		}
		e, err := generateECDHE(random, CurveX25519)
		if err != nil {
			return nil, nil, err
		}
		ecdh, err := e.sharedSecret(client[mlkem768EncapsulationKeyLen:])
		if err != nil {
			return nil, nil, err
		}
		return slices.Concat(ct, e.public), slices.Concat(kem, ecdh), nil
	}
	return nil, nil, fmt.Errorf("%w: group %v is not implemented", ErrConfig, group)
}
