/**
 * Advanced SIMD across lanes and scalar pairwise (ARM ARM C4.1.96, "Advanced SIMD across lanes",
 * "Advanced SIMD scalar pairwise"): ADDV, SADDLV/UADDLV, SMAXV/UMAXV/SMINV/UMINV, FMAXV/FMINV/
 * FMAXNMV/FMINNMV, and ADDP/FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP on the two lanes of one register.
 *
 * Integer reductions fold the vector in halves with shuffles (log2 lanes steps). Float reductions
 * do the same natively; when a lane is not finite the helper recomputes them in ARM's order,
 * op(op(e0, e1), op(e2, e3)), which matters for NaN propagation.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { callFpScalar } from './lane-helpers';
import { LaneOp } from './lane-ops';
import {
  INT_SHAPE,
  anyNotFinite,
  extractElem,
  fastFp,
  guarded,
  keepLow,
  notFinite,
  selectors,
  toBits64,
  writeScalar,
} from './simd-common';

/** Folds the low `width` bytes of v (elements of `e` bytes) with `op` until one element remains. */
function fold(ctx: A64Context, v: Temp, width: number, e: number, op: (a: Temp, b: Temp) => Temp): Temp {
  let r = v;
  for (let w = width; w > e; w >>= 1) {
    const half = w >> 1;
    r = op(r, ctx.b.vop('i8x16.shuffle', [r, r], selectors((i) => (i + half) % 16)));
  }
  return r;
}

/** Widens pairs so a long sum cannot overflow: elements of 2^size bytes become 2^(size+1). */
function widenPairs(ctx: A64Context, v: Temp, size: number, unsigned: boolean): Temp {
  const b = ctx.b;
  const sx = unsigned ? 'u' : 's';
  if (size < 2) return b.vop(`${INT_SHAPE[size + 1]}.extadd_pairwise_${INT_SHAPE[size]}_${sx}`, [v]);
  return b.vop('i64x2.add', [b.vop(`i64x2.extend_low_i32x4_${sx}`, [v]), b.vop(`i64x2.extend_high_i32x4_${sx}`, [v])]);
}

/** Integer reductions by `${U}:${opcode}`: the lane op applied at each fold. */
const INT_REDUCTIONS: Record<string, string> = {
  '0:10': 'max_s',
  '1:10': 'max_u',
  '0:26': 'min_s',
  '1:26': 'min_u',
  '0:27': 'add',
};

/** Float scalar ops for the reductions and pairwise forms, by `${U}:${a}:${opcode}`. */
const FP_PAIR_OPS: Record<string, [LaneOp, 'max' | 'min' | 'add']> = {
  '1:0:12': [LaneOp.FMaxNm, 'max'],
  '1:1:12': [LaneOp.FMinNm, 'min'],
  '1:0:15': [LaneOp.FMax, 'max'],
  '1:1:15': [LaneOp.FMin, 'min'],
  '1:0:13': [LaneOp.FAdd, 'add'],
};

/**
 * Combines float elements `elems` (register n, elements of 2^size bytes) the ARM way, through the
 * helper: pairs, then pairs of results. Used as the slow path.
 */
function fpReduceExact(ctx: A64Context, op: LaneOp, size: number, n: number, count: number): Temp {
  const v = ctx.v(n);
  let level = Array.from({ length: count }, (_, i) => toBits64(ctx, extractElem(ctx, v, size, i)));
  while (level.length > 1) {
    const next: Temp[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(callFpScalar(ctx, op, { d: size, n: size, m: size }, [level[i]!, level[i + 1]!]));
    }
    level = next;
  }
  return level[0]!;
}

const acrossLanes: A64Handler = (ctx, f) => {
  const [q, u, size, opc, d, n] = [f.q!, f.u!, f.size!, f.opc!, f.rd!, f.rn!];
  const b = ctx.b;
  const width = q ? 16 : 8;
  const e = 1 << size;
  if (opc === 12 || opc === 15) {
    // FMAXNMV/FMINNMV/FMAXV/FMINV: single precision, four lanes.
    const entry = FP_PAIR_OPS[`${u}:${size >> 1}:${opc}`];
    if (!entry || !q || size & 1) return false;
    const [op, native] = entry;
    const slow = (): void => writeScalar(ctx, d, fpReduceExact(ctx, op, 2, n, 4));
    if (!fastFp(ctx)) {
      slow();
      return true;
    }
    const v = ctx.v(n);
    const r = fold(ctx, v, 16, 4, (x, y) => b.vop(`f32x4.${native}`, [x, y]));
    guarded(ctx, anyNotFinite(ctx, 'f32x4', v), () => ctx.setV(d, keepLow(ctx, r, 4)), slow);
    return true;
  }
  if (size === 3 || (size === 2 && !q)) return false;
  if (opc === 3) {
    // SADDLV/UADDLV: widen in pairs, then add at double width.
    const wide = widenPairs(ctx, ctx.v(n), size, u === 1);
    const r = fold(ctx, wide, width, 2 * e, (x, y) => b.vop(`${INT_SHAPE[size + 1]}.add`, [x, y]));
    ctx.setV(d, keepLow(ctx, r, 2 * e));
    return true;
  }
  const lane = INT_REDUCTIONS[`${u}:${opc}`];
  if (!lane) return false;
  const r = fold(ctx, ctx.v(n), width, e, (x, y) => b.vop(`${INT_SHAPE[size]}.${lane}`, [x, y]));
  ctx.setV(d, keepLow(ctx, r, e));
  return true;
};

/** Scalar pairwise: ADDP Dd, Vn.2D, and the float forms on the two elements of Vn. */
const scalarPairwise: A64Handler = (ctx, f) => {
  const [u, size, opc, d, n] = [f.u!, f.size!, f.opc!, f.rd!, f.rn!];
  const b = ctx.b;
  if (u === 0 && opc === 27) {
    if (size !== 3) return false;
    const v = ctx.v(n);
    writeScalar(ctx, d, b.add(b.vop('i64x2.extract_lane', [v], 0), b.vop('i64x2.extract_lane', [v], 1)));
    return true;
  }
  const entry = FP_PAIR_OPS[`${u}:${size >> 1}:${opc}`];
  if (!entry) return false;
  const [op, native] = entry;
  const sz = size & 1;
  const fsize = 2 + sz;
  const slow = (): void => writeScalar(ctx, d, fpReduceExact(ctx, op, fsize, n, 2));
  if (!fastFp(ctx)) {
    slow();
    return true;
  }
  const v = ctx.v(n);
  const shape = sz ? 'f64x2' : 'f32x4';
  const x = b.vop(`${shape}.extract_lane`, [v], 0);
  const y = b.vop(`${shape}.extract_lane`, [v], 1);
  const r = b.binary(native === 'add' ? 'fadd' : native === 'max' ? 'fmax' : 'fmin', x, y);
  guarded(ctx, notFinite(ctx, r), () => writeScalar(ctx, d, r), slow);
  return true;
};

export const SIMD_ACROSS_ROWS = [
  ['0 q:1 u:1 01110 size:2 11000 opc:5 10 rn:5 rd:5', 'SIMD across lanes', acrossLanes],
  ['01 u:1 11110 size:2 11000 opc:5 10 rn:5 rd:5', 'SIMD scalar pairwise', scalarPairwise],
] as const;
