package fuzz

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"testing"

	mrsa "minitls/cipher/rsa"
)

// FuzzRSAPSSVerify checks that for an arbitrary signature and message under
// the fixed RSA-1024 key of FuzzRSAVerify, minitls's VerifyPSS accepts
// exactly when crypto/rsa.VerifyPSS does, and that every rejection is
// ErrVerification. hashSel picks SHA-256, -384 or -512; saltSel - 1 is the
// salt length: -1 PSSSaltLengthEqualsHash, 0 PSSSaltLengthAuto (any salt
// length, recovered from the encoding), 1 to 254 an exact length, including
// lengths that do not fit the key (SHA-512 with a 64-byte salt needs 130
// bytes; the key has 128).
//
// spec: rfc8017#8.1.2, rfc8017#9.1.2
func FuzzRSAPSSVerify(f *testing.F) {
	ours, _ := fuzzRSAKeys()
	hashes := []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}
	for i, msg := range []string{"", "hello", "minitls"} {
		for _, saltSel := range []uint8{0, 1, 21} {
			opts := &mrsa.PSSOptions{SaltLength: int(saltSel) - 1}
			if hashes[i] == crypto.SHA512 && saltSel != 21 {
				opts.SaltLength = 32 // a 64-byte salt does not fit RSA-1024
			}
			sig, err := mrsa.SignPSS(fixedRandom(), ours, hashes[i], fuzzDigest(hashes[i], []byte(msg)), opts)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(i), saltSel, []byte(msg), sig)
		}
	}
	v15, err := mrsa.SignPKCS1v15(fixedRandom(), ours, crypto.SHA256, fuzzDigest(crypto.SHA256, []byte("x")))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(0), uint8(0), []byte("x"), v15)
	f.Add(uint8(0), uint8(1), []byte("x"), []byte{})
	f.Add(uint8(2), uint8(1), []byte("x"), ours.N)
	f.Fuzz(func(t *testing.T, hashSel, saltSel uint8, msg, sig []byte) {
		ours, std := fuzzRSAKeys()
		h := hashes[int(hashSel)%len(hashes)]
		digest := fuzzDigest(h, msg)
		sLen := int(saltSel) - 1
		err := mrsa.VerifyPSS(&ours.PublicKey, h, digest, sig, &mrsa.PSSOptions{SaltLength: sLen})
		errStd := rsa.VerifyPSS(&std.PublicKey, h, digest, sig, &rsa.PSSOptions{SaltLength: sLen})
		if (err == nil) != (errStd == nil) {
			t.Fatalf("verdicts differ (%v, salt length %d, %d-byte signature): minitls %v, crypto/rsa %v", h, sLen, len(sig), err, errStd)
		}
		if err != nil && !errors.Is(err, mrsa.ErrVerification) {
			t.Fatalf("error %v is not ErrVerification", err)
		}
	})
}
