package x509lite

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"math/bits"
	"net"
	"strings"
	"sync"
	"time"

	"minitls/cipher/rsa"
)

// VerifyOptions configures Certificate.Verify.
//
// spec: rfc5280#6.1.1
type VerifyOptions struct {
	// Roots are the trust anchors; nil means the system bundle (loaded once
	// with SystemCertPool).
	Roots *CertPool
	// Intermediates are untrusted certificates that may complete the path
	// (normally the rest of the peer's Certificate message).
	Intermediates *CertPool
	// DNSName is the host name or IP literal (IPv6 optionally in brackets)
	// the certificate must be valid for; empty skips the name check.
	DNSName string
	// CurrentTime is the time validity is checked at; zero means time.Now().
	CurrentTime time.Time
	// KeyUsages lists acceptable extended key usages; empty means
	// ExtKeyUsageServerAuth, and ExtKeyUsageAny accepts any. When
	// ExtKeyUsageServerAuth is listed, the leaf must also be an end entity
	// (EndEntityIsCA otherwise).
	KeyUsages []ExtKeyUsage
}

// maxChainDepth bounds a path (leaf and root included); real chains have 2
// to 4 certificates.
const maxChainDepth = 8

// maxSignatureChecks bounds the work of path building when a hostile peer
// sends many intermediates with the same name: one Verify performs at most
// this many RSA signature verifications, each with a key of at most
// maxRSABits.
const maxSignatureChecks = 64

// RSA modulus sizes a verified path accepts, for the leaf, every
// intermediate and the trust anchor that signs. The floor is the CA/Browser
// Forum's; the ceiling bounds the CPU a peer can make a client spend on one
// signature (crypto/tls uses the same 8192), and it is checked before the
// key is used for anything.
//
// spec: CABF BR §6.1.5 ("the modulus size, when encoded, is at least 2048
// bits, and the modulus size, in bits, is evenly divisible by 8")
const (
	minRSABits = 2048
	maxRSABits = 8192
)

var (
	systemOnce  sync.Once
	systemPool  *CertPool
	systemError error
)

// Verify builds a path from c to a root in opts.Roots, through
// opts.Intermediates, and checks it per the RFC 5280 §6.1 subset minitls
// implements; it returns the chain, leaf first and root last.
//
// Checks, in order: the leaf's RSA key size (2048 to 8192 bits, a whole
// number of bytes: UnsupportedKeySize); the leaf's validity period at
// opts.CurrentTime; the host name against subjectAltName only
// (rfc6125#6.4.4: no Common Name fallback); the leaf's extKeyUsage; that a
// leaf used for serverAuth is not a CA (neither basicConstraints cA TRUE
// nor keyCertSign: EndEntityIsCA); then, for every issuer on the path: its
// key size, before its key is used; that it signed the certificate below
// (RSA PKCS#1 v1.5 over RawTBSCertificate); its validity; that it is a CA
// (basicConstraints cA TRUE; only a v1 root, which has no extensions at
// all, is trusted without it); that keyUsage, when present, includes
// keyCertSign; that its pathLenConstraint is not exceeded; and that its
// extKeyUsage, when present, allows the requested usage (as crypto/x509
// does). Paths are searched depth-first, trusted roots before
// intermediates, never revisiting a certificate, at most maxChainDepth long
// and with at most maxSignatureChecks signature verifications. Certificates
// with critical extensions minitls does not implement never get here
// (ParseCertificate refuses them), and a chain with name or policy
// constraints, critical or not, is refused (UnsupportedConstraints): fail
// closed.
//
// spec: rfc5280#6.1
func (c *Certificate) Verify(opts VerifyOptions) (chain []*Certificate, err error) {
	v, err := newVerifier(opts)
	if err != nil {
		return nil, err
	}
	return v.verify(c)
}

// verifier is the state of one Verify: the options with their defaults
// filled in, and the number of signatures checked so far.
type verifier struct {
	opts   VerifyOptions
	now    time.Time
	usages []ExtKeyUsage
	checks int // RSA signature verifications done, at most maxSignatureChecks
}

// newVerifier fills in Verify's defaults: the current time, the system
// roots, and serverAuth as the usage.
func newVerifier(opts VerifyOptions) (*verifier, error) {
	now := opts.CurrentTime
	if now.IsZero() {
		now = time.Now()
	}
	if opts.Roots == nil {
		systemOnce.Do(func() { systemPool, _, systemError = SystemCertPool() })
		if systemError != nil {
			return nil, systemError
		}
		opts.Roots = systemPool
	}
	usages := opts.KeyUsages
	if len(usages) == 0 {
		usages = []ExtKeyUsage{ExtKeyUsageServerAuth}
	}
	return &verifier{opts: opts, now: now, usages: usages}, nil
}

// verify checks the leaf c on its own, then builds and checks a path from
// it to a root.
//
// spec: rfc5280#6.1
func (v *verifier) verify(c *Certificate) ([]*Certificate, error) {
	if err := checkKeySize(c); err != nil {
		return nil, err
	}
	if err := checkValidity(c, v.now); err != nil {
		return nil, err
	}
	if err := checkConstraints(c); err != nil {
		return nil, err
	}
	if v.opts.DNSName != "" {
		if err := c.VerifyHostname(v.opts.DNSName); err != nil {
			return nil, err
		}
	}
	if err := checkExtKeyUsage(c, v.usages); err != nil {
		return nil, err
	}
	if v.wants(ExtKeyUsageServerAuth) {
		if err := checkEndEntity(c); err != nil {
			return nil, err
		}
	}
	if v.opts.Roots.contains(c) {
		return []*Certificate{c}, nil
	}
	return v.build([]*Certificate{c})
}

// wants reports whether u is among the requested usages.
func (v *verifier) wants(u ExtKeyUsage) bool {
	for _, have := range v.usages {
		if have == u {
			return true
		}
	}
	return false
}

// build extends chain (whose last element still needs an issuer) to a root.
func (v *verifier) build(chain []*Certificate) ([]*Certificate, error) {
	cur := chain[len(chain)-1]
	if len(chain) >= maxChainDepth {
		return nil, &CertificateInvalidError{Cert: cur, Reason: ChainTooLong,
			Detail: fmt.Sprintf("no trusted root within %d certificates", maxChainDepth)}
	}
	var firstErr error
	record := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	type candidate struct {
		cert *Certificate
		root bool
	}
	var cands []candidate
	for _, r := range v.opts.Roots.issuersOf(cur) {
		cands = append(cands, candidate{r, true})
	}
	for _, r := range v.opts.Intermediates.issuersOf(cur) {
		if !v.opts.Roots.contains(r) {
			cands = append(cands, candidate{r, false})
		}
	}
next:
	for _, cand := range cands {
		for _, have := range chain {
			if string(have.Raw) == string(cand.cert.Raw) {
				continue next // a loop
			}
		}
		// The key is vetted before any arithmetic is done with it.
		if err := checkKeySize(cand.cert); err != nil {
			record(err)
			continue
		}
		if v.checks >= maxSignatureChecks {
			return nil, &CertificateInvalidError{Cert: cur, Reason: ChainTooLong,
				Detail: fmt.Sprintf("gave up after %d signature checks", maxSignatureChecks)}
		}
		v.checks++
		if err := checkSignature(cur, cand.cert); err != nil {
			record(err)
			continue
		}
		if err := v.checkIssuer(cand.cert, chain, cand.root); err != nil {
			record(err)
			continue
		}
		path := append(append([]*Certificate(nil), chain...), cand.cert)
		if cand.root {
			return path, nil
		}
		full, err := v.build(path)
		if err == nil {
			return full, nil
		}
		record(err)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, &UnknownAuthorityError{Cert: cur, Issuer: cur.Issuer}
}

// checkIssuer applies the checks on a certificate used as an issuer of
// chain's last element.
//
// spec: rfc5280#6.1.4
func (v *verifier) checkIssuer(iss *Certificate, chain []*Certificate, root bool) error {
	if err := checkValidity(iss, v.now); err != nil {
		return err
	}
	if err := checkConstraints(iss); err != nil {
		return err
	}
	if err := checkCA(iss, root); err != nil {
		return err
	}
	// spec: rfc5280#6.1.4 (n)
	if iss.HasExtension(OIDExtKeyUsage) && iss.KeyUsage&KeyUsageCertSign == 0 {
		return &CertificateInvalidError{Cert: iss, Reason: NotAuthorizedToSign,
			Detail: "keyUsage lacks keyCertSign"}
	}
	// spec: rfc5280#6.1.4 (l, m): intermediates below iss on this path.
	if below := len(chain) - 1; iss.BasicConstraintsValid && iss.MaxPathLen >= 0 && below > iss.MaxPathLen {
		return &CertificateInvalidError{Cert: iss, Reason: TooManyIntermediates,
			Detail: fmt.Sprintf("pathLenConstraint %d allows %d intermediate(s) below it, the path has %d", iss.MaxPathLen, iss.MaxPathLen, below)}
	}
	return checkExtKeyUsage(iss, v.usages)
}

// checkCA: an issuer must assert basicConstraints cA TRUE. The one
// exception is a v1 trust anchor, which has no extensions at all and is
// trusted as configured; a v3 certificate without basicConstraints is an
// end entity, even when it sits among the trusted roots.
//
// spec: rfc5280#6.1.4 (k), rfc5280#4.2.1.9 ("If the basic constraints
// extension is not present in a version 3 certificate, or the extension is
// present but the cA boolean is not asserted, then the certified public key
// MUST NOT be used to verify certificate signatures.")
func checkCA(iss *Certificate, root bool) error {
	switch {
	case iss.BasicConstraintsValid && iss.IsCA:
		return nil
	case iss.BasicConstraintsValid:
		return &CertificateInvalidError{Cert: iss, Reason: NotAuthorizedToSign,
			Detail: "basicConstraints does not say cA TRUE, so it cannot issue certificates"}
	case root && iss.Version == 1:
		return nil
	case root:
		return &CertificateInvalidError{Cert: iss, Reason: NotAuthorizedToSign,
			Detail: "this trusted root is a v3 certificate without basicConstraints, so it cannot issue certificates (rfc5280#4.2.1.9); only a v1 root may omit it: trust a root that says cA TRUE"}
	}
	return &CertificateInvalidError{Cert: iss, Reason: NotAuthorizedToSign,
		Detail: "it has no basicConstraints extension, so it cannot issue certificates (rfc5280#4.2.1.9)"}
}

// checkEndEntity: the certificate of a TLS server is an end entity, so it
// must not be a CA: neither basicConstraints cA TRUE nor keyUsage
// keyCertSign. A server holding a CA key could otherwise issue itself
// certificates for any name the CA is trusted for.
//
// spec: rfc5280#4.2.1.9, rfc5280#4.2.1.3 ("If the keyCertSign bit is
// asserted, then the cA bit in the basic constraints extension MUST also be
// asserted"), CABF BR §7.1.2.7.8 (subscriber basicConstraints: cA MUST be
// FALSE), CABF BR §7.1.2.7.11 (subscriber keyUsage: keyCertSign MUST NOT
// be set)
func checkEndEntity(c *Certificate) error {
	if c.BasicConstraintsValid && c.IsCA {
		return &CertificateInvalidError{Cert: c, Reason: EndEntityIsCA,
			Detail: "basicConstraints says cA TRUE; a server needs an end-entity certificate issued by the CA, not the CA's own certificate"}
	}
	if c.KeyUsage&KeyUsageCertSign != 0 {
		return &CertificateInvalidError{Cert: c, Reason: EndEntityIsCA,
			Detail: "keyUsage includes keyCertSign; a server needs an end-entity certificate without it"}
	}
	return nil
}

// checkKeySize refuses an RSA modulus below minRSABits, above maxRSABits,
// or whose bit length is not a multiple of 8; ECDSA keys (P-256, P-384)
// pass. It only counts bits, so it
// is cheap whatever the peer sent.
//
// spec: CABF BR §6.1.5
func checkKeySize(c *Certificate) error {
	if c.ECDSAPublicKey != nil {
		return nil // P-256 or P-384, the only curves that parse
	}
	if c.PublicKey == nil {
		return &CertificateInvalidError{Cert: c, Reason: UnsupportedKeySize, Detail: "the certificate has no RSA public key"}
	}
	size := modulusBits(c.PublicKey.N)
	var why string
	switch {
	case size < minRSABits:
		why = fmt.Sprintf("the %d-bit RSA key is below the %d-bit minimum (CABF BR §6.1.5): reissue the certificate with a key of at least %d bits", size, minRSABits, minRSABits)
	case size > maxRSABits:
		why = fmt.Sprintf("the %d-bit RSA key is above the %d-bit maximum minitls will spend a signature check on: use a key of %d to %d bits", size, maxRSABits, minRSABits, maxRSABits)
	case size%8 != 0:
		why = fmt.Sprintf("the RSA modulus has %d bits, not a multiple of 8 (CABF BR §6.1.5): reissue the certificate with a standard key size such as 2048 or 3072", size)
	default:
		return nil
	}
	return &CertificateInvalidError{Cert: c, Reason: UnsupportedKeySize, Detail: why}
}

// modulusBits is the bit length of a big-endian magnitude.
func modulusBits(n []byte) int {
	n = trimLeadingZeros(n)
	if len(n) == 0 {
		return 0
	}
	return 8*(len(n)-1) + bits.Len8(n[0])
}

// constraintExtensions restrict the names or policies below a CA. minitls
// enforces none of them, so a chain that carries one — even marked
// non-critical, which RFC 5280 forbids for nameConstraints but which other
// verifiers still enforce — is refused rather than accepted with the
// restriction silently dropped. certificatePolicies alone restricts nothing
// and is ignored.
var constraintExtensions = map[OID]string{
	MustOID("2.5.29.30"): "nameConstraints",
	MustOID("2.5.29.33"): "policyMappings",
	MustOID("2.5.29.36"): "policyConstraints",
	MustOID("2.5.29.54"): "inhibitAnyPolicy",
}

// checkConstraints fails closed on name and policy constraints.
//
// spec: rfc5280#4.2.1.10
func checkConstraints(c *Certificate) error {
	for _, e := range c.Extensions {
		if name, ok := constraintExtensions[e.ID]; ok {
			return &CertificateInvalidError{Cert: c, Reason: UnsupportedConstraints,
				Detail: name + " is not supported, so the chain is refused rather than verified without it"}
		}
	}
	return nil
}

// HasExtension reports whether c carries the extension id. Code that
// applies an extension's restriction asks this, not whether the parsed
// field is zero: "keyUsage present" and "no keyUsage bit minitls knows"
// are different facts.
//
// spec: rfc5280#4.2
func (c *Certificate) HasExtension(id OID) bool {
	for _, e := range c.Extensions {
		if e.ID == id {
			return true
		}
	}
	return false
}

// checkValidity: notBefore <= now <= notAfter.
//
// spec: rfc5280#4.1.2.5
func checkValidity(c *Certificate, now time.Time) error {
	if now.Before(c.NotBefore) {
		return &CertificateInvalidError{Cert: c, Reason: NotYetValid, Detail: timeDetail(c, now)}
	}
	if now.After(c.NotAfter) {
		return &CertificateInvalidError{Cert: c, Reason: Expired, Detail: timeDetail(c, now)}
	}
	return nil
}

// checkExtKeyUsage: a certificate without extKeyUsage, or with
// anyExtendedKeyUsage, allows every usage; otherwise one of usages must be
// listed.
//
// spec: rfc5280#4.2.1.12
func checkExtKeyUsage(c *Certificate, usages []ExtKeyUsage) error {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return nil
	}
	for _, want := range usages {
		if want == ExtKeyUsageAny {
			return nil
		}
	}
	for _, have := range c.ExtKeyUsage {
		if have == ExtKeyUsageAny {
			return nil
		}
		for _, want := range usages {
			if have == want {
				return nil
			}
		}
	}
	var have []string
	for _, u := range c.ExtKeyUsage {
		have = append(have, u.String())
	}
	for _, o := range c.UnknownExtKeyUsage {
		have = append(have, o.String())
	}
	var want []string
	for _, u := range usages {
		want = append(want, u.String())
	}
	return &CertificateInvalidError{Cert: c, Reason: IncompatibleUsage,
		Detail: fmt.Sprintf("it allows %s, but %s is needed", strings.Join(have, ", "), strings.Join(want, " or "))}
}

// CheckSignatureFrom checks that parent's key signed c. parent's key must
// be of a size Verify accepts (UnsupportedKeySize otherwise). It does not
// check that parent may issue certificates; Verify does.
//
// spec: rfc5280#6.1.3
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	if err := checkKeySize(parent); err != nil {
		return err
	}
	return checkSignature(c, parent)
}

func checkSignature(c, parent *Certificate) error {
	if c.SignatureAlgorithm.isECDSA() {
		return checkECDSASignature(c, parent)
	}
	if parent.PublicKey == nil {
		return &CertificateInvalidError{Cert: c, Reason: BadSignature,
			Detail: fmt.Sprintf("the %v signature needs an RSA issuer key, but %q has an ECDSA key", c.SignatureAlgorithm, parent.Subject.String())}
	}
	var digest []byte
	switch h := c.SignatureAlgorithm.Hash(); h {
	case crypto.SHA256:
		d := sha256.Sum256(c.RawTBSCertificate)
		digest = d[:]
	case crypto.SHA384:
		d := sha512.Sum384(c.RawTBSCertificate)
		digest = d[:]
	case crypto.SHA512:
		d := sha512.Sum512(c.RawTBSCertificate)
		digest = d[:]
	default:
		return &CertificateInvalidError{Cert: c, Reason: BadSignature, Detail: "unsupported signature algorithm"}
	}
	if err := rsa.VerifyPKCS1v15(parent.PublicKey, c.SignatureAlgorithm.Hash(), digest, c.Signature); err != nil {
		return &CertificateInvalidError{Cert: c, Reason: BadSignature,
			Detail: fmt.Sprintf("%v signature does not verify with the key of %q (%v)", c.SignatureAlgorithm, parent.Subject.String(), err)}
	}
	return nil
}

// VerifyHostname checks that c is valid for host, a DNS name or an IP
// literal (IPv6 optionally in brackets), using subjectAltName only.
//
// Rules (RFC 6125 §6.4): names compare case-insensitively in ASCII, one
// trailing dot on host is ignored; a wildcard is allowed only as the whole
// left-most label ("*.example.com"), matches exactly one non-empty label,
// and needs at least two labels after it (no "*.com"); partial wildcards
// ("f*.example.com") never match. IP literals match iPAddress entries only,
// never dNSName entries (and so never wildcards). The Common Name is never
// used (rfc6125#6.4.4).
//
// spec: rfc6125#6.4.3
func (c *Certificate) VerifyHostname(host string) error {
	ipText := host
	if len(ipText) >= 3 && ipText[0] == '[' && ipText[len(ipText)-1] == ']' {
		ipText = ipText[1 : len(ipText)-1]
	}
	if ip := net.ParseIP(ipText); ip != nil {
		for _, have := range c.IPAddresses {
			if ip.Equal(have) {
				return nil
			}
		}
		return &HostnameError{Cert: c, Host: host}
	}
	h := strings.TrimSuffix(toLowerASCII(host), ".")
	if validHostname(h, false) {
		for _, pattern := range c.DNSNames {
			if matchHostname(toLowerASCII(pattern), h) {
				return nil
			}
		}
	}
	return &HostnameError{Cert: c, Host: host}
}

func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// validHostname: non-empty labels of letters, digits, '-' and '_' (seen in
// real names), at most 253 bytes; with wildcard, the first label may be "*".
func validHostname(h string, wildcard bool) bool {
	if len(h) == 0 || len(h) > 253 {
		return false
	}
	for i, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		if wildcard && i == 0 && label == "*" {
			continue
		}
		for j := 0; j < len(label); j++ {
			c := label[j]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// matchHostname matches a lower-cased dNSName pattern against a lower-cased,
// validated host.
//
// spec: rfc6125#6.4.3
func matchHostname(pattern, host string) bool {
	if !validHostname(pattern, true) {
		return false
	}
	if !strings.HasPrefix(pattern, "*.") {
		return pattern == host
	}
	rest := pattern[2:]
	if !strings.Contains(rest, ".") {
		return false // "*.com": a wildcard needs at least two labels after it
	}
	i := strings.IndexByte(host, '.')
	return i > 0 && host[i+1:] == rest
}
