/**
 * The 16-bit Thumb (T16) decode rows, in priority order (ARM ARM A6.2 "16-bit Thumb instruction
 * encoding"). Flag-setting forms set flags only outside IT blocks (ctx.inIT).
 */
import type { ArmContext, ArmHandler } from '../context';
import { shiftImm, shiftReg } from '../shift';
import { dataProcessing, type DpOp } from './data-processing';
import { extend, multiply, reverse } from './integer';
import { loadStore, loadStoreMultiple, OFFSET, type AccessSize } from './memory';
import { breakpoint, noOperation, supervisorCall } from './system';

type Row = readonly [string, string, ArmHandler];

const setsFlags = (ctx: ArmContext): boolean => !ctx.inIT;

const shiftByImm: ArmHandler = (ctx, f) => {
  dataProcessing(ctx, 'mov', setsFlags(ctx), f.rd!, 0, shiftImm(ctx, ctx.r(f.rm!), f.op!, f.imm5!));
  return true;
};
const addSub3: ArmHandler = (ctx, f) => {
  const operand = f.i ? ctx.b.i32(f.m!) : ctx.r(f.m!);
  dataProcessing(ctx, f.sub ? 'sub' : 'add', setsFlags(ctx), f.rd!, f.rn!, { value: operand, carry: undefined });
  return true;
};
const IMM8_OPS: readonly DpOp[] = ['mov', 'cmp', 'add', 'sub'];
const imm8: ArmHandler = (ctx, f) => {
  const op = IMM8_OPS[f.op!]!;
  dataProcessing(ctx, op, op === 'cmp' || setsFlags(ctx), f.rdn!, f.rdn!, { value: ctx.b.i32(f.imm!), carry: undefined });
  return true;
};

/** The register-register data-processing group by op (bits 9:6). */
const dpReg: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  const s = setsFlags(ctx);
  const rdn = f.rdn!;
  const rm = ctx.r(f.rm!);
  const plain = { value: rm, carry: undefined };
  const shift = (type: number): true => {
    dataProcessing(ctx, 'mov', s, rdn, 0, shiftReg(ctx, ctx.r(rdn), type, rm));
    return true;
  };
  switch (f.op) {
    case 0b0010:
      return shift(0);
    case 0b0011:
      return shift(1);
    case 0b0100:
      return shift(2);
    case 0b0111:
      return shift(3);
    case 0b1001: // RSB Rd, Rn, #0
      dataProcessing(ctx, 'rsb', s, rdn, f.rm!, { value: b.i32(0), carry: undefined });
      return true;
    case 0b1101:
      multiply(ctx, rdn, f.rm!, rdn, undefined, false, s);
      return true;
  }
  const ops: Record<number, DpOp> = {
    0b0000: 'and', 0b0001: 'eor', 0b0101: 'adc', 0b0110: 'sbc', 0b1000: 'tst', 0b1010: 'cmp', 0b1011: 'cmn',
    0b1100: 'orr', 0b1110: 'bic', 0b1111: 'mvn',
  };
  const op = ops[f.op!]!;
  dataProcessing(ctx, op, s || op === 'tst' || op === 'cmp' || op === 'cmn', rdn, rdn, plain);
  return true;
};

/** ADD, CMP, MOV with high registers (D:Rdn is the 4-bit register). */
/** ADD/CMP/MOV with high registers; op 3 is BX/BLX, whose row wants bits 2..0 zero (else UNDEFINED, as QEMU). */
const special: ArmHandler = (ctx, f) => {
  if (f.op === 3) return false;
  const rd = (f.d! << 3) | f.rdn!;
  const operand = { value: ctx.r(f.rm!), carry: undefined };
  const op: DpOp = f.op === 0 ? 'add' : f.op === 1 ? 'cmp' : 'mov';
  dataProcessing(ctx, op, op === 'cmp', rd, rd, operand);
  return true;
};

const branchExchange: ArmHandler = (ctx, f) => {
  const target = ctx.r(f.rm!);
  if (f.l) ctx.setR(14, ctx.b.i32(ctx.nextPc));
  ctx.jumpTo(target, 'interwork');
  return true;
};

const REG_ACCESS: readonly (readonly [boolean, AccessSize])[] = [
  [false, { size: 4, signed: false }], // STR
  [false, { size: 2, signed: false }], // STRH
  [false, { size: 1, signed: false }], // STRB
  [true, { size: 1, signed: true }], // LDRSB
  [true, { size: 4, signed: false }], // LDR
  [true, { size: 2, signed: false }], // LDRH
  [true, { size: 1, signed: false }], // LDRB
  [true, { size: 2, signed: true }], // LDRSH
];
const ldstReg: ArmHandler = (ctx, f) => {
  const [load, acc] = REG_ACCESS[f.op!]!;
  loadStore(ctx, load, acc, f.rt!, f.rn!, ctx.r(f.rm!), OFFSET);
  return true;
};
const ldstImm =
  (size: 1 | 2 | 4): ArmHandler =>
  (ctx, f) => {
    loadStore(ctx, f.l === 1, { size, signed: false }, f.rt!, f.rn!, ctx.b.i32(f.imm5! * size), OFFSET);
    return true;
  };

const EXTENDS = [
  [true, 2],
  [true, 1],
  [false, 2],
  [false, 1],
] as const;

/** B<cond> (T1; T3 in t32.ts): inside an IT block it is UNPREDICTABLE, and QEMU makes it UNDEFINED. */
const condBranch: ArmHandler = (ctx, f) => {
  if (f.cond! >= 14) return false;
  if (ctx.inIT) return ctx.undefined();
  ctx.jumpIfCond(f.cond!, (ctx.pcRead + f.imm! * 2) | 1);
  return true;
};

const compareBranch: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  const isZero = b.compare('eq', ctx.r(f.rn!), b.i32(0));
  const target = (ctx.pcRead + ((f.i! << 6) | (f.imm5! << 1))) | 1;
  ctx.jumpIfTrue(f.nz ? b.xor(isZero, b.i32(1)) : isZero, target);
  return true;
};

export const T16_ROWS: readonly Row[] = [
  ['000 11 i:1 sub:1 m:3 rn:3 rd:3', 'ADD/SUB (3-bit)', addSub3],
  ['000 op:2 imm5:5 rm:3 rd:3', 'LSL/LSR/ASR (immediate)', shiftByImm],
  ['001 op:2 rdn:3 imm:8', 'MOV/CMP/ADD/SUB (8-bit immediate)', imm8],
  ['010000 op:4 rm:3 rdn:3', 'data-processing (register)', dpReg],
  ['010001 11 l:1 rm:4 000', 'BX/BLX', branchExchange],
  ['010001 op:2 d:1 rm:4 rdn:3', 'ADD/CMP/MOV (high registers)', special],
  ['01001 rt:3 imm:8', 'LDR (literal)', (ctx, f) => (loadStore(ctx, true, { size: 4, signed: false }, f.rt!, 15, ctx.b.i32(f.imm! * 4), OFFSET), true)],
  ['0101 op:3 rm:3 rn:3 rt:3', 'load/store (register)', ldstReg],
  ['011 0 l:1 imm5:5 rn:3 rt:3', 'LDR/STR (immediate)', ldstImm(4)],
  ['011 1 l:1 imm5:5 rn:3 rt:3', 'LDRB/STRB (immediate)', ldstImm(1)],
  ['1000 l:1 imm5:5 rn:3 rt:3', 'LDRH/STRH (immediate)', ldstImm(2)],
  ['1001 l:1 rt:3 imm:8', 'LDR/STR (SP-relative)', (ctx, f) => (loadStore(ctx, f.l === 1, { size: 4, signed: false }, f.rt!, 13, ctx.b.i32(f.imm! * 4), OFFSET), true)],
  ['1010 0 rd:3 imm:8', 'ADR', (ctx, f) => (ctx.setR(f.rd!, ctx.b.i32(((ctx.pcRead & ~3) + f.imm! * 4) | 0)), true)],
  ['1010 1 rd:3 imm:8', 'ADD (SP plus immediate)', (ctx, f) => (ctx.setR(f.rd!, ctx.b.add(ctx.r(13), ctx.b.i32(f.imm! * 4))), true)],
  ['1011 0000 sub:1 imm:7', 'ADD/SUB (SP, immediate)', (ctx, f) => {
    const b = ctx.b;
    ctx.setR(13, b.binary(f.sub ? 'sub' : 'add', ctx.r(13), b.i32(f.imm! * 4)));
    return true;
  }],
  ['1011 nz:1 0 i:1 1 imm5:5 rn:3', 'CBZ/CBNZ', compareBranch],
  ['1011 0010 op:2 rm:3 rd:3', 'SXTH/SXTB/UXTH/UXTB', (ctx, f) => {
    const [signed, size] = EXTENDS[f.op!]!;
    extend(ctx, signed, size, f.rd!, 15, f.rm!, 0);
    return true;
  }],
  ['1011 1010 00 rm:3 rd:3', 'REV', (ctx, f) => (reverse(ctx, 'rev', f.rd!, f.rm!), true)],
  ['1011 1010 01 rm:3 rd:3', 'REV16', (ctx, f) => (reverse(ctx, 'rev16', f.rd!, f.rm!), true)],
  ['1011 1010 11 rm:3 rd:3', 'REVSH', (ctx, f) => (reverse(ctx, 'revsh', f.rd!, f.rm!), true)],
  ['1011 010 m:1 list:8', 'PUSH', (ctx, f) => (loadStoreMultiple(ctx, false, 13, f.list! | (f.m! << 14), false, true, true), true)],
  ['1011 110 p:1 list:8', 'POP', (ctx, f) => (loadStoreMultiple(ctx, true, 13, f.list! | (f.p! << 15), true, false, true), true)],
  ['1011 1110 imm:8', 'BKPT', (ctx, f) => breakpoint(ctx, f.imm!)],
  ['1011 1111 0000 0000', 'NOP', noOperation],
  ['1011 1111 hint:4 0000', 'hints (YIELD, WFE, WFI, SEV)', noOperation],
  ['1011 1111 cond:4 mask:4', 'IT', (ctx, f) => ctx.beginIT(f.cond!, f.mask!)],
  ['1100 l:1 rn:3 list:8', 'LDM/STM', (ctx, f) => {
    // LDM writes back unless Rn is in the list.
    const wback = !f.l || !(f.list! & (1 << f.rn!));
    loadStoreMultiple(ctx, f.l === 1, f.rn!, f.list!, true, false, wback);
    return true;
  }],
  ['1101 1110 imm:8', 'UDF', (ctx) => ctx.undefined()],
  ['1101 1111 imm:8', 'SVC', (ctx) => supervisorCall(ctx)],
  ['1101 cond:4 imm:s8', 'B (conditional)', condBranch],
  ['11100 imm:s11', 'B', (ctx, f) => (ctx.jump((ctx.pcRead + f.imm! * 2) | 1), true)],
];
