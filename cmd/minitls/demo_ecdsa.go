package main

// The ECDSA story of `minitls demo -cert ecdsa` (issue 19): the ECDHE story
// with an ECDSA P-256 certificate instead of an RSA one. Step 3 shows the
// ServerKeyExchange signed with ECDSA (the DER pair r, s), checks it by
// hand, and the lesson sets what that signature costs the server and its
// check costs the client beside RSA-2048's.

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"

	"minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/x509lite"
)

func init() {
	demoRegister("ecdsa", demoSetup, demoConnect, demoHeader, demoTCP, demoHellos,
		demoECDSAKeyExchange, demoKeys12, demoFinished12, demoLessonECDSA)
}

// demoSuitesECDSA turns the suites chosen so far (the RSA key-transport
// ones by default, or -suite's) into the ECDHE_ECDSA suites the demo client
// offers with -cert ecdsa.
func demoSuitesECDSA(suites []uint16) ([]uint16, error) {
	out := make([]uint16, len(suites))
	for i, id := range suites {
		switch handshake.CipherSuite(id) {
		case handshake.TLS_RSA_WITH_AES_128_GCM_SHA256, handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:
			id = uint16(handshake.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
		case handshake.TLS_RSA_WITH_AES_256_GCM_SHA384, handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:
			id = uint16(handshake.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)
		case handshake.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:
			id = uint16(handshake.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)
		}
		out[i] = id
	}
	return out, nil
}

// demoKeyName names a certificate's key: "RSA-2048" or "ECDSA P-256".
func (s *demoSession) demoKeyName(ca bool) string {
	if k := s.pki.leafECKey; k != nil && !ca {
		return "ECDSA " + k.Curve().String()
	}
	if k := s.pki.caECKey; k != nil && ca {
		return "ECDSA " + k.Curve().String()
	}
	return fmt.Sprintf("RSA-%d", s.bits)
}

// demoECDSAKeyExchange is step 3 of the ECDSA story: the ServerKeyExchange
// signed with the certificate's ECDSA key, its check, and the two public
// values.
//
// spec: rfc8422#5.4 (the signature over the randoms and ServerECDHParams),
// rfc8422#5.8 (ECDSA signatures as DER SEQUENCE { r, s })
func demoECDSAKeyExchange(s *demoSession) error {
	s.heading("Step 3  Key exchange: ephemeral ECDH, signed with the server's ECDSA key")
	s.para(2, "(A demonstration: the secrets below never appear in real TLS.)")
	ske, _ := s.msgOf(true, false, handshake.TypeServerKeyExchange).(*handshake.ServerKeyExchange)
	cke, _ := s.msgOf(true, true, handshake.TypeClientKeyExchange).(*handshake.ECDHEClientKeyExchange)
	pre, srvPre := s.key(true, "premaster secret"), s.key(false, "premaster secret")
	if ske == nil || cke == nil || pre == nil {
		s.line(2, "(the trace is missing the key exchange)")
		return nil
	}
	s.para(2, fmt.Sprintf("The server makes a fresh %v key pair for this connection alone and signs its public half with the certificate's ECDSA key, not RSA.", ske.NamedCurve))
	s.arrow(false, fmt.Sprintf("ServerKeyExchange: %d bytes", s.rawLen(false, handshake.TypeServerKeyExchange)))
	s.kv("curve", fmt.Sprintf("%v (named_curve %d)", ske.NamedCurve, uint16(ske.NamedCurve)))
	s.kvHex("server public", ske.PublicKey, s.st.yellow)
	s.kv("signature", fmt.Sprintf("%v, %d bytes (an RSA-%d signature is %d)", ske.SignatureAlgorithm, len(ske.Signature), s.bits, s.bits/8))
	s.kvHex("", ske.Signature, s.st.dim)
	if r, sv, ok := demoECDSAParts(ske.Signature); ok {
		s.para(2, "The signature is DER: SEQUENCE { r INTEGER, s INTEGER }, two numbers below the curve's group order n; r comes from a fresh nonce k (RFC 6979, hedged with randomness) and s ties it to the hash and the private key.")
		s.kvHex("r", r, s.st.yellow)
		s.kvHex("s", sv, s.st.yellow)
	}
	s.line(2, "The client checks the signature before it sends anything keyed:")
	if !s.skeChecksECDSA(ske) {
		return nil
	}
	s.arrow(true, fmt.Sprintf("ClientKeyExchange: %d bytes, the client's own fresh public value", s.rawLen(true, handshake.TypeClientKeyExchange)))
	s.kvHex("client public", cke.PublicKey, s.st.yellow)
	s.para(2, "Each side multiplies its own private scalar by the other's public value and gets the same point: the shared secret, used directly as the premaster secret.")
	s.kvHex("premaster", pre, s.st.yellow)
	s.kv("", fmt.Sprintf("%d bytes, %s", len(pre), s.same(pre, srvPre)))
	return nil
}

// demoECDSAParts splits a DER ECDSA-Sig-Value into r and s (leading zero
// bytes kept off), or reports that it is not one.
//
// spec: rfc3279#2.2.3 (Ecdsa-Sig-Value)
func demoECDSAParts(sig []byte) (r, s []byte, ok bool) {
	if len(sig) < 8 || sig[0] != 0x30 || int(sig[1]) != len(sig)-2 {
		return nil, nil, false
	}
	rest := sig[2:]
	read := func() []byte {
		if len(rest) < 2 || rest[0] != 0x02 || int(rest[1]) > len(rest)-2 {
			return nil
		}
		v := rest[2 : 2+int(rest[1])]
		rest = rest[2+int(rest[1]):]
		return bytes.TrimLeft(v, "\x00")
	}
	r, s = read(), read()
	return r, s, r != nil && s != nil && len(rest) == 0
}

// skeChecksECDSA verifies the ServerKeyExchange's ECDSA signature again, by
// hand with cipher/ecdsa, and shows that one flipped bit breaks it.
func (s *demoSession) skeChecksECDSA(ske *handshake.ServerKeyExchange) bool {
	ch, _ := s.msgOf(true, true, handshake.TypeClientHello).(*handshake.ClientHello)
	sh, _ := s.msgOf(true, false, handshake.TypeServerHello).(*handshake.ServerHello)
	params, perr := ske.Params()
	leaf := s.leaf()
	h := crypto.SHA256
	if ske.SignatureAlgorithm == handshake.ECDSAWithP384AndSHA384 {
		h = crypto.SHA384
	}
	if ch == nil || sh == nil || leaf == nil || leaf.ECDSAPublicKey == nil || perr != nil {
		s.check(false, "signature", "cannot check it here")
		return false
	}
	digest := func(p []byte) []byte {
		d := h.New()
		d.Write(ch.Random[:])
		d.Write(sh.Random[:])
		d.Write(p)
		return d.Sum(nil)
	}
	s.check(true, "signed data", fmt.Sprintf("%v(client random + server random + curve and public value), %d bytes in", h, 64+len(params)))
	s.check(ecdsa.VerifyASN1(leaf.ECDSAPublicKey, digest(params), ske.Signature), "signature",
		fmt.Sprintf("ECDSA verifies with the certificate's %v public key", leaf.ECDSAPublicKey.Curve()))
	tampered := bytes.Clone(params)
	tampered[len(tampered)-1] ^= 1
	s.check(!ecdsa.VerifyASN1(leaf.ECDSAPublicKey, digest(tampered), ske.Signature), "tamper test",
		"one flipped bit in the public value and the signature fails: a man in the middle cannot slip in his own key")
	return true
}

// demoLessonECDSA measures, on this machine, what the certificate's kind
// costs each side per handshake: the server's signature (ECDSA P-256
// against RSA-2048 with PSS, as ECDHE_RSA signs) and the client's check of
// it, with the signatures' sizes.
func demoLessonECDSA(s *demoSession) error {
	s.heading("The lesson, measured on this machine")
	digest := sha256.Sum256([]byte("demo"))
	ek := s.pki.leafECKey
	ecSig, err := ecdsa.SignASN1(rand.Reader, ek, digest[:])
	if err != nil {
		return err
	}
	s.line(2, s.st.dim("(generating an RSA-2048 key to compare with…)"))
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pss := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
	rsaSig, err := rsa.SignPSS(rand.Reader, rk, crypto.SHA256, digest[:], pss)
	if err != nil {
		return err
	}
	ecSign := demoMedian(func() { _, _ = ecdsa.SignASN1(rand.Reader, ek, digest[:]) })
	rsaSign := demoMedian(func() { _, _ = rsa.SignPSS(rand.Reader, rk, crypto.SHA256, digest[:], pss) })
	ecVerify := demoMedian(func() { _ = ecdsa.VerifyASN1(&ek.PublicKey, digest[:], ecSig) })
	rsaVerify := demoMedian(func() { _ = rsa.VerifyPSS(&rk.PublicKey, crypto.SHA256, digest[:], rsaSig, pss) })
	s.kv("ECDSA sign", fmt.Sprintf("%s, P-256, a %d-byte signature (the server, every handshake)", cliDuration(ecSign), len(ecSig)))
	s.kv("RSA-2048 sign", fmt.Sprintf("%s, PSS, a %d-byte signature (the same job with an RSA certificate)", cliDuration(rsaSign), len(rsaSig)))
	s.kv("ECDSA verify", cliDuration(ecVerify)+", P-256 (the client)")
	s.kv("RSA-2048 verify", cliDuration(rsaVerify)+" (the client; public exponent 65537)")
	s.line(2, s.st.bold(fmt.Sprintf("The server signs %.1fx faster with ECDSA; the client verifies %.1fx slower.",
		float64(rsaSign)/float64(ecSign), float64(ecVerify)/float64(rsaVerify))))
	s.para(2, "An RSA signature needs the private exponent, a full-size modular exponentiation; an ECDSA signature is one fixed-base scalar multiplication. Verification turns it round: RSA's public exponent is small, while ECDSA's check takes two scalar multiplications. Servers sign for every visitor, so they gain; each client checks a few signatures per connection. The keys are smaller too: 32 bytes of private scalar against 256 bytes of modulus at about the same strength (128 bits for P-256, 112 for RSA-2048). Timings vary from run to run.")
	return nil
}

// demoSigAlgName is a certificate signature algorithm's name as its RFC
// spells it (sha256WithRSAEncryption, ecdsa-with-SHA256), for the demo's
// certificate check.
//
// spec: rfc4055#5, rfc5758#3.2
func demoSigAlgName(a x509lite.SignatureAlgorithm) string {
	switch a {
	case x509lite.SHA256WithRSA:
		return "sha256WithRSAEncryption"
	case x509lite.ECDSAWithSHA256:
		return "ecdsa-with-SHA256"
	case x509lite.ECDSAWithSHA384:
		return "ecdsa-with-SHA384"
	}
	return a.String()
}
