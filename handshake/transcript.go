package handshake

import "hash"

// transcript accumulates the handshake messages that the Finished messages
// and the extended master secret are computed over: every message from
// ClientHello up to the point of use, as sent or received, headers included,
// HelloRequest excluded.
//
// The hash function is the cipher suite's PRF hash, which is only known
// after ServerHello; until then the bytes are buffered.
//
// spec: rfc5246#7.4.9 (handshake_messages), rfc7627#3 (session_hash)
type transcript struct {
	buf []byte
	h   hash.Hash
}

// write adds one whole message, exactly as on the wire.
func (t *transcript) write(msg []byte) {
	if t.h != nil {
		t.h.Write(msg)
		return
	}
	t.buf = append(t.buf, msg...)
}

// setHash starts hashing with newHash, over what was buffered so far.
func (t *transcript) setHash(newHash func() hash.Hash) {
	t.h = newHash()
	t.h.Write(t.buf)
	t.buf = nil
}

// sum returns Hash(handshake_messages) so far, without ending the hash.
func (t *transcript) sum() []byte {
	return t.h.Sum(nil)
}
