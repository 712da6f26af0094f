package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Mutual TLS from the command line (issue 21): certgen's client.pem and
// client.key presented by get -cert/-key and curl --cert/--key, to
// serve -clientca and to crypto/tls and openssl servers that require them.

// TestGetClientCertificate: get -cert/-key authenticates to a crypto/tls
// server that requires and verifies a client certificate (TLS 1.2 and
// TLS 1.3) and to openssl s_server -Verify 1 -CAfile (both versions), and
// without -cert says which flags to pass; a refused certificate is named as
// such; -cert without -key is a usage error that names both.
func TestGetClientCertificate(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	certArgs := []string{"-cafile", ca, "-cert", filepath.Join(dir, "client.pem"), "-key", filepath.Join(dir, "client.key")}
	serverCert, err := tls.LoadX509KeyPair(filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key"))
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(ca)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run("crypto/tls "+tls.VersionName(v), func(t *testing.T) {
			port := getTestTLSServerConfig(t, &tls.Config{Certificates: []tls.Certificate{serverCert}, MinVersion: v, MaxVersion: v,
				ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool})
			r := cliTestRun(t, nil, append([]string{"get"}, append(certArgs, "https://localhost:"+port+"/")...)...)
			if r.code != 0 || r.stdout != "hello from crypto/tls\n" {
				t.Errorf("get -cert: exit %d, %q, %q", r.code, r.stdout, r.stderr)
			}
		})
	}
	t.Run("openssl s_server -Verify 1", func(t *testing.T) {
		openssl := cliTestNeed(t, "openssl", "openssl")
		port, _, out := getTestSServer(t, openssl, dir, "-www", "-Verify", "1", "-CAfile", ca)
		for _, suite := range []string{"aes128", "ECDHE-RSA-AES256-GCM-SHA384"} {
			r := cliTestRun(t, nil, append([]string{"get"}, append(certArgs, "-suite", suite, "https://localhost:"+port+"/")...)...)
			if r.code != 0 || !strings.Contains(r.stdout, "s_server") {
				t.Errorf("get -cert -suite %s: exit %d, %q\ns_server:\n%s", suite, r.code, r.stderr, out.String())
			}
		}
		if !strings.Contains(out.String(), "minitls client") {
			t.Errorf("s_server did not see the client certificate's subject:\n%s", out.String())
		}
		r := cliTestRun(t, nil, "get", "-cafile", ca, "-max-version", "1.2", "https://localhost:"+port+"/")
		getTestCheckOneLine(t, r, getTestNeedsCert, "-cert FILE -key FILE")
	})
	t.Run("openssl s_server -tls1_3 -Verify 1", func(t *testing.T) {
		openssl := cliTestNeed(t, "openssl", "openssl")
		port, _, out := getTestSServerVersion(t, openssl, dir, "-tls1_3", "-www", "-Verify", "1", "-CAfile", ca)
		r := cliTestRun(t, nil, append([]string{"get"}, append(certArgs, "https://localhost:"+port+"/")...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "TLSv1.3") {
			t.Errorf("get -cert: exit %d, %q\ns_server:\n%s", r.code, r.stderr, out.String())
		}
		r = cliTestRun(t, nil, "get", "-cafile", ca, "https://localhost:"+port+"/")
		getTestCheckOneLine(t, r, getTestNeedsCert, "-cert FILE -key FILE")
	})
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		// A server that trusts no CA (and so names none): get presents its
		// certificate, the server refuses it, and get says so.
		t.Run("refused, "+tls.VersionName(v), func(t *testing.T) {
			port := getTestTLSServerConfig(t, &tls.Config{Certificates: []tls.Certificate{serverCert}, MinVersion: v, MaxVersion: v,
				ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: x509.NewCertPool()})
			r := cliTestRun(t, nil, append([]string{"get"}, append(certArgs, "https://localhost:"+port+"/")...)...)
			getTestCheckOneLine(t, r, "the server refused our client certificate", "serve -clientca")
		})
	}
	t.Run("-cert without -key", func(t *testing.T) {
		r := cliTestRun(t, nil, "get", "-cafile", ca, "-cert", filepath.Join(dir, "client.pem"), "https://localhost:1/")
		if r.code != 2 || !strings.Contains(r.stderr, "-cert and -key go together") {
			t.Errorf("exit %d, %q", r.code, r.stderr)
		}
	})
}

// TestServeClientCA: serve -clientca serves a visitor that presents
// certgen's client certificate (minitls get, curl, openssl s_client; TLS
// 1.2 and 1.3) and shows it on the page; without one, -clientauth require
// refuses the handshake with the version's alert (get says which flags to
// pass) and -clientauth request serves the page without the section.
func TestServeClientCA(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	clientPEM, clientKey := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	srv := cliTestServe(t, dir, "-clientca", ca)
	url := "https://localhost:" + srv.port + "/"
	const section = "<h2>Your certificate</h2>"
	for _, v := range []string{"1.2", "1.3"} {
		t.Run("get -cert, TLS "+v, func(t *testing.T) {
			r := cliTestRun(t, nil, "get", "-v", "-cafile", ca, "-cert", clientPEM, "-key", clientKey, "-max-version", v, url)
			if !strings.Contains(r.stderr, "* client certificate presented: CN=minitls client") {
				t.Errorf("get -v does not say it presented the client certificate:\n%s", r.stderr)
			}
			if r.code != 0 || !strings.Contains(r.stdout, section) || !strings.Contains(r.stdout, "CN=minitls client") ||
				!strings.Contains(r.stdout, "ECDSA P-256") || !strings.Contains(r.stdout, "ecdsa_secp256r1_sha256") {
				t.Errorf("get -cert: exit %d, stderr %q, page:\n%s", r.code, r.stderr, r.stdout)
			}
			srv.waitLog(t, `client certificate "CN=minitls client,O=minitls"`, 1)
		})
		t.Run("get without -cert, TLS "+v, func(t *testing.T) {
			r := cliTestRun(t, nil, "get", "-cafile", ca, "-max-version", v, url)
			getTestCheckOneLine(t, r, getTestNeedsCert, "-cert FILE -key FILE")
		})
	}
	curl := cliTestNeed(t, "curl", "curl")
	for _, tc := range []struct{ version, alert string }{{"1.2", "handshake_failure"}, {"1.3", "certificate_required"}} {
		runCurl := func(extra ...string) ([]byte, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			args := append([]string{"-sS", "--cacert", ca, "--tlsv" + tc.version, "--tls-max", tc.version}, extra...)
			return exec.CommandContext(ctx, curl, append(args, url)...).CombinedOutput()
		}
		t.Run("curl --cert, TLS "+tc.version, func(t *testing.T) {
			out, err := runCurl("--cert", clientPEM, "--key", clientKey)
			if err != nil || !bytes.Contains(out, []byte(section)) || !bytes.Contains(out, []byte("CN=minitls client")) {
				t.Errorf("curl --cert: %v\n%s\nserver log:\n%s", err, out, srv.log.String())
			}
		})
		t.Run("curl without --cert, TLS "+tc.version, func(t *testing.T) {
			out, err := runCurl()
			if err == nil && bytes.Contains(out, []byte("Hello from minitls")) {
				t.Fatalf("curl without a certificate was served:\n%s", out)
			}
			srv.waitLog(t, "sent alert "+tc.alert, 1)
		})
	}
	t.Run("openssl s_client -cert", func(t *testing.T) {
		openssl := cliTestNeed(t, "openssl", "openssl")
		for _, version := range []string{"-tls1_2", "-tls1_3"} {
			for _, withCert := range []bool{true, false} {
				args := []string{"s_client", "-connect", srv.addr, version, "-CAfile", ca, "-servername", "localhost", "-ign_eof"}
				if withCert {
					args = append(args, "-cert", clientPEM, "-key", clientKey)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				cmd := exec.CommandContext(ctx, openssl, args...)
				cmd.Stdin = strings.NewReader("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
				out, _ := cmd.CombinedOutput()
				cancel()
				if got := bytes.Contains(out, []byte(section)); got != withCert {
					t.Errorf("s_client %s, certificate %v: page with the certificate section %v, want %v\n%s", version, withCert, got, withCert, out)
				}
			}
		}
	})
	t.Run("-clientauth request", func(t *testing.T) {
		srv := cliTestServe(t, dir, "-clientca", ca, "-clientauth", "request")
		r := cliTestRun(t, nil, "get", "-cafile", ca, "-max-version", "1.2", "https://localhost:"+srv.port+"/")
		if r.code != 0 || !strings.Contains(r.stdout, "Hello from minitls") || strings.Contains(r.stdout, section) {
			t.Errorf("get without -cert from -clientauth request: exit %d, %q, page has the section: %v", r.code, r.stderr, strings.Contains(r.stdout, section))
		}
	})
}
