package ecdsa

import (
	"crypto/sha256"
	"crypto/sha512"
	"testing"
)

// TestWycheproofVerify runs every case of the Wycheproof ECDSA files for
// P-256/SHA-256 and P-384/SHA-384 (DER signatures) through VerifyASN1, case
// by case: valid ones verify, invalid ones (BER encodings, r or s out of
// range, edge-case arithmetic, wrong points) do not. A group whose public key
// NewPublicKey refuses would fail the test: every Wycheproof key is valid.
func TestWycheproofVerify(t *testing.T) {
	for _, tt := range []struct {
		file  string
		curve *Curve
		hash  func([]byte) []byte
	}{
		{"ecdsa_secp256r1_sha256_test.json", P256(), func(m []byte) []byte { h := sha256.Sum256(m); return h[:] }},
		{"ecdsa_secp384r1_sha384_test.json", P384(), func(m []byte) []byte { h := sha512.Sum384(m); return h[:] }},
	} {
		t.Run(tt.file, func(t *testing.T) {
			f := loadWycheproof(t, tt.file)
			counts := map[string]int{}
			for gi, g := range f.TestGroups {
				pub, err := NewPublicKey(tt.curve, g.PublicKey.Uncompressed)
				if err != nil {
					t.Fatalf("group %d: NewPublicKey(%x): %v", gi, g.PublicKey.Uncompressed, err)
				}
				for _, tc := range g.Tests {
					counts[tc.Result]++
					got := VerifyASN1(pub, tt.hash(tc.Msg), tc.Sig)
					switch tc.Result {
					case "valid":
						if !got {
							t.Errorf("tcId %d (%s): valid signature refused", tc.TcID, tc.Comment)
						}
					case "invalid":
						if got {
							t.Errorf("tcId %d (%s, %v): invalid signature accepted", tc.TcID, tc.Comment, tc.Flags)
						}
					default:
						t.Fatalf("tcId %d: result %q: the file has no acceptable cases", tc.TcID, tc.Result)
					}
				}
			}
			t.Logf("%s: %v", tt.file, counts)
			if counts["valid"] == 0 || counts["invalid"] == 0 {
				t.Errorf("unexpected result mix %v", counts)
			}
		})
	}
}
