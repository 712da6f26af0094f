// Package rsa implements RSA (RFC 8017) from scratch for minitls: fixed-width
// constant-time natural numbers with Montgomery multiplication, public and
// private keys with CRT and blinding, PKCS#1 v1.5 encryption and signatures,
// and key generation.
//
// The package is meant to be read. The files build on each other:
//
//   - ct.go: 0/1 "choice" values and masks, the building blocks of code
//     without secret-dependent branches.
//   - nat.go: nat, a natural number stored as a fixed number of machine words
//     ("limbs"), and the plain arithmetic on it (add, sub, compare, select).
//   - modulus.go: modulus, which precomputes what Montgomery multiplication
//     needs, and modular multiplication, reduction and exponentiation.
//   - arith.go: ModMul, ModExp and ModReduce, byte-level doors into that
//     arithmetic for experiments and for the FuzzNat target.
//   - rsa.go: keys and the two RSA primitives RSAEP/RSADP (rfc8017#5.1),
//     with CRT, blinding and the fault check.
//   - pkcs1v15.go: the PKCS#1 v1.5 paddings for encryption and signatures,
//     and the crypto.Signer / crypto.Decrypter methods.
//   - keygen.go: prime generation (trial division, Miller–Rabin) and
//     GenerateKey.
//   - errors.go: the error values, one per kind of failure.
//
// Not supported: RSASSA-PSS, RSAES-OAEP, multi-prime keys, hashes other than
// SHA-256/384/512 in signatures.
//
// What is public and what is secret: the size of every number (its limb
// count, the modulus length, exponent byte lengths) is public. The values of
// private exponents, primes, plaintexts and padding are secret and are only
// processed by code whose branches and memory accesses do not depend on them.
// The exceptions are stated where they occur: key generation rejects
// candidates in variable time, and the modular inverse used for blinding is
// variable-time but only ever sees a uniformly random, blinded value.
//
// Production code does not import math/big or crypto/rsa; the tests use both
// as oracles.
//
// spec: rfc8017#3
package rsa
