package handshake

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"minitls/record"
)

// TestServerHelloSupportedGroups12: supported_groups is not defined in a
// TLS 1.2 ServerHello (a server lists no groups there), yet a ServerHello
// carrying one still parses: its body is skipped as opaque bytes, whatever
// it holds (the trace shows it as one opaque field). What the client then does depends on its own ClientHello:
//   - a client that offered ECDHE sent supported_groups, so the extension
//     answers one it sent and is ignored: the client reads on (here the
//     server then fails the client's Finished, because the test adds the
//     extension after the server hashed its ServerHello);
//   - a client that offered only RSA key transport sent no
//     supported_groups, and refuses it with unsupported_extension.
//
// spec: rfc8422#5.2 (the ServerHello extensions: ec_point_formats only),
// rfc5246#7.4.1.4 ("If a client receives an extension type in ServerHello
// that it did not request ... it MUST abort the handshake with an
// unsupported_extension fatal alert.")
func TestServerHelloSupportedGroups12(t *testing.T) {
	groups := Extension{Type: ExtSupportedGroups, Data: []byte{0, 4, 0, 0x1d, 0, 0x17}} // x25519, secp256r1
	t.Run("parses", func(t *testing.T) {
		for _, ext := range []Extension{groups, {Type: ExtSupportedGroups, Data: []byte{}}, {Type: ExtSupportedGroups, Data: []byte{0xff}}} {
			sh := &ServerHello{Version: VersionTLS12, CipherSuite: 0xc02f, Extensions: []Extension{ext}}
			var got ServerHello
			if err := got.Unmarshal(mustMarshal(t, sh)); err != nil {
				t.Fatalf("ServerHello with supported_groups %x: %v", ext.Data, err)
			}
			if d := cmp.Diff([]Extension{ext}, got.Extensions); d != "" {
				t.Errorf("extensions (-want +got):\n%s", d)
			}
			// The trace shows the skipped body as one opaque field, and an
			// empty body as none, like the other empty extensions.
			var shown []Field
			for _, f := range got.Fields() {
				if f.Name == "extension_data" {
					shown = append(shown, f)
				}
			}
			if want := min(len(ext.Data), 1); len(shown) != want || want == 1 && shown[0].Length != len(ext.Data) {
				t.Errorf("trace fields for extension_data %x: %+v, want %d of %d bytes", ext.Data, shown, want, len(ext.Data))
			}
		}
	})
	addGroups := func() func([][]byte) [][]byte {
		return flightHook(0, editMsg[*ServerHello](t, 0, func(m *ServerHello) { m.Extensions = append(m.Extensions, groups) }))
	}
	t.Run("ECDHE client ignores it", func(t *testing.T) {
		ccfg, scfg := ecdheConfigs(t, CurveX25519)
		scfg.testHookFlight = addGroups()
		var phases []Phase
		ccfg.phaseLog = &phases
		r := runPair(t, ccfg, scfg, 0, 0)
		checkAlert(t, r, false, record.BadRecordMAC)
		if !containsPhase(phases, PhaseClientFinished) {
			t.Errorf("client phases %v: it did not read on to send its Finished", phases)
		}
	})
	t.Run("RSA client refuses it", func(t *testing.T) {
		ccfg, scfg := baseConfigs(t)
		ccfg.Trace = func(e Event) {
			if m, ok := e.Message.(*ClientHello); ok && e.Sent {
				if _, ok := m.extension(ExtSupportedGroups); ok {
					t.Errorf("an RSA-only ClientHello carries supported_groups")
				}
			}
		}
		scfg.testHookFlight = addGroups()
		checkAlert(t, runPair(t, ccfg, scfg, 0, 0), true, record.UnsupportedExtension)
	})
}
