package main

// Tests of get's one-line explanations of what a server wanted when it gave
// up (a client certificate, a renegotiation), of flags after the URL and of
// -suite, against crypto/tls, a raw-record server and openssl s_server.

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// getTestTLSServer serves "hello from crypto/tls\n" over TLS 1.2 with the
// certgen pair and the given client-certificate policy, until the test
// ends; it returns the port.
func getTestTLSServer(t *testing.T, dir string, auth tls.ClientAuthType) string {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key"))
	if err != nil {
		t.Fatal(err)
	}
	return getTestTLSServerConfig(t, &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12, ClientAuth: auth})
}

// getTestTLSServerConfig serves "hello from crypto/tls\n" with config
// until the test ends; it returns the port.
func getTestTLSServerConfig(t *testing.T, config *tls.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "hello from crypto/tls\n")
		}),
		TLSConfig: config,
		ErrorLog:  log.New(io.Discard, "", 0),
	}
	go srv.ServeTLS(ln, "", "")
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// getTestCheckOneLine asserts that get failed with one line on stderr that
// contains every want, and wrote nothing to stdout.
func getTestCheckOneLine(t *testing.T, r cliTestResult, want ...string) {
	t.Helper()
	if r.code == 0 {
		t.Fatalf("get exited 0; stdout %q", r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "minitls get: ") {
		t.Errorf("want one line on stderr, got %q", r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr %q lacks %q", r.stderr, w)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty: %q", r.stdout)
	}
}

const (
	getTestNeedsCert = "the server requires a client certificate and minitls get sent none"
	getTestRenego    = "the server insisted on renegotiation, which minitls refuses"
)

// TestGetClientCertificateRequired: a server that sent CertificateRequest
// and then refuses minitls's empty Certificate gets a line that says so,
// not the generic meaning of its alert; a server that only asks (and goes
// on without one) still serves the page.
func TestGetClientCertificateRequired(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	t.Run("crypto/tls requires", func(t *testing.T) {
		port := getTestTLSServer(t, dir, tls.RequireAnyClientCert)
		r := cliTestRun(t, nil, "get", "-cafile", ca, "https://localhost:"+port+"/")
		// crypto/tls sends bad_certificate and closes at once: the alert
		// or the close may reach get first; either way the line is the same.
		getTestCheckOneLine(t, r, getTestNeedsCert, "CertificateRequest")
	})
	t.Run("crypto/tls asks only", func(t *testing.T) {
		port := getTestTLSServer(t, dir, tls.RequestClientCert)
		r := cliTestRun(t, nil, "get", "-cafile", ca, "https://localhost:"+port+"/")
		if r.code != 0 || r.stdout != "hello from crypto/tls\n" {
			t.Errorf("get from a server that only requests a certificate: exit %d, %q, %q", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("openssl s_server -Verify 1", func(t *testing.T) {
		openssl := cliTestNeed(t, "openssl", "openssl")
		port, _, _ := getTestSServer(t, openssl, dir, "-www", "-Verify", "1")
		for _, suite := range []string{"aes128", "ECDHE-RSA-AES256-GCM-SHA384"} {
			r := cliTestRun(t, nil, "get", "-cafile", ca, "-suite", suite, "https://localhost:"+port+"/")
			getTestCheckOneLine(t, r, getTestNeedsCert, "sent alert handshake_failure")
		}
	})
}

// getTestSServer starts openssl s_server -tls1_2 with the certgen pair and
// extra flags, and returns its port, a writer to its stdin (s_server's
// commands: "r" renegotiates) and its output, which also goes to the test
// log on failure.
func getTestSServer(t *testing.T, openssl, dir string, extra ...string) (string, io.Writer, *cliTestSyncBuffer) {
	t.Helper()
	return getTestSServerVersion(t, openssl, dir, "-tls1_2", extra...)
}

// getTestSServerVersion is getTestSServer with the version flag given
// ("-tls1_2", "-tls1_3").
func getTestSServerVersion(t *testing.T, openssl, dir, version string, extra ...string) (string, io.Writer, *cliTestSyncBuffer) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	args := append([]string{"s_server", "-accept", port, version,
		"-cert", filepath.Join(dir, "server.pem"), "-key", filepath.Join(dir, "server.key")}, extra...)
	cmd := exec.CommandContext(ctx, openssl, args...)
	out := &cliTestSyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("openssl s_server output:\n%s", out.String())
		}
	})
	for i := 0; ; i++ {
		if strings.Contains(out.String(), "ACCEPT") {
			break
		}
		if i == 400 {
			t.Fatalf("s_server did not start: %s", out.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
	return port, stdin, out
}

// TestGetRenegotiationRefused: a server that sends HelloRequest and ends
// the connection when minitls does not renegotiate gets a line that says
// so: during the handshake (a raw-record server: HelloRequest before its
// ServerHello, then a fatal alert or a bare close) and after it (openssl
// s_server renegotiating once the request arrived; minitls answers
// no_renegotiation and s_server sends handshake_failure).
func TestGetRenegotiationRefused(t *testing.T) {
	for _, tc := range []struct {
		name    string
		then    []byte // after the HelloRequest
		wantHow string
	}{
		{"then handshake_failure", []byte{21, 3, 3, 0, 2, 2, 40}, "sent alert handshake_failure"},
		{"then close", nil, "closed the connection"},
	} {
		t.Run("raw server, "+tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				// Read the ClientHello record, answer with a HelloRequest
				// record (spec: rfc5246#7.4.1.1: type 0, empty body).
				var hdr [5]byte
				if _, err := io.ReadFull(c, hdr[:]); err != nil {
					return
				}
				if _, err := io.CopyN(io.Discard, c, int64(hdr[3])<<8|int64(hdr[4])); err != nil {
					return
				}
				c.Write(append([]byte{22, 3, 3, 0, 4, 0, 0, 0, 0}, tc.then...))
				c.(*net.TCPConn).CloseWrite()
				io.Copy(io.Discard, c) // until minitls closes
			}()
			r := cliTestRun(t, nil, "get", "-timeout", "5s", "https://"+ln.Addr().String()+"/")
			getTestCheckOneLine(t, r, getTestRenego, "HelloRequest", tc.wantHow)
		})
	}
	t.Run("openssl s_server renegotiates after the request", func(t *testing.T) {
		openssl := cliTestNeed(t, "openssl", "openssl")
		dir := cliTestPKI(t)
		port, stdin, out := getTestSServer(t, openssl, dir)
		done := make(chan cliTestResult, 1)
		go func() {
			done <- cliTestRun(t, nil, "get", "-timeout", "20s", "-cafile", filepath.Join(dir, "ca.pem"), "https://localhost:"+port+"/")
		}()
		deadline := time.Now().Add(15 * time.Second)
		for !strings.Contains(out.String(), "GET / HTTP/1.1") {
			if time.Now().After(deadline) {
				t.Fatalf("s_server never received the request:\n%s", out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		io.WriteString(stdin, "r\n") // s_server: SSL_renegotiate, sends HelloRequest
		r := <-done
		getTestCheckOneLine(t, r, getTestRenego, "sent alert handshake_failure")
		if !strings.Contains(out.String(), "no renegotiation") {
			t.Errorf("s_server did not see minitls's no_renegotiation:\n%s", out.String())
		}
	})
}

// TestGetFlagsAfterURL: flags may follow the URL, as curl takes them; after
// "--" everything is an operand.
func TestGetFlagsAfterURL(t *testing.T) {
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	ca := filepath.Join(dir, "ca.pem")
	url := "https://localhost:" + srv.port + "/"
	r := cliTestRun(t, nil, "get", url, "-cafile", ca, "-suite", "aes128", "-v")
	if r.code != 0 || !strings.Contains(r.stdout, "TLS_RSA_WITH_AES_128_GCM_SHA256") ||
		!strings.Contains(r.stderr, "certificate verified") {
		t.Errorf("get URL -cafile CA -suite aes128 -v: exit %d, stderr %q", r.code, cliTestTail(r.stderr, 300))
	}
	r = cliTestRun(t, nil, "get", "-cafile", ca, url, "-suite", "aes256")
	if r.code != 0 || !strings.Contains(r.stdout, "TLS_RSA_WITH_AES_256_GCM_SHA384") {
		t.Errorf("get -cafile CA URL -suite aes256: exit %d, stderr %q", r.code, r.stderr)
	}
	r = cliTestRun(t, nil, "get", "-cafile", ca, "--", url, "-v")
	if r.code != 2 || !strings.Contains(r.stderr, "give exactly one https:// URL") {
		t.Errorf("get -- URL -v (two operands): exit %d, stderr %q", r.code, cliTestTail(r.stderr, 200))
	}
	r = cliTestRun(t, nil, "get", url, "-nosuchflag")
	if r.code != 2 || !strings.Contains(r.stderr, "-nosuchflag") {
		t.Errorf("get URL -nosuchflag: exit %d, stderr %q", r.code, cliTestTail(r.stderr, 200))
	}
}

// TestSuiteFlag: -suite aes128|aes256 selects RSA key transport and the
// ECDHE_RSA suites go by name, on serve and get; the help of both says so,
// and so does demo's, which adds what aes128|aes256 mean in its other stories.
func TestSuiteFlag(t *testing.T) {
	demoHelp := strings.Join(strings.Fields(cliTestRun(t, nil, "demo", "-h").stderr), " ")
	if want := "with -kx ecdhe, -cert ecdsa or -tls13, aes128 and aes256 pick the story's suite with that AES key size"; !strings.Contains(demoHelp, want) {
		t.Errorf("minitls demo -h lacks %q:\n%s", want, demoHelp)
	}
	for _, c := range []string{"serve", "get", "demo"} {
		r := cliTestRun(t, nil, c, "-h")
		help := strings.Join(strings.Fields(r.stderr), " ")
		for _, want := range []string{"aes128 or aes256 selects RSA key transport", "ECDHE_RSA suite", "ECDHE-RSA-AES128-GCM-SHA256"} {
			if !strings.Contains(help, want) {
				t.Errorf("minitls %s -h lacks %q:\n%s", c, want, r.stderr)
			}
		}
	}
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	ecdhe := cliTestServe(t, dir, "-suite", "ecdhe-rsa-aes128-gcm-sha256")
	r := cliTestRun(t, nil, "get", "-cafile", ca, "https://localhost:"+ecdhe.port+"/")
	if r.code != 0 || !strings.Contains(r.stdout, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") {
		t.Errorf("serve -suite ecdhe-rsa-aes128-gcm-sha256: exit %d, %q", r.code, r.stderr)
	}
	r = cliTestRun(t, nil, "get", "-cafile", ca, "-suite", "aes128", "https://localhost:"+ecdhe.port+"/")
	getTestCheckOneLine(t, r, "the server sent alert handshake_failure")
	srv := cliTestServe(t, dir)
	for suite, want := range map[string]string{
		"aes128":                                "TLS_RSA_WITH_AES_128_GCM_SHA256",
		"AES256":                                "TLS_RSA_WITH_AES_256_GCM_SHA384",
		"ECDHE-RSA-AES256-GCM-SHA384":           "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
		"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	} {
		r := cliTestRun(t, nil, "get", "-cafile", ca, "-suite", suite, "https://localhost:"+srv.port+"/")
		if r.code != 0 || !strings.Contains(r.stdout, "cipher suite</th><td>"+want) {
			t.Errorf("get -suite %s: exit %d, stderr %q; want %s", suite, r.code, r.stderr, want)
		}
		rsa := strings.HasPrefix(want, "TLS_RSA_")
		if got := strings.Contains(r.stdout, "RSA key transport: your client encrypted"); got != rsa {
			t.Errorf("get -suite %s: page says RSA key transport %v, want %v", suite, got, rsa)
		}
	}
}
