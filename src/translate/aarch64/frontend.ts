/**
 * The AArch64 frontend: decodes A64 instructions from guest memory into IR blocks.
 */
import { extractFields } from '../decode/pattern';
import { IRBuilder } from '../ir/builder';
import type { IRBlock } from '../ir/block';
import { TrapKind } from '../ir/ops';
import type { CodeSource, Frontend, TranslateOptions } from '../frontend';
import { A64Context } from './context';
import { A64_TABLE } from './insns';
import { FPCR, STATE_SIZE_AARCH64 } from './state';
import { translationFlagsFromFpcr } from './flags';

const PAGE_MASK = ~0xfff;

/** Translates one instruction; returns false if no table entry accepted it. */
export function translateInsn(ctx: A64Context): boolean {
  for (const entry of A64_TABLE.matches(ctx.insn)) {
    if (entry.handler(ctx, extractFields(entry.pattern, ctx.insn))) return true;
  }
  return false;
}

export const aarch64Frontend: Frontend = {
  name: 'aarch64',
  stateSize: STATE_SIZE_AARCH64,
  translationFlags(state: DataView, stateBase: number): number {
    return translationFlagsFromFpcr(state.getUint32(stateBase + FPCR, true));
  },
  translate(code: CodeSource, pc: number, options: TranslateOptions): IRBlock {
    const b = new IRBuilder();
    const ctx = new A64Context(b, options.flags);
    let at = pc;
    let count = 0;
    while (!ctx.ended) {
      const word = code.fetch32(at);
      if (word === undefined) {
        b.insnStart(at);
        if (count === 0) {
          ctx.trap(TrapKind.MemoryFault, b.i64(at));
        } else {
          ctx.jump(at);
        }
        break;
      }
      ctx.pc = at;
      ctx.insn = word;
      b.insnStart(at);
      if (!translateInsn(ctx)) ctx.undefined();
      at += 4;
      count++;
      if (!ctx.ended && (count >= options.maxInsns || (at & PAGE_MASK) !== (pc & PAGE_MASK))) {
        ctx.jump(at);
      }
    }
    return b.finish(pc, at, count, ctx.successors);
  },
};
