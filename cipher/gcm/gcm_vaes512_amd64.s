//go:build amd64 && !purego

// AES-GCM on VAES and VPCLMULQDQ with 512-bit ZMM registers (AVX-512).
//
// Read this beside the portable code: gctr.go (sp800-38d#6.5, GCTR),
// ghash.go (sp800-38d#6.3 and #6.4, multiplication and GHASH) and
// minitls/cipher/aes's cipher.go (fips197#5.1, Cipher). The algorithm is
// the same; what changes is the width. A ZMM register holds four 16-byte
// blocks, one per 128-bit lane, and VAESENC / VPCLMULQDQ work on each lane
// independently, so one instruction does four blocks' worth of an AES round
// or of a 64x64-bit carry-less multiplication. The main loops keep sixteen
// blocks (four registers, 256 bytes) in flight.
//
// Constant time: no branch and no memory address depends on the key, the
// data or the GHASH state. Branches depend only on lengths, on the number
// of rounds (public), and, once, on whether Open's tag matched (the answer
// Open returns anyway); VAESENC and VPCLMULQDQ take the same time for every
// operand. A partial last block is read and written with K-masked
// byte loads and stores, which never touch the bytes past the end of a
// slice (masked-off bytes cannot fault), so no copy through a buffer is
// needed.
//
// # Block representation for GHASH
//
// sp800-38d#6.3 numbers a block's bits from the most significant bit of
// byte 0 (x^0) to the least significant bit of byte 15 (x^127). VPSHUFB
// with bswapMask reverses the 16 bytes of each lane, which makes the lane a
// little-endian 128-bit integer whose bit 127 is x^0 and bit 0 is x^127:
// the polynomial with its bit order reflected. A carry-less product of two
// reflected 128-bit values has 255 bits, one position lower than a 256-bit
// reflection of the product would put them: read as a reflected 256-bit
// value it is the product times x. The powers of H are therefore stored
// times x^-1 (see vaes512Init), which cancels that factor. What is left is
// the reduction modulo x^128 + x^7 + x^2 + x + 1 of the 256-bit value, whose
// low 128 bits hold the high-degree coefficients x^128..x^255. It is done in
// two folds of 64 bits, each one carry-less multiplication by the 64-bit
// constant 0xc200000000000000 (gfPoly's high quadword: bits 63, 62 and 57,
// the reflected x^0 + x^1 + x^6) plus a swap of the halves. This is the technique of
// Gueron and Kounavis, "Intel Carry-Less Multiplication Instruction and its
// Usage for Computing the GCM Mode", as BoringSSL's and Go's AES-GCM use it.
//
// # Register roles (both Seal and Open)
//
//	Z0-Z3     four registers of four blocks: counter blocks, then AES state,
//	          then ciphertext; scratch for GHASH products
//	Z4-Z7     sixteen blocks being hashed (byte-reflected)
//	Z8, Z9,   GHASH sums of products: low (LO), middle (MI) and high (HI)
//	Z11       halves; Z10 scratch
//	Z12       the GHASH accumulator Y in lane 0 (X12), other lanes zero
//	Z13       CIPH_K(J0) in lane 0 (X13), for the tag (sp800-38d#7.1 step 6)
//	Z14       CTR: the next four counter blocks, byte-reflected, so the
//	          32-bit counter of sp800-38d#6.2 is dword 0 of each lane
//	Z15       POLY: 0xc2000000000000000000000000000001 in every lane
//	Z16-Z29   round keys 0..13 broadcast to all lanes (Z16+r is round key r)
//	Z30       round key Nr, the last one, broadcast
//	Z31       BSWAP: the byte-reversal shuffle for every lane
//	K1-K4     byte masks of the four 64-byte chunks of a tail
//	AX        *vaes512GCM; R9 = Nr; R8 = &powers (H^16 first); R11 = &J0
//	SI, DI    source and destination; R10 bytes left

#include "textflag.h"
#include "go_asm.h"

#define BSWAP Z31
#define POLY Z15
#define CTR Z14
#define ACC Z12

// bswapMask reverses the 16 bytes of a lane (VPSHUFB takes byte i of the
// result from byte mask[i] of the source).
DATA bswapMask<>+0(SB)/8, $0x08090a0b0c0d0e0f
DATA bswapMask<>+8(SB)/8, $0x0001020304050607
GLOBL bswapMask<>(SB), RODATA|NOPTR, $16

// gfPoly is x^-1 = x^127 + x^6 + x + 1 (from x^128 = x^7 + x^2 + x + 1),
// reflected: bits 0, 121, 126 and 127. vaes512Init adds it when H*x^-1
// shifts out x^0; its high quadword, 0xc200000000000000, is the constant
// the reduction folds multiply by.
DATA gfPoly<>+0(SB)/8, $0x0000000000000001
DATA gfPoly<>+8(SB)/8, $0xc200000000000000
GLOBL gfPoly<>(SB), RODATA|NOPTR, $16

// laneOffsets adds 1, 2, 3, 4 to the counter word of lanes 0..3, turning
// four copies of J0 into inc32(J0) and the three counter blocks after it.
DATA laneOffsets<>+0(SB)/8, $1
DATA laneOffsets<>+8(SB)/8, $0
DATA laneOffsets<>+16(SB)/8, $2
DATA laneOffsets<>+24(SB)/8, $0
DATA laneOffsets<>+32(SB)/8, $3
DATA laneOffsets<>+40(SB)/8, $0
DATA laneOffsets<>+48(SB)/8, $4
DATA laneOffsets<>+56(SB)/8, $0
GLOBL laneOffsets<>(SB), RODATA|NOPTR, $64

// laneStep is 4 in the counter word of every lane: one register's worth
// of inc32.
DATA laneStep<>+0(SB)/8, $4
DATA laneStep<>+8(SB)/8, $0
DATA laneStep<>+16(SB)/8, $4
DATA laneStep<>+24(SB)/8, $0
DATA laneStep<>+32(SB)/8, $4
DATA laneStep<>+40(SB)/8, $0
DATA laneStep<>+48(SB)/8, $4
DATA laneStep<>+56(SB)/8, $0
GLOBL laneStep<>(SB), RODATA|NOPTR, $64

// LOAD_ROUND_KEYS broadcasts round keys 0..13 into Z16..Z29 and round key
// Nr into Z30 (fips197#5.2: the key schedule w, four words per round).
// Keys past Nr are loaded too (from the zero tail of the array) and unused.
#define LOAD_ROUND_KEYS \
	VBROADCASTI32X4 vaes512GCM_keys+0(AX), Z16;   \
	VBROADCASTI32X4 vaes512GCM_keys+16(AX), Z17;  \
	VBROADCASTI32X4 vaes512GCM_keys+32(AX), Z18;  \
	VBROADCASTI32X4 vaes512GCM_keys+48(AX), Z19;  \
	VBROADCASTI32X4 vaes512GCM_keys+64(AX), Z20;  \
	VBROADCASTI32X4 vaes512GCM_keys+80(AX), Z21;  \
	VBROADCASTI32X4 vaes512GCM_keys+96(AX), Z22;  \
	VBROADCASTI32X4 vaes512GCM_keys+112(AX), Z23; \
	VBROADCASTI32X4 vaes512GCM_keys+128(AX), Z24; \
	VBROADCASTI32X4 vaes512GCM_keys+144(AX), Z25; \
	VBROADCASTI32X4 vaes512GCM_keys+160(AX), Z26; \
	VBROADCASTI32X4 vaes512GCM_keys+176(AX), Z27; \
	VBROADCASTI32X4 vaes512GCM_keys+192(AX), Z28; \
	VBROADCASTI32X4 vaes512GCM_keys+208(AX), Z29; \
	MOVQ            R9, CX;                       \
	SHLQ            $4, CX;                       \
	VBROADCASTI32X4 vaes512GCM_keys(AX)(CX*1), Z30

// LOAD_COUNTER reads J0 at p into CTR as the four counter blocks
// inc32(J0) .. inc32^4(J0), byte-reflected so that inc32 (sp800-38d#6.2) is
// a 32-bit VPADDD on dword 0 of each lane: VPADDD wraps modulo 2^32 and
// leaves the other 96 bits alone, exactly as inc32 does.
#define LOAD_COUNTER(p) \
	VBROADCASTI32X4 (p), CTR;        \
	VPSHUFB         BSWAP, CTR, CTR; \
	VPADDD          laneOffsets<>(SB), CTR, CTR

// COUNTERS_4 sets Z0..Z3 to the next sixteen counter blocks CB_i, in the
// byte order AES reads, and advances CTR by 16 (sp800-38d#6.5 step 5:
// CB_i = inc32(CB_{i-1})).
#define COUNTERS_4 \
	VPADDD  laneStep<>(SB), CTR, Z1; \
	VPADDD  laneStep<>(SB), Z1, Z2;  \
	VPADDD  laneStep<>(SB), Z2, Z3;  \
	VPSHUFB BSWAP, CTR, Z0;          \
	VPADDD  laneStep<>(SB), Z3, CTR; \
	VPSHUFB BSWAP, Z1, Z1;           \
	VPSHUFB BSWAP, Z2, Z2;           \
	VPSHUFB BSWAP, Z3, Z3

// AES_ROUND_4 is one round of fips197#5.1 on sixteen blocks: VAESENC does
// SubBytes, ShiftRows, MixColumns and AddRoundKey (with key k) per lane.
#define AES_ROUND_4(k) \
	VAESENC k, Z0, Z0; \
	VAESENC k, Z1, Z1; \
	VAESENC k, Z2, Z2; \
	VAESENC k, Z3, Z3

// AES_4 is fips197#5.1 Cipher on the sixteen blocks in Z0..Z3: the first
// AddRoundKey, rounds 1..Nr-1, and the last round without MixColumns
// (VAESENCLAST). The branches on Nr (10, 12 or 14) are on the key size,
// which is public. l names a label unique within the function.
#define AES_4(l) \
	VPXORD      Z16, Z0, Z0; \
	VPXORD      Z16, Z1, Z1; \
	VPXORD      Z16, Z2, Z2; \
	VPXORD      Z16, Z3, Z3; \
	AES_ROUND_4(Z17);        \
	AES_ROUND_4(Z18);        \
	AES_ROUND_4(Z19);        \
	AES_ROUND_4(Z20);        \
	AES_ROUND_4(Z21);        \
	AES_ROUND_4(Z22);        \
	AES_ROUND_4(Z23);        \
	AES_ROUND_4(Z24);        \
	AES_ROUND_4(Z25);        \
	CMPQ        R9, $12;     \
	JB          l;           \
	AES_ROUND_4(Z26);        \
	AES_ROUND_4(Z27);        \
	JE          l;           \
	AES_ROUND_4(Z28);        \
	AES_ROUND_4(Z29);        \
l:                           \
	VAESENCLAST Z30, Z0, Z0; \
	VAESENCLAST Z30, Z1, Z1; \
	VAESENCLAST Z30, Z2, Z2; \
	VAESENCLAST Z30, Z3, Z3

// MUL_ACCUMULATE_4 multiplies the four blocks of register x by the four
// powers of H at p and adds the 256-bit products to the running sums LO
// (Z8), MI (Z9) and HI (Z11), schoolbook style: with x = x1:x0 and
// h = h1:h0 (64-bit halves), x*h = x1*h1 << 128 + (x1*h0 + x0*h1) << 64 +
// x0*h0. Four multiplications instead of Karatsuba's three: VPTERNLOGD
// adds three values in one instruction, so the extra multiply costs less
// than Karatsuba's extra additions and the precomputed h1+h0.
#define MUL_ACCUMULATE_4(x, p) \
	VPCLMULQDQ $0x00, p, x, Z0;  \
	VPCLMULQDQ $0x01, p, x, Z1;  \
	VPCLMULQDQ $0x10, p, x, Z2;  \
	VPCLMULQDQ $0x11, p, x, Z3;  \
	VPXORD     Z0, Z8, Z8;       \
	VPTERNLOGD $0x96, Z2, Z1, Z9; \
	VPXORD     Z3, Z11, Z11

// GHASH_16 is sixteen steps of sp800-38d#6.4 (Y_i = (Y_{i-1} xor X_i) * H)
// done as one: with Y already added into the first block (Z4 lane 0),
// Y_16 = X_1*H^16 xor X_2*H^15 xor ... xor X_16*H^1, the powers read from p
// (highest first). The sixteen products are summed unreduced and reduced
// once. Result in X12 (ACC), upper lanes zero. Clobbers Z0-Z3, Z8-Z11.
#define GHASH_16(p) \
	VPCLMULQDQ       $0x00, 0(p), Z4, Z8;  \
	VPCLMULQDQ       $0x01, 0(p), Z4, Z9;  \
	VPCLMULQDQ       $0x10, 0(p), Z4, Z10; \
	VPCLMULQDQ       $0x11, 0(p), Z4, Z11; \
	VPXORD           Z10, Z9, Z9;          \
	MUL_ACCUMULATE_4(Z5, 64(p));           \
	MUL_ACCUMULATE_4(Z6, 128(p));          \
	MUL_ACCUMULATE_4(Z7, 192(p));          \
	GHASH_REDUCE

// GHASH_REDUCE reduces the 256-bit lane sums HI:MI:LO modulo
// x^128 + x^7 + x^2 + x + 1 in two folds and adds the four lanes.
// Fold 1: the low 64 bits of LO times 0xc200000000000000, plus LO with its
// halves swapped, go into MI. Fold 2: the same with MI into HI. HI is then
// the reduced product of each lane (sp800-38d#6.3, the "R" of Algorithm 1
// done 64 bits at a time). Reduction is linear, so adding the lanes after
// it gives the sum of all sixteen products: Y_16.
#define GHASH_REDUCE \
	VPCLMULQDQ    $0x01, Z8, POLY, Z0;  \
	VPSHUFD       $0x4e, Z8, Z8;        \
	VPTERNLOGD    $0x96, Z0, Z8, Z9;    \
	VPCLMULQDQ    $0x01, Z9, POLY, Z0;  \
	VPSHUFD       $0x4e, Z9, Z9;        \
	VPTERNLOGD    $0x96, Z0, Z9, Z11;   \
	VEXTRACTI64X4 $1, Z11, Y0;          \
	VPXORD        Y0, Y11, Y11;         \
	VEXTRACTI32X4 $1, Y11, X0;          \
	VPXORD        X0, X11, X12

// BSWAP_4 byte-reflects the sixteen blocks in Z0..Z3 into Z4..Z7 for GHASH
// and adds the accumulator Y into the first (sp800-38d#6.4 step 4,
// Y_{i-1} xor X_i).
#define BSWAP_4 \
	VPSHUFB BSWAP, Z0, Z4; \
	VPSHUFB BSWAP, Z1, Z5; \
	VPSHUFB BSWAP, Z2, Z6; \
	VPSHUFB BSWAP, Z3, Z7; \
	VPXORD  ACC, Z4, Z4

// CHUNK_MASK sets k to the byte mask of a 64-byte chunk of which the first
// clamp(DX, 0, 64) bytes exist: the low bits set. 2^e is formed as
// 2^(e/2) * 2^(e - e/2) so that e = 64 wraps to 0 and e = 0 gives 1, both
// without a branch. Clobbers CX, R12, R13.
#define CHUNK_MASK(k) \
	MOVQ    DX, R13;   \
	XORQ    R12, R12;  \
	CMPQ    R13, $0;   \
	CMOVQLT R12, R13;  \
	MOVQ    $64, R12;  \
	CMPQ    R13, R12;  \
	CMOVQGT R12, R13;  \
	MOVQ    R13, CX;   \
	SHRQ    $1, CX;    \
	MOVQ    $1, R12;   \
	SHLQ    CX, R12;   \
	SUBQ    R13, CX;   \
	NEGQ    CX;        \
	SHLQ    CX, R12;   \
	DECQ    R12;       \
	KMOVQ   R12, k

// TAIL_MASKS sets K1..K4 to the byte masks of the four 64-byte chunks of
// the last R10 bytes (0 < R10 < 256). Lengths are public.
#define TAIL_MASKS \
	MOVQ       R10, DX;  \
	CHUNK_MASK(K1);      \
	SUBQ       $64, DX;  \
	CHUNK_MASK(K2);      \
	SUBQ       $64, DX;  \
	CHUNK_MASK(K3);      \
	SUBQ       $64, DX;  \
	CHUNK_MASK(K4)

// TAIL_POWERS points DX at H^n, n = ceil(R10/16) the number of blocks left
// (the last partial block padded with zeros, sp800-38d#7.1 step 5's 0^u):
// &powers[16-n], so the n blocks take H^n..H^1 and the lanes past the end
// of the data (zeros) take whatever follows, at most the zero blocks after
// H^1.
#define TAIL_POWERS \
	MOVQ R10, CX;                       \
	ADDQ $15, CX;                       \
	ANDQ $-16, CX;                      \
	LEAQ vaes512GCM_powers+256(AX), DX; \
	SUBQ CX, DX

// GHASH_TAIL is GHASH_16 for the last n < 16 blocks (R10 bytes) with the
// powers from p: only the registers that hold data are multiplied (R10 is
// public), the rest of the last one is zero. reduce is a label.
#define GHASH_TAIL(p, reduce) \
	VPCLMULQDQ       $0x00, 0(p), Z4, Z8;  \
	VPCLMULQDQ       $0x01, 0(p), Z4, Z9;  \
	VPCLMULQDQ       $0x10, 0(p), Z4, Z10; \
	VPCLMULQDQ       $0x11, 0(p), Z4, Z11; \
	VPXORD           Z10, Z9, Z9;          \
	CMPQ             R10, $64;             \
	JBE              reduce;               \
	MUL_ACCUMULATE_4(Z5, 64(p));           \
	CMPQ             R10, $128;            \
	JBE              reduce;               \
	MUL_ACCUMULATE_4(Z6, 128(p));          \
	CMPQ             R10, $192;            \
	JBE              reduce;               \
	MUL_ACCUMULATE_4(Z7, 192(p));          \
reduce:                                    \
	GHASH_REDUCE

// GHASH_BYTES continues GHASH (sp800-38d#6.4) in X12 over the R10 bytes at
// SI followed by zeros up to a whole block (the A || 0^v and C || 0^u of
// sp800-38d#7.1 step 5): sixteen blocks per iteration, then the tail with
// masked loads, which fill the missing bytes and lanes with zeros. The
// parameters are labels unique within the function.
#define GHASH_BYTES(loop, tail, reduce, done) \
loop:                           \
	CMPQ       R10, $256;       \
	JB         tail;            \
	VMOVDQU64  0(SI), Z0;       \
	VMOVDQU64  64(SI), Z1;      \
	VMOVDQU64  128(SI), Z2;     \
	VMOVDQU64  192(SI), Z3;     \
	BSWAP_4;                    \
	GHASH_16(R8);               \
	ADDQ       $256, SI;        \
	SUBQ       $256, R10;       \
	JMP        loop;            \
tail:                           \
	TESTQ      R10, R10;        \
	JZ         done;            \
	TAIL_MASKS;                 \
	TAIL_POWERS;                \
	VMOVDQU8.Z 0(SI), K1, Z0;   \
	VMOVDQU8.Z 64(SI), K2, Z1;  \
	VMOVDQU8.Z 128(SI), K3, Z2; \
	VMOVDQU8.Z 192(SI), K4, Z3; \
	BSWAP_4;                    \
	GHASH_TAIL(DX, reduce);     \
done:

// GF_MUL_XMM sets d = a * b in GF(2^128) for single blocks in X registers
// (b multiplied by x^-1 beforehand, as the powers are): the four partial
// products and the two folds of GHASH_REDUCE. Clobbers X4-X7; POLY in X15.
#define GF_MUL_XMM(a, b, d) \
	VPCLMULQDQ $0x00, b, a, X4; \
	VPCLMULQDQ $0x01, b, a, X5; \
	VPCLMULQDQ $0x10, b, a, X6; \
	VPCLMULQDQ $0x11, b, a, X7; \
	VPXOR      X6, X5, X5;      \
	VPCLMULQDQ $0x01, X4, X15, X6; \
	VPSHUFD    $0x4e, X4, X4;   \
	VPXOR      X4, X5, X5;      \
	VPXOR      X6, X5, X5;      \
	VPCLMULQDQ $0x01, X5, X15, X6; \
	VPSHUFD    $0x4e, X5, X5;   \
	VPXOR      X5, X7, X7;      \
	VPXOR      X6, X7, d

// GHASH_LENGTHS is the last block of sp800-38d#7.1 step 5: X12 =
// (X12 xor [len(A)]_64 || [len(C)]_64) * H, the lengths a and c in bytes
// turned into bits. Byte-reflected, len(C) is the low quadword and len(A)
// the high one.
#define GHASH_LENGTHS(a, c) \
	MOVQ    c, CX;          \
	SHLQ    $3, CX;         \
	MOVQ    a, DX;          \
	SHLQ    $3, DX;         \
	VMOVQ   CX, X0;         \
	VPINSRQ $1, DX, X0, X0; \
	VPXOR   X0, X12, X12;   \
	GF_MUL_XMM(X12, vaes512GCM_powers+240(AX), X12)

// AES_1 is fips197#5.1 Cipher on the one block in x (an X register), with
// the low lanes of the round-key registers. l is a label.
#define AES_1(x, l) \
	VPXORD      X16, x, x; \
	VAESENC     X17, x, x; \
	VAESENC     X18, x, x; \
	VAESENC     X19, x, x; \
	VAESENC     X20, x, x; \
	VAESENC     X21, x, x; \
	VAESENC     X22, x, x; \
	VAESENC     X23, x, x; \
	VAESENC     X24, x, x; \
	VAESENC     X25, x, x; \
	CMPQ        R9, $12;   \
	JB          l;         \
	VAESENC     X26, x, x; \
	VAESENC     X27, x, x; \
	JE          l;         \
	VAESENC     X28, x, x; \
	VAESENC     X29, x, x; \
l:                         \
	VAESENCLAST X30, x, x

// SETUP loads what Seal and Open both need: the round keys, the constants,
// &powers, CIPH_K(J0) into X13 (sp800-38d#7.1 step 6, started first: it
// depends on nothing else, so its rounds overlap the hashing that
// follows), the first four counter blocks (step 3: GCTR starts at
// inc32(J0)), and Y_0 = 0^128 (sp800-38d#6.4 step 2). l is a label.
#define SETUP(l) \
	MOVQ            gcm+0(FP), AX;             \
	MOVQ            j0+8(FP), R11;             \
	MOVQ            vaes512GCM_rounds(AX), R9; \
	LOAD_ROUND_KEYS;                           \
	VBROADCASTI32X4 bswapMask<>(SB), BSWAP;    \
	VBROADCASTI32X4 gfPoly<>(SB), POLY;        \
	LEAQ            vaes512GCM_powers(AX), R8; \
	VMOVDQU         (R11), X13;                \
	AES_1(X13, l);                             \
	LOAD_COUNTER(R11);                         \
	VPXOR           X12, X12, X12

// TAG sets X12 = GHASH result S, back in the standard's byte order, xor
// CIPH_K(J0): T = MSB_128(GCTR_K(J0, S)) (sp800-38d#7.1 step 6).
#define TAG \
	VPSHUFB X31, X12, X12; \
	VPXOR   X13, X12, X12


// func vaes512Init(gcm *vaes512GCM)
//
// H = CIPH_K(0^128) (sp800-38d#7.1 step 1), then H^1..H^16 into powers,
// highest first, each byte-reflected and multiplied by x^-1.
TEXT ·vaes512Init(SB), NOSPLIT, $0-8
	MOVQ gcm+0(FP), AX
	MOVQ vaes512GCM_rounds(AX), R9

	// fips197#5.1 on the zero block: AddRoundKey(0^128, round key 0) is
	// round key 0 itself; then rounds 1..Nr-1 and the last round.
	VMOVDQU vaes512GCM_keys+0(AX), X0
	VAESENC vaes512GCM_keys+16(AX), X0, X0
	VAESENC vaes512GCM_keys+32(AX), X0, X0
	VAESENC vaes512GCM_keys+48(AX), X0, X0
	VAESENC vaes512GCM_keys+64(AX), X0, X0
	VAESENC vaes512GCM_keys+80(AX), X0, X0
	VAESENC vaes512GCM_keys+96(AX), X0, X0
	VAESENC vaes512GCM_keys+112(AX), X0, X0
	VAESENC vaes512GCM_keys+128(AX), X0, X0
	VAESENC vaes512GCM_keys+144(AX), X0, X0
	CMPQ    R9, $12
	JB      initLast
	VAESENC vaes512GCM_keys+160(AX), X0, X0
	VAESENC vaes512GCM_keys+176(AX), X0, X0
	JE      initLast
	VAESENC vaes512GCM_keys+192(AX), X0, X0
	VAESENC vaes512GCM_keys+208(AX), X0, X0

initLast:
	MOVQ        R9, CX
	SHLQ        $4, CX
	VAESENCLAST vaes512GCM_keys(AX)(CX*1), X0, X0

	// Reflect H's bytes (see "Block representation" above).
	VMOVDQU bswapMask<>(SB), X1
	VPSHUFB X1, X0, X0

	// H*x^-1: in the reflected representation a shift left by one bit
	// moves every coefficient to the next lower power of x, which divides
	// by x (dword shifts, each dword's top bit carried into the next one).
	// The bit shifted out of the top was x^0's coefficient; x^0 * x^-1 is
	// x^-1, so if it was set, gfPoly is added (a mask from its sign bit,
	// no branch).
	VMOVDQU gfPoly<>(SB), X15
	VPSHUFD $0xff, X0, X1
	VPSRAD  $31, X1, X1
	VPAND   X15, X1, X1
	VPSRLD  $31, X0, X2
	VPSLLDQ $4, X2, X2
	VPSLLD  $1, X0, X0
	VPXOR   X1, X0, X0
	VPXOR   X2, X0, X0

	// powers[15] = H^1; powers[16-k] = H^k = H^(k-1) * H for k = 2..16.
	VMOVDQU X0, vaes512GCM_powers+240(AX)
	VMOVDQA X0, X3
	MOVQ    $224, CX

initPowers:
	GF_MUL_XMM(X3, X0, X3)
	VMOVDQU X3, vaes512GCM_powers(AX)(CX*1)
	SUBQ    $16, CX
	JGE     initPowers

	VZEROUPPER
	RET

// func vaes512Seal(gcm *vaes512GCM, j0 *[16]byte, dst, plaintext, additionalData []byte)
//
// sp800-38d#7.1 (Algorithm 4) steps 3 to 7: dst[:len(plaintext)] = C =
// GCTR_K(inc32(J0), P) and dst[len(plaintext):][:16] = T, with GCTR and
// GHASH fused, sixteen blocks per iteration.
TEXT ·vaes512Seal(SB), NOSPLIT, $0-88
	SETUP(sealJ0)

	// Step 5, first part: GHASH over A || 0^v.
	MOVQ additionalData_base+64(FP), SI
	MOVQ additionalData_len+72(FP), R10
	GHASH_BYTES(sealAADLoop, sealAADTail, sealAADReduce, sealAADDone)

	MOVQ dst_base+16(FP), DI
	MOVQ plaintext_base+40(FP), SI
	MOVQ plaintext_len+48(FP), R10

sealLoop:
	CMPQ R10, $256
	JB   sealTail

	// Step 3 (sp800-38d#6.5 steps 5 and 6) on sixteen blocks:
	// C_i = P_i xor CIPH_K(CB_i).
	COUNTERS_4
	AES_4(sealLoopLast)
	VPXORD    0(SI), Z0, Z0
	VPXORD    64(SI), Z1, Z1
	VPXORD    128(SI), Z2, Z2
	VPXORD    192(SI), Z3, Z3
	VMOVDQU64 Z0, 0(DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)

	// Step 5 on the sixteen ciphertext blocks just made. The
	// multiplications depend only on this batch and Y, not on the next
	// batch's AES rounds, so the CPU overlaps the two.
	BSWAP_4
	GHASH_16(R8)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $256, R10
	JMP  sealLoop

sealTail:
	// The last n < 16 blocks (sp800-38d#6.5 step 7 for a partial last
	// one): GCTR with masked loads and stores, which touch only the bytes
	// that exist, then the ciphertext's missing bytes zeroed (the 0^u
	// padding of step 5) before GHASH.
	TESTQ R10, R10
	JZ    sealLengths
	TAIL_MASKS
	TAIL_POWERS
	COUNTERS_4
	AES_4(sealTailLast)
	VMOVDQU8.Z 0(SI), K1, Z4
	VMOVDQU8.Z 64(SI), K2, Z5
	VMOVDQU8.Z 128(SI), K3, Z6
	VMOVDQU8.Z 192(SI), K4, Z7
	VPXORD     Z4, Z0, Z0
	VPXORD     Z5, Z1, Z1
	VPXORD     Z6, Z2, Z2
	VPXORD     Z7, Z3, Z3
	VMOVDQU8.Z Z0, K1, Z0
	VMOVDQU8.Z Z1, K2, Z1
	VMOVDQU8.Z Z2, K3, Z2
	VMOVDQU8.Z Z3, K4, Z3
	VMOVDQU8   Z0, K1, 0(DI)
	VMOVDQU8   Z1, K2, 64(DI)
	VMOVDQU8   Z2, K3, 128(DI)
	VMOVDQU8   Z3, K4, 192(DI)
	BSWAP_4
	GHASH_TAIL(DX, sealTailReduce)

sealLengths:
	// Step 5, last block; step 6: T; step 7: C || T.
	GHASH_LENGTHS(additionalData_len+72(FP), plaintext_len+48(FP))
	TAG
	MOVQ    dst_base+16(FP), DI
	ADDQ    plaintext_len+48(FP), DI
	VMOVDQU X12, (DI)
	VZEROUPPER
	RET

// func vaes512Open(gcm *vaes512GCM, j0 *[16]byte, dst, ciphertext []byte, tag *[16]byte, additionalData []byte) bool
//
// sp800-38d#7.2 (Algorithm 5): steps 6 to 8 (S, T', compare) first, then
// step 4 (P = GCTR_K(inc32(J0), C)) into dst only if the tags matched.
// Reports whether they did; on a mismatch dst is not written.
TEXT ·vaes512Open(SB), NOSPLIT, $0-97
	SETUP(openJ0)

	// Step 6: S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64).
	MOVQ additionalData_base+72(FP), SI
	MOVQ additionalData_len+80(FP), R10
	GHASH_BYTES(openAADLoop, openAADTail, openAADReduce, openAADDone)
	MOVQ ciphertext_base+40(FP), SI
	MOVQ ciphertext_len+48(FP), R10
	GHASH_BYTES(openCTLoop, openCTTail, openCTReduce, openCTDone)
	GHASH_LENGTHS(additionalData_len+80(FP), ciphertext_len+48(FP))

	// Step 7: T' = MSB_128(GCTR_K(J0, S)). Step 8: T' = T? All 16 bytes
	// are compared (xor, then one test of the whole difference), so the
	// time says nothing about where they differ.
	TAG
	MOVQ    tag+64(FP), BX
	VMOVDQU (BX), X0
	VPXOR   X0, X12, X12
	VPTEST  X12, X12
	JNZ     openFail

	MOVQ dst_base+16(FP), DI
	MOVQ ciphertext_base+40(FP), SI
	MOVQ ciphertext_len+48(FP), R10

openLoop:
	// Step 4 (sp800-38d#6.5 steps 5 and 6) on sixteen blocks:
	// P_i = C_i xor CIPH_K(CB_i).
	CMPQ      R10, $256
	JB        openTail
	COUNTERS_4
	AES_4(openLoopLast)
	VPXORD    0(SI), Z0, Z0
	VPXORD    64(SI), Z1, Z1
	VPXORD    128(SI), Z2, Z2
	VPXORD    192(SI), Z3, Z3
	VMOVDQU64 Z0, 0(DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)
	ADDQ      $256, SI
	ADDQ      $256, DI
	SUBQ      $256, R10
	JMP       openLoop

openTail:
	// The last n < 16 blocks, the last possibly partial (sp800-38d#6.5
	// step 7): masked loads and stores touch only the bytes that exist.
	TESTQ R10, R10
	JZ    openDone
	TAIL_MASKS
	COUNTERS_4
	AES_4(openTailLast)
	VMOVDQU8.Z 0(SI), K1, Z4
	VMOVDQU8.Z 64(SI), K2, Z5
	VMOVDQU8.Z 128(SI), K3, Z6
	VMOVDQU8.Z 192(SI), K4, Z7
	VPXORD     Z4, Z0, Z0
	VPXORD     Z5, Z1, Z1
	VPXORD     Z6, Z2, Z2
	VPXORD     Z7, Z3, Z3
	VMOVDQU8   Z0, K1, 0(DI)
	VMOVDQU8   Z1, K2, 64(DI)
	VMOVDQU8   Z2, K3, 128(DI)
	VMOVDQU8   Z3, K4, 192(DI)

openDone:
	MOVB $1, ret+96(FP)
	VZEROUPPER
	RET

openFail:
	MOVB $0, ret+96(FP)
	VZEROUPPER
	RET
