/**
 * A persistent translation cache as the engine sees it: the hot batches (blocks compiled together,
 * tail-calling each other) earlier runs compiled, kept per mapped file (a program, its dynamic
 * loader, each library: so one program's translations of libc serve the next program mapping the
 * same libc at the same address), looked up by guest pc, and the batches this run adds, filed under
 * the mapped file their first block lies in. A file's batches are read at the first lookup of a pc
 * inside its mapping.
 *
 * Which batches a run compiles: a shared file holds what every program made hot of it, and
 * compiling costs in proportion to size, so the program's profile (profile.ts: the batches its
 * earlier runs used) decides. A batch of the profile is installed at the first miss on one of its
 * pcs, as the program made it hot before; any other only when its block turns hot in this run, in
 * place of compiling a new one.
 *
 * Beside them, per mapped file, the compact IR of the blocks earlier runs translated (cold-file.ts):
 * a block run a few times costs more to decode and translate than to interpret, so a warm start
 * takes its IR from the file instead. Every block translated goes in, from every program mapping
 * the file.
 *
 * Nothing cached runs unchecked: a batch or block is used only when the guest's code at each of its
 * blocks' pcs is, byte for byte, the code it was translated from, under the same translation flags.
 */
import type { CompactBlock } from '../ir/compact';
import { flagsMatch } from '../frontend';
import { moduleId, type CachedBlockCode, type CachedModule } from './cache-file';
import { MAX_COLD_FILE_BYTES, compactOf, type ColdEntry } from './cold-file';

/** What the cache needs from the engine using it. */
export interface CodeCacheHost {
  /** Whether the guest may execute [pc, pc + code.length) and it holds exactly `code`. */
  holds(pc: number, code: Uint8Array): boolean;
  /** Instantiates a cached module (`fromCode`: made from V8's code of an earlier run); one callable per block, in order. */
  instantiate(module: CachedModule, compiled: WebAssembly.Module, fromCode: boolean): Function[];
}

/** A cached module compiled: from its bytes, or made from V8's code an earlier run kept of it (`fromCode`). */
export interface CompiledCachedModule {
  compiled: WebAssembly.Module;
  fromCode: boolean;
}

/** Where cached modules are kept: one cache file per mapped file and load address. */
export interface CodeCacheFiles {
  /** The cache file of the code at guest pc, or undefined for code that is not a mapped file's. */
  fileAt(pc: number): string | undefined;
  /** The modules earlier runs saved in `file` (none when it is absent or unreadable). */
  read(file: string): CachedModule[];
  /** The cold blocks earlier runs saved beside `file` (none when absent or unreadable). */
  readCold(file: string): ColdEntry[];
  /** Compiles a cached module (native-code-store.ts). */
  compile(module: CachedModule): CompiledCachedModule;
  /** Module `id` compiled again, all of it with TurboFan (a forked child's tier-up): its code is worth keeping. */
  optimized(id: string, compiled: WebAssembly.Module): void;
}

/**
 * A cached batch found valid, and the callables that run its blocks, in order. The array is the one
 * the cache keeps for the module: whoever compiles the module again (wasm/tiers.ts) replaces its
 * elements, so later uses get the new code.
 */
export interface CachedBatch {
  module: CachedModule;
  functions: Function[];
  /** Made from V8's code of an earlier run: its hot functions are TurboFan code already. */
  fromCode: boolean;
}

interface LoadedModule {
  module: CachedModule;
  /** The cache file it is kept in. */
  file: string;
  functions?: Function[];
  fromCode?: boolean;
  /** It failed to compile or instantiate (a file from a bug): never tried again. */
  broken?: boolean;
}

/** A cached module by its cache file and id (what a forked child reports compiling, CodeCache.onCompiled). */
export interface CompiledModule {
  file: string;
  id: string;
}

/** A block this run translated, to be saved as a ColdEntry (coldEntry). */
export interface ColdTranslation {
  pc: number;
  flags: number;
  code: Uint8Array;
  ir: CompactBlock;
}

/** A cache file and the modules and cold blocks this run added to it since the last save. */
interface OpenFile {
  file: string;
  fresh: CachedModule[];
  /** In translation order, by coldKey. */
  freshCold: Map<string, ColdTranslation>;
  /** About the bytes freshCold takes in a file: past a file's limit no more are kept. */
  freshColdBytes: number;
}

/** A cache file with modules or cold blocks this run added. */
export interface UnsavedFile {
  file: string;
  added: CachedModule[];
  addedCold: ColdTranslation[];
}

export interface CodeCacheStats {
  /** Cached blocks run from the cache rather than translated. */
  hits: number;
  /** Modules of earlier runs read in. */
  loadedModules: number;
}

export class CodeCache {
  private readonly hot = new Map<number, { loaded: LoadedModule }[]>();
  private readonly cold = new Map<number, ColdEntry[]>();
  private readonly files = new Map<string, OpenFile>();
  /** The modules read or added, by id (a module in two files is the first one read). */
  private readonly byId = new Map<string, LoadedModule>();
  private onCompile: ((module: CompiledModule) => void) | undefined;
  /** Ids prepare() did not find in their file read again: not looked for again. */
  private readonly unfound = new Set<string>();
  /** Ids of the modules this run installed from the cache or added to it: its next profile. */
  private readonly used = new Set<string>();
  readonly stats: CodeCacheStats = { hits: 0, loadedModules: 0 };

  /** `profile`: the ids of the modules this program's earlier runs used (profile.ts). */
  constructor(
    private readonly source: CodeCacheFiles,
    private profile: ReadonlySet<string>,
  ) {}

  /**
   * A cached hot batch holding pc whose every block is valid (under the translation flags `flags`
   * too), and its blocks' callables. Only
   * one of the profile's at a first miss; `turnedHot` (pc's block has run often enough here to be
   * compiled) takes any, the profile's first.
   */
  hotBatch(pc: number, flags: number, host: CodeCacheHost, turnedHot: boolean): CachedBatch | undefined {
    this.openAt(pc);
    const all = this.profileFirst(this.hot.get(pc) ?? []);
    for (const { loaded } of turnedHot ? all : all.filter(({ loaded }) => this.inProfile(loaded))) {
      const blocks = loaded.module.blocks;
      if (!blocks.every((b) => flagsMatch(b.flags, flags) && host.holds(b.pc, b.code))) continue;
      const compiled = loaded.functions !== undefined;
      const functions = this.functionsOf(loaded, host);
      if (!functions) continue;
      if (!compiled) this.onCompile?.({ file: loaded.file, id: loaded.module.id });
      this.used.add(loaded.module.id);
      this.stats.hits += blocks.length;
      return { module: loaded.module, functions, fromCode: loaded.fromCode === true };
    }
    return undefined;
  }

  /**
   * Records a module this run generated (its blocks' callables: `functions`), to be saved in the
   * cache file of its first block and found again like the file's own modules (after an execve in
   * the same process maps the same file); one whose first block is not a mapped file's code
   * (generated at run time) is not kept.
   */
  add(generated: Omit<CachedModule<Uint8Array>, 'id'>, functions: Function[]): void {
    const first = generated.blocks[0];
    const open = first && this.openAt(first.pc);
    if (!open) return;
    const module = { ...generated, id: moduleId(generated.bytes) };
    open.fresh.push(module);
    if (module.blocks.every((block) => this.source.fileAt(block.pc) === open.file)) {
      for (const block of module.blocks) this.forgetCold(open, block);
    }
    this.used.add(module.id);
    this.onCompile?.({ file: open.file, id: module.id });
    const loaded: LoadedModule = { module, file: open.file, functions };
    this.byId.set(module.id, loaded);
    for (const block of module.blocks) pushTo(this.hot, block.pc, { loaded });
  }

  /**
   * Compiles the modules `modules` names (by cache file and id) without installing them, reading
   * their files if this process has not: a process about to fork compiles those its earlier
   * children compiled, so that the next children find them compiled (a WebAssembly module made
   * before a fork is valid in the child). A file read before is read again for an id it did not
   * hold; ids not found are skipped.
   */
  prepare(modules: Iterable<CompiledModule>, host: CodeCacheHost): void {
    for (const { file, id } of modules) {
      if (!this.files.has(file)) this.open(file);
      else if (!this.byId.has(id) && !this.unfound.has(id)) {
        // A module a child added (saved as it exec'd) to a file this process had read before.
        this.index(
          this.source.read(file).filter((module) => !this.byId.has(module.id)),
          file,
        );
      }
      const loaded = this.byId.get(id);
      if (loaded) this.functionsOf(loaded, host);
      else this.unfound.add(id);
    }
  }

  /** The module of wire bytes `bytes` was compiled again with TurboFan, `compiled` (wasm/tiers.ts). */
  optimized(bytes: Uint8Array, compiled: WebAssembly.Module): void {
    this.source.optimized(moduleId(bytes), compiled);
  }

  /**
   * Has `listener` told each cached module this process compiles to run and each it adds (not those
   * it prepares).
   */
  onCompiled(listener: (module: CompiledModule) => void): void {
    this.onCompile = listener;
  }

  /** The IR of a cold block an earlier run translated at pc from the code now there, valid under `flags`. */
  coldBlock(pc: number, flags: number, holds: CodeCacheHost['holds']): CompactBlock | undefined {
    this.openAt(pc);
    for (const entry of this.cold.get(pc) ?? []) {
      if (!flagsMatch(entry.flags, flags) || !holds(pc, entry.code)) continue;
      const block = compactOf(entry);
      if (block) return block;
    }
    return undefined;
  }

  /**
   * Records a block this run translated at pc under `flags` from `code` (read as it was translated),
   * to be saved beside the cache file of its pc's mapped file; code of no file is not kept, nor
   * blocks past what one file holds (persistent.ts keeps a run's first blocks), so a long run does
   * not hold the IR of every block it ever translated.
   */
  addCold(pc: number, flags: number, code: Uint8Array, ir: CompactBlock): void {
    const open = this.openAt(pc);
    if (!open || open.freshColdBytes > MAX_COLD_FILE_BYTES) return;
    const key = coldKey(pc, flags);
    const earlier = open.freshCold.get(key);
    if (earlier) open.freshColdBytes -= coldBytes(earlier.code, earlier.ir);
    open.freshCold.set(key, { pc, flags, code, ir });
    open.freshColdBytes += coldBytes(code, ir);
  }

  /**
   * Drops the recorded cold block of `block`, now in a hot batch of this run whose blocks are all
   * code of the file (`open`) it is saved in: a later run of the program installs that batch (its
   * profile's) at the block's first miss and never interprets it, so its IR would only take the
   * room of blocks that stay cold (sqlite3 translates more blocks than one file holds, and the file
   * kept its first ones, hot or not). A batch with blocks of other files waits for each to be mapped
   * (ld.so's first batches hold libc's code), so their blocks run cold until then.
   */
  private forgetCold(open: OpenFile, block: CachedBlockCode): void {
    const key = coldKey(block.pc, block.flags);
    const cold = open.freshCold.get(key);
    if (!cold || Buffer.compare(cold.code, block.code) !== 0) return;
    open.freshCold.delete(key);
    open.freshColdBytes -= coldBytes(cold.code, cold.ir);
  }

  /** The program changed (an execve in the same process): `profile` decides from now on, and the used set starts over. */
  useProfile(profile: ReadonlySet<string>): void {
    this.profile = profile;
    this.used.clear();
  }

  /** The modules this run used, to be its program's profile: installed from the cache, or added. */
  usedModules(): ReadonlySet<string> {
    return this.used;
  }

  /** The cache files this run added to since they were read or last saved. */
  unsaved(): UnsavedFile[] {
    return [...this.files]
      .filter(([, open]) => open.fresh.length + open.freshCold.size > 0)
      .map(([file, open]) => ({
        file,
        added: [...open.fresh],
        addedCold: [...open.freshCold.values()],
      }));
  }

  /** Records that `file` now holds this run's additions (so a later save writes only what comes after). */
  saved(file: string): void {
    const open = this.files.get(file);
    if (open) {
      open.fresh = [];
      open.freshCold = new Map();
      open.freshColdBytes = 0;
    }
  }

  /** The cache file of the code at pc, read in (and its modules indexed) the first time. */
  private openAt(pc: number): OpenFile | undefined {
    const file = this.source.fileAt(pc);
    return file === undefined ? undefined : this.open(file);
  }

  /** The cache file `file`, read in (and its modules indexed) the first time. */
  private open(file: string): OpenFile {
    let open = this.files.get(file);
    if (!open) {
      open = { file, fresh: [], freshCold: new Map(), freshColdBytes: 0 };
      this.files.set(file, open);
      this.index(this.source.read(file), file);
      for (const entry of this.source.readCold(file)) pushTo(this.cold, entry.pc, entry);
    }
    return open;
  }

  private index(modules: readonly CachedModule[], file: string): void {
    for (const module of modules) {
      const loaded: LoadedModule = { module, file };
      if (!this.byId.has(module.id)) this.byId.set(module.id, loaded);
      for (const block of module.blocks) pushTo(this.hot, block.pc, { loaded });
    }
    this.stats.loadedModules += modules.length;
  }

  private inProfile(loaded: LoadedModule): boolean {
    return this.profile.has(loaded.module.id);
  }

  /** The batches holding one pc with the profile's first, each group in file order. */
  private profileFirst<T extends { loaded: LoadedModule }>(candidates: readonly T[]): T[] {
    return [
      ...candidates.filter(({ loaded }) => this.inProfile(loaded)),
      ...candidates.filter(({ loaded }) => !this.inProfile(loaded)),
    ];
  }

  private functionsOf(loaded: LoadedModule, host: CodeCacheHost): Function[] | undefined {
    if (loaded.broken) return undefined;
    if (!loaded.functions) {
      try {
        const { compiled, fromCode } = this.source.compile(loaded.module);
        loaded.functions = host.instantiate(loaded.module, compiled, fromCode);
        loaded.fromCode = fromCode;
      } catch {
        loaded.broken = true;
        return undefined;
      }
    }
    return loaded.functions;
  }
}

/** A recorded cold block's key: one translation per pc and flags. */
function coldKey(pc: number, flags: number): string {
  return `${pc}:${flags}`;
}

/** About the bytes a cold block takes in a file (cold-file.ts fileBytes counts them exactly). */
function coldBytes(code: Uint8Array, ir: CompactBlock): number {
  return code.length + ir.code.byteLength;
}

function pushTo<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
