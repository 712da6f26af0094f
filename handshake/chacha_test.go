package handshake

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestChaChaCurl: curl (OpenSSL underneath) fetches a page from net/http
// served over the minitls listener with its default order. Offering only
// ECDHE-RSA-CHACHA20-POLY1305 it gets that suite; offering ChaCha20-Poly1305
// first it gets ChaCha20-Poly1305 (the client-first rule); offering AES-GCM
// first it gets AES-GCM when this CPU has AES instructions.
func TestChaChaCurl(t *testing.T) {
	curl := needBinary(t, "curl")
	f := testFixture(t)
	addr := newHTTPServer(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, NextProtos: []string{"http/1.1"}})
	_, port, _ := net.SplitHostPort(addr)
	aesFirst := "ECDHE-RSA-AES128-GCM-SHA256"
	if impl.Best() == impl.Portable {
		aesFirst = "ECDHE-RSA-CHACHA20-POLY1305"
	}
	for _, c := range []struct{ ciphers, want string }{
		{"ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305"},
		{"ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
		{"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305", aesFirst},
	} {
		t.Run(c.ciphers, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, curl, "-sS", "-v", "--cacert", testdataPath(t, "ca.pem"), "--tlsv1.2", "--tls-max", "1.2",
				"--ciphers", c.ciphers, "-w", " %{http_code}", "https://localhost:"+port+"/curl")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("curl: %v\n%s", err, stderr.String())
			}
			if stdout.String() != "hello /curl 200" {
				t.Errorf("curl got %q", stdout.String())
			}
			// curl -v names the suite: "SSL connection using TLSv1.2 / <suite>".
			if !strings.Contains(stderr.String(), "TLSv1.2 / "+c.want) {
				t.Errorf("curl --ciphers %s did not negotiate %s:\n%s", c.ciphers, c.want, stderr.String())
			}
		})
	}
}
