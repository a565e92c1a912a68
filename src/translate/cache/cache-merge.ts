/**
 * Adding one run's modules to a cache file that other processes may have extended since this run
 * read it (every program mapping libc writes libc's file): what the file holds now stays, and an
 * added module goes in unless the file already has each of its blocks (same pc, translation flags
 * and code, in a module of the same kind), as when concurrent runs translated the same start-up.
 */
import type { CachedBlockCode, CachedModule } from './cache-file';

/** The modules of `added` that bring something `current` does not have. */
export function novelModules(current: readonly CachedModule[], added: readonly CachedModule[]): CachedModule[] {
  const known = new Map<string, CachedBlockCode[]>();
  const keyOf = (chained: boolean, pc: number): string => `${chained ? 'h' : 'c'}${pc}`;
  for (const module of current) {
    for (const block of module.blocks) {
      const key = keyOf(module.chained, block.pc);
      const list = known.get(key);
      if (list) list.push(block);
      else known.set(key, [block]);
    }
  }
  const has = (chained: boolean, block: CachedBlockCode): boolean =>
    (known.get(keyOf(chained, block.pc)) ?? []).some(
      (k) => k.flags === block.flags && Buffer.compare(k.code, block.code) === 0,
    );
  return added.filter((module) => !module.blocks.every((block) => has(module.chained, block)));
}
