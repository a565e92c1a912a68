/**
 * Fixed-point arithmetic and compares (Power ISA 3.0 Book I 3.3.9-3.3.10): add/subtract in every
 * carrying and extended form, negate, multiply and divide (word and doubleword, with their overflow
 * OE = 1 forms), modulo, and cmp/cmpl/cmpi/cmpli.
 *
 * XER.CA and XER.OV follow the 64-bit results (64-bit mode). The ISA 3.0 32-bit copies CA32 and
 * OV32 are not computed (they read as 0 in mfxer); see docs/ppc64.md.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { XER_CA, XER_OV, XER_SO } from '../state';
import { xo31, x31 } from './forms';

/** Sets XER.OV (and sticky SO) from an i32 overflow bit. */
function setOverflow(ctx: PpcContext, ov: Temp): void {
  const b = ctx.b;
  b.set(XER_OV, ov);
  b.set(XER_SO, b.or(b.get(XER_SO, 'i32'), ov));
}

/**
 * a + c + cin (cin an i32 0/1, or a constant carry), i64. Sets CA when `carry`, OV when `oe`.
 */
function addFull(ctx: PpcContext, a: Temp, c: Temp, cin: Temp | 0 | 1, carry: boolean, oe: number): Temp {
  const b = ctx.b;
  const partial = b.add(a, c);
  let sum = partial;
  if (cin === 1) sum = b.add(partial, b.i64(1));
  else if (cin !== 0) sum = b.add(partial, b.zext(cin));
  if (carry) {
    const c1 = b.compare('lt_u', partial, a);
    const ca = cin === 0 ? c1 : b.or(c1, b.compare('lt_u', sum, partial));
    b.set(XER_CA, ca);
  }
  if (oe) {
    setOverflow(ctx, b.compare('lt_s', b.and(b.xor(a, sum), b.xor(c, sum)), b.i64(0)));
  }
  return sum;
}

const ca = (ctx: PpcContext): Temp => ctx.b.get(XER_CA, 'i32');
const notR = (ctx: PpcContext, n: number): Temp => ctx.b.unary('not', ctx.r(n));

/** An XO-form add: rt = a + c + cin, where each piece is derived from the fields. */
const addForm =
  (
    a: (ctx: PpcContext, f: Record<string, number>) => Temp,
    c: (ctx: PpcContext, f: Record<string, number>) => Temp,
    cin: (ctx: PpcContext) => Temp | 0 | 1,
    carry: boolean,
  ): PpcHandler =>
  (ctx, f) => {
    ctx.setRc(f.rt, addFull(ctx, a(ctx, f), c(ctx, f), cin(ctx), carry, f.oe), f.rc);
    return true;
  };

const RA = (ctx: PpcContext, f: Record<string, number>): Temp => ctx.r(f.ra);
const RB = (ctx: PpcContext, f: Record<string, number>): Temp => ctx.r(f.rb);
const NOT_RA = (ctx: PpcContext, f: Record<string, number>): Temp => notR(ctx, f.ra);
const ZERO = (ctx: PpcContext): Temp => ctx.b.i64(0);
const MINUS_ONE = (ctx: PpcContext): Temp => ctx.b.i64(-1);

const addi: PpcHandler = (ctx, f) => (ctx.setR(f.rt, ctx.ea(f.ra, f.si)), true);
const addis: PpcHandler = (ctx, f) => (ctx.setR(f.rt, ctx.ea(f.ra, f.si * 65536)), true);
const addpcis: PpcHandler = (ctx, f) => {
  const d = (f.d0 << 6) | (f.d1 << 1) | f.d2;
  const signed = d >= 0x8000 ? d - 0x10000 : d;
  ctx.setR(f.rt, ctx.b.i64(ctx.pc + 4 + signed * 65536));
  return true;
};
const addic =
  (rc: number): PpcHandler =>
  (ctx, f) => {
    ctx.setRc(f.rt, addFull(ctx, ctx.r(f.ra), ctx.b.i64(f.si), 0, true, 0), rc);
    return true;
  };
const subfic: PpcHandler = (ctx, f) => {
  ctx.setR(f.rt, addFull(ctx, notR(ctx, f.ra), ctx.b.i64(f.si), 1, true, 0));
  return true;
};
const mulli: PpcHandler = (ctx, f) => (ctx.setR(f.rt, ctx.b.binary('mul', ctx.r(f.ra), ctx.b.i64(f.si))), true);

const neg: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const a = ctx.r(f.ra);
  if (f.oe) setOverflow(ctx, b.compare('eq', a, b.i64(-(2n ** 63n))));
  ctx.setRc(f.rt, b.unary('neg', a), f.rc);
  return true;
};

/** Low 32 bits of RA and RB, sign- or zero-extended to i64. */
function words(ctx: PpcContext, f: Record<string, number>, signed: boolean): [Temp, Temp] {
  const ext = (n: number): Temp => (signed ? ctx.b.sext(ctx.w(n)) : ctx.b.zext(ctx.w(n)));
  return [ext(f.ra), ext(f.rb)];
}

const mullw: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const [a, c] = words(ctx, f, true);
  const p = b.binary('mul', a, c);
  if (f.oe) setOverflow(ctx, b.compare('ne', p, b.unary('sext32', p)));
  ctx.setRc(f.rt, p, f.rc);
  return true;
};
const mulld: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const a = ctx.r(f.ra);
  const c = ctx.r(f.rb);
  const p = b.binary('mul', a, c);
  if (f.oe) setOverflow(ctx, b.compare('ne', b.binary('mulh_s', a, c), b.shrS(p, b.i64(63))));
  ctx.setRc(f.rt, p, f.rc);
  return true;
};
/** mulhw/mulhwu: the high word of the 64-bit product, zero-extended into RT. */
const mulhw =
  (signed: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [a, c] = words(ctx, f, signed);
    const high = b.wrap(b.shrU(b.binary('mul', a, c), b.i64(32)));
    ctx.setRc(f.rt, b.zext(high), f.rc);
    return true;
  };
const mulhd =
  (signed: boolean): PpcHandler =>
  (ctx, f) => {
    ctx.setRc(f.rt, ctx.b.binary(signed ? 'mulh_s' : 'mulh_u', ctx.r(f.ra), ctx.r(f.rb)), f.rc);
    return true;
  };

/** Whether a division of this type overflows: divisor 0, or MIN / -1 when signed. */
function divOverflow(ctx: PpcContext, a: Temp, c: Temp, signed: boolean): Temp {
  const b = ctx.b;
  const zero = b.compare('eq', c, b.imm(c, 0));
  if (!signed) return zero;
  const min = a.type === 'i64' ? -(2n ** 63n) : -(2 ** 31);
  return b.or(zero, b.and(b.compare('eq', a, b.imm(a, min)), b.compare('eq', c, b.imm(c, -1))));
}

/** divw/divwu: 32-bit quotient, extended into RT as signed or unsigned. */
const divw =
  (signed: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const a = ctx.w(f.ra);
    const c = ctx.w(f.rb);
    if (f.oe) setOverflow(ctx, divOverflow(ctx, a, c, signed));
    const q = b.binary(signed ? 'div_s' : 'div_u', a, c);
    ctx.setRc(f.rt, signed ? b.sext(q) : b.zext(q), f.rc);
    return true;
  };
const divd =
  (signed: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const a = ctx.r(f.ra);
    const c = ctx.r(f.rb);
    if (f.oe) setOverflow(ctx, divOverflow(ctx, a, c, signed));
    ctx.setRc(f.rt, b.binary(signed ? 'div_s' : 'div_u', a, c), f.rc);
    return true;
  };
const modw =
  (signed: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const r = b.binary(signed ? 'rem_s' : 'rem_u', ctx.w(f.ra), ctx.w(f.rb));
    ctx.setR(f.rt, signed ? b.sext(r) : b.zext(r));
    return true;
  };
const modd =
  (signed: boolean): PpcHandler =>
  (ctx, f) => (ctx.setR(f.rt, ctx.b.binary(signed ? 'rem_s' : 'rem_u', ctx.r(f.ra), ctx.r(f.rb))), true);

/** cmp/cmpl (L = 1: doublewords; L = 0: the sign- or zero-extended low words). */
const cmp =
  (signed: boolean): PpcHandler =>
  (ctx, f) => {
    const a = f.l ? ctx.r(f.ra) : ctx.w(f.ra);
    const c = f.l ? ctx.r(f.rb) : ctx.w(f.rb);
    ctx.compareInto(f.bf, a, c, signed);
    return true;
  };
const cmpi: PpcHandler = (ctx, f) => {
  ctx.compareInto(f.bf, f.l ? ctx.r(f.ra) : ctx.w(f.ra), f.l ? ctx.b.i64(f.si) : ctx.b.i32(f.si), true);
  return true;
};
const cmpli: PpcHandler = (ctx, f) => {
  ctx.compareInto(f.bf, f.l ? ctx.r(f.ra) : ctx.w(f.ra), f.l ? ctx.b.i64(f.ui) : ctx.b.i32(f.ui), false);
  return true;
};

export const FIXED_ARITH_ROWS = [
  ['001110 rt:5 ra:5 si:s16', 'addi', addi],
  ['001111 rt:5 ra:5 si:s16', 'addis', addis],
  ['010011 rt:5 d1:5 d0:10 00010 d2:1', 'addpcis', addpcis],
  ['001100 rt:5 ra:5 si:s16', 'addic', addic(0)],
  ['001101 rt:5 ra:5 si:s16', 'addic.', addic(1)],
  ['001000 rt:5 ra:5 si:s16', 'subfic', subfic],
  ['000111 rt:5 ra:5 si:s16', 'mulli', mulli],
  [xo31(266), 'add', addForm(RA, RB, () => 0, false)],
  [xo31(10), 'addc', addForm(RA, RB, () => 0, true)],
  [xo31(138), 'adde', addForm(RA, RB, ca, true)],
  [xo31(234, '00000'), 'addme', addForm(RA, MINUS_ONE, ca, true)],
  [xo31(202, '00000'), 'addze', addForm(RA, ZERO, ca, true)],
  [xo31(40), 'subf', addForm(NOT_RA, RB, () => 1, false)],
  [xo31(8), 'subfc', addForm(NOT_RA, RB, () => 1, true)],
  [xo31(136), 'subfe', addForm(NOT_RA, RB, ca, true)],
  [xo31(232, '00000'), 'subfme', addForm(NOT_RA, MINUS_ONE, ca, true)],
  [xo31(200, '00000'), 'subfze', addForm(NOT_RA, ZERO, ca, true)],
  [xo31(104, '00000'), 'neg', neg],
  [xo31(235), 'mullw', mullw],
  [xo31(233), 'mulld', mulld],
  ['011111 rt:5 ra:5 rb:5 0 001001011 rc:1', 'mulhw', mulhw(true)],
  ['011111 rt:5 ra:5 rb:5 0 000001011 rc:1', 'mulhwu', mulhw(false)],
  ['011111 rt:5 ra:5 rb:5 0 001001001 rc:1', 'mulhd', mulhd(true)],
  ['011111 rt:5 ra:5 rb:5 0 000001001 rc:1', 'mulhdu', mulhd(false)],
  [xo31(491), 'divw', divw(true)],
  [xo31(459), 'divwu', divw(false)],
  [xo31(489), 'divd', divd(true)],
  [xo31(457), 'divdu', divd(false)],
  [x31('rt:5 ra:5 rb:5', 779, '0'), 'modsw', modw(true)],
  [x31('rt:5 ra:5 rb:5', 267, '0'), 'moduw', modw(false)],
  [x31('rt:5 ra:5 rb:5', 777, '0'), 'modsd', modd(true)],
  [x31('rt:5 ra:5 rb:5', 265, '0'), 'modud', modd(false)],
  // The reserved bit after BF (and cmp/cmpl's last bit) is ignored, as the ISA says of reserved
  // fields and QEMU 7.2 does (found by fuzzing against QEMU, docs/fuzzing.md).
  [x31('bf:3 . l:1 ra:5 rb:5', 0, '.'), 'cmp', cmp(true)],
  [x31('bf:3 . l:1 ra:5 rb:5', 32, '.'), 'cmpl', cmp(false)],
  ['001011 bf:3 . l:1 ra:5 si:s16', 'cmpi', cmpi],
  ['001010 bf:3 . l:1 ra:5 ui:16', 'cmpli', cmpli],
] as const;
