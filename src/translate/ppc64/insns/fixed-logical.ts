/**
 * Fixed-point logical, shift, count and select instructions (Power ISA 3.0 Book I 3.3.13, 3.3.14.2,
 * 3.3.12): the D-form immediates (andi., ori, xori and their shifted forms), the X-form register
 * logicals, sign extensions, cntlz/cnttz/popcnt, cmpb, bpermd, word and doubleword shifts (algebraic
 * right shifts set XER.CA), extswsli and isel.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { XER_CA } from '../state';
import { x31 } from './forms';

type Binary = (ctx: PpcContext, a: Temp, c: Temp) => Temp;

/** X-form logical: RA = op(RS, RB), CR0 when Rc. */
const logical =
  (op: Binary): PpcHandler =>
  (ctx, f) => {
    ctx.setRc(f.ra, op(ctx, ctx.r(f.rs), ctx.r(f.rb)), f.rc);
    return true;
  };
const not = (ctx: PpcContext, v: Temp): Temp => ctx.b.unary('not', v);

/** D-form logical with an unsigned immediate (shifted left 16 for the "s" forms); andi./andis. record. */
const logicalImm =
  (op: 'and' | 'or' | 'xor', shift: number, rc: number): PpcHandler =>
  (ctx, f) => {
    ctx.setRc(f.ra, ctx.b.binary(op, ctx.r(f.rs), ctx.b.i64(f.ui * 2 ** shift)), rc);
    return true;
  };

/** RA = op(RS), CR0 when Rc. */
const unaryForm =
  (op: (ctx: PpcContext, rs: Temp) => Temp): PpcHandler =>
  (ctx, f) => {
    ctx.setRc(f.ra, op(ctx, ctx.r(f.rs)), f.rc);
    return true;
  };
const lowWord = (ctx: PpcContext, v: Temp): Temp => ctx.b.wrap(v);

/** Population count of each byte, each count in its byte (popcntb). */
function popcountBytes(ctx: PpcContext, x: Temp): Temp {
  const b = ctx.b;
  const k = (v: bigint): Temp => b.i64(v);
  const pairs = b.sub(x, b.and(b.shrU(x, k(1n)), k(0x5555555555555555n)));
  const nibbles = b.add(b.and(pairs, k(0x3333333333333333n)), b.and(b.shrU(pairs, k(2n)), k(0x3333333333333333n)));
  return b.and(b.add(nibbles, b.shrU(nibbles, k(4n))), k(0x0f0f0f0f0f0f0f0fn));
}

/** popcntw: the count of each word in that word. */
function popcountWords(ctx: PpcContext, x: Temp): Temp {
  const b = ctx.b;
  const low = b.unary('popcnt', b.and(x, b.i64(0xffffffff)));
  const high = b.unary('popcnt', b.shrU(x, b.i64(32)));
  return b.or(low, b.shl(high, b.i64(32)));
}

/** cmpb: each byte of RA is 0xff where the bytes of RS and RB are equal, else 0. */
const cmpb: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const eq = b.vop('i8x16.eq', [b.vop('i64x2.splat', [ctx.r(f.rs)]), b.vop('i64x2.splat', [ctx.r(f.rb)])]);
  ctx.setR(f.ra, b.vop('i64x2.extract_lane', [eq], 0));
  return true;
};

/**
 * bpermd: bit 56 + i of RA is the bit of RB that byte i of RS numbers (bit 0 the most significant),
 * or 0 for a byte of 64 or more; the rest of RA is 0. glibc's POWER7 and later string functions use it.
 */
const bpermd: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const [rs, rb] = [ctx.r(f.rs), ctx.r(f.rb)];
  let r = b.i64(0);
  for (let i = 0; i < 8; i++) {
    const index = b.and(b.shrU(rs, b.i64(56 - 8 * i)), b.i64(0xff));
    const bit = b.and(b.shrU(rb, b.sub(b.i64(63), index)), b.i64(1));
    const chosen = b.select(b.compare('lt_u', index, b.i64(64)), bit, b.i64(0));
    r = b.or(r, b.shl(chosen, b.i64(7 - i)));
  }
  ctx.setR(f.ra, r);
  return true;
};

/** slw/srw: shift amounts 32..63 (RB bit 58) give 0. */
const shiftWord =
  (op: 'shl' | 'shr_u'): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const n = b.and(ctx.w(f.rb), b.i32(63));
    const shifted = b.binary(op, ctx.w(f.rs), n);
    const r = b.select(b.compare('ge_u', n, b.i32(32)), b.i32(0), shifted);
    ctx.setRc(f.ra, b.zext(r), f.rc);
    return true;
  };
/** sld/srd: shift amounts 64..127 give 0. */
const shiftDouble =
  (op: 'shl' | 'shr_u'): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const n = b.and(ctx.r(f.rb), b.i64(127));
    const shifted = b.binary(op, ctx.r(f.rs), n);
    ctx.setRc(f.ra, b.select(b.compare('ge_u', n, b.i64(64)), b.i64(0), shifted), f.rc);
    return true;
  };

/**
 * Algebraic right shift of the i64 `s` by `n` (i64, 0..63) with `whole` (i32) forcing a shift of
 * everything out; CA = negative and some 1 bit shifted out.
 */
function shiftAlgebraic(ctx: PpcContext, s: Temp, n: Temp, whole?: Temp): Temp {
  const b = ctx.b;
  const r = b.shrS(s, n);
  let lost = b.compare('ne', b.shl(r, n), s);
  if (whole) lost = b.or(lost, whole);
  b.set(XER_CA, b.and(b.compare('lt_s', s, b.i64(0)), lost));
  return r;
}
const sraw: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const n = b.and(ctx.r(f.rb), b.i64(63));
  ctx.setRc(f.ra, shiftAlgebraic(ctx, b.sext(ctx.w(f.rs)), n), f.rc);
  return true;
};
const srawi: PpcHandler = (ctx, f) => {
  ctx.setRc(f.ra, shiftAlgebraic(ctx, ctx.b.sext(ctx.w(f.rs)), ctx.b.i64(f.sh)), f.rc);
  return true;
};
const srad: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const n = b.and(ctx.r(f.rb), b.i64(127));
  const whole = b.compare('ge_u', n, b.i64(64));
  const clamped = b.select(whole, b.i64(63), n);
  ctx.setRc(f.ra, shiftAlgebraic(ctx, ctx.r(f.rs), clamped, whole), f.rc);
  return true;
};
const sradi: PpcHandler = (ctx, f) => {
  ctx.setRc(f.ra, shiftAlgebraic(ctx, ctx.r(f.rs), ctx.b.i64((f.sh5 << 5) | f.sh)), f.rc);
  return true;
};
const extswsli: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  ctx.setRc(f.ra, b.shl(b.sext(ctx.w(f.rs)), b.i64((f.sh5 << 5) | f.sh)), f.rc);
  return true;
};

const isel: PpcHandler = (ctx, f) => {
  ctx.setR(f.rt, ctx.b.select(ctx.crBit(f.bc), ctx.r0z(f.ra), ctx.r(f.rb)));
  return true;
};

const RS_RA_RB = 'rs:5 ra:5 rb:5';
const RS_RA = 'rs:5 ra:5 00000';

export const FIXED_LOGICAL_ROWS = [
  ['011100 rs:5 ra:5 ui:16', 'andi.', logicalImm('and', 0, 1)],
  ['011101 rs:5 ra:5 ui:16', 'andis.', logicalImm('and', 16, 1)],
  ['011000 rs:5 ra:5 ui:16', 'ori', logicalImm('or', 0, 0)],
  ['011001 rs:5 ra:5 ui:16', 'oris', logicalImm('or', 16, 0)],
  ['011010 rs:5 ra:5 ui:16', 'xori', logicalImm('xor', 0, 0)],
  ['011011 rs:5 ra:5 ui:16', 'xoris', logicalImm('xor', 16, 0)],
  [x31(RS_RA_RB, 28), 'and', logical((c, a, d) => c.b.and(a, d))],
  [x31(RS_RA_RB, 444), 'or', logical((c, a, d) => c.b.or(a, d))],
  [x31(RS_RA_RB, 316), 'xor', logical((c, a, d) => c.b.xor(a, d))],
  [x31(RS_RA_RB, 476), 'nand', logical((c, a, d) => not(c, c.b.and(a, d)))],
  [x31(RS_RA_RB, 124), 'nor', logical((c, a, d) => not(c, c.b.or(a, d)))],
  [x31(RS_RA_RB, 284), 'eqv', logical((c, a, d) => not(c, c.b.xor(a, d)))],
  [x31(RS_RA_RB, 60), 'andc', logical((c, a, d) => c.b.and(a, not(c, d)))],
  [x31(RS_RA_RB, 412), 'orc', logical((c, a, d) => c.b.or(a, not(c, d)))],
  [x31(RS_RA, 954), 'extsb', unaryForm((c, v) => c.b.unary('sext8', v))],
  [x31(RS_RA, 922), 'extsh', unaryForm((c, v) => c.b.unary('sext16', v))],
  [x31(RS_RA, 986), 'extsw', unaryForm((c, v) => c.b.unary('sext32', v))],
  [x31(RS_RA, 26), 'cntlzw', unaryForm((c, v) => c.b.zext(c.b.unary('clz', lowWord(c, v))))],
  [x31(RS_RA, 58), 'cntlzd', unaryForm((c, v) => c.b.unary('clz', v))],
  [x31(RS_RA, 538), 'cnttzw', unaryForm((c, v) => c.b.zext(c.b.unary('ctz', lowWord(c, v))))],
  [x31(RS_RA, 570), 'cnttzd', unaryForm((c, v) => c.b.unary('ctz', v))],
  [x31(RS_RA, 122, '0'), 'popcntb', unaryForm(popcountBytes)],
  [x31(RS_RA, 378, '0'), 'popcntw', unaryForm(popcountWords)],
  [x31(RS_RA, 506, '0'), 'popcntd', unaryForm((c, v) => c.b.unary('popcnt', v))],
  [x31(RS_RA_RB, 508, '0'), 'cmpb', cmpb],
  [x31(RS_RA_RB, 252, '0'), 'bpermd', bpermd],
  [x31(RS_RA_RB, 24), 'slw', shiftWord('shl')],
  [x31(RS_RA_RB, 536), 'srw', shiftWord('shr_u')],
  [x31(RS_RA_RB, 27), 'sld', shiftDouble('shl')],
  [x31(RS_RA_RB, 539), 'srd', shiftDouble('shr_u')],
  [x31(RS_RA_RB, 792), 'sraw', sraw],
  [x31('rs:5 ra:5 sh:5', 824), 'srawi', srawi],
  [x31(RS_RA_RB, 794), 'srad', srad],
  ['011111 rs:5 ra:5 sh:5 110011101 sh5:1 rc:1', 'sradi', sradi],
  ['011111 rs:5 ra:5 sh:5 110111101 sh5:1 rc:1', 'extswsli', extswsli],
  ['011111 rt:5 ra:5 rb:5 bc:5 01111 0', 'isel', isel],
] as const;
