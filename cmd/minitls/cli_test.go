package main

// End-to-end tests of demo, certgen, serve and get: they run the real
// binary, built once in TestMain, and real peers (curl, openssl s_server,
// headless Chromium) where installed. External binaries follow the
// MINITLS_INTEROP rule: a missing one skips its test with a clear message,
// unless MINITLS_INTEROP=require, which makes it fail.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"hash"
	"image"
	"image/png"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	mrsa "minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/internal/impl"
)

var (
	cliTestBin string // the minitls binary under test
	cliTestTmp string // removed after the tests
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "minitls-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cliTestTmp = dir
	cliTestBin = filepath.Join(dir, "minitls")
	if out, err := exec.Command("go", "build", "-o", cliTestBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the minitls binary: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cliTestResult is one run of the binary.
type cliTestResult struct {
	stdout, stderr string
	code           int
}

func cliTestRun(t *testing.T, env []string, args ...string) cliTestResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliTestBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running minitls %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return cliTestResult{stdout: out.String(), stderr: errb.String(), code: code}
}

// cliTestNeed returns the path of an external binary, or skips (fails
// under MINITLS_INTEROP=require) when it is missing.
func cliTestNeed(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("MINITLS_INTEROP") == "require" {
			t.Fatalf("%s not found and MINITLS_INTEROP=require: install it (apt-get install --no-install-recommends %s)", name, pkg)
		}
		t.Skipf("%s not installed; skipping (apt-get install %s, or set MINITLS_INTEROP=require to make this fail)", name, pkg)
	}
	return p
}

var (
	cliTestPKIOnce sync.Once
	cliTestPKIDir  string
	cliTestPKIErr  string
)

// cliTestPKI runs certgen once (RSA-2048) and returns the directory with
// ca.pem, ca.key, server.pem and server.key, shared by the tests.
func cliTestPKI(t *testing.T) string {
	t.Helper()
	cliTestPKIOnce.Do(func() {
		dir := filepath.Join(cliTestTmp, "pki")
		r := cliTestRun(t, nil, "certgen", "-dir", dir, "-host", "localhost,127.0.0.1")
		if r.code != 0 {
			cliTestPKIErr = fmt.Sprintf("certgen failed (%d): %s%s", r.code, r.stdout, r.stderr)
			return
		}
		cliTestPKIDir = dir
	})
	if cliTestPKIDir == "" {
		t.Fatal(cliTestPKIErr)
	}
	return cliTestPKIDir
}

// cliTestSyncBuffer collects a process's output for reading while it runs.
type cliTestSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *cliTestSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *cliTestSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// cliTestServer is a running `minitls serve`.
type cliTestServer struct {
	addr string // 127.0.0.1:port
	port string
	log  *cliTestSyncBuffer
	cmd  *exec.Cmd
	done chan error
}

// cliTestServe starts `minitls serve` on a free port and stops it with
// SIGINT at the end of the test, checking that it shuts down cleanly.
func cliTestServe(t *testing.T, dir string, extra ...string) *cliTestServer {
	t.Helper()
	args := append([]string{"serve", "-addr", "127.0.0.1:0",
		"-cert", filepath.Join(dir, "server.pem"), "-key", filepath.Join(dir, "server.key")}, extra...)
	cmd := exec.Command(cliTestBin, args...)
	s := &cliTestServer{log: &cliTestSyncBuffer{}, cmd: cmd, done: make(chan error, 1)}
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	cmd.Stdout = s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// done reports the exit only once the last line is in s.log: Wait
	// returns as soon as the scanner has read the bytes, maybe before it
	// has written them out (TestChromium once missed serve's "stopped").
	scanned := make(chan struct{})
	go func() {
		err := cmd.Wait()
		pw.Close()
		<-scanned
		s.done <- err
	}()
	found := make(chan string, 1)
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`listening on https://(127\.0\.0\.1:\d+)/`)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			s.log.Write([]byte(line + "\n"))
			if m := re.FindStringSubmatch(line); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			t.Fatalf("serve exited before listening:\n%s", s.log.String())
		}
		s.addr = addr
		_, s.port, _ = net.SplitHostPort(addr)
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve did not say where it listens:\n%s", s.log.String())
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-s.done:
			if err != nil {
				t.Errorf("serve did not exit cleanly on SIGINT: %v\n%s", err, s.log.String())
			}
			if !strings.Contains(s.log.String(), "stopped") {
				t.Errorf("serve's log lacks the shutdown line:\n%s", s.log.String())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("serve did not stop within 10 s of SIGINT")
		}
	})
	return s
}

// waitLog waits until the server's log contains want n times.
func (s *cliTestServer) waitLog(t *testing.T, want string, n int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		l := s.log.String()
		if strings.Count(l, want) >= n {
			return l
		}
		if time.Now().After(deadline) {
			t.Fatalf("server log has %d of %d lines with %q:\n%s", strings.Count(l, want), n, want, l)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// --- demo --------------------------------------------------------------

// cliTestVarying matches the lines of a -seed demo that may differ between
// runs: timings, what is computed from them, and port numbers.
var cliTestVarying = regexp.MustCompile(`\d (ns|µs|ms|s)\b|MB/s|costs as much as|127\.0\.0\.1:\d+`)

func cliTestStable(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if !cliTestVarying.MatchString(l) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// cliTestHex reads the hex value printed for label by the demo's kvHex,
// with its continuation lines, from the first occurrence after anchor.
func cliTestHex(t *testing.T, out, anchor, label string) []byte {
	t.Helper()
	i := strings.Index(out, anchor)
	if i < 0 {
		t.Fatalf("demo output lacks %q", anchor)
	}
	lines := strings.Split(out[i:], "\n")
	re := regexp.MustCompile(`^\s+` + regexp.QuoteMeta(label) + `\s+([0-9a-f]+)(\s|$)`)
	cont := regexp.MustCompile(`^ {24}([0-9a-f]+)( ✓)?$`)
	for j, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		h := m[1]
		for _, c := range lines[j+1:] {
			cm := cont.FindStringSubmatch(c)
			if cm == nil {
				break
			}
			h += cm[1]
		}
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		return b
	}
	t.Fatalf("demo output lacks a %q value after %q", label, anchor)
	return nil
}

// cliTestCheckDemo checks that a demo's output tells every step with values
// that are real: the master secret and keys it prints are recomputed here
// from the premaster secret, session hash and randoms it prints.
func cliTestCheckDemo(t *testing.T, out string, prf func() hash.Hash, keyLen int) (clientRandom, master []byte) {
	t.Helper()
	for _, want := range []string{
		"Step 1  TCP connection", "Step 2  Hellos", "Step 3  Key exchange", "Step 4  ChangeCipherSpec",
		"The lesson", "→ ClientHello", "← ServerHello", "← Certificate", "← ServerHelloDone",
		"CN=localhost,O=minitls", "DNS:localhost, IP:127.0.0.1", "RSA-2048, e=65537",
		"→ ClientKeyExchange", "256 bytes of ciphertext", "→ GET / HTTP/1.1", "← HTTP/1.1 200 OK",
		"nonce_explicit", "decrypts to", `"GET / HTTP/1.1\r\nHost: localhost`,
		"Verdict: trusted",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if n := strings.Count(out, "✓"); n < 7+1+1+4 {
		t.Errorf("demo shows %d passed checks, want at least 13 (7 certificate checks, premaster, master secret, 4 keys)", n)
	}
	if strings.Contains(out, "✗") || strings.Contains(out, "DIFFERENT") {
		t.Errorf("demo shows a failed check:\n%s", out)
	}
	if !regexp.MustCompile(`One RSA-2048 decryption costs as much as AES-GCM over \d+ KiB\.`).MatchString(out) {
		t.Errorf("demo lacks the measured lesson")
	}
	// The lesson names the AES-GCM path it measured: the one the records
	// used, minitls's fastest on this CPU (issue 15).
	if !regexp.MustCompile(`RSA path +` + regexp.QuoteMeta(mrsa.Implementation()) + `\n`).MatchString(out) {
		t.Errorf("the demo's lesson does not name the RSA path %s:\n%s", mrsa.Implementation(), out)
	}
	if !regexp.MustCompile(`AES path +` + impl.Current().String() + `: `).MatchString(out) {
		t.Errorf("demo's lesson does not name the AES path %v", impl.Current())
	}
	for i, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("line %d is %d columns wide (max 80): %q", i+1, n, l)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colour escape codes in output that is not a terminal")
	}

	clientRandom = cliTestHex(t, out, "→ ClientHello", "random")
	serverRandom := cliTestHex(t, out, "← ServerHello", "random")
	pre := cliTestHex(t, out, "Step 3", "premaster")
	sessionHash := cliTestHex(t, out, "Step 3", "session hash")
	master = cliTestHex(t, out, "Step 3", "master secret")
	if len(clientRandom) != 32 || len(serverRandom) != 32 || len(pre) != 48 || pre[0] != 3 || pre[1] != 3 {
		t.Fatalf("randoms %x %x, premaster %x", clientRandom, serverRandom, pre)
	}
	if want := handshake.ExtendedMasterSecret(prf, pre, sessionHash); !bytes.Equal(master, want) {
		t.Errorf("printed master secret %x, but PRF(printed premaster, session hash) = %x", master, want)
	}
	kb := handshake.KeyExpansion(prf, master, clientRandom, serverRandom, keyLen, 4)
	for label, want := range map[string][]byte{
		"client_write_key": kb.ClientKey, "server_write_key": kb.ServerKey,
		"client_write_IV": kb.ClientIV, "server_write_IV": kb.ServerIV,
	} {
		if got := cliTestHex(t, out, "key block", label); !bytes.Equal(got, want) {
			t.Errorf("printed %s %x, recomputed from the printed master secret %x", label, got, want)
		}
	}
	return clientRandom, master
}

// TestDemo: `minitls demo -seed N` tells every step with real, consistent
// values, and twice with the same seed prints the same lines except
// timings and ports; another seed prints other randoms.
func TestDemo(t *testing.T) {
	a := cliTestRun(t, nil, "demo", "-seed", "7")
	if a.code != 0 {
		t.Fatalf("demo exited %d:\n%s\n%s", a.code, a.stdout, a.stderr)
	}
	if !strings.Contains(a.stderr, "generating RSA-2048 CA key…") || !strings.Contains(a.stderr, "generating RSA-2048 server key…") {
		t.Errorf("no key generation progress on stderr: %q", a.stderr)
	}
	randA, _ := cliTestCheckDemo(t, a.stdout, sha256.New, 16)
	if !regexp.MustCompile(`suite chosen\s+TLS_RSA_WITH_AES_128_GCM_SHA256\n`).MatchString(a.stdout) {
		t.Errorf("demo does not show the suite chosen")
	}

	b := cliTestRun(t, nil, "demo", "-seed", "7")
	if b.code != 0 {
		t.Fatalf("second demo exited %d: %s", b.code, b.stderr)
	}
	sa, sb := cliTestStable(a.stdout), cliTestStable(b.stdout)
	if sa != sb {
		al, bl := strings.Split(sa, "\n"), strings.Split(sb, "\n")
		for i := range min(len(al), len(bl)) {
			if al[i] != bl[i] {
				t.Fatalf("two runs with -seed 7 differ at stable line %d:\n%q\n%q", i+1, al[i], bl[i])
			}
		}
		t.Fatalf("two runs with -seed 7 differ in length: %d vs %d lines", len(al), len(bl))
	}
	if strings.Count(sa, "\n") < 80 {
		t.Errorf("only %d stable lines: the filter removed too much", strings.Count(sa, "\n"))
	}
	c := cliTestRun(t, nil, "demo", "-seed", "8")
	if c.code != 0 {
		t.Fatalf("demo -seed 8 exited %d: %s", c.code, c.stderr)
	}
	if randC := cliTestHex(t, c.stdout, "→ ClientHello", "random"); bytes.Equal(randA, randC) {
		t.Errorf("seeds 7 and 8 gave the same client random %x", randA)
	}
}

// TestDemoTraceKeylogSuite: without -seed (real randomness, as `make demo`
// runs it), -trace explains every record field by field within 80 columns,
// -suite picks AES-256 (SHA-384 PRF, 32-byte keys), and -keylog writes the
// NSS line with the printed client random and master secret.
func TestDemoTraceKeylogSuite(t *testing.T) {
	keylog := filepath.Join(t.TempDir(), "keys.log")
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-trace", "-suite", "AES256-GCM-SHA384", "-keylog", keylog)
	if r.code != 0 {
		t.Fatalf("demo exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	random, master := cliTestCheckDemo(t, r.stdout, sha512.New384, 32)
	if !regexp.MustCompile(`suites offered\s+TLS_RSA_WITH_AES_256_GCM_SHA384\n`).MatchString(r.stdout) {
		t.Errorf("-suite did not restrict the offer")
	}
	for _, want := range []string{
		"-trace: the records of step 2", "-trace: the records of step 3", "-trace: the records of step 4",
		"→ client sends record #0: handshake", "← client receives record #0: handshake",
		"content_type = handshake (22)", "client_version = TLS 1.2", "host_name = \"localhost\"",
		"cipher_suite = TLS_RSA_WITH_AES_256_GCM_SHA384", "ASN.1Cert", "pre_master_secret",
		"change_cipher_spec", "AES-GCM protected", "nonce_explicit", "encrypted content", "tag",
		"verify_data", "application_data = \"GET / HTTP/1.1", "description = close_notify",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("-trace output lacks %q", want)
		}
	}
	data, err := os.ReadFile(keylog)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("CLIENT_RANDOM %x %x\n", random, master); string(data) != want {
		t.Errorf("key log = %q, want %q", data, want)
	}
}

// TestHelp: every subcommand explains itself with -h (exit 0) within 80
// columns.
func TestHelp(t *testing.T) {
	for _, c := range []string{"demo", "certgen", "serve", "get", "bench"} {
		r := cliTestRun(t, nil, c, "-h")
		if r.code != 0 || !strings.HasPrefix(r.stderr, "usage: minitls "+c) {
			t.Errorf("minitls %s -h: exit %d, %q", c, r.code, cliTestTail(r.stderr, 200))
		}
		for _, l := range strings.Split(r.stderr, "\n") {
			if cliTestColumns(l) > 80 {
				t.Errorf("minitls %s -h: line wider than 80 columns: %q", c, l)
			}
		}
	}
	r := cliTestRun(t, nil, "-h")
	for _, l := range strings.Split(r.stdout+r.stderr, "\n") {
		if cliTestColumns(l) > 80 {
			t.Errorf("minitls -h: line wider than 80 columns: %q", l)
		}
	}
}

// TestDemoFlags: bad flags are usage errors (exit 2) with one line.
func TestDemoFlags(t *testing.T) {
	for _, args := range [][]string{
		{"demo", "-bits", "1024"},
		{"demo", "-suite", "RC4"},
		{"get", "http://localhost/"},
		{"get", "https://localhost:99999/"},
		{"certgen", "-bits", "4096"},
	} {
		r := cliTestRun(t, nil, args...)
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("minitls %v: exit %d, stderr %q; want exit 2 and one line", args, r.code, r.stderr)
		}
	}
}

// --- certgen -----------------------------------------------------------

// TestCertgen: the files, their modes, what the certificates say (checked
// with crypto/x509 as the oracle), and the refusal to overwrite.
func TestCertgen(t *testing.T) {
	dir := cliTestPKI(t)
	for name, mode := range map[string]os.FileMode{"ca.pem": 0o644, "ca.key": 0o600, "server.pem": 0o644, "server.key": 0o600} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s has mode %v, want %v", name, st.Mode().Perm(), mode)
		}
	}
	chainPEM, _ := os.ReadFile(filepath.Join(dir, "server.pem"))
	caPEM, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
	var chain []*x509.Certificate
	for rest := chainPEM; ; {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		chain = append(chain, c)
	}
	if len(chain) != 2 {
		t.Fatalf("server.pem holds %d certificates, want the leaf then the CA", len(chain))
	}
	leaf := chain[0]
	if leaf.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment {
		t.Errorf("leaf keyUsage %v", leaf.KeyUsage)
	}
	if len(leaf.ExtKeyUsage) != 1 || leaf.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth {
		t.Errorf("leaf extKeyUsage %v", leaf.ExtKeyUsage)
	}
	if !chain[1].IsCA {
		t.Errorf("second certificate is not a CA")
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatal("ca.pem holds no certificate")
	}
	for _, name := range []string{"localhost", "127.0.0.1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: name}); err != nil {
			t.Errorf("crypto/x509 rejects the leaf for %s: %v", name, err)
		}
	}

	r := cliTestRun(t, nil, "certgen", "-dir", dir)
	if r.code == 0 || !strings.Contains(r.stderr, "refusing to overwrite") || !strings.Contains(r.stderr, "-force") {
		t.Errorf("certgen over existing files: exit %d, %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "server.pem")); !bytes.Equal(after, chainPEM) {
		t.Errorf("certgen without -force changed server.pem")
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "server.key"), []byte("mine"), 0o600)
	if r := cliTestRun(t, nil, "certgen", "-dir", other, "-host", "example.test"); r.code == 0 {
		t.Errorf("certgen overwrote an existing server.key")
	}
	if r := cliTestRun(t, nil, "certgen", "-dir", other, "-host", "example.test", "-force"); r.code != 0 {
		t.Fatalf("certgen -force: %s", r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "server.key")); !bytes.Contains(b, []byte("RSA PRIVATE KEY")) {
		t.Errorf("certgen -force did not replace server.key")
	}
	// The refusal comes before any key is generated, and -dir naming a file
	// is one clear line, not a stat error about "ca.pem/ca.pem".
	if strings.Contains(r.stderr, "generating") {
		t.Errorf("certgen generated keys before refusing to overwrite: %q", r.stderr)
	}
	file := filepath.Join(other, "ca.pem")
	r = cliTestRun(t, nil, "certgen", "-dir", file)
	if want := "-dir " + file + " is a file, not a directory"; r.code == 0 || !strings.Contains(r.stderr, want) ||
		strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("certgen -dir FILE: exit %d, %q; want one line containing %q", r.code, r.stderr, want)
	}
}

// --- serve and get -----------------------------------------------------

// TestServeGet: certgen → serve → get returns the page, which explains the
// visitor's handshake; one log line per connection, failures included.
func TestServeGet(t *testing.T) {
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	ca := filepath.Join(dir, "ca.pem")

	// -suite aes128: the RSA key-transport story (serve and get prefer
	// ECDHE by default since issue 10; TestServeCurl covers ECDHE).
	r := cliTestRun(t, nil, "get", "-v", "-suite", "aes128", "-cafile", ca, "https://localhost:"+srv.port+"/")
	if r.code != 0 {
		t.Fatalf("get exited %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"Hello from minitls", "TLS_RSA_WITH_AES_128_GCM_SHA256", "<td>localhost</td>",
		"<td>http/1.1</td>", "extended master secret</th><td>yes", "server time in RSA decryption</th><td>"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("page lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, want := range []string{"TLS 1.2 handshake done", "extended master secret: yes, SNI: localhost, ALPN: http/1.1",
		"certificate verified", "HTTP/1.1 200 OK"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("get -v lacks %q:\n%s", want, r.stderr)
		}
	}
	if !regexp.MustCompile(`server time in RSA decryption</th><td>\d+(\.\d+)? (µs|ms)`).MatchString(r.stdout) {
		t.Errorf("page lacks a measured RSA decryption time")
	}

	r = cliTestRun(t, nil, "get", "-suite", "aes256", "-cafile", ca, "https://127.0.0.1:"+srv.port+"/x")
	if r.code != 0 || !strings.Contains(r.stdout, "TLS_RSA_WITH_AES_256_GCM_SHA384") || !strings.Contains(r.stdout, "none sent") {
		t.Errorf("get -suite aes256 by IP: exit %d, stderr %q, page:\n%s", r.code, r.stderr, r.stdout)
	}
	log := srv.waitLog(t, "handshake ok", 2)
	if !strings.Contains(log, "handshake ok: TLS_RSA_WITH_AES_256_GCM_SHA384, resumed=no, ems=yes, sni=-, alpn=http/1.1, rsa decrypt") {
		t.Errorf("log line of the second connection:\n%s", log)
	}

	// -trace: annotated records on stderr, the body alone on stdout;
	// -keylog: one NSS line.
	keylog := filepath.Join(t.TempDir(), "get.keys")
	r = cliTestRun(t, nil, "get", "-trace", "-suite", "aes128", "-keylog", keylog, "-cafile", ca, "https://localhost:"+srv.port+"/")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "<!DOCTYPE html>") {
		t.Fatalf("get -trace: exit %d, stdout %q", r.code, cliTestTail(r.stdout, 200))
	}
	for _, want := range []string{"→ client sends record #0: handshake", "handshake message client_hello",
		"handshake message certificate", "pre_master_secret", "AES-GCM protected", "nonce_explicit",
		"application_data = \"GET / HTTP/1.1", "· phase: established"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("get -trace lacks %q", want)
		}
	}
	for _, l := range strings.Split(r.stderr, "\n") {
		if utf8.RuneCountInString(l) > 80 {
			t.Errorf("get -trace line wider than 80 columns: %q", l)
		}
	}
	if b, _ := os.ReadFile(keylog); !regexp.MustCompile(`^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$`).Match(b) {
		t.Errorf("get -keylog wrote %q", b)
	}

	// A client that does not trust the CA: one log line naming its alert.
	cliTestRun(t, nil, "get", "https://localhost:"+srv.port+"/")
	srv.waitLog(t, "client sent alert unknown_ca", 1)
	if n := len(regexp.MustCompile(`(?m) handshake (ok|failed)`).FindAllString(srv.log.String(), -1)); n != 4 {
		t.Errorf("%d connection log lines for 4 connections:\n%s", n, srv.log.String())
	}
}

// TestServeRoot: -root serves files, and the handshake page moves to
// /.minitls.
func TestServeRoot(t *testing.T) {
	dir := cliTestPKI(t)
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "hello.txt"), []byte("a file served over minitls\n"), 0o644)
	srv := cliTestServe(t, dir, "-root", root)
	ca := filepath.Join(dir, "ca.pem")
	r := cliTestRun(t, nil, "get", "-cafile", ca, "https://localhost:"+srv.port+"/hello.txt")
	if r.code != 0 || r.stdout != "a file served over minitls\n" {
		t.Errorf("get /hello.txt: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	r = cliTestRun(t, nil, "get", "-cafile", ca, "https://localhost:"+srv.port+"/.minitls")
	if r.code != 0 || !strings.Contains(r.stdout, "Hello from minitls") {
		t.Errorf("get /.minitls: exit %d, %q", r.code, r.stderr)
	}
}

// TestGetErrors: each failure is one line on stderr, names its cause and
// what to do, and exits non-zero.
func TestGetErrors(t *testing.T) {
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	ca := filepath.Join(dir, "ca.pem")
	// A server that allows only AES-128 answers an AES-256-only client with
	// a handshake_failure alert (rfc5246#7.4.1.3).
	only128 := cliTestServe(t, dir, "-suite", "aes128")
	// A second server on a taken port says so in one line.
	r := cliTestRun(t, nil, "serve", "-addr", srv.addr, "-cert", filepath.Join(dir, "server.pem"), "-key", filepath.Join(dir, "server.key"))
	if r.code == 0 || !strings.Contains(r.stderr, "-addr "+srv.addr+" is already in use") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("serve on a port in use: exit %d, %q", r.code, r.stderr)
	}

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, say nothing
		}
	}()

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"unknown authority", []string{"https://localhost:" + srv.port + "/"},
			[]string{"certificate signed by unknown authority", "pass -cafile"}},
		{"wrong host", []string{"-cafile", ca, "-connect", srv.addr, "https://wrong.example/"},
			[]string{`certificate is not valid for "wrong.example"`, "DNS:localhost, IP:127.0.0.1"}},
		{"closed port", []string{"-cafile", ca, "https://" + closedAddr + "/"},
			[]string{"connection refused", closedAddr}},
		{"timeout", []string{"-cafile", ca, "-timeout", "500ms", "https://" + silent.Addr().String() + "/"},
			[]string{"timed out after 500ms"}},
		{"alert received", []string{"-cafile", ca, "-suite", "aes256", "https://" + only128.addr + "/"},
			[]string{"the server sent alert handshake_failure"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cliTestRun(t, nil, append([]string{"get"}, tc.args...)...)
			if r.code == 0 {
				t.Fatalf("exit 0; stdout %q", r.stdout)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "minitls get: ") {
				t.Errorf("want one line on stderr, got %q", r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q lacks %q", r.stderr, w)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
		})
	}
}

// --- real peers --------------------------------------------------------

// TestServeCurl: curl (OpenSSL) fetches the serve page over TLS 1.2 with
// each RSA suite, verifying the certgen CA.
func TestServeCurl(t *testing.T) {
	curl := cliTestNeed(t, "curl", "curl")
	dir := cliTestPKI(t)
	srv := cliTestServe(t, dir)
	for i, tc := range []struct{ openssl, iana, kxLog string }{
		{"AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", "rsa decrypt"},
		{"AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384", "rsa decrypt"},
		{"ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ecdhe X25519"},
		{"ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ecdhe X25519"},
	} {
		t.Run(tc.openssl, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, curl, "-sS", "--cacert", filepath.Join(dir, "ca.pem"),
				"--tlsv1.2", "--tls-max", "1.2", "--ciphers", tc.openssl,
				"https://localhost:"+srv.port+"/").CombinedOutput()
			if err != nil {
				t.Fatalf("curl: %v\n%s\nserver log:\n%s", err, out, srv.log.String())
			}
			if !bytes.Contains(out, []byte("Hello from minitls")) || !bytes.Contains(out, []byte(tc.iana)) {
				t.Errorf("curl got:\n%s", out)
			}
			// The log line names what the ClientKeyExchange cost.
			log := srv.waitLog(t, "handshake ok", i+1)
			if !regexp.MustCompile(`handshake ok: ` + tc.iana + `, .*, ` + tc.kxLog + ` [1-9]\d*(\.\d+)? (µs|ms)`).MatchString(log) {
				t.Errorf("log line of %s lacks %q:\n%s", tc.iana, tc.kxLog, log)
			}
		})
	}
	// Two URLs in one curl run: the second connection resumes the first
	// session (curl takes no TLS 1.2 tickets, so through serve's session
	// cache), the page says so and shows no RSA decryption time.
	t.Run("resumption", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		url := "https://localhost:" + srv.port + "/"
		out, err := exec.CommandContext(ctx, curl, "-sS", "--cacert", filepath.Join(dir, "ca.pem"),
			"--tlsv1.2", "--tls-max", "1.2", "--ciphers", "AES128-GCM-SHA256", "-H", "Connection: close",
			url, url).CombinedOutput()
		if err != nil {
			t.Fatalf("curl: %v\n%s\nserver log:\n%s", err, out, srv.log.String())
		}
		if n := bytes.Count(out, []byte("Hello from minitls")); n != 2 {
			t.Fatalf("curl fetched %d pages, want 2:\n%s", n, out)
		}
		if !bytes.Contains(out, []byte("session</th><td>resumed")) {
			t.Errorf("the second page does not say the session resumed:\n%s", out)
		}
		srv.waitLog(t, "resumed=yes", 1)
	})
	// A client with no suite in common: the server's log line names the
	// alert it sent and what the client offered.
	t.Run("no common suite", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, curl, "-sS", "--cacert", filepath.Join(dir, "ca.pem"),
			"--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-SHA",
			"https://localhost:"+srv.port+"/").CombinedOutput()
		if err == nil {
			t.Fatalf("curl with a CBC-only offer succeeded:\n%s", out)
		}
		log := srv.waitLog(t, "sent alert handshake_failure", 1)
		if !strings.Contains(log, "offered") || !strings.Contains(log, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA") {
			t.Errorf("failure log line does not say what the client offered:\n%s", log)
		}
	})
}

// TestGetOpenSSLServer: get against `openssl s_server -www -tls1_2` returns
// its status page; offered a suite the server refuses, get reports the
// alert the server sent.
func TestGetOpenSSLServer(t *testing.T) {
	openssl := cliTestNeed(t, "openssl", "openssl")
	dir := cliTestPKI(t)
	start := func(t *testing.T, extra ...string) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
		l.Close()
		ctx, cancel := context.WithCancel(context.Background())
		args := append([]string{"s_server", "-accept", port, "-tls1_2", "-www",
			"-cert", filepath.Join(dir, "server.pem"), "-key", filepath.Join(dir, "server.key")}, extra...)
		cmd := exec.CommandContext(ctx, openssl, args...)
		var out cliTestSyncBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cancel(); cmd.Wait() })
		for i := 0; ; i++ {
			c, err := net.Dial("tcp", "127.0.0.1:"+port)
			if err == nil {
				c.Close()
				break
			}
			if i == 200 {
				t.Fatalf("s_server did not start: %s", out.String())
			}
			time.Sleep(25 * time.Millisecond)
		}
		return port
	}
	t.Run("page", func(t *testing.T) {
		port := start(t)
		r := cliTestRun(t, nil, "get", "-cafile", filepath.Join(dir, "ca.pem"), "https://localhost:"+port+"/")
		if r.code != 0 {
			t.Fatalf("get exited %d: %s", r.code, r.stderr)
		}
		for _, want := range []string{"s_server", "TLSv1.2", "AES128-GCM-SHA256"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("s_server page lacks %q:\n%s", want, r.stdout)
			}
		}
	})
	t.Run("alert", func(t *testing.T) {
		port := start(t, "-cipher", "AES128-GCM-SHA256")
		r := cliTestRun(t, nil, "get", "-suite", "aes256", "-cafile", filepath.Join(dir, "ca.pem"), "https://localhost:"+port+"/")
		if r.code == 0 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "the server sent alert handshake_failure") {
			t.Errorf("exit %d, stderr %q; want one line naming handshake_failure", r.code, r.stderr)
		}
	})
}

// TestChromium: headless Chromium loads the serve page over minitls with
// the certgen CA trusted through an NSS database in a temporary HOME, and
// without --ignore-certificate-errors; the test reads the DOM it rendered.
// The page lists the cipher suites Chromium offered, which the log keeps.
func TestChromium(t *testing.T) {
	if testing.Short() && os.Getenv("MINITLS_INTEROP") != "require" {
		t.Skip("-short: skipping headless Chromium (set MINITLS_INTEROP=require to run it anyway)")
	}
	chromium := cliTestNeed(t, "chromium", "chromium")
	certutil := cliTestNeed(t, "certutil", "libnss3-tools")
	dir := cliTestPKI(t)
	home := t.TempDir()
	nssdb := filepath.Join(home, ".pki", "nssdb")
	if err := os.MkdirAll(nssdb, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "HOME="+home)
	// A second PKI whose CA and leaf are ECDSA P-256 (certgen -key ecdsa),
	// trusted beside the RSA one: Chromium must verify an ECDSA chain and an
	// ECDSA ServerKeyExchange signature (issue 19).
	dirEC := filepath.Join(home, "pki-ecdsa")
	if r := cliTestRun(t, nil, "certgen", "-dir", dirEC, "-host", "localhost,127.0.0.1", "-key", "ecdsa"); r.code != 0 {
		t.Fatalf("certgen -key ecdsa failed (%d): %s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{
		{"-d", "sql:" + nssdb, "-N", "--empty-password"},
		{"-d", "sql:" + nssdb, "-A", "-t", "C,,", "-n", "minitls", "-i", filepath.Join(dir, "ca.pem")},
		{"-d", "sql:" + nssdb, "-A", "-t", "C,,", "-n", "minitls-ecdsa", "-i", filepath.Join(dirEC, "ca.pem")},
	} {
		cmd := exec.Command(certutil, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("certutil %v: %v\n%s", args, err, out)
		}
	}
	// One run per suite: serve -suite leaves Chromium no other choice. The
	// ECDHE_RSA ones use X25519, Chromium's first group (issue 10).
	for i, suite := range []string{"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
		"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
		"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"} {
		t.Run(suite, func(t *testing.T) {
			pki := dir
			if strings.Contains(suite, "_ECDSA_") {
				pki = dirEC
			}
			srv := cliTestServe(t, pki, "-suite", suite)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--user-data-dir="+filepath.Join(home, fmt.Sprintf("ud%d", i)), "--dump-dom", "https://localhost:"+srv.port+"/")
			cmd.Env = env
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			dom := stdout.String()
			if err != nil || !strings.Contains(dom, "Hello from minitls") {
				t.Fatalf("Chromium did not render the page (err %v).\nDOM:\n%s\nserver log:\n%s\nstderr tail:\n%s",
					err, dom, srv.log.String(), cliTestTail(stderr.String(), 2000))
			}
			for _, want := range []string{"<td>" + suite + "</td>", "<td>localhost</td>", "<td>http/1.1</td>",
				"extended master secret</th><td>yes"} {
				if !strings.Contains(dom, want) {
					t.Errorf("rendered page lacks %q", want)
				}
			}
			if m := regexp.MustCompile(`suites your client offered</th><td>([^<]*)`).FindStringSubmatch(dom); m != nil {
				t.Logf("Chromium offered: %s", m[1])
			}
			srv.waitLog(t, "handshake ok: "+suite, 1)
		})
	}
	t.Run("screenshot", func(t *testing.T) { cliTestChromiumPage(t, chromium, env, dir, home) })
}

// cliTestChromiumPage: with serve's defaults, Chromium renders the page at
// a phone's width; its DOM holds the message-sequence diagram (an arrow per
// message), the key exchange named exactly and the offered lists with
// Chromium's GREASE explained; and its screenshot shows the diagram drawn:
// enough pixels of both arrow colours (in clear, encrypted).
func cliTestChromiumPage(t *testing.T, chromium string, env []string, dir, home string) {
	srv := cliTestServe(t, dir)
	shot := filepath.Join(home, "page.png")
	dom := cliTestChromiumRun(t, chromium, env, filepath.Join(home, "ud-page"), srv,
		"--dump-dom", "https://localhost:"+srv.port+"/")
	// Chromium's default reaches serve's default over TLS 1.3 with the
	// hybrid post-quantum group.
	srv.waitLog(t, "handshake ok: TLS_AES_128_GCM_SHA256, TLS 1.3, group X25519MLKEM768,", 1)
	for _, re := range []string{`<svg class="msc"`, `(?s)(<title>[A-Za-z]+: \d+ bytes, (in clear|encrypted).*){6}`,
		`<title>ClientHello: \d+ bytes, in clear`, `<title>Finished: \d+ bytes, encrypted`,
		`<th>protocol</th><td>TLS 1.3</td>`, `<th>key exchange</th><td>X25519MLKEM768: hybrid post-quantum`,
		`<h2>What your client offered</h2>`, `<b>GREASE</b> \(RFC 8701\)`, `<meta name="viewport"`} {
		if !regexp.MustCompile(re).MatchString(dom) {
			t.Errorf("rendered page lacks %s", re)
		}
	}
	cliTestChromiumRun(t, chromium, env, filepath.Join(home, "ud-shot"), srv,
		"--hide-scrollbars", "--window-size=412,1400", "--screenshot="+shot, "https://localhost:"+srv.port+"/")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 412 {
		t.Errorf("screenshot is %v, want 412 wide", b)
	}
	for _, c := range []string{mscClearColour, mscEncryptedColour} {
		if n := cliTestCountColour(img, c); n < 300 {
			t.Errorf("screenshot has %d pixels of %s, the diagram's arrows are not drawn", n, c)
		}
	}
}

// cliTestChromiumRun runs headless Chromium with args and returns stdout.
func cliTestChromiumRun(t *testing.T, chromium string, env []string, userData string, srv *cliTestServer, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + userData}, args...)
	cmd := exec.CommandContext(ctx, chromium, args...)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("Chromium %v: %v\nserver log:\n%s\nstderr tail:\n%s", args, err, srv.log.String(), cliTestTail(stderr.String(), 2000))
	}
	return stdout.String()
}

// cliTestCountColour counts the pixels within 6 of colour "#rrggbb" in
// each channel (anti-aliasing blends edges; a stroke's core is exact).
func cliTestCountColour(img image.Image, colour string) int {
	want, _ := hex.DecodeString(strings.TrimPrefix(colour, "#"))
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			near := func(v uint32, w byte) bool { d := int(v>>8) - int(w); return d >= -6 && d <= 6 }
			if near(r, want[0]) && near(g, want[1]) && near(bl, want[2]) {
				n++
			}
		}
	}
	return n
}

// cliTestColumns is the width of l on a terminal with tab stops every 8
// columns (flag's help indents with "    \t").
func cliTestColumns(l string) int {
	col := 0
	for _, r := range l {
		if r == '\t' {
			col = (col/8 + 1) * 8
		} else {
			col++
		}
	}
	return col
}

func cliTestTail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestDemoResume: `minitls demo -resume` connects a second time, resumes
// the session (both sides say DidResume), and its side-by-side table shows
// the Certificate, ServerHelloDone and ClientKeyExchange gone, no RSA
// decryption, the same master secret with new record keys, and the
// measured ratio of the two handshake times.
func TestDemoResume(t *testing.T) {
	r := cliTestRun(t, []string{"NO_COLOR=1"}, "demo", "-seed", "11", "-resume")
	if r.code != 0 {
		t.Fatalf("demo -resume exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	i := strings.Index(r.stdout, "Step 5  A second connection resumes the session")
	if i < 0 {
		t.Fatalf("no step 5:\n%s", r.stdout)
	}
	step5 := r.stdout[i:]
	for _, re := range []string{
		`→ ClientHello\s+\d+ bytes\s+\d+ bytes\n`,
		`← ServerHello\s+\d+ bytes\s+\d+ bytes\n`,
		`← Certificate\s+\d+ bytes\s+—\n`,
		`← ServerHelloDone\s+4 bytes\s+—\n`,
		`→ ClientKeyExchange\s+\d+ bytes\s+—\n`,
		`→ Finished\s+16 bytes\s+16 bytes\n`,
		`← Finished\s+16 bytes\s+16 bytes\n`,
		`RSA-2048 decryption\s+[0-9.]+ [µm]?s\s+none\n`,
		`master secret\s+✓ the same as the first connection's`,
		`record keys\s+✓ new`,
		`DidResume\s+client true, server true\n`,
		`This resumed handshake took 1/\d+ of the full one's time\.`,
	} {
		if !regexp.MustCompile(re).MatchString(step5) {
			t.Errorf("step 5 lacks %s:\n%s", re, step5)
		}
	}
	if strings.Contains(step5, "✗") {
		t.Errorf("step 5 shows a failed check:\n%s", step5)
	}
	if r.stdout[:i] == "" || !strings.Contains(r.stdout[:i], "Step 4") {
		t.Error("the full handshake's story is missing before step 5")
	}
}
