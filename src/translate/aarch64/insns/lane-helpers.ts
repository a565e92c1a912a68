/**
 * The two helpers through which translated FP/SIMD code reaches lane-ops.ts, and the IR to call them.
 *
 * `a64.lanes` runs one LaneOp over the lanes of V registers in guest state (reading Vn, Vm and the
 * old Vd, writing Vd), so vector instructions of any lane count, widening or narrowing, share it.
 * `a64.fp_scalar` runs one LaneOp on bit patterns passed as arguments and returns the result, for
 * scalar FP. Both take FPCR from state and OR the exceptions they raise into FPSR.
 */
import type { Temp } from '../../ir/block';
import { defineHelper, type HelperContext } from '../../ir/helpers';
import type { A64Context } from '../context';
import { FPCR, FPSR, vreg } from '../state';
import { FpEnv } from './fp-soft';
import { LANE_OPS, type LaneCtx, type LaneOp } from './lane-ops';

/** How a lane operation maps onto registers: element sizes (log2 of bytes), lanes, offsets. */
export interface LaneShape {
  /** log2 of the element size in bytes of Vd, Vn and Vm (0 = 8-bit .. 3 = 64-bit). */
  d: number;
  n: number;
  m: number;
  /** Number of result lanes. */
  lanes: number;
  /** First source lane of Vn/Vm (upper-half "2" forms of widening ops). */
  srcOffset?: number;
  /** First result lane in Vd; with `keep`, Vd's other lanes are kept (narrowing "2" forms). */
  dstOffset?: number;
  keep?: boolean;
  /** Operation immediate (< 4096). */
  param?: number;
  /**
   * Pairwise: result lane i combines elements 2i and 2i+1 of the concatenation Vn:Vm (each holding
   * `lanes` elements), as ADDP/FADDP/FMAXP do.
   */
  pairwise?: boolean;
  /** By-element forms: every lane takes Vm's element `mIndex` as its second operand. */
  mIndex?: number;
}

function encodeShape(s: LaneShape): number {
  return (
    s.d |
    (s.n << 2) |
    (s.m << 4) |
    ((s.lanes - 1) << 6) |
    ((s.pairwise ? 1 : 0) << 10) |
    ((s.srcOffset ?? 0) << 11) |
    ((s.dstOffset ?? 0) << 15) |
    ((s.keep ? 1 : 0) << 19) |
    ((s.param ?? 0) << 20)
  );
}

interface Decoded {
  d: number;
  n: number;
  m: number;
  lanes: number;
  pairwise: boolean;
  srcOffset: number;
  dstOffset: number;
  keep: boolean;
  param: number;
}

function decodeShape(spec: number): Decoded {
  return {
    d: spec & 3,
    n: (spec >>> 2) & 3,
    m: (spec >>> 4) & 3,
    lanes: ((spec >>> 6) & 15) + 1,
    pairwise: ((spec >>> 10) & 1) === 1,
    srcOffset: (spec >>> 11) & 15,
    dstOffset: (spec >>> 15) & 15,
    keep: ((spec >>> 19) & 1) === 1,
    param: spec >>> 20,
  };
}

/** State offset as an unsigned address (generated code passes it as an i32, which may read negative). */
const stateAt = (h: HelperContext, offset: number): number => (h.stateBase >>> 0) + offset;

function envOf(h: HelperContext): FpEnv {
  return FpEnv.fromFpcr(h.view.getUint32(stateAt(h, FPCR), true));
}
function commitFlags(h: HelperContext, env: FpEnv): void {
  if (env.flags === 0) return;
  const at = stateAt(h, FPSR);
  h.view.setUint32(at, h.view.getUint32(at, true) | env.flags, true);
}

function readLane(h: HelperContext, reg: number, sizeLog: number, lane: number): bigint {
  const at = stateAt(h, vreg(reg) + (lane << sizeLog));
  switch (sizeLog) {
    case 0:
      return BigInt(h.view.getUint8(at));
    case 1:
      return BigInt(h.view.getUint16(at, true));
    case 2:
      return BigInt(h.view.getUint32(at, true));
    default:
      return h.view.getBigUint64(at, true);
  }
}

function writeLane(h: HelperContext, reg: number, sizeLog: number, lane: number, value: bigint): void {
  const at = stateAt(h, vreg(reg) + (lane << sizeLog));
  switch (sizeLog) {
    case 0:
      return h.view.setUint8(at, Number(value & 0xffn));
    case 1:
      return h.view.setUint16(at, Number(value & 0xffffn), true);
    case 2:
      return h.view.setUint32(at, Number(value & 0xffffffffn), true);
    default:
      return h.view.setBigUint64(at, BigInt.asUintN(64, value), true);
  }
}

const laneCtx = (env: FpEnv, s: Decoded): LaneCtx => ({
  env,
  dBits: 8 << s.d,
  nBits: 8 << s.n,
  mBits: 8 << s.m,
  param: s.param,
});

const LANES = defineHelper({
  name: 'a64.lanes',
  params: ['i32', 'i32', 'i32'],
  result: null,
  impl(h, op, spec, regs) {
    const s = decodeShape(Number(spec));
    const r = Number(regs);
    const [rd, rn, rm] = [r & 31, (r >>> 5) & 31, (r >>> 10) & 31];
    const mIndex = (r >>> 15) - 1;
    const env = envOf(h);
    const x = laneCtx(env, s);
    const fn = LANE_OPS[Number(op) as LaneOp];
    const results: bigint[] = [];
    const pairElem = (j: number): bigint => (j < s.lanes ? readLane(h, rn, s.n, j) : readLane(h, rm, s.m, j - s.lanes));
    for (let i = 0; i < s.lanes; i++) {
      const a = s.pairwise ? pairElem(2 * i) : readLane(h, rn, s.n, i + s.srcOffset);
      const b = s.pairwise
        ? pairElem(2 * i + 1)
        : readLane(h, rm, s.m, mIndex >= 0 ? mIndex : i + s.srcOffset);
      const c = readLane(h, rd, s.d, i + s.dstOffset);
      results.push(fn(a, b, c, x));
    }
    if (!s.keep) for (let i = 0; i < 16; i++) h.view.setUint8(stateAt(h, vreg(rd) + i), 0);
    results.forEach((v, i) => writeLane(h, rd, s.d, i + s.dstOffset, v));
    commitFlags(h, env);
  },
});

const FP_SCALAR = defineHelper({
  name: 'a64.fp_scalar',
  params: ['i32', 'i32', 'i64', 'i64', 'i64'],
  result: 'i64',
  impl(h, op, spec, a, b, c) {
    const s = decodeShape(Number(spec));
    const env = envOf(h);
    const [x, y, z] = [a, b, c].map((v) => BigInt.asUintN(64, BigInt(v))) as [bigint, bigint, bigint];
    const result = LANE_OPS[Number(op) as LaneOp](x, y, z, laneCtx(env, s));
    commitFlags(h, env);
    return BigInt.asUintN(64, result);
  },
});

/** Vd = op over lanes of Vn, Vm (and old Vd), computed by the reference helper. */
export function callLanes(ctx: A64Context, op: LaneOp, shape: LaneShape, d: number, n: number, m = 0): void {
  const b = ctx.b;
  const regs = d | (n << 5) | (m << 10) | ((shape.mIndex ?? -1) + 1) * (1 << 15);
  b.call(LANES, [b.i32(op), b.i32(encodeShape(shape)), b.i32(regs)]);
}

/** op on scalar bit patterns (i64, zero-extended), computed by the reference helper; returns i64 bits. */
export function callFpScalar(ctx: A64Context, op: LaneOp, shape: Omit<LaneShape, 'lanes'>, args: Temp[]): Temp {
  const b = ctx.b;
  const [x, y, z] = [args[0] ?? b.i64(0), args[1] ?? b.i64(0), args[2] ?? b.i64(0)];
  return b.call(FP_SCALAR, [b.i32(op), b.i32(encodeShape({ ...shape, lanes: 1 })), x, y, z])!;
}
