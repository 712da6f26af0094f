//go:build amd64 && !purego

// AES-GCM on AES-NI and PCLMULQDQ, 128-bit XMM registers (SSE only, no AVX):
// the baseline hardware path. Read it beside the portable code:
//
//   - cipher/aes/cipher.go: Cipher() of fips197#5.1. Here one AESENC
//     instruction is one whole round (SubBytes, ShiftRows, MixColumns,
//     AddRoundKey) on one block, and AESENCLAST is the final round without
//     MixColumns. The round keys come from aeskey.Schedule.Enc, 16 bytes
//     each, already in the byte order AESENC reads.
//   - cipher/gcm/gctr.go: GCTR of sp800-38d#6.5. Counter blocks are the IV
//     and a 32-bit big-endian counter; inc32 (sp800-38d#6.2) is a 32-bit ADDL,
//     which wraps modulo 2^32 exactly as inc32 requires.
//   - cipher/gcm/ghash.go: GHASH of sp800-38d#6.4. Here one PCLMULQDQ is one
//     64x64-bit carry-less product (ghash.go's clmul, 16 integer multiplies).
//
// # GHASH's bit order in XMM registers
//
// A block is loaded and byte-reversed (PSHUFB with bswapMask), so that the
// register holds the 128-bit integer hi:lo of ghash.go's fieldElement (its
// low quadword is fieldElement.lo). Bit i of that integer is the coefficient
// of x^(127-i): the polynomial reflected. A carry-less product of two such
// values is the reflected 255-bit product one bit short of the 256-bit
// layout; instead of shifting every product left by one (ghash.go's
// reduce), the key powers in the table are stored premultiplied by x^-1
// (newAESNI does it in Go: shift left by one, folding the carry back with
// x^-1 = x^127 + x^6 + x + 1, the constant gcmPoly). Then
// clmul(X, H^i * x^-1) is X * H^i in the 256-bit reflected layout.
//
// # The table (aesniGCM.tbl, 256 bytes, in the AEAD's own memory)
//
// For i = 8 down to 1: H^i * x^-1 (16 bytes), then its Karatsuba helper: the
// xor of its two quadwords, in both quadwords (16 bytes). So block j of a
// batch of eight finds its power, H^(8-j), at offset 32*j, and a run of k < 8
// blocks starts at offset 32*(8-k).
//
// # Why hand-written
//
// The file is meant to be read beside the portable code, so it is written by
// hand (Plan 9 syntax) rather than generated with avo: each macro below is
// one named step (a round on eight blocks, one block's product, the
// reduction), and the loops read as the algorithm. go vet checks the
// argument frames against the declarations in gcm_aesni_amd64.go.
//
// # Constant time
//
// Every branch below depends only on lengths and the number of rounds;
// every address only on the buffers' addresses and lengths. AESENC and
// PCLMULQDQ take the same time for all operands.

#include "textflag.h"

// bswapMask reverses the 16 bytes of a register (PSHUFB): a block as
// SP 800-38D writes it becomes the 128-bit integer GHASH works on, and back.
DATA bswapMask<>+0x00(SB)/8, $0x08090a0b0c0d0e0f
DATA bswapMask<>+0x08(SB)/8, $0x0001020304050607
GLOBL bswapMask<>(SB), (NOPTR+RODATA), $16

// gcmPoly is x^-1 modulo the GCM polynomial x^128 + x^7 + x^2 + x + 1
// (sp800-38d#6.3), in the reflected layout: x^127 + x^6 + x + 1 is bits 0,
// 121, 126 and 127. Its high quadword (0xc2 << 56) is what the reduction
// multiplies by.
DATA gcmPoly<>+0x00(SB)/8, $0x0000000000000001
DATA gcmPoly<>+0x08(SB)/8, $0xc200000000000000
GLOBL gcmPoly<>(SB), (NOPTR+RODATA), $16

// Register use in the GHASH code:
//   X9, X10, X11  the Karatsuba accumulators lo, hi and mid of a batch
//   X12, X13      temporaries
//   X14           bswapMask
//   X15           the running GHASH value Y (byte-reversed)

// LOAD_X loads one block of GHASH input into X12 and byte-reverses it.
#define LOAD_X(src) \
	MOVOU src, X12; \
	PSHUFB X14, X12

// MUL_ADD adds X12 * H^i to the accumulators without reducing, where h is
// the table entry of H^i * x^-1 and k its Karatsuba helper (sp800-38d#6.4,
// aggregated: Y_new = (Y + X_1) H^n + X_2 H^(n-1) + ... + X_n H, summed before
// one reduction). Karatsuba: three 64x64 products instead of four:
// lo = X.lo*H.lo, hi = X.hi*H.hi, mid = (X.lo^X.hi)*(H.lo^H.hi).
// Clobbers X12 and X13.
#define MUL_ADD(h, k) \
	MOVOU h, X13; \
	PCLMULQDQ $0x00, X12, X13; \
	PXOR X13, X9; \
	MOVOU h, X13; \
	PCLMULQDQ $0x11, X12, X13; \
	PXOR X13, X10; \
	PSHUFD $78, X12, X13; \
	PXOR X13, X12; \
	MOVOU k, X13; \
	PCLMULQDQ $0x00, X12, X13; \
	PXOR X13, X11

// ZERO_ACC clears the accumulators before a batch.
#define ZERO_ACC \
	PXOR X9, X9; \
	PXOR X10, X10; \
	PXOR X11, X11

// REDUCE turns the accumulated Karatsuba pieces into one field element and
// stores it in X15 (the new Y). Clobbers X9..X13.
//
//  1. Karatsuba middle term: mid ^= lo ^ hi; then the 256-bit product is
//     hi:lo with mid added across the middle (mid<<64).
//  2. Reduction modulo x^128 + x^7 + x^2 + x + 1 in two folds: the low
//     quadword of lo stands for the highest powers of x; multiplying it by
//     0xc2<<56 (from gcmPoly) and swapping the quadwords moves it 64 bit
//     positions up, congruent modulo the polynomial. Twice, and the low
//     128 bits are gone; add hi.
#define REDUCE \
	PXOR X9, X11; \
	PXOR X10, X11; \
	MOVOU X11, X12; \
	PSLLDQ $8, X12; \
	PSRLDQ $8, X11; \
	PXOR X12, X9; \
	PXOR X11, X10; \
	MOVOU gcmPoly<>(SB), X12; \
	PCLMULQDQ $0x01, X9, X12; \
	PSHUFD $78, X9, X9; \
	PXOR X12, X9; \
	MOVOU gcmPoly<>(SB), X12; \
	PCLMULQDQ $0x01, X9, X12; \
	PSHUFD $78, X9, X9; \
	PXOR X12, X9; \
	PXOR X10, X9; \
	MOVOU X9, X15

// Register use in the counter-mode code:
//   AX            round keys (aeskey.Schedule.Enc)
//   CX            Nr, the number of rounds (10, 12 or 14)
//   R12           the last round key, AX + 16*Nr
//   DX            the counter block in memory (IV || counter, big-endian)
//   R8            the next unused counter (host order); R9 a temporary
//   R11           the last 32-bit word of round key 0 (for the slots)
//   0..127(SP)    eight counter-block slots (see INIT_COUNTERS8)
//   X0..X7        eight counter blocks in flight
//   X8            the round key of the current round

// COUNTER puts counter block CB_{i+j} = IV || [ctr + j]32 into register x
// and adds round key 0 (sp800-38d#6.5 step 5 with inc32, fips197#5.1.4
// AddRoundKey). X8 holds round key 0.
#define COUNTER(j, x) \
	MOVL R8, R9; \
	ADDL $j, R9; \
	BSWAPL R9; \
	MOVOU (DX), x; \
	PINSRD $3, R9, x; \
	PXOR X8, x

// ROUND8 is one AES round (fips197#5.1: SubBytes, ShiftRows, MixColumns,
// AddRoundKey) on all eight blocks, with round key rk.
#define ROUND8(rk) \
	MOVOU rk, X8; \
	AESENC X8, X0; \
	AESENC X8, X1; \
	AESENC X8, X2; \
	AESENC X8, X3; \
	AESENC X8, X4; \
	AESENC X8, X5; \
	AESENC X8, X6; \
	AESENC X8, X7

// LAST8 is the final round (no MixColumns) on all eight blocks.
#define LAST8 \
	MOVOU (R12), X8; \
	AESENCLAST X8, X0; \
	AESENCLAST X8, X1; \
	AESENCLAST X8, X2; \
	AESENCLAST X8, X3; \
	AESENCLAST X8, X4; \
	AESENCLAST X8, X5; \
	AESENCLAST X8, X6; \
	AESENCLAST X8, X7

// XOR_STORE(x, off) writes dst block = src block xor key stream block x
// (sp800-38d#6.5 step 6: Y_i = X_i xor CIPH_K(CB_i)). Clobbers X8.
#define XOR_STORE(x, off) \
	MOVOU off(SI), X8; \
	PXOR X8, x; \
	MOVOU x, off(DI)

// The eight counter blocks of a batch are built on the stack (the
// functions' 128-byte frame), already xored with round key 0: slot j at
// 16*j(SP) holds CB xor RK_0, and only its last 32-bit word, the counter,
// changes from batch to batch. INIT_COUNTERS8 writes the slots for the
// counter in R8 and keeps the last word of round key 0 in R11.
#define INIT_COUNTERS8 \
	MOVOU (DX), X0; \
	MOVOU (AX), X8; \
	PXOR X8, X0; \
	MOVL 12(AX), R11; \
	INIT_SLOT(0, 0); \
	INIT_SLOT(1, 16); \
	INIT_SLOT(2, 32); \
	INIT_SLOT(3, 48); \
	INIT_SLOT(4, 64); \
	INIT_SLOT(5, 80); \
	INIT_SLOT(6, 96); \
	INIT_SLOT(7, 112)

// INIT_SLOT(j, off) writes slot j whole (so that the first batch's wide
// loads are not held up by a narrower store): X0's IV part xor round key 0
// with [R8 + j]32 xor round key 0's last word.
#define INIT_SLOT(j, off) \
	MOVL R8, R9; \
	ADDL $j, R9; \
	BSWAPL R9; \
	XORL R11, R9; \
	PINSRD $3, R9, X0; \
	MOVOU X0, off(SP)

// PATCH(j, off) writes [R8 + j]32 (big-endian, inc32 applied j times,
// sp800-38d#6.2) xor round key 0's last word into the slot at off(SP).
#define PATCH(j, off) \
	MOVL R8, R9; \
	ADDL $j, R9; \
	BSWAPL R9; \
	XORL R11, R9; \
	MOVL R9, off(SP)

#define PATCH_COUNTERS8 \
	PATCH(0, 12); \
	PATCH(1, 28); \
	PATCH(2, 44); \
	PATCH(3, 60); \
	PATCH(4, 76); \
	PATCH(5, 92); \
	PATCH(6, 108); \
	PATCH(7, 124)

// WIPE_SLOTS zeroes the counter slots and X0..X8 before returning: the
// slots hold counter blocks xor round key 0, which for AES-128 is the key.
#define WIPE_SLOTS \
	PXOR X0, X0; \
	MOVOU X0, 0(SP); \
	MOVOU X0, 16(SP); \
	MOVOU X0, 32(SP); \
	MOVOU X0, 48(SP); \
	MOVOU X0, 64(SP); \
	MOVOU X0, 80(SP); \
	MOVOU X0, 96(SP); \
	MOVOU X0, 112(SP); \
	PXOR X1, X1; \
	PXOR X2, X2; \
	PXOR X3, X3; \
	PXOR X4, X4; \
	PXOR X5, X5; \
	PXOR X6, X6; \
	PXOR X7, X7; \
	PXOR X8, X8

// COUNTERS8 loads the batch's eight counter blocks, with AddRoundKey of
// round 0 already done (fips197#5.1.4), into X0..X7, advances R8 by eight
// and patches the slots for the next batch, a whole batch before they are
// read (so the small stores never stall the wide loads).
#define COUNTERS8 \
	MOVOU 0(SP), X0; \
	MOVOU 16(SP), X1; \
	MOVOU 32(SP), X2; \
	MOVOU 48(SP), X3; \
	MOVOU 64(SP), X4; \
	MOVOU 80(SP), X5; \
	MOVOU 96(SP), X6; \
	MOVOU 112(SP), X7; \
	ADDL $8, R8; \
	PATCH_COUNTERS8

// XOR_STORE8 finishes a batch: 128 bytes of dst from src and X0..X7.
#define XOR_STORE8 \
	XOR_STORE(X0, 0); \
	XOR_STORE(X1, 16); \
	XOR_STORE(X2, 32); \
	XOR_STORE(X3, 48); \
	XOR_STORE(X4, 64); \
	XOR_STORE(X5, 80); \
	XOR_STORE(X6, 96); \
	XOR_STORE(X7, 112)

// HASH_ROUND8 is ROUND8 with the GHASH of one earlier ciphertext block
// interleaved: the AES units and the carry-less multiplier work in
// parallel. h and k are that block's table entries.
#define HASH_ROUND8(rk, x, h, k) \
	ROUND8(rk); \
	LOAD_X(x); \
	MUL_ADD(h, k)

// func aesniEncryptBlock(rk *byte, rounds int, dst, src *byte)
//
// dst = CIPH_K(src), one block: Cipher() of fips197#5.1. Used once per key,
// for the hash subkey H = CIPH_K(0^128) (sp800-38d#7.1 step 1).
TEXT ·aesniEncryptBlock(SB), NOSPLIT, $0-32
	MOVQ rk+0(FP), AX
	MOVQ rounds+8(FP), CX
	MOVQ dst+16(FP), DX
	MOVQ src+24(FP), BX
	MOVOU (BX), X0
	// fips197#5.1.4 AddRoundKey with round key 0.
	MOVOU (AX), X1
	PXOR X1, X0
	ADDQ $16, AX
	DECQ CX

encRound:
	// fips197#5.1 rounds 1..Nr-1: SubBytes, ShiftRows, MixColumns,
	// AddRoundKey, all in one AESENC.
	MOVOU (AX), X1
	AESENC X1, X0
	ADDQ $16, AX
	DECQ CX
	JNZ encRound

	// The final round: no MixColumns.
	MOVOU (AX), X1
	AESENCLAST X1, X0
	MOVOU X0, (DX)
	PXOR X0, X0
	PXOR X1, X1
	RET

// func aesniGHASH(tbl *[16][16]byte, y *[16]byte, data *byte, blocks int)
//
// Absorbs blocks whole 16-byte blocks of data into the GHASH value *y
// (byte-reversed): sp800-38d#6.4, Y_i = (Y_{i-1} xor X_i) * H, eight blocks
// per reduction, then the last k < 8 blocks with H^k..H^1 and one more.
TEXT ·aesniGHASH(SB), NOSPLIT, $0-32
	MOVQ tbl+0(FP), R10
	MOVQ y+8(FP), R11
	MOVQ data+16(FP), SI
	MOVQ blocks+24(FP), BX
	MOVOU bswapMask<>(SB), X14
	MOVOU (R11), X15

ghashBatch:
	CMPQ BX, $8
	JB ghashRest
	// Y = (Y + X_0) H^8 + X_1 H^7 + ... + X_7 H.
	ZERO_ACC
	LOAD_X((SI))
	PXOR X15, X12
	MUL_ADD(0(R10), 16(R10))
	LOAD_X(16(SI))
	MUL_ADD(32(R10), 48(R10))
	LOAD_X(32(SI))
	MUL_ADD(64(R10), 80(R10))
	LOAD_X(48(SI))
	MUL_ADD(96(R10), 112(R10))
	LOAD_X(64(SI))
	MUL_ADD(128(R10), 144(R10))
	LOAD_X(80(SI))
	MUL_ADD(160(R10), 176(R10))
	LOAD_X(96(SI))
	MUL_ADD(192(R10), 208(R10))
	LOAD_X(112(SI))
	MUL_ADD(224(R10), 240(R10))
	REDUCE
	ADDQ $128, SI
	SUBQ $8, BX
	JMP ghashBatch

ghashRest:
	TESTQ BX, BX
	JZ ghashDone
	// k = BX blocks remain: Y = (Y + X_0) H^k + ... + X_{k-1} H, the
	// powers starting at table offset 32*(8-k).
	MOVQ $8, R9
	SUBQ BX, R9
	SHLQ $5, R9
	ADDQ R10, R9
	ZERO_ACC
	LOAD_X((SI))
	PXOR X15, X12

ghashRestLoop:
	MUL_ADD(0(R9), 16(R9))
	ADDQ $16, SI
	ADDQ $32, R9
	DECQ BX
	JZ ghashRestReduce
	LOAD_X((SI))
	JMP ghashRestLoop

ghashRestReduce:
	REDUCE

ghashDone:
	MOVOU X15, (R11)
	RET

// func aesniCTR(rk *byte, rounds int, ctr *[16]byte, dst, src *byte, blocks int)
//
// GCTR (sp800-38d#6.5) over whole blocks: dst_i = src_i xor CIPH_K(CB_i)
// for blocks blocks, CB_1 = *ctr; *ctr is left at the next unused counter
// block. Eight blocks in flight, the last one to seven too. dst and src overlap
// exactly or not at all.
TEXT ·aesniCTR(SB), NOSPLIT, $128-48
	MOVQ rk+0(FP), AX
	MOVQ rounds+8(FP), CX
	MOVQ ctr+16(FP), DX
	MOVQ dst+24(FP), DI
	MOVQ src+32(FP), SI
	MOVQ blocks+40(FP), BX
	MOVQ CX, R12
	SHLQ $4, R12
	ADDQ AX, R12
	MOVL 12(DX), R8
	BSWAPL R8
	CMPQ BX, $8
	JB ctrTail
	INIT_COUNTERS8

ctrBatch:
	CMPQ BX, $8
	JB ctrTail
	// sp800-38d#6.5 steps 4-5: eight counter blocks CB_i, inc32 apart,
	// with round 0's AddRoundKey; then fips197#5.1 rounds 1..9.
	COUNTERS8
	ROUND8(16(AX))
	ROUND8(32(AX))
	ROUND8(48(AX))
	ROUND8(64(AX))
	ROUND8(80(AX))
	ROUND8(96(AX))
	ROUND8(112(AX))
	ROUND8(128(AX))
	ROUND8(144(AX))
	// Nr = 10 ends here (AES-128); AES-192 adds rounds 10 and 11,
	// AES-256 also 12 and 13 (fips197#5, Figure 4).
	CMPQ CX, $10
	JEQ ctrBatchLast
	ROUND8(160(AX))
	ROUND8(176(AX))
	CMPQ CX, $12
	JEQ ctrBatchLast
	ROUND8(192(AX))
	ROUND8(208(AX))

ctrBatchLast:
	// fips197#5.1 final round, then sp800-38d#6.5 step 6:
	// Y_i = X_i xor CIPH_K(CB_i).
	LAST8
	XOR_STORE8
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $8, BX
	JMP ctrBatch

ctrTail:
	TESTQ BX, BX
	JZ ctrDone
	// One to seven blocks left: encrypt eight counter blocks side by side
	// (as fast as one alone: the rounds' latency, not their number, is the
	// cost) and use only the first BX; the others are never stored.
	MOVOU (AX), X8
	COUNTER(0, X0)
	COUNTER(1, X1)
	COUNTER(2, X2)
	COUNTER(3, X3)
	COUNTER(4, X4)
	COUNTER(5, X5)
	COUNTER(6, X6)
	COUNTER(7, X7)
	ADDL BX, R8
	ROUND8(16(AX))
	ROUND8(32(AX))
	ROUND8(48(AX))
	ROUND8(64(AX))
	ROUND8(80(AX))
	ROUND8(96(AX))
	ROUND8(112(AX))
	ROUND8(128(AX))
	ROUND8(144(AX))
	// Nr = 10 ends here (AES-128); AES-192 adds rounds 10 and 11,
	// AES-256 also 12 and 13 (fips197#5, Figure 4).
	CMPQ CX, $10
	JEQ ctrTailLast
	ROUND8(160(AX))
	ROUND8(176(AX))
	CMPQ CX, $12
	JEQ ctrTailLast
	ROUND8(192(AX))
	ROUND8(208(AX))

ctrTailLast:
	// fips197#5.1 final round; sp800-38d#6.5 step 6 for the first BX
	// blocks only.
	LAST8
	XOR_STORE(X0, 0)
	CMPQ BX, $1
	JEQ ctrDone
	XOR_STORE(X1, 16)
	CMPQ BX, $2
	JEQ ctrDone
	XOR_STORE(X2, 32)
	CMPQ BX, $3
	JEQ ctrDone
	XOR_STORE(X3, 48)
	CMPQ BX, $4
	JEQ ctrDone
	XOR_STORE(X4, 64)
	CMPQ BX, $5
	JEQ ctrDone
	XOR_STORE(X5, 80)
	CMPQ BX, $6
	JEQ ctrDone
	XOR_STORE(X6, 96)

ctrDone:
	BSWAPL R8
	MOVL R8, 12(DX)
	WIPE_SLOTS
	RET

// func aesniSeal(rk *byte, rounds int, tbl *[16][16]byte, y *[16]byte, ctr *[16]byte, dst, src *byte, batches int)
//
// Steps 3 and 5 of sp800-38d#7.1 fused, for batches runs of 128 bytes: batch
// b's counter blocks go through the AES rounds while batch b-1's ciphertext
// (already in dst) is multiplied by H^8..H^1, one block per round, and
// reduced once. The last batch's ciphertext is left for the caller to hash
// (with the tail that follows it). *ctr and *y are updated.
TEXT ·aesniSeal(SB), NOSPLIT, $128-64
	MOVQ rk+0(FP), AX
	MOVQ rounds+8(FP), CX
	MOVQ tbl+16(FP), R10
	MOVQ y+24(FP), R11
	MOVQ ctr+32(FP), DX
	MOVQ dst+40(FP), DI
	MOVQ src+48(FP), SI
	MOVQ batches+56(FP), BX
	MOVQ CX, R12
	SHLQ $4, R12
	ADDQ AX, R12
	MOVL 12(DX), R8
	BSWAPL R8
	MOVOU bswapMask<>(SB), X14
	MOVOU (R11), X15
	INIT_COUNTERS8

	// Batch 0: counter mode only, nothing to hash yet.
	// sp800-38d#6.5 steps 4-5: eight counter blocks CB_i, inc32 apart,
	// with round 0's AddRoundKey; then fips197#5.1 rounds 1..9.
	COUNTERS8
	ROUND8(16(AX))
	ROUND8(32(AX))
	ROUND8(48(AX))
	ROUND8(64(AX))
	ROUND8(80(AX))
	ROUND8(96(AX))
	ROUND8(112(AX))
	ROUND8(128(AX))
	ROUND8(144(AX))
	// Nr = 10 ends here (AES-128); AES-192 adds rounds 10 and 11,
	// AES-256 also 12 and 13 (fips197#5, Figure 4).
	CMPQ CX, $10
	JEQ sealFirstLast
	ROUND8(160(AX))
	ROUND8(176(AX))
	CMPQ CX, $12
	JEQ sealFirstLast
	ROUND8(192(AX))
	ROUND8(208(AX))

sealFirstLast:
	// fips197#5.1 final round, then sp800-38d#6.5 step 6:
	// Y_i = X_i xor CIPH_K(CB_i).
	LAST8
	XOR_STORE8
	// R13 is the ciphertext batch to hash during the next batch's rounds.
	MOVQ DI, R13
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ BX

sealBatch:
	TESTQ BX, BX
	JZ sealDone
	// sp800-38d#6.5 steps 4-5 for batch b, as above.
	COUNTERS8
	ZERO_ACC
	// Round 1 with block 0 of the previous batch: (Y + C_0) H^8.
	ROUND8(16(AX))
	LOAD_X((R13))
	PXOR X15, X12
	MUL_ADD(0(R10), 16(R10))
	// Rounds 2..8 with C_1 H^7 ... C_7 H.
	HASH_ROUND8(32(AX), 16(R13), 32(R10), 48(R10))
	HASH_ROUND8(48(AX), 32(R13), 64(R10), 80(R10))
	HASH_ROUND8(64(AX), 48(R13), 96(R10), 112(R10))
	HASH_ROUND8(80(AX), 64(R13), 128(R10), 144(R10))
	HASH_ROUND8(96(AX), 80(R13), 160(R10), 176(R10))
	HASH_ROUND8(112(AX), 96(R13), 192(R10), 208(R10))
	HASH_ROUND8(128(AX), 112(R13), 224(R10), 240(R10))
	ROUND8(144(AX))
	// Nr = 10 ends here (AES-128); AES-192 adds rounds 10 and 11,
	// AES-256 also 12 and 13 (fips197#5, Figure 4).
	CMPQ CX, $10
	JEQ sealBatchLast
	ROUND8(160(AX))
	ROUND8(176(AX))
	CMPQ CX, $12
	JEQ sealBatchLast
	ROUND8(192(AX))
	ROUND8(208(AX))

sealBatchLast:
	// fips197#5.1 final round; one GHASH reduction for the eight
	// products; sp800-38d#6.5 step 6: C_i = P_i xor CIPH_K(CB_i).
	LAST8
	REDUCE
	XOR_STORE8
	MOVQ DI, R13
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ BX
	JMP sealBatch

sealDone:
	BSWAPL R8
	MOVL R8, 12(DX)
	MOVQ y+24(FP), R11
	MOVOU X15, (R11)
	WIPE_SLOTS
	RET
