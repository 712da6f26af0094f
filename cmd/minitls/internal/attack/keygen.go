package attack

import (
	"errors"
	"io"
	"math/big"
)

// ToyKey is an RSA key of any size, big-endian: the lessons need RSA-1024
// (so that an attack ends in about a minute) and the tests RSA-512, both
// below the 2048-bit floor of minitls's own GenerateKey.
type ToyKey struct {
	N, D, P, Q []byte
	E          int
}

// GenerateToyKey makes an RSA key of bits bits (e = 65537) from random,
// which may be deterministic: the same stream gives the same key. Primes
// are tested with math/big's ProbablyPrime (20 Miller–Rabin rounds and
// Baillie–PSW). It is the attacker's tool, not minitls's key generation.
func GenerateToyKey(random io.Reader, bits int) (*ToyKey, error) {
	if bits < 128 || bits%16 != 0 {
		return nil, errors.New("attack: toy key size must be a multiple of 16, at least 128 bits")
	}
	e := big.NewInt(65537)
	one := big.NewInt(1)
	for {
		p, err := toyPrime(random, bits/2)
		if err != nil {
			return nil, err
		}
		q, err := toyPrime(random, bits/2)
		if err != nil {
			return nil, err
		}
		n := new(big.Int).Mul(p, q)
		if p.Cmp(q) == 0 || n.BitLen() != bits {
			continue
		}
		pm1, qm1 := new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)
		phi := new(big.Int).Mul(pm1, qm1)
		d := new(big.Int).ModInverse(e, phi)
		if d == nil {
			continue
		}
		return &ToyKey{N: n.Bytes(), E: 65537, D: d.Bytes(), P: p.Bytes(), Q: q.Bytes()}, nil
	}
}

// toyPrime draws a prime of exactly bits bits with its top two bits set
// (so that p·q has exactly twice as many bits).
func toyPrime(random io.Reader, bits int) (*big.Int, error) {
	buf := make([]byte, (bits+7)/8)
	for {
		if _, err := io.ReadFull(random, buf); err != nil {
			return nil, err
		}
		if extra := len(buf)*8 - bits; extra > 0 {
			buf[0] &= 0xff >> extra
		}
		p := new(big.Int).SetBytes(buf)
		p.SetBit(p, bits-1, 1)
		p.SetBit(p, bits-2, 1)
		p.SetBit(p, 0, 1)
		if p.ProbablyPrime(20) {
			return p, nil
		}
	}
}
