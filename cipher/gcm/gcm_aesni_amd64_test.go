//go:build amd64 && !purego

package gcm

import (
	"bytes"
	stdaes "crypto/aes"
	"encoding/binary"
	"testing"

	"pgregory.net/rapid"

	"minitls/cipher/aes"
	"minitls/internal/impl"
)

// aesniFor returns the AES-NI GCM for key, or fails the test on a CPU
// without the path (impl.Force panics there).
func aesniFor(t tb, key []byte) *aesniGCM {
	t.Helper()
	defer impl.Force(impl.AESNI)()
	b, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	ks := b.(scheduled).KeySchedule()
	if ks == nil || ks.Path != impl.AESNI {
		t.Fatalf("aes.NewCipher forced to aesni gave schedule %v", ks)
	}
	return newAESNI(ks).(*aesniGCM)
}

// stdKeyStream returns CIPH_K(CB_1) || ... || CIPH_K(CB_n) with crypto/aes,
// the counter blocks built by the portable counter and its inc32.
func stdKeyStream(t tb, key []byte, cb counter, n int) []byte {
	t.Helper()
	b, err := stdaes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	ks := make([]byte, n*BlockSize)
	for i := 0; i < len(ks); i += BlockSize {
		cb.put(ks[i:])
		b.Encrypt(ks[i:i+BlockSize], ks[i:i+BlockSize])
		cb.inc32()
	}
	return ks
}

// hasAESNI reports whether this CPU runs the AES-NI path; the tests below
// run on every machine minitls is tested on that has it, and say so when
// it does not (the purego build and other CPUs test the portable path).
func hasAESNI(t *testing.T) bool {
	if !impl.IsSupported(impl.AESNI) {
		t.Log("this CPU has no AES-NI + PCLMULQDQ: the aesni assembly is not exercised")
		return false
	}
	return true
}

// TestAESNICounterWraps: the assembly's inc32 (sp800-38d#6.2) wraps the
// low 32 bits modulo 2^32 and leaves the IV alone, wherever the wrap falls:
// inside an eight-block batch, at a batch boundary, in the one-block loop of
// aesniCTR, and inside the fused batches of aesniSeal. Seal and Open never
// reach the wrap (J0's counter is 1 and messages are shorter than 2^32-2
// blocks), so the routines are called directly with counters near 2^32.
func TestAESNICounterWraps(t *testing.T) {
	if !hasAESNI(t) {
		return
	}
	for _, keySize := range []int{16, 24, 32} {
		key := bytes.Repeat([]byte{byte(keySize)}, keySize)
		g := aesniFor(t, key)
		iv := bytes.Repeat([]byte{0xa5}, NonceSize)
		for back := 1; back <= 3*8+5; back++ { // the wrap at every block position
			start := counter{
				prefix0: binary.LittleEndian.Uint64(iv[0:8]),
				prefix1: binary.LittleEndian.Uint32(iv[8:12]),
				ctr:     uint32(-back), // 2^32 - back
			}
			const blocks = 8*3 + 5 // three batches and five single blocks
			src := make([]byte, blocks*BlockSize)
			for i := range src {
				src[i] = byte(i * 7)
			}
			want := stdKeyStream(t, key, start, blocks)
			for i := range want {
				want[i] ^= src[i]
			}
			end := start
			for range blocks {
				end.inc32()
			}
			var wantEnd [BlockSize]byte
			end.put(wantEnd[:])

			// aesniCTR: three batches of eight, then the one-block loop.
			var cb [BlockSize]byte
			start.put(cb[:])
			got := make([]byte, len(src))
			aesniCTR(&g.ks.Enc[0], g.ks.Rounds, &cb, &got[0], &src[0], blocks)
			if !bytes.Equal(got, want) {
				t.Errorf("AES-%d, counter 2^32-%d: aesniCTR differs from crypto/aes counter mode", keySize*8, back)
			}
			if cb != wantEnd {
				t.Errorf("AES-%d, counter 2^32-%d: aesniCTR left counter block %x, want %x", keySize*8, back, cb, wantEnd)
			}

			// aesniSeal: the same three batches through the fused loop.
			start.put(cb[:])
			got = make([]byte, 3*aesniBatch)
			var y [BlockSize]byte
			aesniSeal(&g.ks.Enc[0], g.ks.Rounds, &g.tbl, &y, &cb, &got[0], &src[0], 3)
			if !bytes.Equal(got, want[:3*aesniBatch]) {
				t.Errorf("AES-%d, counter 2^32-%d: aesniSeal's ciphertext differs from crypto/aes counter mode", keySize*8, back)
			}
			mid := start
			for range 3 * 8 {
				mid.inc32()
			}
			var wantMid [BlockSize]byte
			mid.put(wantMid[:])
			if cb != wantMid {
				t.Errorf("AES-%d, counter 2^32-%d: aesniSeal left counter block %x, want %x", keySize*8, back, cb, wantMid)
			}
		}
	}
}

// TestAESNIGHASH: the assembly's GHASH (eight-block aggregation, the
// remainder of one to seven blocks with H^k..H^1, and the reductions)
// equals the defining recurrence Y_i = (Y_(i-1) xor X_i) * H
// (sp800-38d#6.4), computed with Algorithm 1 (mulReference), for random H,
// starting values and lengths of 0 to 40 blocks; and aesniSeal's hash of
// all but its last batch is the same recurrence over that ciphertext.
func TestAESNIGHASH(t *testing.T) {
	if !hasAESNI(t) {
		return
	}
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "key")
		g := aesniFor(t, key)
		var hb [BlockSize]byte
		stdb, _ := stdaes.NewCipher(key)
		stdb.Encrypt(hb[:], hb[:])
		h := loadElement(hb[:])
		y0 := fieldElement{rapid.Uint64().Draw(t, "y.hi"), rapid.Uint64().Draw(t, "y.lo")}
		blocks := rapid.IntRange(0, 40).Draw(t, "blocks")
		data := rapid.SliceOfN(rapid.Byte(), blocks*BlockSize, blocks*BlockSize).Draw(t, "data")

		want := y0
		for i := 0; i < len(data); i += BlockSize {
			x := loadElement(data[i:])
			want = mulReference(fieldElement{want.hi ^ x.hi, want.lo ^ x.lo}, h)
		}
		y := yImage(y0)
		if blocks > 0 {
			aesniGHASH(&g.tbl, &y, &data[0], blocks)
		}
		if got := yElement(y); got != want {
			t.Fatalf("aesniGHASH over %d blocks = %x, want %x", blocks, got, want)
		}

		// The fused loop hashes every batch but the last.
		batches := blocks / 8
		if batches == 0 {
			return
		}
		var cb [BlockSize]byte
		ct := make([]byte, batches*aesniBatch)
		y = yImage(y0)
		aesniSeal(&g.ks.Enc[0], g.ks.Rounds, &g.tbl, &y, &cb, &ct[0], &data[0], batches)
		want = y0
		for i := 0; i < len(ct)-aesniBatch; i += BlockSize {
			x := loadElement(ct[i:])
			want = mulReference(fieldElement{want.hi ^ x.hi, want.lo ^ x.lo}, h)
		}
		if got := yElement(y); got != want {
			t.Fatalf("aesniSeal's GHASH over %d batches = %x, want %x", batches-1, got, want)
		}
	})
}

// yImage and yElement convert between a field element and the byte-reversed
// 16 bytes the assembly keeps Y in (low quadword = e.lo).
func yImage(e fieldElement) (y [BlockSize]byte) {
	binary.LittleEndian.PutUint64(y[0:], e.lo)
	binary.LittleEndian.PutUint64(y[8:], e.hi)
	return y
}

func yElement(y [BlockSize]byte) fieldElement {
	return fieldElement{hi: binary.LittleEndian.Uint64(y[8:]), lo: binary.LittleEndian.Uint64(y[0:])}
}

// TestAESNIEncryptBlock: the one-block routine newAESNI uses for H is
// FIPS 197's cipher: Appendix C's example vectors for the three key sizes.
func TestAESNIEncryptBlock(t *testing.T) {
	if !hasAESNI(t) {
		return
	}
	pt := mustHex(t, "00112233445566778899aabbccddeeff")
	for _, tc := range []struct{ key, ct string }{
		{"000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"},
		{"000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"},
		{"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089"},
	} {
		g := aesniFor(t, mustHex(t, tc.key))
		var got [BlockSize]byte
		aesniEncryptBlock(&g.ks.Enc[0], g.ks.Rounds, &got[0], &pt[0])
		if want := mustHex(t, tc.ct); !bytes.Equal(got[:], want) {
			t.Errorf("key %s: %x, want %x (fips197 Appendix C)", tc.key, got, want)
		}
	}
}
