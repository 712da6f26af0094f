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
// data or the GHASH state. Branches depend only on lengths and on the
// number of rounds (public); AESENC and VPCLMULQDQ take the same time for
// every operand. A partial last block is read and written with K-masked
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
// the polynomial with its bit order reflected. Carry-less multiplication of
// two reflected 128-bit values yields their reflected product shifted right
// by one bit; the powers of H are stored already multiplied by x (see
// vaes512Init), which cancels that shift, so a product needs only the
// reduction modulo x^128 + x^7 + x^2 + x + 1. In this representation the
// reduction is a "Montgomery-style" fold of the low half into the high half,
// twice, each fold one carry-less multiplication by the 64-bit constant
// 0xc200000000000000 (x^63 + x^62 + x^57, the reflected x^7 + x^2 + x + 1
// shifted into place) plus a swap of the halves. This is the technique of
// Gueron and Kounavis, "Intel Carry-Less Multiplication Instruction and its
// Usage for Computing the GCM Mode", as BoringSSL's and Go's AES-GCM use it.
//
// # Register roles (every function)
//
//	Z0-Z3     four registers of four blocks: counter blocks, then AES state,
//	          then ciphertext; scratch for GHASH products
//	Z4-Z7     sixteen blocks being hashed (byte-reflected)
//	Z8, Z9,   GHASH sums of products: low (LO), middle (MI) and high (HI)
//	Z11       halves; Z10 scratch
//	Z12       the GHASH accumulator Y in lane 0 (X12), other lanes zero
//	Z13       STEP: 4 in the counter word of each lane
//	Z14       CTR: the next four counter blocks, byte-reflected, so the
//	          32-bit counter of sp800-38d#6.2 is dword 0 of each lane
//	Z15       POLY: 0xc2000000000000000000000000000001 in every lane
//	Z16-Z29   round keys 0..13 broadcast to all lanes (Z16+r is round key r)
//	Z30       round key Nr, the last one, broadcast
//	Z31       BSWAP: the byte-reversal shuffle for every lane
//	AX        *vaes512GCM; R9 = Nr; R8 = the powers of H to multiply by
//	SI, DI    source and destination; R10 bytes left; BX *acc; R11 *cb

#include "textflag.h"
#include "go_asm.h"

#define BSWAP Z31
#define POLY Z15
#define CTR Z14
#define STEP Z13
#define ACC Z12

// bswapMask reverses the 16 bytes of a lane (VPSHUFB takes byte i of the
// result from byte mask[i] of the source).
DATA bswapMask<>+0(SB)/8, $0x08090a0b0c0d0e0f
DATA bswapMask<>+8(SB)/8, $0x0001020304050607
GLOBL bswapMask<>(SB), RODATA|NOPTR, $16

// gfPoly is 1 in the low quadword and x^63 + x^62 + x^57 in the high one:
// the reduction constant of the reflected representation (the low 1 is
// the x^0 term that the doubling of H needs; the folds use the high half).
DATA gfPoly<>+0(SB)/8, $0x0000000000000001
DATA gfPoly<>+8(SB)/8, $0xc200000000000000
GLOBL gfPoly<>(SB), RODATA|NOPTR, $16

// laneOffsets adds 0, 1, 2, 3 to the counter word of lanes 0..3, turning
// four copies of one counter block into four consecutive ones.
DATA laneOffsets<>+0(SB)/8, $0
DATA laneOffsets<>+8(SB)/8, $0
DATA laneOffsets<>+16(SB)/8, $1
DATA laneOffsets<>+24(SB)/8, $0
DATA laneOffsets<>+32(SB)/8, $2
DATA laneOffsets<>+40(SB)/8, $0
DATA laneOffsets<>+48(SB)/8, $3
DATA laneOffsets<>+56(SB)/8, $0
GLOBL laneOffsets<>(SB), RODATA|NOPTR, $64

// laneStep is 4 in the counter word: one register's worth of inc32.
DATA laneStep<>+0(SB)/8, $4
DATA laneStep<>+8(SB)/8, $0
GLOBL laneStep<>(SB), RODATA|NOPTR, $16

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

// LOAD_COUNTER reads the counter block at p into CTR as four consecutive
// counter blocks (p, inc32(p), ...), byte-reflected so that inc32
// (sp800-38d#6.2) is a 32-bit VPADDD on dword 0 of each lane: VPADDD wraps
// modulo 2^32 and leaves the other 96 bits alone, exactly as inc32 does.
#define LOAD_COUNTER(p) \
	VBROADCASTI32X4 laneStep<>(SB), STEP;  \
	VBROADCASTI32X4 (p), CTR;              \
	VPSHUFB         BSWAP, CTR, CTR;       \
	VPADDD          laneOffsets<>(SB), CTR, CTR

// ADVANCE_COUNTER adds ceil(R10/16), the number of counter blocks a call
// of R10 bytes uses, to the 32-bit big-endian counter of the block at p
// (sp800-38d#6.2 inc32, applied that many times).
#define ADVANCE_COUNTER(p) \
	MOVL   12(p), DX; \
	BSWAPL DX;        \
	MOVQ   R10, CX;   \
	ADDQ   $15, CX;   \
	SHRQ   $4, CX;    \
	ADDL   CX, DX;    \
	BSWAPL DX;        \
	MOVL   DX, 12(p)

// COUNTERS_4 sets Z0..Z3 to the next sixteen counter blocks CB_i, in the
// byte order AES reads, and advances CTR by 16 (sp800-38d#6.5 step 5:
// CB_i = inc32(CB_{i-1})).
#define COUNTERS_4 \
	VPADDD  STEP, CTR, Z1;  \
	VPADDD  STEP, Z1, Z2;   \
	VPADDD  STEP, Z2, Z3;   \
	VPSHUFB BSWAP, CTR, Z0; \
	VPADDD  STEP, Z3, CTR;  \
	VPSHUFB BSWAP, Z1, Z1;  \
	VPSHUFB BSWAP, Z2, Z2;  \
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
// Fold 1: the low 64 bits of LO times x^63+x^62+x^57, plus LO with its
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

// TAIL_POWERS points R8 at H^n, n = ceil(R10/16) the number of blocks left
// (the last partial block padded with zeros, sp800-38d#7.1 step 5's 0^u):
// &powers[16-n], so the n blocks take H^n..H^1 and the lanes past the end
// (zero data) take the zero blocks after H^1.
#define TAIL_POWERS \
	MOVQ R10, DX;                            \
	ADDQ $15, DX;                            \
	ANDQ $-16, DX;                           \
	LEAQ vaes512GCM_powers+256(AX), R8;      \
	SUBQ DX, R8

// LOAD_ACC reads Y from *BX (the standard's byte order) into X12, reflected.
#define LOAD_ACC \
	VMOVDQU (BX), X12; \
	VPSHUFB X31, X12, X12

// STORE_ACC writes Y back to *BX in the standard's byte order.
#define STORE_ACC \
	VPSHUFB X31, X12, X0; \
	VMOVDQU X0, (BX)

// GF_MUL_XMM sets d = a * b in GF(2^128) for single blocks in X registers
// (b multiplied by x beforehand, as the powers are): the four partial
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

// func vaes512Init(gcm *vaes512GCM)
//
// H = CIPH_K(0^128) (sp800-38d#7.1 step 1), then H^1..H^16 into powers,
// highest first, each byte-reflected and multiplied by x.
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

	// H*x in the reflected representation: shift the 128-bit value left by
	// one (dword shifts, with each dword's top bit carried into the next),
	// and if the bit shifted out (x^127's coefficient, bit 127) was set,
	// reduce: add x^128 mod the field polynomial, gfPoly's 0xc2...01.
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

// func vaes512GHASH(gcm *vaes512GCM, acc *[16]byte, data []byte)
//
// sp800-38d#6.4 GHASH over data || 0^v, continuing from *acc.
TEXT ·vaes512GHASH(SB), NOSPLIT, $0-40
	MOVQ gcm+0(FP), AX
	MOVQ acc+8(FP), BX
	MOVQ data_base+16(FP), SI
	MOVQ data_len+24(FP), R10
	TESTQ R10, R10
	JZ    ghashEmpty

	VBROADCASTI32X4 bswapMask<>(SB), BSWAP
	VBROADCASTI32X4 gfPoly<>(SB), POLY
	LEAQ            vaes512GCM_powers(AX), R8
	LOAD_ACC

ghashLoop:
	// Sixteen whole blocks X_1..X_16 at a time.
	CMPQ      R10, $256
	JB        ghashTail
	VMOVDQU64 0(SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQU64 128(SI), Z2
	VMOVDQU64 192(SI), Z3
	BSWAP_4
	GHASH_16(R8)
	ADDQ      $256, SI
	SUBQ      $256, R10
	JMP       ghashLoop

ghashTail:
	// The last n < 16 blocks, the last possibly partial: masked loads
	// fill the missing bytes (the 0^v padding) and lanes with zeros.
	TESTQ R10, R10
	JZ    ghashDone
	TAIL_MASKS
	TAIL_POWERS
	VMOVDQU8.Z 0(SI), K1, Z0
	VMOVDQU8.Z 64(SI), K2, Z1
	VMOVDQU8.Z 128(SI), K3, Z2
	VMOVDQU8.Z 192(SI), K4, Z3
	BSWAP_4
	GHASH_16(R8)

ghashDone:
	STORE_ACC
	VZEROUPPER

ghashEmpty:
	RET

// func vaes512CTR(gcm *vaes512GCM, cb *[16]byte, dst, src []byte)
//
// sp800-38d#6.5 GCTR: dst = src xor CIPH_K(CB_1) || CIPH_K(CB_2) || ...
// with CB_1 = *cb; *cb is advanced past the blocks used.
TEXT ·vaes512CTR(SB), NOSPLIT, $0-64
	MOVQ gcm+0(FP), AX
	MOVQ cb+8(FP), R11
	MOVQ dst_base+16(FP), DI
	MOVQ src_base+40(FP), SI
	MOVQ src_len+48(FP), R10
	TESTQ R10, R10
	JZ    ctrEmpty

	MOVQ            vaes512GCM_rounds(AX), R9
	LOAD_ROUND_KEYS
	VBROADCASTI32X4 bswapMask<>(SB), BSWAP
	LOAD_COUNTER(R11)
	ADVANCE_COUNTER(R11)

ctrLoop:
	// Steps 5 and 6 on sixteen blocks: Y_i = X_i xor CIPH_K(CB_i).
	CMPQ      R10, $256
	JB        ctrTail
	COUNTERS_4
	AES_4(ctrLoopLast)
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
	JMP       ctrLoop

ctrTail:
	// Steps 5 to 7 on the last n < 16 blocks, the last possibly partial
	// (step 7: Y*_n = X*_n xor MSB_len(X*_n)(CIPH_K(CB_n))): masked loads
	// and stores touch only the bytes that exist.
	TESTQ R10, R10
	JZ    ctrDone
	TAIL_MASKS
	COUNTERS_4
	AES_4(ctrTailLast)
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

ctrDone:
	VZEROUPPER

ctrEmpty:
	RET

// func vaes512Seal(gcm *vaes512GCM, acc *[16]byte, cb *[16]byte, dst, src []byte)
//
// sp800-38d#7.1 steps 3 and 5 fused: C = GCTR_K(*cb, P) into dst, and
// GHASH over C || 0^u continuing from *acc, sixteen blocks per iteration.
TEXT ·vaes512Seal(SB), NOSPLIT, $0-72
	MOVQ gcm+0(FP), AX
	MOVQ acc+8(FP), BX
	MOVQ cb+16(FP), R11
	MOVQ dst_base+24(FP), DI
	MOVQ src_base+48(FP), SI
	MOVQ src_len+56(FP), R10
	TESTQ R10, R10
	JZ    sealEmpty

	MOVQ            vaes512GCM_rounds(AX), R9
	LOAD_ROUND_KEYS
	VBROADCASTI32X4 bswapMask<>(SB), BSWAP
	VBROADCASTI32X4 gfPoly<>(SB), POLY
	LEAQ            vaes512GCM_powers(AX), R8
	LOAD_COUNTER(R11)
	ADVANCE_COUNTER(R11)
	LOAD_ACC

sealLoop:
	CMPQ      R10, $256
	JB        sealTail

	// sp800-38d#6.5 steps 5 and 6: sixteen blocks of C = P xor CIPH_K(CB_i).
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

	// sp800-38d#6.4 on the sixteen ciphertext blocks just made. The
	// multiplications depend only on this batch and Y, not on the next
	// batch's AES rounds, so the CPU overlaps the two.
	BSWAP_4
	GHASH_16(R8)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $256, R10
	JMP  sealLoop

sealTail:
	// The last n < 16 blocks: GCTR with masked loads and stores, then the
	// ciphertext's missing bytes zeroed (the 0^u padding) before GHASH.
	TESTQ R10, R10
	JZ    sealDone
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
	GHASH_16(R8)

sealDone:
	STORE_ACC
	VZEROUPPER

sealEmpty:
	RET
