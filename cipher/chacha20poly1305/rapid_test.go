package chacha20poly1305

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	xchacha "golang.org/x/crypto/chacha20poly1305"
	"pgregory.net/rapid"
)

// aeadInput is one random AEAD invocation: any key and nonce, 0..2 KiB of
// plaintext (every residue modulo the 64-byte block and the 512- and
// 1024-byte batches of the assembly paths) and 0..300 bytes of additional
// data.
type aeadInput struct {
	key, nonce, plaintext, aad []byte
}

func drawInput(t *rapid.T) aeadInput {
	return aeadInput{
		key:       rapid.SliceOfN(rapid.Byte(), KeySize, KeySize).Draw(t, "key"),
		nonce:     rapid.SliceOfN(rapid.Byte(), NonceSize, NonceSize).Draw(t, "nonce"),
		plaintext: rapid.SliceOfN(rapid.Byte(), 0, 2048).Draw(t, "plaintext"),
		aad:       rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "aad"),
	}
}

// newOracle returns x/crypto's ChaCha20-Poly1305, the test oracle.
func newOracle(t tb, key []byte) interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
} {
	t.Helper()
	o, err := xchacha.New(key)
	if err != nil {
		t.Fatalf("x/crypto New: %v", err)
	}
	return o
}

// TestDifferentialXCrypto: on every path, Seal gives exactly what
// golang.org/x/crypto/chacha20poly1305 gives, also when appending to a
// non-empty dst, and Open gives back the plaintext as the oracle's Open does.
func TestDifferentialXCrypto(t *testing.T) {
	forEachPath(t, func(t *testing.T, _ path) {
		rapid.Check(t, func(t *rapid.T) {
			in := drawInput(t)
			prefix := rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, "dstPrefix")
			oracle := newOracle(t, in.key)
			a, err := New(in.key)
			if err != nil {
				t.Fatal(err)
			}
			want := oracle.Seal(bytes.Clone(prefix), in.nonce, in.plaintext, in.aad)
			got := a.Seal(bytes.Clone(prefix), in.nonce, in.plaintext, in.aad)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("Seal differs from x/crypto (-x/crypto +minitls):\n%s", diff)
			}
			sealed := got[len(prefix):]
			wantPT, wantErr := oracle.Open(bytes.Clone(prefix), in.nonce, sealed, in.aad)
			gotPT, gotErr := a.Open(bytes.Clone(prefix), in.nonce, sealed, in.aad)
			if wantErr != nil || gotErr != nil {
				t.Fatalf("Open errors: x/crypto %v, minitls %v", wantErr, gotErr)
			}
			if diff := cmp.Diff(wantPT, gotPT); diff != "" {
				t.Fatalf("Open differs from x/crypto (-x/crypto +minitls):\n%s", diff)
			}
		})
	})
}

// TestInPlace: Seal into plaintext[:0] and Open into ciphertext[:0] (the
// exact overlap crypto/cipher allows) give the same bytes as separate
// buffers.
func TestInPlace(t *testing.T) {
	forEachPath(t, func(t *testing.T, _ path) {
		rapid.Check(t, func(t *rapid.T) {
			in := drawInput(t)
			a, _ := New(in.key)
			want := a.Seal(nil, in.nonce, in.plaintext, in.aad)
			buf := make([]byte, len(in.plaintext), len(in.plaintext)+TagSize)
			copy(buf, in.plaintext)
			sealed := a.Seal(buf[:0], in.nonce, buf, in.aad)
			if !bytes.Equal(sealed, want) {
				t.Fatalf("in-place Seal = %x, want %x", sealed, want)
			}
			opened, err := a.Open(sealed[:0], in.nonce, sealed, in.aad)
			if err != nil || !bytes.Equal(opened, in.plaintext) {
				t.Fatalf("in-place Open = %x, %v; want %x", opened, err, in.plaintext)
			}
		})
	})
}

// TestOverlapPanics: an output that overlaps the input other than exactly,
// or overlaps the additional data at all, panics in Seal and Open, as
// crypto/cipher defines for AEADs.
func TestOverlapPanics(t *testing.T) {
	forEachPath(t, func(t *testing.T, _ path) {
		rapid.Check(t, func(t *rapid.T) {
			n := rapid.IntRange(2, 300).Draw(t, "n")
			shift := rapid.IntRange(1, n-1).Draw(t, "shift")
			a, _ := New(make([]byte, KeySize))
			nonce := make([]byte, NonceSize)
			buf := make([]byte, n+shift+TagSize)
			if catchPanic(func() { a.Seal(buf[shift:shift], nonce, buf[:n], nil) }) == nil {
				t.Fatalf("Seal with output shifted %d bytes into the input did not panic", shift)
			}
			if catchPanic(func() { a.Seal(buf[:0], nonce, buf[shift:shift+n], nil) }) == nil {
				t.Fatalf("Seal with output %d bytes before the input did not panic", shift)
			}
			sealed := a.Seal(nil, nonce, make([]byte, n), nil)
			copy(buf, sealed)
			if catchPanic(func() { _, _ = a.Open(buf[shift:shift], nonce, buf[:len(sealed)], nil) }) == nil {
				t.Fatalf("Open with output shifted %d bytes into the input did not panic", shift)
			}
			aad := make([]byte, n+TagSize)
			if catchPanic(func() { a.Seal(aad[:0], nonce, make([]byte, n), aad) }) == nil {
				t.Fatalf("Seal writing over the additional data did not panic")
			}
		})
	})
}

// TestBitFlipsRejected: flipping any one bit of the ciphertext, the tag, the
// additional data or the nonce makes Open fail with ErrOpen and write no
// plaintext.
func TestBitFlipsRejected(t *testing.T) {
	forEachPath(t, func(t *testing.T, _ path) {
		rapid.Check(t, func(t *rapid.T) {
			in := drawInput(t)
			a, _ := New(in.key)
			sealed := a.Seal(nil, in.nonce, in.plaintext, in.aad)
			nonce, aad := bytes.Clone(in.nonce), bytes.Clone(in.aad)
			target := rapid.SampledFrom([]string{"sealed", "aad", "nonce"}).Draw(t, "target")
			var flip []byte
			switch target {
			case "sealed":
				flip = sealed
			case "aad":
				flip = aad
			case "nonce":
				flip = nonce
			}
			if len(flip) == 0 {
				flip = sealed
			}
			bit := rapid.IntRange(0, 8*len(flip)-1).Draw(t, "bit")
			flip[bit/8] ^= 1 << (bit % 8)
			dst := make([]byte, 0, len(sealed))
			got, err := a.Open(dst, nonce, sealed, aad)
			if !errors.Is(err, ErrOpen) || got != nil {
				t.Fatalf("Open after flipping bit %d of the %s = %x, %v; want ErrOpen", bit, target, got, err)
			}
			if n := len(sealed) - TagSize; !bytes.Equal(dst[:n], make([]byte, n)) {
				t.Fatalf("failed Open wrote plaintext into dst")
			}
		})
	})
}

// TestStreamAllLengthsAndCounters: the key stream on every path equals the
// portable block function's, for every length 0..1100 (every residue of the
// 64-byte block and of the 512-byte AVX2 and 1024-byte AVX-512 batches) and
// counters near the 32-bit wrap that Seal never reaches but the batch code
// must not mishandle below it.
func TestStreamAllLengthsAndCounters(t *testing.T) {
	key := bytes.Repeat([]byte{0xa5}, KeySize)
	nonce := []byte("nonce 12 byt")
	src := make([]byte, 1100)
	for i := range src {
		src[i] = byte(i * 7)
	}
	forEachPath(t, func(t *testing.T, p path) {
		for _, counter := range []uint32{0, 1, 7, 1<<32 - 20} {
			for n := 0; n <= len(src); n++ {
				if counter > 1<<32-20-1 && n > 19*blockSize {
					break
				}
				want := xorStream(pathPortable, key, nonce, counter, src[:n])
				if got := xorStream(p, key, nonce, counter, src[:n]); !bytes.Equal(got, want) {
					t.Fatalf("counter %d, length %d: stream differs from the portable block function", counter, n)
				}
			}
		}
	})
}

// TestNewRefusesKeySize: keys other than 32 bytes are refused with ErrKeySize.
func TestNewRefusesKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := New(make([]byte, n)); !errors.Is(err, ErrKeySize) {
			t.Errorf("New(%d-byte key) error %v, want ErrKeySize", n, err)
		}
	}
}

// TestShortCiphertext: a ciphertext shorter than a tag is ErrOpen, not a panic.
func TestShortCiphertext(t *testing.T) {
	a, _ := New(make([]byte, KeySize))
	for n := range TagSize {
		if _, err := a.Open(nil, make([]byte, NonceSize), make([]byte, n), nil); !errors.Is(err, ErrOpen) {
			t.Errorf("Open(%d bytes) error %v, want ErrOpen", n, err)
		}
	}
}

// TestStitchedLengths: every length from 1900 to 5200 bytes (where the
// avx512 path starts running Poly1305 inside the ChaCha20 batches: 960
// bytes made ahead, then 1024-byte batches each absorbing a 1024-byte
// window, and a tail) seals to x/crypto's bytes and opens back, in separate
// buffers and in place, on every path; a flipped bit in the last window
// is refused and leaves no plaintext.
func TestStitchedLengths(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	nonce := []byte("stitch nonce")
	aad := []byte("additional data of 29 bytes..")
	src := make([]byte, 5200)
	for i := range src {
		src[i] = byte(i*13 + 5)
	}
	oracle := newOracle(t, key)
	forEachPath(t, func(t *testing.T, _ path) {
		a, _ := New(key)
		for n := 1900; n <= len(src); n++ {
			want := oracle.Seal(nil, nonce, src[:n], aad)
			if got := a.Seal(nil, nonce, src[:n], aad); !bytes.Equal(got, want) {
				t.Fatalf("length %d: Seal differs from x/crypto", n)
			}
			buf := append(make([]byte, 0, n+TagSize), src[:n]...)
			sealed := a.Seal(buf[:0], nonce, buf, aad)
			if !bytes.Equal(sealed, want) {
				t.Fatalf("length %d: in-place Seal differs from x/crypto", n)
			}
			if pt, err := a.Open(nil, nonce, want, aad); err != nil || !bytes.Equal(pt, src[:n]) {
				t.Fatalf("length %d: Open: %v", n, err)
			}
			if pt, err := a.Open(sealed[:0], nonce, sealed, aad); err != nil || !bytes.Equal(pt, src[:n]) {
				t.Fatalf("length %d: in-place Open: %v", n, err)
			}
			bad := bytes.Clone(want)
			bad[n-1] ^= 0x80
			out := make([]byte, 0, n)
			if pt, err := a.Open(out, nonce, bad, aad); !errors.Is(err, ErrOpen) || pt != nil || !bytes.Equal(out[:n], make([]byte, n)) {
				t.Fatalf("length %d: tampered Open = %v, %v, or left plaintext", n, pt != nil, err)
			}
		}
	})
}
