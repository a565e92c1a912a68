/**
 * 32-bit ARM CPU state layout (user mode): byte offsets inside a CPU state block.
 *
 * The pc lives in the shared header (STATE_PC, i64) with the instruction set encoded in bit 0:
 * address | 1 while in Thumb state, a 4-byte aligned address in ARM state. The engine caches
 * translations by that value, so ARM and Thumb code at one address never share a translation.
 */
import { STATE_HEADER_SIZE } from '../frontend';

/** R0..R14 as i32 slots (R15 is the header pc; reads of it are constants at translation time). */
export const reg = (n: number): number => STATE_HEADER_SIZE + n * 4;
/** NZCV as four i32 slots holding 0 or 1, as in the A64 state, so producers need no packing. */
export const NF = STATE_HEADER_SIZE + 64;
export const ZF = NF + 4;
export const CF = NF + 8;
export const VF = NF + 12;
/** Sticky saturation flag Q (0/1). */
export const QF = NF + 16;
/** APSR.GE[3:0] of the parallel add/subtract instructions, bits 0..3. */
export const GE = NF + 20;
/** TPIDRURO (set_tls, read by `mrc p15, 0, rX, c13, c0, 3`) and TPIDRURW. */
export const TPIDRURO = NF + 24;
export const TPIDRURW = NF + 28;
/** FPSCR (i32); its NZCV bits are copied to the APSR by `vmrs APSR_nzcv, fpscr`. */
export const FPSCR = NF + 32;
/** Exclusive monitor: address (i64, all-ones when clear) and the value loaded (i64, ldrexd pairs). */
export const EXCL_ADDR = NF + 40;
export const EXCL_VAL = NF + 48;
/**
 * D0..D31, 8 bytes each, so Qn is the 16 bytes of D2n and D2n+1 (little-endian lanes). S0..S31 are
 * the halves of D0..D15 (S2n the low word, S2n+1 the high word). Translated code accesses these
 * slots only as i64 (see insns/fp-registers.ts): the code generator keeps one type per state slot.
 */
export const DREG_BASE = 256;
export const dreg = (n: number): number => DREG_BASE + n * 8;
export const STATE_SIZE_ARM = DREG_BASE + 32 * 8;
