// Command unmapped runs the mutants gremlins reports NOT COVERED only
// because Go's coverage profile cannot place them, and prints a verdict for
// each in gremlins' own format with RERUN in front.
//
// gremlins decides whether a mutant is covered by looking its position up
// in the package's coverage profile, and Go assigns no coverage counter to
// two kinds of expression: a constant (a const declaration's value, an
// array type's length) and a case condition of a switch, whose counter
// starts after the colon. Mutants there are never run, however often the
// tests pass through them (go-gremlins/gremlins#298; #299 proposes running
// them). This command reads gremlins' output on standard input, takes each
// NOT COVERED mutant that sits in one of those two places, applies it to a
// copy of the module, runs the package's tests and prints
//
//	RERUN KILLED CONDITIONALS_BOUNDARY at keygen.go:172:17 (case condition)
//
// with LIVED, TIMED OUT or NOT VIABLE (it does not compile) in place of
// KILLED. Other NOT COVERED mutants (code no test reaches, and files the
// default build leaves out) are left as they are. make mutate runs it after gremlins and counts its verdicts like
// gremlins' own.
//
//	go run ./internal/unmapped -pkg ./cipher/rsa < gremlins.log
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// mutant is one line of gremlins' output.
type mutant struct {
	mutator   string
	file      string // relative to the package directory
	line, col int
}

func (m mutant) String() string {
	return fmt.Sprintf("%s at %s:%d:%d", m.mutator, m.file, m.line, m.col)
}

var notCovered = regexp.MustCompile(`^\s*NOT COVERED (\S+) at (\S+):(\d+):(\d+)\s*$`)

// replacements are gremlins v0.6.0's mutators: the operator at a mutant's
// position and what it becomes.
var replacements = map[string]map[string]string{
	"CONDITIONALS_BOUNDARY": {"<": "<=", "<=": "<", ">": ">=", ">=": ">"},
	"CONDITIONALS_NEGATION": {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"},
	"ARITHMETIC_BASE":       {"+": "-", "-": "+", "*": "/", "/": "*", "%": "*"},
	"INVERT_NEGATIVES":      {"-": "+"},
	"INCREMENT_DECREMENT":   {"++": "--", "--": "++"},
}

func main() {
	pkg := flag.String("pkg", "", "the package gremlins ran on, as ./dir")
	coefficient := flag.Int("timeout-coefficient", 10, "a mutant's test run may take this many times the unmutated run")
	flag.Parse()
	if *pkg == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/unmapped -pkg ./dir [-timeout-coefficient N] < gremlins-output")
		os.Exit(2)
	}
	if err := run(*pkg, *coefficient, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "unmapped:", err)
		os.Exit(1)
	}
}

func run(pkg string, coefficient int, in io.Reader, out io.Writer) error {
	dir := filepath.Clean(strings.TrimPrefix(pkg, "./"))
	var todo []mutant
	var kinds []string
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		m, ok := parseLine(sc.Text())
		if !ok {
			continue
		}
		// A file the default build leaves out (purego, another
		// architecture) is not covered because no test compiles it.
		if built, err := build.Default.MatchFile(dir, m.file); err != nil || !built {
			continue
		}
		kind, err := unmappedKind(filepath.Join(dir, m.file), m.line, m.col)
		if err != nil {
			return err
		}
		if kind != "" {
			todo, kinds = append(todo, m), append(kinds, kind)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(todo) == 0 {
		return nil
	}
	tmp, err := os.MkdirTemp("", "unmapped-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := copyModule(".", tmp); err != nil {
		return err
	}
	start := time.Now()
	if verdict := test(tmp, pkg, time.Hour); verdict != "LIVED" {
		return fmt.Errorf("the tests of %s do not pass unmutated (%s)", pkg, verdict)
	}
	timeout := time.Duration(coefficient) * time.Since(start)
	for i, m := range todo {
		verdict, err := runMutant(tmp, pkg, dir, m, timeout)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%12s %s (%s)\n", "RERUN "+verdict, m, kinds[i])
	}
	return nil
}

func parseLine(s string) (mutant, bool) {
	f := notCovered.FindStringSubmatch(s)
	if f == nil {
		return mutant{}, false
	}
	var m mutant
	m.mutator, m.file = f[1], f[2]
	fmt.Sscan(f[3], &m.line)
	fmt.Sscan(f[4], &m.col)
	return m, true
}

// unmappedKind says whether the position is one Go's coverage cannot map:
// "constant" inside a const declaration or an array length, "case
// condition" in a case clause's list; "" otherwise.
func unmappedKind(path string, line, col int) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return "", err
	}
	tf := fset.File(f.Pos())
	if line < 1 || line > tf.LineCount() {
		return "", fmt.Errorf("%s has no line %d", path, line)
	}
	pos := tf.LineStart(line) + token.Pos(col-1)
	kind := ""
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		if pos < n.Pos() || pos >= n.End() {
			return false
		}
		if len(stack) > 0 {
			switch p := stack[len(stack)-1].(type) {
			case *ast.GenDecl:
				if p.Tok == token.CONST && kind == "" {
					kind = "constant"
				}
			case *ast.ArrayType:
				if n == p.Len && kind == "" {
					kind = "constant"
				}
			case *ast.CaseClause:
				for _, e := range p.List {
					if n == e && kind == "" {
						kind = "case condition"
					}
				}
			}
		}
		stack = append(stack, n)
		return true
	})
	return kind, nil
}

// runMutant applies m to the copy, tests the package and puts the file back.
func runMutant(tmp, pkg, dir string, m mutant, timeout time.Duration) (string, error) {
	path := filepath.Join(tmp, dir, m.file)
	orig, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	mutated, err := apply(orig, m)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, mutated, 0o644); err != nil {
		return "", err
	}
	defer os.WriteFile(path, orig, 0o644)
	return test(tmp, pkg, timeout), nil
}

// apply replaces the operator at m's position as gremlins would.
func apply(src []byte, m mutant) ([]byte, error) {
	off, line := 0, 1
	for line < m.line {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return nil, fmt.Errorf("%v: no such line", m)
		}
		off, line = off+i+1, line+1
	}
	off += m.col - 1
	for _, n := range []int{2, 1} {
		if off+n > len(src) {
			continue
		}
		if to, ok := replacements[m.mutator][string(src[off:off+n])]; ok {
			return append(append(append([]byte(nil), src[:off]...), to...), src[off+n:]...), nil
		}
	}
	return nil, fmt.Errorf("%v: no %s operator there", m, m.mutator)
}

// test runs the package's tests in the module at dir: LIVED if they pass,
// KILLED if one fails, TIMED OUT, or NOT VIABLE if the package does not
// build.
//
// The test binary gets the timeout itself (go test -timeout), so it ends on
// its own: killing go test alone would leave it running. The context is a
// backstop for a build that hangs.
func test(dir, pkg string, timeout time.Duration) string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-failfast", "-vet=off", "-ldflags=-w", "-timeout", timeout.String(), pkg)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	switch {
	case ctx.Err() != nil || bytes.Contains(out, []byte("panic: test timed out after")):
		return "TIMED OUT"
	case err == nil:
		return "LIVED"
	case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
		return "NOT VIABLE"
	}
	return "KILLED"
}

// copyModule copies the module at src to dst, without .git and test binaries.
func copyModule(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, path)
		switch {
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular() || strings.HasSuffix(path, ".test"):
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
