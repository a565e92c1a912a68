/**
 * A64 data processing (immediate): PC-relative addressing, add/subtract, logical, move wide,
 * bitfield and extract (ARM ARM C4.1.86 "Data Processing -- Immediate"). The aliases (MOV, CMP,
 * TST, LSL, ASR, UBFX, SXTW, ROR, ...) are these encodings with particular fields.
 */
import type { Temp } from '../../ir/block';
import type { A64Handler } from '../context';
import { addSub, logical, ones } from './alu';
import { logicalImmediate } from './bitmasks';

const adr: A64Handler = (ctx, f) => {
  ctx.setReg(f.rd, ctx.b.i64(ctx.pc + f.immhi * 4 + f.immlo));
  return true;
};

const adrp: A64Handler = (ctx, f) => {
  const page = Math.floor(ctx.pc / 4096) * 4096;
  ctx.setReg(f.rd, ctx.b.i64(page + (f.immhi * 4 + f.immlo) * 4096));
  return true;
};

const addSubImm: A64Handler = (ctx, f) => {
  const a = ctx.regsp(f.sf, f.rn);
  const result = addSub(ctx, f.op, f.s, a, ctx.b.imm(a, f.imm * (f.sh ? 4096 : 1)));
  if (f.s) ctx.setReg(f.rd, result);
  else ctx.setRegSP(f.rd, result);
  return true;
};

const logicalImm: A64Handler = (ctx, f) => {
  const value = logicalImmediate(f.n, f.immr, f.imms, f.sf ? 64 : 32);
  if (value === undefined) return false;
  const a = ctx.reg(f.sf, f.rn);
  const result = logical(ctx, f.opc, a, ctx.b.imm(a, value));
  // ANDS writes XZR for register 31; the others write SP.
  if (f.opc === 3) ctx.setReg(f.rd, result);
  else ctx.setRegSP(f.rd, result);
  return true;
};

const moveWide: A64Handler = (ctx, f) => {
  if (f.opc === 1 || (!f.sf && f.hw >= 2)) return false;
  const b = ctx.b;
  const width = f.sf ? 64 : 32;
  const shift = BigInt(f.hw * 16);
  const field = BigInt(f.imm) << shift;
  const like = ctx.reg(f.sf, 31);
  let result: Temp;
  if (f.opc === 0) result = b.imm(like, ~field & ones(width));
  else if (f.opc === 2) result = b.imm(like, field);
  else result = b.or(b.and(ctx.reg(f.sf, f.rd), b.imm(like, ~(0xffffn << shift) & ones(width))), b.imm(like, field));
  ctx.setReg(f.rd, result);
  return true;
};

/**
 * SBFM (opc 0), BFM (1), UBFM (2). With imms >= immr the field src<imms:immr> moves to bit 0
 * (SBFX/UBFX/BFXIL, ASR/LSR); otherwise src<imms:0> moves to bit datasize - immr
 * (SBFIZ/UBFIZ/BFI, LSL). SBFM sign-extends above the field, UBFM zeroes, BFM keeps Rd.
 */
const bitfield: A64Handler = (ctx, f) => {
  if (f.opc === 3 || f.n !== f.sf || (!f.sf && (f.immr | f.imms) & 0x20)) return false;
  const b = ctx.b;
  const size = f.sf ? 64 : 32;
  const extract = f.imms >= f.immr;
  const width = extract ? f.imms - f.immr + 1 : f.imms + 1;
  const srcLsb = extract ? f.immr : 0;
  const dstLsb = extract ? 0 : size - f.immr;
  const src = ctx.reg(f.sf, f.rn);
  const k = (n: number | bigint): Temp => b.imm(src, n);
  let result: Temp;
  if (f.opc === 0) {
    const up = size - srcLsb - width;
    const top = up ? b.shl(src, k(up)) : src;
    const field = width < size ? b.shrS(top, k(size - width)) : top;
    result = dstLsb ? b.shl(field, k(dstLsb)) : field;
  } else {
    const low = srcLsb ? b.shrU(src, k(srcLsb)) : src;
    // The shifts already clear the bits outside the field when it reaches the top or bottom.
    const field = width + srcLsb + dstLsb < size ? b.and(low, k(ones(width))) : low;
    const placed = dstLsb ? b.shl(field, k(dstLsb)) : field;
    result =
      f.opc === 2 ? placed : b.or(b.and(ctx.reg(f.sf, f.rd), k(~(ones(width) << BigInt(dstLsb)) & ones(size))), placed);
  }
  ctx.setReg(f.rd, result);
  return true;
};

/** EXTR: bits lsb.. of the concatenation Rn:Rm (ROR when Rn = Rm). */
const extr: A64Handler = (ctx, f) => {
  if (f.n !== f.sf || (!f.sf && f.imms >= 32)) return false;
  const b = ctx.b;
  const size = f.sf ? 64 : 32;
  const lo = ctx.reg(f.sf, f.rm);
  let result: Temp;
  if (f.imms === 0) result = lo;
  else if (f.rn === f.rm) result = b.binary('rotr', lo, b.imm(lo, f.imms));
  else {
    const hi = ctx.reg(f.sf, f.rn);
    result = b.or(b.shrU(lo, b.imm(lo, f.imms)), b.shl(hi, b.imm(lo, size - f.imms)));
  }
  ctx.setReg(f.rd, result);
  return true;
};

export const DATA_IMM_ROWS = [
  ['0 immlo:2 10000 immhi:s19 rd:5', 'ADR', adr],
  ['1 immlo:2 10000 immhi:s19 rd:5', 'ADRP', adrp],
  ['sf:1 op:1 s:1 100010 sh:1 imm:12 rn:5 rd:5', 'ADD/SUB (immediate)', addSubImm],
  ['sf:1 opc:2 100100 n:1 immr:6 imms:6 rn:5 rd:5', 'logical (immediate)', logicalImm],
  ['sf:1 opc:2 100101 hw:2 imm:16 rd:5', 'move wide', moveWide],
  ['sf:1 opc:2 100110 n:1 immr:6 imms:6 rn:5 rd:5', 'bitfield', bitfield],
  ['sf:1 00 100111 n:1 0 rm:5 imms:6 rn:5 rd:5', 'EXTR', extr],
] as const;
