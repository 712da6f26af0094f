package rsa

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedAssemblyCurrent runs each assembly generator (the
// //go:generate programs of nat_amd64.go and nat_ifma_amd64.go) in a
// temporary directory and insists that what it writes is byte for byte the
// committed .s file: a generator edited without go generate, or a .s file
// edited by hand, fails here (the issue 15 rule for generated assembly).
func TestGeneratedAssemblyCurrent(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH (%v): this test runs the assembly generators with it", err)
	}
	for _, g := range []struct{ generator, output string }{
		{"gen_adx_amd64.go", "nat_adx_amd64.s"},
		{"gen_ifma_amd64.go", "nat_ifma_amd64.s"},
	} {
		t.Run(g.generator, func(t *testing.T) {
			dir := t.TempDir()
			src, err := os.ReadFile(g.generator)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, g.generator), src, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(goTool, "run", g.generator)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=", "GOTOOLCHAIN=local")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go run %s: %v\n%s", g.generator, err, out)
			}
			got, err := os.ReadFile(filepath.Join(dir, g.output))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(g.output)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is not what %s writes: run go generate ./cipher/rsa/ and commit the result", g.output, g.generator)
			}
		})
	}
}
