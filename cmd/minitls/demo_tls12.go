package main

// The steps the TLS 1.2 stories share (RSA key transport, ECDHE, and the
// first connection of -resume): the header, TCP, the hellos and the
// certificate check, the key derivation from the premaster secret, and
// Finished with the HTTP records.
//
//	Step 1  the TCP connection                       (demoTCP)
//	Step 2  the hellos and the certificate check     (demoHellos)
//	Step 3  the key exchange (the story's own), then (demoKeys12)
//	Step 4  ChangeCipherSpec, Finished, HTTP in GCM  (demoFinished12)

import (
	"fmt"
	"strings"

	"minitls/handshake"
	"minitls/record"
	"minitls/x509lite"
)

// isECDHE reports whether the demo connection used an ECDHE suite.
func (s *demoSession) isECDHE() bool { return demoIsECDHE(handshake.CipherSuite(s.state.CipherSuite)) }

// traceStep replays, under -trace, the client's records that belong to a
// TLS 1.2 step (by the client's phase when they crossed the wire).
func (s *demoSession) traceStep(step int) {
	s.replay(s.demoTrace, fmt.Sprintf("the records of step %d, as the client saw them", step),
		func(e handshake.Event) bool { return demoStepOf(e.Phase) == step })
}

func demoStepOf(p handshake.Phase) int {
	switch {
	case p <= handshake.PhaseServerHelloDone:
		return 2
	case p <= handshake.PhaseKeyDerivation:
		return 3
	}
	return 4
}

// demoHeader names the demonstration and its throwaway PKI.
func demoHeader(s *demoSession) error {
	fmt.Fprintln(s.w, s.st.bold("minitls demo: one HTTPS request over a real TCP connection, step by step"))
	s.para(0, "This is a demonstration: it prints the session's secrets, which real TLS never shows. minitls is for study and experiment, not for protecting production traffic.")
	s.heading("Setup  a throwaway CA and server certificate, made in memory")
	s.kv("CA", fmt.Sprintf("%s, %s, self-signed", s.pki.ca.Subject, s.demoKeyName(true)))
	s.kv("server", fmt.Sprintf("%s, %s, signed by the CA", s.pki.leaf.Subject, s.demoKeyName(false)))
	s.para(2, "The server holds the server's private key; the client trusts only the CA's certificate.")
	if s.opts.seeded {
		s.para(2, "-seed: randomness and the clock ("+demoEpoch.Format("2006-01-02 15:04 MST")+
			") are fixed, so every run prints the same bytes; only timings and port numbers vary.")
	}
	return nil
}

// demoTCP is step 1.
func demoTCP(s *demoSession) error {
	s.heading("Step 1  TCP connection")
	s.kv("server", "listening on "+s.srvAddr)
	s.kv("client", fmt.Sprintf("%s connected to it (took %s)", s.cliAddr, cliDuration(s.tcpTime)))
	s.para(2, "TCP moves bytes and nothing more: anyone on the path can read and change them. Everything below travels inside this connection.")
	return nil
}

// demoHellos is step 2: the two hellos, the certificate, and its check.
func demoHellos(s *demoSession) error {
	s.heading("Step 2  Hellos and the certificate (in clear: anyone on the path sees this)")
	ch, _ := s.msgOf(true, true, handshake.TypeClientHello).(*handshake.ClientHello)
	sh, _ := s.msgOf(true, false, handshake.TypeServerHello).(*handshake.ServerHello)
	cm, _ := s.msgOf(true, false, handshake.TypeCertificate).(*handshake.CertificateMessage)
	if ch == nil || sh == nil || cm == nil || len(cm.Certificates) == 0 {
		s.line(2, "(the trace is missing the hellos)")
		return nil
	}
	s.clientHello(ch)
	s.serverHello(sh)
	leaf, err := x509lite.ParseCertificate(cm.Certificates[0])
	if err != nil {
		s.line(2, "(the certificate does not parse: "+err.Error()+")")
		return nil
	}
	s.certificate(leaf, len(cm.Certificates))
	s.restOfServerFlight()
	s.blank()
	s.line(2, "The client checks the certificate before it trusts the key in it:")
	s.certChecks(leaf, cm.Certificates[1:])
	s.traceStep(2)
	return nil
}

func (s *demoSession) clientHello(ch *handshake.ClientHello) {
	recs := s.records(true, true, record.Handshake)
	recLen := 0
	if len(recs) > 0 {
		recLen = len(recs[0].Header) + len(recs[0].Fragment)
	}
	s.arrow(true, fmt.Sprintf("ClientHello: %d bytes in a %d-byte record", s.rawLen(true, handshake.TypeClientHello), recLen))
	s.kv("version", ch.Version.String()+" (the highest the client speaks)")
	s.kvHex("random", ch.Random[:], s.st.yellow)
	var offered []string
	for _, c := range ch.CipherSuites {
		offered = append(offered, c.String())
	}
	s.kv("suites offered", strings.Join(offered, " "))
	s.kv("extensions", demoExtensions(ch.Extensions, ch.ServerName(), ch.ALPNProtocols()))
}

func (s *demoSession) serverHello(sh *handshake.ServerHello) {
	s.arrow(false, fmt.Sprintf("ServerHello: %d bytes", s.rawLen(false, handshake.TypeServerHello)))
	s.kv("version", sh.Version.String())
	s.kvHex("random", sh.Random[:], s.st.yellow)
	s.kv("suite chosen", sh.CipherSuite.String())
	var alpn []string
	if s.state.NegotiatedProtocol != "" {
		alpn = []string{s.state.NegotiatedProtocol}
	}
	s.kv("extensions", demoExtensions(sh.Extensions, "", alpn))
}

func (s *demoSession) certificate(leaf *x509lite.Certificate, n int) {
	s.arrow(false, fmt.Sprintf("Certificate: %d bytes, a chain of %d (server first, then its CA)",
		s.rawLen(false, handshake.TypeCertificate), n))
	s.kv("subject", leaf.Subject.String())
	s.kv("issuer", leaf.Issuer.String())
	s.kv("validity", leaf.NotBefore.UTC().Format("2006-01-02 15:04")+" to "+leaf.NotAfter.UTC().Format("2006-01-02 15:04 UTC"))
	s.kv("names", strings.Join(getCertNames(leaf), ", "))
	if leaf.PublicKey != nil {
		s.kv("public key", fmt.Sprintf("RSA-%d, e=%d", 8*len(leaf.PublicKey.N), leaf.PublicKey.E))
	}
	if leaf.ECDSAPublicKey != nil {
		s.kv("public key", fmt.Sprintf("ECDSA %v, %d-byte point", leaf.ECDSAPublicKey.Curve(), len(leaf.ECDSAPublicKey.Bytes())))
	}
	s.kv("usage", demoUsage(leaf))
}

// restOfServerFlight tells the TLS 1.2 server flight after the Certificate.
func (s *demoSession) restOfServerFlight() {
	count := "three"
	if s.isECDHE() {
		count = "four"
		s.arrow(false, fmt.Sprintf("ServerKeyExchange: %d bytes, the server's signed ephemeral key (step 3)",
			s.rawLen(false, handshake.TypeServerKeyExchange)))
	}
	s.arrow(false, "ServerHelloDone: 4 bytes, the server's turn is over")
	if in := s.records(true, false, record.Handshake); len(in) > 0 {
		s.para(4, fmt.Sprintf("(The server sent these %s messages together, in one %d-byte record.)",
			count, len(in[0].Header)+len(in[0].Fragment)))
	}
}

func demoExtensions(exts []handshake.Extension, sni string, alpn []string) string {
	var names []string
	for _, e := range exts {
		switch e.Type {
		case handshake.ExtServerName:
			names = append(names, fmt.Sprintf("server_name %q", sni))
		case handshake.ExtALPN:
			names = append(names, fmt.Sprintf("ALPN %q", strings.Join(alpn, ",")))
		default:
			names = append(names, e.Type.String())
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func demoUsage(c *x509lite.Certificate) string {
	var u []string
	for _, k := range []struct {
		bit  x509lite.KeyUsage
		name string
	}{
		{x509lite.KeyUsageDigitalSignature, "digitalSignature"},
		{x509lite.KeyUsageKeyEncipherment, "keyEncipherment"},
		{x509lite.KeyUsageCertSign, "keyCertSign"},
	} {
		if c.KeyUsage&k.bit != 0 {
			u = append(u, k.name)
		}
	}
	for _, e := range c.ExtKeyUsage {
		u = append(u, e.String())
	}
	return strings.Join(u, ", ")
}
