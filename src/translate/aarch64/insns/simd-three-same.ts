/**
 * Advanced SIMD three same (ARM ARM C4.1.96, "Advanced SIMD three same" and "Advanced SIMD scalar
 * three same"): lane-wise integer, logical and floating-point operations on Vn and Vm.
 *
 * Each operation has a wasm composition when one exists for the element size, and otherwise (or,
 * for floats, when a lane is not finite or FPCR is not the default) runs its LaneOp in the helper.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { fusedMulAddLanes } from './fp-fused';
import { callLanes, type LaneShape } from './lane-helpers';
import { LaneOp } from './lane-ops';
import {
  FP_SHAPE,
  INT_SHAPE,
  anyNotFinite,
  flushesDenormals,
  guarded,
  keepLow,
  laneConst,
  orFlushedLanes,
  roundsToNearest,
  writeVec,
} from './simd-common';
import { absDiff, intMul, pairSplit, unsignedCompare } from './simd-vector-ops';

/** Operands of a lane-wise emitter: element size, and the registers (Vd read lazily for accumulates). */
export interface LaneArgs {
  size: number;
  a: Temp;
  b: Temp;
  d: () => Temp;
}
type Native = (ctx: A64Context, x: LaneArgs) => Temp | undefined;

const vop =
  (name: string, maxSize = 3): Native =>
  (ctx, x) =>
    x.size <= maxSize ? ctx.b.vop(`${INT_SHAPE[x.size]}.${name}`, [x.a, x.b]) : undefined;

export interface IntOp {
  native?: Native;
  lane?: LaneOp;
  pairwise?: boolean;
}

/** Integer three-same operations by [opcode][U]. */
const INT_OPS: (readonly [IntOp, IntOp])[] = [
  [{ lane: LaneOp.Shadd }, { lane: LaneOp.Uhadd }],
  [
    { native: vop('add_sat_s', 1), lane: LaneOp.Sqadd },
    { native: vop('add_sat_u', 1), lane: LaneOp.Uqadd },
  ],
  [{ lane: LaneOp.Srhadd }, { native: vop('avgr_u', 1), lane: LaneOp.Urhadd }],
  [{}, {}], // logical, decoded by its own row
  [{ lane: LaneOp.Shsub }, { lane: LaneOp.Uhsub }],
  [
    { native: vop('sub_sat_s', 1), lane: LaneOp.Sqsub },
    { native: vop('sub_sat_u', 1), lane: LaneOp.Uqsub },
  ],
  [{ native: vop('gt_s') }, { native: (ctx, x) => unsignedCompare(ctx, x.size, 'gt', x.a, x.b) }],
  [{ native: vop('ge_s') }, { native: (ctx, x) => unsignedCompare(ctx, x.size, 'ge', x.a, x.b) }],
  [{ lane: LaneOp.Sshl }, { lane: LaneOp.Ushl }],
  [{ lane: LaneOp.Sqshl }, { lane: LaneOp.Uqshl }],
  [{ lane: LaneOp.Srshl }, { lane: LaneOp.Urshl }],
  [{ lane: LaneOp.Sqrshl }, { lane: LaneOp.Uqrshl }],
  [{ native: vop('max_s', 2) }, { native: vop('max_u', 2) }],
  [{ native: vop('min_s', 2) }, { native: vop('min_u', 2) }],
  [
    {
      native: (ctx, x) => (x.size < 3 ? absDiff(ctx, x.size, true, x.a, x.b) : undefined),
      lane: LaneOp.Sabd,
    },
    {
      native: (ctx, x) => (x.size < 3 ? absDiff(ctx, x.size, false, x.a, x.b) : undefined),
      lane: LaneOp.Uabd,
    },
  ],
  [
    {
      native: (ctx, x) => accumulate(ctx, x, absDiff(ctx, x.size, true, x.a, x.b), 'add'),
      lane: LaneOp.Saba,
    },
    {
      native: (ctx, x) => accumulate(ctx, x, absDiff(ctx, x.size, false, x.a, x.b), 'add'),
      lane: LaneOp.Uaba,
    },
  ],
  [{ native: vop('add') }, { native: vop('sub') }],
  [
    {
      native: (ctx, x) =>
        ctx.b.vop(`${INT_SHAPE[x.size]}.ne`, [ctx.b.vop('v128.and', [x.a, x.b]), laneConst(ctx, 16, 0n)]),
    },
    { native: vop('eq') },
  ],
  [
    { native: (ctx, x) => accumulate(ctx, x, intMul(ctx, x.size, x.a, x.b), 'add') },
    { native: (ctx, x) => accumulate(ctx, x, intMul(ctx, x.size, x.a, x.b), 'sub') },
  ],
  [{ native: (ctx, x) => intMul(ctx, x.size, x.a, x.b) }, { lane: LaneOp.Pmul }],
  [
    { native: vop('max_s', 2), pairwise: true },
    { native: vop('max_u', 2), pairwise: true },
  ],
  [
    { native: vop('min_s', 2), pairwise: true },
    { native: vop('min_u', 2), pairwise: true },
  ],
  [{ lane: LaneOp.Sqdmulh }, { lane: LaneOp.Sqrdmulh }],
  [{ native: vop('add'), pairwise: true }, {}],
];

function accumulate(ctx: A64Context, x: LaneArgs, v: Temp | undefined, op: 'add' | 'sub'): Temp | undefined {
  if (!v) return undefined;
  return ctx.b.vop(`${INT_SHAPE[x.size]}.${op}`, [x.d(), v]);
}

/**
 * Emits an integer lane operation into Vd, keeping `bytes` bytes of the result (16 or 8 for vectors,
 * the element size for scalars).
 */
export function emitIntOp(
  ctx: A64Context,
  op: IntOp,
  size: number,
  bytes: number,
  d: number,
  n: number,
  m: number,
): boolean {
  let a = ctx.v(n);
  let b = ctx.v(m);
  if (op.pairwise) [a, b] = pairSplit(ctx, size, bytes === 16 ? 1 : 0, a, b);
  const result = op.native?.(ctx, { size, a, b, d: () => ctx.v(d) });
  if (result) {
    ctx.setV(d, keepLow(ctx, result, bytes));
    return true;
  }
  if (op.lane === undefined) return false;
  const shape: LaneShape = {
    d: size,
    n: size,
    m: size,
    lanes: Math.max(1, bytes >> size),
    pairwise: op.pairwise,
  };
  callLanes(ctx, op.lane, shape, d, n, m);
  return true;
}

const intVector: A64Handler = (ctx, f) => {
  const op = INT_OPS[f.opc!]?.[f.u! as 0 | 1];
  if (!op || (f.size === 3 && !f.q)) return false;
  return emitIntOp(ctx, op, f.size!, f.q ? 16 : 8, f.rd!, f.rn!, f.rm!);
};

/** Scalar three same: the 64-bit forms (ADD, SUB, CMxx, xSHL) and saturating ops of any size. */
const intScalar: A64Handler = (ctx, f) => {
  const op = INT_OPS[f.opc!]?.[f.u! as 0 | 1];
  const anySize = [1, 5, 9, 11].includes(f.opc!) || (f.opc === 22 && (f.size === 1 || f.size === 2));
  const doubleword = [6, 7, 8, 10, 16, 17].includes(f.opc!) && f.size === 3;
  if (!op || !(anySize || doubleword)) return false;
  return emitIntOp(ctx, op, f.size!, 1 << f.size!, f.rd!, f.rn!, f.rm!);
};

/** AND, BIC, ORR, ORN (U = 0) and EOR, BSL, BIT, BIF (U = 1) by `size`. */
const logical: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const [n, m, d] = [ctx.v(f.rn!), ctx.v(f.rm!), f.rd!];
  const op = (f.u! << 2) | f.size!;
  const results: (() => Temp)[] = [
    () => b.vop('v128.and', [n, m]),
    () => b.vop('v128.andnot', [n, m]),
    () => b.vop('v128.or', [n, m]),
    () => b.vop('v128.or', [n, b.vop('v128.not', [m])]),
    () => b.vop('v128.xor', [n, m]),
    () => b.vop('v128.bitselect', [n, m, ctx.v(d)]),
    () => b.vop('v128.bitselect', [n, ctx.v(d), m]),
    () => b.vop('v128.bitselect', [ctx.v(d), n, m]),
  ];
  writeVec(ctx, d, results[op]!(), f.q!);
  return true;
};

/** A float lane operation: wasm composition, or the helper (not finite, FPCR, or no composition). */
export interface FpOp {
  native?: (ctx: A64Context, shape: string, a: Temp, b: Temp, d: () => Temp) => Temp;
  lane: LaneOp;
  pairwise?: boolean;
  /** The result is a mask, not floats: no finiteness check. */
  mask?: boolean;
  /** LaneOp immediate (rounding spec, compare kind...). */
  param?: number;
  /** Honours FPCR only through flush-to-zero (explicit rounding, compares): fast under directed rounding. */
  ignoresRounding?: boolean;
}

const fvop =
  (name: string): FpOp['native'] =>
  (ctx, shape, a, b) =>
    ctx.b.vop(`${shape}.${name}`, [a, b]);
const absBoth =
  (name: string): FpOp['native'] =>
  (ctx, shape, a, b) =>
    ctx.b.vop(`${shape}.${name}`, [ctx.b.vop(`${shape}.abs`, [a]), ctx.b.vop(`${shape}.abs`, [b])]);

/** FMLA (Vd + Vn * Vm) and FMLS (Vd - Vn * Vm), fused, lane by lane. */
export const fusedLanes =
  (negate: boolean): FpOp['native'] =>
  (ctx, shape, a, b, d) =>
    fusedMulAddLanes(ctx, shape as 'f32x4' | 'f64x2', negate ? ctx.b.vop(`${shape}.neg`, [a]) : a, b, d());

/** FP three-same by [U][a (size bit 1)][opcode low 3 bits]. */
const FP_OPS: (FpOp | undefined)[][][] = [
  [
    [
      { native: fvop('max'), lane: LaneOp.FMaxNm },
      { native: fusedLanes(false), lane: LaneOp.FMla },
      { native: fvop('add'), lane: LaneOp.FAdd },
      { lane: LaneOp.FMulX },
      { native: fvop('eq'), lane: LaneOp.FCmEq, mask: true },
      undefined,
      { native: fvop('max'), lane: LaneOp.FMax },
      { lane: LaneOp.FRecpStep },
    ],
    [
      { native: fvop('min'), lane: LaneOp.FMinNm },
      { native: fusedLanes(true), lane: LaneOp.FMls },
      { native: fvop('sub'), lane: LaneOp.FSub },
      undefined,
      undefined,
      undefined,
      { native: fvop('min'), lane: LaneOp.FMin },
      { lane: LaneOp.FRSqrtStep },
    ],
  ],
  [
    [
      { native: fvop('max'), lane: LaneOp.FMaxNm, pairwise: true },
      undefined,
      { native: fvop('add'), lane: LaneOp.FAdd, pairwise: true },
      { native: fvop('mul'), lane: LaneOp.FMul },
      { native: fvop('ge'), lane: LaneOp.FCmGe, mask: true },
      { native: absBoth('ge'), lane: LaneOp.FAcGe, mask: true },
      { native: fvop('max'), lane: LaneOp.FMax, pairwise: true },
      { native: fvop('div'), lane: LaneOp.FDiv },
    ],
    [
      { native: fvop('min'), lane: LaneOp.FMinNm, pairwise: true },
      undefined,
      {
        native: (ctx, shape, a, b) => ctx.b.vop(`${shape}.abs`, [ctx.b.vop(`${shape}.sub`, [a, b])]),
        lane: LaneOp.FAbd,
      },
      undefined,
      { native: fvop('gt'), lane: LaneOp.FCmGt, mask: true },
      { native: absBoth('gt'), lane: LaneOp.FAcGt, mask: true },
      { native: fvop('min'), lane: LaneOp.FMin, pairwise: true },
      undefined,
    ],
  ],
];

/**
 * Emits a float lane operation on elements of `sz` (0 single, 1 double) into Vd, keeping `bytes`
 * bytes. By-element forms pass Vm's element index and its broadcast value as `element`.
 */
export function emitFpOp(
  ctx: A64Context,
  op: FpOp,
  sz: number,
  bytes: number,
  d: number,
  n: number,
  m: number,
  element?: { index: number; value: Temp },
): void {
  const size = 2 + sz;
  const lanes = Math.max(1, bytes >> size);
  const shape: LaneShape = { d: size, n: size, m: size, lanes, pairwise: op.pairwise, param: op.param ?? 0 };
  if (element) shape.mIndex = element.index;
  const slow = (): void => callLanes(ctx, op.lane, shape, d, n, m);
  const exempt = op.mask || op.ignoresRounding;
  if (!op.native || (!exempt && !roundsToNearest(ctx))) return slow();
  const fshape = FP_SHAPE[sz]!;
  let a = ctx.v(n);
  let b = element?.value ?? ctx.v(m);
  if (op.pairwise) [a, b] = pairSplit(ctx, size, bytes === 16 ? 1 : 0, a, b);
  const operands = [a, b];
  const accumulator = (): Temp => {
    const v = ctx.v(d);
    operands.push(v);
    return v;
  };
  const r = keepLow(ctx, op.native(ctx, fshape, a, b, accumulator), bytes);
  // A mask is no float: only its operands can be flushed.
  if (op.mask && !flushesDenormals(ctx)) return ctx.setV(d, r);
  const bad = op.mask ? ctx.b.i32(0) : anyNotFinite(ctx, fshape, r);
  guarded(ctx, orFlushedLanes(ctx, fshape, bad, operands, op.mask ? [] : [r]), () => ctx.setV(d, r), slow);
}

function fpOpOf(f: Record<string, number>): FpOp | undefined {
  return FP_OPS[f.u!]?.[f.size! >> 1]?.[f.opc! & 7];
}

const fpVector: A64Handler = (ctx, f) => {
  const op = fpOpOf(f);
  const sz = f.size! & 1;
  if (!op || (sz && !f.q)) return false;
  emitFpOp(ctx, op, sz, f.q ? 16 : 8, f.rd!, f.rn!, f.rm!);
  return true;
};

const SCALAR_FP_OPS = [
  LaneOp.FMulX,
  LaneOp.FCmEq,
  LaneOp.FCmGe,
  LaneOp.FCmGt,
  LaneOp.FAcGe,
  LaneOp.FAcGt,
  LaneOp.FRecpStep,
  LaneOp.FRSqrtStep,
  LaneOp.FAbd,
];

/** Scalar FP three same: FMULX, FCMxx, FACxx, FRECPS, FRSQRTS, FABD. */
const fpScalar: A64Handler = (ctx, f) => {
  const op = fpOpOf(f);
  const sz = f.size! & 1;
  if (!op || op.pairwise || !SCALAR_FP_OPS.includes(op.lane)) return false;
  emitFpOp(ctx, op, sz, 4 << sz, f.rd!, f.rn!, f.rm!);
  return true;
};

export const SIMD_THREE_SAME_ROWS = [
  ['0 q:1 u:1 01110 size:2 1 rm:5 00011 1 rn:5 rd:5', 'SIMD logical (three same)', logical],
  ['0 q:1 u:1 01110 size:2 1 rm:5 11 opc:3 1 rn:5 rd:5', 'SIMD FP three same', fpVector],
  ['0 q:1 u:1 01110 size:2 1 rm:5 opc:5 1 rn:5 rd:5', 'SIMD integer three same', intVector],
  ['01 u:1 11110 size:2 1 rm:5 11 opc:3 1 rn:5 rd:5', 'SIMD scalar FP three same', fpScalar],
  ['01 u:1 11110 size:2 1 rm:5 opc:5 1 rn:5 rd:5', 'SIMD scalar integer three same', intScalar],
] as const;
