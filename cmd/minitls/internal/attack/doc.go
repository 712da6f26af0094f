// Package attack holds the attacker's mathematics for `minitls attack`: the
// pieces that are the same whether the victim is a deliberately weakened
// endpoint or the real minitls one.
//
//   - gf128.go, poly.go: the field GF(2^128) of GCM's GHASH and polynomials
//     over it, with root finding (Cantor–Zassenhaus): what the "forbidden
//     attack" on a repeated GCM nonce needs (Joux 2006).
//   - forbidden.go: GHASH written as a polynomial in the hash key H, the
//     recovery of H from two records that share a nonce, and the forgery.
//   - bleichenbacher.go: Bleichenbacher's adaptive chosen-ciphertext attack
//     on RSAES-PKCS1-v1_5 (CRYPTO 1998), with the "skipping holes"
//     improvement of Bardou et al. (CRYPTO 2012), against any padding oracle.
//
// None of this is used by the TLS stack itself, and nothing here is
// constant time: it is the attacker's code, working on public values. The
// package is internal to cmd/minitls, so it is no part of minitls's API.
package attack
