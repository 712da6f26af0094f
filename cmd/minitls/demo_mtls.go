package main

// minitls demo -mtls: mutual TLS over TLS 1.3, or TLS 1.2 with -tls12
// (issue 21). The server asks the client who it is (CertificateRequest,
// inside its encrypted flight in TLS 1.3, in clear in TLS 1.2); the client
// answers with its own certificate and a signature over the transcript
// (Certificate, CertificateVerify), and the server checks both before it
// reads a byte of the request. What the client proves, and what it costs:
// one private-key operation on the client.
//
//	Setup   the client certificate, from the same throwaway CA (demoSetupMTLS)
//	Step 1  the TCP connection                               (demoTCP)
//	Step 2  the server asks: CertificateRequest              (demoCertRequest)
//	Step 3  the client proves: Certificate, CertificateVerify (demoClientProof)
//	Step 4  the server's verification and verdict            (demoClientVerdict)
//	Lesson  what mutual TLS costs the client                 (demoLessonMTLS)
//
// spec: rfc8446#4.3.2, rfc8446#4.4.2, rfc8446#4.4.3, rfc5246#7.4.4,
// rfc5246#7.4.6, rfc5246#7.4.8

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"

	"minitls/cipher/ecdsa"
	"minitls/handshake"
	"minitls/x509lite"
)

func init() {
	demoRegister("mtls", demoSetup, demoConnectMTLS, demoHeader, demoSetupMTLS, demoTCP,
		demoCertRequest, demoClientProof, demoClientVerdict, demoLessonMTLS)
}

// demoClientName is the common name of the demo's client certificate.
const demoClientName = "minitls demo client"

// demoMTLS is the mutual-TLS story's state: the client's certificate.
type demoMTLS struct {
	client *certgenClient
}

// demoConnectMTLS issues the client certificate (an ECDSA P-256 key, as
// certgen issues one) from the demo CA, then connects over TLS 1.3 (TLS
// 1.2 with -tls12: the demo client's TLS 1.2 suites) with a server that
// requires and verifies a client certificate from that CA.
func demoConnectMTLS(s *demoSession) error {
	cc, err := certgenIssueClient(s.keyRand, s.pki, demoClientName, s.now, 24*time.Hour)
	if err != nil {
		return err
	}
	groups, err := demoGroups13(s.opts.group)
	if err != nil {
		return err
	}
	s.story = &demoMTLS{client: cc}
	tune := demoTune13(groups)
	if s.opts.tls12 {
		tune = nil
	}
	return s.connect(func(cli, srv *handshake.Config) {
		if tune != nil {
			tune(cli, srv)
		}
		cli.Certificates = []handshake.Certificate{{Certificate: [][]byte{cc.der}, ECDSAKey: cc.key, Leaf: cc.leaf}}
		srv.ClientAuth = handshake.RequireAndVerifyClientCert
		srv.ClientCAs = s.roots
	})
}

// tls13 reports whether the connection told is TLS 1.3.
func (s *demoSession) tls13() bool { return s.state.Version == uint16(handshake.VersionTLS13) }

// mtls returns the story's state.
func (s *demoSession) mtls() *demoMTLS {
	m, _ := s.story.(*demoMTLS)
	return m
}

// demoSetupMTLS tells what the client holds and what the server trusts.
func demoSetupMTLS(s *demoSession) error {
	m := s.mtls()
	s.kv("client", fmt.Sprintf("%s, ECDSA P-256, signed by the same CA, extKeyUsage clientAuth", m.client.leaf.Subject))
	story := "minitls demo -tls13"
	if !s.tls13() {
		story = "minitls demo"
	}
	s.para(2, fmt.Sprintf("Mutual TLS over %v: the server requires a client certificate (ClientAuth RequireAndVerifyClientCert) issued by the CA it trusts for clients (ClientCAs). The client holds the client key. The hellos and the keys are those of %s; this story tells only what mutual TLS adds.", handshake.ProtocolVersion(s.state.Version), story))
	return nil
}

// demoCertRequest is step 2: the server's CertificateRequest, field by
// field.
func demoCertRequest(s *demoSession) error {
	s.heading("Step 2  The server asks: CertificateRequest")
	var err error
	switch cr := s.msgOf(true, false, handshake.TypeCertificateRequest).(type) {
	case *handshake.CertificateRequest13:
		err = s.certRequest13(cr)
	case *handshake.CertificateRequest:
		s.certRequest12(cr)
	default:
		s.line(2, "(the trace is missing the CertificateRequest)")
		return nil
	}
	s.replayMessages("the CertificateRequest", false, handshake.TypeCertificateRequest)
	return err
}

// certRequest13 shows a TLS 1.3 CertificateRequest: a context and
// extensions.
//
// spec: rfc8446#4.3.2
func (s *demoSession) certRequest13(cr *handshake.CertificateRequest13) error {
	s.arrow(false, fmt.Sprintf("CertificateRequest: %d bytes, encrypted, right after EncryptedExtensions", s.rawLen(false, handshake.TypeCertificateRequest)))
	s.kv("context", fmt.Sprintf("%d bytes: empty during the handshake (the client echoes it; only a request after the handshake needs one)", len(cr.Context)))
	for _, e := range cr.Extensions {
		switch e.Type {
		case handshake.ExtSignatureAlgorithms, handshake.ExtSignatureAlgsCert:
			var algs handshake.SignatureAlgorithms
			if err := algs.Unmarshal(e.Data); err != nil {
				return err
			}
			label, what := "schemes", "how the client may sign CertificateVerify: RSASSA-PSS or ECDSA, never PKCS#1 v1.5"
			if e.Type == handshake.ExtSignatureAlgsCert {
				label, what = "schemes in chain", "which signatures the server can check in the client's chain"
			}
			s.kv(label, e.Type.String()+": "+demoJoin(algs.Schemes)+"; "+what)
		case handshake.ExtCertificateAuthorities:
			var cas handshake.CertificateAuthorities
			if err := cas.Unmarshal(e.Data); err != nil {
				return err
			}
			s.caNames("certificate_authorities: ", cas.Authorities)
		default:
			s.kv(e.Type.String(), fmt.Sprintf("%d bytes", len(e.Data)))
		}
	}
	s.para(4, "The request travels inside the server's encrypted flight: an observer cannot even tell that the server asked. In TLS 1.2 it crossed in clear, and so did the client's certificate.")
	return nil
}

// certRequest12 shows a TLS 1.2 CertificateRequest: certificate types,
// signature algorithms and CA names.
//
// spec: rfc5246#7.4.4
func (s *demoSession) certRequest12(cr *handshake.CertificateRequest) {
	s.arrow(false, fmt.Sprintf("CertificateRequest: %d bytes, in clear, before ServerHelloDone", s.rawLen(false, handshake.TypeCertificateRequest)))
	var types []string
	for _, t := range cr.CertificateTypes {
		switch t {
		case 1:
			types = append(types, "rsa_sign (1)")
		case 64:
			types = append(types, "ecdsa_sign (64)")
		default:
			types = append(types, fmt.Sprint(t))
		}
	}
	s.kv("certificate_types", strings.Join(types, ", ")+": the kinds of key the client's certificate may hold")
	s.kv("schemes", "supported_signature_algorithms: "+demoJoin(cr.SignatureAlgorithms)+"; how the client may sign CertificateVerify (the hash the PRF uses)")
	s.caNames("certificate_authorities: ", cr.CertificateAuthorities)
	s.para(4, "In clear: an observer sees that the server asked, and then the client's certificate, its name and all. TLS 1.3 encrypts both.")
}

// caNames prints the CA names of a request, naming the demo CA.
func (s *demoSession) caNames(prefix string, dns [][]byte) {
	for _, dn := range dns {
		name := fmt.Sprintf("a %d-byte name", len(dn))
		if bytes.Equal(dn, s.pki.ca.RawSubject) {
			name = s.pki.ca.Subject.String() + " (the demo CA)"
		}
		s.kv("CA names", prefix+name+"; the CAs whose client certificates the server accepts")
	}
}

// demoClientProof is step 3: the client's Certificate and
// CertificateVerify, and what its signature covers.
//
// spec: rfc8446#4.4.2, rfc8446#4.4.3, rfc5246#7.4.6, rfc5246#7.4.8
func demoClientProof(s *demoSession) error {
	s.heading("Step 3  The client proves who it is: Certificate and CertificateVerify")
	chain, context := s.clientChain()
	cv, _ := s.msgOf(true, true, handshake.TypeCertificateVerify).(*handshake.CertificateVerify)
	if len(chain) == 0 || cv == nil {
		s.line(2, "(the trace is missing the client's Certificate or CertificateVerify)")
		return nil
	}
	if s.tls13() {
		s.para(2, "After the server's Finished, the client sends, under its handshake traffic keys:")
	} else {
		s.para(2, "After ServerHelloDone, the client sends, in clear, its Certificate before its ClientKeyExchange, and its CertificateVerify after it:")
	}
	s.arrow(true, fmt.Sprintf("Certificate: %d bytes, a chain of %d (the client's certificate)", s.rawLen(true, handshake.TypeCertificate), len(chain)))
	if context != nil {
		s.kv("context", fmt.Sprintf("%d bytes: the request's context, echoed", len(context)))
	}
	if leaf, err := x509lite.ParseCertificate(chain[0]); err == nil {
		s.kv("subject", leaf.Subject.String())
		s.kv("issuer", leaf.Issuer.String())
		s.kv("public key", leaf.PublicKeyAlgorithm())
		s.kv("usage", demoUsage(leaf))
	}
	s.arrow(true, fmt.Sprintf("CertificateVerify: %d bytes", s.rawLen(true, handshake.TypeCertificateVerify)))
	s.kv("scheme", cv.Scheme.String()+" (the first scheme of the request that the client's P-256 key can make)")
	s.kv("signature", fmt.Sprintf("%d bytes, DER (r, s)", len(cv.Signature)))
	s.signedContent(cv.Scheme)
	s.replayMessages("the client's Certificate and CertificateVerify", true, handshake.TypeCertificate, handshake.TypeCertificateVerify)
	return nil
}

// clientChain returns the chain of the client's Certificate, and in TLS
// 1.3 its context (nil in TLS 1.2).
func (s *demoSession) clientChain() (chain [][]byte, context []byte) {
	switch cm := s.msgOf(true, true, handshake.TypeCertificate).(type) {
	case *handshake.Certificate13:
		for _, e := range cm.Entries {
			chain = append(chain, e.Data)
		}
		return chain, append([]byte{}, cm.Context...)
	case *handshake.CertificateMessage:
		return cm.Certificates, nil
	}
	return nil, nil
}

// signedContent says what the client's CertificateVerify signs, with the
// transcript hash.
func (s *demoSession) signedContent(sc handshake.SignatureScheme) {
	th := s.clientTranscript(sc)
	if th == nil {
		s.line(2, "(the trace is missing the client's transcript)")
		return
	}
	if s.tls13() {
		s.para(2, fmt.Sprintf("What is signed: 64 spaces, the context string \"TLS 1.3, client CertificateVerify\", a zero byte, and the %d-byte transcript hash of ClientHello...the client's Certificate:", len(th)))
		s.kvHex("transcript hash", th, s.st.yellow)
		s.para(4, "The context string differs from the server's (\"TLS 1.3, server CertificateVerify\"), so a server's signature can never be replayed as a client's. The transcript holds both key shares and the server's Finished: the signature binds the client's identity to this one connection, and proves it holds the private key, which never leaves it.")
		return
	}
	s.para(2, fmt.Sprintf("What is signed: the %d-byte hash of every handshake message so far, ClientHello...ClientKeyExchange, with no context string:", len(th)))
	s.kvHex("transcript hash", th, s.st.yellow)
	s.para(4, "The messages hold both randoms and the ClientKeyExchange: the signature binds the client's identity to this one connection, and proves it holds the private key, which never leaves it.")
}

// replayMessages replays under -trace, field by field, the handshake
// messages of the given types that the client sent (or received). (The
// trace printer holds a sent message back until the record that carries
// it; here the messages are printed on their own.)
func (s *demoSession) replayMessages(what string, sent bool, types ...handshake.HandshakeType) {
	if s.trace == nil {
		return
	}
	s.blank()
	s.line(0, s.st.dim("  -trace: "+what+", as the client saw them"))
	for _, e := range s.events {
		if e.e.IsClient && e.e.Kind == handshake.EventMessage && e.e.Sent == sent && len(e.e.Bytes) > 0 &&
			slices.Contains(types, handshake.HandshakeType(e.e.Bytes[0])) {
			s.trace.message(e.e)
		}
	}
}

// clientTranscript hashes the client's handshake messages up to the last
// one its CertificateVerify covers: in TLS 1.3 through its Certificate,
// with the suite's hash; in TLS 1.2 through its ClientKeyExchange, with the
// hash of the scheme sc.
//
// spec: rfc8446#4.4.1, rfc5246#7.4.8
func (s *demoSession) clientTranscript(sc handshake.SignatureScheme) []byte {
	h, last := crypto.SHA256.New(), handshake.TypeCertificate
	if s.tls13() && s.state.CipherSuite == 0x1302 || !s.tls13() && sc == handshake.ECDSAWithP384AndSHA384 {
		h = crypto.SHA384.New()
	}
	if !s.tls13() {
		last = handshake.TypeClientKeyExchange
	}
	for _, e := range s.events {
		if e.e.Kind != handshake.EventMessage || !e.e.IsClient || len(e.e.Bytes) == 0 {
			continue
		}
		h.Write(e.e.Bytes)
		if e.e.Sent && handshake.HandshakeType(e.e.Bytes[0]) == last {
			return h.Sum(nil)
		}
	}
	return nil
}

// demoClientSigned is the digest an ECDSA client CertificateVerify signs
// over transcript hash th: in TLS 1.3 the hash (the scheme's) of the
// signed content; in TLS 1.2 th itself, the hash of the messages.
//
// spec: rfc8446#4.4.3, rfc5246#7.4.8
func demoClientSigned(tls13 bool, sc handshake.SignatureScheme, th []byte) []byte {
	if !tls13 {
		return th
	}
	d := crypto.SHA256.New()
	if sc == handshake.ECDSAWithP384AndSHA384 {
		d = crypto.SHA384.New()
	}
	d.Write(bytes.Repeat([]byte{0x20}, 64))
	d.Write([]byte("TLS 1.3, client CertificateVerify\x00"))
	d.Write(th)
	return d.Sum(nil)
}

// demoClientVerdict is step 4: the checks the server made, made again by
// hand, and the server's verdict as its trace shows it.
func demoClientVerdict(s *demoSession) error {
	s.heading("Step 4  The server checks the client")
	m := s.mtls()
	cv, _ := s.msgOf(false, false, handshake.TypeCertificateVerify).(*handshake.CertificateVerify)
	leaf := m.client.leaf
	_, err := leaf.Verify(x509lite.VerifyOptions{Roots: s.roots, CurrentTime: s.now, KeyUsages: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageClientAuth}})
	s.check(err == nil, "chain", "issued by "+leaf.Issuer.String()+", a CA in the server's ClientCAs, and in its validity period")
	s.check(err == nil && demoHasEKU(leaf, x509lite.ExtKeyUsageClientAuth), "clientAuth", "extKeyUsage says this key may authenticate a TLS client (a server certificate would be refused: unsupported_certificate)")
	var th []byte
	if cv != nil {
		th = s.clientTranscript(cv.Scheme)
	}
	if cv == nil || th == nil || leaf.ECDSAPublicKey == nil || !isECDSADemoScheme(cv.Scheme) {
		s.check(false, "signature", "cannot check it here")
		return nil
	}
	s.check(ecdsa.VerifyASN1(leaf.ECDSAPublicKey, demoClientSigned(s.tls13(), cv.Scheme, th), cv.Signature), "signature",
		cv.Scheme.String()+" verifies with the certificate's P-256 key over the transcript both sides hashed")
	bad := bytes.Clone(th)
	bad[0] ^= 1
	s.check(!ecdsa.VerifyASN1(leaf.ECDSAPublicKey, demoClientSigned(s.tls13(), cv.Scheme, bad), cv.Signature), "tamper test",
		"one flipped bit in the transcript and the signature fails: it cannot be replayed in another connection")
	missing := "certificate_required without a certificate"
	if !s.tls13() {
		missing = "handshake_failure without a certificate"
	}
	if !s.phaseAt(false, handshake.PhaseEstablished).IsZero() && s.respLine != "" {
		s.para(2, fmt.Sprintf("Verdict: accepted. The server made these checks (x509lite's Verify, then the signature) before the client's Finished; had one failed, it would have sent an alert (%s, unknown_ca, decrypt_error) and never read the request. It answered %s to %s.", missing, s.respLine, leaf.Subject))
	} else {
		s.para(2, "Verdict: NOT accepted: the server did not finish the handshake.")
	}
	return nil
}

// isECDSADemoScheme reports whether sc is one of the ECDSA schemes the
// demo checks by hand.
func isECDSADemoScheme(sc handshake.SignatureScheme) bool {
	return sc == handshake.ECDSAWithP256AndSHA256 || sc == handshake.ECDSAWithP384AndSHA384
}

// demoHasEKU reports whether a certificate lists extended key usage u.
func demoHasEKU(c *x509lite.Certificate, u x509lite.ExtKeyUsage) bool {
	for _, e := range c.ExtKeyUsage {
		if e == u {
			return true
		}
	}
	return false
}

// demoLessonMTLS measures the client's private-key operation and what the
// server adds to check it.
func demoLessonMTLS(s *demoSession) error {
	s.heading("The lesson, measured on this machine")
	m := s.mtls()
	digest := demoClientSigned(true, handshake.ECDSAWithP256AndSHA256, make([]byte, 32))
	var sig []byte
	sign := demoMedian(func() { sig, _ = ecdsa.SignASN1(rand.Reader, m.client.key, digest) })
	verify := demoMedian(func() { ecdsa.VerifyASN1(&m.client.key.PublicKey, digest, sig) })
	if start, end := s.phaseAt(true, handshake.PhaseCertificateVerify), s.phaseAt(true, handshake.PhaseClientFinished); !start.IsZero() && end.After(start) {
		s.kv("client signs", fmt.Sprintf("%s in this handshake (CertificateVerify); %s median of 7 repeats (ECDSA P-256)", cliDuration(end.Sub(start)), cliDuration(sign)))
	} else {
		s.kv("client signs", cliDuration(sign)+" median of 7 repeats (ECDSA P-256)")
	}
	s.kv("server verifies", cliDuration(verify)+" median of 7 repeats, plus the chain check")
	extra := s.rawLen(false, handshake.TypeCertificateRequest) + s.rawLen(true, handshake.TypeCertificate) + s.rawLen(true, handshake.TypeCertificateVerify)
	s.kv("bytes", fmt.Sprintf("%d more handshake bytes (the request, the client's chain and signature); no extra round trip", extra))
	s.boldPara(2, fmt.Sprintf("Mutual TLS costs the client one private-key operation per full handshake: %s here.", cliDuration(sign)))
	s.para(2, "The client proves possession of its key, bound to this connection's transcript: a stolen certificate without its key is worthless, and the proof cannot be replayed. Resumption skips it (the ticket carries the client's identity). An RSA-2048 client key would make that operation an RSA signature, several times slower (minitls bench: the RSA-2048 and ECDSA P-256 sign rows, and the mutual-TLS handshake rows). Timings vary from run to run.")
	return nil
}
