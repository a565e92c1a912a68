/**
 * A64 conditional compare (CCMP, CCMN; register and immediate) and conditional select (CSEL,
 * CSINC, CSINV, CSNEG and their aliases CSET, CINC, CNEG, ...), ARM ARM C4.1.88.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';

/** If cond holds, NZCV = flags of Rn - operand (CCMP, op 1) or Rn + operand (CCMN); else NZCV = nzcv. */
function condCompare(ctx: A64Context, f: Record<string, number>, operand: Temp): void {
  const b = ctx.b;
  const a = ctx.reg(f.sf, f.rn);
  const failed = b.label();
  const done = b.label();
  b.brcond(b.xor(ctx.cond(f.cond), b.i32(1)), failed);
  if (f.op) ctx.subWithFlags(a, operand);
  else ctx.addWithFlags(a, operand);
  b.br(done);
  b.place(failed);
  const bit = (n: number): Temp => b.i32((f.nzcv >> n) & 1);
  ctx.setNZCV(bit(3), bit(2), bit(1), bit(0));
  b.place(done);
}

const ccmpReg: A64Handler = (ctx, f) => {
  condCompare(ctx, f, ctx.reg(f.sf, f.rm));
  return true;
};

const ccmpImm: A64Handler = (ctx, f) => {
  condCompare(ctx, f, ctx.b.imm(ctx.reg(f.sf, 31), f.imm));
  return true;
};

/** Rd = cond ? Rn : f(Rm), f being identity, +1 (o2), NOT (op) or negation (op and o2). */
const condSelect: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const m = ctx.reg(f.sf, f.rm);
  let alt = m;
  if (f.op && f.o2) alt = b.unary('neg', m);
  else if (f.op) alt = b.unary('not', m);
  else if (f.o2) alt = b.add(m, b.imm(m, 1));
  ctx.setReg(f.rd, b.select(ctx.cond(f.cond), ctx.reg(f.sf, f.rn), alt));
  return true;
};

export const CONDITIONAL_ROWS = [
  ['sf:1 op:1 1 11010010 rm:5 cond:4 0 0 rn:5 0 nzcv:4', 'CCMN/CCMP (register)', ccmpReg],
  ['sf:1 op:1 1 11010010 imm:5 cond:4 1 0 rn:5 0 nzcv:4', 'CCMN/CCMP (immediate)', ccmpImm],
  ['sf:1 op:1 0 11010100 rm:5 cond:4 0 o2:1 rn:5 rd:5', 'conditional select', condSelect],
] as const;
