/**
 * Guest instruction listers for -d in_asm, one per frontend: each turns the guest code of a block
 * into lines of `address: encoding  description`. Frontends without one get their words in hex.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { describeA64 } from './aarch64';

/** Fixed-width 32-bit instruction sets: a describer of one word. */
const WORD_DESCRIBERS: Readonly<Record<string, (word: number) => string>> = {
  aarch64: describeA64,
};

export function listInstructions(frontend: string, memory: GuestMemory, start: number, end: number): string[] {
  const describe = WORD_DESCRIBERS[frontend];
  const lines: string[] = [];
  for (let pc = start; pc + 4 <= end; pc += 4) {
    const word = memory.read32(pc) >>> 0;
    const hex = word.toString(16).padStart(8, '0');
    lines.push(`0x${pc.toString(16).padStart(8, '0')}:  ${hex}${describe ? `  ${describe(word)}` : ''}`);
  }
  return lines;
}
