/**
 * Conversions between single and half precision for NEON's VCVT.F16.F32 and VCVT.F32.F16 (IEEE
 * half precision, FPSCR.AHP = 0), under the standard FPSCR value as QEMU and the ARM ARM apply it
 * to conversions: single-precision denormal inputs are flushed, half-precision denormals are kept
 * (flush-to-zero does not apply to half precision), rounding is to nearest even, and any NaN gives
 * the default NaN. Lanes are the bits as bigint.
 */
import { bitsToF32, f32ToBits } from './neon-lanes';

const F16_DEFAULT_NAN = 0x7e00n;
const F16_INFINITY = 0x7c00n;

/** q rounded to an integer, ties to even (q >= 0). */
function roundHalfEven(q: number): number {
  const f = Math.floor(q);
  const r = q - f;
  return r > 0.5 || (r === 0.5 && f % 2 === 1) ? f + 1 : f;
}

const f64 = new DataView(new ArrayBuffer(8));

/** The unbiased binary exponent of a positive normal double. */
function exponentOf(v: number): number {
  f64.setFloat64(0, v);
  return ((f64.getUint32(0) >>> 20) & 0x7ff) - 1023;
}

/** Single precision bits to half precision bits. */
export function f32ToF16(x: bigint): bigint {
  const sign = (x >> 16n) & 0x8000n;
  const v = Math.abs(bitsToF32(x));
  if (Number.isNaN(v)) return F16_DEFAULT_NAN;
  if (v >= 65520) return sign | F16_INFINITY; // halfway above 65504 rounds to even: infinity
  if (v < 2 ** -14) return sign | BigInt(roundHalfEven(v * 2 ** 24)); // denormal (or the smallest normal)
  const e = exponentOf(v);
  let n = roundHalfEven(v * 2 ** (10 - e));
  let biased = e + 15;
  if (n === 2048) {
    n = 1024;
    biased++;
  }
  return sign | (BigInt(biased) << 10n) | BigInt(n - 1024);
}

/** Half precision bits to single precision bits (exact; a NaN gives the default NaN). */
export function f16ToF32(h: bigint): bigint {
  const v = Number(h);
  const exp = (v >> 10) & 0x1f;
  const frac = v & 0x3ff;
  const sign = v & 0x8000 ? -1 : 1;
  if (exp === 31) return f32ToBits(frac ? NaN : sign * Infinity);
  const magnitude = exp === 0 ? frac * 2 ** -24 : (1024 + frac) * 2 ** (exp - 25);
  return f32ToBits(sign * magnitude);
}
