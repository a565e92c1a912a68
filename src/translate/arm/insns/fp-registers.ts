/**
 * Access to the VFP register file, whose state slots are always used as i64 doublewords: a single
 * register is one half of a D register, read by shifting and written by merging, so S and D views
 * of the same bytes never give a state slot two types.
 */
import type { Temp } from '../../ir/block';
import type { ArmContext } from '../context';
import { dreg } from '../state';

/** Dn as its 64 bits (i64). */
export function getD(ctx: ArmContext, n: number): Temp {
  return ctx.b.get(dreg(n), 'i64');
}
export function setD(ctx: ArmContext, n: number, bits: Temp): void {
  ctx.b.set(dreg(n), bits);
}

/** Sn as its 32 bits (i32): the low (even n) or high (odd n) word of D(n/2). */
export function getS(ctx: ArmContext, n: number): Temp {
  const b = ctx.b;
  const d = getD(ctx, n >> 1);
  return b.wrap(n & 1 ? b.shrU(d, b.i64(32)) : d);
}
export function setS(ctx: ArmContext, n: number, bits: Temp): void {
  const b = ctx.b;
  const d = getD(ctx, n >> 1);
  const word = b.zext(bits);
  const merged = n & 1
    ? b.or(b.and(d, b.i64(0xffffffffn)), b.shl(word, b.i64(32)))
    : b.or(b.and(d, b.i64(0xffffffff00000000n)), word);
  setD(ctx, n >> 1, merged);
}

/** An FP register of precision `double` as f64, or as f32. */
export function getFp(ctx: ArmContext, double: boolean, n: number): Temp {
  const b = ctx.b;
  return double ? b.convert('reinterpret', 'f64', getD(ctx, n)) : b.convert('reinterpret', 'f32', getS(ctx, n));
}
export function setFp(ctx: ArmContext, n: number, value: Temp): void {
  const b = ctx.b;
  if (value.type === 'f64') setD(ctx, n, b.convert('reinterpret', 'i64', value));
  else setS(ctx, n, b.convert('reinterpret', 'i32', value));
}
