/**
 * Exact VFP arithmetic where WebAssembly's float ops do not give the guest's answer, with the
 * mechanism AArch64 uses for FPCR (FPSCR has the same RMode, FZ, DN and cumulative flag bits, so
 * the reference arithmetic of aarch64/insns/fp-soft.ts and the translation flags of
 * aarch64/flags.ts serve both): under a directed rounding mode (a translation flag, so a block
 * assumes it) every operation is a helper call; in round-to-nearest the native result
 * is used unless it is not finite, when the helper recomputes it with ARM's NaN rules (the first
 * signalling NaN operand, else the first quiet one, its payload kept; FPSCR.DN gives the default
 * NaN) and raises IOC, DZC or OFC in FPSCR. IXC and UFC are raised only on the helper path.
 */
import { FLAG_DIRECTED_ROUNDING } from '../../aarch64/flags';
import {
  F32,
  F64,
  FpEnv,
  fixedToFp,
  fpAdd,
  fpConvert,
  fpDiv,
  fpMul,
  fpMulAdd,
  fpNeg,
  fpSqrt,
  fpSub,
  fpToFixed,
  type FpFormat,
} from '../../aarch64/insns/fp-soft';
import type { Temp } from '../../ir/block';
import { defineHelper, type HelperContext } from '../../ir/helpers';
import type { ArmContext } from '../context';
import { FPSCR } from '../state';
import { setFp } from './fp-registers';

/** The operations the helper computes; the ARITH keys of vfp.ts (opc1:opc3) come first. */
export enum VfpOp {
  Mla = 0b0000,
  Mls = 0b0001,
  Nmls = 0b0010,
  Nmla = 0b0011,
  Mul = 0b0100,
  Nmul = 0b0101,
  Add = 0b0110,
  Sub = 0b0111,
  Div = 0b1000,
  Sqrt = 16,
  Fma,
  Fms,
  Fnma,
  Fnms,
  /** The other precision's value of a (VCVT between single and double). */
  Convert,
  /** a as a signed / unsigned 32-bit integer to float. */
  FromInt,
  FromUint,
  /** Float a to a signed / unsigned 32-bit integer in FPSCR's rounding mode (VCVTR). */
  ToIntRounded,
  ToUintRounded,
}

type Exact = (a: bigint, b: bigint, c: bigint, f: FpFormat, env: FpEnv) => bigint;

const EXACT: Record<VfpOp, Exact> = {
  [VfpOp.Mla]: (n, m, d, f, env) => fpAdd(d, fpMul(n, m, f, env), f, env),
  [VfpOp.Mls]: (n, m, d, f, env) => fpAdd(d, fpNeg(fpMul(n, m, f, env), f), f, env),
  [VfpOp.Nmls]: (n, m, d, f, env) => fpAdd(fpNeg(d, f), fpMul(n, m, f, env), f, env),
  [VfpOp.Nmla]: (n, m, d, f, env) => fpAdd(fpNeg(d, f), fpNeg(fpMul(n, m, f, env), f), f, env),
  [VfpOp.Mul]: (n, m, _d, f, env) => fpMul(n, m, f, env),
  [VfpOp.Nmul]: (n, m, _d, f, env) => fpNeg(fpMul(n, m, f, env), f),
  [VfpOp.Add]: (n, m, _d, f, env) => fpAdd(n, m, f, env),
  [VfpOp.Sub]: (n, m, _d, f, env) => fpSub(n, m, f, env),
  [VfpOp.Div]: (n, m, _d, f, env) => fpDiv(n, m, f, env),
  [VfpOp.Sqrt]: (m, _m, _d, f, env) => fpSqrt(m, f, env),
  [VfpOp.Fma]: (n, m, d, f, env) => fpMulAdd(d, n, m, f, env),
  [VfpOp.Fms]: (n, m, d, f, env) => fpMulAdd(d, fpNeg(n, f), m, f, env),
  [VfpOp.Fnma]: (n, m, d, f, env) => fpMulAdd(fpNeg(d, f), fpNeg(n, f), m, f, env),
  [VfpOp.Fnms]: (n, m, d, f, env) => fpMulAdd(fpNeg(d, f), n, m, f, env),
  [VfpOp.Convert]: (a, _b, _c, f, env) => fpConvert(a, f, f === F64 ? F32 : F64, env),
  [VfpOp.FromInt]: (a, _b, _c, f, env) => fixedToFp(BigInt.asIntN(32, a), 0, f, env),
  [VfpOp.FromUint]: (a, _b, _c, f, env) => fixedToFp(BigInt.asUintN(32, a), 0, f, env),
  [VfpOp.ToIntRounded]: (a, _b, _c, f, env) => BigInt.asUintN(32, fpToFixed(a, f, env, 0, 32, false)),
  [VfpOp.ToUintRounded]: (a, _b, _c, f, env) => fpToFixed(a, f, env, 0, 32, true),
};

/** Runs `op` in the format of its operands (`double`) under the guest's FPSCR, raising its flags there. */
const VFP_EXACT = defineHelper({
  name: 'arm_vfp_exact',
  params: ['i32', 'i32', 'i64', 'i64', 'i64'],
  result: 'i64',
  impl: (h: HelperContext, op, double, a, b, c) => {
    const fpscr = h.view.getUint32(h.stateBase + FPSCR, true);
    const env = FpEnv.fromFpcr(fpscr);
    const result = EXACT[Number(op) as VfpOp](a as bigint, b as bigint, c as bigint, Number(double) ? F64 : F32, env);
    h.view.setUint32(h.stateBase + FPSCR, fpscr | env.flags, true);
    return result;
  },
});

/**
 * Whether blocks run under a directed rounding mode, where every operation takes the helper.
 * Flush-to-zero alone keeps the native path (gcc's -ffast-math start-up code sets FZ, and a helper
 * call per operation would make such programs crawl): denormals are then not flushed.
 */
export const exactOnly = (ctx: ArmContext): boolean => (ctx.flags & FLAG_DIRECTED_ROUNDING) !== 0;

/** The bits of a float or integer temp as the helper's i64 argument. */
function bitsOf(ctx: ArmContext, v: Temp): Temp {
  const b = ctx.b;
  if (v.type === 'f64') return b.convert('reinterpret', 'i64', v);
  if (v.type === 'f32') return b.zext(b.convert('reinterpret', 'i32', v));
  return v.type === 'i32' ? b.zext(v) : v;
}

/** The helper's result for `op` on `inputs` (operands in the `double` format), as bits (i64). */
export function exactBits(ctx: ArmContext, op: VfpOp, double: boolean, inputs: readonly Temp[]): Temp {
  const b = ctx.b;
  const args = [0, 1, 2].map((i) => (inputs[i] ? bitsOf(ctx, inputs[i]) : b.i64(0n)));
  return b.call(VFP_EXACT, [b.i32(op), b.i32(double ? 1 : 0), ...args])!;
}

/** The exact result as a float of type `type`. */
function exactFloat(ctx: ArmContext, op: VfpOp, double: boolean, inputs: readonly Temp[], type: 'f32' | 'f64'): Temp {
  const b = ctx.b;
  const bits = exactBits(ctx, op, double, inputs);
  return type === 'f64' ? b.convert('reinterpret', 'f64', bits) : b.convert('reinterpret', 'f32', b.wrap(bits));
}

/**
 * Writes the result of `op` to FP register `reg` (of the result's precision): `native()` when the
 * mode is the default and its value is finite, else the helper's.
 */
export function writeFpResult(ctx: ArmContext, reg: number, op: VfpOp, double: boolean, inputs: readonly Temp[], native: () => Temp): void {
  const b = ctx.b;
  const resultType = (op === VfpOp.Convert ? !double : double) ? 'f64' : 'f32';
  if (exactOnly(ctx)) return setFp(ctx, reg, exactFloat(ctx, op, double, inputs, resultType));
  const r = native();
  const t = b.binary('fsub', r, r);
  const slow = b.label();
  const done = b.label();
  b.brcond(b.compare('ne', t, t), slow);
  setFp(ctx, reg, r);
  b.br(done);
  b.place(slow);
  setFp(ctx, reg, exactFloat(ctx, op, double, inputs, resultType));
  b.place(done);
}
