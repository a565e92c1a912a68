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
import { PPC_TABLE, ppcIsa207Table } from './insns';
import { FPSCR, FP_EXACT, STATE_SIZE_PPC64 } from './state';

/** What a CPU model decides: whether it has the ISA 3.0 instructions, and its Processor Version Register. */
export interface PpcCpu {
  readonly isa300: boolean;
  readonly pvr: number;
}

/** POWER9 v2.0. */
export const POWER9_PVR = 0x004e1200;

/** The frontend of `cpu`: instructions it lacks are illegal; mfpvr reads its PVR. */
export function ppc64FrontendFor(cpu: PpcCpu): Frontend {
  const table = cpu.isa300 ? PPC_TABLE : ppcIsa207Table();
  return {
    name: 'ppc64',
    stateSize: STATE_SIZE_PPC64,
    instructionSetBits: 0,
    translationFlags(state: DataView, stateBase: number): number {
      return translationFlagsOf(state.getUint32(stateBase + FPSCR, true), state.getUint32(stateBase + FP_EXACT, true));
    },
    translate(code: CodeSource, pc: number, options: TranslateOptions): IRBlock {
      return translateFixedWidthBlock(new PpcContext(new IRBuilder(), options.flags, cpu.pvr), table, code, pc, options);
    },
  };
}

/** Every instruction tsemu implements, on a POWER9. */
export const ppc64Frontend: Frontend = ppc64FrontendFor({ isa300: true, pvr: POWER9_PVR });
