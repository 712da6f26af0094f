package record

import (
	"crypto/cipher"
	"errors"
	"fmt"
)

// The TLS 1.2 ChaCha20-Poly1305 suites of RFC 7905 build their nonce
// differently from the AES-GCM suites of RFC 5288: the key block gives a
// 12-byte IV (fixed_iv_length 12, record_iv_length 0), and the nonce of
// record seq is that IV XOR seq (64 bits, big-endian, left-padded with zeros
// to 12 bytes), the construction TLS 1.3 adopted (rfc8446#5.3). Nothing of
// the nonce travels: a protected record is ciphertext || tag only.
//
//	 0      1      3      5                      5+n     5+n+16
//	+------+------+------+-----------------------+--------+
//	| type | ver  | len  | AEAD-encrypted content |  tag   |
//	+------+------+------+-----------------------+--------+
//	nonce           = client/server_write_IV (12) XOR (0^32 || seq_num)
//	additional_data = seq_num || type || version || n, as for any TLS 1.2 AEAD
//
// spec: rfc7905#2

// NewProtection7905 returns the protection for one direction of an RFC 7905
// suite: aead must take 12-byte nonces, and iv is the 12-byte
// client_write_IV/server_write_IV from the key block.
//
// spec: rfc7905#2
func NewProtection7905(aead cipher.AEAD, iv []byte) (*Protection, error) {
	if aead == nil {
		return nil, errors.New("record: NewProtection7905: nil AEAD")
	}
	if aead.NonceSize() != NonceLen {
		return nil, fmt.Errorf("record: NewProtection7905: AEAD nonce size %d, want %d (rfc7905#2)", aead.NonceSize(), NonceLen)
	}
	if len(iv) != IVLen13 {
		return nil, fmt.Errorf("record: NewProtection7905: IV of %d bytes, want %d (the write IV of a ChaCha20-Poly1305 suite, rfc7905#2)", len(iv), IVLen13)
	}
	p := &Protection{aead: aead, xorIV: true}
	copy(p.iv[:], iv)
	return p, nil
}

// RecordIVLen returns record_iv_length: how many nonce bytes precede the
// ciphertext in a protected TLS 1.2 record under p, 8 (RFC 5288's
// nonce_explicit) or 0 (RFC 7905).
//
// spec: rfc5246#6.3, rfc5288#3, rfc7905#2
func (p *Protection) RecordIVLen() int { return p.explicitNonceLen() }

func (p *Protection) explicitNonceLen() int {
	if p.xorIV {
		return 0
	}
	return ExplicitNonceLen
}

// seal7905 appends ciphertext || tag of record seq to dst. The plaintext may
// sit exactly where its ciphertext goes (dst's spare capacity).
//
// spec: rfc7905#2, rfc5246#6.2.3.3
func (p *Protection) seal7905(dst []byte, seq uint64, typ ContentType, version uint16, plaintext []byte) []byte {
	ret, out := grow(dst, len(plaintext)+p.aead.Overhead())
	p.nonce13(seq) // the same XOR construction as TLS 1.3's
	p.setAD(seq, typ, version, len(plaintext))
	p.aead.Seal(out[:0], p.nonce[:], plaintext, p.ad[:])
	return ret
}

// open7905 checks and decrypts ciphertext || tag of record seq and appends
// the plaintext to dst; any failure is bad_record_mac with no plaintext.
//
// spec: rfc7905#2, rfc5246#6.2.3.3
func (p *Protection) open7905(dst []byte, seq uint64, typ ContentType, version uint16, fragment []byte) ([]byte, error) {
	tagLen := p.aead.Overhead()
	if len(fragment) < tagLen {
		return nil, NewError(BadRecordMAC, "open record",
			fmt.Errorf("%w: protected fragment of %d bytes is shorter than a tag (%d)", ErrBadRecordMAC, len(fragment), tagLen))
	}
	p.nonce13(seq)
	p.setAD(seq, typ, version, len(fragment)-tagLen)
	out, err := p.aead.Open(dst, p.nonce[:], fragment, p.ad[:])
	if err != nil {
		return nil, NewError(BadRecordMAC, "open record",
			fmt.Errorf("%w: record %d did not authenticate (wrong key, corrupted, replayed or reordered)", ErrBadRecordMAC, seq))
	}
	return out, nil
}
