/**
 * Lane operations composed from wasm SIMD where A64 has an instruction wasm lacks as one opcode
 * (8-bit multiply, unsigned 64-bit compares, absolute difference, pairwise de-interleave), shared by
 * the three-same, two-register, indexed-element and across-lanes emitters.
 */
import type { Temp } from '../../ir/block';
import type { A64Context } from '../context';
import { INT_SHAPE, laneConst, selectors, writeVec } from './simd-common';

/** Lane-wise a * b (low half of the product) for element size 2^size bytes. */
export function intMul(ctx: A64Context, size: number, a: Temp, b: Temp): Temp {
  if (size > 0) return ctx.b.vop(`${INT_SHAPE[size]}.mul`, [a, b]);
  // Bytes: widen to 16-bit products, keep the low byte of each.
  const lo = ctx.b.vop('i16x8.extmul_low_i8x16_u', [a, b]);
  const hi = ctx.b.vop('i16x8.extmul_high_i8x16_u', [a, b]);
  return ctx.b.vop('i8x16.shuffle', [lo, hi], selectors((i) => 2 * i));
}

/** Unsigned lane compare gt/ge; 64-bit lanes flip the sign bits and compare signed. */
export function unsignedCompare(ctx: A64Context, size: number, op: 'gt' | 'ge', a: Temp, b: Temp): Temp {
  if (size < 3) return ctx.b.vop(`${INT_SHAPE[size]}.${op}_u`, [a, b]);
  const flip = laneConst(ctx, 8, 1n << 63n);
  const fa = ctx.b.vop('v128.xor', [a, flip]);
  const fb = ctx.b.vop('v128.xor', [b, flip]);
  return ctx.b.vop(`i64x2.${op}_s`, [fa, fb]);
}

/** |a - b| lane-wise (sizes up to 32 bits), signed or unsigned. */
export function absDiff(ctx: A64Context, size: number, signed: boolean, a: Temp, b: Temp): Temp {
  const s = INT_SHAPE[size];
  const sfx = signed ? 's' : 'u';
  return ctx.b.vop(`${s}.sub`, [ctx.b.vop(`${s}.max_${sfx}`, [a, b]), ctx.b.vop(`${s}.min_${sfx}`, [a, b])]);
}

/**
 * The even and odd elements of the concatenation a:b, each packed into the low lanes, for pairwise
 * operations. With q = 0 only the low 64 bits of a and b take part (the result fills 64 bits).
 */
export function pairSplit(ctx: A64Context, sizeLog: number, q: number, a: Temp, b: Temp): [Temp, Temp] {
  const e = 1 << sizeLog;
  const half = q ? 16 : 8;
  const source = (elem: number, byte: number): number => {
    const at = elem * e + byte;
    return at < half ? at : 16 + at - half;
  };
  const pick = (odd: number): Uint8Array =>
    selectors((i) => source((2 * Math.floor(i / e) + odd) % ((2 * half) / e), i % e));
  return [ctx.b.vop('i8x16.shuffle', [a, b], pick(0)), ctx.b.vop('i8x16.shuffle', [a, b], pick(1))];
}

/** Writes a narrowed result held in the low 64 bits: to Vd's low half (Q = 0) or high half (Q = 1). */
export function writeNarrow(ctx: A64Context, d: number, q: number, narrowed: Temp): void {
  if (!q) return writeVec(ctx, d, narrowed, 0);
  ctx.setV(d, ctx.b.vop('i8x16.shuffle', [ctx.v(d), narrowed], selectors((i) => (i < 8 ? i : 8 + i))));
}

/** The low halves of each 2^(size+1)-byte element of v, packed into the low 64 bits. */
export function truncateNarrow(ctx: A64Context, v: Temp, size: number): Temp {
  const e = 1 << size;
  return ctx.b.vop('i8x16.shuffle', [v, v], selectors((i) => (Math.floor(i / e) * 2 * e + (i % e)) % 16));
}
