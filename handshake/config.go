package handshake

import (
	"crypto"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"minitls/cipher/ecdsa"
	"minitls/cipher/rsa"
	"minitls/x509lite"
)

// Certificate is a chain with its private key, what a server presents.
//
// spec: rfc5246#7.4.2
type Certificate struct {
	// Certificate is the chain in DER, leaf first, as sent in the
	// Certificate message (spec: rfc5246#7.4.2).
	Certificate [][]byte
	// PrivateKey decrypts the ClientKeyExchange; it must match the leaf.
	PrivateKey *rsa.PrivateKey
	// ECDSAKey is the private key of a leaf with an ECDSA key (P-256 or
	// P-384), which signs the ServerKeyExchange of the ECDHE_ECDSA suites;
	// PrivateKey is then nil. spec: rfc8422#2.1
	ECDSAKey *ecdsa.PrivateKey
	// Leaf is the parsed leaf; X509KeyPair fills it in. When nil it is
	// parsed on first use.
	Leaf *x509lite.Certificate
}

// X509KeyPair builds a Certificate from a PEM chain (leaf first) and a PEM
// private key, RSA (PKCS#1 or PKCS#8) or ECDSA P-256/P-384 (SEC 1 or
// PKCS#8), checking that the key matches the leaf.
//
// spec: rfc5246#7.4.2 (certificate_list: sender's certificate first),
// rfc7468#5, rfc8017#A.1.2
func X509KeyPair(certPEM, keyPEM []byte) (Certificate, error) {
	chain, key, err := x509lite.KeyPairFromPEMWithKey(certPEM, keyPEM)
	if err != nil {
		return Certificate{}, err
	}
	return certificateFromChain(chain, key)
}

// LoadX509KeyPair reads a PEM chain and key from files; see X509KeyPair.
//
// spec: rfc5246#7.4.2, rfc7468#5
func LoadX509KeyPair(certFile, keyFile string) (Certificate, error) {
	chain, key, err := x509lite.LoadKeyPairWithKey(certFile, keyFile)
	if err != nil {
		return Certificate{}, err
	}
	return certificateFromChain(chain, key)
}

func certificateFromChain(chain []*x509lite.Certificate, key crypto.Signer) (Certificate, error) {
	if len(chain) == 0 {
		return Certificate{}, fmt.Errorf("%w: no certificate in the PEM data", ErrConfig)
	}
	c := Certificate{Leaf: chain[0]}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		c.PrivateKey = k
	case *ecdsa.PrivateKey:
		c.ECDSAKey = k
	}
	for _, cert := range chain {
		c.Certificate = append(c.Certificate, cert.Raw)
	}
	return c, nil
}

// Config configures a client or a server, like crypto/tls.Config. A Config
// may be shared by many connections and must not be modified after use.
//
// spec: rfc5246#7.4.1.2 (what a client offers), rfc5246#7.4.1.3 (what a
// server chooses)
type Config struct {
	// Certificates holds the server's chains; the first whose leaf names the
	// client's SNI host is used, else the first. On a client, the chains it
	// may answer a CertificateRequest with: the first that suits the request
	// (CertificateRequestInfo.SupportsCertificate), unless
	// GetClientCertificate is set.
	Certificates []Certificate

	// GetClientCertificate, when set, chooses the client's certificate for
	// a server's CertificateRequest instead of Certificates. A nil or empty
	// Certificate sends none. Clients only. spec: rfc5246#7.4.6
	GetClientCertificate func(*CertificateRequestInfo) (*Certificate, error)

	// ClientAuth is the server's policy for client certificates (mutual
	// TLS): NoClientCert (the zero value) sends no CertificateRequest. The
	// client's chain, when it presents one, is in the server's
	// ConnectionState.PeerCertificates. Servers only. spec: rfc5246#7.4.4,
	// rfc8446#4.3.2
	ClientAuth ClientAuthType

	// ClientCAs are the authorities a client certificate must chain to
	// under VerifyClientCertIfGiven and RequireAndVerifyClientCert; their
	// subjects are listed in the CertificateRequest. Servers only.
	ClientCAs *x509lite.CertPool

	// RootCAs are the trust anchors for the server's chain. Nil means the
	// system's roots (x509lite.SystemCertPool). Clients only.
	RootCAs *x509lite.CertPool

	// ServerName is the name the client checks the server's certificate
	// against and sends as SNI (when it is a host name, not an IP address;
	// spec: rfc6066#3 "Literal IPv4 and IPv6 addresses are not permitted").
	// On a server it is ignored; the client's SNI is in ConnectionState.
	ServerName string

	// CipherSuites lists the enabled suites. A server picks by this order,
	// not the client's. Nil means DefaultCipherSuites (ECDHE first).
	// Unknown values are ignored. To offer only RSA key transport, list
	// TLS_RSA_WITH_AES_128_GCM_SHA256 and TLS_RSA_WITH_AES_256_GCM_SHA384.
	CipherSuites []uint16

	// CurvePreferences lists the ECDHE groups to offer (client) or accept
	// (server), in preference order: CurveX25519, CurveP256 and CurveP384.
	// Nil means all three in that order (TLS 1.3 puts X25519MLKEM768
	// first). Unknown values are ignored. spec: rfc8422#5.1.1
	CurvePreferences []CurveID

	// MinVersion and MaxVersion bound the protocol versions this side
	// negotiates: VersionTLS12 (0x0303) or VersionTLS13 (0x0304). Zero
	// means TLS 1.2 and TLS 1.3, TLS 1.3 preferred when both sides have it
	// (negotiated by supported_versions, rfc8446#4.2.1). TLS 1.3 is off too
	// when CipherSuites is set and lists no TLS 1.3 suite.
	MinVersion uint16
	MaxVersion uint16

	// NextProtos lists ALPN protocols in preference order (spec: rfc7301).
	NextProtos []string

	// InsecureSkipVerify makes the client accept any server certificate.
	// It defeats TLS's protection against active attackers: only for tests
	// and for looking at a server's certificate.
	InsecureSkipVerify bool

	// KeyLogWriter, when set, receives one line per connection in the NSS
	// key log format ("CLIENT_RANDOM <client random> <master secret>", both
	// in hex) so Wireshark can decrypt a capture. It exposes every session
	// key: only for debugging.
	KeyLogWriter io.Writer

	// Time returns the current time for certificate checks. Nil means
	// time.Now. With Rand fixed too, handshakes are reproducible byte for
	// byte (minitls's randoms are all random, with no time in them).
	Time func() time.Time

	// Rand is the source of every random byte the handshake uses: hello
	// randoms, the premaster secret, PKCS#1 padding, RSA blinding and the
	// fallback premaster secret. Nil means crypto/rand.Reader. A
	// deterministic Rand is for tests and demonstrations only.
	Rand io.Reader

	// Trace, when set, receives an Event for every record, handshake
	// message, phase change, key-derivation step and alert: for teaching
	// and debugging. Its key-derivation events carry a label and a length,
	// not the secret itself, unless TraceSecrets is set.
	Trace func(Event)

	// TraceSecrets, when set, puts the value of each key-derivation step
	// (premaster secret, master secret, key block, keys and IVs) in the
	// Secret field of Trace's EventKey events, so that a demonstration can
	// show the key schedule. It exposes every session key to the Trace
	// hook: never set it on a connection that protects real data.
	// spec: rfc5246#8.1, rfc5246#6.3 (the secrets it exposes)
	TraceSecrets bool

	// ClientSessionCache, when set, lets a client resume sessions: it
	// offers the cached session's ticket or session_id and, if the server
	// agrees, skips the certificate and the key exchange (see session.go).
	// Nil means every handshake is a full one, and no session_ticket
	// extension is sent (as crypto/tls does). Clients only.
	// spec: rfc5246#7.3, rfc5077#3.1
	ClientSessionCache ClientSessionCache

	// SessionTicketsDisabled stops a server from issuing and accepting
	// session tickets, and a client from offering them (it may still offer
	// a session_id). spec: rfc5077#3.2
	SessionTicketsDisabled bool

	// SessionCacheSize is the number of sessions a server remembers for
	// session_id resumption (least recently used evicted first). Zero
	// disables the cache: the ServerHello's session_id is then empty and
	// only tickets resume. Servers only. spec: rfc5246#7.4.1.3
	SessionCacheSize int

	// SessionLifetime bounds how long a session can be resumed, by
	// session_id or ticket, counted from its full handshake. Zero means
	// DefaultSessionLifetime. spec: rfc5246#F.1.4, rfc5077#3.3
	SessionLifetime time.Duration

	// TicketKeyRotation is how long a server seals new tickets under one
	// key; the previous key still opens tickets for one more period, then
	// is forgotten. Zero means DefaultTicketKeyRotation. spec: rfc5077#5.5
	TicketKeyRotation time.Duration

	// sessions is a server's session cache and ticket keys, made on first
	// use or by Clone (serverSessions), and shared with clones.
	sessions *serverSessions

	// disableEMS turns off the extended master secret (a test hook: every
	// real peer should use RFC 7627).
	disableEMS bool
	// phaseLog, when set, collects every phase (a test hook).
	phaseLog *[]Phase
	// testHookFlight rewrites each outgoing flight after it was hashed, to
	// play a peer that sends mangled messages (a test hook).
	testHookFlight func(msgs [][]byte) [][]byte
	// testPremasterVersion, when set, replaces client_version in the
	// premaster secret the client encrypts (a test hook).
	testPremasterVersion uint16
	// testRawRecords writes flights as plaintext records straight to the
	// transport, bypassing the record layer's checks (a test hook).
	testRawRecords bool
	// testEditClientHello edits the ClientHello before it is marshalled
	// and hashed, to play clients with unusual hellos (a test hook).
	testEditClientHello func(*ClientHello)
	// testSkipCCS omits our ChangeCipherSpec (a test hook).
	testSkipCCS bool
}

func (c *Config) rand() io.Reader {
	if c.Rand != nil {
		return c.Rand
	}
	return rand.Reader
}

func (c *Config) time() time.Time {
	if c.Time != nil {
		return c.Time()
	}
	return time.Now()
}

// enabledSuites returns the suites to offer or accept, in preference order.
func (c *Config) enabledSuites() []*suite {
	if c.CipherSuites == nil {
		return suites
	}
	var out []*suite
	for _, id := range c.CipherSuites {
		if s := suiteByID(CipherSuite(id)); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// Clone returns a shallow copy of c. The copy shares c's session cache and
// ticket keys, so a server that clones its Config for each connection still
// resumes the sessions of the others.
func (c *Config) Clone() *Config {
	if c == nil {
		return nil
	}
	c.serverSessions() // create the shared state before copying the pointer
	n := *c
	return &n
}

// hostnameForSNI returns the name to send in server_name, or "" when the
// name is empty or an IP literal. A fully qualified name loses its trailing
// dot.
//
// spec: rfc6066#3 ("...represented as a byte string using ASCII encoding
// without a trailing dot.")
func hostnameForSNI(name string) string {
	if name == "" || net.ParseIP(name) != nil {
		return ""
	}
	return strings.TrimSuffix(name, ".")
}

var keyLogMu sync.Mutex

// writeKeyLog writes the NSS key log line for this connection.
// Format: https://nss-crypto.org/reference/security/nss/legacy/key_log_format/
func (c *Config) writeKeyLog(clientRandom, masterSecret []byte) error {
	if c.KeyLogWriter == nil {
		return nil
	}
	// One line per Write, never interleaved, even when many connections
	// share the writer.
	keyLogMu.Lock()
	defer keyLogMu.Unlock()
	_, err := fmt.Fprintf(c.KeyLogWriter, "CLIENT_RANDOM %x %x\n", clientRandom, masterSecret)
	return err
}
