// Which cold blocks a run keeps for the next: the IR of blocks that turned hot in a batch of their
// own file is not saved (the next run installs that batch at their first miss), and a file too small
// for all keeps this run's blocks, then the file's blocks no batch holds, then the rest.
import { describe, expect, it } from 'vitest';
import { coldSaveOrder } from '../../src/translate/cache/cache-merge';
import type { CachedModule } from '../../src/translate/cache/cache-file';
import { CodeCache, type CodeCacheFiles } from '../../src/translate/cache/code-cache';
import { MAX_COLD_FILE_BYTES, coldEntriesWithin, type ColdEntry } from '../../src/translate/cache/cold-file';
import type { CompactBlock } from '../../src/translate/ir/compact';

const FILE_A = 'a.tc';
const FILE_B = 'b.tc';
/** Code below 0x10000 is file A's, the rest file B's. */
const files: CodeCacheFiles = {
  fileAt: (pc) => (pc < 0x10000 ? FILE_A : FILE_B),
  read: () => [],
  readCold: () => [],
  compile: () => {
    throw new Error('not compiled in this test');
  },
  optimized: () => {},
};

const code = (pc: number): Uint8Array => Uint8Array.of(pc & 0xff, pc >> 8, 0, 0x14);
/** The cache counts a cold block's bytes from its IR's record slots; nothing else of it is used here. */
const ir = { code: new Int32Array(8) } as unknown as CompactBlock;

function batch(pcs: number[]): Omit<CachedModule<Uint8Array>, 'id'> {
  const blocks = pcs.map((pc) => ({ pc, flags: 0, code: code(pc) }));
  return { bytes: Uint8Array.from(pcs), helpers: [], blocks };
}

function savedColdPcs(cache: CodeCache, file: string): number[] {
  return (cache.unsaved().find((u) => u.file === file)?.addedCold ?? []).map((block) => block.pc);
}

describe('cold blocks kept for the next run', () => {
  it('a block that turned hot in a batch of its own file is not saved cold', () => {
    const cache = new CodeCache(files, new Set());
    for (const pc of [0x1000, 0x1010, 0x1020, 0x1030]) cache.addCold(pc, 0, code(pc), ir);
    cache.add(batch([0x1010, 0x1030]), []);
    expect(savedColdPcs(cache, FILE_A)).toEqual([0x1000, 0x1020]);
  });

  it("a batch holding another file's code leaves its blocks' cold IR saved", () => {
    const cache = new CodeCache(files, new Set());
    for (const pc of [0x1000, 0x1010]) cache.addCold(pc, 0, code(pc), ir);
    cache.add(batch([0x1000, 0x20000]), []);
    expect(savedColdPcs(cache, FILE_A)).toEqual([0x1000, 0x1010]);
  });

  it('a block translated from other code than the batch compiled stays', () => {
    const cache = new CodeCache(files, new Set());
    cache.addCold(0x1000, 0, Uint8Array.of(1, 2, 3, 4), ir);
    cache.add(batch([0x1000]), []);
    expect(savedColdPcs(cache, FILE_A)).toEqual([0x1000]);
  });

  it("a full file keeps this run's blocks, then its own that no batch holds, then the rest", () => {
    const entry = (pc: number, size: number): ColdEntry => ({
      pc,
      flags: 0,
      code: code(pc),
      ir: { length: size, fill: () => {} },
      helpers: [],
    });
    const quarter = MAX_COLD_FILE_BYTES / 4;
    const current = [entry(0x100, quarter), entry(0x200, quarter), entry(0x300, quarter)];
    const novel = [entry(0x400, quarter)];
    const modules: CachedModule[] = [{ id: 'm', ...batch([0x100]) }];
    const ordered = coldSaveOrder(current, novel, modules);
    expect(ordered.map((e) => e.pc)).toEqual([0x400, 0x200, 0x300, 0x100]);
    // Each entry takes a little more than a quarter of a file (its code and header too).
    expect(coldEntriesWithin(ordered).map((e) => e.pc)).toEqual([0x400, 0x200, 0x300]);
  });
});
