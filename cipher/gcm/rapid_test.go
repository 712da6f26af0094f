package gcm

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// gcmInput is one random GCM invocation: key size 16/24/32, a 12-byte nonce,
// 0..4 KiB of plaintext and 0..300 bytes of additional data (past the
// assembly paths' GHASH batches of 128 and 256 bytes).
type gcmInput struct {
	key, nonce, plaintext, aad []byte
}

func drawInput(t *rapid.T) gcmInput {
	keySize := rapid.SampledFrom([]int{16, 24, 32}).Draw(t, "keySize")
	return gcmInput{
		key:       rapid.SliceOfN(rapid.Byte(), keySize, keySize).Draw(t, "key"),
		nonce:     rapid.SliceOfN(rapid.Byte(), NonceSize, NonceSize).Draw(t, "nonce"),
		plaintext: rapid.SliceOfN(rapid.Byte(), 0, 4096).Draw(t, "plaintext"),
		aad:       rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "aad"),
	}
}

// TestDifferentialStdlib: for random inputs, Seal gives exactly what
// crypto/aes + crypto/cipher.NewGCM gives, also when appending to a non-empty
// dst, and Open gives back the plaintext exactly as the oracle's Open does.
func TestDifferentialStdlib(t *testing.T) {
	for _, impl := range blockImpls {
		t.Run(impl.name, rapid.MakeCheck(func(t *rapid.T) {
			in := drawInput(t)
			prefix := rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, "dstPrefix")
			std := newStdGCM(t, in.key)
			g := newAEAD(t, impl, in.key)

			want := std.Seal(bytes.Clone(prefix), in.nonce, in.plaintext, in.aad)
			got := g.Seal(bytes.Clone(prefix), in.nonce, in.plaintext, in.aad)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("Seal differs from crypto/cipher (-std +minitls):\n%s", diff)
			}
			sealed := got[len(prefix):]
			wantPT, wantErr := std.Open(bytes.Clone(prefix), in.nonce, sealed, in.aad)
			gotPT, gotErr := g.Open(bytes.Clone(prefix), in.nonce, sealed, in.aad)
			if wantErr != nil || gotErr != nil {
				t.Fatalf("Open errors: std %v, minitls %v", wantErr, gotErr)
			}
			if diff := cmp.Diff(wantPT, gotPT); diff != "" {
				t.Fatalf("Open differs from crypto/cipher (-std +minitls):\n%s", diff)
			}
		}))
	}
}

// TestRoundTrip: Open(Seal(x)) == x, and Seal's output is len(x)+16 bytes.
func TestRoundTrip(t *testing.T) {
	for _, impl := range blockImpls {
		t.Run(impl.name, rapid.MakeCheck(func(t *rapid.T) {
			in := drawInput(t)
			g := newAEAD(t, impl, in.key)
			sealed := g.Seal(nil, in.nonce, in.plaintext, in.aad)
			if len(sealed) != len(in.plaintext)+g.Overhead() {
				t.Fatalf("Seal output %d bytes for %d of plaintext", len(sealed), len(in.plaintext))
			}
			pt, err := g.Open(nil, in.nonce, sealed, in.aad)
			if err != nil {
				t.Fatalf("Open(Seal(x)): %v", err)
			}
			if diff := cmp.Diff(in.plaintext, pt, cmpEmptyIsNil); diff != "" {
				t.Fatalf("Open(Seal(x)) != x (-want +got):\n%s", diff)
			}
		}))
	}
}

// cmpEmptyIsNil treats nil and empty byte slices as equal, since Open of an
// empty plaintext may return either.
var cmpEmptyIsNil = cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })

// TestBitFlipRejected: flipping any one bit of the ciphertext, the tag, the
// nonce or the additional data makes Open fail with ErrOpen, return nil, and
// leave the output region of dst zeroed (no unauthenticated plaintext).
func TestBitFlipRejected(t *testing.T) {
	for _, impl := range blockImpls {
		t.Run(impl.name, rapid.MakeCheck(func(t *rapid.T) {
			in := drawInput(t)
			g := newAEAD(t, impl, in.key)
			sealed := g.Seal(nil, in.nonce, in.plaintext, in.aad)
			nonce, aad := bytes.Clone(in.nonce), bytes.Clone(in.aad)

			targets := []string{"ciphertext+tag", "nonce"}
			if len(aad) > 0 {
				targets = append(targets, "aad")
			}
			var buf []byte
			switch rapid.SampledFrom(targets).Draw(t, "target") {
			case "ciphertext+tag":
				buf = sealed // the tag is the last 16 bytes, so it can be hit too
			case "nonce":
				buf = nonce
			case "aad":
				buf = aad
			}
			bit := rapid.IntRange(0, len(buf)*8-1).Draw(t, "bit")
			buf[bit/8] ^= 1 << (bit % 8)

			dst := make([]byte, 0, len(sealed))
			got, err := g.Open(dst, nonce, sealed, aad)
			if !errors.Is(err, ErrOpen) || got != nil {
				t.Fatalf("Open after flipping bit %d: %x, %v; want nil, ErrOpen", bit, got, err)
			}
			region := dst[:len(sealed)-TagSize]
			if !bytes.Equal(region, make([]byte, len(region))) {
				t.Fatalf("failed Open left %x in dst", region)
			}
		}))
	}
}

// TestInPlace: Seal with dst = plaintext[:0] and Open with dst =
// ciphertext[:0] work and give the oracle's results.
func TestInPlace(t *testing.T) {
	for _, impl := range blockImpls {
		t.Run(impl.name, rapid.MakeCheck(func(t *rapid.T) {
			in := drawInput(t)
			std := newStdGCM(t, in.key)
			g := newAEAD(t, impl, in.key)
			want := std.Seal(nil, in.nonce, in.plaintext, in.aad)

			buf := make([]byte, len(in.plaintext), len(in.plaintext)+TagSize)
			copy(buf, in.plaintext)
			sealed := g.Seal(buf[:0], in.nonce, buf, in.aad)
			if diff := cmp.Diff(want, sealed); diff != "" {
				t.Fatalf("in-place Seal differs (-std +minitls):\n%s", diff)
			}
			if &sealed[0] != &buf[:1][0] {
				t.Fatalf("in-place Seal did not use the plaintext's storage")
			}
			opened, err := g.Open(sealed[:0], in.nonce, sealed, in.aad)
			if err != nil {
				t.Fatalf("in-place Open: %v", err)
			}
			if diff := cmp.Diff(in.plaintext, opened, cmpEmptyIsNil); diff != "" {
				t.Fatalf("in-place Open (-want +got):\n%s", diff)
			}
		}))
	}
}

// TestGFMulReference checks the constant-time field multiplication against
// Algorithm 1 of SP 800-38D, computed bit by bit, on random elements and on
// the dense all-ones patterns that would overflow a 4-bit lane if the top-bit
// fixup in clmul were wrong.
func TestGFMulReference(t *testing.T) {
	special := []fieldElement{
		{0, 0}, {^uint64(0), ^uint64(0)}, {1 << 63, 0}, {0, 1}, {^uint64(0), 0}, {0, ^uint64(0)},
		{0xf000000000000000, 0xf000000000000000}, {0x0fffffffffffffff, 0x0fffffffffffffff},
	}
	for _, x := range special {
		for _, y := range special {
			if got, want := mul(x, y), mulReference(x, y); got != want {
				t.Errorf("mul(%x, %x) = %x, want %x", x, y, got, want)
			}
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		elem := func(name string) fieldElement {
			return fieldElement{rapid.Uint64().Draw(t, name+".hi"), rapid.Uint64().Draw(t, name+".lo")}
		}
		x, y := elem("x"), elem("y")
		if got, want := mul(x, y), mulReference(x, y); got != want {
			t.Fatalf("mul(%x, %x) = %x, want %x", x, y, got, want)
		}
	})
}

// mulReference is Algorithm 1 (sp800-38d#6.3) as written: Z0 = 0, V0 = Y;
// for each bit x_i of X (x_0 first, the most significant bit of byte 0),
// Z ^= V if x_i = 1; then V = V>>1, xor R = 11100001 || 0^120 if the bit
// shifted out was 1. It branches on data, which is fine for a test oracle.
func mulReference(x, y fieldElement) fieldElement {
	var z fieldElement
	v := y
	for i := 0; i < 128; i++ {
		var bit uint64
		if i < 64 {
			bit = x.hi >> (63 - i) & 1
		} else {
			bit = x.lo >> (127 - i) & 1
		}
		if bit == 1 {
			z.hi ^= v.hi
			z.lo ^= v.lo
		}
		lsb := v.lo & 1
		v.lo = v.lo>>1 | v.hi<<63
		v.hi >>= 1
		if lsb == 1 {
			v.hi ^= 0xe1 << 56
		}
	}
	return z
}

// TestGHASHReference checks update (with its four-block aggregation, the
// single-block loop and the zero-padded tail) against the defining
// recurrence Y_i = (Y_(i-1) xor X_i) * H computed with mulReference.
func TestGHASHReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := fieldElement{rapid.Uint64().Draw(t, "h.hi"), rapid.Uint64().Draw(t, "h.lo")}
		data := rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "data")
		k := newGHASHKey(h)
		var got fieldElement
		k.update(&got, data)

		var want fieldElement
		padded := append(bytes.Clone(data), make([]byte, (16-len(data)%16)%16)...)
		for i := 0; i < len(padded); i += 16 {
			x := loadElement(padded[i:])
			want = mulReference(fieldElement{want.hi ^ x.hi, want.lo ^ x.lo}, h)
		}
		if got != want {
			t.Fatalf("GHASH over %d bytes = %x, want %x", len(data), got, want)
		}
	})
}
