package handshake

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

	"minitls/record"
)

// TestAlertTable: every row maps its cause, also when wrapped, to its alert;
// parse errors map to decode_error or illegal_parameter; transport errors
// send nothing.
func TestAlertTable(t *testing.T) {
	for _, row := range alertTable {
		if row.spec == "" {
			t.Errorf("%v has no RFC reference", row.cause)
		}
		for _, err := range []error{row.cause, fmt.Errorf("context: %w", failf(row.cause, "detail"))} {
			got, send := alertFor(err)
			if got != row.alert || !send {
				t.Errorf("alertFor(%v) = %v, %v; want %v", err, got, send, row.alert)
			}
		}
	}
	if a, _ := alertFor(&ParseError{What: "x", Reason: "y"}); a != record.DecodeError {
		t.Errorf("ParseError → %v", a)
	}
	if a, _ := alertFor(&ParseError{What: "x", Reason: "y", Illegal: true}); a != record.IllegalParameter {
		t.Errorf("illegal ParseError → %v", a)
	}
	if _, send := alertFor(&net.OpError{Op: "read", Err: errors.New("connection reset")}); send {
		t.Error("an alert to a peer whose connection failed")
	}
	if _, send := alertFor(&record.AlertReceivedError{Level: record.Fatal, Description: record.BadRecordMAC}); send {
		t.Error("answering a fatal alert")
	}
	if _, send := alertFor(record.ErrTruncated); send {
		t.Error("an alert after the transport ended")
	}
	// A duplicate extension is a decode_error (rfc5246#7.4.1.4).
	ch := &ClientHello{Version: VersionTLS12, CipherSuites: []CipherSuite{0x009c}, CompressionMethods: []byte{0},
		Extensions: []Extension{{ExtExtendedMasterSecret, []byte{}}, {ExtExtendedMasterSecret, []byte{}}}}
	if a, _ := alertFor(new(ClientHello).Unmarshal(mustMarshal(t, ch))); a != record.DecodeError {
		t.Errorf("duplicate extension → %v", a)
	}
	e := &Error{Phase: PhaseServerHello, Alert: record.DecodeError, Sent: true, Err: ErrUnexpectedMessage}
	if !errors.Is(e, ErrUnexpectedMessage) || e.Error() == "" {
		t.Error("Error does not unwrap")
	}
}

// TestServerNameIP: a ServerName that is an IP address is not sent as SNI
// (rfc6066#3) but is still what the certificate is checked against.
func TestServerNameIP(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	ccfg.ServerName = "127.0.0.1"
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatal(r.clientErr, r.serverErr)
	}
	if sni := r.server.ConnectionState().ServerName; sni != "" {
		t.Errorf("server saw SNI %q", sni)
	}
	ccfg, scfg = baseConfigs(t)
	ccfg.ServerName = "127.0.0.2"
	if r := runPair(t, ccfg, scfg, 0, 0); r.clientErr == nil {
		t.Error("certificate accepted for an IP it does not name")
	}
}

// TestLoadX509KeyPair: the file helper gives the same chain and key as the
// PEM one, and mismatches are refused.
func TestLoadX509KeyPair(t *testing.T) {
	f := testFixture(t)
	c, err := LoadX509KeyPair(filepath.Join("testdata", "server.pem"), filepath.Join("testdata", "server-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Certificate) != 1 || string(c.Certificate[0]) != string(f.cert.Certificate[0]) || c.Leaf == nil || c.PrivateKey == nil {
		t.Fatalf("%+v", c)
	}
	if _, err := LoadX509KeyPair(filepath.Join("testdata", "server.pem"), filepath.Join("testdata", "ca-key.pem")); err == nil {
		t.Error("a key that does not match the leaf was accepted")
	}
	if _, err := LoadX509KeyPair(filepath.Join("testdata", "missing.pem"), filepath.Join("testdata", "server-key.pem")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Listen("tcp", "127.0.0.1:0", &Config{}); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("Listen without certificates: %v", err)
	}
}

// TestSystemRootsByDefault: with RootCAs nil the client uses the system
// pool, which does not hold the test CA: unknown_ca.
func TestSystemRootsByDefault(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	ccfg.RootCAs = nil
	r := runPair(t, ccfg, scfg, 0, 0)
	var he *Error
	if !errors.As(r.clientErr, &he) || !he.Sent {
		t.Fatalf("client: %v", r.clientErr)
	}
	t.Log(r.clientErr)
	if he.Alert != record.UnknownCA && !errors.Is(r.clientErr, ErrConfig) {
		t.Errorf("alert %v (%v), want unknown_ca", he.Alert, r.clientErr)
	}
}
