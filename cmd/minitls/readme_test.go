package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// readmeTaken maps each package from outside minitls that its protocol and
// cryptography code (record, handshake, cipher, x509lite, internal) may
// import to what the README must say for it, in its list of the code that
// is not minitls's own.
var readmeTaken = map[string]string{
	"crypto":                         "`crypto.Hash`",
	"crypto/cipher":                  "`crypto/cipher`",
	"crypto/subtle":                  "`crypto/subtle`",
	"crypto/sha1":                    "SHA-1 (`crypto/sha1`)",
	"crypto/sha256":                  "SHA-2 (`crypto/sha256`",
	"crypto/sha512":                  "`crypto/sha512`)",
	"crypto/hmac":                    "HMAC (`crypto/hmac`)",
	"crypto/rand":                    "`crypto/rand`",
	"crypto/ecdh":                    "P-256 (`crypto/ecdh`)",
	"crypto/mlkem":                   "ML-KEM-768 (`crypto/mlkem`)",
	"crypto/mlkem/mlkemtest":         "`crypto/mlkem/mlkemtest`",
	"golang.org/x/crypto/curve25519": "X25519 (`golang.org/x/crypto/curve25519`)",
	"filippo.io/nistec":              "(`filippo.io/nistec`",
	"golang.org/x/sys/cpu":           "CPU feature detection (`golang.org/x/sys/cpu`)",
	"encoding/pem":                   "PEM (`encoding/pem`)",
}

// readmeForbidden are the packages minitls reimplements: its production
// code never imports them (the tests use them as oracles).
var readmeForbidden = []string{"crypto/aes", "crypto/rsa", "crypto/ecdsa", "crypto/x509", "crypto/tls",
	"encoding/asn1", "math/big"}

// TestReadmeTakenCode: every package the protocol and cryptography code
// imports that does cryptography or comes from outside the standard library
// is named in the README's list of code that is not minitls's own, and none
// of the packages minitls reimplements is imported.
func TestReadmeTakenCode(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "The code that is not minitls's own")
	if start < 0 {
		t.Fatal("README.md has no list of the code that is not minitls's own")
	}
	list := string(readme[start:])
	if end := strings.Index(list, "\n\n"); end >= 0 {
		if next := strings.Index(list[end+2:], "\n\n"); next >= 0 {
			list = list[:end+2+next]
		}
	}
	list = strings.Join(strings.Fields(list), " ")

	cmd := exec.Command("go", "list", "-e", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`,
		"./record/...", "./handshake/...", "./cipher/...", "./x509lite/...", "./internal/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	importers := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, imp := range f[1:] {
			importers[imp] = append(importers[imp], f[0])
		}
	}
	var imports []string
	for imp := range importers {
		imports = append(imports, imp)
	}
	sort.Strings(imports)
	for _, imp := range imports {
		if slices.Contains(readmeForbidden, imp) {
			t.Errorf("%v import %s, which minitls implements itself", importers[imp], imp)
			continue
		}
		foreign := strings.Contains(strings.Split(imp, "/")[0], ".") // not the standard library
		if !foreign && !strings.HasPrefix(imp, "crypto") && imp != "encoding/pem" {
			continue
		}
		want, ok := readmeTaken[imp]
		if !ok {
			t.Errorf("%v import %s: name it in README.md's list of the code that is not minitls's own, and in readmeTaken", importers[imp], imp)
			continue
		}
		if !strings.Contains(list, want) {
			t.Errorf("%v import %s, but README.md's list of the code that is not minitls's own does not say %s:\n%s", importers[imp], imp, want, list)
		}
	}
}

// TestReadmeBenchQuickDuration: README.md and `minitls bench -h` give the
// same running time for bench -quick (measured, about N s on a 2-core
// machine), so neither promises what the other does not.
func TestReadmeBenchQuickDuration(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	duration := regexp.MustCompile(`about (\d+) s on a 2-core machine`)
	inReadme := regexp.MustCompile("`-quick` finishes in (about \\d+ s on a 2-core machine)").FindSubmatch(readme)
	help := strings.Join(strings.Fields(cliTestRun(t, nil, "bench", "-h").stderr), " ")
	inHelp := ""
	if i := strings.Index(help, "-quick "); i >= 0 {
		inHelp = duration.FindString(help[i:])
	}
	switch {
	case inReadme == nil:
		t.Errorf("README.md does not say how long `-quick` takes (\"`-quick` finishes in about N s on a 2-core machine\")")
	case inHelp == "":
		t.Errorf("minitls bench -h does not say how long -quick takes (about N s on a 2-core machine):\n%s", help)
	case string(inReadme[1]) != inHelp:
		t.Errorf("README.md says bench -quick takes %s, minitls bench -h %s: measure it once and make both say it", inReadme[1], inHelp)
	}
}
