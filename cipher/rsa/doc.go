// Package rsa implements RSA (RFC 8017) from scratch for minitls: fixed-width
// constant-time natural numbers with Montgomery multiplication, public and
// private keys with CRT and blinding, PKCS#1 v1.5 encryption and signatures,
// RSASSA-PSS signatures, and key generation.
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
//   - pss.go: RSASSA-PSS (rfc8017#8.1) with EMSA-PSS and MGF1
//     (rfc8017#9.1, #B.2.1), which Sign selects with PSS options.
//   - keygen.go: prime generation (trial division, Miller–Rabin) and
//     GenerateKey.
//   - errors.go: the error values, one per kind of failure.
//
// Not supported: RSAES-OAEP, multi-prime keys, hashes other than
// SHA-256/384/512 in signatures (for PSS also inside MGF1), and keys below
// 2048 bits from GenerateKey.
//
// What is public and what is secret: the size of every number (its limb
// count, the modulus length, exponent byte lengths) is public. The values of
// private exponents, primes, plaintexts and padding are secret and are only
// processed by code whose branches and memory accesses do not depend on them.
// The exceptions are stated where they occur: key generation (below), and
// the modular inverse used for blinding, which is variable-time but only
// ever sees a uniformly random, blinded value. Signing and verifying with
// PSS branch on the encoded message, which holds only the public digest
// and a salt any verifier recovers; the private operation under it is the
// constant-time one.
//
// # Key generation is not constant time
//
// GenerateKey runs once, offline, and its timing can only be observed by
// whoever runs it; still, these are all the steps whose time depends on
// secret values (the primes, or candidates for them), with what they can
// reveal. Candidates that are rejected are discarded, so their leaks are
// harmless; the ones marked "kept" concern the final key.
//
//   - The number of candidates and of Miller–Rabin rounds run, and the
//     number of (p, q) pairs drawn: each rejection restarts a loop.
//   - The check p mod e ≠ 1 (gcd(e, p-1) = 1) and trial division by the odd
//     primes below 1024 use the hardware divider (math/bits.Div), whose
//     time depends on its operands on some CPUs (kept: every division is
//     run on the final primes too); trial division stops at the first
//     small factor (of a rejected candidate).
//   - Miller–Rabin (isProbablePrime): writing w - 1 = 2^a·m shifts until
//     the first set bit, so a, the number of trailing zero bits of p - 1,
//     shows (kept); bases are drawn by rejection sampling (public: random
//     values); after each constant-time exponentiation b^m, a round exits
//     early when b^m = ±1, and the squaring loop stops at the first -1, so
//     the round's time says after how many squarings b^(2^i·m) reached -1
//     (kept: for random bases); a composite exits at its first witness.
//   - farApart (|p - q| > 2^(half-100)) branches on which prime is larger
//     and measures |p - q| with bitLenVarTime (kept).
//   - The inverse of e: inverseSmallE reduces φ = (p-1)(q-1) mod e with the
//     hardware divider, inverts φ mod e with a word-sized extended Euclid
//     (modInverseWord) whose iteration count depends on φ mod e (kept: up
//     to about 17 bits of information about φ), and divides 1 + k·φ by e
//     with the hardware divider.
//
// After that, NewPrivateKey derives Dp, Dq (modGeneric) and Qinv (Fermat,
// with the constant-time exponentiation) in constant time, and the private
// operations never run any of the steps above.
//
// Production code does not import math/big or crypto/rsa; the tests use both
// as oracles.
//
// spec: rfc8017#3
package rsa
