/**
 * PowerPC64 CPU state layout (user mode): byte offsets inside a CPU state block.
 *
 * Registers are stored as the values they hold (little-endian in the state block, whatever the
 * guest's byte order). A vector-scalar register is one 128-bit value: wasm byte lane i is the byte
 * of significance i, so PowerPC element k (numbered from the most significant end, as the ISA does)
 * is wasm lane (lanes - 1 - k); see lanes.ts. FPR n is doubleword element 0 of VSR n, always
 * accessed through the whole v128 (the code generator keeps each state offset in one typed local, so
 * overlapping slots of different types would not see each other's writes).
 */
import { STATE_HEADER_SIZE } from '../frontend';

/** r0..r31 (i64). */
export const gpr = (n: number): number => STATE_HEADER_SIZE + n * 8;
export const LR = gpr(32);
export const CTR = LR + 8;
/** CR0..CR7, each an i32 slot holding the field's 4 bits (LT=8, GT=4, EQ=2, SO=1). */
export const crField = (f: number): number => CTR + 8 + f * 4;
/** XER's bits as separate i32 0/1 slots (SO, OV, CA, OV32, CA32) and the string byte count. */
export const XER_SO = crField(8);
export const XER_OV = XER_SO + 4;
export const XER_CA = XER_SO + 8;
export const XER_OV32 = XER_SO + 12;
export const XER_CA32 = XER_SO + 16;
export const XER_BC = XER_SO + 20;
export const FPSCR = XER_SO + 24; // i32
export const VSCR = XER_SO + 28; // i32
export const VRSAVE = XER_SO + 32; // i32
/**
 * Reservation of larx/stcx.: address (i64, all-ones when none), value loaded, size in bytes; lqarx
 * records the quadword's high doubleword in RESV_VAL and its low one in RESV_VAL2.
 */
export const RESV_ADDR = XER_SO + 40;
export const RESV_VAL = RESV_ADDR + 8;
export const RESV_SIZE = RESV_ADDR + 16; // i32
/** DSCR, PPR and TAR as user code may read them (i64). */
export const DSCR = RESV_ADDR + 24;
export const PPR = RESV_ADDR + 32;
export const TAR = RESV_ADDR + 40;
/** Nonzero once the guest touched FPSCR (mffs, mtfsf...): FP arithmetic then keeps its flags exact. */
export const FP_EXACT = RESV_ADDR + 48; // i32
export const RESV_VAL2 = RESV_ADDR + 56;
/** VSR0..VSR63, 16 bytes each; VR n is VSR 32+n. */
export const VSR_BASE = 512;
export const vsr = (n: number): number => VSR_BASE + n * 16;
export const STATE_SIZE_PPC64 = VSR_BASE + 64 * 16;
