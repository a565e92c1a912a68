/**
 * The PowerPC64 frontend (both byte orders: memory byte order is applied by the executors, so
 * ppc64 and ppc64le share every emitter): decodes 32-bit instructions into IR blocks.
 */
import { extractFields } from '../decode/pattern';
import { IRBuilder } from '../ir/builder';
import type { IRBlock } from '../ir/block';
import { TrapKind } from '../ir/ops';
import type { CodeSource, Frontend, TranslateOptions } from '../frontend';
import { PpcContext } from './context';
import { translationFlagsOf } from './flags';
import { PPC_TABLE } from './insns';
import { FPSCR, FP_EXACT, STATE_SIZE_PPC64 } from './state';

const PAGE_MASK = ~0xfff;

/** Translates one instruction; returns false if no table entry accepted it. */
export function translateInsn(ctx: PpcContext): boolean {
  for (const entry of PPC_TABLE.matches(ctx.insn)) {
    if (entry.handler(ctx, extractFields(entry.pattern, ctx.insn))) return true;
  }
  return false;
}

export const ppc64Frontend: Frontend = {
  name: 'ppc64',
  stateSize: STATE_SIZE_PPC64,
  translationFlags(state: DataView, stateBase: number): number {
    return translationFlagsOf(state.getUint32(stateBase + FPSCR, true), state.getUint32(stateBase + FP_EXACT, true));
  },
  translate(code: CodeSource, pc: number, options: TranslateOptions): IRBlock {
    const b = new IRBuilder();
    const ctx = new PpcContext(b, options.flags);
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
