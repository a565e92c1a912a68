/**
 * Advanced SIMD shift by immediate, vector and scalar (ARM ARM C4.1.96): SSHR/USHR, SSRA/USRA,
 * SRSHR/URSHR, SRSRA/URSRA, SRI, SHL, SLI, SQSHL/UQSHL/SQSHLU, SHRN/RSHRN and the saturating
 * narrowing shifts, SSHLL/USHLL (SXTL/UXTL), and the fixed-point SCVTF/UCVTF/FCVTZS/FCVTZU.
 *
 * immh:immb encodes both the element size (the highest set bit of immh) and the shift:
 * right shifts are 2 * esize - immh:immb (1..esize), left shifts immh:immb - esize.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { Rounding } from './fp-soft';
import { floatToInt, fpType, intToFloat } from './fp-scalar';
import { callLanes } from './lane-helpers';
import { LaneOp } from './lane-ops';
import { INT_SHAPE, keepLow, laneConst, readElem, writeScalar } from './simd-common';
import { vectorFloatToInt, vectorIntToFloat } from './simd-two-misc';
import { truncateNarrow, writeNarrow } from './simd-vector-ops';

/** Lane-wise shift of v (elements of 2^size bytes) right by 1..esize, arithmetic or logical. */
function shiftRight(ctx: A64Context, v: Temp, size: number, shift: number, signed: boolean): Temp {
  const esize = 8 << size;
  const b = ctx.b;
  if (shift >= esize && !signed) return laneConst(ctx, 16, 0n);
  return b.vop(`${INT_SHAPE[size]}.shr_${signed ? 's' : 'u'}`, [v, b.i32(Math.min(shift, esize - 1))]);
}

/** Right shift rounding to nearest (adds the last bit shifted out), without intermediate overflow. */
function roundingShiftRight(ctx: A64Context, v: Temp, size: number, shift: number, signed: boolean): Temp {
  const b = ctx.b;
  const shape = INT_SHAPE[size]!;
  const roundBit = b.vop('v128.and', [b.vop(`${shape}.shr_u`, [v, b.i32(shift - 1)]), laneConst(ctx, 1 << size, 1n)]);
  return b.vop(`${shape}.add`, [shiftRight(ctx, v, size, shift, signed), roundBit]);
}

/** Bits of each element written by SRI (right shift) or SLI (left shift). */
function insertMask(size: number, shift: number, right: boolean): bigint {
  const esize = 8 << size;
  const ones = (1n << BigInt(esize)) - 1n;
  return right ? ones >> BigInt(Math.min(shift, esize)) : (ones << BigInt(shift)) & ones;
}

interface ShiftArgs {
  u: number;
  opc: number;
  size: number;
  /** Bytes of the result kept: 16 or 8 for vectors, the element size for scalars. */
  bytes: number;
  q: number;
  right: number;
  left: number;
  d: number;
  n: number;
  scalar: boolean;
}

/** Same-size shifts, shared by the vector and scalar forms. */
function sameSize(ctx: A64Context, a: ShiftArgs): boolean {
  const b = ctx.b;
  const { u, opc, size, right, left, d, n } = a;
  const shape = INT_SHAPE[size]!;
  const signed = u === 0;
  const v = (): Temp => ctx.v(n);
  const accumulate = (r: Temp): Temp => b.vop(`${shape}.add`, [ctx.v(d), r]);
  let r: Temp;
  switch (opc) {
    case 0:
      r = shiftRight(ctx, v(), size, right, signed);
      break;
    case 2:
      r = accumulate(shiftRight(ctx, v(), size, right, signed));
      break;
    case 4:
      r = roundingShiftRight(ctx, v(), size, right, signed);
      break;
    case 6:
      r = accumulate(roundingShiftRight(ctx, v(), size, right, signed));
      break;
    case 8:
    case 10: {
      const isRight = opc === 8;
      if (isRight && !u) return false;
      const shifted = isRight ? shiftRight(ctx, v(), size, right, false) : b.vop(`${shape}.shl`, [v(), b.i32(left)]);
      if (!u) r = shifted;
      else {
        const mask = laneConst(ctx, 1 << size, insertMask(size, isRight ? right : left, isRight));
        r = b.vop('v128.bitselect', [shifted, ctx.v(d), mask]);
      }
      break;
    }
    case 12:
    case 14: {
      if (opc === 12 && !u) return false;
      const op = opc === 12 ? LaneOp.SqshluImm : u ? LaneOp.UqshlImm : LaneOp.SqshlImm;
      const lanes = Math.max(1, a.bytes >> size);
      callLanes(ctx, op, { d: size, n: size, m: size, lanes, param: left }, d, n);
      return true;
    }
    default:
      return false;
  }
  ctx.setV(d, keepLow(ctx, r, a.bytes));
  return true;
}

/** Narrowing shifts (size is the destination element size). */
function narrowing(ctx: A64Context, a: ShiftArgs): boolean {
  const { u, opc, size, q, right, d, n, scalar } = a;
  if (size === 3) return false;
  if (!u && (opc === 16 || opc === 17) && !scalar) {
    const wide = ctx.v(n);
    const shifted = opc === 16 ? shiftRight(ctx, wide, size + 1, right, false) : roundingShiftRight(ctx, wide, size + 1, right, false);
    writeNarrow(ctx, d, q, truncateNarrow(ctx, shifted, size));
    return true;
  }
  const ops: Record<string, LaneOp> = {
    '1:16': LaneOp.Sqshrun,
    '1:17': LaneOp.Sqrshrun,
    '0:18': LaneOp.Sqshrn,
    '1:18': LaneOp.Uqshrn,
    '0:19': LaneOp.Sqrshrn,
    '1:19': LaneOp.Uqrshrn,
  };
  const op = ops[`${u}:${opc}`];
  if (op === undefined) return false;
  const lanes = scalar ? 1 : 8 >> size;
  const shape = { d: size, n: size + 1, m: size + 1, lanes, dstOffset: q ? lanes : 0, keep: q === 1, param: right };
  callLanes(ctx, op, shape, d, n);
  return true;
}

function decode(f: Record<string, number>, scalar: boolean): ShiftArgs | undefined {
  const immh = f.immh!;
  if (!immh) return undefined;
  const size = 31 - Math.clz32(immh);
  const esize = 8 << size;
  const immhb = (immh << 3) | f.immb!;
  // Narrowing shifts name the destination size; their shift is relative to it as well.
  return {
    u: f.u!,
    opc: f.opc!,
    size,
    q: scalar ? 0 : f.q!,
    bytes: scalar ? 1 << size : f.q ? 16 : 8,
    right: 2 * esize - immhb,
    left: immhb - esize,
    d: f.rd!,
    n: f.rn!,
    scalar,
  };
}

const vector: A64Handler = (ctx, f) => {
  const a = decode(f, false);
  if (!a) return false;
  const b = ctx.b;
  const { u, opc, size, q, left, right, d, n } = a;
  if (opc >= 16 && opc <= 19) return narrowing(ctx, a);
  if (opc === 20) {
    // SSHLL/USHLL: widen the low or high half, then shift left.
    if (size === 3) return false;
    const wide = INT_SHAPE[size + 1]!;
    const ext = b.vop(`${wide}.extend_${q ? 'high' : 'low'}_${INT_SHAPE[size]}_${u ? 'u' : 's'}`, [ctx.v(n)]);
    ctx.setV(d, left ? b.vop(`${wide}.shl`, [ext, b.i32(left)]) : ext);
    return true;
  }
  if (size === 3 && !q) return false;
  if (opc === 28 || opc === 31) {
    if (size < 2) return false;
    if (opc === 28) vectorIntToFloat(ctx, size - 2, a.bytes, d, n, u === 1, right);
    else vectorFloatToInt(ctx, size - 2, a.bytes, d, n, Rounding.Zero, u === 1, right);
    return true;
  }
  return sameSize(ctx, a);
};

const scalar: A64Handler = (ctx, f) => {
  const a = decode(f, true);
  if (!a) return false;
  const { u, opc, size, right, d, n } = a;
  if (opc >= 16 && opc <= 19) return narrowing(ctx, a);
  if (opc === 28 || opc === 31) {
    if (size < 2) return false;
    const t = fpType(size - 2)!;
    if (opc === 28) intToFloat(ctx, t, readElem(ctx, n, size), u === 1, right, d);
    else floatToInt(ctx, t, n, Rounding.Zero, u === 1, size === 3 ? 64 : 32, right, (v) => writeScalar(ctx, d, v));
    return true;
  }
  if (opc !== 12 && opc !== 14 && size !== 3) return false;
  return sameSize(ctx, a);
};

export const SIMD_SHIFT_ROWS = [
  ['0 q:1 u:1 011110 immh:4 immb:3 opc:5 1 rn:5 rd:5', 'SIMD shift by immediate', vector],
  ['01 u:1 111110 immh:4 immb:3 opc:5 1 rn:5 rd:5', 'SIMD scalar shift by immediate', scalar],
] as const;
