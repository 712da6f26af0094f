package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCertgenForceReplacesFiles: under -force every file is written anew
// and renamed into place, so a key file that existed with a looser mode
// ends up 0600, and a symlink at a key's path is replaced, never followed
// (the file it pointed to is untouched). Without -force a dangling symlink
// counts as an existing file.
func TestCertgenForceReplacesFiles(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(outside, []byte("not a key\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "server.key"), []byte("old key\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "server.key"), 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "ca.key")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "ca.pem")); err != nil {
		t.Fatal(err)
	}

	r := cliTestRun(t, nil, "certgen", "-dir", dir, "-host", "example.test")
	if r.code == 0 || !strings.Contains(r.stderr, filepath.Join(dir, "ca.pem")) {
		t.Errorf("certgen without -force over a dangling symlink: exit %d, %q", r.code, r.stderr)
	}

	r = cliTestRun(t, nil, "certgen", "-dir", dir, "-host", "example.test", "-force")
	if r.code != 0 {
		t.Fatalf("certgen -force: exit %d, %s", r.code, r.stderr)
	}
	for name, mode := range map[string]os.FileMode{"ca.pem": 0o644, "ca.key": 0o600, "server.pem": 0o644, "server.key": 0o600, "client.pem": 0o644} {
		p := filepath.Join(dir, name)
		st, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Mode().IsRegular() {
			t.Errorf("%s is %v after -force, want a regular file (a symlink must be replaced, not followed)", name, st.Mode().Type())
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s has mode %v after -force, want %v", name, st.Mode().Perm(), mode)
		}
		b, _ := os.ReadFile(p)
		want := "CERTIFICATE"
		if strings.HasSuffix(name, ".key") {
			want = "RSA PRIVATE KEY"
		}
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s does not hold a %s after -force", name, want)
		}
	}
	if b, _ := os.ReadFile(outside); string(b) != "not a key\n" {
		t.Errorf("certgen -force wrote through the ca.key symlink: the file it pointed to now holds %q", cliTestTail(string(b), 60))
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Errorf("certgen -force created the target of the dangling ca.pem symlink")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 6 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only the six files (no temporary left)", names)
	}
}
