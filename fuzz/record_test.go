package fuzz

import (
	"bytes"
	stdaes "crypto/aes"
	stdcipher "crypto/cipher"
	"errors"
	"io"
	"runtime/metrics"
	"sync"
	"testing"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
	"minitls/record"
)

// allocatedBytes returns the bytes allocated on the heap so far by the process.
func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// allowedReadError reports whether err is an allowed way for reading to end:
// EOF (clean or cut), or an error that carries an alert — ours (*record.Error),
// the peer's (*record.AlertReceivedError), or truncation.
func allowedReadError(err error) bool {
	var re *record.Error
	var are *record.AlertReceivedError
	return err == io.EOF || err == io.ErrUnexpectedEOF || errors.Is(err, record.ErrTruncated) ||
		errors.As(err, &re) || errors.As(err, &are)
}

// FuzzRecordReader feeds an arbitrary byte stream to the record layer's reading
// side: first to record.Reader (plaintext or protected limits, chosen by the
// first byte), then to a record.Conn reading handshake messages and application
// data in an order chosen by the second byte. Properties: no panic; every record
// returned respects its limit; reading ends in EOF, ErrTruncated or an error
// carrying an alert; and the heap allocated stays within a constant plus a
// multiple of the input size, whatever lengths the input announces (a header
// claiming 16 MiB must not cost 16 MiB).
func FuzzRecordReader(f *testing.F) {
	f.Add([]byte{0, 0, 22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0})
	f.Add([]byte{1, 1, 23, 3, 3, 0, 2, 'h', 'i', 21, 3, 3, 0, 2, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		mode, order, stream := data[0], data[1], data[2:]
		// The heap counter is process-wide, and the fuzzing engine allocates
		// in the same process now and then: a real excess repeats on every
		// run of the same input, noise does not.
		max := uint64(256<<10 + 16*len(data))
		var got uint64
		for range 3 {
			before := allocatedBytes()
			readStream(t, mode, order, stream)
			if got = allocatedBytes() - before; got <= max {
				return
			}
		}
		t.Fatalf("reading %d bytes allocated %d bytes (limit %d), three times", len(data), got, max)
	})
}

// readStream reads stream with a record.Reader and a record.Conn, checking the
// properties of FuzzRecordReader except the allocation bound.
func readStream(t *testing.T, mode, order byte, stream []byte) {
	r := record.NewReader(bytes.NewReader(stream))
	limit := record.MaxPlaintext
	if mode&1 == 1 {
		r.SetProtected(true)
		limit = record.MaxCiphertext
	}
	for {
		h, rec, err := r.Next()
		if err != nil {
			if !allowedReadError(err) {
				t.Fatalf("Reader.Next: %v (%T)", err, err)
			}
			break
		}
		if len(rec) != record.HeaderLen+h.Length || h.Length > limit || !h.Type.Valid() || h.Version>>8 != 3 {
			t.Fatalf("record %+v of %d bytes escaped the checks", h, len(rec))
		}
	}

	c := record.NewConn(struct {
		io.Reader
		io.Writer
	}{bytes.NewReader(stream), io.Discard})
	c.SetMaxHandshakeSize(1 << 20)
	buf := make([]byte, 512)
	for i := 0; ; i++ {
		var err error
		if order>>(i%8)&1 == 0 {
			var msg []byte
			msg, err = c.ReadHandshake()
			if err == nil && (len(msg) < 4 || len(msg)-4 != int(msg[1])<<16|int(msg[2])<<8|int(msg[3])) {
				t.Fatalf("ReadHandshake returned a message whose length does not match its header: %x", msg)
			}
		} else {
			_, err = c.ReadApplicationData(buf)
			if errors.Is(err, record.ErrRenegotiation) {
				err = nil // not permanent; read on
			}
		}
		if err != nil {
			if !allowedReadError(err) {
				t.Fatalf("Conn read: %v (%T)", err, err)
			}
			break
		}
		if i > len(stream) {
			t.Fatalf("%d reads from %d bytes without an end", i, len(stream))
		}
	}
}

// openKeys holds the fixed key under which FuzzRecordOpen's records are sealed,
// as a standard library and a minitls AEAD.
var openKeys = sync.OnceValues(func() ([2]*record.Protection, error) {
	key := []byte("fuzz-record-key!")
	salt := []byte{1, 2, 3, 4}
	sb, err := stdaes.NewCipher(key)
	if err != nil {
		return [2]*record.Protection{}, err
	}
	sg, err := stdcipher.NewGCM(sb)
	if err != nil {
		return [2]*record.Protection{}, err
	}
	mb, err := aes.NewCipher(key)
	if err != nil {
		return [2]*record.Protection{}, err
	}
	mg, err := gcm.New(mb)
	if err != nil {
		return [2]*record.Protection{}, err
	}
	var ps [2]*record.Protection
	for i, a := range []stdcipher.AEAD{sg, mg} {
		if ps[i], err = record.NewProtection(a, salt); err != nil {
			return ps, err
		}
	}
	return ps, nil
})

// FuzzRecordOpen opens arbitrary protected fragments, as record number seq with
// the given type and version, under a fixed key. Property: only authentic
// records open — anything that opens is exactly what Seal produces for that
// plaintext, sequence number, type and version (the only records ever sealed
// under this key); everything else is bad_record_mac with no plaintext. The
// standard library's GCM and minitls's cipher/gcm, plugged into the same
// Protection, must agree on every input.
func FuzzRecordOpen(f *testing.F) {
	ps, err := openKeys()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint64(0), byte(22), uint16(0x0303), ps[0].Seal(nil, 0, record.Handshake, 0x0303, []byte{20, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
	f.Add(uint64(1), byte(23), uint16(0x0303), ps[0].Seal(nil, 1, record.ApplicationData, 0x0303, []byte("GET / HTTP/1.1\r\n\r\n")))
	f.Fuzz(func(t *testing.T, seq uint64, typ byte, version uint16, fragment []byte) {
		// ok, not a nil plaintext, says a record opened: an authentic empty
		// record opens to an empty (possibly nil) plaintext.
		var opened [2][]byte
		var ok [2]bool
		for i, p := range ps {
			pt, err := p.Open(nil, seq, record.ContentType(typ), version, bytes.Clone(fragment))
			if err != nil {
				var re *record.Error
				if pt != nil || !errors.As(err, &re) || re.Alert != record.BadRecordMAC {
					t.Fatalf("AEAD %d: failed Open returned %x, %v; want nil and bad_record_mac", i, pt, err)
				}
				continue
			}
			if resealed := p.Seal(nil, seq, record.ContentType(typ), version, pt); !bytes.Equal(resealed, fragment) {
				t.Fatalf("AEAD %d: opened a fragment we never sealed:\n got %x\nseal %x", i, fragment, resealed)
			}
			opened[i], ok[i] = pt, true
		}
		if ok[0] != ok[1] || !bytes.Equal(opened[0], opened[1]) {
			t.Fatalf("stdlib and minitls GCM disagree: opened %v %x vs %v %x", ok[0], opened[0], ok[1], opened[1])
		}
	})
}
