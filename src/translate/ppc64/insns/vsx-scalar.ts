/**
 * VSX scalar and vector floating-point instructions (Power ISA 3.0 Book I 7.6): scalar
 * double-precision arithmetic and multiply-add (A and M forms), single-precision arithmetic
 * (results rounded to single, kept in double format like the FPU's), compares, sign operations,
 * max/min, square root, rounding, the conversions between double, single and integer formats,
 * and the vector double- and single-precision add, subtract, multiply, divide and multiply-adds.
 *
 * Scalar results go to doubleword 0 of XT; doubleword 1 is undefined by the ISA and kept.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { dwordLane, wordLane } from '../lanes';
import { bits } from './forms';
import { demoteDouble, fpArith, fpCompare, fpFromInt, fpToInt, promoteSingle, withPpcNaN, type FpOpName, type IntConversion } from './fp-common';
import { roundToIntegral } from './fp';
import { withDword0 } from './vsx-load-store';

export const xt = (f: Record<string, number>): number => (f.tx << 5) | f.t;
export const xa = (f: Record<string, number>): number => (f.ax << 5) | f.a;
export const xb = (f: Record<string, number>): number => (f.bx << 5) | f.b;

/** Doubleword 0 of VSR n as f64. */
const scalar = (ctx: PpcContext, n: number): Temp => ctx.b.vop('f64x2.extract_lane', [ctx.vs(n)], dwordLane(0));
const setScalar = (ctx: PpcContext, n: number, v: Temp): void => ctx.setVs(n, withDword0(ctx, n, v));

/** xs{add,sub,mul,div}{dp,sp}: XT = XA op XB. */
const binary =
  (op: FpOpName, single: boolean): PpcHandler =>
  (ctx, f) => {
    setScalar(ctx, xt(f), fpArith(ctx, op, [scalar(ctx, xa(f)), scalar(ctx, xb(f))], single));
    return true;
  };
/**
 * Multiply-adds: the A form computes XA * XB (+/-) XT, the M form XA * XT (+/-) XB
 * (fpArith's fused operations take multiplicands then addend).
 */
const fused =
  (op: FpOpName, mForm: boolean, single: boolean): PpcHandler =>
  (ctx, f) => {
    const a = scalar(ctx, xa(f));
    const t = scalar(ctx, xt(f));
    const b = scalar(ctx, xb(f));
    setScalar(ctx, xt(f), fpArith(ctx, op, mForm ? [a, t, b] : [a, b, t], single));
    return true;
  };
const unary =
  (op: FpOpName, single: boolean): PpcHandler =>
  (ctx, f) => {
    setScalar(ctx, xt(f), fpArith(ctx, op, [scalar(ctx, xb(f))], single));
    return true;
  };

const compare =
  (ordered: boolean): PpcHandler =>
  (ctx, f) => {
    ctx.setCr(f.bf, fpCompare(ctx, scalar(ctx, xa(f)), scalar(ctx, xb(f)), ordered));
    return true;
  };

const SIGN = -(2n ** 63n);
const signOp =
  (op: (ctx: PpcContext, v: Temp, f: Record<string, number>) => Temp): PpcHandler =>
  (ctx, f) => {
    const v = ctx.b.vop('i64x2.extract_lane', [ctx.vs(xb(f))], dwordLane(0));
    setScalar(ctx, xt(f), op(ctx, v, f));
    return true;
  };

/**
 * The maximum or minimum of two doubles as xsmaxdp/xsmindp give it (IEEE maxNum): a quiet NaN
 * operand loses to a number, a signalling one wins, made quiet.
 */
export function maxMinOf(ctx: PpcContext, max: boolean, a: Temp, c: Temp): Temp {
  const b = ctx.b;
  const both = b.binary(max ? 'fmax' : 'fmin', a, c);
  const numberWins = b.select(b.compare('ne', a, a), c, b.select(b.compare('ne', c, c), a, both));
  const signalling = (x: Temp): Temp => {
    const bits = b.convert('reinterpret', 'i64', x);
    return b.and(b.compare('ne', x, x), b.compare('eq', b.and(bits, b.i64(1n << 51n)), b.i64(0)));
  };
  return b.select(b.or(signalling(a), signalling(c)), withPpcNaN(ctx, both, [a, c]), numberWins);
}
const maxMin =
  (max: boolean): PpcHandler =>
  (ctx, f) => {
    setScalar(ctx, xt(f), maxMinOf(ctx, max, scalar(ctx, xa(f)), scalar(ctx, xb(f))));
    return true;
  };

const toInt =
  (conv: IntConversion): PpcHandler =>
  (ctx, f) => {
    setScalar(ctx, xt(f), fpToInt(ctx, scalar(ctx, xb(f)), conv));
    return true;
  };
const fromInt =
  (unsigned: boolean, single: boolean): PpcHandler =>
  (ctx, f) => {
    const v = ctx.b.vop('i64x2.extract_lane', [ctx.vs(xb(f))], dwordLane(0));
    setScalar(ctx, xt(f), fpFromInt(ctx, v, unsigned, single));
    return true;
  };
const roundInt =
  (mode: 'nearest' | 'zero' | 'up' | 'down'): PpcHandler =>
  (ctx, f) => {
    setScalar(ctx, xt(f), roundToIntegral(ctx, scalar(ctx, xb(f)), mode));
    return true;
  };

/** xscvdpsp (quieting NaNs) and xscvdpspn: the double rounded to single, in words 0 and 1 of XT. */
const toSingleFormat =
  (quiet: boolean): PpcHandler =>
  (ctx, f) => {
    const single = demoteDouble(ctx, scalar(ctx, xb(f)), quiet);
    ctx.setVs(xt(f), ctx.b.vop('f32x4.splat', [single]));
    return true;
  };
/** xscvspdp(n): word 0 of XB, a single, widened to double. */
const fromSingleFormat: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const single = b.vop('f32x4.extract_lane', [ctx.vs(xb(f))], wordLane(0));
  setScalar(ctx, xt(f), promoteSingle(ctx, single));
  return true;
};

/**
 * Vector arithmetic lane by lane through the scalar operation, so every lane gets PowerPC's NaN
 * and, under FLAG_FP_EXACT, FPSCR's rounding and flags. Operands name VSRs in the operation's
 * order: multiply-adds are A form XA*XB+XT (operands a, b, t) or M form XA*XT+XB (a, t, b).
 */
const vector =
  (op: FpOpName, operands: readonly ('a' | 'b' | 't')[], single: boolean): PpcHandler =>
  (ctx, f) => {
    const regs = { a: ctx.vs(xa(f)), b: ctx.vs(xb(f)), t: ctx.vs(xt(f)) };
    const sources = operands.map((o) => regs[o]);
    ctx.setVs(xt(f), laneWise(ctx, single, sources, (xs) => fpArith(ctx, op, xs, single)));
    return true;
  };

/**
 * `op` on each lane of `sources` (doubles, or singles widened to double exactly), its double
 * result narrowed back for single lanes: the vector forms of the scalar operations.
 */
export function laneWise(ctx: PpcContext, single: boolean, sources: readonly Temp[], op: (xs: Temp[]) => Temp): Temp {
  const b = ctx.b;
  const shape = single ? 'f32x4' : 'f64x2';
  let r = sources[0]!;
  for (let lane = 0; lane < (single ? 4 : 2); lane++) {
    const xs = sources.map((v) => {
      const x = b.vop(`${shape}.extract_lane`, [v], lane);
      return single ? promoteSingle(ctx, x) : x;
    });
    const result = op(xs);
    r = b.vop(`${shape}.replace_lane`, [r, single ? demoteDouble(ctx, result) : result], lane);
  }
  return r;
}

/**
 * xvcv{s,u}xwdp: word elements 0 and 2 (wasm i32 lanes 3 and 1) to doubles 0 and 1 (wasm f64
 * lanes 1 and 0): a shuffle to i32 lanes 0 and 1, then wasm's exact low-half conversion.
 */
const wordsToDoubles =
  (signed: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const v = ctx.vs(xb(f));
    const picked = b.vop('i8x16.shuffle', [v, v], Uint8Array.from([4, 5, 6, 7, 12, 13, 14, 15, 0, 1, 2, 3, 8, 9, 10, 11]));
    ctx.setVs(xt(f), b.vop(`f64x2.convert_low_i32x4_${signed ? 's' : 'u'}`, [picked]));
    return true;
  };

/** Vector conversions between doubleword integers and doubles, lane by lane through the scalar ones. */
const vectorDwordConversion =
  (convert: (ctx: PpcContext, lane: Temp) => Temp, toInt: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const v = ctx.vs(xb(f));
    let r = v;
    for (let lane = 0; lane < 2; lane++) {
      const x = b.vop(toInt ? 'f64x2.extract_lane' : 'i64x2.extract_lane', [v], lane);
      const y = convert(ctx, x);
      r = b.vop(y.type === 'i64' ? 'i64x2.replace_lane' : 'f64x2.replace_lane', [r, y], lane);
    }
    ctx.setVs(xt(f), r);
    return true;
  };

const XX3 = (xo: number): string => `111100 t:5 a:5 b:5 ${bits(xo, 8)} ax:1 bx:1 tx:1`;
const XX2 = (xo: number): string => `111100 t:5 00000 b:5 ${bits(xo, 9)} bx:1 tx:1`;
const XX3_CMP = (xo: number): string => `111100 bf:3 00 a:5 b:5 ${bits(xo, 8)} ax:1 bx:1 0`;

/** [XX3 opcode of the dp form, of the sp form, mnemonic stem, operation]. */
const BINARY: readonly [number, number, string, FpOpName][] = [
  [32, 0, 'xsadd', 'add'],
  [40, 8, 'xssub', 'sub'],
  [48, 16, 'xsmul', 'mul'],
  [56, 24, 'xsdiv', 'div'],
];
/** [XX3 opcode of the A-form dp, mnemonic stem, operation]; M = A + 8, sp = dp - 32. */
const FUSED: readonly [number, string, FpOpName][] = [
  [33, 'xsmadd', 'madd'],
  [49, 'xsmsub', 'msub'],
  [161, 'xsnmadd', 'nmadd'],
  [177, 'xsnmsub', 'nmsub'],
];

export const VSX_SCALAR_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  ...BINARY.flatMap(([dp, sp, name, op]) => [
    [XX3(dp), `${name}dp`, binary(op, false)] as const,
    [XX3(sp), `${name}sp`, binary(op, true)] as const,
  ]),
  ...FUSED.flatMap(([dp, name, op]) => [
    [XX3(dp), `${name}adp`, fused(op, false, false)] as const,
    [XX3(dp + 8), `${name}mdp`, fused(op, true, false)] as const,
    [XX3(dp - 32), `${name}asp`, fused(op, false, true)] as const,
    [XX3(dp - 24), `${name}msp`, fused(op, true, true)] as const,
  ]),
  [XX3_CMP(35), 'xscmpudp', compare(false)],
  [XX3_CMP(43), 'xscmpodp', compare(true)],
  [XX3(176), 'xscpsgndp', signOp((c, v, f) => {
    const signOfA = c.b.and(c.b.vop('i64x2.extract_lane', [c.vs(xa(f))], dwordLane(0)), c.b.i64(SIGN));
    return c.b.or(c.b.and(v, c.b.i64(~SIGN)), signOfA);
  })],
  [XX3(160), 'xsmaxdp', maxMin(true)],
  [XX3(168), 'xsmindp', maxMin(false)],
  [XX2(345), 'xsabsdp', signOp((c, v) => c.b.and(v, c.b.i64(~SIGN)))],
  [XX2(377), 'xsnegdp', signOp((c, v) => c.b.xor(v, c.b.i64(SIGN)))],
  [XX2(361), 'xsnabsdp', signOp((c, v) => c.b.or(v, c.b.i64(SIGN)))],
  [XX2(75), 'xssqrtdp', unary('sqrt', false)],
  [XX2(11), 'xssqrtsp', unary('sqrt', true)],
  [XX2(90), 'xsredp', unary('re', false)],
  [XX2(74), 'xsrsqrtedp', unary('rsqrte', false)],
  [XX2(281), 'xsrsp', unary('rsp', true)],
  [XX2(73), 'xsrdpi', roundInt('nearest')],
  [XX2(89), 'xsrdpiz', roundInt('zero')],
  [XX2(105), 'xsrdpip', roundInt('up')],
  [XX2(121), 'xsrdpim', roundInt('down')],
  [XX2(344), 'xscvdpsxds', toInt({ width: 64, unsigned: false, truncate: true })],
  [XX2(88), 'xscvdpsxws', toInt({ width: 32, unsigned: false, truncate: true })],
  [XX2(328), 'xscvdpuxds', toInt({ width: 64, unsigned: true, truncate: true })],
  [XX2(72), 'xscvdpuxws', toInt({ width: 32, unsigned: true, truncate: true })],
  [XX2(376), 'xscvsxddp', fromInt(false, false)],
  [XX2(360), 'xscvuxddp', fromInt(true, false)],
  [XX2(312), 'xscvsxdsp', fromInt(false, true)],
  [XX2(296), 'xscvuxdsp', fromInt(true, true)],
  [XX2(265), 'xscvdpsp', toSingleFormat(true)],
  [XX2(267), 'xscvdpspn', toSingleFormat(false)],
  [XX2(329), 'xscvspdp', fromSingleFormat],
  [XX2(331), 'xscvspdpn', fromSingleFormat],
  ...FUSED.flatMap(([dp, name, op]) => {
    const stem = name.replace('xs', 'xv');
    return [
      [XX3(dp + 64), `${stem}adp`, vector(op, ['a', 'b', 't'], false)] as const,
      [XX3(dp + 72), `${stem}mdp`, vector(op, ['a', 't', 'b'], false)] as const,
      [XX3(dp + 32), `${stem}asp`, vector(op, ['a', 'b', 't'], true)] as const,
      [XX3(dp + 40), `${stem}msp`, vector(op, ['a', 't', 'b'], true)] as const,
    ];
  }),
  [XX2(248), 'xvcvsxwdp', wordsToDoubles(true)],
  [XX2(232), 'xvcvuxwdp', wordsToDoubles(false)],
  [XX2(504), 'xvcvsxddp', vectorDwordConversion((c, x) => fpFromInt(c, x, false, false), false)],
  [XX2(488), 'xvcvuxddp', vectorDwordConversion((c, x) => fpFromInt(c, x, true, false), false)],
  [XX2(472), 'xvcvdpsxds', vectorDwordConversion((c, x) => fpToInt(c, x, { width: 64, unsigned: false, truncate: true }), true)],
  [XX2(456), 'xvcvdpuxds', vectorDwordConversion((c, x) => fpToInt(c, x, { width: 64, unsigned: true, truncate: true }), true)],
  ...BINARY.flatMap(([dp, , name, op]) => [
    [XX3(dp + 64), `${name.replace('xs', 'xv')}dp`, vector(op, ['a', 'b'], false)] as const,
    [XX3(dp + 32), `${name.replace('xs', 'xv')}sp`, vector(op, ['a', 'b'], true)] as const,
  ]),
];
