package x509lite

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// TLS alert codes the errors of this package map to, so the handshake can
// send the alert that tells the peer what was wrong with the certificate.
//
// spec: rfc5246#7.2.2
const (
	AlertBadCertificate         uint8 = 42 // corrupt, bad signature, wrong name, not a CA
	AlertUnsupportedCertificate uint8 = 43 // an algorithm or critical extension we do not implement, wrong usage
	AlertCertificateExpired     uint8 = 45 // expired or not yet valid
	AlertCertificateUnknown     uint8 = 46 // path building gave up (loops, too deep)
	AlertUnknownCA              uint8 = 48 // no path to a trusted root
)

// Sentinel causes of a ParseError (match with errors.Is).
//
// spec: rfc5280#4.1
var (
	// ErrUnsupportedAlgorithm: a signature or public-key algorithm other
	// than RSA with SHA-256/384/512. minitls supports RSA only.
	ErrUnsupportedAlgorithm = errors.New("unsupported algorithm")
	// ErrUnhandledCriticalExtension: an extension marked critical that
	// minitls does not implement (name constraints, policies, ...). RFC 5280
	// §4.2 requires rejecting the certificate.
	ErrUnhandledCriticalExtension = errors.New("unhandled critical extension")
	// ErrDuplicateExtension: the same extension twice (rfc5280#4.2).
	ErrDuplicateExtension = errors.New("duplicate extension")
	// ErrSignatureAlgorithmMismatch: signatureAlgorithm differs from
	// tbsCertificate.signature (rfc5280#4.1.1.2).
	ErrSignatureAlgorithmMismatch = errors.New("inner and outer signature algorithms differ")
	// ErrUnsupportedVersion: a version other than v1 or v3.
	ErrUnsupportedVersion = errors.New("unsupported certificate version")
	// ErrCriticalNotAllowed: an extension RFC 5280 says conforming CAs
	// MUST mark non-critical (authorityKeyIdentifier rfc5280#4.2.1.1,
	// subjectKeyIdentifier rfc5280#4.2.1.2, authorityInfoAccess
	// rfc5280#4.2.2.1) is marked critical.
	ErrCriticalNotAllowed = errors.New("marked critical, which RFC 5280 forbids for this extension")
	// ErrKeySize: an RSA modulus above 8192 bits, refused as it is parsed
	// so that no signature is ever checked with it. Smaller keys that a
	// verified path refuses (below 2048 bits, or not a whole number of
	// bytes) parse, and Verify refuses them as UnsupportedKeySize.
	ErrKeySize = errors.New("RSA key size refused")
	// ErrEmptyKeyUsage: a keyUsage extension with no bit set; "at least
	// one of the bits MUST be set to 1" (rfc5280#4.2.1.3).
	ErrEmptyKeyUsage = errors.New("keyUsage has no bit set")
)

// ParseError is returned by ParseCertificate when the certificate is
// well-formed DER but breaks a rule of the RFC 5280 profile, or uses a
// feature minitls does not implement. Kind is one of the sentinels above and
// is what errors.Is matches.
//
// spec: rfc5280#4.1
type ParseError struct {
	Field  string // e.g. "extensions.keyUsage"
	Kind   error
	Detail string
}

// Error names the field, the kind of problem and the detail.
func (e *ParseError) Error() string {
	msg := "x509lite: certificate " + e.Field + ": " + e.Kind.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns Kind.
func (e *ParseError) Unwrap() error { return e.Kind }

// Alert is unsupported_certificate (43) for things minitls does not
// implement, bad_certificate (42) for certificates that break the rules.
//
// spec: rfc5246#7.2.2
func (e *ParseError) Alert() uint8 {
	if e.Kind == ErrUnsupportedAlgorithm || e.Kind == ErrUnhandledCriticalExtension || e.Kind == ErrUnsupportedVersion || e.Kind == ErrKeySize {
		return AlertUnsupportedCertificate
	}
	return AlertBadCertificate
}

// UnknownAuthorityError: no chain from the certificate reaches a trusted
// root. Issuer is the name of the authority that was not found.
//
// spec: rfc5280#6.1
type UnknownAuthorityError struct {
	Cert   *Certificate // the last certificate of the longest chain built
	Issuer Name
}

// Error names the certificate and the authority that is not trusted.
func (e *UnknownAuthorityError) Error() string {
	return fmt.Sprintf("x509lite: certificate %q signed by unknown authority %q: add that CA (or the one above it) to the trusted roots",
		e.Cert.Subject.String(), e.Issuer.String())
}

// Alert is unknown_ca (48).
//
// spec: rfc5246#7.2.2
func (e *UnknownAuthorityError) Alert() uint8 { return AlertUnknownCA }

// InvalidReason says why a certificate in the chain was refused.
//
// spec: rfc5280#6.1.3
type InvalidReason int

// Reasons for CertificateInvalidError.
//
// spec: rfc5280#6.1.3
const (
	Expired                    InvalidReason = iota + 1 // NotAfter is before the verification time
	NotYetValid                                         // NotBefore is after the verification time
	NotAuthorizedToSign                                 // an issuer that is not a CA (basicConstraints) or lacks keyCertSign
	TooManyIntermediates                                // an issuer's pathLenConstraint is exceeded
	BadSignature                                        // the issuer's key does not verify the signature
	IncompatibleUsage                                   // extKeyUsage does not allow the requested usage (serverAuth)
	UnhandledCriticalExtension                          // a critical extension minitls does not implement
	ChainTooLong                                        // path building gave up: more than maxChainDepth certificates
	UnsupportedConstraints                              // name or policy constraints, which minitls does not enforce
	UnsupportedKeySize                                  // an RSA modulus below 2048 or above 8192 bits, or not a whole number of bytes
	EndEntityIsCA                                       // a serverAuth leaf that asserts cA TRUE or keyCertSign
)

var invalidReasonNames = map[InvalidReason]string{
	Expired:                    "expired",
	NotYetValid:                "not yet valid",
	NotAuthorizedToSign:        "not authorized to sign other certificates",
	TooManyIntermediates:       "too many intermediates for the issuer's path length constraint",
	BadSignature:               "bad signature",
	IncompatibleUsage:          "extended key usage does not permit this use",
	UnhandledCriticalExtension: "unhandled critical extension",
	ChainTooLong:               "chain too long",
	UnsupportedConstraints:     "constrained in a way minitls does not enforce",
	UnsupportedKeySize:         "RSA key size refused",
	EndEntityIsCA:              "a CA certificate, which cannot serve as a TLS server's certificate",
}

// String says what is wrong, for error messages.
func (r InvalidReason) String() string {
	if s, ok := invalidReasonNames[r]; ok {
		return s
	}
	return fmt.Sprintf("InvalidReason(%d)", int(r))
}

// CertificateInvalidError: a certificate in the chain is unusable. Detail
// explains the specific values (dates and the time used, the usages found,
// the path length).
//
// spec: rfc5280#6.1.3
type CertificateInvalidError struct {
	Cert   *Certificate
	Reason InvalidReason
	Detail string
}

// Error names the certificate, the reason and the values behind it.
func (e *CertificateInvalidError) Error() string {
	msg := "x509lite: certificate"
	if e.Cert != nil {
		msg += fmt.Sprintf(" %q", e.Cert.Subject.String())
	}
	msg += " is " + e.Reason.String()
	if e.Reason == BadSignature || e.Reason == IncompatibleUsage || e.Reason == UnhandledCriticalExtension || e.Reason == UnsupportedConstraints || e.Reason == UnsupportedKeySize {
		msg = strings.Replace(msg, " is ", ": ", 1)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// reasonAlerts is the reason → alert table. RFC 5246 §7.2.2 defines:
// certificate_expired "a certificate has expired or is not currently
// valid"; unsupported_certificate "a certificate was of an unsupported
// type"; bad_certificate "a certificate was corrupt, contained signatures
// that did not verify correctly, etc."; certificate_unknown "some other
// (unspecified) issue arose in processing the certificate".
var reasonAlerts = map[InvalidReason]uint8{
	Expired:                    AlertCertificateExpired,     // spec: rfc5246#7.2.2 certificate_expired
	NotYetValid:                AlertCertificateExpired,     // spec: rfc5246#7.2.2 "or is not currently valid"
	NotAuthorizedToSign:        AlertBadCertificate,         // spec: rfc5246#7.2.2 bad_certificate (chain is wrong)
	TooManyIntermediates:       AlertBadCertificate,         // spec: rfc5246#7.2.2 bad_certificate
	BadSignature:               AlertBadCertificate,         // spec: rfc5246#7.2.2 "signatures that did not verify"
	IncompatibleUsage:          AlertUnsupportedCertificate, // spec: rfc5246#7.2.2 not a server certificate
	UnhandledCriticalExtension: AlertUnsupportedCertificate, // spec: rfc5246#7.2.2 unsupported_certificate
	UnsupportedConstraints:     AlertUnsupportedCertificate, // spec: rfc5246#7.2.2 unsupported_certificate
	ChainTooLong:               AlertCertificateUnknown,     // spec: rfc5246#7.2.2 certificate_unknown
	UnsupportedKeySize:         AlertUnsupportedCertificate, // spec: rfc5246#7.2.2 unsupported_certificate (a key size outside the profile)
	EndEntityIsCA:              AlertUnsupportedCertificate, // spec: rfc5246#7.2.2 unsupported_certificate (wrong usage, like IncompatibleUsage)
}

// Alert returns the TLS alert for the reason, from reasonAlerts
// (certificate_unknown for a reason missing from it).
//
// spec: rfc5246#7.2.2
func (e *CertificateInvalidError) Alert() uint8 {
	if a, ok := reasonAlerts[e.Reason]; ok {
		return a
	}
	return AlertCertificateUnknown
}

// HostnameError: the name asked for is not among the certificate's
// subjectAltName entries. The Common Name is never consulted (rfc6125#6.4.4).
//
// spec: rfc6125#6.4
type HostnameError struct {
	Cert *Certificate
	Host string
}

// Error lists the names the certificate holds beside the one asked for.
func (e *HostnameError) Error() string {
	var names []string
	names = append(names, e.Cert.DNSNames...)
	for _, ip := range e.Cert.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return fmt.Sprintf("x509lite: certificate %q has no subjectAltName DNS or IP entries, so it is valid for no host (not %q; the Common Name is not used)",
			e.Cert.Subject.String(), e.Host)
	}
	return fmt.Sprintf("x509lite: certificate is valid for %s, not %q", strings.Join(names, ", "), e.Host)
}

// Alert is bad_certificate (42).
//
// spec: rfc5246#7.2.2
func (e *HostnameError) Alert() uint8 { return AlertBadCertificate }

func timeDetail(c *Certificate, now time.Time) string {
	const f = time.RFC3339
	return fmt.Sprintf("valid from %s to %s, checked at %s", c.NotBefore.UTC().Format(f), c.NotAfter.UTC().Format(f), now.UTC().Format(f))
}
