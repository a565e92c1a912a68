/**
 * The AArch64 frontend: decodes A64 instructions from guest memory into IR blocks.
 */
import { IRBuilder } from '../ir/builder';
import type { IRBlock } from '../ir/block';
import type { CodeSource, Frontend, TranslateOptions } from '../frontend';
import { translateFixedWidthBlock } from '../fixed-width';
import { A64Context } from './context';
import { A64_TABLE } from './insns';
import { FPCR, STATE_SIZE_AARCH64 } from './state';
import { translationFlagsFromFpcr } from './flags';

export const aarch64Frontend: Frontend = {
  name: 'aarch64',
  stateSize: STATE_SIZE_AARCH64,
  translationFlags(state: DataView, stateBase: number): number {
    return translationFlagsFromFpcr(state.getUint32(stateBase + FPCR, true));
  },
  translate(code: CodeSource, pc: number, options: TranslateOptions): IRBlock {
    return translateFixedWidthBlock(new A64Context(new IRBuilder(), options.flags), A64_TABLE, code, pc, options);
  },
};
