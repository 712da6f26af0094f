//go:build amd64 && !purego

// AES (FIPS 197) on the CPU's AES instructions: the same Cipher() and
// InvCipher() as cipher.go, with each round done by one instruction.
//
// What one instruction does, in FIPS 197's words:
//
//	AESENC     k, s   SubBytes, ShiftRows, MixColumns, AddRoundKey(k)   (a round 1..Nr-1, fips197#5.1)
//	AESENCLAST k, s   SubBytes, ShiftRows,             AddRoundKey(k)   (round Nr: no MixColumns)
//	AESDEC     k, s   InvShiftRows, InvSubBytes, InvMixColumns, AddRoundKey(k)
//	                                                   (a round of the equivalent inverse cipher, fips197#5.3.5)
//	AESDECLAST k, s   InvShiftRows, InvSubBytes,       AddRoundKey(k)
//
// The first AddRoundKey (round key 0) is a plain XOR. Round keys come from
// aeskey.Schedule: Enc[16r:16r+16] is round key r, Dec the equivalent inverse
// cipher's keys in the order AESDEC uses them (schedule.go).
//
// Blocks in flight: one AESENC has a latency of several cycles but the CPU
// can start one or two each cycle, so a single block leaves the AES unit
// mostly idle. Independent blocks (ECB-style, as CTR mode needs) are
// interleaved round by round: 8 XMM registers on the AES-NI path, 4 ZMM
// registers of 4 blocks each (16 blocks) on the VAES path. (32 blocks in 8
// ZMM registers measured no faster on the Xeon this was written on, so the
// simpler loop stays.)
//
// Constant time: AES instructions take the same time for every key and data
// value (no table lookups), and every branch below depends only on Nr (the
// key length) or on the number of blocks, both public.
//
// Legacy-SSE AESENC with a memory operand needs 16-byte alignment, which a
// Go [240]byte does not have, so round keys are loaded with MOVOU first.

#include "textflag.h"

// func encryptBlockAESNI(nr int, xk *byte, dst, src *byte)
//
// One block through Cipher() (fips197#5.1, Figure 5).
TEXT ·encryptBlockAESNI(SB), NOSPLIT, $0-32
	MOVQ nr+0(FP), CX
	MOVQ xk+8(FP), AX
	MOVQ dst+16(FP), DX
	MOVQ src+24(FP), BX

	// fips197#5.1: state = in; AddRoundKey(state, w[0, Nb-1]).
	MOVOU (BX), X0
	MOVOU (AX), X1
	PXOR  X1, X0
	ADDQ  $16, AX
	DECQ  CX

	// fips197#5.1: rounds 1..Nr-1, each SubBytes, ShiftRows, MixColumns and
	// AddRoundKey(w[round*Nb, ...]) in one AESENC.
encRound:
	MOVOU  (AX), X1
	AESENC X1, X0
	ADDQ   $16, AX
	DECQ   CX
	JNZ    encRound

	// fips197#5.1: the final round has no MixColumns: AESENCLAST with w[Nr*Nb, ...].
	MOVOU      (AX), X1
	AESENCLAST X1, X0
	MOVOU      X0, (DX)
	RET

// func decryptBlockAESNI(nr int, xk *byte, dst, src *byte)
//
// One block through EqInvCipher() (fips197#5.3.5, Figure 15): the shape of
// Cipher() with the inverse steps and the Dec round keys, which the schedule
// already holds in order (Dec[0] = w[Nr*Nb..], the middle ones with
// InvMixColumns applied, Dec[Nr] = w[0..]).
TEXT ·decryptBlockAESNI(SB), NOSPLIT, $0-32
	MOVQ nr+0(FP), CX
	MOVQ xk+8(FP), AX
	MOVQ dst+16(FP), DX
	MOVQ src+24(FP), BX

	// fips197#5.3.5: state = in; AddRoundKey(state, dw[Nr*Nb, ...]).
	MOVOU (BX), X0
	MOVOU (AX), X1
	PXOR  X1, X0
	ADDQ  $16, AX
	DECQ  CX

	// fips197#5.3.5: rounds Nr-1..1, each InvSubBytes, InvShiftRows,
	// InvMixColumns and AddRoundKey(dw[round*Nb, ...]) in one AESDEC.
decRound:
	MOVOU  (AX), X1
	AESDEC X1, X0
	ADDQ   $16, AX
	DECQ   CX
	JNZ    decRound

	// fips197#5.3.5: the final round has no InvMixColumns: AESDECLAST with dw[0, Nb-1].
	MOVOU      (AX), X1
	AESDECLAST X1, X0
	MOVOU      X0, (DX)
	RET

// AESENC8 runs one round on the eight states X0..X7 with round key k.
#define AESENC8(k) \
	AESENC k, X0 \
	AESENC k, X1 \
	AESENC k, X2 \
	AESENC k, X3 \
	AESENC k, X4 \
	AESENC k, X5 \
	AESENC k, X6 \
	AESENC k, X7

// AESENCLAST8 runs the final round on X0..X7 with round key k.
#define AESENCLAST8(k) \
	AESENCLAST k, X0 \
	AESENCLAST k, X1 \
	AESENCLAST k, X2 \
	AESENCLAST k, X3 \
	AESENCLAST k, X4 \
	AESENCLAST k, X5 \
	AESENCLAST k, X6 \
	AESENCLAST k, X7

// AESENC4 and AESENCLAST4 are the same for the four states X0..X3.
#define AESENC4(k) \
	AESENC k, X0 \
	AESENC k, X1 \
	AESENC k, X2 \
	AESENC k, X3

#define AESENCLAST4(k) \
	AESENCLAST k, X0 \
	AESENCLAST k, X1 \
	AESENCLAST k, X2 \
	AESENCLAST k, X3

// func encryptBlocksAESNI(nr int, xk *byte, dst, src *byte, n int)
//
// n independent blocks (n >= 1) through Cipher(): 8 at a time, then 4, then
// one by one. Registers: AX round keys, SI src, DI dst, DX blocks left, CX
// round counter, R8 the current round key's address, X0..X7 the states, X8
// the round key.
TEXT ·encryptBlocksAESNI(SB), NOSPLIT, $0-40
	MOVQ xk+8(FP), AX
	MOVQ dst+16(FP), DI
	MOVQ src+24(FP), SI
	MOVQ n+32(FP), DX

eight:
	CMPQ DX, $8
	JB   four

	// fips197#5.1: state = in, for eight blocks.
	MOVOU 0(SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3
	MOVOU 64(SI), X4
	MOVOU 80(SI), X5
	MOVOU 96(SI), X6
	MOVOU 112(SI), X7

	// fips197#5.1: AddRoundKey(state, w[0, Nb-1]).
	MOVOU (AX), X8
	PXOR  X8, X0
	PXOR  X8, X1
	PXOR  X8, X2
	PXOR  X8, X3
	PXOR  X8, X4
	PXOR  X8, X5
	PXOR  X8, X6
	PXOR  X8, X7

	// fips197#5.1: rounds 1..Nr-1 (AESENC), the eight blocks interleaved so
	// that each round key is loaded once and the AES unit stays busy.
	LEAQ 16(AX), R8
	MOVQ nr+0(FP), CX
	DECQ CX

eightRound:
	MOVOU (R8), X8
	AESENC8(X8)
	ADDQ  $16, R8
	DECQ  CX
	JNZ   eightRound

	// fips197#5.1: round Nr (AESENCLAST); out = state.
	MOVOU (R8), X8
	AESENCLAST8(X8)
	MOVOU X0, 0(DI)
	MOVOU X1, 16(DI)
	MOVOU X2, 32(DI)
	MOVOU X3, 48(DI)
	MOVOU X4, 64(DI)
	MOVOU X5, 80(DI)
	MOVOU X6, 96(DI)
	MOVOU X7, 112(DI)

	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $8, DX
	JMP  eight

four:
	CMPQ DX, $4
	JB   one

	// The same steps as above for four blocks.
	MOVOU 0(SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3

	// fips197#5.1: AddRoundKey(state, w[0, Nb-1]).
	MOVOU (AX), X8
	PXOR  X8, X0
	PXOR  X8, X1
	PXOR  X8, X2
	PXOR  X8, X3

	// fips197#5.1: rounds 1..Nr-1.
	LEAQ 16(AX), R8
	MOVQ nr+0(FP), CX
	DECQ CX

fourRound:
	MOVOU (R8), X8
	AESENC4(X8)
	ADDQ  $16, R8
	DECQ  CX
	JNZ   fourRound

	// fips197#5.1: round Nr; out = state.
	MOVOU (R8), X8
	AESENCLAST4(X8)
	MOVOU X0, 0(DI)
	MOVOU X1, 16(DI)
	MOVOU X2, 32(DI)
	MOVOU X3, 48(DI)

	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $4, DX

one:
	TESTQ DX, DX
	JZ    done

	// Up to three blocks left, one at a time: fips197#5.1 as in
	// encryptBlockAESNI.
	MOVOU (SI), X0
	MOVOU (AX), X8
	PXOR  X8, X0
	LEAQ  16(AX), R8
	MOVQ  nr+0(FP), CX
	DECQ  CX

oneRound:
	MOVOU  (R8), X8
	AESENC X8, X0
	ADDQ   $16, R8
	DECQ   CX
	JNZ    oneRound

	MOVOU      (R8), X8
	AESENCLAST X8, X0
	MOVOU      X0, (DI)

	ADDQ $16, SI
	ADDQ $16, DI
	DECQ DX
	JMP  one

done:
	RET

// VAESENC4Z runs one round on the sixteen blocks in Z0..Z3 with the round
// key k broadcast to all four 128-bit lanes: VAESENC is AESENC on each lane.
#define VAESENC4Z(k) \
	VAESENC k, Z0, Z0 \
	VAESENC k, Z1, Z1 \
	VAESENC k, Z2, Z2 \
	VAESENC k, Z3, Z3

#define VAESENCLAST4Z(k) \
	VAESENCLAST k, Z0, Z0 \
	VAESENCLAST k, Z1, Z1 \
	VAESENCLAST k, Z2, Z2 \
	VAESENCLAST k, Z3, Z3

// func encryptBlocksVAES512(nr int, xk *byte, dst, src *byte, n int)
//
// n independent blocks (n >= 1) through Cipher() on 512-bit registers: each
// ZMM register holds four blocks, one per 128-bit lane. 16 blocks (Z0..Z3)
// per iteration, then 4 (Z0), then the last 1..3 blocks with a masked load
// and store that touch only those blocks' bytes.
//
// Round keys: each is broadcast once per call into all four lanes of a ZMM
// register: Z16 holds round key 0, Z17..Z29 round keys 1..13 (as many as
// Nr-1 needs), Z31 round key Nr.
//
// Registers: SI src, DI dst, DX blocks left, CX Nr, AX round keys.
TEXT ·encryptBlocksVAES512(SB), NOSPLIT, $0-40
	MOVQ nr+0(FP), CX
	MOVQ xk+8(FP), AX
	MOVQ dst+16(FP), DI
	MOVQ src+24(FP), SI
	MOVQ n+32(FP), DX

	// fips197#5.2 round keys w[0..Nr*Nb+3], each copied into four lanes.
	// Nr is 10, 12 or 14 (public); the last key's offset is 16*Nr.
	VBROADCASTI32X4 0(AX), Z16
	VBROADCASTI32X4 16(AX), Z17
	VBROADCASTI32X4 32(AX), Z18
	VBROADCASTI32X4 48(AX), Z19
	VBROADCASTI32X4 64(AX), Z20
	VBROADCASTI32X4 80(AX), Z21
	VBROADCASTI32X4 96(AX), Z22
	VBROADCASTI32X4 112(AX), Z23
	VBROADCASTI32X4 128(AX), Z24
	VBROADCASTI32X4 144(AX), Z25
	MOVQ            CX, R8
	SHLQ            $4, R8
	VBROADCASTI32X4 (AX)(R8*1), Z31
	CMPQ            CX, $12
	JB              sixteen
	VBROADCASTI32X4 160(AX), Z26
	VBROADCASTI32X4 176(AX), Z27
	CMPQ            CX, $14
	JB              sixteen
	VBROADCASTI32X4 192(AX), Z28
	VBROADCASTI32X4 208(AX), Z29

sixteen:
	CMPQ DX, $16
	JB   fourZ

	// fips197#5.1: state = in, for sixteen blocks; AddRoundKey(w[0, Nb-1]).
	VMOVDQU64 0(SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQU64 128(SI), Z2
	VMOVDQU64 192(SI), Z3
	VPXORD    Z16, Z0, Z0
	VPXORD    Z16, Z1, Z1
	VPXORD    Z16, Z2, Z2
	VPXORD    Z16, Z3, Z3

	// fips197#5.1: rounds 1..9, common to every key length.
	VAESENC4Z(Z17)
	VAESENC4Z(Z18)
	VAESENC4Z(Z19)
	VAESENC4Z(Z20)
	VAESENC4Z(Z21)
	VAESENC4Z(Z22)
	VAESENC4Z(Z23)
	VAESENC4Z(Z24)
	VAESENC4Z(Z25)
	CMPQ CX, $12
	JB   sixteenLast

	// fips197#5.1: rounds 10 and 11 for AES-192 and AES-256.
	VAESENC4Z(Z26)
	VAESENC4Z(Z27)
	CMPQ CX, $14
	JB   sixteenLast

	// fips197#5.1: rounds 12 and 13 for AES-256.
	VAESENC4Z(Z28)
	VAESENC4Z(Z29)

sixteenLast:
	// fips197#5.1: round Nr (no MixColumns); out = state.
	VAESENCLAST4Z(Z31)
	VMOVDQU64 Z0, 0(DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)

	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $16, DX
	JMP  sixteen

fourZ:
	CMPQ DX, $4
	JB   tail

	// The same steps for one register of four blocks.
	VMOVDQU64 (SI), Z0
	CALL      encrypt1Z<>(SB)
	VMOVDQU64 Z0, (DI)

	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $4, DX
	JMP  fourZ

tail:
	TESTQ DX, DX
	JZ    doneZ

	// The last 1..3 blocks: K1 selects their 16*DX bytes, so the load reads
	// and the store writes nothing past the end of src and dst (masked-off
	// bytes are neither accessed nor able to fault). The mask depends only
	// on the length.
	MOVQ      DX, CX
	SHLQ      $4, CX
	MOVQ      $1, R9
	SHLQ      CX, R9
	DECQ      R9
	KMOVQ     R9, K1
	MOVQ      nr+0(FP), CX
	VMOVDQU8.Z (SI), K1, Z0
	CALL      encrypt1Z<>(SB)
	VMOVDQU8  Z0, K1, (DI)

doneZ:
	VZEROUPPER
	RET

// encrypt1Z runs Cipher() (fips197#5.1) on the four blocks in Z0 with the
// round keys that encryptBlocksVAES512 broadcast into Z16..Z31; CX is Nr.
TEXT encrypt1Z<>(SB), NOSPLIT|NOFRAME, $0
	// fips197#5.1: AddRoundKey(state, w[0, Nb-1]); rounds 1..9.
	VPXORD  Z16, Z0, Z0
	VAESENC Z17, Z0, Z0
	VAESENC Z18, Z0, Z0
	VAESENC Z19, Z0, Z0
	VAESENC Z20, Z0, Z0
	VAESENC Z21, Z0, Z0
	VAESENC Z22, Z0, Z0
	VAESENC Z23, Z0, Z0
	VAESENC Z24, Z0, Z0
	VAESENC Z25, Z0, Z0
	CMPQ    CX, $12
	JB      last1Z

	// fips197#5.1: rounds 10 and 11 (AES-192, AES-256).
	VAESENC Z26, Z0, Z0
	VAESENC Z27, Z0, Z0
	CMPQ    CX, $14
	JB      last1Z

	// fips197#5.1: rounds 12 and 13 (AES-256).
	VAESENC Z28, Z0, Z0
	VAESENC Z29, Z0, Z0

last1Z:
	// fips197#5.1: round Nr.
	VAESENCLAST Z31, Z0, Z0
	RET
