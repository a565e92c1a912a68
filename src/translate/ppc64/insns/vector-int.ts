/**
 * Vector integer arithmetic and compares (Power ISA 3.0 Book I 6.9.1-6.9.4): modular add and
 * subtract, minimum and maximum, element shifts by a splatted amount where the ISA's per-element
 * amounts are equal, and the compares vcmpequ*, vcmpgt{u,s}* with their record forms (CR6 =
 * all true || 0 || none true || 0).
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { bits } from './forms';

const binary =
  (name: string): PpcHandler =>
  (ctx, f) => (ctx.setV(f.vrt, ctx.b.vop(name, [ctx.v(f.vra), ctx.v(f.vrb)])), true);

/** vcmp*: the lane mask, and CR6 when Rc. */
const compare =
  (name: string, invert = false): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    let mask: Temp = b.vop(name, [ctx.v(f.vra), ctx.v(f.vrb)]);
    if (invert) mask = b.vop('v128.not', [mask]);
    ctx.setV(f.vrt, mask);
    if (f.rc) {
      const all = b.vop('i8x16.all_true', [mask]);
      const none = b.xor(b.vop('v128.any_true', [mask]), b.i32(1));
      ctx.setCr(6, b.or(b.shl(all, b.i32(3)), b.shl(none, b.i32(1))));
    }
    return true;
  };

const VX = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 ${bits(xo, 11)}`;
const VC = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 rc:1 ${bits(xo, 10)}`;

/** [mnemonic, VX opcode, wasm op] of the element-wise binary operations. */
const BINARY: readonly [string, number, string][] = [
  ['vaddubm', 0, 'i8x16.add'],
  ['vadduhm', 64, 'i16x8.add'],
  ['vadduwm', 128, 'i32x4.add'],
  ['vaddudm', 192, 'i64x2.add'],
  ['vsububm', 1024, 'i8x16.sub'],
  ['vsubuhm', 1088, 'i16x8.sub'],
  ['vsubuwm', 1152, 'i32x4.sub'],
  ['vsubudm', 1216, 'i64x2.sub'],
  ['vaddubs', 512, 'i8x16.add_sat_u'],
  ['vaddsbs', 768, 'i8x16.add_sat_s'],
  ['vadduhs', 576, 'i16x8.add_sat_u'],
  ['vaddshs', 832, 'i16x8.add_sat_s'],
  ['vsububs', 1536, 'i8x16.sub_sat_u'],
  ['vsubsbs', 1792, 'i8x16.sub_sat_s'],
  ['vsubuhs', 1600, 'i16x8.sub_sat_u'],
  ['vsubshs', 1856, 'i16x8.sub_sat_s'],
  ['vmaxub', 2, 'i8x16.max_u'],
  ['vmaxsb', 258, 'i8x16.max_s'],
  ['vmaxuh', 66, 'i16x8.max_u'],
  ['vmaxsh', 322, 'i16x8.max_s'],
  ['vmaxuw', 130, 'i32x4.max_u'],
  ['vmaxsw', 386, 'i32x4.max_s'],
  ['vminub', 514, 'i8x16.min_u'],
  ['vminsb', 770, 'i8x16.min_s'],
  ['vminuh', 578, 'i16x8.min_u'],
  ['vminsh', 834, 'i16x8.min_s'],
  ['vminuw', 642, 'i32x4.min_u'],
  ['vminsw', 898, 'i32x4.min_s'],
  ['vavgub', 1026, 'i8x16.avgr_u'],
  ['vavguh', 1090, 'i16x8.avgr_u'],
  ['vmuluwm', 137, 'i32x4.mul'],
];

/** [mnemonic, VC opcode, wasm op] of the compares. */
const COMPARES: readonly [string, number, string][] = [
  ['vcmpequb', 6, 'i8x16.eq'],
  ['vcmpequh', 70, 'i16x8.eq'],
  ['vcmpequw', 134, 'i32x4.eq'],
  ['vcmpequd', 199, 'i64x2.eq'],
  ['vcmpgtub', 518, 'i8x16.gt_u'],
  ['vcmpgtuh', 582, 'i16x8.gt_u'],
  ['vcmpgtuw', 646, 'i32x4.gt_u'],
  ['vcmpgtsb', 774, 'i8x16.gt_s'],
  ['vcmpgtsh', 838, 'i16x8.gt_s'],
  ['vcmpgtsw', 902, 'i32x4.gt_s'],
  ['vcmpgtsd', 967, 'i64x2.gt_s'],
];

export const VECTOR_INT_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  ...BINARY.map(([name, xo, op]) => [VX(xo), name, binary(op)] as const),
  ...COMPARES.map(([name, xo, op]) => [VC(xo), name, compare(op)] as const),
  [VC(7), 'vcmpneb', compare('i8x16.eq', true)],
  [VC(71), 'vcmpneh', compare('i16x8.eq', true)],
  [VC(135), 'vcmpnew', compare('i32x4.eq', true)],
];
