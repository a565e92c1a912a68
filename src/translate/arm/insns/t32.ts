/**
 * The 32-bit Thumb-2 (T32) decode rows, in priority order (ARM ARM A6.3 "32-bit Thumb instruction
 * encoding"). The instruction word holds the first halfword in bits 31:16. Coprocessor (VFP,
 * CP15) rows are shared with A32 (their low 28 bits are the same) and appended by the table.
 */
import type { ArmContext, ArmHandler } from '../context';
import { expandImmT32, immOperand, shiftImm, shiftReg, type Shifted } from '../shift';
import { T32_DP_OPS, dataProcessing, type DpOp } from './data-processing';
import {
  bitfieldExtract, bitfieldInsert, countLeadingZeros, divide, extend, move16, multiply, multiplyAccumulateAccumulate,
  multiplyHalves, multiplyHalvesLong, multiplyLong, multiplyWordHalf, reverse, saturate, select8, type Reversal,
} from './integer';
import { clearExclusive, loadExclusive, loadStore, loadStoreDual, loadStoreMultiple, OFFSET, storeExclusive } from './memory';
import { noOperation, readApsr, writeApsr } from './system';

type Row = readonly [string, string, ArmHandler];

/** T32 data processing: the compare and move aliases are the Rd = 15 / Rn = 15 forms of the logical and add ops. */
function t32DataProcessing(ctx: ArmContext, opIndex: number, s: number, rn: number, rd: number, operand: Shifted): boolean {
  let op: DpOp | undefined = T32_DP_OPS[opIndex];
  if (!op) return false;
  if (rd === 15 && s) {
    const compare: Partial<Record<DpOp, DpOp>> = { and: 'tst', eor: 'teq', add: 'cmn', sub: 'cmp' };
    op = compare[op] ?? op;
  }
  if (rn === 15 && (op === 'orr' || op === 'orn')) op = op === 'orr' ? 'mov' : 'mvn';
  dataProcessing(ctx, op, s === 1, rd, rn, operand);
  return true;
}

const dpModifiedImm: ArmHandler = (ctx, f) => {
  const imm = expandImmT32(f.imm!);
  if (!imm) return ctx.undefined();
  return t32DataProcessing(ctx, f.op!, f.s!, f.rn!, f.rd!, immOperand(ctx, imm));
};
const dpShiftedReg: ArmHandler = (ctx, f) =>
  t32DataProcessing(ctx, f.op!, f.s!, f.rn!, f.rd!, shiftImm(ctx, ctx.r(f.rm!), f.type!, f.imm!));

/** ADDW/SUBW, and ADR when Rn is the pc (Align(PC, 4) +/- imm12). */
const addSubWide =
  (sub: boolean): ArmHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const base = f.rn === 15 ? b.i32(ctx.pcRead & ~3) : ctx.r(f.rn!);
    ctx.setR(f.rd!, sub ? b.sub(base, b.i32(f.imm!)) : b.add(base, b.i32(f.imm!)));
    return true;
  };

/** SignExtend(S:I1:I2:imm10:low, 25) with I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S); `low` holds bits 11:0. */
function branchOffset(f: Record<string, number>, low: number): number {
  const s = f.s!;
  const i1 = 1 - (f.j1! ^ s);
  const i2 = 1 - (f.j2! ^ s);
  const value = (s << 24) | (i1 << 23) | (i2 << 22) | (f.imm10! << 12) | low;
  return (value << 7) >> 7;
}

const branchWide: ArmHandler = (ctx, f) => {
  ctx.jump(((ctx.pcRead + branchOffset(f, f.imm11! << 1)) | 1) >>> 0);
  return true;
};
const branchLink: ArmHandler = (ctx, f) => {
  ctx.setR(14, ctx.b.i32(ctx.nextPc));
  ctx.jump(((ctx.pcRead + branchOffset(f, f.imm11! << 1)) | 1) >>> 0);
  return true;
};
const branchLinkExchange: ArmHandler = (ctx, f) => {
  ctx.setR(14, ctx.b.i32(ctx.nextPc));
  ctx.jump(((ctx.pcRead & ~3) + branchOffset(f, f.imm10l! << 2)) >>> 0);
  return true;
};
/** B<cond> T3: UNDEFINED inside an IT block, as T1 (t16.ts). */
const branchCond: ArmHandler = (ctx, f) => {
  if (f.cond! >= 14) return false;
  if (ctx.inIT) return ctx.undefined();
  const value = (f.s! << 20) | (f.j2! << 19) | (f.j1! << 18) | (f.imm6! << 12) | (f.imm11! << 1);
  const offset = (value << 11) >> 11; // SignExtend(S:J2:J1:imm6:imm11:'0', 21)
  ctx.jumpIfCond(f.cond!, ((ctx.pcRead + offset) | 1) >>> 0);
  return true;
};

const tableBranch: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  const index = f.h ? b.shl(ctx.r(f.rm!), b.i32(1)) : ctx.r(f.rm!);
  const entry = b.load('i32', ctx.addr(b.add(ctx.r(f.rn!), index)), f.h ? 2 : 1);
  ctx.jumpTo(b.add(b.i32(ctx.pcRead), b.shl(entry, b.i32(1))), 'branch');
  return true;
};

const ix = (f: Record<string, number>): { index: boolean; add: boolean; wback: boolean } => ({
  index: f.p === 1,
  add: f.u === 1,
  wback: f.w === 1,
});

const dual: ArmHandler = (ctx, f) => {
  if (!f.p && !f.w) return false;
  loadStoreDual(ctx, f.l === 1, f.rt!, f.rt2!, f.rn!, ctx.b.i32(f.imm! * 4), ix(f));
  return true;
};

const EXCLUSIVE_SIZES = [1, 2, 0, 8] as const;
const exclusiveNarrow: ArmHandler = (ctx, f) => {
  const size = EXCLUSIVE_SIZES[f.sz!]!;
  if (size === 0) return ctx.undefined();
  const second = size === 8 ? f.rt2 : undefined;
  if (f.l) loadExclusive(ctx, size, f.rt!, ctx.r(f.rn!), second);
  else storeExclusive(ctx, size, f.rd!, f.rt!, ctx.r(f.rn!), second);
  return true;
};

/**
 * Single loads and stores. `sz` 0 byte, 1 halfword, 2 word; `sg` sign-extends (loads only).
 * A byte or halfword load into the pc is a preload hint.
 */
function single(ctx: ArmContext, f: Record<string, number>, offset: () => ReturnType<ArmContext['r']>, indexing: ReturnType<typeof ix>): boolean {
  if (f.sz === 3 || (f.sg && !f.l)) return ctx.undefined();
  if (f.l && f.rt === 15 && f.sz !== 2) return noOperation();
  const size = ([1, 2, 4] as const)[f.sz!]!;
  loadStore(ctx, f.l === 1, { size, signed: f.sg === 1 }, f.rt!, f.rn!, offset(), indexing);
  return true;
}

const REVERSALS: readonly Reversal[] = ['rev', 'rev16', 'rbit', 'revsh'];
/** Extend family by op (bits 22:20): 000 SXTH, 001 UXTH, 100 SXTB, 101 UXTB; the 16-bit-pair forms are in dsp.ts. */
const extendRow: ArmHandler = (ctx, f) => {
  if (f.op! & 2 || f.op! > 5) return ctx.undefined();
  extend(ctx, (f.op! & 1) === 0, f.op! & 4 ? 1 : 2, f.rd!, f.rn!, f.rm!, f.rot!);
  return true;
};

const multiplyLongRow: ArmHandler = (ctx, f) => {
  const key = (f.op! << 4) | f.op2!;
  switch (key) {
    case 0x00:
    case 0x20:
    case 0x40:
    case 0x60:
      multiplyLong(ctx, (f.op! & 2) === 0, (f.op! & 4) !== 0, f.rdlo!, f.rdhi!, f.rn!, f.rm!, false);
      return true;
    case 0x1f:
    case 0x3f:
      divide(ctx, f.op === 1, f.rdhi!, f.rn!, f.rm!);
      return true;
    case 0x66:
      multiplyAccumulateAccumulate(ctx, f.rdlo!, f.rdhi!, f.rn!, f.rm!);
      return true;
    default:
      return ctx.undefined();
  }
};

export const T32_ROWS: readonly Row[] = [
  // Branches and miscellaneous control.
  ['1111 0011 1011 1111 1000 1111 0010 1111', 'CLREX', (ctx) => (clearExclusive(ctx), true)],
  ['1111 0011 1011 1111 1000 1111 01 .. ....', 'DSB/DMB/ISB', noOperation],
  ['1111 0011 1010 1111 1000 0000 .... ....', 'NOP and hints', noOperation],
  ['1111 0011 1110 1111 1000 rd:4 0000 0000', 'MRS', (ctx, f) => (readApsr(ctx, f.rd!), true)],
  ['1111 0011 1000 rn:4 1000 mask:2 00 0000 0000', 'MSR', (ctx, f) => (writeApsr(ctx, f.mask!, ctx.r(f.rn!)), true)],
  ['1111 0111 1111 .... 1010 .... .... ....', 'UDF', (ctx) => ctx.undefined()],
  ['11110 s:1 cond:4 imm6:6 10 j1:1 0 j2:1 imm11:11', 'B (conditional)', branchCond],
  ['11110 s:1 imm10:10 10 j1:1 1 j2:1 imm11:11', 'B', branchWide],
  ['11110 s:1 imm10:10 11 j1:1 1 j2:1 imm11:11', 'BL', branchLink],
  ['11110 s:1 imm10:10 11 j1:1 0 j2:1 imm10l:10 0', 'BLX (immediate)', branchLinkExchange],
  // Data processing, immediate.
  ['11110 imm:1 0 op:4 s:1 rn:4 0 imm:3 rd:4 imm:8', 'data-processing (modified immediate)', dpModifiedImm],
  ['11110 imm:1 1 00000 rn:4 0 imm:3 rd:4 imm:8', 'ADDW/ADR', addSubWide(false)],
  ['11110 imm:1 1 01010 rn:4 0 imm:3 rd:4 imm:8', 'SUBW/ADR', addSubWide(true)],
  ['11110 i:1 10 t:1 100 imm4:4 0 imm3:3 rd:4 imm8:8', 'MOVW/MOVT', (ctx, f) => {
    move16(ctx, f.t === 1, f.rd!, (f.imm4! << 12) | (f.i! << 11) | (f.imm3! << 8) | f.imm8!);
    return true;
  }],
  ['11110 0 11 u:1 0 sh:1 0 rn:4 0 imm:3 rd:4 imm:2 0 sat:5', 'SSAT/USAT', (ctx, f) => {
    saturate(ctx, f.u === 1, f.u ? f.sat! : f.sat! + 1, f.rd!, f.rn!, f.sh === 1, f.imm!);
    return true;
  }],
  ['11110 0 11 u:1 10 0 rn:4 0 imm:3 rd:4 imm:2 0 wm1:5', 'SBFX/UBFX', (ctx, f) => bitfieldExtract(ctx, f.u === 0, f.rd!, f.rn!, f.imm!, f.wm1! + 1)],
  ['11110 0 11 011 0 rn:4 0 imm:3 rd:4 imm:2 0 msb:5', 'BFI/BFC', (ctx, f) => bitfieldInsert(ctx, f.rd!, f.rn!, f.imm!, f.msb!)],
  // Loads and stores.
  ['1110 1000 1101 rn:4 1111 0000 000 h:1 rm:4', 'TBB/TBH', tableBranch],
  ['1110 1000 0101 rn:4 rt:4 1111 imm:8', 'LDREX', (ctx, f) => {
    loadExclusive(ctx, 4, f.rt!, ctx.b.add(ctx.r(f.rn!), ctx.b.i32(f.imm! * 4)));
    return true;
  }],
  ['1110 1000 0100 rn:4 rt:4 rd:4 imm:8', 'STREX', (ctx, f) => {
    storeExclusive(ctx, 4, f.rd!, f.rt!, ctx.b.add(ctx.r(f.rn!), ctx.b.i32(f.imm! * 4)));
    return true;
  }],
  ['1110 1000 110 l:1 rn:4 rt:4 rt2:4 01 sz:2 rd:4', 'LDREX/STREX B/H/D', exclusiveNarrow],
  ['1110 100 p:1 u:1 1 w:1 l:1 rn:4 rt:4 rt2:4 imm:8', 'LDRD/STRD', dual],
  ['1110 100 op:2 0 w:1 l:1 rn:4 list:16', 'LDM/STM', (ctx, f) => {
    if (f.op === 0 || f.op === 3) return ctx.undefined();
    loadStoreMultiple(ctx, f.l === 1, f.rn!, f.list!, f.op === 1, f.op === 2, f.w === 1);
    return true;
  }],
  ['1111 100 sg:1 u:1 sz:2 l:1 1111 rt:4 imm:12', 'LDR (literal)', (ctx, f) =>
    single(ctx, { ...f, rn: 15 }, () => ctx.b.i32(f.imm!), { index: true, add: f.u === 1, wback: false })],
  ['1111 100 sg:1 1 sz:2 l:1 rn:4 rt:4 imm:12', 'LDR/STR (imm12)', (ctx, f) => single(ctx, f, () => ctx.b.i32(f.imm!), OFFSET)],
  ['1111 100 sg:1 0 sz:2 l:1 rn:4 rt:4 1 p:1 u:1 w:1 imm:8', 'LDR/STR (imm8)', (ctx, f) => {
    if (!f.p && !f.w) return ctx.undefined();
    return single(ctx, f, () => ctx.b.i32(f.imm!), ix(f));
  }],
  ['1111 100 sg:1 0 sz:2 l:1 rn:4 rt:4 000000 sh:2 rm:4', 'LDR/STR (register)', (ctx, f) =>
    single(ctx, f, () => ctx.b.shl(ctx.r(f.rm!), ctx.b.i32(f.sh!)), OFFSET)],
  // Data processing, register.
  ['11101 01 op:4 s:1 rn:4 0 imm:3 rd:4 imm:2 type:2 rm:4', 'data-processing (shifted register)', dpShiftedReg],
  ['1111 1010 0 type:2 s:1 rn:4 1111 rd:4 0000 rm:4', 'LSL/LSR/ASR/ROR (register)', (ctx, f) => {
    dataProcessing(ctx, 'mov', f.s === 1, f.rd!, 0, shiftReg(ctx, ctx.r(f.rn!), f.type!, ctx.r(f.rm!)));
    return true;
  }],
  ['1111 1010 0 op:3 rn:4 1111 rd:4 10 rot:2 rm:4', 'SXTH/UXTH/SXTB/UXTB (+A)', extendRow],
  ['1111 1010 1001 rm:4 1111 rd:4 10 op2:2 rm2:4', 'REV/REV16/RBIT/REVSH', (ctx, f) => (reverse(ctx, REVERSALS[f.op2!]!, f.rd!, f.rm!), true)],
  ['1111 1010 1010 rn:4 1111 rd:4 1000 rm:4', 'SEL', (ctx, f) => (select8(ctx, f.rd!, f.rn!, f.rm!), true)],
  ['1111 1010 1011 rm:4 1111 rd:4 1000 rm2:4', 'CLZ', (ctx, f) => (countLeadingZeros(ctx, f.rd!, f.rm!), true)],
  ['1111 1011 0000 rn:4 ra:4 rd:4 000 sub:1 rm:4', 'MUL/MLA/MLS', (ctx, f) => {
    multiply(ctx, f.rd!, f.rn!, f.rm!, f.ra === 15 && !f.sub ? undefined : f.ra, f.sub === 1, false);
    return true;
  }],
  ['1111 1011 0001 rn:4 ra:4 rd:4 00 n:1 m:1 rm:4', 'SMUL<x><y>/SMLA<x><y>', (ctx, f) => {
    multiplyHalves(ctx, f.rd!, f.rn!, f.rm!, f.n!, f.m!, f.ra === 15 ? undefined : f.ra);
    return true;
  }],
  ['1111 1011 0011 rn:4 ra:4 rd:4 000 m:1 rm:4', 'SMULW<y>/SMLAW<y>', (ctx, f) => {
    multiplyWordHalf(ctx, f.rd!, f.rn!, f.rm!, f.m!, f.ra === 15 ? undefined : f.ra);
    return true;
  }],
  ['1111 1011 1100 rn:4 rdlo:4 rdhi:4 10 n:1 m:1 rm:4', 'SMLAL<x><y>', (ctx, f) => {
    multiplyHalvesLong(ctx, f.rdlo!, f.rdhi!, f.rn!, f.rm!, f.n!, f.m!);
    return true;
  }],
  ['1111 1011 1 op:3 rn:4 rdlo:4 rdhi:4 op2:4 rm:4', 'long multiply and divide', multiplyLongRow],
];
