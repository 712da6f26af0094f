package rsa

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"io"
	"math"
	"math/big"
	"slices"
	"sync"
	"testing"

	"pgregory.net/rapid"
)

// wycheproofHash maps a Wycheproof hash name to crypto.Hash.
func wycheproofHash(t *testing.T, name string) crypto.Hash {
	t.Helper()
	h, ok := map[string]crypto.Hash{
		"SHA-1": crypto.SHA1, "SHA-224": crypto.SHA224, "SHA-256": crypto.SHA256,
		"SHA-384": crypto.SHA384, "SHA-512": crypto.SHA512,
	}[name]
	if !ok {
		t.Fatalf("unexpected hash %q", name)
	}
	return h
}

// digestOf hashes msg with any hash the Wycheproof PSS files use (the tests
// may import SHA-1; the package does not).
func digestOf(h crypto.Hash, msg []byte) []byte {
	switch h {
	case crypto.SHA1:
		s := sha1.Sum(msg)
		return s[:]
	case crypto.SHA224:
		s := sha256.Sum224(msg)
		return s[:]
	}
	return hashFor(h, msg)
}

// pssSupported reports whether minitls's PSS takes h (for the digest or
// MGF1): SHA-256, SHA-384 and SHA-512, the hashes of TLS's rsa_pss_rsae_*.
func pssSupported(h crypto.Hash) bool {
	return h == crypto.SHA256 || h == crypto.SHA384 || h == crypto.SHA512
}

// TestWycheproofPSS runs every case of the Wycheproof RSASSA-PSS files
// through VerifyPSS with the group's hash, MGF1 hash and salt length, and
// compares the verdict with the file's. There are no "acceptable" cases.
//
// rsa_pss_misc_test.json (all valid) combines SHA-1, SHA-224, SHA-256,
// SHA-384 and SHA-512 for the digest and for MGF1 with salts of 0 to 64
// bytes. minitls implements PSS with SHA-256/384/512 only, so the cases
// that need SHA-1 or SHA-224 are pinned to ErrUnsupportedHash (Wycheproof's
// ParameterTest flag names exactly this restriction); every other
// combination, including a MGF1 hash distinct from the digest's, must
// verify.
//
// Where crypto/rsa can express the parameters (same hash in MGF1, a
// supported hash), its verdict must agree as well.
func TestWycheproofPSS(t *testing.T) {
	for _, name := range []string{
		"rsa_pss_2048_sha256_mgf1_32_test.json",
		"rsa_pss_2048_sha384_mgf1_48_test.json",
		"rsa_pss_3072_sha256_mgf1_32_test.json",
		"rsa_pss_4096_sha512_mgf1_64_test.json",
		"rsa_pss_misc_test.json",
	} {
		t.Run(name, func(t *testing.T) {
			f := loadWycheproof(t, name)
			counts := map[string]int{}
			for _, g := range f.TestGroups {
				h, mgfH := wycheproofHash(t, g.Sha), wycheproofHash(t, g.MgfSha)
				pub := &PublicKey{N: trimZeros(g.PublicKey.Modulus), E: g.PublicKey.PublicExponent.int()}
				opts := &PSSOptions{SaltLength: g.SLen, MGFHash: mgfH}
				if g.SLen == 0 {
					// PSSSaltLengthAuto: the only way to accept a zero-length
					// salt, as in crypto/rsa.
					opts.SaltLength = PSSSaltLengthAuto
				}
				for _, tc := range g.Tests {
					counts[tc.Result]++
					err := VerifyPSS(pub, h, digestOf(h, tc.Msg), tc.Sig, opts)
					switch {
					case !pssSupported(h) || !pssSupported(mgfH):
						counts["pinned: unsupported hash"]++
						if !errors.Is(err, ErrUnsupportedHash) {
							t.Errorf("tcId %d (%v, MGF1-%v, sLen %d): %v, want ErrUnsupportedHash", tc.TcID, h, mgfH, g.SLen, err)
						}
					case tc.Result == "valid":
						if err != nil {
							t.Errorf("tcId %d (%s, %v, MGF1-%v, sLen %d): %v, want success", tc.TcID, tc.Comment, h, mgfH, g.SLen, err)
						}
						// A valid signature also verifies when the salt
						// length is recovered from the encoding.
						auto := &PSSOptions{SaltLength: PSSSaltLengthAuto, MGFHash: mgfH}
						if err := VerifyPSS(pub, h, digestOf(h, tc.Msg), tc.Sig, auto); err != nil {
							t.Errorf("tcId %d (%s): with PSSSaltLengthAuto: %v, want success", tc.TcID, tc.Comment, err)
						}
					case tc.Result == "invalid":
						if !errors.Is(err, ErrVerification) {
							t.Errorf("tcId %d (%s, %v): %v, want ErrVerification", tc.TcID, tc.Comment, tc.Flags, err)
						}
					default:
						t.Fatalf("tcId %d: unexpected result %q", tc.TcID, tc.Result)
					}
					if pssSupported(h) && mgfH == h && g.SLen > 0 {
						errStd := rsa.VerifyPSS(stdPublic(pub), h, digestOf(h, tc.Msg), tc.Sig, &rsa.PSSOptions{SaltLength: g.SLen})
						if (err == nil) != (errStd == nil) {
							t.Errorf("tcId %d (%s): minitls %v, crypto/rsa %v", tc.TcID, tc.Comment, err, errStd)
						}
					}
				}
			}
			t.Logf("%s: %v", name, counts)
			if counts["acceptable"] != 0 || counts["valid"] == 0 {
				t.Errorf("unexpected result mix %v", counts)
			}
		})
	}
}

// oddKeys are crypto/rsa keys whose modulus length is not a multiple of
// eight bits: 1025 bits (emBits = 1024, so EM is one byte shorter than the
// signature) and 2047 bits (the top bit of EM must be cleared). Generated
// once per test binary.
var oddKeys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	gen := func(bits int) *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			panic(err)
		}
		return k
	}
	return gen(1025), gen(2047)
})

// drawPSSKey picks a key for the PSS property tests: the fixed 2048- and
// 3072-bit keys or one of the odd-sized ones.
func drawPSSKey(rt *rapid.T, t *testing.T) (*PrivateKey, *rsa.PrivateKey) {
	switch rapid.IntRange(0, 3).Draw(rt, "key") {
	case 0:
		k, _ := oddKeys()
		return fromStdPrivate(t, k), k
	case 1:
		_, k := oddKeys()
		return fromStdPrivate(t, k), k
	case 2:
		k := testKey(t, 3072)
		return k, stdPrivate(t, k)
	}
	k := testKey(t, 2048)
	return k, stdPrivate(t, k)
}

// drawSaltLength picks PSSSaltLengthAuto, PSSSaltLengthEqualsHash or an
// explicit length that fits the key.
func drawSaltLength(rt *rapid.T, k, hLen int) int {
	switch rapid.IntRange(0, 2).Draw(rt, "saltKind") {
	case 0:
		return PSSSaltLengthAuto
	case 1:
		return PSSSaltLengthEqualsHash
	}
	return rapid.IntRange(1, k-hLen-3).Draw(rt, "saltLen")
}

// TestPSSDifferential: our PSS signatures verify with crypto/rsa, crypto/rsa's
// verify here, and a corrupted signature gets the same verdict from both,
// for SHA-256/384/512, every kind of salt length, and moduli whose length is
// and is not a multiple of eight bits.
func TestPSSDifferential(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		priv, std := drawPSSKey(rt, t)
		h := rapid.SampledFrom([]crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}).Draw(rt, "hash")
		k := priv.Size()
		sLen := drawSaltLength(rt, k, h.Size())
		digest := hashFor(h, rapid.SliceOf(rapid.Byte()).Draw(rt, "msg"))
		opts := &PSSOptions{SaltLength: sLen}
		stdOpts := &rsa.PSSOptions{SaltLength: sLen}
		if emLen := (std.N.BitLen() + 6) / 8; sLen <= 0 && emLen < 2*h.Size()+2 {
			// A salt as long as the hash does not fit (SHA-512 with the
			// 1025-bit key): both refuse. (crypto/rsa's Auto would sign
			// with a shorter salt; ours always uses hLen.)
			if _, err := SignPSS(rand.Reader, priv, h, digest, opts); !errors.Is(err, ErrMessageTooLong) {
				rt.Fatalf("SignPSS with no room for the salt: %v, want ErrMessageTooLong", err)
			}
			if _, err := rsa.SignPSS(rand.Reader, std, h, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}); err == nil {
				rt.Fatal("crypto/rsa signs with no room for the salt")
			}
			return
		}

		sig, err := SignPSS(rand.Reader, priv, h, digest, opts)
		if err != nil {
			rt.Fatalf("SignPSS(%v, salt %d, %d-bit key): %v", h, sLen, std.N.BitLen(), err)
		}
		if err := rsa.VerifyPSS(&std.PublicKey, h, digest, sig, stdOpts); err != nil {
			rt.Fatalf("crypto/rsa rejects our signature (%v, salt %d, %d-bit key): %v", h, sLen, std.N.BitLen(), err)
		}
		stdSig, err := rsa.SignPSS(rand.Reader, std, h, digest, stdOpts)
		if err != nil {
			rt.Fatalf("crypto/rsa.SignPSS: %v", err)
		}
		if err := VerifyPSS(&priv.PublicKey, h, digest, stdSig, opts); err != nil {
			rt.Fatalf("we reject crypto/rsa's signature (%v, salt %d, %d-bit key): %v", h, sLen, std.N.BitLen(), err)
		}

		// Corrupt one byte of either signature.
		bad := bytes.Clone(rapid.SampledFrom([][]byte{sig, stdSig}).Draw(rt, "which"))
		i := rapid.IntRange(0, k-1).Draw(rt, "pos")
		bad[i] ^= byte(rapid.IntRange(1, 255).Draw(rt, "xor"))
		errOurs := VerifyPSS(&priv.PublicKey, h, digest, bad, opts)
		errStd := rsa.VerifyPSS(&std.PublicKey, h, digest, bad, stdOpts)
		if (errOurs == nil) != (errStd == nil) {
			rt.Fatalf("corrupted signature: ours %v, crypto/rsa %v", errOurs, errStd)
		}
		if errOurs != nil && !errors.Is(errOurs, ErrVerification) {
			rt.Fatalf("corrupted signature: %v is not ErrVerification", errOurs)
		}
	})
}

// TestSignPSSSaltLength pins the salt length each option signs with: the
// hash length for PSSSaltLengthAuto and PSSSaltLengthEqualsHash (RFC 8446
// §4.2.3 for TLS; FIPS 186-5 §5.4 asks for sLen <= hLen), the given length
// otherwise, read back from the encoded message with the public key.
func TestSignPSSSaltLength(t *testing.T) {
	priv := testKey(t, 2048)
	std := stdPrivate(t, priv)
	for _, c := range []struct {
		opts *PSSOptions
		want int
	}{
		{nil, 32},
		{&PSSOptions{SaltLength: PSSSaltLengthAuto}, 32},
		{&PSSOptions{SaltLength: PSSSaltLengthEqualsHash}, 32},
		{&PSSOptions{SaltLength: 20}, 20},
		{&PSSOptions{SaltLength: 256 - 32 - 2}, 222},
	} {
		digest := hashFor(crypto.SHA256, []byte("salt"))
		sig, err := SignPSS(rand.Reader, priv, crypto.SHA256, digest, c.opts)
		if err != nil {
			t.Fatalf("%+v: %v", c.opts, err)
		}
		if err := rsa.VerifyPSS(&std.PublicKey, crypto.SHA256, digest, sig, &rsa.PSSOptions{SaltLength: c.want}); err != nil {
			t.Errorf("%+v: does not verify with a %d-byte salt: %v", c.opts, c.want, err)
		}
	}
	// Two signatures of one digest differ: the salt is random.
	d := hashFor(crypto.SHA256, nil)
	a, _ := SignPSS(rand.Reader, priv, crypto.SHA256, d, nil)
	b, _ := SignPSS(rand.Reader, priv, crypto.SHA256, d, nil)
	if bytes.Equal(a, b) {
		t.Error("two PSS signatures of the same digest are equal: the salt is not random")
	}
}

// TestPSSErrors covers the refusals: unsupported hashes (SHA-1 for the
// digest or for MGF1), a digest of the wrong length, a negative salt length,
// a salt too long for the key, a failing random source, and signatures of
// the wrong length or not below n.
func TestPSSErrors(t *testing.T) {
	priv := testKey(t, 2048)
	pub := &priv.PublicKey
	d256 := hashFor(crypto.SHA256, []byte("x"))
	k := priv.Size()
	for _, c := range []struct {
		name   string
		hash   crypto.Hash
		digest []byte
		opts   *PSSOptions
		want   error
	}{
		{"SHA-1 digest", crypto.SHA1, make([]byte, 20), nil, ErrUnsupportedHash},
		{"SHA-1 in MGF1", crypto.SHA256, d256, &PSSOptions{MGFHash: crypto.SHA1}, ErrUnsupportedHash},
		{"short digest", crypto.SHA256, d256[:31], nil, ErrUnsupportedHash},
		{"salt length -2", crypto.SHA256, d256, &PSSOptions{SaltLength: -2}, ErrSaltLength},
	} {
		if _, err := SignPSS(rand.Reader, priv, c.hash, c.digest, c.opts); !errors.Is(err, c.want) {
			t.Errorf("SignPSS, %s: %v, want %v", c.name, err, c.want)
		}
		if err := VerifyPSS(pub, c.hash, c.digest, make([]byte, k), c.opts); !errors.Is(err, c.want) {
			t.Errorf("VerifyPSS, %s: %v, want %v", c.name, err, c.want)
		}
	}
	// emLen = 256 < hLen + sLen + 2 = 32 + 223 + 2; and salt lengths that
	// would overflow the sum or exhaust memory if allocated first
	// (MaxInt >> 20: 8 TiB on 64-bit platforms).
	valid, err := SignPSS(rand.Reader, priv, crypto.SHA256, d256, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, sLen := range []int{223, math.MaxInt >> 20, math.MaxInt - 1, math.MaxInt} {
		if _, err := SignPSS(rand.Reader, priv, crypto.SHA256, d256, &PSSOptions{SaltLength: sLen}); !errors.Is(err, ErrMessageTooLong) {
			t.Errorf("SignPSS, %d-byte salt: %v, want ErrMessageTooLong", sLen, err)
		}
		if err := VerifyPSS(pub, crypto.SHA256, d256, valid, &PSSOptions{SaltLength: sLen}); !errors.Is(err, ErrVerification) {
			t.Errorf("VerifyPSS, %d-byte salt: %v, want ErrVerification", sLen, err)
		}
	}
	if _, err := SignPSS(io.LimitReader(rand.Reader, 8), priv, crypto.SHA256, d256, nil); err == nil {
		t.Error("SignPSS with a random source that runs dry succeeded")
	}
	sig, err := SignPSS(rand.Reader, priv, crypto.SHA256, d256, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range [][]byte{nil, sig[1:], append(bytes.Clone(sig), 0), append([]byte{0}, sig...), priv.N, bytes.Repeat([]byte{0xff}, k)} {
		if err := VerifyPSS(pub, crypto.SHA256, d256, s, nil); !errors.Is(err, ErrVerification) {
			t.Errorf("signature of %d bytes: %v, want ErrVerification", len(s), err)
		}
	}
	if err := VerifyPSS(pub, crypto.SHA256, d256, sig, nil); err != nil {
		t.Errorf("the unmodified signature: %v", err)
	}
}

// TestPSSIntegerTooLarge: for a modulus of 8·m + 1 bits, EM has emLen = k - 1
// bytes, and RSAVP1's result must fit in it (I2OSP(m, emLen), rfc8017#8.1.2
// step 2c). A signature whose m is 0x01 || EM, for a valid EM, is invalid;
// dropping the top byte unchecked would accept it.
func TestPSSIntegerTooLarge(t *testing.T) {
	stdKey, _ := oddKeys()
	priv := fromStdPrivate(t, stdKey)
	digest := hashFor(crypto.SHA256, []byte("too large"))
	p, err := pssParameters(crypto.SHA256, digest, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.sLen = 32
	for try := 0; ; try++ {
		salt := make([]byte, 32)
		rand.Read(salt)
		em := emsaPSSEncode(p, digest, salt, 1024)
		m := new(big.Int).SetBytes(append([]byte{1}, em...))
		if m.Cmp(stdKey.N) >= 0 {
			if try > 1000 {
				t.Fatal("no EM below n - 2^1024 in 1000 tries")
			}
			continue // 0x01 || EM must still be below n
		}
		sig := new(big.Int).Exp(m, stdKey.D, stdKey.N).FillBytes(make([]byte, priv.Size()))
		if err := VerifyPSS(&priv.PublicKey, crypto.SHA256, digest, sig, nil); !errors.Is(err, ErrVerification) {
			t.Fatalf("m = 0x01 || EM accepted: %v", err)
		}
		// The same EM without the extra top byte is a valid signature.
		good := new(big.Int).Exp(new(big.Int).SetBytes(em), stdKey.D, stdKey.N).FillBytes(make([]byte, priv.Size()))
		if err := VerifyPSS(&priv.PublicKey, crypto.SHA256, digest, good, nil); err != nil {
			t.Fatalf("the valid EM: %v", err)
		}
		return
	}
}

// TestSignerPSS: crypto.Signer selects PSS with *PSSOptions or crypto/rsa's
// PSSOptions (what crypto/tls passes), PKCS#1 v1.5 otherwise, and refuses nil
// PSS options, which name no hash.
func TestSignerPSS(t *testing.T) {
	priv := testKey(t, 2048)
	std := stdPrivate(t, priv)
	var signer crypto.Signer = priv
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		digest := hashFor(h, []byte("signer"))
		for _, opts := range []crypto.SignerOpts{
			&PSSOptions{Hash: h, SaltLength: PSSSaltLengthEqualsHash},
			&rsa.PSSOptions{Hash: h, SaltLength: rsa.PSSSaltLengthEqualsHash},
		} {
			sig, err := signer.Sign(rand.Reader, digest, opts)
			if err != nil {
				t.Fatalf("%T %v: %v", opts, h, err)
			}
			if err := rsa.VerifyPSS(&std.PublicKey, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}); err != nil {
				t.Errorf("%T %v: crypto/rsa rejects the PSS signature: %v", opts, h, err)
			}
			if err := VerifyPKCS1v15(&priv.PublicKey, h, digest, sig); err == nil {
				t.Errorf("%T %v: the PSS signature verifies as PKCS#1 v1.5", opts, h)
			}
		}
	}
	digest := hashFor(crypto.SHA256, nil)
	for _, opts := range []crypto.SignerOpts{(*PSSOptions)(nil), (*rsa.PSSOptions)(nil)} {
		if _, err := signer.Sign(rand.Reader, digest, opts); !errors.Is(err, ErrUnsupportedHash) {
			t.Errorf("nil %T: %v, want ErrUnsupportedHash", opts, err)
		}
	}
	// A verifier must not take a PKCS#1 v1.5 signature as PSS (Wycheproof's
	// WrongPrimitive, here with our own key).
	v15, err := signer.Sign(rand.Reader, digest, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyPSS(&priv.PublicKey, crypto.SHA256, digest, v15, nil); !errors.Is(err, ErrVerification) {
		t.Errorf("PKCS#1 v1.5 signature accepted as PSS: %v", err)
	}
	if !slices.Equal(digest, hashFor(crypto.SHA256, nil)) {
		t.Error("Sign modified the digest")
	}
}

// BenchmarkRSASignPSS and BenchmarkRSAVerifyPSS put RSASSA-PSS with SHA-256
// and a 32-byte salt (rsa_pss_rsae_sha256) beside crypto/rsa's, as
// BenchmarkRSASign does for PKCS#1 v1.5: the private operation is the same,
// PSS adds a salt draw, two hashes and MGF1.
func BenchmarkRSASignPSS(b *testing.B) {
	digest := hashFor(crypto.SHA256, []byte("benchmark"))
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			opts := &PSSOptions{SaltLength: PSSSaltLengthEqualsHash}
			measure(b, func() error { _, err := SignPSS(rand.Reader, priv, crypto.SHA256, digest, opts); return err })
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
			measure(b, func() error { _, err := rsa.SignPSS(rand.Reader, std, crypto.SHA256, digest, opts); return err })
		})
	}
}

func BenchmarkRSAVerifyPSS(b *testing.B) {
	digest := hashFor(crypto.SHA256, []byte("benchmark"))
	for _, bits := range []int{2048, 3072} {
		priv := testKey(b, bits)
		std := stdPrivate(b, priv)
		sig, err := SignPSS(rand.Reader, priv, crypto.SHA256, digest, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("minitls/"+itoa(bits), func(b *testing.B) {
			opts := &PSSOptions{SaltLength: PSSSaltLengthEqualsHash}
			measure(b, func() error { return VerifyPSS(&priv.PublicKey, crypto.SHA256, digest, sig, opts) })
		})
		b.Run("stdlib/"+itoa(bits), func(b *testing.B) {
			opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
			measure(b, func() error { return rsa.VerifyPSS(&std.PublicKey, crypto.SHA256, digest, sig, opts) })
		})
	}
}
