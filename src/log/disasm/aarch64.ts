/**
 * A64 instructions for -d in_asm, named by the frontend's own decode table. No npm package of this
 * project's dependencies disassembles A64 (capstone-wasm would; see docs/debugging.md).
 */
import { A64_TABLE } from '../../translate/aarch64/insns';
import { describeByTable } from './table';

export function describeA64(word: number): string {
  return describeByTable(A64_TABLE, word) ?? '(unallocated)';
}
