/**
 * A persistent translation cache as the engine sees it: the modules an earlier run generated,
 * looked up by guest pc, and the modules this run adds. Nothing cached runs unchecked: a block is
 * used only when the guest's code at its pc is, byte for byte, the code it was translated from,
 * under the same translation flags; a hot batch (blocks that tail-call each other) only when all
 * of its blocks are. A module is compiled when first used (all of it: the engine turns V8's lazy
 * compilation off for the whole process).
 */
import type { CachedBlockCode, CachedModule } from './cache-file';

/** What the cache needs from the engine using it. */
export interface CodeCacheHost {
  /** Whether the guest may execute [pc, pc + code.length) and it holds exactly `code`. */
  holds(pc: number, code: Uint8Array): boolean;
  /** Instantiates a cached module; one callable per block, in order. */
  instantiate(module: CachedModule, compiled: WebAssembly.Module): Function[];
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

export interface CodeCacheStats {
  /** Cached blocks run from the cache rather than translated. */
  hits: number;
  /** Modules of earlier runs read in. */
  loadedModules: number;
}

export class CodeCache {
  private readonly hot = new Map<number, { loaded: LoadedModule }[]>();
  private readonly cold = new Map<number, { loaded: LoadedModule; index: number }[]>();
  private readonly fresh: CachedModule[] = [];
  readonly stats: CodeCacheStats = { hits: 0, loadedModules: 0 };

  constructor(private readonly earlier: readonly CachedModule[]) {
    for (const module of earlier) {
      const loaded: LoadedModule = { module };
      if (module.chained) {
        for (const block of module.blocks) pushTo(this.hot, block.pc, { loaded });
      } else {
        module.blocks.forEach((block, index) => pushTo(this.cold, block.pc, { loaded, index }));
      }
    }
    this.stats.loadedModules = earlier.length;
  }

  /** A cached hot batch holding pc whose every block is valid: its blocks and their callables. */
  hotBatch(pc: number, flags: number, host: CodeCacheHost): CachedBlock[] | undefined {
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

  /** Records a module this run generated, to be saved with the earlier ones. */
  add(module: CachedModule): void {
    if (module.blocks.length > 0) this.fresh.push(module);
  }

  /** Whether this run generated anything the cache did not have. */
  get changed(): boolean {
    return this.fresh.length > 0;
  }

  /** Everything to save: the earlier modules and this run's. */
  contents(): CachedModule[] {
    return [...this.earlier, ...this.fresh];
  }

  /** The modules this run generated. */
  added(): CachedModule[] {
    return [...this.fresh];
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
