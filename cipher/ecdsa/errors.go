package ecdsa

import "errors"

// The errors of this package, for errors.Is. A verification failure is one
// error for every cause.
var (
	// ErrVerification means a signature does not match the digest and key:
	// malformed DER, r or s out of [1, n-1], or the equation does not hold.
	// spec: fips186-5#6.4.2
	ErrVerification = errors.New("minitls/cipher/ecdsa: verification error")

	// ErrInvalidPublicKey means a public key is not an uncompressed point
	// (04 || x || y) on the curve, or is the point at infinity.
	// spec: sec1#2.3.4
	ErrInvalidPublicKey = errors.New("minitls/cipher/ecdsa: invalid public key: want an uncompressed point on the curve")

	// ErrInvalidPrivateKey means a private key d is not of the curve's byte
	// length or not in [1, n-1].
	// spec: fips186-5#6.2.1
	ErrInvalidPrivateKey = errors.New("minitls/cipher/ecdsa: invalid private key: want d in [1, n-1], as many bytes as n")

	// ErrUnsupportedHash means Sign was asked for a hash other than the
	// curve's (SHA-256 on P-256, SHA-384 on P-384), or the digest length
	// does not match the hash named.
	ErrUnsupportedHash = errors.New("minitls/cipher/ecdsa: unsupported hash: P-256 signs SHA-256 digests, P-384 SHA-384")
)
