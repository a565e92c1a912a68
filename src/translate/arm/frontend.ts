/**
 * The 32-bit ARM frontend: decodes A32 and T32 instructions from guest memory into IR blocks.
 *
 * The instruction set is part of the pc (bit 0 set: Thumb), so one translation is always of one
 * instruction set. Conditional execution, in A32 from each instruction's condition field and in
 * T32 from IT blocks, is a forward branch around the instruction's IR; an IT block is always
 * translated whole inside one block (the block does not end before the IT block does), so ITSTATE
 * never needs to live in CPU state.
 */
import { extractFields, type DecodeTable } from '../decode/pattern';
import { IRBuilder } from '../ir/builder';
import type { IRBlock } from '../ir/block';
import { TrapKind } from '../ir/ops';
import type { CodeSource, Frontend, TranslateOptions } from '../frontend';
import { ArmContext, type ArmHandler } from './context';
import { ARMV8_TABLES, type ArmTables } from './insns';
import { FPSCR, STATE_SIZE_ARM } from './state';
import { translationFlagsFromFpcr } from '../aarch64/flags';

const PAGE_MASK = ~0xfff;
const AL = 14;

function runTable(table: DecodeTable<ArmHandler>, ctx: ArmContext): boolean {
  for (const entry of table.matches(ctx.insn)) {
    if (entry.handler(ctx, extractFields(entry.pattern, ctx.insn))) return true;
  }
  return false;
}

/** ITSTATE after one instruction of the block (ARM ARM ITAdvance). */
function advanceIT(it: number): number {
  return (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}

/** Translates the instruction in ctx under condition `cond`: its IR is skipped when the condition fails. */
function translateConditional(ctx: ArmContext, cond: number, table: DecodeTable<ArmHandler>): void {
  const b = ctx.b;
  if (cond === AL || cond === 15) {
    if (!runTable(table, ctx)) ctx.undefined();
    return;
  }
  const flagsBefore = ctx.flagSource;
  const skip = b.label();
  b.brcond(ctx.cond(cond ^ 1), skip);
  if (!runTable(table, ctx)) ctx.undefined();
  b.place(skip);
  ctx.joinSkipped(flagsBefore);
  // The instruction may have ended its path; the path where it was skipped goes on.
  ctx.ended = false;
}

/** Reads the instruction at `at`: its encoding and length, or undefined if not executable. */
function fetch(code: CodeSource, at: number, thumb: boolean): { insn: number; size: 2 | 4 } | undefined {
  if (!thumb) {
    const word = code.fetch32(at);
    return word === undefined ? undefined : { insn: word, size: 4 };
  }
  const first = code.fetch16(at);
  if (first === undefined) return undefined;
  // 0b11101, 0b11110, 0b11111 in the top five bits start a 32-bit instruction.
  if (first >>> 11 < 0b11101) return { insn: first, size: 2 };
  const second = code.fetch16(at + 2);
  return second === undefined ? undefined : { insn: ((first << 16) | second) >>> 0, size: 4 };
}

/** The frontend of a CPU decoding `tables` (insns/index.ts). */
export function armFrontendFor(tables: ArmTables): Frontend {
  return {
    name: 'arm',
    stateSize: STATE_SIZE_ARM,
    instructionSetBits: 1,
    translationFlags(state: DataView, stateBase: number): number {
      return translationFlagsFromFpcr(state.getUint32(stateBase + FPSCR, true));
    },
    translate(code: CodeSource, pc: number, options: TranslateOptions): IRBlock {
      const b = new IRBuilder();
      const thumb = (pc & 1) === 1;
      const bit = thumb ? 1 : 0;
      const start = pc - bit;
      const ctx = new ArmContext(b, thumb, options.flags);
      const pcOf = (address: number): number => (address | bit) >>> 0;
      let at = start;
      let count = 0;
      let it = 0;
      while (!ctx.ended) {
        const fetched = fetch(code, at, thumb);
        if (fetched === undefined) {
          b.insnStart(pcOf(at));
          if (count === 0) ctx.trap(TrapKind.MemoryFault, b.i64(at));
          else ctx.jump(pcOf(at));
          break;
        }
        ctx.pc = at;
        ctx.insn = fetched.insn;
        ctx.size = fetched.size;
        b.insnStart(pcOf(at));
        if (thumb) {
          ctx.inIT = it !== 0;
          ctx.itState = advanceIT(it);
          const cond = it !== 0 ? it >>> 4 : AL;
          translateConditional(ctx, cond, fetched.size === 2 ? tables.t16 : tables.t32);
          it = ctx.itState;
        } else {
          const cond = ctx.insn >>> 28;
          translateConditional(ctx, cond, cond === 15 ? tables.a32Unconditional : tables.a32);
        }
        at += fetched.size;
        count++;
        if (!ctx.ended && it === 0 && (count >= options.maxInsns || (at & PAGE_MASK) !== (start & PAGE_MASK))) {
          ctx.jump(pcOf(at));
        }
      }
      return b.finish(pc, at, count, ctx.successors, ctx.readsFlags);
    },
  };
}

/** Everything tsemu implements (QEMU's `max`). */
export const armFrontend: Frontend = armFrontendFor(ARMV8_TABLES);
