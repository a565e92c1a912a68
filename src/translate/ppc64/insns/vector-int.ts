/**
 * Vector integer arithmetic and compares (Power ISA 3.0 Book I 6.8-6.9): modular add and subtract
 * (the saturating ones are in vector-saturate.ts), minimum, maximum (doublewords too), averages and
 * absolute differences, negation and sign extension, even/odd and modular multiplies, multiply-sums and multiply-add, modular packs and
 * signed unpacks, element shifts by per-element amounts, and the compares vcmpequ*, vcmpgt{u,s}*,
 * vcmpne*, vcmpnez* with their record forms (CR6 = all true || 0 || none true || 0).
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { shuffleOfElements } from '../lanes';
import { bits, vxSelected } from './forms';

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
 * Even/odd multiplies of bytes, halfwords and words into double-width products: PowerPC's even
 * element 2i is the high half of wasm's double-width lane, the odd one its low half.
 */
const WIDER = { i8x16: 'i16x8', i16x8: 'i32x4', i32x4: 'i64x2' } as const;
const mulEvenOdd =
  (narrow: 'i8x16' | 'i16x8' | 'i32x4', even: boolean, signed: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const wide = WIDER[narrow];
    const shift = 128 / LANES[narrow];
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

/**
 * Multiply-sums: word i = VRC word i + the products of the narrower elements of VRA and VRB in that
 * word, modulo 2^32. `partial` gives, for the low and the high half of the register, four words of
 * partial sums whose neighbours (across the two results) add up to the words of the result.
 */
type PartialSums = (ctx: PpcContext, a: Temp, c: Temp, half: 'low' | 'high') => Temp;
const multiplySum =
  (partial: PartialSums): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [a, c] = [ctx.v(f.vra), ctx.v(f.vrb)];
    const low = partial(ctx, a, c, 'low');
    const high = partial(ctx, a, c, 'high');
    // Lanes [s0 s1 s2 s3] and [s4 ...]: add neighbours across the two vectors.
    const words = (first: number): Uint8Array =>
      Uint8Array.from([0, 1, 2, 3].flatMap((w) => [0, 1, 2, 3].map((i) => (2 * w + first) * 4 + i)));
    const evens = b.vop('i8x16.shuffle', [low, high], words(0));
    const odds = b.vop('i8x16.shuffle', [low, high], words(1));
    ctx.setV(f.vrt, b.vop('i32x4.add', [b.vop('i32x4.add', [evens, odds]), ctx.v(f.vrc)]));
    return true;
  };
/** vmsumubm: unsigned byte products, summed in pairs. */
const unsignedBytes: PartialSums = (ctx, a, c, half) =>
  ctx.b.vop('i32x4.extadd_pairwise_i16x8_u', [ctx.b.vop(`i16x8.extmul_${half}_i8x16_u`, [a, c])]);
/** vmsummbm: signed bytes of VRA times unsigned bytes of VRB (the product fits a signed halfword). */
const mixedBytes: PartialSums = (ctx, a, c, half) => {
  const b = ctx.b;
  const product = b.vop('i16x8.mul', [b.vop(`i16x8.extend_${half}_i8x16_s`, [a]), b.vop(`i16x8.extend_${half}_i8x16_u`, [c])]);
  return b.vop('i32x4.extadd_pairwise_i16x8_s', [product]);
};
/** vmsumuhm: unsigned halfword products. */
const unsignedHalfwords: PartialSums = (ctx, a, c, half) => ctx.b.vop(`i32x4.extmul_${half}_i16x8_u`, [a, c]);

/** vmsumshm: signed halfword products, which is wasm's dot product. */
const vmsumshm: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  ctx.setV(f.vrt, b.vop('i32x4.add', [b.vop('i32x4.dot_i16x8_s', [ctx.v(f.vra), ctx.v(f.vrb)]), ctx.v(f.vrc)]));
  return true;
};

/** Unsigned compares of doublewords (wasm has signed ones only): both sides with the sign bit flipped. */
function flipSign(ctx: PpcContext, v: Temp): Temp {
  return ctx.b.vop('v128.xor', [v, ctx.b.vop('i64x2.splat', [ctx.b.i64(1n << 63n)])]);
}
const greaterU64 = (ctx: PpcContext, a: Temp, c: Temp): Temp =>
  ctx.b.vop('i64x2.gt_s', [flipSign(ctx, a), flipSign(ctx, c)]);
const greaterS64 = (ctx: PpcContext, a: Temp, c: Temp): Temp => ctx.b.vop('i64x2.gt_s', [a, c]);

/** vmax{u,s}d / vmin{u,s}d: the element the doubleword compare picks. */
const pick64 =
  (greater: (ctx: PpcContext, a: Temp, c: Temp) => Temp, max: boolean): PpcHandler =>
  (ctx, f) => {
    const [a, c] = [ctx.v(f.vra), ctx.v(f.vrb)];
    const [yes, no] = max ? [a, c] : [c, a];
    ctx.setV(f.vrt, ctx.b.vop('v128.bitselect', [yes, no, greater(ctx, a, c)]));
    return true;
  };

/**
 * vavgs{b,h,w}, vavguw: (a + b + 1) >> 1 without the carry out of the element, which is
 * (a | b) - ((a ^ b) >> 1) with the shift of the element's signedness.
 */
const average =
  (shape: 'i8x16' | 'i16x8' | 'i32x4', signed: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [a, c] = [ctx.v(f.vra), ctx.v(f.vrb)];
    const half = b.vop(`${shape}.${signed ? 'shr_s' : 'shr_u'}`, [b.vop('v128.xor', [a, c]), b.i32(1)]);
    ctx.setV(f.vrt, b.vop(`${shape}.sub`, [b.vop('v128.or', [a, c]), half]));
    return true;
  };

/** vabsdu{b,h,w}: |a - b| of unsigned elements, the larger minus the smaller. */
const absoluteDifference =
  (shape: 'i8x16' | 'i16x8' | 'i32x4'): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [a, c] = [ctx.v(f.vra), ctx.v(f.vrb)];
    ctx.setV(f.vrt, b.vop(`${shape}.sub`, [b.vop(`${shape}.max_u`, [a, c]), b.vop(`${shape}.min_u`, [a, c])]));
    return true;
  };

/** vexts{b,h,w}2{w,d}: each element sign-extended from its low `from` bits. */
const extendSign =
  (shape: 'i32x4' | 'i64x2', from: number): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const amount = b.i32((shape === 'i32x4' ? 32 : 64) - from);
    ctx.setV(f.vrt, b.vop(`${shape}.shr_s`, [b.vop(`${shape}.shl`, [ctx.v(f.vrb), amount]), amount]));
    return true;
  };

const binary =
  (name: string): PpcHandler =>
  (ctx, f) => (ctx.setV(f.vrt, ctx.b.vop(name, [ctx.v(f.vra), ctx.v(f.vrb)])), true);

/** vcmp*: the lane mask, and CR6 when Rc. */
type Mask = (ctx: PpcContext, a: Temp, c: Temp) => Temp;
const compareWith =
  (maskOf: Mask): PpcHandler =>
  (ctx, f) => {
    const mask = maskOf(ctx, ctx.v(f.vra), ctx.v(f.vrb));
    ctx.setV(f.vrt, mask);
    if (f.rc) setCr6OfMask(ctx, mask);
    return true;
  };

/** A vector compare's record form: CR6 = all lanes true || 0 || no lane true || 0. */
export function setCr6OfMask(ctx: PpcContext, mask: Temp): void {
  const b = ctx.b;
  const all = b.vop('i8x16.all_true', [mask]);
  const none = b.xor(b.vop('v128.any_true', [mask]), b.i32(1));
  ctx.setCr(6, b.or(b.shl(all, b.i32(3)), b.shl(none, b.i32(1))));
}
const compare = (name: string, invert = false): PpcHandler =>
  compareWith((ctx, a, c) => {
    const mask = ctx.b.vop(name, [a, c]);
    return invert ? ctx.b.vop('v128.not', [mask]) : mask;
  });
/** vcmpnez{b,h,w}: elements that differ or where either is zero. */
const notEqualOrZero = (shape: 'i8x16' | 'i16x8' | 'i32x4'): PpcHandler =>
  compareWith((ctx, a, c) => {
    const b = ctx.b;
    const zero = b.vop(`${shape}.splat`, [b.i32(0)]);
    const either = b.vop('v128.or', [b.vop(`${shape}.eq`, [a, zero]), b.vop(`${shape}.eq`, [c, zero])]);
    return b.vop('v128.or', [b.vop(`${shape}.ne`, [a, c]), either]);
  });

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
  [VX(584), 'vmuleuh', mulEvenOdd('i16x8', true, false)],
  [VX(840), 'vmulesh', mulEvenOdd('i16x8', true, true)],
  [VX(72), 'vmulouh', mulEvenOdd('i16x8', false, false)],
  [VX(328), 'vmulosh', mulEvenOdd('i16x8', false, true)],
  [VX(648), 'vmuleuw', mulEvenOdd('i32x4', true, false)],
  [VX(904), 'vmulesw', mulEvenOdd('i32x4', true, true)],
  [VX(136), 'vmulouw', mulEvenOdd('i32x4', false, false)],
  [VX(392), 'vmulosw', mulEvenOdd('i32x4', false, true)],
  [VX(520), 'vmuleub', mulEvenOdd('i8x16', true, false)],
  [VX(776), 'vmulesb', mulEvenOdd('i8x16', true, true)],
  [VX(8), 'vmuloub', mulEvenOdd('i8x16', false, false)],
  [VX(264), 'vmulosb', mulEvenOdd('i8x16', false, true)],
  [VA(34), 'vmladduhm', vmladduhm],
  [VA(36), 'vmsumubm', multiplySum(unsignedBytes)],
  [VA(37), 'vmsummbm', multiplySum(mixedBytes)],
  [VA(38), 'vmsumuhm', multiplySum(unsignedHalfwords)],
  [VA(40), 'vmsumshm', vmsumshm],
  [VX(194), 'vmaxud', pick64(greaterU64, true)],
  [VX(450), 'vmaxsd', pick64(greaterS64, true)],
  [VX(706), 'vminud', pick64(greaterU64, false)],
  [VX(962), 'vminsd', pick64(greaterS64, false)],
  [VX(1154), 'vavguw', average('i32x4', false)],
  [VX(1282), 'vavgsb', average('i8x16', true)],
  [VX(1346), 'vavgsh', average('i16x8', true)],
  [VX(1410), 'vavgsw', average('i32x4', true)],
  [VX(1027), 'vabsdub', absoluteDifference('i8x16')],
  [VX(1091), 'vabsduh', absoluteDifference('i16x8')],
  [VX(1155), 'vabsduw', absoluteDifference('i32x4')],
  [vxSelected(6), 'vnegw', unary('i32x4.neg')],
  [vxSelected(7), 'vnegd', unary('i64x2.neg')],
  [vxSelected(16), 'vextsb2w', extendSign('i32x4', 8)],
  [vxSelected(17), 'vextsh2w', extendSign('i32x4', 16)],
  [vxSelected(24), 'vextsb2d', extendSign('i64x2', 8)],
  [vxSelected(25), 'vextsh2d', extendSign('i64x2', 16)],
  [vxSelected(26), 'vextsw2d', extendSign('i64x2', 32)],
  ...BINARY.map(([name, xo, op]) => [VX(xo), name, binary(op)] as const),
  ...COMPARES.map(([name, xo, op]) => [VC(xo), name, compare(op)] as const),
  [VC(7), 'vcmpneb', compare('i8x16.eq', true)],
  [VC(71), 'vcmpneh', compare('i16x8.eq', true)],
  [VC(135), 'vcmpnew', compare('i32x4.eq', true)],
  [VC(711), 'vcmpgtud', compareWith(greaterU64)],
  [VC(263), 'vcmpnezb', notEqualOrZero('i8x16')],
  [VC(327), 'vcmpnezh', notEqualOrZero('i16x8')],
  [VC(391), 'vcmpnezw', notEqualOrZero('i32x4')],
];
