/**
 * NEON's shifts by register (VSHL, VQSHL, VRSHL, VQRSHL, three registers of the same length) as
 * scalar IR per lane: wasm SIMD shifts every lane by one amount, and
 * these shift each Vm lane by the signed low byte of its Vn lane (left when positive, right when
 * negative, rounding for VRSHL/VQRSHL, saturating for VQSHL/VQRSHL). A lane of up to 32 bits is
 * computed in 64 bits, where shifted left by up to its size (read unsigned for unsigned lanes), or
 * right with the rounding bit, it cannot overflow; a 64-bit lane checks what its shifts lose.
 */
import type { Temp } from '../../ir/block';
import type { IRBuilder } from '../../ir/builder';
import { SHAPES } from './neon-simd';

/** The options of the four forms. */
export interface RegisterShift {
  unsigned: boolean;
  round: boolean;
  saturating: boolean;
}

/** One lane of up to 32 bits (`v`, extended to i64) shifted by `s` (i32, -128..127). */
function shiftNarrowLane(b: IRBuilder, esize: number, form: RegisterShift, v: Temp, s: Temp): { r: Temp; saturated?: Temp } {
  // Left: a shift by esize or more loses every bit, as a shift by esize does.
  const left = b.shl(v, b.sext(b.select(b.compare('lt_s', s, b.i32(esize)), s, b.i32(esize))));
  // Right by n = -s: beyond 40 only the sign (and no rounding bit) is left, as at 40.
  const n = b.sext(b.select(b.compare('lt_s', s, b.i32(-40)), b.i32(40), b.sub(b.i32(0), s)));
  let right = b.shrS(v, n);
  if (form.round) right = b.add(right, b.and(b.shrS(v, b.sub(n, b.i64(1n))), b.i64(1n)));
  const r = b.select(b.compare('ge_s', s, b.i32(0)), left, right);
  if (!form.saturating) return { r };
  const [lo, hi] = form.unsigned ? [0n, (1n << BigInt(esize)) - 1n] : [-(1n << BigInt(esize - 1)), (1n << BigInt(esize - 1)) - 1n];
  // Unsigned, 2^32 - 1 shifted left by 32 is below 2^64: compare it unsigned.
  const above = b.compare(form.unsigned ? 'gt_u' : 'gt_s', r, b.i64(hi));
  const below = form.unsigned ? b.i32(0) : b.compare('lt_s', r, b.i64(lo));
  return { r: b.select(above, b.i64(hi), b.select(below, b.i64(lo), r)), saturated: b.or(above, below) };
}

/**
 * One 64-bit lane `v` shifted by `s` (i32, -128..127), where wasm's i64 shifts take their amount
 * modulo 64: a shift left by 64 or more gives 0 (and saturates unless the lane is 0), right by 64
 * or more the sign (unsigned: 0), and the rounding bit of a shift right by n is bit n - 1 (the sign
 * beyond, unsigned 0).
 */
function shiftWideLane(b: IRBuilder, form: RegisterShift, v: Temp, s: Temp): { r: Temp; saturated?: Temp } {
  const zero = b.i64(0n);
  const shr = (value: Temp, by: Temp): Temp => (form.unsigned ? b.shrU(value, b.sext(by)) : b.shrS(value, b.sext(by)));
  /** `v` shifted right by `by` (at least 0), as if the shift were not taken modulo 64. */
  const shrFar = (by: Temp): Temp => {
    const beyond = b.compare('gt_s', by, b.i32(63));
    return form.unsigned ? b.select(beyond, zero, shr(v, by)) : shr(v, b.select(beyond, b.i32(63), by));
  };
  const n = b.sub(b.i32(0), s);
  let right = shrFar(n);
  if (form.round) right = b.add(right, b.and(shrFar(b.sub(n, b.i32(1))), b.i64(1n)));
  const isLeft = b.compare('ge_s', s, b.i32(0));
  const shifted = b.select(b.compare('gt_s', s, b.i32(63)), zero, b.shl(v, b.sext(s)));
  if (!form.saturating) return { r: b.select(isLeft, shifted, right) };
  // Bits were lost where shifting back does not give the lane (a lane shifted out whole gives 0).
  const lost = b.compare('ne', shr(shifted, s), v);
  const bound = form.unsigned ? b.i64(-1n) : b.select(b.compare('lt_s', v, zero), b.i64(-(1n << 63n)), b.i64((1n << 63n) - 1n));
  return { r: b.select(isLeft, b.select(lost, bound, shifted), right), saturated: b.and(isLeft, lost) };
}

/** The lanes of `x` (shift amounts) and `y` (values): the shifted vector and, when saturating, an i32 non-zero if a lane saturated. */
export function shiftByRegister(
  b: IRBuilder,
  size: number,
  lanes: number,
  form: RegisterShift,
  x: Temp,
  y: Temp,
): { value: Temp; saturated?: Temp } {
  const shape = SHAPES[size];
  const laneOf = size >= 2 ? `${shape}.extract_lane` : `${shape}.extract_lane_${form.unsigned ? 'u' : 's'}`;
  let value = b.v128(new Uint8Array(16));
  let saturated: Temp | undefined;
  for (let i = 0; i < lanes; i++) {
    const lane = b.vop(laneOf, [y], i);
    const s = b.vop('i8x16.extract_lane_s', [x], i << size);
    const out =
      size === 3 ? shiftWideLane(b, form, lane, s) : shiftNarrowLane(b, 8 << size, form, form.unsigned ? b.zext(lane) : b.sext(lane), s);
    if (out.saturated) saturated = saturated ? b.or(saturated, out.saturated) : out.saturated;
    value = b.vop(`${shape}.replace_lane`, [value, size === 3 ? out.r : b.wrap(out.r)], i);
  }
  return { value, saturated };
}
