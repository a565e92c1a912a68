/**
 * Cold translations kept after their code was invalidated, with the bytes they were translated
 * from (read when they were translated: an invalidation may come after the change, as ARM's
 * cacheflush after a write through another mapping of the same pages). When the same bytes come
 * back at the same pc under the same translation flags, as when an execve in the same process maps
 * the same dynamic loader and libc again, the translation is taken back instead of being made
 * again. Bounded: past its limit the store starts over.
 *
 * Blocks are kept in groups of one translation flags value, each a map by pc: an execve hands over
 * an engine's whole map of cold blocks at once (retireAll), which costs nothing per block.
 */

/** What the store needs of a block: the bytes it was translated from (none: it cannot be taken back). */
export interface RetirableBlock {
  readonly code?: Uint8Array;
}

interface Group<T> {
  readonly flags: number;
  readonly blocks: Map<number, T>;
}

export class RetiredBlocks<T extends RetirableBlock> {
  /** Oldest first. */
  private groups: Group<T>[] = [];
  private count = 0;

  constructor(private readonly limit: number) {}

  retire(pc: number, block: T, flags: number): void {
    this.makeRoom(1);
    const last = this.groups[this.groups.length - 1];
    const group = last?.flags === flags ? last : this.newGroup(flags, new Map());
    if (!group.blocks.has(pc)) this.count++;
    group.blocks.set(pc, block);
  }

  /** Keeps every block of `blocks` (by pc, translated under `flags`); the map is the store's from now on. */
  retireAll(blocks: Map<number, T>, flags: number): void {
    if (blocks.size === 0) return;
    this.makeRoom(blocks.size);
    this.newGroup(flags, blocks);
    this.count += blocks.size;
  }

  /**
   * The block retired at pc (the latest), if it was translated under `flags` and `holds` finds its
   * code there again (all of it: from the first byte, below an odd Thumb pc); it leaves the store.
   */
  takeBack(pc: number, flags: number, holds: (pc: number, code: Uint8Array) => boolean): T | undefined {
    for (let i = this.groups.length - 1; i >= 0; i--) {
      const group = this.groups[i]!;
      const block = group.blocks.get(pc);
      if (block === undefined) continue;
      group.blocks.delete(pc);
      this.count--;
      const code = block.code;
      return group.flags === flags && code !== undefined && code.length > 0 && holds(pc, code) ? block : undefined;
    }
    return undefined;
  }

  private makeRoom(adding: number): void {
    if (this.count + adding <= this.limit) return;
    this.groups = [];
    this.count = 0;
  }

  private newGroup(flags: number, blocks: Map<number, T>): Group<T> {
    const group = { flags, blocks };
    this.groups.push(group);
    return group;
  }
}
