package main

// Tests of serve's page: it draws the visitor's handshake (the messages in
// order, their sizes, which were encrypted), names the key exchange
// exactly, and groups and annotates what the client offered. The visitors
// are crypto/tls clients (the oracle) with chosen suites and groups.

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"minitls/handshake"
)

// serveTestPage fetches serve's page at addr over crypto/tls with cfg.
func serveTestPage(t *testing.T, addr, caFile string, cfg *tls.Config) string {
	t.Helper()
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RootCAs = x509.NewCertPool()
	cfg.RootCAs.AppendCertsFromPEM(caPEM)
	cfg.ServerName = "localhost"
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := client.Get("https://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// serveTestArrows lists the diagram's arrows as "name: N bytes, state".
func serveTestArrows(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<title>([A-Za-z]+: \d+ bytes, (?:in clear|encrypted))`).FindAllStringSubmatch(page, -1) {
		out = append(out, regexp.MustCompile(`: \d+ bytes,`).ReplaceAllString(m[1], ":"))
	}
	return out
}

// TestServePageTLS12: for each TLS 1.2 key exchange the page draws the
// real message sequence, with only the Finished messages encrypted, and
// names the key exchange exactly (the group and the signature scheme, or
// RSA key transport with the key size).
func TestServePageTLS12(t *testing.T) {
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	full := []string{"ClientHello: in clear", "ServerHello: in clear", "Certificate: in clear"}
	tail := []string{"ServerHelloDone: in clear", "ClientKeyExchange: in clear", "ChangeCipherSpec: in clear",
		"Finished: encrypted", "NewSessionTicket: in clear", "ChangeCipherSpec: in clear", "Finished: encrypted"}
	for _, tc := range []struct {
		name   string
		suite  uint16
		curves []tls.CurveID
		arrows []string
		want   []string
	}{
		{"ECDHE X25519", tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, []tls.CurveID{tls.X25519},
			append(append(full, "ServerKeyExchange: in clear"), tail...),
			[]string{"<td>ECDHE over X25519: ", "<th>server signature</th><td>rsa_pss_rsae_sha256 over the ServerKeyExchange"}},
		{"ECDHE P-256", tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, []tls.CurveID{tls.CurveP256},
			append(append(full, "ServerKeyExchange: in clear"), tail...),
			[]string{"<td>ECDHE over P-256: ", "<td>AES-256-GCM: "}},
		{"RSA", tls.TLS_RSA_WITH_AES_128_GCM_SHA256, nil, append(full, tail...),
			[]string{"<td>RSA key transport: your client encrypted a 48-byte premaster secret to this server&#39;s RSA-2048 key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := serveTestPage(t, srv.addr, filepath.Join(dir, "ca.pem"), &tls.Config{MaxVersion: tls.VersionTLS12,
				CipherSuites: []uint16{tc.suite}, CurvePreferences: tc.curves, ClientSessionCache: tls.NewLRUClientSessionCache(1)})
			if got := serveTestArrows(page); strings.Join(got, "\n") != strings.Join(tc.arrows, "\n") {
				t.Errorf("diagram arrows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.arrows, "\n"))
			}
			tc.want = append(tc.want, `<svg class="msc"`, "2 round trips before your client could send its request",
				"<th>protocol</th><td>TLS 1.2</td>", "<td>"+tls.CipherSuiteName(tc.suite)+"</td>",
				"<code>"+tls.CipherSuiteName(tc.suite)+`</code><span class="tag chosen">chosen</span>`)
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, bad := range []string{"not RSA key transport", "<script", "<link", "src=", "url(http"} {
				if strings.Contains(page, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
		})
	}
}

// TestServePageOffered: the offered lists are grouped by meaning, GREASE
// values are marked and explained (and the explanation appears only when
// the client sent some), and the version's reason quotes the client's
// supported_versions without its GREASE.
func TestServePageOffered(t *testing.T) {
	hello := func(grease bool) *handshake.ClientHello {
		suites := []handshake.CipherSuite{0x1301, 0xc02f, 0x009c, 0xc013}
		groups := []byte{0, 4, 0x11, 0xec, 0, 0x1d}
		versions := []byte{4, 0x03, 0x04, 0x03, 0x03}
		if grease {
			suites = append([]handshake.CipherSuite{0x2a2a}, suites...)
			groups = []byte{0, 6, 0x4a, 0x4a, 0x11, 0xec, 0, 0x1d}
			versions = []byte{6, 0x7a, 0x7a, 0x03, 0x04, 0x03, 0x03}
		}
		return &handshake.ClientHello{Version: handshake.VersionTLS12, CipherSuites: suites, Extensions: []handshake.Extension{
			{Type: handshake.ExtSupportedGroups, Data: groups},
			{Type: handshake.ExtSupportedVersions, Data: versions},
			{Type: handshake.ExtKeyShare, Data: []byte{0, 36, 0, 0x1d, 0, 32, 37: 0}},
			{Type: handshake.ExtSignatureAlgorithms, Data: []byte{0, 6, 0x08, 0x04, 0x04, 0x03, 0x04, 0x01}},
		}}
	}
	for _, grease := range []bool{false, true} {
		d := &servePageData{st: handshake.ConnectionState{Version: 0x0303, CipherSuite: 0xc02f},
			hello: hello(grease), kx: serveKX{group: 0x001d, sigScheme: 0x0804}}
		page := servePageHTML(d)
		for _, w := range []string{
			"<h3>TLS 1.3 cipher suites", "<code>TLS_AES_128_GCM_SHA256</code>",
			"<h3>TLS 1.2 suites with ECDHE: forward secret</h3>\n<ul class=offer>\n<li><code>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</code><span class=\"tag chosen\">chosen</span>",
			"<h3>TLS 1.2 suites with RSA key transport: no forward secrecy",
			`<code>TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA</code><span class="tag weak">legacy</span> <span class=note>CBC`,
			"<code>X25519MLKEM768</code> <span class=note>hybrid post-quantum",
			`<code>X25519</code><span class="tag chosen">chosen</span> <span class=note>key share sent (32 bytes).`,
			`<code>rsa_pss_rsae_sha256</code><span class="tag chosen">chosen</span>`,
			"<h3>Signatures: ECDSA and EdDSA</h3>", "<h3>Signatures: RSASSA-PKCS1-v1_5",
			"Your client offered TLS 1.3, TLS 1.2, but this server settled on TLS 1.2",
		} {
			if !strings.Contains(page, w) {
				t.Errorf("grease=%v: page lacks %q", grease, w)
			}
		}
		if got := strings.Contains(page, "<b>GREASE</b> (RFC 8701)"); got != grease {
			t.Errorf("grease=%v: GREASE explained: %v", grease, got)
		}
		if got := strings.Count(page, `<span class="tag grease">GREASE</span>`); grease && got != 3 || !grease && got != 0 {
			t.Errorf("grease=%v: %d values marked GREASE", grease, got)
		}
	}
}

// TestServeRoundTrips: the round trips before the client may send data
// are the server's flights up to the one with its Finished.
func TestServeRoundTrips(t *testing.T) {
	flow := func(spec string) []serveFlowMsg {
		var out []serveFlowMsg
		for _, f := range strings.Fields(spec) {
			out = append(out, serveFlowMsg{fromClient: f[0] == '>', name: f[1:]})
		}
		return out
	}
	for spec, want := range map[string]int{
		">ClientHello <ServerHello <Certificate <ServerHelloDone >ClientKeyExchange >ChangeCipherSpec >Finished <NewSessionTicket <ChangeCipherSpec <Finished": 2,
		">ClientHello <ServerHello <ChangeCipherSpec <Finished >ChangeCipherSpec >Finished":                                                                    1,
		">ClientHello <ServerHello <EncryptedExtensions <Certificate <CertificateVerify <Finished >Finished <NewSessionTicket":                                 1,
		">ClientHello <HelloRetryRequest >ClientHello <ServerHello <EncryptedExtensions <Finished >Finished":                                                   2,
	} {
		if got := serveRoundTrips(flow(spec)); got != want {
			t.Errorf("%s: %d round trips, want %d", spec, got, want)
		}
	}
}
