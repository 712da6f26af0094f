package main

import (
	"crypto/tls"
	"path/filepath"
	"strings"
	"testing"
)

// TestServePageTLS13: serve negotiates TLS 1.3 by default; for each group
// a crypto/tls client asks for, the page draws one round trip with
// everything after the ServerHello encrypted (the dummy ChangeCipherSpec
// records of both sides aside), names the group exactly and the CertificateVerify's
// scheme, says why 1.3, and the log line names version and group.
func TestServePageTLS13(t *testing.T) {
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	arrows := []string{"ClientHello: in clear", "ServerHello: in clear", "ChangeCipherSpec: in clear",
		"EncryptedExtensions: encrypted", "Certificate: encrypted", "CertificateVerify: encrypted", "Finished: encrypted",
		"ChangeCipherSpec: in clear", "Finished: encrypted"}
	for _, tc := range []struct {
		curve tls.CurveID
		name  string
	}{{tls.X25519MLKEM768, "X25519MLKEM768"}, {tls.X25519, "X25519"}, {tls.CurveP256, "P-256"}} {
		t.Run(tc.name, func(t *testing.T) {
			page := serveTestPage(t, srv.addr, filepath.Join(dir, "ca.pem"), &tls.Config{MinVersion: tls.VersionTLS13,
				CurvePreferences: []tls.CurveID{tc.curve}})
			got := serveTestArrows(page)
			if strings.Join(got, "\n") != strings.Join(arrows, "\n") {
				t.Errorf("diagram arrows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(arrows, "\n"))
			}
			for _, w := range []string{"<th>protocol</th><td>TLS 1.3</td>", "<th>key exchange</th><td>" + tc.name + ": ",
				"<th>server signature</th><td>rsa_pss_rsae_sha256 over the CertificateVerify",
				"1 round trip before your client could send its request", "Your client listed TLS 1.3",
				"<code>" + tc.name + `</code><span class="tag chosen">chosen</span>`} {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(page, "extended master secret") {
				t.Error("a TLS 1.3 page speaks of the extended master secret")
			}
			srv.waitLog(t, "TLS 1.3, group "+tc.name+",", 1)
		})
	}
}

// TestServePageTLS13Resumed: a crypto/tls client's second connection
// resumes with the ticket of its first; the page draws no Certificate and
// no CertificateVerify, and names the PSK key exchange with its X25519.
func TestServePageTLS13Resumed(t *testing.T) {
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	cfg := &tls.Config{MinVersion: tls.VersionTLS13, CurvePreferences: []tls.CurveID{tls.X25519},
		ClientSessionCache: tls.NewLRUClientSessionCache(1)}
	first := serveTestPage(t, srv.addr, filepath.Join(dir, "ca.pem"), cfg)
	if !strings.Contains(first, "<th>session</th><td>new: a full handshake") {
		t.Fatalf("the first connection resumed? %s", first)
	}
	page := serveTestPage(t, srv.addr, filepath.Join(dir, "ca.pem"), cfg)
	want := []string{"ClientHello: in clear", "ServerHello: in clear", "ChangeCipherSpec: in clear",
		"EncryptedExtensions: encrypted", "Finished: encrypted", "ChangeCipherSpec: in clear", "Finished: encrypted"}
	if got := serveTestArrows(page); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("resumed diagram arrows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, w := range []string{"<th>session</th><td>resumed (RFC 8446 §2.2)",
		"<th>key exchange</th><td>PSK with (EC)DHE (psk_dhe_ke): your ticket&#39;s secret mixed with a fresh X25519 exchange"} {
		if !strings.Contains(page, w) {
			t.Errorf("resumed page lacks %q", w)
		}
	}
	if strings.Contains(page, "<th>server signature</th>") {
		t.Error("the resumed page names a server signature; there was none")
	}
}
