package main

// Steps 4 and 5 of the TLS 1.3 story and its lesson: the server's flight,
// encrypted under the handshake keys (EncryptedExtensions, Certificate,
// CertificateVerify, Finished), checked by hand; the client's Finished and
// its request after one round trip; and what the post-quantum share costs.

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/mlkem"
	"crypto/rand"
	"fmt"

	"minitls/handshake"
	"minitls/record"
	"minitls/x509lite"
)

// demoServerFlight13 is step 4.
func demoServerFlight13(s *demoSession) error {
	s.heading("Step 4  The server's flight, encrypted under the handshake keys")
	if recs := s.sealedHandshake13(); len(recs) > 0 {
		r := recs[0]
		s.para(2, fmt.Sprintf("The flight travels in %d protected record(s) whose header says %s, application_data, whatever the content: the real type (handshake) is the last byte inside the encryption (TLSInnerPlaintext), so an observer cannot even tell which messages these are.", len(recs), cliSpacedHex(r.Header[:3])))
	}
	for _, t := range []handshake.HandshakeType{handshake.TypeEncryptedExtensions, handshake.TypeCertificate, handshake.TypeCertificateVerify, handshake.TypeFinished} {
		if n := s.rawLen(false, t); n > 0 && t != handshake.TypeCertificate {
			s.arrow(false, fmt.Sprintf("%s: %d bytes, encrypted%s", serveMessageName(t, nil), n, demoWhat13[t]))
		}
		if t == handshake.TypeCertificate {
			s.certificate13()
		}
	}
	s.blank()
	s.line(2, "The client checks the server's signature over the transcript:")
	s.verifyCV13()
	s.traceWhile13("the server's flight", func(p handshake.Phase) bool {
		return p > handshake.PhaseServerHello && p != handshake.PhaseEstablished && p != handshake.PhaseClientFinished
	})
	return nil
}

// demoWhat13 says what each message of the server's flight is for.
var demoWhat13 = map[handshake.HandshakeType]string{
	handshake.TypeEncryptedExtensions: " (ALPN and the other answers that need no secrecy… but get it anyway)",
	handshake.TypeCertificateVerify:   " (a signature over the whole transcript so far)",
	handshake.TypeFinished:            " (an HMAC over the transcript: the server's part is done)",
}

// sealedHandshake13 returns the protected records that carried handshake
// messages to the client.
func (t *demoTrace) sealedHandshake13() []record.RecordEvent {
	var out []record.RecordEvent
	for _, r := range t.records(true, false, record.ApplicationData) {
		if r.Protected && r.InnerType == record.Handshake && len(r.Header) >= 3 {
			out = append(out, r)
		}
	}
	return out
}

// certificate13 shows the (encrypted) certificate and checks it.
func (s *demoSession) certificate13() {
	cm, ok := s.msgOf(true, false, handshake.TypeCertificate).(*handshake.Certificate13)
	leaf := s.leaf13()
	if !ok || leaf == nil {
		s.line(2, "(the trace is missing the Certificate)")
		return
	}
	s.certificate(leaf, len(cm.Entries))
	s.para(4, "In TLS 1.2 this chain crossed the wire in clear, telling every observer which site you visit; here it is sealed.")
	var rest [][]byte
	for _, e := range cm.Entries[1:] {
		rest = append(rest, e.Data)
	}
	s.certChecks(leaf, rest)
}

// leaf13 is the server certificate of a TLS 1.3 Certificate, parsed.
func (t *demoTrace) leaf13() *x509lite.Certificate {
	if cm, ok := t.msgOf(true, false, handshake.TypeCertificate).(*handshake.Certificate13); ok && len(cm.Entries) > 0 {
		if c, err := x509lite.ParseCertificate(cm.Entries[0].Data); err == nil {
			return c
		}
	}
	return nil
}

// verifyCV13 checks the CertificateVerify again, by hand: RSASSA-PSS over
// 64 spaces, the context string, a zero byte and the transcript hash.
//
// spec: rfc8446#4.4.3
func (s *demoSession) verifyCV13() {
	cv, _ := s.msgOf(true, false, handshake.TypeCertificateVerify).(*handshake.CertificateVerify)
	leaf := s.leaf13()
	h, pss := crypto.Hash(0), false
	if cv != nil {
		h, pss = demoSigHash(cv.Scheme)
	}
	th := s.transcriptHash13(handshake.TypeCertificate)
	if cv == nil || leaf == nil || leaf.PublicKey == nil || h == 0 || th == nil {
		s.check(false, "signature", "cannot check it here")
		return
	}
	content := func(th []byte) []byte {
		d := h.New()
		d.Write(bytes.Repeat([]byte{0x20}, 64))
		d.Write([]byte("TLS 1.3, server CertificateVerify\x00"))
		d.Write(th)
		return d.Sum(nil)
	}
	s.check(true, "signed data", fmt.Sprintf("64 spaces, \"TLS 1.3, server CertificateVerify\", 0, and the %d-byte hash of ClientHello...Certificate", len(th)))
	s.check(demoVerifySig(leaf.PublicKey, h, pss, content(th), cv.Signature) == nil, "signature",
		fmt.Sprintf("%v verifies with the certificate's RSA-%d key (TLS 1.3 allows no PKCS#1 v1.5 here)", cv.Scheme, 8*len(leaf.PublicKey.N)))
	bad := bytes.Clone(th)
	bad[0] ^= 1
	s.check(demoVerifySig(leaf.PublicKey, h, pss, content(bad), cv.Signature) != nil, "tamper test",
		"one flipped bit anywhere in the handshake and the signature fails: it covers the key shares too")
}

// transcriptHash13 hashes the client's handshake messages up to and
// including the first of type last, with the suite's hash; nil after a
// HelloRetryRequest (whose transcript starts with a message_hash).
func (s *demoSession) transcriptHash13(last handshake.HandshakeType) []byte {
	h := crypto.SHA256.New()
	if s.state.CipherSuite == 0x1302 {
		h = crypto.SHA384.New()
	}
	hellos := 0
	for _, e := range s.events {
		if e.e.Kind != handshake.EventMessage || !e.e.IsClient || len(e.e.Bytes) == 0 {
			continue
		}
		if t := handshake.HandshakeType(e.e.Bytes[0]); t == handshake.TypeClientHello {
			if hellos++; hellos > 1 {
				return nil
			}
		}
		h.Write(e.e.Bytes)
		if handshake.HandshakeType(e.e.Bytes[0]) == last {
			return h.Sum(nil)
		}
	}
	return nil
}

// demoFinished13 is step 5.
func demoFinished13(s *demoSession) error {
	s.heading("Step 5  Finished, and the request after one round trip")
	sf, _ := s.msgOf(true, false, handshake.TypeFinished).(*handshake.Finished13)
	cf, _ := s.msgOf(true, true, handshake.TypeFinished).(*handshake.Finished13)
	if sf == nil || cf == nil {
		s.line(2, "(the trace is missing the Finished messages)")
		return nil
	}
	s.arrow(false, fmt.Sprintf("Finished (server): verify_data %x %s", sf.VerifyData, s.st.mark(s.state.HandshakeComplete)))
	s.para(4, "verify_data = HMAC(finished_key, transcript hash), finished_key = HKDF-Expand-Label(server_handshake_traffic_secret, \"finished\", \"\", Hash.length).")
	if len(s.records(true, true, record.ChangeCipherSpec)) > 0 {
		s.arrow(true, "ChangeCipherSpec: 1 byte, a dummy that TLS 1.3 ignores; it makes the flow look like a resumed TLS 1.2 handshake to middleboxes (RFC 8446 §D.4)")
	}
	s.arrow(true, fmt.Sprintf("Finished (client): verify_data %x", cf.VerifyData))
	s.httpExchange()
	s.para(4, "The client sent its request right behind its Finished: one round trip (ClientHello out, the server's flight back) before data, against two in a full TLS 1.2 handshake.")
	for _, r := range s.records(true, true, record.ApplicationData) {
		if r.InnerType == record.ApplicationData {
			s.requestRecord13(r)
			break
		}
	}
	s.traceWhile13("the client's Finished and the HTTP records", func(p handshake.Phase) bool {
		return p == handshake.PhaseClientFinished || p == handshake.PhaseEstablished
	})
	return nil
}

// requestRecord13 takes the request's TLS 1.3 record apart.
//
// spec: rfc8446#5.2, rfc8446#5.3
func (s *demoSession) requestRecord13(r record.RecordEvent) {
	const tagLen = 16
	if len(r.Header) != record.HeaderLen || len(r.Fragment) < tagLen {
		return
	}
	n := len(r.Fragment) - tagLen
	s.blank()
	s.line(2, "The request's record, exactly as it crossed the wire:")
	s.kv("header", fmt.Sprintf("%s  application_data, TLS 1.2 (frozen), %d bytes", cliSpacedHex(r.Header), len(r.Fragment)))
	s.kvHex("ciphertext", r.Fragment[:min(n, 32)], s.st.dim)
	if n > 32 {
		s.line(demoLabelCol, s.st.dim(fmt.Sprintf("… %d more bytes", n-32)))
	}
	s.kvHex("tag", r.Fragment[n:], s.st.dim)
	s.kv("decrypts to", fmt.Sprintf("%q + 17 (the real type, application_data)", demoCut(r.Plaintext, 30)))
	iv := s.key(true, "client application traffic iv")
	s.para(4, fmt.Sprintf("nonce = client application IV %x XOR the sequence number %d: nothing of it on the wire (TLS 1.2 sent 8 bytes per record). The additional data is the 5-byte header.", iv, r.Seq))
}

// demoLesson13 weighs the post-quantum share against plain X25519.
func demoLesson13(s *demoSession) error {
	s.heading("The lesson, measured on this machine")
	x := demoX25519Time()
	peer, _ := ecdh.X25519().GenerateKey(rand.Reader)
	dk, _ := mlkem.GenerateKey768()
	ek := dk.EncapsulationKey()
	kem := demoMedian(func() {
		k, _ := ecdh.X25519().GenerateKey(rand.Reader)
		_, _ = k.ECDH(peer.PublicKey())
		_, _ = ek.Encapsulate()
	})
	clientKEM := demoMedian(func() {
		d, _ := mlkem.GenerateKey768()
		_, ct := d.EncapsulationKey().Encapsulate()
		_, _ = d.Decapsulate(ct)
	})
	s.kv("X25519", fmt.Sprintf("server %s; 32-byte shares each way", cliDuration(x)))
	s.kv("X25519MLKEM768", fmt.Sprintf("server %s (X25519 + encapsulate); client ~%s (key pair + decapsulate); shares of 1216 and 1120 bytes", cliDuration(kem), cliDuration(clientKEM)))
	s.boldPara(2, fmt.Sprintf("The post-quantum share costs the server %s more per handshake and adds %d bytes to the hellos.", cliDuration(max(kem-x, 0)), 1216+1120-64))
	s.para(2, "Tiny beside the RSA signature (minitls bench: the full TLS 1.3 rows), and it protects today's recordings against tomorrow's quantum computer: \"harvest now, decrypt later\". The cost is bytes: the ClientHello no longer fits in one 1500-byte packet. Timings vary from run to run.")
	s.para(2, "Next: minitls demo -compare runs TLS 1.2 and TLS 1.3 side by side.")
	return nil
}
