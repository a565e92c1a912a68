/**
 * FPSCR facts (Power ISA 3.0 Book I 4.2.2) and the exact floating-point operations the helpers
 * run when translated code must keep FPSCR's rounding mode and exception bits: each takes operand
 * bit patterns, computes with the shared IEEE reference arithmetic, and folds the exceptions it
 * raised into FPSCR (sticky bits, the FX and VX summaries, FI, and FPRF for arithmetic results).
 */
import {
  F32,
  F64,
  FPSR_DZC,
  FPSR_IOC,
  FPSR_IXC,
  FPSR_OFC,
  FPSR_UFC,
  FpEnv,
  Rounding,
  fpConvert,
} from '../aarch64/insns/fp-soft';

/** FPSCR bits, numbered from the least significant end of the 32-bit register. */
export const FPSCR_FX = 1 << 31;
export const FPSCR_FEX = 1 << 30;
export const FPSCR_VX = 1 << 29;
export const FPSCR_OX = 1 << 28;
export const FPSCR_UX = 1 << 27;
export const FPSCR_ZX = 1 << 26;
export const FPSCR_XX = 1 << 25;
export const FPSCR_VXSNAN = 1 << 24;
export const FPSCR_VXISI = 1 << 23;
export const FPSCR_VXIDI = 1 << 22;
export const FPSCR_VXZDZ = 1 << 21;
export const FPSCR_VXIMZ = 1 << 20;
export const FPSCR_VXVC = 1 << 19;
export const FPSCR_FR = 1 << 18;
export const FPSCR_FI = 1 << 17;
/** FPRF: class bit C and the FPCC (FL, FG, FE, FU), bits 16..12. */
export const FPSCR_FPRF_SHIFT = 12;
export const FPSCR_VXSOFT = 1 << 10;
export const FPSCR_VXSQRT = 1 << 9;
export const FPSCR_VXCVI = 1 << 8;
export const FPSCR_VX_ALL =
  FPSCR_VXSNAN | FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | FPSCR_VXVC | FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI;

/**
 * Recomputes the summary bits VX (any VX* bit) and FEX (an enabled exception is set: the enable
 * bits VE OE UE ZE XE, 7..3, pair with the exceptions VX OX UX ZX XX, 29..25).
 */
export function withSummaries(fpscr: number): number {
  let v = fpscr & ~(FPSCR_VX | FPSCR_FEX);
  if (v & FPSCR_VX_ALL) v |= FPSCR_VX;
  if (((v >>> 25) & 0x1f) & ((v >>> 3) & 0x1f)) v |= FPSCR_FEX;
  return v >>> 0;
}

/** The reference arithmetic's controls for FPSCR.RN (0 nearest, 1 toward 0, 2 +inf, 3 -inf). */
export function envOf(fpscr: number): FpEnv {
  const mode = [Rounding.Nearest, Rounding.Zero, Rounding.PlusInf, Rounding.MinusInf][fpscr & 3]!;
  return new FpEnv(mode, false, false);
}

/**
 * FPSCR after an operation raised `env.flags`; `invalid` is the VX* bits its invalid case sets.
 * FX is set when a new exception bit turns on; FI is this operation's inexactness, FR is cleared.
 */
export function raise(fpscr: number, env: FpEnv, invalid: number): number {
  let add = 0;
  if (env.flags & FPSR_IOC) add |= invalid;
  if (env.flags & FPSR_OFC) add |= FPSCR_OX;
  if (env.flags & FPSR_UFC) add |= FPSCR_UX;
  if (env.flags & FPSR_DZC) add |= FPSCR_ZX;
  if (env.flags & FPSR_IXC) add |= FPSCR_XX;
  let v = fpscr & ~(FPSCR_FI | FPSCR_FR);
  if (env.flags & FPSR_IXC) v |= FPSCR_FI;
  const fresh = add & ~v;
  v |= add;
  if (fresh) v |= FPSCR_FX;
  return withSummaries(v);
}

/** Whether `bits` (f64) is a signalling NaN. */
export function isSignallingNaN(bits: bigint): boolean {
  const exp = (bits >> 52n) & 0x7ffn;
  const frac = bits & ((1n << 52n) - 1n);
  return exp === 0x7ffn && frac !== 0n && (frac & (1n << 51n)) === 0n;
}

/** FPRF of a double result: class and sign as the ISA's table encodes them. */
export function resultClass(bits: bigint): number {
  const sign = (bits >> 63n) & 1n;
  const exp = (bits >> 52n) & 0x7ffn;
  const frac = bits & ((1n << 52n) - 1n);
  if (exp === 0x7ffn) return frac !== 0n ? 0b10001 : sign ? 0b01001 : 0b00101;
  if (exp === 0n) {
    if (frac === 0n) return sign ? 0b10010 : 0b00010;
    return sign ? 0b11000 : 0b10100;
  }
  return sign ? 0b01000 : 0b00100;
}

/** FPSCR with FPRF set to `fprf`. */
export const withFprf = (fpscr: number, fprf: number): number =>
  ((fpscr & ~(0x1f << FPSCR_FPRF_SHIFT)) | (fprf << FPSCR_FPRF_SHIFT)) >>> 0;

/** A double rounded to single precision and back (frsp, and the single-precision arithmetic). */
export function roundToSingle(bits: bigint, env: FpEnv): bigint {
  return fpConvert(fpConvert(bits, F64, F32, env), F32, F64, env);
}
