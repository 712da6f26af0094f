package gcm

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// cavpCase is one GCMVS case: its section header values and its fields.
type cavpCase struct {
	line   int               // line of "Count = "
	header map[string]string // Keylen, IVlen, PTlen, AADlen, Taglen
	fields map[string]string // Count, Key, IV, PT, AAD, CT, Tag
	fail   bool              // decrypt files: a bare FAIL line
}

// parseCAVP reads a CAVP .rsp file: "[Name = value]" section headers,
// "Name = value" fields, "FAIL" lines, "#" comments, CRLF line endings.
// It also returns how many "Count = " lines it saw, so the caller can check
// that every case was run.
func parseCAVP(t *testing.T, path string) (cases []cavpCase, counts int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header := map[string]string{}
	var cur *cavpCase
	flush := func() {
		if cur != nil {
			cases = append(cases, *cur)
			cur = nil
		}
	}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			flush()
			name, value, ok := strings.Cut(strings.Trim(line, "[]"), "=")
			if !ok {
				t.Fatalf("%s:%d: bad header %q", path, n, line)
			}
			// A new group of headers starts after any case.
			header = cloneMap(header)
			header[strings.TrimSpace(name)] = strings.TrimSpace(value)
		case line == "FAIL":
			if cur == nil {
				t.Fatalf("%s:%d: FAIL outside a case", path, n)
			}
			cur.fail = true
		default:
			name, value, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("%s:%d: cannot parse %q", path, n, line)
			}
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			if name == "Count" {
				flush()
				counts++
				cur = &cavpCase{line: n, header: header, fields: map[string]string{}}
			}
			if cur == nil {
				t.Fatalf("%s:%d: field %q outside a case", path, n, name)
			}
			cur.fields[name] = value
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	flush()
	return cases, counts
}

func cloneMap(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// TestNISTCAVP runs every case of the CAVP GCMVS files in
// ../shared/testdata/nist-gcm (96-bit IV, 128-bit tag sections only, see the
// README there) against both block-cipher code paths. Encrypt files: Seal
// must equal CT||Tag (and Open must return PT). Decrypt files: cases with PT
// must open to PT, FAIL cases must be rejected with ErrOpen and a zeroed
// output region.
func TestNISTCAVP(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdataDir(t), "nist-gcm", "*.rsp"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no .rsp files in nist-gcm")
	}
	for _, impl := range blockImpls {
		for _, path := range files {
			name := filepath.Base(path)
			t.Run(impl.name+"/"+name, func(t *testing.T) {
				decrypt := strings.Contains(name, "Decrypt")
				cases, counts := parseCAVP(t, path)
				var sealed, opened, failed int
				for _, c := range cases {
					if c.header["IVlen"] != "96" || c.header["Taglen"] != "128" {
						t.Fatalf("%s:%d: section IVlen=%s Taglen=%s; the subset should hold only 96/128",
							name, c.line, c.header["IVlen"], c.header["Taglen"])
					}
					key, iv := mustHex(t, c.fields["Key"]), mustHex(t, c.fields["IV"])
					aad, ct, tag := mustHex(t, c.fields["AAD"]), mustHex(t, c.fields["CT"]), mustHex(t, c.fields["Tag"])
					if len(key)*8 != atoi(t, c.header["Keylen"]) || len(aad)*8 != atoi(t, c.header["AADlen"]) {
						t.Fatalf("%s:%d: field lengths disagree with the section header", name, c.line)
					}
					aead := newAEAD(t, impl, key)
					ctTag := append(append([]byte{}, ct...), tag...)
					if c.fail {
						if !decrypt {
							t.Fatalf("%s:%d: FAIL in an encrypt file", name, c.line)
						}
						dst := make([]byte, 0, len(ctTag))
						got, err := aead.Open(dst, iv, ctTag, aad)
						if !errors.Is(err, ErrOpen) || got != nil {
							t.Errorf("%s:%d: Open of a FAIL case = %x, %v; want nil, ErrOpen", name, c.line, got, err)
						}
						if !bytes.Equal(dst[:len(ct)], make([]byte, len(ct))) {
							t.Errorf("%s:%d: failed Open left data in dst", name, c.line)
						}
						failed++
						continue
					}
					pt, ok := c.fields["PT"]
					if !ok {
						t.Fatalf("%s:%d: case has neither PT nor FAIL", name, c.line)
					}
					msg := mustHex(t, pt)
					if !decrypt {
						if got := aead.Seal(nil, iv, msg, aad); !bytes.Equal(got, ctTag) {
							t.Errorf("%s:%d: Seal = %x, want %x", name, c.line, got, ctTag)
						}
						sealed++
					}
					got, err := aead.Open(nil, iv, ctTag, aad)
					if err != nil || !bytes.Equal(got, msg) {
						t.Errorf("%s:%d: Open = %x, %v; want %x", name, c.line, got, err, msg)
					}
					opened++
				}
				t.Logf("%s: %d cases: %d sealed, %d opened, %d FAIL rejected", name, len(cases), sealed, opened, failed)
				if len(cases) != counts || counts == 0 {
					t.Errorf("ran %d cases, file has %d Count lines", len(cases), counts)
				}
				if decrypt && failed == 0 {
					t.Errorf("decrypt file without FAIL cases: parser broken?")
				}
			})
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("bad header number %q: %v", s, err)
	}
	return n
}
