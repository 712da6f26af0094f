package handshake

import (
	"errors"
	"strings"
	"testing"

	"minitls/record"
)

// TestECDHEWithoutSignatureAlgorithms: a ClientHello offering only ECDHE
// suites without signature_algorithms is refused with handshake_failure,
// sent by the server and received by the client: absent the extension the
// client accepts only SHA-1 signatures (rfc5246#7.4.1.4.1), which TLS 1.2
// may no longer use (rfc9155#3). Offering RSA key transport too, it falls
// back to that (no signature needed).
func TestECDHEWithoutSignatureAlgorithms(t *testing.T) {
	drop := func(m *ClientHello) { m.Extensions = dropExt(m.Extensions, ExtSignatureAlgorithms) }
	t.Run("ECDHE only", func(t *testing.T) {
		ccfg, scfg := ecdheConfigs(t)
		ccfg.testEditClientHello = drop
		r := runPair(t, ccfg, scfg, 0, 0)
		checkAlert(t, r, false, record.HandshakeFailure)
		if !errors.Is(r.serverErr, ErrNoCommonSignatureScheme) || !strings.Contains(r.serverErr.Error(), "RFC 9155") {
			t.Fatalf("server: %v; want it to say why (no signature_algorithms, RFC 9155)", r.serverErr)
		}
	})
	t.Run("ECDHE and RSA", func(t *testing.T) {
		ccfg, scfg := ecdheConfigs(t)
		ccfg.CipherSuites = append(append([]uint16{}, ecdheSuiteIDs...), rsaSuiteIDs...)
		ccfg.testEditClientHello = drop
		r := runPair(t, ccfg, scfg, 0, 0)
		if r.clientErr != nil || r.serverErr != nil {
			t.Fatalf("client %v, server %v", r.clientErr, r.serverErr)
		}
		if s := CipherSuite(r.client.ConnectionState().CipherSuite); s != TLS_RSA_WITH_AES_128_GCM_SHA256 {
			t.Fatalf("suite %v, want the RSA key-transport fallback", s)
		}
	})
}
