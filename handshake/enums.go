package handshake

import "fmt"

// HandshakeType is the msg_type byte of every handshake message.
//
//	enum {
//	    hello_request(0), client_hello(1), server_hello(2),
//	    certificate(11), server_key_exchange (12),
//	    certificate_request(13), server_hello_done(14),
//	    certificate_verify(15), client_key_exchange(16),
//	    finished(20), (255)
//	} HandshakeType;
//
// spec: rfc5246#7.4
type HandshakeType uint8

// Handshake message types. Only the ones minitls sends or must recognise to
// refuse are listed; String prints any other value in hex.
//
// spec: rfc5246#7.4, rfc5077#3.3, rfc6066#8
const (
	TypeHelloRequest       HandshakeType = 0
	TypeClientHello        HandshakeType = 1
	TypeServerHello        HandshakeType = 2
	TypeNewSessionTicket   HandshakeType = 4 // spec: rfc5077#3.3
	TypeCertificate        HandshakeType = 11
	TypeServerKeyExchange  HandshakeType = 12
	TypeCertificateRequest HandshakeType = 13
	TypeServerHelloDone    HandshakeType = 14
	TypeCertificateVerify  HandshakeType = 15
	TypeClientKeyExchange  HandshakeType = 16
	TypeFinished           HandshakeType = 20
	TypeCertificateStatus  HandshakeType = 22 // spec: rfc6066#8 (never requested by minitls)
)

var handshakeTypeNames = map[HandshakeType]string{
	TypeHelloRequest:       "hello_request",
	TypeClientHello:        "client_hello",
	TypeServerHello:        "server_hello",
	TypeNewSessionTicket:   "new_session_ticket",
	TypeCertificate:        "certificate",
	TypeServerKeyExchange:  "server_key_exchange",
	TypeCertificateRequest: "certificate_request",
	TypeServerHelloDone:    "server_hello_done",
	TypeCertificateVerify:  "certificate_verify",
	TypeClientKeyExchange:  "client_key_exchange",
	TypeFinished:           "finished",
	TypeCertificateStatus:  "certificate_status",
}

// String returns the RFC name, e.g. "client_hello", or "0x63" for an unknown value.
func (t HandshakeType) String() string {
	if s, ok := handshakeTypeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("0x%02x", uint8(t))
}

// CipherSuite is a two-byte cipher suite identifier.
//
//	uint8 CipherSuite[2];    /* Cryptographic suite selector */
//
// spec: rfc5246#7.4.1.2
type CipherSuite uint16

// Cipher suites minitls implements, and the signalling value it understands.
const (
	// spec: rfc5288#3
	TLS_RSA_WITH_AES_128_GCM_SHA256 CipherSuite = 0x009C
	// spec: rfc5288#3
	TLS_RSA_WITH_AES_256_GCM_SHA384 CipherSuite = 0x009D
	// TLS_EMPTY_RENEGOTIATION_INFO_SCSV is not a cipher suite: a client lists
	// it to say "I support secure renegotiation" without sending the
	// renegotiation_info extension.
	// spec: rfc5746#3.3
	TLS_EMPTY_RENEGOTIATION_INFO_SCSV CipherSuite = 0x00FF
	// TLS_FALLBACK_SCSV signals a downgraded retry; minitls speaks only TLS
	// 1.2, which is also its highest version, so it needs no action.
	// spec: rfc7507#3
	TLS_FALLBACK_SCSV CipherSuite = 0x5600
)

// cipherSuiteNames names the suites minitls implements plus the ones real
// clients commonly offer, so traces of a curl or browser ClientHello read well.
var cipherSuiteNames = map[CipherSuite]string{
	TLS_RSA_WITH_AES_128_GCM_SHA256:   "TLS_RSA_WITH_AES_128_GCM_SHA256",
	TLS_RSA_WITH_AES_256_GCM_SHA384:   "TLS_RSA_WITH_AES_256_GCM_SHA384",
	TLS_EMPTY_RENEGOTIATION_INFO_SCSV: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
	TLS_FALLBACK_SCSV:                 "TLS_FALLBACK_SCSV",
	0x002F:                            "TLS_RSA_WITH_AES_128_CBC_SHA",
	0x0035:                            "TLS_RSA_WITH_AES_256_CBC_SHA",
	0x003C:                            "TLS_RSA_WITH_AES_128_CBC_SHA256",
	0x003D:                            "TLS_RSA_WITH_AES_256_CBC_SHA256",
	0x009E:                            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
	0x009F:                            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
	0x1301:                            "TLS_AES_128_GCM_SHA256",
	0x1302:                            "TLS_AES_256_GCM_SHA384",
	0x1303:                            "TLS_CHACHA20_POLY1305_SHA256",
	0x1304:                            "TLS_AES_128_CCM_SHA256", // rfc8446#B.4; openssl -ciphersuites offers it
	0x1305:                            "TLS_AES_128_CCM_8_SHA256",
	0xC009:                            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
	0xC00A:                            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
	0xC013:                            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
	0xC014:                            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
	0xC02B:                            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	0xC02C:                            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	0xC02F:                            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	0xC030:                            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	0xCCA8:                            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
	0xCCA9:                            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
}

// String returns the IANA name, "GREASE(0x0a0a)" for a GREASE value, or the
// hex value.
func (s CipherSuite) String() string {
	if n, ok := cipherSuiteNames[s]; ok {
		return n
	}
	if isGREASE(uint16(s)) {
		return fmt.Sprintf("GREASE(0x%04x)", uint16(s))
	}
	return fmt.Sprintf("0x%04x", uint16(s))
}

// isGREASE reports whether v is one of the reserved values 0x?a?a that
// clients send so that servers learn to ignore what they do not know.
//
// spec: rfc8701#2
func isGREASE(v uint16) bool {
	return v&0x0f0f == 0x0a0a && v>>8 == v&0xff
}

// ExtensionType identifies a hello extension.
//
//	enum { signature_algorithms(13), (65535) } ExtensionType;
//
// spec: rfc5246#7.4.1.4
type ExtensionType uint16

// Extension types minitls understands (first group) or names in traces.
//
// spec: rfc5246#7.4.1.4 (IANA's ExtensionType registry)
const (
	ExtServerName           ExtensionType = 0     // spec: rfc6066#3
	ExtSignatureAlgorithms  ExtensionType = 13    // spec: rfc5246#7.4.1.4.1
	ExtALPN                 ExtensionType = 16    // spec: rfc7301#3.1
	ExtExtendedMasterSecret ExtensionType = 23    // spec: rfc7627#5.1
	ExtSupportedVersions    ExtensionType = 43    // spec: rfc8446#4.2.1
	ExtRenegotiationInfo    ExtensionType = 65281 // spec: rfc5746#3.2

	ExtStatusRequest      ExtensionType = 5  // spec: rfc6066#8
	ExtSupportedGroups    ExtensionType = 10 // spec: rfc8422#5.1.1
	ExtECPointFormats     ExtensionType = 11 // spec: rfc8422#5.1.2
	ExtSCT                ExtensionType = 18 // spec: rfc6962#3.3.1
	ExtPadding            ExtensionType = 21 // spec: rfc7685#3
	ExtEncryptThenMAC     ExtensionType = 22 // spec: rfc7366#2
	ExtSessionTicket      ExtensionType = 35 // spec: rfc5077#3.2
	ExtPreSharedKey       ExtensionType = 41 // spec: rfc8446#4.2.11
	ExtEarlyData          ExtensionType = 42 // spec: rfc8446#4.2.10
	ExtCookie             ExtensionType = 44 // spec: rfc8446#4.2.2
	ExtPSKModes           ExtensionType = 45 // spec: rfc8446#4.2.9
	ExtPostHandshakeAuth  ExtensionType = 49 // spec: rfc8446#4.2.6
	ExtSignatureAlgsCert  ExtensionType = 50 // spec: rfc8446#4.2.3
	ExtKeyShare           ExtensionType = 51 // spec: rfc8446#4.2.8
	ExtRecordSizeLimit    ExtensionType = 28 // spec: rfc8449#4
	ExtCompressCert       ExtensionType = 27 // spec: rfc8879#3
	ExtEncryptedHelloECH  ExtensionType = 0xfe0d
	ExtApplicationSetting ExtensionType = 17513
)

var extensionTypeNames = map[ExtensionType]string{
	ExtServerName:           "server_name",
	ExtSignatureAlgorithms:  "signature_algorithms",
	ExtALPN:                 "application_layer_protocol_negotiation",
	ExtExtendedMasterSecret: "extended_master_secret",
	ExtSupportedVersions:    "supported_versions",
	ExtRenegotiationInfo:    "renegotiation_info",
	ExtStatusRequest:        "status_request",
	ExtSupportedGroups:      "supported_groups",
	ExtECPointFormats:       "ec_point_formats",
	ExtSCT:                  "signed_certificate_timestamp",
	ExtPadding:              "padding",
	ExtEncryptThenMAC:       "encrypt_then_mac",
	ExtSessionTicket:        "session_ticket",
	ExtPreSharedKey:         "pre_shared_key",
	ExtEarlyData:            "early_data",
	ExtCookie:               "cookie",
	ExtPSKModes:             "psk_key_exchange_modes",
	ExtPostHandshakeAuth:    "post_handshake_auth",
	ExtSignatureAlgsCert:    "signature_algorithms_cert",
	ExtKeyShare:             "key_share",
	ExtRecordSizeLimit:      "record_size_limit",
	ExtCompressCert:         "compress_certificate",
	ExtEncryptedHelloECH:    "encrypted_client_hello",
	ExtApplicationSetting:   "application_settings",
}

// String returns the IANA name, "GREASE(0x1a1a)", or the hex value.
func (t ExtensionType) String() string {
	if n, ok := extensionTypeNames[t]; ok {
		return n
	}
	if isGREASE(uint16(t)) {
		return fmt.Sprintf("GREASE(0x%04x)", uint16(t))
	}
	return fmt.Sprintf("0x%04x", uint16(t))
}

// SignatureScheme is a TLS 1.2 SignatureAndHashAlgorithm {hash, signature}
// pair read as one 16-bit value, which is how TLS 1.3 later named them.
//
//	struct {
//	      HashAlgorithm hash;
//	      SignatureAlgorithm signature;
//	} SignatureAndHashAlgorithm;
//
// spec: rfc5246#7.4.1.4.1
type SignatureScheme uint16

// Signature schemes minitls signs and verifies with RSA keys (PKCS#1 v1.5,
// which is also what its x509lite verifies in certificates, and RSASSA-PSS
// with an rsaEncryption key, which RFC 8446 §4.2.3 defines for TLS 1.2 as
// well) and others named in traces.
//
// spec: rfc5246#7.4.1.4.1, rfc8446#4.2.3
const (
	PKCS1WithSHA256 SignatureScheme = 0x0401
	PKCS1WithSHA384 SignatureScheme = 0x0501
	PKCS1WithSHA512 SignatureScheme = 0x0601
	PKCS1WithSHA1   SignatureScheme = 0x0201
	PSSWithSHA256   SignatureScheme = 0x0804 // rsa_pss_rsae_sha256
	PSSWithSHA384   SignatureScheme = 0x0805 // rsa_pss_rsae_sha384
	PSSWithSHA512   SignatureScheme = 0x0806 // rsa_pss_rsae_sha512
)

var signatureSchemeNames = map[SignatureScheme]string{
	PKCS1WithSHA256: "rsa_pkcs1_sha256",
	PKCS1WithSHA384: "rsa_pkcs1_sha384",
	PKCS1WithSHA512: "rsa_pkcs1_sha512",
	PKCS1WithSHA1:   "rsa_pkcs1_sha1",
	0x0203:          "ecdsa_sha1",
	0x0403:          "ecdsa_secp256r1_sha256",
	0x0503:          "ecdsa_secp384r1_sha384",
	0x0603:          "ecdsa_secp521r1_sha512",
	PSSWithSHA256:   "rsa_pss_rsae_sha256",
	PSSWithSHA384:   "rsa_pss_rsae_sha384",
	PSSWithSHA512:   "rsa_pss_rsae_sha512",
	0x0807:          "ed25519",
	0x0808:          "ed448",
	0x0809:          "rsa_pss_pss_sha256",
	0x080a:          "rsa_pss_pss_sha384",
	0x080b:          "rsa_pss_pss_sha512",
}

// String returns the RFC 8446 name, e.g. "rsa_pkcs1_sha256", or the hex value.
func (s SignatureScheme) String() string {
	if n, ok := signatureSchemeNames[s]; ok {
		return n
	}
	if isGREASE(uint16(s)) {
		return fmt.Sprintf("GREASE(0x%04x)", uint16(s))
	}
	return fmt.Sprintf("0x%04x", uint16(s))
}

// ProtocolVersion is the two-byte {major, minor} version.
//
//	struct { uint8 major; uint8 minor; } ProtocolVersion;
//
// spec: rfc5246#6.2.1
type ProtocolVersion uint16

// Protocol versions as they appear on the wire.
//
// spec: rfc5246#6.2.1, rfc5246#E
const (
	VersionSSL30 ProtocolVersion = 0x0300
	VersionTLS10 ProtocolVersion = 0x0301
	VersionTLS11 ProtocolVersion = 0x0302
	VersionTLS12 ProtocolVersion = 0x0303
	VersionTLS13 ProtocolVersion = 0x0304
)

// String returns "TLS 1.2" and so on, or the hex value.
func (v ProtocolVersion) String() string {
	switch v {
	case VersionSSL30:
		return "SSL 3.0"
	case VersionTLS10:
		return "TLS 1.0"
	case VersionTLS11:
		return "TLS 1.1"
	case VersionTLS12:
		return "TLS 1.2"
	case VersionTLS13:
		return "TLS 1.3"
	}
	if isGREASE(uint16(v)) {
		return fmt.Sprintf("GREASE(0x%04x)", uint16(v))
	}
	return fmt.Sprintf("0x%04x", uint16(v))
}
