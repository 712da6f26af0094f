package rsa

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"io"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

var (
	_ crypto.Signer    = (*PrivateKey)(nil)
	_ crypto.Decrypter = (*PrivateKey)(nil)
)

// drawKey picks one of the fixed test keys (mostly 2048 bits, sometimes 3072).
func drawKey(t *rapid.T, tt *testing.T) *PrivateKey {
	if rapid.IntRange(0, 4).Draw(t, "use3072") == 0 {
		return testKey(tt, 3072)
	}
	return testKey(tt, 2048)
}

// TestEncryptDifferential: ours encrypts → crypto/rsa decrypts, crypto/rsa
// encrypts → ours decrypts, and a corrupted ciphertext gets the same verdict
// from both (practically always a rejection).
func TestEncryptDifferential(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		priv := drawKey(rt, t)
		std := stdPrivate(t, priv)
		k := priv.Size()
		msg := rapid.SliceOfN(rapid.Byte(), 0, k-11).Draw(rt, "msg")

		c, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, msg)
		if err != nil {
			rt.Fatalf("EncryptPKCS1v15: %v", err)
		}
		got, err := stdDecryptPKCS1v15(std, c)
		if err != nil {
			rt.Fatalf("crypto/rsa cannot decrypt our ciphertext: %v", err)
		}
		if d := cmp.Diff(msg, got); d != "" {
			rt.Fatalf("crypto/rsa decrypts ours differently:\n%s", d)
		}

		c2, err := stdEncryptPKCS1v15(&std.PublicKey, msg)
		if err != nil {
			rt.Fatal(err)
		}
		got, err = DecryptPKCS1v15(rand.Reader, priv, c2)
		if err != nil {
			rt.Fatalf("DecryptPKCS1v15 of a crypto/rsa ciphertext: %v", err)
		}
		if d := cmp.Diff(msg, got); d != "" {
			rt.Fatalf("we decrypt crypto/rsa's ciphertext differently:\n%s", d)
		}

		// Corrupt one byte.
		i := rapid.IntRange(0, k-1).Draw(rt, "pos")
		c2[i] ^= byte(rapid.IntRange(1, 255).Draw(rt, "xor"))
		ours, errOurs := DecryptPKCS1v15(nil, priv, c2)
		theirs, errStd := stdDecryptPKCS1v15(std, c2)
		if (errOurs == nil) != (errStd == nil) {
			rt.Fatalf("corrupted ciphertext: ours err=%v, crypto/rsa err=%v", errOurs, errStd)
		}
		if errOurs != nil && !errors.Is(errOurs, ErrDecryption) {
			rt.Fatalf("corrupted ciphertext: error %v is not ErrDecryption", errOurs)
		}
		if d := cmp.Diff(theirs, ours); d != "" {
			rt.Fatalf("corrupted ciphertext decrypts differently:\n%s", d)
		}
	})
}

// hashFor returns a digest of msg for a supported hash.
func hashFor(h crypto.Hash, msg []byte) []byte {
	switch h {
	case crypto.SHA256:
		s := sha256.Sum256(msg)
		return s[:]
	case crypto.SHA384:
		s := sha512.Sum384(msg)
		return s[:]
	default:
		s := sha512.Sum512(msg)
		return s[:]
	}
}

// TestSignDifferential: our signatures are byte-identical to crypto/rsa's
// (PKCS#1 v1.5 signing is deterministic), each side verifies the other's,
// and a corrupted signature or a different message is rejected by both.
func TestSignDifferential(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		priv := drawKey(rt, t)
		std := stdPrivate(t, priv)
		h := rapid.SampledFrom([]crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}).Draw(rt, "hash")
		msg := rapid.SliceOf(rapid.Byte()).Draw(rt, "msg")
		digest := hashFor(h, msg)

		sig, err := SignPKCS1v15(rand.Reader, priv, h, digest)
		if err != nil {
			rt.Fatalf("SignPKCS1v15: %v", err)
		}
		want, err := rsa.SignPKCS1v15(nil, std, h, digest)
		if err != nil {
			rt.Fatal(err)
		}
		if d := cmp.Diff(want, sig); d != "" {
			rt.Fatalf("signature differs from crypto/rsa's:\n%s", d)
		}
		if err := rsa.VerifyPKCS1v15(&std.PublicKey, h, digest, sig); err != nil {
			rt.Fatalf("crypto/rsa rejects our signature: %v", err)
		}
		if err := VerifyPKCS1v15(&priv.PublicKey, h, digest, want); err != nil {
			rt.Fatalf("we reject crypto/rsa's signature: %v", err)
		}

		bad := bytes.Clone(sig)
		i := rapid.IntRange(0, len(bad)-1).Draw(rt, "pos")
		bad[i] ^= byte(rapid.IntRange(1, 255).Draw(rt, "xor"))
		errOurs := VerifyPKCS1v15(&priv.PublicKey, h, digest, bad)
		errStd := rsa.VerifyPKCS1v15(&std.PublicKey, h, digest, bad)
		if !errors.Is(errOurs, ErrVerification) || errStd == nil {
			rt.Fatalf("corrupted signature: ours %v, crypto/rsa %v; both must reject", errOurs, errStd)
		}
		other := hashFor(h, append(msg, 0))
		if err := VerifyPKCS1v15(&priv.PublicKey, h, other, sig); !errors.Is(err, ErrVerification) {
			rt.Fatalf("signature verified for another message: %v", err)
		}
	})
}

// TestSessionKey: a valid ciphertext of len(key) bytes replaces key; bad
// padding and a wrong message length leave it unchanged, with the same nil
// error in every case.
func TestSessionKey(t *testing.T) {
	priv := testKey(t, 2048)
	std := stdPrivate(t, priv)
	k := priv.Size()
	rapid.Check(t, func(rt *rapid.T) {
		secret := rapid.SliceOfN(rapid.Byte(), 48, 48).Draw(rt, "secret")
		initial := rapid.SliceOfN(rapid.Byte(), 48, 48).Draw(rt, "initial")
		var c []byte
		var wantReplaced bool
		switch kind := rapid.IntRange(0, 3).Draw(rt, "kind"); kind {
		case 0: // valid, right length
			c, _ = stdEncryptPKCS1v15(&std.PublicKey, secret)
			wantReplaced = true
		case 1: // valid padding, wrong length
			n := rapid.IntRange(0, k-11).Filter(func(n int) bool { return n != 48 }).Draw(rt, "len")
			c, _ = stdEncryptPKCS1v15(&std.PublicKey, make([]byte, n))
		case 2: // bad padding: block type 1 instead of 2
			em := make([]byte, k)
			em[1] = 1
			for i := 2; i < k-49; i++ {
				em[i] = 0xff
			}
			copy(em[k-48:], secret)
			c = rawEncrypt(t, std, em)
		case 3: // bad padding: PS shorter than 8 bytes
			em := make([]byte, k)
			em[1] = 2
			z := rapid.IntRange(2, 9).Draw(rt, "zeroAt")
			for i := 2; i < z; i++ {
				em[i] = 0x5a
			}
			copy(em[k-48:], secret) // M is then longer than 48 bytes too, either way invalid
			em[z] = 0
			c = rawEncrypt(t, std, em)
		}
		key := bytes.Clone(initial)
		if err := DecryptPKCS1v15SessionKey(rand.Reader, priv, c, key); err != nil {
			rt.Fatalf("DecryptPKCS1v15SessionKey returned %v; want nil for every padding outcome", err)
		}
		want := initial
		if wantReplaced {
			want = secret
		}
		if d := cmp.Diff(want, key); d != "" {
			rt.Fatalf("key (replaced=%v):\n%s", wantReplaced, d)
		}
		// crypto/rsa agrees.
		stdKey := bytes.Clone(initial)
		if err := stdDecryptPKCS1v15SessionKey(std, c, stdKey); err != nil {
			rt.Fatal(err)
		}
		if d := cmp.Diff(stdKey, key); d != "" {
			rt.Fatalf("crypto/rsa disagrees:\n%s", d)
		}
	})
	// Public facts give errors: wrong ciphertext length.
	if err := DecryptPKCS1v15SessionKey(rand.Reader, priv, make([]byte, k-1), make([]byte, 48)); !errors.Is(err, ErrDecryption) {
		t.Errorf("short ciphertext: %v, want ErrDecryption", err)
	}
}

// rawEncrypt computes em^e mod n with math/big (test oracle for crafting bad
// paddings).
func rawEncrypt(t testing.TB, std *rsa.PrivateKey, em []byte) []byte {
	t.Helper()
	c := new(big.Int).Exp(new(big.Int).SetBytes(em), big.NewInt(int64(std.E)), std.N)
	return c.FillBytes(make([]byte, std.Size()))
}

// TestNewPrivateKeyComputesCRT checks Dp, Dq and Qinv against crypto/rsa's
// Precompute and the Wycheproof fields.
func TestNewPrivateKeyComputesCRT(t *testing.T) {
	for _, bits := range []int{2048, 3072, 4096} {
		f := loadWycheproof(t, "rsa_pkcs1_"+itoa(bits)+"_test.json")
		for gi, g := range f.TestGroups {
			priv, err := privateKeyFromWycheproof(t, g.PrivateKey)
			if err != nil {
				t.Fatalf("%d group %d: %v", bits, gi, err)
			}
			w := g.PrivateKey
			for _, c := range []struct {
				name      string
				got, want []byte
			}{{"Dp", priv.Dp, w.Exponent1}, {"Dq", priv.Dq, w.Exponent2}, {"Qinv", priv.Qinv, w.Coefficient}} {
				if d := cmp.Diff(trimZeros(c.want), c.got); d != "" {
					t.Errorf("%d group %d %s:\n%s", bits, gi, c.name, d)
				}
			}
		}
	}
}

// TestKeyValidation: every kind of broken key is refused with its typed error.
func TestKeyValidation(t *testing.T) {
	priv := testKey(t, 2048)
	small, err := rsa.GenerateKey(rand.Reader, 512)
	if err != nil {
		// Go refuses to generate keys below 1024 bits unless GODEBUG allows it;
		// build a 512-bit public key from two 256-bit primes instead.
		p, _ := rand.Prime(rand.Reader, 256)
		q, _ := rand.Prime(rand.Reader, 256)
		small = &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: 65537}}
	}
	plusOne := func(b []byte) []byte { return new(big.Int).Add(new(big.Int).SetBytes(b), big.NewInt(2)).Bytes() }
	cases := []struct {
		name    string
		n       []byte
		e       int
		d, p, q []byte
		want    error
	}{
		{"good", priv.N, priv.E, priv.D, priv.P, priv.Q, nil},
		{"primes swapped", priv.N, priv.E, priv.D, priv.Q, priv.P, nil},
		{"512-bit modulus", small.N.Bytes(), 65537, priv.D, priv.P, priv.Q, ErrKeySize},
		{"e = 1", priv.N, 1, priv.D, priv.P, priv.Q, ErrPublicExponent},
		{"e = 2", priv.N, 2, priv.D, priv.P, priv.Q, ErrPublicExponent},
		{"even e", priv.N, 65536, priv.D, priv.P, priv.Q, ErrPublicExponent},
		{"negative e", priv.N, -3, priv.D, priv.P, priv.Q, ErrPublicExponent},
		{"wrong e", priv.N, 3, priv.D, priv.P, priv.Q, ErrInvalidKey},
		{"wrong d", priv.N, priv.E, plusOne(priv.D), priv.P, priv.Q, ErrInvalidKey},
		{"n != p*q", priv.N, priv.E, priv.D, plusOne(priv.P), priv.Q, ErrInvalidKey},
		{"even p", priv.N, priv.E, priv.D, append(bytes.Clone(priv.P[:len(priv.P)-1]), priv.P[len(priv.P)-1]&^1), priv.Q, ErrInvalidKey},
		{"zero d", priv.N, priv.E, []byte{0}, priv.P, priv.Q, ErrInvalidKey},
	}
	for _, c := range cases {
		_, err := NewPrivateKey(c.n, c.e, c.d, c.p, c.q)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: NewPrivateKey error %v, want %v", c.name, err, c.want)
		}
	}
	// Public-key operations refuse the same bad keys.
	if _, err := EncryptPKCS1v15(rand.Reader, &PublicKey{N: small.N.Bytes(), E: 65537}, []byte("x")); !errors.Is(err, ErrKeySize) {
		t.Errorf("encrypt to a 512-bit key: %v, want ErrKeySize", err)
	}
	if err := VerifyPKCS1v15(&PublicKey{N: priv.N, E: 4}, crypto.SHA256, make([]byte, 32), make([]byte, 256)); !errors.Is(err, ErrPublicExponent) {
		t.Errorf("verify with e = 4: %v, want ErrPublicExponent", err)
	}
	evenN := bytes.Clone(priv.N)
	evenN[len(evenN)-1] &^= 1
	if _, err := EncryptPKCS1v15(rand.Reader, &PublicKey{N: evenN, E: 65537}, []byte("x")); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("encrypt to an even modulus: %v, want ErrInvalidKey", err)
	}
}

// TestErrors checks the remaining typed errors.
func TestErrors(t *testing.T) {
	priv := testKey(t, 2048)
	k := priv.Size()
	if _, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, make([]byte, k-10)); !errors.Is(err, ErrMessageTooLong) {
		t.Errorf("k-10 byte message: %v, want ErrMessageTooLong", err)
	}
	if _, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, make([]byte, k-11)); err != nil {
		t.Errorf("k-11 byte message: %v", err)
	}
	if _, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA1, make([]byte, 20)); !errors.Is(err, ErrUnsupportedHash) {
		t.Errorf("SHA-1: %v, want ErrUnsupportedHash", err)
	}
	if _, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, make([]byte, 31)); !errors.Is(err, ErrUnsupportedHash) {
		t.Errorf("short digest: %v, want ErrUnsupportedHash", err)
	}
	for _, c := range [][]byte{nil, make([]byte, k-1), make([]byte, k+1), bytes.Repeat([]byte{0xff}, k), priv.N} {
		if _, err := DecryptPKCS1v15(rand.Reader, priv, c); !errors.Is(err, ErrDecryption) {
			t.Errorf("ciphertext of %d bytes (%x...): %v, want ErrDecryption", len(c), c[:min(4, len(c))], err)
		}
		if err := VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, make([]byte, 32), c); !errors.Is(err, ErrVerification) {
			t.Errorf("signature of %d bytes: %v, want ErrVerification", len(c), err)
		}
	}
}

// TestSignerDecrypter exercises the crypto.Signer and crypto.Decrypter views.
func TestSignerDecrypter(t *testing.T) {
	priv := testKey(t, 2048)
	std := stdPrivate(t, priv)
	var signer crypto.Signer = priv
	digest := hashFor(crypto.SHA256, []byte("hello"))
	sig, err := signer.Sign(rand.Reader, digest, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPKCS1v15(&std.PublicKey, crypto.SHA256, digest, sig); err != nil {
		t.Errorf("crypto/rsa rejects Sign's signature: %v", err)
	}
	// crypto/rsa's PSS options select PSS (TestSignerPSS covers the rest).
	pssSig, err := signer.Sign(rand.Reader, digest, &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash})
	if err != nil {
		t.Fatalf("Sign with crypto/rsa.PSSOptions: %v", err)
	}
	if err := rsa.VerifyPSS(&std.PublicKey, crypto.SHA256, digest, pssSig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}); err != nil {
		t.Errorf("crypto/rsa rejects Sign's PSS signature: %v", err)
	}
	if !signer.Public().(*PublicKey).Equal(&priv.PublicKey) || signer.Public().(*PublicKey).Equal(&testKey(t, 3072).PublicKey) {
		t.Error("Public/Equal broken")
	}
	if d := cmp.Diff(priv.PublicKey, *fromStdPublic(&std.PublicKey)); d != "" {
		t.Errorf("public key round trip through crypto/rsa:\n%s", d)
	}
	back := fromStdPrivate(t, std)
	if d := cmp.Diff([][]byte{priv.N, priv.D, priv.P, priv.Q, priv.Dp, priv.Dq, priv.Qinv},
		[][]byte{back.N, back.D, back.P, back.Q, back.Dp, back.Dq, back.Qinv}); d != "" {
		t.Errorf("private key round trip through crypto/rsa:\n%s", d)
	}

	var dec crypto.Decrypter = priv
	c, _ := stdEncryptPKCS1v15(&std.PublicKey, []byte("0123456789abcdef"))
	for _, opts := range []crypto.DecrypterOpts{nil, &stdDecryptOptions{}, &PKCS1v15DecryptOptions{SessionKeyLen: 16}, &stdDecryptOptions{SessionKeyLen: 16}} {
		got, err := dec.Decrypt(rand.Reader, c, opts)
		if err != nil || string(got) != "0123456789abcdef" {
			t.Errorf("Decrypt(%T %+v) = %q, %v", opts, opts, got, err)
		}
	}
	// Session-key form with the wrong length returns random bytes, no error.
	got, err := dec.Decrypt(rand.Reader, c, &stdDecryptOptions{SessionKeyLen: 17})
	if err != nil || len(got) != 17 || string(got[:16]) == "0123456789abcdef" {
		t.Errorf("session key of the wrong length: %q, %v", got, err)
	}
	if _, err := dec.Decrypt(rand.Reader, c, &rsa.OAEPOptions{Hash: crypto.SHA256}); !errors.Is(err, ErrUnsupportedPadding) {
		t.Errorf("OAEP options: %v, want ErrUnsupportedPadding", err)
	}
	// A key assembled by hand (no precomputation) still works.
	bare := &PrivateKey{PublicKey: priv.PublicKey, D: priv.D, P: priv.P, Q: priv.Q}
	if got, err := DecryptPKCS1v15(nil, bare, c); err != nil || string(got) != "0123456789abcdef" {
		t.Errorf("hand-built key: %q, %v", got, err)
	}
}

// TestFaultCheck: a corrupted CRT exponent makes the self-check refuse to
// release the (wrong) result.
func TestFaultCheck(t *testing.T) {
	good := testKey(t, 2048)
	priv, err := NewPrivateKey(good.N, good.E, good.D, good.P, good.Q)
	if err != nil {
		t.Fatal(err)
	}
	priv.pre.dp = bytes.Clone(priv.pre.dp)
	priv.pre.dp[len(priv.pre.dp)-1] ^= 2
	if _, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, make([]byte, 32)); !errors.Is(err, ErrFault) {
		t.Errorf("faulty CRT exponent: %v, want ErrFault", err)
	}
	c, _ := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, []byte("x"))
	if _, err := DecryptPKCS1v15(rand.Reader, priv, c); !errors.Is(err, ErrFault) {
		t.Errorf("faulty CRT exponent in decryption: %v, want ErrFault", err)
	}
}

// countingReader counts the bytes read from an underlying reader.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestBlindingRandomness: a fresh key draws blinding randomness on its first
// private operation and reports a failing source; the cached pair is squared
// between operations without changing results, and is redrawn from random
// every blindingRefresh operations.
func TestBlindingRandomness(t *testing.T) {
	base := testKey(t, 2048)
	fresh := func() *PrivateKey {
		k, err := NewPrivateKey(base.N, base.E, base.D, base.P, base.Q)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	c, _ := EncryptPKCS1v15(rand.Reader, &base.PublicKey, []byte("x"))
	if _, err := DecryptPKCS1v15(bytes.NewReader(nil), fresh(), c); err == nil {
		t.Error("empty random source accepted for blinding")
	}
	priv := fresh()
	want, err := rsa.SignPKCS1v15(nil, stdPrivate(t, base), crypto.SHA256, make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	cr := &countingReader{r: rand.Reader}
	draws := 0
	for i := range 2*blindingRefresh + 1 {
		before := cr.n
		sig, err := SignPKCS1v15(cr, priv, crypto.SHA256, make([]byte, 32))
		if err != nil || !bytes.Equal(sig, want) {
			t.Fatalf("signature %d under a squared blinding pair is wrong: %v", i, err)
		}
		if cr.n != before {
			draws++
		}
	}
	if draws != 3 {
		t.Errorf("blinding pair drawn %d times in %d operations, want 3", draws, 2*blindingRefresh+1)
	}
}

// TestBlindingApplied: the private operation really runs on the blinded
// c·r^e and really unblinds with r⁻¹. A pair planted in the cache that is not
// consistent (vi = r^e but vf = 1 instead of r⁻¹) must spoil the result, so
// the fault check withholds it; a decrypt that skipped blinding (or skipped
// only the blinding multiplication) would return the right answer and fail
// this test. Then a consistent planted pair gives the right answer.
func TestBlindingApplied(t *testing.T) {
	base := testKey(t, 2048)
	priv, err := NewPrivateKey(base.N, base.E, base.D, base.P, base.Q)
	if err != nil {
		t.Fatal(err)
	}
	N := priv.pre.n
	c, _ := EncryptPKCS1v15(rand.Reader, &base.PublicKey, []byte("blinded"))
	r := newNat(N.size()).setUint(3)
	plant := func(vf nat) {
		b := &priv.pre.blind
		b.vi, b.vf, b.uses = N.expPublic(r, uint(priv.E)), vf, 1 // squared before use
	}
	plant(newNat(N.size()).setUint(1))
	if _, err := DecryptPKCS1v15(rand.Reader, priv, c); !errors.Is(err, ErrFault) {
		t.Errorf("inconsistent blinding pair (vf = 1): %v, want ErrFault (is blinding applied?)", err)
	}
	rInv, ok := N.inverseVarTime(r)
	if !ok {
		t.Fatal("3 is not invertible mod n")
	}
	plant(rInv)
	if got, err := DecryptPKCS1v15(rand.Reader, priv, c); err != nil || string(got) != "blinded" {
		t.Errorf("consistent planted pair: %q, %v", got, err)
	}
}

// TestGenerateKey generates keys and checks them with crypto/rsa's Validate,
// with a round trip through crypto/rsa. 1024 (through the test-only hook) and
// 2048 bits always; 3072 and 4096 only without -short (they take several
// seconds).
func TestGenerateKey(t *testing.T) {
	sizes := []int{1024, 2048, 3072, 4096}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, bits := range sizes {
		priv, err := generateKeyForTests(rand.Reader, bits)
		if err != nil {
			t.Fatalf("GenerateKey(%d): %v", bits, err)
		}
		std := stdPrivate(t, priv) // runs Validate
		if std.N.BitLen() != bits || priv.E != 65537 || priv.Size() != bits/8 {
			t.Errorf("GenerateKey(%d): got %d bits, e = %d", bits, std.N.BitLen(), priv.E)
		}
		p, q := std.Primes[0], std.Primes[1]
		if !p.ProbablyPrime(20) || !q.ProbablyPrime(20) {
			t.Errorf("GenerateKey(%d): a prime is composite", bits)
		}
		diff := new(big.Int).Abs(new(big.Int).Sub(p, q))
		if diff.BitLen() <= bits/2-100 {
			t.Errorf("GenerateKey(%d): |p-q| too small", bits)
		}
		digest := hashFor(crypto.SHA256, []byte("keygen"))
		sig, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest)
		if err != nil {
			t.Fatal(err)
		}
		if err := rsa.VerifyPKCS1v15(&std.PublicKey, crypto.SHA256, digest, sig); err != nil {
			t.Errorf("GenerateKey(%d): crypto/rsa rejects a signature: %v", bits, err)
		}
	}
	if _, err := GenerateKey(rand.Reader, 1000); !errors.Is(err, ErrKeySize) {
		t.Errorf("GenerateKey(1000): %v, want ErrKeySize", err)
	}
}

// TestGenerateKeyRefuses1024: the exported GenerateKey refuses 1024 bits
// with ErrKeySize and says why and what to use; only the test hook makes
// such keys. No randomness is read before the refusal.
func TestGenerateKeyRefuses1024(t *testing.T) {
	for _, bits := range []int{512, 1024, 1536, 8192} {
		k, err := GenerateKey(failingReader{}, bits)
		if k != nil || !errors.Is(err, ErrKeySize) {
			t.Errorf("GenerateKey(%d) = %v, %v; want ErrKeySize", bits, k != nil, err)
			continue
		}
		if !strings.Contains(err.Error(), "2048, 3072") {
			t.Errorf("GenerateKey(%d): %q does not say which sizes to use", bits, err)
		}
	}
	if _, err := GenerateKey(failingReader{}, 1024); err == nil || !strings.Contains(err.Error(), "too weak") {
		t.Errorf("GenerateKey(1024): %v; want it to say the key is too weak", err)
	}
}

// failingReader fails every read: a GenerateKey that refuses a size must
// not have started drawing primes.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no randomness expected") }

// TestMillerRabin checks the primality test against known primes and
// composites, including Carmichael numbers and a strong pseudoprime to
// several bases.
func TestMillerRabin(t *testing.T) {
	check := func(x *big.Int, want bool) {
		t.Helper()
		n := natFromBig(t, x, limbsFor(len(x.Bytes())))
		got, err := isProbablePrime(rand.Reader, n, 20)
		if err != nil || got != want {
			t.Errorf("isProbablePrime(%v) = %v, %v; want %v", x, got, err, want)
		}
	}
	for _, s := range []string{"561", "1105", "41041", "3215031751", "3825123056546413051", "318665857834031151167461"} {
		x, _ := new(big.Int).SetString(s, 10)
		check(x, false)
	}
	for range 5 {
		p, _ := rand.Prime(rand.Reader, 512)
		check(p, true)
		check(new(big.Int).Mul(p, p), false)
	}
	for _, s := range []string{"5", "7", "65537", "18446744073709551557"} {
		x, _ := new(big.Int).SetString(s, 10)
		check(x, true)
	}
}

// TestKeygenRules pins the FIPS 186-5 choices GenerateKey relies on: the
// Miller–Rabin round counts of Table B.1 (5 for 1024-bit primes, 4 for 1536
// and 2048; 7 for the test-only 512-bit ones) and the |p - q| > 2^(half-100)
// rule of §A.1.3, on both sides of its boundary and in both orders.
func TestKeygenRules(t *testing.T) {
	for _, c := range []struct{ bits, rounds int }{{512, 7}, {1024, 5}, {1536, 4}, {2048, 4}} {
		if got := millerRabinRounds(c.bits); got != c.rounds {
			t.Errorf("millerRabinRounds(%d) = %d, want %d (FIPS 186-5 Table B.1)", c.bits, got, c.rounds)
		}
	}
	const half = 1024
	p, _ := rand.Prime(rand.Reader, half)
	limbs := limbsFor(half / 8)
	for _, c := range []struct {
		diff *big.Int // |p - q|
		want bool
	}{
		{new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), half-100), big.NewInt(1)), false},
		{new(big.Int).Lsh(big.NewInt(1), half-100), false}, // not strictly greater
		{new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), half-100), big.NewInt(2)), true},
		{new(big.Int).Lsh(big.NewInt(1), half-2), true},
		{big.NewInt(256), false},
		{big.NewInt(0), false}, // p = q
	} {
		d := c.diff
		q := new(big.Int).Sub(p, d)
		P, Q := natFromBig(t, p, limbs), natFromBig(t, q, limbs)
		if got := farApart(P, Q, half); got != c.want {
			t.Errorf("|p-q| = %#x: farApart(p, q) = %v, want %v", d, got, c.want)
		}
		if got := farApart(Q, P, half); got != c.want {
			t.Errorf("|p-q| = %#x: farApart(q, p) = %v, want %v", d, got, c.want)
		}
	}
}

// TestUnbalancedPrimes: primes of different sizes (and so different limb
// counts), with p > q and p < q, still give the textbook result c^d mod n.
// This exercises the width bookkeeping of CRT recombination.
func TestUnbalancedPrimes(t *testing.T) {
	for _, sizes := range [][2]int{{576, 456}, {456, 576}, {1064, 984}, {1000, 1048}} {
		var p, q *big.Int
		e := big.NewInt(65537)
		one := big.NewInt(1)
		for {
			p, _ = rand.Prime(rand.Reader, sizes[0])
			q, _ = rand.Prime(rand.Reader, sizes[1])
			pm1, qm1 := new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)
			if new(big.Int).GCD(nil, nil, e, pm1).Cmp(one) == 0 && new(big.Int).GCD(nil, nil, e, qm1).Cmp(one) == 0 {
				break
			}
		}
		n := new(big.Int).Mul(p, q)
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(e, phi)
		priv, err := NewPrivateKey(n.Bytes(), 65537, d.Bytes(), p.Bytes(), q.Bytes())
		if err != nil {
			t.Fatalf("%v: NewPrivateKey: %v", sizes, err)
		}
		k := priv.Size()
		for range 5 {
			c, _ := rand.Int(rand.Reader, n)
			got, err := decrypt(rand.Reader, priv, c.FillBytes(make([]byte, k)))
			if err != nil {
				t.Fatalf("%v: decrypt: %v", sizes, err)
			}
			want := new(big.Int).Exp(c, d, n).FillBytes(make([]byte, k))
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("%v: c^d mod n differs:\n%s", sizes, d)
			}
		}
	}
}

// TestConcurrentUse: one key used from several goroutines at once (the shared
// blinding cache and modulus cache); run with -race to check the locking.
func TestConcurrentUse(t *testing.T) {
	priv, err := NewPrivateKey(testKey(t, 2048).N, 65537, testKey(t, 2048).D, testKey(t, 2048).P, testKey(t, 2048).Q)
	if err != nil {
		t.Fatal(err)
	}
	digest := hashFor(crypto.SHA256, []byte("concurrent"))
	want, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 10 {
				sig, err := SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest)
				if err == nil && !bytes.Equal(sig, want) {
					err = errors.New("signature differs")
				}
				if err == nil {
					err = VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, digest, sig)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
