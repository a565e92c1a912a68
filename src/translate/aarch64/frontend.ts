/**
 * The AArch64 frontend: decodes A64 instructions from guest memory into IR blocks, with the
 * optional instructions of the CPU's feature set.
 */
import { IRBuilder } from '../ir/builder';
import type { IRBlock } from '../ir/block';
import type { CodeSource, Frontend, TranslateOptions } from '../frontend';
import { translateFixedWidthBlock } from '../fixed-width';
import { A64Context } from './context';
import { ALL_A64_FEATURES, a64Table, type A64Feature } from './insns';
import { FPCR, STATE_SIZE_AARCH64 } from './state';
import { translationFlagsFromFpcr } from './flags';

/**
 * The frontend of a CPU with `features`: instructions of the features it lacks are undefined; EL0
 * reads of ID registers give `idRegisters` (insns/cpu-id.ts), unless the CPU has EL1 (`system`),
 * whose system CPU decides what EL0 reads.
 */
export function aarch64FrontendFor(
  features: ReadonlySet<A64Feature>,
  idRegisters?: ReadonlyMap<number, bigint>,
  system = false,
): Frontend {
  const table = a64Table(features);
  return {
    name: 'aarch64',
    stateSize: STATE_SIZE_AARCH64,
    instructionSetBits: 0,
    translationFlags(state: DataView, stateBase: number): number {
      return translationFlagsFromFpcr(state.getUint32(stateBase + FPCR, true));
    },
    translate(code: CodeSource, pc: number, options: TranslateOptions): IRBlock {
      const ctx = new A64Context(new IRBuilder(), options.flags, idRegisters, system);
      return translateFixedWidthBlock(ctx, table, code, pc, options);
    },
  };
}

/** Every feature tsemu implements (user mode runs QEMU's `max`-like CPU). */
export const aarch64Frontend: Frontend = aarch64FrontendFor(ALL_A64_FEATURES);
