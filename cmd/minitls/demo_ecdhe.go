package main

// The ECDHE story of `minitls demo -kx ecdhe` (issue 10): step 3 tells the
// ECDHE_RSA key exchange instead of RSA key transport: the signed
// ServerKeyExchange and its check, both public values, and the shared
// secret used as premaster; the lesson weighs a signature plus two X25519
// operations against one RSA decryption.

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"time"

	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/x509lite"
)

func init() {
	demoRegister("ecdhe", demoSetup, demoConnect, demoHeader, demoTCP, demoHellos,
		demoECDHEKeyExchange, demoKeys12, demoFinished12, demoLessonECDHE)
}

// demoSuitesFor turns the -kx flag and the suites chosen so far (the RSA
// key-transport ones by default) into what the demo client offers.
func demoSuitesFor(kx string, suites []uint16) ([]uint16, error) {
	switch kx {
	case "rsa", "":
		for _, id := range suites {
			if demoIsECDHE(handshake.CipherSuite(id)) {
				return nil, fmt.Errorf("-suite %v is an ECDHE suite: add -kx ecdhe", handshake.CipherSuite(id))
			}
		}
		return suites, nil
	case "ecdhe":
		out := make([]uint16, len(suites))
		for i, id := range suites {
			switch handshake.CipherSuite(id) {
			case handshake.TLS_RSA_WITH_AES_128_GCM_SHA256:
				id = uint16(handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
			case handshake.TLS_RSA_WITH_AES_256_GCM_SHA384:
				id = uint16(handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)
			}
			out[i] = id
		}
		return out, nil
	}
	return nil, fmt.Errorf("-kx %q: want rsa (RSA key transport) or ecdhe (ephemeral X25519 signed with RSA)", kx)
}

func demoIsECDHE(s handshake.CipherSuite) bool {
	switch s {
	case handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		handshake.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, handshake.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		handshake.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
		return true
	}
	return false
}

// demoSigHash maps an RSA signature scheme to its hash and says whether it
// is RSASSA-PSS (rsa_pss_rsae_*, which servers prefer when the client
// offers it) or RSASSA-PKCS1-v1_5 (rsa_pkcs1_*).
//
// spec: rfc8446#4.2.3, rfc5246#7.4.1.4.1
func demoSigHash(sc handshake.SignatureScheme) (h crypto.Hash, pss bool) {
	switch sc {
	case handshake.PKCS1WithSHA256:
		return crypto.SHA256, false
	case handshake.PKCS1WithSHA384:
		return crypto.SHA384, false
	case handshake.PKCS1WithSHA512:
		return crypto.SHA512, false
	case handshake.PSSWithSHA256:
		return crypto.SHA256, true
	case handshake.PSSWithSHA384:
		return crypto.SHA384, true
	case handshake.PSSWithSHA512:
		return crypto.SHA512, true
	}
	return 0, false
}

// demoVerifySig checks an RSA signature of either kind over digest; a PSS
// salt is as long as the hash in TLS (spec: rfc8446#4.2.3).
func demoVerifySig(pub *rsa.PublicKey, h crypto.Hash, pss bool, digest, sig []byte) error {
	if pss {
		return rsa.VerifyPSS(pub, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	}
	return rsa.VerifyPKCS1v15(pub, h, digest, sig)
}

// demoECDHEKeyExchange is step 3 of the ECDHE story: the signed
// ServerKeyExchange, its check, and the two public values (the key
// derivation follows in demoKeys12).
func demoECDHEKeyExchange(s *demoSession) error {
	s.heading("Step 3  Key exchange: ephemeral ECDH, signed with the server's RSA key")
	s.para(2, "(A demonstration: the secrets below never appear in real TLS.)")
	ske, _ := s.msgOf(true, false, handshake.TypeServerKeyExchange).(*handshake.ServerKeyExchange)
	cke, _ := s.msgOf(true, true, handshake.TypeClientKeyExchange).(*handshake.ECDHEClientKeyExchange)
	pre, srvPre := s.key(true, "premaster secret"), s.key(false, "premaster secret")
	if ske == nil || cke == nil || pre == nil {
		s.line(2, "(the trace is missing the key exchange)")
		return nil
	}
	s.para(2, fmt.Sprintf("The server makes a fresh %v key pair for this connection alone and signs its public half with the certificate's RSA key.", ske.NamedCurve))
	s.arrow(false, fmt.Sprintf("ServerKeyExchange: %d bytes", s.rawLen(false, handshake.TypeServerKeyExchange)))
	s.kv("curve", fmt.Sprintf("%v (named_curve %d)", ske.NamedCurve, uint16(ske.NamedCurve)))
	s.kvHex("server public", ske.PublicKey, s.st.yellow)
	s.kv("signature", fmt.Sprintf("%v, %d bytes", ske.SignatureAlgorithm, len(ske.Signature)))
	s.kvHex("", ske.Signature[:16], s.st.dim)
	s.line(demoLabelCol, s.st.dim(fmt.Sprintf("… %d more bytes", len(ske.Signature)-16)))
	s.line(2, "The client checks the signature before it sends anything keyed:")
	if !s.skeChecks(ske) {
		return nil
	}
	s.arrow(true, fmt.Sprintf("ClientKeyExchange: %d bytes, the client's own fresh public value", s.rawLen(true, handshake.TypeClientKeyExchange)))
	s.kvHex("client public", cke.PublicKey, s.st.yellow)
	s.para(2, "Each side multiplies its own private scalar by the other's public value and gets the same point: the shared secret, used directly as the premaster secret.")
	s.kvHex("premaster", pre, s.st.yellow)
	s.kv("", fmt.Sprintf("%d bytes, %s", len(pre), s.same(pre, srvPre)))
	s.para(2, "It never crossed the wire, and both private scalars are forgotten once the keys are derived: a later thief of the server's RSA key finds nothing to decrypt (see minitls demo -leak).")
	return nil
}

// skeChecks verifies the ServerKeyExchange signature again, by hand, and
// shows that one flipped bit breaks it. It reports whether it could check.
func (s *demoSession) skeChecks(ske *handshake.ServerKeyExchange) bool {
	ch, _ := s.msgOf(true, true, handshake.TypeClientHello).(*handshake.ClientHello)
	sh, _ := s.msgOf(true, false, handshake.TypeServerHello).(*handshake.ServerHello)
	h, pss := demoSigHash(ske.SignatureAlgorithm)
	params, perr := ske.Params()
	leaf := s.leaf()
	if ch == nil || sh == nil || leaf == nil || leaf.PublicKey == nil || h == 0 || perr != nil {
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
	sigOK := demoVerifySig(leaf.PublicKey, h, pss, digest(params), ske.Signature) == nil
	kind := "RSASSA-PKCS1-v1_5"
	if pss {
		kind = "RSASSA-PSS (salted, a hash-long salt)"
	}
	s.check(true, "signed data", fmt.Sprintf("%v(client random + server random + curve and public value), %d bytes in", h, 64+len(params)))
	s.check(sigOK, "signature", fmt.Sprintf("%s verifies with the certificate's RSA-%d key", kind, 8*len(leaf.PublicKey.N)))
	tampered := bytes.Clone(params)
	tampered[len(tampered)-1] ^= 1
	forged := demoVerifySig(leaf.PublicKey, h, pss, digest(tampered), ske.Signature) != nil
	s.check(forged, "tamper test", "one flipped bit in the public value and the signature fails: a man in the middle cannot slip in his own key")
	return true
}

// leaf is the server certificate the client received, parsed.
func (t *demoTrace) leaf() *x509lite.Certificate {
	if cm, ok := t.msgOf(true, false, handshake.TypeCertificate).(*handshake.CertificateMessage); ok && len(cm.Certificates) > 0 {
		if c, err := x509lite.ParseCertificate(cm.Certificates[0]); err == nil {
			return c
		}
	}
	return nil
}

// demoLessonECDHE weighs, on this machine, what the server pays for ECDHE:
// one RSA signature instead of one RSA decryption, plus two X25519 (or
// P-256) operations; and what it buys: forward secrecy.
func demoLessonECDHE(s *demoSession) error {
	s.heading("The lesson, measured on this machine")
	digest := sha256.Sum256([]byte("demo"))
	// The signature the server made: RSASSA-PSS or PKCS#1 v1.5, as it chose.
	pss := false
	if ske, ok := s.msgOf(true, false, handshake.TypeServerKeyExchange).(*handshake.ServerKeyExchange); ok {
		_, pss = demoSigHash(ske.SignatureAlgorithm)
	}
	sign := demoMedian(func() {
		if pss {
			_, _ = rsa.SignPSS(rand.Reader, s.pki.leafKey, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			_, _ = rsa.SignPKCS1v15(rand.Reader, s.pki.leafKey, crypto.SHA256, digest[:])
		}
	})
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &s.pki.leafKey.PublicKey, make([]byte, 48))
	if err != nil {
		s.line(2, "(could not measure RSA: "+err.Error()+")")
		return nil
	}
	buf := make([]byte, 48)
	decrypt := demoMedian(func() { _ = rsa.DecryptPKCS1v15SessionKey(rand.Reader, s.pki.leafKey, ct, buf) })
	x := demoX25519Time()
	s.kv(fmt.Sprintf("RSA-%d sign", s.bits), cliDuration(sign)+" (ECDHE: the ServerKeyExchange signature)")
	s.kv(fmt.Sprintf("RSA-%d decrypt", s.bits), cliDuration(decrypt)+" (RSA key transport: the premaster secret)")
	s.kv("X25519 twice", cliDuration(x)+" (ECDHE: the server's ephemeral key, then the shared secret)")
	extra := 100 * (float64(sign+x)/float64(decrypt) - 1)
	s.line(2, s.st.bold(fmt.Sprintf("ECDHE costs the server %+.0f%% CPU against RSA key transport.", extra)))
	s.para(2, "Both use one private-key RSA operation per handshake; ECDHE adds two fast X25519 operations and, in exchange, forward secrecy: recorded sessions stay secret even if the RSA key leaks later. That is why TLS 1.3 kept only (EC)DHE. Timings vary from run to run.")
	return nil
}

// demoX25519Time is the median time of a server's X25519 work in one
// handshake: a fresh key pair, then the shared secret.
func demoX25519Time() time.Duration {
	peer, _ := ecdh.X25519().GenerateKey(rand.Reader)
	return demoMedian(func() {
		k, _ := ecdh.X25519().GenerateKey(rand.Reader)
		_, _ = k.ECDH(peer.PublicKey())
	})
}
