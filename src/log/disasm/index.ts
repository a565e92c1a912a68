/**
 * Guest instruction listers for -d in_asm, one per frontend: each turns the guest code of a block
 * into lines of `address:  encoding  description`. Frontends without one get their words in hex.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { describeA64 } from './aarch64';
import { listArm } from './arm';
import { describePpc } from './ppc64';

/** One listed instruction: where it is, its encoding in hex, and what the decode table calls it. */
export interface ListedInsn {
  readonly addr: number;
  readonly encoding: string;
  readonly text: string;
}

/** Lists the instructions of the block at `pc` (as the engine keys it) up to `end`. */
type Lister = (memory: GuestMemory, pc: number, end: number) => ListedInsn[];

/** A lister of a fixed-width 32-bit instruction set from a describer of one word (none: hex only). */
function wordLister(describe?: (word: number) => string): Lister {
  return (memory, pc, end) => {
    const out: ListedInsn[] = [];
    for (let at = pc; at + 4 <= end; at += 4) {
      const word = memory.read32(at) >>> 0;
      out.push({ addr: at, encoding: word.toString(16).padStart(8, '0'), text: describe?.(word) ?? '' });
    }
    return out;
  };
}

const LISTERS: Readonly<Record<string, Lister>> = {
  aarch64: wordLister(describeA64),
  ppc64: wordLister(describePpc),
  arm: listArm,
};

export function listInstructions(frontend: string, memory: GuestMemory, pc: number, end: number): string[] {
  const list = LISTERS[frontend] ?? wordLister();
  return list(memory, pc, end).map(
    (i) => `0x${i.addr.toString(16).padStart(8, '0')}:  ${i.encoding}${i.text ? `  ${i.text}` : ''}`,
  );
}
