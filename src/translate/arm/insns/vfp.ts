/**
 * Coprocessor rows shared by A32 and T32 (their low 28 bits are the same; A32 has the condition
 * above them, T32 0b1110): the VFPv3 floating-point instructions (ARM ARM A7.5, A7.8), the moves
 * between core registers and NEON scalars (VMOV, VDUP), and the CP15 thread ID register moves.
 *
 * Single-precision registers are Vd:D, double ones D:Vd. Arithmetic uses the IR's IEEE ops in
 * FPSCR's default mode and falls back to exact helpers for NaN and infinite results and for the
 * other modes (vfp-exact.ts); a VMSR ends the block so blocks are translated for the new mode.
 * VCMP writes FPSCR.NZCV, which VMRS APSR_nzcv copies to the flags.
 */
import type { Temp } from '../../ir/block';
import type { ArmContext, ArmHandler } from '../context';
import { FPSCR } from '../state';
import { getD, getFp, getS, setD, setFp, setS } from './fp-registers';
import { coprocessorMove } from './system';
import { VfpOp, exactBits, exactOnly, writeFpResult } from './vfp-exact';

type Row = readonly [string, string, ArmHandler];

/** Register number of a single (Vx:X) or double (X:Vx) operand. */
const single = (v: number, x: number): number => (v << 1) | x;
const double = (v: number, x: number): number => (x << 4) | v;

/** Reads/writes an FP operand of the precision `sz` (1: double) selected by an instruction. */
function fpGet(ctx: ArmContext, sz: number, v: number, x: number): Temp {
  return getFp(ctx, sz === 1, sz ? double(v, x) : single(v, x));
}
function fpSet(ctx: ArmContext, sz: number, v: number, x: number, value: Temp): void {
  setFp(ctx, fpReg(sz, v, x), value);
}
const fpReg = (sz: number, v: number, x: number): number => (sz ? double(v, x) : single(v, x));
const operands = (ctx: ArmContext, f: Record<string, number>): [Temp, Temp] => [
  fpGet(ctx, f.sz!, f.vn!, f.n!),
  fpGet(ctx, f.sz!, f.vm!, f.m!),
];

/** VLDR/VSTR: one register at Rn +/- imm8 * 4 (a pc base is word-aligned). */
const loadStoreOne: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  const base = f.rn === 15 ? b.i32(ctx.pcRead & ~3) : ctx.r(f.rn!);
  const at = ctx.addr(f.u ? b.add(base, b.i32(f.imm! * 4)) : b.sub(base, b.i32(f.imm! * 4)));
  if (f.sz) {
    const n = double(f.vd!, f.d!);
    if (f.l) setD(ctx, n, b.load('i64', at, 8));
    else b.store(at, getD(ctx, n), 8);
  } else {
    const n = single(f.vd!, f.d!);
    if (f.l) setS(ctx, n, b.load('i32', at, 4));
    else b.store(at, getS(ctx, n), 4);
  }
  return true;
};

/** VLDM/VSTM (VPUSH/VPOP): consecutive registers from Vd, increment after or decrement before. */
const loadStoreMany: ArmHandler = (ctx, f) => {
  if (f.p === f.u || (f.p && !f.w)) return false;
  const b = ctx.b;
  const words = f.imm!;
  const count = f.sz ? words >> 1 : words;
  const first = f.sz ? double(f.vd!, f.d!) : single(f.vd!, f.d!);
  if (count === 0 || first + count > (f.sz ? 32 : 32)) return ctx.undefined();
  const baseValue = ctx.r(f.rn!);
  const start = f.u ? baseValue : b.sub(baseValue, b.i32(words * 4));
  const size = f.sz ? 8 : 4;
  for (let k = 0; k < count; k++) {
    const at = ctx.addr(b.add(start, b.i32(k * size)));
    if (f.sz && f.l) setD(ctx, first + k, b.load('i64', at, 8));
    else if (f.sz) b.store(at, getD(ctx, first + k), 8);
    else if (f.l) setS(ctx, first + k, b.load('i32', at, 4));
    else b.store(at, getS(ctx, first + k), 4);
  }
  if (f.w) ctx.setR(f.rn!, f.u ? b.add(baseValue, b.i32(words * 4)) : start);
  return true;
};

/** VMOV between a core register and a single-precision register. */
const moveSingle: ArmHandler = (ctx, f) => {
  const n = single(f.vn!, f.n!);
  if (f.op) ctx.setR(f.rt!, getS(ctx, n));
  else setS(ctx, n, ctx.r(f.rt!));
  return true;
};

/** VMOV between two core registers and a double (or two consecutive singles). */
const moveTwo: ArmHandler = (ctx, f) => {
  // The low word is S(2m) of Dm, or Sm; the high word the next single register.
  const low = f.dbl ? double(f.vm!, f.m!) * 2 : single(f.vm!, f.m!);
  if (f.op) {
    const lo = getS(ctx, low);
    const hi = getS(ctx, low + 1);
    ctx.setR(f.rt!, lo);
    ctx.setR(f.rt2!, hi);
  } else {
    const lo = ctx.r(f.rt!);
    const hi = ctx.r(f.rt2!);
    setS(ctx, low, lo);
    setS(ctx, low + 1, hi);
  }
  return true;
};

/** Element size and lane of VMOV (core and scalar) from opc1:opc2; undefined for the unallocated 0x10. */
function scalarLane(opc1: number, opc2: number): { ebits: number; lane: number } | undefined {
  if (opc1 & 2) return { ebits: 8, lane: ((opc1 & 1) << 2) | opc2 };
  if (opc2 & 1) return { ebits: 16, lane: ((opc1 & 1) << 1) | (opc2 >> 1) };
  return opc2 ? undefined : { ebits: 32, lane: opc1 & 1 };
}

/** VMOV Dd[x], Rt: the low 8, 16 or 32 bits of Rt into one lane. */
const moveToScalar: ArmHandler = (ctx, f) => {
  const at = scalarLane(f.opc1!, f.opc2!);
  if (!at) return ctx.undefined();
  const b = ctx.b;
  const d = double(f.vd!, f.d!);
  const shift = BigInt(at.lane * at.ebits);
  const laneMask = ((1n << BigInt(at.ebits)) - 1n) << shift;
  const value = b.shl(b.and(b.zext(ctx.r(f.rt!)), b.i64((1n << BigInt(at.ebits)) - 1n)), b.i64(shift));
  setD(ctx, d, b.or(b.and(getD(ctx, d), b.i64(~laneMask & 0xffffffffffffffffn)), value));
  return true;
};

/** VMOV Rt, Dn[x]: one lane, zero- (U) or sign-extended. */
const moveFromScalar: ArmHandler = (ctx, f) => {
  const at = scalarLane(f.opc1!, f.opc2!);
  if (!at || (at.ebits === 32 && f.u)) return ctx.undefined();
  const b = ctx.b;
  const word = b.wrap(b.shrU(getD(ctx, double(f.vn!, f.n!)), b.i64(BigInt(at.lane * at.ebits))));
  if (at.ebits === 32) ctx.setR(f.rt!, word);
  else if (f.u) ctx.setR(f.rt!, b.and(word, b.i32((1 << at.ebits) - 1)));
  else ctx.setR(f.rt!, b.unary(at.ebits === 8 ? 'sext8' : 'sext16', word));
  return true;
};

/** VDUP Dd/Qd, Rt: the low 8, 16 or 32 bits of Rt in every lane (B:E = 10, 01, 00). */
const duplicateCore: ArmHandler = (ctx, f) => {
  const be = (f.b! << 1) | f.e!;
  const d = double(f.vd!, f.d!);
  if (be === 3 || (f.q && d & 1)) return ctx.undefined();
  const b = ctx.b;
  const [width, spread] = [
    [0xffffffffn, 0x0000000100000001n],
    [0xffffn, 0x0001000100010001n],
    [0xffn, 0x0101010101010101n],
  ][be]!;
  const value = b.binary('mul', b.and(b.zext(ctx.r(f.rt!)), b.i64(width)), b.i64(spread));
  setD(ctx, d, value);
  if (f.q) setD(ctx, d + 1, value);
  return true;
};

/** VMRS Rt, FPSCR (Rt = 15: APSR_nzcv from FPSCR) and VMSR FPSCR, Rt. */
const moveStatus: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  if (!f.op) {
    b.set(FPSCR, ctx.r(f.rt!));
    // Outside an IT block (which must stay in one block), the new mode applies from the next instruction.
    if (!ctx.inIT) ctx.yieldAfter();
    return true;
  }
  const fpscr = b.get(FPSCR, 'i32');
  if (f.rt !== 15) {
    ctx.setR(f.rt!, fpscr);
    return true;
  }
  ctx.setNzcvBits(fpscr);
  return true;
};

type Arith = (ctx: ArmContext, n: Temp, m: Temp, d: () => Temp) => Temp;
/** The three-register data-processing ops by opc1:opc3 (bits 23, 21:20, 6). */
const ARITH: Record<number, Arith> = {
  0b0000: (ctx, n, m, d) => ctx.b.binary('fadd', d(), ctx.b.binary('fmul', n, m)), // VMLA
  0b0001: (ctx, n, m, d) => ctx.b.binary('fsub', d(), ctx.b.binary('fmul', n, m)), // VMLS
  0b0010: (ctx, n, m, d) => ctx.b.binary('fadd', ctx.b.unary('fneg', d()), ctx.b.binary('fmul', n, m)), // VNMLS
  0b0011: (ctx, n, m, d) => ctx.b.binary('fsub', ctx.b.unary('fneg', d()), ctx.b.binary('fmul', n, m)), // VNMLA
  0b0100: (ctx, n, m) => ctx.b.binary('fmul', n, m), // VMUL
  0b0101: (ctx, n, m) => ctx.b.unary('fneg', ctx.b.binary('fmul', n, m)), // VNMUL
  0b0110: (ctx, n, m) => ctx.b.binary('fadd', n, m), // VADD
  0b0111: (ctx, n, m) => ctx.b.binary('fsub', n, m), // VSUB
  0b1000: (ctx, n, m) => ctx.b.binary('fdiv', n, m), // VDIV
};

const arithmetic: ArmHandler = (ctx, f) => {
  const key = (f.o1! << 3) | (f.o2! << 1) | f.o3!;
  const op = ARITH[key];
  if (!op) return false;
  const [n, m] = operands(ctx, f);
  const d = fpGet(ctx, f.sz!, f.vd!, f.d!);
  writeFpResult(ctx, fpReg(f.sz!, f.vd!, f.d!), key as VfpOp, f.sz === 1, [n, m, d], () => op(ctx, n, m, () => d));
  return true;
};

/** VFPExpandImm of abcdefgh: (-1)^a * 1.efgh * 2^e, e = cd + 1 when b = 0, cd - 3 when b = 1. */
function expandFpImm(imm8: number): number {
  const sign = imm8 & 0x80 ? -1 : 1;
  const cd = (imm8 >> 4) & 3;
  const e = imm8 & 0x40 ? cd - 3 : cd + 1;
  return sign * (16 + (imm8 & 15)) * 2 ** (e - 4);
}

/** FPSCR.NZCV of a comparison: equal 0110, less 1000, greater 0010, unordered 0011. */
function compare(ctx: ArmContext, a: Temp, c: Temp): void {
  const b = ctx.b;
  const lt = b.compare('flt', a, c);
  const eq = b.compare('eq', a, c);
  const gt = b.compare('fgt', a, c);
  const un = b.xor(b.or(b.or(lt, eq), gt), b.i32(1));
  const nzcv = b.or(b.or(b.shl(lt, b.i32(31)), b.shl(eq, b.i32(30))), b.or(b.shl(b.or(b.or(eq, gt), un), b.i32(29)), b.shl(un, b.i32(28))));
  b.set(FPSCR, b.or(b.and(b.get(FPSCR, 'i32'), b.i32(0x0fffffff)), nzcv));
}

/** VMOV (immediate and register), VABS, VNEG, VSQRT, VCMP, VCVT: the "other" data-processing ops. */
const other: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  const sz = f.sz!;
  const m = (): Temp => fpGet(ctx, sz, f.vm!, f.m!);
  const set = (v: Temp): true => (fpSet(ctx, sz, f.vd!, f.d!, v), true);
  if ((f.o3! & 1) === 0) {
    const value = expandFpImm((f.opc2! << 4) | f.vm!);
    return set(sz ? b.f64(value) : b.f32(value));
  }
  switch ((f.opc2! << 2) | f.o3!) {
    case 0b000001:
      return set(m());
    case 0b000011:
      return set(b.unary('fabs', m()));
    case 0b000101:
      return set(b.unary('fneg', m()));
    case 0b000111: {
      const value = m();
      writeFpResult(ctx, fpReg(sz, f.vd!, f.d!), VfpOp.Sqrt, sz === 1, [value], () => b.unary('fsqrt', value));
      return true;
    }
    case 0b010001:
    case 0b010011:
      compare(ctx, fpGet(ctx, sz, f.vd!, f.d!), m());
      return true;
    case 0b010101:
    case 0b010111:
      compare(ctx, fpGet(ctx, sz, f.vd!, f.d!), sz ? b.f64(0) : b.f32(0));
      return true;
    case 0b011111: {
      // VCVT between double and single: the destination has the other precision.
      const value = m();
      const native = (): Temp => (sz ? b.convert('fdemote', 'f32', value) : b.convert('fpromote', 'f64', value));
      writeFpResult(ctx, fpReg(sz ^ 1, f.vd!, f.d!), VfpOp.Convert, sz === 1, [value], native);
      return true;
    }
    case 0b100001:
    case 0b100011: {
      // VCVT integer -> float: the source is a single register holding the integer.
      const int = getS(ctx, single(f.vm!, f.m!));
      const op = f.o3! & 2 ? VfpOp.FromInt : VfpOp.FromUint;
      const native = (): Temp => b.convert(f.o3! & 2 ? 'fconv_s' : 'fconv_u', sz ? 'f64' : 'f32', int);
      writeFpResult(ctx, fpReg(sz, f.vd!, f.d!), op, sz === 1, [int], native);
      return true;
    }
    case 0b110001:
    case 0b110011:
    case 0b110101:
    case 0b110111: {
      // VCVT{R} float -> integer into a single register; bit 7 clear rounds in FPSCR's mode.
      const signed = (f.opc2! & 1) === 1;
      if (!(f.o3! & 2) && exactOnly(ctx)) {
        const bits = exactBits(ctx, signed ? VfpOp.ToIntRounded : VfpOp.ToUintRounded, sz === 1, [m()]);
        setS(ctx, single(f.vd!, f.d!), b.wrap(bits));
        return true;
      }
      const value = f.o3! & 2 ? m() : b.unary('fnearest', m());
      setS(ctx, single(f.vd!, f.d!), b.convert(signed ? 'ftrunc_s' : 'ftrunc_u', 'i32', value));
      return true;
    }
    case 0b101011:
    case 0b101111:
    case 0b101001:
    case 0b101101:
    case 0b111011:
    case 0b111111:
    case 0b111001:
    case 0b111101:
      return convertFixed(ctx, f);
    default:
      return ctx.undefined();
  }
};

/**
 * VCVT between floating point and fixed point in place in Vd: opc2 = 1 op 1 U (op: to fixed,
 * U: unsigned), bit 7 a 32-bit (else 16-bit) fixed-point size, frac_bits = size - imm4:i.
 */
function convertFixed(ctx: ArmContext, f: Record<string, number>): true {
  const b = ctx.b;
  const sz = f.sz!;
  const toFixed = (f.opc2! & 4) !== 0;
  const unsigned = (f.opc2! & 1) !== 0;
  const size = f.o3! & 2 ? 32 : 16;
  const frac = size - ((f.vm! << 1) | f.m!);
  const reg = sz ? double(f.vd!, f.d!) : single(f.vd!, f.d!);
  const ftype = sz ? 'f64' : 'f32';
  const scale = (v: Temp, exp: number): Temp => b.binary('fmul', v, sz ? b.f64(2 ** exp) : b.f32(2 ** exp));
  if (!toFixed) {
    const low = sz ? b.wrap(getD(ctx, reg)) : getS(ctx, reg);
    const narrow = size === 16 ? (unsigned ? b.and(low, b.i32(0xffff)) : b.unary('sext16', low)) : low;
    setFp(ctx, reg, scale(b.convert(unsigned ? 'fconv_u' : 'fconv_s', ftype, narrow), -frac));
    return true;
  }
  let int = b.convert(unsigned ? 'ftrunc_u' : 'ftrunc_s', 'i32', scale(getFp(ctx, sz === 1, reg), frac));
  if (size === 16) {
    const [lo, hi] = unsigned ? [0, 0xffff] : [-0x8000, 0x7fff];
    const over = unsigned ? b.compare('gt_u', int, b.i32(hi)) : b.compare('gt_s', int, b.i32(hi));
    int = b.select(over, b.i32(hi), unsigned ? int : b.select(b.compare('lt_s', int, b.i32(lo)), b.i32(lo), int));
  }
  if (sz) setD(ctx, reg, unsigned ? b.zext(int) : b.sext(int));
  else setS(ctx, reg, int);
  return true;
}

/** VFMA/VFMS/VFNMA/VFNMS: fused, so always the exact helper (wasm has no fused multiply-add). */
const fused: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  const [n, m] = operands(ctx, f);
  const d = fpGet(ctx, f.sz!, f.vd!, f.d!);
  const op = [VfpOp.Fma, VfpOp.Fms, VfpOp.Fnms, VfpOp.Fnma][((f.o2! & 1) << 1) | f.o3!]!;
  const bits = exactBits(ctx, op, f.sz === 1, [n, m, d]);
  setFp(ctx, fpReg(f.sz!, f.vd!, f.d!), f.sz ? b.convert('reinterpret', 'f64', bits) : b.convert('reinterpret', 'f32', b.wrap(bits)));
  return true;
};

export const COPROCESSOR_ROWS: readonly Row[] = [
  ['.... 1101 u:1 d:1 0 l:1 rn:4 vd:4 101 sz:1 imm:8', 'VLDR/VSTR', loadStoreOne],
  ['.... 1100 010 op:1 rt2:4 rt:4 101 dbl:1 00 m:1 1 vm:4', 'VMOV (two core registers)', moveTwo],
  ['.... 110 p:1 u:1 d:1 w:1 l:1 rn:4 vd:4 101 sz:1 imm:8', 'VLDM/VSTM/VPUSH/VPOP', loadStoreMany],
  ['.... 1110 111 op:1 0001 rt:4 1010 0001 0000', 'VMRS/VMSR', moveStatus],
  ['.... 1110 000 op:1 vn:4 rt:4 1010 n:1 0010000', 'VMOV (core and single)', moveSingle],
  ['.... 1110 0 opc1:2 0 vd:4 rt:4 1011 d:1 opc2:2 1 0000', 'VMOV (core to scalar)', moveToScalar],
  ['.... 1110 u:1 opc1:2 1 vn:4 rt:4 1011 n:1 opc2:2 1 0000', 'VMOV (scalar to core)', moveFromScalar],
  ['.... 1110 1 b:1 q:1 0 vd:4 rt:4 1011 d:1 0 e:1 1 0000', 'VDUP (core register)', duplicateCore],
  ['.... 1110 1 d:1 11 opc2:4 vd:4 101 sz:1 o3:2 m:1 0 vm:4', 'VFP other data-processing', other],
  ['.... 1110 1 d:1 o2:2 vn:4 vd:4 101 sz:1 n:1 o3:1 m:1 0 vm:4', 'VFMA/VFMS/VFNMA/VFNMS', (ctx, f) => (f.o2 === 0 ? arithmetic(ctx, { ...f, o1: 1 }) : fused(ctx, f))],
  ['.... 1110 0 d:1 o2:2 vn:4 vd:4 101 sz:1 n:1 o3:1 m:1 0 vm:4', 'VFP three-register data-processing', (ctx, f) => arithmetic(ctx, { ...f, o1: 0 })],
  ['.... 1110 opc1:3 l:1 crn:4 rt:4 coproc:4 opc2:3 1 crm:4', 'MRC/MCR', coprocessorMove],
];
