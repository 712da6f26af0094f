package handshake

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// serveResumable runs a minitls server on cfg that answers each connection's
// first line with a greeting, and reports for each connection whether it
// resumed.
func serveResumable(t *testing.T, cfg *Config) (addr string, resumed chan bool) {
	l, err := Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	resumed = make(chan bool, 16)
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(15 * time.Second))
				tc := conn.(*Conn)
				if err := tc.Handshake(); err != nil {
					t.Errorf("minitls server: %v", err)
					return
				}
				line, err := bufio.NewReader(conn).ReadString('\n')
				if err == nil {
					_, err = io.WriteString(conn, "hello from minitls, you said "+line)
				}
				if err != nil {
					t.Errorf("minitls server: %v", err)
				}
				resumed <- tc.ConnectionState().DidResume
			}()
		}
	}()
	return l.Addr().String(), resumed
}

// waitResumed returns serveResumable's report on its next connection, or
// fails the test when none comes within 20 s (longer than the server's
// 15 s per connection): a connection that failed on the server side
// reports nothing (its error is logged above), and one that never came
// leaves nothing to wait for.
func waitResumed(t *testing.T, resumed <-chan bool) bool {
	t.Helper()
	select {
	case r := <-resumed:
		return r
	case <-time.After(20 * time.Second):
		t.Fatal("the minitls server finished no connection within 20 s: it failed (see the errors above) or the client never connected")
	}
	return false
}

// TestOpenSSLResume: `openssl s_client -sess_out FILE` then `-sess_in FILE`
// resumes against the minitls server, by ticket and (with -no_ticket) by
// session_id; s_client says "Reused" and the server reports DidResume.
func TestOpenSSLResume(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	for _, via := range []string{"ticket", "session_id"} {
		t.Run(via, func(t *testing.T) {
			cfg := &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, SessionCacheSize: 16}
			var extra []string
			if via == "session_id" {
				extra = []string{"-no_ticket"}
			}
			addr, resumed := serveResumable(t, cfg)
			sess := filepath.Join(t.TempDir(), "session.pem")
			run := func(sessFlag string) string {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				args := append([]string{"s_client", "-connect", addr, "-tls1_2", "-CAfile", testdataPath(t, "ca.pem"),
					"-servername", "localhost", "-verify_return_error", "-ign_eof", sessFlag, sess}, extra...)
				cmd := exec.CommandContext(ctx, openssl, args...)
				cmd.Stdin = strings.NewReader("ping\n")
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("s_client %s: %v\n%s", sessFlag, err, out)
				}
				if !bytes.Contains(out, []byte("hello from minitls, you said ping")) {
					t.Errorf("s_client %s: no greeting:\n%s", sessFlag, out)
				}
				return string(out)
			}
			if out := run("-sess_out"); !strings.Contains(out, "New, TLSv1.2") {
				t.Errorf("first connection is not new:\n%s", out)
			}
			if r := waitResumed(t, resumed); r {
				t.Error("the server resumed the first connection")
			}
			out := run("-sess_in")
			if !strings.Contains(out, "Reused, TLSv1.2") {
				t.Errorf("s_client did not reuse the session:\n%s", out)
			}
			if r := waitResumed(t, resumed); !r {
				t.Error("the server did not resume the second connection")
			}
		})
	}
}

// TestCurlResume: curl fetching two URLs in one invocation (with
// "Connection: close", so each needs its own TLS connection) resumes the
// first connection's session for the second (by session_id: curl asks for
// no tickets); the server's trace counts one abbreviated handshake.
func TestCurlResume(t *testing.T) {
	curl := needBinary(t, "curl")
	f := testFixture(t)
	var handshakes, resumptions atomic.Int32
	// curl turns tickets off for TLS 1.2 (SSL_OP_NO_TICKET), so it resumes
	// by session_id: the server needs its cache.
	cfg := &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, NextProtos: []string{"http/1.1"}, SessionCacheSize: 16, Trace: func(e Event) {
		if e.Kind == EventPhase && e.Phase == PhaseSessionResumed {
			resumptions.Add(1)
		}
		if e.Kind == EventPhase && e.Phase == PhaseEstablished {
			handshakes.Add(1)
		}
	}}
	addr := newHTTPServer(t, cfg)
	_, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, curl, "-sS", "--cacert", testdataPath(t, "ca.pem"), "--tlsv1.2", "--tls-max", "1.2",
		"-H", "Connection: close", "-w", " %{http_code}\n",
		"https://localhost:"+port+"/one", "https://localhost:"+port+"/two").CombinedOutput()
	if err != nil {
		t.Fatalf("curl: %v\n%s", err, out)
	}
	if string(out) != "hello /one 200\nhello /two 200\n" {
		t.Errorf("curl got %q", out)
	}
	if h, r := handshakes.Load(), resumptions.Load(); h != 2 || r != 1 {
		t.Errorf("server saw %d handshakes, %d resumed; want 2 and 1", h, r)
	}
}

// TestOpenSSLServerResume: the minitls client resumes with `openssl
// s_server` by ticket and (with -no_ticket on the server) by session_id:
// the second connection's DidResume is true, and s_server's status page
// says "Reused".
func TestOpenSSLServerResume(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	for _, via := range []string{"ticket", "session_id"} {
		t.Run(via, func(t *testing.T) {
			port := freePort(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			args := []string{"s_server", "-accept", fmt.Sprint(port), "-tls1_2",
				"-cert", testdataPath(t, "server.pem"), "-key", testdataPath(t, "server-key.pem"), "-www", "-naccept", "2"}
			if via == "session_id" {
				args = append(args, "-no_ticket")
			}
			cmd := exec.CommandContext(ctx, openssl, args...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cancel(); cmd.Wait() }()
			cfg := &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", CipherSuites: DefaultCipherSuites(),
				ClientSessionCache: NewLRUClientSessionCache(1)}
			for round, want := range []bool{false, true} {
				raw := dialSServer(t, port, &out)
				c := Client(raw, cfg)
				if err := c.Handshake(); err != nil {
					t.Fatalf("round %d: %v\n%s", round, err, out.String())
				}
				if got := c.ConnectionState().DidResume; got != want {
					t.Errorf("round %d: DidResume %v, want %v", round, got, want)
				}
				if _, err := io.WriteString(c, "GET / HTTP/1.0\r\n\r\n"); err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(c)
				if err != nil {
					t.Fatalf("round %d: reading the status page: %v", round, err)
				}
				if wantLine := map[bool]string{false: "New, TLSv1.2", true: "Reused, TLSv1.2"}[want]; !bytes.Contains(body, []byte(wantLine)) {
					t.Errorf("round %d: status page lacks %q:\n%s", round, wantLine, body)
				}
				c.Close()
			}
			if s, ok := cfg.ClientSessionCache.Get("localhost"); !ok || (via == "ticket" && len(s.ticket) == 0) || (via == "session_id" && (len(s.sessionID) == 0 || len(s.ticket) > 0)) {
				t.Errorf("cached session does not hold a %s", via)
			}
		})
	}
}
