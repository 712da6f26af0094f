package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sample = `package p

const limit = 1<<8 - 1

type buf [4 * 16]byte

func f(n int) int {
	switch {
	case n > limit:
		return n - 1
	case n%2 == 0:
		return -n
	}
	for i := 0; i < n; i++ {
	}
	return n
}
`

// TestUnmappedKind: constants and array lengths are "constant", the
// conditions of a case clause are "case condition", and operators in
// statements (which Go's coverage does map) are neither.
func TestUnmappedKind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.go")
	if err := os.WriteFile(path, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		line, col int
		want      string
	}{
		{3, 20, "constant"},       // - in 1<<8 - 1
		{5, 13, "constant"},       // * in [4 * 16]
		{9, 9, "case condition"},  // > in n > limit
		{11, 8, "case condition"}, // % in n%2 == 0
		{11, 11, "case condition"},
		{10, 12, ""}, // - in return n - 1
		{12, 10, ""}, // unary - in return -n
		{14, 16, ""}, // < in i < n
	} {
		got, err := unmappedKind(path, tc.line, tc.col)
		if err != nil || got != tc.want {
			t.Errorf("%d:%d: %q, %v; want %q", tc.line, tc.col, got, err, tc.want)
		}
	}
}

// TestApply: each mutator replaces the operator at its position, and a
// position without that operator is an error.
func TestApply(t *testing.T) {
	for _, tc := range []struct {
		m    mutant
		want string // the changed line
	}{
		{mutant{"CONDITIONALS_BOUNDARY", "p.go", 9, 9}, "\tcase n >= limit:"},
		{mutant{"CONDITIONALS_NEGATION", "p.go", 11, 11}, "\tcase n%2 != 0:"},
		{mutant{"ARITHMETIC_BASE", "p.go", 3, 20}, "const limit = 1<<8 + 1"},
		{mutant{"ARITHMETIC_BASE", "p.go", 11, 8}, "\tcase n*2 == 0:"},
		{mutant{"INVERT_NEGATIVES", "p.go", 12, 10}, "\t\treturn +n"},
		{mutant{"INCREMENT_DECREMENT", "p.go", 14, 22}, "\tfor i := 0; i < n; i-- {"},
	} {
		out, err := apply([]byte(sample), tc.m)
		if err != nil {
			t.Errorf("%v: %v", tc.m, err)
			continue
		}
		if got := strings.Split(string(out), "\n")[tc.m.line-1]; got != tc.want {
			t.Errorf("%v: line %q, want %q", tc.m, got, tc.want)
		}
	}
	if _, err := apply([]byte(sample), mutant{"CONDITIONALS_BOUNDARY", "p.go", 3, 20}); err == nil {
		t.Error("CONDITIONALS_BOUNDARY on a '-': no error")
	}
}

// TestParseLine reads gremlins' NOT COVERED lines and nothing else.
func TestParseLine(t *testing.T) {
	m, ok := parseLine(" NOT COVERED CONDITIONALS_BOUNDARY at keygen.go:172:17")
	if !ok || m != (mutant{"CONDITIONALS_BOUNDARY", "keygen.go", 172, 17}) {
		t.Errorf("parsed %+v, %v", m, ok)
	}
	if _, ok := parseLine("      KILLED CONDITIONALS_BOUNDARY at keygen.go:172:17"); ok {
		t.Error("a KILLED line parsed as NOT COVERED")
	}
}

// TestRunSkipsFilesOutOfTheBuild: a mutant in a file the default build
// leaves out stays NOT COVERED: nothing is run or printed for it.
func TestRunSkipsFilesOutOfTheBuild(t *testing.T) {
	dir := t.TempDir()
	src := "//go:build purego\n\n" + sample
	if err := os.WriteFile(filepath.Join(dir, "p_purego.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	in := strings.NewReader(" NOT COVERED ARITHMETIC_BASE at p_purego.go:5:20\n")
	if err := run(dir, 10, in, &out); err != nil || out.Len() != 0 {
		t.Errorf("run: %v, printed %q; want nothing", err, out.String())
	}
}

// TestVerdicts: a passing package LIVED, a failing one KILLED, one that does
// not compile NOT VIABLE, and one whose test never ends TIMED OUT (by the
// test binary's own -timeout, so no binary is left running).
func TestVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four small modules (-short)")
	}
	for body, want := range map[string]string{
		"":                      "LIVED",
		`t.Fatal("no")`:         "KILLED",
		"undefined()":           "NOT VIABLE",
		"for {\n\t\t_ = t\n\t}": "TIMED OUT",
	} {
		dir := t.TempDir()
		files := map[string]string{
			"go.mod":    "module v\n\ngo 1.26\n",
			"v_test.go": "package v\n\nimport \"testing\"\n\nfunc TestV(t *testing.T) {\n\t" + body + "\n}\n",
		}
		for name, src := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		if got := test(dir, ".", 3*time.Second); got != want {
			t.Errorf("test body %q: %s, want %s", body, got, want)
		}
		if took := time.Since(start); took > 30*time.Second {
			t.Errorf("test body %q took %v: the test binary did not stop at its own timeout", body, took)
		}
	}
}
