package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"minitls/handshake"
)

// The loopback cases run a real TLS client and server in this process,
// over TCP on 127.0.0.1: minitls against minitls, crypto/tls against
// crypto/tls, with the same RSA-2048 certificate, both clients verifying it
// against the same CA, and both sides restricted to one suite (see
// benchHSKind), which every measured connection is checked to have
// negotiated:
//
//   - full RSA handshakes, TLS_RSA_WITH_AES_128_GCM_SHA256: the server
//     decrypts the premaster secret with its RSA key;
//   - full ECDHE handshakes, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 with
//     X25519 as the only group: the server signs its ServerKeyExchange with
//     its RSA key (RSA-PSS, rsa_pss_rsae_sha256, with both libraries: each
//     client lists it first; PKCS#1 v1.5 would be the same private-key
//     operation) and does two X25519 scalar multiplications;
//   - full TLS 1.3 handshakes, TLS_AES_128_GCM_SHA256, with X25519 or with
//     the hybrid post-quantum X25519MLKEM768 as the only group: the server
//     signs its CertificateVerify (RSA-PSS) and does one X25519 (plus, for
//     the hybrid, one ML-KEM-768 encapsulation);
//   - resumed TLS 1.3 handshakes (psk_dhe_ke: the ticket's PSK and a fresh
//     X25519 exchange, no certificate, no signature); the ticket comes
//     after the handshake, so the server sends one byte and the client
//     reads it, taking the ticket in;
//   - resumed handshakes of a TLS_RSA_WITH_AES_128_GCM_SHA256 session by an
//     RFC 5077 session ticket: the client keeps a session cache (one full
//     handshake, untimed, fills it) and the server issues tickets; no RSA at
//     all. Both ends of every measured connection must report DidResume.
//
// In the full cases neither side resumes: the minitls client has no session
// cache, crypto/tls has session tickets turned off and no client session
// cache, and both ends of every connection must report DidResume false.
//
// How the server's CPU time is measured: the server runs in one goroutine
// locked to its OS thread (runtime.LockOSThread). Everything the server does
// for a connection — parsing, the RSA decryption, the PRF, record protection
// and the system calls that move its bytes — then runs on that one thread,
// and the thread's CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID), user +
// system) is the server's CPU time alone: the client runs on other threads,
// and while the server waits for the client its thread sleeps, which costs no
// CPU. The count starts after accept returns (the kernel completes the TCP
// handshake by itself) and ends after the server's Close. This measures the
// server as a whole, not a sum of its parts, so whatever a handshake costs
// that no micro-benchmark names (certificate marshalling, transcript hashing,
// allocation and garbage collection, system calls) is included.
//
// A locked thread makes every wake-up of the server a hand-over between
// threads, which slows the connection down, so the elapsed-time rows
// (handshakes per second, MB/s over loopback) are measured in separate
// rounds with an ordinary, unlocked server goroutine.

// benchIOTimeout bounds every network wait, so a bug fails the run instead
// of hanging it.
const benchIOTimeout = 60 * time.Second

// benchTLSConn is what both libraries' connections offer.
type benchTLSConn interface {
	net.Conn
	Handshake() error
}

// benchTLS builds the client and server ends of one implementation.
type benchTLS struct {
	client, server func(net.Conn) benchTLSConn
}

// benchHSKind is what a loopback case negotiates.
type benchHSKind struct {
	suite uint16 // the one suite both sides enable (same number in both libraries)
	ecdhe bool   // X25519 is the only group both sides enable
	// tls13 makes both sides TLS 1.3 only, with group as the one group
	// (X25519, or the hybrid X25519MLKEM768; same number in both
	// libraries); crypto/tls picks its TLS 1.3 suite itself, AES-128-GCM
	// first on CPUs with AES instructions, which every connection is
	// checked to have.
	tls13 bool
	group uint16
	// clientCache gives the client a session cache, serverTickets lets the
	// server issue and accept session tickets (minitls keeps no session_id
	// cache here, and crypto/tls has none), and resume says every measured
	// handshake must resume (else every one must be full).
	clientCache, serverTickets, resume bool
	// mutual: the server requires a client certificate
	// (RequireAnyClientCert) and the client presents the same RSA-2048
	// chain the server uses: one more RSA signature on the client (its
	// CertificateVerify) and one more verification on the server; the
	// chain itself is not verified, so the row is what the signature costs.
	// spec: rfc5246#7.4.8
	mutual bool
	// ecdsa: the server presents the ECDSA P-256 leaf (an ECDHE_ECDSA
	// suite) instead of the RSA-2048 one.
	ecdsa bool
}

var (
	benchKindRSA          = benchHSKind{suite: tls.TLS_RSA_WITH_AES_128_GCM_SHA256}
	benchKindECDHE        = benchHSKind{suite: tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ecdhe: true}
	benchKindResumed      = benchHSKind{suite: tls.TLS_RSA_WITH_AES_128_GCM_SHA256, clientCache: true, serverTickets: true, resume: true}
	benchKindTLS13        = benchHSKind{suite: tls.TLS_AES_128_GCM_SHA256, tls13: true, group: uint16(tls.X25519)}
	benchKindMLKEM        = benchHSKind{suite: tls.TLS_AES_128_GCM_SHA256, tls13: true, group: uint16(tls.X25519MLKEM768)}
	benchKindTLS13Resumed = benchHSKind{suite: tls.TLS_AES_128_GCM_SHA256, tls13: true, group: uint16(tls.X25519),
		clientCache: true, serverTickets: true, resume: true}
	benchKindMutual = benchHSKind{suite: tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ecdhe: true, mutual: true}
)

// ticketAfter reports whether the kind's tickets come after the handshake
// (TLS 1.3's NewSessionTicket): then the server sends one byte after its
// handshake and the client reads it, which makes the client take the
// ticket in (crypto/tls and minitls both read post-handshake messages in
// Read).
func (k benchHSKind) ticketAfter() bool { return k.tls13 && k.clientCache }

// info describes the kind for the JSON report.
func (k benchHSKind) info() *benchTLSInfo {
	i := &benchTLSInfo{Suite: tls.CipherSuiteName(k.suite), Resumed: k.resume}
	if k.ecdhe {
		i.Curve = "x25519"
	}
	if k.tls13 {
		i.Curve = strings.ToLower(tls.CurveID(k.group).String())
	}
	return i
}

func benchTLSImpls(fx *benchFixture, k benchHSKind) [2]benchTLS {
	suites := []uint16{k.suite}
	mServer := &handshake.Config{
		Certificates:           []handshake.Certificate{{Certificate: [][]byte{fx.leafDER}, PrivateKey: fx.key2048}},
		CipherSuites:           suites,
		SessionTicketsDisabled: !k.serverTickets,
	}
	mClient := &handshake.Config{RootCAs: fx.roots, ServerName: benchServerName, CipherSuites: suites}
	sServer, sClient := benchStdServerConfig(fx), benchStdClientConfig(fx)
	sServer.CipherSuites, sClient.CipherSuites = suites, suites
	sServer.SessionTicketsDisabled = !k.serverTickets
	if k.ecdhe {
		mServer.CurvePreferences = []handshake.CurveID{handshake.CurveX25519}
		mClient.CurvePreferences = []handshake.CurveID{handshake.CurveX25519}
		sServer.CurvePreferences = []tls.CurveID{tls.X25519}
		sClient.CurvePreferences = []tls.CurveID{tls.X25519}
	}
	if k.tls13 {
		v := uint16(handshake.VersionTLS13)
		mServer.MinVersion, mServer.MaxVersion, mClient.MinVersion, mClient.MaxVersion = v, v, v, v
		sServer.MinVersion, sServer.MaxVersion, sClient.MinVersion, sClient.MaxVersion = v, v, v, v
		mServer.CurvePreferences = []handshake.CurveID{handshake.CurveID(k.group)}
		mClient.CurvePreferences = mServer.CurvePreferences
		sServer.CurvePreferences = []tls.CurveID{tls.CurveID(k.group)}
		sClient.CurvePreferences = sServer.CurvePreferences
	}
	if k.clientCache {
		mClient.ClientSessionCache = handshake.NewLRUClientSessionCache(1)
		sClient.ClientSessionCache = tls.NewLRUClientSessionCache(1)
	}
	if k.ecdsa {
		mServer.Certificates = []handshake.Certificate{{Certificate: [][]byte{fx.ecdsaLeafDER}, ECDSAKey: fx.ecdsaKey}}
		sServer.Certificates = []tls.Certificate{{Certificate: [][]byte{fx.ecdsaLeafDER}, PrivateKey: fx.stdECDSAKey}}
	}
	if k.mutual {
		mClient.Certificates = mServer.Certificates
		mServer.ClientAuth = handshake.RequireAnyClientCert
		sClient.Certificates = sServer.Certificates
		sServer.ClientAuth = tls.RequireAnyClientCert
	}
	return [2]benchTLS{
		{
			client: func(c net.Conn) benchTLSConn { return handshake.Client(c, mClient) },
			server: func(c net.Conn) benchTLSConn { return handshake.Server(c, mServer) },
		},
		{
			client: func(c net.Conn) benchTLSConn { return tls.Client(c, sClient) },
			server: func(c net.Conn) benchTLSConn { return tls.Server(c, sServer) },
		},
	}
}

func benchStdServerConfig(fx *benchFixture) *tls.Config {
	return &tls.Config{
		Certificates:           []tls.Certificate{{Certificate: [][]byte{fx.leafDER}, PrivateKey: fx.std2048}},
		MinVersion:             tls.VersionTLS12,
		MaxVersion:             tls.VersionTLS12,
		CipherSuites:           []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256},
		SessionTicketsDisabled: true,
		// Full 16 KiB records from the first byte, as minitls sends.
		DynamicRecordSizingDisabled: true,
	}
}

func benchStdClientConfig(fx *benchFixture) *tls.Config {
	return &tls.Config{
		RootCAs:                     fx.stdRoots,
		ServerName:                  benchServerName,
		MinVersion:                  tls.VersionTLS12,
		MaxVersion:                  tls.VersionTLS12,
		CipherSuites:                []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256},
		DynamicRecordSizingDisabled: true,
	}
}

// benchCheckConn makes sure one end of a connection negotiated what the row
// claims: TLS 1.2, the kind's suite (and X25519, where crypto/tls says), and
// a resumed handshake exactly when wantResume.
func benchCheckConn(c benchTLSConn, k benchHSKind, wantResume bool) error {
	var version, suite uint16
	var resumed bool
	switch c := c.(type) {
	case *handshake.Conn:
		cs := c.ConnectionState()
		version, suite, resumed = cs.Version, cs.CipherSuite, cs.DidResume
	case *tls.Conn:
		cs := c.ConnectionState()
		version, suite, resumed = cs.Version, cs.CipherSuite, cs.DidResume
		if k.ecdhe && cs.CurveID != tls.X25519 || k.tls13 && cs.CurveID != tls.CurveID(k.group) {
			return fmt.Errorf("crypto/tls negotiated group %v, want %v", cs.CurveID, k.info().Curve)
		}
	default:
		return fmt.Errorf("unknown connection type %T", c)
	}
	wantVersion := uint16(tls.VersionTLS12)
	if k.tls13 {
		wantVersion = tls.VersionTLS13
	}
	if version != wantVersion || suite != k.suite {
		return fmt.Errorf("negotiated version %#04x suite %#04x, want %#04x with %s", version, suite, wantVersion, tls.CipherSuiteName(k.suite))
	}
	switch {
	case wantResume && !resumed:
		return errors.New("the handshake did not resume (DidResume false): the session ticket was not offered or not accepted")
	case !wantResume && resumed:
		return errors.New("the handshake resumed (DidResume true) where a full handshake was wanted")
	}
	return nil
}

// benchServer is the server side of a loopback case (see the comment at the
// top of this file for how its CPU time is counted).
type benchServer struct {
	ln     net.Listener
	cpu    atomic.Int64 // server CPU time in ns, summed over served operations
	done   chan error   // one value per served operation
	quit   chan struct{}
	exited chan struct{}
}

// benchStartServer listens on loopback and calls serve for each connection
// in one goroutine, locked to its thread when lock is set.
func benchStartServer(lock bool, serve func(s *benchServer, c net.Conn)) (*benchServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &benchServer{ln: ln, done: make(chan error, 1), quit: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		defer close(s.exited)
		if lock {
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		}
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			serve(s, c)
		}
	}()
	return s, nil
}

// finish records one served operation.
func (s *benchServer) finish(t0 time.Duration, err error) {
	s.cpu.Add(int64(benchThreadCPU() - t0))
	select {
	case s.done <- err:
	case <-s.quit:
	}
}

// wait waits for the server to finish its side of one operation.
func (s *benchServer) wait() error {
	t := time.NewTimer(benchIOTimeout)
	defer t.Stop()
	select {
	case err := <-s.done:
		if err != nil {
			return fmt.Errorf("server: %w", err)
		}
		return nil
	case <-t.C:
		return errors.New("server did not finish in time")
	}
}

func (s *benchServer) stop() {
	close(s.quit)
	s.ln.Close()
	select {
	case <-s.exited:
	case <-time.After(benchIOTimeout):
	}
}

// benchHandshakeOps times a new TCP connection with a handshake of kind k
// on both sides, then the close. With lock, the server runs on a locked
// thread and its CPU time is counted. For a resuming kind, one untimed full
// handshake first fills the client's session cache; every later connection
// must resume, on both ends.
func benchHandshakeOps(fx *benchFixture, k benchHSKind, lock bool) ([2]benchOp, func(), error) {
	var ops [2]benchOp
	var servers []*benchServer
	cleanup := func() {
		for _, s := range servers {
			s.stop()
		}
	}
	for i, impl := range benchTLSImpls(fx, k) {
		served := 0 // connections served; only the server goroutine touches it
		srv, err := benchStartServer(lock, func(s *benchServer, c net.Conn) {
			t0 := benchThreadCPU()
			served++
			c.SetDeadline(time.Now().Add(benchIOTimeout))
			tc := impl.server(c)
			err := tc.Handshake()
			if err == nil && k.ticketAfter() {
				_, err = tc.Write([]byte{0})
			}
			tc.Close()
			if err == nil {
				err = benchCheckConn(tc, k, k.resume && served > 1)
			}
			s.finish(t0, err)
		})
		if err != nil {
			cleanup()
			return ops, nil, err
		}
		servers = append(servers, srv)
		addr := srv.ln.Addr().String()
		connect := func(wantResume bool) error {
			c, err := net.DialTimeout("tcp", addr, benchIOTimeout)
			if err != nil {
				return err
			}
			c.SetDeadline(time.Now().Add(benchIOTimeout))
			tc := impl.client(c)
			if err := tc.Handshake(); err != nil {
				c.Close()
				return fmt.Errorf("client handshake: %w", err)
			}
			if k.ticketAfter() {
				if _, err := io.ReadFull(tc, make([]byte, 1)); err != nil {
					c.Close()
					return fmt.Errorf("client reading the ticket: %w", err)
				}
			}
			err = srv.wait()
			if err == nil {
				if err = benchCheckConn(tc, k, wantResume); err != nil {
					err = fmt.Errorf("client: %w", err)
				}
			}
			tc.Close()
			return err
		}
		if k.resume {
			if err := connect(false); err != nil {
				cleanup()
				return ops, nil, fmt.Errorf("%s: the full handshake before resuming: %w", benchImplNames[i], err)
			}
		}
		ops[i] = func(n int) (time.Duration, error) {
			before := srv.cpu.Load()
			for range n {
				if err := connect(k.resume); err != nil {
					return 0, err
				}
			}
			return time.Duration(srv.cpu.Load() - before), nil
		}
	}
	return ops, cleanup, nil
}

// benchBulkOps times moving size bytes of application data from the server to
// the client over one established connection (its handshake is not timed):
// the client asks with one byte, the server answers with size bytes written
// 64 KiB at a time, which both libraries cut into full 16 KiB records. With
// lock, the server runs on a locked thread and its CPU time is counted.
func benchBulkOps(fx *benchFixture, size int64, lock bool) ([2]benchOp, func(), error) {
	var ops [2]benchOp
	var servers []*benchServer
	var clients []net.Conn
	cleanup := func() {
		for _, c := range clients {
			c.Close()
		}
		for _, s := range servers {
			s.stop()
		}
	}
	payload := make([]byte, 64<<10)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	for i, impl := range benchTLSImpls(fx, benchKindRSA) {
		srv, err := benchStartServer(lock, func(s *benchServer, c net.Conn) {
			defer c.Close()
			c.SetDeadline(time.Now().Add(benchIOTimeout))
			tc := impl.server(c)
			err := tc.Handshake()
			s.finish(benchThreadCPU(), err)
			if err != nil {
				return
			}
			req := make([]byte, 1)
			for {
				// Between requests the server may wait while the other
				// implementation is measured: no read deadline here.
				tc.SetDeadline(time.Time{})
				if _, err := io.ReadFull(tc, req); err != nil {
					return // the client closed: the case is over
				}
				t0 := benchThreadCPU()
				tc.SetWriteDeadline(time.Now().Add(benchIOTimeout))
				var err error
				for left := size; left > 0 && err == nil; {
					chunk := payload[:min(int64(len(payload)), left)]
					_, err = tc.Write(chunk)
					left -= int64(len(chunk))
				}
				s.finish(t0, err)
				if err != nil {
					return
				}
			}
		})
		if err != nil {
			cleanup()
			return ops, nil, err
		}
		servers = append(servers, srv)
		c, err := net.DialTimeout("tcp", srv.ln.Addr().String(), benchIOTimeout)
		if err != nil {
			cleanup()
			return ops, nil, err
		}
		tc := impl.client(c)
		clients = append(clients, tc)
		c.SetDeadline(time.Now().Add(benchIOTimeout))
		if err := tc.Handshake(); err != nil {
			cleanup()
			return ops, nil, fmt.Errorf("client handshake: %w", err)
		}
		if err := srv.wait(); err != nil {
			cleanup()
			return ops, nil, err
		}
		if err := benchCheckConn(tc, benchKindRSA, false); err != nil {
			cleanup()
			return ops, nil, err
		}
		buf := make([]byte, 64<<10)
		ops[i] = func(n int) (time.Duration, error) {
			before := srv.cpu.Load()
			for range n {
				tc.SetDeadline(time.Now().Add(benchIOTimeout))
				if _, err := tc.Write([]byte{1}); err != nil {
					return 0, err
				}
				for got := int64(0); got < size; {
					k, err := tc.Read(buf[:min(int64(len(buf)), size-got)])
					if err != nil {
						return 0, fmt.Errorf("client read after %d bytes: %w", got, err)
					}
					got += int64(k)
				}
				if err := srv.wait(); err != nil {
					return 0, err
				}
			}
			return time.Duration(srv.cpu.Load() - before), nil
		}
	}
	return ops, cleanup, nil
}
