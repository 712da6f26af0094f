package handshake

import (
	"fmt"
	"testing"

	"minitls/record"
)

// TestVersionNegotiation: every combination of the two sides' version
// ranges (Config.MinVersion/MaxVersion) negotiates the highest version both
// allow, TLS 1.3 by default, and with no version in common the side that
// finds out sends protocol_version.
//
// spec: rfc8446#4.2.1, rfc8446#D.1, rfc5246#E.1
func TestVersionNegotiation(t *testing.T) {
	tls13 := uint16(VersionTLS13)
	ranges := []struct {
		name     string
		min, max uint16
	}{{"default", 0, 0}, {"1.2 only", 0, tls12}, {"1.3 only", tls13, 0}, {"1.2-1.3", tls12, tls13}}
	for _, c := range ranges {
		for _, s := range ranges {
			t.Run(fmt.Sprintf("client %s, server %s", c.name, s.name), func(t *testing.T) {
				ccfg, scfg := configs13(t)
				ccfg.MinVersion, ccfg.MaxVersion = c.min, c.max
				scfg.MinVersion, scfg.MaxVersion = s.min, s.max
				cmax, smax := c.max, s.max
				if cmax == 0 {
					cmax = tls13
				}
				if smax == 0 {
					smax = tls13
				}
				cmin, smin := max(c.min, tls12), max(s.min, tls12)
				want := min(cmax, smax)
				r := runPair(t, ccfg, scfg, 0, 0)
				if want < max(cmin, smin) {
					// No version in common: the server finds out from the
					// ClientHello (supported_versions, or its absence).
					checkAlert(t, r, false, record.ProtocolVersion)
					return
				}
				if r.clientErr != nil || r.serverErr != nil {
					t.Fatal(r.clientErr, r.serverErr)
				}
				if got := r.client.ConnectionState().Version; got != want || r.server.ConnectionState().Version != want {
					t.Fatalf("version %x / %x, want %x", got, r.server.ConnectionState().Version, want)
				}
			})
		}
	}
}
