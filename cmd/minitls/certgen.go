package main

// minitls certgen, and the certificate issuing that demo shares with it:
// a CA and a server certificate made with minitls's own RSA key generation
// (cipher/rsa) and X.509 issuing (x509lite).

import (
	"crypto"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
	"minitls/x509lite"
)

func init() {
	register(command{
		name:    "certgen",
		summary: "make a CA, a server and a client certificate (ca, server, client)",
		order:   40,
		run:     certgenRun,
	})
}

// certgenPKI is a CA and a server certificate issued by it. The keys are
// RSA (caKey, leafKey) or, with certgen -key ecdsa, ECDSA (caECKey,
// leafECKey).
type certgenPKI struct {
	caKey, leafKey     *rsa.PrivateKey
	caECKey, leafECKey *ecdsa.PrivateKey
	caDER, leafDER     []byte
	ca, leaf           *x509lite.Certificate
}

// caSigner is the CA's private key, of either kind.
func (p *certgenPKI) caSigner() crypto.Signer {
	if p.caECKey != nil {
		return p.caECKey
	}
	return p.caKey
}

// certgenIssue generates the two keys (reporting progress on progress,
// because RSA key generation takes a noticeable time) and issues a CA
// certificate and a server certificate for hosts, valid from an hour before
// now (to tolerate clock skew) for the given durations.
//
// The server certificate carries what browsers insist on for RSA key
// transport: keyUsage digitalSignature and keyEncipherment (the premaster
// secret is encrypted to this key, spec: rfc5280#4.2.1.3, rfc5246#7.4.2),
// extKeyUsage serverAuth (spec: rfc5280#4.2.1.12), and every name in
// subjectAltName, because clients ignore the Common Name (spec:
// rfc6125#6.4.4).
func certgenIssue(random io.Reader, bits int, hosts []string, caName string, now time.Time,
	caLife, leafLife time.Duration, progress io.Writer) (*certgenPKI, error) {
	var pki certgenPKI
	var err error
	gen := func(what string) (*rsa.PrivateKey, error) {
		fmt.Fprintf(progress, "generating RSA-%d %s key… ", bits, what)
		start := time.Now()
		k, err := rsa.GenerateKey(random, bits)
		if err != nil {
			fmt.Fprintln(progress, "failed")
			return nil, fmt.Errorf("generating the %s key: %w", what, err)
		}
		fmt.Fprintf(progress, "done in %s\n", cliDuration(time.Since(start)))
		return k, nil
	}
	if pki.caKey, err = gen("CA"); err != nil {
		return nil, err
	}
	if pki.leafKey, err = gen("server"); err != nil {
		return nil, err
	}
	return &pki, pki.issue(random, hosts, caName, now, caLife, leafLife)
}

// certgenIssueECDSA is certgenIssue with ECDSA keys on curve for the CA
// and the server (certgen -key ecdsa). An ECDSA key is generated in well
// under a millisecond; RSA key generation searches for primes.
func certgenIssueECDSA(random io.Reader, curve *ecdsa.Curve, hosts []string, caName string, now time.Time,
	caLife, leafLife time.Duration) (*certgenPKI, error) {
	var pki certgenPKI
	var err error
	if pki.caECKey, err = ecdsa.GenerateKey(curve, random); err != nil {
		return nil, fmt.Errorf("generating the CA key: %w", err)
	}
	if pki.leafECKey, err = ecdsa.GenerateKey(curve, random); err != nil {
		return nil, fmt.Errorf("generating the server key: %w", err)
	}
	return &pki, pki.issue(random, hosts, caName, now, caLife, leafLife)
}

// issue makes the CA and server certificates for the keys in p.
func (pki *certgenPKI) issue(random io.Reader, hosts []string, caName string, now time.Time, caLife, leafLife time.Duration) error {
	var err error
	caPub, leafPub := crypto.PublicKey(nil), crypto.PublicKey(nil)
	usage := x509lite.KeyUsageDigitalSignature | x509lite.KeyUsageKeyEncipherment
	if pki.caECKey != nil {
		caPub = pki.caECKey.Public()
	} else {
		caPub = &pki.caKey.PublicKey
	}
	if pki.leafECKey != nil {
		leafPub = pki.leafECKey.Public()
		// An ECDSA key signs; it cannot encrypt a premaster secret.
		// spec: rfc5480#3
		usage = x509lite.KeyUsageDigitalSignature
	} else {
		leafPub = &pki.leafKey.PublicKey
	}
	start := now.Add(-time.Hour).UTC().Truncate(time.Second)
	caTmpl := &x509lite.Certificate{
		Subject:               x509lite.NewName(x509lite.Attr(x509lite.OIDOrganization, "minitls"), x509lite.Attr(x509lite.OIDCommonName, caName)),
		NotBefore:             start,
		NotAfter:              start.Add(caLife),
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
		KeyUsage:              x509lite.KeyUsageCertSign | x509lite.KeyUsageCRLSign,
	}
	if pki.caDER, err = x509lite.CreateCertificateWithKey(random, caTmpl, caTmpl, caPub, pki.caSigner()); err != nil {
		return fmt.Errorf("issuing the CA certificate: %w", err)
	}
	if pki.ca, err = x509lite.ParseCertificate(pki.caDER); err != nil {
		return fmt.Errorf("parsing the CA certificate just issued: %w", err)
	}
	leafTmpl := &x509lite.Certificate{
		Subject:     x509lite.NewName(x509lite.Attr(x509lite.OIDOrganization, "minitls"), x509lite.Attr(x509lite.OIDCommonName, hosts[0])),
		NotBefore:   start,
		NotAfter:    start.Add(leafLife),
		KeyUsage:    usage,
		ExtKeyUsage: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			leafTmpl.IPAddresses = append(leafTmpl.IPAddresses, ip)
		} else {
			leafTmpl.DNSNames = append(leafTmpl.DNSNames, h)
		}
	}
	if pki.leafDER, err = x509lite.CreateCertificateWithKey(random, leafTmpl, pki.ca, leafPub, pki.caSigner()); err != nil {
		return fmt.Errorf("issuing the server certificate: %w", err)
	}
	if pki.leaf, err = x509lite.ParseCertificate(pki.leafDER); err != nil {
		return fmt.Errorf("parsing the server certificate just issued: %w", err)
	}
	return nil
}

// certgenHosts splits and checks a -host list.
func certgenHosts(list string) ([]string, error) {
	var hosts []string
	for _, h := range strings.Split(list, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if strings.ContainsAny(h, " /:") && net.ParseIP(h) == nil {
			return nil, fmt.Errorf("-host: %q is neither a host name nor an IP address", h)
		}
		hosts = append(hosts, h)
	}
	if len(hosts) == 0 {
		return nil, errors.New("-host: give at least one name, e.g. -host localhost,127.0.0.1")
	}
	return hosts, nil
}

func certgenBits(bits int) error {
	if bits != 2048 && bits != 3072 {
		return &exitError{code: 2, err: fmt.Errorf("-bits must be 2048 or 3072, not %d", bits)}
	}
	return nil
}

func certgenPEM(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func certgenRun(args []string, stdout, stderr io.Writer) error {
	set := newFlagSet("certgen", "[-dir DIR] [-host NAMES] [-key rsa|ecdsa] [flags]",
		"Makes a private CA, a server certificate and a client certificate it signs,\n"+
			"with minitls's own key generation and X.509 issuing, and writes them to DIR:\n"+
			"  ca.pem      the CA certificate: give it to clients (-cafile, curl --cacert)\n"+
			"              and, for mutual TLS, to the server (serve -clientca)\n"+
			"  ca.key      the CA's private key (keep it, or delete it once done)\n"+
			"  server.pem  the server certificate, then the CA: the chain serve sends\n"+
			"  server.key  the server's private key (serve -key)\n"+
			"  client.pem  a client certificate (ECDSA P-256, clientAuth), then the CA:\n"+
			"              what get -cert and curl --cert present to serve -clientca\n"+
			"  client.key  the client's private key (get -key, curl --key)\n"+
			"Existing files are never overwritten unless -force is given.", stderr)
	dir := set.String("dir", ".", "directory to write the six files to (created if missing)")
	hostList := set.String("host", "localhost,127.0.0.1", "server names and IPs, comma-separated")
	bits := set.Int("bits", 2048, "RSA key size: 2048 or 3072")
	keyKind := set.String("key", "rsa", "key type of the CA and the server: rsa or ecdsa")
	curveName := set.String("curve", "p256", "ECDSA curve with -key ecdsa: p256 or p384")
	days := set.Int("days", 397, "server certificate validity in days (CA: ten years)")
	force := set.Bool("force", false, "overwrite existing files")
	if err := parseFlags(set, args); err != nil {
		return err
	}
	if set.NArg() > 0 {
		return &exitError{code: 2, err: fmt.Errorf("unexpected argument %q (flags go before arguments; see -h)", set.Arg(0))}
	}
	if err := certgenBits(*bits); err != nil {
		return err
	}
	curve, err := certgenKeyKind(*keyKind, *curveName)
	if err != nil {
		return err
	}
	if *days < 1 {
		return &exitError{code: 2, err: errors.New("-days must be at least 1")}
	}
	hosts, err := certgenHosts(*hostList)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if st, err := os.Stat(*dir); err == nil && !st.IsDir() {
		return &exitError{code: 2, err: fmt.Errorf("-dir %s is a file, not a directory: name a directory (it is created if missing)", *dir)}
	}
	names := []string{"ca.pem", "ca.key", "server.pem", "server.key", "client.pem", "client.key"}
	paths := make([]string, len(names))
	var existing []string
	for i, n := range names {
		paths[i] = filepath.Join(*dir, n)
		// Lstat: a symlink at the path exists too, even a dangling one.
		if _, err := os.Lstat(paths[i]); err == nil {
			existing = append(existing, paths[i])
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if len(existing) > 0 && !*force {
		return fmt.Errorf("refusing to overwrite %s (pass -force to replace them)", strings.Join(existing, ", "))
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("-dir: cannot create the directory: %w", err)
	}
	var pki *certgenPKI
	if curve != nil {
		pki, err = certgenIssueECDSA(rand.Reader, curve, hosts, "minitls local CA", time.Now(),
			10*365*24*time.Hour, time.Duration(*days)*24*time.Hour)
	} else {
		pki, err = certgenIssue(rand.Reader, *bits, hosts, "minitls local CA", time.Now(),
			10*365*24*time.Hour, time.Duration(*days)*24*time.Hour, stderr)
	}
	if err != nil {
		return err
	}
	caKeyPEM, leafKeyPEM, err := pki.keyPEMs()
	if err != nil {
		return err
	}
	client, err := certgenIssueClient(rand.Reader, pki, "minitls client", time.Now(), time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	clientKey, err := x509lite.MarshalECPrivateKey(client.key)
	if err != nil {
		return fmt.Errorf("encoding the client key: %w", err)
	}
	files := [][]byte{
		certgenPEM("CERTIFICATE", pki.caDER),
		caKeyPEM,
		append(certgenPEM("CERTIFICATE", pki.leafDER), certgenPEM("CERTIFICATE", pki.caDER)...),
		leafKeyPEM,
		append(certgenPEM("CERTIFICATE", client.der), certgenPEM("CERTIFICATE", pki.caDER)...),
		certgenPEM("EC PRIVATE KEY", clientKey),
	}
	for i, p := range paths {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(p, ".key") {
			mode = 0o600
		}
		if err := certgenWriteFile(p, files[i], mode); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "wrote %s (CA %s, %s)\n", paths[0], pki.ca.Subject, pki.ca.PublicKeyAlgorithm())
	fmt.Fprintf(stdout, "wrote %s (the CA's private key, mode 0600)\n", paths[1])
	fmt.Fprintf(stdout, "wrote %s (server certificate for %s, %s, then the CA)\n", paths[2], strings.Join(hosts, ", "), pki.leaf.PublicKeyAlgorithm())
	fmt.Fprintf(stdout, "wrote %s (the server's private key, mode 0600)\n", paths[3])
	fmt.Fprintf(stdout, "wrote %s (client certificate %q, ECDSA P-256, then the CA)\n", paths[4], client.leaf.Subject.CommonName())
	fmt.Fprintf(stdout, "wrote %s (the client's private key, mode 0600)\n", paths[5])
	fmt.Fprintf(stdout, "server certificate valid until %s\n", pki.leaf.NotAfter.Format("2006-01-02 15:04 MST"))
	fmt.Fprintln(stdout, "next:")
	fmt.Fprintf(stdout, "  minitls serve -cert %s -key %s\n", paths[2], paths[3])
	fmt.Fprintf(stdout, "  minitls get -cafile %s https://%s:8443/\n", paths[0], certgenURLHost(hosts[0]))
	fmt.Fprintln(stdout, "mutual TLS (the server asks for the client certificate):")
	fmt.Fprintf(stdout, "  minitls serve -cert %s -key %s -clientca %s -clientauth require\n", paths[2], paths[3], paths[0])
	fmt.Fprintf(stdout, "  minitls get -cafile %s -cert %s -key %s https://%s:8443/\n", paths[0], paths[4], paths[5], certgenURLHost(hosts[0]))
	fmt.Fprintf(stdout, "  curl --cacert %s --cert %s --key %s https://%s:8443/\n", paths[0], paths[4], paths[5], certgenURLHost(hosts[0]))
	return nil
}

// certgenWriteFile puts data at path with exactly mode, even under -force:
// it writes a new file, created with O_EXCL (so never a file or a symlink
// someone else put there) and mode from its first byte, then renames it
// over path. Rewriting in place would keep an existing file's looser mode
// and follow a symlink at path to wherever it points; rename replaces the
// directory entry itself, so a private key is never readable by others,
// not even for a moment, and lands where it was asked to.
func certgenWriteFile(path string, data []byte, mode os.FileMode) error {
	dir, base := filepath.Split(path)
	var f *os.File
	var tmp string
	for i := 0; ; i++ {
		var suffix [6]byte
		if _, err := rand.Read(suffix[:]); err != nil {
			return err
		}
		tmp = filepath.Join(dir, fmt.Sprintf(".%s.%x.tmp", base, suffix))
		var err error
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || i == 9 {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	err := f.Chmod(mode) // the umask may have narrowed a .pem's 0644
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func certgenURLHost(h string) string {
	if ip := net.ParseIP(h); ip != nil && ip.To4() == nil {
		return "[" + h + "]"
	}
	return h
}

// certgenKeyKind checks -key and -curve: nil for RSA, else the curve.
func certgenKeyKind(kind, curve string) (*ecdsa.Curve, error) {
	switch kind {
	case "rsa":
		return nil, nil
	case "ecdsa":
		switch curve {
		case "p256", "P-256":
			return ecdsa.P256(), nil
		case "p384", "P-384":
			return ecdsa.P384(), nil
		}
		return nil, &exitError{code: 2, err: fmt.Errorf("-curve must be p256 or p384, not %q", curve)}
	}
	return nil, &exitError{code: 2, err: fmt.Errorf("-key must be rsa or ecdsa, not %q", kind)}
}

// keyPEMs encodes the CA's and the server's private keys: "RSA PRIVATE
// KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC 1), the forms OpenSSL writes.
func (pki *certgenPKI) keyPEMs() (ca, leaf []byte, err error) {
	if pki.caECKey == nil {
		return certgenPEM("RSA PRIVATE KEY", x509lite.MarshalPKCS1PrivateKey(pki.caKey)),
			certgenPEM("RSA PRIVATE KEY", x509lite.MarshalPKCS1PrivateKey(pki.leafKey)), nil
	}
	caDER, err := x509lite.MarshalECPrivateKey(pki.caECKey)
	if err != nil {
		return nil, nil, err
	}
	leafDER, err := x509lite.MarshalECPrivateKey(pki.leafECKey)
	if err != nil {
		return nil, nil, err
	}
	return certgenPEM("EC PRIVATE KEY", caDER), certgenPEM("EC PRIVATE KEY", leafDER), nil
}
