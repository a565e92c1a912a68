/**
 * The barrel shifter and the modified immediates of A32 and T32, each with its carry out
 * (ARM ARM Shift_C, ARMExpandImm_C, ThumbExpandImm_C). A carry of `undefined` means "C unchanged".
 */
import type { Temp } from '../ir/block';
import type { ArmContext } from './context';

export interface Shifted {
  value: Temp;
  /** Shifter carry out (i32 0/1), or undefined when the shift leaves C as it is. */
  carry: Temp | undefined;
}

export const LSL = 0;
export const LSR = 1;
export const ASR = 2;
export const ROR = 3;

/** `v` shifted by an immediate as DecodeImmShift reads (type, imm5): LSR/ASR #0 mean 32, ROR #0 is RRX. */
export function shiftImm(ctx: ArmContext, v: Temp, type: number, imm5: number): Shifted {
  const b = ctx.b;
  const bit = (t: Temp, n: number): Temp => b.and(b.shrU(t, b.i32(n)), b.i32(1));
  if (type === LSL) {
    if (imm5 === 0) return { value: v, carry: undefined };
    return { value: b.shl(v, b.i32(imm5)), carry: bit(v, 32 - imm5) };
  }
  if (type === ROR && imm5 === 0) {
    // RRX: C becomes bit 31, bit 0 goes to C.
    const value = b.or(b.shrU(v, b.i32(1)), b.shl(ctx.carry(), b.i32(31)));
    return { value, carry: b.and(v, b.i32(1)) };
  }
  const n = imm5 === 0 ? 32 : imm5;
  const carry = bit(v, n - 1);
  if (type === LSR) return { value: n === 32 ? b.i32(0) : b.shrU(v, b.i32(n)), carry };
  if (type === ASR) return { value: b.shrS(v, b.i32(Math.min(n, 31))), carry };
  const value = b.binary('rotr', v, b.i32(n));
  return { value, carry: b.shrU(value, b.i32(31)) };
}

/** `v` shifted by the bottom byte of register value `rs` (shifts of 32 and more as the manual defines). */
export function shiftReg(ctx: ArmContext, v: Temp, type: number, rs: Temp): Shifted {
  const b = ctx.b;
  const amount = b.and(rs, b.i32(0xff));
  const isZero = b.compare('eq', amount, b.i32(0));
  const keepC = (c: Temp): Temp => b.select(isZero, ctx.carry(), c);
  if (type === ROR) {
    const value = b.binary('rotr', v, amount);
    return { value, carry: keepC(b.shrU(value, b.i32(31))) };
  }
  // In 64 bits, with the amount clamped to 33, every case is an ordinary shift.
  const n = b.zext(b.select(b.compare('gt_u', amount, b.i32(33)), b.i32(33), amount));
  const one = b.i64(1);
  if (type === LSL) {
    const wide = b.shl(b.zext(v), n);
    return { value: b.wrap(wide), carry: keepC(b.wrap(b.and(b.shrU(wide, b.i64(32)), one))) };
  }
  const wide = type === ASR ? b.sext(v) : b.zext(v);
  const shifted = type === ASR ? b.shrS(b.shl(wide, one), n) : b.shrU(b.shl(wide, one), n);
  const value = b.wrap(type === ASR ? b.shrS(shifted, one) : b.shrU(shifted, one));
  return { value, carry: keepC(b.wrap(b.and(shifted, one))) };
}

/** A constant operand and its carry out (undefined: C unchanged). */
export interface ExpandedImm {
  value: number;
  carry: number | undefined;
}

/** ARMExpandImm_C: an 8-bit value rotated right by twice the top 4 bits. */
export function expandImmA32(imm12: number): ExpandedImm {
  const rot = (imm12 >>> 8) * 2;
  const v = imm12 & 0xff;
  const value = rot === 0 ? v : ((v >>> rot) | (v << (32 - rot))) >>> 0;
  return { value, carry: rot === 0 ? undefined : value >>> 31 };
}

/** ThumbExpandImm_C: byte replication patterns, or a rotated 1bcdefgh. Undefined for reserved forms. */
export function expandImmT32(imm12: number): ExpandedImm | undefined {
  const x = imm12 & 0xff;
  if (imm12 >>> 10 === 0) {
    switch ((imm12 >>> 8) & 3) {
      case 0:
        return { value: x, carry: undefined };
      case 1:
        return x === 0 ? undefined : { value: ((x << 16) | x) >>> 0, carry: undefined };
      case 2:
        return x === 0 ? undefined : { value: ((x << 24) | (x << 8)) >>> 0, carry: undefined };
      default:
        return x === 0 ? undefined : { value: ((x << 24) | (x << 16) | (x << 8) | x) >>> 0, carry: undefined };
    }
  }
  const rot = imm12 >>> 7;
  const v = 0x80 | (imm12 & 0x7f);
  const value = ((v >>> rot) | (v << (32 - rot))) >>> 0;
  return { value, carry: value >>> 31 };
}

/** Applies an expanded immediate's carry as an IR operand. */
export function immOperand(ctx: ArmContext, imm: ExpandedImm): Shifted {
  return { value: ctx.b.i32(imm.value), carry: imm.carry === undefined ? undefined : ctx.b.i32(imm.carry) };
}
