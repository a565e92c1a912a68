/**
 * A64 data processing (1 source): RBIT, REV16, REV32, REV, CLZ, CLS (ARM ARM C4.1.88). The
 * pointer-authentication forms of this group are not implemented (ID_AA64ISAR1 reports no PAuth),
 * so they stay unmatched and raise SIGILL.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';

/** Rd = op(Rn) at the width selected by sf. */
const unaryOp =
  (op: (ctx: A64Context, v: Temp) => Temp, sf?: number): A64Handler =>
  (ctx, f) => {
    ctx.setReg(f.rd, op(ctx, ctx.reg(sf ?? f.sf, f.rn)));
    return true;
  };

/** Swaps the bytes of every halfword. */
function rev16(ctx: A64Context, v: Temp): Temp {
  const b = ctx.b;
  const even = b.imm(v, v.type === 'i64' ? 0x00ff00ff00ff00ffn : 0x00ff00ff);
  const eight = b.imm(v, 8);
  return b.or(b.and(b.shrU(v, eight), even), b.shl(b.and(v, even), eight));
}

/** Reverses the bytes of each 32-bit word of a 64-bit value. */
function rev32(ctx: A64Context, v: Temp): Temp {
  return ctx.b.binary('rotr', ctx.b.unary('bswap', v), ctx.b.i64(32));
}

/** Leading bits equal to the sign bit, not counting the sign bit itself. */
function cls(ctx: A64Context, v: Temp): Temp {
  const b = ctx.b;
  return b.sub(b.unary('clz', b.xor(v, b.shrS(v, b.imm(v, 1)))), b.imm(v, 1));
}

export const DATA_1SRC_ROWS = [
  ['sf:1 1 0 11010110 00000 000000 rn:5 rd:5', 'RBIT', unaryOp((ctx, v) => ctx.b.unary('rbit', v))],
  ['sf:1 1 0 11010110 00000 000001 rn:5 rd:5', 'REV16', unaryOp(rev16)],
  ['0 1 0 11010110 00000 000010 rn:5 rd:5', 'REV (32-bit)', unaryOp((ctx, v) => ctx.b.unary('bswap', v), 0)],
  ['1 1 0 11010110 00000 000010 rn:5 rd:5', 'REV32', unaryOp(rev32, 1)],
  ['1 1 0 11010110 00000 000011 rn:5 rd:5', 'REV (64-bit)', unaryOp((ctx, v) => ctx.b.unary('bswap', v), 1)],
  ['sf:1 1 0 11010110 00000 000100 rn:5 rd:5', 'CLZ', unaryOp((ctx, v) => ctx.b.unary('clz', v))],
  ['sf:1 1 0 11010110 00000 000101 rn:5 rd:5', 'CLS', unaryOp(cls)],
] as const;
