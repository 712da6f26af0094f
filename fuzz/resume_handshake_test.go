package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"minitls/handshake"
	"minitls/record"
)

// resumeKind is one way FuzzServerResume and FuzzClientResume set up the
// session to resume: in TLS 1.2 by ticket (rfc5077) or, with tickets off
// and a session cache on the server, by session ID (rfc5246#7.3); in TLS
// 1.3 by PSK from a NewSessionTicket (rfc8446#2.2), over X25519, with a
// KeyUpdate each way after the first exchange of data (rfc8446#4.6.3), and
// optionally with a server on P-256 only, which answers the client's
// X25519 share with a HelloRetryRequest (rfc8446#4.1.4).
type resumeKind struct {
	name      string
	tickets   bool
	tls13     bool
	hrr       bool // TLS 1.3: the server takes P-256 only
	keyUpdate bool // the client updates its keys and asks the server to (TLS 1.3)
}

// resumeKinds is picked by the kind byte (modulo the length). Append only:
// the seed corpus names kinds by index.
var resumeKinds = []resumeKind{
	{"ticket", true, false, false, false},
	{"session-id", false, false, false, false},
	{"tls13-psk-keyupdate", true, true, false, true},
	{"tls13-hrr-psk-keyupdate", true, true, true, true},
}

// client is the fuzz client of k before any session: offer 0
// (TLS_RSA_WITH_AES_128_GCM_SHA256) for TLS 1.2; for TLS 1.3 only,
// TLS_AES_128_GCM_SHA256 on X25519 then P-256 (the default X25519MLKEM768
// share draws from crypto/rand, which would make the seeds differ run to
// run).
func (k resumeKind) client() *handshake.Config {
	if !k.tls13 {
		return clientConfig(0)
	}
	cfg := clientConfig(6)
	cfg.CurvePreferences = []handshake.CurveID{handshake.CurveX25519, handshake.CurveP256}
	cfg.CipherSuites = []uint16{uint16(handshake.TLS_AES_128_GCM_SHA256)}
	cfg.MaxVersion = 0 // clientConfig keeps FuzzClientHandshake on TLS 1.2
	return cfg
}

// server is the fuzz server of k before any session.
func (k resumeKind) server() *handshake.Config {
	cfg := serverConfig()
	cfg.SessionTicketsDisabled = !k.tickets
	if !k.tickets {
		cfg.SessionCacheSize = 16
	}
	if k.tls13 {
		cfg.MaxVersion = 0 // serverConfig keeps FuzzServerHandshake on TLS 1.2
	}
	if k.hrr {
		cfg.CurvePreferences = []handshake.CurveID{handshake.CurveP256}
	}
	return cfg
}

// primedSession is the state a full handshake left on both ends: the
// server's Config (whose clones share its session cache and ticket keys)
// and the session the client stored.
type primedSession struct {
	kind    resumeKind
	server  *handshake.Config
	key     string
	session *handshake.ClientSessionState
}

var (
	primeOnce sync.Once
	primed    []primedSession
	primeErr  error
)

// captureCache is a ClientSessionCache that remembers the last session put.
type captureCache struct {
	key string
	cs  *handshake.ClientSessionState
}

func (c *captureCache) Get(key string) (*handshake.ClientSessionState, bool) {
	if c.cs == nil || key != c.key {
		return nil, false
	}
	return c.cs, true
}

func (c *captureCache) Put(key string, cs *handshake.ClientSessionState) { c.key, c.cs = key, cs }

// resumeFixture runs, once per process, one full handshake per resumeKind
// between the fuzz client (offer 0, TLS_RSA_WITH_AES_128_GCM_SHA256) and
// the fuzz server, both with their fixed randomness and time, so every
// process (the fuzzing coordinator and each worker) holds the same session
// and ticket keys and the seeds resume in all of them.
func resumeFixture(t testing.TB) {
	handshakeFixture(t)
	primeOnce.Do(func() {
		for _, k := range resumeKinds {
			server := k.server()
			// A key of its own, so the priming handshake (RSA key transport
			// or signature, then the ticket key drawn from Config.Rand)
			// makes the same session in every process (see freshKey).
			server.Certificates = []handshake.Certificate{freshKey(t, hsCert)}
			cache := &captureCache{}
			client := k.client()
			client.ClientSessionCache = cache
			if _, _, err := pipeHandshake(client, server.Clone(), false); err != nil {
				primeErr = errors.Join(primeErr, fmt.Errorf("%s: %w", k.name, err))
				continue
			}
			if cache.cs == nil {
				primeErr = errors.Join(primeErr, errors.New(k.name+": the client stored no session"))
			}
			primed = append(primed, primedSession{kind: k, server: server, key: cache.key, session: cache.cs})
		}
	})
	if primeErr != nil {
		t.Fatalf("resume fixture: %v", primeErr)
	}
}

// resumeEndpoint is the property check for kind: fuzzEndpoint13 for the
// TLS 1.3 kinds, whose alerts after the ServerHello are encrypted (the
// record on the wire says application_data), fuzzEndpoint for TLS 1.2.
func resumeEndpoint(kind uint8) func(*testing.T, []byte, func(net.Conn) *handshake.Conn) {
	if primed[int(kind)%len(primed)].kind.tls13 {
		return fuzzEndpoint13
	}
	return fuzzEndpoint
}

// primedServer is the fuzz server of kind: a clone of the primed Config
// (same session cache and ticket keys) with its randomness restarted.
func primedServer(kind uint8) *handshake.Config {
	cfg := primed[int(kind)%len(primed)].server.Clone()
	cfg.Rand = handshake.NewDeterministicRand(goldenServerSeed)
	return cfg
}

// primedClient is the fuzz client of kind: offer 0 with a cache of its own
// holding only the primed session, so what one input stores never changes
// the ClientHello of the next. The cache is the package's own LRU, so an
// input on which resumption fails also goes through its removal of the
// session (rfc5246#7.3: a session that failed is not offered again).
func primedClient(kind uint8) *handshake.Config {
	p := primed[int(kind)%len(primed)]
	cfg := p.kind.client()
	cache := handshake.NewLRUClientSessionCache(1)
	cache.Put(p.key, p.session)
	cfg.ClientSessionCache = cache
	return cfg
}

// pipeHandshake runs client against server over loopback TCP (as
// liveHandshake: each close_notify needs somewhere to go after the peer has
// stopped reading): the handshake, "ping" and "pong", then close_notify
// both ways; with keyUpdate (TLS 1.3) the client then updates its keys,
// asking the server to do the same, and the two exchange another line. It
// returns the bytes each side wrote.
func pipeHandshake(clientCfg, serverCfg *handshake.Config, keyUpdate bool) (clientBytes, serverBytes []byte, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	cc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	sc := <-accepted
	if sc == nil {
		cc.Close()
		return nil, nil, errors.New("accept failed")
	}
	crec, srec := &recorder{Conn: cc}, &recorder{Conn: sc}
	offered := false
	if cache := clientCfg.ClientSessionCache; cache != nil {
		_, offered = cache.Get(clientCfg.ServerName) // the client's cache key (sessionCacheKey)
	}
	client, server := handshake.Client(crec, clientCfg), handshake.Server(srec, serverCfg)
	deadline := time.Now().Add(hangLimit)
	client.SetDeadline(deadline)
	server.SetDeadline(deadline)
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 5)
		_, err := io.ReadFull(server, buf)
		if err == nil {
			_, err = server.Write([]byte("pong\n"))
		}
		if err == nil && keyUpdate {
			if _, err = io.ReadFull(server, buf); err == nil {
				_, err = server.Write([]byte("pong\n"))
			}
		}
		if err == nil {
			if _, err = server.Read(buf); err == io.EOF {
				err = server.Close()
			}
		}
		errc <- err
	}()
	buf := make([]byte, 5)
	_, err = client.Write([]byte("ping\n"))
	if err == nil {
		_, err = io.ReadFull(client, buf)
	}
	if err == nil && keyUpdate {
		if err = client.UpdateKeys(true); err == nil {
			_, err = client.Write([]byte("ping\n"))
		}
		if err == nil {
			_, err = io.ReadFull(client, buf)
		}
	}
	if err == nil {
		err = client.Close()
	}
	if serr := <-errc; err == nil && serr != nil {
		err = serr
	}
	cc.Close()
	sc.Close()
	if err == nil && client.ConnectionState().DidResume != offered {
		err = errors.New("the client offered a session and did not resume it, or resumed none")
	}
	return crec.bytes(), srec.bytes(), err
}

// FuzzServerResume feeds arbitrary client bytes to a minitls server that
// holds one session (kind 0: sealed in a ticket; kind 1: in its session
// cache, tickets off), so the seeds, a live resumed handshake's client
// stream, take the server down its abbreviated handshake (rfc5246#7.3
// figure 2, rfc5077#3.1) and the fuzzer mutates from there: the ticket or
// session ID, the ServerHello it answers, the client's ChangeCipherSpec and
// Finished. Property: as for FuzzServerHandshake.
//
// spec: rfc5246#7.3, rfc5077#3.1, rfc7627#5.3
func FuzzServerResume(f *testing.F) {
	resumeFixture(f)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		resumeEndpoint(kind)(t, data, func(conn net.Conn) *handshake.Conn { return handshake.Server(conn, primedServer(kind)) })
	})
}

// FuzzClientResume feeds arbitrary server bytes to a minitls client that
// offers the primed session (kind 0: its ticket; kind 1: its session ID),
// so the seeds, a live resumed handshake's server stream, take the client
// down its abbreviated handshake. Property: as for FuzzServerHandshake.
//
// spec: rfc5246#7.3, rfc5077#3.4, rfc7627#5.3
func FuzzClientResume(f *testing.F) {
	resumeFixture(f)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		resumeEndpoint(kind)(t, data, func(conn net.Conn) *handshake.Conn { return handshake.Client(conn, primedClient(kind)) })
	})
}

// TestLiveResumeSeeds: for each resumeKind, a live resumed handshake
// between the fuzz targets' client and server is reproducible, its client
// stream is the seed live-<kind> of FuzzServerResume and its server stream
// that of FuzzClientResume (-update-seeds rewrites them), and each replays
// to one endpoint to a resumed handshake and close_notify: the seeds reach
// resumption on both sides.
func TestLiveResumeSeeds(t *testing.T) {
	resumeFixture(t)
	for i, k := range resumeKinds {
		kind := uint8(i)
		t.Run(k.name, func(t *testing.T) {
			cb, sb, err := pipeHandshake(primedClient(kind), primedServer(kind), k.keyUpdate)
			if err != nil {
				t.Fatal(err)
			}
			cb2, sb2, err := pipeHandshake(primedClient(kind), primedServer(kind), k.keyUpdate)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(cb, cb2) || !bytes.Equal(sb, sb2) {
				t.Fatal("two live resumed handshakes with the same seeds differ")
			}
			checkSeedFile(t, "FuzzServerResume", "live-"+k.name, corpusFile(kind, cb))
			checkSeedFile(t, "FuzzClientResume", "live-"+k.name, corpusFile(kind, sb))
			for _, side := range []struct {
				name string
				data []byte
				new  func(net.Conn) *handshake.Conn
			}{
				{"server", cb, func(c net.Conn) *handshake.Conn { return handshake.Server(c, primedServer(kind)) }},
				{"client", sb, func(c net.Conn) *handshake.Conn { return handshake.Client(c, primedClient(kind)) }},
			} {
				conn := newMemConn(side.data)
				c := side.new(conn)
				replay(t, side.name, conn, c)
				if !c.ConnectionState().DidResume {
					t.Errorf("%s: the seed replays to a full handshake, not a resumed one", side.name)
				}
			}
		})
	}
}

// TestResumeFailureSeed: the seed tampered-finished-ticket of
// FuzzClientResume is the live resumed handshake's server stream (kind 0,
// by ticket) with the last byte of the record after the server's
// ChangeCipherSpec, its encrypted Finished, flipped. Replayed to the
// client it ends the abbreviated handshake with bad_record_mac, and the
// client's cache no longer holds the session (rfc5246#7.3: a session whose
// resumption failed is not offered again): the corpus goes down that
// failure path too, not only down the successful one.
func TestResumeFailureSeed(t *testing.T) {
	resumeFixture(t)
	const kind = 0
	_, sb, err := pipeHandshake(primedClient(kind), primedServer(kind), false)
	if err != nil {
		t.Fatal(err)
	}
	tampered, ok := flipAfterChangeCipherSpec(sb)
	if !ok {
		t.Fatal("the server stream has no record after its ChangeCipherSpec")
	}
	checkSeedFile(t, "FuzzClientResume", "tampered-finished-ticket", corpusFile(uint8(kind), tampered))
	cfg := primedClient(kind)
	conn := newMemConn(tampered)
	hsErr, _ := runEndpoint(t, conn, handshake.Client(conn, cfg))
	var he *handshake.Error
	if !errors.As(hsErr, &he) || he.Alert != record.BadRecordMAC {
		t.Fatalf("handshake ended with %v, want bad_record_mac", hsErr)
	}
	if _, ok := cfg.ClientSessionCache.Get(primed[kind].key); ok {
		t.Error("the session whose resumption failed is still in the client's cache")
	}
}

// flipAfterChangeCipherSpec returns a copy of the record stream b with the
// last byte of the record that follows the first ChangeCipherSpec flipped.
func flipAfterChangeCipherSpec(b []byte) ([]byte, bool) {
	out := append([]byte{}, b...)
	afterCCS := false
	for i := 0; i+5 <= len(out); {
		end := i + 5 + (int(out[i+3])<<8 | int(out[i+4]))
		if end > len(out) {
			break
		}
		if afterCCS {
			out[end-1] ^= 1
			return out, true
		}
		afterCCS = out[i] == 20
		i = end
	}
	return nil, false
}
