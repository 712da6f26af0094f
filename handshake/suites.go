package handshake

import (
	"crypto"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
)

// suite describes what a cipher suite means for the key exchange, the key
// schedule and the record layer. The RSA suites use RSA key transport (no
// ServerKeyExchange); the ECDHE_RSA suites an ephemeral ECDH key agreement
// signed with the RSA certificate key (ecdhe.go). All use AES-GCM with a
// 4-byte implicit salt and an 8-byte explicit nonce.
//
// spec: rfc5288#3, rfc5289#3.2, rfc8422#2.1, rfc5246#6.3
type suite struct {
	id     CipherSuite
	ecdhe  bool             // key exchange ECDHE_RSA (else RSA key transport)
	keyLen int              // enc_key_length: 16 or 32 bytes
	ivLen  int              // fixed_iv_length: the 4-byte salt of the GCM nonce
	hash   crypto.Hash      // PRF hash and Finished transcript hash
	prf    func() hash.Hash // the same hash as a constructor
}

// suites lists what minitls implements in its default preference order: the
// server picks the first of these the client offers (its own order, not the
// client's). ECDHE first: it gives forward secrecy, which RSA key transport
// cannot (see ecdhe.go); an ECDHE suite is only chosen when the client also
// shares a group and a signature hash, else the server falls back to RSA key
// transport. AES-128 before AES-256: both are secure, and 128 is faster.
//
// spec: rfc5288#3 ("These cipher suites use the ... PRF with SHA-256 ...
// SHA-384 for the ..._SHA384 suites"), rfc5289#3.2, rfc5246#7.4.1.3
var suites = []*suite{
	{id: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ecdhe: true, keyLen: 16, ivLen: 4, hash: crypto.SHA256, prf: sha256.New},
	{id: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ecdhe: true, keyLen: 32, ivLen: 4, hash: crypto.SHA384, prf: sha512.New384},
	{id: TLS_RSA_WITH_AES_128_GCM_SHA256, keyLen: 16, ivLen: 4, hash: crypto.SHA256, prf: sha256.New},
	{id: TLS_RSA_WITH_AES_256_GCM_SHA384, keyLen: 32, ivLen: 4, hash: crypto.SHA384, prf: sha512.New384},
}

// suiteByID returns the suite with id, or nil.
func suiteByID(id CipherSuite) *suite {
	for _, s := range suites {
		if s.id == id {
			return s
		}
	}
	return nil
}

// newAEAD builds the record protection cipher for one direction: AES from
// cipher/aes in GCM mode from cipher/gcm, on the fastest path the CPU has
// (AES-NI or VAES assembly, else the bitsliced portable Go; all constant
// time).
func (s *suite) newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return gcm.New(block)
}

// DefaultCipherSuites returns the suites minitls implements, in the server's
// default preference order.
//
// spec: rfc5246#7.4.1.2, rfc5288#3, rfc5289#3.2
func DefaultCipherSuites() []uint16 {
	ids := make([]uint16, len(suites))
	for i, s := range suites {
		ids[i] = uint16(s.id)
	}
	return ids
}
