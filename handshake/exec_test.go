package handshake

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// needBinary returns the path of an external peer, or skips the test with a
// clear message; with MINITLS_INTEROP=require a missing binary fails.
func needBinary(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("MINITLS_INTEROP") == "require" {
			t.Fatalf("%s not found and MINITLS_INTEROP=require: install it (apt-get install %s)", name, name)
		}
		t.Skipf("%s not installed; skipping this interop test (set MINITLS_INTEROP=require to make it fail)", name)
	}
	return p
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func testdataPath(t *testing.T, name string) string {
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var opensslCiphers = map[CipherSuite]string{
	TLS_RSA_WITH_AES_128_GCM_SHA256:             "AES128-GCM-SHA256",
	TLS_RSA_WITH_AES_256_GCM_SHA384:             "AES256-GCM-SHA384",
	TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:     "ECDHE-ECDSA-AES128-GCM-SHA256",
	TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:     "ECDHE-ECDSA-AES256-GCM-SHA384",
	TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:       "ECDHE-RSA-AES128-GCM-SHA256",
	TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:       "ECDHE-RSA-AES256-GCM-SHA384",
	TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: "ECDHE-RSA-CHACHA20-POLY1305",

	TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: "ECDHE-ECDSA-CHACHA20-POLY1305",
}

// TestOpenSSLServer: the minitls client against `openssl s_server -tls1_2
// -www`, both suites, verifying the chain and reading the status page.
func TestOpenSSLServer(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	for _, suite := range suites {
		t.Run(suite.id.String(), func(t *testing.T) {
			testOpenSSLServer(t, openssl, f, suite, nil)
		})
	}
	// -verify 1 asks for a client certificate without requiring one.
	t.Run("verify", func(t *testing.T) {
		testOpenSSLServer(t, openssl, f, suites[0], []string{"-verify", "1", "-CAfile", testdataPath(t, "ca.pem")})
	})
}

// testOpenSSLServer runs one s_server with extra arguments and fetches its
// status page with a minitls client.
func testOpenSSLServer(t *testing.T, openssl string, f *fixture, suite *suite, extra []string) {
	port := freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	args := append([]string{"s_server", "-accept", fmt.Sprint(port), "-tls1_2",
		"-cert", testdataPath(t, serverCertFile(suite)), "-key", testdataPath(t, serverKeyFile(suite)),
		"-cipher", opensslCiphers[suite.id], "-alpn", "http/1.1", "-www", "-naccept", "1"}, extra...)
	cmd := exec.CommandContext(ctx, openssl, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); cmd.Wait() }()
	raw := dialSServer(t, port, &out)
	c := Client(raw, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", NextProtos: []string{"http/1.1"}})
	if err := c.Handshake(); err != nil {
		t.Fatalf("handshake with openssl s_server: %v\n%s", err, out.String())
	}
	st := c.ConnectionState()
	if st.CipherSuite != uint16(suite.id) || !st.ExtendedMasterSecret || st.NegotiatedProtocol != "http/1.1" {
		t.Errorf("state %+v", st)
	}
	if _, err := io.WriteString(c, "GET / HTTP/1.0\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("reading the status page: %v (got %q)", err, body)
	}
	for _, want := range []string{"HTTP/1.0 200 ok", opensslCiphers[suite.id], "TLSv1.2"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("status page lacks %q:\n%s", want, body)
		}
	}
	c.Close()
}

// TestOpenSSLDefaults: OpenSSL peers with their default settings (TLS 1.3
// enabled, many suites) settle on TLS 1.2 and an RSA suite with minitls.
func TestOpenSSLDefaults(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	t.Run("s_client", func(t *testing.T) {
		addr, result := serveOnce(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}})
		// OpenSSL's default cipher list includes the RSA-kx GCM suites at
		// security level 1; TLS 1.3 stays enabled, so the ClientHello is a
		// TLS 1.3 one with supported_versions and key_share.
		sClientPing(t, openssl, addr, result, nil, "Protocol  : TLSv1.2")
	})
	t.Run("s_server", func(t *testing.T) {
		port := freePort(t)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, openssl, "s_server", "-accept", fmt.Sprint(port),
			"-cert", testdataPath(t, "server.pem"), "-key", testdataPath(t, "server-key.pem"), "-www", "-naccept", "1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cancel(); cmd.Wait() }()
		var c *Conn
		var err error
		for i := 0; i < 100; i++ {
			if c, err = Dial("tcp", fmt.Sprintf("localhost:%d", port), &Config{MaxVersion: tls12, RootCAs: f.roots}); err == nil {
				break
			}
			if !strings.Contains(err.Error(), "refused") {
				t.Fatalf("Dial: %v\n%s", err, out.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("Dial: %v\n%s", err, out.String())
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "GET / HTTP/1.0\r\n\r\n")
		body, err := io.ReadAll(c)
		if err != nil || !bytes.Contains(body, []byte("TLSv1.2")) {
			t.Fatalf("status page: %v\n%s", err, body)
		}
	})
}

// serveOnce runs a minitls server that answers one line with a greeting.
// The result always arrives: a client must connect within
// serveOnceAcceptTimeout (an openssl s_client that failed before it
// connected used to leave the test blocked in Accept) and finish its
// handshake and line within serveOnceConnTimeout.
func serveOnce(t *testing.T, cfg *Config) (addr string, result chan error) {
	return serveOnceWithin(t, cfg, serveOnceAcceptTimeout)
}

// The bounds of serveOnce: longer than the 20 s the exec tests give their
// client process, so a slow client is not cut short.
const (
	serveOnceAcceptTimeout = 25 * time.Second
	serveOnceConnTimeout   = 15 * time.Second
)

// serveOnceWithin is serveOnce with the time a client has to connect.
func serveOnceWithin(t *testing.T, cfg *Config, acceptTimeout time.Duration) (addr string, result chan error) {
	t.Helper()
	l, err := Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if err := l.(*listener).Listener.(*net.TCPListener).SetDeadline(time.Now().Add(acceptTimeout)); err != nil {
		t.Fatal(err)
	}
	result = make(chan error, 1)
	go func() {
		defer l.Close()
		conn, err := l.Accept()
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			result <- fmt.Errorf("no client connected within %v: the client most likely failed before connecting (see its output)", acceptTimeout)
			return
		}
		if err != nil {
			result <- fmt.Errorf("accept: %w", err)
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(serveOnceConnTimeout))
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			result <- fmt.Errorf("server read (handshake and one line within %v): %w", serveOnceConnTimeout, err)
			return
		}
		_, err = io.WriteString(conn, "hello from minitls, you said "+line)
		result <- err
	}()
	return l.Addr().String(), result
}

// TestServeOnceNoClient: serveOnce reports, within its accept timeout,
// that no client connected, rather than waiting in Accept for ever.
func TestServeOnceNoClient(t *testing.T) {
	f := testFixture(t)
	_, result := serveOnceWithin(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}}, 100*time.Millisecond)
	select {
	case err := <-result:
		if err == nil || !strings.Contains(err.Error(), "no client connected within 100ms") {
			t.Fatalf("result %v; want it to say that no client connected within 100ms", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveOnce still waits for a client 10 s after its 100ms accept timeout")
	}
}

// TestOpenSSLClient: `openssl s_client -tls1_2` against the minitls server,
// both suites, with chain verification, SNI and ALPN.
func TestOpenSSLClient(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	for _, suite := range suites {
		t.Run(suite.id.String(), func(t *testing.T) {
			addr, result := serveOnce(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert, ecdsaFixture(t)}, NextProtos: []string{"http/1.1"}})
			sClientPing(t, openssl, addr, result, []string{"-tls1_2", "-cipher", opensslCiphers[suite.id], "-alpn", "http/1.1"},
				"Cipher is "+opensslCiphers[suite.id], "ALPN protocol: http/1.1", "Extended master secret: yes",
				"Secure Renegotiation IS supported")
		})
	}
}

// newHTTPServer serves "hello <path>" over minitls on a loopback port.
func newHTTPServer(t *testing.T, cfg *Config) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Path)
	}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(NewListener(l, cfg))
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// TestCurl: curl (OpenSSL or GnuTLS based) fetches a page from net/http
// served over the minitls listener, both suites.
func TestCurl(t *testing.T) {
	curl := needBinary(t, "curl")
	f := testFixture(t)
	addr := newHTTPServer(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert, ecdsaFixture(t)}, NextProtos: []string{"http/1.1"}})
	_, port, _ := net.SplitHostPort(addr)
	for _, suite := range suites {
		t.Run(suite.id.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, curl, "-sS", "--cacert", testdataPath(t, "ca.pem"), "--tlsv1.2", "--tls-max", "1.2",
				"--ciphers", opensslCiphers[suite.id], "-w", " %{http_code}", "https://localhost:"+port+"/curl")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("curl: %v\n%s", err, out)
			}
			if string(out) != "hello /curl 200" {
				t.Errorf("curl got %q", out)
			}
		})
	}
	t.Run("defaults", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, curl, "-sS", "--cacert", testdataPath(t, "ca.pem"),
			"-w", " %{http_code}", "https://localhost:"+port+"/defaults").CombinedOutput()
		if err != nil || string(out) != "hello /defaults 200" {
			t.Fatalf("curl: %v %q", err, out)
		}
	})
}

// TestNetHTTP: net/http server on NewListener and an http.Client whose
// transport dials minitls.
func TestNetHTTP(t *testing.T) {
	f := testFixture(t)
	addr := newHTTPServer(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}})
	_, port, _ := net.SplitHostPort(addr)
	client := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return DialContext(ctx, network, addr, &Config{MaxVersion: tls12, RootCAs: f.roots})
		},
	}}
	defer client.CloseIdleConnections()
	for i := 0; i < 3; i++ { // the second and third reuse the kept-alive connection
		resp, err := client.Get(fmt.Sprintf("https://localhost:%s/p%d", port, i))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || string(body) != fmt.Sprintf("hello /p%d", i) {
			t.Fatalf("body %q, %v", body, err)
		}
	}
}

// dialSServer connects to an openssl s_server started on port, retrying
// for up to 5 s while it starts, and gives the connection a 15 s deadline
// so a stalled peer fails the test instead of hanging it. out is the
// server's output, shown if it never accepts.
func dialSServer(t *testing.T, port int, out *bytes.Buffer) net.Conn {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	var raw net.Conn
	var err error
	for i := 0; i < 100; i++ {
		if raw, err = net.Dial("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("s_server did not start: %v\n%s", err, out.String())
	}
	raw.SetDeadline(time.Now().Add(15 * time.Second))
	return raw
}
