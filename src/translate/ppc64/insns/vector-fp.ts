/**
 * The VMX (AltiVec) single-precision instructions (Power ISA 3.0 Book I 6.10): add, subtract,
 * multiply-adds, maximum and minimum, the reciprocal and reciprocal square root estimates, rounding
 * to integral, the conversions to and from scaled word integers (vcfsx, vcfux, vctsxs, vctuxs,
 * which set VSCR[SAT] when they saturate) and the compares with CR6, vcmpbfp's bounds included.
 * They round to nearest and never touch FPSCR. Each lane is computed in double from the exact
 * singles and rounded to single; a NaN result is the first NaN operand made quiet. The multiply-adds'
 * product is exact in double, their sum rounded twice (to double, then single), where QEMU rounds
 * the fused operation once: they can differ in the last bit when the double sum lands on a tie.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { VSCR } from '../state';
import { bits } from './forms';
import { demoteDouble, promoteSingle, reciprocalSqrtOfSingle, withPpcNaN } from './fp-common';
import { roundToIntegral, type IntegralRounding } from './fp';
import { setCr6OfMask } from './vector-int';
import { noteSaturation } from './vector-saturate';

/**
 * Under VSCR[NJ] (non-Java mode, which Linux starts a process in), subnormal lanes as zeros of
 * their sign: VMX flushes its inputs and results so.
 */
function flushed(ctx: PpcContext, v: Temp): Temp {
  const b = ctx.b;
  const splat = (x: number): Temp => b.vop('i32x4.splat', [b.i32(x)]);
  const nonJava = b.and(b.shrU(b.get(VSCR, 'i32'), b.i32(16)), b.i32(1));
  const exponentZero = b.vop('i32x4.eq', [b.vop('v128.and', [v, splat(0x7f800000)]), splat(0)]);
  const flush = b.vop('v128.and', [exponentZero, b.vop('i32x4.splat', [b.sub(b.i32(0), nonJava)])]);
  return b.vop('v128.bitselect', [b.vop('v128.and', [v, splat(-(2 ** 31))]), v, flush]);
}

/** `op` on each lane of the (flushed) sources, in double, the result rounded to single and flushed. */
function eachSingle(ctx: PpcContext, sources: readonly Temp[], op: (xs: Temp[]) => Temp): Temp {
  const b = ctx.b;
  const inputs = sources.map((v) => flushed(ctx, v));
  let r = inputs[0]!;
  for (let lane = 0; lane < 4; lane++) {
    const xs = inputs.map((v) => promoteSingle(ctx, b.vop('f32x4.extract_lane', [v], lane)));
    r = b.vop('f32x4.replace_lane', [r, demoteDouble(ctx, op(xs))], lane);
  }
  return flushed(ctx, r);
}

/** An arithmetic result with PowerPC's NaN: the first NaN of VRA, VRB, VRC (the sources, in that order) made quiet. */
const arith =
  (op: (ctx: PpcContext, xs: Temp[]) => Temp, operands: readonly ('a' | 'b' | 'c')[]): PpcHandler =>
  (ctx, f) => {
    const regs = { a: ctx.v(f.vra), b: ctx.v(f.vrb), c: ctx.v(f.vrc ?? 0) };
    ctx.setV(
      f.vrt,
      eachSingle(
        ctx,
        operands.map((o) => regs[o]),
        (xs) => withPpcNaN(ctx, op(ctx, xs), xs),
      ),
    );
    return true;
  };

const add = (ctx: PpcContext, [a, c]: Temp[]): Temp => ctx.b.binary('fadd', a!, c!);
const sub = (ctx: PpcContext, [a, c]: Temp[]): Temp => ctx.b.binary('fsub', a!, c!);
/** VRA * VRC + VRB (sources a, b, c), the product exact in double. */
const multiplyAdd = (ctx: PpcContext, [a, b, c]: Temp[]): Temp =>
  ctx.b.binary('fadd', ctx.b.binary('fmul', a!, c!), b!);
const negatedMultiplySubtract = (ctx: PpcContext, [a, b, c]: Temp[]): Temp =>
  ctx.b.unary('fneg', ctx.b.binary('fsub', ctx.b.binary('fmul', a!, c!), b!));
const max = (ctx: PpcContext, [a, c]: Temp[]): Temp => ctx.b.binary('fmax', a!, c!);
const min = (ctx: PpcContext, [a, c]: Temp[]): Temp => ctx.b.binary('fmin', a!, c!);
const reciprocal = (ctx: PpcContext, [x]: Temp[]): Temp => ctx.b.binary('fdiv', ctx.b.f64(1), x!);
const reciprocalSqrt = (ctx: PpcContext, [x]: Temp[]): Temp => reciprocalSqrtOfSingle(ctx, x!);

const round =
  (mode: IntegralRounding): PpcHandler =>
  (ctx, f) => {
    ctx.setV(
      f.vrt,
      eachSingle(ctx, [ctx.v(f.vrb)], ([x]) => roundToIntegral(ctx, x!, mode)),
    );
    return true;
  };

/** vcf{s,u}x: each word integer to the nearest single, divided by 2^UIM (exactly). */
const fromFixed =
  (unsigned: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const converted = b.vop(`f32x4.convert_i32x4_${unsigned ? 'u' : 's'}`, [ctx.v(f.vrb)]);
    ctx.setV(f.vrt, b.vop('f32x4.mul', [converted, b.vop('f32x4.splat', [b.f32(2 ** -f.uim)])]));
    return true;
  };

/**
 * vct{s,u}xs: each single times 2^UIM to a word integer, truncated and saturated, a NaN giving 0;
 * VSCR[SAT] when a lane saturated (a product beyond the range, or for unsigned at most -1).
 */
const toFixed =
  (unsigned: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const scaled = b.vop('f32x4.mul', [
      flushed(ctx, ctx.v(f.vrb)),
      b.vop('f32x4.splat', [b.f32(2 ** f.uim)]),
    ]);
    const [low, high] = unsigned ? [-1, 2 ** 32] : [-(2 ** 31) - 1, 2 ** 31];
    const below = b.vop(unsigned ? 'f32x4.le' : 'f32x4.lt', [
      scaled,
      b.vop('f32x4.splat', [b.f32(unsigned ? low : -(2 ** 31))]),
    ]);
    const above = b.vop('f32x4.ge', [scaled, b.vop('f32x4.splat', [b.f32(high)])]);
    noteSaturation(ctx, b.vop('v128.or', [below, above]));
    ctx.setV(f.vrt, b.vop(`i32x4.trunc_sat_f32x4_${unsigned ? 'u' : 's'}`, [scaled]));
    return true;
  };

/** vcmp{eq,ge,gt}fp[.]: all ones where the compare holds (never for a NaN), CR6 when Rc. */
const compare =
  (op: 'eq' | 'ge' | 'gt'): PpcHandler =>
  (ctx, f) => {
    const mask = ctx.b.vop(`f32x4.${op}`, [flushed(ctx, ctx.v(f.vra)), flushed(ctx, ctx.v(f.vrb))]);
    ctx.setV(f.vrt, mask);
    if (f.rc) setCr6OfMask(ctx, mask);
    return true;
  };

/**
 * vcmpbfp[.]: per lane, bit 0 set unless a <= b, bit 1 unless a >= -b (both for a NaN); with Rc,
 * CR6 = 0b0010 when every lane is within its bounds.
 */
const compareBounds: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const [a, c] = [flushed(ctx, ctx.v(f.vra)), flushed(ctx, ctx.v(f.vrb))];
  const withinHigh = b.vop('f32x4.le', [a, c]);
  const withinLow = b.vop('f32x4.ge', [a, b.vop('f32x4.neg', [c])]);
  const bit = (within: Temp, value: number): Temp =>
    b.vop('v128.andnot', [b.vop('i32x4.splat', [b.i32(value)]), within]);
  const r = b.vop('v128.or', [bit(withinHigh, -(2 ** 31)), bit(withinLow, 2 ** 30)]);
  ctx.setV(f.vrt, r);
  if (f.rc) ctx.setCr(6, b.shl(b.xor(b.vop('v128.any_true', [r]), b.i32(1)), b.i32(1)));
  return true;
};

const VX = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 ${bits(xo, 11)}`;
const VX_B = (xo: number): string => `000100 vrt:5 00000 vrb:5 ${bits(xo, 11)}`;
const VX_UIM = (xo: number): string => `000100 vrt:5 uim:5 vrb:5 ${bits(xo, 11)}`;
const VA = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 vrc:5 ${bits(xo, 6)}`;
const VC = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 rc:1 ${bits(xo, 10)}`;

export const VECTOR_FP_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  [VX(10), 'vaddfp', arith(add, ['a', 'b'])],
  [VX(74), 'vsubfp', arith(sub, ['a', 'b'])],
  [VA(46), 'vmaddfp', arith(multiplyAdd, ['a', 'b', 'c'])],
  [VA(47), 'vnmsubfp', arith(negatedMultiplySubtract, ['a', 'b', 'c'])],
  [VX(1034), 'vmaxfp', arith(max, ['a', 'b'])],
  [VX(1098), 'vminfp', arith(min, ['a', 'b'])],
  [VX_B(266), 'vrefp', arith(reciprocal, ['b'])],
  [VX_B(330), 'vrsqrtefp', arith(reciprocalSqrt, ['b'])],
  [VX_B(522), 'vrfin', round('current')],
  [VX_B(586), 'vrfiz', round('zero')],
  [VX_B(650), 'vrfip', round('up')],
  [VX_B(714), 'vrfim', round('down')],
  [VX_UIM(778), 'vcfux', fromFixed(true)],
  [VX_UIM(842), 'vcfsx', fromFixed(false)],
  [VX_UIM(906), 'vctuxs', toFixed(true)],
  [VX_UIM(970), 'vctsxs', toFixed(false)],
  [VC(198), 'vcmpeqfp', compare('eq')],
  [VC(454), 'vcmpgefp', compare('ge')],
  [VC(710), 'vcmpgtfp', compare('gt')],
  [VC(966), 'vcmpbfp', compareBounds],
];
