/**
 * A64 data processing (3 source): multiply-add and multiply-subtract, their widening forms, and
 * the high halves of 64x64-bit products (ARM ARM C4.1.88).
 */
import type { Temp } from '../../ir/block';
import type { A64Handler } from '../context';

/** MADD/MSUB (MUL, MNEG): Rd = Ra +/- Rn * Rm. */
const multiplyAdd: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const product = b.binary('mul', ctx.reg(f.sf, f.rn), ctx.reg(f.sf, f.rm));
  const acc = ctx.reg(f.sf, f.ra);
  ctx.setReg(f.rd, f.o0 ? b.sub(acc, product) : b.add(acc, product));
  return true;
};

/** SMADDL/SMSUBL/UMADDL/UMSUBL (SMULL, UMULL, ...): Xd = Xa +/- Wn * Wm, widened by sign (u = 0) or zero. */
const multiplyAddLong: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const widen = (v: Temp): Temp => (f.u ? b.zext(v) : b.sext(v));
  const product = b.binary('mul', widen(ctx.w(f.rn)), widen(ctx.w(f.rm)));
  const acc = ctx.x(f.ra);
  ctx.setReg(f.rd, f.o0 ? b.sub(acc, product) : b.add(acc, product));
  return true;
};

const multiplyHigh: A64Handler = (ctx, f) => {
  ctx.setReg(f.rd, ctx.b.binary(f.u ? 'mulh_u' : 'mulh_s', ctx.x(f.rn), ctx.x(f.rm)));
  return true;
};

export const DATA_3SRC_ROWS = [
  ['sf:1 00 11011 000 rm:5 o0:1 ra:5 rn:5 rd:5', 'MADD/MSUB', multiplyAdd],
  ['1 00 11011 u:1 01 rm:5 o0:1 ra:5 rn:5 rd:5', 'SMADDL/SMSUBL/UMADDL/UMSUBL', multiplyAddLong],
  ['1 00 11011 u:1 10 rm:5 0 ..... rn:5 rd:5', 'SMULH/UMULH', multiplyHigh],
] as const;
