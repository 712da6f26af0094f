package main

// The certificate check every story shows: the checks x509lite's Verify
// made inside the handshake, run again one by one and by name.

import (
	"fmt"
	"strings"

	"minitls/handshake"
	"minitls/x509lite"
)

// demoChecker collects the names of failed checks while printing each.
type demoChecker struct {
	p      *demoPrinter
	failed []string
}

func (c *demoChecker) check(ok bool, name, detail string) {
	c.p.check(ok, name, detail)
	if !ok {
		c.failed = append(c.failed, name)
	}
}

// certChecks runs, one by one and by name, the checks x509lite's Verify
// made inside the handshake, for the name the client asked for
// (s.serverName), so each can be seen to pass, and gives the verdict those
// checks make: trusted only if every one passed.
func (s *demoSession) certChecks(leaf *x509lite.Certificate, rest [][]byte) {
	c := &demoChecker{p: s.demoPrinter}
	s.chainChecks(c, leaf, rest)
	s.leafChecks(c, leaf)
	if len(c.failed) > 0 {
		s.para(2, fmt.Sprintf("Verdict: NOT trusted: %s failed. A client making these checks sends an alert (unknown_ca, bad_certificate, certificate_expired, ...) and stops here.", strings.Join(c.failed, ", ")))
		return
	}
	s.para(2, "Verdict: trusted. The handshake made the same checks (x509lite's Verify) before going on; had one failed, the client would have sent an alert and stopped here.")
}

// chainChecks: a path to a trusted root, the CA's signature, the CA's right
// to sign certificates.
func (s *demoSession) chainChecks(c *demoChecker, leaf *x509lite.Certificate, rest [][]byte) {
	inter := x509lite.NewCertPool()
	for _, der := range rest {
		if ic, err := x509lite.ParseCertificate(der); err == nil {
			inter.AddCert(ic)
		}
	}
	chain, err := leaf.Verify(x509lite.VerifyOptions{Roots: s.roots, Intermediates: inter, CurrentTime: s.now,
		KeyUsages: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth}})
	if err != nil || len(chain) < 2 {
		c.check(false, "chain", fmt.Sprintf("no path to a trusted root: %v", err))
		return
	}
	issuer := chain[1]
	c.check(true, "chain", fmt.Sprintf("server certificate ← %s, a root the client trusts", issuer.Subject))
	sigErr := leaf.CheckSignatureFrom(issuer)
	c.check(sigErr == nil, "signature", "the CA's public key verifies the "+demoSigAlgName(leaf.SignatureAlgorithm)+" signature over the certificate")
	c.check(issuer.IsCA && issuer.KeyUsage&x509lite.KeyUsageCertSign != 0, "issuer is a CA",
		"basicConstraints cA=true and keyUsage keyCertSign")
}

// leafChecks: dates, name, purpose, and the key usage this handshake needs.
func (s *demoSession) leafChecks(c *demoChecker, leaf *x509lite.Certificate) {
	inDates := !s.now.Before(leaf.NotBefore) && !s.now.After(leaf.NotAfter)
	c.check(inDates, "validity", "now ("+s.now.UTC().Format("2006-01-02 15:04 UTC")+") is within its dates")
	nameErr := leaf.VerifyHostname(s.serverName)
	nameIs := "is"
	if nameErr != nil {
		nameIs = "is not"
	}
	c.check(nameErr == nil, "name", fmt.Sprintf("%q, the name the client asked for, %s in subjectAltName", s.serverName, nameIs))
	serverAuth := false
	for _, u := range leaf.ExtKeyUsage {
		serverAuth = serverAuth || u == x509lite.ExtKeyUsageServerAuth
	}
	c.check(serverAuth, "purpose", "extKeyUsage includes serverAuth (TLS server)")
	switch {
	case s.state.Version == uint16(handshake.VersionTLS13):
		c.check(leaf.KeyUsage&x509lite.KeyUsageDigitalSignature != 0, "key usage",
			"digitalSignature: this key may sign the CertificateVerify")
	case s.isECDHE():
		c.check(leaf.KeyUsage&x509lite.KeyUsageDigitalSignature != 0, "key usage",
			"digitalSignature: this key may sign the ServerKeyExchange")
	default:
		c.check(leaf.KeyUsage&x509lite.KeyUsageKeyEncipherment != 0, "key usage",
			"keyEncipherment: this key may receive an encrypted premaster secret")
	}
}
