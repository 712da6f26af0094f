package main

// Tests of serve's limits: idle keep-alive connections are closed after
// -idle-timeout, a silent connection after -handshake-timeout, and no more
// than -max-conns connections are served at once. The visitors are
// crypto/tls clients (the oracle) and minitls get.

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minitls/handshake"
)

// serveTestVisit opens a TLS 1.2 connection to addr with crypto/tls, fetches
// / on it with keep-alive, and returns the open connection.
func serveTestVisit(ctx context.Context, addr, caFile string) (*tls.Conn, error) {
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	d := tls.Dialer{Config: &tls.Config{RootCAs: roots, ServerName: "localhost", MaxVersion: tls.VersionTLS12}}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	tc := c.(*tls.Conn)
	if _, err := io.WriteString(tc, "GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: serve-test\r\n\r\n"); err != nil {
		tc.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(tc), nil)
	if err != nil {
		tc.Close()
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), "Hello from minitls") || resp.Close {
		tc.Close()
		return nil, errors.New("bad keep-alive response: " + resp.Status)
	}
	return tc, nil
}

// serveTestClose is when the server closed a connection: after this long,
// or not within the limit (open).
type serveTestClose struct {
	after time.Duration
	open  bool
}

// serveTestWatchClose reads c in the background until the server ends it
// (EOF or a reset) or since+limit passes, and reports which came first.
func serveTestWatchClose(c net.Conn, since time.Time, limit time.Duration) <-chan serveTestClose {
	res := make(chan serveTestClose, 1)
	go func() {
		c.SetReadDeadline(since.Add(limit))
		_, err := io.Copy(io.Discard, c) // nil at EOF
		var ne net.Error
		res <- serveTestClose{after: time.Since(since), open: errors.As(err, &ne) && ne.Timeout()}
	}()
	return res
}

// TestServeIdleTimeout: clients that finish a request and go quiet are
// closed once -idle-timeout has passed, while new visitors are served in
// the meantime; a client that connects and never starts its handshake is
// closed after -handshake-timeout.
func TestServeIdleTimeout(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	const idle, hsTimeout = 800 * time.Millisecond, 600 * time.Millisecond
	const limit = 8 * time.Second // far beyond both: without them, never
	srv := cliTestServe(t, dir, "-idle-timeout", idle.String(), "-handshake-timeout", hsTimeout.String())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	silent, err := net.Dial("tcp", srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	silentClosed := serveTestWatchClose(silent, time.Now(), limit)
	var idleConns []*tls.Conn
	for range 5 {
		c, err := serveTestVisit(ctx, srv.addr, ca)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idleConns = append(idleConns, c)
	}
	idleSince := time.Now()
	var idleClosed []<-chan serveTestClose
	for _, c := range idleConns {
		idleClosed = append(idleClosed, serveTestWatchClose(c, idleSince, limit))
	}

	// While they idle, new visitors are served: one in process at once,
	// then minitls get.
	visitor, err := serveTestVisit(ctx, srv.addr, ca)
	if err != nil {
		t.Fatalf("a new visitor while 5 connections idle: %v", err)
	}
	visitor.Close()
	r := cliTestRun(t, nil, "get", "-cafile", ca, "https://localhost:"+srv.port+"/")
	if r.code != 0 || !strings.Contains(r.stdout, "Hello from minitls") {
		t.Fatalf("get while 5 connections idle: exit %d, %q", r.code, r.stderr)
	}

	check := func(what string, res <-chan serveTestClose, timeout time.Duration) {
		switch c := <-res; {
		case c.open:
			t.Errorf("%s still open %v after it went quiet (timeout %v)", what, limit, timeout)
		case c.after < timeout-100*time.Millisecond:
			t.Errorf("%s closed after %v, before its timeout %v", what, c.after, timeout)
		case c.after > timeout+3*time.Second:
			t.Errorf("%s closed only after %v (timeout %v)", what, c.after, timeout)
		}
	}
	for i, res := range idleClosed {
		check(fmt.Sprintf("idle connection %d", i), res, idle)
	}
	check("silent connection", silentClosed, hsTimeout)
	srv.waitLog(t, "handshake failed", 1) // the silent one, logged
}

// TestServeMaxConns: with -max-conns 2 and two connections open, a third
// waits (its handshake gets no answer) until one of them closes, then is
// served; the log says once that the slots are full.
func TestServeMaxConns(t *testing.T) {
	dir := cliTestPKI(t)
	ca := filepath.Join(dir, "ca.pem")
	srv := cliTestServe(t, dir, "-max-conns", "2")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	first, err := serveTestVisit(ctx, srv.addr, ca)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := serveTestVisit(ctx, srv.addr, ca)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()

	type result struct {
		c   *tls.Conn
		err error
	}
	third := make(chan result, 1)
	go func() {
		c, err := serveTestVisit(ctx, srv.addr, ca)
		third <- result{c, err}
	}()
	select {
	case r := <-third:
		if r.c != nil {
			r.c.Close()
		}
		t.Fatalf("a third connection was served while -max-conns 2 were open (err %v)", r.err)
	case <-time.After(700 * time.Millisecond):
	}
	srv.waitLog(t, "all 2 connection slots in use", 1)
	first.Close()
	select {
	case r := <-third:
		if r.err != nil {
			t.Fatalf("the third connection, once a slot was free: %v", r.err)
		}
		r.c.Close()
	case <-time.After(10 * time.Second):
		t.Fatal("the third connection was not served within 10 s of a slot becoming free")
	}
	if n := strings.Count(srv.log.String(), "connection slots in use"); n != 1 {
		t.Errorf("the full-slots line appears %d times, want once:\n%s", n, srv.log.String())
	}
}

// TestServeLimitFlags: a limit that would make serve useless is a usage
// error (exit 2) in one line, before anything listens.
func TestServeLimitFlags(t *testing.T) {
	dir := cliTestPKI(t)
	for _, args := range [][]string{{"-idle-timeout", "0s"}, {"-read-timeout", "-1s"}, {"-write-timeout", "0s"},
		{"-handshake-timeout", "0s"}, {"-max-conns", "0"}} {
		r := cliTestRun(t, nil, append([]string{"serve", "-addr", "127.0.0.1:0", "-cert", filepath.Join(dir, "server.pem"),
			"-key", filepath.Join(dir, "server.key")}, args...)...)
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, args[0]) {
			t.Errorf("serve %v: exit %d, %q; want exit 2 and one line naming the flag", args, r.code, r.stderr)
		}
	}
}

// TestServeConnConfigNoSecrets: the Trace hook serve installs on each
// connection never opts in to the key schedule's secret values, even if
// the base Config did.
func TestServeConnConfigNoSecrets(t *testing.T) {
	l := &serveListener{config: &handshake.Config{TraceSecrets: true}}
	info := &serveConnInfo{}
	cfg := l.connConfig(info)
	if cfg.TraceSecrets {
		t.Error("serve's per-connection Config sets TraceSecrets")
	}
	if cfg.Trace == nil {
		t.Error("serve's per-connection Config has no Trace hook")
	}
	if l.config.Trace != nil {
		t.Error("connConfig changed the shared Config")
	}
}
