package record

import (
	"bytes"
	stdaes "crypto/aes"
	stdcipher "crypto/cipher"
	"errors"
	"io"
	"math/rand/v2"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
)

// aeadMaker builds an AES-GCM AEAD from a key. Every protection test runs
// with both: the standard library (the oracle) and minitls's own cipher/gcm
// over cipher/aes, plugged into the same record layer.
type aeadMaker struct {
	name string
	make func(key []byte) (stdcipher.AEAD, error)
}

var aeadMakers = []aeadMaker{
	{"stdlib", func(key []byte) (stdcipher.AEAD, error) {
		b, err := stdaes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return stdcipher.NewGCM(b)
	}},
	{"minitls", func(key []byte) (stdcipher.AEAD, error) {
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return gcm.New(b)
	}},
}

// tb is what the helpers need of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// testKey and testSalt are fixed, arbitrary key material.
var (
	testKey  = []byte("0123456789abcdef")
	testSalt = []byte{0xde, 0xad, 0xbe, 0xef}
)

// mustProtection returns a Protection with the test key for maker m.
func mustProtection(tb tb, m aeadMaker, key, salt []byte) *Protection {
	tb.Helper()
	a, err := m.make(key)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := NewProtection(a, salt)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// chunkReader returns the bytes of data in reads whose sizes cycle through
// sizes (each ≥ 1), so the record reader sees every possible split.
type chunkReader struct {
	data  []byte
	sizes []int
	i     int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(r.sizes) > 0 {
		n = r.sizes[r.i%len(r.sizes)]
		r.i++
	}
	n = min(n, len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// rw joins a reader and a writer into the io.ReadWriter a Conn takes.
type rw struct {
	io.Reader
	io.Writer
}

// writerConn returns a Conn that writes into buf and cannot read.
func writerConn(buf *bytes.Buffer) *Conn {
	return NewConn(rw{bytes.NewReader(nil), buf})
}

// readerConn returns a Conn that reads data in reads of the given sizes.
func readerConn(data []byte, sizes ...int) *Conn {
	return NewConn(rw{&chunkReader{data: data, sizes: sizes}, io.Discard})
}

// pseudoBytes returns n deterministic bytes from seed (fast for 16 KiB
// payloads where drawing every byte with rapid would be slow).
func pseudoBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// rawRecord builds one record by hand: header with the given type, version and
// length of payload, then payload.
func rawRecord(typ ContentType, version uint16, payload []byte) []byte {
	return append(Header{Type: typ, Version: version, Length: len(payload)}.Append(nil), payload...)
}

// hsMsg builds a handshake message of type typ with a body of n bytes.
func hsMsg(typ uint8, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

// alertOf returns the alert carried by err, failing the test if there is none.
func alertOf(tb tb, err error) AlertDescription {
	tb.Helper()
	var re *Error
	if !errors.As(err, &re) {
		tb.Fatalf("error %v (%T) carries no alert", err, err)
	}
	return re.Alert
}

// loopback is an in-memory transport that does not allocate in the steady
// state: writes append to buf, reads consume it.
type loopback struct {
	buf []byte
	off int
}

func (l *loopback) Write(p []byte) (int, error) {
	if l.off == len(l.buf) {
		l.buf, l.off = l.buf[:0], 0
	}
	l.buf = append(l.buf, p...)
	return len(p), nil
}

func (l *loopback) Read(p []byte) (int, error) {
	if l.off == len(l.buf) {
		return 0, io.EOF
	}
	n := copy(p, l.buf[l.off:])
	l.off += n
	return n, nil
}
