/**
 * PowerPC instructions for -d in_asm, named by the frontend's decode table (one table serves both
 * byte orders: the word is already in the guest's order when it gets here).
 */
import { PPC_TABLE } from '../../translate/ppc64/insns';
import { describeByTable } from './table';

export function describePpc(word: number): string {
  return describeByTable(PPC_TABLE, word) ?? '(invalid)';
}
