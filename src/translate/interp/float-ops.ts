/**
 * The float ops of the IR (ops.ts) for the interpreter: arithmetic, rounding, comparisons and the
 * conversions that involve a float type. Values follow float-values.ts; results that are NaN are
 * canonical except for the sign-bit operations, which are bit-exact as in WebAssembly.
 */
import {
  arithmeticResult,
  f32Bits,
  f32FromBits,
  f64Bits,
  f64FromBits,
  signOf,
  toNumber,
  withSign,
  type FloatType,
  type FloatValue,
} from './float-values';

type FloatBinary = (t: FloatType, a: FloatValue, b: FloatValue) => FloatValue;
type FloatUnary = (t: FloatType, a: FloatValue) => FloatValue;

/** Round to the nearest integral value, ties to even, keeping the sign of zero. */
function roundNearestEven(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
  let r = Math.round(x); // ties toward +infinity
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r === 0 ? (signOf('f64', x) ? -0 : 0) : r;
}

/** IEEE min/max with NaN propagation and -0 < +0 (Math.min/max order zeros that way). */
function minMax(pick: (a: number, b: number) => number): FloatBinary {
  return (t, a, b) => arithmeticResult(t, pick(toNumber(a), toNumber(b)));
}

export const FLOAT_BINARY: Readonly<Record<string, FloatBinary>> = {
  fadd: (t, a, b) => arithmeticResult(t, toNumber(a) + toNumber(b)),
  fsub: (t, a, b) => arithmeticResult(t, toNumber(a) - toNumber(b)),
  fmul: (t, a, b) => arithmeticResult(t, toNumber(a) * toNumber(b)),
  fdiv: (t, a, b) => arithmeticResult(t, toNumber(a) / toNumber(b)),
  fmin: minMax(Math.min),
  fmax: minMax(Math.max),
  fcopysign: (t, a, b) => withSign(t, a, signOf(t, b)),
};

/** f32 results of f32 inputs need no double rounding: sqrt and the integral roundings are exact in f64 first. */
export const FLOAT_UNARY: Readonly<Record<string, FloatUnary>> = {
  fsqrt: (t, a) => arithmeticResult(t, Math.sqrt(toNumber(a))),
  fabs: (t, a) => withSign(t, a, false),
  fneg: (t, a) => withSign(t, a, !signOf(t, a)),
  fceil: (t, a) => arithmeticResult(t, Math.ceil(toNumber(a))),
  ffloor: (t, a) => arithmeticResult(t, Math.floor(toNumber(a))),
  ftruncf: (t, a) => arithmeticResult(t, Math.trunc(toNumber(a))),
  fnearest: (t, a) => arithmeticResult(t, roundNearestEven(toNumber(a))),
};

/** Comparisons on numbers: every one is false on NaN except ne. */
export const FLOAT_COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  flt: (a, b) => a < b,
  fle: (a, b) => a <= b,
  fgt: (a, b) => a > b,
  fge: (a, b) => a >= b,
};

// --- Conversions ---------------------------------------------------------------------------------

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/** Float -> integer toward zero, saturating; NaN gives 0. i32 results signed int32, i64 unsigned bigint. */
export function truncSat(to: 'i32' | 'i64', signed: boolean, v: FloatValue): number | bigint {
  const x = Math.trunc(toNumber(v));
  if (to === 'i32') {
    if (x !== x) return 0;
    const [lo, hi] = signed ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
    return Math.min(Math.max(x, lo), hi) | 0;
  }
  if (x !== x) return 0n;
  if (signed) {
    if (x >= TWO_63) return (1n << 63n) - 1n;
    if (x < -TWO_63) return 1n << 63n;
    return BigInt.asUintN(64, BigInt(x));
  }
  if (x >= TWO_64) return (1n << 64n) - 1n;
  return x <= 0 ? 0n : BigInt(x);
}

/** A 64-bit integer value rounded to the nearest f32, ties to even, in one rounding step. */
function bigintToF32(v: bigint): number {
  const negative = v < 0n;
  let m = negative ? -v : v;
  const bits = m.toString(2).length;
  if (bits > 24) {
    const shift = BigInt(bits - 24);
    const rest = m & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    m >>= shift;
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
    m <<= shift;
  }
  const x = Number(m); // exact: at most 25 significant bits
  return Math.fround(negative ? -x : x);
}

/** Integer -> float, round to nearest even. `v` is an i32 (signed int32) or i64 (unsigned bigint). */
export function convertInt(to: FloatType, signed: boolean, v: number | bigint): FloatValue {
  if (typeof v === 'number') {
    const x = signed ? v : v >>> 0;
    return to === 'f32' ? Math.fround(x) : x;
  }
  const x = signed ? BigInt.asIntN(64, v) : v;
  // Number(bigint) rounds correctly to f64; f32 needs its own single rounding.
  return to === 'f64' ? Number(x) : bigintToF32(x);
}

/** f32 -> f64 (exact) and f64 -> f32 (nearest even); NaNs become canonical. */
export function promote(v: FloatValue): FloatValue {
  return arithmeticResult('f64', toNumber(v));
}
export function demote(v: FloatValue): FloatValue {
  return arithmeticResult('f32', toNumber(v));
}

/** Same bits, other type. */
export function reinterpret(to: 'i32' | 'i64' | 'f32' | 'f64', v: number | bigint): number | bigint {
  switch (to) {
    case 'i32':
      return f32Bits(v);
    case 'i64':
      return f64Bits(v);
    case 'f32':
      return f32FromBits(v as number);
    case 'f64':
      return f64FromBits(v as bigint);
  }
}
