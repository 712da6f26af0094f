package handshake

import (
	"crypto"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"minitls/cipher/aes"
	"minitls/cipher/chacha20poly1305"
	"minitls/cipher/gcm"
	"minitls/internal/impl"
	"minitls/record"
)

// suite describes what a cipher suite means for the key exchange, the key
// schedule and the record layer. The RSA suites use RSA key transport (no
// ServerKeyExchange); the ECDHE_RSA suites an ephemeral ECDH key agreement
// signed with the RSA certificate key (ecdhe.go). The AES-GCM suites use a
// 4-byte implicit salt and an 8-byte explicit nonce; the ChaCha20-Poly1305
// suite a 12-byte IV XORed with the sequence number, nothing sent.
//
// spec: rfc5288#3, rfc5289#3.2, rfc8422#2.1, rfc5246#6.3, rfc7905#2
type suite struct {
	id     CipherSuite
	ecdhe  bool             // key exchange ECDHE_RSA (else RSA key transport)
	chacha bool             // ChaCha20-Poly1305 (rfc7905) instead of AES-GCM
	keyLen int              // enc_key_length: 16 or 32 bytes
	ivLen  int              // fixed_iv_length: GCM's 4-byte salt, or ChaCha's 12-byte IV
	hash   crypto.Hash      // PRF hash and Finished transcript hash
	prf    func() hash.Hash // the same hash as a constructor
}

// suites lists what minitls implements in its default preference order: the
// server picks the first of these the client offers (its own order, not the
// client's, except for the one rule of preferServerSuites). ECDHE first: it
// gives forward secrecy, which RSA key transport cannot (see ecdhe.go); an
// ECDHE suite is only chosen when the client also shares a group and a
// signature hash, else the server falls back to RSA key transport. AES-128
// before AES-256: both are secure, and 128 is faster. ChaCha20-Poly1305 after
// AES-GCM on a CPU with AES instructions, before it on one without
// (suitesForCPU). ECDHE_ECDSA before ECDHE_RSA: a suite is only chosen when
// a certificate with its kind of key is configured (Config.hasKeyFor,
// ecdsa.go), so a server holding an RSA and an ECDSA certificate gives the
// ECDSA one, whose signature costs it far less, to clients that offer it,
// and the RSA one to the rest.
//
// spec: rfc5288#3 ("These cipher suites use the ... PRF with SHA-256 ...
// SHA-384 for the ..._SHA384 suites"), rfc5289#3.2, rfc5246#7.4.1.3,
// rfc7905#2 (the ChaCha20-Poly1305 suites use the SHA-256 PRF)
var suites = suitesForCPU(impl.Best() != impl.Portable)

// suiteTable is every suite in the order for a CPU with AES instructions.
var suiteTable = []*suite{
	{id: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ecdhe: true, keyLen: 16, ivLen: 4, hash: crypto.SHA256, prf: sha256.New},
	{id: TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, ecdhe: true, keyLen: 32, ivLen: 4, hash: crypto.SHA384, prf: sha512.New384},
	{id: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ecdhe: true, keyLen: 16, ivLen: 4, hash: crypto.SHA256, prf: sha256.New},
	{id: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ecdhe: true, keyLen: 32, ivLen: 4, hash: crypto.SHA384, prf: sha512.New384},
	{id: TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, ecdhe: true, chacha: true, keyLen: 32, ivLen: 12, hash: crypto.SHA256, prf: sha256.New},
	{id: TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, ecdhe: true, chacha: true, keyLen: 32, ivLen: 12, hash: crypto.SHA256, prf: sha256.New},
	{id: TLS_RSA_WITH_AES_128_GCM_SHA256, keyLen: 16, ivLen: 4, hash: crypto.SHA256, prf: sha256.New},
	{id: TLS_RSA_WITH_AES_256_GCM_SHA384, keyLen: 32, ivLen: 4, hash: crypto.SHA384, prf: sha512.New384},
}

// TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 is ECDHE_RSA key agreement
// with the ChaCha20-Poly1305 AEAD of RFC 8439 and the SHA-256 PRF. (Its name
// is also in cipherSuiteNames.)
//
// spec: rfc7905#2
const TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 CipherSuite = 0xCCA8

// suiteByID returns the suite with id, or nil.
func suiteByID(id CipherSuite) *suite {
	for _, s := range suiteTable {
		if s.id == id {
			return s
		}
	}
	return nil
}

// newAEAD builds the record protection cipher for one direction: AES from
// cipher/aes in GCM mode from cipher/gcm, on the fastest path the CPU has
// (AES-NI or VAES assembly, else the bitsliced portable Go; all constant
// time), or ChaCha20-Poly1305 from cipher/chacha20poly1305 (its fastest path
// too). The zero suite gives AES-GCM.
func (s *suite) newAEAD(key []byte) (cipher.AEAD, error) {
	if s.chacha {
		return chacha20poly1305.New(key)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return gcm.New(block)
}

// newProtection builds the record protection of one direction from the
// suite's key and write IV: the AEAD with the nonce construction of its RFC
// (a salt and an explicit nonce for AES-GCM, the IV XOR the sequence number
// for ChaCha20-Poly1305).
//
// spec: rfc5288#3, rfc7905#2
func (s *suite) newProtection(key, iv []byte) (*record.Protection, error) {
	aead, err := s.newAEAD(key)
	if err != nil {
		return nil, err
	}
	if s.chacha {
		return record.NewProtection7905(aead, iv)
	}
	return record.NewProtection(aead, iv)
}

// suitesForCPU returns suiteTable in the default order for a CPU with AES
// instructions (aesHardware), or else with ChaCha20-Poly1305 moved ahead of
// every AES-GCM suite: without AES instructions constant-time AES is
// bitsliced software, several times slower than ChaCha20-Poly1305 (see
// `minitls bench`), and a client offering the default list asks for ChaCha
// first, as crypto/tls and BoringSSL clients on such CPUs do.
func suitesForCPU(aesHardware bool) []*suite {
	if aesHardware {
		return suiteTable
	}
	return chachaFirst(suiteTable)
}

// chachaFirst returns list with its ChaCha20-Poly1305 suites moved ahead of
// the AES-GCM suites of the same key exchange, keeping ECDHE before RSA key
// transport and every other order.
func chachaFirst(list []*suite) []*suite {
	out := make([]*suite, 0, len(list))
	for _, ecdhe := range []bool{true, false} {
		for _, chacha := range []bool{true, false} {
			for _, s := range list {
				if s.ecdhe == ecdhe && s.chacha == chacha {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// preferServerSuites is the order in which the server picks a suite from a
// ClientHello offering offered: its own order (Config.CipherSuites, or the
// default for this CPU), with one exception for the default order, the rule
// crypto/tls and BoringSSL follow. A client that lists ChaCha20-Poly1305
// ahead of every AES-GCM suite is saying it has no AES instructions (mobile
// CPUs without them put ChaCha first); for it AES-GCM would be slow, so the
// server honours that and takes ChaCha20-Poly1305 first. A client that lists
// an AES-GCM suite first gets AES-GCM when this CPU has AES instructions. A
// Config.CipherSuites set by the operator is followed as given.
//
// spec: rfc5246#7.4.1.2 (the server selects; the client's list is "in order
// of the client's preference"), rfc7905#2
func preferServerSuites(config *Config, offered []CipherSuite) []*suite {
	own := config.enabledSuites()
	if config.CipherSuites != nil || !clientPrefersChaCha(offered) {
		return own
	}
	return chachaFirst(own)
}

// clientPrefersChaCha reports whether the first AEAD suite the client lists
// (AES-GCM or ChaCha20-Poly1305, in TLS 1.2) is a ChaCha20-Poly1305 one.
func clientPrefersChaCha(offered []CipherSuite) bool {
	for _, id := range offered {
		switch id {
		case TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
			return true
		case TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384,
			TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
			return false
		}
	}
	return false
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
