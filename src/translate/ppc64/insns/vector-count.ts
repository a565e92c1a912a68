/**
 * Per-element bit counts (Power ISA 3.0 Book I 6.9.2 and 6.16): vpopcnt{b,h,w,d}, vclz{b,h,w,d}
 * (ISA 2.07), vctz{b,h,w,d} and the parities vprtyb{w,d,q} (ISA 3.0).
 *
 * wasm has a population count of bytes only; wider counts add neighbouring byte counts up to the
 * element size (element order does not matter, no count crosses an element). A leading-zero count
 * is the element width minus the population count of the element with its highest set bit smeared
 * to the right; a trailing-zero count is the population count of the zeros below the lowest set
 * bit, ~x & (x - 1).
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { bits, vxSelected } from './forms';

type Size = 1 | 2 | 4 | 8;
const SHAPE: Record<Size, string> = { 1: 'i8x16', 2: 'i16x8', 4: 'i32x4', 8: 'i64x2' };

/** Per-byte counts (each at most 8) summed over each `size`-byte element. */
function sumBytes(ctx: PpcContext, byteCounts: Temp, size: Size): Temp {
  const b = ctx.b;
  let v = byteCounts;
  if (size >= 2) v = b.vop('i16x8.extadd_pairwise_i8x16_u', [v]);
  if (size >= 4) v = b.vop('i32x4.extadd_pairwise_i16x8_u', [v]);
  if (size === 8) {
    const low = b.vop('v128.and', [v, b.vop('i64x2.splat', [b.i64(0xffffffff)])]);
    v = b.vop('i64x2.add', [low, b.vop('i64x2.shr_u', [v, b.i32(32)])]);
  }
  return v;
}

const popcountOf = (ctx: PpcContext, v: Temp, size: Size): Temp =>
  sumBytes(ctx, ctx.b.vop('i8x16.popcnt', [v]), size);

const popcount =
  (size: Size): PpcHandler =>
  (ctx, f) => (ctx.setV(f.vrt, popcountOf(ctx, ctx.v(f.vrb), size)), true);

const leadingZeros =
  (size: Size): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const shape = SHAPE[size];
    let v = ctx.v(f.vrb);
    for (let shift = 1; shift < size * 8; shift *= 2) v = b.vop('v128.or', [v, b.vop(`${shape}.shr_u`, [v, b.i32(shift)])]);
    const width = size === 8 ? b.vop('i64x2.splat', [b.i64(64)]) : b.vop(`${shape}.splat`, [b.i32(size * 8)]);
    ctx.setV(f.vrt, b.vop(`${shape}.sub`, [width, popcountOf(ctx, v, size)]));
    return true;
  };

const trailingZeros =
  (size: Size): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const shape = SHAPE[size];
    const v = ctx.v(f.vrb);
    const one = size === 8 ? b.vop('i64x2.splat', [b.i64(1)]) : b.vop(`${shape}.splat`, [b.i32(1)]);
    const below = b.vop('v128.andnot', [b.vop(`${shape}.sub`, [v, one]), v]);
    ctx.setV(f.vrt, popcountOf(ctx, below, size));
    return true;
  };

/** vprtyb{w,d,q}: the parity of the least significant bits of the element's bytes, in its last bit. */
const parity =
  (size: 4 | 8 | 16): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const lsbs = b.vop('v128.and', [ctx.v(f.vrb), b.vop('i8x16.splat', [b.i32(1)])]);
    let sums = sumBytes(ctx, lsbs, size === 16 ? 8 : size);
    if (size === 16) {
      const total = b.add(b.vop('i64x2.extract_lane', [sums], 0), b.vop('i64x2.extract_lane', [sums], 1));
      sums = b.vop('i64x2.replace_lane', [b.vop('i64x2.splat', [b.i64(0)]), total], 0);
    }
    const one = size === 4 ? b.vop('i32x4.splat', [b.i32(1)]) : b.vop('i64x2.splat', [b.i64(1)]);
    ctx.setV(f.vrt, b.vop('v128.and', [sums, one]));
    return true;
  };

const VX_B = (xo: number): string => `000100 vrt:5 00000 vrb:5 ${bits(xo, 11)}`;

export const VECTOR_COUNT_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  [VX_B(1795), 'vpopcntb', popcount(1)],
  [VX_B(1859), 'vpopcnth', popcount(2)],
  [VX_B(1923), 'vpopcntw', popcount(4)],
  [VX_B(1987), 'vpopcntd', popcount(8)],
  [VX_B(1794), 'vclzb', leadingZeros(1)],
  [VX_B(1858), 'vclzh', leadingZeros(2)],
  [VX_B(1922), 'vclzw', leadingZeros(4)],
  [VX_B(1986), 'vclzd', leadingZeros(8)],
  [vxSelected(28), 'vctzb', trailingZeros(1)],
  [vxSelected(29), 'vctzh', trailingZeros(2)],
  [vxSelected(30), 'vctzw', trailingZeros(4)],
  [vxSelected(31), 'vctzd', trailingZeros(8)],
  [vxSelected(8), 'vprtybw', parity(4)],
  [vxSelected(9), 'vprtybd', parity(8)],
  [vxSelected(10), 'vprtybq', parity(16)],
];
