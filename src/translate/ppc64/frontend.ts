/**
 * The PowerPC64 frontend (both byte orders: memory byte order is applied by the executors, so
 * ppc64 and ppc64le share every emitter): decodes 32-bit instructions into IR blocks.
 */
import { IRBuilder } from '../ir/builder';
import type { IRBlock } from '../ir/block';
import type { CodeSource, Frontend, TranslateOptions } from '../frontend';
import { translateFixedWidthBlock } from '../fixed-width';
import { PpcContext } from './context';
import { translationFlagsOf } from './flags';
import { PPC_TABLE } from './insns';
import { FPSCR, FP_EXACT, STATE_SIZE_PPC64 } from './state';

export const ppc64Frontend: Frontend = {
  name: 'ppc64',
  stateSize: STATE_SIZE_PPC64,
  translationFlags(state: DataView, stateBase: number): number {
    return translationFlagsOf(state.getUint32(stateBase + FPSCR, true), state.getUint32(stateBase + FP_EXACT, true));
  },
  translate(code: CodeSource, pc: number, options: TranslateOptions): IRBlock {
    return translateFixedWidthBlock(new PpcContext(new IRBuilder(), options.flags), PPC_TABLE, code, pc, options);
  },
};
