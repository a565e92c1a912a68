/**
 * IR building blocks shared by the scalar FP and Advanced SIMD emitters: V register reads and writes
 * with A64's zeroing rules, lane shapes, constants, and the fast-path/slow-path split every float
 * operation uses (native wasm op, then the reference helper when the result is not finite or FPCR
 * asks for something wasm cannot do).
 */
import type { Temp } from '../../ir/block';
import type { A64Context } from '../context';
import { FLAG_DIRECTED_ROUNDING, FLAG_FLUSH_TO_ZERO } from '../flags';

/** wasm integer lane shape by A64 `size` (0 = bytes .. 3 = doublewords). */
export const INT_SHAPE = ['i8x16', 'i16x8', 'i32x4', 'i64x2'] as const;
/** wasm float lane shape by A64 `sz` (0 = single, 1 = double). */
export const FP_SHAPE = ['f32x4', 'f64x2'] as const;
type FpShape = (typeof FP_SHAPE)[number];

/** Native float ops are exact only with FPCR rounding to nearest and without flush-to-zero. */
export function fastFp(ctx: A64Context): boolean {
  return (ctx.flags & (FLAG_DIRECTED_ROUNDING | FLAG_FLUSH_TO_ZERO)) === 0;
}

/** FPCR.FZ: denormal inputs and results are flushed, which wasm cannot do. */
export function flushesDenormals(ctx: A64Context): boolean {
  return (ctx.flags & FLAG_FLUSH_TO_ZERO) !== 0;
}

/** FPCR.RMode is round to nearest, the only rounding wasm float ops do. */
export function roundsToNearest(ctx: A64Context): boolean {
  return (ctx.flags & FLAG_DIRECTED_ROUNDING) === 0;
}

/**
 * i32 1 when the float scalar is below the smallest normal in magnitude and not zero (with
 * `orSmallest`, the smallest normal too): a denormal that FPCR.FZ flushes.
 */
export function belowNormal(ctx: A64Context, x: Temp, orSmallest = false): Temp {
  const b = ctx.b;
  if (x.type === 'f32') {
    const mag = b.and(b.convert('reinterpret', 'i32', x), b.i32(0x7fffffff));
    return b.compare('lt_u', b.sub(mag, b.i32(1)), b.i32(orSmallest ? 0x00800000 : 0x007fffff));
  }
  const mag = b.and(b.convert('reinterpret', 'i64', x), b.i64(0x7fffffffffffffffn));
  return b.compare(
    'lt_u',
    b.sub(mag, b.i64(1)),
    b.i64(orSmallest ? 0x0010000000000000n : 0x000fffffffffffffn),
  );
}

/**
 * `bad`, or under FPCR.FZ an operand that is denormal or a result that may be one before rounding
 * (at most the smallest normal in magnitude, not zero): the reference helper flushes those and
 * raises IDC/UFC as ARM does, and wasm's ops are exact for everything else, so FZ keeps the native
 * path.
 */
export function orFlushed(ctx: A64Context, bad: Temp, operands: Temp[], results: Temp[]): Temp {
  if (!flushesDenormals(ctx)) return bad;
  const b = ctx.b;
  const tiny = [
    ...operands.map((x) => belowNormal(ctx, x)),
    ...results.map((r) => belowNormal(ctx, r, true)),
  ];
  return tiny.reduce((acc, t) => b.or(acc, t), bad);
}

/** A v128 constant whose `lanes` lowest lanes of `bytes` bytes hold `value` (the rest zero). */
export function laneConst(ctx: A64Context, bytes: number, value: bigint, lanes = 16 / bytes): Temp {
  const out = new Uint8Array(16);
  for (let lane = 0; lane < lanes; lane++) {
    for (let i = 0; i < bytes; i++) out[lane * bytes + i] = Number((value >> BigInt(8 * i)) & 0xffn);
  }
  return ctx.b.v128(out);
}

export function zeroVec(ctx: A64Context): Temp {
  return ctx.b.v128(new Uint8Array(16));
}

/** Keeps the low `bytes` bytes of v, zeroing the rest (64-bit vector forms and scalar results). */
export function keepLow(ctx: A64Context, v: Temp, bytes: number): Temp {
  if (bytes >= 16) return v;
  return ctx.b.vop('v128.and', [v, laneConst(ctx, bytes, (1n << BigInt(8 * bytes)) - 1n, 1)]);
}

/** Writes a vector result: all 128 bits (q = 1) or the low 64 with the upper half zeroed. */
export function writeVec(ctx: A64Context, d: number, v: Temp, q: number): void {
  ctx.setV(d, keepLow(ctx, v, q ? 16 : 8));
}

/** Lane 0 of Vn as i32 (elements up to 32 bits, zero-extended) or i64. */
export function readElem(ctx: A64Context, n: number, sizeLog: number): Temp {
  const v = ctx.v(n);
  const b = ctx.b;
  switch (sizeLog) {
    case 0:
      return b.vop('i8x16.extract_lane_u', [v], 0);
    case 1:
      return b.vop('i16x8.extract_lane_u', [v], 0);
    case 2:
      return b.vop('i32x4.extract_lane', [v], 0);
    default:
      return b.vop('i64x2.extract_lane', [v], 0);
  }
}

/** Vd = a scalar (i32, i64, f32, f64) in lane 0, every other bit zero. */
export function writeScalar(ctx: A64Context, d: number, value: Temp): void {
  const op = { i32: 'i32x4', i64: 'i64x2', f32: 'f32x4', f64: 'f64x2', v128: '' }[value.type];
  ctx.setV(d, ctx.b.vop(`${op}.replace_lane`, [zeroVec(ctx), value], 0));
}

/** Bits of a float or integer scalar as a zero-extended i64 (helper arguments). */
export function toBits64(ctx: A64Context, v: Temp): Temp {
  const b = ctx.b;
  switch (v.type) {
    case 'f32':
      return b.zext(b.convert('reinterpret', 'i32', v));
    case 'f64':
      return b.convert('reinterpret', 'i64', v);
    case 'i32':
      return b.zext(v);
    default:
      return v;
  }
}

/** Bits returned by a helper (i64) as a value of `type`. */
export function fromBits64(ctx: A64Context, bits: Temp, type: 'i32' | 'i64' | 'f32' | 'f64'): Temp {
  const b = ctx.b;
  switch (type) {
    case 'f32':
      return b.convert('reinterpret', 'f32', b.wrap(bits));
    case 'f64':
      return b.convert('reinterpret', 'f64', bits);
    case 'i32':
      return b.wrap(bits);
    default:
      return bits;
  }
}

/** i32 1 when the float scalar is infinite or NaN (x - x is NaN exactly then). */
export function notFinite(ctx: A64Context, x: Temp): Temp {
  const t = ctx.b.binary('fsub', x, x);
  return ctx.b.compare('ne', t, t);
}

/**
 * i32 1 when some lane of the float vector is denormal, or at most the smallest normal in magnitude
 * and not zero: `orFlushed` for vectors (the operands and results of a lane-wise op).
 */
export function orFlushedLanes(
  ctx: A64Context,
  shape: FpShape,
  bad: Temp,
  operands: Temp[],
  results: Temp[],
): Temp {
  if (!flushesDenormals(ctx)) return bad;
  const b = ctx.b;
  const single = shape === 'f32x4';
  const smallest = laneConst(ctx, single ? 4 : 8, single ? 0x00800000n : 0x0010000000000000n);
  const zero = laneConst(ctx, 16, 0n);
  const tiny = (v: Temp, orSmallest: boolean): Temp => {
    const below = b.vop(`${shape}.${orSmallest ? 'le' : 'lt'}`, [b.vop(`${shape}.abs`, [v]), smallest]);
    return b.vop('v128.any_true', [b.vop('v128.and', [below, b.vop(`${shape}.ne`, [v, zero])])]);
  };
  const all = [...operands.map((v) => tiny(v, false)), ...results.map((r) => tiny(r, true))];
  return all.reduce((acc, t) => b.or(acc, t), bad);
}

/** i32 1 when some lane of the float vector is infinite or NaN. */
export function anyNotFinite(ctx: A64Context, shape: FpShape, v: Temp): Temp {
  const b = ctx.b;
  const t = b.vop(`${shape}.sub`, [v, v]);
  return b.vop('v128.any_true', [b.vop(`${shape}.ne`, [t, t])]);
}

/**
 * Runs `fast` (which writes the result) unless `bad` (i32) is set, else `slow`. Guest state is the
 * merge point: both arms write the destination register, the slow one from untouched sources.
 */
export function guarded(ctx: A64Context, bad: Temp, fast: () => void, slow: () => void): void {
  const b = ctx.b;
  const slowPath = b.label();
  const done = b.label();
  b.brcond(bad, slowPath);
  fast();
  b.br(done);
  b.place(slowPath);
  slow();
  b.place(done);
}

/** Runs `effect` only when `cond` (i32) is set. */
export function when(ctx: A64Context, cond: Temp, effect: () => void): void {
  const b = ctx.b;
  const skip = b.label();
  b.brcond(b.compare('eq', cond, b.i32(0)), skip);
  effect();
  b.place(skip);
}

/** Shuffle selectors from a function of the output byte index (0..15; 16..31 pick the second operand). */
export function selectors(pick: (byte: number) => number): Uint8Array {
  return Uint8Array.from({ length: 16 }, (_, i) => pick(i));
}

/** Element `index` of size 2^sizeLog bytes of v, as i32 (up to 32 bits) or i64. */
export function extractElem(ctx: A64Context, v: Temp, sizeLog: number, index: number, signed = false): Temp {
  const b = ctx.b;
  switch (sizeLog) {
    case 0:
      return b.vop(signed ? 'i8x16.extract_lane_s' : 'i8x16.extract_lane_u', [v], index);
    case 1:
      return b.vop(signed ? 'i16x8.extract_lane_s' : 'i16x8.extract_lane_u', [v], index);
    case 2:
      return b.vop('i32x4.extract_lane', [v], index);
    default:
      return b.vop('i64x2.extract_lane', [v], index);
  }
}

/** v with element `index` replaced by `value` (i32 for sizes up to 32 bits, i64 for 64). */
export function insertElem(ctx: A64Context, v: Temp, sizeLog: number, index: number, value: Temp): Temp {
  return ctx.b.vop(`${INT_SHAPE[sizeLog]}.replace_lane`, [v, value], index);
}
