package chacha20poly1305

import (
	"slices"
	"testing"
)

// TestForcePath: Implementation names the forced path, New fixes it in the
// AEAD, restore brings the default back, and a path the CPU lacks panics.
func TestForcePath(t *testing.T) {
	def := Implementation()
	if want := supportedPaths[len(supportedPaths)-1].String(); def != want {
		t.Fatalf("default Implementation() = %q, want the fastest, %q", def, want)
	}
	for _, p := range supportedPaths {
		restore := forcePath(p)
		if got := Implementation(); got != p.String() {
			t.Errorf("after forcePath(%v): Implementation() = %q", p, got)
		}
		a, _ := New(make([]byte, KeySize))
		if got := a.(*aead).path; got != p {
			t.Errorf("New under forcePath(%v) made an AEAD on %v", p, got)
		}
		restore()
	}
	if got := Implementation(); got != def {
		t.Errorf("after restore: Implementation() = %q, want %q", got, def)
	}
	for _, p := range []path{pathPortable, pathAVX2, pathAVX512} {
		if slices.Contains(supportedPaths, p) {
			continue
		}
		if catchPanic(func() { forcePath(p) }) == nil {
			t.Errorf("forcePath(%v) on a CPU or build without it did not panic", p)
		}
	}
	if _, err := NewWithImplementation(make([]byte, KeySize), "no-such-path"); err == nil {
		t.Error("NewWithImplementation accepted an unknown name")
	}
	if Implementations()[0] != "portable" {
		t.Errorf("Implementations() = %v, want portable first", Implementations())
	}
}

// TestImplementationOf: an AEAD from New reports the path it was made on;
// any other cipher.AEAD reports "".
func TestImplementationOf(t *testing.T) {
	for _, p := range supportedPaths {
		restore := forcePath(p)
		a, _ := New(make([]byte, KeySize))
		restore()
		if got := ImplementationOf(a); got != p.String() {
			t.Errorf("ImplementationOf(AEAD made on %v) = %q", p, got)
		}
	}
	if got := ImplementationOf(nil); got != "" {
		t.Errorf("ImplementationOf(nil) = %q, want \"\"", got)
	}
}
