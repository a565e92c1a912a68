/**
 * Advanced SIMD two-register miscellaneous (ARM ARM C4.1.96, "Advanced SIMD two-register
 * miscellaneous" and its scalar form): byte reversal, counts, negation and absolute value, compares
 * with zero, narrowing moves, pairwise long adds, float rounding, conversions (FCVTXN included),
 * estimates and FRECPX.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { Rounding } from './fp-soft';
import { fpType, floatToInt, intToFloat } from './fp-scalar';
import { callLanes } from './lane-helpers';
import { LaneOp, RMODE_FPCR } from './lane-ops';
import {
  FP_SHAPE,
  INT_SHAPE,
  anyNotFinite,
  fastFp,
  flushesDenormals,
  guarded,
  keepLow,
  laneConst,
  readElem,
  selectors,
  writeScalar,
  writeVec,
  zeroVec,
} from './simd-common';
import { emitFpOp, emitIntOp, type FpOp, type IntOp } from './simd-three-same';
import { pairSplit, truncateNarrow, writeNarrow } from './simd-vector-ops';

/** Reverses elements of 2^size bytes within groups of `group` bytes. */
function reverse(ctx: A64Context, v: Temp, size: number, group: number): Temp {
  const e = 1 << size;
  const sel = selectors((i) => {
    const base = i - (i % group);
    const pos = i % group;
    return base + (group / e - 1 - Math.floor(pos / e)) * e + (pos % e);
  });
  return ctx.b.vop('i8x16.shuffle', [v, v], sel);
}

/** XTN/SQXTN/UQXTN/SQXTUN: native for 16- and 32-bit sources, the helper for 64-bit ones. */
function narrow(ctx: A64Context, kind: 'xtn' | 'sqxtn' | 'uqxtn' | 'sqxtun', size: number, q: number, d: number, n: number, scalar = false): void {
  const b = ctx.b;
  const lanes = scalar ? 1 : 8 >> size;
  const v = ctx.v(n);
  let r: Temp | undefined;
  if (kind === 'xtn') r = truncateNarrow(ctx, v, size);
  else if (size < 2) {
    const wide = INT_SHAPE[size + 1]!;
    const narrowOp = `${INT_SHAPE[size]}.narrow_${wide}_${kind === 'sqxtn' ? 's' : 'u'}`;
    if (kind === 'uqxtn') {
      const max = laneConst(ctx, 2 << size, (1n << BigInt(8 << size)) - 1n);
      r = truncateNarrow(ctx, b.vop(`${wide}.min_u`, [v, max]), size);
    } else r = b.vop(narrowOp, [v, v]);
  }
  if (!r) {
    const op = kind === 'sqxtn' ? LaneOp.Sqxtn : kind === 'uqxtn' ? LaneOp.Uqxtn : LaneOp.Sqxtun;
    callLanes(ctx, op, { d: size, n: size + 1, m: size + 1, lanes, dstOffset: q ? lanes : 0, keep: q === 1 }, d, n);
    return;
  }
  if (scalar) ctx.setV(d, keepLow(ctx, r, 1 << size));
  else writeNarrow(ctx, d, q, r);
}

/** SADDLP/UADDLP (and the accumulating SADALP/UADALP): adjacent pairs summed into double-width lanes. */
function addPairsLong(ctx: A64Context, size: number, unsigned: boolean, q: number, d: number, n: number, accumulate: boolean): void {
  const b = ctx.b;
  const sx = unsigned ? 'u' : 's';
  const v = ctx.v(n);
  let r: Temp;
  if (size < 2) r = b.vop(`${INT_SHAPE[size + 1]}.extadd_pairwise_${INT_SHAPE[size]}_${sx}`, [v]);
  else {
    const [even, odd] = pairSplit(ctx, 2, 1, v, v);
    r = b.vop('i64x2.add', [
      b.vop(`i64x2.extend_low_i32x4_${sx}`, [even]),
      b.vop(`i64x2.extend_low_i32x4_${sx}`, [odd]),
    ]);
  }
  if (accumulate) r = b.vop(`${INT_SHAPE[size + 1]}.add`, [ctx.v(d), r]);
  writeVec(ctx, d, r, q);
}

/** Compare with zero as an integer op: CMGT, CMGE, CMEQ, CMLE, CMLT. */
const cmpZero = (op: string): IntOp => ({
  native: (ctx, x) => ctx.b.vop(`${INT_SHAPE[x.size]}.${op}`, [x.a, laneConst(ctx, 16, 0n)]),
});
const unary = (op: string, maxSize = 3): IntOp => ({
  native: (ctx, x) => (x.size <= maxSize ? ctx.b.vop(`${INT_SHAPE[x.size]}.${op}`, [x.a]) : undefined),
});

/** Integer two-register ops that are plain lane maps, by `${U}:${opcode}`. */
const INT_UNARY: Record<string, IntOp> = {
  '0:3': { lane: LaneOp.Suqadd },
  '1:3': { lane: LaneOp.Usqadd },
  '0:4': { lane: LaneOp.Cls },
  '1:4': { lane: LaneOp.Clz },
  '0:7': { lane: LaneOp.Sqabs },
  '1:7': { lane: LaneOp.Sqneg },
  '0:8': cmpZero('gt_s'),
  '1:8': cmpZero('ge_s'),
  '0:9': cmpZero('eq'),
  '1:9': cmpZero('le_s'),
  '0:10': cmpZero('lt_s'),
  '0:11': unary('abs'),
  '1:11': unary('neg'),
};

/** Float ops with a lane-wise wasm form, by `${U}:${a}:${opcode}`. */
function fpUnaryOps(): Record<string, FpOp> {
  const un = (name: string): FpOp['native'] => (ctx, shape, a) => ctx.b.vop(`${shape}.${name}`, [a]);
  const vsZero =
    (name: string): FpOp['native'] =>
    (ctx, shape, a) =>
      ctx.b.vop(`${shape}.${name}`, [a, zeroVec(ctx)]);
  const round = (mode: Rounding): FpOp['native'] => (ctx, shape, a) => roundVector(ctx, shape, a, mode);
  const rint = (mode: Rounding | typeof RMODE_FPCR, exact = false): FpOp => ({
    native: round(mode === RMODE_FPCR ? Rounding.Nearest : mode),
    lane: LaneOp.FRoundInt,
    param: mode | (exact ? 8 : 0),
    ignoresRounding: mode !== RMODE_FPCR,
  });
  const cmp = (name: string, kind: number): FpOp => ({ native: vsZero(name), lane: LaneOp.FCmZero, param: kind, mask: true });
  return {
    '0:0:24': rint(Rounding.Nearest),
    '0:1:24': rint(Rounding.PlusInf),
    '0:0:25': rint(Rounding.MinusInf),
    '0:1:25': rint(Rounding.Zero),
    '1:0:24': rint(Rounding.TiesAway),
    '1:0:25': rint(RMODE_FPCR, true),
    '1:1:25': rint(RMODE_FPCR),
    '0:1:12': cmp('gt', 2),
    '0:1:13': cmp('eq', 0),
    '0:1:14': cmp('lt', 4),
    '1:1:12': cmp('ge', 1),
    '1:1:13': cmp('le', 3),
    '1:1:31': { native: un('sqrt'), lane: LaneOp.FSqrt },
    '0:1:29': { lane: LaneOp.FRecpEst },
    '1:1:29': { lane: LaneOp.FRSqrtEst },
  };
}
const FP_UNARY = fpUnaryOps();

/** Lane-wise rounding to integral values, TiesAway composed from trunc as in the scalar form. */
function roundVector(ctx: A64Context, shape: string, a: Temp, mode: Rounding): Temp {
  const b = ctx.b;
  const simple = { [Rounding.Nearest]: 'nearest', [Rounding.PlusInf]: 'ceil', [Rounding.MinusInf]: 'floor', [Rounding.Zero]: 'trunc' } as Record<number, string>;
  if (simple[mode]) return b.vop(`${shape}.${simple[mode]}`, [a]);
  const bits = shape === 'f32x4' ? 4 : 8;
  const value = (v: number): Temp => b.vop(`${shape}.splat`, [bits === 4 ? b.f32(v) : b.f64(v)]);
  const t = b.vop(`${shape}.trunc`, [a]);
  const frac = b.vop(`${shape}.abs`, [b.vop(`${shape}.sub`, [a, t])]);
  const sign = laneConst(ctx, bits, 1n << BigInt(8 * bits - 1));
  const step = b.vop('v128.or', [b.vop('v128.and', [a, sign]), value(1)]);
  const away = b.vop(`${shape}.add`, [t, step]);
  return b.vop('v128.bitselect', [away, t, b.vop(`${shape}.ge`, [frac, value(0.5)])]);
}

/** Float lanes to integers (FCVT{N,P,M,Z,A}{S,U}, and the fixed-point form with fbits). */
export function vectorFloatToInt(ctx: A64Context, sz: number, bytes: number, d: number, n: number, mode: Rounding, unsigned: boolean, fbits: number): void {
  const size = 2 + sz;
  const lanes = Math.max(1, bytes >> size);
  const param = mode | (unsigned ? 8 : 0) | (fbits << 4);
  const slow = (): void => callLanes(ctx, LaneOp.FToFixed, { d: size, n: size, m: 0, lanes, param }, d, n);
  if (sz === 1 || flushesDenormals(ctx)) return slow();
  const b = ctx.b;
  let x = ctx.v(n);
  if (fbits) x = b.vop('f32x4.mul', [x, b.vop('f32x4.splat', [b.f32(2 ** fbits)])]);
  const r = roundVector(ctx, 'f32x4', x, mode);
  const lo = b.vop('f32x4.splat', [b.f32(unsigned ? 0 : -(2 ** 31))]);
  const hi = b.vop('f32x4.splat', [b.f32(unsigned ? 2 ** 32 : 2 ** 31)]);
  const inRange = keepLow(ctx, b.vop('v128.and', [b.vop('f32x4.ge', [r, lo]), b.vop('f32x4.lt', [r, hi])]), bytes);
  const allIn = b.vop('i8x16.eq', [inRange, keepLow(ctx, laneConst(ctx, 16, 0xffn), bytes)]);
  const result = b.vop(unsigned ? 'i32x4.trunc_sat_f32x4_u' : 'i32x4.trunc_sat_f32x4_s', [r]);
  guarded(ctx, b.compare('eq', b.vop('i8x16.all_true', [allIn]), b.i32(0)), () => ctx.setV(d, keepLow(ctx, result, bytes)), slow);
}

/** Integer lanes to floats (SCVTF/UCVTF), divided by 2^fbits. */
export function vectorIntToFloat(ctx: A64Context, sz: number, bytes: number, d: number, n: number, unsigned: boolean, fbits: number): void {
  const b = ctx.b;
  const size = 2 + sz;
  const lanes = Math.max(1, bytes >> size);
  if (!fastFp(ctx)) {
    callLanes(ctx, LaneOp.FFromFixed, { d: size, n: size, m: 0, lanes, param: (unsigned ? 1 : 0) | (fbits << 1) }, d, n);
    return;
  }
  const v = ctx.v(n);
  let r: Temp;
  if (sz === 0) r = b.vop(unsigned ? 'f32x4.convert_i32x4_u' : 'f32x4.convert_i32x4_s', [v]);
  else {
    r = zeroVec(ctx);
    for (let lane = 0; lane < lanes; lane++) {
      const i = b.vop('i64x2.extract_lane', [v], lane);
      r = b.vop('f64x2.replace_lane', [r, b.convert(unsigned ? 'fconv_u' : 'fconv_s', 'f64', i)], lane);
    }
  }
  const shape = FP_SHAPE[sz]!;
  if (fbits) r = b.vop(`${shape}.mul`, [r, b.vop(`${shape}.splat`, [sz ? b.f64(2 ** -fbits) : b.f32(2 ** -fbits)])]);
  ctx.setV(d, keepLow(ctx, r, bytes));
}

/** FCVTN (narrowing double to single; half precision in the helper) into the low or high half. */
function fcvtNarrow(ctx: A64Context, sz: number, q: number, d: number, n: number): void {
  const lanes = sz ? 2 : 4;
  const shape = { d: 1 + sz, n: 2 + sz, m: 0, lanes, dstOffset: q ? lanes : 0, keep: q === 1 };
  const slow = (): void => callLanes(ctx, LaneOp.FConvert, shape, d, n);
  if (!sz || !fastFp(ctx)) return slow();
  const r = ctx.b.vop('f32x4.demote_f64x2_zero', [ctx.v(n)]);
  guarded(ctx, anyNotFinite(ctx, 'f32x4', keepLow(ctx, r, 8)), () => writeNarrow(ctx, d, q, r), slow);
}

/** FCVTL (widening single to double; half precision in the helper) from the low or high half. */
function fcvtLong(ctx: A64Context, sz: number, q: number, d: number, n: number): void {
  const lanes = sz ? 2 : 4;
  const shape = { d: 2 + sz, n: 1 + sz, m: 0, lanes, srcOffset: q ? lanes : 0 };
  const slow = (): void => callLanes(ctx, LaneOp.FConvert, shape, d, n);
  if (!sz || flushesDenormals(ctx)) return slow();
  const b = ctx.b;
  let v = ctx.v(n);
  if (q) v = b.vop('i8x16.shuffle', [v, v], selectors((i) => (i + 8) % 16));
  const r = b.vop('f64x2.promote_low_f32x4', [v]);
  guarded(ctx, anyNotFinite(ctx, 'f64x2', r), () => ctx.setV(d, r), slow);
}

/** FCVT{N,P,M,Z,A}{S,U} by `${a}:${opcode}` (U gives the signedness). */
const CVT_TO_INT: Record<string, Rounding> = {
  '0:26': Rounding.Nearest,
  '1:26': Rounding.PlusInf,
  '0:27': Rounding.MinusInf,
  '1:27': Rounding.Zero,
  '0:28': Rounding.TiesAway,
};

const vector: A64Handler = (ctx, f) => {
  const [q, u, size, opc, d, n] = [f.q!, f.u!, f.size!, f.opc!, f.rd!, f.rn!];
  const b = ctx.b;
  const bytes = q ? 16 : 8;
  const intOp = INT_UNARY[`${u}:${opc}`];
  if (intOp) {
    if (size === 3 && !q) return false;
    return emitIntOp(ctx, intOp, size, bytes, d, n, n);
  }
  switch (`${u}:${opc}`) {
    case '0:0': // REV64
      if (size === 3) return false;
      writeVec(ctx, d, reverse(ctx, ctx.v(n), size, 8), q);
      return true;
    case '1:0': // REV32
      if (size >= 2) return false;
      writeVec(ctx, d, reverse(ctx, ctx.v(n), size, 4), q);
      return true;
    case '0:1': // REV16
      if (size !== 0) return false;
      writeVec(ctx, d, reverse(ctx, ctx.v(n), 0, 2), q);
      return true;
    case '0:2':
    case '1:2':
    case '0:6':
    case '1:6':
      if (size === 3) return false;
      addPairsLong(ctx, size, u === 1, q, d, n, opc === 6);
      return true;
    case '0:5': // CNT
      if (size !== 0) return false;
      writeVec(ctx, d, b.vop('i8x16.popcnt', [ctx.v(n)]), q);
      return true;
    case '1:5': // NOT (size 0), RBIT (size 1)
      if (size === 0) writeVec(ctx, d, b.vop('v128.not', [ctx.v(n)]), q);
      else if (size === 1) callLanes(ctx, LaneOp.Rbit, { d: 0, n: 0, m: 0, lanes: bytes }, d, n);
      else return false;
      return true;
    case '0:18':
      if (size === 3) return false;
      narrow(ctx, 'xtn', size, q, d, n);
      return true;
    case '1:18':
    case '0:20':
    case '1:20':
      if (size === 3) return false;
      narrow(ctx, opc === 18 ? 'sqxtun' : u ? 'uqxtn' : 'sqxtn', size, q, d, n);
      return true;
    case '1:19': {
      // SHLL: widen then shift left by the source element width.
      if (size === 3) return false;
      const wide = INT_SHAPE[size + 1]!;
      const ext = b.vop(`${wide}.extend_${q ? 'high' : 'low'}_${INT_SHAPE[size]}_u`, [ctx.v(n)]);
      ctx.setV(d, b.vop(`${wide}.shl`, [ext, b.i32(8 << size)]));
      return true;
    }
  }
  return vectorFp(ctx, f, bytes);
};

function vectorFp(ctx: A64Context, f: Record<string, number>, bytes: number): boolean {
  const [q, u, size, opc, d, n] = [f.q!, f.u!, f.size!, f.opc!, f.rd!, f.rn!];
  const [a, sz] = [size >> 1, size & 1];
  const b = ctx.b;
  if ((opc === 22 || opc === 23) && a === 0 && u === 0) {
    (opc === 22 ? fcvtNarrow : fcvtLong)(ctx, sz, q, d, n);
    return true;
  }
  if (opc === 22 && a === 0 && u === 1) {
    // FCVTXN: double to single rounding to odd (so a later narrowing rounds correctly).
    if (!sz) return false;
    callLanes(ctx, LaneOp.FConvertOdd, { d: 2, n: 3, m: 0, lanes: 2, dstOffset: q ? 2 : 0, keep: q === 1 }, d, n);
    return true;
  }
  if (sz && !q) return false;
  if (opc === 15 && a === 1) {
    // FABS (U = 0), FNEG (U = 1): sign-bit operations.
    const sign = laneConst(ctx, 4 << sz, 1n << BigInt((32 << sz) - 1));
    writeVec(ctx, d, b.vop(u ? 'v128.xor' : 'v128.andnot', [ctx.v(n), sign]), q);
    return true;
  }
  const mode = CVT_TO_INT[`${a}:${opc}`];
  if (mode !== undefined) {
    vectorFloatToInt(ctx, sz, bytes, d, n, mode, u === 1, 0);
    return true;
  }
  if (opc === 29 && a === 0) {
    vectorIntToFloat(ctx, sz, bytes, d, n, u === 1, 0);
    return true;
  }
  if (opc === 28 && a === 1) {
    if (sz) return false;
    callLanes(ctx, u ? LaneOp.Ursqrte : LaneOp.Urecpe, { d: 2, n: 2, m: 2, lanes: bytes >> 2 }, d, n);
    return true;
  }
  const op = FP_UNARY[`${u}:${a}:${opc}`];
  if (!op) return false;
  emitFpOp(ctx, op, sz, bytes, d, n, n);
  return true;
}

/** Scalar two-register misc: the 64-bit integer forms, saturating narrows, float conversions and compares. */
const scalar: A64Handler = (ctx, f) => {
  const [u, size, opc, d, n] = [f.u!, f.size!, f.opc!, f.rd!, f.rn!];
  const intOp = INT_UNARY[`${u}:${opc}`];
  if (intOp) {
    const anySize = opc === 3 || opc === 7;
    if (!anySize && size !== 3) return false;
    return emitIntOp(ctx, intOp, size, 1 << size, d, n, n);
  }
  if (opc === 20 || (opc === 18 && u === 1)) {
    if (size === 3) return false;
    narrow(ctx, opc === 18 ? 'sqxtun' : u ? 'uqxtn' : 'sqxtn', size, 0, d, n, true);
    return true;
  }
  const [a, sz] = [size >> 1, size & 1];
  if (opc === 22 && u === 1 && size === 1) {
    callLanes(ctx, LaneOp.FConvertOdd, { d: 2, n: 3, m: 0, lanes: 1 }, d, n);
    return true;
  }
  if (opc === 31 && u === 0 && a === 1) {
    emitFpOp(ctx, { lane: LaneOp.FRecpX }, sz, 4 << sz, d, n, n);
    return true;
  }
  const t = fpType(sz)!;
  const mode = CVT_TO_INT[`${a}:${opc}`];
  if (mode !== undefined) {
    floatToInt(ctx, t, n, mode, u === 1, sz ? 64 : 32, 0, (v) => writeScalar(ctx, d, v));
    return true;
  }
  if (opc === 29 && a === 0) {
    intToFloat(ctx, t, readElem(ctx, n, 2 + sz), u === 1, 0, d);
    return true;
  }
  const op = FP_UNARY[`${u}:${a}:${opc}`];
  if (!op || (opc !== 29 && (opc < 12 || opc > 14))) return false;
  emitFpOp(ctx, op, sz, 4 << sz, d, n, n);
  return true;
};

export const SIMD_TWO_MISC_ROWS = [
  ['0 q:1 u:1 01110 size:2 10000 opc:5 10 rn:5 rd:5', 'SIMD two-register misc', vector],
  ['01 u:1 11110 size:2 10000 opc:5 10 rn:5 rd:5', 'SIMD scalar two-register misc', scalar],
] as const;
