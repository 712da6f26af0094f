package record

// RecordEvent describes one record sent or received, so a trace tool can show
// and explain every byte (STYLE §10). It is delivered to the tracer set with
// Conn.SetTracer, synchronously, from the goroutine that reads or writes.
//
// The byte slices alias the Conn's buffers and are valid only during the call:
// copy what you keep. Plaintext is the fragment after decryption (for received
// protected records) or before encryption (for sent ones); for plaintext records
// it equals Fragment. A received record that fails authentication is reported
// too, with a nil Plaintext, before the read returns bad_record_mac. Secrets
// never appear: keys stay inside Protection.
//
// spec: rfc5246#6.2.1
type RecordEvent struct {
	Sent      bool        // true for a record we wrote, false for one we read
	Type      ContentType // header type
	Version   uint16      // header version
	Seq       uint64      // sequence number of the record in its direction and epoch
	Protected bool        // whether an AEAD protects the record
	Header    []byte      // the 5 header bytes as on the wire
	Fragment  []byte      // the fragment as on the wire (nonce || ciphertext || tag when protected)
	Plaintext []byte      // the fragment's content in clear
	// InnerType is the content type of Plaintext: Type, except for a TLS 1.3
	// protected record, whose header always says application_data while
	// the real type travels encrypted (rfc8446#5.2, TLSInnerPlaintext).
	InnerType ContentType
}

// tracerFunc returns the current tracer or nil. Reading it is the one check a
// record pays when tracing is off.
func (c *Conn) tracerFunc() func(RecordEvent) {
	if p := c.tracer.Load(); p != nil {
		return *p
	}
	return nil
}

// SetTracer installs t to receive a RecordEvent for every record sent and
// received; nil turns tracing off. It may be called at any time, also while
// another goroutine reads or writes.
func (c *Conn) SetTracer(t func(RecordEvent)) {
	if t == nil {
		c.tracer.Store(nil)
		return
	}
	c.tracer.Store(&t)
}
