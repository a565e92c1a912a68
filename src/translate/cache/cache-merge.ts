/**
 * Adding one run's modules to a cache file that other processes may have extended since this run
 * read it (every program mapping libc writes libc's file): what the file holds now stays, and an
 * added module goes in unless the file already has each of its blocks (same pc, translation flags
 * and code), as when concurrent runs compiled the same hot loops.
 */
import type { CachedBlockCode, CachedModule } from './cache-file';

/** The modules of `added` that bring something `current` does not have. */
export function novelModules(current: readonly CachedModule[], added: readonly CachedModule[]): CachedModule[] {
  const known = new Map<number, CachedBlockCode[]>();
  for (const module of current) {
    for (const block of module.blocks) {
      const list = known.get(block.pc);
      if (list) list.push(block);
      else known.set(block.pc, [block]);
    }
  }
  const has = (block: CachedBlockCode): boolean =>
    (known.get(block.pc) ?? []).some((k) => k.flags === block.flags && Buffer.compare(k.code, block.code) === 0);
  return added.filter((module) => !module.blocks.every(has));
}
