package handshake

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
