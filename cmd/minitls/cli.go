package main

// Helpers shared by demo, get, serve and certgen: colour, hex wrapping,
// durations and cipher suite names. Every name here starts with "cli" so the
// other files of this package (bench*.go) cannot clash with them.

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"minitls/handshake"
)

// cliWidth is the terminal width every subcommand's output fits in.
const cliWidth = 80

// cliStyle adds ANSI colour when enabled (see colorEnabled in main.go) and
// is a no-op otherwise, so output piped to a file or a test stays plain.
type cliStyle struct{ on bool }

func (s cliStyle) wrap(code, text string) string {
	if !s.on || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s cliStyle) bold(t string) string  { return s.wrap("1", t) }
func (s cliStyle) dim(t string) string   { return s.wrap("2", t) }
func (s cliStyle) green(t string) string { return s.wrap("32", t) }
func (s cliStyle) red(t string) string   { return s.wrap("31", t) }
func (s cliStyle) cyan(t string) string  { return s.wrap("36", t) }
func (s cliStyle) yellow(t string) string {
	return s.wrap("33", t)
}

// mark returns a green check or a red cross.
func (s cliStyle) mark(ok bool) string {
	if ok {
		return s.green("✓")
	}
	return s.red("✗")
}

// cliHexLines splits b into lines of perLine bytes of lower-case hex.
func cliHexLines(b []byte, perLine int) []string {
	var out []string
	for len(b) > perLine {
		out = append(out, hex.EncodeToString(b[:perLine]))
		b = b[perLine:]
	}
	return append(out, hex.EncodeToString(b))
}

// cliSpacedHex formats b as "16 03 01" (for short fields).
func cliSpacedHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}

// cliDuration prints a duration with about three significant digits in the
// unit a person expects (µs below a millisecond, ms below a second), never
// in exponent notation.
func cliDuration(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return cliSig(float64(d)/float64(time.Microsecond)) + " µs"
	case d < time.Second:
		return cliSig(float64(d)/float64(time.Millisecond)) + " ms"
	}
	return cliSig(d.Seconds()) + " s"
}

// cliSig formats x (0 <= x < 1000, or more for seconds) with three
// significant digits.
func cliSig(x float64) string {
	switch {
	case x >= 99.95:
		return fmt.Sprintf("%.0f", x)
	case x >= 9.995:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// cliSuiteAliases maps the names people type to minitls's suites: the IANA
// name, OpenSSL's name (what curl --ciphers and openssl -cipher take) and a
// short form.
var cliSuiteAliases = map[string]handshake.CipherSuite{
	"tls_rsa_with_aes_128_gcm_sha256": handshake.TLS_RSA_WITH_AES_128_GCM_SHA256,
	"aes128-gcm-sha256":               handshake.TLS_RSA_WITH_AES_128_GCM_SHA256,
	"aes128":                          handshake.TLS_RSA_WITH_AES_128_GCM_SHA256,
	"tls_rsa_with_aes_256_gcm_sha384": handshake.TLS_RSA_WITH_AES_256_GCM_SHA384,
	"aes256-gcm-sha384":               handshake.TLS_RSA_WITH_AES_256_GCM_SHA384,
	"aes256":                          handshake.TLS_RSA_WITH_AES_256_GCM_SHA384,
	// ECDHE_RSA (issue 10): IANA and OpenSSL names.
	"tls_ecdhe_rsa_with_aes_128_gcm_sha256": handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"ecdhe-rsa-aes128-gcm-sha256":           handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"tls_ecdhe_rsa_with_aes_256_gcm_sha384": handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	"ecdhe-rsa-aes256-gcm-sha384":           handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	// ChaCha20-Poly1305 (issue 22): IANA and OpenSSL names.
	"tls_ecdhe_rsa_with_chacha20_poly1305_sha256": handshake.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	"ecdhe-rsa-chacha20-poly1305":                 handshake.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// cliSuiteUsage is the help of a -suite flag: what it does, then the names
// it takes, wrapped for an 80-column terminal.
func cliSuiteUsage(what string) string {
	return what + ":\n" +
		"aes128 or aes256 selects RSA key transport (TLS_RSA_WITH_AES_*);\n" +
		"an ECDHE_RSA suite (forward secrecy) goes by its IANA or OpenSSL\n" +
		"name, e.g. ECDHE-RSA-AES128-GCM-SHA256"
}

// cliParseSuite turns a -suite flag into Config.CipherSuites; "" means the
// defaults (nil).
func cliParseSuite(name string) ([]uint16, error) {
	if name == "" {
		return nil, nil
	}
	s, ok := cliSuiteAliases[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return nil, fmt.Errorf("unknown cipher suite %q: minitls implements TLS_RSA_WITH_AES_128_GCM_SHA256 (aes128, AES128-GCM-SHA256), TLS_RSA_WITH_AES_256_GCM_SHA384 (aes256, AES256-GCM-SHA384), TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (ECDHE-RSA-AES128-GCM-SHA256), TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (ECDHE-RSA-AES256-GCM-SHA384) and TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (ECDHE-RSA-CHACHA20-POLY1305)", name)
	}
	return []uint16{uint16(s)}, nil
}

// cliSuiteAESBits returns the AES key size of a suite, for explanations.
func cliSuiteAESBits(s handshake.CipherSuite) int {
	if s == handshake.TLS_RSA_WITH_AES_256_GCM_SHA384 || s == handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 {
		return 256
	}
	return 128
}

// cliFit shortens s to at most n runes, ending in "…" when cut.
func cliFit(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	return string(r[:n-1]) + "…"
}

// cliWrapWords wraps text into lines of at most width runes.
func cliWrapWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// cliOpenKeyLog opens the -keylog file of get and serve for appending (mode
// 0600: the lines it receives decrypt the traffic), so that one file can
// collect the key log lines of many connections, as SSLKEYLOGFILE does.
func cliOpenKeyLog(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("-keylog: cannot open the key log file: %w", err)
	}
	return f, nil
}
