package record

import (
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
)

// TLS 1.3 record sizes.
//
// spec: rfc8446#5.2
const (
	// IVLen13 is the length of a TLS 1.3 write IV (iv_length): the AEAD's
	// nonce length, 12 for AES-GCM. spec: rfc8446#5.3
	IVLen13 = 12
	// MaxCiphertext13 bounds a TLS 1.3 protected fragment:
	// "The length MUST NOT exceed 2^14 + 256 bytes. An endpoint that receives
	// a record that exceeds this length MUST terminate the connection with a
	// "record_overflow" alert." spec: rfc8446#5.2
	MaxCiphertext13 = 1<<14 + 256
)

// NewProtection13 returns the TLS 1.3 protection of one direction: the AEAD
// keyed with the traffic key, and the 12-byte write IV, both derived from a
// traffic secret (rfc8446#7.3). A TLS 1.3 record differs from a TLS 1.2 one:
//
//	 0      1      3      5                                   5+n+1+p  +16
//	+------+------+------+----------------------------------+---------+
//	|  23  | 0303 | len  | AEAD( content | type | zeros^p )  |   tag   |
//	+------+------+------+----------------------------------+---------+
//	 header (the additional data)   TLSInnerPlaintext, encrypted
//
//	nonce           = write_iv XOR (64-bit sequence number, left-padded to 12)
//	additional_data = opaque_type || legacy_record_version || length (the header)
//
// The real content type travels encrypted at the end of the plaintext, and
// the header always says application_data: an observer cannot tell a
// handshake message from an alert or from data. No nonce is sent: both
// sides know the sequence number.
//
// spec: rfc8446#5.2, rfc8446#5.3
func NewProtection13(aead cipher.AEAD, iv []byte) (*Protection, error) {
	if aead == nil {
		return nil, errors.New("record: NewProtection13: nil AEAD")
	}
	if aead.NonceSize() != IVLen13 || len(iv) != IVLen13 {
		return nil, fmt.Errorf("record: NewProtection13: AEAD nonce of %d bytes and IV of %d, want both %d (rfc8446#5.3)", aead.NonceSize(), len(iv), IVLen13)
	}
	p := &Protection{aead: aead, tls13: true}
	copy(p.iv[:], iv)
	return p, nil
}

// TLS13 reports whether p protects TLS 1.3 records.
func (p *Protection) TLS13() bool { return p.tls13 }

// nonce13 sets p.nonce to the per-record nonce: the sequence number, in
// network byte order and left-padded with zeros to iv_length, XORed with
// the write IV.
//
// spec: rfc8446#5.3
func (p *Protection) nonce13(seq uint64) {
	p.nonce = p.iv
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], seq)
	for i := range s {
		p.nonce[IVLen13-8+i] ^= s[i]
	}
}

// seal13 appends the header and the protected fragment of one TLS 1.3 record
// carrying content of type typ: TLSInnerPlaintext (content, the real type, no
// padding) encrypted under the record's nonce, with the header as additional
// data. len(content) must be at most MaxPlaintext.
//
// spec: rfc8446#5.2 (TLSInnerPlaintext, TLSCiphertext), rfc8446#5.3
func (p *Protection) seal13(dst []byte, seq uint64, typ ContentType, content []byte) []byte {
	n := len(content) + 1
	h := Header{Type: ApplicationData, Version: VersionTLS12, Length: n + p.aead.Overhead()}
	dst = h.Append(dst)
	ret, out := grow(dst, n+p.aead.Overhead())
	copy(out, content)
	out[n-1] = byte(typ)
	p.nonce13(seq)
	p.aead.Seal(out[:0], p.nonce[:], out[:n], ret[len(ret)-len(out)-HeaderLen:len(ret)-len(out)])
	return ret
}

// open13 authenticates and decrypts the fragment of one TLS 1.3 record in
// place and returns its real content type and content, padding removed.
// header is the record's 5-byte header, the additional data.
//
//   - a fragment over 2^14+256 bytes → record_overflow (rfc8446#5.2);
//   - a fragment that does not authenticate → bad_record_mac (rfc8446#5.2);
//   - a plaintext of zeros only (no content type) → unexpected_message
//     (rfc8446#5.4: "If a receiving implementation does not find a non-zero
//     octet in the cleartext, it MUST terminate the connection with an
//     "unexpected_message" alert.");
//   - a TLSInnerPlaintext over 2^14+1 bytes → record_overflow (rfc8446#5.4).
//
// spec: rfc8446#5.2, rfc8446#5.4
func (p *Protection) open13(seq uint64, header, fragment []byte) (ContentType, []byte, error) {
	if len(fragment) > MaxCiphertext13 {
		return 0, nil, NewError(RecordOverflow, "open record",
			fmt.Errorf("%w: TLS 1.3 protected fragment of %d bytes exceeds 2^14+256", ErrOverflow, len(fragment)))
	}
	if len(fragment) < p.aead.Overhead()+1 {
		return 0, nil, NewError(BadRecordMAC, "open record",
			fmt.Errorf("%w: protected fragment of %d bytes is shorter than a content type and a tag", ErrBadRecordMAC, len(fragment)))
	}
	p.nonce13(seq)
	pt, err := p.aead.Open(fragment[:0], p.nonce[:], fragment, header)
	if err != nil {
		return 0, nil, NewError(BadRecordMAC, "open record",
			fmt.Errorf("%w: record %d did not authenticate (wrong key, corrupted, replayed or reordered)", ErrBadRecordMAC, seq))
	}
	if len(pt) > MaxPlaintext+1 {
		return 0, nil, NewError(RecordOverflow, "open record",
			fmt.Errorf("%w: TLSInnerPlaintext of %d bytes exceeds 2^14+1", ErrOverflow, len(pt)))
	}
	i := len(pt) - 1
	for i >= 0 && pt[i] == 0 {
		i--
	}
	if i < 0 {
		return 0, nil, NewError(UnexpectedMessage, "open record",
			fmt.Errorf("%w: a TLS 1.3 record of %d bytes holds only padding, no content type", ErrUnexpectedRecord, len(pt)))
	}
	return ContentType(pt[i]), pt[:i], nil
}
