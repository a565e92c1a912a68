/**
 * Integer semantics shared by A32 and T32 beyond the ALU: multiplies and divides, bit-field
 * extract/insert, extends with rotation, byte and bit reversal, saturation, 16-bit moves, and SEL
 * (the parallel arithmetic that sets GE is in dsp.ts).
 */
import type { Temp } from '../../ir/block';
import type { ArmContext } from '../context';
import { GE, QF } from '../state';

/** MUL/MLA/MLS: Rd = Ra +/- Rn * Rm (no Ra: plain product); `s` sets N and Z. */
export function multiply(ctx: ArmContext, rd: number, rn: number, rm: number, ra: number | undefined, subtract: boolean, s: boolean): void {
  const b = ctx.b;
  const product = b.binary('mul', ctx.r(rn), ctx.r(rm));
  const result = ra === undefined ? product : subtract ? b.sub(ctx.r(ra), product) : b.add(ctx.r(ra), product);
  if (s) ctx.setNZ(result);
  ctx.setR(rd, result);
}

/** UMULL/SMULL/UMLAL/SMLAL: RdHi:RdLo (+)= Rn * Rm in 64 bits; `s` sets N and Z on the 64-bit result. */
export function multiplyLong(ctx: ArmContext, signed: boolean, accumulate: boolean, rdlo: number, rdhi: number, rn: number, rm: number, s: boolean): void {
  const b = ctx.b;
  const widen = (t: Temp): Temp => (signed ? b.sext(t) : b.zext(t));
  let result = b.binary('mul', widen(ctx.r(rn)), widen(ctx.r(rm)));
  if (accumulate) result = b.add(result, b.or(b.zext(ctx.r(rdlo)), b.shl(b.zext(ctx.r(rdhi)), b.i64(32))));
  const hi = b.wrap(b.shrU(result, b.i64(32)));
  if (s) ctx.setNZ64(result);
  ctx.setR(rdlo, b.wrap(result));
  ctx.setR(rdhi, hi);
}

/** UMAAL: RdHi:RdLo = Rn * Rm + RdLo + RdHi (unsigned, cannot overflow 64 bits). */
export function multiplyAccumulateAccumulate(ctx: ArmContext, rdlo: number, rdhi: number, rn: number, rm: number): void {
  const b = ctx.b;
  const sum = b.add(b.add(b.binary('mul', b.zext(ctx.r(rn)), b.zext(ctx.r(rm))), b.zext(ctx.r(rdlo))), b.zext(ctx.r(rdhi)));
  ctx.setR(rdlo, b.wrap(sum));
  ctx.setR(rdhi, b.wrap(b.shrU(sum, b.i64(32))));
}

/** SDIV/UDIV: division by zero gives 0 (the IR op's rule, and ARM's with DZE clear). */
export function divide(ctx: ArmContext, signed: boolean, rd: number, rn: number, rm: number): void {
  ctx.setR(rd, ctx.b.binary(signed ? 'div_s' : 'div_u', ctx.r(rn), ctx.r(rm)));
}

/** SXTB/SXTH/UXTB/UXTH and the accumulating SXTAB..UXTAH (rn !== 15): Rm rotated right by 8*rot first. */
export function extend(ctx: ArmContext, signed: boolean, size: 1 | 2, rd: number, rn: number, rm: number, rot: number): void {
  const b = ctx.b;
  let v = ctx.r(rm);
  if (rot) v = b.binary('rotr', v, b.i32(rot * 8));
  if (signed) v = b.unary(size === 1 ? 'sext8' : 'sext16', v);
  else v = b.and(v, b.i32(size === 1 ? 0xff : 0xffff));
  ctx.setR(rd, rn === 15 ? v : b.add(ctx.r(rn), v));
}

/** UBFX/SBFX: `width` bits of Rn from `lsb`, zero- or sign-extended. */
export function bitfieldExtract(ctx: ArmContext, signed: boolean, rd: number, rn: number, lsb: number, width: number): boolean {
  if (lsb + width > 32) return ctx.undefined();
  const b = ctx.b;
  const up = b.shl(ctx.r(rn), b.i32(32 - lsb - width));
  ctx.setR(rd, signed ? b.shrS(up, b.i32(32 - width)) : b.shrU(up, b.i32(32 - width)));
  return true;
}

/** BFI (rn !== 15) and BFC (rn === 15): bits lsb..msb of Rd replaced by the low bits of Rn, or cleared. */
export function bitfieldInsert(ctx: ArmContext, rd: number, rn: number, lsb: number, msb: number): boolean {
  if (msb < lsb) return ctx.undefined();
  const b = ctx.b;
  const width = msb - lsb + 1;
  const mask = (width === 32 ? 0xffffffff : ((1 << width) - 1) << lsb) | 0;
  const kept = b.and(ctx.r(rd), b.i32(~mask));
  if (rn === 15) ctx.setR(rd, kept);
  else ctx.setR(rd, b.or(kept, b.and(b.shl(ctx.r(rn), b.i32(lsb)), b.i32(mask))));
  return true;
}

export type Reversal = 'rev' | 'rev16' | 'revsh' | 'rbit';

export function reverse(ctx: ArmContext, kind: Reversal, rd: number, rm: number): void {
  const b = ctx.b;
  const v = ctx.r(rm);
  switch (kind) {
    case 'rev':
      ctx.setR(rd, b.unary('bswap', v));
      return;
    case 'rbit':
      ctx.setR(rd, b.unary('rbit', v));
      return;
    case 'rev16':
      ctx.setR(rd, b.binary('rotr', b.unary('bswap', v), b.i32(16)));
      return;
    case 'revsh':
      ctx.setR(rd, b.shrS(b.unary('bswap', v), b.i32(16)));
      return;
  }
}

export function countLeadingZeros(ctx: ArmContext, rd: number, rm: number): void {
  ctx.setR(rd, ctx.b.unary('clz', ctx.r(rm)));
}

/** MOVW (top = false) and MOVT (top = true) of a 16-bit immediate. */
export function move16(ctx: ArmContext, top: boolean, rd: number, imm16: number): void {
  const b = ctx.b;
  if (!top) ctx.setR(rd, b.i32(imm16));
  else ctx.setR(rd, b.or(b.and(ctx.r(rd), b.i32(0xffff)), b.i32(imm16 << 16)));
}

/**
 * USAT/SSAT: Rn shifted (LSL or ASR by `amount`), saturated to `bits` unsigned or signed bits;
 * Q is set when saturation happened.
 */
export function saturate(ctx: ArmContext, unsigned: boolean, bits: number, rd: number, rn: number, asr: boolean, amount: number): void {
  const b = ctx.b;
  const v = ctx.r(rn);
  const shifted = amount === 0 ? v : asr ? b.shrS(v, b.i32(amount)) : b.shl(v, b.i32(amount));
  const hiValue = unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
  const loValue = unsigned ? 0 : -(2 ** (bits - 1));
  const hi = b.i32(hiValue);
  const lo = b.i32(loValue);
  const over = b.compare('gt_s', shifted, hi);
  const under = b.compare('lt_s', shifted, lo);
  ctx.setR(rd, b.select(over, hi, b.select(under, lo, shifted)));
  b.set(QF, b.or(b.get(QF, 'i32'), b.or(over, under)));
}

/** SEL: each byte from Rn where its GE bit is set, else from Rm. */
export function select8(ctx: ArmContext, rd: number, rn: number, rm: number): void {
  const b = ctx.b;
  const ge = b.get(GE, 'i32');
  // Spread GE[3:0] to a byte mask: bit i -> byte i all ones.
  let mask = b.i32(0);
  for (let i = 0; i < 4; i++) {
    const bit = b.and(b.shrU(ge, b.i32(i)), b.i32(1));
    mask = b.or(mask, b.shl(b.binary('mul', bit, b.i32(0xff)), b.i32(8 * i)));
  }
  ctx.setR(rd, b.or(b.and(ctx.r(rn), mask), b.and(ctx.r(rm), b.unary('not', mask))));
}

/** The signed halfword of `v` selected by `top` (bits 31:16 when set, else 15:0). */
function half(ctx: ArmContext, v: Temp, top: number): Temp {
  const b = ctx.b;
  return top ? b.shrS(v, b.i32(16)) : b.unary('sext16', v);
}

/** SMUL<x><y> and SMLA<x><y> (ra defined): halfword products; the accumulation sets Q on overflow. */
export function multiplyHalves(ctx: ArmContext, rd: number, rn: number, rm: number, n: number, m: number, ra: number | undefined): void {
  const b = ctx.b;
  const product = b.binary('mul', half(ctx, ctx.r(rn), n), half(ctx, ctx.r(rm), m));
  ctx.setR(rd, ra === undefined ? product : accumulateSettingQ(ctx, product, ctx.r(ra)));
}

/** product + Ra, setting the sticky Q flag when the signed 32-bit sum overflows. */
function accumulateSettingQ(ctx: ArmContext, product: Temp, ra: Temp): Temp {
  const b = ctx.b;
  const sum = b.add(product, ra);
  // Signed overflow: both operands have the same sign and the sum's differs.
  const overflow = b.shrU(b.and(b.xor(sum, product), b.xor(sum, ra)), b.i32(31));
  b.set(QF, b.or(b.get(QF, 'i32'), overflow));
  return sum;
}

/** SMULW<y> and SMLAW<y>: the top 32 bits of the 48-bit product Rn * half(Rm), plus Ra (Q on overflow). */
export function multiplyWordHalf(ctx: ArmContext, rd: number, rn: number, rm: number, m: number, ra: number | undefined): void {
  const b = ctx.b;
  const product = b.binary('mul', b.sext(ctx.r(rn)), b.sext(half(ctx, ctx.r(rm), m)));
  const high = b.wrap(b.shrS(product, b.i64(16)));
  ctx.setR(rd, ra === undefined ? high : accumulateSettingQ(ctx, high, ctx.r(ra)));
}

/** SMLAL<x><y>: RdHi:RdLo += half(Rn) * half(Rm), 64-bit. */
export function multiplyHalvesLong(ctx: ArmContext, rdlo: number, rdhi: number, rn: number, rm: number, n: number, m: number): void {
  const b = ctx.b;
  const product = b.sext(b.binary('mul', half(ctx, ctx.r(rn), n), half(ctx, ctx.r(rm), m)));
  const sum = b.add(product, b.or(b.zext(ctx.r(rdlo)), b.shl(b.zext(ctx.r(rdhi)), b.i64(32))));
  ctx.setR(rdlo, b.wrap(sum));
  ctx.setR(rdhi, b.wrap(b.shrU(sum, b.i64(32))));
}
