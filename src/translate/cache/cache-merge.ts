/**
 * Adding one run's modules or cold blocks to a cache file that other processes may have extended
 * since this run read it (every program mapping libc writes libc's file): what the file holds now
 * stays, and an added module goes in unless the file already has each of its blocks (same pc,
 * translation flags and code), as when concurrent runs compiled the same hot loops; an added cold
 * block unless the file has it, before the file's own (coldSaveOrder).
 */
import type { CachedBlockCode, CachedModule } from './cache-file';
import type { ColdEntry } from './cold-file';

/** Blocks by pc, flags and code: which of them a file already has. */
class BlockSet {
  private readonly known = new Map<number, CachedBlockCode[]>();

  constructor(blocks: Iterable<CachedBlockCode>) {
    for (const block of blocks) this.add(block);
  }

  add(block: CachedBlockCode): void {
    const list = this.known.get(block.pc);
    if (list) list.push(block);
    else this.known.set(block.pc, [block]);
  }

  has(block: CachedBlockCode): boolean {
    return (this.known.get(block.pc) ?? []).some(
      (k) => k.flags === block.flags && Buffer.compare(k.code, block.code) === 0,
    );
  }
}

/** The modules of `added` that bring something `current` does not have. */
export function novelModules(
  current: readonly CachedModule[],
  added: readonly CachedModule[],
): CachedModule[] {
  const known = new BlockSet(current.flatMap((module) => module.blocks));
  return added.filter((module) => !module.blocks.every((block) => known.has(block)));
}

/** The cold blocks of `added` that `current` does not have (each once). */
export function novelColdBlocks<T extends CachedBlockCode>(
  current: readonly ColdEntry[],
  added: readonly T[],
): T[] {
  const known = new BlockSet(current);
  return added.filter((entry) => {
    if (known.has(entry)) return false;
    known.add(entry);
    return true;
  });
}

/**
 * The cold blocks of a save in the order a file keeps them when not all fit (coldEntriesWithin):
 * `novel` (this run's), then those of `current` (the file's) that no module of `modules` holds,
 * then the rest. A program installs its profile's hot batches at their blocks' first miss and
 * never interprets those blocks, so the IR of the blocks a run does interpret goes first.
 */
export function coldSaveOrder(
  current: readonly ColdEntry[],
  novel: readonly ColdEntry[],
  modules: readonly CachedModule[],
): ColdEntry[] {
  const hot = new BlockSet(modules.flatMap((module) => module.blocks));
  const interpreted: ColdEntry[] = [];
  const compiled: ColdEntry[] = [];
  for (const entry of current) (hot.has(entry) ? compiled : interpreted).push(entry);
  return [...novel, ...interpreted, ...compiled];
}
