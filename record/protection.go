package record

import (
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
)

// Sizes of the AEAD record protection of RFC 5288.
//
// spec: rfc5288#3
const (
	SaltLen          = 4  // implicit part of the nonce, from the key block (client/server_write_IV)
	ExplicitNonceLen = 8  // explicit part, sent in front of each protected record
	NonceLen         = 12 // SaltLen + ExplicitNonceLen: the AEAD must take 12-byte nonces
	additionalLen    = 13 // seq_num(8) + type(1) + version(2) + length(2)
)

// Protection is the AEAD protection of one direction of one connection: the
// cipher with its key, and the 4-byte implicit salt. The sequence number is not
// here: the Conn half that owns the direction keeps it and passes it in, so the
// counter lives in one place (STYLE §4).
//
// A protected record (TLSCiphertext with GenericAEADCipher) on the wire:
//
//	 0      1      3      5                 13                      13+n    13+n+16
//	+------+------+------+-----------------+-----------------------+--------+
//	| type | ver  | len  | nonce_explicit  | AEAD-encrypted content |  tag   |
//	|  1   |  2   |  2   |  8 = seq_num    |  n bytes (plaintext n) |  16    |
//	+------+------+------+-----------------+-----------------------+--------+
//	 header (public)      len = 8 + n + 16
//
//	nonce (12 bytes)   = salt (4, implicit, never sent) || nonce_explicit (8)
//	additional_data    = seq_num (8) || type (1) || version (2) || n (2)
//
// The additional data binds the record to its position in the stream (seq_num,
// never sent: a replayed, dropped or reordered record fails to open) and to its
// header (a changed type, version or length fails to open). minitls's explicit
// nonce is the sequence number, which RFC 5288 §3 suggests and which makes
// nonce reuse under one key impossible as long as the counter does not wrap.
//
// What is public and what is secret: the header, the sequence number, the
// lengths and the content type are public (they travel in clear or are known to
// both sides), so the code may branch on them. The plaintext and the key are
// secret and are touched only by the AEAD, whose tag comparison must be
// constant time (crypto/subtle in minitls's cipher/gcm, and in the standard
// library's). A failed Open reveals nothing but the failure.
//
// A Protection is not safe for concurrent use and belongs to one direction:
// use two, with separate keys, for a connection.
//
// spec: rfc5288#3
// spec: rfc5246#6.2.3.3
type Protection struct {
	aead  cipher.AEAD
	nonce [NonceLen]byte      // salt || explicit, rebuilt for every record
	ad    [additionalLen]byte // rebuilt for every record
	tls13 bool                // TLS 1.3 records (protection13.go)
	xorIV bool                // RFC 7905 records: nonce = iv XOR seq, none sent (protection7905.go)
	iv    [IVLen13]byte       // TLS 1.3 write IV (protection13.go)
}

// NewProtection returns the protection for one direction. aead must use 12-byte
// nonces (any crypto/cipher.AEAD does: minitls's cipher/gcm, or the standard
// library's GCM in tests and benchmarks); salt is the 4-byte
// client_write_IV/server_write_IV from the key block (rfc5246#6.3, rfc5288#3).
//
// spec: rfc5288#3
func NewProtection(aead cipher.AEAD, salt []byte) (*Protection, error) {
	if aead == nil {
		return nil, errors.New("record: NewProtection: nil AEAD")
	}
	if aead.NonceSize() != NonceLen {
		return nil, fmt.Errorf("record: NewProtection: AEAD nonce size %d, want %d (salt 4 + explicit 8, rfc5288#3)", aead.NonceSize(), NonceLen)
	}
	if len(salt) != SaltLen {
		return nil, fmt.Errorf("record: NewProtection: salt of %d bytes, want %d (the write IV of an AEAD suite, rfc5288#3)", len(salt), SaltLen)
	}
	p := &Protection{aead: aead}
	copy(p.nonce[:SaltLen], salt)
	return p, nil
}

// Overhead returns how many bytes protection adds to a fragment: the explicit
// nonce and the tag (TLS 1.2), or the inner content type and the tag (TLS 1.3).
//
// spec: rfc5288#3, rfc8446#5.2
func (p *Protection) Overhead() int {
	if p.tls13 {
		return 1 + p.aead.Overhead()
	}
	return p.explicitNonceLen() + p.aead.Overhead()
}

// setAD fills the additional data for one record.
//
// spec: rfc5246#6.2.3.3
func (p *Protection) setAD(seq uint64, typ ContentType, version uint16, n int) {
	binary.BigEndian.PutUint64(p.ad[0:8], seq)
	p.ad[8] = byte(typ)
	binary.BigEndian.PutUint16(p.ad[9:11], version)
	binary.BigEndian.PutUint16(p.ad[11:13], uint16(n))
}

// Seal appends the protected fragment (nonce_explicit || ciphertext || tag) of
// the record number seq with the given type, version and plaintext to dst, and
// returns the extended slice. The plaintext may sit exactly where its
// ciphertext goes (at dst[len(dst)+ExplicitNonceLen:] in dst's spare capacity):
// then it is encrypted in place. len(plaintext) must be at most MaxPlaintext.
//
// spec: rfc5288#3
// spec: rfc5246#6.2.3.3
func (p *Protection) Seal(dst []byte, seq uint64, typ ContentType, version uint16, plaintext []byte) []byte {
	if p.xorIV {
		return p.seal7905(dst, seq, typ, version, plaintext)
	}
	n := len(plaintext)
	total := ExplicitNonceLen + n + p.aead.Overhead()
	ret, out := grow(dst, total)
	binary.BigEndian.PutUint64(out[:ExplicitNonceLen], seq)
	copy(p.nonce[SaltLen:], out[:ExplicitNonceLen])
	p.setAD(seq, typ, version, n)
	p.aead.Seal(out[ExplicitNonceLen:ExplicitNonceLen], p.nonce[:], plaintext, p.ad[:])
	return ret
}

// Open checks and decrypts the protected fragment of record number seq with the
// given type and version (from its header), and appends the plaintext to dst.
// To decrypt in place pass fragment[n:n] as dst, n = ExplicitNonceLen (or 0
// for the RFC 7905 suites: RecordIVLen says which).
//
// The nonce's explicit part is taken from the record, as RFC 5288 requires;
// the sequence number is our own count, so a replayed or reordered record fails.
// Every failure — too short, wrong tag — is bad_record_mac and returns no
// plaintext (rfc5246#6.2.3.3: "If the decryption fails, a fatal
// bad_record_mac alert MUST be generated").
//
// spec: rfc5288#3
// spec: rfc5246#6.2.3.3
func (p *Protection) Open(dst []byte, seq uint64, typ ContentType, version uint16, fragment []byte) ([]byte, error) {
	if p.xorIV {
		return p.open7905(dst, seq, typ, version, fragment)
	}
	tagLen := p.aead.Overhead()
	if len(fragment) < ExplicitNonceLen+tagLen {
		return nil, NewError(BadRecordMAC, "open record",
			fmt.Errorf("%w: protected fragment of %d bytes is shorter than nonce and tag (%d)", ErrBadRecordMAC, len(fragment), ExplicitNonceLen+tagLen))
	}
	copy(p.nonce[SaltLen:], fragment[:ExplicitNonceLen])
	ciphertext := fragment[ExplicitNonceLen:]
	p.setAD(seq, typ, version, len(ciphertext)-tagLen)
	out, err := p.aead.Open(dst, p.nonce[:], ciphertext, p.ad[:])
	if err != nil {
		return nil, NewError(BadRecordMAC, "open record",
			fmt.Errorf("%w: record %d did not authenticate (wrong key, corrupted, replayed or reordered)", ErrBadRecordMAC, seq))
	}
	return out, nil
}

// ErrBadRecordMAC is the cause inside the *Error (bad_record_mac) of a record
// that failed to open.
//
// spec: rfc5246#6.2.3.3
var ErrBadRecordMAC = errors.New("record authentication failed")

// grow extends b by n bytes, reusing its capacity when possible, and returns
// the whole slice and the new tail.
func grow(b []byte, n int) (whole, tail []byte) {
	if total := len(b) + n; cap(b) >= total {
		whole = b[:total]
	} else {
		whole = make([]byte, total, total+total/4)
		copy(whole, b)
	}
	return whole, whole[len(b):]
}
