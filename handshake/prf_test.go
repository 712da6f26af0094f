package handshake

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"hash"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// sharedTestdata finds ../shared/testdata beside the repository root (the
// directory holding go.mod). Missing data fails the test: the vectors are
// sharedTestdata is ../shared/testdata beside the repository, as CI lays it out.
// go test runs in the package directory, one level below the repository root.
// A missing directory fails the test: the vectors are part of the spec.
func sharedTestdata(t testing.TB) string {
	t.Helper()
	td := filepath.Join("..", "..", "shared", "testdata")
	if _, err := os.Stat(td); err != nil {
		t.Fatalf("test vectors missing: clone shared/ beside the repository: %v", err)
	}
	return td
}

type prfVector struct {
	ID        string `json:"id"`
	Hash      string `json:"hash"`
	Secret    string `json:"secret"`
	Label     string `json:"label"`
	LabelHex  string `json:"label_hex"`
	Seed      string `json:"seed"`
	OutputLen int    `json:"output_len"`
	Output    string `json:"output"`
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// referencePRF is an independent P_hash written straight from the RFC text,
// building every A(i) and output block with a fresh HMAC.
func referencePRF(h func() hash.Hash, secret []byte, label string, seed []byte, n int) []byte {
	labelSeed := append([]byte(label), seed...)
	mac := func(data ...[]byte) []byte {
		m := hmac.New(h, secret)
		for _, d := range data {
			m.Write(d)
		}
		return m.Sum(nil)
	}
	var out []byte
	a := labelSeed
	for len(out) < n {
		a = mac(a)
		out = append(out, mac(a, labelSeed)...)
	}
	return out[:n]
}

// TestPRFVectors runs every vector of ../shared/testdata/tls12prf.
func TestPRFVectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedTestdata(t), "tls12prf", "tls12_prf_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ Vectors []prfVector }
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) != 10 {
		t.Fatalf("%d vectors, the README lists 10", len(file.Vectors))
	}
	for _, v := range file.Vectors {
		t.Run(v.ID, func(t *testing.T) {
			var h func() hash.Hash
			switch v.Hash {
			case "SHA-256":
				h = sha256.New
			case "SHA-384":
				h = sha512.New384
			default:
				t.Fatalf("unknown hash %q", v.Hash)
			}
			if string(unhex(t, v.LabelHex)) != v.Label {
				t.Fatalf("label and label_hex disagree")
			}
			out := make([]byte, v.OutputLen)
			PRF(h, out, unhex(t, v.Secret), v.Label, unhex(t, v.Seed))
			if got := hex.EncodeToString(out); got != v.Output {
				t.Errorf("PRF = %s\nwant  %s", got, v.Output)
			}
			ref := referencePRF(h, unhex(t, v.Secret), v.Label, unhex(t, v.Seed), v.OutputLen)
			if hex.EncodeToString(ref) != v.Output {
				t.Errorf("reference PRF disagrees with the vector")
			}
			switch v.Label {
			case labelMasterSecret:
				seed := unhex(t, v.Seed)
				ms := MasterSecret(h, unhex(t, v.Secret), seed[:32], seed[32:])
				if hex.EncodeToString(ms) != v.Output {
					t.Errorf("MasterSecret = %x, want %s", ms, v.Output)
				}
			case labelKeyExpansion:
				seed := unhex(t, v.Seed) // server_random || client_random
				kb := KeyExpansion(h, unhex(t, v.Secret), seed[32:], seed[:32], 32, 32)
				if hex.EncodeToString(kb.Raw) != v.Output {
					t.Errorf("KeyExpansion = %x, want %s", kb.Raw, v.Output)
				}
				want := unhex(t, v.Output)
				got := append(append(append(append([]byte{}, kb.ClientKey...), kb.ServerKey...), kb.ClientIV...), kb.ServerIV...)
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("key block split (-want +got):\n%s", d)
				}
			}
		})
	}
}

// TestPRFMatchesReference compares PRF with the independent reference for
// random secrets, labels, seeds and lengths, with both hashes.
func TestPRFMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := sha256.New
		if rapid.Bool().Draw(t, "sha384") {
			h = sha512.New384
		}
		secret := genBytes(0, 100).Draw(t, "secret")
		label := rapid.String().Draw(t, "label")
		seed := genBytes(0, 100).Draw(t, "seed")
		n := rapid.IntRange(0, 300).Draw(t, "n")
		out := make([]byte, n)
		PRF(h, out, secret, label, seed)
		if d := cmp.Diff(referencePRF(h, secret, label, seed, n), out, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("PRF differs from reference (-want +got):\n%s", d)
		}
	})
}

func TestKeyScheduleLabels(t *testing.T) {
	pre := make([]byte, 48)
	cr, sr := make([]byte, 32), make([]byte, 32)
	for i := range cr {
		cr[i], sr[i] = byte(i), byte(0x80+i)
	}
	if d := cmp.Diff(referencePRF(sha256.New, pre, "master secret", append(append([]byte{}, cr...), sr...), 48),
		MasterSecret(sha256.New, pre, cr, sr)); d != "" {
		t.Error(d)
	}
	sessionHash := sha256.Sum256([]byte("transcript"))
	if d := cmp.Diff(referencePRF(sha256.New, pre, "extended master secret", sessionHash[:], 48),
		ExtendedMasterSecret(sha256.New, pre, sessionHash[:])); d != "" {
		t.Error(d)
	}
	ms := MasterSecret(sha512.New384, pre, cr, sr)
	if d := cmp.Diff(referencePRF(sha512.New384, ms, "client finished", sessionHash[:], 12),
		VerifyData(sha512.New384, ms, labelClientFinished, sessionHash[:])); d != "" {
		t.Error(d)
	}
	kb := KeyExpansion(sha256.New, ms, cr, sr, 16, 4)
	ref := referencePRF(sha256.New, ms, "key expansion", append(append([]byte{}, sr...), cr...), 40)
	if d := cmp.Diff(ref, kb.Raw); d != "" {
		t.Error(d)
	}
	if len(kb.ClientKey) != 16 || len(kb.ServerIV) != 4 || kb.ServerIV[3] != ref[39] || kb.ClientIV[0] != ref[32] {
		t.Errorf("key block split wrong: %+v", kb)
	}
	if !verifyDataEqual(ref[:12], ref[:12]) || verifyDataEqual(ref[:12], ref[1:13]) || verifyDataEqual(ref[:12], ref[:11]) {
		t.Error("verifyDataEqual wrong")
	}
}

// BenchmarkPRF measures a key expansion's worth of PRF output (40 bytes from
// a 48-byte secret and 77-byte label+seed).
func BenchmarkPRF(b *testing.B) {
	secret, seed := make([]byte, 48), make([]byte, 64)
	out := make([]byte, 40)
	b.Run("minitls/SHA256-40B", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(out)))
		for b.Loop() {
			PRF(sha256.New, out, secret, labelKeyExpansion, seed)
		}
	})
	b.Run("stdlib/SHA256-40B", func(b *testing.B) {
		// The "stdlib" side is the straightforward HMAC-based reference
		// (crypto/tls does not export its PRF).
		b.ReportAllocs()
		b.SetBytes(int64(len(out)))
		for b.Loop() {
			referencePRF(sha256.New, secret, labelKeyExpansion, seed, len(out))
		}
	})
}
