package fuzz

import (
	"bytes"
	stdaes "crypto/aes"
	"crypto/cipher"
	"fmt"
	"testing"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
	"minitls/internal/impl"
)

// gcmKeySizes maps the first byte of the fuzzer's key argument to an AES key
// size, so every input exercises a valid key.
var gcmKeySizes = [3]int{16, 24, 32}

// fit returns b cut or zero-padded to exactly n bytes.
func fit(b []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, b)
	return out
}

// FuzzGCM checks minitls GCM (over minitls/cipher/aes, on every path this CPU
// supports, each forced in turn) against crypto/aes + crypto/cipher.NewGCM.
// Property: for any key (AES-128/192/256 chosen by its
// first byte, the rest cut or zero-padded to size), nonce (cut or padded to
// 12 bytes), plaintext (at most 16 KiB used) and additional data, Seal gives
// exactly the standard library's bytes, also in place; Open gives back the
// plaintext; and Open of the arbitrary bytes `garbage`, and of the sealed
// message XORed with them, reaches the same verdict as crypto/cipher and
// leaves the same bytes in dst (the plaintext on success, zeros on failure).
//
// spec: sp800-38d#7.1, sp800-38d#7.2
func FuzzGCM(f *testing.F) {
	f.Add([]byte{0}, make([]byte, 12), []byte{}, []byte{}, []byte{})
	f.Add([]byte("\x02thirty-two byte key for AES-256"), []byte("twelve bytes"), []byte("hello, world"), []byte("header"), []byte("not a ciphertext at all"))
	f.Fuzz(func(t *testing.T, keySel, nonce, plaintext, aad, garbage []byte) {
		size := 16
		if len(keySel) > 0 {
			size = gcmKeySizes[int(keySel[0])%len(gcmKeySizes)]
			keySel = keySel[1:]
		}
		key := fit(keySel, size)
		nonce = fit(nonce, gcm.NonceSize)
		if len(plaintext) > 16<<10 {
			plaintext = plaintext[:16<<10]
		}

		sb, err := stdaes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := cipher.NewGCM(sb)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range impl.Supported() {
			checkGCM(t, p, newGCMOnPath(t, p, key), ref, nonce, plaintext, aad, garbage)
		}
	})
}

// newGCMOnPath returns minitls GCM over minitls/cipher/aes made with path p
// forced, and fails unless it runs on p.
func newGCMOnPath(t *testing.T, p impl.Path, key []byte) cipher.AEAD {
	t.Helper()
	restore := impl.Force(p)
	defer restore()
	ob, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := gcm.New(ob)
	if err != nil {
		t.Fatal(err)
	}
	if got := gcm.PathOf(ours); got != p {
		t.Fatalf("gcm.New with %v forced runs on %v", p, got)
	}
	return ours
}

// checkGCM is FuzzGCM's property for one path.
func checkGCM(t *testing.T, p impl.Path, ours, ref cipher.AEAD, nonce, plaintext, aad, garbage []byte) {
	want := ref.Seal(nil, nonce, plaintext, aad)
	got := ours.Seal(nil, nonce, plaintext, aad)
	if !bytes.Equal(got, want) {
		t.Fatalf("%v: Seal = %x, crypto/cipher gives %x", p, got, want)
	}
	buf := append(make([]byte, 0, len(plaintext)+gcm.TagSize), plaintext...)
	if inPlace := ours.Seal(buf[:0], nonce, buf, aad); !bytes.Equal(inPlace, want) {
		t.Fatalf("%v: in-place Seal = %x, want %x", p, inPlace, want)
	}
	pt, err := ours.Open(buf[:0], nonce, buf[:len(want)], aad)
	if err != nil || !bytes.Equal(pt, plaintext) {
		t.Fatalf("%v: in-place Open(Seal(x)) = %x, %v; want %x", p, pt, err, plaintext)
	}

	tampered := bytes.Clone(want)
	for i := range tampered {
		if len(garbage) > 0 {
			tampered[i] ^= garbage[i%len(garbage)]
		}
	}
	for _, ct := range [][]byte{garbage, tampered} {
		refDst := make([]byte, 3, 3+len(ct))
		ourDst := make([]byte, 3, 3+len(ct))
		refOut, refErr := ref.Open(refDst, nonce, ct, aad)
		ourOut, ourErr := ours.Open(ourDst, nonce, ct, aad)
		if (refErr == nil) != (ourErr == nil) {
			t.Fatalf("%v: Open(%x): minitls err %v, crypto/cipher err %v", p, ct, ourErr, refErr)
		}
		if !bytes.Equal(ourOut, refOut) || (ourOut == nil) != (refOut == nil) {
			t.Fatalf("%v: Open(%x) = %x, crypto/cipher gives %x", p, ct, ourOut, refOut)
		}
		if !bytes.Equal(ourDst[:cap(ourDst)], refDst[:cap(refDst)]) {
			t.Fatalf("%v: Open(%x) left dst %x, crypto/cipher left %x", p, ct, ourDst[:cap(ourDst)], refDst[:cap(refDst)])
		}
	}
}

// FuzzGCMLayout checks every path against crypto/cipher on the lengths and
// buffer layouts the assembly's batching makes interesting. The fuzzer picks
// a plaintext length 0..2048 (every residue mod 16, 64, 128 and 256, so the
// last eight- or sixteen-block batch and the partial block fall everywhere),
// an additional-data length 0..255 (filled from seed), and where the output
// starts relative to the input (shift, in bytes) and where the additional
// data sits (aadAt; negative: a buffer of its own), all inside one buffer.
// Property: Seal and Open panic exactly when crypto/cipher's do (the output
// may alias the input only exactly, and may not touch the additional data);
// when they do not, the whole shared buffer afterwards, and the results, are
// byte for byte crypto/cipher's; Open of the sealed message, anywhere it
// lands, authenticates.
//
// spec: sp800-38d#7.1, sp800-38d#7.2
func FuzzGCMLayout(f *testing.F) {
	f.Add(byte(0), []byte("seed"), uint16(0), uint8(0), int16(0), int16(-1))
	f.Add(byte(1), []byte("seed"), uint16(127), uint8(13), int16(0), int16(-1))
	f.Add(byte(2), []byte("seed"), uint16(2048), uint8(255), int16(0), int16(-1))
	f.Add(byte(0), []byte("overlap"), uint16(300), uint8(13), int16(1), int16(-1))
	f.Add(byte(0), []byte("overlap"), uint16(300), uint8(13), int16(-16), int16(-1))
	f.Add(byte(0), []byte("aad in output"), uint16(64), uint8(13), int16(0), int16(40))
	f.Fuzz(func(t *testing.T, keySel byte, seed []byte, ptLen uint16, aadLen uint8, shift, aadAt int16) {
		if len(seed) == 0 {
			seed = []byte{0}
		}
		n := int(ptLen) % 2049
		key := fit(seed, gcmKeySizes[int(keySel)%len(gcmKeySizes)])
		nonce := fit(seed[len(seed)/2:], gcm.NonceSize)
		sb, err := stdaes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := cipher.NewGCM(sb)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range impl.Supported() {
			ours := newGCMOnPath(t, p, key)
			for _, open := range []bool{false, true} {
				checkLayout(t, p, open, ours, ref, nonce, seed, n, int(aadLen), int(shift), int(aadAt))
			}
		}
	})
}

// checkLayout runs one Seal (or Open of a sealed message) of n bytes laid
// out in a shared buffer, on minitls and on crypto/cipher, and compares the
// panics, results and the buffers.
func checkLayout(t *testing.T, p impl.Path, open bool, ours, ref cipher.AEAD, nonce, seed []byte, n, aadLen, shift, aadAt int) {
	inLen := n
	if open {
		inLen = n + gcm.TagSize
	}
	// The input sits at base; the output may start up to base bytes before
	// it or after it, and the buffer has room for a whole output there.
	base := inLen + 2*gcm.TagSize
	size := 2*base + inLen + gcm.TagSize + aadLen
	shift %= base
	layout := func() (buf, in, dst, aad []byte) {
		buf = make([]byte, size)
		for i := range buf {
			buf[i] = seed[i%len(seed)] ^ byte(i>>8)
		}
		aad = fit(seed, aadLen)
		if aadAt >= 0 {
			at := aadAt % (size - aadLen + 1)
			aad = buf[at : at+aadLen]
		}
		in = buf[base : base+inLen]
		if open {
			// A sealed message of n bytes of this buffer's plaintext.
			sealed := ref.Seal(nil, nonce, buf[base:base+n], aad)
			copy(in, sealed)
		}
		dst = buf[base+shift : base+shift]
		return buf, in, dst, aad
	}
	run := func(a cipher.AEAD) (buf, out []byte, panicked any, err error) {
		buf, in, dst, aad := layout()
		panicked = catch(func() {
			if open {
				out, err = a.Open(dst, nonce, in, aad)
			} else {
				out = a.Seal(dst, nonce, in, aad)
			}
		})
		return buf, out, panicked, err
	}
	refBuf, refOut, refPanic, refErr := run(ref)
	ourBuf, ourOut, ourPanic, ourErr := run(ours)
	what := fmt.Sprintf("%v: open=%v, %d bytes, %d bytes of aad at %d, output shifted %d", p, open, n, aadLen, aadAt, shift)
	if (refPanic != nil) != (ourPanic != nil) {
		t.Fatalf("%s: minitls panic %v, crypto/cipher panic %v", what, ourPanic, refPanic)
	}
	if refPanic != nil {
		return
	}
	if (refErr == nil) != (ourErr == nil) {
		t.Fatalf("%s: minitls err %v, crypto/cipher err %v", what, ourErr, refErr)
	}
	if !bytes.Equal(ourOut, refOut) {
		t.Fatalf("%s: result %x, crypto/cipher gives %x", what, ourOut, refOut)
	}
	if !bytes.Equal(ourBuf, refBuf) {
		t.Fatalf("%s: the shared buffer differs from crypto/cipher's afterwards", what)
	}
}

// catch runs f and returns what it panicked with, or nil.
func catch(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}
