package rsa

import "errors"

// The errors of this package. Each is a distinct value, so callers can test
// for them with errors.Is; functions may wrap them with detail (for key
// problems), but never for decryption or verification failures, whose cause
// must not be revealed.
var (
	// ErrDecryption means a ciphertext could not be decrypted: wrong length,
	// out of range, or bad padding. Deliberately one error for every cause,
	// so that it tells an attacker nothing (Bleichenbacher 1998).
	// spec: rfc8017#7.2.2
	ErrDecryption = errors.New("minitls/cipher/rsa: decryption error")

	// ErrVerification means a signature does not match the message and key.
	// spec: rfc8017#8.2.2
	ErrVerification = errors.New("minitls/cipher/rsa: verification error")

	// ErrMessageTooLong means the message (or DigestInfo) does not fit the
	// key: PKCS#1 v1.5 encryption carries at most k-11 bytes. Use a larger
	// key or a shorter message.
	// spec: rfc8017#7.2.1
	ErrMessageTooLong = errors.New("minitls/cipher/rsa: message too long for RSA key size")

	// ErrKeySize means the modulus is smaller than 1024 bits (too weak), larger
	// than 16384 bits (refused to bound the work), or a key size GenerateKey
	// does not support.
	// spec: rfc8017#3.1
	ErrKeySize = errors.New("minitls/cipher/rsa: unsupported key size")

	// ErrPublicExponent means the public exponent is even, smaller than 3, or
	// not below 2^31.
	// spec: rfc8017#3.1
	ErrPublicExponent = errors.New("minitls/cipher/rsa: invalid public exponent")

	// ErrInvalidKey means the key is inconsistent: an even modulus, n ≠ p·q,
	// e·d ≢ 1 mod (p-1)(q-1)'s factors, or values out of range.
	// spec: rfc8017#3.2
	ErrInvalidKey = errors.New("minitls/cipher/rsa: invalid key")

	// ErrUnsupportedHash means the hash is not SHA-256, SHA-384 or SHA-512, or
	// the digest length does not match it.
	// spec: rfc8017#9.2
	ErrUnsupportedHash = errors.New("minitls/cipher/rsa: unsupported hash function or wrong digest length")

	// ErrUnsupportedPadding means the caller asked for a scheme this package
	// does not implement: RSAES-OAEP. Encryption is PKCS#1 v1.5 only.
	// spec: rfc8017#7.1
	ErrUnsupportedPadding = errors.New("minitls/cipher/rsa: only PKCS#1 v1.5 encryption is supported (no OAEP)")

	// ErrSaltLength means PSSOptions.SaltLength is negative and not
	// PSSSaltLengthEqualsHash: give a length in bytes, PSSSaltLengthAuto or
	// PSSSaltLengthEqualsHash.
	// spec: rfc8017#9.1
	ErrSaltLength = errors.New("minitls/cipher/rsa: invalid PSS salt length")

	// ErrFault means a private-key operation produced a result that does not
	// survive the check with the public exponent: a hardware or memory fault,
	// or a corrupt key. The result is withheld, since a faulty CRT result can
	// reveal a prime factor (Boneh–DeMillo–Lipton 1997).
	// spec: rfc8017#5.1.2
	ErrFault = errors.New("minitls/cipher/rsa: internal error: private key operation failed its self-check")

	// ErrModulus reports a modulus that Montgomery arithmetic cannot use:
	// even, zero or one (ModMul, ModExp, ModReduce). RSA moduli and primes
	// are always odd.
	// spec: rfc8017#3.1
	ErrModulus = errors.New("minitls/cipher/rsa: modulus must be odd and greater than 1")
)
