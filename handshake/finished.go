package handshake

// verifyDataLength is the length of verify_data for every cipher suite
// minitls implements (none of them overrides the default).
// spec: rfc5246#7.4.9
const verifyDataLength = 12

// Finished proves that both sides saw the same handshake and derived the
// same master secret: verify_data is the PRF of the master secret over the
// hash of every handshake message so far. It is the first message protected
// by the new keys.
//
//	struct {
//	    opaque verify_data[verify_data_length];
//	} Finished;
//
//	verify_data
//	   PRF(master_secret, finished_label, Hash(handshake_messages))
//	      [0..verify_data_length-1];
//
// spec: rfc5246#7.4.9
type Finished struct {
	Raw        []byte // as received; nil when built locally
	VerifyData []byte // exactly 12 bytes
}

// Type returns TypeFinished.
func (*Finished) Type() HandshakeType { return TypeFinished }

// Marshal serializes the message; VerifyData must be 12 bytes.
func (m *Finished) Marshal() ([]byte, error) {
	return marshalMessage(TypeFinished, func(b *builder) {
		if len(m.VerifyData) != verifyDataLength {
			b.fail("Finished", "verify_data must be 12 bytes")
			return
		}
		b.bytes(m.VerifyData)
	})
}

// Unmarshal parses a whole Finished; any length but 12 is a decode error.
func (m *Finished) Unmarshal(data []byte) error {
	raw := cloneBytes(data)
	var n Finished
	if err := n.parse(raw, nil); err != nil {
		return err
	}
	n.Raw = raw
	*m = n
	return nil
}

// Fields lists every field of the message for the trace.
func (m *Finished) Fields() []Field {
	return fieldsOf(m.Raw, m, func(d []byte, rec *[]Field) error { var n Finished; return n.parse(d, rec) })
}

func (m *Finished) parse(data []byte, rec *[]Field) error {
	return parseMessage(data, TypeFinished, "Finished", rec, func(r *reader) {
		if r.remaining() != verifyDataLength {
			r.fail("verify_data: %d bytes, want %d", r.remaining(), verifyDataLength)
			return
		}
		m.VerifyData = r.bytes(verifyDataLength, "verify_data")
	})
}
