package impl

import (
	"slices"
	"testing"
)

// TestSupportedOrder: Portable always runs, comes first, and Best is the last
// (fastest) entry; a path is only listed with the ones it builds on.
func TestSupportedOrder(t *testing.T) {
	s := Supported()
	if len(s) == 0 || s[0] != Portable {
		t.Fatalf("Supported() = %v, want Portable first", s)
	}
	if Best() != s[len(s)-1] {
		t.Fatalf("Best() = %v, want the last of %v", Best(), s)
	}
	if !slices.IsSorted(s) {
		t.Fatalf("Supported() = %v is not slowest-first", s)
	}
	if slices.Contains(s, VAES512) && !slices.Contains(s, AESNI) {
		t.Fatalf("Supported() = %v lists VAES512 without AESNI", s)
	}
	s[0] = VAES512 // the caller's copy: the package's list must not change
	if Supported()[0] != Portable {
		t.Fatal("Supported returned the package's own slice")
	}
}

// TestForceRestores: Force changes Current and the returned function puts
// back the previous choice; ForEach visits every supported path in order and
// leaves Current as it found it.
func TestForceRestores(t *testing.T) {
	before := Current()
	if before != Best() {
		t.Fatalf("Current() = %v at start, want Best() = %v", before, Best())
	}
	restore := Force(Portable)
	if Current() != Portable {
		t.Fatalf("after Force(Portable), Current() = %v", Current())
	}
	restore()
	if Current() != before {
		t.Fatalf("after restore, Current() = %v, want %v", Current(), before)
	}

	var seen []Path
	ForEach(func(p Path) {
		if Current() != p {
			t.Errorf("inside ForEach(%v), Current() = %v", p, Current())
		}
		seen = append(seen, p)
	})
	if !slices.Equal(seen, Supported()) {
		t.Fatalf("ForEach visited %v, want %v", seen, Supported())
	}
	if Current() != before {
		t.Fatalf("after ForEach, Current() = %v, want %v", Current(), before)
	}
}

// TestForceUnsupportedPanics: forcing a path the CPU cannot run must fail
// loudly rather than let a test believe it exercised that path.
func TestForceUnsupportedPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Force(Path(200)) did not panic")
		}
		if Current() != Best() {
			t.Fatalf("a refused Force changed Current() to %v", Current())
		}
	}()
	Force(Path(200))
}

// TestNames: the short names are stable (bench -json and test names use
// them) and every path describes itself.
func TestNames(t *testing.T) {
	want := map[Path]string{Portable: "portable", AESNI: "aesni", VAES512: "vaes-avx512"}
	for p, name := range want {
		if p.String() != name {
			t.Errorf("%d.String() = %q, want %q", p, p.String(), name)
		}
		if p.Describe() == "" || p.Describe() == p.String() {
			t.Errorf("%v.Describe() = %q, want a description", p, p.Describe())
		}
	}
	if got := Path(200).String(); got != "Path(200)" {
		t.Errorf("Path(200).String() = %q", got)
	}
}
