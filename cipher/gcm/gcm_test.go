package gcm

import (
	"bytes"
	stdaes "crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"minitls/cipher/aes"
)

// TestNewWithSizes: 12/16 is accepted; every other combination returns a
// *SizeError that wraps exactly the sentinels for what was wrong and whose
// message says what is supported.
func TestNewWithSizes(t *testing.T) {
	b, err := aes.NewCipher(make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewWithSizes(b, 12, 16); err != nil {
		t.Fatalf("NewWithSizes(12, 16): %v", err)
	}
	for _, tc := range []struct{ nonce, tag int }{
		{0, 16}, {8, 16}, {16, 16}, {12, 12}, {12, 4}, {12, 17}, {0, 0}, {-1, 16}, {12, -16}, {16, 8},
	} {
		_, err := NewWithSizes(b, tc.nonce, tc.tag)
		var se *SizeError
		if !errors.As(err, &se) {
			t.Errorf("NewWithSizes(%d, %d) = %v, want *SizeError", tc.nonce, tc.tag, err)
			continue
		}
		if se.NonceSize != tc.nonce || se.TagSize != tc.tag {
			t.Errorf("SizeError = %+v, want sizes %d, %d", se, tc.nonce, tc.tag)
		}
		if got := errors.Is(err, ErrNonceSize); got != (tc.nonce != 12) {
			t.Errorf("NewWithSizes(%d, %d): errors.Is(ErrNonceSize) = %v", tc.nonce, tc.tag, got)
		}
		if got := errors.Is(err, ErrTagSize); got != (tc.tag != 16) {
			t.Errorf("NewWithSizes(%d, %d): errors.Is(ErrTagSize) = %v", tc.nonce, tc.tag, got)
		}
		msg := err.Error()
		if !strings.Contains(msg, "12-byte nonces and 16-byte tags") {
			t.Errorf("message %q does not say what is supported", msg)
		}
		if tc.nonce != 12 && !strings.Contains(msg, fmt.Sprintf("nonce size %d bytes", tc.nonce)) ||
			tc.tag != 16 && !strings.Contains(msg, fmt.Sprintf("tag size %d bytes", tc.tag)) {
			t.Errorf("message %q does not name the rejected size", msg)
		}
	}
}

// TestNewRejectsNon128BitBlock: GCM needs a 16-byte block (DES has 8).
func TestNewRejectsNon128BitBlock(t *testing.T) {
	d, err := des.NewCipher(make([]byte, 8))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(d); !errors.Is(err, ErrBlockSize) {
		t.Errorf("New(DES) = %v, want ErrBlockSize", err)
	}
	if _, err := New(nil); !errors.Is(err, ErrBlockSize) {
		t.Errorf("New(nil) = %v, want ErrBlockSize", err)
	}
}

func TestSizes(t *testing.T) {
	for _, impl := range blockImpls {
		g := newAEAD(t, impl, make([]byte, 16))
		if g.NonceSize() != 12 || g.Overhead() != 16 {
			t.Errorf("%s: NonceSize %d, Overhead %d; want 12, 16", impl.name, g.NonceSize(), g.Overhead())
		}
	}
}

// TestPanicsLikeStdlib: every misuse that makes crypto/cipher's GCM panic
// makes ours panic too, and the legal edge cases (exact aliasing, a
// too-short ciphertext) do not panic in either.
func TestPanicsLikeStdlib(t *testing.T) {
	key := make([]byte, 16)
	std := newStdGCM(t, key)
	for _, impl := range blockImpls {
		g := newAEAD(t, impl, key)
		nonce := make([]byte, 12)
		buf := make([]byte, 64)
		sealed := g.Seal(nil, nonce, buf[:32], nil)
		cases := []struct {
			name      string
			wantPanic bool
			run       func(a cipher.AEAD)
		}{
			{"Seal short nonce", true, func(a cipher.AEAD) { a.Seal(nil, nonce[:11], nil, nil) }},
			{"Seal long nonce", true, func(a cipher.AEAD) { a.Seal(nil, make([]byte, 13), nil, nil) }},
			{"Open short nonce", true, func(a cipher.AEAD) { _, _ = a.Open(nil, nonce[:8], sealed, nil) }},
			{"Seal output overlaps plaintext inexactly", true, func(a cipher.AEAD) {
				b := make([]byte, 64)
				a.Seal(b[1:1], nonce, b[:32], nil)
			}},
			{"Seal output overlaps aad", true, func(a cipher.AEAD) {
				b := make([]byte, 64)
				a.Seal(b[:0], nonce, nil, b[:8])
			}},
			{"Open output overlaps ciphertext inexactly", true, func(a cipher.AEAD) {
				b := append(make([]byte, 0, 64), sealed...)
				_, _ = a.Open(b[1:1], nonce, b, nil)
			}},
			{"Open output overlaps aad", true, func(a cipher.AEAD) {
				b := make([]byte, 64)
				_, _ = a.Open(b[:0], nonce, sealed, b[:8])
			}},
			{"Seal in place", false, func(a cipher.AEAD) {
				b := make([]byte, 32, 48)
				a.Seal(b[:0], nonce, b, nil)
			}},
			{"Open of 15 bytes", false, func(a cipher.AEAD) { _, _ = a.Open(nil, nonce, make([]byte, 15), nil) }},
		}
		for _, tc := range cases {
			stdPanic := catchPanic(func() { tc.run(std) }) != nil
			ourPanic := catchPanic(func() { tc.run(g) }) != nil
			if stdPanic != tc.wantPanic {
				t.Fatalf("%s: crypto/cipher panics = %v; the test's expectation is wrong", tc.name, stdPanic)
			}
			if ourPanic != tc.wantPanic {
				t.Errorf("%s/%s: panics = %v, want %v (as crypto/cipher)", impl.name, tc.name, ourPanic, tc.wantPanic)
			}
		}
	}
}

// TestOpenFailureClearsInPlaceBuffer: with in-place Open, a bad tag leaves
// the ciphertext region zeroed, exactly like crypto/cipher, and never
// plaintext.
func TestOpenFailureClearsInPlaceBuffer(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 16)
	nonce := make([]byte, 12)
	pt := bytes.Repeat([]byte("secret!!"), 8)
	for _, impl := range blockImpls {
		g := newAEAD(t, impl, key)
		sealed := g.Seal(nil, nonce, pt, nil)
		sealed[len(sealed)-1] ^= 1
		stdBuf, ourBuf := bytes.Clone(sealed), bytes.Clone(sealed)
		_, stdErr := newStdGCM(t, key).Open(stdBuf[:0], nonce, stdBuf, nil)
		_, ourErr := g.Open(ourBuf[:0], nonce, ourBuf, nil)
		if stdErr == nil || !errors.Is(ourErr, ErrOpen) {
			t.Fatalf("%s: errors std %v, ours %v", impl.name, stdErr, ourErr)
		}
		if !bytes.Equal(stdBuf, ourBuf) {
			t.Errorf("%s: buffer after failed in-place Open\n got %x\nwant %x (crypto/cipher)", impl.name, ourBuf, stdBuf)
		}
		if bytes.Contains(ourBuf, []byte("secret")) {
			t.Errorf("%s: plaintext left in buffer", impl.name)
		}
	}
}

// TestNoAllocations: Seal and Open do not allocate when dst has room.
func TestNoAllocations(t *testing.T) {
	for _, impl := range blockImpls {
		g := newAEAD(t, impl, make([]byte, 16))
		nonce := make([]byte, 12)
		pt := make([]byte, 1500)
		aad := make([]byte, 13)
		buf := make([]byte, 0, len(pt)+TagSize)
		sealed := g.Seal(nil, nonce, pt, aad)
		if n := testing.AllocsPerRun(20, func() { g.Seal(buf[:0], nonce, pt, aad) }); n != 0 {
			t.Errorf("%s: Seal allocates %v times per call", impl.name, n)
		}
		if n := testing.AllocsPerRun(20, func() { _, _ = g.Open(buf[:0], nonce, sealed, aad) }); n != 0 {
			t.Errorf("%s: Open allocates %v times per call", impl.name, n)
		}
	}
}

// TestConcurrentUse: one AEAD used from several goroutines at once gives
// the same results as sequential use (the scratch buffer is borrowed, and a
// concurrent caller gets its own). Run with -race to check the borrowing.
func TestConcurrentUse(t *testing.T) {
	for _, impl := range blockImpls {
		t.Run(impl.name, func(t *testing.T) { concurrentUse(t, impl) })
	}
}

func concurrentUse(t *testing.T, impl blockImpl) {
	key := make([]byte, 16)
	g := newAEAD(t, impl, key)
	std := newStdGCM(t, key)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nonce := make([]byte, 12)
			for i := range 50 {
				nonce[0], nonce[1] = byte(w), byte(i)
				pt := bytes.Repeat([]byte{byte(w + i)}, 100+37*i)
				got := g.Seal(nil, nonce, pt, nil)
				if want := std.Seal(nil, nonce, pt, nil); !bytes.Equal(got, want) {
					errs <- fmt.Sprintf("worker %d, message %d: Seal differs", w, i)
					return
				}
				if back, err := g.Open(nil, nonce, got, nil); err != nil || !bytes.Equal(back, pt) {
					errs <- fmt.Sprintf("worker %d, message %d: Open failed: %v", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// countingBlock wraps crypto/aes and counts how the GCM code calls it.
type countingBlock struct {
	b                cipher.Block
	encrypts, multi  int
	multiBlocksTotal int
}

func (c *countingBlock) BlockSize() int          { return 16 }
func (c *countingBlock) Decrypt(dst, src []byte) { c.b.Decrypt(dst, src) }
func (c *countingBlock) Encrypt(dst, src []byte) { c.encrypts++; c.b.Encrypt(dst, src) }
func (c *countingBlock) EncryptBlocks(dst, src []byte) {
	if len(src)%16 != 0 {
		panic("EncryptBlocks: partial block")
	}
	n := len(src) / 16
	c.multi++
	c.multiBlocksTotal += n
	for i := 0; i < len(src); i += 16 {
		c.b.Encrypt(dst[i:i+16], src[i:i+16])
	}
}

// TestUsesEncryptBlocks: when the block has EncryptBlocks, the key stream
// comes from it in batches of at most batchBlocks blocks, J0 riding along in
// the first one, and Encrypt is used only once, in New, for H.
func TestUsesEncryptBlocks(t *testing.T) {
	sb, err := stdaes.NewCipher(make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	cb := &countingBlock{b: sb}
	g, err := New(cb)
	if err != nil {
		t.Fatal(err)
	}
	if cb.encrypts != 1 {
		t.Fatalf("New called Encrypt %d times, want 1 (for H)", cb.encrypts)
	}
	pt := make([]byte, 16*100+5) // 101 blocks of key stream
	sealed := g.Seal(nil, make([]byte, 12), pt, nil)
	if cb.encrypts != 1 {
		t.Errorf("Seal called Encrypt %d times; it should use EncryptBlocks", cb.encrypts)
	}
	// J0 and the first firstChunk/16 data blocks share one call; the rest
	// go batchBlocks at a time.
	first := firstChunk / BlockSize
	wantCalls := 1 + (101-first+batchBlocks-1)/batchBlocks
	if cb.multi != wantCalls || cb.multiBlocksTotal != 1+101 {
		t.Errorf("EncryptBlocks: %d calls for %d blocks, want %d calls for 102", cb.multi, cb.multiBlocksTotal, wantCalls)
	}
	if want := newStdGCM(t, make([]byte, 16)).Seal(nil, make([]byte, 12), pt, nil); !bytes.Equal(sealed, want) {
		t.Errorf("Seal through EncryptBlocks differs from crypto/cipher")
	}
}

// TestInc32Wraps: inc32 increments only the rightmost 32 bits, modulo 2^32,
// and leaves the 96-bit prefix alone (sp800-38d#6.2). With 96-bit IVs and the
// length limit the counter never gets there in Seal or Open, so this is
// checked on the counter itself.
func TestInc32Wraps(t *testing.T) {
	nonce := bytes.Repeat([]byte{0xff}, NonceSize)
	c := j0(nonce)
	c.ctr = 0xffffffff
	c.inc32()
	var got [BlockSize]byte
	c.put(got[:])
	want := append(bytes.Clone(nonce), 0, 0, 0, 0)
	if !bytes.Equal(got[:], want) {
		t.Errorf("inc32(IV || ffffffff) = %x, want %x", got, want)
	}
}

// TestPathOfIsForcedPath: on every path the CPU supports, forced in turn,
// gcm.New over minitls/cipher/aes runs on that path (its own assembly, not
// the portable GHASH over the path's AES), and GCM over any other
// cipher.Block is the portable code.
func TestPathOfIsForcedPath(t *testing.T) {
	for _, impl := range blockImpls {
		if got := PathOf(newAEAD(t, impl, make([]byte, 16))); got != impl.path {
			t.Errorf("%s: PathOf = %v, want %v", impl.name, got, impl.path)
		}
	}
}
