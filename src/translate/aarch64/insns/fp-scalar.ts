/**
 * A64 scalar floating point (ARM ARM C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced
 * SIMD", the floating-point groups): arithmetic, fused multiply-add, compares, conditional select,
 * immediate moves, precision conversions, rounding, and conversions to and from integers.
 *
 * Single and double precision use native wasm float ops when FPCR rounds to nearest, and divert to
 * the reference helper only when a result is not finite (ARM's NaN rules, OFC/DZC/IOC) or, under
 * flush-to-zero, when an operand is denormal or a result may be. Half precision always uses the
 * helper.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { fusedMulAddF32, fusedMulAddF64 } from './fp-fused';
import { Rounding } from './fp-soft';
import { callFpScalar } from './lane-helpers';
import { LaneOp, RMODE_FPCR } from './lane-ops';
import {
  belowNormal,
  flushesDenormals,
  fromBits64,
  guarded,
  keepLow,
  laneConst,
  notFinite,
  orFlushed,
  readElem,
  roundsToNearest,
  toBits64,
  when,
  writeScalar,
} from './simd-common';

/** The scalar type field: element size (log2 bytes) and wasm float type; H has no wasm type. */
interface FpType {
  sizeLog: number;
  float?: 'f32' | 'f64';
}
const FTYPES: Record<number, FpType> = {
  0: { sizeLog: 2, float: 'f32' },
  1: { sizeLog: 3, float: 'f64' },
  3: { sizeLog: 1 },
};

export function fpType(ftype: number): FpType | undefined {
  return FTYPES[ftype];
}

/**
 * The type of an arithmetic, compare, select or move instruction: half precision there is FEAT_FP16,
 * which our ID registers do not advertise, so it stays undefined (only FCVT converts to and from H).
 */
function fpArithType(ftype: number): FpType | undefined {
  return ftype === 3 ? undefined : FTYPES[ftype];
}

/** Lane 0 of Vn as a float of the given type. */
function readFloat(ctx: A64Context, n: number, type: 'f32' | 'f64'): Temp {
  return ctx.b.vop(type === 'f32' ? 'f32x4.extract_lane' : 'f64x2.extract_lane', [ctx.v(n)], 0);
}

/** Reference-helper result written as the scalar Vd. */
function writeBits(ctx: A64Context, d: number, bits: Temp): void {
  writeScalar(ctx, d, bits);
}

/**
 * A scalar float operation on registers `srcs`: `native` computes it with wasm ops (when the type has
 * one and FPCR allows), the helper runs `op` otherwise or when the native result is not finite.
 */
function scalarFpOp(
  ctx: A64Context,
  t: FpType,
  op: LaneOp,
  d: number,
  srcs: number[],
  native?: (args: Temp[]) => Temp,
  param = 0,
  honoursFpcr = true,
): void {
  const slow = (): void => {
    const bits = srcs.map((r) => toBits64(ctx, readElem(ctx, r, t.sizeLog)));
    writeBits(ctx, d, callFpScalar(ctx, op, { d: t.sizeLog, n: t.sizeLog, m: t.sizeLog, param }, bits));
  };
  if (!t.float || !native || (honoursFpcr && !roundsToNearest(ctx))) return slow();
  const float = t.float;
  const args = srcs.map((r) => readFloat(ctx, r, float));
  const result = native(args);
  guarded(
    ctx,
    orFlushed(ctx, notFinite(ctx, result), args, [result]),
    () => writeScalar(ctx, d, result),
    slow,
  );
}

type Native = (ctx: A64Context, args: Temp[]) => Temp;
const bin =
  (op: 'fadd' | 'fsub' | 'fmul' | 'fdiv' | 'fmax' | 'fmin'): Native =>
  (ctx, [x, y]) =>
    ctx.b.binary(op, x!, y!);

/** FP data-processing (2 source), by opcode. */
const TWO_SOURCE: [LaneOp, Native][] = [
  [LaneOp.FMul, bin('fmul')],
  [LaneOp.FDiv, bin('fdiv')],
  [LaneOp.FAdd, bin('fadd')],
  [LaneOp.FSub, bin('fsub')],
  [LaneOp.FMax, bin('fmax')],
  [LaneOp.FMin, bin('fmin')],
  [LaneOp.FMaxNm, bin('fmax')],
  [LaneOp.FMinNm, bin('fmin')],
  [LaneOp.FNMul, (ctx, [x, y]) => ctx.b.unary('fneg', ctx.b.binary('fmul', x!, y!))],
];

const twoSource: A64Handler = (ctx, f) => {
  const t = fpArithType(f.type!);
  const entry = TWO_SOURCE[f.opc!];
  if (!t || !entry) return false;
  const [op, native] = entry;
  scalarFpOp(ctx, t, op, f.rd!, [f.rn!, f.rm!], (args) => native(ctx, args));
  return true;
};

/** Vd = Vn with the sign bit of the element changed by `op` (FMOV/FABS/FNEG are bit operations). */
function signOp(ctx: A64Context, t: FpType, d: number, n: number, op: 'mov' | 'abs' | 'neg'): void {
  const bytes = 1 << t.sizeLog;
  const v = ctx.v(n);
  const sign = laneConst(ctx, bytes, 1n << BigInt(8 * bytes - 1), 1);
  const r = op === 'mov' ? v : ctx.b.vop(op === 'abs' ? 'v128.andnot' : 'v128.xor', [v, sign]);
  ctx.setV(d, keepLow(ctx, r, bytes));
}

/** Rounding of FRINT* by the low three opcode bits: N, P, M, Z, A, -, X, I. */
const FRINT_MODES: (Rounding | typeof RMODE_FPCR | undefined)[] = [
  Rounding.Nearest,
  Rounding.PlusInf,
  Rounding.MinusInf,
  Rounding.Zero,
  Rounding.TiesAway,
  undefined,
  RMODE_FPCR,
  RMODE_FPCR,
];

/** `x` rounded to an integral float by `mode` with wasm ops (TiesAway composed from trunc). */
function roundNative(ctx: A64Context, x: Temp, mode: Rounding): Temp {
  const b = ctx.b;
  switch (mode) {
    case Rounding.Nearest:
      return b.unary('fnearest', x);
    case Rounding.PlusInf:
      return b.unary('fceil', x);
    case Rounding.MinusInf:
      return b.unary('ffloor', x);
    case Rounding.Zero:
      return b.unary('ftruncf', x);
    default: {
      // Away from zero on ties: trunc, then step away when the dropped fraction is at least one half.
      const t = b.unary('ftruncf', x);
      const frac = b.unary('fabs', b.binary('fsub', x, t));
      const half = x.type === 'f32' ? b.f32(0.5) : b.f64(0.5);
      const one = x.type === 'f32' ? b.f32(1) : b.f64(1);
      const away = b.binary('fadd', t, b.binary('fcopysign', one, x));
      return b.select(b.compare('fge', frac, half), away, t);
    }
  }
}

function frint(ctx: A64Context, t: FpType, d: number, n: number, rmode: number, exact: boolean): void {
  const mode = rmode === RMODE_FPCR ? Rounding.Nearest : (rmode as Rounding);
  scalarFpOp(
    ctx,
    t,
    LaneOp.FRoundInt,
    d,
    [n],
    ([x]) => roundNative(ctx, x!, mode),
    rmode | (exact ? 8 : 0),
    rmode === RMODE_FPCR,
  );
}

/** FCVT between precisions: S->D is exact; D->S rounds; anything with H goes to the helper. */
function fcvt(ctx: A64Context, from: FpType, to: FpType, d: number, n: number): void {
  const slow = (): void => {
    const bits = toBits64(ctx, readElem(ctx, n, from.sizeLog));
    writeBits(ctx, d, callFpScalar(ctx, LaneOp.FConvert, { d: to.sizeLog, n: from.sizeLog, m: 0 }, [bits]));
  };
  // Widening is exact in every rounding mode; narrowing rounds.
  if (!from.float || !to.float || (to.float === 'f32' && !roundsToNearest(ctx))) return slow();
  const x = readFloat(ctx, n, from.float);
  const r = to.float === 'f64' ? ctx.b.convert('fpromote', 'f64', x) : ctx.b.convert('fdemote', 'f32', x);
  guarded(ctx, orFlushed(ctx, notFinite(ctx, r), [x], [r]), () => writeScalar(ctx, d, r), slow);
}

const oneSource: A64Handler = (ctx, f) => {
  const opc = f.opc!;
  const isConvert = opc >= 4 && opc <= 7;
  const t = isConvert ? fpType(f.type!) : fpArithType(f.type!);
  if (!t) return false;
  const [d, n] = [f.rd!, f.rn!];
  if (opc <= 2) signOp(ctx, t, d, n, (['mov', 'abs', 'neg'] as const)[opc]!);
  else if (opc === 3) scalarFpOp(ctx, t, LaneOp.FSqrt, d, [n], ([x]) => ctx.b.unary('fsqrt', x!));
  else if (opc >= 4 && opc <= 7) {
    const to = fpType([0, 1, -1, 3][opc - 4]!);
    if (!to || to === t) return false;
    fcvt(ctx, t, to, d, n);
  } else if (opc >= 8 && opc <= 15) {
    const mode = FRINT_MODES[opc - 8];
    if (mode === undefined) return false;
    frint(ctx, t, d, n, mode, opc === 14);
  } else return false;
  return true;
};

/** NZCV of an FP compare as four i32 temps, natively: unordered is 0011. */
function compareFlags(ctx: A64Context, x: Temp, y: Temp): [Temp, Temp, Temp, Temp] {
  const b = ctx.b;
  const n = b.compare('flt', x, y);
  const z = b.compare('eq', x, y);
  const v = b.or(b.compare('ne', x, x), b.compare('ne', y, y));
  return [n, z, b.xor(n, b.i32(1)), v];
}

/** The NZCV nibble returned by the FCmp helper as four i32 flags. */
function unpackNzcv(ctx: A64Context, nzcv: Temp): [Temp, Temp, Temp, Temp] {
  const b = ctx.b;
  const w = b.wrap(nzcv);
  return [3, 2, 1, 0].map((bit) => b.and(b.shrU(w, b.i32(bit)), b.i32(1))) as [Temp, Temp, Temp, Temp];
}

/**
 * Flags of FCMP/FCMPE Vn, (Vm or zero); the helper runs for its FPSR effect (a NaN, or a denormal
 * that FPCR.FZ flushes: compared as the zero it becomes).
 */
function compare(
  ctx: A64Context,
  t: FpType,
  n: number,
  m: number | 'zero',
  signalAll: boolean,
): [Temp, Temp, Temp, Temp] {
  const b = ctx.b;
  const shape = { d: t.sizeLog, n: t.sizeLog, m: t.sizeLog, param: signalAll ? 1 : 0 };
  const bitsOf = (r: number | 'zero'): Temp =>
    r === 'zero' ? b.i64(0) : toBits64(ctx, readElem(ctx, r, t.sizeLog));
  if (!t.float) return unpackNzcv(ctx, callFpScalar(ctx, LaneOp.FCmp, shape, [bitsOf(n), bitsOf(m)]));
  const zero = t.float === 'f32' ? b.f32(0) : b.f64(0);
  const x = readFloat(ctx, n, t.float);
  const y = m === 'zero' ? zero : readFloat(ctx, m, t.float);
  const flush = (v: Temp): Temp => (flushesDenormals(ctx) ? b.select(belowNormal(ctx, v), zero, v) : v);
  const flags = compareFlags(ctx, flush(x), flush(y));
  when(ctx, orFlushed(ctx, flags[3], [x, y], []), () =>
    callFpScalar(ctx, LaneOp.FCmp, shape, [toBits64(ctx, x), toBits64(ctx, y)]),
  );
  return flags;
}

const fcmp: A64Handler = (ctx, f) => {
  const t = fpArithType(f.type!);
  if (!t || (f.z && f.rm !== 0)) return false;
  const [n, z, c, v] = compare(ctx, t, f.rn!, f.z ? 'zero' : f.rm!, f.e === 1);
  ctx.setNZCV(n, z, c, v);
  return true;
};

const fccmp: A64Handler = (ctx, f) => {
  const t = fpArithType(f.type!);
  if (!t) return false;
  const b = ctx.b;
  const cond = ctx.cond(f.cond!);
  // The compare (and its FPSR effect) happens only when the condition holds.
  const bit = (n: number): Temp => b.i32((f.nzcv! >> n) & 1);
  ctx.setNZCV(bit(3), bit(2), bit(1), bit(0));
  when(ctx, cond, () => {
    const [n, z, c, v] = compare(ctx, t, f.rn!, f.rm!, f.e === 1);
    ctx.setNZCV(n, z, c, v);
  });
  return true;
};

const fcsel: A64Handler = (ctx, f) => {
  const t = fpArithType(f.type!);
  if (!t) return false;
  const b = ctx.b;
  const r = b.select(ctx.cond(f.cond!), ctx.v(f.rn!), ctx.v(f.rm!));
  ctx.setV(f.rd!, keepLow(ctx, r, 1 << t.sizeLog));
  return true;
};

/** VFPExpandImm: imm8 = a:b:cd:efgh stands for (-1)^a * (1 + efgh/16) * 2^(b ? cd - 3 : cd + 1). */
export function expandFpImm(imm8: number, sizeLog: number): bigint {
  const sign = (imm8 >> 7) & 1;
  const exp = (imm8 & 0x40 ? 0 : 4) + ((imm8 >> 4) & 3) - 3;
  const frac = imm8 & 15;
  const [expBits, fracBits] = sizeLog === 1 ? [5, 10] : sizeLog === 2 ? [8, 23] : [11, 52];
  const biased = BigInt(exp + (1 << (expBits - 1)) - 1);
  return (
    (BigInt(sign) << BigInt(expBits + fracBits)) |
    (biased << BigInt(fracBits)) |
    (BigInt(frac) << BigInt(fracBits - 4))
  );
}

const fmovImm: A64Handler = (ctx, f) => {
  const t = fpArithType(f.type!);
  if (!t) return false;
  ctx.setV(f.rd!, laneConst(ctx, 1 << t.sizeLog, expandFpImm(f.imm8!, t.sizeLog), 1));
  return true;
};

/**
 * FMADD (o1 o0 = 00), FMSUB (01), FNMADD (10), FNMSUB (11) as FMulAddNeg parameters: bit 0 negates
 * the addend, bit 1 the product. Inline exact emulation (fp-fused.ts), the helper at its limits.
 */
const FMA_NEGATION = [0, 2, 3, 1];

const fma: A64Handler = (ctx, f) => {
  const t = fpArithType(f.type!);
  if (!t) return false;
  const [d, n, m, a] = [f.rd!, f.rn!, f.rm!, f.ra!];
  const negation = FMA_NEGATION[(f.o1! << 1) | f.o0!]!;
  const slow = (): void => {
    const bits = [n, m, a].map((r) => toBits64(ctx, readElem(ctx, r, t.sizeLog)));
    const shape = { d: t.sizeLog, n: t.sizeLog, m: t.sizeLog, param: negation };
    writeBits(ctx, d, callFpScalar(ctx, LaneOp.FMulAddNeg, shape, bits));
  };
  if (!t.float || !roundsToNearest(ctx)) {
    slow();
    return true;
  }
  const float = t.float;
  const b = ctx.b;
  const read = (r: number, negate: boolean): Temp => {
    const v = readFloat(ctx, r, float);
    return negate ? b.unary('fneg', v) : v;
  };
  const x = read(n, (negation & 2) !== 0);
  const y = readFloat(ctx, m, float);
  const addend = read(a, (negation & 1) !== 0);
  const fused = (float === 'f64' ? fusedMulAddF64 : fusedMulAddF32)(ctx, x, y, addend);
  const bad = orFlushed(ctx, b.xor(fused.ok, b.i32(1)), [x, y, addend], [fused.value]);
  guarded(ctx, bad, () => writeScalar(ctx, d, fused.value), slow);
  return true;
};

/**
 * A float scalar converted to a `width`-bit integer scaled by 2^fbits, rounding by `mode`,
 * saturating; out-of-range and NaN inputs take the helper (which also raises IOC). `write` stores it.
 */
export function floatToInt(
  ctx: A64Context,
  t: FpType,
  n: number,
  mode: Rounding,
  unsigned: boolean,
  width: 32 | 64,
  fbits: number,
  write: (v: Temp) => void,
): void {
  const b = ctx.b;
  const type = width === 64 ? 'i64' : 'i32';
  const slow = (): void => {
    const bits = toBits64(ctx, readElem(ctx, n, t.sizeLog));
    const shape = {
      d: width === 64 ? 3 : 2,
      n: t.sizeLog,
      m: 0,
      param: mode | (unsigned ? 8 : 0) | (fbits << 4),
    };
    write(fromBits64(ctx, callFpScalar(ctx, LaneOp.FToFixed, shape, [bits]), type));
  };
  if (!t.float) return slow();
  const float = t.float;
  const k = (v: number): Temp => (float === 'f32' ? b.f32(v) : b.f64(v));
  const input = readFloat(ctx, n, float);
  const x = fbits ? b.binary('fmul', input, k(2 ** fbits)) : input;
  const r = roundNative(ctx, x, mode);
  const lo = unsigned ? 0 : -(2 ** (width - 1));
  const hi = unsigned ? 2 ** width : 2 ** (width - 1);
  const inRange = b.and(b.compare('fge', r, k(lo)), b.compare('flt', r, k(hi)));
  guarded(
    ctx,
    orFlushed(ctx, b.xor(inRange, b.i32(1)), [input], []),
    () => write(b.convert(unsigned ? 'ftrunc_u' : 'ftrunc_s', type, r)),
    slow,
  );
}

/** An integer (i32 or i64, signed or not) divided by 2^fbits, rounded to the float type of `t`. */
export function intToFloat(
  ctx: A64Context,
  t: FpType,
  v: Temp,
  unsigned: boolean,
  fbits: number,
  d: number,
): void {
  const b = ctx.b;
  // No integer scaled by 2^-64 or more is denormal, so FPCR.FZ changes nothing here.
  if (!t.float || !roundsToNearest(ctx)) {
    const shape = {
      d: t.sizeLog,
      n: v.type === 'i64' ? 3 : 2,
      m: 0,
      param: (unsigned ? 1 : 0) | (fbits << 1),
    };
    writeBits(ctx, d, callFpScalar(ctx, LaneOp.FFromFixed, shape, [toBits64(ctx, v)]));
    return;
  }
  let r = b.convert(unsigned ? 'fconv_u' : 'fconv_s', t.float, v);
  // Scaling by a power of two after rounding is exact: the result stays far from the subnormal range.
  if (fbits) r = b.binary('fmul', r, t.float === 'f32' ? b.f32(2 ** -fbits) : b.f64(2 ** -fbits));
  writeScalar(ctx, d, r);
}

/** Rounding of FCVT{N,P,M,Z}{S,U} by rmode, and FCVTA{S,U} (rmode 0, opcode 10x). */
const CVT_MODES = [Rounding.Nearest, Rounding.PlusInf, Rounding.MinusInf, Rounding.Zero];

const convertInt: A64Handler = (ctx, f) => {
  const t = fpArithType(f.type!);
  const [sf, rmode, opc, d, n] = [f.sf!, f.rmode!, f.opc!, f.rd!, f.rn!];
  const b = ctx.b;
  if (rmode === 1 && opc >= 6 && f.type === 2 && sf === 1) {
    // FMOV Xd, Vn.D[1] and FMOV Vd.D[1], Xn.
    if (opc === 6) ctx.setReg(d, b.vop('i64x2.extract_lane', [ctx.v(n)], 1));
    else ctx.setV(d, b.vop('i64x2.replace_lane', [ctx.v(d), ctx.x(n)], 1));
    return true;
  }
  if (!t) return false;
  const width = sf ? 64 : 32;
  if (opc <= 1 || (rmode === 0 && opc >= 4 && opc <= 5)) {
    const mode = opc >= 4 ? Rounding.TiesAway : CVT_MODES[rmode]!;
    floatToInt(ctx, t, n, mode, (opc & 1) === 1, width, 0, (v) => ctx.setReg(d, v));
    return true;
  }
  if (rmode === 0 && (opc === 2 || opc === 3)) {
    intToFloat(ctx, t, ctx.reg(sf, n), opc === 3, 0, d);
    return true;
  }
  // FMOV between general and FP registers: S<->W, D<->X.
  const sameWidth = (t.sizeLog === 3) === (sf === 1);
  if (rmode === 0 && opc === 6 && sameWidth) {
    ctx.setReg(d, readElem(ctx, n, t.sizeLog));
    return true;
  }
  if (rmode === 0 && opc === 7 && sameWidth) {
    writeScalar(ctx, d, ctx.reg(sf, n));
    return true;
  }
  if (rmode === 3 && opc === 6 && f.type === 1 && sf === 0) {
    // FJCVTZS: JavaScript's ToInt32; Z says the conversion was exact.
    const r = callFpScalar(ctx, LaneOp.FJsConvert, { d: 2, n: 3, m: 0 }, [readElem(ctx, n, 3)]);
    ctx.setReg(d, b.wrap(r));
    const zero = b.i32(0);
    ctx.setNZCV(zero, b.wrap(b.shrU(r, b.i64(32))), zero, zero);
    return true;
  }
  return false;
};

const convertFixed: A64Handler = (ctx, f) => {
  const t = fpArithType(f.type!);
  const [sf, rmode, opc, d, n] = [f.sf!, f.rmode!, f.opc!, f.rd!, f.rn!];
  const fbits = 64 - f.scale!;
  if (!t || (!sf && fbits > 32)) return false;
  if (rmode === 3 && opc <= 1) {
    floatToInt(ctx, t, n, Rounding.Zero, opc === 1, sf ? 64 : 32, fbits, (v) => ctx.setReg(d, v));
    return true;
  }
  if (rmode === 0 && (opc === 2 || opc === 3)) {
    intToFloat(ctx, t, ctx.reg(sf, n), opc === 3, fbits, d);
    return true;
  }
  return false;
};

export const FP_SCALAR_ROWS = [
  ['00011110 type:2 1 rm:5 opc:4 10 rn:5 rd:5', 'FP 2-source', twoSource],
  ['00011110 type:2 1 opc:6 10000 rn:5 rd:5', 'FP 1-source', oneSource],
  ['00011110 type:2 1 rm:5 001000 rn:5 e:1 z:1 000', 'FCMP/FCMPE', fcmp],
  ['00011110 type:2 1 rm:5 cond:4 01 rn:5 e:1 nzcv:4', 'FCCMP/FCCMPE', fccmp],
  ['00011110 type:2 1 rm:5 cond:4 11 rn:5 rd:5', 'FCSEL', fcsel],
  ['00011110 type:2 1 imm8:8 100 00000 rd:5', 'FMOV (scalar, immediate)', fmovImm],
  ['00011111 type:2 o1:1 rm:5 o0:1 ra:5 rn:5 rd:5', 'FMADD/FMSUB/FNMADD/FNMSUB', fma],
  ['sf:1 0011110 type:2 1 rmode:2 opc:3 000000 rn:5 rd:5', 'FP<->integer conversion', convertInt],
  ['sf:1 0011110 type:2 0 rmode:2 opc:3 scale:6 rn:5 rd:5', 'FP<->fixed-point conversion', convertFixed],
] as const;
