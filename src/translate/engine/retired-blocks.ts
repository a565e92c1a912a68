/**
 * Cold translations kept after their code was invalidated, with the bytes they were translated
 * from (read when they were translated: an invalidation may come after the change, as ARM's
 * cacheflush after a write through another mapping of the same pages). When the same bytes come
 * back at the same pc under translation flags it is valid under, as when an execve in the same process maps
 * the same dynamic loader and libc again, the translation is taken back instead of being made
 * again. Bounded: past its limit the store starts over.
 */
import { flagsMatch } from '../frontend';

interface Retired<T> {
  block: T;
  flags: number;
  code: Uint8Array;
}

export class RetiredBlocks<T> {
  private readonly kept = new Map<number, Retired<T>>();

  constructor(private readonly limit: number) {}

  retire(pc: number, block: T, flags: number, code: Uint8Array): void {
    if (this.kept.size >= this.limit) this.kept.clear();
    this.kept.set(pc, { block, flags, code });
  }

  /**
   * The block retired at pc, if it is valid under `flags` and `holds` finds its code there
   * again (all of it: from the first byte, below an odd Thumb pc); it leaves the store.
   */
  takeBack(pc: number, flags: number, holds: (pc: number, code: Uint8Array) => boolean): T | undefined {
    const entry = this.kept.get(pc);
    if (!entry) return undefined;
    this.kept.delete(pc);
    return flagsMatch(entry.flags, flags) && holds(pc, entry.code) ? entry.block : undefined;
  }
}
