package handshake

import (
	"crypto"
	"fmt"
	"io"

	"minitls/cipher/rsa"
)

// ecCurveTypeNamed is the only ECCurveType minitls accepts: the curve is
// named by its NamedCurve code. The explicit encodings (explicit_prime(1),
// explicit_char2(2)) are deprecated and "MUST NOT be used".
//
// spec: rfc8422#5.4
const ecCurveTypeNamed uint8 = 3

// ServerKeyExchange carries, for the ECDHE_RSA suites, the server's
// ephemeral public value on a named curve, signed with the key of the
// server's certificate so the client knows the value comes from the server
// it authenticated (and not from a man in the middle).
//
//	enum { explicit_prime (1), explicit_char2 (2),
//	       named_curve (3), reserved(248..255) } ECCurveType;
//
//	struct {
//	    ECCurveType    curve_type;
//	    select (curve_type) {
//	        case named_curve:
//	            NamedCurve namedcurve;
//	    };
//	} ECParameters;
//
//	struct {
//	    opaque point <1..2^8-1>;
//	} ECPoint;
//
//	struct {
//	    ECParameters    curve_params;
//	    ECPoint         public;
//	} ServerECDHParams;
//
//	struct {
//	    select (KeyExchangeAlgorithm) {
//	        case ec_diffie_hellman:
//	            ServerECDHParams    params;
//	            Signature           signed_params;
//	    };
//	} ServerKeyExchange;
//
// In TLS 1.2 signed_params is a digitally-signed struct: the
// SignatureAndHashAlgorithm, then opaque signature<0..2^16-1>, over
// ClientHello.random + ServerHello.random + ServerECDHParams.
//
// spec: rfc8422#5.4, rfc5246#7.4.3, rfc5246#4.7
type ServerKeyExchange struct {
	Raw                []byte // as received; nil when built locally
	NamedCurve         CurveID
	PublicKey          []byte // ECPoint.point: the server's ephemeral public value
	SignatureAlgorithm SignatureScheme
	Signature          []byte
}

// Type returns TypeServerKeyExchange.
func (*ServerKeyExchange) Type() HandshakeType { return TypeServerKeyExchange }

// marshalParams writes ServerECDHParams, the signed part.
func (m *ServerKeyExchange) marshalParams(b *builder) {
	b.u8(ecCurveTypeNamed)
	b.u16(uint16(m.NamedCurve))
	b.opaque(1, 1, 255, "point", m.PublicKey)
}

// Params returns the ServerECDHParams bytes the signature covers: as
// received when the message was parsed (we hash what the peer sent, STYLE
// §2), else as marshalled.
//
// spec: rfc8422#5.4
func (m *ServerKeyExchange) Params() ([]byte, error) {
	if m.Raw != nil {
		// curve_type (1) + namedcurve (2) + point length (1) + point;
		// parse checked these bounds.
		n := headerLen + 4 + len(m.PublicKey)
		if n <= len(m.Raw) {
			return m.Raw[headerLen:n:n], nil
		}
	}
	var b builder
	m.marshalParams(&b)
	return b.result()
}

// Marshal serializes the message from its fields.
func (m *ServerKeyExchange) Marshal() ([]byte, error) {
	return marshalMessage(TypeServerKeyExchange, func(b *builder) {
		m.marshalParams(b)
		b.u16(uint16(m.SignatureAlgorithm))
		b.opaque(2, 0, 1<<16-1, "signature", m.Signature)
	})
}

// Unmarshal parses a whole ServerKeyExchange of an ECDHE suite; m.Raw keeps
// a copy of data. A curve_type other than named_curve is illegal_parameter.
func (m *ServerKeyExchange) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n ServerKeyExchange
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *ServerKeyExchange) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n ServerKeyExchange; return n.parse(d, rec) })
}

func (m *ServerKeyExchange) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeServerKeyExchange, "ServerKeyExchange", rec, func(r *reader) {
		ct := r.u8("curve_type")
		if r.failed() {
			return
		}
		r.note(label(curveTypeName(ct)))
		if ct != ecCurveTypeNamed {
			r.failErr(&ParseError{What: "ServerKeyExchange", Reason: fmt.Sprintf("curve_type %s; only named_curve(3) is allowed (rfc8422#5.4)", curveTypeName(ct)), Illegal: true})
			return
		}
		m.NamedCurve = CurveID(r.u16("namedcurve"))
		r.note(m.NamedCurve)
		m.PublicKey = r.opaque(1, 1, 255, "point")
		m.SignatureAlgorithm = SignatureScheme(r.u16("signature_algorithm"))
		r.note(m.SignatureAlgorithm)
		m.Signature = r.opaque(2, 0, 1<<16-1, "signature")
	})
}

func curveTypeName(ct uint8) string {
	switch ct {
	case 1:
		return "explicit_prime(1)"
	case 2:
		return "explicit_char2(2)"
	case ecCurveTypeNamed:
		return "named_curve(3)"
	}
	return fmt.Sprintf("%d", ct)
}

// signedParamsDigest hashes what ServerKeyExchange's signature covers:
// client_random + server_random + ServerECDHParams, with the hash of the
// chosen signature scheme.
//
//	digitally-signed struct {
//	    opaque client_random[32];
//	    opaque server_random[32];
//	    ServerECDHParams params;
//	} signed_params;
//
// spec: rfc8422#5.4, rfc5246#4.7
func signedParamsDigest(h crypto.Hash, clientRandom, serverRandom, params []byte) []byte {
	d := h.New()
	d.Write(clientRandom)
	d.Write(serverRandom)
	d.Write(params)
	return d.Sum(nil)
}

// signatureHash returns the hash of a scheme minitls can sign and verify
// with an RSA key (rsa_pkcs1_* and rsa_pss_rsae_* with SHA-256, SHA-384 or
// SHA-512), or 0.
//
// spec: rfc5246#7.4.1.4.1, rfc8446#4.2.3
func signatureHash(s SignatureScheme) crypto.Hash {
	switch s {
	case PKCS1WithSHA256, PSSWithSHA256, ECDSAWithP256AndSHA256:
		return crypto.SHA256
	case PKCS1WithSHA384, PSSWithSHA384, ECDSAWithP384AndSHA384:
		return crypto.SHA384
	case PKCS1WithSHA512, PSSWithSHA512:
		return crypto.SHA512
	}
	return 0
}

// isPSS reports whether s is one of the rsa_pss_rsae_* schemes: RSASSA-PSS
// with MGF1 over the same hash and a salt as long as the hash.
//
// spec: rfc8446#4.2.3
func isPSS(s SignatureScheme) bool {
	return s == PSSWithSHA256 || s == PSSWithSHA384 || s == PSSWithSHA512
}

// clientSignatureSchemes is the client's signature_algorithms, most
// preferred first: the schemes it can verify, in crypto/tls's order (PSS
// and ECDSA of each hash before PKCS#1 v1.5).
//
// spec: rfc5246#7.4.1.4.1, rfc8446#4.2.3
var clientSignatureSchemes = []SignatureScheme{
	PSSWithSHA256, ECDSAWithP256AndSHA256, PSSWithSHA384, ECDSAWithP384AndSHA384, PSSWithSHA512,
	PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512,
}

// clientCertSignatureSchemes is the client's signature_algorithms_cert:
// the schemes x509lite verifies in certificates, ECDSA and PKCS#1 v1.5 (no
// PSS). Without
// it, signature_algorithms (which lists PSS) would also say which
// signatures the client accepts in the server's chain.
//
// spec: rfc8446#4.2.3, rfc5246#7.4.2
var clientCertSignatureSchemes = []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512}

// pssOptions are the RSASSA-PSS parameters of rsa_pss_rsae_*: "The length
// of the Salt MUST be equal to the length of the output of the digest
// algorithm", and MGF1 uses the same hash.
//
// spec: rfc8446#4.2.3
var pssOptions = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}

// signatureFits reports whether key can sign with s: PSS needs
// emLen >= 2·hLen + 2 (rfc8017#9.1.1 step 3 with sLen = hLen), which a
// 1024-bit key does not give SHA-512. emLen is k, or k - 1 for a modulus
// of 8m + 1 bits; the smaller one is assumed.
func signatureFits(s SignatureScheme, key *rsa.PublicKey) bool {
	if !isPSS(s) {
		return signatureHash(s) != 0
	}
	return key.Size()-1 >= 2*signatureHash(s).Size()+2
}

// signDigest signs the digest of signed_params with the scheme s.
//
// spec: rfc5246#4.7, rfc8446#4.2.3
func signDigest(random io.Reader, key *rsa.PrivateKey, s SignatureScheme, digest []byte) ([]byte, error) {
	if isPSS(s) {
		return rsa.SignPSS(random, key, signatureHash(s), digest, pssOptions)
	}
	return rsa.SignPKCS1v15(random, key, signatureHash(s), digest)
}

// verifyDigest checks a signature over the digest of signed_params with
// the scheme s.
//
// spec: rfc5246#4.7, rfc8446#4.2.3
func verifyDigest(key *rsa.PublicKey, s SignatureScheme, digest, sig []byte) error {
	if isPSS(s) {
		return rsa.VerifyPSS(key, signatureHash(s), digest, sig, pssOptions)
	}
	return rsa.VerifyPKCS1v15(key, signatureHash(s), digest, sig)
}

// ECDHEClientKeyExchange is the ClientKeyExchange of the ECDHE suites: the
// client's ephemeral public value. (The same msg_type as the RSA
// ClientKeyExchange; which body to expect follows from the negotiated suite.)
//
//	struct {
//	    select (PublicValueEncoding) {
//	        case implicit: struct { };
//	        case explicit: ECPoint ecdh_Yc;
//	    } ecdh_public;
//	} ClientECDiffieHellmanPublic;
//
//	struct {
//	    select (KeyExchangeAlgorithm) {
//	        case ec_diffie_hellman: ClientECDiffieHellmanPublic;
//	    } exchange_keys;
//	} ClientKeyExchange;
//
// minitls has no client certificates, so the encoding is always explicit.
//
// spec: rfc8422#5.7
type ECDHEClientKeyExchange struct {
	Raw       []byte // as received; nil when built locally
	PublicKey []byte // ecdh_Yc: the client's ephemeral public value
}

// Type returns TypeClientKeyExchange.
func (*ECDHEClientKeyExchange) Type() HandshakeType { return TypeClientKeyExchange }

// Marshal serializes the message from its fields.
func (m *ECDHEClientKeyExchange) Marshal() ([]byte, error) {
	return marshalMessage(TypeClientKeyExchange, func(b *builder) {
		b.opaque(1, 1, 255, "ecdh_Yc", m.PublicKey)
	})
}

// Unmarshal parses a whole ECDHE ClientKeyExchange; m.Raw keeps a copy of
// data. The point itself is checked against the curve by the key agreement.
func (m *ECDHEClientKeyExchange) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n ECDHEClientKeyExchange
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *ECDHEClientKeyExchange) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n ECDHEClientKeyExchange; return n.parse(d, rec) })
}

func (m *ECDHEClientKeyExchange) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeClientKeyExchange, "ClientKeyExchange (ECDHE)", rec, func(r *reader) {
		m.PublicKey = r.opaque(1, 1, 255, "ecdh_Yc")
	})
}
