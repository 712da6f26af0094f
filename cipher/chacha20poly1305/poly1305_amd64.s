//go:build amd64 && !purego

#include "textflag.h"

// Poly1305's block loop (rfc8439#2.5) with MULX (BMI2), the same
// arithmetic as blocksGeneric and mulReduce in poly1305.go: h in three
// 64-bit limbs, r in two (clamped, so every limb of r is below 2^60).
// MULX leaves the flags alone and takes any destination registers, so the
// four 64x64 products need no shuffling through RAX.
//
// Registers: R8, R9, R10 = h0, h1, h2; R11, R12 = r0, r1; SI = message,
// CX = bytes left; products in AX, BX, R13, R14, R15, DI, and DX as
// MULX's implicit operand.

// func poly1305BlocksMULX(st *polyState, msg *byte, n int)
//
// n is a multiple of 16. polyState is {r0, r1, s0, s1, h0, h1, h2 uint64}.
TEXT ·poly1305BlocksMULX(SB), NOSPLIT, $0-24
	MOVQ st+0(FP), AX
	MOVQ msg+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ 0(AX), R11
	MOVQ 8(AX), R12
	MOVQ 32(AX), R8
	MOVQ 40(AX), R9
	MOVQ 48(AX), R10
	TESTQ CX, CX
	JZ done

loop:
	// acc += n: the chunk plus 2^128 (its appended 1 byte).
	ADDQ 0(SI), R8
	ADCQ 8(SI), R9
	ADCQ $1, R10

	// acc *= r, column by column:
	//   2^0: h0·r0   2^64: h0·r1 + h1·r0   2^128: h1·r1 + h2·r0   2^192: h2·r1
	// into t = R15:BX:R14:R13.
	MOVQ R8, DX
	MULXQ R11, R13, R14 // h0·r0: t0 = R13, R14 starts t1
	MULXQ R12, AX, BX   // h0·r1 = BX:AX
	ADDQ AX, R14
	ADCQ $0, BX         // BX starts t2 (h0·r1's high half < 2^60: no carry out)
	MOVQ R9, DX
	MULXQ R11, AX, DI   // h1·r0 = DI:AX
	XORQ R15, R15       // R15 starts t3
	ADDQ AX, R14
	ADCQ DI, BX
	ADCQ $0, R15
	MULXQ R12, AX, DI   // h1·r1 = DI:AX
	ADDQ AX, BX
	ADCQ DI, R15
	MOVQ R10, AX
	IMULQ R11, AX       // h2·r0 (h2 < 8, r0 < 2^60: one limb)
	IMULQ R12, R10      // h2·r1
	ADDQ AX, BX
	ADCQ R10, R15

	// Reduce modulo 2^130 - 5: h = (t mod 2^130) + 4c + c, where c = t >> 130
	// and 4c is t with its low 130 bits cleared (2^130 ≡ 5).
	MOVQ R13, R8
	MOVQ R14, R9
	MOVQ BX, R10
	ANDQ $3, R10      // h = t mod 2^130
	ANDQ $-4, BX      // R15:BX = 4c
	ADDQ BX, R8
	ADCQ R15, R9
	ADCQ $0, R10      // h += 4c
	SHRQ $2, R15, BX
	SHRQ $2, R15      // R15:BX = c
	ADDQ BX, R8
	ADCQ R15, R9
	ADCQ $0, R10      // h += c

	ADDQ $16, SI
	SUBQ $16, CX
	JNZ loop

	MOVQ st+0(FP), AX
	MOVQ R8, 32(AX)
	MOVQ R9, 40(AX)
	MOVQ R10, 48(AX)

done:
	RET
