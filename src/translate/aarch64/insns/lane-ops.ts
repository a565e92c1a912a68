/**
 * Reference semantics of one vector lane (or one scalar) for the A64 FP and Advanced SIMD operations
 * whose exact result the fast IR path does not give: saturation with FPSR.QC, per-lane variable
 * shifts, rounding halving ops, polynomial multiply, and every float operation under a directed
 * rounding mode or with a NaN result (through fp-soft.ts).
 *
 * Each op sees the lane of Vn (`a`), of Vm (`b`) and the old lane of Vd (`c`), as unsigned bit
 * patterns of their element size, and returns the new Vd lane.
 */
import {
  F16,
  F32,
  F64,
  FPSR_QC,
  FpEnv,
  Rounding,
  fixedToFp,
  fpAbs,
  fpAdd,
  fpCompare,
  fpCompareLane,
  fpConvert,
  fpDiv,
  fpJsConvert,
  fpMinMax,
  fpMul,
  fpMulAdd,
  fpMulX,
  fpNeg,
  fpRecipEstimate,
  fpRecipExponent,
  recipEstimate,
  recipSqrtEstimate,
  fpRecipStep,
  fpRoundInt,
  fpRSqrtEstimate,
  fpRSqrtStep,
  fpSqrt,
  fpSub,
  fpToFixed,
  type FpFormat,
} from './fp-soft';

export interface LaneCtx {
  env: FpEnv;
  /** Element sizes in bits of the result, the Vn lane and the Vm lane. */
  dBits: number;
  nBits: number;
  mBits: number;
  /** Operation immediate: shift amount, rounding spec, fixed-point bits... */
  param: number;
}

type LaneFn = (a: bigint, b: bigint, c: bigint, x: LaneCtx) => bigint;

/** Rounding spec of conversions: FPCR's mode when the field holds RMODE_FPCR. */
export const RMODE_FPCR = 7;

const signed = (v: bigint, bits: number): bigint => BigInt.asIntN(bits, v);
const unsigned = (v: bigint, bits: number): bigint => BigInt.asUintN(bits, v);
const ones = (bits: number): bigint => (1n << BigInt(bits)) - 1n;

/** Saturates `v` into a `bits`-wide signed or unsigned range, raising QC when it clips. */
function saturate(v: bigint, bits: number, isSigned: boolean, x: LaneCtx): bigint {
  const max = isSigned ? (1n << BigInt(bits - 1)) - 1n : ones(bits);
  const min = isSigned ? -(1n << BigInt(bits - 1)) : 0n;
  if (v > max || v < min) {
    x.env.flags |= FPSR_QC;
    return unsigned(v > max ? max : min, bits);
  }
  return unsigned(v, bits);
}

const val = (v: bigint, bits: number, isSigned: boolean): bigint => (isSigned ? signed(v, bits) : v);

/** SSHL/USHL family: shift by the signed low byte of b; negative shifts go right (optionally rounding). */
function shiftByReg(a: bigint, b: bigint, x: LaneCtx, isSigned: boolean, round: boolean, sat: boolean): bigint {
  const shift = Number(signed(b & 0xffn, 8));
  const v = val(a, x.nBits, isSigned);
  let r: bigint;
  if (shift >= 0) r = v << BigInt(shift);
  else {
    const s = BigInt(-shift);
    r = round ? (v + (1n << (s - 1n))) >> s : v >> s;
  }
  return sat ? saturate(r, x.dBits, isSigned, x) : unsigned(r, x.dBits);
}

const fmt = (bits: number): FpFormat => (bits === 16 ? F16 : bits === 32 ? F32 : F64);

/** Env for a conversion spec (bits 0..2 of the param: a Rounding, or RMODE_FPCR). */
function convEnv(x: LaneCtx): FpEnv {
  const mode = x.param & 7;
  return mode === RMODE_FPCR ? x.env : x.env.withMode(mode as Rounding);
}
function keepFlags(x: LaneCtx, env: FpEnv): void {
  x.env.flags |= env.flags;
}

const mask = (t: boolean, bits: number): bigint => (t ? ones(bits) : 0n);

function clz(v: bigint, bits: number): number {
  let n = 0;
  for (let i = bits - 1; i >= 0 && ((v >> BigInt(i)) & 1n) === 0n; i--) n++;
  return n;
}

function polyMul(a: bigint, b: bigint, bits: number): bigint {
  let r = 0n;
  for (let i = 0; i < bits; i++) if ((b >> BigInt(i)) & 1n) r ^= a << BigInt(i);
  return r;
}

function halving(a: bigint, b: bigint, x: LaneCtx, isSigned: boolean, sub: boolean, round: boolean): bigint {
  const va = val(a, x.nBits, isSigned);
  const vb = val(b, x.mBits, isSigned);
  return unsigned(((sub ? va - vb : va + vb) + (round ? 1n : 0n)) >> 1n, x.dBits);
}

/** ARM UnsignedRecipEstimate / UnsignedRSqrtEstimate on the top 9 bits of a 32-bit lane. */
function unsignedRecipEstimate(a: bigint): bigint {
  if (a < 0x80000000n) return 0xffffffffn;
  return BigInt(recipEstimate(Number(a >> 23n))) << 23n;
}
function unsignedRSqrtEstimate(a: bigint): bigint {
  if (a < 0x40000000n) return 0xffffffffn;
  return BigInt(recipSqrtEstimate(Number(a >> 23n))) << 23n;
}

/** Narrowing right shift by the param with optional rounding, then saturation or truncation. */
function shiftNarrow(a: bigint, x: LaneCtx, inSigned: boolean, outSigned: boolean | 'none', round: boolean): bigint {
  const s = BigInt(x.param);
  const v = val(a, x.nBits, inSigned);
  const r = round && s > 0n ? (v + (1n << (s - 1n))) >> s : v >> s;
  return outSigned === 'none' ? unsigned(r, x.dBits) : saturate(r, x.dBits, outSigned, x);
}

/** Widening multiply-accumulate helpers: Vd lane (c) +/- a*b, all at the wide size. */
function doubling(a: bigint, b: bigint, x: LaneCtx): bigint {
  return 2n * signed(a, x.nBits) * signed(b, x.mBits);
}

export enum LaneOp {
  // Integer, same size.
  Shadd,
  Uhadd,
  Srhadd,
  Urhadd,
  Shsub,
  Uhsub,
  Sqadd,
  Uqadd,
  Sqsub,
  Uqsub,
  Sshl,
  Ushl,
  Srshl,
  Urshl,
  Sqshl,
  Uqshl,
  Sqrshl,
  Uqrshl,
  Sabd,
  Uabd,
  Saba,
  Uaba,
  Pmul,
  Sqdmulh,
  Sqrdmulh,
  Clz,
  Cls,
  Rbit,
  Sqabs,
  Sqneg,
  Suqadd,
  Usqadd,
  Urecpe,
  Ursqrte,
  Mul,
  SqshlImm,
  UqshlImm,
  SqshluImm,
  // Narrowing (Vd lanes half the size of Vn lanes).
  Sqxtn,
  Uqxtn,
  Sqxtun,
  Shrn,
  Rshrn,
  Sqshrn,
  Uqshrn,
  Sqrshrn,
  Uqrshrn,
  Sqshrun,
  Sqrshrun,
  Addhn,
  Raddhn,
  Subhn,
  Rsubhn,
  // Widening (Vd lanes twice the size of Vn/Vm lanes).
  Sabdl,
  Uabdl,
  Sabal,
  Uabal,
  Sqdmull,
  Sqdmlal,
  Sqdmlsl,
  Pmull,
  // Floating point (format from the element size).
  FAdd,
  FSub,
  FMul,
  FDiv,
  FMax,
  FMin,
  FMaxNm,
  FMinNm,
  FNMul,
  FMulX,
  FAbd,
  FRecpStep,
  FRSqrtStep,
  FMla,
  FMls,
  FSqrt,
  FRecpEst,
  FRSqrtEst,
  /** param: rounding spec | 8 if FRINTX (raises inexact). */
  FRoundInt,
  FCmEq,
  FCmGe,
  FCmGt,
  FAcGe,
  FAcGt,
  /** param: rounding spec | unsigned << 3 | fbits << 4. */
  FToFixed,
  /** param: unsigned | fbits << 1; the integer is Vn's lane of nBits. */
  FFromFixed,
  /** From nBits format to dBits format. */
  FConvert,
  /** NZCV of FCMP (param 1: FCMPE). */
  FCmp,
  /** FNMADD/FNMSUB/FMSUB forms: param bit 0 negates the addend c, bit 1 negates the product. */
  FMulAddNeg,
  /** Compare with zero, param: 0 FCMEQ, 1 FCMGE, 2 FCMGT, 3 FCMLE, 4 FCMLT. */
  FCmZero,
  FRecpX,
  /** FCVTXN: from nBits to dBits format, rounding to odd. */
  FConvertOdd,
  /** FJCVTZS: the 32-bit result, with bit 32 set when the conversion was exact. */
  FJsConvert,
}

const F = (op: (a: bigint, b: bigint, f: FpFormat, env: FpEnv) => bigint): LaneFn => (a, b, _c, x) =>
  op(a, b, fmt(x.dBits), x.env);

export const LANE_OPS: Record<LaneOp, LaneFn> = {
  [LaneOp.Shadd]: (a, b, _c, x) => halving(a, b, x, true, false, false),
  [LaneOp.Uhadd]: (a, b, _c, x) => halving(a, b, x, false, false, false),
  [LaneOp.Srhadd]: (a, b, _c, x) => halving(a, b, x, true, false, true),
  [LaneOp.Urhadd]: (a, b, _c, x) => halving(a, b, x, false, false, true),
  [LaneOp.Shsub]: (a, b, _c, x) => halving(a, b, x, true, true, false),
  [LaneOp.Uhsub]: (a, b, _c, x) => halving(a, b, x, false, true, false),
  [LaneOp.Sqadd]: (a, b, _c, x) => saturate(signed(a, x.nBits) + signed(b, x.mBits), x.dBits, true, x),
  [LaneOp.Uqadd]: (a, b, _c, x) => saturate(a + b, x.dBits, false, x),
  [LaneOp.Sqsub]: (a, b, _c, x) => saturate(signed(a, x.nBits) - signed(b, x.mBits), x.dBits, true, x),
  [LaneOp.Uqsub]: (a, b, _c, x) => saturate(a - b, x.dBits, false, x),
  [LaneOp.Sshl]: (a, b, _c, x) => shiftByReg(a, b, x, true, false, false),
  [LaneOp.Ushl]: (a, b, _c, x) => shiftByReg(a, b, x, false, false, false),
  [LaneOp.Srshl]: (a, b, _c, x) => shiftByReg(a, b, x, true, true, false),
  [LaneOp.Urshl]: (a, b, _c, x) => shiftByReg(a, b, x, false, true, false),
  [LaneOp.Sqshl]: (a, b, _c, x) => shiftByReg(a, b, x, true, false, true),
  [LaneOp.Uqshl]: (a, b, _c, x) => shiftByReg(a, b, x, false, false, true),
  [LaneOp.Sqrshl]: (a, b, _c, x) => shiftByReg(a, b, x, true, true, true),
  [LaneOp.Uqrshl]: (a, b, _c, x) => shiftByReg(a, b, x, false, true, true),
  [LaneOp.Sabd]: (a, b, _c, x) => unsigned(abs(signed(a, x.nBits) - signed(b, x.mBits)), x.dBits),
  [LaneOp.Uabd]: (a, b, _c, x) => unsigned(abs(a - b), x.dBits),
  [LaneOp.Saba]: (a, b, c, x) => unsigned(c + abs(signed(a, x.nBits) - signed(b, x.mBits)), x.dBits),
  [LaneOp.Uaba]: (a, b, c, x) => unsigned(c + abs(a - b), x.dBits),
  [LaneOp.Pmul]: (a, b, _c, x) => unsigned(polyMul(a, b, x.nBits), x.dBits),
  [LaneOp.Sqdmulh]: (a, b, _c, x) => saturate(doubling(a, b, x) >> BigInt(x.dBits), x.dBits, true, x),
  [LaneOp.Sqrdmulh]: (a, b, _c, x) =>
    saturate((doubling(a, b, x) + (1n << BigInt(x.dBits - 1))) >> BigInt(x.dBits), x.dBits, true, x),
  [LaneOp.Clz]: (a, _b, _c, x) => BigInt(clz(a, x.nBits)),
  [LaneOp.Cls]: (a, _b, _c, x) => BigInt(clz(a ^ (a >> 1n) ^ (a & (1n << BigInt(x.nBits - 1))), x.nBits) - 1),
  [LaneOp.Rbit]: (a, _b, _c, x) => {
    let r = 0n;
    for (let i = 0; i < x.nBits; i++) if ((a >> BigInt(i)) & 1n) r |= 1n << BigInt(x.nBits - 1 - i);
    return r;
  },
  [LaneOp.Sqabs]: (a, _b, _c, x) => saturate(abs(signed(a, x.nBits)), x.dBits, true, x),
  [LaneOp.Sqneg]: (a, _b, _c, x) => saturate(-signed(a, x.nBits), x.dBits, true, x),
  [LaneOp.Suqadd]: (a, _b, c, x) => saturate(signed(c, x.dBits) + a, x.dBits, true, x),
  [LaneOp.Usqadd]: (a, _b, c, x) => saturate(c + signed(a, x.nBits), x.dBits, false, x),
  [LaneOp.Urecpe]: (a) => unsignedRecipEstimate(a),
  [LaneOp.Ursqrte]: (a) => unsignedRSqrtEstimate(a),
  [LaneOp.Mul]: (a, b, _c, x) => unsigned(a * b, x.dBits),
  [LaneOp.SqshlImm]: (a, _b, _c, x) => saturate(signed(a, x.nBits) << BigInt(x.param), x.dBits, true, x),
  [LaneOp.UqshlImm]: (a, _b, _c, x) => saturate(a << BigInt(x.param), x.dBits, false, x),
  [LaneOp.SqshluImm]: (a, _b, _c, x) => saturate(signed(a, x.nBits) << BigInt(x.param), x.dBits, false, x),
  [LaneOp.Sqxtn]: (a, _b, _c, x) => saturate(signed(a, x.nBits), x.dBits, true, x),
  [LaneOp.Uqxtn]: (a, _b, _c, x) => saturate(a, x.dBits, false, x),
  [LaneOp.Sqxtun]: (a, _b, _c, x) => saturate(signed(a, x.nBits), x.dBits, false, x),
  [LaneOp.Shrn]: (a, _b, _c, x) => shiftNarrow(a, x, false, 'none', false),
  [LaneOp.Rshrn]: (a, _b, _c, x) => shiftNarrow(a, x, false, 'none', true),
  [LaneOp.Sqshrn]: (a, _b, _c, x) => shiftNarrow(a, x, true, true, false),
  [LaneOp.Uqshrn]: (a, _b, _c, x) => shiftNarrow(a, x, false, false, false),
  [LaneOp.Sqrshrn]: (a, _b, _c, x) => shiftNarrow(a, x, true, true, true),
  [LaneOp.Uqrshrn]: (a, _b, _c, x) => shiftNarrow(a, x, false, false, true),
  [LaneOp.Sqshrun]: (a, _b, _c, x) => shiftNarrow(a, x, true, false, false),
  [LaneOp.Sqrshrun]: (a, _b, _c, x) => shiftNarrow(a, x, true, false, true),
  [LaneOp.Addhn]: (a, b, _c, x) => unsigned((a + b) >> BigInt(x.dBits), x.dBits),
  [LaneOp.Raddhn]: (a, b, _c, x) => unsigned((a + b + (1n << BigInt(x.dBits - 1))) >> BigInt(x.dBits), x.dBits),
  [LaneOp.Subhn]: (a, b, _c, x) => unsigned((a - b) >> BigInt(x.dBits), x.dBits),
  [LaneOp.Rsubhn]: (a, b, _c, x) => unsigned((a - b + (1n << BigInt(x.dBits - 1))) >> BigInt(x.dBits), x.dBits),
  [LaneOp.Sabdl]: (a, b, _c, x) => unsigned(abs(signed(a, x.nBits) - signed(b, x.mBits)), x.dBits),
  [LaneOp.Uabdl]: (a, b, _c, x) => unsigned(abs(a - b), x.dBits),
  [LaneOp.Sabal]: (a, b, c, x) => unsigned(c + abs(signed(a, x.nBits) - signed(b, x.mBits)), x.dBits),
  [LaneOp.Uabal]: (a, b, c, x) => unsigned(c + abs(a - b), x.dBits),
  [LaneOp.Sqdmull]: (a, b, _c, x) => saturate(doubling(a, b, x), x.dBits, true, x),
  [LaneOp.Sqdmlal]: (a, b, c, x) =>
    saturate(signed(c, x.dBits) + signed(saturate(doubling(a, b, x), x.dBits, true, x), x.dBits), x.dBits, true, x),
  [LaneOp.Sqdmlsl]: (a, b, c, x) =>
    saturate(signed(c, x.dBits) - signed(saturate(doubling(a, b, x), x.dBits, true, x), x.dBits), x.dBits, true, x),
  [LaneOp.Pmull]: (a, b, _c, x) => polyMul(a, b, x.nBits),
  [LaneOp.FAdd]: F(fpAdd),
  [LaneOp.FSub]: F(fpSub),
  [LaneOp.FMul]: F(fpMul),
  [LaneOp.FDiv]: F(fpDiv),
  [LaneOp.FMax]: F((a, b, f, env) => fpMinMax(a, b, f, env, true, false)),
  [LaneOp.FMin]: F((a, b, f, env) => fpMinMax(a, b, f, env, false, false)),
  [LaneOp.FMaxNm]: F((a, b, f, env) => fpMinMax(a, b, f, env, true, true)),
  [LaneOp.FMinNm]: F((a, b, f, env) => fpMinMax(a, b, f, env, false, true)),
  [LaneOp.FNMul]: F((a, b, f, env) => fpNeg(fpMul(a, b, f, env), f)),
  [LaneOp.FMulX]: F(fpMulX),
  [LaneOp.FAbd]: F((a, b, f, env) => fpAbs(fpSub(a, b, f, env), f)),
  [LaneOp.FRecpStep]: F(fpRecipStep),
  [LaneOp.FRSqrtStep]: F(fpRSqrtStep),
  [LaneOp.FMla]: (a, b, c, x) => fpMulAdd(c, a, b, fmt(x.dBits), x.env),
  [LaneOp.FMls]: (a, b, c, x) => fpMulAdd(c, fpNeg(a, fmt(x.dBits)), b, fmt(x.dBits), x.env),
  [LaneOp.FSqrt]: (a, _b, _c, x) => fpSqrt(a, fmt(x.dBits), x.env),
  [LaneOp.FRecpEst]: (a, _b, _c, x) => fpRecipEstimate(a, fmt(x.dBits), x.env),
  [LaneOp.FRSqrtEst]: (a, _b, _c, x) => fpRSqrtEstimate(a, fmt(x.dBits), x.env),
  [LaneOp.FRoundInt]: (a, _b, _c, x) => {
    const env = convEnv(x);
    const r = fpRoundInt(a, fmt(x.dBits), env, (x.param & 8) !== 0);
    keepFlags(x, env);
    return r;
  },
  [LaneOp.FCmEq]: (a, b, _c, x) => mask(fpCompareLane(a, b, fmt(x.nBits), x.env, 'eq'), x.dBits),
  [LaneOp.FCmGe]: (a, b, _c, x) => mask(fpCompareLane(a, b, fmt(x.nBits), x.env, 'ge'), x.dBits),
  [LaneOp.FCmGt]: (a, b, _c, x) => mask(fpCompareLane(a, b, fmt(x.nBits), x.env, 'gt'), x.dBits),
  [LaneOp.FAcGe]: (a, b, _c, x) =>
    mask(fpCompareLane(fpAbs(a, fmt(x.nBits)), fpAbs(b, fmt(x.nBits)), fmt(x.nBits), x.env, 'ge'), x.dBits),
  [LaneOp.FAcGt]: (a, b, _c, x) =>
    mask(fpCompareLane(fpAbs(a, fmt(x.nBits)), fpAbs(b, fmt(x.nBits)), fmt(x.nBits), x.env, 'gt'), x.dBits),
  [LaneOp.FToFixed]: (a, _b, _c, x) => {
    const env = convEnv(x);
    const r = fpToFixed(a, fmt(x.nBits), env, x.param >> 4, x.dBits, (x.param & 8) !== 0);
    keepFlags(x, env);
    return r;
  },
  [LaneOp.FFromFixed]: (a, _b, _c, x) =>
    fixedToFp(x.param & 1 ? a : signed(a, x.nBits), x.param >> 1, fmt(x.dBits), x.env),
  [LaneOp.FConvert]: (a, _b, _c, x) => fpConvert(a, fmt(x.nBits), fmt(x.dBits), x.env),
  [LaneOp.FCmp]: (a, b, _c, x) => BigInt(fpCompare(a, b, fmt(x.nBits), x.env, x.param === 1)),
  [LaneOp.FMulAddNeg]: (a, b, c, x) => {
    const f = fmt(x.dBits);
    return fpMulAdd(x.param & 1 ? fpNeg(c, f) : c, x.param & 2 ? fpNeg(a, f) : a, b, f, x.env);
  },
  [LaneOp.FCmZero]: (a, _b, _c, x) => {
    const f = fmt(x.nBits);
    const swap = x.param >= 3;
    const op = (['eq', 'ge', 'gt', 'ge', 'gt'] as const)[x.param]!;
    return mask(fpCompareLane(swap ? 0n : a, swap ? a : 0n, f, x.env, op), x.dBits);
  },
  [LaneOp.FRecpX]: (a, _b, _c, x) => fpRecipExponent(a, fmt(x.dBits), x.env),
  [LaneOp.FConvertOdd]: (a, _b, _c, x) => {
    const env = x.env.withMode(Rounding.Odd);
    const r = fpConvert(a, fmt(x.nBits), fmt(x.dBits), env);
    keepFlags(x, env);
    return r;
  },
  [LaneOp.FJsConvert]: (a, _b, _c, x) => {
    const [value, exact] = fpJsConvert(a, x.env);
    return value | (exact ? 1n << 32n : 0n);
  },
};

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}
