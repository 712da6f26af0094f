package handshake

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"minitls/record"
)

// TestTLS13TraceSecrets: a TLS 1.3 handshake traces every step of the key
// schedule by name (early, handshake and master secret, the four traffic
// secrets, their keys and IVs, the resumption master secret); the values
// are there only with TraceSecrets, and then the four traffic secrets equal
// the key log's lines. Every record after the hellos is protected and
// names its real type in InnerType.
//
// spec: rfc8446#7.1, rfc8446#5.2
func TestTLS13TraceSecrets(t *testing.T) {
	for _, secrets := range []bool{false, true} {
		ccfg, scfg := configs13(t)
		var log bytes.Buffer
		ccfg.KeyLogWriter, ccfg.TraceSecrets = &log, secrets
		got := map[string][]byte{}
		var inner []record.ContentType
		ccfg.Trace = func(e Event) {
			switch e.Kind {
			case EventKey:
				got[e.Label] = append([]byte{}, e.Secret...)
				if e.Length == 0 {
					t.Errorf("%s: length 0", e.Label)
				}
			case EventRecord:
				if e.Record.Protected {
					inner = append(inner, e.Record.InnerType)
				}
			}
		}
		r := runPair(t, ccfg, scfg, 0, 0)
		if r.clientErr != nil || r.serverErr != nil {
			t.Fatal(r.clientErr, r.serverErr)
		}
		for _, label := range []string{"early secret", "(EC)DHE shared secret", "handshake secret",
			"client handshake traffic secret", "server handshake traffic secret", "master secret",
			"client application traffic secret", "server application traffic secret", "exporter master secret",
			"resumption master secret", "server handshake traffic key", "server handshake traffic iv",
			"client application traffic key", "client application traffic iv"} {
			v, ok := got[label]
			if !ok {
				t.Errorf("no trace event %q", label)
			}
			if (len(v) > 0) != secrets {
				t.Errorf("TraceSecrets %v: %q carries %d bytes", secrets, label, len(v))
			}
		}
		if secrets {
			for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
				f := strings.Fields(line)
				label := map[string]string{
					labelNSSClientHS: "client handshake traffic secret", labelNSSServerHS: "server handshake traffic secret",
					labelNSSClientTraffic0: "client application traffic secret", labelNSSServerTraffic0: "server application traffic secret",
				}[f[0]]
				if hex.EncodeToString(got[label]) != f[2] {
					t.Errorf("%s: key log %s, trace %x", f[0], f[2], got[label])
				}
			}
		}
		if len(inner) < 2 || inner[0] != record.Handshake || inner[1] != record.Handshake {
			t.Errorf("protected records' inner types %v", inner)
		}
	}
}
