package x509lite

import "testing"

// TestCertificateInvalidErrorText: a reason that reads as a state follows
// "is" ("certificate "x" is expired"); a reason that names a fault follows a
// colon ("certificate "x": bad signature"); the certificate's subject is
// named when known, and Detail comes last.
func TestCertificateInvalidErrorText(t *testing.T) {
	cert := &Certificate{Subject: NewName(Attr(OIDCommonName, "leaf"))}
	for _, c := range []struct {
		reason InvalidReason
		want   string
	}{
		{Expired, `x509lite: certificate "CN=leaf" is expired: at noon`},
		{NotYetValid, `x509lite: certificate "CN=leaf" is not yet valid: at noon`},
		{NotAuthorizedToSign, `x509lite: certificate "CN=leaf" is not authorized to sign other certificates: at noon`},
		{TooManyIntermediates, `x509lite: certificate "CN=leaf" is too many intermediates for the issuer's path length constraint: at noon`},
		{BadSignature, `x509lite: certificate "CN=leaf": bad signature: at noon`},
		{IncompatibleUsage, `x509lite: certificate "CN=leaf": extended key usage does not permit this use: at noon`},
		{UnhandledCriticalExtension, `x509lite: certificate "CN=leaf": unhandled critical extension: at noon`},
		{ChainTooLong, `x509lite: certificate "CN=leaf" is chain too long: at noon`},
		{UnsupportedConstraints, `x509lite: certificate "CN=leaf": constrained in a way minitls does not enforce: at noon`},
		{UnsupportedKeySize, `x509lite: certificate "CN=leaf": RSA key size refused: at noon`},
		{EndEntityIsCA, `x509lite: certificate "CN=leaf" is a CA certificate, which cannot serve as a TLS server's certificate: at noon`},
	} {
		if got := (&CertificateInvalidError{Cert: cert, Reason: c.reason, Detail: "at noon"}).Error(); got != c.want {
			t.Errorf("%v:\n got %s\nwant %s", c.reason, got, c.want)
		}
	}
	if got, want := (&CertificateInvalidError{Reason: BadSignature}).Error(), "x509lite: certificate: bad signature"; got != want {
		t.Errorf("no certificate, no detail: got %q, want %q", got, want)
	}
}
