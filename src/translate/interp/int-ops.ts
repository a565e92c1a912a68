/**
 * The integer ops of the IR (ops.ts) for the interpreter, one table per width.
 *
 * Canonical forms: an i32 is a number holding a signed int32 (so `| 0` after every operation), an
 * i64 is a bigint in [0, 2^64). Every function takes and returns canonical values.
 */

const M64 = (1n << 64n) - 1n;

const s64 = (a: bigint): bigint => BigInt.asIntN(64, a);
const u64 = (a: bigint): bigint => BigInt.asUintN(64, a);

function popcount32(a: number): number {
  let x = a - ((a >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}

function bswap32(a: number): number {
  return ((a << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24)) | 0;
}

function rbit32(a: number): number {
  let x = a;
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  return bswap32(x);
}

const lo32 = (a: bigint): number => Number(a & 0xffffffffn) | 0;
const hi32 = (a: bigint): number => Number(a >> 32n) | 0;
const join = (hi: number, lo: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

export const I32_BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: (a, b) => Math.imul(a, b),
  // The double quotient of two int32s truncates to the exact integer quotient; ToInt32 (| 0) maps
  // x/0 (±Infinity or NaN) to 0 and 2^31 (MIN / -1) to MIN, as the op table requires.
  div_s: (a, b) => (a / b) | 0,
  div_u: (a, b) => ((a >>> 0) / (b >>> 0)) | 0,
  rem_s: (a, b) => (b === 0 ? a : (a % b) | 0),
  rem_u: (a, b) => (b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0),
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  shl: (a, b) => a << b,
  shr_u: (a, b) => (a >>> b) | 0,
  shr_s: (a, b) => a >> b,
  rotl: (a, b) => (a << b) | (a >>> (32 - (b & 31))),
  rotr: (a, b) => (a >>> b) | (a << (32 - (b & 31))),
};

export const I32_UNARY: Readonly<Record<string, (a: number) => number>> = {
  not: (a) => ~a,
  neg: (a) => -a | 0,
  clz: (a) => Math.clz32(a),
  ctz: (a) => (a === 0 ? 32 : 31 - Math.clz32(a & -a)),
  popcnt: popcount32,
  bswap: bswap32,
  rbit: rbit32,
  sext8: (a) => (a << 24) >> 24,
  sext16: (a) => (a << 16) >> 16,
};

export const I32_COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt_s: (a, b) => a < b,
  le_s: (a, b) => a <= b,
  gt_s: (a, b) => a > b,
  ge_s: (a, b) => a >= b,
  lt_u: (a, b) => a >>> 0 < b >>> 0,
  le_u: (a, b) => a >>> 0 <= b >>> 0,
  gt_u: (a, b) => a >>> 0 > b >>> 0,
  ge_u: (a, b) => a >>> 0 >= b >>> 0,
};

export const I64_BINARY: Readonly<Record<string, (a: bigint, b: bigint) => bigint>> = {
  add: (a, b) => (a + b) & M64,
  sub: (a, b) => (a - b) & M64,
  mul: (a, b) => (a * b) & M64,
  mulh_u: (a, b) => (a * b) >> 64n,
  mulh_s: (a, b) => u64((s64(a) * s64(b)) >> 64n),
  // BigInt division truncates toward zero; MIN / -1 = 2^63 wraps back to MIN.
  div_s: (a, b) => (b === 0n ? 0n : u64(s64(a) / s64(b))),
  div_u: (a, b) => (b === 0n ? 0n : a / b),
  rem_s: (a, b) => (b === 0n ? a : u64(s64(a) % s64(b))),
  rem_u: (a, b) => (b === 0n ? a : a % b),
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  shl: (a, b) => (a << (b & 63n)) & M64,
  shr_u: (a, b) => a >> (b & 63n),
  shr_s: (a, b) => u64(s64(a) >> (b & 63n)),
  rotl: (a, b) => ((a << (b & 63n)) | (a >> ((64n - (b & 63n)) & 63n))) & M64,
  rotr: (a, b) => ((a >> (b & 63n)) | (a << ((64n - (b & 63n)) & 63n))) & M64,
};

export const I64_UNARY: Readonly<Record<string, (a: bigint) => bigint>> = {
  not: (a) => a ^ M64,
  neg: (a) => (-a) & M64,
  clz: (a) => {
    const hi = hi32(a);
    return BigInt(hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo32(a)));
  },
  ctz: (a) => {
    const lo = lo32(a);
    return lo !== 0 ? BigInt(I32_UNARY.ctz!(lo)) : BigInt(32 + I32_UNARY.ctz!(hi32(a)));
  },
  popcnt: (a) => BigInt(popcount32(lo32(a)) + popcount32(hi32(a))),
  bswap: (a) => join(bswap32(lo32(a)), bswap32(hi32(a))),
  rbit: (a) => join(rbit32(lo32(a)), rbit32(hi32(a))),
  sext8: (a) => u64(BigInt.asIntN(8, a)),
  sext16: (a) => u64(BigInt.asIntN(16, a)),
  sext32: (a) => u64(BigInt.asIntN(32, a)),
};

export const I64_COMPARE: Readonly<Record<string, (a: bigint, b: bigint) => boolean>> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt_u: (a, b) => a < b,
  le_u: (a, b) => a <= b,
  gt_u: (a, b) => a > b,
  ge_u: (a, b) => a >= b,
  lt_s: (a, b) => s64(a) < s64(b),
  le_s: (a, b) => s64(a) <= s64(b),
  gt_s: (a, b) => s64(a) > s64(b),
  ge_s: (a, b) => s64(a) >= s64(b),
};

/** i32 <-> i64 conversions. */
export const zext = (a: number): bigint => BigInt(a >>> 0);
export const sext = (a: number): bigint => u64(BigInt(a));
export const wrap = (a: bigint): number => lo32(a);
