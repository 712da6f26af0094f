package main

// The two key-exchange parts of `minitls demo` (issue 10):
//
//	-kx ecdhe   Step 3 tells the ECDHE_RSA key exchange instead of RSA key
//	            transport: the signed ServerKeyExchange and its check, both
//	            public values, and the shared secret used as premaster; the
//	            lesson weighs a signature plus two X25519 operations.
//	-leak       records one RSA-key-transport session and one ECDHE session,
//	            then plays an attacker who later obtains the server's private
//	            key: the first session decrypts, the second does not.

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/record"
	"minitls/x509lite"
)

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
	return s == handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 || s == handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
}

// isECDHE reports whether the demo connection used an ECDHE suite.
func (s *demoSession) isECDHE() bool { return demoIsECDHE(handshake.CipherSuite(s.state.CipherSuite)) }

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

// step3ECDHE tells the ECDHE key exchange, then the key derivation shared
// with the RSA story.
func (s *demoSession) step3ECDHE() {
	s.heading("Step 3  Key exchange: ephemeral ECDH, signed with the server's RSA key")
	s.para(2, "(A demonstration: the secrets below never appear in real TLS.)")
	ske, _ := s.msgOf(true, false, handshake.TypeServerKeyExchange).(*handshake.ServerKeyExchange)
	cke, _ := s.msgOf(true, true, handshake.TypeClientKeyExchange).(*handshake.ECDHEClientKeyExchange)
	ch, _ := s.msgOf(true, true, handshake.TypeClientHello).(*handshake.ClientHello)
	sh, _ := s.msgOf(true, false, handshake.TypeServerHello).(*handshake.ServerHello)
	cm, _ := s.msgOf(true, false, handshake.TypeCertificate).(*handshake.CertificateMessage)
	pre, srvPre := s.key(true, "premaster secret"), s.key(false, "premaster secret")
	if ske == nil || cke == nil || ch == nil || sh == nil || cm == nil || len(cm.Certificates) == 0 || pre == nil {
		s.line(2, "(the trace is missing the key exchange)")
		return
	}
	s.para(2, fmt.Sprintf("The server makes a fresh %v key pair for this connection alone and signs its public half with the certificate's RSA key.", ske.NamedCurve))
	s.line(2, s.st.cyan("←")+fmt.Sprintf(" ServerKeyExchange: %d bytes", s.rawLen(false, handshake.TypeServerKeyExchange)))
	s.kv("curve", fmt.Sprintf("%v (named_curve %d)", ske.NamedCurve, uint16(ske.NamedCurve)))
	s.kvHex("server public", ske.PublicKey, s.st.yellow)
	s.kv("signature", fmt.Sprintf("%v, %d bytes", ske.SignatureAlgorithm, len(ske.Signature)))
	s.kvHex("", ske.Signature[:16], s.st.dim)
	s.line(demoLabelCol, s.st.dim(fmt.Sprintf("… %d more bytes", len(ske.Signature)-16)))

	s.line(2, "The client checks the signature before it sends anything keyed:")
	leaf, err := x509lite.ParseCertificate(cm.Certificates[0])
	h, pss := demoSigHash(ske.SignatureAlgorithm)
	params, perr := ske.Params()
	if err != nil || h == 0 || perr != nil {
		s.check(false, "signature", "cannot check it here")
		return
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

	s.line(2, s.st.cyan("→")+fmt.Sprintf(" ClientKeyExchange: %d bytes, the client's own fresh public value", s.rawLen(true, handshake.TypeClientKeyExchange)))
	s.kvHex("client public", cke.PublicKey, s.st.yellow)
	s.para(2, "Each side multiplies its own private scalar by the other's public value and gets the same point: the shared secret, used directly as the premaster secret.")
	s.kvHex("premaster", pre, s.st.yellow)
	s.kv("", fmt.Sprintf("%d bytes, %s", len(pre), s.same(pre, srvPre)))
	s.para(2, "It never crossed the wire, and both private scalars are forgotten once the keys are derived: a later thief of the server's RSA key finds nothing to decrypt (see minitls demo -leak).")
	s.step3Keys()
}

// lessonECDHE weighs, on this machine, what the server pays for ECDHE: one
// RSA signature instead of one RSA decryption, plus two X25519 (or P-256)
// operations; and what it buys: forward secrecy.
func (s *demoSession) lessonECDHE() {
	s.heading("The lesson, measured on this machine")
	median := func(f func()) time.Duration {
		var times []time.Duration
		for i := 0; i < 7; i++ {
			start := time.Now()
			f()
			times = append(times, time.Since(start))
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		return times[len(times)/2]
	}
	digest := sha256.Sum256([]byte("demo"))
	// The signature the server made: RSASSA-PSS or PKCS#1 v1.5, as it chose.
	pss := false
	if ske, ok := s.msgOf(true, false, handshake.TypeServerKeyExchange).(*handshake.ServerKeyExchange); ok {
		_, pss = demoSigHash(ske.SignatureAlgorithm)
	}
	sign := median(func() {
		if pss {
			_, _ = rsa.SignPSS(rand.Reader, s.pki.leafKey, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			_, _ = rsa.SignPKCS1v15(rand.Reader, s.pki.leafKey, crypto.SHA256, digest[:])
		}
	})
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &s.pki.leafKey.PublicKey, make([]byte, 48))
	if err != nil {
		s.line(2, "(could not measure RSA: "+err.Error()+")")
		return
	}
	buf := make([]byte, 48)
	decrypt := median(func() { _ = rsa.DecryptPKCS1v15SessionKey(rand.Reader, s.pki.leafKey, ct, buf) })
	peer, _ := ecdh.X25519().GenerateKey(rand.Reader)
	x := median(func() {
		k, _ := ecdh.X25519().GenerateKey(rand.Reader)
		_, _ = k.ECDH(peer.PublicKey())
	})
	s.kv(fmt.Sprintf("RSA-%d sign", s.bits), cliDuration(sign)+" (ECDHE: the ServerKeyExchange signature)")
	s.kv(fmt.Sprintf("RSA-%d decrypt", s.bits), cliDuration(decrypt)+" (RSA key transport: the premaster secret)")
	s.kv("X25519 twice", cliDuration(x)+" (ECDHE: the server's ephemeral key, then the shared secret)")
	extra := 100 * (float64(sign+x)/float64(decrypt) - 1)
	s.line(2, s.st.bold(fmt.Sprintf("ECDHE costs the server %+.0f%% CPU against RSA key transport.", extra)))
	s.para(2, "Both use one private-key RSA operation per handshake; ECDHE adds two fast X25519 operations and, in exchange, forward secrecy: recorded sessions stay secret even if the RSA key leaks later. That is why TLS 1.3 kept only (EC)DHE. Timings vary from run to run.")
}

// --- -leak ---------------------------------------------------------------

// demoRecorder keeps every byte a connection writes and reads: what a
// passive eavesdropper on the path records.
type demoRecorder struct {
	net.Conn
	mu      sync.Mutex
	out, in bytes.Buffer
}

func (r *demoRecorder) Write(b []byte) (int, error) {
	n, err := r.Conn.Write(b)
	r.mu.Lock()
	r.out.Write(b[:n])
	r.mu.Unlock()
	return n, err
}

func (r *demoRecorder) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	r.mu.Lock()
	r.in.Write(b[:n])
	r.mu.Unlock()
	return n, err
}

// demoLeakRequest is the secret the recorded sessions carry.
const demoLeakRequest = "GET /account HTTP/1.1\r\nHost: localhost\r\nCookie: session=7f3a9c01d2\r\nConnection: close\r\n\r\n"

// demoLeakRecord runs one session offering suites and returns the bytes
// each way, as recorded on the wire.
func demoLeakRecord(pki *certgenPKI, roots *x509lite.CertPool, suites []uint16, srvRand, cliRand io.Reader, clock func() time.Time) (c2s, s2c []byte, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	srvCfg := &handshake.Config{
		Certificates: []handshake.Certificate{{Certificate: [][]byte{pki.leafDER, pki.caDER}, PrivateKey: pki.leafKey}},
		Rand:         srvRand, Time: clock,
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		fmt.Fprintf(w, "balance for %s: 1,234.56\n", r.Header.Get("Cookie"))
	}), ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(handshake.NewListener(ln, srvCfg))
	defer srv.Close()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	raw.SetDeadline(time.Now().Add(30 * time.Second))
	rec := &demoRecorder{Conn: raw}
	conn := handshake.Client(rec, &handshake.Config{RootCAs: roots, ServerName: "localhost", CipherSuites: suites, Rand: cliRand, Time: clock})
	if _, err := io.WriteString(conn, demoLeakRequest); err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("the recorded session failed: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	conn.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("the recorded session failed: %w", err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return bytes.Clone(rec.out.Bytes()), bytes.Clone(rec.in.Bytes()), nil
}

// demoRec is one record cut out of a recorded stream.
type demoRec struct {
	typ      record.ContentType
	header   []byte
	fragment []byte
}

// demoRecords splits a recorded stream into records.
func demoRecords(b []byte) []demoRec {
	var out []demoRec
	for len(b) >= record.HeaderLen {
		n := int(binary.BigEndian.Uint16(b[3:5]))
		if len(b) < record.HeaderLen+n {
			break
		}
		out = append(out, demoRec{typ: record.ContentType(b[0]), header: b[:record.HeaderLen], fragment: b[record.HeaderLen : record.HeaderLen+n]})
		b = b[record.HeaderLen+n:]
	}
	return out
}

// demoHandshakeMessages returns the plaintext handshake messages of a
// stream (those before its ChangeCipherSpec) and the records after it.
func demoHandshakeMessages(recs []demoRec) (msgs [][]byte, protected []demoRec) {
	var hs []byte
	for i, r := range recs {
		if r.typ == record.ChangeCipherSpec {
			protected = recs[i+1:]
			break
		}
		if r.typ == record.Handshake {
			hs = append(hs, r.fragment...)
		}
	}
	for len(hs) >= 4 {
		n := int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3])
		if len(hs) < 4+n {
			break
		}
		msgs = append(msgs, hs[:4+n])
		hs = hs[4+n:]
	}
	return msgs, protected
}

// demoAttack is what the attacker achieved on one recorded session.
type demoAttack struct {
	suite     handshake.CipherSuite
	curve     handshake.CurveID
	ckeLen    int
	premaster []byte
	master    []byte
	request   []byte
	err       error // why it stopped
}

// demoAttackRecording plays the attacker: with only the recorded bytes and
// the server's private key, recompute the session keys and open the
// client's first application-data record.
func demoAttackRecording(c2s, s2c []byte, key *rsa.PrivateKey) demoAttack {
	var a demoAttack
	cmsgs, cprot := demoHandshakeMessages(demoRecords(c2s))
	smsgs, _ := demoHandshakeMessages(demoRecords(s2c))
	if len(cmsgs) < 2 || len(smsgs) < 3 {
		a.err = errors.New("the recording lacks the handshake")
		return a
	}
	var ch handshake.ClientHello
	var sh handshake.ServerHello
	if ch.Unmarshal(cmsgs[0]) != nil || sh.Unmarshal(smsgs[0]) != nil {
		a.err = errors.New("the recorded hellos do not parse")
		return a
	}
	a.suite = sh.CipherSuite
	cke := cmsgs[len(cmsgs)-1]
	a.ckeLen = len(cke)
	for _, m := range smsgs {
		var ske handshake.ServerKeyExchange
		if handshake.HandshakeType(m[0]) == handshake.TypeServerKeyExchange && ske.Unmarshal(m) == nil {
			a.curve = ske.NamedCurve
		}
	}
	// The RSA key-transport ClientKeyExchange is a 2-byte length and the
	// ciphertext; the ECDHE one a 1-byte length and a public value.
	body := cke[4:]
	if len(body) > 2 && int(binary.BigEndian.Uint16(body)) == len(body)-2 {
		body = body[2:]
	}
	pre, err := rsa.DecryptPKCS1v15(rand.Reader, key, body)
	if err != nil {
		a.err = fmt.Errorf("decrypting the ClientKeyExchange with the leaked key: %w", err)
		return a
	}
	a.premaster = pre
	prf, keyLen := sha256.New, 16
	if a.suite == handshake.TLS_RSA_WITH_AES_256_GCM_SHA384 || a.suite == handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 {
		prf, keyLen = sha512.New384, 32
	}
	ems := false
	for _, e := range sh.Extensions {
		ems = ems || e.Type == handshake.ExtExtendedMasterSecret
	}
	if ems {
		// The session hash covers every handshake message up to the
		// ClientKeyExchange, in order: all of them are in the recording.
		h := prf()
		h.Write(cmsgs[0])
		for _, m := range smsgs {
			h.Write(m)
		}
		for _, m := range cmsgs[1:] {
			h.Write(m)
		}
		a.master = handshake.ExtendedMasterSecret(prf, pre, h.Sum(nil))
	} else {
		a.master = handshake.MasterSecret(prf, pre, ch.Random[:], sh.Random[:])
	}
	kb := handshake.KeyExpansion(prf, a.master, ch.Random[:], sh.Random[:], keyLen, 4)
	// The client's protected records: Finished (sequence 0), then the
	// request (sequence 1).
	for seq, r := range cprot {
		if r.typ != record.ApplicationData {
			continue
		}
		a.request, a.err = demoOpen(kb.ClientKey, kb.ClientIV, uint64(seq), r)
		return a
	}
	a.err = errors.New("no application data in the recording")
	return a
}

// demoOpen opens one AES-GCM record by hand, as rfc5288#3 and rfc5246#6.2.3.3
// describe: nonce = salt || nonce_explicit, additional data = seq_num ||
// type || version || plaintext length.
func demoOpen(key, salt []byte, seq uint64, r demoRec) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := gcm.New(block)
	if err != nil {
		return nil, err
	}
	if len(r.fragment) < record.ExplicitNonceLen+aead.Overhead() {
		return nil, errors.New("record too short")
	}
	nonce := append(bytes.Clone(salt), r.fragment[:record.ExplicitNonceLen]...)
	n := len(r.fragment) - record.ExplicitNonceLen - aead.Overhead()
	ad := binary.BigEndian.AppendUint64(nil, seq)
	ad = append(ad, r.header[:3]...)
	ad = binary.BigEndian.AppendUint16(ad, uint16(n))
	return aead.Open(nil, nonce, r.fragment[record.ExplicitNonceLen:], ad)
}

// demoLeak is `minitls demo -leak`.
func demoLeak(s *demoSession, keyRand, srvRand, cliRand io.Reader) error {
	var err error
	s.pki, err = certgenIssue(keyRand, s.bits, []string{"localhost", "127.0.0.1"}, "minitls demo CA",
		s.now, 24*time.Hour, 24*time.Hour, io.Discard)
	if err != nil {
		return err
	}
	s.roots = x509lite.NewCertPool()
	s.roots.AddCert(s.pki.ca)
	clock := func() time.Time { return s.now }
	sessions := []struct {
		title  string
		suites []uint16
	}{
		{"RSA key transport", []uint16{uint16(handshake.TLS_RSA_WITH_AES_128_GCM_SHA256)}},
		{"ECDHE (X25519, signed with RSA)", []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}},
	}
	fmt.Fprintln(s.w, s.st.bold("minitls demo -leak: what a stolen server key reveals about recorded traffic"))
	s.para(0, "Two HTTPS sessions to the same server, with the same certificate and key, carry the same secret request. An eavesdropper records every byte. Months later the server's private key leaks (a stolen backup, a compromised host, a court order). What can the eavesdropper read?")
	s.heading("Recording")
	type rec struct{ c2s, s2c []byte }
	recs := make([]rec, len(sessions))
	for i, sess := range sessions {
		c2s, s2c, err := demoLeakRecord(s.pki, s.roots, sess.suites, srvRand, cliRand, clock)
		if err != nil {
			return err
		}
		recs[i] = rec{c2s, s2c}
		s.kv(fmt.Sprintf("session %d", i+1), fmt.Sprintf("%s: %d bytes from the client, %d from the server", sess.title, len(c2s), len(s2c)))
	}
	s.kv("the secret", fmt.Sprintf("%q", demoCut([]byte(demoLeakRequest), 40)))
	s.heading(fmt.Sprintf("The leak: the attacker now holds the server's RSA-%d private key", s.bits))
	results := make([]demoAttack, len(sessions))
	for i := range sessions {
		a := demoAttackRecording(recs[i].c2s, recs[i].s2c, s.pki.leafKey)
		results[i] = a
		s.heading(fmt.Sprintf("Session %d  %v", i+1, a.suite))
		if demoIsECDHE(a.suite) {
			s.check(false, "ClientKeyExchange", fmt.Sprintf("%d bytes: the client's %v public value, not a ciphertext; the leaked key decrypts nothing here (%v)", a.ckeLen, a.curve, a.err))
			s.check(false, "premaster", fmt.Sprintf("= %v(server's ephemeral private scalar, client's public value). That scalar lived only in the server's memory during the handshake and was then forgotten; the recording holds just the two public values, and getting the secret from them is the elliptic-curve Diffie–Hellman problem, which no known method solves for this curve.", a.curve))
			s.check(false, "the request", "stays sealed in its AES-GCM record: without the premaster secret there is no master secret and no key")
			s.para(2, "The RSA key only signed the ServerKeyExchange. Leaking it lets the thief impersonate the server in FUTURE handshakes, not read past ones. This is forward secrecy.")
			continue
		}
		if a.premaster == nil {
			s.check(false, "ClientKeyExchange", fmt.Sprintf("could not decrypt: %v", a.err))
			continue
		}
		s.check(true, "ClientKeyExchange", fmt.Sprintf("%d bytes of RSA ciphertext, decrypted with the leaked key", a.ckeLen))
		s.kvHex("premaster", a.premaster, s.st.yellow)
		s.check(true, "master secret", "PRF(premaster, session hash of the recorded handshake messages)")
		s.kvHex("", a.master, s.st.yellow)
		s.check(a.err == nil && a.request != nil, "the request", "the client's first application-data record opens with the derived client_write_key:")
		if a.err != nil {
			s.line(demoLabelCol, fmt.Sprint(a.err))
			continue
		}
		for _, l := range strings.SplitAfter(string(a.request), "\r\n") {
			if l != "" {
				s.line(demoLabelCol, s.st.yellow(fmt.Sprintf("%q", l)))
			}
		}
		s.para(2, "With RSA key transport the premaster secret crossed the wire encrypted to the server's long-term key, so that one key unlocks every session ever recorded.")
	}
	s.heading("The lesson")
	s.para(2, "Same server, same key, same request: the RSA session is an open book after the leak, the ECDHE session stays secret. Forward secrecy is why RSA key transport was retired (TLS 1.3 has only ephemeral key exchanges) and why minitls's server prefers ECDHE.")
	if ok := results[0].request != nil && bytes.Equal(results[0].request, []byte(demoLeakRequest)) && results[1].request == nil; !ok {
		return errors.New("the leak demonstration did not come out as expected")
	}
	return nil
}
