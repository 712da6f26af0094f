package handshake

import (
	"bytes"
	"crypto/tls"
	"slices"
	"testing"

	"minitls/internal/impl"
)

const chachaID = uint16(TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)

var aes128ID = uint16(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)

// TestChaChaInteropStd: TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 against
// crypto/tls in both directions: the handshake completes on that suite (so
// both Finished messages, protected by RFC 7905 records, authenticated), the
// NSS key logs agree, and data flows both ways.
func TestChaChaInteropStd(t *testing.T) {
	f := testFixture(t)
	t.Run("minitls client", func(t *testing.T) {
		cc, sc := tcpPair(t)
		var ourLog, stdLog bytes.Buffer
		std := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{f.stdCert}, CipherSuites: []uint16{chachaID},
			MaxVersion: tls.VersionTLS12, KeyLogWriter: &stdLog})
		var phases []Phase
		ours := Client(cc, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Time: testTime, phaseLog: &phases,
			KeyLogWriter: &ourLog, CipherSuites: []uint16{chachaID}})
		checkECDHEPair(t, ours, std, chachaID, func() error { return std.Handshake() })
		checkECDHEOurs(t, ours, phases, &ourLog, &stdLog)
		exchange(t, ours, std)
	})
	t.Run("minitls server", func(t *testing.T) {
		cc, sc := tcpPair(t)
		var ourLog, stdLog bytes.Buffer
		std := tls.Client(cc, &tls.Config{RootCAs: f.stdRoots, ServerName: "localhost", CipherSuites: []uint16{chachaID},
			MaxVersion: tls.VersionTLS12, KeyLogWriter: &stdLog})
		var phases []Phase
		ours := Server(sc, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, phaseLog: &phases, KeyLogWriter: &ourLog})
		checkECDHEPair(t, ours, std, chachaID, func() error { return std.Handshake() })
		checkECDHEOurs(t, ours, phases, &ourLog, &stdLog)
		exchange(t, std, ours)
	})
}

// TestChaChaSuiteChoice pins the server's rule (preferServerSuites): with
// its default order it prefers AES-GCM on a CPU with AES instructions and
// ChaCha20-Poly1305 on one without, but a client that lists ChaCha20-Poly1305
// ahead of AES-GCM gets ChaCha20-Poly1305 either way; an operator's
// Config.CipherSuites is followed as given.
func TestChaChaSuiteChoice(t *testing.T) {
	hardware := impl.Best() != impl.Portable
	aesFirstWant := TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	if !hardware {
		aesFirstWant = TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
	}
	cases := []struct {
		name           string
		client, server []uint16
		want           CipherSuite
	}{
		{"client lists ChaCha first", []uint16{chachaID, aes128ID}, nil, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
		{"client lists AES-GCM first", []uint16{aes128ID, chachaID}, nil, aesFirstWant},
		{"client lists RSA-AES before ChaCha", append(slices.Clone(rsaSuiteIDs), chachaID, aes128ID), nil, aesFirstWant},
		{"client ChaCha first, operator's order AES first", []uint16{chachaID, aes128ID}, []uint16{aes128ID, chachaID},
			TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
		{"client AES first, operator's order ChaCha first", []uint16{aes128ID, chachaID}, []uint16{chachaID, aes128ID},
			TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			ccfg.CipherSuites = c.client
			scfg.CipherSuites = c.server
			r := runPair(t, ccfg, scfg, 0, 0)
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("client %v / server %v", r.clientErr, r.serverErr)
			}
			if got := CipherSuite(r.client.ConnectionState().CipherSuite); got != c.want {
				t.Errorf("suite %v, want %v", got, c.want)
			}
			exchange(t, r.client, r.server)
		})
	}
}

// TestSuitesForCPU: the default order puts ChaCha20-Poly1305 after every
// ECDHE AES-GCM suite on a CPU with AES instructions and before them on one
// without, ECDHE always before RSA key transport, with the same suites in
// both; DefaultCipherSuites is the order for this CPU.
func TestSuitesForCPU(t *testing.T) {
	check := func(name string, list []*suite, chachaAhead bool) {
		t.Helper()
		if len(list) != len(suiteTable) {
			t.Errorf("%s: %d suites, want the %d of the table", name, len(list), len(suiteTable))
		}
		chacha := slices.IndexFunc(list, func(s *suite) bool { return s.chacha })
		if chacha < 0 {
			t.Fatalf("%s: no ChaCha20-Poly1305 suite", name)
		}
		seenRSAKx := false
		for i, s := range list {
			if !s.ecdhe {
				seenRSAKx = true
			} else if seenRSAKx {
				t.Errorf("%s: ECDHE suite %v after RSA key transport", name, s.id)
			}
			if s.ecdhe && !s.chacha && (i < chacha) == chachaAhead {
				t.Errorf("%s: %v at %d, ChaCha20-Poly1305 at %d (want ChaCha ahead: %v)", name, s.id, i, chacha, chachaAhead)
			}
		}
	}
	check("with AES hardware", suitesForCPU(true), false)
	check("without AES hardware", suitesForCPU(false), true)
	var got []*suite
	for _, id := range DefaultCipherSuites() {
		got = append(got, suiteByID(CipherSuite(id)))
	}
	check("DefaultCipherSuites on this CPU", got, impl.Best() == impl.Portable)
}
