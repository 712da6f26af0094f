package main

// One live demo connection: a minitls server (net/http on a minitls
// listener) on 127.0.0.1:0, a minitls client, one HTTP GET, and the trace
// of both ends.

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"minitls/handshake"
)

// demoConn is what one connection produced: its trace and what the client
// saw.
type demoConn struct {
	*demoTrace

	srvAddr  string
	cliAddr  string
	tcpTime  time.Duration
	request  []byte
	respLine string
	// serverName is the client's Config.ServerName: the name its
	// certificate check matched, and so the one the demo's checks use.
	serverName string
	body       []byte
	state      handshake.ConnectionState
}

// demoServerConfig is the demo server's Config: the throwaway certificate,
// the demo's randomness and clock, and a trace that opts in to the secrets
// (serve's does not). A story's second connection reuses the first's
// server (its ticket keys) with a trace of its own.
func (s *demoSession) demoServerConfig(t *demoTrace) *handshake.Config {
	if s.srvCfg != nil {
		cfg := s.srvCfg.Clone()
		cfg.Trace = t.record
		return cfg
	}
	return &handshake.Config{
		Certificates: []handshake.Certificate{{
			Certificate: [][]byte{s.pki.leafDER, s.pki.caDER},
			PrivateKey:  s.pki.leafKey,
			ECDSAKey:    s.pki.leafECKey, // -cert ecdsa (then PrivateKey is nil)
		}},
		NextProtos:   []string{"http/1.1"},
		Rand:         s.srvRand,
		Time:         s.clock,
		Trace:        t.record,
		TraceSecrets: true,
	}
}

// demoClientConfig is the demo client's Config; tune adjusts it for a
// story (versions, suites, groups).
func (s *demoSession) demoClientConfig(t *demoTrace) *handshake.Config {
	return &handshake.Config{
		RootCAs:    s.roots,
		ServerName: "localhost",
		// TLS 1.2 suites only: the TLS 1.2 stories stay TLS 1.2 whatever
		// the package's default versions.
		CipherSuites: s.opts.suites,
		NextProtos:   []string{"http/1.1"},
		Rand:         s.cliRand,
		Time:         s.clock,
		Trace:        t.record,
		TraceSecrets: true,

		ClientSessionCache: s.sessions,
	}
}

// connect runs the real exchange, server, client, handshake, one GET, and
// makes it the session's current connection. tune, if not nil, adjusts
// the client's and the server's Config.
func (s *demoSession) connect(tune func(cli, srv *handshake.Config)) error {
	c := &demoConn{demoTrace: &demoTrace{}}
	srvCfg := s.demoServerConfig(c.demoTrace)
	if s.srvCfg == nil {
		s.srvCfg = srvCfg
	}
	cliCfg := s.demoClientConfig(c.demoTrace)
	if tune != nil {
		tune(cliCfg, srvCfg)
	}
	c.serverName = cliCfg.ServerName
	if s.opts.keylog != "" {
		// The first connection starts the file, later ones add to it.
		flag := os.O_TRUNC
		if s.demoConn != nil {
			flag = os.O_APPEND
		}
		f, err := os.OpenFile(s.opts.keylog, os.O_CREATE|os.O_WRONLY|flag, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		cliCfg.KeyLogWriter = f
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listening on 127.0.0.1: %w", err)
	}
	defer ln.Close()
	c.srvAddr = ln.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(demoHandler), ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(handshake.NewListener(ln, srvCfg))
	defer srv.Close()
	if err := c.get(cliCfg); err != nil {
		return err
	}
	s.demoConn = c
	return nil
}

// get dials the server, runs the client's handshake and fetches the page.
func (c *demoConn) get(cliCfg *handshake.Config) error {
	start := time.Now()
	raw, err := net.Dial("tcp", c.srvAddr)
	if err != nil {
		return fmt.Errorf("connecting to the demo server: %w", err)
	}
	c.tcpTime = time.Since(start)
	c.cliAddr = raw.LocalAddr().String()
	raw.SetDeadline(time.Now().Add(30 * time.Second))
	conn := handshake.Client(raw, cliCfg)
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		return fmt.Errorf("the demo handshake failed: %w", err)
	}
	c.state = conn.ConnectionState()
	// Host without the port: the port changes every run, and a -seed run
	// must send the same bytes each time. The server does not look at it.
	c.request = []byte("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: minitls-demo\r\nConnection: close\r\n\r\n")
	if _, err := conn.Write(c.request); err != nil {
		return fmt.Errorf("sending the request: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return fmt.Errorf("reading the response: %w", err)
	}
	c.respLine = resp.Proto + " " + resp.Status
	c.body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("reading the response body: %w", err)
	}
	return nil
}

// demoConnect is the connecting step of the TLS 1.2 stories.
func demoConnect(s *demoSession) error {
	if s.opts.resume {
		s.sessions = handshake.NewLRUClientSessionCache(1)
	}
	return s.connect(nil)
}
