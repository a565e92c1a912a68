/**
 * The execution engine: runs guest code from a CPU state block until something needs the outside
 * world (a syscall, a fault, an undefined instruction), translating blocks on demand.
 *
 * Two tiers. A block is first translated to IR only and run by the reference interpreter: most code
 * runs a handful of times (start-up, error paths), and compiling it would cost far more than
 * interpreting it. Such a cold block keeps its IR in compact form (ir/compact.ts), expanded again
 * only if it becomes hot. When a block has run HOT_RUNS times it is compiled together with the
 * blocks it leads to that have already run (up to BATCH_BLOCKS, breadth first), and the batch
 * becomes one wasm module, so a hot loop's blocks land in one module and form a region. Translated
 * blocks are kept by guest pc, one set per value of the translation flags (Translations) and one
 * for blocks whose translation read no flag (valid under any); the direct-mapped lookup cache in
 * guest memory mirrors those valid under the flags in force for the dispatcher. Pages holding
 * translated code are flagged HasCode, so guest stores to them take the slow path, which discards
 * the translations the store overlaps before storing (invalidate).
 *
 * With the `softmmu` option (system mode) guest addresses are virtual: code is fetched, and its
 * pages tracked, at the physical addresses the MMU gives, and both tiers translate each access
 * through the software TLB (the interpreter by interp/soft-access.ts). A hot batch holds only
 * blocks of the hot block's virtual page. Lookup cache entries are keyed by pc and tagged with the
 * translation regime (level and address space, dispatcher.ts), entered once miss() has checked that
 * the regime may fetch the block's page and that the page still maps where the block came from (a
 * cold block is checked the same way before it is interpreted); the owner forgets them when
 * translations change (forgetMappings, forgetRegimes). The dispatcher returns every DISPATCH_BUDGET
 * blocks so that pollInterrupt is asked whether to stop.
 *
 * With a persistent cache (user mode, cache/code-cache.ts), hot batches compiled by earlier runs
 * are installed instead of compiled again, once their code is checked to be the same: one this
 * program made hot before at its first miss, another program's when its block turns hot here. Each
 * batch compiled anew is added to the cache. Cold code is not cached: compiling a cached cold module
 * at start-up cost more than translating and interpreting its blocks again (docs/performance.md).
 * With `retainCold` (user mode) an invalidated cold block is kept in memory instead, and taken back
 * when the bytes it was translated from return at its pc (retired-blocks.ts: an execve in the same
 * process maps the same dynamic loader and libc again).
 */
import v8 from 'node:v8';
import { atProcessStart } from '../../process-start';
import type { GuestMemory } from '../../memory/guest-memory';
import {
  DENY_EXEC,
  LOOKUP_ENTRIES,
  LOOKUP_ENTRY_SIZE,
  PAGE_SHIFT,
  PageFlags,
  lookupSlot,
} from '../../memory/layout';
import type { IRBlock } from '../ir/block';
import { helperById, helperIdsByName } from '../ir/helpers';
import { RECORD_SIZE, compactBlock, expandBlock, type CompactBlock } from '../ir/compact';
import { TrapKind, type Endian } from '../ir/ops';
import { ANY_FLAGS, type CodeSource, type Frontend } from '../frontend';
import { STATE_FAULT_ADDR, STATE_LOOP_ITERS, STATE_PC, STATE_TRAP_ARG } from '../frontend';
import { GuestAccess, untaggedAddress } from '../interp/guest-access';
import { runBlock, runCompact } from '../interp/interpreter';
import { SoftmmuAccess } from '../interp/soft-access';
import type { GuestPort } from '../interp/window-access';
import {
  compileBatch,
  exitLinkTable,
  instantiateBatch,
  replaceFunctions,
  type ExitLinkTable,
  type LoadCheck,
  type ModuleEnv,
  type SlowStore,
} from '../wasm/module';
import { ImportHub } from '../wasm/import-hub';
import type { CachedBlockCode } from '../cache/cache-file';
import type { CodeCache, CodeCacheHost, CompiledModule } from '../cache/code-cache';
import { partBytes, type FilePart } from '../cache/sealed-file';
import type { SoftTlbLayout, SoftTranslate } from '../wasm/soft-tlb';
import {
  compileOptimized,
  forkGeneration,
  isForkedChild,
  recompileOptimized,
  tierUpDue,
  tieredUp,
} from '../wasm/tiers';
import { LOOKUP_TAG, STATUS_MISS, buildDispatcher, buildReturnToDispatcher } from './dispatcher';
import { ExitLinks } from './exit-links';
import { RetiredBlocks } from './retired-blocks';
import { makeLoadCheck, makeSlowStore } from './slow-store';

/**
 * Eager compilation of each (small) module. With V8's lazy compilation, the first instantiation
 * of every module schedules four delayed worker tasks (reports of lazy-compilation times, 5 to 120 s
 * later), so Node's delayed-task thread keeps pushing onto the worker task queue; a guest fork at
 * such an instant gives the child a queue mutex that no thread will release, and the child hangs
 * at its first compile (native/exec.cc). tsemu calls what it compiles anyway, so nothing is lost.
 */
atProcessStart(() => v8.setFlagsFromString('--no-wasm-lazy-compilation'));

const BATCH_BLOCKS = 24;
/**
 * Softmmu: a hot batch is filled up with the other blocks of its page that have run, so that a
 * boot compiles fewer, larger modules (V8's cost per module is high; Linux's boot: 9000 modules of
 * 3.3 blocks without this, 2500 of 18 with it, and about a sixth less CPU time).
 */
const SOFTMMU_BATCH_BLOCKS = 48;
/**
 * IR instructions a batch holds at most (its hot block always goes in, whatever its size). V8's
 * optimising compiler needs zone memory in proportion to a function's size, and a loop's blocks
 * are one function: bzip2 -9's largest batch, 24 blocks of 9000 IR instructions, was a function of
 * 119 KB of wasm whose tier-up took 34 MB of zone memory at once, the run's peak RSS. The other
 * batches of that run stay below 2600 instructions (docs/performance.md).
 */
const BATCH_IR_INSNS = 3000;
const HOT_RUNS = 16;
/** Compiled blocks a hot batch looks through for those that lead back into it (takeInCompiled). */
const COMPILED_SEARCH = 64;
/**
 * Most back edges per run, on average, that the loops exiting to a hot block may have taken for its
 * batch to take in compiled blocks (takeInCompiled); at least one is needed too. Above that, the block
 * is an outer loop's and the compiled blocks an inner loop's: the inner loop, inside one region with
 * its outer loop, keeps the outer loop's registers live (ppc64 hash's 22-instruction loop: 1.7 s of
 * CPU alone, 2.6 s merged). Below one, the block is mostly reached from code outside loops.
 */
const TAKE_IN_ITERS = 32;
/** Batches a block may be compiled in: takeInCompiled takes in blocks compiled fewer times. */
const MAX_COMPILES = 2;
/**
 * Invalidations a page takes while keeping translations before all of them are discarded
 * (Engine.invalidate): a store to such a page calls into JavaScript, and 1024 of them cost about
 * what translating and compiling a few blocks again does.
 */
const CODE_PAGE_WRITES = 1024;
/** Invalidated cold blocks kept for their code's return (a dynamic /bin/true translates about 1700). */
const RETIRED_LIMIT = 65536;

interface Batch {
  blocks: TranslatedBlock[];
  alive: boolean;
  /** Its module's code, to compile it again (a forked child's own tier-up, wasm/tiers.ts); `forks` only. */
  code?: BatchCode;
  /** The fork it was compiled or installed after (wasm/tiers.ts). */
  generation: number;
  /** A forked child's batch that its own tier-up has yet to compile again with TurboFan. */
  waitsForTierUp: boolean;
  /** The translations it belongs to. */
  set: Translations;
  /** Its instance's link table, when its exits link to other modules (exit-links.ts). */
  links?: ExitLinkTable;
}

/** A batch module's bytes and imports, and its blocks' callables in order (shared with the code cache). */
interface BatchCode {
  /** A cached module's are read from its cache file when compiled again (cache-file.ts). */
  bytes: FilePart;
  helpers: readonly number[];
  functions: Function[];
}

interface TranslatedBlock {
  pc: number;
  /** One past its last instruction. */
  end: number;
  tableIndex: number;
  batch: Batch;
  /** The window pages its code was fetched from. */
  pages: number[];
  /** The cold block it was compiled from (none for the persistent cache's), for a later batch to take in. */
  cold?: ColdBlock;
}

export interface EngineOptions {
  maxInsns: number;
  /**
   * Window address of this engine's lookup cache (LOOKUP_ENTRIES entries of LOOKUP_ENTRY_SIZE
   * bytes), which its dispatcher and generated code are built against: engines sharing one memory
   * each have their own.
   */
  lookupBase: number;
  /**
   * Window address of a word another thread sets to end run() at the next dispatcher miss with
   * TrapKind.Yield (user mode's time-slice ticker, user/threads/preempt.ts); run() clears it.
   */
  yieldWord?: number;
  /** Called with each new block (for -d in_asm/op logs). */
  onTranslate?: (block: IRBlock) => void;
  /** Called with each new module's bytes (for -d out_asm). */
  onModule?: (bytes: Uint8Array) => void;
  /**
   * Polled every INTERRUPT_POLL_MISSES dispatcher misses (a debugger's Ctrl-C); when it answers
   * true, run() returns TrapKind.Yield with the state at a block boundary. Setting it keeps compiled
   * blocks out of the lookup cache, so every dispatch misses and comes here: only chained blocks of
   * one module run without polling, and their loops return when their iteration budget runs out.
   * With softmmu it is polled instead whenever the dispatcher's budget is spent (blocks stay cached).
   */
  pollInterrupt?: () => boolean;
  /** Called before each block runs (-d exec, cpu). Setting it keeps every block in the interpreter, so none is missed. */
  onBlockStart?: (pc: number) => void;
  softmmu?: EngineSoftMmu;
  /** A persistent translation cache (user mode without breakpoints or per-block hooks). */
  cache?: CodeCache;
  /**
   * The process may be forked (user mode): batches keep their module's bytes, so that a forked
   * child can compile them again with TurboFan itself (wasm/tiers.ts).
   */
  forks?: boolean;
  /**
   * Keep invalidated cold blocks, taken back when the code they were translated from returns at
   * their pc (user mode without breakpoints or per-block hooks: an execve in the same process maps
   * the same dynamic loader and libc again).
   */
  retainCold?: boolean;
  /** Name the generated functions by guest pc (ModuleEnv.names, -perfmap). */
  nameCode?: boolean;
  /**
   * User mode: a load or store whose address is outside the window only by its top byte reaches
   * the address without it (UserTarget.topByteIgnored). Generated code keeps its window check: such
   * an access faults there and the engine runs that one instruction again in the interpreter,
   * whose port drops the byte, so untagged accesses pay nothing for tagged ones.
   */
  topByteIgnored?: boolean;
  /**
   * Engines sharing the memory's page flags (system mode's vCPUs on worker threads): the page's
   * HasCode flag is set while any of them holds translations of it, so this engine tells the
   * owners when it starts and stops holding some instead of setting and clearing the flag itself.
   */
  codeOwners?: CodePageOwners;
}

/** Who holds translations of which window pages, across engines sharing one memory's page flags. */
export interface CodePageOwners {
  /** This engine now holds translations of `page` (it sets HasCode). */
  claim(page: number): void;
  /** This engine no longer holds any (HasCode is cleared when no engine does). */
  release(page: number): void;
}

/** What a system-mode engine needs from its MMU. */
export interface EngineSoftMmu {
  layout: SoftTlbLayout;
  /** The slow path of loads and atomics generated code calls. */
  translate: SoftTranslate;
  /** The slow store path, given virtual addresses; it invalidates code itself (Engine.invalidate). */
  slowStore: SlowStore;
  /** Window address of the instruction at virtual `pc`, or undefined when it cannot be fetched. */
  codeAddress(pc: number): number | undefined;
  /** Window address of the dispatcher's i32 budget (0: pollInterrupt is asked at the next block). */
  budgetWord: number;
}

/** Softmmu: blocks the dispatcher runs between two pollInterrupt calls. */
const DISPATCH_BUDGET = 1024;

const INTERRUPT_POLL_MISSES = 64;

/** A block known only as IR, run by the interpreter until it is hot. */
interface ColdBlock {
  pc: number;
  end: number;
  /**
   * Its IR in compact form (ir/compact.ts), which the interpreter runs and which costs a fraction of
   * an IRBlock's memory (most cold blocks never become hot, and sqlite3 leaves 7400 of them).
   */
  ir: CompactBlock;
  /**
   * The bytes it was translated from, read as it was translated: from its first byte (its pc
   * without instruction-set bits) to `end`. Kept for retired blocks and the persistent cache only.
   */
  code: Uint8Array | undefined;
  runs: number;
  /** Softmmu: the window page its code was fetched from (its virtual page may be remapped since). */
  page: number | undefined;
  /** Next pcs seen after interpreted runs that are not static successors: indirect branch targets. */
  indirect: number[];
  /** Back edges taken by the loop regions that exited to it, summed over its runs (STATE_LOOP_ITERS). */
  loopIters: number;
  /** Batches it has been compiled in (see MAX_COMPILES). */
  compiles: number;
  /** The translation flags it was translated under, ANY_FLAGS when its translation read none. */
  flags: number;
}

/**
 * The translations made under one value of the translation flags, kept by guest pc. Threads of one
 * process may run under different flags (a Go thread's asyncPreempt reads and writes FPSCR, so
 * ppc64 code translated for it keeps FPSCR's flags; the other threads' code does not): switching
 * to a thread with other flags switches sets and takes the old set's blocks out of the lookup
 * cache, where discarding every translation made restic translate each block again at nearly every
 * thread switch. Blocks whose translation read no flag are in one more set, `shared` (flags
 * ANY_FLAGS), used under every value.
 */
interface Translations {
  readonly flags: number;
  blocks: Map<number, TranslatedBlock>;
  byPage: Map<number, Set<TranslatedBlock>>;
  cold: Map<number, ColdBlock>;
  coldByPage: Map<number, Set<number>>;
}

/** A cold block of IR `ir` that has not run yet. */
/**
 * A cold block with every field set at once, so that all of them have one shape (objects given a
 * field later, or copied with one more, had others, and the miss path's property loads were
 * polymorphic).
 */
function newColdBlock(pc: number, ir: CompactBlock, code: Uint8Array | undefined, flags: number): ColdBlock {
  return {
    pc,
    end: ir.end,
    ir,
    code,
    runs: 0,
    page: undefined,
    indirect: [],
    loopIters: 0,
    compiles: 0,
    flags,
  };
}

/** The pcs a block was seen or is known to lead to: its static successors and indirect targets. */
function nextPcs(block: ColdBlock): number[] {
  return [...block.ir.successors, ...block.indirect];
}

/** Indirect targets remembered per block (a switch's hot cases; more would slow every miss). */
const MAX_INDIRECT_TARGETS = 16;

export interface EngineStats {
  /** Blocks translated to IR. */
  translated: number;
  /** Blocks executed by the interpreter. */
  interpreted: number;
  /** Blocks compiled to wasm. */
  blocks: number;
  modules: number;
  wasmBytes: number;
  /** Invalidations that discarded translations (a store to code, mprotect or munmap of it, a cache flush). */
  invalidations: number;
  /** Cold blocks and compiled blocks (every block of each batch killed) those discarded. */
  discardedCold: number;
  discardedCompiled: number;
  translateMs: number;
  /** Blocks taken from the persistent translation cache instead of being translated. */
  cached: number;
  /** Cold blocks whose IR came from the persistent translation cache instead of being translated. */
  cachedCold: number;
  /** Modules of the persistent translation cache compiled, and their size. */
  cachedModules: number;
  cachedWasmBytes: number;
  /** Of those, modules made from V8's compiled code an earlier run kept (cache/native-code-store.ts). */
  cachedFromCode: number;
}

export class Engine {
  private readonly table = new WebAssembly.Table({ element: 'anyfunc', initial: 1024 });
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  /** The translations of each flags value seen, those valid under any, and those of the flags in force. */
  private readonly sets = new Map<number, Translations>();
  private readonly shared = this.translationsFor(ANY_FLAGS);
  private current = this.translationsFor(0);
  private readonly dispatch: (state: number) => number;
  private readonly code: CodeSource;
  /** The slow store path called from generated code. */
  private readonly slowStore: SlowStore;
  private readonly loadCheck: LoadCheck;
  /** The wasm stand-ins of the JavaScript functions this engine's modules import. */
  private readonly hub = new ImportHub();
  /** Where the exits of each module to other modules' blocks go. */
  private readonly links = new ExitLinks<TranslatedBlock>({
    resolve: (pc, flags) => (flags === ANY_FLAGS ? undefined : this.sets.get(flags)?.blocks.get(pc)) ?? this.shared.blocks.get(pc),
    callable: (tb) => this.table.get(tb.tableIndex) as Function,
    unlinked: buildReturnToDispatcher(),
  });
  /** With EngineOptions.retainCold: invalidated cold blocks, for an execve mapping the same code. */
  private readonly retired: RetiredBlocks<ColdBlock> | undefined;
  private readonly onCodeWrite: (addr: number, size: number) => void;
  /** Debugger breakpoints, and how many of them each page holds (such pages stay one insn per block, interpreted). */
  private readonly breakpoints = new Set<number>();
  private readonly breakpointPages = new Map<number, number>();
  /** Softmmu: the lookup cache slots filled for blocks of each virtual page, until forgetMappings. */
  private readonly installedByPage = new Map<number, Set<number>>();
  /** Invalidations each page holding translations has had while keeping some (Engine.invalidate). */
  private readonly codePageWrites = new Map<number, number>();
  /** With EngineOptions.codeOwners: the pages this engine has claimed. */
  private readonly claimedPages = new Set<number>();
  private missesUntilPoll = INTERRUPT_POLL_MISSES;
  readonly stats: EngineStats = {
    translated: 0,
    interpreted: 0,
    blocks: 0,
    modules: 0,
    wasmBytes: 0,
    invalidations: 0,
    discardedCold: 0,
    discardedCompiled: 0,
    translateMs: 0,
    cached: 0,
    cachedCold: 0,
    cachedModules: 0,
    cachedFromCode: 0,
    cachedWasmBytes: 0,
  };
  private readonly cacheHost: CodeCacheHost;
  /** How interpreted blocks reach guest memory, for the state block at portBase. */
  private port: GuestPort | undefined;
  /** The wasm bytes of live batches waiting for a forked child's tier-up, of fork `generation`. */
  private tierUpWait = { generation: 0, bytes: 0 };
  private portBase = 0;

  constructor(
    private readonly frontend: Frontend,
    private readonly memory: GuestMemory,
    private readonly endian: Endian,
    private readonly options: EngineOptions,
  ) {
    this.retired = options.retainCold ? new RetiredBlocks(RETIRED_LIMIT) : undefined;
    this.onCodeWrite = (addr, size) => this.invalidate(addr, size);
    this.slowStore = options.softmmu?.slowStore ?? makeSlowStore(memory, endian, this.onCodeWrite);
    this.loadCheck = makeLoadCheck(memory);
    const system = options.softmmu && {
      tagSlot: options.softmmu.layout.indexSlot,
      budgetWord: options.softmmu.budgetWord,
    };
    this.dispatch = compileOptimized(() =>
      buildDispatcher(memory.memory, this.table, options.lookupBase, system, options.nameCode === true),
    );
    const mem = memory;
    const executable = (pc: number, len: number): boolean => {
      if (pc < 0 || pc + len > 2 ** 32) return false;
      return (mem.flagTable[Math.floor(pc / 2 ** PAGE_SHIFT)]! & DENY_EXEC) === 0;
    };
    const softmmu = options.softmmu;
    this.code = softmmu
      ? {
          fetch32: (pc) => {
            const at = softmmu.codeAddress(pc);
            return at === undefined ? undefined : mem.read32(at);
          },
          fetch16: (pc) => {
            const at = softmmu.codeAddress(pc);
            return at === undefined ? undefined : mem.read16(at);
          },
        }
      : {
          fetch32: (pc) => (executable(pc, 4) ? mem.read32(pc) : undefined),
          fetch16: (pc) => (executable(pc, 2) ? mem.read16(pc) : undefined),
        };
    this.cacheHost = {
      holds: (pc, code) => {
        const start = this.codeStart(pc);
        const end = start + code.length;
        for (let page = Math.floor(start / 2 ** PAGE_SHIFT); page * 2 ** PAGE_SHIFT < end; page++) {
          if ((mem.flagTable[page]! & DENY_EXEC) !== 0) return false;
        }
        return Buffer.compare(mem.u8.subarray(start, end), code) === 0;
      },
      instantiate: (module, compiled, fromCode) => {
        this.stats.cachedModules++;
        if (fromCode) this.stats.cachedFromCode++;
        this.stats.cachedWasmBytes += module.bytes.length;
        return instantiateBatch(compiled, helperIdsByName(module.helpers), module.blocks.length, this.moduleEnv(true));
      },
    };
    this.emptyLookupCache();
  }

  /**
   * An empty lookup cache: all-ones pcs never match a real pc. One fill rather than a loop of
   * 65536 BigInt stores, which as cold code took about 14 ms of every start-up (the fill: 0.3 ms).
   */
  private emptyLookupCache(): void {
    const base = this.options.lookupBase;
    this.memory.u8.fill(0xff, base, base + LOOKUP_ENTRIES * LOOKUP_ENTRY_SIZE);
    this.installedByPage.clear();
  }

  private translationsFor(flags: number): Translations {
    let set = this.sets.get(flags);
    if (!set) {
      set = { flags, blocks: new Map(), byPage: new Map(), cold: new Map(), coldByPage: new Map() };
      this.sets.set(flags, set);
    }
    return set;
  }

  /** Runs the CPU whose state block starts at `stateBase` until it traps; returns the TrapKind. */
  run(stateBase: number): TrapKind {
    // The state may have changed outside translated code (a signal frame, sigreturn, a debugger).
    this.refreshFlags(stateBase);
    if (tierUpDue(this.waitingForTierUp())) this.tierUp();
    for (;;) {
      let status = this.dispatch(stateBase);
      if (status === STATUS_MISS) {
        // A time slice ended (guest threads): the ticker also emptied the lookup cache so that compiled loops miss.
        const yieldWord = this.options.yieldWord;
        if (yieldWord !== undefined && this.memory.view.getUint32(yieldWord, true) !== 0) {
          this.memory.view.setUint32(yieldWord, 0, true);
          return TrapKind.Yield;
        }
        const softmmu = this.options.softmmu;
        if (softmmu && this.memory.view.getInt32(softmmu.budgetWord, true) <= 0) {
          this.memory.view.setInt32(softmmu.budgetWord, DISPATCH_BUDGET, true);
          if (this.options.pollInterrupt?.()) return TrapKind.Yield;
          // The budget ran out, which says nothing of the lookup cache: a sixth of a Linux boot's
          // misses were blocks the cache held, each checked and entered again by miss().
          continue;
        } else if (this.options.pollInterrupt && --this.missesUntilPoll <= 0) {
          this.missesUntilPoll = INTERRUPT_POLL_MISSES;
          if (this.options.pollInterrupt()) return TrapKind.Yield;
        }
        status = this.miss(stateBase);
      }
      if (status === TrapKind.None) continue;
      if (status === TrapKind.Yield || status === TrapKind.FlushCode) {
        this.afterYield(stateBase, status);
        continue;
      }
      if (status === TrapKind.MemoryFault && this.faultedOnTag(stateBase)) {
        const stepped = this.step(stateBase);
        if (stepped === TrapKind.None) continue;
        return stepped;
      }
      return status as TrapKind;
    }
  }

  /**
   * Runs exactly one guest instruction at the state's pc, ignoring breakpoints (debugger single-step,
   * and stepping off a breakpoint before continuing). Returns TrapKind.None when it completed.
   */
  step(stateBase: number): TrapKind {
    const pc = this.pcOf(stateBase);
    this.refreshFlags(stateBase);
    const ir = this.frontend.translate(this.code, pc, { maxInsns: 1, flags: this.current.flags });
    const status = runBlock(ir, this.memory, stateBase, this.portFor(stateBase));
    if (status === TrapKind.Yield || status === TrapKind.FlushCode) {
      this.afterYield(stateBase, status);
      return TrapKind.None;
    }
    return status;
  }

  /** Whether the fault generated code reported is an access through a tagged address (topByteIgnored). */
  private faultedOnTag(stateBase: number): boolean {
    if (!this.options.topByteIgnored) return false;
    return untaggedAddress(this.memory.view.getBigUint64(stateBase + STATE_FAULT_ADDR, true)) !== undefined;
  }

  /** A block yielded control: re-read the translation flags, and for FlushCode discard the code it names. */
  private afterYield(stateBase: number, status: TrapKind.Yield | TrapKind.FlushCode): void {
    if (status === TrapKind.FlushCode) {
      // Signed, as pcOf reads pcs: exact for system mode's upper-half addresses.
      const addr = Number(this.memory.view.getBigInt64(stateBase + STATE_FAULT_ADDR, true));
      const line = Number(this.memory.view.getBigInt64(stateBase + STATE_TRAP_ARG, true));
      this.invalidateCodeAt(addr - (((addr % line) + line) % line), line);
    }
    this.refreshFlags(stateBase);
  }

  /** Makes run() stop with TrapKind.Breakpoint before executing the instruction at pc. */
  addBreakpoint(pc: number): void {
    if (this.breakpoints.has(pc)) return;
    this.breakpoints.add(pc);
    const page = Math.floor(pc / 2 ** PAGE_SHIFT);
    this.breakpointPages.set(page, (this.breakpointPages.get(page) ?? 0) + 1);
    this.invalidateCodeAt(pc);
  }

  removeBreakpoint(pc: number): void {
    if (!this.breakpoints.delete(pc)) return;
    const page = Math.floor(pc / 2 ** PAGE_SHIFT);
    const left = (this.breakpointPages.get(page) ?? 1) - 1;
    if (left > 0) this.breakpointPages.set(page, left);
    else this.breakpointPages.delete(page);
    this.invalidateCodeAt(pc);
  }

  /** Discards translations of the code at [pc, pc + length) (virtual with softmmu; within one page). */
  private invalidateCodeAt(pc: number, length = 1): void {
    const at = this.options.softmmu ? this.options.softmmu.codeAddress(pc) : pc;
    // A JIT flushing code it has just written has nothing translated there: only a flag to read.
    if (at !== undefined && this.memory.pageFlags(at) & PageFlags.HasCode) this.invalidate(at, length);
  }

  hasBreakpoint(pc: number): boolean {
    return this.breakpoints.has(pc);
  }

  /**
   * The state's pc as a number: signed, so a 64-bit guest's upper-half addresses (system mode's
   * kernels at 0xffff...) stay exact; user-mode pcs are below 2^32 either way.
   */
  private pcOf(stateBase: number): number {
    return Number(this.memory.view.getBigInt64(stateBase + STATE_PC, true));
  }

  /**
   * Discards the translations of code overlapping [start, start + length): the cold blocks whose
   * bytes overlap it and every batch holding a compiled block that does (softmmu: every block of
   * the pages it touches), as QEMU invalidates the translation blocks a write overlaps. A page keeps
   * HasCode while translations of it remain, so later stores to it come here too (a JIT writing new
   * code beside code it runs, data sharing a page with code); after CODE_PAGE_WRITES of them all its
   * translations are discarded, and its stores run at full speed until code is translated there again.
   */
  invalidate(start: number, length: number): void {
    const end = start + Math.max(length, 1);
    const first = Math.floor(start / 2 ** PAGE_SHIFT);
    const last = Math.floor((end - 1) / 2 ** PAGE_SHIFT);
    const { discardedCold, discardedCompiled } = this.stats;
    for (let page = first; page <= last; page++) {
      if (!(this.memory.pageFlags(page * 2 ** PAGE_SHIFT) & PageFlags.HasCode)) continue;
      if (!this.discardOverlapping(page, start, end)) continue;
      const writes = (this.codePageWrites.get(page) ?? 0) + 1;
      if (writes < CODE_PAGE_WRITES) this.codePageWrites.set(page, writes);
      else this.discardOverlapping(page, -Infinity, Infinity);
    }
    if (this.stats.discardedCold !== discardedCold || this.stats.discardedCompiled !== discardedCompiled) {
      this.stats.invalidations++;
    }
  }

  /**
   * Discards the translations of `page` overlapping [start, end) in every set; clears the page's
   * HasCode when none are left. Whether any are left.
   */
  private discardOverlapping(page: number, start: number, end: number): boolean {
    let left = false;
    for (const set of this.sets.values()) {
      const cold = set.coldByPage.get(page);
      for (const pc of cold ?? []) {
        const block = set.cold.get(pc);
        if (block && !this.overlaps(pc, block.end, start, end)) continue;
        this.retireCold(set, pc);
        cold!.delete(pc);
      }
      if (cold?.size === 0) set.coldByPage.delete(page);
      const compiled = set.byPage.get(page);
      for (const tb of [...(compiled ?? [])]) {
        if (this.overlaps(tb.pc, tb.end, start, end)) this.killBatch(tb.batch);
      }
      if (compiled?.size === 0) set.byPage.delete(page);
      left ||= set.coldByPage.has(page) || set.byPage.has(page);
    }
    if (!left) {
      this.releaseCodePage(page);
      this.codePageWrites.delete(page);
    }
    return left;
  }

  /** Translations of `page` exist: its stores take the slow path that invalidates them. */
  private claimCodePage(page: number): void {
    const owners = this.options.codeOwners;
    if (!owners) this.memory.updatePageBits(page, PageFlags.HasCode, true);
    else if (!this.claimedPages.has(page)) {
      this.claimedPages.add(page);
      owners.claim(page);
    }
  }

  /** No translation of `page` is left in this engine. */
  private releaseCodePage(page: number): void {
    const owners = this.options.codeOwners;
    if (!owners) this.memory.updatePageBits(page, PageFlags.HasCode, false);
    else if (this.claimedPages.delete(page)) owners.release(page);
  }

  /** Whether the code of the block [pc, blockEnd) overlaps [start, end) (softmmu: always, by page). */
  private overlaps(pc: number, blockEnd: number, start: number, end: number): boolean {
    if (this.options.softmmu) return true;
    return this.codeStart(pc) < end && Math.max(blockEnd, pc + 1) > start;
  }

  /** Forgets the cold block at pc of `set`; with EngineOptions.retainCold it is kept aside for its code's return. */
  private retireCold(set: Translations, pc: number): void {
    const block = set.cold.get(pc);
    if (block) this.stats.discardedCold++;
    set.cold.delete(pc);
    if (block) this.retired?.retire(pc, block);
  }

  /** Where the code of the block at pc starts: pc without the bits that select an instruction set (a Thumb pc is odd). */
  private codeStart(pc: number): number {
    return pc - (pc & this.frontend.instructionSetBits);
  }

  /**
   * Discards every translation (user mode: an execve replaced the image; system mode: the guest
   * invalidated its instruction caches, a reset), cold blocks retired as invalidate does. In bulk,
   * since nothing survives to be told apart: the lookup cache emptied at once, every table slot
   * free again (a slot keeps its dead callable until reused: nothing names it any more), the maps
   * dropped rather than emptied entry by entry, the cold map retired whole. An execve in a forked
   * child discarded ~2700 blocks one by one in ~20 ms of its ~0.3 s, most of it page faults: each
   * write to an object the parent made copies the parent's page.
   */
  flushAll(): void {
    for (const set of this.sets.values()) {
      for (const page of set.byPage.keys()) this.releaseCodePage(page);
      for (const page of set.coldByPage.keys()) this.releaseCodePage(page);
      this.stats.discardedCompiled += set.blocks.size;
      this.stats.discardedCold += set.cold.size;
      this.retired?.retireAll(set.cold);
      set.cold = new Map();
      set.blocks = new Map();
      set.byPage = new Map();
      set.coldByPage = new Map();
    }
    this.emptyLookupCache();
    this.links.clear();
    this.freeSlots.length = 0;
    this.nextSlot = 0;
    this.tierUpWait.bytes = 0;
    this.codePageWrites.clear();
  }

  /**
   * Takes the translations made for the state's translation flags, when they are not those in force.
   * The lookup cache keeps the shared blocks: sqlite3 on ppc64le switches a few hundred times
   * (each conversion of a double-double to an integer rounds towards zero through FPSCR), and
   * emptying it made every compiled block miss again after each switch.
   */
  private refreshFlags(stateBase: number): void {
    const flags = this.frontend.translationFlags(this.memory.view, stateBase);
    if (flags === this.current.flags) return;
    const { view } = this.memory;
    for (const tb of this.current.blocks.values()) {
      const slot = lookupSlot(this.options.lookupBase, tb.pc);
      if (view.getUint32(slot + 8, true) === tb.tableIndex) view.setBigInt64(slot, -1n, true);
    }
    this.current = this.translationsFor(flags);
  }

  /** The cold block at pc valid under the flags in force. */
  private coldAt(pc: number): ColdBlock | undefined {
    return this.current.cold.get(pc) ?? this.shared.cold.get(pc);
  }

  /** The compiled block at pc valid under the flags in force. */
  private compiledAt(pc: number): TranslatedBlock | undefined {
    return this.current.blocks.get(pc) ?? this.shared.blocks.get(pc);
  }

  /** The translations that hold blocks translated under `flags` (ANY_FLAGS or those in force). */
  private setOf(flags: number): Translations {
    return flags === ANY_FLAGS ? this.shared : this.current;
  }

  /** The flags recorded for a block of IR translated under the flags in force. */
  private flagsOf(ir: CompactBlock): number {
    return ir.readsFlags ? this.current.flags : ANY_FLAGS;
  }

  /** The dispatcher found no compiled block at pc: install, interpret or compile it. */
  private miss(stateBase: number): TrapKind {
    const pc = this.pcOf(stateBase);
    if (this.breakpoints.has(pc)) return TrapKind.Breakpoint;
    // Translations are kept by virtual pc whatever the level that made them: the level running now
    // must be allowed to fetch here too (EL1 must not run a user page's code translated for EL0).
    const softmmu = this.options.softmmu;
    const codeAt = softmmu?.codeAddress(pc);
    if (softmmu && codeAt === undefined) {
      this.memory.view.setBigInt64(stateBase + STATE_FAULT_ADDR, BigInt(pc), true);
      return TrapKind.MemoryFault;
    }
    let known = this.compiledAt(pc);
    // A translation whose virtual page has been remapped since (translations outlive TLB flushes).
    if (known && codeAt !== undefined && known.pages[0] !== Math.floor(codeAt / 2 ** PAGE_SHIFT)) {
      this.killBatch(known.batch);
      known = undefined;
    }
    if (known) {
      if (this.options.pollInterrupt && !softmmu) {
        return (this.table.get(known.tableIndex) as (state: number) => number)(stateBase);
      }
      this.install(known, stateBase);
      return TrapKind.None;
    }
    const cache = this.options.cache;
    const firstMiss = this.coldAt(pc) === undefined;
    if (cache && firstMiss && this.installCachedBatch(pc, stateBase, cache, false)) return TrapKind.None;
    if (codeAt !== undefined) this.forgetRemappedCold(pc, codeAt);
    const block = this.coldBlock(pc);
    block.loopIters += this.memory.view.getInt32(stateBase + STATE_LOOP_ITERS, true);
    this.memory.view.setInt32(stateBase + STATE_LOOP_ITERS, 0, true);
    const mayCompile = !this.options.onBlockStart && !this.onBreakpointPage(block.pc, block.end);
    if (++block.runs >= HOT_RUNS && mayCompile) {
      if (cache && this.installCachedBatch(pc, stateBase, cache, true)) return TrapKind.None;
      const tb = this.compileHot(pc);
      if (!this.options.pollInterrupt || softmmu) this.install(tb, stateBase);
      return TrapKind.None;
    }
    this.options.onBlockStart?.(pc);
    this.stats.interpreted++;
    const status = runCompact(block.ir, this.memory, stateBase, this.portFor(stateBase));
    if (status === TrapKind.None && block.indirect.length < MAX_INDIRECT_TARGETS) {
      const next = this.pcOf(stateBase);
      if (!block.ir.successors.includes(next) && !block.indirect.includes(next)) block.indirect.push(next);
    }
    return status;
  }

  /** Softmmu: forgets the cold block at pc if its virtual page no longer maps where its code came from. */
  private forgetRemappedCold(pc: number, codeAt: number): void {
    const block = this.coldAt(pc);
    if (!block || block.page === Math.floor(codeAt / 2 ** PAGE_SHIFT)) return;
    const set = this.setOf(block.flags);
    set.cold.delete(pc);
    if (block.page !== undefined) set.coldByPage.get(block.page)?.delete(pc);
  }

  /** How interpreted blocks of the CPU whose state is at stateBase reach guest memory. */
  private portFor(stateBase: number): GuestPort {
    if (!this.port || this.portBase !== stateBase) {
      const softmmu = this.options.softmmu;
      this.port = softmmu
        ? new SoftmmuAccess(this.memory, softmmu, stateBase)
        : new GuestAccess(this.memory, this.endian, this.onCodeWrite, this.options.topByteIgnored);
      this.portBase = stateBase;
    }
    return this.port;
  }

  /**
   * Installs a hot batch of the persistent cache holding pc, if it has one whose code is unchanged
   * (`turnedHot`: pc's block has just become hot here, CodeCache.hotBatch); its blocks leave the
   * cold tier, as when a batch is compiled.
   */
  private installCachedBatch(pc: number, stateBase: number, cache: CodeCache, turnedHot: boolean): boolean {
    const found = cache.hotBatch(pc, this.current.flags, this.cacheHost, turnedHot);
    if (!found) return false;
    const { module, functions, fromCode } = found;
    const set = module.blocks.every((block) => block.flags === ANY_FLAGS) ? this.shared : this.current;
    const code = { bytes: module.bytes, helpers: helperIdsByName(module.helpers), functions };
    // Made from V8's code, its hot functions are TurboFan code already: a forked child does not compile it again.
    const batch = this.newBatch(code, set, !fromCode);
    module.blocks.forEach((block, i) => {
      set.cold.delete(block.pc);
      const end = block.pc + block.code.length;
      const tb: TranslatedBlock = { pc: block.pc, end, tableIndex: this.allocSlot(), batch, pages: [] };
      this.table.set(tb.tableIndex, functions[i]!);
      batch.blocks.push(tb);
      set.blocks.set(tb.pc, tb);
      this.trackPages(tb);
    });
    for (const tb of batch.blocks) this.links.arrived(tb.pc);
    this.install(batch.blocks.find((tb) => tb.pc === pc)!, stateBase);
    this.stats.cached += module.blocks.length;
    return true;
  }

  /** Compiles the persistent cache's modules `modules` names without installing them (CodeCache.prepare). */
  prepareCached(modules: Iterable<CompiledModule>): void {
    this.options.cache?.prepare(modules, this.cacheHost);
  }

  private coldBlock(pc: number): ColdBlock {
    let block = this.coldAt(pc);
    if (!block) {
      const started = performance.now();
      block =
        this.retired?.takeBack(pc, this.current.flags, this.cacheHost.holds) ??
        this.cachedCold(pc) ??
        this.translateCold(pc);
      const { cold, coldByPage } = this.setOf(block.flags);
      cold.set(pc, block);
      this.forEachPage(block.pc, block.end, (page) => {
        if (this.options.softmmu) block!.page = page;
        let set = coldByPage.get(page);
        if (!set) coldByPage.set(page, (set = new Set()));
        set.add(pc);
        this.claimCodePage(page);
      });
      this.stats.translateMs += performance.now() - started;
    }
    return block;
  }

  private translateCold(pc: number): ColdBlock {
    const onBreakpointPage = this.breakpointPages.has(Math.floor(pc / 2 ** PAGE_SHIFT));
    const maxInsns = onBreakpointPage ? 1 : this.options.maxInsns;
    const ir = this.frontend.translate(this.code, pc, { maxInsns, flags: this.current.flags });
    this.stats.translated++;
    this.options.onTranslate?.(ir);
    const code = this.retired || this.options.cache ? this.memory.u8.slice(this.codeStart(pc), ir.end) : undefined;
    const compact = compactBlock(ir);
    const block = newColdBlock(pc, compact, code, this.flagsOf(compact));
    if (block.code && block.code.length > 0 && !onBreakpointPage) {
      this.options.cache?.addCold(pc, block.flags, block.code, block.ir);
    }
    return block;
  }

  /** The block at pc from the persistent cache's cold blocks, if an earlier run translated the code now there. */
  private cachedCold(pc: number): ColdBlock | undefined {
    const ir = this.options.cache?.coldBlock(pc, this.current.flags, this.cacheHost.holds);
    if (!ir) return undefined;
    this.stats.cachedCold++;
    return newColdBlock(pc, ir, this.memory.u8.slice(this.codeStart(pc), ir.end), this.flagsOf(ir));
  }

  /** Compiles the hot block at pc with the already-run blocks it leads to into one module; returns pc's. */
  private compileHot(pc: number): TranslatedBlock {
    const started = performance.now();
    const blocks = this.hotBatch(pc);
    const irs = blocks.map((block) => expandBlock(block.ir));
    const indirect = new Map(blocks.map((block) => [block.pc, block.indirect.filter(this.inBatchOf(pc))]));
    // A batch of blocks valid under any flags is too; one that is not holds its blocks for these flags.
    const set = blocks.every((block) => block.flags === ANY_FLAGS) ? this.shared : this.current;
    for (const block of blocks) {
      this.setOf(block.flags).cold.delete(block.pc);
      block.compiles++;
    }
    const compiled = this.compile(irs, true, (at) => indirect.get(at) ?? []);
    this.options.onModule?.(compiled.bytes);
    if (this.options.cache && blocks.every((block) => block.code !== undefined && block.code.length > 0)) {
      const flags = set.flags;
      const cached: CachedBlockCode[] = blocks.map((block) => ({ pc: block.pc, flags, code: block.code! }));
      const helpers = compiled.helpers.map((id) => helperById(id).name);
      this.options.cache.add({ bytes: compiled.bytes, helpers, blocks: cached }, compiled.functions);
    }
    const batch = this.newBatch(compiled, set);
    blocks.forEach((block, i) => {
      const tableIndex = this.allocSlot();
      const tb: TranslatedBlock = { pc: block.pc, end: block.end, tableIndex, batch, pages: [], cold: block };
      this.table.set(tb.tableIndex, compiled.functions[i]!);
      batch.blocks.push(tb);
      const replaced = this.compiledAt(tb.pc);
      set.blocks.set(tb.pc, tb);
      this.trackPages(tb);
      // A block taken in from an older batch: the dispatcher now enters this batch's copy.
      if (replaced && this.installed(replaced)) {
        this.memory.view.setUint32(lookupSlot(this.options.lookupBase, tb.pc) + 8, tb.tableIndex, true);
      }
    });
    for (const tb of batch.blocks) this.links.arrived(tb.pc);
    this.stats.blocks += irs.length;
    this.stats.modules++;
    this.stats.wasmBytes += compiled.size;
    this.stats.translateMs += performance.now() - started;
    return batch.blocks[0]!;
  }

  /** Softmmu: a hot batch holds only blocks of its hot block's virtual page. */
  private inBatchOf(pc: number): (at: number) => boolean {
    const page = Math.floor(pc / 2 ** PAGE_SHIFT);
    return this.options.softmmu ? (at) => Math.floor(at / 2 ** PAGE_SHIFT) === page : () => true;
  }

  /**
   * The hot block at pc and the blocks it leads to that have run, breadth first. With softmmu only
   * blocks of pc's virtual page (blocks of one module chain to each other without the dispatcher,
   * so every jump to another page goes through miss(), which checks that page's translation), and
   * then the page's other blocks that have run, with the blocks they lead to. In user mode, then
   * the compiled blocks that lead back into the batch (takeInCompiled).
   */
  private hotBatch(pc: number): ColdBlock[] {
    const blocks: ColdBlock[] = [];
    let insns = 0;
    /** Adds `block` unless the batch would grow past BATCH_IR_INSNS; whether it did. */
    const add = (block: ColdBlock): boolean => {
      const size = block.ir.code.length / RECORD_SIZE;
      if (blocks.length > 0 && insns + size > BATCH_IR_INSNS) return false;
      insns += size;
      blocks.push(block);
      return true;
    };
    const queued = new Set<number>([pc]);
    const queue = [pc];
    const limit = this.options.softmmu ? SOFTMMU_BATCH_BLOCKS : BATCH_BLOCKS;
    const inBatch = this.inBatchOf(pc);
    const join = (s: number): void => {
      const next = this.coldAt(s);
      if (!queued.has(s) && inBatch(s) && next && next.runs > 0 && !this.onBreakpointPage(next.pc, next.end)) {
        queued.add(s);
        queue.push(s);
      }
    };
    const drain = (): void => {
      while (queue.length > 0 && blocks.length < limit) {
        const at = queue.shift()!;
        const block = this.coldAt(at);
        if (block && add(block)) for (const s of nextPcs(block)) join(s);
      }
    };
    drain();
    const hot = this.coldAt(pc);
    if (hot?.page !== undefined) {
      for (const s of this.current.coldByPage.get(hot.page) ?? []) join(s);
      for (const s of this.shared.coldByPage.get(hot.page) ?? []) join(s);
      drain();
    }
    const iters = hot ? hot.loopIters / hot.runs : 0;
    if (!this.options.softmmu && iters >= 1 && iters <= TAKE_IN_ITERS) {
      for (const block of this.takeInCompiled(blocks, limit - blocks.length)) add(block);
    }
    return blocks;
  }

  /**
   * Compiled blocks (of earlier batches) on a path from the batch back into it, up to `room`: a
   * loop whose blocks became hot at different times (a tree search that went left a few times
   * before it first went right) would otherwise run its turns in different modules, through the
   * dispatcher at every crossing. Compiled again here (from the IR they keep), they replace the older
   * batch's copies wherever the dispatcher enters them; that batch keeps running its own copies
   * internally. Only when the loops exiting to the hot block ran few iterations per exit (hotBatch).
   */
  private takeInCompiled(batch: readonly ColdBlock[], room: number): ColdBlock[] {
    const inBatch = new Set(batch.map((block) => block.pc));
    const found = new Map<number, ColdBlock>();
    const queue = batch.flatMap(nextPcs);
    while (queue.length > 0 && found.size < COMPILED_SEARCH) {
      const at = queue.shift()!;
      const cold = this.compiledAt(at)?.cold;
      if (inBatch.has(at) || found.has(at) || !cold || cold.compiles >= MAX_COMPILES) continue;
      found.set(at, cold);
      queue.push(...nextPcs(cold));
    }
    const leadsBack = new Set<number>();
    for (let grew = true; grew; ) {
      grew = false;
      for (const [at, cold] of found) {
        if (leadsBack.has(at) || !nextPcs(cold).some((s) => inBatch.has(s) || leadsBack.has(s))) continue;
        leadsBack.add(at);
        grew = true;
      }
    }
    return [...found.values()].filter((cold) => leadsBack.has(cold.pc)).slice(0, room);
  }

  private compile(
    irs: readonly IRBlock[],
    chain: boolean,
    indirectTargets?: (pc: number) => readonly number[],
  ): ReturnType<typeof compileBatch> {
    return compileBatch(irs, { ...this.moduleEnv(chain), ...(indirectTargets && { indirectTargets }) });
  }

  private moduleEnv(chain: boolean): ModuleEnv {
    const softmmu = this.options.softmmu;
    return {
      memory: this.memory.memory,
      endian: this.endian,
      slowStore: this.slowStore,
      loadCheck: this.loadCheck,
      chain,
      // Indirect branches chain through the lookup cache, which system mode never fills; and every
      // instance importing the table makes each later Table.set and instantiation dearer in V8.
      ...(chain && !softmmu && { lookup: { table: this.table, base: this.options.lookupBase } }),
      view: this.memory.view,
      hub: this.hub,
      ...(this.options.nameCode && { names: true }),
      ...(softmmu && { softmmu: { layout: softmmu.layout, translate: softmmu.translate, budgetWord: softmmu.budgetWord } }),
    };
  }

  /** Blocks touching a page with breakpoints are never compiled: the dispatcher would run past them. */
  private onBreakpointPage(pc: number, end: number): boolean {
    if (this.breakpointPages.size === 0) return false;
    const first = Math.floor(pc / 2 ** PAGE_SHIFT);
    const last = Math.floor((Math.max(end, pc + 1) - 1) / 2 ** PAGE_SHIFT);
    for (let page = first; page <= last; page++) if (this.breakpointPages.has(page)) return true;
    return false;
  }

  private trackPages(tb: TranslatedBlock): void {
    this.forEachPage(tb.pc, tb.end, (page) => {
      tb.pages.push(page);
      const { byPage } = tb.batch.set;
      let set = byPage.get(page);
      if (!set) byPage.set(page, (set = new Set()));
      set.add(tb);
      this.claimCodePage(page);
    });
  }

  /** Whether the lookup cache enters tb at its pc. */
  private installed(tb: TranslatedBlock): boolean {
    const slot = lookupSlot(this.options.lookupBase, tb.pc);
    const { view } = this.memory;
    return view.getBigInt64(slot, true) === BigInt(tb.pc) && view.getUint32(slot + 8, true) === tb.tableIndex;
  }

  /** Enters a block in the lookup cache (softmmu: for the regime the state runs in now). */
  private install(tb: TranslatedBlock, stateBase: number): void {
    const slot = lookupSlot(this.options.lookupBase, tb.pc);
    const softmmu = this.options.softmmu;
    if (softmmu) {
      const tag = this.memory.view.getInt32(stateBase + softmmu.layout.indexSlot, true);
      this.memory.view.setInt32(slot + LOOKUP_TAG, tag, true);
      const page = Math.floor(tb.pc / 2 ** PAGE_SHIFT);
      let slots = this.installedByPage.get(page);
      if (!slots) this.installedByPage.set(page, (slots = new Set()));
      slots.add(slot);
    }
    this.memory.view.setBigInt64(slot, BigInt(tb.pc), true);
    this.memory.view.setUint32(slot + 8, tb.tableIndex, true);
  }

  /**
   * Softmmu: the translation of virtual pages [first, first + count) (all pages when no range is
   * given) may have changed. Their blocks leave the lookup cache; miss() checks them again.
   */
  forgetMappings(first?: number, count?: number): void {
    const forget = (slots: Set<number>): void => {
      for (const slot of slots) this.memory.view.setBigInt64(slot, -1n, true);
    };
    if (first === undefined || count === undefined) {
      for (const slots of this.installedByPage.values()) forget(slots);
      this.installedByPage.clear();
      return;
    }
    if (count > this.installedByPage.size) {
      for (const [page, slots] of this.installedByPage) {
        if (page - first >= 0 && page - first < count) {
          forget(slots);
          this.installedByPage.delete(page);
        }
      }
      return;
    }
    for (let page = first; page < first + count; page++) {
      const slots = this.installedByPage.get(page);
      if (!slots) continue;
      forget(slots);
      this.installedByPage.delete(page);
    }
  }

  /** Softmmu: the translations of the regimes tagged `tags` were dropped; their blocks leave the cache. */
  forgetRegimes(tags: readonly number[]): void {
    if (tags.length === 0) return;
    for (const slots of this.installedByPage.values()) {
      for (const slot of slots) {
        if (!tags.includes(this.memory.view.getInt32(slot + LOOKUP_TAG, true))) continue;
        this.memory.view.setBigInt64(slot, -1n, true);
        slots.delete(slot);
      }
    }
  }

  /**
   * A batch of `set` without blocks yet, of the module `code` (kept only for a process that may fork);
   * `tiersUp`: a forked child compiles it again with TurboFan once it has run long enough.
   */
  private newBatch(code: BatchCode, set: Translations, tiersUp = true): Batch {
    const generation = forkGeneration();
    const kept = this.options.forks === true;
    const waitsForTierUp = kept && tiersUp && isForkedChild();
    if (waitsForTierUp) this.tierUpWait = { generation, bytes: this.waitingForTierUp() + code.bytes.length };
    const links = exitLinkTable(code.functions);
    if (links) this.links.attach(links, set.flags);
    return { blocks: [], alive: true, generation, waitsForTierUp, set, ...(kept && { code }), ...(links && { links }) };
  }

  /** Wasm bytes of this fork's live batches waiting for the forked child's own tier-up (wasm/tiers.ts). */
  private waitingForTierUp(): number {
    return this.tierUpWait.generation === forkGeneration() ? this.tierUpWait.bytes : 0;
  }

  /**
   * Compiles every live batch made since the fork again with TurboFan and puts the new callables in
   * the table and in the batch's shared callables (a forked child, which V8 cannot tier up:
   * wasm/tiers.ts).
   */
  private tierUp(): void {
    const started = performance.now();
    const generation = forkGeneration();
    const batches = new Map<Function[], Batch[]>();
    for (const set of this.sets.values()) {
      for (const { batch } of set.blocks.values()) {
        if (!batch.code || !batch.alive || batch.generation !== generation || !batch.waitsForTierUp) continue;
        batch.waitsForTierUp = false;
        const sharing = batches.get(batch.code.functions);
        if (!sharing) batches.set(batch.code.functions, [batch]);
        else if (!sharing.includes(batch)) sharing.push(batch);
      }
    }
    for (const [functions, sharing] of batches) {
      const { bytes, helpers } = sharing[0]!.code!;
      let module: WebAssembly.Module;
      let wire: Uint8Array;
      try {
        wire = partBytes(bytes);
        module = recompileOptimized(wire);
      } catch {
        // A cached module whose file no longer has its bytes (truncated in place): it keeps its code.
        continue;
      }
      // Its code is kept for the next runs, forked children included (wasm/native-code.ts).
      this.options.cache?.optimized(wire, module);
      const optimized = instantiateBatch(module, helpers, functions.length, this.moduleEnv(true));
      replaceFunctions(functions, optimized);
      const links = exitLinkTable(functions);
      for (const batch of sharing) {
        batch.blocks.forEach((tb, i) => this.table.set(tb.tableIndex, functions[i]!));
        for (const tb of batch.blocks) this.links.replaced(tb);
        if (batch.links) this.links.detach(batch.links.table);
        if (links) this.links.attach((batch.links = links), batch.set.flags);
      }
    }
    this.tierUpWait = { generation, bytes: 0 };
    tieredUp();
    this.stats.translateMs += performance.now() - started;
  }

  private killBatch(batch: Batch): void {
    if (!batch.alive) return;
    batch.alive = false;
    if (batch.waitsForTierUp && batch.generation === this.tierUpWait.generation) {
      // At least 0: a batch none of whose blocks the sets still name is not tiered up, but was counted.
      this.tierUpWait.bytes = Math.max(0, this.tierUpWait.bytes - batch.code!.bytes.length);
    }
    this.stats.discardedCompiled += batch.blocks.length;
    const { blocks, byPage } = batch.set;
    for (const tb of batch.blocks) {
      if (blocks.get(tb.pc) === tb) blocks.delete(tb.pc);
      const slot = lookupSlot(this.options.lookupBase, tb.pc);
      if (this.memory.view.getUint32(slot + 8, true) === tb.tableIndex) {
        this.memory.view.setBigUint64(slot, 0xffffffffffffffffn, true);
      }
      this.table.set(tb.tableIndex, null);
      this.freeSlots.push(tb.tableIndex);
      for (const page of tb.pages) byPage.get(page)?.delete(tb);
    }
    for (const tb of batch.blocks) this.links.discarded(tb);
    if (batch.links) this.links.detach(batch.links.table);
  }

  private allocSlot(): number {
    const free = this.freeSlots.pop();
    if (free !== undefined) return free;
    if (this.nextSlot >= this.table.length) this.table.grow(this.table.length);
    return this.nextSlot++;
  }

  /** The window pages holding a block's code (with softmmu, its one physical page, if mapped). */
  private forEachPage(pc: number, end: number, fn: (page: number) => void): void {
    if (this.options.softmmu) {
      const at = this.options.softmmu.codeAddress(pc);
      if (at !== undefined) fn(Math.floor(at / 2 ** PAGE_SHIFT));
      return;
    }
    const first = Math.floor(pc / 2 ** PAGE_SHIFT);
    const last = Math.floor((Math.max(end, pc + 1) - 1) / 2 ** PAGE_SHIFT);
    for (let page = first; page <= last; page++) fn(page);
  }
}
