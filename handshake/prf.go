package handshake

import (
	"crypto/hmac"
	"crypto/subtle"
	"hash"
)

// Labels of the TLS 1.2 key schedule, as the RFCs spell them.
const (
	labelMasterSecret         = "master secret"          // spec: rfc5246#8.1
	labelExtendedMasterSecret = "extended master secret" // spec: rfc7627#4
	labelKeyExpansion         = "key expansion"          // spec: rfc5246#6.3
	labelClientFinished       = "client finished"        // spec: rfc5246#7.4.9
	labelServerFinished       = "server finished"        // spec: rfc5246#7.4.9
)

// masterSecretLength is fixed by the RFC for every key exchange.
// spec: rfc5246#8.1
const masterSecretLength = 48

// PRF fills out with PRF(secret, label, seed) = P_<hash>(secret, label + seed),
// where newHash is the cipher suite's PRF hash (SHA-256 for both suites in
// TLS 1.2 unless the suite names another, like SHA-384 for
// TLS_RSA_WITH_AES_256_GCM_SHA384).
//
// P_hash chains HMACs so that any amount of output depends on the whole
// secret:
//
//	P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
//	                       HMAC_hash(secret, A(2) + seed) + ...
//	A(0) = seed
//	A(i) = HMAC_hash(secret, A(i-1))
//
// The secret is only ever used as the HMAC key, so the computation's timing
// depends only on public lengths.
//
// spec: rfc5246#5
func PRF(newHash func() hash.Hash, out, secret []byte, label string, seed []byte) {
	labelSeed := make([]byte, 0, len(label)+len(seed))
	labelSeed = append(labelSeed, label...)
	labelSeed = append(labelSeed, seed...)
	pHash(newHash, out, secret, labelSeed)
}

// pHash is P_hash of rfc5246#5.
func pHash(newHash func() hash.Hash, out, secret, seed []byte) {
	mac := hmac.New(newHash, secret)
	mac.Write(seed)
	a := mac.Sum(nil) // A(1)
	var block []byte
	for len(out) > 0 {
		mac.Reset()
		mac.Write(a)
		mac.Write(seed)
		block = mac.Sum(block[:0])
		n := copy(out, block)
		out = out[n:]
		mac.Reset()
		mac.Write(a)
		a = mac.Sum(a[:0]) // A(i+1)
	}
}

// MasterSecret derives the 48-byte master secret the classic way, binding it
// to both hello randoms.
//
//	master_secret = PRF(pre_master_secret, "master secret",
//	                    ClientHello.random + ServerHello.random)
//	                    [0..47];
//
// spec: rfc5246#8.1
func MasterSecret(newHash func() hash.Hash, preMasterSecret, clientRandom, serverRandom []byte) []byte {
	seed := make([]byte, 0, len(clientRandom)+len(serverRandom))
	seed = append(seed, clientRandom...)
	seed = append(seed, serverRandom...)
	out := make([]byte, masterSecretLength)
	PRF(newHash, out, preMasterSecret, labelMasterSecret, seed)
	return out
}

// ExtendedMasterSecret derives the master secret over the session hash (the
// hash of every handshake message up to and including ClientKeyExchange), so
// that it is bound to the server's certificate and every negotiated
// parameter; this defeats the triple-handshake attack.
//
//	master_secret = PRF(pre_master_secret, "extended master secret",
//	                    session_hash)
//	                    [0..47];
//
// spec: rfc7627#4
func ExtendedMasterSecret(newHash func() hash.Hash, preMasterSecret, sessionHash []byte) []byte {
	out := make([]byte, masterSecretLength)
	PRF(newHash, out, preMasterSecret, labelExtendedMasterSecret, sessionHash)
	return out
}

// KeyBlock is the key expansion cut into its parts. The AEAD suites have no
// MAC keys (mac_key_length is 0), and their "IVs" are the 4-byte implicit
// salts of the GCM nonce.
//
//	client_write_MAC_key[SecurityParameters.mac_key_length]
//	server_write_MAC_key[SecurityParameters.mac_key_length]
//	client_write_key[SecurityParameters.enc_key_length]
//	server_write_key[SecurityParameters.enc_key_length]
//	client_write_IV[SecurityParameters.fixed_iv_length]
//	server_write_IV[SecurityParameters.fixed_iv_length]
//
// spec: rfc5246#6.3, rfc5288#3
type KeyBlock struct {
	Raw                []byte // the whole key_block
	ClientKey          []byte
	ServerKey          []byte
	ClientIV, ServerIV []byte // 4-byte implicit salts
}

// KeyExpansion expands the master secret into the key block. Note the seed
// order: server random first, unlike the master secret.
//
//	key_block = PRF(SecurityParameters.master_secret,
//	                "key expansion",
//	                SecurityParameters.server_random +
//	                SecurityParameters.client_random);
//
// spec: rfc5246#6.3
func KeyExpansion(newHash func() hash.Hash, masterSecret, clientRandom, serverRandom []byte, keyLen, ivLen int) KeyBlock {
	seed := make([]byte, 0, len(clientRandom)+len(serverRandom))
	seed = append(seed, serverRandom...)
	seed = append(seed, clientRandom...)
	raw := make([]byte, 2*keyLen+2*ivLen)
	PRF(newHash, raw, masterSecret, labelKeyExpansion, seed)
	kb := KeyBlock{Raw: raw}
	b := raw
	kb.ClientKey, b = b[:keyLen:keyLen], b[keyLen:]
	kb.ServerKey, b = b[:keyLen:keyLen], b[keyLen:]
	kb.ClientIV, b = b[:ivLen:ivLen], b[ivLen:]
	kb.ServerIV = b[:ivLen:ivLen]
	return kb
}

// VerifyData computes a Finished message's verify_data; label is "client
// finished" or "server finished" and handshakeHash the hash of every
// handshake message before this Finished.
//
//	verify_data
//	   PRF(master_secret, finished_label, Hash(handshake_messages))
//	      [0..verify_data_length-1];
//
// spec: rfc5246#7.4.9
func VerifyData(newHash func() hash.Hash, masterSecret []byte, label string, handshakeHash []byte) []byte {
	out := make([]byte, verifyDataLength)
	PRF(newHash, out, masterSecret, label, handshakeHash)
	return out
}

// verifyDataEqual compares verify_data in constant time: an early exit would
// tell an attacker how many leading bytes of a forged Finished were right.
// The length (12) is public.
func verifyDataEqual(got, want []byte) bool {
	return subtle.ConstantTimeCompare(got, want) == 1
}
