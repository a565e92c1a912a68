/**
 * Branch facility (Power ISA 3.0 Book I chapter 2): b, bc, bclr, bcctr, bctar with their link and
 * absolute forms, the condition register logical instructions and mcrf, sc, and the trap
 * instructions tw/twi/td/tdi.
 */
import type { Temp } from '../../ir/block';
import { TrapKind } from '../../ir/ops';
import { CTR, LR, TAR } from '../state';
import type { PpcContext, PpcHandler } from '../context';

/** LR = address of the next instruction, when LK = 1. */
function link(ctx: PpcContext, lk: number): void {
  if (lk) ctx.b.set(LR, ctx.b.i64(ctx.pc + 4));
}

/** Branch target of a relative or (AA = 1) absolute displacement. */
const targetOf = (ctx: PpcContext, aa: number, disp: number): number => (aa ? disp : ctx.pc + disp) >>> 0;

const branch: PpcHandler = (ctx, f) => {
  link(ctx, f.lk);
  ctx.jump(targetOf(ctx, f.aa, f.li * 4));
  return true;
};

/**
 * Whether a bc-family branch is taken, per the BO field (BO0 ignore CR, BO1 CR value wanted, BO2
 * leave CTR alone, BO3 branch on CTR = 0); decrements CTR when asked. Undefined result means
 * "always" (no IR needed).
 */
function condition(ctx: PpcContext, bo: number, bi: number): Temp | undefined {
  const b = ctx.b;
  let taken: Temp | undefined;
  if (!(bo & 4)) {
    const ctr = b.sub(ctx.ctr(), b.i64(1));
    b.set(CTR, ctr);
    taken = b.compare(bo & 2 ? 'eq' : 'ne', ctr, b.i64(0));
  }
  if (!(bo & 16)) {
    const crOk = ctx.crTest(bi, (bo & 8) !== 0);
    taken = taken ? b.and(taken, crOk) : crOk;
  }
  return taken;
}

const bc: PpcHandler = (ctx, f) => {
  const taken = condition(ctx, f.bo, f.bi);
  link(ctx, f.lk);
  const target = targetOf(ctx, f.aa, f.bd * 4);
  if (taken) ctx.jumpIf(taken, target);
  else ctx.jump(target);
  return true;
};

/** bclr, bcctr, bctar: the target register is read before LK writes LR. */
const bcReg =
  (reg: number): PpcHandler =>
  (ctx, f) => {
    // bcctr with BO2 = 0 (decrement CTR and branch to it) is an invalid form.
    if (reg === CTR && !(f.bo & 4)) return false;
    const target = ctx.b.get(reg, 'i64');
    const taken = condition(ctx, f.bo, f.bi);
    link(ctx, f.lk);
    ctx.jumpTo(target, taken);
    return true;
  };

/** CR logical: CR[bt] = op(CR[ba], CR[bb]). */
const crLogical =
  (op: (ctx: PpcContext, a: Temp, c: Temp) => Temp): PpcHandler =>
  (ctx, f) => {
    const v = ctx.b.and(op(ctx, ctx.crBit(f.ba), ctx.crBit(f.bb)), ctx.b.i32(1));
    ctx.setCrBit(f.bt, v);
    return true;
  };
const not = (ctx: PpcContext, v: Temp): Temp => ctx.b.xor(v, ctx.b.i32(1));

const mcrf: PpcHandler = (ctx, f) => {
  ctx.setCr(f.bf, ctx.cr(f.bfa));
  return true;
};

const sc: PpcHandler = (ctx, f) => {
  if (f.lev !== 0) return false;
  ctx.trap(TrapKind.Syscall);
  return true;
};

/**
 * Trap conditions TO (lt, gt, eq, ltu, gtu from the most significant bit) of a compared with c:
 * SIGTRAP when any selected condition holds.
 */
function trapIf(ctx: PpcContext, to: number, a: Temp, c: Temp): void {
  const b = ctx.b;
  const tests: [number, Parameters<typeof b.compare>[0]][] = [
    [16, 'lt_s'],
    [8, 'gt_s'],
    [4, 'eq'],
    [2, 'lt_u'],
    [1, 'gt_u'],
  ];
  let hit: Temp | undefined;
  for (const [bit, op] of tests) {
    if (!(to & bit)) continue;
    const t = b.compare(op, a, c);
    hit = hit ? b.or(hit, t) : t;
  }
  if (!hit) return;
  if (to === 31) {
    ctx.trap(TrapKind.Breakpoint);
    return;
  }
  const skip = b.label();
  b.brcond(b.compare('eq', hit, b.i32(0)), skip);
  b.trap(TrapKind.Breakpoint);
  b.place(skip);
}

const tw: PpcHandler = (ctx, f) => (trapIf(ctx, f.to, ctx.w(f.ra), ctx.w(f.rb)), true);
const td: PpcHandler = (ctx, f) => (trapIf(ctx, f.to, ctx.r(f.ra), ctx.r(f.rb)), true);
const twi: PpcHandler = (ctx, f) => (trapIf(ctx, f.to, ctx.w(f.ra), ctx.b.i32(f.si)), true);
const tdi: PpcHandler = (ctx, f) => (trapIf(ctx, f.to, ctx.r(f.ra), ctx.b.i64(f.si)), true);

export const BRANCH_ROWS = [
  ['010010 li:s24 aa:1 lk:1', 'b', branch],
  ['010000 bo:5 bi:5 bd:s14 aa:1 lk:1', 'bc', bc],
  ['010011 bo:5 bi:5 ... .. 0000010000 lk:1', 'bclr', bcReg(LR)],
  ['010011 bo:5 bi:5 ... .. 1000010000 lk:1', 'bcctr', bcReg(CTR)],
  ['010011 bo:5 bi:5 ... .. 1000110000 lk:1', 'bctar', bcReg(TAR)],
  ['010011 bf:3 00 bfa:3 00 00000 0000000000 0', 'mcrf', mcrf],
  ['010011 bt:5 ba:5 bb:5 0100000001 0', 'crand', crLogical((c, a, d) => c.b.and(a, d))],
  ['010011 bt:5 ba:5 bb:5 0111000001 0', 'cror', crLogical((c, a, d) => c.b.or(a, d))],
  ['010011 bt:5 ba:5 bb:5 0011000001 0', 'crxor', crLogical((c, a, d) => c.b.xor(a, d))],
  ['010011 bt:5 ba:5 bb:5 0011100001 0', 'crnand', crLogical((c, a, d) => not(c, c.b.and(a, d)))],
  ['010011 bt:5 ba:5 bb:5 0000100001 0', 'crnor', crLogical((c, a, d) => not(c, c.b.or(a, d)))],
  ['010011 bt:5 ba:5 bb:5 0100100001 0', 'creqv', crLogical((c, a, d) => not(c, c.b.xor(a, d)))],
  ['010011 bt:5 ba:5 bb:5 0010000001 0', 'crandc', crLogical((c, a, d) => c.b.and(a, not(c, d)))],
  ['010011 bt:5 ba:5 bb:5 0110100001 0', 'crorc', crLogical((c, a, d) => c.b.or(a, not(c, d)))],
  ['010001 ..... ..... .... lev:7 ... 1 0', 'sc', sc],
  ['011111 to:5 ra:5 rb:5 0000000100 0', 'tw', tw],
  ['011111 to:5 ra:5 rb:5 0001000100 0', 'td', td],
  ['000011 to:5 ra:5 si:s16', 'twi', twi],
  ['000010 to:5 ra:5 si:s16', 'tdi', tdi],
] as const;
