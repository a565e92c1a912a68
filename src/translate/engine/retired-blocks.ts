/**
 * Cold translations kept after their code was invalidated, with the bytes they were translated
 * from (read when they were translated: an invalidation may come after the change, as ARM's
 * cacheflush after a write through another mapping of the same pages). When the same bytes come
 * back at the same pc under translation flags it is valid under, as when an execve in the same process maps
 * the same dynamic loader and libc again, the translation is taken back instead of being made
 * again. Bounded: past its limit the oldest are forgotten.
 *
 * Kept as the maps they were retired in: an execve retires every cold block at once by handing
 * over the engine's own map, where copying each entry into a store of its own cost a forked child
 * ~10 ms (its writes fault in copies of the parent's pages). A block taken back stays in its map;
 * it is checked against the code again at each take.
 */
import { flagsMatch } from '../frontend';

/** What a retired block carries: the flags it was translated under and the bytes it was translated from. */
export interface RetirableBlock {
  readonly flags: number;
  readonly code: Uint8Array | undefined;
}

export class RetiredBlocks<T extends RetirableBlock> {
  /** The maps retired whole, newest first; `single` (blocks retired one by one) is searched first. */
  private whole: ReadonlyMap<number, T>[] = [];
  private single = new Map<number, T>();
  private size = 0;

  constructor(private readonly limit: number) {}

  retire(pc: number, block: T): void {
    this.single.set(pc, block);
    this.grew(1);
  }

  /** Retires every block of `blocks` (by pc), a map the caller no longer changes. */
  retireAll(blocks: ReadonlyMap<number, T>): void {
    if (blocks.size === 0) return;
    this.whole.unshift(blocks);
    this.grew(blocks.size);
  }

  /**
   * The block retired at pc that is valid under `flags` and whose code `holds` finds there again
   * (all of it: from the first byte, below an odd Thumb pc), if any.
   */
  takeBack(pc: number, flags: number, holds: (pc: number, code: Uint8Array) => boolean): T | undefined {
    const valid = (block: T | undefined): block is T =>
      block?.code !== undefined &&
      block.code.length > 0 &&
      flagsMatch(block.flags, flags) &&
      holds(pc, block.code);
    const single = this.single.get(pc);
    if (valid(single)) return single;
    for (const blocks of this.whole) {
      const block = blocks.get(pc);
      if (valid(block)) return block;
    }
    return undefined;
  }

  /** Past the limit, the oldest maps go, then (if still past it) the single blocks. */
  private grew(count: number): void {
    this.size += count;
    while (this.size > this.limit && this.whole.length > 0) this.size -= this.whole.pop()!.size;
    if (this.size > this.limit) {
      this.size -= this.single.size;
      this.single = new Map();
    }
  }
}
