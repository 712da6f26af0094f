package aes

import (
	"bytes"
	stdaes "crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"minitls/internal/impl"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tb is the part of testing.TB the helpers need; *rapid.T has it too.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

func mustCipher(t tb, key []byte) *Cipher {
	t.Helper()
	b, err := NewCipher(key)
	if err != nil {
		t.Fatalf("NewCipher(%d-byte key): %v", len(key), err)
	}
	c, ok := b.(*Cipher)
	if !ok {
		t.Fatalf("NewCipher returned %T, want *Cipher", b)
	}
	return c
}

// mustCipherOn makes a cipher on path p (forced only while NewCipher runs,
// so the choice never leaks into other tests) and checks that it runs there.
func mustCipherOn(t tb, p impl.Path, key []byte) *Cipher {
	t.Helper()
	defer impl.Force(p)()
	c := mustCipher(t, key)
	if c.Path() != p {
		t.Fatalf("NewCipher with %v forced made a cipher on %v", p, c.Path())
	}
	return c
}

// forEachPath runs f as a sub-test for every path this CPU and build
// support (portable, then each hardware path), named after the path.
func forEachPath(t *testing.T, f func(t *testing.T, p impl.Path)) {
	t.Helper()
	for _, p := range impl.Supported() {
		t.Run(p.String(), func(t *testing.T) { f(t, p) })
	}
}

// fips197AppendixC are the example vectors of FIPS 197 Appendix C (C.1, C.2,
// C.3): the same plaintext under the keys 00 01 02 ... of each length.
var fips197AppendixC = []struct {
	name, key, plaintext, ciphertext string
}{
	{"C.1 AES-128", "000102030405060708090a0b0c0d0e0f",
		"00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a"},
	{"C.2 AES-192", "000102030405060708090a0b0c0d0e0f1011121314151617",
		"00112233445566778899aabbccddeeff", "dda97ca4864cdfe06eaf70a0ec0d7191"},
	{"C.3 AES-256", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		"00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089"},
}

func TestFIPS197AppendixC(t *testing.T) {
	forEachPath(t, func(t *testing.T, p impl.Path) { testFIPS197AppendixC(t, p) })
}

func testFIPS197AppendixC(t *testing.T, p impl.Path) {
	for _, tc := range fips197AppendixC {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCipherOn(t, p, mustHex(t, tc.key))
			pt, ct := mustHex(t, tc.plaintext), mustHex(t, tc.ciphertext)

			got := make([]byte, BlockSize)
			c.Encrypt(got, pt)
			if !bytes.Equal(got, ct) {
				t.Errorf("Encrypt = %x, want %x", got, ct)
			}
			c.Decrypt(got, ct)
			if !bytes.Equal(got, pt) {
				t.Errorf("Decrypt = %x, want %x", got, pt)
			}
			// The same block in every lane position of a multi-block pass,
			// for counts that end in each batch and tail of every path
			// (4-block bitsliced passes; 8, 4, 1 on AES-NI; 16, 4 and a
			// masked 1..3 on VAES).
			for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 19, 20, 23, 24, 31, 32, 33, 35, 36, 40} {
				src := bytes.Repeat(pt, n)
				want := bytes.Repeat(ct, n)
				dst := make([]byte, len(src))
				c.EncryptBlocks(dst, src)
				if !bytes.Equal(dst, want) {
					t.Errorf("EncryptBlocks(%d x plaintext) = %x, want %x", n, dst, want)
				}
			}
		})
	}
}

// TestFIPS197KeyExpansion checks the last expanded key word against the
// worked key-expansion examples of FIPS 197 Appendix A (A.1, A.2, A.3).
func TestFIPS197KeyExpansion(t *testing.T) {
	for _, tc := range []struct {
		name     string
		key      string
		rounds   int
		lastWord uint32
	}{
		{"A.1", "2b7e151628aed2a6abf7158809cf4f3c", 10, 0xb6630ca6},
		{"A.2", "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", 12, 0x01002202},
		{"A.3", "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 14, 0x706c631e},
	} {
		var w [4 * (maxRounds + 1)]uint32
		keyExpansion(mustHex(t, tc.key), tc.rounds, &w)
		if got := w[4*tc.rounds+3]; got != tc.lastWord {
			t.Errorf("%s: w[%d] = %08x, want %08x", tc.name, 4*tc.rounds+3, got, tc.lastWord)
		}
	}
}

// TestSubBytesExhaustive runs all 256 byte values through the bitsliced
// S-box and its inverse, comparing with the standard's table property
// S(0x00) = 0x63 and with the inverse: S^-1(S(b)) = b, and S being a
// permutation with no fixed points (fips197#5.1.1 design criteria).
func TestSubBytesExhaustive(t *testing.T) {
	var sbox [256]byte
	for start := 0; start < 256; start += 64 {
		var buf [64]byte
		for i := range buf {
			buf[i] = byte(start + i)
		}
		var q [8]uint64
		load4(&q, &buf)
		q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = subBytes(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7])
		store4(&buf, &q)
		copy(sbox[start:], buf[:])

		load4(&q, &buf)
		q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = invSubBytes(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7])
		store4(&buf, &q)
		for i, b := range buf {
			if b != byte(start+i) {
				t.Fatalf("InvSubBytes(SubBytes(%#02x)) = %#02x", start+i, b)
			}
		}
	}
	if sbox[0x00] != 0x63 || sbox[0x53] != 0xed || sbox[0xff] != 0x16 {
		t.Errorf("S(00), S(53), S(ff) = %#02x %#02x %#02x; want 0x63 0xed 0x16 (fips197 Figure 7)",
			sbox[0x00], sbox[0x53], sbox[0xff])
	}
	var seen [256]bool
	for b, s := range sbox {
		if seen[s] {
			t.Fatalf("S-box is not a permutation: %#02x repeats", s)
		}
		seen[s] = true
		if int(s) == b || int(s) == b^0xff {
			t.Errorf("S(%#02x) = %#02x: fixed or opposite fixed point", b, s)
		}
	}
}

func TestKeySizeError(t *testing.T) {
	for _, n := range []int{0, 1, 7, 15, 17, 23, 25, 31, 33, 64} {
		b, err := NewCipher(make([]byte, n))
		if b != nil {
			t.Errorf("NewCipher(%d bytes) returned a cipher", n)
		}
		var kse KeySizeError
		if !errors.As(err, &kse) {
			t.Fatalf("NewCipher(%d bytes) error %v (%T) is not a KeySizeError", n, err, err)
		}
		if int(kse) != n {
			t.Errorf("KeySizeError = %d, want %d", int(kse), n)
		}
		msg := err.Error()
		if !strings.Contains(msg, "invalid key size "+strconv.Itoa(n)+" bytes") || !strings.Contains(msg, "16, 24 or 32") {
			t.Errorf("error message %q does not name size %d and the valid sizes", msg, n)
		}
	}
	for _, n := range []int{16, 24, 32} {
		if _, err := NewCipher(make([]byte, n)); err != nil {
			t.Errorf("NewCipher(%d bytes): %v", n, err)
		}
	}
}

func TestImplementsBlock(t *testing.T) {
	var b cipher.Block = mustCipher(t, make([]byte, 16))
	if b.BlockSize() != 16 || BlockSize != stdaes.BlockSize {
		t.Errorf("BlockSize = %d, want 16", b.BlockSize())
	}
}

// TestInPlace checks that dst == src works for every entry point, and that
// Decrypt undoes Encrypt.
func TestInPlace(t *testing.T) {
	forEachPath(t, testInPlace)
}

func testInPlace(t *testing.T, p impl.Path) {
	for _, n := range []int{16, 24, 32} {
		key := make([]byte, n)
		for i := range key {
			key[i] = byte(3*i + n)
		}
		c := mustCipherOn(t, p, key)
		ref, _ := stdaes.NewCipher(key)

		buf := []byte("in-place block!!")
		want := make([]byte, 16)
		ref.Encrypt(want, buf)
		c.Encrypt(buf, buf)
		if diff := cmp.Diff(want, buf); diff != "" {
			t.Errorf("AES-%d in-place Encrypt (-want +got):\n%s", 8*n, diff)
		}
		c.Decrypt(buf, buf)
		if diff := cmp.Diff([]byte("in-place block!!"), buf); diff != "" {
			t.Errorf("AES-%d in-place Decrypt(Encrypt(x)) (-want +got):\n%s", 8*n, diff)
		}

		multi := make([]byte, 39*16)
		for i := range multi {
			multi[i] = byte(i * 7)
		}
		wantMulti := make([]byte, len(multi))
		for i := 0; i < len(multi); i += 16 {
			ref.Encrypt(wantMulti[i:], multi[i:])
		}
		c.EncryptBlocks(multi, multi)
		if diff := cmp.Diff(wantMulti, multi); diff != "" {
			t.Errorf("AES-%d in-place EncryptBlocks (-want +got):\n%s", 8*n, diff)
		}
	}
}

func expectPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", name)
		}
	}()
	f()
}

// TestPanics checks the misuse that crypto/aes rejects: short buffers and
// partially overlapping buffers.
func TestPanics(t *testing.T) {
	forEachPath(t, testPanics)
}

func testPanics(t *testing.T, p impl.Path) {
	c := mustCipherOn(t, p, make([]byte, 16))
	buf := make([]byte, 64)
	expectPanic(t, "Encrypt short src", func() { c.Encrypt(buf, buf[:15]) })
	expectPanic(t, "Encrypt short dst", func() { c.Encrypt(buf[:15], buf[16:]) })
	expectPanic(t, "Decrypt short src", func() { c.Decrypt(buf, buf[:15]) })
	expectPanic(t, "Decrypt short dst", func() { c.Decrypt(buf[:15], buf[16:]) })
	expectPanic(t, "Encrypt overlap", func() { c.Encrypt(buf[1:], buf) })
	expectPanic(t, "Decrypt overlap", func() { c.Decrypt(buf, buf[15:]) })
	expectPanic(t, "EncryptBlocks partial block", func() { c.EncryptBlocks(buf, buf[:17]) })
	expectPanic(t, "EncryptBlocks short dst", func() { c.EncryptBlocks(buf[:16], buf[32:64]) })
	expectPanic(t, "EncryptBlocks overlap", func() { c.EncryptBlocks(buf[16:64], buf[:48]) })

	// Longer buffers than one block are fine for Encrypt/Decrypt (only the
	// first block is used), exact aliasing is fine, and empty EncryptBlocks
	// is a no-op.
	c.Encrypt(buf[:32], buf[32:])
	c.Decrypt(buf, buf)
	c.EncryptBlocks(nil, nil)
}

// TestNoAllocs checks that the per-block entry points do not allocate.
func TestNoAllocs(t *testing.T) {
	forEachPath(t, testNoAllocs)
}

func testNoAllocs(t *testing.T, p impl.Path) {
	c := mustCipherOn(t, p, make([]byte, 32))
	src := make([]byte, 20*16)
	dst := make([]byte, len(src))
	for name, f := range map[string]func(){
		"Encrypt":                  func() { c.Encrypt(dst, src) },
		"Decrypt":                  func() { c.Decrypt(dst, src) },
		"EncryptBlocks(20 blocks)": func() { c.EncryptBlocks(dst, src) },
		"EncryptBlocks(3 blocks)":  func() { c.EncryptBlocks(dst[:48], src[:48]) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per call", name, n)
		}
	}
}

// TestHardwareSkipsBitslicedKeys: a cipher made for a hardware path keeps
// only the schedule its instructions read (KeySchedule, with the path it was
// made for); the bitsliced round keys, never used there, are not built. A
// portable cipher is the other way round.
func TestHardwareSkipsBitslicedKeys(t *testing.T) {
	forEachPath(t, func(t *testing.T, p impl.Path) {
		c := mustCipherOn(t, p, []byte("0123456789abcdef"))
		bitsliced := c.roundKeys != [maxRounds + 1][8]uint64{}
		if p == impl.Portable {
			if !bitsliced || c.KeySchedule() != nil {
				t.Fatalf("portable cipher: bitsliced keys %v, KeySchedule %v", bitsliced, c.KeySchedule())
			}
			return
		}
		if bitsliced {
			t.Error("hardware cipher built bitsliced round keys it never uses")
		}
		if ks := c.KeySchedule(); ks == nil || ks.Path != p || ks.Rounds != 10 {
			t.Fatalf("KeySchedule() = %+v, want a 10-round schedule for %v", ks, p)
		}
	})
}
