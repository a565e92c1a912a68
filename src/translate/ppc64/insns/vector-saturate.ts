/**
 * Saturating vector arithmetic and packs (Power ISA 3.0 Book I 6.9.1, 6.8.1): vadd{u,s}{b,h,w}s,
 * vsub{u,s}{b,h,w}s, the sums across vsum4{u,s}bs, vsum4shs, vsum2sws, vsumsws, and the packs
 * vpk{u,s}{h,w}{u,s}s. Each sets VSCR[SAT] (the register's last bit, sticky) when an element
 * saturated, as the ISA says and mfvscr shows.
 *
 * Bytes and halfwords saturate with wasm's own operations; an element saturated exactly where the
 * result differs from the wrapping one. Words have no wasm saturating form: the wrapping result and
 * an overflow mask per element give both. A pack saturated where its narrowed element, extended
 * back, differs from the source element.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { VSCR } from '../state';
import { bits } from './forms';

/** VSCR[SAT] |= any lane of `mask` non-zero. */
export function noteSaturation(ctx: PpcContext, mask: Temp): void {
  const b = ctx.b;
  b.set(VSCR, b.or(b.get(VSCR, 'i32'), b.vop('v128.any_true', [mask])));
}

/** Bytes and halfwords: wasm's saturating operation, and its wrapping twin to see where it saturated. */
const narrowSaturating =
  (saturating: string, wrapping: string): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [a, c] = [ctx.v(f.vra), ctx.v(f.vrb)];
    const r = b.vop(saturating, [a, c]);
    noteSaturation(ctx, b.vop('v128.xor', [r, b.vop(wrapping, [a, c])]));
    ctx.setV(f.vrt, r);
    return true;
  };

/** Words: the wrapping result, the lanes that overflowed, and the bound each of those takes. */
type WordRule = (ctx: PpcContext, a: Temp, c: Temp) => { wrapped: Temp; overflow: Temp; bound: Temp };
const splat = (ctx: PpcContext, v: number): Temp => ctx.b.vop('i32x4.splat', [ctx.b.i32(v)]);
/** The signed bound on the side of a: 0x7fffffff for a >= 0, 0x80000000 below. */
const signedBound = (ctx: PpcContext, a: Temp): Temp =>
  ctx.b.vop('v128.xor', [ctx.b.vop('i32x4.shr_s', [a, ctx.b.i32(31)]), splat(ctx, 0x7fffffff)]);
const signBits = (ctx: PpcContext, v: Temp): Temp => ctx.b.vop('i32x4.shr_s', [v, ctx.b.i32(31)]);

const WORD_RULES: Record<'addu' | 'adds' | 'subu' | 'subs', WordRule> = {
  // Unsigned: a carry out (the sum wraps below a) saturates to all ones.
  addu: (ctx, a, c) => {
    const wrapped = ctx.b.vop('i32x4.add', [a, c]);
    return { wrapped, overflow: ctx.b.vop('i32x4.lt_u', [wrapped, a]), bound: splat(ctx, -1) };
  },
  // Unsigned: a borrow (b above a) saturates to zero.
  subu: (ctx, a, c) => ({
    wrapped: ctx.b.vop('i32x4.sub', [a, c]),
    overflow: ctx.b.vop('i32x4.lt_u', [a, c]),
    bound: splat(ctx, 0),
  }),
  // Signed: the sum's sign differs from both addends' signs.
  adds: (ctx, a, c) => {
    const b = ctx.b;
    const wrapped = b.vop('i32x4.add', [a, c]);
    const overflow = signBits(ctx, b.vop('v128.and', [b.vop('v128.xor', [a, wrapped]), b.vop('v128.xor', [c, wrapped])]));
    return { wrapped, overflow, bound: signedBound(ctx, a) };
  },
  // Signed: the operands' signs differ and the difference's sign differs from a's.
  subs: (ctx, a, c) => {
    const b = ctx.b;
    const wrapped = b.vop('i32x4.sub', [a, c]);
    const overflow = signBits(ctx, b.vop('v128.and', [b.vop('v128.xor', [a, c]), b.vop('v128.xor', [a, wrapped])]));
    return { wrapped, overflow, bound: signedBound(ctx, a) };
  },
};
const wordSaturating =
  (rule: WordRule): PpcHandler =>
  (ctx, f) => {
    const { wrapped, overflow, bound } = rule(ctx, ctx.v(f.vra), ctx.v(f.vrb));
    noteSaturation(ctx, overflow);
    ctx.setV(f.vrt, ctx.b.vop('v128.bitselect', [bound, wrapped, overflow]));
    return true;
  };

/**
 * vsum4{u,s}bs, vsum4shs: word i = VRB word i + the bytes (halfwords) of VRA's word i, saturated.
 * The partial sums are exact in a word, so only the last addition saturates, as a word add does.
 */
const sumAcross =
  (pairwise: string[], rule: WordRule): PpcHandler =>
  (ctx, f) => {
    let partial = ctx.v(f.vra);
    for (const op of pairwise) partial = ctx.b.vop(op, [partial]);
    const { wrapped, overflow, bound } = rule(ctx, partial, ctx.v(f.vrb));
    noteSaturation(ctx, overflow);
    ctx.setV(f.vrt, ctx.b.vop('v128.bitselect', [bound, wrapped, overflow]));
    return true;
  };

/** Doubleword lanes sign-extended from their low word (for the high word: `high`). */
function wordOfLanes(ctx: PpcContext, v: Temp, high: boolean): Temp {
  const b = ctx.b;
  const thirtyTwo = b.i32(32);
  return b.vop('i64x2.shr_s', [high ? v : b.vop('i64x2.shl', [v, thirtyTwo]), thirtyTwo]);
}

/**
 * vsum2sws / vsumsws: the words of VRA summed per doubleword (vsum2sws) or all four (vsumsws), plus
 * VRB's last word of the same doubleword (word 3), saturated to a signed word, in the last word of
 * each doubleword (of the register); the other words are 0. Summed in 64 bits, which cannot overflow.
 */
const sumWords =
  (whole: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const a = ctx.v(f.vra);
    const pairs = b.vop('i64x2.add', [wordOfLanes(ctx, a, true), wordOfLanes(ctx, a, false)]);
    const addend = wordOfLanes(ctx, ctx.v(f.vrb), false);
    let sums: Temp;
    if (whole) {
      // Doubleword element 1 (wasm lane 0) gets everything, element 0 nothing.
      const lane = (v: Temp, l: number): Temp => b.vop('i64x2.extract_lane', [v], l);
      const total = b.add(b.add(lane(pairs, 0), lane(pairs, 1)), lane(addend, 0));
      sums = b.vop('i64x2.replace_lane', [b.vop('i64x2.splat', [b.i64(0)]), total], 0);
    } else {
      sums = b.vop('i64x2.add', [pairs, addend]);
    }
    const above = b.vop('i64x2.gt_s', [sums, b.vop('i64x2.splat', [b.i64(0x7fffffff)])]);
    const below = b.vop('i64x2.lt_s', [sums, b.vop('i64x2.splat', [b.i64(-0x80000000)])]);
    let r = b.vop('v128.bitselect', [b.vop('i64x2.splat', [b.i64(0x7fffffff)]), sums, above]);
    r = b.vop('v128.bitselect', [b.vop('i64x2.splat', [b.i64(0x80000000)]), r, below]);
    // Only the low word of each doubleword lane is the result; a lane vsumsws leaves empty stays 0.
    r = b.vop('v128.and', [r, b.vop('i64x2.splat', [b.i64(0xffffffff)])]);
    noteSaturation(ctx, b.vop('v128.or', [above, below]));
    ctx.setV(f.vrt, r);
    return true;
  };

/**
 * Packs: VRA's elements then VRB's, each narrowed to half its width with saturation. wasm's narrow
 * takes signed sources and puts its first operand in the low (last PowerPC) elements, so VRB goes
 * first; an unsigned source is first clamped to the unsigned maximum so that it reads as positive.
 */
const pack =
  (wide: 'i16x8' | 'i32x4', signedSource: boolean, signedResult: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const narrow = wide === 'i16x8' ? 'i8x16' : 'i16x8';
    const width = wide === 'i16x8' ? 8 : 16;
    const [a, c] = [ctx.v(f.vra), ctx.v(f.vrb)];
    const max = b.vop(`${wide}.splat`, [b.i32(2 ** width - 1)]);
    const source = (v: Temp): Temp => (signedSource ? v : b.vop(`${wide}.min_u`, [v, max]));
    const r = b.vop(`${narrow}.narrow_${wide}_${signedResult ? 's' : 'u'}`, [source(c), source(a)]);
    // Saturated where the narrowed element, extended back, is not the source element.
    const back = (half: 'low' | 'high'): Temp => b.vop(`${wide}.extend_${half}_${narrow}_${signedResult ? 's' : 'u'}`, [r]);
    const differs = (x: Temp, y: Temp): Temp => b.vop(`${wide}.ne`, [x, y]);
    noteSaturation(ctx, b.vop('v128.or', [differs(back('low'), c), differs(back('high'), a)]));
    ctx.setV(f.vrt, r);
    return true;
  };

const VX = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 ${bits(xo, 11)}`;

export const VECTOR_SATURATE_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  [VX(512), 'vaddubs', narrowSaturating('i8x16.add_sat_u', 'i8x16.add')],
  [VX(768), 'vaddsbs', narrowSaturating('i8x16.add_sat_s', 'i8x16.add')],
  [VX(576), 'vadduhs', narrowSaturating('i16x8.add_sat_u', 'i16x8.add')],
  [VX(832), 'vaddshs', narrowSaturating('i16x8.add_sat_s', 'i16x8.add')],
  [VX(1536), 'vsububs', narrowSaturating('i8x16.sub_sat_u', 'i8x16.sub')],
  [VX(1792), 'vsubsbs', narrowSaturating('i8x16.sub_sat_s', 'i8x16.sub')],
  [VX(1600), 'vsubuhs', narrowSaturating('i16x8.sub_sat_u', 'i16x8.sub')],
  [VX(1856), 'vsubshs', narrowSaturating('i16x8.sub_sat_s', 'i16x8.sub')],
  [VX(640), 'vadduws', wordSaturating(WORD_RULES.addu)],
  [VX(896), 'vaddsws', wordSaturating(WORD_RULES.adds)],
  [VX(1664), 'vsubuws', wordSaturating(WORD_RULES.subu)],
  [VX(1920), 'vsubsws', wordSaturating(WORD_RULES.subs)],
  [VX(1544), 'vsum4ubs', sumAcross(['i16x8.extadd_pairwise_i8x16_u', 'i32x4.extadd_pairwise_i16x8_u'], WORD_RULES.addu)],
  [VX(1800), 'vsum4sbs', sumAcross(['i16x8.extadd_pairwise_i8x16_s', 'i32x4.extadd_pairwise_i16x8_s'], WORD_RULES.adds)],
  [VX(1608), 'vsum4shs', sumAcross(['i32x4.extadd_pairwise_i16x8_s'], WORD_RULES.adds)],
  [VX(1672), 'vsum2sws', sumWords(false)],
  [VX(1928), 'vsumsws', sumWords(true)],
  [VX(142), 'vpkuhus', pack('i16x8', false, false)],
  [VX(206), 'vpkuwus', pack('i32x4', false, false)],
  [VX(270), 'vpkshus', pack('i16x8', true, false)],
  [VX(334), 'vpkswus', pack('i32x4', true, false)],
  [VX(398), 'vpkshss', pack('i16x8', true, true)],
  [VX(462), 'vpkswss', pack('i32x4', true, true)],
];
