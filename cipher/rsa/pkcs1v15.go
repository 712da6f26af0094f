package rsa

import (
	"crypto"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"io"
	"reflect"
)

// EncryptPKCS1v15 encrypts msg for pub with RSAES-PKCS1-v1_5:
//
//	EM = 0x00 || 0x02 || PS || 0x00 || M,   c = EM^e mod n
//
// where PS is at least eight random non-zero bytes filling EM to k bytes.
// msg may be at most k-11 bytes (ErrMessageTooLong). random supplies PS; nil
// means crypto/rand.Reader.
//
// spec: rfc8017#7.2.1
func EncryptPKCS1v15(random io.Reader, pub *PublicKey, msg []byte) ([]byte, error) {
	N, err := checkPublic(pub)
	if err != nil {
		return nil, err
	}
	if random == nil {
		random = rand.Reader
	}
	k := N.byteLen()
	if len(msg) > k-11 {
		return nil, ErrMessageTooLong
	}
	em := make([]byte, k)
	em[1] = 2
	ps := em[2 : k-len(msg)-1]
	if err := nonZeroRandomBytes(ps, random); err != nil {
		return nil, err
	}
	copy(em[k-len(msg):], msg)
	c, ok := encrypt(N, pub.E, em)
	if !ok {
		return nil, ErrMessageTooLong // unreachable: EM starts with 0x00, so EM < n
	}
	return c, nil
}

// nonZeroRandomBytes fills b with random non-zero bytes (the padding string PS
// must not contain the 0x00 that ends it).
func nonZeroRandomBytes(b []byte, random io.Reader) error {
	if _, err := io.ReadFull(random, b); err != nil {
		return fmt.Errorf("minitls/cipher/rsa: reading padding randomness: %w", err)
	}
	var one [1]byte
	for i := range b {
		for b[i] == 0 {
			if _, err := io.ReadFull(random, one[:]); err != nil {
				return fmt.Errorf("minitls/cipher/rsa: reading padding randomness: %w", err)
			}
			b[i] = one[0]
		}
	}
	return nil
}

// DecryptPKCS1v15 decrypts a PKCS#1 v1.5 ciphertext and returns the message.
// Every failure is the same ErrDecryption, and the padding check runs in
// constant time. Even so, telling a remote party whether padding was valid is
// a Bleichenbacher oracle: TLS must use DecryptPKCS1v15SessionKey instead.
// random feeds the blinding whenever the key draws a fresh blinding pair
// (its first private operation, then every 32nd); nil means
// crypto/rand.Reader.
//
// spec: rfc8017#7.2.2
func DecryptPKCS1v15(random io.Reader, priv *PrivateKey, ciphertext []byte) ([]byte, error) {
	valid, em, index, err := decryptPKCS1v15(random, priv, ciphertext)
	if err != nil {
		return nil, err
	}
	if valid == 0 {
		return nil, ErrDecryption
	}
	return em[index:], nil
}

// DecryptPKCS1v15SessionKey is the TLS form of PKCS#1 v1.5 decryption
// (RFC 5246 §7.4.7.1). The caller fills key with random bytes first. If the
// ciphertext decrypts to a correctly padded message of exactly len(key) bytes,
// key is overwritten with it; otherwise key is left as it was. Both outcomes
// take the same time and return the same nil error, so a peer cannot tell
// them apart: with a wrong pre-master secret the handshake simply fails later
// at Finished, exactly as it would with a random one.
//
// An error is returned only for public facts: a ciphertext whose length is not
// the modulus size or whose value is not below n, a key too long for the
// modulus, a bad key, or a failed self-check.
//
// spec: rfc8017#7.2.2
// spec: rfc5246#7.4.7.1
func DecryptPKCS1v15SessionKey(random io.Reader, priv *PrivateKey, ciphertext []byte, key []byte) error {
	if priv == nil {
		return fmt.Errorf("%w: nil private key", ErrInvalidKey)
	}
	k := priv.Size()
	if k-(len(key)+3+8) < 0 {
		return ErrDecryption // the key cannot fit this modulus: public
	}
	valid, em, index, err := decryptPKCS1v15(random, priv, ciphertext)
	if err != nil {
		return err
	}
	if len(em) != k {
		return ErrDecryption // unreachable: em is always k bytes
	}
	// The message is em[index:]; it must be exactly len(key) bytes long.
	valid &= subtle.ConstantTimeEq(int32(len(em)-index), int32(len(key)))
	subtle.ConstantTimeCopy(valid, key, em[len(em)-len(key):])
	return nil
}

// decryptPKCS1v15 decrypts and checks EME-PKCS1-v1_5 padding in constant time.
// It returns valid (1 if EM = 0x00 || 0x02 || PS || 0x00 || M with PS at least
// eight non-zero bytes), the k-byte EM, and the index where M starts. Both
// valid and index are secret: callers may only use them through constant-time
// selections (or, in DecryptPKCS1v15, after the whole check).
//
// spec: rfc8017#7.2.2
func decryptPKCS1v15(random io.Reader, priv *PrivateKey, ciphertext []byte) (valid int, em []byte, index int, err error) {
	if priv == nil {
		return 0, nil, 0, fmt.Errorf("%w: nil private key", ErrInvalidKey)
	}
	if priv.Size() < 11 {
		return 0, nil, 0, ErrDecryption
	}
	em, err = decrypt(random, priv, ciphertext)
	if err != nil {
		return 0, nil, 0, err
	}
	firstIsZero := subtle.ConstantTimeByteEq(em[0], 0)
	secondIsTwo := subtle.ConstantTimeByteEq(em[1], 2)
	// Find the first zero byte after the first two, looking at every byte.
	looking := 1
	zeroAt := 0
	for i := 2; i < len(em); i++ {
		isZero := subtle.ConstantTimeByteEq(em[i], 0)
		zeroAt = subtle.ConstantTimeSelect(looking&isZero, i, zeroAt)
		looking = subtle.ConstantTimeSelect(isZero, 0, looking)
	}
	// PS = em[2:zeroAt] must be at least 8 bytes: zeroAt >= 10.
	psLongEnough := subtle.ConstantTimeLessOrEq(2+8, zeroAt)
	valid = firstIsZero & secondIsTwo & (looking ^ 1) & psLongEnough
	index = subtle.ConstantTimeSelect(valid, zeroAt+1, 0)
	return valid, em, index, nil
}

// digestInfoPrefix holds the DER encoding of DigestInfo up to the digest
// itself, for each supported hash:
//
//	DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
//
// with the algorithm parameters present as NULL (the form RFC 8017 requires).
//
// spec: rfc8017#9.2
var digestInfoPrefix = map[crypto.Hash][]byte{
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

// digestSize is the output length of each supported hash.
var digestSize = map[crypto.Hash]int{crypto.SHA256: 32, crypto.SHA384: 48, crypto.SHA512: 64}

// emsaPKCS1v15 builds the k-byte encoded message
//
//	EM = 0x00 || 0x01 || PS || 0x00 || T,  T = DigestInfo(hash, hashed)
//
// with PS a run of 0xff bytes at least eight long.
//
// spec: rfc8017#9.2
func emsaPKCS1v15(k int, hash crypto.Hash, hashed []byte) ([]byte, error) {
	prefix, ok := digestInfoPrefix[hash]
	if !ok || len(hashed) != digestSize[hash] {
		return nil, ErrUnsupportedHash
	}
	tLen := len(prefix) + len(hashed)
	if k < tLen+11 {
		return nil, ErrMessageTooLong
	}
	em := make([]byte, k)
	em[1] = 1
	for i := 2; i < k-tLen-1; i++ {
		em[i] = 0xff
	}
	copy(em[k-tLen:], prefix)
	copy(em[k-len(hashed):], hashed)
	return em, nil
}

// SignPKCS1v15 signs the digest hashed (computed with hash: SHA-256, SHA-384
// or SHA-512) with RSASSA-PKCS1-v1_5. The signature is deterministic; random
// only feeds the blinding of the private operation, as in DecryptPKCS1v15
// (nil: crypto/rand.Reader).
//
// spec: rfc8017#8.2.1
func SignPKCS1v15(random io.Reader, priv *PrivateKey, hash crypto.Hash, hashed []byte) ([]byte, error) {
	if priv == nil {
		return nil, fmt.Errorf("%w: nil private key", ErrInvalidKey)
	}
	if _, err := checkPublic(&priv.PublicKey); err != nil {
		return nil, err
	}
	em, err := emsaPKCS1v15(priv.Size(), hash, hashed)
	if err != nil {
		return nil, err
	}
	return decrypt(random, priv, em)
}

// VerifyPKCS1v15 checks an RSASSA-PKCS1-v1_5 signature sig over the digest
// hashed. It returns nil or ErrVerification (or a key / hash error).
//
// It recovers EM = sig^e mod n, builds the EM it expects from hash and hashed,
// and compares the two whole byte strings in constant time. It never parses
// the DigestInfo (or the padding) out of the recovered EM: parsers that did
// so, and then ignored trailing or parameter bytes, are what let Bleichenbacher
// forge signatures for e = 3 keys in 2006 (and BERserk in 2014).
//
// spec: rfc8017#8.2.2
func VerifyPKCS1v15(pub *PublicKey, hash crypto.Hash, hashed []byte, sig []byte) error {
	N, err := checkPublic(pub)
	if err != nil {
		return err
	}
	k := N.byteLen()
	expected, err := emsaPKCS1v15(k, hash, hashed)
	if err != nil {
		return err
	}
	if len(sig) != k {
		return ErrVerification
	}
	em, ok := encrypt(N, pub.E, sig)
	if !ok {
		return ErrVerification // s >= n
	}
	if subtle.ConstantTimeCompare(em, expected) != 1 {
		return ErrVerification
	}
	return nil
}

// PKCS1v15DecryptOptions selects the TLS session-key form in
// (*PrivateKey).Decrypt: with SessionKeyLen > 0, Decrypt returns a
// SessionKeyLen-byte key that is the plaintext if it is correctly padded and
// that long, and random bytes otherwise (see DecryptPKCS1v15SessionKey).
// crypto/rsa.PKCS1v15DecryptOptions is understood the same way.
//
// spec: rfc5246#7.4.7.1
type PKCS1v15DecryptOptions struct {
	SessionKeyLen int
}

// Sign implements crypto.Signer. With PSS options (*PSSOptions, or
// crypto/rsa.PSSOptions, read the same way) it signs with RSASSA-PSS
// (SignPSS); with any other opts, with RSASSA-PKCS1-v1_5. In both,
// opts.HashFunc() names the hash that produced digest.
//
// spec: rfc8017#8.1.1, rfc8017#8.2.1
func (priv *PrivateKey) Sign(random io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if pss, isPSS := pssOptionsOf(opts); isPSS {
		if pss == nil {
			return nil, fmt.Errorf("%w: nil PSS options name no hash", ErrUnsupportedHash)
		}
		return SignPSS(random, priv, pss.Hash, digest, pss)
	}
	if opts == nil {
		return nil, ErrUnsupportedHash
	}
	return SignPKCS1v15(random, priv, opts.HashFunc(), digest)
}

// Decrypt implements crypto.Decrypter with RSAES-PKCS1-v1_5. nil opts means
// plain DecryptPKCS1v15; *PKCS1v15DecryptOptions (or crypto/rsa's) with a
// SessionKeyLen selects the session-key form. OAEP is refused with
// ErrUnsupportedPadding.
//
// spec: rfc8017#7.2.2
func (priv *PrivateKey) Decrypt(random io.Reader, ciphertext []byte, opts crypto.DecrypterOpts) ([]byte, error) {
	sessionKeyLen := 0
	switch o := opts.(type) {
	case nil:
	case *PKCS1v15DecryptOptions:
		sessionKeyLen = o.SessionKeyLen
	case PKCS1v15DecryptOptions:
		sessionKeyLen = o.SessionKeyLen
	default:
		if !isStdType(opts, "PKCS1v15DecryptOptions") {
			return nil, ErrUnsupportedPadding
		}
		if v := reflect.Indirect(reflect.ValueOf(opts)); v.IsValid() {
			sessionKeyLen = int(v.FieldByName("SessionKeyLen").Int())
		}
	}
	if sessionKeyLen <= 0 {
		return DecryptPKCS1v15(random, priv, ciphertext)
	}
	if random == nil {
		random = rand.Reader
	}
	key := make([]byte, sessionKeyLen)
	if _, err := io.ReadFull(random, key); err != nil {
		return nil, fmt.Errorf("minitls/cipher/rsa: reading session key randomness: %w", err)
	}
	if err := DecryptPKCS1v15SessionKey(random, priv, ciphertext, key); err != nil {
		return nil, err
	}
	return key, nil
}

// isStdType reports whether v is crypto/rsa.<name> or a pointer to it. This
// package may not import crypto/rsa, so it recognises its option types by
// name to honour (PSS, PKCS#1 v1.5) or refuse (OAEP) them.
func isStdType(v any, name string) bool {
	t := reflect.TypeOf(v)
	if t == nil {
		return false
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == "crypto/rsa" && t.Name() == name
}
