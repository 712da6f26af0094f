package handshake

import (
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"minitls/record"
)

// TLS 1.3 replaces TLS 1.2's PRF (prf.go) with HKDF (RFC 5869): Extract
// turns input keying material into a pseudorandom key, Expand stretches a
// pseudorandom key into as many bytes as needed, each use bound to a label
// and to the transcript hash. The key schedule is a chain of Extracts, each
// mixing in one new input, with the secrets of each stage derived from it:
//
//	             0
//	             |
//	             v
//	   PSK ->  HKDF-Extract = Early Secret
//	             |
//	             +-----> Derive-Secret(., "res binder" | "ext binder", "") = binder_key
//	             v
//	       Derive-Secret(., "derived", "")
//	             |
//	             v
//	(EC)DHE -> HKDF-Extract = Handshake Secret
//	             |
//	             +-----> Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
//	             +-----> Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
//	             v
//	       Derive-Secret(., "derived", "")
//	             |
//	             v
//	   0 -> HKDF-Extract = Master Secret
//	             |
//	             +-----> Derive-Secret(., "c ap traffic", ClientHello...server Finished)
//	             +-----> Derive-Secret(., "s ap traffic", ClientHello...server Finished)
//	             +-----> Derive-Secret(., "exp master", ClientHello...server Finished)
//	             +-----> Derive-Secret(., "res master", ClientHello...client Finished)
//
// Every traffic secret gives a key and an IV (trafficKeys13) and a Finished
// key; a KeyUpdate moves a traffic secret forward (nextTrafficSecret).
//
// spec: rfc8446#7.1

// HKDFExtract returns HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM), a
// pseudorandom key of Hash.length bytes. An empty salt means Hash.length
// zeros, which HMAC's key padding gives too.
//
// spec: rfc5869#2.2
func HKDFExtract(newHash func() hash.Hash, salt, ikm []byte) []byte {
	if len(salt) == 0 {
		salt = make([]byte, newHash().Size())
	}
	m := hmac.New(newHash, salt)
	m.Write(ikm)
	return m.Sum(nil)
}

// HKDFExpand returns HKDF-Expand(PRK, info, L): T(1) || T(2) || ... cut to
// length bytes, where T(i) = HMAC-Hash(PRK, T(i-1) || info || i). The
// RFC allows at most 255·Hash.length bytes (rfc5869#2.3: "L ... <=
// 255*HashLen"); for a larger or negative length HKDFExpand returns nil.
// (minitls asks for 48 bytes at most.)
//
// spec: rfc5869#2.3
func HKDFExpand(newHash func() hash.Hash, prk, info []byte, length int) []byte {
	m := hmac.New(newHash, prk)
	if length < 0 || length > 255*m.Size() {
		return nil
	}
	out := make([]byte, 0, length+m.Size())
	var t []byte
	for i := byte(1); len(out) < length; i++ {
		m.Reset()
		m.Write(t)
		m.Write(info)
		m.Write([]byte{i})
		t = m.Sum(t[:0])
		out = append(out, t...)
	}
	return out[:length]
}

// HKDFExpandLabel is HKDF-Expand with the info TLS 1.3 builds from a label
// and a context:
//
//	struct {
//	    uint16 length = Length;
//	    opaque label<7..255> = "tls13 " + Label;
//	    opaque context<0..255> = Context;
//	} HkdfLabel;
//
// spec: rfc8446#7.1
func HKDFExpandLabel(newHash func() hash.Hash, secret []byte, label string, context []byte, length int) []byte {
	full := "tls13 " + label
	info := make([]byte, 0, 2+1+len(full)+1+len(context))
	info = append(info, byte(length>>8), byte(length), byte(len(full)))
	info = append(info, full...)
	info = append(info, byte(len(context)))
	info = append(info, context...)
	return HKDFExpand(newHash, secret, info, length)
}

// DeriveSecret is Derive-Secret(Secret, Label, Messages) =
// HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length);
// the caller passes the transcript hash.
//
// spec: rfc8446#7.1
func DeriveSecret(newHash func() hash.Hash, secret []byte, label string, transcriptHash []byte) []byte {
	return HKDFExpandLabel(newHash, secret, label, transcriptHash, newHash().Size())
}

// The labels of the TLS 1.3 key schedule.
//
// spec: rfc8446#7.1, rfc8446#7.3, rfc8446#4.4.4, rfc8446#4.6.1, rfc8446#7.2
const (
	labelDerived           = "derived"
	labelResBinder         = "res binder"
	labelClientHSTraffic   = "c hs traffic"
	labelServerHSTraffic   = "s hs traffic"
	labelClientAPTraffic   = "c ap traffic"
	labelServerAPTraffic   = "s ap traffic"
	labelExporterMaster    = "exp master"
	labelResumptionMaster  = "res master"
	labelFinished          = "finished"
	labelTrafficKey        = "key"
	labelTrafficIV         = "iv"
	labelTrafficUpdate     = "traffic upd"
	labelResumption        = "resumption"
	labelNSSClientHS       = "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
	labelNSSServerHS       = "SERVER_HANDSHAKE_TRAFFIC_SECRET"
	labelNSSClientTraffic0 = "CLIENT_TRAFFIC_SECRET_0"
	labelNSSServerTraffic0 = "SERVER_TRAFFIC_SECRET_0"
)

// suite13 is a TLS 1.3 cipher suite: only the AEAD and the hash, since the
// key exchange and the signature are negotiated apart (rfc8446#4.1.1).
//
// spec: rfc8446#B.4
type suite13 struct {
	id      CipherSuite
	keyLen  int              // AES-128, AES-256 or ChaCha20 (32)
	hash    crypto.Hash      // HKDF and transcript hash
	newHash func() hash.Hash // the same hash as a constructor
	chacha  bool             // ChaCha20-Poly1305 (rfc8439) instead of AES-GCM
}

// The TLS 1.3 suites minitls implements, in the server's preference order.
//
// spec: rfc8446#B.4
const (
	TLS_AES_128_GCM_SHA256       CipherSuite = 0x1301
	TLS_AES_256_GCM_SHA384       CipherSuite = 0x1302
	TLS_CHACHA20_POLY1305_SHA256 CipherSuite = 0x1303
)

// suites13 are the TLS 1.3 suites enabled by default, in the server's
// preference order; allSuites13 adds those a Config must list in
// CipherSuites to enable (ChaCha20-Poly1305 on minitls's own
// cipher/chacha20poly1305, rfc8439).
var (
	suites13 = []*suite13{
		{id: TLS_AES_128_GCM_SHA256, keyLen: 16, hash: crypto.SHA256, newHash: sha256.New},
		{id: TLS_AES_256_GCM_SHA384, keyLen: 32, hash: crypto.SHA384, newHash: sha512.New384},
	}
	allSuites13 = append(suites13[:len(suites13):len(suites13)],
		&suite13{id: TLS_CHACHA20_POLY1305_SHA256, keyLen: 32, hash: crypto.SHA256, newHash: sha256.New, chacha: true})
)

// suite13ByID returns the TLS 1.3 suite with id, or nil.
func suite13ByID(id CipherSuite) *suite13 {
	for _, s := range allSuites13 {
		if s.id == id {
			return s
		}
	}
	return nil
}

// enabledSuites13 returns the TLS 1.3 suites of Config.CipherSuites, in its
// order; the default suites13 when it is nil. A list with no TLS 1.3 suite turns TLS
// 1.3 off (unlike crypto/tls, where TLS 1.3 suites are not configurable):
// a Config that names only TLS 1.2 suites gets exactly those.
func (c *Config) enabledSuites13() []*suite13 {
	if c.CipherSuites == nil {
		return suites13
	}
	var out []*suite13
	for _, id := range c.CipherSuites {
		if s := suite13ByID(CipherSuite(id)); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// keySchedule13 holds the current stage of one connection's key schedule.
//
// spec: rfc8446#7.1
type keySchedule13 struct {
	s      *suite13
	secret []byte // the Early, Handshake or Master Secret, by stage
}

// newKeySchedule13 starts the schedule at the Early Secret, from psk (nil:
// a string of Hash.length zeros, as for a handshake without PSK).
//
// spec: rfc8446#7.1
func newKeySchedule13(s *suite13, psk []byte) *keySchedule13 {
	if psk == nil {
		psk = make([]byte, s.hash.Size())
	}
	return &keySchedule13{s: s, secret: HKDFExtract(s.newHash, nil, psk)}
}

// next moves to the next stage: Extract(Derive-Secret(., "derived", ""), ikm),
// ikm being the (EC)DHE shared secret, or Hash.length zeros for the Master
// Secret.
//
// spec: rfc8446#7.1
func (ks *keySchedule13) next(ikm []byte) {
	if ikm == nil {
		ikm = make([]byte, ks.s.hash.Size())
	}
	empty := ks.s.newHash().Sum(nil)
	derived := DeriveSecret(ks.s.newHash, ks.secret, labelDerived, empty)
	ks.secret = HKDFExtract(ks.s.newHash, derived, ikm)
}

// derive is Derive-Secret(current stage's secret, label, transcriptHash).
func (ks *keySchedule13) derive(label string, transcriptHash []byte) []byte {
	return DeriveSecret(ks.s.newHash, ks.secret, label, transcriptHash)
}

// trafficKeys13 derives the write key and IV of one traffic secret.
//
//	[sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
//	[sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
//
// spec: rfc8446#7.3
func trafficKeys13(s *suite13, secret []byte) (key, iv []byte) {
	key = HKDFExpandLabel(s.newHash, secret, labelTrafficKey, nil, s.keyLen)
	iv = HKDFExpandLabel(s.newHash, secret, labelTrafficIV, nil, record.IVLen13)
	return key, iv
}

// finishedVerifyData13 computes a Finished message's verify_data:
//
//	finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
//	verify_data  = HMAC(finished_key, Transcript-Hash(Handshake Context,
//	                    Certificate*, CertificateVerify*))
//
// BaseKey is the sender's handshake traffic secret.
//
// spec: rfc8446#4.4.4
func finishedVerifyData13(s *suite13, baseKey, transcriptHash []byte) []byte {
	finishedKey := HKDFExpandLabel(s.newHash, baseKey, labelFinished, nil, s.hash.Size())
	m := hmac.New(s.newHash, finishedKey)
	m.Write(transcriptHash)
	return m.Sum(nil)
}

// nextTrafficSecret is the traffic secret after a KeyUpdate:
// application_traffic_secret_N+1 = HKDF-Expand-Label(
// application_traffic_secret_N, "traffic upd", "", Hash.length).
//
// spec: rfc8446#7.2
func nextTrafficSecret(s *suite13, secret []byte) []byte {
	return HKDFExpandLabel(s.newHash, secret, labelTrafficUpdate, nil, s.hash.Size())
}

// resumptionPSK is the PSK a NewSessionTicket's ticket_nonce gives:
// HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce,
// Hash.length).
//
// spec: rfc8446#4.6.1
func resumptionPSK(s *suite13, resumptionMaster, nonce []byte) []byte {
	return HKDFExpandLabel(s.newHash, resumptionMaster, labelResumption, nonce, s.hash.Size())
}

// handshakeTrafficSecrets13 runs the key schedule, for either side, from the
// early secret (psk, or zeros) through the (EC)DHE shared secret to the two
// handshake traffic secrets over ClientHello...ServerHello, tracing each
// stage and writing both to the key log. The caller installs them, each in
// its own direction.
//
// spec: rfc8446#7.1
func (c *Conn) handshakeTrafficSecrets13(suite *suite13, psk, shared, clientRandom []byte) (ks *keySchedule13, clientHS, serverHS []byte, err error) {
	ks = newKeySchedule13(suite, psk)
	c.traceKey("early secret", ks.secret)
	c.traceKey("(EC)DHE shared secret", shared)
	ks.next(shared)
	c.traceKey("handshake secret", ks.secret)
	th := c.transcript.sum()
	clientHS = ks.derive(labelClientHSTraffic, th)
	serverHS = ks.derive(labelServerHSTraffic, th)
	if err := c.secret13("client handshake traffic secret", labelNSSClientHS, clientRandom, clientHS); err != nil {
		return nil, nil, nil, err
	}
	if err := c.secret13("server handshake traffic secret", labelNSSServerHS, clientRandom, serverHS); err != nil {
		return nil, nil, nil, err
	}
	return ks, clientHS, serverHS, nil
}
