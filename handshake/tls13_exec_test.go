package handshake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// opensslSuites13 names the TLS 1.3 suites for OpenSSL's -ciphersuites;
// the groups are opensslGroups (ecdhe_exec_test.go), the same in both
// versions. (The OpenSSL here, 3.0, has no X25519MLKEM768; crypto/tls and
// Chromium test the hybrid.)
var opensslSuites13 = map[CipherSuite]string{
	TLS_AES_128_GCM_SHA256:       "TLS_AES_128_GCM_SHA256",
	TLS_AES_256_GCM_SHA384:       "TLS_AES_256_GCM_SHA384",
	TLS_CHACHA20_POLY1305_SHA256: "TLS_CHACHA20_POLY1305_SHA256",
}

// TestTLS13OpenSSLServer: the minitls client against `openssl s_server
// -tls1_3 -www`, each suite and group, reading the status page; once for
// each hash (SHA-256, SHA-384) the page is read after a KeyUpdate that asks
// the server to update too (only once each: s_server's www mode sleeps a
// second on the read a KeyUpdate interrupts); and a HelloRetryRequest
// (s_server on P-256 only, minitls's shares in X25519MLKEM768 and x25519).
//
// spec: rfc8446#4.1.4, rfc8446#4.6.3
func TestTLS13OpenSSLServer(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	for id, suiteName := range opensslSuites13 {
		for g, groupName := range opensslGroups {
			keyUpdate := g == CurveX25519 && id != TLS_CHACHA20_POLY1305_SHA256
			t.Run(suiteName+"/"+groupName, func(t *testing.T) {
				testTLS13OpenSSLServer(t, openssl, f, suiteName, groupName, &Config{CipherSuites: []uint16{uint16(id)}, CurvePreferences: []CurveID{g}}, false, keyUpdate)
			})
		}
	}
	t.Run("HelloRetryRequest", func(t *testing.T) {
		testTLS13OpenSSLServer(t, openssl, f, "TLS_AES_128_GCM_SHA256", "P-256", &Config{}, true, false)
	})
}

func testTLS13OpenSSLServer(t *testing.T, openssl string, f *fixture, suite, group string, cfg *Config, wantHRR, keyUpdate bool) {
	raw, out := startSServer(t, openssl, "-tls1_3", "-ciphersuites", suite, "-groups", group, "-alpn", "http/1.1")
	var phases []Phase
	cfg.RootCAs, cfg.ServerName, cfg.NextProtos, cfg.phaseLog = f.roots, "localhost", []string{"http/1.1"}, &phases
	c := Client(raw, cfg)
	if err := c.Handshake(); err != nil {
		t.Fatalf("handshake with openssl s_server: %v\n%s", err, out.String())
	}
	st := c.ConnectionState()
	if st.Version != uint16(VersionTLS13) || CipherSuite(st.CipherSuite).String() != suite ||
		opensslGroups[st.CurveID] != group || st.NegotiatedProtocol != "http/1.1" || !isPSS(st.SignatureScheme) {
		t.Errorf("state %+v", st)
	}
	if got := containsPhase(phases, PhaseHelloRetryRequest); got != wantHRR {
		t.Errorf("HelloRetryRequest %v, want %v (phases %v)", got, wantHRR, phases)
	}
	if keyUpdate {
		if err := c.UpdateKeys(true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := io.WriteString(c, "GET / HTTP/1.0\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("reading the status page: %v (got %q)", err, body)
	}
	for _, want := range []string{"HTTP/1.0 200 ok", suite, "TLSv1.3"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("status page lacks %q:\n%s", want, body)
		}
	}
	c.Close()
}

func containsPhase(phases []Phase, p Phase) bool {
	for _, q := range phases {
		if q == p {
			return true
		}
	}
	return false
}

// TestTLS13OpenSSLClient: `openssl s_client -tls1_3` against the minitls
// server, each suite and group, with chain verification, SNI and ALPN, and
// a HelloRetryRequest when minitls accepts only P-256 and s_client's first
// share is x25519. s_client's "-keyupdate"-less session still sees the
// server's answer.
//
// spec: rfc8446#4.1.4
func TestTLS13OpenSSLClient(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	type run struct {
		name, suite, groups string
		cfg                 *Config
	}
	var runs []run
	for id, suiteName := range opensslSuites13 {
		for _, groupName := range opensslGroups {
			runs = append(runs, run{suiteName + "/" + groupName, suiteName, groupName, &Config{CipherSuites: []uint16{uint16(id)}}})
		}
	}
	runs = append(runs, run{"HelloRetryRequest", "TLS_AES_128_GCM_SHA256", "X25519:P-256", &Config{CurvePreferences: []CurveID{CurveP256}}})
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			var phases []Phase
			r.cfg.Certificates, r.cfg.NextProtos, r.cfg.phaseLog = []Certificate{f.cert}, []string{"http/1.1"}, &phases
			addr, result := serveOnce(t, r.cfg)
			sClientPing(t, openssl, addr, result, []string{"-tls1_3", "-ciphersuites", r.suite, "-groups", r.groups, "-alpn", "http/1.1"},
				"New, TLSv1.3, Cipher is "+r.suite, "ALPN protocol: http/1.1")
			if got, want := containsPhase(phases, PhaseHelloRetryRequest), r.name == "HelloRetryRequest"; got != want {
				t.Errorf("HelloRetryRequest %v, want %v (phases %v)", got, want, phases)
			}
		})
	}
}

// TestTLS13Curl: curl fetches a page over TLS 1.3 from net/http on the
// minitls listener with its default settings.
func TestTLS13Curl(t *testing.T) {
	curl := needBinary(t, "curl")
	f := testFixture(t)
	addr := newHTTPServer(t, &Config{Certificates: []Certificate{f.cert}, NextProtos: []string{"http/1.1"}})
	_, port, _ := net.SplitHostPort(addr)
	for _, args := range [][]string{{"--tlsv1.3"}, {"--tlsv1.3", "--tls13-ciphers", "TLS_AES_256_GCM_SHA384", "--curves", "P-256"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmdArgs := append([]string{"-sS", "-v", "--max-time", "15", "--cacert", testdataPath(t, "ca.pem"),
				"--resolve", "localhost:" + port + ":127.0.0.1"}, args...)
			cmdArgs = append(cmdArgs, "https://localhost:"+port+"/tls13")
			out, err := exec.Command(curl, cmdArgs...).CombinedOutput()
			if err != nil {
				t.Fatalf("curl: %v\n%s", err, out)
			}
			for _, want := range []string{"hello /tls13", "TLSv1.3"} {
				if !bytes.Contains(out, []byte(want)) {
					t.Errorf("curl output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestTLS13OpenSSLResumption: TLS 1.3 PSK resumption with OpenSSL both
// ways. s_client saves the minitls server's ticket with -sess_out and
// resumes with -sess_in ("Reused, TLSv1.3"); the minitls client resumes
// with s_server's ticket (DidResume, no Certificate read).
//
// spec: rfc8446#2.2, rfc8446#4.6.1
func TestTLS13OpenSSLResumption(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	t.Run("s_client", func(t *testing.T) {
		cfg := &Config{Certificates: []Certificate{f.cert}}
		sess := t.TempDir() + "/sess.pem"
		for i, flag := range []string{"-sess_out", "-sess_in"} {
			addr, result := serveOnce(t, cfg)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			cmd := exec.CommandContext(ctx, openssl, "s_client", "-connect", addr, "-tls1_3", flag, sess,
				"-CAfile", testdataPath(t, "ca.pem"), "-servername", "localhost", "-verify_return_error", "-ign_eof")
			cmd.Stdin = strings.NewReader("ping\n")
			out, err := cmd.CombinedOutput()
			cancel()
			if serr := <-result; serr != nil {
				t.Errorf("minitls server: %v", serr)
			}
			if err != nil {
				t.Fatalf("s_client %s: %v\n%s", flag, err, out)
			}
			want := []string{"New, TLSv1.3", "Reused, TLSv1.3"}[i]
			if !bytes.Contains(out, []byte(want)) || !bytes.Contains(out, []byte("hello from minitls, you said ping")) {
				t.Fatalf("s_client %s output lacks %q:\n%s", flag, want, out)
			}
		}
	})
	t.Run("s_server", func(t *testing.T) {
		port := freePort(t)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, openssl, "s_server", "-accept", fmt.Sprint(port), "-tls1_3",
			"-cert", testdataPath(t, "server.pem"), "-key", testdataPath(t, "server-key.pem"), "-www", "-naccept", "2")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cancel(); cmd.Wait() }()
		cache := NewLRUClientSessionCache(2)
		for i, want := range []bool{false, true} {
			c := Client(dialSServer(t, port, &out), &Config{RootCAs: f.roots, ServerName: "localhost", ClientSessionCache: cache})
			if _, err := io.WriteString(c, "GET / HTTP/1.0\r\n\r\n"); err != nil {
				t.Fatalf("connection %d: %v\n%s", i, err, out.String())
			}
			body, err := io.ReadAll(c) // the ticket comes before the page
			if err != nil || !bytes.Contains(body, []byte("TLSv1.3")) {
				t.Fatalf("connection %d: %v %q", i, err, body)
			}
			if got := c.ConnectionState().DidResume; got != want {
				t.Fatalf("connection %d: DidResume %v, want %v", i, got, want)
			}
			if want && !bytes.Contains(body, []byte("Reused, TLSv1.3")) {
				t.Fatalf("s_server does not report the session reused:\n%s", body)
			}
			c.Close()
		}
	})
}
