package chacha20poly1305

import (
	"bytes"
	"testing"
)

var rfcSunscreen = []byte("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.")

// TestRFC8439BlockFunction: the block function test vector (key 00..1f,
// nonce 000000090000004a00000000, counter 1).
//
// spec: rfc8439#2.3.2
func TestRFC8439BlockFunction(t *testing.T) {
	key := mustHex(t, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	nonce := mustHex(t, "000000090000004a00000000")
	want := mustHex(t, "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"+
		"d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e")
	s := newChaChaState((*[KeySize]byte)(key), nonce)
	var got [blockSize]byte
	s.block(&got, 1)
	if !bytes.Equal(got[:], want) {
		t.Errorf("block = %x\nwant    %x", got, want)
	}
	// The same block through the stream on every path (XOR with zeros).
	forEachPath(t, func(t *testing.T, p path) {
		if got := xorStream(p, key, nonce, 1, make([]byte, blockSize)); !bytes.Equal(got, want) {
			t.Errorf("stream of zeros = %x\nwant             %x", got, want)
		}
	})
}

// TestRFC8439Encryption: the sunscreen plaintext under key 00..1f, nonce
// 000000000000004a00000000, counter 1 (two blocks, the second partial).
//
// spec: rfc8439#2.4.2
func TestRFC8439Encryption(t *testing.T) {
	key := mustHex(t, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	nonce := mustHex(t, "000000000000004a00000000")
	want := mustHex(t, "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"+
		"f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"+
		"07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"+
		"5af90bbf74a35be6b40b8eedf2785e42874d")
	forEachPath(t, func(t *testing.T, p path) {
		if got := xorStream(p, key, nonce, 1, rfcSunscreen); !bytes.Equal(got, want) {
			t.Errorf("ciphertext = %x\nwant         %x", got, want)
		}
		if got := xorStream(p, key, nonce, 1, want); !bytes.Equal(got, rfcSunscreen) {
			t.Errorf("decryption = %q", got)
		}
	})
}

// TestRFC8439Poly1305: the Poly1305 example ("Cryptographic Forum Research
// Group") and the edge cases of Appendix A.3 that exercise the reduction
// modulo 2^130-5: carries out of the top limb, h exactly p, h just above p,
// r with its high limb set.
//
// spec: rfc8439#2.5.2, rfc8439#A.3
func TestRFC8439Poly1305(t *testing.T) {
	zero16 := "00000000000000000000000000000000"
	ff16 := "ffffffffffffffffffffffffffffffff"
	r1 := "01" + zero16[2:]
	r2 := "02" + zero16[2:]
	rHigh := "0100000000000000" + "0400000000000000"
	tv10 := "e33594d7505e43b90000000000000000" + "3394d7505e4379cd0100000000000000" + zero16
	cases := []struct{ name, key, msg, tag string }{
		{"2.5.2", "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
			"43727970746f6772617068696320466f72756d2052657365617263682047726f7570", "a8061dc1305136c6c22b8baf0c0127a9"},
		{"A.3#1 zero key", zero16 + zero16, zero16 + zero16 + zero16 + zero16, zero16},
		{"A.3#5 h+carry", r2 + zero16, ff16, "03" + zero16[2:]},
		{"A.3#6 s wraps", r2 + ff16, "02" + zero16[2:], "03" + zero16[2:]},
		{"A.3#7 top limb carry", r1 + zero16, ff16 + "f0" + ff16[2:] + "11" + zero16[2:], "05" + zero16[2:]},
		{"A.3#8 h = p", r1 + zero16, ff16 + "fb" + "fefefefefefefefefefefefefefefe" + "01010101010101010101010101010101", zero16},
		{"A.3#9 h = 2^130-6+...", r2 + zero16, "fd" + ff16[2:], "fa" + ff16[2:]},
		{"A.3#10 r high limb", rHigh + zero16, tv10 + "01" + zero16[2:], "1400000000000000" + "5500000000000000"},
		{"A.3#11 r high limb", rHigh + zero16, tv10, "13" + zero16[2:]},
	}
	forEachPath(t, func(t *testing.T, p path) {
		for _, c := range cases {
			key := mustHex(t, c.key)
			got := polySum(p, (*[polyKeySize]byte)(key), mustHex(t, c.msg))
			if want := mustHex(t, c.tag); !bytes.Equal(got[:], want) {
				t.Errorf("%s: tag %x, want %x", c.name, got, want)
			}
		}
	})
}

// TestRFC8439PolyKeyGeneration: the one-time Poly1305 key is the first half
// of block 0 (key 80..9f, nonce 000000000001020304050607).
//
// spec: rfc8439#2.6.2
func TestRFC8439PolyKeyGeneration(t *testing.T) {
	key := mustHex(t, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
	nonce := mustHex(t, "000000000001020304050607")
	want := mustHex(t, "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646")
	s := newChaChaState((*[KeySize]byte)(key), nonce)
	var block [blockSize]byte
	s.block(&block, 0)
	if !bytes.Equal(block[:polyKeySize], want) {
		t.Errorf("one-time key %x, want %x", block[:polyKeySize], want)
	}
	// polyKey loads that key: r clamped, s as is.
	got := s.polyKey()
	want2 := newPolyState((*[polyKeySize]byte)(want))
	if got != want2 {
		t.Errorf("polyKey() = %+v, want %+v", got, want2)
	}
}

// TestRFC8439AEAD: the AEAD example (sunscreen, key 80..9f, nonce
// 070000004041424344454647, AAD 50515253c0c1c2c3c4c5c6c7).
//
// spec: rfc8439#2.8.2
func TestRFC8439AEAD(t *testing.T) {
	key := mustHex(t, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
	nonce := mustHex(t, "070000004041424344454647")
	aad := mustHex(t, "50515253c0c1c2c3c4c5c6c7")
	want := mustHex(t, "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"+
		"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"+
		"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"+
		"3ff4def08e4b7a9de576d26586cec64b6116"+"1ae10b594f09e26a7e902ecbd0600691")
	forEachPath(t, func(t *testing.T, p path) {
		a, err := New(key)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Seal(nil, nonce, rfcSunscreen, aad); !bytes.Equal(got, want) {
			t.Errorf("Seal = %x\nwant   %x", got, want)
		}
		got, err := a.Open(nil, nonce, want, aad)
		if err != nil || !bytes.Equal(got, rfcSunscreen) {
			t.Errorf("Open = %q, %v", got, err)
		}
	})
}

// TestRFC8439Limits pins the lengths Seal and Open refuse to their values in
// the AEAD_CHACHA20_POLY1305 registration: P_MAX, the longest plaintext, is
// 274,877,906,880 bytes (2^32 - 1 blocks of 64 bytes: the block counter
// starts at 1) and C_MAX = P_MAX + 16. Reaching either in a test would take
// 256 GB, so the constants are compared with the RFC's decimal figures.
//
// spec: rfc8439#4
func TestRFC8439Limits(t *testing.T) {
	const pMax, cMax = 274877906880, 274877906896
	if maxPlaintext != pMax {
		t.Errorf("maxPlaintext = %d, want P_MAX = %d", uint64(maxPlaintext), uint64(pMax))
	}
	if maxPlaintext+TagSize != cMax {
		t.Errorf("maxPlaintext + TagSize = %d, want C_MAX = %d", uint64(maxPlaintext+TagSize), uint64(cMax))
	}
}
