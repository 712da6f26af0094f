package handshake

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
)

// TestClientNoVersionToOffer: a client whose MaxVersion is TLS 1.2 but whose
// CipherSuites lists only TLS 1.3 suites has nothing to offer. That is the
// caller's configuration, and the error says so (ErrConfig) before anything
// is offered, instead of failing to marshal an empty cipher_suites list.
func TestClientNoVersionToOffer(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	cfg := &Config{
		InsecureSkipVerify: true,
		MaxVersion:         uint16(VersionTLS12),
		CipherSuites:       []uint16{uint16(TLS_AES_128_GCM_SHA256)},
	}
	go func() { _, _ = io.Copy(io.Discard, server) }() // the alert the client sends
	err := Client(client, cfg).Handshake()
	client.Close()
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("Handshake() = %v, want ErrConfig", err)
	}
	if !strings.Contains(err.Error(), "TLS 1.3 suites need MaxVersion 1.3") {
		t.Errorf("error %q does not say what to change", err)
	}
}
