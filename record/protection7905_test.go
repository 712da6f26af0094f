package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"pgregory.net/rapid"

	xchacha "golang.org/x/crypto/chacha20poly1305"
	"minitls/cipher/chacha20poly1305"
)

// testIV7905 is a fixed, arbitrary 12-byte write IV.
var testIV7905 = []byte("iv of twelve")

func mustProtection7905(tb tb, key, iv []byte) *Protection {
	tb.Helper()
	a, err := chacha20poly1305.New(key)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := NewProtection7905(a, iv)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestProtection7905Wire: a protected record of an RFC 7905 suite is exactly
// ciphertext || tag from x/crypto's ChaCha20-Poly1305 (the oracle) under the
// nonce write_IV XOR seq and the TLS 1.2 additional data: no explicit nonce
// on the wire, RecordIVLen 0, Overhead only the tag. Open gives it back and
// refuses it under another sequence number, type or version.
func TestProtection7905Wire(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "key")
		seq := rapid.Uint64().Draw(t, "seq")
		pt := rapid.SliceOfN(rapid.Byte(), 0, 600).Draw(t, "plaintext")
		p := mustProtection7905(t, key, testIV7905)
		if p.RecordIVLen() != 0 || p.Overhead() != 16 {
			t.Fatalf("RecordIVLen %d, Overhead %d; want 0, 16", p.RecordIVLen(), p.Overhead())
		}
		got := p.Seal([]byte("hdr"), seq, ApplicationData, VersionTLS12, pt)

		nonce := bytes.Clone(testIV7905)
		var s [8]byte
		binary.BigEndian.PutUint64(s[:], seq)
		for i := range s {
			nonce[4+i] ^= s[i]
		}
		ad := binary.BigEndian.AppendUint64(nil, seq)
		ad = append(ad, byte(ApplicationData), 3, 3, byte(len(pt)>>8), byte(len(pt)))
		oracle, _ := xchacha.New(key)
		if want := oracle.Seal([]byte("hdr"), nonce, pt, ad); !bytes.Equal(got, want) {
			t.Fatalf("Seal = %x\nwant   %x", got, want)
		}
		frag := got[3:]
		out, err := p.Open(nil, seq, ApplicationData, VersionTLS12, frag)
		if err != nil || !bytes.Equal(out, pt) {
			t.Fatalf("Open = %x, %v", out, err)
		}
		for _, bad := range []struct {
			seq  uint64
			typ  ContentType
			vers uint16
		}{{seq + 1, ApplicationData, VersionTLS12}, {seq, Handshake, VersionTLS12}, {seq, ApplicationData, 0x0302}} {
			if _, err := p.Open(nil, bad.seq, bad.typ, bad.vers, frag); !errors.Is(err, ErrBadRecordMAC) {
				t.Fatalf("Open under %+v: %v, want bad_record_mac", bad, err)
			}
		}
	})
}

// TestProtection7905Errors: a wrong IV length, an AEAD with other nonces, a
// nil AEAD, and a fragment shorter than a tag (bad_record_mac, not a panic).
func TestProtection7905Errors(t *testing.T) {
	a, _ := chacha20poly1305.New(make([]byte, 32))
	for _, iv := range [][]byte{nil, testSalt, make([]byte, 11), make([]byte, 13)} {
		if _, err := NewProtection7905(a, iv); err == nil {
			t.Errorf("IV of %d bytes accepted", len(iv))
		}
	}
	if _, err := NewProtection7905(nil, testIV7905); err == nil {
		t.Error("nil AEAD accepted")
	}
	x, _ := xchacha.NewX(make([]byte, 32))
	if _, err := NewProtection7905(x, testIV7905); err == nil {
		t.Error("AEAD with 24-byte nonces accepted")
	}
	p := mustProtection7905(t, make([]byte, 32), testIV7905)
	for n := range 16 {
		if _, err := p.Open(nil, 0, ApplicationData, VersionTLS12, make([]byte, n)); !errors.Is(err, ErrBadRecordMAC) {
			t.Errorf("fragment of %d bytes: %v, want bad_record_mac", n, err)
		}
	}
}

// TestConn7905RoundTrip: application data written by one Conn under an RFC
// 7905 protection is read back by another, whose read path decrypts in place
// at offset 0 (there is no explicit nonce to skip), in reads of any size.
func TestConn7905RoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		data := rapid.SliceOfN(rapid.Byte(), 1, 40000).Draw(t, "data")
		var wire bytes.Buffer
		w := writerConn(&wire)
		w.SetPendingWrite(mustProtection7905(t, testKey32, testIV7905))
		if err := w.WriteChangeCipherSpec(); err != nil {
			t.Fatal(err)
		}
		if n, err := w.WriteApplicationData(data); err != nil || n != len(data) {
			t.Fatalf("WriteApplicationData = %d, %v", n, err)
		}
		if err := w.SendAlert(Warning, CloseNotify); err != nil {
			t.Fatal(err)
		}
		r := readerConn(wire.Bytes(), drawSizes(t)...)
		r.SetPendingRead(mustProtection7905(t, testKey32, testIV7905))
		if err := r.ReadChangeCipherSpec(); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(data))
		if _, err := io.ReadFull(appReader{r}, got); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("application data: %v", err)
		}
		if n, err := r.ReadApplicationData(make([]byte, 1)); n != 0 || err != io.EOF {
			t.Fatalf("after close_notify: %d, %v; want io.EOF", n, err)
		}
	})
}

var testKey32 = []byte("0123456789abcdef0123456789abcdef")
