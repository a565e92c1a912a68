/**
 * A64 data processing (register), arithmetic and logical part: add/subtract with a shifted or
 * extended register, logical with a shifted (optionally inverted) register, and add/subtract with
 * carry (ARM ARM C4.1.88 "Data Processing -- Register"). Conditional, 1-, 2- and 3-source
 * instructions of the same group live in their own files.
 */
import { CF } from '../state';
import type { A64Handler } from '../context';
import { addSub, extendReg, logical, shiftByImm } from './alu';

/** AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS: N inverts the shifted Rm. */
const logicalShifted: A64Handler = (ctx, f) => {
  if (!f.sf && f.imm >= 32) return false;
  const shifted = shiftByImm(ctx, ctx.reg(f.sf, f.rm), f.shift, f.imm);
  const operand = f.n ? ctx.b.unary('not', shifted) : shifted;
  ctx.setReg(f.rd, logical(ctx, f.opc, ctx.reg(f.sf, f.rn), operand));
  return true;
};

const addSubShifted: A64Handler = (ctx, f) => {
  if (f.shift === 3 || (!f.sf && f.imm >= 32)) return false;
  const operand = shiftByImm(ctx, ctx.reg(f.sf, f.rm), f.shift, f.imm);
  ctx.setReg(f.rd, addSub(ctx, f.op, f.s, ctx.reg(f.sf, f.rn), operand));
  return true;
};

/** Rn and (without S) Rd are SP when 31, so `ADD SP, SP, Xm` and `CMP SP, Xm` use this form. */
const addSubExtended: A64Handler = (ctx, f) => {
  if (f.imm > 4) return false;
  const operand = extendReg(ctx, f.sf, f.rm, f.option, f.imm);
  const result = addSub(ctx, f.op, f.s, ctx.regsp(f.sf, f.rn), operand);
  if (f.s) ctx.setReg(f.rd, result);
  else ctx.setRegSP(f.rd, result);
  return true;
};

/** ADC/ADCS, and SBC/SBCS as Rn + NOT(Rm) + C. */
const addSubCarry: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const a = ctx.reg(f.sf, f.rn);
  const m = ctx.reg(f.sf, f.rm);
  const operand = f.op ? b.unary('not', m) : m;
  const carry = b.get(CF, 'i32');
  ctx.setReg(
    f.rd,
    f.s ? ctx.addWithFlags(a, operand, carry) : b.add(b.add(a, operand), f.sf ? b.zext(carry) : carry),
  );
  return true;
};

export const DATA_REG_ROWS = [
  ['sf:1 opc:2 01010 shift:2 n:1 rm:5 imm:6 rn:5 rd:5', 'logical (shifted register)', logicalShifted],
  ['sf:1 op:1 s:1 01011 shift:2 0 rm:5 imm:6 rn:5 rd:5', 'ADD/SUB (shifted register)', addSubShifted],
  ['sf:1 op:1 s:1 01011 00 1 rm:5 option:3 imm:3 rn:5 rd:5', 'ADD/SUB (extended register)', addSubExtended],
  ['sf:1 op:1 s:1 11010000 rm:5 000000 rn:5 rd:5', 'ADC/SBC', addSubCarry],
] as const;
