package handshake

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// sClientPing runs `openssl s_client -connect addr ARGS -CAfile ca.pem
// -servername localhost -verify_return_error -ign_eof` against the server
// serveOnce started, sends "ping", and waits for the server's result. A
// failure of either side fails the test, and so does output that lacks the
// server's greeting, "Verify return code: 0 (ok)" or any line of want. It
// returns s_client's output.
func sClientPing(t *testing.T, openssl, addr string, result <-chan error, args []string, want ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	argv := append([]string{"s_client", "-connect", addr}, args...)
	argv = append(argv, "-CAfile", testdataPath(t, "ca.pem"), "-servername", "localhost", "-verify_return_error", "-ign_eof")
	cmd := exec.CommandContext(ctx, openssl, argv...)
	cmd.Stdin = strings.NewReader("ping\n")
	out, err := cmd.CombinedOutput()
	if serr := <-result; serr != nil {
		t.Errorf("minitls server: %v", serr)
	}
	if err != nil {
		t.Fatalf("s_client %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, w := range append([]string{"hello from minitls, you said ping", "Verify return code: 0 (ok)"}, want...) {
		if !bytes.Contains(out, []byte(w)) {
			t.Errorf("s_client output lacks %q:\n%s", w, out)
		}
	}
	return out
}

// startSServer starts `openssl s_server -accept PORT ARGS -cert server.pem
// -key server-key.pem -www -naccept 1` (stopped when the test ends) and
// returns a TCP connection to it, and the buffer that collects its output.
func startSServer(t *testing.T, openssl string, args ...string) (net.Conn, *bytes.Buffer) {
	t.Helper()
	port := freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	argv := append([]string{"s_server", "-accept", fmt.Sprint(port)}, args...)
	argv = append(argv, "-cert", testdataPath(t, "server.pem"), "-key", testdataPath(t, "server-key.pem"), "-www", "-naccept", "1")
	cmd := exec.CommandContext(ctx, openssl, argv...)
	out := new(bytes.Buffer)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	return dialSServer(t, port, out), out
}
