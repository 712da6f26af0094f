//go:build amd64 && !purego

#include "textflag.h"

// ChaCha20 (rfc8439#2.3, #2.4) eight blocks at a time with AVX2.
//
// Layout: "one block per lane". Register Yj holds word j of the state of
// eight consecutive blocks, one block in each 32-bit lane (lane i has block
// counter + i). A ChaCha quarter round on words a, b, c, d then runs on all
// eight blocks with one instruction per RFC step, and no shuffling between
// the column and the diagonal rounds: the diagonal round only names other
// registers.
//
// Registers: Y0-Y3 = words 0-3 (the "a" row), Y4-Y7 = words 4-7 ("b"),
// Y12-Y15 = words 12-15 ("d"). The "c" row (words 8-11) does not fit beside
// two scratch registers, so only two of its words are in Y8 and Y9 at a time
// and the other two wait on the stack: words 8 and 9 during the first half
// of the column round and the second half of the diagonal round, words 10
// and 11 in between (one swap per round, as in OpenSSL's 8x AVX2 code).
// Y10 and Y11 are scratch for the rotations by 12 and 7; the rotations by
// 16 and 8 move whole bytes and are one VPSHUFB each.
//
// Nothing here depends on the key, the nonce or the data except the values
// computed: no branch, no data-dependent address.

// Byte shuffles rotating every 32-bit lane left by 16 and by 8.
DATA rol16<>+0x00(SB)/8, $0x0504070601000302
DATA rol16<>+0x08(SB)/8, $0x0D0C0F0E09080B0A
DATA rol16<>+0x10(SB)/8, $0x0504070601000302
DATA rol16<>+0x18(SB)/8, $0x0D0C0F0E09080B0A
GLOBL rol16<>(SB), (NOPTR+RODATA), $32

DATA rol8<>+0x00(SB)/8, $0x0605040702010003
DATA rol8<>+0x08(SB)/8, $0x0E0D0C0F0A09080B
DATA rol8<>+0x10(SB)/8, $0x0605040702010003
DATA rol8<>+0x18(SB)/8, $0x0E0D0C0F0A09080B
GLOBL rol8<>(SB), (NOPTR+RODATA), $32

// Lane offsets of the block counter: block i of a batch has counter + i.
DATA lanes8<>+0x00(SB)/4, $0
DATA lanes8<>+0x04(SB)/4, $1
DATA lanes8<>+0x08(SB)/4, $2
DATA lanes8<>+0x0c(SB)/4, $3
DATA lanes8<>+0x10(SB)/4, $4
DATA lanes8<>+0x14(SB)/4, $5
DATA lanes8<>+0x18(SB)/4, $6
DATA lanes8<>+0x1c(SB)/4, $7
GLOBL lanes8<>(SB), (NOPTR+RODATA), $32

DATA eight<>+0x00(SB)/4, $8
DATA eight<>+0x04(SB)/4, $8
DATA eight<>+0x08(SB)/4, $8
DATA eight<>+0x0c(SB)/4, $8
DATA eight<>+0x10(SB)/4, $8
DATA eight<>+0x14(SB)/4, $8
DATA eight<>+0x18(SB)/4, $8
DATA eight<>+0x1c(SB)/4, $8
GLOBL eight<>(SB), (NOPTR+RODATA), $32

// Stack frame: the initial state of the batch, each word broadcast to the
// eight lanes (16 x 32 bytes at 0(SP)), then the spill slots of words 8-11
// (4 x 32 bytes at 512(SP)), then words 8-15 of the result while words 0-7
// are transposed (8 x 32 bytes at 640(SP)).
#define INIT(j) (j*32)(SP)
#define SPILL(j) (512+(j-8)*32)(SP)
#define HIGH(j) (640+(j-8)*32)(SP)

// QR2 runs two quarter rounds side by side (rfc8439#2.1), eight blocks each:
//	a += b; d ^= a; d <<<= 16;
//	c += d; b ^= c; b <<<= 12;
//	a += b; d ^= a; d <<<= 8;
//	c += d; b ^= c; b <<<= 7;
#define QR2(a1, b1, c1, d1, a2, b2, c2, d2) \
	VPADDD b1, a1, a1; VPADDD b2, a2, a2; \
	VPXOR a1, d1, d1; VPXOR a2, d2, d2; \
	VPSHUFB rol16<>(SB), d1, d1; VPSHUFB rol16<>(SB), d2, d2; \
	VPADDD d1, c1, c1; VPADDD d2, c2, c2; \
	VPXOR c1, b1, b1; VPXOR c2, b2, b2; \
	VPSLLD $12, b1, Y10; VPSRLD $20, b1, b1; VPOR Y10, b1, b1; \
	VPSLLD $12, b2, Y11; VPSRLD $20, b2, b2; VPOR Y11, b2, b2; \
	VPADDD b1, a1, a1; VPADDD b2, a2, a2; \
	VPXOR a1, d1, d1; VPXOR a2, d2, d2; \
	VPSHUFB rol8<>(SB), d1, d1; VPSHUFB rol8<>(SB), d2, d2; \
	VPADDD d1, c1, c1; VPADDD d2, c2, c2; \
	VPXOR c1, b1, b1; VPXOR c2, b2, b2; \
	VPSLLD $7, b1, Y10; VPSRLD $25, b1, b1; VPOR Y10, b1, b1; \
	VPSLLD $7, b2, Y11; VPSRLD $25, b2, b2; VPOR Y11, b2, b2

// TRANSPOSE8 turns eight registers Y0-Y7 holding one word per block (lane i
// = block i) into Y8-Y15 holding eight consecutive words of one block each
// (Y8+i = block i), through Y8-Y15 as scratch: 32-bit interleaves, then
// 64-bit interleaves (4x4 transposes inside each 128-bit half), then the
// halves exchanged between registers.
#define TRANSPOSE8 \
	VPUNPCKLDQ Y1, Y0, Y8; VPUNPCKHDQ Y1, Y0, Y9; \
	VPUNPCKLDQ Y3, Y2, Y10; VPUNPCKHDQ Y3, Y2, Y11; \
	VPUNPCKLDQ Y5, Y4, Y12; VPUNPCKHDQ Y5, Y4, Y13; \
	VPUNPCKLDQ Y7, Y6, Y14; VPUNPCKHDQ Y7, Y6, Y15; \
	VPUNPCKLQDQ Y10, Y8, Y0; VPUNPCKHQDQ Y10, Y8, Y1; \
	VPUNPCKLQDQ Y11, Y9, Y2; VPUNPCKHQDQ Y11, Y9, Y3; \
	VPUNPCKLQDQ Y14, Y12, Y4; VPUNPCKHQDQ Y14, Y12, Y5; \
	VPUNPCKLQDQ Y15, Y13, Y6; VPUNPCKHQDQ Y15, Y13, Y7; \
	VPERM2I128 $0x20, Y4, Y0, Y8; VPERM2I128 $0x31, Y4, Y0, Y12; \
	VPERM2I128 $0x20, Y5, Y1, Y9; VPERM2I128 $0x31, Y5, Y1, Y13; \
	VPERM2I128 $0x20, Y6, Y2, Y10; VPERM2I128 $0x31, Y6, Y2, Y14; \
	VPERM2I128 $0x20, Y7, Y3, Y11; VPERM2I128 $0x31, Y7, Y3, Y15

// XOR8(off) XORs the eight half-blocks in Y8-Y15 (block i in Y8+i) with
// the input at SI+off+64*i and stores them at DI+off+64*i.
#define XOR8(off) \
	VPXOR (off+0*64)(SI), Y8, Y8; VMOVDQU Y8, (off+0*64)(DI); \
	VPXOR (off+1*64)(SI), Y9, Y9; VMOVDQU Y9, (off+1*64)(DI); \
	VPXOR (off+2*64)(SI), Y10, Y10; VMOVDQU Y10, (off+2*64)(DI); \
	VPXOR (off+3*64)(SI), Y11, Y11; VMOVDQU Y11, (off+3*64)(DI); \
	VPXOR (off+4*64)(SI), Y12, Y12; VMOVDQU Y12, (off+4*64)(DI); \
	VPXOR (off+5*64)(SI), Y13, Y13; VMOVDQU Y13, (off+5*64)(DI); \
	VPXOR (off+6*64)(SI), Y14, Y14; VMOVDQU Y14, (off+6*64)(DI); \
	VPXOR (off+7*64)(SI), Y15, Y15; VMOVDQU Y15, (off+7*64)(DI)

// func chacha20AVX2(state *[16]uint32, dst, src *byte, batches int)
//
// XORs batches x 512 bytes of src with the key stream of blocks
// state[12], state[12]+1, ... into dst. The counter wraps modulo 2^32 in
// each lane; the caller never uses a wrapped block.
TEXT ·chacha20AVX2(SB), 0, $896-32
	MOVQ state+0(FP), AX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	MOVQ batches+24(FP), CX

	// The initial state of the first batch, every word in all eight lanes;
	// the counter word gets the lane offsets 0..7 (rfc8439#2.3: block
	// counter, then the key and nonce words unchanged).
	VPBROADCASTD 0(AX), Y0
	VMOVDQU Y0, INIT(0)
	VPBROADCASTD 4(AX), Y0
	VMOVDQU Y0, INIT(1)
	VPBROADCASTD 8(AX), Y0
	VMOVDQU Y0, INIT(2)
	VPBROADCASTD 12(AX), Y0
	VMOVDQU Y0, INIT(3)
	VPBROADCASTD 16(AX), Y0
	VMOVDQU Y0, INIT(4)
	VPBROADCASTD 20(AX), Y0
	VMOVDQU Y0, INIT(5)
	VPBROADCASTD 24(AX), Y0
	VMOVDQU Y0, INIT(6)
	VPBROADCASTD 28(AX), Y0
	VMOVDQU Y0, INIT(7)
	VPBROADCASTD 32(AX), Y0
	VMOVDQU Y0, INIT(8)
	VPBROADCASTD 36(AX), Y0
	VMOVDQU Y0, INIT(9)
	VPBROADCASTD 40(AX), Y0
	VMOVDQU Y0, INIT(10)
	VPBROADCASTD 44(AX), Y0
	VMOVDQU Y0, INIT(11)
	VPBROADCASTD 48(AX), Y0
	VPADDD lanes8<>(SB), Y0, Y0
	VMOVDQU Y0, INIT(12)
	VPBROADCASTD 52(AX), Y0
	VMOVDQU Y0, INIT(13)
	VPBROADCASTD 56(AX), Y0
	VMOVDQU Y0, INIT(14)
	VPBROADCASTD 60(AX), Y0
	VMOVDQU Y0, INIT(15)

batch:
	// Working state = initial state; words 10 and 11 start on the stack.
	VMOVDQU INIT(0), Y0
	VMOVDQU INIT(1), Y1
	VMOVDQU INIT(2), Y2
	VMOVDQU INIT(3), Y3
	VMOVDQU INIT(4), Y4
	VMOVDQU INIT(5), Y5
	VMOVDQU INIT(6), Y6
	VMOVDQU INIT(7), Y7
	VMOVDQU INIT(8), Y8
	VMOVDQU INIT(9), Y9
	VMOVDQU INIT(10), Y10
	VMOVDQU Y10, SPILL(10)
	VMOVDQU INIT(11), Y11
	VMOVDQU Y11, SPILL(11)
	VMOVDQU INIT(12), Y12
	VMOVDQU INIT(13), Y13
	VMOVDQU INIT(14), Y14
	VMOVDQU INIT(15), Y15
	MOVQ $10, DX

doubleRound:
	// Column round, first half: QUARTERROUND(0,4,8,12), (1,5,9,13).
	QR2(Y0, Y4, Y8, Y12, Y1, Y5, Y9, Y13)
	// Words 8, 9 out; 10, 11 in.
	VMOVDQU Y8, SPILL(8)
	VMOVDQU Y9, SPILL(9)
	VMOVDQU SPILL(10), Y8
	VMOVDQU SPILL(11), Y9
	// Column round, second half: QUARTERROUND(2,6,10,14), (3,7,11,15).
	QR2(Y2, Y6, Y8, Y14, Y3, Y7, Y9, Y15)
	// Diagonal round, first half: QUARTERROUND(0,5,10,15), (1,6,11,12).
	QR2(Y0, Y5, Y8, Y15, Y1, Y6, Y9, Y12)
	// Words 10, 11 out; 8, 9 in.
	VMOVDQU Y8, SPILL(10)
	VMOVDQU Y9, SPILL(11)
	VMOVDQU SPILL(8), Y8
	VMOVDQU SPILL(9), Y9
	// Diagonal round, second half: QUARTERROUND(2,7,8,13), (3,4,9,14).
	QR2(Y2, Y7, Y8, Y13, Y3, Y4, Y9, Y14)
	DECQ DX
	JNZ doubleRound

	// state += initial_state (rfc8439#2.3), words 10 and 11 back from the
	// stack, so that Yj holds word j again for every j.
	VPADDD INIT(0), Y0, Y0
	VPADDD INIT(1), Y1, Y1
	VPADDD INIT(2), Y2, Y2
	VPADDD INIT(3), Y3, Y3
	VPADDD INIT(4), Y4, Y4
	VPADDD INIT(5), Y5, Y5
	VPADDD INIT(6), Y6, Y6
	VPADDD INIT(7), Y7, Y7
	VPADDD INIT(8), Y8, Y8
	VPADDD INIT(9), Y9, Y9
	VMOVDQU SPILL(10), Y10
	VPADDD INIT(10), Y10, Y10
	VMOVDQU SPILL(11), Y11
	VPADDD INIT(11), Y11, Y11
	VPADDD INIT(12), Y12, Y12
	VPADDD INIT(13), Y13, Y13
	VPADDD INIT(14), Y14, Y14
	VPADDD INIT(15), Y15, Y15

	// Serialize (rfc8439#2.3: words little-endian, in order) and XOR with
	// the input (rfc8439#2.4): words 0-7 of each block first, ...
	VMOVDQU Y8, HIGH(8)
	VMOVDQU Y9, HIGH(9)
	VMOVDQU Y10, HIGH(10)
	VMOVDQU Y11, HIGH(11)
	VMOVDQU Y12, HIGH(12)
	VMOVDQU Y13, HIGH(13)
	VMOVDQU Y14, HIGH(14)
	VMOVDQU Y15, HIGH(15)
	TRANSPOSE8
	XOR8(0)
	// ... then words 8-15.
	VMOVDQU HIGH(8), Y0
	VMOVDQU HIGH(9), Y1
	VMOVDQU HIGH(10), Y2
	VMOVDQU HIGH(11), Y3
	VMOVDQU HIGH(12), Y4
	VMOVDQU HIGH(13), Y5
	VMOVDQU HIGH(14), Y6
	VMOVDQU HIGH(15), Y7
	TRANSPOSE8
	XOR8(32)

	// Next batch: counters + 8.
	VMOVDQU INIT(12), Y0
	VPADDD eight<>(SB), Y0, Y0
	VMOVDQU Y0, INIT(12)
	ADDQ $512, SI
	ADDQ $512, DI
	DECQ CX
	JNZ batch

	VZEROUPPER
	RET

// Two blocks for short records: "one row per 128-bit half". Y0-Y3 hold
// rows 0-3 of the state (the constants, the two key rows, counter and
// nonce) of block counter in their low half and of block counter+1 in
// their high half, so one instruction steps all four quarter rounds of a
// column round in both blocks. Between the column and the diagonal round
// VPSHUFD rotates rows 0, 2 and 3 (right by one word, left by one, left by
// two), which lines the diagonals up as columns (and back afterwards).
DATA twoLanes<>+0x00(SB)/8, $0
DATA twoLanes<>+0x08(SB)/8, $0
DATA twoLanes<>+0x10(SB)/8, $1
DATA twoLanes<>+0x18(SB)/8, $0
GLOBL twoLanes<>(SB), (NOPTR+RODATA), $32

// ROWQR: the quarter round of rfc8439#2.1 on rows Y0 (a), Y1 (b), Y2 (c),
// Y3 (d), Y8 scratch.
#define ROWQR \
	VPADDD Y1, Y0, Y0; VPXOR Y0, Y3, Y3; VPSHUFB rol16<>(SB), Y3, Y3; \
	VPADDD Y3, Y2, Y2; VPXOR Y2, Y1, Y1; VPSLLD $12, Y1, Y8; VPSRLD $20, Y1, Y1; VPOR Y8, Y1, Y1; \
	VPADDD Y1, Y0, Y0; VPXOR Y0, Y3, Y3; VPSHUFB rol8<>(SB), Y3, Y3; \
	VPADDD Y3, Y2, Y2; VPXOR Y2, Y1, Y1; VPSLLD $7, Y1, Y8; VPSRLD $25, Y1, Y1; VPOR Y8, Y1, Y1

// func chacha20AVX2x2(state *[16]uint32, dst, src *byte)
//
// XORs 128 bytes of src with the key stream of blocks state[12] and
// state[12]+1 into dst.
TEXT ·chacha20AVX2x2(SB), NOSPLIT, $0-24
	MOVQ state+0(FP), AX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	VBROADCASTI128 0(AX), Y0
	VBROADCASTI128 16(AX), Y1
	VBROADCASTI128 32(AX), Y2
	VBROADCASTI128 48(AX), Y3
	VPADDD twoLanes<>(SB), Y3, Y3 // block counter + 1 in the high half
	VMOVDQA Y0, Y4
	VMOVDQA Y1, Y5
	VMOVDQA Y2, Y6
	VMOVDQA Y3, Y7
	MOVQ $10, CX

twoBlockRound:
	// Column round.
	ROWQR
	// Diagonals as columns: diagonal i is a[i], b[i+1], c[i+2], d[i+3],
	// so row 0 rotates right by one word, row 2 left by one and row 3 left
	// by two. Row 1 stays: the quarter round writes it last and reads it
	// first, so shuffling it would add a cycle to the dependency chain,
	// while rows 0, 2 and 3 are shuffled as row 1 is still being computed.
	VPSHUFD $0x93, Y0, Y0
	VPSHUFD $0x39, Y2, Y2
	VPSHUFD $0x4E, Y3, Y3
	// Diagonal round, then the rows rotated back.
	ROWQR
	VPSHUFD $0x39, Y0, Y0
	VPSHUFD $0x93, Y2, Y2
	VPSHUFD $0x4E, Y3, Y3
	DECQ CX
	JNZ twoBlockRound

	// state += initial_state, then block 0 from the low halves and block 1
	// from the high halves, XORed with the input.
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
