package handshake

import (
	"crypto/ecdh"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
)

// This file holds the ephemeral elliptic-curve Diffie–Hellman key agreement
// of the TLS_ECDHE_RSA suites: the two named groups, key generation, the
// checks on the peer's public value, and the shared secret that becomes the
// premaster secret.
//
// Why it exists: with RSA key transport the premaster secret travels
// encrypted to the server's long-term key, so whoever later obtains that key
// decrypts every recorded session. With ECDHE both sides make a fresh key
// pair for each handshake and forget it afterwards; the server's long-term
// key only signs the server's public value (ServerKeyExchange), so a leaked
// key lets an attacker impersonate the server in future, but not read the
// past. That property is forward secrecy.
//
// Key agreement is not among minitls's from-scratch parts: X25519, P-256
// and P-384 come from the standard library's crypto/ecdh, constant time. (X25519 went
// through golang.org/x/crypto/curve25519 before, whose X25519 function runs
// a second, wasted scalar multiplication to derive a public key crypto/ecdh
// insists on computing: a quarter of a full ECDHE handshake's CPU.)
//
// spec: rfc8422#2.1, rfc7748#6.1

// CurveID names an elliptic curve group in the supported_groups extension
// and the ServerKeyExchange (RFC 8422 calls it NamedCurve, TLS 1.3
// NamedGroup).
//
//	enum {
//	    secp256r1 (23), secp384r1 (24), secp521r1 (25),
//	    x25519(29), x448(30),
//	    reserved (0xFE00..0xFEFF),
//	    (0xFFFF)
//	} NamedCurve;
//
// spec: rfc8422#5.1.1
type CurveID uint16

// The groups minitls implements.
//
// spec: rfc8422#5.1.1, rfc7748#6.1
const (
	CurveP256   CurveID = 23 // secp256r1 (NIST P-256), via crypto/ecdh
	CurveP384   CurveID = 24 // secp384r1 (NIST P-384), via crypto/ecdh
	CurveX25519 CurveID = 29 // x25519 (RFC 7748), via crypto/ecdh
)

var curveNames = map[CurveID]string{
	CurveP256:   "secp256r1",
	CurveP384:   "secp384r1",
	25:          "secp521r1",
	CurveX25519: "x25519",
	30:          "x448",
	256:         "ffdhe2048",
	257:         "ffdhe3072",
	0x11ec:      "X25519MLKEM768",
}

// String returns the RFC name, e.g. "x25519", or the hex value.
func (c CurveID) String() string {
	if n, ok := curveNames[c]; ok {
		return n
	}
	if isGREASE(uint16(c)) {
		return fmt.Sprintf("GREASE(0x%04x)", uint16(c))
	}
	return fmt.Sprintf("0x%04x", uint16(c))
}

// defaultCurves is minitls's group preference: X25519 first (fast, no point
// validation pitfalls, every modern peer has it), then P-256 (what older and
// FIPS-minded peers have), then P-384. P-384 is slower and adds nothing to
// the key exchange's strength that the suites need, but a TLS 1.2 server
// whose certificate is on P-384 wants it listed: RFC 8422 ties the
// certificate's curve to supported_groups (OpenSSL refuses with
// handshake_failure otherwise).
//
// spec: rfc8422#5.3 (an ECDSA certificate's key must be on a curve the
// client supports, as listed in supported_groups), rfc8422#5.1.1
var defaultCurves = []CurveID{CurveX25519, CurveP256, CurveP384}

// supportedCurve reports whether minitls implements group c.
func supportedCurve(c CurveID) bool {
	return c == CurveX25519 || c == CurveP256 || c == CurveP384
}

// nistCurve returns crypto/ecdh's implementation of a NIST prime curve
// minitls implements, with the byte length of its scalars and coordinates,
// or nil.
func nistCurve(c CurveID) (curve ecdh.Curve, size int) {
	switch c {
	case CurveP256:
		return ecdh.P256(), 32
	case CurveP384:
		return ecdh.P384(), 48
	}
	return nil, 0
}

// pointUncompressed is the only ECPointFormat minitls sends or accepts.
// spec: rfc8422#5.1.2 ("uncompressed" is the only format still defined)
const pointUncompressed uint8 = 0

// ErrInvalidPublicKey: the peer's ECDHE public value is not a valid point of
// the negotiated group, has the wrong length, or (X25519) leads to the
// all-zero shared secret. It is answered with illegal_parameter.
//
// spec: rfc8422#5.11, rfc7748#6.1
var ErrInvalidPublicKey = errors.New("peer's ECDHE public value is invalid for the negotiated group")

// ErrBadSignature: the ServerKeyExchange signature does not verify with the
// server's certificate key: the parameters were altered, or the server does
// not hold the certificate's private key. It is answered with decrypt_error.
//
// spec: rfc5246#7.2.2, rfc8422#5.4
var ErrBadSignature = errors.New("ServerKeyExchange signature does not verify with the server's certificate key")

// ErrNoCommonGroup: an ECDHE-only configuration met a peer without a
// group in common (and RSA key transport was not enabled as a fallback).
// It is answered with handshake_failure.
//
// spec: rfc8422#5.1.1
var ErrNoCommonGroup = errors.New("no elliptic curve group in common (minitls implements x25519, secp256r1 and secp384r1)")

// publicKeyLen is the length of an encoded public value: 32 bytes for
// X25519 (the u-coordinate, spec: rfc7748#5), 65 for an uncompressed P-256
// point and 97 for a P-384 one (0x04 || x || y, spec: rfc8422#5.4.1,
// sec1#2.3.3).
func publicKeyLen(c CurveID) int {
	if c == CurveX25519 {
		return 32
	}
	if _, size := nistCurve(c); size > 0 {
		return 1 + 2*size
	}
	return 0
}

// ecdheKey is one side's ephemeral key pair for one handshake. It lives in
// the handshake state only until the shared secret is computed.
type ecdheKey struct {
	curve  CurveID
	x25519 *ecdh.PrivateKey // X25519 private key (32 random bytes, clamped by crypto/ecdh)
	nist   *ecdh.PrivateKey // P-256 or P-384 private key
	public []byte           // the encoded public value sent to the peer
}

// generateECDHE makes an ephemeral key pair on curve from random. The bytes
// are read from Config.Rand so that golden transcripts stay reproducible;
// crypto/ecdh's own GenerateKey ignores a custom reader since Go 1.26.
//
// spec: rfc7748#6.1 (X25519: 32 random bytes), fips186-5#A.4.2 (P-256,
// P-384: a random scalar in [1, n-1], here by rejection sampling; the
// rejection probability, at most about 2^-32, is public and independent of
// the accepted key)
func generateECDHE(random io.Reader, curve CurveID) (*ecdheKey, error) {
	k := &ecdheKey{curve: curve}
	switch curve {
	case CurveX25519:
		var scalar [32]byte
		if _, err := io.ReadFull(random, scalar[:]); err != nil {
			return nil, fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
		}
		priv, err := ecdh.X25519().NewPrivateKey(scalar[:])
		if err != nil {
			return nil, fmt.Errorf("%w: X25519 key generation: %v", ErrConfig, err)
		}
		k.x25519, k.public = priv, priv.PublicKey().Bytes()
	case CurveP256, CurveP384:
		priv, err := generateNIST(random, curve)
		if err != nil {
			return nil, err
		}
		k.nist, k.public = priv, priv.PublicKey().Bytes()
	default:
		return nil, fmt.Errorf("%w: group %v is not implemented", ErrConfig, curve)
	}
	return k, nil
}

// generateNIST draws a private scalar on a NIST curve from random: the
// curve's byte length at a time, redrawn when crypto/ecdh refuses it (zero
// or not below the group order n).
//
// spec: fips186-5#A.4.2
func generateNIST(random io.Reader, curve CurveID) (*ecdh.PrivateKey, error) {
	c, size := nistCurve(curve)
	b := make([]byte, size)
	defer clear(b)
	for tries := 0; ; tries++ {
		if _, err := io.ReadFull(random, b); err != nil {
			return nil, fmt.Errorf("%w: reading Config.Rand: %v", ErrConfig, err)
		}
		if priv, err := c.NewPrivateKey(b); err == nil {
			return priv, nil
		}
		if tries > 64 {
			return nil, fmt.Errorf("%w: Config.Rand gives no valid %v scalar", ErrConfig, curve)
		}
	}
}

// checkPublicKey validates the peer's encoded public value for curve
// before any use: its length, and for P-256 and P-384 that it is an uncompressed point
// on the curve (crypto/ecdh rejects compressed encodings, the point at
// infinity and points off the curve). X25519 accepts every 32-byte string
// by design; its low-order points are caught by the all-zero check in
// sharedSecret.
//
// spec: rfc8422#5.11 ("...MUST check that the point is on the curve..."),
// rfc8422#5.4.1 (uncompressed only)
func checkPublicKey(curve CurveID, pub []byte) error {
	if want := publicKeyLen(curve); len(pub) != want {
		return failf(ErrInvalidPublicKey, "%v public value is %d bytes, want %d", curve, len(pub), want)
	}
	if c, _ := nistCurve(curve); c != nil {
		if pub[0] != 4 {
			return failf(ErrInvalidPublicKey, "%v point starts with 0x%02x; only the uncompressed form (0x04) is allowed", curve, pub[0])
		}
		if _, err := c.NewPublicKey(pub); err != nil {
			return failf(ErrInvalidPublicKey, "%v point is not on the curve", curve)
		}
	}
	return nil
}

// sharedSecret computes the premaster secret from our private key and the
// peer's public value: for X25519 the 32-byte u-coordinate of the product,
// which must not be all zeros (a low-order peer point would force that
// value, and with it a session key known in advance); for P-256 and P-384
// the x-coordinate of the shared point (32 and 48 bytes).
//
// spec: rfc8422#5.10 ("the premaster secret is the x-coordinate of the ECDH
// shared secret elliptic curve point ... Note that this octet string (Z in
// IEEE 1363 terminology) ... leading zeros ... MUST NOT be truncated."),
// rfc7748#6.1 (all-zero check), rfc8422#5.11
func (k *ecdheKey) sharedSecret(peer []byte) ([]byte, error) {
	if err := checkPublicKey(k.curve, peer); err != nil {
		return nil, err
	}
	switch k.curve {
	case CurveX25519:
		// ECDH returns an error exactly when the result is all zeros (a
		// low-order peer value); the explicit constant-time test below
		// states the rule here too. Every 32-byte string is a public key.
		var out []byte
		pub, err := ecdh.X25519().NewPublicKey(peer)
		if err == nil {
			out, err = k.x25519.ECDH(pub)
		}
		var zero [32]byte
		if err != nil || subtle.ConstantTimeCompare(out, zero[:]) == 1 {
			return nil, failf(ErrInvalidPublicKey, "x25519 shared secret is all zeros (a low-order public value)")
		}
		return out, nil
	case CurveP256, CurveP384:
		c, _ := nistCurve(k.curve)
		pub, err := c.NewPublicKey(peer)
		if err != nil {
			return nil, failf(ErrInvalidPublicKey, "%v point is not on the curve", k.curve)
		}
		z, err := k.nist.ECDH(pub)
		if err != nil {
			return nil, failf(ErrInvalidPublicKey, "%v: %v", k.curve, err)
		}
		return z, nil
	}
	return nil, fmt.Errorf("%w: group %v is not implemented", ErrConfig, k.curve)
}

// The ECDHE_RSA suites with AES-GCM. (Their names are also in
// cipherSuiteNames for traces of other peers' hellos.)
//
// spec: rfc5289#3.2, rfc8422#6
const (
	// spec: rfc5289#3.2
	TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 CipherSuite = 0xC02F
	// spec: rfc5289#3.2
	TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 CipherSuite = 0xC030
)

// curves returns the enabled groups in preference order.
func (c *Config) curves() []CurveID {
	if c.CurvePreferences == nil {
		return defaultCurves
	}
	var out []CurveID
	for _, id := range c.CurvePreferences {
		if supportedCurve(id) {
			out = append(out, id)
		}
	}
	return out
}
