package chacha20poly1305

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
			TcID    int    `json:"tcId"`
			Comment string `json:"comment"`
			Key     string `json:"key"`
			IV      string `json:"iv"`
			AAD     string `json:"aad"`
			Msg     string `json:"msg"`
			CT      string `json:"ct"`
			Tag     string `json:"tag"`
			Result  string `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestWycheproof runs every case of Wycheproof's chacha20_poly1305_test.json
// on every path and asserts an outcome for each:
//
//   - 96-bit nonce, "valid": Seal gives exactly ct||tag, Open gives msg back.
//   - 96-bit nonce, "invalid": Open fails with ErrOpen, returns nil and leaves
//     zeros where the plaintext would have gone.
//   - any other nonce size (the file's groups of 0 to 256 bits, all
//     "invalid"): Seal and Open panic, as crypto/cipher's AEADs do for a
//     nonce of the wrong length.
//   - "acceptable": none today; either outcome, but a successful Open must
//     give msg.
//
// The number of cases handled must equal numberOfTests.
func TestWycheproof(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(testdataDir(t), "wycheproof", "chacha20_poly1305_test.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f wycheproofAEADFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if f.Algorithm != "CHACHA20-POLY1305" {
		t.Fatalf("algorithm %q, want CHACHA20-POLY1305", f.Algorithm)
	}
	forEachPath(t, func(t *testing.T, p path) {
		var valid, invalid, nonceRefused, total int
		for _, g := range f.TestGroups {
			for _, tc := range g.Tests {
				total++
				key, iv, aad := mustHex(t, tc.Key), mustHex(t, tc.IV), mustHex(t, tc.AAD)
				msg, ct, tag := mustHex(t, tc.Msg), mustHex(t, tc.CT), mustHex(t, tc.Tag)
				a, err := New(key)
				if err != nil {
					t.Fatalf("tcId %d: New: %v", tc.TcID, err)
				}
				if len(iv) != NonceSize {
					if tc.Result != "invalid" {
						t.Fatalf("tcId %d: %d-byte nonce marked %q", tc.TcID, len(iv), tc.Result)
					}
					if catchPanic(func() { a.Seal(nil, iv, msg, aad) }) == nil ||
						catchPanic(func() { _, _ = a.Open(nil, iv, append(ct, tag...), aad) }) == nil {
						t.Errorf("tcId %d: %d-byte nonce did not panic", tc.TcID, len(iv))
					}
					nonceRefused++
					continue
				}
				sealed := append(append([]byte(nil), ct...), tag...)
				switch tc.Result {
				case "valid":
					if got := a.Seal(nil, iv, msg, aad); !bytes.Equal(got, sealed) {
						t.Errorf("tcId %d (%s): Seal = %x, want %x", tc.TcID, tc.Comment, got, sealed)
					}
					if got, err := a.Open(nil, iv, sealed, aad); err != nil || !bytes.Equal(got, msg) {
						t.Errorf("tcId %d (%s): Open = %x, %v", tc.TcID, tc.Comment, got, err)
					}
					valid++
				case "invalid":
					dst := make([]byte, 0, len(sealed))
					got, err := a.Open(dst, iv, sealed, aad)
					if !errors.Is(err, ErrOpen) || got != nil {
						t.Errorf("tcId %d (%s): Open = %x, %v; want ErrOpen", tc.TcID, tc.Comment, got, err)
					}
					if n := len(sealed) - TagSize; n > 0 && !bytes.Equal(dst[:n], make([]byte, n)) {
						t.Errorf("tcId %d: failed Open left plaintext bytes in dst", tc.TcID)
					}
					invalid++
				default:
					if got, err := a.Open(nil, iv, sealed, aad); err == nil && !bytes.Equal(got, msg) {
						t.Errorf("tcId %d: acceptable case opened to %x, want %x", tc.TcID, got, msg)
					}
				}
			}
		}
		if total != f.NumberOfTests {
			t.Errorf("ran %d cases, file has %d", total, f.NumberOfTests)
		}
		t.Logf("%d valid, %d invalid, %d wrong nonce sizes refused (of %d)", valid, invalid, nonceRefused, total)
	})
}
