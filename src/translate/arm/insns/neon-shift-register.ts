/**
 * NEON's shifts by register (VSHL, VQSHL, VRSHL, VQRSHL, three registers of the same length) for
 * 8-, 16- and 32-bit lanes as scalar IR per lane: wasm SIMD shifts every lane by one amount, and
 * these shift each Vm lane by the signed low byte of its Vn lane (left when positive, right when
 * negative, rounding for VRSHL/VQRSHL, saturating for VQSHL/VQRSHL). Each lane is computed in 64
 * bits, where a lane of up to 32 bits shifted left by up to its size (read unsigned for unsigned
 * lanes), or right with the rounding bit, cannot overflow; 64-bit lanes stay with the exact helper.
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
  const esize = 8 << size;
  const laneOf = size === 2 ? 'i32x4.extract_lane' : `${shape}.extract_lane_${form.unsigned ? 'u' : 's'}`;
  const [lo, hi] = form.unsigned ? [0n, (1n << BigInt(esize)) - 1n] : [-(1n << BigInt(esize - 1)), (1n << BigInt(esize - 1)) - 1n];
  let value = b.v128(new Uint8Array(16));
  let saturated: Temp | undefined;
  for (let i = 0; i < lanes; i++) {
    const lane = b.vop(laneOf, [y], i);
    const v = form.unsigned ? b.zext(lane) : b.sext(lane);
    const s = b.vop('i8x16.extract_lane_s', [x], i << size);
    // Left: a shift by esize or more loses every bit, as a shift by esize does.
    const left = b.shl(v, b.sext(b.select(b.compare('lt_s', s, b.i32(esize)), s, b.i32(esize))));
    // Right by n = -s: beyond 40 only the sign (and no rounding bit) is left, as at 40.
    const n = b.sext(b.select(b.compare('lt_s', s, b.i32(-40)), b.i32(40), b.sub(b.i32(0), s)));
    let right = b.shrS(v, n);
    if (form.round) right = b.add(right, b.and(b.shrS(v, b.sub(n, b.i64(1n))), b.i64(1n)));
    let r = b.select(b.compare('ge_s', s, b.i32(0)), left, right);
    if (form.saturating) {
      // Unsigned, 2^32 - 1 shifted left by 32 is below 2^64: compare it unsigned.
      const above = b.compare(form.unsigned ? 'gt_u' : 'gt_s', r, b.i64(hi));
      const below = form.unsigned ? b.i32(0) : b.compare('lt_s', r, b.i64(lo));
      r = b.select(above, b.i64(hi), b.select(below, b.i64(lo), r));
      const any = b.or(above, below);
      saturated = saturated ? b.or(saturated, any) : any;
    }
    value = b.vop(`${shape}.replace_lane`, [value, b.wrap(r)], i);
  }
  return { value, saturated };
}
