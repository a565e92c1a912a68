/**
 * Floating-point operations shared by the FPU instructions (fp.ts) and the VSX scalar ones
 * (vsx-scalar.ts): arithmetic, compares and integer conversions, each emitted either as native
 * wasm operations (round-to-nearest, FPSCR left alone) or, under FLAG_FP_EXACT, as a call to a
 * helper that honours FPSCR.RN and keeps FPSCR's exception bits and FPRF (see ../fpscr.ts); under
 * FLAG_FP_TRACK natively, with the helper called only when a new flag may be raised.
 */
import type { Temp } from '../../ir/block';
import type { IRBuilder } from '../../ir/builder';
import { defineHelper, type HelperContext } from '../../ir/helpers';
import {
  F32,
  F64,
  FPSR_IOC,
  FPSR_IXC,
  fixedToFp,
  fpAdd,
  fpConvert,
  fpDiv,
  fpMul,
  fpMulAdd,
  fpSqrt,
  fpSub,
  fpToFixed,
  Rounding,
  type FpEnv,
} from '../../aarch64/insns/fp-soft';
import type { PpcContext } from '../context';
import { FLAG_FP_EXACT, FLAG_FP_TRACK, FP_FLAGS_KEPT } from '../flags';
import {
  FPSCR_FI,
  FPSCR_FPRF_SHIFT,
  FPSCR_FR,
  FPSCR_VXCVI,
  FPSCR_VXIDI,
  FPSCR_VXIMZ,
  FPSCR_VXISI,
  FPSCR_VXSQRT,
  FPSCR_VXVC,
  FPSCR_VXSNAN,
  FPSCR_XX,
  envOf,
  isSignallingNaN,
  raise,
  resultClass,
  roundToSingle,
  withFprf,
} from '../fpscr';
import { FPSCR } from '../state';

const SIGN = 1n << 63n;
const QUIET = 1n << 51n;
const isNaNBits = (bits: bigint): boolean => ((bits >> 52n) & 0x7ffn) === 0x7ffn && (bits & ((1n << 52n) - 1n)) !== 0n;
const ONE = 0x3ff0000000000000n;

/** One arithmetic operation: its native emission and its exact reference with the VX* bit of its invalid case. */
interface ArithOp {
  native(b: IRBuilder, a: Temp, c: Temp, d: Temp): Temp;
  exact(x: bigint, y: bigint, z: bigint, env: FpEnv): bigint;
  invalid: number;
}

const neg = (b: IRBuilder, v: Temp): Temp => b.unary('fneg', v);

/** Fused multiply-add has no native wasm form: both paths use the exact reference. */
export const FP_OPS = {
  add: { native: (b, a, c) => b.binary('fadd', a, c), exact: (x, y, _z, e) => fpAdd(x, y, F64, e), invalid: FPSCR_VXISI },
  sub: { native: (b, a, c) => b.binary('fsub', a, c), exact: (x, y, _z, e) => fpSub(x, y, F64, e), invalid: FPSCR_VXISI },
  mul: { native: (b, a, c) => b.binary('fmul', a, c), exact: (x, y, _z, e) => fpMul(x, y, F64, e), invalid: FPSCR_VXIMZ },
  div: {
    native: (b, a, c) => b.binary('fdiv', a, c),
    exact: (x, y, _z, e) => fpDiv(x, y, F64, e),
    invalid: FPSCR_VXIDI,
  },
  sqrt: { native: (b, a) => b.unary('fsqrt', a), exact: (x, _y, _z, e) => fpSqrt(x, F64, e), invalid: FPSCR_VXSQRT },
  /** fre/frsqrte: the exact reciprocal (estimates may be more precise than the ISA's minimum, as in QEMU). */
  re: { native: (b, a) => b.binary('fdiv', b.f64(1), a), exact: (x, _y, _z, e) => fpDiv(ONE, x, F64, e), invalid: FPSCR_VXIDI },
  rsqrte: {
    native: (b, a) => b.binary('fdiv', b.f64(1), b.unary('fsqrt', a)),
    exact: (x, _y, _z, e) => fpDiv(ONE, fpSqrt(x, F64, e), F64, e),
    invalid: FPSCR_VXSQRT,
  },
  /** frsp: the rounding to single itself (done by the single flag). */
  rsp: { native: (_b, a) => a, exact: (x) => x, invalid: FPSCR_VXSNAN },
  madd: { native: (b, a, c, d) => b.binary('fadd', b.binary('fmul', a, c), d), exact: (x, y, z, e) => fpMulAdd(z, x, y, F64, e), invalid: FPSCR_VXIMZ },
  msub: {
    native: (b, a, c, d) => b.binary('fsub', b.binary('fmul', a, c), d),
    exact: (x, y, z, e) => fpMulAdd(z ^ SIGN, x, y, F64, e),
    invalid: FPSCR_VXIMZ,
  },
  nmadd: {
    native: (b, a, c, d) => neg(b, b.binary('fadd', b.binary('fmul', a, c), d)),
    exact: (x, y, z, e) => negateUnlessNaN(fpMulAdd(z, x, y, F64, e)),
    invalid: FPSCR_VXIMZ,
  },
  nmsub: {
    native: (b, a, c, d) => neg(b, b.binary('fsub', b.binary('fmul', a, c), d)),
    exact: (x, y, z, e) => negateUnlessNaN(fpMulAdd(z ^ SIGN, x, y, F64, e)),
    invalid: FPSCR_VXIMZ,
  },
} as const satisfies Record<string, ArithOp>;

export type FpOpName = keyof typeof FP_OPS;
const OP_NAMES = Object.keys(FP_OPS) as FpOpName[];
const FUSED: ReadonlySet<FpOpName> = new Set(['madd', 'msub', 'nmadd', 'nmsub']);

/** The negated multiply-adds negate the result, except a NaN result. */
const negateUnlessNaN = (bits: bigint): bigint => (isNaNBits(bits) ? bits : bits ^ SIGN);

const readFpscr = (ctx: HelperContext): number => ctx.view.getUint32(ctx.stateBase + FPSCR, true);
const writeFpscr = (ctx: HelperContext, v: number): void => ctx.view.setUint32(ctx.stateBase + FPSCR, v >>> 0, true);

const exactArith = defineHelper({
  name: 'ppc64_fp_arith',
  params: ['i32', 'i64', 'i64', 'i64', 'i32'],
  result: 'i64',
  impl: (ctx, op, x, y, z, single) => {
    const name = OP_NAMES[op as number]!;
    const def = FP_OPS[name] as ArithOp;
    const fpscr = readFpscr(ctx);
    const env = envOf(fpscr);
    const args = [x, y, z].map((v) => BigInt.asUintN(64, v as bigint));
    // PowerPC returns the first NaN operand in its own order (the reference arithmetic prefers
    // signalling NaNs and addends, as ARM does).
    const firstNaN = (NAN_ORDER[name] ?? [0, 1, 2]).map((i) => args[i]!).find(isNaNBits);
    let r = firstNaN !== undefined ? firstNaN | QUIET : def.exact(args[0]!, args[1]!, args[2]!, env);
    if (firstNaN !== undefined && args.some(isSignallingNaN)) env.flags |= FPSR_IOC;
    if (single) r = roundToSingle(r, env);
    const invalid = args.some(isSignallingNaN) ? FPSCR_VXSNAN : def.invalid;
    writeFpscr(ctx, withFprf(raise(fpscr, env, invalid), resultClass(r)));
    return r;
  },
});

/**
 * frt = op(a, c, d) (f64 temps), rounded to single precision when `single`. Fused operations use
 * the exact helper on both paths; the others do only under FLAG_FP_EXACT.
 */
export function fpArith(ctx: PpcContext, op: FpOpName, args: Temp[], single: boolean): Temp {
  const b = ctx.b;
  const [a, c = a, d = a] = args as [Temp, Temp?, Temp?];
  const bitsOf = (v: Temp): Temp => b.convert('reinterpret', 'i64', v);
  const exact = (): Temp =>
    b.call(exactArith, [b.i32(OP_NAMES.indexOf(op)), bitsOf(a), bitsOf(c), bitsOf(d), b.i32(single ? 1 : 0)])!;
  if (ctx.flags & FLAG_FP_EXACT || FUSED.has(op)) return b.convert('reinterpret', 'f64', exact());
  const native = withPpcNaN(ctx, FP_OPS[op].native(b, a, c, d), args);
  const r = single ? roundNativeToSingle(ctx, native) : native;
  if (ctx.flags & FLAG_FP_TRACK) {
    // In round-to-nearest the helper's result is the native one: it runs only to update FPSCR.
    const [min, max] = single ? SINGLE_NORMAL : DOUBLE_NORMAL;
    const magnitude = b.unary('fabs', r);
    const normal = b.and(b.compare('fge', magnitude, b.f64(min)), b.compare('fle', magnitude, b.f64(max)));
    const inexactRaised = b.compare('ne', b.and(b.get(FPSCR, 'i32'), b.i32(FPSCR_XX)), b.i32(0));
    ctx.guarded(b.compare('eq', b.and(normal, inexactRaised), b.i32(0)), () => exact());
  }
  return r;
}

/** The smallest and largest finite normal magnitudes of double and single precision. */
const DOUBLE_NORMAL = [2 ** -1022, Number.MAX_VALUE] as const;
const SINGLE_NORMAL = [2 ** -126, 3.4028234663852886e38] as const;

/** The operand order whose first NaN a PowerPC operation returns: A, B, then C. */
const NAN_ORDER: Partial<Record<FpOpName, readonly number[]>> = { madd: [0, 2, 1], msub: [0, 2, 1], nmadd: [0, 2, 1], nmsub: [0, 2, 1] };

/**
 * A native result with PowerPC's NaN: wasm gives some NaN, PowerPC the first NaN operand (in the
 * operation's operand order) made quiet, or the default NaN 0x7ff8000000000000 when no operand is one.
 */
export function withPpcNaN(ctx: PpcContext, r: Temp, args: readonly Temp[]): Temp {
  const b = ctx.b;
  let nan = b.i64(0x7ff8000000000000n);
  for (const arg of [...args].reverse()) {
    const quieted = b.or(b.convert('reinterpret', 'i64', arg), b.i64(1n << 51n));
    nan = b.select(b.compare('ne', arg, arg), quieted, nan);
  }
  return b.select(b.compare('ne', r, r), b.convert('reinterpret', 'f64', nan), r);
}

/** 1 / sqrt(x) of a single (in double) with the square root rounded to single first, as QEMU's single estimates. */
export function reciprocalSqrtOfSingle(ctx: PpcContext, x: Temp): Temp {
  const b = ctx.b;
  const root = b.convert('fpromote', 'f64', b.convert('fdemote', 'f32', b.unary('fsqrt', x)));
  return b.binary('fdiv', b.f64(1), root);
}

/** A double rounded to single precision, NaNs keeping their sign and payload's top bits. */
function roundNativeToSingle(ctx: PpcContext, r: Temp): Temp {
  const b = ctx.b;
  const viaSingle = b.convert('fpromote', 'f64', b.convert('fdemote', 'f32', r));
  const truncatedNaN = b.convert('reinterpret', 'f64', b.and(b.convert('reinterpret', 'i64', r), b.i64(~((1n << 29n) - 1n))));
  return b.select(b.compare('ne', r, r), truncatedNaN, viaSingle);
}

/**
 * A double (f64) narrowed to single for a store or format conversion; NaNs keep sign and payload's
 * top bits, and are made quiet when `quiet` (xscvdpsp; stores and xscvdpspn copy the bits).
 */
export function demoteDouble(ctx: PpcContext, x: Temp, quiet = false): Temp {
  const b = ctx.b;
  const bits = b.convert('reinterpret', 'i64', x);
  const sign = b.wrap(b.shl(b.shrU(bits, b.i64(63)), b.i64(31)));
  const frac = b.wrap(b.or(b.and(b.shrU(bits, b.i64(29)), b.i64(0x7fffff)), b.i64(quiet ? 0x400000 : 0)));
  const nan = b.convert('reinterpret', 'f32', b.or(b.or(sign, b.i32(0x7f800000)), frac));
  return b.select(b.compare('ne', x, x), nan, b.convert('fdemote', 'f32', x));
}

/** A single (f32) widened to double exactly, NaNs included (wasm's promote may change a NaN). */
export function promoteSingle(ctx: PpcContext, x: Temp): Temp {
  const b = ctx.b;
  const bits = b.zext(b.convert('reinterpret', 'i32', x));
  const sign = b.shl(b.shrU(bits, b.i64(31)), b.i64(63));
  const nan = b.or(b.or(sign, b.i64(0x7ff0000000000000n)), b.shl(b.and(bits, b.i64(0x7fffff)), b.i64(29)));
  return b.select(b.compare('ne', x, x), b.convert('reinterpret', 'f64', nan), b.convert('fpromote', 'f64', x));
}

/** The FPCC of comparing a with c (8 less, 4 greater, 2 equal, 1 unordered). */
function nativeCompare(ctx: PpcContext, a: Temp, c: Temp): Temp {
  const b = ctx.b;
  const lt = b.compare('flt', a, c);
  const gt = b.compare('fgt', a, c);
  const eq = b.compare('eq', a, c);
  const unordered = b.xor(b.or(b.or(lt, gt), eq), b.i32(1));
  return b.or(b.or(b.shl(lt, b.i32(3)), b.shl(gt, b.i32(2))), b.or(b.shl(eq, b.i32(1)), unordered));
}

const exactCompare = defineHelper({
  name: 'ppc64_fp_compare',
  params: ['i64', 'i64', 'i32'],
  result: 'i32',
  impl: (ctx, x, y, ordered) => {
    const bits = [x, y].map((v) => BigInt.asUintN(64, v as bigint));
    const [a, c] = bits.map(toDouble) as [number, number];
    const fpcc = a < c ? 8 : a > c ? 4 : a === c ? 2 : 1;
    const fpscr = readFpscr(ctx);
    const env = envOf(fpscr);
    // Unordered: VXSNAN for a signalling NaN operand; fcmpo also VXVC (for a quiet NaN, or with VE clear).
    const snan = bits.some(isSignallingNaN);
    let invalid = snan ? FPSCR_VXSNAN : 0;
    if (fpcc === 1 && ordered && (!snan || !(fpscr & 0x80))) invalid |= FPSCR_VXVC;
    if (invalid) env.flags |= FPSR_IOC;
    writeFpscr(ctx, (raise(fpscr, env, invalid) & ~(0xf << 12)) | (fpcc << 12));
    return fpcc;
  },
});

function toDouble(bits: bigint): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setBigUint64(0, bits);
  return buf.getFloat64(0);
}

/** The 4-bit compare result of fcmpu (ordered = false) or fcmpo. */
export function fpCompare(ctx: PpcContext, a: Temp, c: Temp, ordered: boolean): Temp {
  const b = ctx.b;
  const exact = (): Temp =>
    b.call(exactCompare, [b.convert('reinterpret', 'i64', a), b.convert('reinterpret', 'i64', c), b.i32(ordered ? 1 : 0)])!;
  if (ctx.flags & FLAG_FP_EXACT) return exact();
  // Tracking flags: only NaN operands raise one (FPCC in FPSCR may then lag behind).
  if (ctx.flags & FLAG_FP_TRACK) ctx.guarded(b.or(b.compare('ne', a, a), b.compare('ne', c, c)), () => exact());
  return nativeCompare(ctx, a, c);
}

/** How a float-to-integer conversion rounds and saturates. */
export interface IntConversion {
  width: 32 | 64;
  unsigned: boolean;
  /** Round toward zero (the *z forms) rather than by FPSCR.RN. */
  truncate: boolean;
}

const exactToInt = defineHelper({
  name: 'ppc64_fp_to_int',
  params: ['i64', 'i32', 'i32', 'i32'],
  result: 'i64',
  impl: (ctx, x, width, unsigned, truncate) => {
    const bits = BigInt.asUintN(64, x as bigint);
    const fpscr = readFpscr(ctx);
    const env = envOf(fpscr);
    if (truncate) env.mode = Rounding.Zero;
    const w = width as number;
    const isNaN = isNaNBits(bits);
    let r = fpToFixed(bits, F64, env, 0, w, unsigned === 1);
    if (isNaN) r = unsigned ? 0n : 1n << BigInt(w - 1);
    // Invalid conversions set VXCVI (and VXSNAN for a signalling NaN), never XX.
    if (env.flags & FPSR_IOC) env.flags &= ~FPSR_IXC;
    writeFpscr(ctx, raise(fpscr, env, FPSCR_VXCVI | (isSignallingNaN(bits) ? FPSCR_VXSNAN : 0)));
    return w === 32 && !unsigned ? BigInt.asUintN(64, BigInt.asIntN(32, r)) : r;
  },
});

/**
 * A float (f64) to integer conversion; the result is the FPR's new bits (i64). NaN gives the most
 * negative integer (0 for unsigned), out-of-range values saturate. The 32-bit signed result is
 * sign-extended (the ISA leaves the high word undefined).
 */
export function fpToInt(ctx: PpcContext, x: Temp, conv: IntConversion): Temp {
  const b = ctx.b;
  if (ctx.flags & FP_FLAGS_KEPT) {
    const args = [b.convert('reinterpret', 'i64', x), b.i32(conv.width), b.i32(conv.unsigned ? 1 : 0), b.i32(conv.truncate ? 1 : 0)];
    return b.call(exactToInt, args)!;
  }
  const rounded = conv.truncate ? x : b.unary('fnearest', x);
  const type = conv.width === 32 ? 'i32' : 'i64';
  const r = b.convert(conv.unsigned ? 'ftrunc_u' : 'ftrunc_s', type, rounded);
  const nanValue = conv.unsigned ? 0 : conv.width === 32 ? -(2 ** 31) : -(2n ** 63n);
  const fixed = b.select(b.compare('ne', x, x), b.imm(r, nanValue), r);
  return conv.width === 64 ? fixed : conv.unsigned ? b.zext(fixed) : b.sext(fixed);
}

const exactFromInt = defineHelper({
  name: 'ppc64_fp_from_int',
  params: ['i64', 'i32', 'i32'],
  result: 'i64',
  impl: (ctx, v, unsigned, single) => {
    const fpscr = readFpscr(ctx);
    const env = envOf(fpscr);
    const value = unsigned ? BigInt.asUintN(64, v as bigint) : BigInt.asIntN(64, v as bigint);
    // A single-precision result is the exact integer rounded once, to single.
    const r = single ? fpConvert(fixedToFp(value, 0, F32, env), F32, F64, env) : fixedToFp(value, 0, F64, env);
    writeFpscr(ctx, withFprf(raise(fpscr, env, 0), resultClass(r)));
    return r;
  },
});

/** FPRF of a positive normal number, of a negative one and of +0 (fpscr.ts resultClass). */
const FPRF_POSITIVE = 0b00100;
const FPRF_NEGATIVE = 0b01000;
const FPRF_PLUS_ZERO = 0b00010;

/** fcfid and friends: an integer (i64 bits of an FPR) to f64, rounded to single when `single`. */
export function fpFromInt(ctx: PpcContext, v: Temp, unsigned: boolean, single: boolean): Temp {
  const b = ctx.b;
  const exact = (): Temp => b.call(exactFromInt, [v, b.i32(unsigned ? 1 : 0), b.i32(single ? 1 : 0)])!;
  if (ctx.flags & FLAG_FP_EXACT) return b.convert('reinterpret', 'f64', exact());
  const conv = unsigned ? 'fconv_u' : 'fconv_s';
  const r = single ? b.convert('fpromote', 'f64', b.convert(conv, 'f32', v)) : b.convert(conv, 'f64', v);
  if (ctx.flags & FLAG_FP_TRACK) {
    // Round to nearest, as wasm converts: the helper's result is the native one. An integer that
    // fits the significand converts exactly, which clears FI and FR and sets FPRF to its class, as
    // the helper would (sqlite3 on ppc64le ran 1.5 % of its time in the helper); others call it for
    // FPSCR's update.
    const limit = 2n ** (single ? 24n : 53n);
    const fits = unsigned
      ? b.compare('le_u', v, b.i64(limit))
      : b.compare('le_u', b.add(v, b.i64(limit)), b.i64(2n * limit));
    const fpscrOfExactResult = (): void => {
      const zero = b.compare('eq', v, b.i64(0));
      const negative = unsigned ? b.i32(0) : b.compare('lt_s', v, b.i64(0));
      const sign = b.select(negative, b.i32(FPRF_NEGATIVE), b.i32(FPRF_POSITIVE));
      const fprf = b.shl(b.select(zero, b.i32(FPRF_PLUS_ZERO), sign), b.i32(FPSCR_FPRF_SHIFT));
      const kept = b.and(b.get(FPSCR, 'i32'), b.i32(~(FPSCR_FI | FPSCR_FR | (0x1f << FPSCR_FPRF_SHIFT))));
      b.set(FPSCR, b.or(kept, fprf));
    };
    ctx.guarded(fits, fpscrOfExactResult, () => exact());
  }
  return r;
}
