/**
 * A64 data processing (2 source): UDIV, SDIV and the variable shifts LSLV, LSRV, ASRV, RORV
 * (ARM ARM C4.1.88). CRC32 of the same group is in crc32.ts. The IR's div ops already give A64's
 * results for division by zero (0) and MIN / -1 (MIN), and its shifts take the amount modulo the
 * width as the variable shifts do.
 */
import type { A64Handler } from '../context';

const divide: A64Handler = (ctx, f) => {
  ctx.setReg(f.rd, ctx.b.binary(f.signed ? 'div_s' : 'div_u', ctx.reg(f.sf, f.rn), ctx.reg(f.sf, f.rm)));
  return true;
};

const SHIFT_OPS = ['shl', 'shr_u', 'shr_s', 'rotr'] as const;

const shiftVariable: A64Handler = (ctx, f) => {
  ctx.setReg(f.rd, ctx.b.binary(SHIFT_OPS[f.op2]!, ctx.reg(f.sf, f.rn), ctx.reg(f.sf, f.rm)));
  return true;
};

export const DATA_2SRC_ROWS = [
  ['sf:1 0 0 11010110 rm:5 00001 signed:1 rn:5 rd:5', 'UDIV/SDIV', divide],
  ['sf:1 0 0 11010110 rm:5 0010 op2:2 rn:5 rd:5', 'LSLV/LSRV/ASRV/RORV', shiftVariable],
] as const;
