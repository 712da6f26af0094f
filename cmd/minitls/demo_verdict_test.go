package main

import (
	"bytes"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minitls/x509lite"
)

// TestDemoVerdict: the demo's certificate checks use the name the client
// asked for (its ServerName), and the verdict follows from the checks:
// "trusted" only when every one passed, otherwise the names of those that
// failed.
func TestDemoVerdict(t *testing.T) {
	dir := cliTestPKI(t) // a leaf for localhost and 127.0.0.1, valid now
	chainPEM, err := os.ReadFile(filepath.Join(dir, "server.pem"))
	if err != nil {
		t.Fatal(err)
	}
	var certs []*x509lite.Certificate
	var ders [][]byte
	for rest := chainPEM; ; {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			break
		}
		c, err := x509lite.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		certs, ders = append(certs, c), append(ders, blk.Bytes)
	}
	if len(certs) != 2 {
		t.Fatalf("server.pem holds %d certificates, want 2", len(certs))
	}
	trusting := x509lite.NewCertPool()
	trusting.AddCert(certs[1])
	for _, tc := range []struct {
		name       string
		serverName string
		roots      *x509lite.CertPool
		now        time.Time
		want       []string
		notWant    []string
	}{
		{"all pass", "localhost", trusting, time.Now(),
			[]string{`"localhost", the name the client asked for, is in`, "Verdict: trusted."}, []string{"✗", "NOT trusted"}},
		{"an IP address", "127.0.0.1", trusting, time.Now(),
			[]string{`"127.0.0.1", the name the client asked for, is in`, "Verdict: trusted."}, []string{"✗", "NOT trusted"}},
		{"another name", "example.org", trusting, time.Now(),
			[]string{`"example.org", the name the client asked for, is not in`, "Verdict: NOT trusted: name failed."},
			[]string{"Verdict: trusted", "localhost"}},
		{"unknown CA", "localhost", x509lite.NewCertPool(), time.Now(),
			[]string{"✗ chain", "Verdict: NOT trusted: chain failed."}, []string{"Verdict: trusted"}},
		{"expired", "localhost", trusting, time.Now().Add(500 * 24 * time.Hour),
			[]string{"✗ validity", "Verdict: NOT trusted: chain, validity failed."}, []string{"Verdict: trusted"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			s := &demoSession{demoPrinter: &demoPrinter{w: &out}, roots: tc.roots, now: tc.now,
				demoConn: &demoConn{demoTrace: &demoTrace{}, serverName: tc.serverName}}
			s.certChecks(certs[0], ders[1:])
			text := strings.Join(strings.Fields(out.String()), " ")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(text, w) {
					t.Errorf("says %q:\n%s", w, out.String())
				}
			}
		})
	}
}
