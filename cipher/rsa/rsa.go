package rsa

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"fmt"
	"io"
	"sync"
)

// Key size limits. The lower bound refuses weak keys; the upper bound caps the
// work an attacker-supplied public key can cause.
const (
	minModulusBits = 1024
	maxModulusBits = 16384
)

// PublicKey is an RSA public key (n, e).
//
// spec: rfc8017#3.1
type PublicKey struct {
	N []byte // modulus, big-endian, no leading zero bytes
	E int    // public exponent
}

// Size returns the modulus length in bytes, k in RFC 8017: the length of every
// ciphertext and signature under this key.
//
// spec: rfc8017#3.1
func (pub *PublicKey) Size() int { return len(trimZeros(pub.N)) }

// Equal reports whether x is a *PublicKey with the same modulus and exponent.
// It is here so that *PublicKey satisfies the interface crypto.PublicKey
// values conventionally implement.
//
// spec: rfc8017#3.1
func (pub *PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*PublicKey)
	if !ok || o == nil {
		return false
	}
	return bytes.Equal(trimZeros(pub.N), trimZeros(o.N)) && pub.E == o.E
}

// trimZeros strips leading zero bytes.
func trimZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// checkPublic validates pub and returns its modulus ready for arithmetic.
// Everything it looks at is public.
func checkPublic(pub *PublicKey) (*modulus, error) {
	if pub == nil {
		return nil, fmt.Errorf("%w: nil public key", ErrInvalidKey)
	}
	if pub.E < 3 || pub.E&1 == 0 || int64(pub.E) >= 1<<31 {
		return nil, fmt.Errorf("%w: e = %d; use an odd exponent, 3 <= e < 2^31 (normally 65537)", ErrPublicExponent, pub.E)
	}
	n := trimZeros(pub.N)
	bitLen := len(n) * 8
	if len(n) > 0 {
		for b := n[0]; b&0x80 == 0; b <<= 1 {
			bitLen--
		}
	}
	if bitLen < minModulusBits || bitLen > maxModulusBits {
		return nil, fmt.Errorf("%w: modulus is %d bits; minitls accepts %d to %d", ErrKeySize, bitLen, minModulusBits, maxModulusBits)
	}
	if m := publicModuli.get(n); m != nil {
		return m, nil
	}
	m, err := newModulus(n)
	if err != nil {
		return nil, fmt.Errorf("%w: the modulus is even", ErrInvalidKey)
	}
	publicModuli.put(n, m)
	return m, nil
}

// publicModuli caches the Montgomery constants of recently used public
// moduli, so that verifying several signatures under one CA key, or
// encrypting to one server key, computes R² mod n once. Moduli are public, so
// a cache hit or miss reveals nothing. A modulus is never modified after
// newModulus returns, so sharing one is safe.
var publicModuli = &modulusCache{}

// modulusCache is a tiny bounded cache: at most modulusCacheSize entries,
// replaced round-robin.
type modulusCache struct {
	mu      sync.Mutex
	entries [modulusCacheSize]struct {
		n string
		m *modulus
	}
	next int
}

const modulusCacheSize = 16

func (c *modulusCache) get(n []byte) *modulus {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.m != nil && e.n == string(n) {
			return e.m
		}
	}
	return nil
}

func (c *modulusCache) put(n []byte, m *modulus) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[c.next].n, c.entries[c.next].m = string(n), m
	c.next = (c.next + 1) % modulusCacheSize
}

// PrivateKey is an RSA private key with its CRT values. Build it with
// NewPrivateKey or GenerateKey, which validate it and precompute the
// Montgomery constants; a PrivateKey assembled by hand is validated again on
// every use, which is slow. Do not modify the fields of a key built by
// NewPrivateKey: the private operations use the values precomputed from
// them, which would no longer match.
//
// A *PrivateKey is safe for concurrent use.
//
// spec: rfc8017#3.2
type PrivateKey struct {
	PublicKey
	D    []byte // private exponent d, big-endian
	P, Q []byte // the primes, big-endian
	Dp   []byte // d mod (p-1)
	Dq   []byte // d mod (q-1)
	Qinv []byte // q⁻¹ mod p

	pre *precomputed
}

// precomputed holds what the private operation needs, derived once.
type precomputed struct {
	n, p, q *modulus
	dp, dq  []byte // exponents, padded to the byte length of p and q (public lengths)
	qInv    nat    // q⁻¹ mod p, width of p

	blind blindingCache
}

// blindingRefresh is how many private operations reuse (by squaring) one
// blinding pair before a fresh random pair is drawn; OpenSSL uses the same
// count (BN_BLINDING_COUNTER).
const blindingRefresh = 32

// blindingCache keeps a blinding pair vi = r^e mod n, vf = r⁻¹ mod n between
// private operations. Drawing a fresh pair costs a modular inversion, about a
// quarter of a whole RSA-2048 private operation, so, as Kocher proposed in
// 1996, a pair is updated between uses by squaring both halves:
// (r²)^e = vi² and (r²)⁻¹ = vf², two multiplications. A fresh random pair
// replaces it every blindingRefresh uses.
type blindingCache struct {
	mu     sync.Mutex
	vi, vf nat
	uses   int
}

// next returns a blinding pair (r^e, r⁻¹) mod n for one private operation.
func (b *blindingCache) next(random io.Reader, N *modulus, e int) (vi, vf nat, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.vi == nil || b.uses >= blindingRefresh {
		r, rInv, err := blindingPair(random, N)
		if err != nil {
			return nil, nil, err
		}
		b.vi, b.vf, b.uses = N.expPublic(r, uint(e)), rInv, 0
	} else {
		t := newNat(2 * N.size())
		N.montSqr(b.vi, b.vi, t) // vi²·R⁻¹
		N.montMul(b.vi, b.vi, N.rr, t)
		N.montSqr(b.vf, b.vf, t)
		N.montMul(b.vf, b.vf, N.rr, t)
	}
	b.uses++
	return b.vi.clone(), b.vf.clone(), nil
}

// NewPrivateKey builds a private key from n, e, d and the primes p and q
// (big-endian), after checking that it is consistent: sizes, n = p·q,
// e·d ≡ 1 mod (p-1) and mod (q-1) (that is, mod λ(n) = lcm(p-1, q-1)), and
// q invertible mod p. It computes Dp, Dq and Qinv (by Fermat's little theorem,
// Qinv = q^(p-2) mod p, in constant time).
//
// It cannot prove that p and q are prime; if they are not, Qinv or the
// exponents are wrong and every private operation fails its self-check with
// ErrFault.
//
// spec: rfc8017#3.2
func NewPrivateKey(n []byte, e int, d, p, q []byte) (*PrivateKey, error) {
	pub := &PublicKey{N: bytes.Clone(trimZeros(n)), E: e}
	N, err := checkPublic(pub)
	if err != nil {
		return nil, err
	}
	p, q, d = trimZeros(p), trimZeros(q), trimZeros(d)
	P, errP := newModulus(p)
	Q, errQ := newModulus(q)
	if errP != nil || errQ != nil {
		return nil, fmt.Errorf("%w: p and q must be odd and greater than 1", ErrInvalidKey)
	}
	// n = p·q. Both sides are exact products, so compare at the product width.
	prod := mulPlain(P.m, Q.m)
	nn, err := natFromBytes(pub.N, len(prod))
	if err != nil || prod.equal(nn) != 1 {
		return nil, fmt.Errorf("%w: n is not p·q", ErrInvalidKey)
	}
	if len(d) == 0 || len(d) > len(pub.N) {
		return nil, fmt.Errorf("%w: d must be in [1, n)", ErrInvalidKey)
	}
	dn, _ := natFromBytes(d, N.size())

	// Dp = d mod (p-1), Dq = d mod (q-1), and e·Dp ≡ 1 mod (p-1) etc.
	dp, okP := crtExponent(dn, P, e)
	dq, okQ := crtExponent(dn, Q, e)
	if okP != 1 || okQ != 1 {
		return nil, fmt.Errorf("%w: e·d is not 1 mod (p-1) and mod (q-1)", ErrInvalidKey)
	}

	// Qinv = q^(p-2) mod p (Fermat), then check Qinv·q ≡ 1 mod p.
	qModP := P.reduce(Q.m)
	pMinus2 := P.m.clone()
	pMinus2.sub(newNat(P.size()).setUint(2))
	qInv := P.exp(qModP, pMinus2.bytes(len(p)))
	if P.modMul(qInv, qModP).equal(newNat(P.size()).setUint(1)) != 1 {
		return nil, fmt.Errorf("%w: q is not invertible mod p (is p prime?)", ErrInvalidKey)
	}

	priv := &PrivateKey{
		PublicKey: *pub,
		D:         bytes.Clone(d),
		P:         bytes.Clone(p),
		Q:         bytes.Clone(q),
		Dp:        trimZeros(dp.bytes(len(p))),
		Dq:        trimZeros(dq.bytes(len(q))),
		Qinv:      trimZeros(qInv.bytes(len(p))),
	}
	priv.pre = &precomputed{
		n: N, p: P, q: Q,
		dp:   dp.bytes(len(p)),
		dq:   dq.bytes(len(q)),
		qInv: qInv,
	}
	return priv, nil
}

// crtExponent returns d mod (p-1) and whether e·(d mod (p-1)) ≡ 1 mod (p-1).
func crtExponent(d nat, P *modulus, e int) (nat, choice) {
	pm1 := P.m.clone()
	pm1[0] &^= 1 // p is odd, so p-1 only clears the low bit
	dp := modGeneric(d, pm1)
	edp := modGeneric(mulPlain(dp, nat{uint(e)}), pm1)
	return dp, edp.equal(newNat(len(pm1)).setUint(1))
}

// precomputed returns the key's precomputed values, deriving them (and
// validating the key) if the key was not built by NewPrivateKey.
func (priv *PrivateKey) precomputed() (*precomputed, error) {
	if priv == nil {
		return nil, fmt.Errorf("%w: nil private key", ErrInvalidKey)
	}
	if priv.pre != nil {
		return priv.pre, nil
	}
	k, err := NewPrivateKey(priv.N, priv.E, priv.D, priv.P, priv.Q)
	if err != nil {
		return nil, err
	}
	return k.pre, nil
}

// Public returns the public half of the key, a *PublicKey (crypto.Signer and
// crypto.Decrypter need it).
//
// spec: rfc8017#3.1
func (priv *PrivateKey) Public() crypto.PublicKey { return &priv.PublicKey }

// encrypt is RSAEP/RSAVP1: c = m^e mod n, for the k-byte big-endian m. It
// fails with ErrDecryption-free errors only on public facts: the caller maps
// "m out of range" to its own error.
//
// spec: rfc8017#5.1.1
func encrypt(N *modulus, e int, m []byte) ([]byte, bool) {
	x, err := natFromBytes(m, N.size())
	if err != nil || x.cmpGeq(N.m) == 1 {
		return nil, false // m >= n: a public fact about a public value
	}
	return N.expPublic(x, uint(e)).bytes(N.byteLen()), true
}

// decrypt is RSADP/RSASP1 with the private key: m = c^d mod n, computed with
// the Chinese Remainder Theorem (the second form of rfc8017#5.1.2), blinded,
// and checked with the public exponent before it is released.
//
// c must be exactly k bytes and below n (public checks: ErrDecryption).
// The result is k bytes.
//
//  1. Blinding: pick a random r, replace c by c·r^e. The exponentiation
//     then works on a value the attacker does not know, which defeats timing
//     and power attacks that choose c. Since (c·r^e)^d = c^d·r, multiplying by
//     r⁻¹ at the end removes r. (r comes from blindingCache: fresh from
//     random every 32 operations, squared in between.)
//  2. CRT: m1 = c^dP mod p, m2 = c^dQ mod q, h = qInv·(m1 - m2) mod p,
//     m = m2 + q·h. Two exponentiations with half-size numbers and
//     half-size exponents cost about a quarter of one full-size one.
//  3. Check: m^e mod n must equal c. A fault during CRT would otherwise give
//     an m that is right mod one prime and wrong mod the other, and
//     gcd(m^e - c, n) would reveal that prime.
//
// spec: rfc8017#5.1.2
func decrypt(random io.Reader, priv *PrivateKey, c []byte) ([]byte, error) {
	pre, err := priv.precomputed()
	if err != nil {
		return nil, err
	}
	N, P, Q := pre.n, pre.p, pre.q
	k := N.byteLen()
	if len(c) != k {
		return nil, ErrDecryption
	}
	cn, err := natFromBytes(c, N.size())
	if err != nil || cn.cmpGeq(N.m) == 1 {
		return nil, ErrDecryption // c >= n: the attacker knows that already
	}

	// 1. Blind.
	rE, rInv, err := pre.blind.next(random, N, priv.E)
	if err != nil {
		return nil, err
	}
	cb := N.modMul(rE, cn)

	// 2. CRT.
	m1, m2 := expPair(P, P.reduce(cb), pre.dp, Q, Q.reduce(cb), pre.dq)
	P.modSub(m1, P.reduce(m2))  // m1 - m2 mod p (m2 < q may exceed p)
	h := P.modMul(m1, pre.qInv) // qInv·(m1 - m2) mod p
	m := mulPlain(Q.m, h).resize(N.size())
	m.add(m2.resize(N.size())) // m2 + q·h < q + q·(p-1) = n: no overflow

	// Unblind: m·r⁻¹.
	m = N.modMul(m, rInv)

	// 3. Check with the public exponent.
	if N.expPublic(m, uint(priv.E)).equal(cn) != 1 {
		return nil, ErrFault
	}
	return m.bytes(k), nil
}

// blindingPair returns a random r in [1, n) and r⁻¹ mod n.
//
// The inverse is computed with a variable-time algorithm, so it is blinded
// too: with a second random t it inverts u = r·t (a uniformly random value
// that says nothing about r) and recovers r⁻¹ = t·u⁻¹.
func blindingPair(random io.Reader, N *modulus) (r, rInv nat, err error) {
	if random == nil {
		random = rand.Reader
	}
	buf := make([]byte, N.byteLen()+16) // 128 extra bits make r mod n close to uniform
	draw := func() (nat, error) {
		if _, err := io.ReadFull(random, buf); err != nil {
			return nil, fmt.Errorf("minitls/cipher/rsa: reading blinding randomness: %w", err)
		}
		x, _ := natFromBytes(buf, limbsFor(len(buf)))
		return N.reduce(x), nil
	}
	for range 16 {
		if r, err = draw(); err != nil {
			return nil, nil, err
		}
		t, err := draw()
		if err != nil {
			return nil, nil, err
		}
		uInv, ok := N.inverseVarTime(N.modMul(r, t))
		if !ok {
			continue // r or t is 0 or shares a factor with n: astronomically rare
		}
		return r, N.modMul(uInv, t), nil
	}
	return nil, nil, fmt.Errorf("minitls/cipher/rsa: cannot draw an invertible blinding value; is the random source broken?")
}
