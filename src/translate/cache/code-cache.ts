/**
 * A persistent translation cache as the engine sees it: the modules earlier runs generated, kept
 * per mapped file (a program, its dynamic loader, each library: so one program's translations of
 * libc serve the next program mapping the same libc at the same address), looked up by guest pc,
 * and the modules this run adds, filed under the mapped file their first block lies in. A file's
 * modules are read at the first lookup of a pc inside its mapping.
 *
 * Nothing cached runs unchecked: a block is used only when the guest's code at its pc is, byte for
 * byte, the code it was translated from, under the same translation flags; a hot batch (blocks that
 * tail-call each other) only when all of its blocks are. A module is compiled when first used (all
 * of it: the engine turns V8's lazy compilation off for the whole process).
 */
import type { CachedBlockCode, CachedModule } from './cache-file';

/** What the cache needs from the engine using it. */
export interface CodeCacheHost {
  /** Whether the guest may execute [pc, pc + code.length) and it holds exactly `code`. */
  holds(pc: number, code: Uint8Array): boolean;
  /** Instantiates a cached module; one callable per block, in order. */
  instantiate(module: CachedModule, compiled: WebAssembly.Module): Function[];
}

/** Where cached modules are kept: one cache file per mapped file and load address. */
export interface CodeCacheFiles {
  /** The cache file of the code at guest pc, or undefined for code that is not a mapped file's. */
  fileAt(pc: number): string | undefined;
  /** The modules earlier runs saved in `file` (none when it is absent or unreadable). */
  read(file: string): CachedModule[];
}

/** A cached block found valid, and the callable that runs it. */
export interface CachedBlock {
  block: CachedBlockCode;
  run: Function;
}

interface LoadedModule {
  module: CachedModule;
  functions?: Function[];
  /** It failed to compile or instantiate (a file from a bug): never tried again. */
  broken?: boolean;
}

/** A cache file and the modules this run added to it since the last save. */
interface OpenFile {
  fresh: CachedModule[];
}

/** A cache file with modules this run added. */
export interface UnsavedFile {
  file: string;
  added: CachedModule[];
}

export interface CodeCacheStats {
  /** Cached blocks run from the cache rather than translated. */
  hits: number;
  /** Modules of earlier runs read in. */
  loadedModules: number;
}

export class CodeCache {
  private readonly hot = new Map<number, { loaded: LoadedModule }[]>();
  private readonly cold = new Map<number, { loaded: LoadedModule; index: number }[]>();
  private readonly files = new Map<string, OpenFile>();
  readonly stats: CodeCacheStats = { hits: 0, loadedModules: 0 };

  constructor(private readonly source: CodeCacheFiles) {}

  /** A cached hot batch holding pc whose every block is valid: its blocks and their callables. */
  hotBatch(pc: number, flags: number, host: CodeCacheHost): CachedBlock[] | undefined {
    this.openAt(pc);
    for (const { loaded } of this.hot.get(pc) ?? []) {
      const blocks = loaded.module.blocks;
      if (!blocks.every((b) => b.flags === flags && host.holds(b.pc, b.code))) continue;
      const functions = this.functionsOf(loaded, host);
      if (!functions) continue;
      this.stats.hits += blocks.length;
      return blocks.map((block, i) => ({ block, run: functions[i]! }));
    }
    return undefined;
  }

  /** A valid cached translation of the single block at pc, run returning to the dispatcher. */
  coldBlock(pc: number, flags: number, host: CodeCacheHost): CachedBlock | undefined {
    this.openAt(pc);
    for (const { loaded, index } of this.cold.get(pc) ?? []) {
      const block = loaded.module.blocks[index]!;
      if (block.flags !== flags || !host.holds(pc, block.code)) continue;
      const functions = this.functionsOf(loaded, host);
      if (!functions) continue;
      this.stats.hits++;
      return { block, run: functions[index]! };
    }
    return undefined;
  }

  /** The cache file the code at pc belongs to (for grouping blocks into one module per file). */
  fileAt(pc: number): string | undefined {
    return this.source.fileAt(pc);
  }

  /**
   * Records a module this run generated, to be saved in the cache file of its first block; one
   * whose first block is not a mapped file's code (generated at run time) is not kept.
   */
  add(module: CachedModule): void {
    const first = module.blocks[0];
    if (first) this.openAt(first.pc)?.fresh.push(module);
  }

  /** The cache files this run added to since they were read or last saved. */
  unsaved(): UnsavedFile[] {
    return [...this.files]
      .filter(([, open]) => open.fresh.length > 0)
      .map(([file, open]) => ({ file, added: [...open.fresh] }));
  }

  /** Records that `file` now holds this run's additions (so a later save writes only what comes after). */
  saved(file: string): void {
    const open = this.files.get(file);
    if (open) open.fresh = [];
  }

  /** The cache file of the code at pc, read in (and its modules indexed) the first time. */
  private openAt(pc: number): OpenFile | undefined {
    const file = this.source.fileAt(pc);
    if (file === undefined) return undefined;
    let open = this.files.get(file);
    if (!open) {
      open = { fresh: [] };
      this.files.set(file, open);
      this.index(this.source.read(file));
    }
    return open;
  }

  private index(modules: readonly CachedModule[]): void {
    for (const module of modules) {
      const loaded: LoadedModule = { module };
      if (module.chained) {
        for (const block of module.blocks) pushTo(this.hot, block.pc, { loaded });
      } else {
        module.blocks.forEach((block, index) => pushTo(this.cold, block.pc, { loaded, index }));
      }
    }
    this.stats.loadedModules += modules.length;
  }

  private functionsOf(loaded: LoadedModule, host: CodeCacheHost): Function[] | undefined {
    if (loaded.broken) return undefined;
    if (!loaded.functions) {
      try {
        loaded.functions = host.instantiate(loaded.module, new WebAssembly.Module(loaded.module.bytes));
      } catch {
        loaded.broken = true;
        return undefined;
      }
    }
    return loaded.functions;
  }
}

function pushTo<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
