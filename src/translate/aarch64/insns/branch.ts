/**
 * A64 branches, exception generation and system instructions with control effects
 * (ARM ARM C4.1.65 "Branches, Exception Generating and System instructions").
 */
import { TrapKind } from '../../ir/ops';
import { STATE_TRAP_ARG } from '../../frontend';
import type { A64Handler } from '../context';

const b: A64Handler = (ctx, f) => {
  ctx.jump(ctx.pc + f.imm! * 4);
  return true;
};

const bl: A64Handler = (ctx, f) => {
  ctx.setReg(30, ctx.b.i64(ctx.pc + 4));
  ctx.jump(ctx.pc + f.imm! * 4);
  return true;
};

const bcond: A64Handler = (ctx, f) => {
  ctx.jumpIf(ctx.cond(f.cond!), ctx.pc + f.imm! * 4);
  return true;
};

const cbz: A64Handler = (ctx, f) => {
  const r = ctx.reg(f.sf!, f.rt!);
  const isZero = ctx.b.compare('eq', r, ctx.b.imm(r, 0));
  ctx.jumpIf(f.op ? ctx.b.xor(isZero, ctx.b.i32(1)) : isZero, ctx.pc + f.imm! * 4);
  return true;
};

const tbz: A64Handler = (ctx, f) => {
  const bit = (f.b5! << 5) | f.b40!;
  const r = ctx.x(f.rt!);
  const set = ctx.b.wrap(ctx.b.and(ctx.b.shrU(r, ctx.b.i64(bit)), ctx.b.i64(1)));
  ctx.jumpIf(f.op ? set : ctx.b.xor(set, ctx.b.i32(1)), ctx.pc + f.imm! * 4);
  return true;
};

/** BR, BLR, RET (and their pointer-authentication-free forms). */
const branchReg =
  (link: boolean): A64Handler =>
  (ctx, f) => {
    const target = ctx.x(f.rn!);
    if (link) ctx.setReg(30, ctx.b.i64(ctx.pc + 4));
    ctx.jumpTo(target);
    return true;
  };

const svc: A64Handler = (ctx) => {
  ctx.trap(TrapKind.Syscall);
  return true;
};

const brk: A64Handler = (ctx, f) => {
  ctx.b.set(STATE_TRAP_ARG, ctx.b.i64(f.imm!));
  ctx.trap(TrapKind.Breakpoint);
  return true;
};

export const BRANCH_ROWS = [
  ['000101 imm:s26', 'B', b],
  ['100101 imm:s26', 'BL', bl],
  ['01010100 imm:s19 0 cond:4', 'B.cond', bcond],
  ['sf:1 011010 op:1 imm:s19 rt:5', 'CBZ/CBNZ', cbz],
  ['b5:1 011011 op:1 b40:5 imm:s14 rt:5', 'TBZ/TBNZ', tbz],
  ['1101011 0000 11111 000000 rn:5 00000', 'BR', branchReg(false)],
  ['1101011 0001 11111 000000 rn:5 00000', 'BLR', branchReg(true)],
  ['1101011 0010 11111 000000 rn:5 00000', 'RET', branchReg(false)],
  ['11010100 000 imm:16 000 01', 'SVC', svc],
  ['11010100 001 imm:16 000 00', 'BRK', brk],
] as const;
