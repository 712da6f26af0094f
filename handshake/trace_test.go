package handshake

import (
	"bytes"
	"encoding/hex"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"minitls/record"
)

// TestTraceEvents: the trace sees every record and handshake message in both
// directions with fields that tile the bytes, every phase in order, and the
// key schedule, whose master secret matches the key log line.
func TestTraceEvents(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	var mu sync.Mutex
	var events []Event
	var keylog bytes.Buffer
	ccfg.KeyLogWriter = &keylog
	ccfg.TraceSecrets = true
	ccfg.Trace = func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		if e.Kind == EventRecord {
			e.Record.Fragment = append([]byte{}, e.Record.Fragment...)
		}
		events = append(events, e)
	}
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatal(r.clientErr, r.serverErr)
	}
	mu.Lock()
	defer mu.Unlock()
	var msgs []string
	var phases []Phase
	keys := map[string][]byte{}
	records := map[bool]int{}
	for _, e := range events {
		if !e.IsClient {
			t.Fatal("client trace carries a server event")
		}
		switch e.Kind {
		case EventMessage:
			dir := "<"
			if e.Sent {
				dir = ">"
			}
			msgs = append(msgs, dir+e.Message.Type().String())
			checkFields(t, e.Message, e.Bytes)
			if len(e.Fields) == 0 || e.Fields[0].Name != "msg_type" {
				t.Errorf("fields %v", e.Fields)
			}
		case EventPhase:
			phases = append(phases, e.Phase)
		case EventKey:
			keys[e.Label] = e.Secret
		case EventRecord:
			records[e.Sent]++
			if e.Record.Type == record.Handshake && !e.Record.Protected && len(e.Record.Fragment) == 0 {
				t.Error("empty handshake record traced")
			}
		}
	}
	want := []string{">client_hello", "<server_hello", "<certificate", "<server_hello_done",
		">client_key_exchange", ">finished", "<finished"}
	if d := cmp.Diff(want, msgs); d != "" {
		t.Errorf("messages (-want +got):\n%s", d)
	}
	if d := cmp.Diff(fullHandshakePhases, phases); d != "" {
		t.Errorf("phases (-want +got):\n%s", d)
	}
	// ClientHello, ClientKeyExchange, ChangeCipherSpec, Finished sent; the
	// server's flight (one record), ChangeCipherSpec and Finished received.
	if records[true] != 4 || records[false] != 3 {
		t.Errorf("records sent/received %d/%d, want 4/3", records[true], records[false])
	}
	for _, label := range []string{"premaster secret", "session hash", "master secret", "key block",
		"client_write_key", "server_write_key", "client_write_IV", "server_write_IV"} {
		if len(keys[label]) == 0 {
			t.Errorf("no %q key event", label)
		}
	}
	if len(keys["premaster secret"]) != 48 || keys["premaster secret"][0] != 3 || keys["premaster secret"][1] != 3 {
		t.Errorf("premaster secret %x", keys["premaster secret"])
	}
	line := strings.Fields(keylog.String())
	if len(line) != 3 || line[0] != "CLIENT_RANDOM" || line[2] != hex.EncodeToString(keys["master secret"]) {
		t.Errorf("key log %q does not match the traced master secret", keylog.String())
	}
}

// TestTraceSecretsOptIn: key-derivation events carry the label and the
// length of each value on every traced connection, and the value itself
// only on the side whose Config sets TraceSecrets.
func TestTraceSecretsOptIn(t *testing.T) {
	wantLen := map[string]int{"premaster secret": 48, "session hash": 32, "master secret": 48,
		"key block": 40, "client_write_key": 16, "server_write_key": 16, "client_write_IV": 4, "server_write_IV": 4}
	for _, optIn := range []bool{false, true} {
		ccfg, scfg := baseConfigs(t)
		ccfg.CipherSuites = []uint16{uint16(TLS_RSA_WITH_AES_128_GCM_SHA256)}
		ccfg.TraceSecrets = optIn // the server never opts in
		var mu sync.Mutex
		type seen struct {
			length int
			secret []byte
		}
		keys := map[bool]map[string]seen{true: {}, false: {}}
		tr := func(e Event) {
			if e.Kind != EventKey {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			keys[e.IsClient][e.Label] = seen{e.Length, bytes.Clone(e.Secret)}
		}
		ccfg.Trace, scfg.Trace = tr, tr
		r := runPair(t, ccfg, scfg, 0, 0)
		if r.clientErr != nil || r.serverErr != nil {
			t.Fatal(r.clientErr, r.serverErr)
		}
		mu.Lock()
		for client, got := range keys {
			if len(got) != len(wantLen) {
				t.Errorf("client=%v: %d key events, want %d: %v", client, len(got), len(wantLen), got)
			}
			for label, n := range wantLen {
				k, ok := got[label]
				switch {
				case !ok:
					t.Errorf("client=%v: no %q event", client, label)
				case k.length != n:
					t.Errorf("client=%v: %q Length %d, want %d", client, label, k.length, n)
				case client && optIn && len(k.secret) != n:
					t.Errorf("opted-in client: %q Secret has %d bytes, want %d", label, len(k.secret), n)
				case !(client && optIn) && k.secret != nil:
					t.Errorf("client=%v TraceSecrets=%v: %q carries its value %x", client, optIn, label, k.secret)
				}
			}
		}
		mu.Unlock()
	}
}

// TestTraceHelloRequestIgnored: a client ignores a HelloRequest during its
// handshake (spec: rfc5246#7.4.1.1) wherever it comes, and traces each one,
// so a tool can tell what the server asked for: here one before the
// ServerHello and one before the ServerHelloDone.
func TestTraceHelloRequestIgnored(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	helloRequest, _ := (&HelloRequest{}).Marshal()
	scfg.testHookFlight = flightHook(0, func(f [][]byte) [][]byte {
		last := len(f) - 1 // ServerHelloDone
		out := append([][]byte{helloRequest}, f[:last]...)
		return append(out, helloRequest, f[last])
	})
	var mu sync.Mutex
	var received []HandshakeType
	ccfg.Trace = func(e Event) {
		if e.Kind == EventMessage && !e.Sent {
			mu.Lock()
			received = append(received, e.Message.Type())
			mu.Unlock()
		}
	}
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatal(r.clientErr, r.serverErr)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []HandshakeType{TypeHelloRequest, TypeServerHello, TypeCertificate, TypeHelloRequest, TypeServerHelloDone, TypeFinished}
	if d := cmp.Diff(want, received); d != "" {
		t.Errorf("messages the client traced as received (-want +got):\n%s", d)
	}
}

// TestConcurrentReadWrite: one goroutine reads while another writes, on both
// ends at once (run with -race to check the locking).
func TestConcurrentReadWrite(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	r := runPair(t, ccfg, scfg, 0, 0)
	if r.clientErr != nil || r.serverErr != nil {
		t.Fatal(r.clientErr, r.serverErr)
	}
	const n = 200
	payload := bytes.Repeat([]byte("x"), 1000)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for _, c := range []*Conn{r.client, r.server} {
		wg.Add(2)
		go func(c *Conn) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				if _, err := c.Write(payload); err != nil {
					errs <- err
					return
				}
			}
		}(c)
		go func(c *Conn) {
			defer wg.Done()
			buf := make([]byte, n*len(payload))
			if _, err := io.ReadFull(c, buf); err != nil {
				errs <- err
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
