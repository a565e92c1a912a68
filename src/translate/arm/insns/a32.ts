/**
 * The A32 (ARM state) decode rows, in priority order (ARM ARM A5 "ARM instruction set encoding").
 * The condition field is left as `....`: the frontend evaluates it around the instruction, and
 * the cond = 1111 space has its own table (A32_UNCONDITIONAL_ROWS).
 */
import type { ArmHandler } from '../context';
import { expandImmA32, immOperand, shiftImm, shiftReg } from '../shift';
import { A32_DP_OPS, dataProcessing } from './data-processing';
import {
  bitfieldExtract, bitfieldInsert, countLeadingZeros, divide, extend, move16, multiply, multiplyAccumulateAccumulate,
  multiplyHalves, multiplyHalvesLong, multiplyLong, multiplyWordHalf, reverse, saturate, select8,
} from './integer';
import { clearExclusive, loadExclusive, loadStore, loadStoreDual, loadStoreMultiple, storeExclusive } from './memory';
import { breakpoint, noOperation, readApsr, supervisorCall, writeApsr } from './system';

type Row = readonly [string, string, ArmHandler];

/**
 * Whether a data-processing row declines the word: the compare/test opcodes (10xx) without S are
 * other instructions (misc space); with S their Rd, and MOV/MVN's Rn, are should-be-zero fields
 * (UNPREDICTABLE otherwise), which QEMU decodes as UNDEFINED, and so does this.
 */
function declines(f: Record<string, number>): boolean {
  const op = f.op!;
  if ((op & 0b1100) === 0b1000) return f.s === 0 || f.rd !== 0;
  return (op === 0b1101 || op === 0b1111) && f.rn !== 0;
}

const dpImm: ArmHandler = (ctx, f) => {
  if (declines(f)) return false;
  dataProcessing(ctx, A32_DP_OPS[f.op!]!, f.s === 1, f.rd!, f.rn!, immOperand(ctx, expandImmA32(f.imm!)));
  return true;
};
const dpRegImm: ArmHandler = (ctx, f) => {
  if (declines(f)) return false;
  dataProcessing(ctx, A32_DP_OPS[f.op!]!, f.s === 1, f.rd!, f.rn!, shiftImm(ctx, ctx.r(f.rm!), f.type!, f.imm5!));
  return true;
};
const dpRegReg: ArmHandler = (ctx, f) => {
  if (declines(f)) return false;
  dataProcessing(ctx, A32_DP_OPS[f.op!]!, f.s === 1, f.rd!, f.rn!, shiftReg(ctx, ctx.r(f.rm!), f.type!, ctx.r(f.rs!)));
  return true;
};

const ix = (f: Record<string, number>): { index: boolean; add: boolean; wback: boolean } => ({
  index: f.p === 1,
  add: f.u === 1,
  wback: f.w === 1,
});

const ldstImm: ArmHandler = (ctx, f) => {
  loadStore(ctx, f.l === 1, { size: f.b ? 1 : 4, signed: false }, f.rt!, f.rn!, ctx.b.i32(f.imm!), ix(f));
  return true;
};
const ldstReg: ArmHandler = (ctx, f) => {
  const offset = shiftImm(ctx, ctx.r(f.rm!), f.type!, f.imm5!).value;
  loadStore(ctx, f.l === 1, { size: f.b ? 1 : 4, signed: false }, f.rt!, f.rn!, offset, ix(f));
  return true;
};
/** STRH/LDRD/STRD/LDRH/LDRSB/LDRSH (op2 != 0); i selects imm4h:imm4l or Rm. */
const ldstExtra: ArmHandler = (ctx, f) => {
  if (f.op2 === 0) return false;
  if (!f.i && f.imm4h !== 0) return false;
  const offset = f.i ? ctx.b.i32((f.imm4h! << 4) | f.rm!) : ctx.r(f.rm!);
  if (!f.l && f.op2 !== 1) {
    // LDRD (op2 2) and STRD (op2 3) live in the store half of the space.
    if (f.rt! & 1) return ctx.undefined();
    loadStoreDual(ctx, f.op2 === 2, f.rt!, f.rt! + 1, f.rn!, offset, ix(f));
    return true;
  }
  const acc = !f.l ? { size: 2 as const, signed: false } : [{ size: 2 as const, signed: false }, { size: 1 as const, signed: true }, { size: 2 as const, signed: true }][f.op2! - 1]!;
  loadStore(ctx, f.l === 1, acc, f.rt!, f.rn!, offset, ix(f));
  return true;
};

const EXCLUSIVE_SIZES = [4, 8, 1, 2] as const;
const exclusive: ArmHandler = (ctx, f) => {
  const size = EXCLUSIVE_SIZES[f.sz!]!;
  const pair = size === 8 ? f.rt! + 1 : undefined;
  if (f.l) loadExclusive(ctx, size, f.rd!, ctx.r(f.rn!), size === 8 ? f.rd! + 1 : undefined);
  else storeExclusive(ctx, size, f.rd!, f.rt!, ctx.r(f.rn!), pair);
  return true;
};

/** Extend-and-add family by op (bits 22:20): 010 SXTB, 011 SXTH, 110 UXTB, 111 UXTH (the 16-bit-pair forms are in dsp.ts). */
const extendRow: ArmHandler = (ctx, f) => {
  if ((f.op! & 2) === 0) return ctx.undefined();
  extend(ctx, (f.op! & 4) === 0, f.op! & 1 ? 2 : 1, f.rd!, f.rn!, f.rm!, f.rot!);
  return true;
};

const branch: ArmHandler = (ctx, f) => {
  const target = (ctx.pcRead + f.imm! * 4) >>> 0;
  if (f.l) ctx.setR(14, ctx.b.i32(ctx.pc + 4));
  ctx.jump(target);
  return true;
};
const branchExchange =
  (link: boolean): ArmHandler =>
  (ctx, f) => {
    const target = ctx.r(f.rm!);
    if (link) ctx.setR(14, ctx.b.i32(ctx.pc + 4));
    ctx.jumpTo(target, 'interwork');
    return true;
  };

export const A32_ROWS: readonly Row[] = [
  ['.... 0000 00 a:1 s:1 rd:4 ra:4 rm:4 1001 rn:4', 'MUL/MLA', (ctx, f) => (multiply(ctx, f.rd!, f.rn!, f.rm!, f.a ? f.ra : undefined, false, f.s === 1), true)],
  ['.... 0000 0110 rd:4 ra:4 rm:4 1001 rn:4', 'MLS', (ctx, f) => (multiply(ctx, f.rd!, f.rn!, f.rm!, f.ra, true, false), true)],
  ['.... 0000 0100 rdhi:4 rdlo:4 rm:4 1001 rn:4', 'UMAAL', (ctx, f) => (multiplyAccumulateAccumulate(ctx, f.rdlo!, f.rdhi!, f.rn!, f.rm!), true)],
  ['.... 0000 1 sg:1 a:1 s:1 rdhi:4 rdlo:4 rm:4 1001 rn:4', 'UMULL/SMULL/UMLAL/SMLAL', (ctx, f) => (multiplyLong(ctx, f.sg === 1, f.a === 1, f.rdlo!, f.rdhi!, f.rn!, f.rm!, f.s === 1), true)],
  ['.... 0001 1 sz:2 l:1 rn:4 rd:4 1111 1001 rt:4', 'LDREX/STREX', exclusive],
  ['.... 0001 0000 rd:4 ra:4 rm:4 1 m:1 n:1 0 rn:4', 'SMLA<x><y>', (ctx, f) => (multiplyHalves(ctx, f.rd!, f.rn!, f.rm!, f.n!, f.m!, f.ra), true)],
  ['.... 0001 0010 rd:4 ra:4 rm:4 1 m:1 0 0 rn:4', 'SMLAW<y>', (ctx, f) => (multiplyWordHalf(ctx, f.rd!, f.rn!, f.rm!, f.m!, f.ra), true)],
  ['.... 0001 0010 rd:4 0000 rm:4 1 m:1 1 0 rn:4', 'SMULW<y>', (ctx, f) => (multiplyWordHalf(ctx, f.rd!, f.rn!, f.rm!, f.m!, undefined), true)],
  ['.... 0001 0100 rdhi:4 rdlo:4 rm:4 1 m:1 n:1 0 rn:4', 'SMLAL<x><y>', (ctx, f) => (multiplyHalvesLong(ctx, f.rdlo!, f.rdhi!, f.rn!, f.rm!, f.n!, f.m!), true)],
  ['.... 0001 0110 rd:4 0000 rm:4 1 m:1 n:1 0 rn:4', 'SMUL<x><y>', (ctx, f) => (multiplyHalves(ctx, f.rd!, f.rn!, f.rm!, f.n!, f.m!, undefined), true)],
  ['.... 000 p:1 u:1 i:1 w:1 l:1 rn:4 rt:4 imm4h:4 1 op2:2 1 rm:4', 'LDRH/STRH/LDRSB/LDRSH/LDRD/STRD', ldstExtra],
  ['.... 0001 0010 1111 1111 1111 0001 rm:4', 'BX', branchExchange(false)],
  ['.... 0001 0010 1111 1111 1111 0011 rm:4', 'BLX (register)', branchExchange(true)],
  ['.... 0001 0110 1111 rd:4 1111 0001 rm:4', 'CLZ', (ctx, f) => (countLeadingZeros(ctx, f.rd!, f.rm!), true)],
  ['.... 0001 0000 1111 rd:4 0000 0000 0000', 'MRS', (ctx, f) => (readApsr(ctx, f.rd!), true)],
  ['.... 0001 0010 mask:2 00 1111 0000 0000 rn:4', 'MSR (register)', (ctx, f) => (writeApsr(ctx, f.mask!, ctx.r(f.rn!)), true)],
  ['.... 0011 0010 mask:2 00 1111 imm:12', 'MSR (immediate)', (ctx, f) => {
    if (f.mask === 0) return noOperation(); // the hints: NOP, YIELD, WFE, WFI, SEV, DBG
    writeApsr(ctx, f.mask!, ctx.b.i32(expandImmA32(f.imm!).value));
    return true;
  }],
  ['.... 0001 0010 imm12:12 0111 imm4:4', 'BKPT', (ctx, f) => breakpoint(ctx, (f.imm12! << 4) | f.imm4!)],
  ['.... 0011 0 t:1 00 imm4:4 rd:4 imm12:12', 'MOVW/MOVT', (ctx, f) => (move16(ctx, f.t === 1, f.rd!, (f.imm4! << 12) | f.imm12!), true)],
  ['.... 001 op:4 s:1 rn:4 rd:4 imm:12', 'data-processing (immediate)', dpImm],
  ['.... 000 op:4 s:1 rn:4 rd:4 imm5:5 type:2 0 rm:4', 'data-processing (register)', dpRegImm],
  ['.... 000 op:4 s:1 rn:4 rd:4 rs:4 0 type:2 1 rm:4', 'data-processing (register-shifted register)', dpRegReg],
  ['1110 0111 1111 imm12:12 1111 imm4:4', 'UDF', (ctx) => ctx.undefined()],
  ['.... 0110 1000 rn:4 rd:4 1111 1011 rm:4', 'SEL', (ctx, f) => (select8(ctx, f.rd!, f.rn!, f.rm!), true)],
  ['.... 0110 1011 1111 rd:4 1111 0011 rm:4', 'REV', (ctx, f) => (reverse(ctx, 'rev', f.rd!, f.rm!), true)],
  ['.... 0110 1011 1111 rd:4 1111 1011 rm:4', 'REV16', (ctx, f) => (reverse(ctx, 'rev16', f.rd!, f.rm!), true)],
  ['.... 0110 1111 1111 rd:4 1111 0011 rm:4', 'RBIT', (ctx, f) => (reverse(ctx, 'rbit', f.rd!, f.rm!), true)],
  ['.... 0110 1111 1111 rd:4 1111 1011 rm:4', 'REVSH', (ctx, f) => (reverse(ctx, 'revsh', f.rd!, f.rm!), true)],
  ['.... 0110 1 op:3 rn:4 rd:4 rot:2 00 0111 rm:4', 'SXTB/SXTH/UXTB/UXTH (+A)', extendRow],
  ['.... 0110 1 u:1 1 sat:5 rd:4 imm5:5 sh:1 01 rn:4', 'SSAT/USAT', (ctx, f) => {
    saturate(ctx, f.u === 1, f.u ? f.sat! : f.sat! + 1, f.rd!, f.rn!, f.sh === 1, f.sh && f.imm5 === 0 ? 31 : f.imm5!);
    return true;
  }],
  ['.... 0111 0001 rd:4 1111 rm:4 0001 rn:4', 'SDIV', (ctx, f) => (divide(ctx, true, f.rd!, f.rn!, f.rm!), true)],
  ['.... 0111 0011 rd:4 1111 rm:4 0001 rn:4', 'UDIV', (ctx, f) => (divide(ctx, false, f.rd!, f.rn!, f.rm!), true)],
  ['.... 0111 110 msb:5 rd:4 lsb:5 001 rn:4', 'BFI/BFC', (ctx, f) => bitfieldInsert(ctx, f.rd!, f.rn!, f.lsb!, f.msb!)],
  ['.... 0111 1 u:1 1 wm1:5 rd:4 lsb:5 101 rn:4', 'SBFX/UBFX', (ctx, f) => bitfieldExtract(ctx, f.u === 0, f.rd!, f.rn!, f.lsb!, f.wm1! + 1)],
  ['.... 010 p:1 u:1 b:1 w:1 l:1 rn:4 rt:4 imm:12', 'LDR/STR (immediate)', ldstImm],
  ['.... 011 p:1 u:1 b:1 w:1 l:1 rn:4 rt:4 imm5:5 type:2 0 rm:4', 'LDR/STR (register)', ldstReg],
  ['.... 100 p:1 u:1 0 w:1 l:1 rn:4 list:16', 'LDM/STM', (ctx, f) => (loadStoreMultiple(ctx, f.l === 1, f.rn!, f.list!, f.u === 1, f.p === 1, f.w === 1), true)],
  ['.... 101 l:1 imm:s24', 'B/BL', branch],
  ['.... 1111 imm:24', 'SVC', (ctx) => supervisorCall(ctx)],
];

/** cond = 1111: BLX (immediate), barriers, CLREX, preloads. */
export const A32_UNCONDITIONAL_ROWS: readonly Row[] = [
  ['1111 101 h:1 imm:s24', 'BLX (immediate)', (ctx, f) => {
    ctx.setR(14, ctx.b.i32(ctx.pc + 4));
    ctx.jump(((ctx.pcRead + f.imm! * 4 + f.h! * 2) | 1) >>> 0);
    return true;
  }],
  ['1111 0101 0111 1111 1111 0000 0001 1111', 'CLREX', (ctx) => (clearExclusive(ctx), true)],
  ['1111 0101 0111 1111 1111 0000 01 .. ....', 'DSB/DMB/ISB', noOperation],
  ['1111 01 .. . 101 .... 1111 .... .... ....', 'PLD/PLI', noOperation],
  ['1111 0101 . 001 .... 1111 .... .... ....', 'PLDW', noOperation],
];
