package rsa

import (
	"crypto/rand"
	"fmt"
	"io"
	"math/bits"
)

// publicExponent is the e of every generated key: 2^16 + 1, the value
// FIPS 186-5 §A.1.1 asks for (odd, 2^16 < e < 2^256) and everyone uses.
const publicExponent = 65537

// GenerateKey generates a bits-bit RSA key with e = 65537. bits must be 2048,
// 3072 or 4096. A 1024-bit key is refused with ErrKeySize: it offers about
// 80 bits of security, which NIST SP 800-131A stopped allowing for
// signatures in 2013 (tests that want a quick key use an unexported hook).
//
// Each prime is drawn at random with its top two bits set (so p·q has exactly
// bits bits) and its low bit set, passed through trial division by the small
// odd primes, then through Miller–Rabin with the FIPS 186-5 round count for
// its size (see millerRabinRounds). The pair must satisfy gcd(e, p-1) =
// gcd(e, q-1) = 1 and |p - q| > 2^(bits/2 - 100) (FIPS 186-5 §A.1.3).
//
// Not constant time: the package documentation lists every step whose time
// depends on the primes (candidate rejection, the early exits of
// Miller–Rabin, the |p - q| check, the inverse of e). Each Miller–Rabin
// exponentiation itself is the constant-time one.
//
// d is e⁻¹ mod (p-1)(q-1). RFC 8017 asks for e·d ≡ 1 mod λ(n); since λ(n)
// divides (p-1)(q-1), this d satisfies that too (it may be larger than the
// smallest such d, which FIPS 186-5 prefers; RSA works the same).
//
// spec: fips186-5#A.1.3
func GenerateKey(random io.Reader, bits int) (*PrivateKey, error) {
	switch bits {
	case 2048, 3072, 4096:
	case 1024:
		return nil, fmt.Errorf("%w: a 1024-bit key is too weak for use (about 80-bit security); generate 2048, 3072 or 4096 bits", ErrKeySize)
	default:
		return nil, fmt.Errorf("%w: GenerateKey supports 2048, 3072 and 4096 bits, not %d", ErrKeySize, bits)
	}
	return generateKey(random, bits)
}

// generateKey is GenerateKey without the size policy: bits is 1024, 2048,
// 3072 or 4096 (the tests reach 1024 through generateKeyForTests).
func generateKey(random io.Reader, bits int) (*PrivateKey, error) {
	if random == nil {
		random = rand.Reader
	}
	half := bits / 2
	for {
		p, err := generatePrime(random, half)
		if err != nil {
			return nil, err
		}
		q, err := generatePrime(random, half)
		if err != nil {
			return nil, err
		}
		if !farApart(p, q, half) {
			continue
		}
		n := mulPlain(p, q)
		d := inverseSmallE(p, q, n, publicExponent)
		nb := n.bytes(bits / 8)
		key, err := NewPrivateKey(nb, publicExponent, d.bytes(bits/8), p.bytes(half/8), q.bytes(half/8))
		if err != nil {
			return nil, fmt.Errorf("minitls/cipher/rsa: generated key failed validation (a bug): %w", err)
		}
		return key, nil
	}
}

// farApart reports whether |p - q| > 2^(half - 100) for half-bit primes of
// equal width (FIPS 186-5 §A.1.3 step 5.4): primes closer than that share
// their top bits, and Fermat's method factors n = p·q from √n. Variable time
// (key generation only; a rejected pair is discarded).
//
// spec: fips186-5#A.1.3
func farApart(p, q nat, half int) bool {
	diff := p.clone()
	if diff.sub(q) == 1 {
		diff = q.clone()
		diff.sub(p)
	}
	if diff.isZero() == 1 {
		return false
	}
	// diff > 2^k exactly when diff - 1 >= 2^k, i.e. diff - 1 has more than
	// k bits.
	diff.sub(newNat(len(diff)).setUint(1))
	return diff.bitLenVarTime() > half-100
}

// inverseSmallE returns d = e⁻¹ mod φ, φ = (p-1)(q-1) = n - p - q + 1, for a
// small e with gcd(e, φ) = 1, without a big-number inverse: it finds the
// k in [1, e) with 1 + k·φ ≡ 0 mod e (k = -φ⁻¹ mod e, a single-word inverse)
// and returns d = (1 + k·φ)/e < φ. Variable time (key generation only).
func inverseSmallE(p, q, n nat, e uint) nat {
	phi := n.clone()
	phi.sub(p.resize(len(n)))
	phi.sub(q.resize(len(n)))
	phi.add(newNat(len(n)).setUint(1))
	r := divRemSmall(phi.clone(), e) // φ mod e
	// k = -r⁻¹ mod e by the extended Euclidean algorithm on words.
	k := (e - modInverseWord(r, e)) % e
	x := mulPlain(phi, nat{k})
	x.add(newNat(len(x)).setUint(1))
	divRemSmall(x, e) // x /= e, remainder 0 by construction
	return x.resize(len(n))
}

// divRemSmall sets x = x / d and returns x mod d, for a single-word d > 0.
// Uses hardware division: variable time on some CPUs (key generation only).
func divRemSmall(x nat, d uint) uint {
	var rem uint
	for i := len(x) - 1; i >= 0; i-- {
		x[i], rem = bits.Div(rem, x[i], d)
	}
	return rem
}

// modInverseWord returns a⁻¹ mod m for gcd(a, m) = 1, single words.
func modInverseWord(a, m uint) uint {
	// Extended Euclid on signed values; m < 2^32 here so int64 cannot overflow.
	oldR, r := int64(a), int64(m)
	oldS, s := int64(1), int64(0)
	for r != 0 {
		qt := oldR / r
		oldR, r = r, oldR-qt*r
		oldS, s = s, oldS-qt*s
	}
	return uint((oldS%int64(m) + int64(m)) % int64(m))
}

// smallPrimes are the odd primes below 1024, used to discard most composite
// candidates with a cheap remainder before paying for Miller–Rabin.
var smallPrimes = func() []uint {
	var ps []uint
	for c := uint(3); c < 1024; c += 2 {
		prime := true
		for _, p := range ps {
			if p*p > c {
				break
			}
			if c%p == 0 {
				prime = false
				break
			}
		}
		if prime {
			ps = append(ps, c)
		}
	}
	return ps
}()

// millerRabinRounds returns the number of Miller–Rabin rounds for a prime
// candidate of the given size, from FIPS 186-5 Table B.1 ("M-R tests only"
// column for primes p and q of RSA keys): 5 rounds for 1024-bit primes
// (2048-bit keys, error probability ≤ 2^-112), 4 rounds for 1536- and 2048-bit
// primes (3072/4096-bit keys, ≤ 2^-128 and 2^-144). These small counts are
// valid because the candidates are random, not chosen by an adversary (for
// adversarial inputs each round only guarantees a factor of 1/4). For the
// test-only 512-bit primes of 1024-bit keys it uses FIPS 186-4 Table C.3's 7.
//
// spec: fips186-5#B.3
func millerRabinRounds(primeBits int) int {
	switch {
	case primeBits >= 1536:
		return 4
	case primeBits >= 1024:
		return 5
	default:
		return 7
	}
}

// generatePrime returns a random probable prime of exactly primeBits bits
// (a multiple of 8) with its two top bits set.
func generatePrime(random io.Reader, primeBits int) (nat, error) {
	b := make([]byte, primeBits/8)
	for {
		if _, err := io.ReadFull(random, b); err != nil {
			return nil, fmt.Errorf("minitls/cipher/rsa: reading key generation randomness: %w", err)
		}
		b[0] |= 0xc0
		b[len(b)-1] |= 1
		p, _ := natFromBytes(b, limbsFor(len(b)))
		// gcd(e, p-1) = 1: e = 65537 is prime, so p mod e must not be 1.
		if divRemSmall(p.clone(), publicExponent) == 1 {
			continue
		}
		if !passesTrialDivision(p) {
			continue
		}
		ok, err := isProbablePrime(random, p, millerRabinRounds(primeBits))
		if err != nil {
			return nil, err
		}
		if ok {
			return p, nil
		}
	}
}

// passesTrialDivision reports whether p has no factor among smallPrimes.
func passesTrialDivision(p nat) bool {
	for _, sp := range smallPrimes {
		var rem uint
		for i := len(p) - 1; i >= 0; i-- {
			_, rem = bits.Div(rem, p[i], sp)
		}
		if rem == 0 {
			return false
		}
	}
	return true
}

// isProbablePrime runs rounds of Miller–Rabin on the odd w > 3 with random
// bases. Write w - 1 = 2^a·m with m odd. For a prime w and any base b,
// the sequence b^m, b^2m, …, b^(2^a·m) = b^(w-1) ≡ 1 must either start at 1 or
// pass through -1 just before the first 1; a composite fails this for at least
// three quarters of the bases.
//
// spec: fips186-5#B.3.1
func isProbablePrime(random io.Reader, w nat, rounds int) (bool, error) {
	W, err := newModulusFromNat(w)
	if err != nil {
		return false, nil
	}
	n := W.size()
	one := newNat(n).setUint(1)
	wMinus1 := w.clone()
	wMinus1.sub(one)
	a := 0
	m := wMinus1.clone()
	for m[0]&1 == 0 {
		m.shiftRight1(0)
		a++
	}
	mBytes := m.bytes(n * _W / 8)
	buf := make([]byte, n*_W/8)
	two := newNat(n).setUint(2)
	for rounds > 0 {
		// A base b in [2, w-2], drawn by rejection sampling.
		if _, err := io.ReadFull(random, buf); err != nil {
			return false, fmt.Errorf("minitls/cipher/rsa: reading key generation randomness: %w", err)
		}
		b, _ := natFromBytes(buf, n)
		if excess := n*_W - W.bitLen; excess > 0 {
			b[n-1] &= ^uint(0) >> excess
		}
		if b.cmpGeq(wMinus1) == 1 || two.cmpGeq(b) == 1 && b.equal(two) == 0 {
			continue
		}
		rounds--
		z := W.exp(b, mBytes)
		if z.equal(one) == 1 || z.equal(wMinus1) == 1 {
			continue
		}
		composite := true
		for range a - 1 {
			z = W.modMul(z, z)
			if z.equal(wMinus1) == 1 {
				composite = false
				break
			}
			if z.equal(one) == 1 {
				return false, nil
			}
		}
		if composite {
			return false, nil
		}
	}
	return true, nil
}
