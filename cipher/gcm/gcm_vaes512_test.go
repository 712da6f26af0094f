package gcm

import (
	"bytes"
	"fmt"
	"testing"

	"minitls/cipher/aes"
	"minitls/internal/impl"
)

// The wide path (VAES + VPCLMULQDQ on ZMM registers) works in batches: the
// main loops take 256 bytes (sixteen blocks in four registers), the tail is
// up to four registers of 64 bytes with byte masks, and the last block may
// be partial. These tests walk every length across those boundaries. They
// run on every path this CPU supports (impl.Supported), so the AES-NI path's
// batches (eight blocks) are covered by the same lengths, and on a CPU
// without AVX-512 they still test what it has.

// boundaryMax is the longest message tried: 2 KiB covers eight whole
// 256-byte batches and every residue mod 16, 64, 128 and 256 eight times.
const boundaryMax = 2048

// aadLenFor picks an additional-data length for message length n that
// itself walks the residues of the GHASH batches: 0, 13 (a TLS 1.2 record
// header), and lengths that straddle 16-, 64- and 256-byte boundaries.
func aadLenFor(n int) int {
	switch n % 5 {
	case 0:
		return 0
	case 1:
		return 13
	default:
		return (n * 37) % 600
	}
}

// boundaryKeys are AES-128, -192 and -256 keys: the wide path branches on
// the number of rounds (10, 12, 14).
var boundaryKeys = [][]byte{
	bytes.Repeat([]byte{0x2b}, 16),
	bytes.Repeat([]byte{0x7e}, 24),
	bytes.Repeat([]byte{0x15}, 32),
}

// TestEveryPathSelected: gcm.New over minitls AES made on each supported
// path runs that path's code (PathOf), so the tests below really exercise
// the assembly and not the portable fallback.
func TestEveryPathSelected(t *testing.T) {
	for _, bi := range blockImpls {
		if bi.name == "std-aes-block" {
			continue
		}
		for _, key := range boundaryKeys {
			g := newAEAD(t, bi, key)
			if got := PathOf(g); got != bi.path {
				t.Errorf("%s, AES-%d: PathOf = %v, want %v", bi.name, 8*len(key), got, bi.path)
			}
		}
	}
}

// TestBatchBoundaries: for every length 0..2048 (every residue mod 16, 64,
// 128 and 256), AAD lengths that walk the same residues, and every key size,
// Seal equals crypto/cipher's GCM byte for byte, Open inverts it, and both
// in place (dst = src[:0]) give the same bytes.
func TestBatchBoundaries(t *testing.T) {
	for _, bi := range blockImpls {
		if bi.name == "std-aes-block" {
			continue
		}
		t.Run(bi.name, func(t *testing.T) {
			for _, key := range boundaryKeys {
				batchBoundaries(t, bi, key)
			}
		})
	}
}

func batchBoundaries(t *testing.T, bi blockImpl, key []byte) {
	g := newAEAD(t, bi, key)
	std := newStdGCM(t, key)
	src := make([]byte, boundaryMax+600)
	for i := range src {
		src[i] = byte(i*131 + 7)
	}
	nonce := []byte("boundary-iv!")
	for n := 0; n <= boundaryMax; n++ {
		pt, aad := src[:n], src[n:n+aadLenFor(n)]
		nonce[0] = byte(n)
		want := std.Seal(nil, nonce, pt, aad)
		got := g.Seal(nil, nonce, pt, aad)
		if !bytes.Equal(got, want) {
			t.Fatalf("AES-%d, len %d, aad %d: Seal differs from crypto/cipher at byte %d",
				8*len(key), n, len(aad), firstDiff(got, want))
		}
		opened, err := g.Open(nil, nonce, want, aad)
		if err != nil || !bytes.Equal(opened, pt) {
			t.Fatalf("AES-%d, len %d, aad %d: Open of crypto/cipher's output = %v, plaintext equal %v",
				8*len(key), n, len(aad), err, bytes.Equal(opened, pt))
		}

		buf := append(make([]byte, 0, n+TagSize), pt...)
		sealed := g.Seal(buf[:0], nonce, buf, aad)
		if !bytes.Equal(sealed, want) {
			t.Fatalf("AES-%d, len %d: in-place Seal differs at byte %d", 8*len(key), n, firstDiff(sealed, want))
		}
		opened, err = g.Open(sealed[:0], nonce, sealed, aad)
		if err != nil || !bytes.Equal(opened, pt) {
			t.Fatalf("AES-%d, len %d: in-place Open = %v, plaintext equal %v", 8*len(key), n, err, bytes.Equal(opened, pt))
		}
	}
}

// TestBatchBoundariesTamper: at lengths around each batch boundary, a
// change in the last byte of the ciphertext, of the AAD or of the tag makes
// Open fail without writing any plaintext into dst's spare capacity (the
// tag is checked before GCTR runs, sp800-38d#7.2).
func TestBatchBoundariesTamper(t *testing.T) {
	key := boundaryKeys[0]
	for _, bi := range blockImpls {
		if bi.name == "std-aes-block" {
			continue
		}
		g := newAEAD(t, bi, key)
		for _, n := range boundaryLengths() {
			pt := bytes.Repeat([]byte{0xa5}, n)
			aad := []byte("header:" + fmt.Sprint(n))
			nonce := make([]byte, NonceSize)
			sealed := g.Seal(nil, nonce, pt, aad)
			for _, flip := range []struct {
				name string
				ct   []byte
				aad  []byte
			}{
				{"tag", flipLast(sealed), aad},
				{"aad", sealed, flipLast(aad)},
				{"ciphertext", flipAt(sealed, max(n-1, 0)), aad},
			} {
				dst := make([]byte, 0, n)
				if _, err := g.Open(dst, nonce, flip.ct, flip.aad); err == nil {
					t.Errorf("%s, len %d: Open accepted a changed %s", bi.name, n, flip.name)
				}
				if !bytes.Equal(dst[:n], make([]byte, n)) {
					t.Errorf("%s, len %d: failed Open wrote into dst", bi.name, n)
				}
			}
		}
	}
}

// TestTailWritesNoFurther: Seal and Open write exactly their output and not
// one byte past it, at every length of the last batch (the masked stores of
// the tail), with the spare capacity of dst filled with a sentinel.
func TestTailWritesNoFurther(t *testing.T) {
	key := boundaryKeys[0]
	for _, bi := range blockImpls {
		if bi.name == "std-aes-block" {
			continue
		}
		g := newAEAD(t, bi, key)
		nonce := make([]byte, NonceSize)
		for n := 0; n <= 512; n++ {
			pt := bytes.Repeat([]byte{0x3c}, n)
			dst := bytes.Repeat([]byte{0xee}, n+TagSize+300)
			sealed := g.Seal(dst[:0], nonce, pt, nil)
			if rest := dst[len(sealed):]; !bytes.Equal(rest, bytes.Repeat([]byte{0xee}, len(rest))) {
				t.Fatalf("%s, len %d: Seal wrote past its output", bi.name, n)
			}
			out := bytes.Repeat([]byte{0xee}, n+300)
			if _, err := g.Open(out[:0], nonce, sealed, nil); err != nil {
				t.Fatalf("%s, len %d: Open: %v", bi.name, n, err)
			}
			if rest := out[n:]; !bytes.Equal(rest, bytes.Repeat([]byte{0xee}, len(rest))) {
				t.Fatalf("%s, len %d: Open wrote past its output", bi.name, n)
			}
		}
	}
}

// TestPathKeyIsPerAEAD: two AEADs with different keys on the same path,
// used alternately, each match crypto/cipher: the GHASH key powers and
// round keys live in each AEAD, not in anything shared.
func TestPathKeyIsPerAEAD(t *testing.T) {
	for _, p := range impl.Supported() {
		restore := impl.Force(p)
		b1, err1 := aes.NewCipher(boundaryKeys[0])
		b2, err2 := aes.NewCipher(boundaryKeys[2])
		restore()
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		g1, _ := New(b1)
		g2, _ := New(b2)
		s1, s2 := newStdGCM(t, boundaryKeys[0]), newStdGCM(t, boundaryKeys[2])
		nonce := make([]byte, NonceSize)
		pt := bytes.Repeat([]byte{1}, 300)
		for i := 0; i < 3; i++ {
			if !bytes.Equal(g1.Seal(nil, nonce, pt, nil), s1.Seal(nil, nonce, pt, nil)) ||
				!bytes.Equal(g2.Seal(nil, nonce, pt, nil), s2.Seal(nil, nonce, pt, nil)) {
				t.Fatalf("%v: interleaved AEADs with different keys disagree with crypto/cipher", p)
			}
		}
	}
}

// boundaryLengths are the lengths next to every multiple of 16 up to 4.5
// batches, and of 256 up to 2 KiB.
func boundaryLengths() []int {
	var ns []int
	for m := 0; m <= 1152; m += 16 {
		ns = append(ns, m, m+1, m+15)
	}
	for m := 1280; m <= boundaryMax; m += 256 {
		ns = append(ns, m-1, m, m+1)
	}
	return ns
}

func flipLast(b []byte) []byte { return flipAt(b, len(b)-1) }

// flipAt returns a copy of b with one bit of b[i] changed (b itself when
// empty: nothing to flip).
func flipAt(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	if len(c) > 0 {
		c[i] ^= 0x10
	}
	return c
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
