package handshake

import "fmt"

// CertificateMessage is the RFC's Certificate message (the name Certificate
// is taken by the key pair in Config, as in crypto/tls). It carries the
// server's chain, leaf first, each certificate
// certifying the one before it.
//
//	opaque ASN.1Cert<1..2^24-1>;
//
//	struct {
//	    ASN.1Cert certificate_list<0..2^24-1>;
//	} Certificate;
//
// spec: rfc5246#7.4.2
type CertificateMessage struct {
	Raw          []byte // as received; nil when built locally
	Certificates [][]byte
}

// Type returns TypeCertificate.
func (*CertificateMessage) Type() HandshakeType { return TypeCertificate }

// Marshal serializes the message from its fields.
func (m *CertificateMessage) Marshal() ([]byte, error) {
	return marshalMessage(TypeCertificate, func(b *builder) {
		b.vector(3, 0, 1<<24-1, "certificate_list", func(b *builder) {
			for _, c := range m.Certificates {
				b.opaque(3, 1, 1<<24-1, "ASN.1Cert", c)
			}
		})
	})
}

// Unmarshal parses a whole Certificate message; m.Raw keeps a copy of data.
// The certificates are not parsed here; x509lite does that.
func (m *CertificateMessage) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n CertificateMessage
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *CertificateMessage) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n CertificateMessage; return n.parse(d, rec) })
}

func (m *CertificateMessage) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeCertificate, "Certificate", rec, func(r *reader) {
		list := r.vector(3, 0, 1<<24-1, "certificate_list")
		m.Certificates = [][]byte{}
		for !list.empty() {
			c := list.opaque(3, 1, 1<<24-1, "ASN.1Cert")
			if list.failed() {
				return
			}
			m.Certificates = append(m.Certificates, c)
		}
	})
}

// CertificateRequest asks the client for a certificate (TLS 1.2): the kinds
// of key, the signature schemes CertificateVerify may use, and the names of
// the authorities the server trusts (empty: any). A client with no
// certificate that fits answers with an empty Certificate message ("If no
// suitable certificate is available, the client MUST send a certificate
// message containing no certificates", rfc5246#7.4.6); clientauth.go has
// both sides of client authentication.
//
//	enum {
//	    rsa_sign(1), dss_sign(2), rsa_fixed_dh(3), dss_fixed_dh(4),
//	    rsa_ephemeral_dh_RESERVED(5), dss_ephemeral_dh_RESERVED(6),
//	    fortezza_dms_RESERVED(20), (255)
//	} ClientCertificateType;
//
//	opaque DistinguishedName<1..2^16-1>;
//
//	struct {
//	    ClientCertificateType certificate_types<1..2^8-1>;
//	    SignatureAndHashAlgorithm
//	      supported_signature_algorithms<2..2^16-2>;
//	    DistinguishedName certificate_authorities<0..2^16-1>;
//	} CertificateRequest;
//
// spec: rfc5246#7.4.4
type CertificateRequest struct {
	Raw                    []byte // as received; nil when built locally
	CertificateTypes       []uint8
	SignatureAlgorithms    []SignatureScheme
	CertificateAuthorities [][]byte // DER-encoded distinguished names
}

// Type returns TypeCertificateRequest.
func (*CertificateRequest) Type() HandshakeType { return TypeCertificateRequest }

// Marshal serializes the message from its fields.
func (m *CertificateRequest) Marshal() ([]byte, error) {
	return marshalMessage(TypeCertificateRequest, func(b *builder) {
		b.opaque(1, 1, 255, "certificate_types", m.CertificateTypes)
		b.vector(2, 2, 1<<16-2, "supported_signature_algorithms", func(b *builder) {
			for _, s := range m.SignatureAlgorithms {
				b.u16(uint16(s))
			}
		})
		b.vector(2, 0, 1<<16-1, "certificate_authorities", func(b *builder) {
			for _, dn := range m.CertificateAuthorities {
				b.opaque(2, 1, 1<<16-1, "DistinguishedName", dn)
			}
		})
	})
}

// Unmarshal parses a whole CertificateRequest; m.Raw keeps a copy of data.
func (m *CertificateRequest) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n CertificateRequest
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *CertificateRequest) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n CertificateRequest; return n.parse(d, rec) })
}

func (m *CertificateRequest) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeCertificateRequest, "CertificateRequest", rec, func(r *reader) {
		types := r.vector(1, 1, 255, "certificate_types")
		m.CertificateTypes = []uint8{}
		for !types.empty() && !types.failed() {
			t := types.u8("ClientCertificateType")
			types.note(label(clientCertificateTypeName(t)))
			m.CertificateTypes = append(m.CertificateTypes, t)
		}
		sigs := r.vector(2, 2, 1<<16-2, "supported_signature_algorithms")
		if sigs.remaining()%2 != 0 {
			sigs.fail("supported_signature_algorithms: odd length %d", sigs.remaining())
		}
		m.SignatureAlgorithms = []SignatureScheme{}
		for !sigs.empty() {
			s := SignatureScheme(sigs.u16("signature_scheme"))
			sigs.note(s)
			m.SignatureAlgorithms = append(m.SignatureAlgorithms, s)
		}
		cas := r.vector(2, 0, 1<<16-1, "certificate_authorities")
		m.CertificateAuthorities = [][]byte{}
		for !cas.empty() {
			m.CertificateAuthorities = append(m.CertificateAuthorities, cas.opaque(2, 1, 1<<16-1, "DistinguishedName"))
		}
	})
}

// clientCertificateTypeName names a ClientCertificateType for the trace:
// RFC 5246's values and RFC 8422's ecdsa_sign; others in decimal.
//
// spec: rfc5246#7.4.4, rfc8422#5.5
func clientCertificateTypeName(t uint8) string {
	switch t {
	case 1:
		return "rsa_sign(1)"
	case 2:
		return "dss_sign(2)"
	case 3:
		return "rsa_fixed_dh(3)"
	case 4:
		return "dss_fixed_dh(4)"
	case 64:
		return "ecdsa_sign(64)"
	case 65:
		return "rsa_fixed_ecdh(65)"
	case 66:
		return "ecdsa_fixed_ecdh(66)"
	}
	return fmt.Sprintf("%d", t)
}
