/**
 * Advanced SIMD (NEON) rows of A32 and T32. The data-processing instructions (A32 1111 001U, T32
 * 111U 1111, the same low 24 bits) with an exact WebAssembly SIMD form are inline vector IR
 * (neon-simd.ts); the others are one helper call each with the A32 form of the encoding
 * (neon-exec.ts runs it on the D registers). The element and structure loads and stores (A32
 * 1111 0100, T32 1111 1001) are IR loads and stores, so faults happen at the guest instruction.
 * VDUP and VMOV between core registers and 8/16/32-bit scalars are in the VFP rows (vfp.ts).
 */
import type { Temp } from '../../ir/block';
import { defineHelper, type HelperContext } from '../../ir/helpers';
import type { ArmContext, ArmHandler } from '../context';
import { getD, setD } from './fp-registers';
import { decodeNeon, type NeonExec } from './neon-exec';
import { inlineSaturating } from './neon-saturate';
import { inlineNeon } from './neon-simd';

type Row = readonly [string, string, ArmHandler];

const decoded = new Map<number, NeonExec | undefined>();

function decodeOnce(insn: number): NeonExec | undefined {
  if (!decoded.has(insn)) decoded.set(insn, decodeNeon(insn));
  return decoded.get(insn);
}

/** Runs one data-processing instruction given its A32 encoding. */
const NEON_DATA = defineHelper({
  name: 'arm_neon',
  params: ['i32'],
  result: null,
  impl: (h: HelperContext, insn) => decodeOnce(Number(insn) >>> 0)!({ view: h.view, base: h.stateBase }),
});

/** A32 form of a T32 NEON data-processing encoding: 111U 1111 becomes 1111 001U. */
const a32DataForm = (insn: number, thumb: boolean): number =>
  thumb ? (0xf2000000 | (((insn >>> 28) & 1) << 24) | (insn & 0x00ffffff)) >>> 0 : insn >>> 0;

const dataProcessing: ArmHandler = (ctx) => {
  const insn = a32DataForm(ctx.insn, ctx.thumb);
  if (!decodeOnce(insn)) return ctx.undefined();
  if (inlineNeon(ctx, insn) || inlineSaturating(ctx, insn)) return true;
  ctx.b.call(NEON_DATA, [ctx.b.i32(insn | 0)]);
  return true;
};

/** One element of a transfer: lane `lane` of D register `reg`. */
interface Element {
  reg: number;
  lane: number;
}

/** The element order of a multiple-structure transfer (VLDn/VSTn multiple): type field -> (regs, interleave, spacing). */
const MULTIPLE: Readonly<Record<number, readonly [number, number, number]>> = {
  0b0111: [1, 1, 1],
  0b1010: [2, 1, 1],
  0b0110: [3, 1, 1],
  0b0010: [4, 1, 1],
  0b1000: [1, 2, 1],
  0b1001: [1, 2, 2],
  0b0011: [2, 2, 2],
  0b0100: [1, 3, 1],
  0b0101: [1, 3, 2],
  0b0000: [1, 4, 1],
  0b0001: [1, 4, 2],
};

/**
 * The index_align values (bits 5:4) that make a multiple-structures form UNDEFINED, by type
 * (ARM ARM A8.8.320 ff.: VLD1/VST1 of one or three registers and VLD3/VST3 with align<1> set,
 * VLD1/VST1 of two registers and VLD2/VST2 of one pair with align 11).
 */
const UNDEFINED_ALIGN: Record<number, readonly number[]> = {
  0b0111: [2, 3],
  0b0110: [2, 3],
  0b0100: [2, 3],
  0b0101: [2, 3],
  0b1010: [3],
  0b1000: [3],
  0b1001: [3],
};

/** Elements of VLDn/VSTn (multiple structures) in memory order: VLD1 fills its registers one after another, VLDn (n > 1) interleaves n registers `spacing` apart. */
function multipleElements(d: number, type: number, esize: number): Element[] | undefined {
  const form = MULTIPLE[type];
  if (!form) return undefined;
  const [regs, n, spacing] = form;
  if (n > 1 && esize === 64) return undefined;
  const out: Element[] = [];
  for (let r = 0; r < regs; r++) {
    for (let lane = 0; lane < 64 / esize; lane++) {
      for (let k = 0; k < n; k++) out.push({ reg: d + r + k * spacing, lane });
    }
  }
  return out;
}

/** Lane insert: `value` (i64, zero-extended element) into lane `lane` of `ebytes` of `word`. */
function insertLane(ctx: ArmContext, word: Temp, value: Temp, lane: number, ebytes: number): Temp {
  const b = ctx.b;
  if (ebytes === 8) return value;
  const shift = BigInt(lane * ebytes * 8);
  const keep = ~(((1n << BigInt(ebytes * 8)) - 1n) << shift) & 0xffffffffffffffffn;
  return b.or(b.and(word, b.i64(keep)), b.shl(value, b.i64(shift)));
}

function extractLane(ctx: ArmContext, word: Temp, lane: number, ebytes: number): Temp {
  return ebytes === 8 ? word : ctx.b.shrU(word, ctx.b.i64(BigInt(lane * ebytes * 8)));
}

/**
 * Transfers `elements` in order from address Rn, each `ebytes`; `replicate` (all-lanes loads) puts
 * each loaded element in every lane of its register. Returns the bytes transferred.
 */
function transfer(ctx: ArmContext, rn: number, elements: readonly Element[], ebytes: number, load: boolean, replicate: boolean): number {
  const b = ctx.b;
  const base = ctx.r(rn);
  const words = new Map<number, Temp>();
  const word = (reg: number): Temp => words.get(reg) ?? getD(ctx, reg);
  elements.forEach((el, i) => {
    const at = ctx.addr(b.add(base, b.i32(i * ebytes)));
    if (!load) {
      b.store(at, ebytes === 8 ? word(el.reg) : b.wrap(extractLane(ctx, word(el.reg), el.lane, ebytes)), ebytes as 1 | 2 | 4 | 8);
      return;
    }
    const value = b.load('i64', at, ebytes as 1 | 2 | 4 | 8);
    if (replicate) {
      let all = value;
      for (let lane = 1; lane < 8 / ebytes; lane++) all = b.or(all, b.shl(value, b.i64(BigInt(lane * ebytes * 8))));
      words.set(el.reg, all);
    } else {
      words.set(el.reg, insertLane(ctx, word(el.reg), value, el.lane, ebytes));
    }
  });
  // Registers are written after every load succeeded, so a fault leaves them unchanged.
  for (const [reg, value] of words) setD(ctx, reg, value);
  return elements.length * ebytes;
}

/** VLDn/VSTn: multiple structures, single lane, or all lanes (ARM ARM A7.7). */
const loadStore: ArmHandler = (ctx, f) => {
  const d = (f.d! << 4) | f.vd!;
  const load = f.l === 1;
  let elements: Element[] | undefined;
  let ebytes: number;
  let replicate = false;
  if (!f.a) {
    if (UNDEFINED_ALIGN[f.type!]?.includes(f.bits! & 3)) return ctx.undefined();
    // VLD1/VST1 (no interleave) move whole registers: one 8-byte access each, whatever the
    // element size (the guest is little-endian, so the lanes are in memory order).
    const whole = MULTIPLE[f.type!]?.[1] === 1;
    ebytes = whole ? 8 : 1 << ((f.bits! >> 2) & 3);
    elements = multipleElements(d, f.type!, ebytes * 8);
  } else if (f.type! >> 2 === 3) {
    // All lanes: size in bits 7:6, T (bit 5) is the register count (VLD1) or spacing (VLDn).
    if (!load) return ctx.undefined();
    const size = (f.bits! >> 2) & 3;
    if (size === 3) return ctx.undefined();
    ebytes = 1 << size;
    const n = (f.type! & 3) + 1;
    const t = (f.bits! >> 1) & 1;
    replicate = true;
    if (n === 1) {
      // VLD1 loads one element into one register, or (T set) into two.
      const bytes = transfer(ctx, f.rn!, [{ reg: d, lane: 0 }], ebytes, true, true);
      if (t) setD(ctx, d + 1, getD(ctx, d));
      return writeBack(ctx, f, bytes);
    }
    elements = Array.from({ length: n }, (_, k) => ({ reg: d + k * (t + 1), lane: 0 }));
  } else {
    // Single lane: size in bits 11:10, index and spacing in index_align (bits 7:4).
    const size = f.type! >> 2;
    ebytes = 1 << size;
    const n = (f.type! & 3) + 1;
    const lane = f.bits! >> (size + 1);
    const inc = size === 0 ? 1 : (f.bits! >> size) & 1 ? 2 : 1;
    elements = Array.from({ length: n }, (_, k) => ({ reg: d + k * (n === 1 ? 1 : inc), lane }));
  }
  if (!elements || elements.some((el) => el.reg > 31) || f.rn === 15) return ctx.undefined();
  return writeBack(ctx, f, transfer(ctx, f.rn!, elements, ebytes, load, replicate));
};

/** Rm = 15: no writeback; 13: Rn += bytes transferred; else Rn += Rm. */
function writeBack(ctx: ArmContext, f: Record<string, number>, bytes: number): true {
  const b = ctx.b;
  if (f.rm !== 15) ctx.setR(f.rn!, b.add(ctx.r(f.rn!), f.rm === 13 ? b.i32(bytes) : ctx.r(f.rm!)));
  return true;
}

export const NEON_A32_ROWS: readonly Row[] = [
  ['1111 001 . .... .... .... .... .... ....', 'Advanced SIMD data-processing', dataProcessing],
  ['1111 0100 a:1 d:1 l:1 0 rn:4 vd:4 type:4 bits:4 rm:4', 'VLDn/VSTn', loadStore],
];

export const NEON_T32_ROWS: readonly Row[] = [
  ['111 . 1111 .... .... .... .... .... ....', 'Advanced SIMD data-processing', dataProcessing],
  ['1111 1001 a:1 d:1 l:1 0 rn:4 vd:4 type:4 bits:4 rm:4', 'VLDn/VSTn', loadStore],
];
