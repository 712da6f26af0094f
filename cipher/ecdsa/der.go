package ecdsa

// An ECDSA signature travels as the DER encoding of
//
//	ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
//
// (rfc3279#2.2.3, rfc5480#2.2.3; TLS 1.2 sends it in digitally-signed,
// rfc8422#5.4). This file reads and writes exactly that shape and nothing
// else; it does not use x509lite, which depends on this package.

// MarshalSignature returns the DER encoding of (r, s), given as big-endian
// byte strings (leading zeros allowed). r and s must not be zero; Sign
// never produces zero values.
func MarshalSignature(r, s []byte) []byte {
	ri, si := derInteger(r), derInteger(s)
	body := append(ri, si...)
	return append(derHeader(0x30, len(body)), body...)
}

// derInteger encodes a non-negative big-endian integer as a DER INTEGER:
// minimal, with a 00 byte in front when the top bit is set.
func derInteger(x []byte) []byte {
	for len(x) > 1 && x[0] == 0 {
		x = x[1:]
	}
	v := x
	if len(x) == 0 || x[0]&0x80 != 0 {
		v = append([]byte{0}, x...)
	}
	return append(derHeader(0x02, len(v)), v...)
}

// derHeader returns a tag and a definite length in its shortest form.
func derHeader(tag byte, n int) []byte {
	if n < 0x80 {
		return []byte{tag, byte(n)}
	}
	var l []byte
	for ; n > 0; n >>= 8 {
		l = append([]byte{byte(n)}, l...)
	}
	return append([]byte{tag, 0x80 | byte(len(l))}, l...)
}

// ParseSignature reads a DER ECDSA-Sig-Value and returns r and s as
// big-endian byte strings without leading zeros. It refuses anything that is
// not DER: indefinite or non-minimal lengths, non-minimal or negative
// integers, an empty integer, and trailing bytes at either level. Range
// checks against n are Verify's.
func ParseSignature(sig []byte) (r, s []byte, err error) {
	body, rest, ok := readDER(sig, 0x30)
	if !ok || len(rest) != 0 {
		return nil, nil, ErrVerification
	}
	r, body, ok1 := readInteger(body)
	s, body, ok2 := readInteger(body)
	if !ok1 || !ok2 || len(body) != 0 {
		return nil, nil, ErrVerification
	}
	return r, s, nil
}

// readInteger reads a DER INTEGER that must be non-negative and returns its
// magnitude without the sign byte.
func readInteger(b []byte) (v, rest []byte, ok bool) {
	v, rest, ok = readDER(b, 0x02)
	switch {
	case !ok || len(v) == 0:
		return nil, nil, false
	case v[0]&0x80 != 0: // negative
		return nil, nil, false
	case len(v) > 1 && v[0] == 0 && v[1]&0x80 == 0: // a 00 byte it did not need
		return nil, nil, false
	case len(v) > 1 && v[0] == 0:
		v = v[1:]
	}
	return v, rest, true
}

// readDER reads one element with the single-byte tag and returns its
// contents and what follows. Lengths must be definite and minimal (X.690
// §10.1); a length of four or more bytes (16 MiB and up) is refused, which
// also keeps the sum below from overflowing an int on 32-bit platforms.
func readDER(b []byte, tag byte) (body, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != tag {
		return nil, nil, false
	}
	n, b := int(b[1]), b[2:]
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 3 || len(b) < k || b[0] == 0 {
			return nil, nil, false // indefinite, too long, or a leading zero byte
		}
		n = 0
		for _, c := range b[:k] {
			n = n<<8 | int(c)
		}
		b = b[k:]
		if n < 0x80 {
			return nil, nil, false // fits the short form
		}
	}
	if n > len(b) {
		return nil, nil, false
	}
	return b[:n], b[n:], true
}
