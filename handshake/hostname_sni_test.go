package handshake

import (
	"sync"
	"testing"
)

// TestServerNameTrailingDot: a Config.ServerName written as a fully
// qualified name with its trailing dot ("localhost.") goes into server_name
// without the dot, since a HostName "MUST NOT" carry one; the handshake then
// completes under both versions, the server seeing "localhost". An empty
// name and IP literals send no server_name at all.
//
// spec: rfc6066#3 ("The hostname is represented as a byte string using
// ASCII encoding without a trailing dot.")
func TestServerNameTrailingDot(t *testing.T) {
	for name, want := range map[string]string{
		"example.com.": "example.com",
		"example.com":  "example.com",
		"a.":           "a",
		"":             "",
		"192.0.2.1":    "",
		"2001:db8::1":  "",
	} {
		if got := hostnameForSNI(name); got != want {
			t.Errorf("hostnameForSNI(%q) = %q, want %q", name, got, want)
		}
	}
	for _, version := range []uint16{tls12, uint16(VersionTLS13)} {
		t.Run(ProtocolVersion(version).String(), func(t *testing.T) {
			ccfg, scfg := configs13(t)
			ccfg.MaxVersion, scfg.MaxVersion = version, version
			ccfg.ServerName = "localhost."
			var mu sync.Mutex
			var sent []string
			ccfg.Trace = func(e Event) {
				if m, ok := e.Message.(*ClientHello); ok && e.Sent {
					mu.Lock()
					sent = append(sent, m.ServerName())
					mu.Unlock()
				}
			}
			r := runPair(t, ccfg, scfg, 0, 0)
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("client: %v\nserver: %v", r.clientErr, r.serverErr)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(sent) != 1 || sent[0] != "localhost" {
				t.Errorf("ClientHello server_name %q, want [\"localhost\"]", sent)
			}
			if got := r.server.ConnectionState().ServerName; got != "localhost" {
				t.Errorf("the server saw server_name %q, want %q", got, "localhost")
			}
			if got := r.client.ConnectionState().ServerName; got != "localhost" {
				t.Errorf("the client's ConnectionState.ServerName is %q, want %q", got, "localhost")
			}
		})
	}
}
