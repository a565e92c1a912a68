/**
 * Lane arithmetic of Advanced SIMD (NEON) for AArch32: vectors as arrays of unsigned lane values
 * (bigint) read from and written to the D registers, and the element operations the data-processing
 * instructions share (saturation, rounding shifts, the "standard FPSCR" float arithmetic).
 *
 * NEON float arithmetic always uses the standard FPSCR value (ARM ARM A2.7.4): round to nearest,
 * flush-to-zero of inputs and results, and the default NaN for any NaN result.
 */
import { FPSCR, dreg } from '../state';

/** FPSCR.QC, the cumulative saturation flag. */
export const FPSCR_QC = 1 << 27;

/** The guest's D registers and FPSCR as the helper sees them. */
export interface NeonState {
  readonly view: DataView;
  readonly base: number;
}

export function readD(s: NeonState, n: number): bigint {
  return s.view.getBigUint64(s.base + dreg(n), true);
}
export function writeD(s: NeonState, n: number, v: bigint): void {
  s.view.setBigUint64(s.base + dreg(n), BigInt.asUintN(64, v), true);
}
export function setQC(s: NeonState): void {
  s.view.setUint32(s.base + FPSCR, s.view.getUint32(s.base + FPSCR, true) | FPSCR_QC, true);
}

/** The lanes of `regs` consecutive D registers from `first`, each `esize` bits, unsigned. */
export function readLanes(s: NeonState, first: number, regs: number, esize: number): bigint[] {
  const out: bigint[] = [];
  const mask = (1n << BigInt(esize)) - 1n;
  for (let r = 0; r < regs; r++) {
    const word = readD(s, first + r);
    for (let i = 0; i < 64 / esize; i++) out.push((word >> BigInt(i * esize)) & mask);
  }
  return out;
}

/** Writes `lanes` (any values, truncated to `esize` bits) into consecutive D registers from `first`. */
export function writeLanes(s: NeonState, first: number, lanes: readonly bigint[], esize: number): void {
  const perReg = 64 / esize;
  const mask = (1n << BigInt(esize)) - 1n;
  for (let r = 0; r < lanes.length / perReg; r++) {
    let word = 0n;
    for (let i = 0; i < perReg; i++) word |= (lanes[r * perReg + i]! & mask) << BigInt(i * esize);
    writeD(s, first + r, word);
  }
}

export const signedOf = (v: bigint, bits: number): bigint => BigInt.asIntN(bits, v);

/** Saturates `v` to `bits` bits (signed or unsigned), setting FPSCR.QC when it had to. */
export function saturate(s: NeonState, v: bigint, bits: number, unsigned: boolean): bigint {
  const lo = unsigned ? 0n : -(1n << BigInt(bits - 1));
  const hi = unsigned ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
  if (v < lo || v > hi) {
    setQC(s);
    return v < lo ? lo : hi;
  }
  return v;
}

/** A lane as a number of `bits` bits: signed or unsigned value. */
export const valueOf = (v: bigint, bits: number, unsigned: boolean): bigint => (unsigned ? v : signedOf(v, bits));

/**
 * Shift by a signed amount (VSHL/VRSHL register forms: the low byte of the shift lane, negative
 * shifts right); `round` adds the rounding constant for right shifts.
 */
export function shiftBy(v: bigint, amount: number, round: boolean): bigint {
  if (amount >= 0) return v << BigInt(amount);
  const n = BigInt(-amount);
  return round ? (v + (1n << (n - 1n))) >> n : v >> n;
}

/** Count leading zeros / sign bits of a `bits`-bit lane. */
export function clz(v: bigint, bits: number): bigint {
  let n = 0;
  for (let i = bits - 1; i >= 0 && ((v >> BigInt(i)) & 1n) === 0n; i--) n++;
  return BigInt(n);
}
export function cls(v: bigint, bits: number): bigint {
  const top = (v >> BigInt(bits - 1)) & 1n;
  let n = 0;
  for (let i = bits - 2; i >= 0 && ((v >> BigInt(i)) & 1n) === top; i--) n++;
  return BigInt(n);
}
export function popcount(v: bigint): bigint {
  let n = 0n;
  for (let x = v; x; x >>= 1n) n += x & 1n;
  return n;
}

/** Polynomial (carry-less) multiply of two `bits`-bit lanes. */
export function polyMul(a: bigint, b: bigint, bits: number): bigint {
  let r = 0n;
  for (let i = 0; i < bits; i++) if ((b >> BigInt(i)) & 1n) r ^= a << BigInt(i);
  return r;
}

// Standard-FPSCR single precision.
const f32buf = new DataView(new ArrayBuffer(4));
const DEFAULT_NAN = 0x7fc00000n;

export function bitsToF32(v: bigint): number {
  f32buf.setUint32(0, Number(v & 0xffffffffn));
  const x = f32buf.getFloat32(0);
  // Flush-to-zero: a denormal input counts as a zero of its sign.
  return x !== 0 && Math.abs(x) < 2 ** -126 ? (x < 0 ? -0 : 0) : x;
}
export function f32ToBits(x: number): bigint {
  if (Number.isNaN(x)) return DEFAULT_NAN;
  const r = Math.fround(x);
  f32buf.setFloat32(0, r !== 0 && Math.abs(r) < 2 ** -126 ? (r < 0 ? -0 : 0) : r);
  return BigInt(f32buf.getUint32(0));
}

/** One float op on single-precision lanes under the standard FPSCR value. */
export function floatLane(op: (a: number, b: number) => number, a: bigint, b: bigint): bigint {
  return f32ToBits(op(bitsToF32(a), bitsToF32(b)));
}

/** FPMax/FPMin: -0 < +0, NaN in either gives the default NaN. */
export function fmax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) && Object.is(b, -0) ? -0 : 0;
  return Math.max(a, b);
}
export function fmin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, 0) && Object.is(b, 0) ? 0 : -0;
  return Math.min(a, b);
}

/** Float to 32-bit integer, rounding toward zero and saturating (NaN gives 0), as VCVT does. */
export function floatToInt(x: number, unsigned: boolean): bigint {
  if (Number.isNaN(x)) return 0n;
  const t = Math.trunc(x);
  const [lo, hi] = unsigned ? [0, 0xffffffff] : [-0x80000000, 0x7fffffff];
  return BigInt(Math.min(hi, Math.max(lo, t)));
}
