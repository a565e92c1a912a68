/**
 * VSX vector floating-point instructions besides the arithmetic of vsx-scalar.ts (Power ISA 3.0
 * Book I 7.6): square root and the estimates, the sign operations, maximum and minimum, the
 * compares with their record forms, rounding to an integral value, and the conversions between
 * single, double, word and doubleword lanes. Values go lane by lane through the scalar operations
 * where PowerPC's NaNs or FPSCR's rounding apply; sign operations and compares are wasm's lane
 * operations, which give the same bits.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { dwordLane, wordLane } from '../lanes';
import { bits } from './forms';
import {
  demoteDouble,
  fpArith,
  fpFromInt,
  fpToInt,
  promoteSingle,
  reciprocalSqrtOfSingle,
  withPpcNaN,
  type FpOpName,
} from './fp-common';
import { roundToIntegral, type IntegralRounding } from './fp';
import { setCr6OfMask } from './vector-int';
import { laneWise, maxMinOf, xa, xb, xt } from './vsx-scalar';

type Precision = 'dp' | 'sp';
const isSingle = (p: Precision): boolean => p === 'sp';

const unary =
  (op: FpOpName, p: Precision): PpcHandler =>
  (ctx, f) => {
    ctx.setVs(
      xt(f),
      laneWise(ctx, isSingle(p), [ctx.vs(xb(f))], (xs) => fpArith(ctx, op, xs, isSingle(p))),
    );
    return true;
  };

const roundIntegral =
  (mode: IntegralRounding, p: Precision): PpcHandler =>
  (ctx, f) => {
    ctx.setVs(
      xt(f),
      laneWise(ctx, isSingle(p), [ctx.vs(xb(f))], ([x]) => roundToIntegral(ctx, x!, mode)),
    );
    return true;
  };

const maxMin =
  (max: boolean, p: Precision): PpcHandler =>
  (ctx, f) => {
    ctx.setVs(
      xt(f),
      laneWise(ctx, isSingle(p), [ctx.vs(xa(f)), ctx.vs(xb(f))], ([a, c]) => maxMinOf(ctx, max, a!, c!)),
    );
    return true;
  };

/**
 * xvrsqrtesp: 1 / sqrt(x) with the square root rounded to single first, as QEMU computes the
 * estimate (the ISA allows any estimate within 1/16384).
 */
const singleReciprocalSqrt: PpcHandler = (ctx, f) => {
  ctx.setVs(
    xt(f),
    laneWise(ctx, true, [ctx.vs(xb(f))], ([x]) => withPpcNaN(ctx, reciprocalSqrtOfSingle(ctx, x!), [x!])),
  );
  return true;
};

/** Each lane's sign bit set. */
function signMask(ctx: PpcContext, p: Precision): Temp {
  const b = ctx.b;
  return p === 'dp' ? b.vop('i64x2.splat', [b.i64(-(2n ** 63n))]) : b.vop('i32x4.splat', [b.i32(-(2 ** 31))]);
}

/** xv{abs,nabs,neg}{dp,sp}: the sign bit of each lane of XB cleared, set or flipped. */
const sign =
  (op: 'v128.andnot' | 'v128.or' | 'v128.xor', p: Precision): PpcHandler =>
  (ctx, f) => {
    ctx.setVs(xt(f), ctx.b.vop(op, [ctx.vs(xb(f)), signMask(ctx, p)]));
    return true;
  };
/** xvcpsgn{dp,sp}: the sign of each lane of XA, the rest of XB. */
const copySign =
  (p: Precision): PpcHandler =>
  (ctx, f) => {
    ctx.setVs(xt(f), ctx.b.vop('v128.bitselect', [ctx.vs(xa(f)), ctx.vs(xb(f)), signMask(ctx, p)]));
    return true;
  };

/** xvcmp{eq,gt,ge}{dp,sp}[.]: all ones in the lanes where the compare holds (never for a NaN), CR6 when Rc. */
const compare =
  (op: 'eq' | 'gt' | 'ge', p: Precision): PpcHandler =>
  (ctx, f) => {
    const mask = ctx.b.vop(`${p === 'dp' ? 'f64x2' : 'f32x4'}.${op}`, [ctx.vs(xa(f)), ctx.vs(xb(f))]);
    ctx.setVs(xt(f), mask);
    if (f.rc) setCr6OfMask(ctx, mask);
    return true;
  };

/** The two word elements 0 and 2 of v (each doubleword's high word) as f32. */
const evenWord = (ctx: PpcContext, v: Temp, k: number): Temp =>
  ctx.b.vop('f32x4.extract_lane', [v], wordLane(2 * k));
const zeroVector = (ctx: PpcContext): Temp => ctx.b.vop('i64x2.splat', [ctx.b.i64(0)]);

/** xvcvspdp: singles in word elements 0 and 2 widened to doubles, a signalling NaN made quiet. */
const singlesToDoubles: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const v = ctx.vs(xb(f));
  let r = zeroVector(ctx);
  for (let k = 0; k < 2; k++) {
    const wide = promoteSingle(ctx, evenWord(ctx, v, k));
    r = b.vop('f64x2.replace_lane', [r, withPpcNaN(ctx, wide, [wide])], dwordLane(k));
  }
  ctx.setVs(xt(f), r);
  return true;
};

/**
 * A result per doubleword of XB in both words of that doubleword of XT, as QEMU's helpers leave
 * them (the ISA defines words 0 and 2, leaves 1 and 3 undefined): xvcvdpsp, xvcv{s,u}xdsp,
 * xvcvdp{s,u}xws.
 */
const doublewordsToWords =
  (fromInt: boolean, convert: (ctx: PpcContext, x: Temp) => Temp): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const v = ctx.vs(xb(f));
    let r = v;
    for (let k = 0; k < 2; k++) {
      const x = b.vop(fromInt ? 'i64x2.extract_lane' : 'f64x2.extract_lane', [v], dwordLane(k));
      const y = convert(ctx, x);
      const word = y.type === 'f32' ? b.convert('reinterpret', 'i32', y) : y;
      const low = b.zext(word);
      r = b.vop('i64x2.replace_lane', [r, b.or(b.shl(low, b.i64(32)), low)], dwordLane(k));
    }
    ctx.setVs(xt(f), r);
    return true;
  };

/** xvcvsp{s,u}xds: singles in word elements 0 and 2 to doubleword integers. */
const singlesToDwords =
  (unsigned: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const v = ctx.vs(xb(f));
    let r = zeroVector(ctx);
    for (let k = 0; k < 2; k++) {
      const x = promoteSingle(ctx, evenWord(ctx, v, k));
      r = b.vop(
        'i64x2.replace_lane',
        [r, fpToInt(ctx, x, { width: 64, unsigned, truncate: true })],
        dwordLane(k),
      );
    }
    ctx.setVs(xt(f), r);
    return true;
  };

/** xvcvsp{s,u}xws: each single to a word integer, truncated and saturated (a NaN gives the minimum). */
const singlesToWords =
  (unsigned: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const v = ctx.vs(xb(f));
    let r = v;
    for (let lane = 0; lane < 4; lane++) {
      const x = promoteSingle(ctx, b.vop('f32x4.extract_lane', [v], lane));
      r = b.vop(
        'i32x4.replace_lane',
        [r, b.wrap(fpToInt(ctx, x, { width: 32, unsigned, truncate: true }))],
        lane,
      );
    }
    ctx.setVs(xt(f), r);
    return true;
  };

/** xvcv{s,u}xwsp: each word integer to the nearest single. */
const wordsToSingles =
  (unsigned: boolean): PpcHandler =>
  (ctx, f) => {
    ctx.setVs(xt(f), ctx.b.vop(`f32x4.convert_i32x4_${unsigned ? 'u' : 's'}`, [ctx.vs(xb(f))]));
    return true;
  };

const XX2 = (xo: number): string => `111100 t:5 00000 b:5 ${bits(xo, 9)} bx:1 tx:1`;
const XX3 = (xo: number): string => `111100 t:5 a:5 b:5 ${bits(xo, 8)} ax:1 bx:1 tx:1`;
const XX3_RC = (xo: number): string => `111100 t:5 a:5 b:5 rc:1 ${bits(xo, 7)} ax:1 bx:1 tx:1`;

/** Per precision: the dp form's opcode, the sp form's. */
const BOTH: readonly [Precision, number][] = [
  ['dp', 0],
  ['sp', 1],
];

type Row = readonly [string, string, PpcHandler];

export const VSX_VECTOR_ROWS: readonly Row[] = [
  ...BOTH.flatMap(([p, sp]): Row[] => [
    [XX2(203 - 64 * sp), `xvsqrt${p}`, unary('sqrt', p)],
    [XX2(218 - 64 * sp), `xvre${p}`, unary('re', p)],
    [XX2(202 - 64 * sp), `xvrsqrte${p}`, p === 'dp' ? unary('rsqrte', p) : singleReciprocalSqrt],
    [XX2(201 - 64 * sp), `xvr${p}i`, roundIntegral('nearest', p)],
    [XX2(217 - 64 * sp), `xvr${p}iz`, roundIntegral('zero', p)],
    [XX2(233 - 64 * sp), `xvr${p}ip`, roundIntegral('up', p)],
    [XX2(249 - 64 * sp), `xvr${p}im`, roundIntegral('down', p)],
    [XX2(235 - 64 * sp), `xvr${p}ic`, roundIntegral('current', p)],
    [XX2(473 - 64 * sp), `xvabs${p}`, sign('v128.andnot', p)],
    [XX2(489 - 64 * sp), `xvnabs${p}`, sign('v128.or', p)],
    [XX2(505 - 64 * sp), `xvneg${p}`, sign('v128.xor', p)],
    [XX3(240 - 32 * sp), `xvcpsgn${p}`, copySign(p)],
    [XX3(224 - 32 * sp), `xvmax${p}`, maxMin(true, p)],
    [XX3(232 - 32 * sp), `xvmin${p}`, maxMin(false, p)],
    [XX3_RC(99 - 32 * sp), `xvcmpeq${p}`, compare('eq', p)],
    [XX3_RC(107 - 32 * sp), `xvcmpgt${p}`, compare('gt', p)],
    [XX3_RC(115 - 32 * sp), `xvcmpge${p}`, compare('ge', p)],
  ]),
  [XX2(457), 'xvcvspdp', singlesToDoubles],
  [XX2(393), 'xvcvdpsp', doublewordsToWords(false, (c, x) => demoteDouble(c, x, true))],
  [XX2(440), 'xvcvsxdsp', doublewordsToWords(true, (c, x) => demoteDouble(c, fpFromInt(c, x, false, true)))],
  [XX2(424), 'xvcvuxdsp', doublewordsToWords(true, (c, x) => demoteDouble(c, fpFromInt(c, x, true, true)))],
  [
    XX2(216),
    'xvcvdpsxws',
    doublewordsToWords(false, (c, x) =>
      c.b.wrap(fpToInt(c, x, { width: 32, unsigned: false, truncate: true })),
    ),
  ],
  [
    XX2(200),
    'xvcvdpuxws',
    doublewordsToWords(false, (c, x) =>
      c.b.wrap(fpToInt(c, x, { width: 32, unsigned: true, truncate: true })),
    ),
  ],
  [XX2(408), 'xvcvspsxds', singlesToDwords(false)],
  [XX2(392), 'xvcvspuxds', singlesToDwords(true)],
  [XX2(152), 'xvcvspsxws', singlesToWords(false)],
  [XX2(136), 'xvcvspuxws', singlesToWords(true)],
  [XX2(184), 'xvcvsxwsp', wordsToSingles(false)],
  [XX2(168), 'xvcvuxwsp', wordsToSingles(true)],
];
