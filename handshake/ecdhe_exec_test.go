package handshake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// opensslGroups names minitls's groups for OpenSSL's -groups and curl's
// --curves.
var opensslGroups = map[CurveID]string{CurveX25519: "X25519", CurveP256: "P-256"}

// TestECDHEOpenSSLServer: the minitls client against `openssl s_server
// -tls1_2 -groups <g>`, both ECDHE suites, both groups; the status page
// names the suite, and the client saw the group it asked for.
func TestECDHEOpenSSLServer(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	for _, id := range ecdheSuiteIDs {
		for _, curve := range []CurveID{CurveX25519, CurveP256} {
			suite := CipherSuite(id)
			t.Run(fmt.Sprintf("%v/%v", suite, curve), func(t *testing.T) {
				raw, out := startSServer(t, openssl, "-tls1_2", "-cipher", opensslCiphers[suite], "-groups", opensslGroups[curve])
				var group CurveID
				c := Client(raw, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Trace: func(e Event) {
					if m, ok := e.Message.(*ServerKeyExchange); ok {
						group = m.NamedCurve
					}
				}})
				if err := c.Handshake(); err != nil {
					t.Fatalf("handshake with openssl s_server: %v\n%s", err, out.String())
				}
				if st := c.ConnectionState(); st.CipherSuite != uint16(suite) || !st.ExtendedMasterSecret {
					t.Errorf("state %+v", st)
				}
				if group != curve {
					t.Errorf("server's group %v, want %v", group, curve)
				}
				io.WriteString(c, "GET / HTTP/1.0\r\n\r\n")
				body, err := io.ReadAll(c)
				if err != nil {
					t.Fatalf("status page: %v (%q)", err, body)
				}
				for _, want := range []string{"HTTP/1.0 200 ok", opensslCiphers[suite], "TLSv1.2"} {
					if !bytes.Contains(body, []byte(want)) {
						t.Errorf("status page lacks %q:\n%s", want, body)
					}
				}
				c.Close()
			})
		}
	}
}

// TestECDHEOpenSSLClient: `openssl s_client -tls1_2 -groups <g>` against the
// minitls server, both ECDHE suites, both groups; s_client reports the
// suite, the ephemeral key it verified, and an RSA-PSS signature (its
// default signature_algorithms lists rsa_pss_rsae_* before rsa_pkcs1_*,
// and the server prefers PSS anyway).
func TestECDHEOpenSSLClient(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	tempKey := map[CurveID]string{CurveX25519: "Server Temp Key: X25519", CurveP256: "Server Temp Key: ECDH, prime256v1"}
	for _, id := range ecdheSuiteIDs {
		for _, curve := range []CurveID{CurveX25519, CurveP256} {
			suite := CipherSuite(id)
			t.Run(fmt.Sprintf("%v/%v", suite, curve), func(t *testing.T) {
				addr, result := serveOnce(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}})
				sClientPing(t, openssl, addr, result, []string{"-tls1_2", "-cipher", opensslCiphers[suite], "-groups", opensslGroups[curve]},
					"Cipher is "+opensslCiphers[suite], tempKey[curve], "Extended master secret: yes", "Peer signature type: RSA-PSS")
			})
		}
	}
}

// TestECDHECurl: curl with --curves fetches a page from net/http served
// over the minitls listener with its default (ECDHE-first) preference.
func TestECDHECurl(t *testing.T) {
	curl := needBinary(t, "curl")
	f := testFixture(t)
	addr := newHTTPServer(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, NextProtos: []string{"http/1.1"}})
	_, port, _ := net.SplitHostPort(addr)
	for _, curve := range []CurveID{CurveX25519, CurveP256} {
		t.Run(curve.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, curl, "-sS", "-v", "--cacert", testdataPath(t, "ca.pem"), "--tlsv1.2", "--tls-max", "1.2",
				"--curves", opensslGroups[curve], "-w", " %{http_code}", "https://localhost:"+port+"/curl")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("curl: %v\n%s", err, stderr.String())
			}
			if stdout.String() != "hello /curl 200" {
				t.Errorf("curl got %q", stdout.String())
			}
			// curl -v names the negotiated suite, e.g. "SSL connection using
			// TLSv1.2 / ECDHE-RSA-AES128-GCM-SHA256".
			if !strings.Contains(stderr.String(), "ECDHE-RSA-AES128-GCM-SHA256") {
				t.Errorf("curl did not negotiate ECDHE:\n%s", stderr.String())
			}
		})
	}
}

// TestPSSOpenSSLClient: `openssl s_client -sigalgs rsa_pss_rsae_<h>`, a
// client that accepts only RSASSA-PSS, completes an ECDHE handshake with the
// minitls server, which signs its ServerKeyExchange with that scheme;
// s_client reports the peer's signature type and digest.
func TestPSSOpenSSLClient(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	for _, c := range []struct {
		sigalg, digest string
		scheme         SignatureScheme
	}{
		{"rsa_pss_rsae_sha256", "SHA256", PSSWithSHA256},
		{"rsa_pss_rsae_sha384", "SHA384", PSSWithSHA384},
		{"rsa_pss_rsae_sha512", "SHA512", PSSWithSHA512},
	} {
		t.Run(c.sigalg, func(t *testing.T) {
			var sent SignatureScheme
			addr, result := serveOnce(t, &Config{MaxVersion: tls12, Certificates: []Certificate{f.cert}, Trace: skeScheme(&sent)})
			sClientPing(t, openssl, addr, result, []string{"-tls1_2", "-sigalgs", c.sigalg},
				"Cipher is ECDHE-RSA-AES128-GCM-SHA256", "Peer signature type: RSA-PSS", "Peer signing digest: "+c.digest)
			if sent != c.scheme {
				t.Errorf("minitls signed with %v, want %v", sent, c.scheme)
			}
		})
	}
}

// TestPSSOpenSSLServer: the minitls client against `openssl s_server
// -sigalgs rsa_pss_rsae_<h>`, a server that signs only with RSASSA-PSS:
// the client verifies the PSS-signed ServerKeyExchange and fetches the
// status page.
func TestPSSOpenSSLServer(t *testing.T) {
	openssl := needBinary(t, "openssl")
	f := testFixture(t)
	for _, c := range []struct {
		sigalg string
		scheme SignatureScheme
	}{
		{"rsa_pss_rsae_sha256", PSSWithSHA256},
		{"rsa_pss_rsae_sha512", PSSWithSHA512},
	} {
		t.Run(c.sigalg, func(t *testing.T) {
			raw, out := startSServer(t, openssl, "-tls1_2", "-sigalgs", c.sigalg)
			var got SignatureScheme
			conn := Client(raw, &Config{MaxVersion: tls12, RootCAs: f.roots, ServerName: "localhost", Trace: skeScheme(&got)})
			if err := conn.Handshake(); err != nil {
				t.Fatalf("handshake with openssl s_server -sigalgs %s: %v\n%s", c.sigalg, err, out.String())
			}
			if got != c.scheme {
				t.Errorf("s_server signed with %v, want %v", got, c.scheme)
			}
			io.WriteString(conn, "GET / HTTP/1.0\r\n\r\n")
			body, err := io.ReadAll(conn)
			if err != nil {
				t.Fatalf("status page: %v (%q)", err, body)
			}
			if !bytes.Contains(body, []byte("HTTP/1.0 200 ok")) {
				t.Errorf("status page:\n%s", body)
			}
			conn.Close()
		})
	}
}
