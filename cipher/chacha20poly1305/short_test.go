package chacha20poly1305

import (
	"bytes"
	"errors"
	"testing"
)

// TestShortLengths: every length from 0 to 2000 bytes seals to x/crypto's
// bytes and opens back, in separate buffers and in place, on every path;
// a flipped tag bit is refused and leaves no plaintext. The range holds
// every dispatch threshold below and at the stitched lengths: 64/65
// (two-block kernel and its two-block buffer, else a batch), 448/449
// (avx512 making eight blocks ahead, else sixteen), 960/961 (a record
// beyond the key stream made ahead), 1023/1024 (avx512 Open absorbing the
// first 1024 bytes in beginOpen's stitched batch), 1983/1984 (openStitched
// and sealStitched) and the tails' 128/129 and 512/513.
func TestShortLengths(t *testing.T) {
	key := bytes.Repeat([]byte{0x3c}, KeySize)
	nonce := []byte("short nonce!")
	aad := []byte("13-byte hdr..")
	src := make([]byte, 2000)
	for i := range src {
		src[i] = byte(i*11 + 3)
	}
	oracle := newOracle(t, key)
	forEachPath(t, func(t *testing.T, _ path) {
		a, _ := New(key)
		for n := 0; n <= len(src); n++ {
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
			bad[len(bad)-1] ^= 0x01
			out := make([]byte, n)
			if pt, err := a.Open(out[:0], nonce, bad, aad); !errors.Is(err, ErrOpen) || pt != nil || !bytes.Equal(out, make([]byte, n)) {
				t.Fatalf("length %d: tampered Open = %v, %v, or left plaintext", n, pt != nil, err)
			}
		}
	})
}

// TestSealOpenDoNotAllocate: Seal and Open into a dst with room allocate
// nothing, on every path and at the lengths where the key stream buffer
// changes size (keyStreamBuffer must be inlined so that it stays on the
// stack): a record layer calls them for every record.
func TestSealOpenDoNotAllocate(t *testing.T) {
	key := make([]byte, KeySize)
	nonce, aad := make([]byte, NonceSize), make([]byte, 13)
	forEachPath(t, func(t *testing.T, _ path) {
		a, _ := New(key)
		for _, n := range []int{0, 1, 64, 65, 448, 449, 1024, 2048, 16384} {
			pt := make([]byte, n)
			sealed := a.Seal(nil, nonce, pt, aad)
			dst := make([]byte, 0, n+TagSize)
			if allocs := testing.AllocsPerRun(20, func() { a.Seal(dst[:0], nonce, pt, aad) }); allocs != 0 {
				t.Errorf("Seal of %d bytes: %v allocations, want 0", n, allocs)
			}
			if allocs := testing.AllocsPerRun(20, func() { _, _ = a.Open(dst[:0], nonce, sealed, aad) }); allocs != 0 {
				t.Errorf("Open of %d bytes: %v allocations, want 0", n, allocs)
			}
		}
	})
}
