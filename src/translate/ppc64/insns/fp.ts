/**
 * The floating-point facility (Power ISA 3.0 Book I chapter 4): the A-form arithmetic of opcodes
 * 63 (double) and 59 (single: the result rounded to single precision), fsel, compares, moves and
 * sign operations, rounding to single and to integral values, integer conversions, and the FPSCR
 * instructions (mffs and ISA 3.0's mffsce, mffscrn, mffscrni, mffsl; mtfsf, mtfsfi, mtfsb0,
 * mtfsb1, mcrfs). Record forms copy FPSCR's FX, FEX, VX and OX into CR1.
 *
 * Touching FPSCR sets the sticky FP_EXACT state and ends the block with a Yield, so every later
 * translation keeps FPSCR's flags exact (translation flag FLAG_FP_EXACT).
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { defineHelper } from '../../ir/helpers';
import { FPSCR_FEX, FPSCR_VX, withSummaries } from '../fpscr';
import { FPSCR, FP_EXACT } from '../state';
import { bits } from './forms';
import { fpArith, fpCompare, fpFromInt, fpToInt, withPpcNaN, type FpOpName, type IntConversion } from './fp-common';

/** CR1 = FPSCR bits FX, FEX, VX, OX when Rc = 1. */
export function recordFp(ctx: PpcContext, rc: number): void {
  if (!rc) return;
  const b = ctx.b;
  ctx.setCr(1, b.and(b.shrU(b.get(FPSCR, 'i32'), b.i32(28)), b.i32(15)));
}

/** Which FPRs of the A form an operation reads, in the order the operation takes them. */
type Operands = 'ab' | 'ac' | 'b' | 'acb';
const operandRegs = (f: Record<string, number>, which: Operands): number[] =>
  ({ ab: [f.fra, f.frb], ac: [f.fra, f.frc], b: [f.frb], acb: [f.fra, f.frc, f.frb] })[which];

const arith =
  (op: FpOpName, which: Operands, single: boolean): PpcHandler =>
  (ctx, f) => {
    const args = operandRegs(f, which).map((r) => ctx.f(r));
    ctx.setF(f.frt, fpArith(ctx, op, args, single));
    recordFp(ctx, f.rc);
    return true;
  };

/** fsel: frc if fra >= 0 (-0 included, NaN excluded), else frb. */
const fsel: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  ctx.setF(f.frt, b.select(b.compare('fge', ctx.f(f.fra), b.f64(0)), ctx.f(f.frc), ctx.f(f.frb)));
  recordFp(ctx, f.rc);
  return true;
};

const fcmp =
  (ordered: boolean): PpcHandler =>
  (ctx, f) => {
    ctx.setCr(f.bf, fpCompare(ctx, ctx.f(f.fra), ctx.f(f.frb), ordered));
    return true;
  };

const SIGN = -(2n ** 63n);
/** Sign operations on the bits, so NaN payloads pass through unchanged. */
const signOp =
  (op: (ctx: PpcContext, v: Temp, f: Record<string, number>) => Temp): PpcHandler =>
  (ctx, f) => {
    ctx.setF(f.frt, op(ctx, ctx.fBits(f.frb), f));
    recordFp(ctx, f.rc);
    return true;
  };
const sign = (ctx: PpcContext): Temp => ctx.b.i64(SIGN);

const toInt =
  (conv: IntConversion): PpcHandler =>
  (ctx, f) => {
    ctx.setF(f.frt, fpToInt(ctx, ctx.f(f.frb), conv));
    recordFp(ctx, f.rc);
    return true;
  };
const fromInt =
  (unsigned: boolean, single: boolean): PpcHandler =>
  (ctx, f) => {
    ctx.setF(f.frt, fpFromInt(ctx, ctx.fBits(f.frb), unsigned, single));
    recordFp(ctx, f.rc);
    return true;
  };

/** frin (nearest, ties away from zero), friz, frip, frim; a NaN comes back quieted. */
/**
 * How a round-to-integral instruction rounds: to nearest with ties away from zero (frin, xsrdpi),
 * toward zero, up, down, or by FPSCR.RN (xvrdpic), taken here as its default, to nearest even, as
 * the native conversions to integer take it.
 */
export type IntegralRounding = 'nearest' | 'zero' | 'up' | 'down' | 'current';

export function roundToIntegral(ctx: PpcContext, x: Temp, mode: IntegralRounding): Temp {
  return withPpcNaN(ctx, roundNumber(ctx, x, mode), [x]);
}
function roundNumber(ctx: PpcContext, x: Temp, mode: IntegralRounding): Temp {
  const b = ctx.b;
  if (mode === 'current') return b.unary('fnearest', x);
  if (mode === 'zero') return b.unary('ftruncf', x);
  if (mode === 'up') return b.unary('fceil', x);
  if (mode === 'down') return b.unary('ffloor', x);
  // x - trunc(x) is exact; a fraction of at least one half rounds away from zero.
  const t = b.unary('ftruncf', x);
  const away = b.compare('fge', b.unary('fabs', b.binary('fsub', x, t)), b.f64(0.5));
  return b.select(away, b.binary('fadd', t, b.binary('fcopysign', b.f64(1), x)), t);
}
const roundInt =
  (mode: 'nearest' | 'zero' | 'up' | 'down'): PpcHandler =>
  (ctx, f) => {
    ctx.setF(f.frt, roundToIntegral(ctx, ctx.f(f.frb), mode));
    recordFp(ctx, f.rc);
    return true;
  };

// FPSCR instructions.
const writeFpscr = defineHelper({
  name: 'ppc64_write_fpscr',
  params: ['i32'],
  result: null,
  impl: (ctx, value) => ctx.view.setUint32(ctx.stateBase + FPSCR, withSummaries((value as number) >>> 0), true),
});

/** Writes FPSCR with its summary bits recomputed and marks FPSCR as observed. */
function storeFpscr(ctx: PpcContext, value: Temp): void {
  ctx.b.call(writeFpscr, [value]);
  ctx.b.set(FP_EXACT, ctx.b.i32(1));
}
function endFpscrWrite(ctx: PpcContext, rc: number): true {
  recordFp(ctx, rc);
  ctx.yieldAfter();
  return true;
}

const mffs: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  ctx.setF(f.frt, b.zext(b.get(FPSCR, 'i32')));
  b.set(FP_EXACT, b.i32(1));
  return endFpscrWrite(ctx, f.rc);
};
/** FPSCR's controls (VE OE UE ZE XE NI RN; DRN, in the upper word, is not modelled), non-sticky status (FR FI FPRF). */
const FPSCR_CONTROLS = 0xff;
const FPSCR_NONSTICKY = 0x7f000;
const FPSCR_ENABLES = 0xf8;
/** mffsl (ISA 3.0): FRT = FPSCR's controls and non-sticky status, other bits 0. */
const mffsl: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  ctx.setF(f.frt, b.zext(b.and(b.get(FPSCR, 'i32'), b.i32(FPSCR_CONTROLS | FPSCR_NONSTICKY))));
  b.set(FP_EXACT, b.i32(1));
  return endFpscrWrite(ctx, 0);
};
/** mffsce (ISA 3.0): FRT = FPSCR, then the exception enables are cleared. */
const mffsce: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const old = b.get(FPSCR, 'i32');
  ctx.setF(f.frt, b.zext(old));
  storeFpscr(ctx, b.and(old, b.i32(~FPSCR_ENABLES)));
  return endFpscrWrite(ctx, 0);
};
/** mffscrn, mffscrni (ISA 3.0): FRT = FPSCR's controls, then RN = the low 2 bits of FRB or the immediate. */
const mffscrn =
  (immediate: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const rn = immediate ? b.i32(f.rm) : b.and(b.wrap(ctx.fBits(f.frb)), b.i32(3));
    const old = b.get(FPSCR, 'i32');
    ctx.setF(f.frt, b.zext(b.and(old, b.i32(FPSCR_CONTROLS))));
    storeFpscr(ctx, b.or(b.and(old, b.i32(~3)), rn));
    return endFpscrWrite(ctx, 0);
  };
/** Mask of the 4-bit FPSCR fields selected by an 8-bit field mask (bit 7 = field 0, the top nibble). */
const fieldMask = (flm: number): number => {
  let m = 0;
  for (let fld = 0; fld < 8; fld++) if (flm & (0x80 >> fld)) m |= 0xf << (28 - 4 * fld);
  return m >>> 0;
};
const mtfsf: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  if (f.w) return false;
  const m = f.l ? 0xffffffff : fieldMask(f.flm);
  const src = b.wrap(ctx.fBits(f.frb));
  storeFpscr(ctx, b.or(b.and(src, b.i32(m)), b.and(b.get(FPSCR, 'i32'), b.i32(~m))));
  return endFpscrWrite(ctx, f.rc);
};
const mtfsfi: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  if (f.w) return false;
  const shift = 28 - 4 * f.bf;
  const kept = b.and(b.get(FPSCR, 'i32'), b.i32(~(0xf << shift)));
  storeFpscr(ctx, b.or(kept, b.i32(f.u << shift)));
  return endFpscrWrite(ctx, f.rc);
};
const mtfsb =
  (set: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const bit = 1 << (31 - f.bt);
    const old = b.get(FPSCR, 'i32');
    storeFpscr(ctx, set ? b.or(old, b.i32(bit)) : b.and(old, b.i32(~bit)));
    return endFpscrWrite(ctx, f.rc);
  };
/** mcrfs: CR field = FPSCR field bfa; that field's exception bits (not FEX, VX) are cleared. */
const mcrfs: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const shift = 28 - 4 * f.bfa;
  const old = b.get(FPSCR, 'i32');
  ctx.setCr(f.bf, b.and(b.shrU(old, b.i32(shift)), b.i32(15)));
  const clearable = (0xf << shift) & (0x9ff80700 & ~(FPSCR_FEX | FPSCR_VX));
  storeFpscr(ctx, b.and(old, b.i32(~clearable)));
  return endFpscrWrite(ctx, 0);
};

const A = (opcd: number, xo: number): string => `${bits(opcd, 6)} frt:5 fra:5 frb:5 frc:5 ${bits(xo, 5)} rc:1`;
const X63 = (fields: string, xo: number): string => `111111 ${fields} ${bits(xo, 10)} rc:1`;
const X59 = (fields: string, xo: number): string => `111011 ${fields} ${bits(xo, 10)} rc:1`;
const FRT_FRB = 'frt:5 00000 frb:5';

/** [A-form opcode, mnemonic, operation, operands]: each in opcode 63 and, with "s", in 59. */
const A_FORMS: readonly [number, string, FpOpName, Operands][] = [
  [18, 'fdiv', 'div', 'ab'],
  [20, 'fsub', 'sub', 'ab'],
  [21, 'fadd', 'add', 'ab'],
  [22, 'fsqrt', 'sqrt', 'b'],
  [24, 'fre', 're', 'b'],
  [25, 'fmul', 'mul', 'ac'],
  [26, 'frsqrte', 'rsqrte', 'b'],
  [28, 'fmsub', 'msub', 'acb'],
  [29, 'fmadd', 'madd', 'acb'],
  [30, 'fnmsub', 'nmsub', 'acb'],
  [31, 'fnmadd', 'nmadd', 'acb'],
];

export const FP_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  ...A_FORMS.flatMap(([xo, name, op, which]) => [
    [A(63, xo), name, arith(op, which, false)] as const,
    [A(59, xo), `${name}s`, arith(op, which, true)] as const,
  ]),
  [A(63, 23), 'fsel', fsel],
  ['111111 bf:3 00 fra:5 frb:5 0000000000 0', 'fcmpu', fcmp(false)],
  ['111111 bf:3 00 fra:5 frb:5 0000100000 0', 'fcmpo', fcmp(true)],
  [X63(FRT_FRB, 72), 'fmr', signOp((_c, v) => v)],
  [X63(FRT_FRB, 40), 'fneg', signOp((c, v) => c.b.xor(v, sign(c)))],
  [X63(FRT_FRB, 264), 'fabs', signOp((c, v) => c.b.and(v, c.b.i64(~SIGN)))],
  [X63(FRT_FRB, 136), 'fnabs', signOp((c, v) => c.b.or(v, sign(c)))],
  [
    X63('frt:5 fra:5 frb:5', 8),
    'fcpsgn',
    signOp((c, v, f) => c.b.or(c.b.and(v, c.b.i64(~SIGN)), c.b.and(c.fBits(f.fra), sign(c)))),
  ],
  [X63(FRT_FRB, 12), 'frsp', arith('rsp', 'b', true)],
  [X63(FRT_FRB, 14), 'fctiw', toInt({ width: 32, unsigned: false, truncate: false })],
  [X63(FRT_FRB, 15), 'fctiwz', toInt({ width: 32, unsigned: false, truncate: true })],
  [X63(FRT_FRB, 142), 'fctiwu', toInt({ width: 32, unsigned: true, truncate: false })],
  [X63(FRT_FRB, 143), 'fctiwuz', toInt({ width: 32, unsigned: true, truncate: true })],
  [X63(FRT_FRB, 814), 'fctid', toInt({ width: 64, unsigned: false, truncate: false })],
  [X63(FRT_FRB, 815), 'fctidz', toInt({ width: 64, unsigned: false, truncate: true })],
  [X63(FRT_FRB, 942), 'fctidu', toInt({ width: 64, unsigned: true, truncate: false })],
  [X63(FRT_FRB, 943), 'fctiduz', toInt({ width: 64, unsigned: true, truncate: true })],
  [X63(FRT_FRB, 846), 'fcfid', fromInt(false, false)],
  [X63(FRT_FRB, 974), 'fcfidu', fromInt(true, false)],
  [X59(FRT_FRB, 846), 'fcfids', fromInt(false, true)],
  [X59(FRT_FRB, 974), 'fcfidus', fromInt(true, true)],
  [X63(FRT_FRB, 392), 'frin', roundInt('nearest')],
  [X63(FRT_FRB, 424), 'friz', roundInt('zero')],
  [X63(FRT_FRB, 456), 'frip', roundInt('up')],
  [X63(FRT_FRB, 488), 'frim', roundInt('down')],
  [X63('frt:5 00000 00000', 583), 'mffs', mffs],
  ['111111 frt:5 00001 00000 1001000111 0', 'mffsce', mffsce],
  ['111111 frt:5 10110 frb:5 1001000111 0', 'mffscrn', mffscrn(false)],
  ['111111 frt:5 10111 000 rm:2 1001000111 0', 'mffscrni', mffscrn(true)],
  ['111111 frt:5 11000 00000 1001000111 0', 'mffsl', mffsl],
  ['111111 l:1 flm:8 w:1 frb:5 1011000111 rc:1', 'mtfsf', mtfsf],
  ['111111 bf:3 000000 w:1 u:4 0 0010000110 rc:1', 'mtfsfi', mtfsfi],
  [X63('bt:5 00000 00000', 70), 'mtfsb0', mtfsb(false)],
  [X63('bt:5 00000 00000', 38), 'mtfsb1', mtfsb(true)],
  ['111111 bf:3 00 bfa:3 00 00000 0001000000 0', 'mcrfs', mcrfs],
];
