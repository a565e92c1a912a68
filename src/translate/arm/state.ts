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
/**
 * NZCV as four i32 slots, each in the form flag-setting code produces most cheaply (QEMU's): N is
 * bit 31 of NF and Z is set when ZF is 0, so a result is stored to both as it is; C is 0 or 1; V is
 * bit 31 of VF. Code outside translated blocks reads and writes them through readNzcv/writeNzcv.
 */
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

/** NZCV of the state block at `base` as bits 31..28 (the other bits 0). */
export function readNzcv(view: DataView, base: number): number {
  const n = view.getUint32(base + NF, true) >>> 31;
  const z = view.getUint32(base + ZF, true) === 0 ? 1 : 0;
  const c = view.getUint32(base + CF, true) & 1;
  const v = view.getUint32(base + VF, true) >>> 31;
  return ((n << 31) | (z << 30) | (c << 29) | (v << 28)) >>> 0;
}

/** Sets NZCV of the state block at `base` from bits 31..28 of `bits`. */
export function writeNzcv(view: DataView, base: number, bits: number): void {
  view.setUint32(base + NF, bits & 0x80000000, true);
  view.setUint32(base + ZF, (bits >>> 30) & 1 ? 0 : 1, true);
  view.setUint32(base + CF, (bits >>> 29) & 1, true);
  view.setUint32(base + VF, (bits << 3) & 0x80000000, true);
}
