package handshake

import (
	"bytes"
	"errors"
	"net"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"minitls/record"
)

// The largest ClientHello the grammar allows (rfc5246#7.4.1.2): every vector
// at its ceiling.
const (
	maxCipherSuites       = (1<<16 - 2) / 2 // cipher_suites<2..2^16-2>
	maxCompressionMethods = 1<<8 - 1        // compression_methods<1..2^8-1>
	maxExtensionsBlock    = 1<<16 - 1       // extensions<0..2^16-1>
	maxClientHelloBody    = 2 + 32 + 1 + 32 + 2 + 2*maxCipherSuites + 1 + maxCompressionMethods + 2 + maxExtensionsBlock
)

// fillSuites appends distinct cipher suites that no one implements (from
// 0x1000 up, skipping TLS_FALLBACK_SCSV) until there are n.
func fillSuites(suites []CipherSuite, n int) []CipherSuite {
	for v := CipherSuite(0x1000); len(suites) < n; v++ {
		if v != TLS_FALLBACK_SCSV {
			suites = append(suites, v)
		}
	}
	return suites
}

// extensionsLen is the length of the extensions block holding exts, without
// its own 2-byte length.
func extensionsLen(exts []Extension) int {
	n := 0
	for _, e := range exts {
		n += 4 + len(e.Data)
	}
	return n
}

// padTo appends a padding extension (rfc7685) that makes the extensions
// block exactly n bytes.
func padTo(exts []Extension, n int) []Extension {
	return append(exts, Extension{ExtPadding, make([]byte, n-4-extensionsLen(exts))})
}

// largestHello turns the client's hello into the largest the grammar
// allows, keeping its own suites and extensions (so the handshake can
// complete): a 32-byte session_id, 32767 cipher suites, 255 compression
// methods, and a padding extension that fills the extensions block to
// 2^16-1 bytes.
func largestHello(m *ClientHello) {
	m.SessionID = bytes.Repeat([]byte{0x5e}, 32)
	m.CipherSuites = fillSuites(m.CipherSuites, maxCipherSuites)
	m.CompressionMethods = make([]uint8, maxCompressionMethods)
	for i := range m.CompressionMethods {
		m.CompressionMethods[i] = uint8(i) // null first
	}
	m.Extensions = padTo(m.Extensions, maxExtensionsBlock)
}

// TestLargestClientHello: a ClientHello as large as its grammar allows
// completes a handshake, as do hellos that fill the extensions block with
// one extension, with 16383 empty ones, or with a signature_algorithms list
// of 32760 entries (each over the 64 KiB the parser used to cap every
// message at); one byte more than the grammar allows is decode_error, sent
// by the server and received by the client. The record layer and the
// parser take the bound from one table (record.MaxHandshakeBody).
//
// spec: rfc5246#7.4.1.2, rfc5246#7.4.1.4
func TestLargestClientHello(t *testing.T) {
	if got, _ := record.MaxHandshakeBody(uint8(TypeClientHello)); got != maxClientHelloBody {
		t.Fatalf("record.MaxHandshakeBody(client_hello) = %d, the grammar says %d", got, maxClientHelloBody)
	}
	cases := []struct {
		name  string
		ecdhe bool
		edit  func(*ClientHello)
		size  int // the hello's body, when it is a fixed size
	}{
		{"grammar maximum", false, largestHello, maxClientHelloBody},
		{"grammar maximum, ECDHE", true, largestHello, maxClientHelloBody},
		{"one extension of 65531 bytes", false, func(m *ClientHello) {
			m.Extensions = padTo(nil, maxExtensionsBlock)
		}, 0},
		{"16383 empty extensions", false, func(m *ClientHello) {
			m.Extensions = []Extension{{ExtExtendedMasterSecret, []byte{}}}
			for v := ExtensionType(0x2000); len(m.Extensions) < 16383; v++ {
				m.Extensions = append(m.Extensions, Extension{v, []byte{}})
			}
		}, 0},
		{"signature_algorithms of 32760 entries", true, func(m *ClientHello) {
			schemes := make([]SignatureScheme, 0, 32760)
			for v := SignatureScheme(0x1000); len(schemes) < 32759; v++ {
				schemes = append(schemes, v)
			}
			sa, err := NewExtension(ExtSignatureAlgorithms, &SignatureAlgorithms{Schemes: append(schemes, PKCS1WithSHA256)})
			if err != nil {
				t.Fatal(err)
			}
			groups, err := NewExtension(ExtSupportedGroups, &SupportedGroups{Groups: []CurveID{CurveX25519}})
			if err != nil {
				t.Fatal(err)
			}
			m.Extensions = []Extension{sa, groups}
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			if c.ecdhe {
				ccfg, scfg = ecdheConfigs(t)
			}
			var body int
			ccfg.testEditClientHello = func(m *ClientHello) {
				c.edit(m)
				raw, err := m.Marshal()
				if err != nil {
					t.Fatalf("marshal: %v", err)
				}
				body = len(raw) - 4
			}
			r := runPair(t, ccfg, scfg, 0, 0)
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("%d-byte ClientHello: client %v, server %v", body, r.clientErr, r.serverErr)
			}
			if c.size != 0 && body != c.size {
				t.Fatalf("the hello's body is %d bytes, want %d", body, c.size)
			}
			if body <= 1<<16 {
				t.Fatalf("the hello's body is %d bytes: not over the old 64 KiB cap", body)
			}
			exchange(t, r.client, r.server)
		})
	}
	t.Run("one byte over", func(t *testing.T) {
		ccfg, scfg := baseConfigs(t)
		ccfg.testEditClientHello = largestHello
		ccfg.testHookFlight = flightHook(0, func(f [][]byte) [][]byte {
			f[0] = setLen(append(f[0], 0), maxClientHelloBody+1)
			return f
		})
		r := runPair(t, ccfg, scfg, 0, 0)
		checkAlert(t, r, false, record.DecodeError)
		if !errors.Is(r.serverErr, record.ErrHandshakeTooLong) {
			t.Fatalf("server: %v, want ErrHandshakeTooLong", r.serverErr)
		}
	})
}

// TestLargestClientHelloMemory measures what a server allocates on the heap
// for the largest ClientHello, from its first byte to its ServerHelloDone
// flight (RSA key transport; the ECDHE variant adds the ephemeral key and
// the signature, which do not depend on the hello's size). All of it is an
// upper bound on the connection's peak live heap over that span; the test
// logs the figure (go test -run TestLargestClientHelloMemory -v ./handshake/)
// and fails if it passes 2 MiB.
func TestLargestClientHelloMemory(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*ClientHello)
	}{
		{"one padding extension", largestHello},
		{"16383 extensions", func(m *ClientHello) {
			largestHello(m)
			m.Extensions = m.Extensions[:len(m.Extensions)-1]
			for v := ExtensionType(0x2000); extensionsLen(m.Extensions)+4 <= maxExtensionsBlock; v++ {
				m.Extensions = append(m.Extensions, Extension{v, []byte{}})
			}
			m.Extensions = padTo(m.Extensions[:len(m.Extensions)-1], maxExtensionsBlock)
		}},
	} {
		t.Run(c.name, func(t *testing.T) { measureHelloMemory(t, c.edit) })
	}
}

// measureHelloMemory runs a server over the largest hello that edit makes
// and reports the heap it allocated.
func measureHelloMemory(t *testing.T, edit func(*ClientHello)) {
	stream, exts := largestHelloStream(t, edit)
	if len(stream) < maxClientHelloBody {
		t.Fatalf("stream of %d bytes", len(stream))
	}
	_, scfg := baseConfigs(t)
	// allocated: everything the server allocated; live: the heap still
	// reachable (after a GC) when the server writes its flight, the
	// ClientHello parsed and held, minus the heap live before.
	run := func() (allocated, live uint64) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		conn := &streamConn{r: bytes.NewReader(stream), onFirstWrite: func() {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			live = ms.HeapAlloc - min(base, ms.HeapAlloc)
		}}
		before := heapAllocated()
		err := Server(conn, scfg).Handshake()
		allocated = heapAllocated() - before
		if !errors.Is(err, record.ErrTruncated) || conn.written == 0 {
			t.Fatalf("server: %v after writing %d bytes; want its flight sent, then the end of the stream", err, conn.written)
		}
		return allocated, live
	}
	run() // warm up: lazily built tables, the certificate's parse
	best, bestLive := run()
	for range 4 {
		a, l := run()
		best, bestLive = min(best, a), min(bestLive, l)
	}
	t.Logf("server, %d-byte ClientHello with %d extensions (%d bytes on the wire): heap allocated %d bytes (%.0f KiB) in all; live when its flight is written %d bytes (%.0f KiB)",
		maxClientHelloBody+4, exts, len(stream), best, float64(best)/1024, bestLive, float64(bestLive)/1024)
	if best > 2<<20 {
		t.Errorf("%d bytes allocated for one ClientHello; more than 2 MiB", best)
	}
}

// largestHelloStream returns the bytes a client writes for the hello edit
// makes (in records of 2^14 bytes), captured from a real client, and the
// number of extensions in it.
func largestHelloStream(t *testing.T, edit func(*ClientHello)) (stream []byte, exts int) {
	ccfg, _ := baseConfigs(t)
	ccfg.testEditClientHello = func(m *ClientHello) {
		edit(m)
		exts = len(m.Extensions)
	}
	conn := &streamConn{r: bytes.NewReader(nil)}
	_ = Client(conn, ccfg).Handshake() // fails reading the ServerHello
	return conn.out.Bytes(), exts
}

// streamConn is a net.Conn that reads a fixed stream and counts (and
// keeps) what is written.
type streamConn struct {
	net.Conn
	r            *bytes.Reader
	out          bytes.Buffer
	written      int
	onFirstWrite func() // if set, called before the first Write
}

func (c *streamConn) Read(b []byte) (int, error) { return c.r.Read(b) }
func (c *streamConn) Write(b []byte) (int, error) {
	if c.written == 0 && c.onFirstWrite != nil {
		c.onFirstWrite()
	}
	c.written += len(b)
	if c.out.Len() < 1<<20 {
		c.out.Write(b)
	}
	return len(b), nil
}
func (c *streamConn) Close() error                     { return nil }
func (c *streamConn) SetDeadline(time.Time) error      { return nil }
func (c *streamConn) SetReadDeadline(time.Time) error  { return nil }
func (c *streamConn) SetWriteDeadline(time.Time) error { return nil }
func (c *streamConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *streamConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }

// heapAllocated returns the bytes allocated on the heap so far by the process.
func heapAllocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestLargestServerHello: the client reads a ServerHello up to its grammar
// maximum (65607 bytes: a 32-byte session_id and a 2^16-1-byte extensions
// block, over the 64 KiB the parser used to cap it at); this one carries an
// extension the client did not offer, so the client refuses it for that,
// with unsupported_extension, not for its size. One byte more is
// decode_error. Both alerts are asserted on both sides.
//
// spec: rfc5246#7.4.1.3, rfc5246#7.4.1.4
func TestLargestServerHello(t *testing.T) {
	const maxServerHelloBody = 2 + 32 + 1 + 32 + 2 + 1 + 2 + maxExtensionsBlock
	if got, _ := record.MaxHandshakeBody(uint8(TypeServerHello)); got != maxServerHelloBody {
		t.Fatalf("record.MaxHandshakeBody(server_hello) = %d, the grammar says %d", got, maxServerHelloBody)
	}
	largest := editMsg(t, 0, func(m *ServerHello) {
		m.SessionID = bytes.Repeat([]byte{1}, 32)
		m.Extensions = padTo(m.Extensions, maxExtensionsBlock)
	})
	for _, c := range []struct {
		name string
		op   func([][]byte) [][]byte
		want record.AlertDescription
	}{
		{"grammar maximum", func(f [][]byte) [][]byte {
			f = largest(f)
			if n := len(f[0]) - 4; n != maxServerHelloBody {
				t.Errorf("ServerHello body of %d bytes, want %d", n, maxServerHelloBody)
			}
			return f
		}, record.UnsupportedExtension},
		{"one byte over", func(f [][]byte) [][]byte {
			f = largest(f)
			f[0] = setLen(append(f[0], 0), maxServerHelloBody+1)
			return f
		}, record.DecodeError},
	} {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			scfg.testHookFlight = flightHook(0, c.op)
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, true, c.want)
		})
	}
}
