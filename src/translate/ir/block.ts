/**
 * IR containers: temporaries, instructions and the translated block that holds them.
 */
import type { MemAccess, Op, ValType } from './ops';

/** A typed temporary. Each is assigned once per execution path it is defined on. */
export class Temp {
  constructor(
    readonly id: number,
    readonly type: ValType,
  ) {}
}

export type Imm = number | bigint | Uint8Array | undefined;

export interface Insn {
  op: Op;
  /** Operation type: the result type, or the operand type for compares and stores. */
  type: ValType;
  /** Source type of conversions. */
  from?: ValType;
  dst?: Temp;
  args: Temp[];
  imm?: Imm;
  mem?: MemAccess;
  /** Lane op name of a `vop` (key of SIMD_OPS). */
  simd?: string;
  /** Lane index, or 16 shuffle selectors, of a `vop`. */
  lane?: number | Uint8Array;
  /** Operation of an `rmw`. */
  rmw?: 'add' | 'and' | 'or' | 'xor' | 'xchg';
}

/** One translated guest block: the IR of the instructions from `pc` to the first block end. */
export interface IRBlock {
  /** Guest address of the first instruction. */
  pc: number;
  /** Guest address one past the last instruction translated (for invalidation ranges). */
  end: number;
  /** Number of guest instructions. */
  insnCount: number;
  insns: Insn[];
  temps: Temp[];
  labels: number;
  /** Statically known successor pcs (direct branches), for batching translation. */
  successors: number[];
  /** Whether its translation read the translation flags (Frontend.translationFlags; false: valid under any). */
  readsFlags: boolean;
}
