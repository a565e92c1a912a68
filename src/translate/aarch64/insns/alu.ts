/**
 * Operations shared by the immediate and register forms of A64 data processing: add/subtract with
 * optional flags, the four logical operations, and the shifted/extended second operand.
 */
import type { Temp } from '../../ir/block';
import type { A64Context } from '../context';

/** ADD/ADDS (sub = 0) or SUB/SUBS (sub = 1) of a and c; S = 1 sets NZCV. */
export function addSub(ctx: A64Context, sub: number, s: number, a: Temp, c: Temp): Temp {
  if (s) return sub ? ctx.subWithFlags(a, c) : ctx.addWithFlags(a, c);
  return sub ? ctx.b.sub(a, c) : ctx.b.add(a, c);
}

/** AND, ORR, EOR, ANDS by opc (0..3); ANDS sets N and Z and clears C and V. */
export function logical(ctx: A64Context, opc: number, a: Temp, c: Temp): Temp {
  const b = ctx.b;
  const result = opc === 1 ? b.or(a, c) : opc === 2 ? b.xor(a, c) : b.and(a, c);
  if (opc === 3) ctx.setNZ00(result);
  return result;
}

/** `v` shifted by a constant: shift type 0 LSL, 1 LSR, 2 ASR, 3 ROR. */
export function shiftByImm(ctx: A64Context, v: Temp, type: number, amount: number): Temp {
  if (amount === 0) return v;
  const b = ctx.b;
  const n = b.imm(v, amount);
  switch (type) {
    case 0:
      return b.shl(v, n);
    case 1:
      return b.shrU(v, n);
    case 2:
      return b.shrS(v, n);
    default:
      return b.binary('rotr', v, n);
  }
}

/**
 * The extended-register operand: Rm extended by option (UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW,
 * SXTX) to the operation's width, then shifted left by `shift` (0..4).
 */
export function extendReg(ctx: A64Context, sf: number, rm: number, option: number, shift: number): Temp {
  const b = ctx.b;
  const v = ctx.reg(sf, rm);
  const size = option & 3;
  let ext: Temp;
  if (size === 3 || (size === 2 && !sf)) ext = v;
  else if (option & 4) ext = b.unary(size === 0 ? 'sext8' : size === 1 ? 'sext16' : 'sext32', v);
  else ext = b.and(v, b.imm(v, size === 0 ? 0xff : size === 1 ? 0xffff : 0xffffffff));
  return shiftByImm(ctx, ext, 0, shift);
}

/** All-ones in the low `bits` bits, as a bigint (bits 0..64). */
export function ones(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}
