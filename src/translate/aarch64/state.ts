/**
 * AArch64 CPU state layout (user mode): byte offsets inside a CPU state block.
 */
import { STATE_HEADER_SIZE } from '../frontend';

/** X0..X30 (X31 is SP or XZR depending on the instruction, never stored here). */
export const xreg = (n: number): number => STATE_HEADER_SIZE + n * 8;
export const SP = STATE_HEADER_SIZE + 31 * 8;
/** NZCV as four i32 slots holding 0 or 1, so flag producers and consumers need no packing. */
export const NF = SP + 8;
export const ZF = NF + 4;
export const CF = NF + 8;
export const VF = NF + 12;
export const FPCR = NF + 16; // i32
export const FPSR = NF + 20; // i32
export const TPIDR_EL0 = NF + 24; // i64
export const TPIDRRO_EL0 = NF + 32; // i64
/** Exclusive monitor: address (i64, all-ones when clear), the value(s) loaded, and the access size. */
export const EXCL_ADDR = NF + 40;
export const EXCL_VAL = NF + 48;
export const EXCL_VAL2 = NF + 56;
export const EXCL_SIZE = NF + 64; // i32
/** V0..V31, 16 bytes each, little-endian lanes (lane 0 at the lowest address). */
export const VREG_BASE = 512;
export const vreg = (n: number): number => VREG_BASE + n * 16;
export const STATE_SIZE_AARCH64 = VREG_BASE + 32 * 16;
