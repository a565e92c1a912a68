/**
 * Vector integer arithmetic and compares (Power ISA 3.0 Book I 6.8-6.9): modular and saturating add
 * and subtract, minimum, maximum and average, even/odd and modular multiplies, multiply-sum and
 * multiply-add, modular packs and signed unpacks, element shifts by per-element amounts, and the
 * compares vcmpequ*, vcmpgt{u,s}*, vcmpne* with their record forms (CR6 = all true || 0 || none
 * true || 0).
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { shuffleOfElements } from '../lanes';
import { bits } from './forms';

type Shape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2';
const LANES: Record<Shape, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2 };

/**
 * Element shifts and rotates (vsl*, vsr*, vsra*, vrl*): each element by the low bits of the same
 * element of VRB. wasm shifts take one amount for all lanes, so the lanes are shifted one by one.
 */
function narrowOp(ctx: PpcContext, op: 'shl' | 'shr_u' | 'shr_s' | 'rotl', width: number, value: Temp, count: Temp): Temp {
  const b = ctx.b;
  if (op !== 'rotl' || width >= 32) return b.binary(op, value, count);
  // A byte or halfword rotate from the zero-extended lane; replace_lane drops the bits above it.
  return b.or(b.shl(value, count), b.binary('shr_u', value, b.sub(b.imm(count, width), count)));
}
const shiftEach =
  (shape: Shape, op: 'shl' | 'shr_u' | 'shr_s' | 'rotl'): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const a = ctx.v(f.vra);
    const amounts = ctx.v(f.vrb);
    const wide = shape === 'i64x2';
    const extract = shape === 'i8x16' || shape === 'i16x8' ? `${shape}.extract_lane_u` : `${shape}.extract_lane`;
    let r = a;
    for (let lane = 0; lane < LANES[shape]; lane++) {
      let value = b.vop(extract, [a], lane);
      const n = b.vop(extract, [amounts], lane);
      if (shape === 'i8x16' && op === 'shr_s') value = b.unary('sext8', value);
      if (shape === 'i16x8' && op === 'shr_s') value = b.unary('sext16', value);
      const width = wide ? 64 : (16 / LANES[shape]) * 8;
      const count = b.and(n, b.imm(n, width - 1));
      r = b.vop(`${shape}.replace_lane`, [r, narrowOp(ctx, op, width, value, count)], lane);
    }
    ctx.setV(f.vrt, r);
    return true;
  };

/** vpku{h,w,d}um: the low halves of the elements of VRA then VRB, modulo. */
const packModulo =
  (size: 2 | 4 | 8): PpcHandler =>
  (ctx, f) => {
    const half = size / 2;
    const elements: number[] = [];
    for (let k = 0; k < 16 / half; k++) {
      const base = k < 16 / size ? 0 : 16;
      const e = k % (16 / size);
      for (let i = 0; i < half; i++) elements.push(base + e * size + half + i);
    }
    ctx.setV(f.vrt, ctx.b.vop('i8x16.shuffle', [ctx.v(f.vra), ctx.v(f.vrb)], shuffleOfElements(elements)));
    return true;
  };

/**
 * Unpacks: the high elements (PowerPC elements 0..n/2-1) are wasm's high half, so vupkh* is
 * extend_high and vupkl* extend_low.
 */
const unary =
  (name: string): PpcHandler =>
  (ctx, f) => (ctx.setV(f.vrt, ctx.b.vop(name, [ctx.v(f.vrb)])), true);

/**
 * vpopcnt{b,h,w,d}: set bits per element, as byte counts summed pairwise up to the element size
 * (element order does not matter, no count crosses an element).
 */
const popcount =
  (size: 1 | 2 | 4 | 8): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    let v = b.vop('i8x16.popcnt', [ctx.v(f.vrb)]);
    if (size >= 2) v = b.vop('i16x8.extadd_pairwise_i8x16_u', [v]);
    if (size >= 4) v = b.vop('i32x4.extadd_pairwise_i16x8_u', [v]);
    if (size === 8) {
      const low = b.vop('v128.and', [v, b.vop('i64x2.splat', [b.i64(0xffffffff)])]);
      v = b.vop('i64x2.add', [low, b.vop('i64x2.shr_u', [v, b.i32(32)])]);
    }
    ctx.setV(f.vrt, v);
    return true;
  };

/**
 * Even/odd multiplies of halfwords and words into double-width products: PowerPC's even element
 * 2i is the high half of wasm's double-width lane, the odd one its low half.
 */
const mulEvenOdd =
  (narrow: 'i16x8' | 'i32x4', even: boolean, signed: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const wide = narrow === 'i16x8' ? 'i32x4' : 'i64x2';
    const shift = narrow === 'i16x8' ? 16 : 32;
    const part = (v: Temp): Temp => {
      const amount = b.i32(shift);
      if (even) return b.vop(`${wide}.${signed ? 'shr_s' : 'shr_u'}`, [v, amount]);
      const up = b.vop(`${wide}.shl`, [v, amount]);
      return b.vop(`${wide}.${signed ? 'shr_s' : 'shr_u'}`, [up, amount]);
    };
    ctx.setV(f.vrt, b.vop(`${wide}.mul`, [part(ctx.v(f.vra)), part(ctx.v(f.vrb))]));
    return true;
  };

/** vmladduhm: (a * b + c) modulo 2^16 per halfword. */
const vmladduhm: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  ctx.setV(f.vrt, b.vop('i16x8.add', [b.vop('i16x8.mul', [ctx.v(f.vra), ctx.v(f.vrb)]), ctx.v(f.vrc)]));
  return true;
};

/** vmsumubm: word i = VRC word i + the four unsigned byte products of that word, modulo 2^32. */
const vmsumubm: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const a = ctx.v(f.vra);
  const c = ctx.v(f.vrb);
  const pairs = (which: 'low' | 'high'): Temp =>
    b.vop('i32x4.extadd_pairwise_i16x8_u', [b.vop(`i16x8.extmul_${which}_i8x16_u`, [a, c])]);
  const low = pairs('low');
  const high = pairs('high');
  // Lanes [p01 p23 p45 p67] and [p89 ...]: add neighbours across the two vectors.
  const words = (first: number): Uint8Array =>
    Uint8Array.from([0, 1, 2, 3].flatMap((w) => [0, 1, 2, 3].map((i) => (2 * w + first) * 4 + i)));
  const evens = b.vop('i8x16.shuffle', [low, high], words(0));
  const odds = b.vop('i8x16.shuffle', [low, high], words(1));
  ctx.setV(f.vrt, b.vop('i32x4.add', [b.vop('i32x4.add', [evens, odds]), ctx.v(f.vrc)]));
  return true;
};

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

const VA = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 vrc:5 ${bits(xo, 6)}`;
const VX_B = (xo: number): string => `000100 vrt:5 00000 vrb:5 ${bits(xo, 11)}`;

/** [mnemonic, VX opcode, shape, shift] of the element shifts. */
const SHIFTS: readonly [string, number, Shape, 'shl' | 'shr_u' | 'shr_s' | 'rotl'][] = [
  ['vrlb', 4, 'i8x16', 'rotl'],
  ['vrlh', 68, 'i16x8', 'rotl'],
  ['vrlw', 132, 'i32x4', 'rotl'],
  ['vrld', 196, 'i64x2', 'rotl'],
  ['vslb', 260, 'i8x16', 'shl'],
  ['vslh', 324, 'i16x8', 'shl'],
  ['vslw', 388, 'i32x4', 'shl'],
  ['vsld', 1476, 'i64x2', 'shl'],
  ['vsrb', 516, 'i8x16', 'shr_u'],
  ['vsrh', 580, 'i16x8', 'shr_u'],
  ['vsrw', 644, 'i32x4', 'shr_u'],
  ['vsrd', 1732, 'i64x2', 'shr_u'],
  ['vsrab', 772, 'i8x16', 'shr_s'],
  ['vsrah', 836, 'i16x8', 'shr_s'],
  ['vsraw', 900, 'i32x4', 'shr_s'],
  ['vsrad', 964, 'i64x2', 'shr_s'],
];

export const VECTOR_INT_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  ...SHIFTS.map(([name, xo, shape, op]) => [VX(xo), name, shiftEach(shape, op)] as const),
  [VX(14), 'vpkuhum', packModulo(2)],
  [VX(78), 'vpkuwum', packModulo(4)],
  [VX(1102), 'vpkudum', packModulo(8)],
  [VX_B(526), 'vupkhsb', unary('i16x8.extend_high_i8x16_s')],
  [VX_B(654), 'vupklsb', unary('i16x8.extend_low_i8x16_s')],
  [VX_B(590), 'vupkhsh', unary('i32x4.extend_high_i16x8_s')],
  [VX_B(718), 'vupklsh', unary('i32x4.extend_low_i16x8_s')],
  [VX_B(1614), 'vupkhsw', unary('i64x2.extend_high_i32x4_s')],
  [VX_B(1742), 'vupklsw', unary('i64x2.extend_low_i32x4_s')],
  [VX_B(1795), 'vpopcntb', popcount(1)],
  [VX_B(1859), 'vpopcnth', popcount(2)],
  [VX_B(1923), 'vpopcntw', popcount(4)],
  [VX_B(1987), 'vpopcntd', popcount(8)],
  [VX(584), 'vmuleuh', mulEvenOdd('i16x8', true, false)],
  [VX(840), 'vmulesh', mulEvenOdd('i16x8', true, true)],
  [VX(72), 'vmulouh', mulEvenOdd('i16x8', false, false)],
  [VX(328), 'vmulosh', mulEvenOdd('i16x8', false, true)],
  [VX(648), 'vmuleuw', mulEvenOdd('i32x4', true, false)],
  [VX(904), 'vmulesw', mulEvenOdd('i32x4', true, true)],
  [VX(136), 'vmulouw', mulEvenOdd('i32x4', false, false)],
  [VX(392), 'vmulosw', mulEvenOdd('i32x4', false, true)],
  [VA(34), 'vmladduhm', vmladduhm],
  [VA(36), 'vmsumubm', vmsumubm],
  ...BINARY.map(([name, xo, op]) => [VX(xo), name, binary(op)] as const),
  ...COMPARES.map(([name, xo, op]) => [VC(xo), name, compare(op)] as const),
  [VC(7), 'vcmpneb', compare('i8x16.eq', true)],
  [VC(71), 'vcmpneh', compare('i16x8.eq', true)],
  [VC(135), 'vcmpnew', compare('i32x4.eq', true)],
];
