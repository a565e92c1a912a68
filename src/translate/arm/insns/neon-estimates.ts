/**
 * The NEON reciprocal and reciprocal square root estimates (VRECPE, VRSQRTE, in their unsigned
 * fixed-point and single-precision forms) and Newton-Raphson steps (VRECPS, VRSQRTS), as the ARM
 * ARM defines them (RecipEstimate, RecipSqrtEstimate, FPRecipStep, FPRSqrtStep) under the standard
 * FPSCR value: flushed denormal inputs, the default NaN. The estimates are table-free integer forms
 * of the manual's 9-bit approximations. Lanes are 32-bit values as bigint (bits of a float).
 */
import { bitsToF32, f32ToBits } from './neon-lanes';

const DEFAULT_NAN = 0x7fc00000n;
const INFINITY = 0x7f800000n;

/** RecipEstimate on a 9-bit input 256..511 (the value 0.5..1 scaled by 512): 256..511. */
function recipEstimate(a: number): number {
  const b = Math.floor((1 << 19) / (2 * a + 1));
  return (b + 1) >> 1;
}

/** RecipSqrtEstimate on a 9-bit input 128..511 (0.25..1 scaled by 512): 256..511. */
function recipSqrtEstimate(input: number): number {
  const a = input < 256 ? input * 2 + 1 : ((input >> 1) << 1) * 2 + 2;
  let b = 512;
  while (a * (b + 1) * (b + 1) < 1 << 28) b++;
  return (b + 1) >> 1;
}

/** VRECPE.U32: an unsigned 0.32 fixed-point value below 0.5 gives all ones. */
export function recipEstimateU32(x: bigint): bigint {
  const v = Number(x);
  if (v < 0x80000000) return 0xffffffffn;
  return BigInt(recipEstimate(v >>> 23)) << 23n;
}

/** VRSQRTE.U32: a value below 0.25 gives all ones. */
export function rsqrtEstimateU32(x: bigint): bigint {
  const v = Number(x);
  if (v < 0x40000000) return 0xffffffffn;
  return BigInt(recipSqrtEstimate(v >>> 23)) << 23n;
}

/** The bits of a flushed single-precision input: denormals become zeros of their sign. */
const flushed = (x: bigint): bigint => ((x & 0x7f800000n) === 0n ? x & 0x80000000n : x);
const isNaN32 = (x: bigint): boolean => (x & 0x7f800000n) === INFINITY && (x & 0x7fffffn) !== 0n;

/** VRECPE.F32. */
export function recipEstimateF32(input: bigint): bigint {
  const x = flushed(input);
  const sign = x & 0x80000000n;
  const exp = Number((x >> 23n) & 0xffn);
  if (isNaN32(x)) return DEFAULT_NAN;
  if ((x & 0x7fffffffn) === INFINITY) return sign;
  if ((x & 0x7fffffffn) === 0n) return sign | INFINITY;
  if (exp >= 253) return sign; // the reciprocal would be denormal: flushed
  const estimate = recipEstimate(256 | Number((x >> 15n) & 0xffn));
  return sign | (BigInt(253 - exp) << 23n) | (BigInt(estimate & 0xff) << 15n);
}

/** VRSQRTE.F32. */
export function rsqrtEstimateF32(input: bigint): bigint {
  const x = flushed(input);
  const exp = Number((x >> 23n) & 0xffn);
  if (isNaN32(x)) return DEFAULT_NAN;
  if ((x & 0x7fffffffn) === 0n) return (x & 0x80000000n) | INFINITY;
  if (x & 0x80000000n) return DEFAULT_NAN;
  if (x === INFINITY) return 0n;
  // An odd exponent scales the fraction into 0.25..0.5, an even one into 0.5..1.
  const scaled = exp & 1 ? 128 | Number((x >> 16n) & 0x7fn) : 256 | Number((x >> 15n) & 0xffn);
  const estimate = recipSqrtEstimate(scaled);
  return (BigInt(Math.floor((380 - exp) / 2)) << 23n) | (BigInt(estimate & 0xff) << 15n);
}

/** Whether one of a, b is an infinity and the other a zero (after flushing). */
function infTimesZero(a: number, b: number): boolean {
  return (!Number.isFinite(a) && !Number.isNaN(a) && b === 0) || (!Number.isFinite(b) && !Number.isNaN(b) && a === 0);
}

/** VRECPS.F32: 2 - a * b, each step rounded; infinity times zero gives 2. */
export function recipStep(x: bigint, y: bigint): bigint {
  const a = bitsToF32(x);
  const b = bitsToF32(y);
  if (Number.isNaN(a) || Number.isNaN(b)) return DEFAULT_NAN;
  if (infTimesZero(a, b)) return f32ToBits(2);
  return f32ToBits(2 - bitsToF32(f32ToBits(a * b)));
}

/** VRSQRTS.F32: (3 - a * b) / 2, each step rounded; infinity times zero gives 1.5. */
export function rsqrtStep(x: bigint, y: bigint): bigint {
  const a = bitsToF32(x);
  const b = bitsToF32(y);
  if (Number.isNaN(a) || Number.isNaN(b)) return DEFAULT_NAN;
  if (infTimesZero(a, b)) return f32ToBits(1.5);
  return f32ToBits(bitsToF32(f32ToBits(3 - bitsToF32(f32ToBits(a * b)))) / 2);
}
