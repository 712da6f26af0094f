package handshake

// ClientKeyExchange carries, for RSA key transport, the 48-byte premaster
// secret encrypted with PKCS#1 v1.5 to the server's public key. In TLS 1.0
// and later the ciphertext has a two-byte length prefix (SSL 3.0 had none).
//
//	struct {
//	    select (KeyExchangeAlgorithm) {
//	        case rsa:
//	            EncryptedPreMasterSecret;
//	    } exchange_keys;
//	} ClientKeyExchange;
//
//	struct {
//	    public-key-encrypted PreMasterSecret pre_master_secret;
//	} EncryptedPreMasterSecret;
//
// spec: rfc5246#7.4.7.1
type ClientKeyExchange struct {
	Raw                      []byte // as received; nil when built locally
	EncryptedPreMasterSecret []byte
}

// Type returns TypeClientKeyExchange.
func (*ClientKeyExchange) Type() HandshakeType { return TypeClientKeyExchange }

// Marshal serializes the message from its fields.
func (m *ClientKeyExchange) Marshal() ([]byte, error) {
	return marshalMessage(TypeClientKeyExchange, func(b *builder) {
		b.opaque(2, 0, 1<<16-1, "pre_master_secret", m.EncryptedPreMasterSecret)
	})
}

// Unmarshal parses a whole ClientKeyExchange; m.Raw keeps a copy of data.
// The ciphertext length is public; it is checked against the key size by
// the RSA decryption, which never reveals why it failed.
func (m *ClientKeyExchange) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n ClientKeyExchange
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *ClientKeyExchange) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n ClientKeyExchange; return n.parse(d, rec) })
}

func (m *ClientKeyExchange) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeClientKeyExchange, "ClientKeyExchange", rec, func(r *reader) {
		m.EncryptedPreMasterSecret = r.opaque(2, 0, 1<<16-1, "pre_master_secret")
	})
}
