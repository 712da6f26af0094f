package attack

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"math/big"
	mrand "math/rand/v2"
	"testing"

	"pgregory.net/rapid"
)

// seeded returns a deterministic byte stream for reproducible tests.
func seeded(seed uint64) *mrand.ChaCha8 {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return mrand.NewChaCha8(s)
}

func drawElem(t *rapid.T, label string) Elem {
	return Elem{rapid.Uint64().Draw(t, label+".hi"), rapid.Uint64().Draw(t, label+".lo")}
}

// TestFieldAxioms: Mul is commutative, associative, distributes over Add,
// has One as identity, and Inverse inverts every non-zero element.
func TestFieldAxioms(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b, c := drawElem(t, "a"), drawElem(t, "b"), drawElem(t, "c")
		if a.Mul(b) != b.Mul(a) {
			t.Fatal("not commutative")
		}
		if a.Mul(b).Mul(c) != a.Mul(b.Mul(c)) {
			t.Fatal("not associative")
		}
		if a.Mul(b.Add(c)) != a.Mul(b).Add(a.Mul(c)) {
			t.Fatal("not distributive")
		}
		if a.Mul(One) != a {
			t.Fatal("One is not the identity")
		}
		if !a.IsZero() && a.Mul(a.Inverse()) != One {
			t.Fatalf("a·a⁻¹ = %x, want One", a.Mul(a.Inverse()).Bytes())
		}
	})
}

// TestGHASHMatchesGCM: the tag crypto/cipher's GCM computes is GHASH_H(A, C)
// + E_K(J0) with H = E_K(0^128), evaluated both directly and as the
// polynomial GHASHPoly at H. This pins the bit order of Elem.Mul.
func TestGHASHMatchesGCM(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "key")
		nonce := rapid.SliceOfN(rapid.Byte(), 12, 12).Draw(t, "nonce")
		aad := rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "aad")
		pt := rapid.SliceOfN(rapid.Byte(), 0, 70).Draw(t, "pt")
		block, _ := aes.NewCipher(key)
		aead, _ := cipher.NewGCM(block)
		sealed := aead.Seal(nil, nonce, pt, aad)
		ct, tag := sealed[:len(pt)], sealed[len(pt):]
		var h, j0 [16]byte
		block.Encrypt(h[:], h[:])
		copy(j0[:], nonce)
		j0[15] = 1
		block.Encrypt(j0[:], j0[:])
		H, S := LoadElem(h[:]), LoadElem(j0[:])
		if got := GHASH(H, aad, ct).Add(S).Bytes(); !bytes.Equal(got, tag) {
			t.Fatalf("GHASH + S = %x, GCM tag %x", got, tag)
		}
		if got := GHASHPoly(aad, ct).Eval(H).Add(S).Bytes(); !bytes.Equal(got, tag) {
			t.Fatalf("GHASHPoly(H) + S = %x, GCM tag %x", got, tag)
		}
	})
}

// TestRootsPlanted: for a random polynomial q times (x - r_i) over planted
// distinct roots r_i, Roots finds every r_i, each root it returns is a root
// of the polynomial, and none is returned twice.
func TestRootsPlanted(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 6).Draw(t, "roots")
		planted := map[Elem]bool{}
		p := Poly{One}
		for len(planted) < n {
			r := drawElem(t, "root")
			if planted[r] {
				continue
			}
			planted[r] = true
			p = p.Mul(Poly{r, One})
		}
		qdeg := rapid.IntRange(0, 4).Draw(t, "qdeg")
		q := Poly{}
		for i := 0; i <= qdeg; i++ {
			q = append(q, drawElem(t, "q"))
		}
		if q.Degree() < 0 {
			q = Poly{One}
		}
		f := p.Mul(q)
		roots, err := Roots(f, seeded(rapid.Uint64().Draw(t, "seed")))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[Elem]bool{}
		for _, r := range roots {
			if seen[r] {
				t.Fatalf("root %x returned twice", r.Bytes())
			}
			seen[r] = true
			if !f.Eval(r).IsZero() {
				t.Fatalf("returned %x, which is not a root", r.Bytes())
			}
		}
		for r := range planted {
			if !seen[r] {
				t.Fatalf("planted root %x not found among %d", r.Bytes(), len(roots))
			}
		}
	})
}

// TestDivModIdentity: p = quo·d + rem with deg rem < deg d; p² by Square
// equals p·p.
func TestDivModIdentity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p, d Poly
		for i := rapid.IntRange(0, 8).Draw(t, "pdeg"); i >= 0; i-- {
			p = append(p, drawElem(t, "p"))
		}
		for i := rapid.IntRange(0, 5).Draw(t, "ddeg"); i >= 0; i-- {
			d = append(d, drawElem(t, "d"))
		}
		if d.Degree() < 0 {
			d = Poly{One}
		}
		if p.Square().Add(p.Mul(p)).Degree() >= 0 {
			t.Fatal("Square ≠ Mul by itself")
		}
		quo, rem := p.DivMod(d)
		if rem.Degree() >= d.Degree() {
			t.Fatalf("deg rem %d ≥ deg d %d", rem.Degree(), d.Degree())
		}
		if back := quo.Mul(d).Add(rem); back.Add(p).Degree() >= 0 {
			t.Fatal("quo·d + rem ≠ p")
		}
	})
}

// TestRecoverHFromRepeatedNonce: two or three messages sealed by
// crypto/cipher's GCM with one key and one nonce give up H = E_K(0^128), and
// the forged tag for a new ciphertext is the one GCM itself computes.
func TestRecoverHFromRepeatedNonce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "key")
		nonce := rapid.SliceOfN(rapid.Byte(), 12, 12).Draw(t, "nonce")
		block, _ := aes.NewCipher(key)
		aead, _ := cipher.NewGCM(block)
		var recs []Sealed
		for i := 0; i < 3; i++ {
			aad := rapid.SliceOfN(rapid.Byte(), 13, 13).Draw(t, "aad")
			pt := rapid.SliceOfN(rapid.Byte(), 1, 48).Draw(t, "pt")
			s := aead.Seal(nil, nonce, pt, aad)
			recs = append(recs, Sealed{AAD: aad, Ciphertext: s[:len(pt)], Tag: s[len(pt):]})
		}
		cands, err := RecoverH(recs, seeded(1))
		if err != nil {
			t.Fatal(err)
		}
		var h [16]byte
		block.Encrypt(h[:], h[:])
		if len(cands) != 1 || !bytes.Equal(cands[0].Bytes(), h[:]) {
			t.Fatalf("candidates %d, want exactly H = %x", len(cands), h)
		}
		// Forge: a new ciphertext at the same nonce, checked by GCM's Open.
		forgedCT := rapid.SliceOfN(rapid.Byte(), 1, 40).Draw(t, "forged")
		aad := []byte("forged header")
		tag := Forge(cands[0], Mask(cands[0], recs[0]), aad, forgedCT)
		if _, err := aead.Open(nil, nonce, append(bytes.Clone(forgedCT), tag...), aad); err != nil {
			t.Fatalf("GCM refused the forgery: %v", err)
		}
	})
}

// TestRecoverHDistinctNonces: with two different nonces the attack's premise
// fails: no candidate fits a third record, or the one left is not H.
func TestRecoverHDistinctNonces(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 16)
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	var recs []Sealed
	for i := byte(0); i < 3; i++ {
		nonce := make([]byte, 12)
		nonce[11] = i // the sequence number, as minitls's record layer does
		aad := bytes.Repeat([]byte{i}, 13)
		s := aead.Seal(nil, nonce, []byte("attack at dawn!!"), aad)
		recs = append(recs, Sealed{AAD: aad, Ciphertext: s[:16], Tag: s[16:]})
	}
	var h [16]byte
	block.Encrypt(h[:], h[:])
	cands, err := RecoverH(recs, seeded(2))
	for _, c := range cands {
		if bytes.Equal(c.Bytes(), h[:]) {
			t.Fatal("recovered H from records with distinct nonces")
		}
	}
	if err == nil && len(cands) > 0 {
		t.Logf("%d spurious candidates (none is H)", len(cands))
	}
}

// toyOracle is the leaky server of the lesson, in arithmetic: decrypt and
// answer whether the block starts 00 02.
func toyOracle(key *ToyKey, count *int) Oracle {
	n, d := new(big.Int).SetBytes(key.N), new(big.Int).SetBytes(key.D)
	k := len(key.N)
	return func(c []byte) (bool, error) {
		*count++
		m := new(big.Int).Exp(new(big.Int).SetBytes(c), d, n).FillBytes(make([]byte, k))
		return m[0] == 0 && m[1] == 2, nil
	}
}

// toyEncrypt pads a 48-byte premaster secret as RSAES-PKCS1-v1_5 and
// encrypts it under key.
func toyEncrypt(key *ToyKey, msg []byte, random *mrand.ChaCha8) []byte {
	k := len(key.N)
	em := make([]byte, k)
	em[1] = 2
	ps := em[2 : k-len(msg)-1]
	for i := range ps {
		for ps[i] == 0 {
			ps[i] = byte(random.Uint64())
		}
	}
	copy(em[k-len(msg):], msg)
	n := new(big.Int).SetBytes(key.N)
	c := new(big.Int).Exp(new(big.Int).SetBytes(em), big.NewInt(int64(key.E)), n)
	return c.FillBytes(make([]byte, k))
}

// TestBleichenbacherRecovers: against an oracle that reveals the 00 02
// header, the attack recovers the padded premaster secret of an RSA-512
// ciphertext, and counts exactly the queries the oracle answered.
func TestBleichenbacherRecovers(t *testing.T) {
	r := seeded(3)
	key, err := GenerateToyKey(r, 512)
	if err != nil {
		t.Fatal(err)
	}
	seeds := []uint64{4, 5, 6}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		r := seeded(seed)
		pre := make([]byte, 48)
		pre[0], pre[1] = 3, 3
		for i := 2; i < 48; i++ {
			pre[i] = byte(r.Uint64())
		}
		c := toyEncrypt(key, pre, r)
		var count int
		a := &Bleichenbacher{N: new(big.Int).SetBytes(key.N), E: key.E, Oracle: toyOracle(key, &count), Trim: 500}
		m, err := a.Run(c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m[len(m)-48:], pre) || m[0] != 0 || m[1] != 2 {
			t.Fatalf("seed %d: recovered %x, premaster %x", seed, m, pre)
		}
		if count != a.Queries() {
			t.Fatalf("the attack says %d queries, the oracle answered %d", a.Queries(), count)
		}
		t.Logf("seed %d: %d queries", seed, count)
	}
}

// TestTrimKeepsPlaintext: trimming never cuts the plaintext out of the
// interval, and narrows it when it finds a divisor.
func TestTrimKeepsPlaintext(t *testing.T) {
	key, err := GenerateToyKey(seeded(9), 512)
	if err != nil {
		t.Fatal(err)
	}
	n, d := new(big.Int).SetBytes(key.N), new(big.Int).SetBytes(key.D)
	narrowed := 0
	for seed := uint64(30); seed < 50; seed++ {
		c := toyEncrypt(key, make([]byte, 48), seeded(seed))
		m := new(big.Int).Exp(new(big.Int).SetBytes(c), d, n)
		var count int
		a := &Bleichenbacher{N: n, E: key.E, Oracle: toyOracle(key, &count), Trim: 500}
		a.k = len(key.N)
		b := new(big.Int).Lsh(big.NewInt(1), uint(8*(a.k-2)))
		a.b2, a.b3 = new(big.Int).Lsh(b, 1), new(big.Int).Mul(b, big.NewInt(3))
		a.c0 = new(big.Int).SetBytes(c)
		m0 := interval{new(big.Int).Set(a.b2), new(big.Int).Sub(a.b3, big.NewInt(1))}
		iv, err := a.trim(m0)
		if err != nil {
			t.Fatal(err)
		}
		if iv.lo.Cmp(m) > 0 || iv.hi.Cmp(m) < 0 {
			t.Fatalf("seed %d: trimmed interval lost the plaintext", seed)
		}
		if new(big.Int).Sub(iv.hi, iv.lo).Cmp(new(big.Int).Sub(m0.hi, m0.lo)) < 0 {
			narrowed++
		}
	}
	if narrowed < 10 {
		t.Errorf("trimming narrowed only %d of 20 intervals", narrowed)
	}
}

// TestBleichenbacherQueryLimit: a useless oracle (always "not conformant",
// as the real minitls server effectively is) stops the attack at its limit
// with ErrQueryLimit, having learnt nothing.
func TestBleichenbacherQueryLimit(t *testing.T) {
	key, err := GenerateToyKey(seeded(7), 512)
	if err != nil {
		t.Fatal(err)
	}
	c := toyEncrypt(key, make([]byte, 48), seeded(8))
	a := &Bleichenbacher{N: new(big.Int).SetBytes(key.N), E: key.E, MaxQuery: 2000,
		Oracle: func([]byte) (bool, error) { return false, nil }}
	if _, err := a.Run(c); err != ErrQueryLimit {
		t.Fatalf("err = %v, want ErrQueryLimit", err)
	}
}
