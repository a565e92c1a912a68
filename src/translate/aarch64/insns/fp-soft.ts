/**
 * Reference IEEE 754 arithmetic with the A64 rules (ARM ARM FPRound, FPProcessNaNs, FPMulAdd,
 * FPToFixed, FPRoundInt...), exact through BigInt mantissas.
 *
 * Translated code uses native wasm float ops on its fast path; this module is what the helpers run
 * when the fast path cannot give the guest's answer: a directed rounding mode or flush-to-zero in
 * FPCR, a NaN result (ARM's default NaN is positive and its propagation order is fixed, wasm's is
 * not), an overflow or division by zero whose FPSR flag must be raised, fused multiply-add, and
 * half precision. Values are bit patterns (bigint) so NaN payloads survive.
 */

export interface FpFormat {
  width: 16 | 32 | 64;
  expBits: number;
  fracBits: number;
}
export const F16: FpFormat = { width: 16, expBits: 5, fracBits: 10 };
export const F32: FpFormat = { width: 32, expBits: 8, fracBits: 23 };
export const F64: FpFormat = { width: 64, expBits: 11, fracBits: 52 };

/** FPCR.RMode values, plus ties-away (FCVTA*, FRINTA) which only instructions ask for. */
export enum Rounding {
  Nearest = 0,
  PlusInf = 1,
  MinusInf = 2,
  Zero = 3,
  TiesAway = 4,
  /** Round to odd (FCVTXN): truncate, then set the lowest bit if anything was lost. */
  Odd = 5,
}

/** FPSR cumulative exception bits. */
export const FPSR_IOC = 1 << 0;
export const FPSR_DZC = 1 << 1;
export const FPSR_OFC = 1 << 2;
export const FPSR_UFC = 1 << 3;
export const FPSR_IXC = 1 << 4;
export const FPSR_IDC = 1 << 7;
export const FPSR_QC = 1 << 27;

/** The FPCR controls an operation obeys, and the FPSR bits it raised. */
export class FpEnv {
  flags = 0;
  constructor(
    public mode: Rounding,
    readonly defaultNaN: boolean,
    readonly flushToZero: boolean,
  ) {}
  static fromFpcr(fpcr: number): FpEnv {
    return new FpEnv(((fpcr >>> 22) & 3) as Rounding, ((fpcr >>> 25) & 1) === 1, ((fpcr >>> 24) & 1) === 1);
  }
  /** The same controls with another rounding mode (instructions that name their own). */
  withMode(mode: Rounding): FpEnv {
    const env = new FpEnv(mode, this.defaultNaN, this.flushToZero);
    env.flags = this.flags;
    return env;
  }
}

type Kind = 'zero' | 'finite' | 'inf' | 'qnan' | 'snan';
interface Unpacked {
  kind: Kind;
  sign: number;
  /** Value = m * 2^e for finite numbers. */
  m: bigint;
  e: number;
}

const bias = (f: FpFormat): number => (1 << (f.expBits - 1)) - 1;
const expMax = (f: FpFormat): bigint => (1n << BigInt(f.expBits)) - 1n;
const fracMask = (f: FpFormat): bigint => (1n << BigInt(f.fracBits)) - 1n;
const quietBit = (f: FpFormat): bigint => 1n << BigInt(f.fracBits - 1);
const signBit = (f: FpFormat): bigint => 1n << BigInt(f.width - 1);

/** The bits of non-negative `m` (0 for 0), 32 at a time: toString(2)'s string cost more than the rounding. */
function bitLength(m: bigint): number {
  let bits = 0;
  while (m > 0xffffffffn) {
    m >>= 32n;
    bits += 32;
  }
  return bits + 32 - Math.clz32(Number(m));
}

function isNaNBits(bits: bigint, f: FpFormat): boolean {
  return ((bits >> BigInt(f.fracBits)) & expMax(f)) === expMax(f) && (bits & fracMask(f)) !== 0n;
}

function unpack(bits: bigint, f: FpFormat, env: FpEnv): Unpacked {
  const sign = Number(bits >> BigInt(f.width - 1)) & 1;
  const exp = (bits >> BigInt(f.fracBits)) & expMax(f);
  const frac = bits & fracMask(f);
  if (exp === expMax(f)) {
    if (frac === 0n) return { kind: 'inf', sign, m: 0n, e: 0 };
    return { kind: frac & quietBit(f) ? 'qnan' : 'snan', sign, m: frac, e: 0 };
  }
  if (exp === 0n) {
    if (frac === 0n) return { kind: 'zero', sign, m: 0n, e: 0 };
    // Denormal input under FZ (half precision has its own FZ16, off under Linux).
    if (env.flushToZero && f.width !== 16) {
      env.flags |= FPSR_IDC;
      return { kind: 'zero', sign, m: 0n, e: 0 };
    }
    return { kind: 'finite', sign, m: frac, e: 1 - bias(f) - f.fracBits };
  }
  return { kind: 'finite', sign, m: frac | (1n << BigInt(f.fracBits)), e: Number(exp) - bias(f) - f.fracBits };
}

const packInf = (sign: number, f: FpFormat): bigint => (sign ? signBit(f) : 0n) | (expMax(f) << BigInt(f.fracBits));
const packZero = (sign: number, f: FpFormat): bigint => (sign ? signBit(f) : 0n);
const packMaxNormal = (sign: number, f: FpFormat): bigint =>
  (sign ? signBit(f) : 0n) | ((expMax(f) - 1n) << BigInt(f.fracBits)) | fracMask(f);
const defaultNaN = (f: FpFormat): bigint => (expMax(f) << BigInt(f.fracBits)) | quietBit(f);

/** Should a value whose magnitude is between two representable ones round up (away from zero)? */
function roundsAway(mode: Rounding, sign: number, odd: boolean, rem: bigint, half: bigint, sticky: boolean): boolean {
  const inexact = rem !== 0n || sticky;
  switch (mode) {
    case Rounding.Nearest:
      return rem > half || (rem === half && half !== 0n && (sticky || odd));
    case Rounding.TiesAway:
      return half !== 0n && rem >= half;
    case Rounding.PlusInf:
      return inexact && sign === 0;
    case Rounding.MinusInf:
      return inexact && sign === 1;
    default:
      return false;
  }
}

/**
 * Rounds sign * (m * 2^e + a bit more if `sticky`) to format `f` (ARM FPRound): overflow to
 * infinity or the largest finite number per mode, gradual underflow, FPSR OFC/UFC/IXC.
 */
function roundPack(sign: number, m: bigint, e: number, sticky: boolean, f: FpFormat, env: FpEnv): bigint {
  if (m === 0n && !sticky) return packZero(sign, f);
  const p = f.fracBits + 1;
  const minExp = 1 - bias(f) - f.fracBits;
  const len = bitLength(m);
  const tiny = e + len - 1 < 1 - bias(f);
  if (tiny && env.flushToZero && f.width !== 16) {
    env.flags |= FPSR_UFC;
    return packZero(sign, f);
  }
  let q = Math.max(e + len - p, minExp);
  const shift = q - e;
  let rem = 0n;
  let half = 0n;
  let r: bigint;
  if (shift > 0) {
    const s = BigInt(shift);
    rem = m & ((1n << s) - 1n);
    half = 1n << (s - 1n);
    r = m >> s;
  } else {
    r = m << BigInt(-shift);
  }
  const inexact = rem !== 0n || sticky;
  if (roundsAway(env.mode, sign, (r & 1n) === 1n, rem, half, sticky)) {
    r += 1n;
    if (r === 1n << BigInt(p)) {
      r >>= 1n;
      q += 1;
    }
  }
  if (env.mode === Rounding.Odd && inexact) r |= 1n;
  if (inexact) env.flags |= FPSR_IXC | (tiny ? FPSR_UFC : 0);
  if (bitLength(r) - 1 + q > bias(f)) {
    env.flags |= FPSR_OFC | FPSR_IXC;
    const toInf =
      env.mode === Rounding.Nearest ||
      env.mode === Rounding.TiesAway ||
      (env.mode === Rounding.PlusInf && sign === 0) ||
      (env.mode === Rounding.MinusInf && sign === 1);
    return toInf ? packInf(sign, f) : packMaxNormal(sign, f);
  }
  if (r === 0n) return packZero(sign, f);
  const s = sign ? signBit(f) : 0n;
  if (bitLength(r) < p) return s | r;
  return s | (BigInt(q - minExp + 1) << BigInt(f.fracBits)) | (r & fracMask(f));
}

/** ARM FPProcessNaNs: the first signalling NaN (quietened, IOC), else the first quiet NaN. */
function processNaNs(ops: readonly bigint[], f: FpFormat, env: FpEnv): bigint | undefined {
  let firstQuiet: bigint | undefined;
  for (const bits of ops) {
    if (!isNaNBits(bits, f)) continue;
    if ((bits & quietBit(f)) === 0n) {
      env.flags |= FPSR_IOC;
      return env.defaultNaN ? defaultNaN(f) : bits | quietBit(f);
    }
    firstQuiet ??= bits;
  }
  if (firstQuiet === undefined) return undefined;
  return env.defaultNaN ? defaultNaN(f) : firstQuiet;
}

function invalid(f: FpFormat, env: FpEnv): bigint {
  env.flags |= FPSR_IOC;
  return defaultNaN(f);
}

/** Exact sum of two finite-or-zero values, rounded; the sign of an exact zero follows IEEE. */
function addUnpacked(a: Unpacked, b: Unpacked, f: FpFormat, env: FpEnv, sticky = false): bigint {
  if (a.kind === 'zero' && b.kind === 'zero') {
    return packZero(a.sign === b.sign ? a.sign : env.mode === Rounding.MinusInf ? 1 : 0, f);
  }
  const e = Math.min(a.kind === 'zero' ? b.e : a.e, b.kind === 'zero' ? a.e : b.e);
  const va = (a.sign ? -a.m : a.m) << BigInt((a.kind === 'zero' ? e : a.e) - e);
  const vb = (b.sign ? -b.m : b.m) << BigInt((b.kind === 'zero' ? e : b.e) - e);
  const sum = va + vb;
  if (sum === 0n) return packZero(env.mode === Rounding.MinusInf ? 1 : 0, f);
  return roundPack(sum < 0n ? 1 : 0, sum < 0n ? -sum : sum, e, sticky, f, env);
}

export function fpAdd(x: bigint, y: bigint, f: FpFormat, env: FpEnv): bigint {
  const nan = processNaNs([x, y], f, env);
  if (nan !== undefined) return nan;
  const a = unpack(x, f, env);
  const b = unpack(y, f, env);
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.sign !== b.sign) return invalid(f, env);
    return packInf(a.kind === 'inf' ? a.sign : b.sign, f);
  }
  return addUnpacked(a, b, f, env);
}

export function fpSub(x: bigint, y: bigint, f: FpFormat, env: FpEnv): bigint {
  const nan = processNaNs([x, y], f, env);
  if (nan !== undefined) return nan;
  return fpAdd(x, y ^ signBit(f), f, env);
}

export function fpMul(x: bigint, y: bigint, f: FpFormat, env: FpEnv): bigint {
  const nan = processNaNs([x, y], f, env);
  if (nan !== undefined) return nan;
  const a = unpack(x, f, env);
  const b = unpack(y, f, env);
  const sign = a.sign ^ b.sign;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'zero' || b.kind === 'zero') return invalid(f, env);
    return packInf(sign, f);
  }
  if (a.kind === 'zero' || b.kind === 'zero') return packZero(sign, f);
  return roundPack(sign, a.m * b.m, a.e + b.e, false, f, env);
}

/** FMULX: like FMUL, but infinity times zero is 2 with the product's sign. */
export function fpMulX(x: bigint, y: bigint, f: FpFormat, env: FpEnv): bigint {
  const a = unpack(x, f, env);
  const b = unpack(y, f, env);
  if ((a.kind === 'inf' && b.kind === 'zero') || (a.kind === 'zero' && b.kind === 'inf')) {
    return roundPack(a.sign ^ b.sign, 2n, 0, false, f, env);
  }
  return fpMul(x, y, f, env);
}

export function fpDiv(x: bigint, y: bigint, f: FpFormat, env: FpEnv): bigint {
  const nan = processNaNs([x, y], f, env);
  if (nan !== undefined) return nan;
  const a = unpack(x, f, env);
  const b = unpack(y, f, env);
  const sign = a.sign ^ b.sign;
  if (a.kind === 'inf') return b.kind === 'inf' ? invalid(f, env) : packInf(sign, f);
  if (b.kind === 'zero') {
    if (a.kind === 'zero') return invalid(f, env);
    env.flags |= FPSR_DZC;
    return packInf(sign, f);
  }
  if (a.kind === 'zero' || b.kind === 'inf') return packZero(sign, f);
  const k = Math.max(0, f.fracBits + 4 + bitLength(b.m) - bitLength(a.m));
  const num = a.m << BigInt(k);
  return roundPack(sign, num / b.m, a.e - b.e - k, num % b.m !== 0n, f, env);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function fpSqrt(x: bigint, f: FpFormat, env: FpEnv): bigint {
  const nan = processNaNs([x], f, env);
  if (nan !== undefined) return nan;
  const a = unpack(x, f, env);
  if (a.kind === 'zero') return packZero(a.sign, f);
  if (a.sign) return invalid(f, env);
  if (a.kind === 'inf') return packInf(0, f);
  let m = a.m;
  let e = a.e;
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  const k = Math.max(0, f.fracBits + 4 - (bitLength(m) >> 1));
  m <<= BigInt(2 * k);
  const root = isqrt(m);
  return roundPack(0, root, (e - 2 * k) / 2, root * root !== m, f, env);
}

/**
 * ARM FPMulAdd: addend + op1 * op2 with one rounding. NaN order is addend, op1, op2, and
 * infinity times zero with a quiet NaN addend is still invalid.
 */
export function fpMulAdd(addend: bigint, x: bigint, y: bigint, f: FpFormat, env: FpEnv): bigint {
  const a = unpack(x, f, env);
  const b = unpack(y, f, env);
  const c = unpack(addend, f, env);
  const infTimesZero = (a.kind === 'inf' && b.kind === 'zero') || (a.kind === 'zero' && b.kind === 'inf');
  if (c.kind === 'qnan' && infTimesZero) return invalid(f, env);
  const nan = processNaNs([addend, x, y], f, env);
  if (nan !== undefined) return nan;
  if (infTimesZero) return invalid(f, env);
  const sign = a.sign ^ b.sign;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (c.kind === 'inf' && c.sign !== sign) return invalid(f, env);
    return packInf(sign, f);
  }
  if (c.kind === 'inf') return packInf(c.sign, f);
  const product: Unpacked =
    a.kind === 'zero' || b.kind === 'zero'
      ? { kind: 'zero', sign, m: 0n, e: 0 }
      : { kind: 'finite', sign, m: a.m * b.m, e: a.e + b.e };
  return addUnpacked(product, c, f, env);
}

export const fpNeg = (x: bigint, f: FpFormat): bigint => x ^ signBit(f);
export const fpAbs = (x: bigint, f: FpFormat): bigint => x & ~signBit(f);

/** FMAX/FMIN (NaNs propagate) and FMAXNM/FMINNM (a quiet NaN loses to a number). */
export function fpMinMax(x: bigint, y: bigint, f: FpFormat, env: FpEnv, max: boolean, numeric: boolean): bigint {
  if (numeric) {
    const qx = isNaNBits(x, f) && (x & quietBit(f)) !== 0n;
    const qy = isNaNBits(y, f) && (y & quietBit(f)) !== 0n;
    if (qx && !isNaNBits(y, f)) x = packInf(max ? 1 : 0, f);
    else if (qy && !isNaNBits(x, f)) y = packInf(max ? 1 : 0, f);
  }
  const nan = processNaNs([x, y], f, env);
  if (nan !== undefined) return nan;
  const a = unpack(x, f, env);
  const b = unpack(y, f, env);
  const cmp = fpCompareOrder(a, b);
  // Zeros of both signs: max takes +0, min takes -0.
  if (a.kind === 'zero' && b.kind === 'zero') return packZero(max ? a.sign & b.sign : a.sign | b.sign, f);
  const pick = cmp === 0 || (cmp > 0) === max ? a : b;
  if (pick.kind === 'inf') return packInf(pick.sign, f);
  if (pick.kind === 'zero') return packZero(pick.sign, f);
  return roundPack(pick.sign, pick.m, pick.e, false, f, env);
}

/** -1, 0, 1 for ordered finite/infinite/zero values (zeros equal). */
function fpCompareOrder(a: Unpacked, b: Unpacked): number {
  const value = (u: Unpacked): [number, bigint, number] => [u.kind === 'inf' ? 1 : 0, u.m, u.e];
  const mag = (u: Unpacked, v: Unpacked): number => {
    const [ia, ma, ea] = value(u);
    const [ib, mb, eb] = value(v);
    if (ia !== ib) return ia - ib;
    if (ia) return 0;
    if (ma === 0n || mb === 0n) return ma === mb ? 0 : ma === 0n ? -1 : 1;
    const e = Math.min(ea, eb);
    const sa = ma << BigInt(ea - e);
    const sb = mb << BigInt(eb - e);
    return sa === sb ? 0 : sa < sb ? -1 : 1;
  };
  const za = a.kind === 'zero';
  const zb = b.kind === 'zero';
  if (za && zb) return 0;
  const sa = za ? 0 : a.sign ? -1 : 1;
  const sb = zb ? 0 : b.sign ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const m = mag(a, b);
  return sa < 0 ? -m : m;
}

/** FCMP/FCMPE: NZCV as a 4-bit number (N=8, Z=4, C=2, V=1); unordered is 0011. */
export function fpCompare(x: bigint, y: bigint, f: FpFormat, env: FpEnv, signalAll: boolean): number {
  if (isNaNBits(x, f) || isNaNBits(y, f)) {
    const signalling = (v: bigint): boolean => isNaNBits(v, f) && (v & quietBit(f)) === 0n;
    if (signalAll || signalling(x) || signalling(y)) env.flags |= FPSR_IOC;
    return 0b0011;
  }
  const cmp = fpCompareOrder(unpack(x, f, env), unpack(y, f, env));
  return cmp === 0 ? 0b0110 : cmp < 0 ? 0b1000 : 0b0010;
}

/** Vector compares (FCMEQ/FCMGE/FCMGT, FACGE/FACGT): true or false, IOC on NaN as ARM says. */
export function fpCompareLane(x: bigint, y: bigint, f: FpFormat, env: FpEnv, op: 'eq' | 'ge' | 'gt'): boolean {
  const nzcv = fpCompare(x, y, f, env, op !== 'eq');
  if (nzcv === 0b0011) return false;
  if (op === 'eq') return nzcv === 0b0110;
  return op === 'ge' ? nzcv !== 0b1000 : nzcv === 0b0010;
}

/** The integer nearest to m * 2^e by `mode`: [value, inexact]. */
function roundToInteger(sign: number, m: bigint, e: number, mode: Rounding): [bigint, boolean] {
  if (e >= 0) return [m << BigInt(e), false];
  const s = BigInt(-e);
  const r = m >> s;
  const rem = m & ((1n << s) - 1n);
  const half = 1n << (s - 1n);
  const up = roundsAway(mode, sign, (r & 1n) === 1n, rem, half, false);
  return [up ? r + 1n : r, rem !== 0n];
}

/** FRINT*: round to an integral value in format f, keeping the sign of zero. */
export function fpRoundInt(x: bigint, f: FpFormat, env: FpEnv, exact: boolean): bigint {
  const nan = processNaNs([x], f, env);
  if (nan !== undefined) return nan;
  const a = unpack(x, f, env);
  if (a.kind !== 'finite') return a.kind === 'zero' ? packZero(a.sign, f) : x;
  const [mag, inexact] = roundToInteger(a.sign, a.m, a.e, env.mode);
  if (inexact && exact) env.flags |= FPSR_IXC;
  if (mag === 0n) return packZero(a.sign, f);
  const inner = new FpEnv(Rounding.Zero, false, false);
  return roundPack(a.sign, mag, 0, false, f, inner);
}

/** FCVT*S/U (FPToFixed): to a `width`-bit integer scaled by 2^fbits, saturating with IOC. */
export function fpToFixed(x: bigint, f: FpFormat, env: FpEnv, fbits: number, width: number, unsigned: boolean): bigint {
  const a = unpack(x, f, env);
  const max = unsigned ? (1n << BigInt(width)) - 1n : (1n << BigInt(width - 1)) - 1n;
  const min = unsigned ? 0n : -(1n << BigInt(width - 1));
  if (a.kind === 'qnan' || a.kind === 'snan') {
    env.flags |= FPSR_IOC;
    return 0n;
  }
  if (a.kind === 'inf') {
    env.flags |= FPSR_IOC;
    return a.sign ? min : max;
  }
  if (a.kind === 'zero') return 0n;
  const [mag, inexact] = roundToInteger(a.sign, a.m, a.e + fbits, env.mode);
  const value = a.sign ? -mag : mag;
  if (value > max || value < min) {
    env.flags |= FPSR_IOC;
    return value > max ? max : min;
  }
  if (inexact) env.flags |= FPSR_IXC;
  return BigInt.asUintN(width, value);
}

/** SCVTF/UCVTF (FixedToFP): `value` (already sign-interpreted) / 2^fbits, rounded to f. */
export function fixedToFp(value: bigint, fbits: number, f: FpFormat, env: FpEnv): bigint {
  return roundPack(value < 0n ? 1 : 0, value < 0n ? -value : value, -fbits, false, f, env);
}

/** FCVT between precisions (FPConvert): NaN payloads keep their top bits. */
export function fpConvert(x: bigint, from: FpFormat, to: FpFormat, env: FpEnv): bigint {
  const a = unpack(x, from, env);
  if (a.kind === 'qnan' || a.kind === 'snan') {
    if (a.kind === 'snan') env.flags |= FPSR_IOC;
    if (env.defaultNaN) return defaultNaN(to);
    const shift = to.fracBits - from.fracBits;
    const payload = shift >= 0 ? a.m << BigInt(shift) : a.m >> BigInt(-shift);
    return (a.sign ? signBit(to) : 0n) | (expMax(to) << BigInt(to.fracBits)) | quietBit(to) | payload;
  }
  if (a.kind === 'inf') return packInf(a.sign, to);
  if (a.kind === 'zero') return packZero(a.sign, to);
  return roundPack(a.sign, a.m, a.e, false, to, env);
}

/** FRECPX: the exponent inverted, fraction cleared (zero and denormal exponents give the largest). */
export function fpRecipExponent(x: bigint, f: FpFormat, env: FpEnv): bigint {
  const nan = processNaNs([x], f, env);
  if (nan !== undefined) return nan;
  const sign = x & signBit(f);
  const exp = (x >> BigInt(f.fracBits)) & expMax(f);
  const result = exp === 0n ? expMax(f) - 1n : ~exp & expMax(f);
  return sign | (result << BigInt(f.fracBits));
}

/** FJCVTZS: JavaScript ToInt32 (modulo 2^32, toward zero); Z set when exact and in range. */
export function fpJsConvert(x: bigint, env: FpEnv): [bigint, boolean] {
  const a = unpack(x, F64, env);
  if (a.kind !== 'finite') {
    if (a.kind !== 'zero') env.flags |= FPSR_IOC;
    return [0n, a.kind === 'zero' && a.sign === 0];
  }
  const [mag, inexact] = roundToInteger(a.sign, a.m, a.e, Rounding.Zero);
  const value = a.sign ? -mag : mag;
  const inRange = value >= -(1n << 31n) && value < 1n << 31n;
  if (!inRange) env.flags |= FPSR_IOC;
  else if (inexact) env.flags |= FPSR_IXC;
  return [BigInt.asUintN(32, value), inRange && !inexact && !(mag === 0n && a.sign === 1)];
}

/** ARM RecipEstimate: a 9-bit reciprocal estimate of a/512 for a in [256, 511]. */
export function recipEstimate(a: number): number {
  const b = Math.floor((1 << 19) / (a * 2 + 1));
  return (b + 1) >> 1;
}

/** ARM RecipSqrtEstimate: a 9-bit estimate of 1/sqrt for a in [128, 511] (units 1/512 or 1/256). */
export function recipSqrtEstimate(a: number): number {
  const x = a < 256 ? a * 2 + 1 : ((a >> 1) << 1) + 1;
  const scaledX = a < 256 ? x : x * 2;
  let b = 512;
  while (scaledX * (b + 1) * (b + 1) < 2 ** 28) b++;
  return (b + 1) >> 1;
}

/** The fraction of x widened to 52 bits and its biased exponent (ARM's estimate pseudocode works on these). */
function estimateInput(x: bigint, f: FpFormat): [bigint, number] {
  const frac = (x & fracMask(f)) << BigInt(52 - f.fracBits);
  return [frac, Number((x >> BigInt(f.fracBits)) & expMax(f))];
}

function estimateResult(sign: number, exp: number, frac52: bigint, f: FpFormat): bigint {
  return (
    (sign ? signBit(f) : 0n) | (BigInt(exp) << BigInt(f.fracBits)) | ((frac52 >> BigInt(52 - f.fracBits)) & fracMask(f))
  );
}

/** FRECPE (ARM FPRecipEstimate): 8-bit accurate reciprocal. */
export function fpRecipEstimate(x: bigint, f: FpFormat, env: FpEnv): bigint {
  const nan = processNaNs([x], f, env);
  if (nan !== undefined) return nan;
  const a = unpack(x, f, env);
  if (a.kind === 'inf') return packZero(a.sign, f);
  if (a.kind === 'zero') {
    env.flags |= FPSR_DZC;
    return packInf(a.sign, f);
  }
  const b = bias(f);
  const magnitudeExp = a.e + bitLength(a.m) - 1;
  if (magnitudeExp < -(b + 1)) {
    // 1/x overflows.
    env.flags |= FPSR_OFC | FPSR_IXC;
    const toInf =
      env.mode === Rounding.Nearest ||
      (env.mode === Rounding.PlusInf && a.sign === 0) ||
      (env.mode === Rounding.MinusInf && a.sign === 1);
    return toInf ? packInf(a.sign, f) : packMaxNormal(a.sign, f);
  }
  if (env.flushToZero && f.width !== 16 && magnitudeExp >= b - 1) {
    env.flags |= FPSR_UFC;
    return packZero(a.sign, f);
  }
  let [frac, exp] = estimateInput(x, f);
  if (exp === 0) {
    if (((frac >> 51n) & 1n) === 0n) {
      exp = -1;
      frac = (frac << 2n) & ((1n << 52n) - 1n);
    } else frac = (frac << 1n) & ((1n << 52n) - 1n);
  }
  const estimate = recipEstimate(Number((1n << 8n) | (frac >> 44n)));
  let resultExp = 2 * b - 1 - exp;
  let out = BigInt(estimate & 0xff) << 44n;
  if (resultExp === 0) out = (1n << 51n) | (out >> 1n);
  else if (resultExp === -1) {
    out = (1n << 50n) | (out >> 2n);
    resultExp = 0;
  }
  return estimateResult(a.sign, resultExp, out, f);
}

/** FRSQRTE (ARM FPRSqrtEstimate): 8-bit accurate reciprocal square root. */
export function fpRSqrtEstimate(x: bigint, f: FpFormat, env: FpEnv): bigint {
  const nan = processNaNs([x], f, env);
  if (nan !== undefined) return nan;
  const a = unpack(x, f, env);
  if (a.kind === 'zero') {
    env.flags |= FPSR_DZC;
    return packInf(a.sign, f);
  }
  if (a.sign) return invalid(f, env);
  if (a.kind === 'inf') return packZero(0, f);
  let [frac, exp] = estimateInput(x, f);
  const mask52 = (1n << 52n) - 1n;
  if (exp === 0) {
    while (((frac >> 51n) & 1n) === 0n) {
      frac = (frac << 1n) & mask52;
      exp -= 1;
    }
    frac = (frac << 1n) & mask52;
  }
  const scaled = (exp & 1) === 0 ? Number((1n << 8n) | (frac >> 44n)) : Number((1n << 7n) | (frac >> 45n));
  const resultExp = Math.floor((3 * bias(f) - 1 - exp) / 2);
  const estimate = recipSqrtEstimate(scaled);
  return estimateResult(0, resultExp, BigInt(estimate & 0xff) << 44n, f);
}

/** FRECPS: 2 - a * b fused (infinity times zero gives 2). */
export function fpRecipStep(x0: bigint, y: bigint, f: FpFormat, env: FpEnv): bigint {
  // ARM negates the first operand before anything else, NaNs included.
  const x = fpNeg(x0, f);
  const a = unpack(x, f, env);
  const b = unpack(y, f, env);
  const nan = processNaNs([x, y], f, env);
  if (nan !== undefined) return nan;
  if ((a.kind === 'inf' && b.kind === 'zero') || (a.kind === 'zero' && b.kind === 'inf')) return fixedToFp(2n, 0, f, env);
  return fpMulAdd(fixedToFp(2n, 0, f, env), x, y, f, env);
}

/** FRSQRTS: (3 - a * b) / 2 fused (infinity times zero gives 1.5). */
export function fpRSqrtStep(x0: bigint, y: bigint, f: FpFormat, env: FpEnv): bigint {
  const x = fpNeg(x0, f);
  const a = unpack(x, f, env);
  const b = unpack(y, f, env);
  const nan = processNaNs([x, y], f, env);
  if (nan !== undefined) return nan;
  if ((a.kind === 'inf' && b.kind === 'zero') || (a.kind === 'zero' && b.kind === 'inf')) return fixedToFp(3n, 1, f, env);
  const p = a;
  const product: Unpacked =
    p.kind === 'zero' || b.kind === 'zero'
      ? { kind: 'zero', sign: p.sign ^ b.sign, m: 0n, e: 0 }
      : p.kind === 'inf' || b.kind === 'inf'
        ? { kind: 'inf', sign: p.sign ^ b.sign, m: 0n, e: 0 }
        : { kind: 'finite', sign: p.sign ^ b.sign, m: p.m * b.m, e: p.e + b.e - 1 };
  if (product.kind === 'inf') return packInf(product.sign, f);
  return addUnpacked(product, { kind: 'finite', sign: 0, m: 3n, e: -1 }, f, env);
}
