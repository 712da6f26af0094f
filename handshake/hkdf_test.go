package handshake

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"hash"
	"os"
	"path/filepath"
	"testing"

	"pgregory.net/rapid"
)

// TestHKDFWycheproof runs the Wycheproof HKDF-SHA-256 and HKDF-SHA-384
// vectors (the first ones are RFC 5869's own test cases, "comment": "RFC
// 5869") through HKDFExtract and HKDFExpand; an "invalid" vector asks for
// more than 255·HashLen bytes, for which HKDFExpand returns nil.
//
// spec: rfc5869#2.2, rfc5869#2.3, rfc5869#A
func TestHKDFWycheproof(t *testing.T) {
	for _, c := range []struct {
		file    string
		newHash func() hash.Hash
	}{
		{"hkdf_sha256_test.json", sha256.New},
		{"hkdf_sha384_test.json", sha512.New384},
	} {
		data, err := os.ReadFile(filepath.Join(sharedTestdata(t), "wycheproof", c.file))
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			TestGroups []struct {
				Tests []struct {
					TcID                         int
					Comment                      string
					Ikm, Salt, Info, Okm, Result string
					Size                         int
				}
			}
		}
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		n, rfc := 0, 0
		for _, g := range f.TestGroups {
			for _, v := range g.Tests {
				dec := func(s string) []byte {
					b, err := hex.DecodeString(s)
					if err != nil {
						t.Fatalf("%s #%d: %v", c.file, v.TcID, err)
					}
					return b
				}
				got := HKDFExpand(c.newHash, HKDFExtract(c.newHash, dec(v.Salt), dec(v.Ikm)), dec(v.Info), v.Size)
				switch {
				case v.Result == "invalid" && got != nil:
					t.Errorf("%s #%d (%s): %d bytes for an invalid length, want nil", c.file, v.TcID, v.Comment, len(got))
				case v.Result != "invalid" && !bytes.Equal(got, dec(v.Okm)):
					t.Errorf("%s #%d (%s): got %x, want %s", c.file, v.TcID, v.Comment, got, v.Okm)
				}
				n++
				if v.Comment == "RFC 5869" {
					rfc++
				}
			}
		}
		if n < 50 || (c.file == "hkdf_sha256_test.json" && rfc < 3) {
			t.Errorf("%s: %d vectors, %d from RFC 5869 (A.1-A.3 are SHA-256); the file looks truncated", c.file, n, rfc)
		}
	}
}

// TestHKDFMatchesStdlib: for any inputs, HKDFExtract/HKDFExpand equal the
// standard library's crypto/hkdf (an oracle only in tests).
//
// spec: rfc5869#2
func TestHKDFMatchesStdlib(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		newHash := rapid.SampledFrom([]func() hash.Hash{sha256.New, sha512.New384}).Draw(t, "hash")
		ikm := rapid.SliceOf(rapid.Byte()).Draw(t, "ikm")
		salt := rapid.SliceOf(rapid.Byte()).Draw(t, "salt")
		info := rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "info")
		n := rapid.IntRange(1, 255*newHash().Size()).Draw(t, "length")
		want, err := hkdf.Key(newHash, ikm, salt, string(info), n)
		if err != nil {
			t.Fatal(err)
		}
		prk := HKDFExtract(newHash, salt, ikm)
		if got := HKDFExpand(newHash, prk, info, n); !bytes.Equal(got, want) {
			t.Fatalf("HKDF differs from crypto/hkdf:\n got %x\nwant %x", got, want)
		}
	})
}
