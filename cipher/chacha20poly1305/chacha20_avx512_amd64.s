//go:build amd64 && !purego

#include "textflag.h"

// ChaCha20 (rfc8439#2.3, #2.4) sixteen blocks at a time with AVX-512F.
//
// The same "one block per lane" layout as the AVX2 code, twice as wide:
// register Zj holds word j of sixteen consecutive blocks (lane i has block
// counter + i). With 32 registers nothing is spilled, the four quarter
// rounds of a round run side by side, and every rotation is one VPROLD.
// Z16-Z23 are scratch for the serialization.
//
// Nothing here depends on the key, the nonce or the data except the values
// computed: no branch, no data-dependent address.

DATA lanes16<>+0x00(SB)/8, $0x0000000100000000
DATA lanes16<>+0x08(SB)/8, $0x0000000300000002
DATA lanes16<>+0x10(SB)/8, $0x0000000500000004
DATA lanes16<>+0x18(SB)/8, $0x0000000700000006
DATA lanes16<>+0x20(SB)/8, $0x0000000900000008
DATA lanes16<>+0x28(SB)/8, $0x0000000b0000000a
DATA lanes16<>+0x30(SB)/8, $0x0000000d0000000c
DATA lanes16<>+0x38(SB)/8, $0x0000000f0000000e
GLOBL lanes16<>(SB), (NOPTR+RODATA), $64

// The stitched kernel (chacha20Poly1305AVX512) also runs Poly1305 (rfc8439#2.5) over 1024
// bytes of ciphertext while it makes one batch of key stream: the scalar
// multiplications (MULX) and the vector rounds use different execution
// units, so interleaved they cost little more than the rounds alone. One
// Poly1305 block follows each QSTEP for the first eight double rounds
// (64 blocks); the arithmetic is poly1305_amd64.s's. r0 and r1 wait on the
// stack to leave general registers for the product.
//
// Registers: R8, R9, R10 = h0, h1, h2; R12 = message; AX, BX, DX, R11,
// R13, R14, R15 scratch; CX counts double rounds.
#define R0MEM 1024(SP)
#define R1MEM 1032(SP)

#define POLYBLOCK \
	ADDQ 0(R12), R8; ADCQ 8(R12), R9; ADCQ $1, R10; \
	MOVQ R8, DX; \
	MULXQ R0MEM, R13, R14; \
	MULXQ R1MEM, AX, BX; \
	ADDQ AX, R14; ADCQ $0, BX; \
	MOVQ R9, DX; \
	MULXQ R0MEM, AX, R11; \
	XORQ R15, R15; \
	ADDQ AX, R14; ADCQ R11, BX; ADCQ $0, R15; \
	MULXQ R1MEM, AX, R11; \
	ADDQ AX, BX; ADCQ R11, R15; \
	MOVQ R10, AX; IMULQ R0MEM, AX; IMULQ R1MEM, R10; \
	ADDQ AX, BX; ADCQ R10, R15; \
	MOVQ R13, R8; MOVQ R14, R9; MOVQ BX, R10; ANDQ $3, R10; ANDQ $-4, BX; \
	ADDQ BX, R8; ADCQ R15, R9; ADCQ $0, R10; \
	SHRQ $2, R15, BX; SHRQ $2, R15; \
	ADDQ BX, R8; ADCQ R15, R9; ADCQ $0, R10; \
	ADDQ $16, R12

// The initial state of the batch, word j broadcast to sixteen lanes, at
// j*64(SP).
#define INIT16(j) (j*64)(SP)

// QR4 runs four quarter rounds side by side (rfc8439#2.1), sixteen blocks
// each:
//	a += b; d ^= a; d <<<= 16;
//	c += d; b ^= c; b <<<= 12;
//	a += b; d ^= a; d <<<= 8;
//	c += d; b ^= c; b <<<= 7;
#define QSTEP(a1, b1, d1, a2, b2, d2, a3, b3, d3, a4, b4, d4, r) \
	VPADDD b1, a1, a1; VPADDD b2, a2, a2; VPADDD b3, a3, a3; VPADDD b4, a4, a4; \
	VPXORD a1, d1, d1; VPXORD a2, d2, d2; VPXORD a3, d3, d3; VPXORD a4, d4, d4; \
	VPROLD $r, d1, d1; VPROLD $r, d2, d2; VPROLD $r, d3, d3; VPROLD $r, d4, d4

#define QR4(a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3, a4, b4, c4, d4) \
	QSTEP(a1, b1, d1, a2, b2, d2, a3, b3, d3, a4, b4, d4, 16); \
	QSTEP(c1, d1, b1, c2, d2, b2, c3, d3, b3, c4, d4, b4, 12); \
	QSTEP(a1, b1, d1, a2, b2, d2, a3, b3, d3, a4, b4, d4, 8); \
	QSTEP(c1, d1, b1, c2, d2, b2, c3, d3, b3, c4, d4, b4, 7)

// TRANSPOSE4(w0, w1, w2, w3): four registers holding words 4g..4g+3 of
// sixteen blocks become, in place, w0..w3 = those words of blocks 4k+0,
// 4k+1, 4k+2, 4k+3 in 128-bit lane k (a 4x4 transpose inside each lane).
#define TRANSPOSE4(w0, w1, w2, w3) \
	VPUNPCKLDQ w1, w0, Z16; VPUNPCKHDQ w1, w0, Z17; \
	VPUNPCKLDQ w3, w2, Z18; VPUNPCKHDQ w3, w2, Z19; \
	VPUNPCKLQDQ Z18, Z16, w0; VPUNPCKHQDQ Z18, Z16, w1; \
	VPUNPCKLQDQ Z19, Z17, w2; VPUNPCKHQDQ Z19, Z17, w3

// STORE4(a, b, c, d, r): after TRANSPOSE4 on all four word groups, a, b,
// c, d hold words 0-3, 4-7, 8-11, 12-15 of blocks 4k+r in lane k; a 4x4
// transpose of 128-bit lanes (VSHUFI32X4) gives block 4k+r whole in one
// register, which is XORed with the input and stored.
#define STORE4(a, b, c, d, r) \
	VSHUFI32X4 $0x44, b, a, Z16; VSHUFI32X4 $0xEE, b, a, Z17; \
	VSHUFI32X4 $0x44, d, c, Z18; VSHUFI32X4 $0xEE, d, c, Z19; \
	VSHUFI32X4 $0x88, Z18, Z16, Z20; VSHUFI32X4 $0xDD, Z18, Z16, Z21; \
	VSHUFI32X4 $0x88, Z19, Z17, Z22; VSHUFI32X4 $0xDD, Z19, Z17, Z23; \
	VPXORD ((0+r)*64)(SI), Z20, Z20; VMOVDQU64 Z20, ((0+r)*64)(DI); \
	VPXORD ((4+r)*64)(SI), Z21, Z21; VMOVDQU64 Z21, ((4+r)*64)(DI); \
	VPXORD ((8+r)*64)(SI), Z22, Z22; VMOVDQU64 Z22, ((8+r)*64)(DI); \
	VPXORD ((12+r)*64)(SI), Z23, Z23; VMOVDQU64 Z23, ((12+r)*64)(DI)

#define BCAST(j) VPBROADCASTD (j*4)(AX), Z0; VMOVDQU64 Z0, INIT16(j)

// func chacha20AVX512(state *[16]uint32, dst, src *byte, batches int)
//
// XORs batches x 1024 bytes of src with the key stream of blocks
// state[12], state[12]+1, ... into dst. The counter wraps modulo 2^32 in
// each lane; the caller never uses a wrapped block.
TEXT ·chacha20AVX512(SB), 0, $1024-32
	MOVQ state+0(FP), AX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	MOVQ batches+24(FP), CX

	// The initial state, every word in all sixteen lanes; the counter word
	// gets the lane offsets 0..15.
	BCAST(0)
	BCAST(1)
	BCAST(2)
	BCAST(3)
	BCAST(4)
	BCAST(5)
	BCAST(6)
	BCAST(7)
	BCAST(8)
	BCAST(9)
	BCAST(10)
	BCAST(11)
	VPBROADCASTD 48(AX), Z0
	VPADDD lanes16<>(SB), Z0, Z0
	VMOVDQU64 Z0, INIT16(12)
	BCAST(13)
	BCAST(14)
	BCAST(15)
	MOVL $16, BX
	VPBROADCASTD BX, Z24 // the counter step between batches

batch:
	VMOVDQU64 INIT16(0), Z0
	VMOVDQU64 INIT16(1), Z1
	VMOVDQU64 INIT16(2), Z2
	VMOVDQU64 INIT16(3), Z3
	VMOVDQU64 INIT16(4), Z4
	VMOVDQU64 INIT16(5), Z5
	VMOVDQU64 INIT16(6), Z6
	VMOVDQU64 INIT16(7), Z7
	VMOVDQU64 INIT16(8), Z8
	VMOVDQU64 INIT16(9), Z9
	VMOVDQU64 INIT16(10), Z10
	VMOVDQU64 INIT16(11), Z11
	VMOVDQU64 INIT16(12), Z12
	VMOVDQU64 INIT16(13), Z13
	VMOVDQU64 INIT16(14), Z14
	VMOVDQU64 INIT16(15), Z15
	MOVQ $10, DX

doubleRound:
	// Column round: QUARTERROUND(0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15).
	QR4(Z0, Z4, Z8, Z12, Z1, Z5, Z9, Z13, Z2, Z6, Z10, Z14, Z3, Z7, Z11, Z15)
	// Diagonal round: QUARTERROUND(0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14).
	QR4(Z0, Z5, Z10, Z15, Z1, Z6, Z11, Z12, Z2, Z7, Z8, Z13, Z3, Z4, Z9, Z14)
	DECQ DX
	JNZ doubleRound

	// state += initial_state (rfc8439#2.3).
	VPADDD INIT16(0), Z0, Z0
	VPADDD INIT16(1), Z1, Z1
	VPADDD INIT16(2), Z2, Z2
	VPADDD INIT16(3), Z3, Z3
	VPADDD INIT16(4), Z4, Z4
	VPADDD INIT16(5), Z5, Z5
	VPADDD INIT16(6), Z6, Z6
	VPADDD INIT16(7), Z7, Z7
	VPADDD INIT16(8), Z8, Z8
	VPADDD INIT16(9), Z9, Z9
	VPADDD INIT16(10), Z10, Z10
	VPADDD INIT16(11), Z11, Z11
	VPADDD INIT16(12), Z12, Z12
	VPADDD INIT16(13), Z13, Z13
	VPADDD INIT16(14), Z14, Z14
	VPADDD INIT16(15), Z15, Z15

	// Serialize (words little-endian, in order) and XOR with the input
	// (rfc8439#2.4).
	TRANSPOSE4(Z0, Z1, Z2, Z3)
	TRANSPOSE4(Z4, Z5, Z6, Z7)
	TRANSPOSE4(Z8, Z9, Z10, Z11)
	TRANSPOSE4(Z12, Z13, Z14, Z15)
	STORE4(Z0, Z4, Z8, Z12, 0)
	STORE4(Z1, Z5, Z9, Z13, 1)
	STORE4(Z2, Z6, Z10, Z14, 2)
	STORE4(Z3, Z7, Z11, Z15, 3)

	// Next batch: counters + 16.
	VMOVDQU64 INIT16(12), Z0
	VPADDD Z24, Z0, Z0
	VMOVDQU64 Z0, INIT16(12)
	ADDQ $1024, SI
	ADDQ $1024, DI
	DECQ CX
	JNZ batch

	VZEROUPPER
	RET

// func chacha20Poly1305AVX512(state *[16]uint32, dst, src, msg *byte, poly *polyState)
//
// XORs 1024 bytes of src with the key stream of blocks state[12] ...
// state[12]+15 into dst and absorbs the 64 Poly1305 chunks at msg into
// poly, which must not overlap the 1024 bytes written.
TEXT ·chacha20Poly1305AVX512(SB), 0, $1040-40
	MOVQ state+0(FP), AX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	MOVQ msg+24(FP), R12
	MOVQ poly+32(FP), BX
	MOVQ 0(BX), R8
	MOVQ R8, R0MEM
	MOVQ 8(BX), R8
	MOVQ R8, R1MEM
	MOVQ 32(BX), R8
	MOVQ 40(BX), R9
	MOVQ 48(BX), R10

	BCAST(0)
	BCAST(1)
	BCAST(2)
	BCAST(3)
	BCAST(4)
	BCAST(5)
	BCAST(6)
	BCAST(7)
	BCAST(8)
	BCAST(9)
	BCAST(10)
	BCAST(11)
	VPBROADCASTD 48(AX), Z0
	VPADDD lanes16<>(SB), Z0, Z0
	VMOVDQU64 Z0, INIT16(12)
	BCAST(13)
	BCAST(14)
	BCAST(15)

	VMOVDQU64 INIT16(0), Z0
	VMOVDQU64 INIT16(1), Z1
	VMOVDQU64 INIT16(2), Z2
	VMOVDQU64 INIT16(3), Z3
	VMOVDQU64 INIT16(4), Z4
	VMOVDQU64 INIT16(5), Z5
	VMOVDQU64 INIT16(6), Z6
	VMOVDQU64 INIT16(7), Z7
	VMOVDQU64 INIT16(8), Z8
	VMOVDQU64 INIT16(9), Z9
	VMOVDQU64 INIT16(10), Z10
	VMOVDQU64 INIT16(11), Z11
	VMOVDQU64 INIT16(12), Z12
	VMOVDQU64 INIT16(13), Z13
	VMOVDQU64 INIT16(14), Z14
	VMOVDQU64 INIT16(15), Z15

	MOVQ $8, CX

stitchedRound:
	// Column round (as QR4), a Poly1305 block after each step.
	QSTEP(Z0, Z4, Z12, Z1, Z5, Z13, Z2, Z6, Z14, Z3, Z7, Z15, 16)
	POLYBLOCK
	QSTEP(Z8, Z12, Z4, Z9, Z13, Z5, Z10, Z14, Z6, Z11, Z15, Z7, 12)
	POLYBLOCK
	QSTEP(Z0, Z4, Z12, Z1, Z5, Z13, Z2, Z6, Z14, Z3, Z7, Z15, 8)
	POLYBLOCK
	QSTEP(Z8, Z12, Z4, Z9, Z13, Z5, Z10, Z14, Z6, Z11, Z15, Z7, 7)
	POLYBLOCK
	// Diagonal round: (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14).
	QSTEP(Z0, Z5, Z15, Z1, Z6, Z12, Z2, Z7, Z13, Z3, Z4, Z14, 16)
	POLYBLOCK
	QSTEP(Z10, Z15, Z5, Z11, Z12, Z6, Z8, Z13, Z7, Z9, Z14, Z4, 12)
	POLYBLOCK
	QSTEP(Z0, Z5, Z15, Z1, Z6, Z12, Z2, Z7, Z13, Z3, Z4, Z14, 8)
	POLYBLOCK
	QSTEP(Z10, Z15, Z5, Z11, Z12, Z6, Z8, Z13, Z7, Z9, Z14, Z4, 7)
	POLYBLOCK
	DECQ CX
	JNZ stitchedRound

	MOVQ $2, CX

plainRound:
	QR4(Z0, Z4, Z8, Z12, Z1, Z5, Z9, Z13, Z2, Z6, Z10, Z14, Z3, Z7, Z11, Z15)
	QR4(Z0, Z5, Z10, Z15, Z1, Z6, Z11, Z12, Z2, Z7, Z8, Z13, Z3, Z4, Z9, Z14)
	DECQ CX
	JNZ plainRound

	VPADDD INIT16(0), Z0, Z0
	VPADDD INIT16(1), Z1, Z1
	VPADDD INIT16(2), Z2, Z2
	VPADDD INIT16(3), Z3, Z3
	VPADDD INIT16(4), Z4, Z4
	VPADDD INIT16(5), Z5, Z5
	VPADDD INIT16(6), Z6, Z6
	VPADDD INIT16(7), Z7, Z7
	VPADDD INIT16(8), Z8, Z8
	VPADDD INIT16(9), Z9, Z9
	VPADDD INIT16(10), Z10, Z10
	VPADDD INIT16(11), Z11, Z11
	VPADDD INIT16(12), Z12, Z12
	VPADDD INIT16(13), Z13, Z13
	VPADDD INIT16(14), Z14, Z14
	VPADDD INIT16(15), Z15, Z15

	TRANSPOSE4(Z0, Z1, Z2, Z3)
	TRANSPOSE4(Z4, Z5, Z6, Z7)
	TRANSPOSE4(Z8, Z9, Z10, Z11)
	TRANSPOSE4(Z12, Z13, Z14, Z15)
	STORE4(Z0, Z4, Z8, Z12, 0)
	STORE4(Z1, Z5, Z9, Z13, 1)
	STORE4(Z2, Z6, Z10, Z14, 2)
	STORE4(Z3, Z7, Z11, Z15, 3)

	MOVQ poly+32(FP), BX
	MOVQ R8, 32(BX)
	MOVQ R9, 40(BX)
	MOVQ R10, 48(BX)
	VZEROUPPER
	RET

// Two blocks for short records with AVX-512VL: chacha20AVX2x2's layout
// (rows 0-3 of the state in Y0-Y3, block counter in the low 128-bit half,
// block counter+1 in the high half; VPSHUFD lines the diagonals up as
// columns and back, here rotating rows 0, 2 and 3 instead of 1, 2 and 3), but every rotation of the quarter round is one
// VPROLD on a YMM register. The kernel is a single dependency chain, so
// its time is the chain's latency: VPROLD takes one cycle where the AVX2
// shift-shift-or takes two, and no shuffle table is loaded.
DATA twoLanesVL<>+0x00(SB)/8, $0
DATA twoLanesVL<>+0x08(SB)/8, $0
DATA twoLanesVL<>+0x10(SB)/8, $1
DATA twoLanesVL<>+0x18(SB)/8, $0
GLOBL twoLanesVL<>(SB), (NOPTR+RODATA), $32

// ROWQRVL: the quarter round of rfc8439#2.1 on rows Y0 (a), Y1 (b),
// Y2 (c), Y3 (d), four columns (or diagonals) of two blocks at once:
//	a += b; d ^= a; d <<<= 16;
//	c += d; b ^= c; b <<<= 12;
//	a += b; d ^= a; d <<<= 8;
//	c += d; b ^= c; b <<<= 7;
#define ROWQRVL \
	VPADDD Y1, Y0, Y0; VPXOR Y0, Y3, Y3; VPROLD $16, Y3, Y3; \
	VPADDD Y3, Y2, Y2; VPXOR Y2, Y1, Y1; VPROLD $12, Y1, Y1; \
	VPADDD Y1, Y0, Y0; VPXOR Y0, Y3, Y3; VPROLD $8, Y3, Y3; \
	VPADDD Y3, Y2, Y2; VPXOR Y2, Y1, Y1; VPROLD $7, Y1, Y1

// func chacha20AVX512x2(state *[16]uint32, dst, src *byte)
//
// XORs 128 bytes of src with the key stream of blocks state[12] and
// state[12]+1 into dst (as chacha20AVX2x2, on CPUs with AVX-512VL).
TEXT ·chacha20AVX512x2(SB), NOSPLIT, $0-24
	MOVQ state+0(FP), AX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	// rfc8439#2.3: the initial state, rows 0-3, in both halves; the high
	// half's block counter is one more.
	VBROADCASTI128 0(AX), Y0
	VBROADCASTI128 16(AX), Y1
	VBROADCASTI128 32(AX), Y2
	VBROADCASTI128 48(AX), Y3
	VPADDD twoLanesVL<>(SB), Y3, Y3
	VMOVDQA Y0, Y4
	VMOVDQA Y1, Y5
	VMOVDQA Y2, Y6
	VMOVDQA Y3, Y7
	MOVQ $10, CX

twoBlockRoundVL:
	// rfc8439#2.3: a column round ...
	ROWQRVL
	// ... then a diagonal round: diagonal i is a[i], b[i+1], c[i+2],
	// d[i+3], so row 0 rotated right by one word, row 2 left by one and
	// row 3 left by two make the diagonals columns. Row 1 stays: it is the
	// last one the quarter round writes and the first it reads, so a
	// shuffle of it would lengthen the dependency chain by a cycle, where
	// rows 0, 2 and 3 are shuffled while it is still being computed ...
	VPSHUFD $0x93, Y0, Y0
	VPSHUFD $0x39, Y2, Y2
	VPSHUFD $0x4E, Y3, Y3
	ROWQRVL
	// ... and rotating back restores the rows.
	VPSHUFD $0x39, Y0, Y0
	VPSHUFD $0x93, Y2, Y2
	VPSHUFD $0x4E, Y3, Y3
	DECQ CX
	JNZ twoBlockRoundVL

	// rfc8439#2.3: state += initial state; serialize block counter from
	// the low halves and block counter+1 from the high halves, and XOR
	// with the input (rfc8439#2.4).
	VPADDD Y4, Y0, Y0
	VPADDD Y5, Y1, Y1
	VPADDD Y6, Y2, Y2
	VPADDD Y7, Y3, Y3
	VPERM2I128 $0x20, Y1, Y0, Y8
	VPERM2I128 $0x20, Y3, Y2, Y9
	VPERM2I128 $0x31, Y1, Y0, Y10
	VPERM2I128 $0x31, Y3, Y2, Y11
	VPXOR 0(SI), Y8, Y8
	VPXOR 32(SI), Y9, Y9
	VPXOR 64(SI), Y10, Y10
	VPXOR 96(SI), Y11, Y11
	VMOVDQU Y8, 0(DI)
	VMOVDQU Y9, 32(DI)
	VMOVDQU Y10, 64(DI)
	VMOVDQU Y11, 96(DI)
	VZEROUPPER
	RET
