// Package ecdsa implements the Elliptic Curve Digital Signature Algorithm
// (FIPS 186-5 §6.4) for minitls on the NIST curves P-256 (with SHA-256) and
// P-384 (with SHA-384): the signatures of ECDSA certificates and of the
// ECDHE_ECDSA handshakes.
//
// What is minitls's own and what is not: the point arithmetic (adding points,
// multiplying a point by a scalar, encoding points) comes from
// filippo.io/nistec, the standard library's own P-256/P-384 code published as
// a module, just as X25519 comes from golang.org/x/crypto. Everything above
// it is written here: the algorithm, the arithmetic modulo the group order n
// (cipher/rsa's fixed-width Montgomery code, through its ScalarField), the
// nonces, and the DER encoding of a signature.
//
// Reading order:
//
//   - curve.go: the two curves, their constants, and the few point
//     operations ECDSA needs (k·G, u1·G + u2·Q), written once for both
//     curves over nistec's point types.
//   - ecdsa.go: keys, signature generation (FIPS 186-5 §6.4.1) and
//     verification (§6.4.2), and crypto.Signer.
//   - nonce.go: the per-signature secret k, from RFC 6979's deterministic
//     HMAC_DRBG construction, hedged with fresh randomness (RFC 6979 §3.6).
//   - der.go: the signature as DER, SEQUENCE { r INTEGER, s INTEGER }
//     (RFC 5480 §2.2.3, RFC 3279 §2.2.3).
//   - errors.go: one error value per kind of failure.
//
// What is public and what is secret: curve sizes, the public key, the digest
// and a signature being verified are public, so verification may take time
// that depends on them (it inverts s with a variable-time algorithm). The
// private key d and the nonce k are secret: signing inverts k by Fermat's
// little theorem with the constant-time fixed-window exponentiation of
// cipher/rsa, and nistec's scalar multiplications are constant time.
//
// A reused or predictable nonce reveals the private key from two signatures
// (k = (e1 - e2)/(s1 - s2)), which is why k is derived from the key and the
// digest and is never left to the random generator alone: a broken generator
// still cannot repeat k for two different messages.
package ecdsa
