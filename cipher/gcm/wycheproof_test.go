package gcm

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

type wycheproofAEADFile struct {
	Algorithm     string `json:"algorithm"`
	NumberOfTests int    `json:"numberOfTests"`
	TestGroups    []struct {
		KeySize int `json:"keySize"`
		IVSize  int `json:"ivSize"`
		TagSize int `json:"tagSize"`
		Tests   []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Key     string   `json:"key"`
			IV      string   `json:"iv"`
			AAD     string   `json:"aad"`
			Msg     string   `json:"msg"`
			CT      string   `json:"ct"`
			Tag     string   `json:"tag"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestWycheproof runs every case of Wycheproof's aes_gcm_test.json against
// both block-cipher code paths and asserts an outcome for each one:
//
//   - ivSize 96 and tagSize 128 (what we support), result "valid": Seal must
//     give exactly ct||tag and Open must give back msg.
//   - same sizes, result "invalid": Open must fail with ErrOpen, return nil
//     and leave zeros in the output region of dst.
//   - any other ivSize/tagSize: NewWithSizes must refuse it with a *SizeError
//     that wraps ErrNonceSize/ErrTagSize as appropriate. That includes the six
//     ZeroLengthIv "invalid" cases, which are thereby rejected too.
//   - result "acceptable": the file has none today, but the README says how a
//     test must treat them, and we pin it here so a future snapshot cannot
//     slip through unexamined: either outcome is allowed, but a successful Open
//     must return msg, and which path was taken is counted and logged.
//
// The number of cases handled must equal numberOfTests.
func TestWycheproof(t *testing.T) {
	path := filepath.Join(testdataDir(t), "wycheproof", "aes_gcm_test.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f wycheproofAEADFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if f.Algorithm != "AES-GCM" {
		t.Fatalf("algorithm %q, want AES-GCM", f.Algorithm)
	}
	for _, impl := range blockImpls {
		t.Run(impl.name, func(t *testing.T) {
			var valid, invalid, sizeRefused, acceptOK, acceptRejected, total int
			for _, g := range f.TestGroups {
				for _, tc := range g.Tests {
					total++
					key, iv, aad := mustHex(t, tc.Key), mustHex(t, tc.IV), mustHex(t, tc.AAD)
					msg, ct, tag := mustHex(t, tc.Msg), mustHex(t, tc.CT), mustHex(t, tc.Tag)
					if len(key)*8 != g.KeySize || len(iv)*8 != g.IVSize || len(tag)*8 != g.TagSize {
						t.Fatalf("tcId %d: lengths disagree with the group's sizes", tc.TcID)
					}
					b, err := impl.new(key)
					if err != nil {
						t.Fatalf("tcId %d: NewCipher: %v", tc.TcID, err)
					}
					aead, err := NewWithSizes(b, g.IVSize/8, g.TagSize/8)
					if g.IVSize != 96 || g.TagSize != 128 {
						var se *SizeError
						if !errors.As(err, &se) {
							t.Errorf("tcId %d (iv %d bits, tag %d bits): NewWithSizes err = %v, want *SizeError", tc.TcID, g.IVSize, g.TagSize, err)
							continue
						}
						if se.NonceSize != len(iv) || se.TagSize != len(tag) {
							t.Errorf("tcId %d: SizeError %+v does not carry the sizes asked for", tc.TcID, se)
						}
						if got, want := errors.Is(err, ErrNonceSize), g.IVSize != 96; got != want {
							t.Errorf("tcId %d: errors.Is(err, ErrNonceSize) = %v, want %v", tc.TcID, got, want)
						}
						if got, want := errors.Is(err, ErrTagSize), g.TagSize != 128; got != want {
							t.Errorf("tcId %d: errors.Is(err, ErrTagSize) = %v, want %v", tc.TcID, got, want)
						}
						sizeRefused++
						continue
					}
					if err != nil {
						t.Fatalf("tcId %d: NewWithSizes(12, 16): %v", tc.TcID, err)
					}
					sealed := append(append([]byte{}, ct...), tag...)
					switch tc.Result {
					case "valid":
						if got := aead.Seal(nil, iv, msg, aad); !bytes.Equal(got, sealed) {
							t.Errorf("tcId %d (%s): Seal = %x, want %x", tc.TcID, tc.Comment, got, sealed)
						}
						got, err := aead.Open(nil, iv, sealed, aad)
						if err != nil || !bytes.Equal(got, msg) {
							t.Errorf("tcId %d (%s): Open = %x, %v; want %x", tc.TcID, tc.Comment, got, err, msg)
						}
						valid++
					case "invalid":
						dst := make([]byte, 0, len(sealed))
						got, err := aead.Open(dst, iv, sealed, aad)
						if !errors.Is(err, ErrOpen) || got != nil {
							t.Errorf("tcId %d (%s, %v): Open = %x, %v; want nil, ErrOpen", tc.TcID, tc.Comment, tc.Flags, got, err)
						}
						if region := dst[:len(ct)]; !bytes.Equal(region, make([]byte, len(ct))) {
							t.Errorf("tcId %d: failed Open left %x in dst", tc.TcID, region)
						}
						invalid++
					case "acceptable":
						got, err := aead.Open(nil, iv, sealed, aad)
						if err == nil {
							if !bytes.Equal(got, msg) {
								t.Errorf("tcId %d: acceptable case opened to %x, want %x", tc.TcID, got, msg)
							}
							acceptOK++
						} else {
							acceptRejected++
						}
					default:
						t.Fatalf("tcId %d: unknown result %q", tc.TcID, tc.Result)
					}
				}
			}
			t.Logf("%d cases: %d valid matched, %d invalid rejected, %d refused by NewWithSizes (unsupported iv/tag size), acceptable: %d accepted, %d rejected",
				total, valid, invalid, sizeRefused, acceptOK, acceptRejected)
			if total != f.NumberOfTests {
				t.Errorf("handled %d cases, file says numberOfTests = %d", total, f.NumberOfTests)
			}
			if valid == 0 || invalid == 0 || sizeRefused == 0 {
				t.Errorf("an outcome class is empty; the vector file or the test is broken")
			}
		})
	}
}
