package rsa

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
	"io"
	"reflect"
)

// RSASSA-PSS (RFC 8017 §8.1 and §9.1) is the signature scheme with a proof
// of security: the signer hashes the message digest together with a random
// salt, spreads the result over the whole encoded message with the mask
// generation function MGF1, and signs that. Unlike PKCS#1 v1.5, two
// signatures of the same message differ, and the verifier can recover the
// salt but must check every other bit of the encoding.
//
// What is secret here: only the private key, and it is only touched by
// decrypt (RSASP1), which is constant time, blinded and fault-checked. The
// encoded message EM is built from the public digest and a salt that any
// verifier recovers from the signature, so the encoding and verification
// steps may branch on their bytes.

// Salt lengths with a special meaning in PSSOptions.SaltLength, the same
// values as crypto/rsa's.
const (
	// PSSSaltLengthAuto: when verifying, accept any salt length (it is
	// recovered from the encoded message: the first non-zero byte of DB must
	// be the 0x01 that ends the padding). When signing, use a salt as long
	// as the hash (crypto/rsa uses the longest salt that fits instead; this
	// package always follows RFC 8446 §4.2.3 and FIPS 186-5 §5.4, which ask
	// for sLen = hLen).
	PSSSaltLengthAuto = 0
	// PSSSaltLengthEqualsHash: the salt is exactly as long as the hash, as
	// TLS requires for rsa_pss_rsae_* (RFC 8446 §4.2.3).
	PSSSaltLengthEqualsHash = -1
)

// PSSOptions selects RSASSA-PSS in (*PrivateKey).Sign and sets its
// parameters for SignPSS and VerifyPSS. crypto/rsa.PSSOptions is understood
// by Sign the same way.
//
// spec: rfc8017#8.1, rfc8017#9.1
type PSSOptions struct {
	// SaltLength is the salt length in bytes, or PSSSaltLengthAuto or
	// PSSSaltLengthEqualsHash. Negative values other than
	// PSSSaltLengthEqualsHash are ErrSaltLength. As in crypto/rsa, 0 means
	// PSSSaltLengthAuto, so a verifier accepts an empty salt (which RFC 8017
	// allows) only together with every other length.
	SaltLength int

	// Hash is the hash that produced the digest; Sign uses it (through
	// HashFunc), SignPSS and VerifyPSS take the hash as an argument instead.
	Hash crypto.Hash

	// MGFHash is the hash inside MGF1. Zero means the message hash, which
	// is what TLS and almost everyone use; RFC 8017 §9.1 allows another
	// (it only recommends the same one).
	MGFHash crypto.Hash
}

// HashFunc returns o.Hash, so that *PSSOptions is a crypto.SignerOpts.
func (o *PSSOptions) HashFunc() crypto.Hash { return o.Hash }

// newPSSHash returns a constructor for one of the hashes PSS supports here
// (SHA-256, SHA-384, SHA-512, for the digest and for MGF1), or nil.
//
// spec: rfc8017#B.1
func newPSSHash(h crypto.Hash) func() hash.Hash {
	switch h {
	case crypto.SHA256:
		return sha256.New
	case crypto.SHA384:
		return sha512.New384
	case crypto.SHA512:
		return sha512.New
	}
	return nil
}

// pssParams are the resolved parameters of one PSS operation.
type pssParams struct {
	hash    func() hash.Hash // the message hash, for M' (step 12/13)
	mgfHash func() hash.Hash // the hash inside MGF1
	hLen    int
	sLen    int // -1: recover it from EM (verification with PSSSaltLengthAuto)
}

// pssParameters checks hash, the digest length and opts (nil means
// PSSSaltLengthAuto with the message hash in MGF1).
func pssParameters(h crypto.Hash, digest []byte, opts *PSSOptions) (pssParams, error) {
	newHash := newPSSHash(h)
	if newHash == nil || len(digest) != h.Size() {
		return pssParams{}, ErrUnsupportedHash
	}
	p := pssParams{hash: newHash, mgfHash: newHash, hLen: h.Size(), sLen: -1}
	if opts == nil {
		return p, nil
	}
	if opts.MGFHash != 0 {
		if p.mgfHash = newPSSHash(opts.MGFHash); p.mgfHash == nil {
			return pssParams{}, fmt.Errorf("%w: MGF1 with %v; use SHA-256, SHA-384 or SHA-512", ErrUnsupportedHash, opts.MGFHash)
		}
	}
	switch {
	case opts.SaltLength == PSSSaltLengthEqualsHash:
		p.sLen = p.hLen
	case opts.SaltLength > 0:
		p.sLen = opts.SaltLength
	case opts.SaltLength < 0:
		return pssParams{}, fmt.Errorf("%w: %d", ErrSaltLength, opts.SaltLength)
	}
	return p, nil
}

// mgf1XOR XORs out with MGF1(seed, len(out)): the concatenation of
// Hash(seed || C) for the 4-byte big-endian counters C = 0, 1, 2, ...
//
// spec: rfc8017#B.2.1
func mgf1XOR(out []byte, newHash func() hash.Hash, seed []byte) {
	d := newHash()
	var counter [4]byte
	var t []byte
	for done, c := 0, uint32(0); done < len(out); c++ {
		binary.BigEndian.PutUint32(counter[:], c)
		d.Reset()
		d.Write(seed)
		d.Write(counter[:])
		t = d.Sum(t[:0])
		for i := 0; i < len(t) && done < len(out); i++ {
			out[done] ^= t[i]
			done++
		}
	}
}

// pssHashPrime computes H = Hash(M') with M' = (0x)00 00 00 00 00 00 00 00
// || mHash || salt (steps 5-6 of the encoding, 12-13 of verification).
//
// spec: rfc8017#9.1.1
func pssHashPrime(newHash func() hash.Hash, mHash, salt []byte) []byte {
	d := newHash()
	var zeros [8]byte
	d.Write(zeros[:])
	d.Write(mHash)
	d.Write(salt)
	return d.Sum(nil)
}

// emsaPSSEncode is EMSA-PSS-ENCODE for the digest mHash, a salt, and emBits
// (the modulus bit length minus one). It returns the emLen-byte
// EM = maskedDB || H || 0xbc, emLen = ⌈emBits/8⌉. Step 3's check,
// emLen >= hLen + sLen + 2, is the caller's: SignPSS makes it before it
// allocates the salt.
//
// spec: rfc8017#9.1.1
func emsaPSSEncode(p pssParams, mHash, salt []byte, emBits int) []byte {
	emLen := (emBits + 7) / 8
	em := make([]byte, emLen)
	db := em[:emLen-p.hLen-1]
	h := em[emLen-p.hLen-1 : emLen-1]
	// 5-6. H = Hash(00*8 || mHash || salt).
	copy(h, pssHashPrime(p.hash, mHash, salt))
	// 7-8. DB = PS || 0x01 || salt, PS being zeros.
	db[len(db)-len(salt)-1] = 0x01
	copy(db[len(db)-len(salt):], salt)
	// 9-10. maskedDB = DB ⊕ MGF1(H, emLen - hLen - 1).
	mgf1XOR(db, p.mgfHash, h)
	// 11. Clear the leftmost 8·emLen - emBits bits, so that EM < n.
	db[0] &= 0xff >> (8*emLen - emBits)
	// 12. The trailer.
	em[emLen-1] = 0xbc
	return em
}

// emsaPSSVerify is EMSA-PSS-VERIFY: it reports whether the emLen-byte EM
// is a correct encoding of mHash for emBits. Every step's failure is the
// same "inconsistent" (ErrVerification). With p.sLen = -1 the salt length
// is recovered from DB.
//
// It checks every bit: the trailer, the cleared top bits, the zero padding,
// its 0x01 end, and H against a hash recomputed over the recovered salt.
// Nothing in EM is skipped, so a forged EM cannot hide bits from the check.
//
// spec: rfc8017#9.1.2
func emsaPSSVerify(p pssParams, mHash, em []byte, emBits int) error {
	emLen := (emBits + 7) / 8
	// 3. emLen < hLen + sLen + 2 (sLen at least 0; compared without
	// overflow for any sLen the caller passes).
	if len(em) != emLen || emLen < p.hLen+2 || p.sLen > emLen-p.hLen-2 {
		return ErrVerification
	}
	// 4. The rightmost octet must be 0xbc.
	if em[emLen-1] != 0xbc {
		return ErrVerification
	}
	// 5. maskedDB || H.
	db := bytes.Clone(em[:emLen-p.hLen-1])
	h := em[emLen-p.hLen-1 : emLen-1]
	// 6. The leftmost 8·emLen - emBits bits of maskedDB must be zero.
	topMask := byte(0xff >> (8*emLen - emBits))
	if db[0]&^topMask != 0 {
		return ErrVerification
	}
	// 7-9. DB = maskedDB ⊕ MGF1(H, emLen - hLen - 1), top bits cleared.
	mgf1XOR(db, p.mgfHash, h)
	db[0] &= topMask
	// 10. DB = PS || 0x01 || salt: PS all zeros, then 0x01.
	sLen := p.sLen
	if sLen < 0 {
		end := 0 // the first non-zero byte, which must be the 0x01
		for end < len(db) && db[end] == 0 {
			end++
		}
		if end == len(db) {
			return ErrVerification
		}
		sLen = len(db) - end - 1
	}
	psLen := emLen - p.hLen - sLen - 2
	for _, b := range db[:psLen] {
		if b != 0 {
			return ErrVerification
		}
	}
	if db[psLen] != 0x01 {
		return ErrVerification
	}
	// 11-14. H' = Hash(00*8 || mHash || salt) must equal H.
	if !bytes.Equal(pssHashPrime(p.hash, mHash, db[len(db)-sLen:]), h) {
		return ErrVerification
	}
	return nil
}

// SignPSS signs the digest (computed with hash: SHA-256, SHA-384 or
// SHA-512) with RSASSA-PSS. The salt is random (from random; nil means
// crypto/rand.Reader) and as long as the hash unless opts sets a positive
// SaltLength; random also feeds the blinding of the private operation.
// opts may be nil.
//
// The encoded message has modBits - 1 bits: when the modulus length is one
// more than a multiple of eight, EM is a byte shorter than the signature
// and is signed as a number with a leading zero byte.
//
// spec: rfc8017#8.1.1
func SignPSS(random io.Reader, priv *PrivateKey, hash crypto.Hash, digest []byte, opts *PSSOptions) ([]byte, error) {
	if priv == nil {
		return nil, fmt.Errorf("%w: nil private key", ErrInvalidKey)
	}
	N, err := checkPublic(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	p, err := pssParameters(hash, digest, opts)
	if err != nil {
		return nil, err
	}
	if p.sLen < 0 {
		p.sLen = p.hLen // PSSSaltLengthAuto signs with sLen = hLen
	}
	if random == nil {
		random = rand.Reader
	}
	// 1. EMSA-PSS encoding, with a fresh salt (step 4 of rfc8017#9.1.1).
	// The salt must fit before it is allocated (step 3).
	emBits := N.bitLen - 1
	if emLen := (emBits + 7) / 8; p.sLen > emLen-p.hLen-2 {
		return nil, fmt.Errorf("%w: a %d-byte PSS salt does not fit a %d-bit key with a %d-byte hash (at most %d bytes)", ErrMessageTooLong, p.sLen, N.bitLen, p.hLen, max(emLen-p.hLen-2, 0))
	}
	salt := make([]byte, p.sLen)
	if _, err := io.ReadFull(random, salt); err != nil {
		return nil, fmt.Errorf("minitls/cipher/rsa: reading PSS salt randomness: %w", err)
	}
	em := emsaPSSEncode(p, digest, salt, emBits)
	// 2. RSASP1 on m = OS2IP(EM), as a k-byte number.
	k := N.byteLen()
	m := make([]byte, k)
	copy(m[k-len(em):], em)
	return decrypt(random, priv, m)
}

// VerifyPSS checks an RSASSA-PSS signature sig over the digest (computed
// with hash). It returns nil or ErrVerification (or a key, hash or option
// error). With opts nil or SaltLength PSSSaltLengthAuto, any salt length
// is accepted; TLS passes PSSSaltLengthEqualsHash.
//
// spec: rfc8017#8.1.2
func VerifyPSS(pub *PublicKey, hash crypto.Hash, digest []byte, sig []byte, opts *PSSOptions) error {
	N, err := checkPublic(pub)
	if err != nil {
		return err
	}
	p, err := pssParameters(hash, digest, opts)
	if err != nil {
		return err
	}
	// 1. The signature is exactly k bytes.
	k := N.byteLen()
	if len(sig) != k {
		return ErrVerification
	}
	// 2. m = RSAVP1(s), refused when s >= n; EM = I2OSP(m, emLen), which
	// fails if m does not fit emLen bytes.
	m, ok := encrypt(N, pub.E, sig)
	if !ok {
		return ErrVerification
	}
	emBits := N.bitLen - 1
	emLen := (emBits + 7) / 8
	for _, b := range m[:k-emLen] {
		if b != 0 {
			return ErrVerification
		}
	}
	// 3. EMSA-PSS-VERIFY.
	return emsaPSSVerify(p, digest, m[k-emLen:], emBits)
}

// pssOptionsOf reports whether opts selects PSS: *PSSOptions or
// crypto/rsa.PSSOptions (by value or pointer). The options are nil for a
// nil pointer.
func pssOptionsOf(opts crypto.SignerOpts) (*PSSOptions, bool) {
	if o, ok := opts.(*PSSOptions); ok {
		return o, true
	}
	if !isStdType(opts, "PSSOptions") {
		return nil, false
	}
	v := reflect.Indirect(reflect.ValueOf(opts))
	if !v.IsValid() {
		return nil, true
	}
	return &PSSOptions{SaltLength: int(v.FieldByName("SaltLength").Int()), Hash: opts.HashFunc()}, true
}
