package aes

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"minitls/internal/impl"
)

// This file checks each bitsliced step against a plain byte-oriented
// rendering of its FIPS 197 definition, written here only for testing (it
// uses tables and is not constant-time). The state is [4][4]byte indexed
// [row][column], filled from a block as s[r][c] = in[r+4c] (fips197#3.4).

type refState [4][4]byte

func refFromBlock(b []byte) (s refState) {
	for c := 0; c < 4; c++ {
		for r := 0; r < 4; r++ {
			s[r][c] = b[r+4*c]
		}
	}
	return s
}

func (s refState) block() []byte {
	b := make([]byte, 16)
	for c := 0; c < 4; c++ {
		for r := 0; r < 4; r++ {
			b[r+4*c] = s[r][c]
		}
	}
	return b
}

// gfMul multiplies in GF(2^8) modulo x^8+x^4+x^3+x+1 (fips197#4.2).
func gfMul(a, b byte) byte {
	var p byte
	for ; b != 0; b >>= 1 {
		if b&1 != 0 {
			p ^= a
		}
		hi := a & 0x80
		a <<= 1
		if hi != 0 {
			a ^= 0x1b
		}
	}
	return p
}

// refSbox builds the S-box from its definition (fips197#5.1.1): the
// multiplicative inverse (0 maps to 0) followed by the affine transformation
// b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i with c = 0x63.
func refSbox() (sbox, inv [256]byte) {
	for x := 0; x < 256; x++ {
		var xinv byte
		for y := 1; y < 256 && x != 0; y++ {
			if gfMul(byte(x), byte(y)) == 1 {
				xinv = byte(y)
			}
		}
		var s byte
		for i := 0; i < 8; i++ {
			bit := (xinv>>i ^ xinv>>((i+4)%8) ^ xinv>>((i+5)%8) ^ xinv>>((i+6)%8) ^ xinv>>((i+7)%8) ^ 0x63>>i) & 1
			s |= bit << i
		}
		sbox[x] = s
		inv[s] = byte(x)
	}
	return sbox, inv
}

var refS, refInvS = refSbox()

func refSubBytes(s refState, box *[256]byte) refState {
	for r := range s {
		for c := range s[r] {
			s[r][c] = box[s[r][c]]
		}
	}
	return s
}

// refShiftRows: s'[r][c] = s[r][(c+shift(r)) mod 4] with shift(r) = r
// (fips197#5.1.2); dir = -1 gives InvShiftRows (fips197#5.3.1).
func refShiftRows(s refState, dir int) (out refState) {
	for r := 0; r < 4; r++ {
		for c := 0; c < 4; c++ {
			out[r][c] = s[r][((c+dir*r)%4+4)%4]
		}
	}
	return out
}

// refMixColumns multiplies each column by the matrix of fips197#5.1.3
// (rows 02 03 01 01 rotated) or of fips197#5.3.3 (0e 0b 0d 09 rotated).
func refMixColumns(s refState, m [4]byte) (out refState) {
	for c := 0; c < 4; c++ {
		for r := 0; r < 4; r++ {
			var v byte
			for i := 0; i < 4; i++ {
				v ^= gfMul(m[(i-r+4)%4], s[i][c])
			}
			out[r][c] = v
		}
	}
	return out
}

// bitsliced runs a step on four blocks (64 bytes) through the bitsliced form.
func bitsliced(in []byte, step func(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (uint64, uint64, uint64, uint64, uint64, uint64, uint64, uint64)) []byte {
	var buf [64]byte
	copy(buf[:], in)
	var q [8]uint64
	load4(&q, &buf)
	q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = step(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7])
	store4(&buf, &q)
	return buf[:]
}

// reference applies a byte-level step to each of the four blocks.
func reference(in []byte, step func(refState) refState) []byte {
	var out []byte
	for k := 0; k < 4; k++ {
		out = append(out, step(refFromBlock(in[16*k:16*k+16])).block()...)
	}
	return out
}

func TestStepsMatchDefinitions(t *testing.T) {
	steps := []struct {
		name string
		ref  func(refState) refState
		bs   func(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (uint64, uint64, uint64, uint64, uint64, uint64, uint64, uint64)
	}{
		{"SubBytes", func(s refState) refState { return refSubBytes(s, &refS) }, subBytes},
		{"InvSubBytes", func(s refState) refState { return refSubBytes(s, &refInvS) }, invSubBytes},
		{"ShiftRows", func(s refState) refState { return refShiftRows(s, 1) }, shiftRows},
		{"InvShiftRows", func(s refState) refState { return refShiftRows(s, -1) }, invShiftRows},
		{"MixColumns", func(s refState) refState { return refMixColumns(s, [4]byte{2, 3, 1, 1}) }, mixColumns},
		{"InvMixColumns", func(s refState) refState { return refMixColumns(s, [4]byte{0x0e, 0x0b, 0x0d, 0x09}) }, invMixColumns},
	}
	// All 256 byte values through the S-box steps, in every lane position.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, st := range steps[:2] {
		for off := 0; off < 256; off += 64 {
			in := all[off : off+64]
			if diff := cmp.Diff(reference(in, st.ref), bitsliced(in, st.bs)); diff != "" {
				t.Errorf("%s on bytes %d..%d (-definition +bitsliced):\n%s", st.name, off, off+63, diff)
			}
		}
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				in := rapid.SliceOfN(rapid.Byte(), 64, 64).Draw(t, "fourBlocks")
				if diff := cmp.Diff(reference(in, st.ref), bitsliced(in, st.bs)); diff != "" {
					t.Fatalf("%s (-definition +bitsliced):\n%s", st.name, diff)
				}
			})
		})
	}
}

// TestFIPS197AppendixB follows the first round of the worked example in
// FIPS 197 Appendix B step by step on the bitsliced (portable) code, so a
// reader can match the functions here to the states printed in the
// standard; the output is then checked on every path.
func TestFIPS197AppendixB(t *testing.T) {
	key := mustHex(t, "2b7e151628aed2a6abf7158809cf4f3c")
	input := mustHex(t, "3243f6a8885a308d313198a2e0370734")
	c := mustCipherOn(t, impl.Portable, key)

	var buf [64]byte
	copy(buf[:], input)
	var q [8]uint64
	load4(&q, &buf)
	check := func(what, want string) {
		t.Helper()
		var out [64]byte
		qq := q
		store4(&out, &qq)
		if diff := cmp.Diff(mustHex(t, want), out[:16]); diff != "" {
			t.Errorf("%s (-fips197 +got):\n%s", what, diff)
		}
	}
	st := func(f func(q0, q1, q2, q3, q4, q5, q6, q7 uint64) (uint64, uint64, uint64, uint64, uint64, uint64, uint64, uint64)) {
		q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = f(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7])
	}
	ark := func(r int) {
		q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = addRoundKey(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], &c.roundKeys[r])
	}
	ark(0)
	check("round[1].start", "193de3bea0f4e22b9ac68d2ae9f84808")
	st(subBytes)
	check("round[1].s_box", "d42711aee0bf98f1b8b45de51e415230")
	st(shiftRows)
	check("round[1].s_row", "d4bf5d30e0b452aeb84111f11e2798e5")
	st(mixColumns)
	check("round[1].m_col", "046681e5e0cb199a48f8d37a2806264c")
	ark(1)
	check("round[2].start", "a49c7ff2689f352b6b5bea43026a5049")

	forEachPath(t, func(t *testing.T, p impl.Path) {
		out := make([]byte, 16)
		mustCipherOn(t, p, key).Encrypt(out, input)
		if diff := cmp.Diff(mustHex(t, "3925841d02dc09fbdc118597196a0b32"), out); diff != "" {
			t.Errorf("output (-fips197 +got):\n%s", diff)
		}
	})
}
