package x509lite

import (
	"bytes"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// CertPool is a set of certificates, used for trusted roots and for the
// untrusted intermediates a peer sends. Lookups are by the exact DER bytes
// of the subject name, which is how the issuer field of a child refers to
// it (rfc5280#7.1 allows smarter name comparison; byte equality is the
// strict subset every real CA produces). A nil *CertPool is an empty pool.
//
// spec: rfc5280#6.1.1
type CertPool struct {
	certs     []*Certificate
	bySubject map[string][]int
	byRaw     map[string]bool
}

// NewCertPool returns an empty pool.
//
// spec: rfc5280#6.1.1
func NewCertPool() *CertPool {
	return &CertPool{bySubject: map[string][]int{}, byRaw: map[string]bool{}}
}

// AddCert adds c unless an identical certificate is already present.
//
// spec: rfc5280#6.1.1
func (p *CertPool) AddCert(c *Certificate) {
	if c == nil || p.byRaw[string(c.Raw)] {
		return
	}
	if p.bySubject == nil {
		p.bySubject, p.byRaw = map[string][]int{}, map[string]bool{}
	}
	p.byRaw[string(c.Raw)] = true
	p.bySubject[string(c.RawSubject)] = append(p.bySubject[string(c.RawSubject)], len(p.certs))
	p.certs = append(p.certs, c)
}

// AppendCertsFromPEM adds every CERTIFICATE block that parses and reports
// whether at least one was added. Certificates minitls cannot use (another
// key algorithm, an unhandled critical extension) are skipped, as a trust
// store may hold roots of every kind. Because these are trust anchors, whose
// own signatures are never checked, roots self-signed with SHA-1 are
// accepted (see SHA1WithRSA).
//
// spec: rfc7468#5
func (p *CertPool) AppendCertsFromPEM(pemCerts []byte) bool {
	added, _ := p.appendPEM(pemCerts)
	return added > 0
}

func (p *CertPool) appendPEM(data []byte) (added, skipped int) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return added, skipped
		}
		if b.Type != "CERTIFICATE" || len(b.Headers) != 0 {
			continue
		}
		c, err := parseCertificate(b.Bytes, true)
		if err != nil {
			skipped++
			continue
		}
		p.AddCert(c)
		added++
	}
}

// Len is the number of certificates in the pool.
func (p *CertPool) Len() int {
	if p == nil {
		return 0
	}
	return len(p.certs)
}

// Certs returns the pool's certificates in the order they were added.
func (p *CertPool) Certs() []*Certificate {
	if p == nil {
		return nil
	}
	return append([]*Certificate(nil), p.certs...)
}

func (p *CertPool) contains(c *Certificate) bool {
	return p != nil && p.byRaw[string(c.Raw)]
}

// issuersOf returns the certificates whose subject is c's issuer, those whose
// subjectKeyIdentifier matches c's authorityKeyIdentifier first (a hint only:
// the signature decides, rfc5280#4.2.1.1).
func (p *CertPool) issuersOf(c *Certificate) []*Certificate {
	if p == nil {
		return nil
	}
	var match, other []*Certificate
	for _, i := range p.bySubject[string(c.RawIssuer)] {
		cand := p.certs[i]
		if len(c.AuthorityKeyId) > 0 && len(cand.SubjectKeyId) > 0 && !bytes.Equal(c.AuthorityKeyId, cand.SubjectKeyId) {
			other = append(other, cand)
		} else {
			match = append(match, cand)
		}
	}
	return append(match, other...)
}

// systemBundles are the usual locations of the system trust store (Debian
// first, as in the issue; then Fedora/RHEL, Alpine/macOS-style).
var systemBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/cert.pem",
}

// ErrNoSystemRoots: no system bundle file was found.
//
// spec: rfc5280#6.1.1
var ErrNoSystemRoots = errors.New("x509lite: no system root bundle found (looked in /etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/cert.pem): install ca-certificates or pass a CA file")

// SystemCertPool loads the system root bundle, parsing it with x509lite
// itself. Certificates it cannot parse (EC or DSA roots, other
// algorithms, unhandled critical extensions, non-DER encodings) are skipped
// and counted in skipped rather than failing the whole load.
//
// spec: rfc5280#6.1.1
func SystemCertPool() (pool *CertPool, skipped int, err error) {
	for _, f := range systemBundles {
		pool, skipped, err = LoadCertPool(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		return pool, skipped, err
	}
	return nil, 0, ErrNoSystemRoots
}

// LoadCertPool reads a PEM bundle file into a new pool, skipping (and
// counting) certificates that do not parse. It is an error if nothing at all
// could be loaded.
//
// spec: rfc7468#5
func LoadCertPool(file string) (pool *CertPool, skipped int, err error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, 0, err
	}
	pool = NewCertPool()
	added, skipped := pool.appendPEM(data)
	if added == 0 {
		return nil, skipped, &FileError{File: file, Kind: ErrNoPEMData,
			Msg: fmt.Sprintf("no usable certificate (%d skipped as unsupported or malformed)", skipped)}
	}
	return pool, skipped, nil
}
