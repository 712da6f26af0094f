package rsa

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"errors"
	"slices"
	"testing"
)

// TestWycheproofPKCS1Decrypt runs every case of the Wycheproof RSAES-PKCS1-v1_5
// decryption files through DecryptPKCS1v15 and DecryptPKCS1v15SessionKey.
// The files have no "acceptable" cases.
func TestWycheproofPKCS1Decrypt(t *testing.T) {
	for _, bits := range []int{2048, 3072, 4096} {
		name := "rsa_pkcs1_" + itoa(bits) + "_test.json"
		t.Run(name, func(t *testing.T) {
			f := loadWycheproof(t, name)
			counts := map[string]int{}
			for gi, g := range f.TestGroups {
				priv, err := privateKeyFromWycheproof(t, g.PrivateKey)
				if err != nil {
					t.Fatalf("group %d: NewPrivateKey: %v", gi, err)
				}
				for _, tc := range g.Tests {
					counts[tc.Result]++
					checkDecryptCase(t, priv, tc)
				}
			}
			t.Logf("%s: %v", name, counts)
			if counts["acceptable"] != 0 || counts["valid"] == 0 || counts["invalid"] == 0 {
				t.Errorf("unexpected result mix %v", counts)
			}
		})
	}
}

func checkDecryptCase(t *testing.T, priv *PrivateKey, tc wpTest) {
	t.Helper()
	got, err := DecryptPKCS1v15(rand.Reader, priv, tc.Ct)
	switch tc.Result {
	case "valid":
		if err != nil || !bytes.Equal(got, tc.Msg) {
			t.Errorf("tcId %d (%s): DecryptPKCS1v15 = %x, %v; want %x", tc.TcID, tc.Comment, got, err, tc.Msg)
		}
	case "invalid":
		if !errors.Is(err, ErrDecryption) || got != nil {
			t.Errorf("tcId %d (%s, %v): DecryptPKCS1v15 = %x, %v; want ErrDecryption", tc.TcID, tc.Comment, tc.Flags, got, err)
		}
	default:
		t.Fatalf("tcId %d: unexpected result %q", tc.TcID, tc.Result)
	}

	// The TLS form: the key is replaced only for a valid case, and every
	// padding failure looks the same (nil error, key untouched). Only a
	// ciphertext that is malformed as a number (wrong length, >= n) may give
	// an error, since anyone can check that.
	keyLen := len(tc.Msg)
	if keyLen == 0 || keyLen > priv.Size()-11 {
		keyLen = 16
	}
	initial := make([]byte, keyLen)
	rand.Read(initial)
	key := bytes.Clone(initial)
	err = DecryptPKCS1v15SessionKey(rand.Reader, priv, tc.Ct, key)
	publicBad := slices.Contains(tc.Flags, "InvalidCiphertextFormat") || len(tc.Ct) != priv.Size() || bytes.Compare(tc.Ct, priv.N) >= 0
	switch {
	case err != nil && !publicBad:
		t.Errorf("tcId %d (%s): DecryptPKCS1v15SessionKey error %v for a well-formed ciphertext", tc.TcID, tc.Comment, err)
	case err != nil && !errors.Is(err, ErrDecryption):
		t.Errorf("tcId %d (%s): DecryptPKCS1v15SessionKey error %v, want ErrDecryption", tc.TcID, tc.Comment, err)
	case tc.Result == "valid" && len(tc.Msg) == keyLen && !bytes.Equal(key, tc.Msg):
		t.Errorf("tcId %d (%s): session key %x, want %x", tc.TcID, tc.Comment, key, tc.Msg)
	case (tc.Result == "invalid" || len(tc.Msg) != keyLen) && !bytes.Equal(key, initial):
		t.Errorf("tcId %d (%s): session key was overwritten for an invalid case", tc.TcID, tc.Comment)
	}
}

// TestWycheproofPKCS1Verify runs every case of the Wycheproof RSASSA-PKCS1-v1_5
// verification files. The one "acceptable" case per file (tcId 8,
// MissingNull: DigestInfo without the NULL parameters) is deliberately
// rejected: we compare against the one encoding RFC 8017 §9.2 prescribes, as
// crypto/rsa does, and the test pins that choice.
func TestWycheproofPKCS1Verify(t *testing.T) {
	for _, name := range []string{
		"rsa_signature_2048_sha256_test.json",
		"rsa_signature_2048_sha384_test.json",
		"rsa_signature_3072_sha256_test.json",
		"rsa_signature_3072_sha384_test.json",
	} {
		t.Run(name, func(t *testing.T) {
			f := loadWycheproof(t, name)
			counts := map[string]int{}
			for gi, g := range f.TestGroups {
				var h crypto.Hash
				switch g.Sha {
				case "SHA-256":
					h = crypto.SHA256
				case "SHA-384":
					h = crypto.SHA384
				default:
					t.Fatalf("group %d: unexpected hash %q", gi, g.Sha)
				}
				pub := &PublicKey{N: trimZeros(g.PublicKey.Modulus), E: g.PublicKey.PublicExponent.int()}
				for _, tc := range g.Tests {
					counts[tc.Result]++
					err := VerifyPKCS1v15(pub, h, hashFor(h, tc.Msg), tc.Sig)
					switch tc.Result {
					case "valid":
						if err != nil {
							t.Errorf("tcId %d (%s, e=%d): %v, want success", tc.TcID, tc.Comment, pub.E, err)
						}
					case "invalid":
						if !errors.Is(err, ErrVerification) {
							t.Errorf("tcId %d (%s, %v): %v, want ErrVerification", tc.TcID, tc.Comment, tc.Flags, err)
						}
					case "acceptable":
						// Pinned: rejected (see the doc comment).
						if !slices.Contains(tc.Flags, "MissingNull") {
							t.Errorf("tcId %d: an acceptable case we did not expect (%v)", tc.TcID, tc.Flags)
						}
						if !errors.Is(err, ErrVerification) {
							t.Errorf("tcId %d (MissingNull): %v; minitls rejects DigestInfo without NULL", tc.TcID, err)
						}
						t.Logf("tcId %d (acceptable, %v): rejected as pinned", tc.TcID, tc.Flags)
					default:
						t.Fatalf("tcId %d: unexpected result %q", tc.TcID, tc.Result)
					}
				}
			}
			t.Logf("%s: %v", name, counts)
		})
	}
}
