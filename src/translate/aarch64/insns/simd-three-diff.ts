/**
 * Advanced SIMD three different and vector x indexed element (ARM ARM C4.1.96): the long and wide
 * forms (SADDL/UADDL, SADDW/UADDW, SSUBL/USUBL, SSUBW/USUBW, SMULL/UMULL, SMLAL/UMLAL, SMLSL/UMLSL,
 * SABDL/UABDL, SABAL/UABAL, SQDMULL/SQDMLAL/SQDMLSL, PMULL 8-bit), the narrowing high halves
 * (ADDHN, RADDHN, SUBHN, RSUBHN), and the by-element multiplies (MUL, MLA, MLS, FMUL, FMLA, FMLS,
 * FMULX, the long multiplies, SQDMULH/SQRDMULH).
 *
 * Long forms read the low halves of Vn and Vm (the "2" forms, Q = 1, the high halves).
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { callLanes } from './lane-helpers';
import { LaneOp } from './lane-ops';
import { INT_SHAPE, extractElem } from './simd-common';
import { emitFpOp, emitIntOp, fusedLanes, type FpOp } from './simd-three-same';
import { intMul } from './simd-vector-ops';

/** Extends the low (q = 0) or high (q = 1) half of v to double-width lanes. */
function extendHalf(ctx: A64Context, v: Temp, size: number, q: number, unsigned: boolean): Temp {
  const op = `${INT_SHAPE[size + 1]}.extend_${q ? 'high' : 'low'}_${INT_SHAPE[size]}_${unsigned ? 'u' : 's'}`;
  return ctx.b.vop(op, [v]);
}

/** Widening multiply of the low or high halves. */
function mulLong(ctx: A64Context, a: Temp, b: Temp, size: number, q: number, unsigned: boolean): Temp {
  const op = `${INT_SHAPE[size + 1]}.extmul_${q ? 'high' : 'low'}_${INT_SHAPE[size]}_${unsigned ? 'u' : 's'}`;
  return ctx.b.vop(op, [a, b]);
}

/** The lane ops computed in the helper, by `${U}:${opcode}`. */
const WIDE_LANE_OPS: Record<string, LaneOp> = {
  '0:5': LaneOp.Sabal,
  '1:5': LaneOp.Uabal,
  '0:7': LaneOp.Sabdl,
  '1:7': LaneOp.Uabdl,
  '0:9': LaneOp.Sqdmlal,
  '0:11': LaneOp.Sqdmlsl,
  '0:13': LaneOp.Sqdmull,
  '0:14': LaneOp.Pmull,
};
const NARROW_LANE_OPS: Record<string, LaneOp> = {
  '0:4': LaneOp.Addhn,
  '1:4': LaneOp.Raddhn,
  '0:6': LaneOp.Subhn,
  '1:6': LaneOp.Rsubhn,
};

/** The native long/wide ops: result from (Vd, Vn, Vm) at double width, or undefined. */
function longNative(ctx: A64Context, opc: number, size: number, q: number, unsigned: boolean, d: number, n: number, m: number): Temp | undefined {
  const b = ctx.b;
  const wide = INT_SHAPE[size + 1]!;
  const ext = (r: number): Temp => extendHalf(ctx, ctx.v(r), size, q, unsigned);
  switch (opc) {
    case 0:
      return b.vop(`${wide}.add`, [ext(n), ext(m)]);
    case 1:
      return b.vop(`${wide}.add`, [ctx.v(n), ext(m)]);
    case 2:
      return b.vop(`${wide}.sub`, [ext(n), ext(m)]);
    case 3:
      return b.vop(`${wide}.sub`, [ctx.v(n), ext(m)]);
    case 8:
      return b.vop(`${wide}.add`, [ctx.v(d), mulLong(ctx, ctx.v(n), ctx.v(m), size, q, unsigned)]);
    case 10:
      return b.vop(`${wide}.sub`, [ctx.v(d), mulLong(ctx, ctx.v(n), ctx.v(m), size, q, unsigned)]);
    case 12:
      return mulLong(ctx, ctx.v(n), ctx.v(m), size, q, unsigned);
    default:
      return undefined;
  }
}

const threeDifferent: A64Handler = (ctx, f) => {
  const [q, u, size, opc, d, n, m] = [f.q!, f.u!, f.size!, f.opc!, f.rd!, f.rn!, f.rm!];
  if (size === 3) return false;
  const lanes = 8 >> size;
  const narrowOp = NARROW_LANE_OPS[`${u}:${opc}`];
  if (narrowOp !== undefined) {
    callLanes(ctx, narrowOp, { d: size, n: size + 1, m: size + 1, lanes, dstOffset: q ? lanes : 0, keep: q === 1 }, d, n, m);
    return true;
  }
  const native = longNative(ctx, opc, size, q, u === 1, d, n, m);
  if (native) {
    ctx.setV(d, native);
    return true;
  }
  const laneOp = WIDE_LANE_OPS[`${u}:${opc}`];
  if (laneOp === undefined || (laneOp === LaneOp.Pmull && size !== 0)) return false;
  if ((opc === 9 || opc === 11 || opc === 13) && (size === 0 || size === 3)) return false;
  callLanes(ctx, laneOp, { d: size + 1, n: size, m: size, lanes, srcOffset: q ? lanes : 0 }, d, n, m);
  return true;
};

/** Element index and Vm of a by-element form: H:L:M with Vm < 16 for halfwords, H:L for words, H for doublewords. */
function indexed(f: Record<string, number>, size: number): { index: number; m: number } | undefined {
  const [h, l, mBit, rm] = [f.h!, f.l!, f.mb!, f.rm!];
  if (size === 1) return { index: (h << 2) | (l << 1) | mBit, m: rm };
  if (size === 2) return { index: (h << 1) | l, m: (mBit << 4) | rm };
  if (size === 3 && !l) return { index: h, m: (mBit << 4) | rm };
  return undefined;
}

/** FP by-element ops by `${U}:${opcode}`. */
const FP_INDEXED: Record<string, FpOp> = {
  '0:1': { native: fusedLanes(false), lane: LaneOp.FMla },
  '0:5': { native: fusedLanes(true), lane: LaneOp.FMls },
  '0:9': { native: (ctx, shape, a, b) => ctx.b.vop(`${shape}.mul`, [a, b]), lane: LaneOp.FMul },
  '1:9': { lane: LaneOp.FMulX },
};

const INT_INDEXED_LANES: Record<string, LaneOp> = {
  '0:12': LaneOp.Sqdmulh,
  '0:13': LaneOp.Sqrdmulh,
};

function byElement(ctx: A64Context, f: Record<string, number>, scalar: boolean): boolean {
  const [q, u, size, opc, d, n] = [f.q ?? 0, f.u!, f.size!, f.opc!, f.rd!, f.rn!];
  const b = ctx.b;
  const fpOp = FP_INDEXED[`${u}:${opc}`];
  if (fpOp) {
    if (size < 2 || (size === 3 && !q && !scalar)) return false;
    const el = indexed(f, size);
    if (!el) return false;
    const sz = size - 2;
    const value = b.vop(`${sz ? 'f64x2' : 'f32x4'}.splat`, [
      b.vop(`${sz ? 'f64x2' : 'f32x4'}.extract_lane`, [ctx.v(el.m)], el.index),
    ]);
    emitFpOp(ctx, fpOp, sz, scalar ? 4 << sz : q ? 16 : 8, d, n, el.m, { index: el.index, value });
    return true;
  }
  if (size === 0 || size === 3) return false;
  const el = indexed(f, size);
  if (!el) return false;
  const bytes = scalar ? 1 << size : q ? 16 : 8;
  const lanes = Math.max(1, bytes >> size);
  const laneOp = INT_INDEXED_LANES[`${u}:${opc}`];
  if (laneOp !== undefined) {
    callLanes(ctx, laneOp, { d: size, n: size, m: size, lanes, mIndex: el.index }, d, n, el.m);
    return true;
  }
  if (scalar) return false;
  const elem = b.vop(`${INT_SHAPE[size]}.splat`, [extractElem(ctx, ctx.v(el.m), size, el.index)]);
  const shape = INT_SHAPE[size]!;
  const unsigned = u === 1;
  switch (`${u}:${opc}`) {
    case '0:8': // MUL
      return emitIntOp(ctx, { native: (c, x) => intMul(c, x.size, x.a, elem) }, size, bytes, d, n, n);
    case '1:0': // MLA
    case '1:4': // MLS
      return emitIntOp(
        ctx,
        { native: (c, x) => c.b.vop(`${shape}.${opc ? 'sub' : 'add'}`, [x.d(), intMul(c, x.size, x.a, elem)]) },
        size,
        bytes,
        d,
        n,
        n,
      );
  }
  // Long multiplies by element: SMULL/UMULL (10), SMLAL/UMLAL (2), SMLSL/UMLSL (6).
  const product = (): Temp => mulLong(ctx, ctx.v(n), elem, size, q, unsigned);
  const wide = INT_SHAPE[size + 1]!;
  if (opc === 10) ctx.setV(d, product());
  else if (opc === 2) ctx.setV(d, b.vop(`${wide}.add`, [ctx.v(d), product()]));
  else if (opc === 6) ctx.setV(d, b.vop(`${wide}.sub`, [ctx.v(d), product()]));
  else return false;
  return true;
}

export const SIMD_THREE_DIFF_ROWS = [
  ['0 q:1 u:1 01110 size:2 1 rm:5 opc:4 00 rn:5 rd:5', 'SIMD three different', threeDifferent],
  [
    '0 q:1 u:1 01111 size:2 l:1 mb:1 rm:4 opc:4 h:1 0 rn:5 rd:5',
    'SIMD vector x indexed element',
    ((ctx, f) => byElement(ctx, f, false)) as A64Handler,
  ],
  [
    '01 u:1 11111 size:2 l:1 mb:1 rm:4 opc:4 h:1 0 rn:5 rd:5',
    'SIMD scalar x indexed element',
    ((ctx, f) => byElement(ctx, f, true)) as A64Handler,
  ],
] as const;
