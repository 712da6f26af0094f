package rsa

// Byte-level entry points to the modular arithmetic, for learners who want to
// try the Montgomery code by hand and for the FuzzNat target, which checks it
// against math/big. RSA itself uses the nat and modulus types directly.
//
// All take big-endian byte strings of any length and an odd modulus m > 1
// (else ErrModulus), and return a result of exactly len(m) bytes after m's
// leading zero bytes are stripped. They are constant time in the values of
// their operands; the lengths are public. ModMul, ModExp and ModReduce run on
// the implementation RSA uses (Implementation()); the ...On forms run on the
// one named, any of Implementations(), so that each can be compared with the
// others.

// ModMul returns a·b mod m, by Montgomery multiplication.
//
// spec: rfc8017#5.1
func ModMul(a, b, m []byte) ([]byte, error) { return modMulOn(pathActive, a, b, m) }

// ModExp returns base^exp mod m with the fixed-window exponentiation used for
// RSA private keys (exp = 0 gives 1 mod m).
//
// spec: rfc8017#5.1.2
func ModExp(base, exp, m []byte) ([]byte, error) { return modExpOn(pathActive, base, exp, m) }

// ModReduce returns x mod m, for an x of any length (the reduction RSA-CRT
// uses for c mod p).
//
// spec: rfc8017#5.1.2
func ModReduce(x, m []byte) ([]byte, error) { return modReduceOn(pathActive, x, m) }

// ModMulOn is ModMul on the named implementation, one of Implementations()
// (else ErrImplementation).
//
// spec: rfc8017#5.1
func ModMulOn(implementation string, a, b, m []byte) ([]byte, error) {
	p, err := pathNamed(implementation)
	if err != nil {
		return nil, err
	}
	return modMulOn(p, a, b, m)
}

// ModExpOn is ModExp on the named implementation, one of Implementations()
// (else ErrImplementation).
//
// spec: rfc8017#5.1.2
func ModExpOn(implementation string, base, exp, m []byte) ([]byte, error) {
	p, err := pathNamed(implementation)
	if err != nil {
		return nil, err
	}
	return modExpOn(p, base, exp, m)
}

// ModReduceOn is ModReduce on the named implementation, one of
// Implementations() (else ErrImplementation).
//
// spec: rfc8017#5.1.2
func ModReduceOn(implementation string, x, m []byte) ([]byte, error) {
	p, err := pathNamed(implementation)
	if err != nil {
		return nil, err
	}
	return modReduceOn(p, x, m)
}

func modMulOn(p path, a, b, m []byte) ([]byte, error) {
	M, err := newModulusOn(m, p)
	if err != nil {
		return nil, err
	}
	x, y := M.reduce(natOf(a)), M.reduce(natOf(b))
	return M.modMul(x, y).bytes(M.byteLen()), nil
}

func modExpOn(p path, base, exp, m []byte) ([]byte, error) {
	M, err := newModulusOn(m, p)
	if err != nil {
		return nil, err
	}
	return M.exp(M.reduce(natOf(base)), exp).bytes(M.byteLen()), nil
}

func modReduceOn(p path, x, m []byte) ([]byte, error) {
	M, err := newModulusOn(m, p)
	if err != nil {
		return nil, err
	}
	return M.reduce(natOf(x)).bytes(M.byteLen()), nil
}

// natOf decodes b into a nat just wide enough for it (at least one limb).
func natOf(b []byte) nat {
	x, _ := natFromBytes(b, max(1, limbsFor(len(b))))
	return x
}
