//go:build amd64 && !purego

package gcm

import (
	stdaes "crypto/aes"
	"testing"

	"minitls/internal/impl"
)

// TestVAES512Powers: the key material the wide path computes once per key
// is H^16, ..., H^1 (H = CIPH_K(0^128), sp800-38d#6.4) in the form its
// assembly documents — each power multiplied by x^-1, bytes reversed — followed
// by zero blocks, checked against powers computed with Algorithm 1
// (mulReference) from crypto/aes's H. It runs where the CPU has the path.
func TestVAES512Powers(t *testing.T) {
	for _, bi := range blockImpls {
		if bi.path != impl.VAES512 {
			continue
		}
		for _, key := range boundaryKeys {
			g := newAEAD(t, bi, key).(*hwAEAD).p.(*vaes512GCM)

			sb, err := stdaes.NewCipher(key)
			if err != nil {
				t.Fatal(err)
			}
			var hb [BlockSize]byte
			sb.Encrypt(hb[:], hb[:])
			h := loadElement(hb[:])
			// x^-1 = x^127 + x^6 + x + 1, since x * (x^127 + x^6 + x + 1) =
			// x^128 + x^7 + x^2 + x = 1 in GF(2^128).
			xInv := fieldElement{hi: 1<<63 | 1<<62 | 1<<57, lo: 1}

			power := h
			for k := 1; k <= vaes512Powers; k++ {
				var want [BlockSize]byte
				mulReference(power, xInv).store(want[:])
				for i, j := 0, BlockSize-1; i < j; i, j = i+1, j-1 {
					want[i], want[j] = want[j], want[i]
				}
				off := (vaes512Powers - k) * BlockSize
				if got := [BlockSize]byte(g.powers[off : off+BlockSize]); got != want {
					t.Fatalf("AES-%d: powers[%d] = %x, want H^%d*x^-1 reflected = %x", 8*len(key), vaes512Powers-k, got, k, want)
				}
				power = mulReference(power, h)
			}
			for i, b := range g.powers[vaes512Powers*BlockSize:] {
				if b != 0 {
					t.Fatalf("AES-%d: padding byte %d after H^1 = %#x, want 0", 8*len(key), i, b)
				}
			}
			if g.rounds != 6+len(key)/4 {
				t.Errorf("AES-%d: rounds = %d", 8*len(key), g.rounds)
			}
		}
	}
}

// TestVAES512RefusesWrongOutputSize: the wide path's seal and open panic,
// before the assembly runs, when out is not exactly the size they write, so
// that a mistake in a caller cannot make the assembly write past a slice.
func TestVAES512RefusesWrongOutputSize(t *testing.T) {
	for _, bi := range blockImpls {
		if bi.path != impl.VAES512 {
			continue
		}
		g := newAEAD(t, bi, boundaryKeys[0]).(*hwAEAD).p.(*vaes512GCM)
		var nonce [NonceSize]byte
		pt := make([]byte, 40)
		buf := make([]byte, 100)
		for _, tc := range []struct {
			name string
			run  func()
		}{
			{"seal, out 16 bytes short", func() { g.seal(buf[:len(pt)], &nonce, pt, nil) }},
			{"seal, out 1 byte short", func() { g.seal(buf[:len(pt)+TagSize-1], &nonce, pt, nil) }},
			{"open, out 1 byte short", func() { g.open(buf[:len(pt)-1], &nonce, pt, make([]byte, TagSize), nil) }},
			{"open, tag 15 bytes", func() { g.open(buf[:len(pt)], &nonce, pt, make([]byte, TagSize-1), nil) }},
		} {
			if catchPanic(tc.run) == nil {
				t.Errorf("%s: no panic", tc.name)
			}
		}
	}
}
