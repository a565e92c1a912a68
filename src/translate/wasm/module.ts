/**
 * Compiles a batch of IR blocks into one WebAssembly module (amortising V8's per-module cost) and
 * instantiates it against the guest memory. Blocks of one batch chain to each other directly with
 * tail calls; exits to constant pcs of other modules through the module's link table
 * (engine/exit-links.ts); everything else goes back through the dispatcher.
 */
import type { IRBlock } from '../ir/block';
import { allHelpers, type HelperDef, type HelperValue } from '../ir/helpers';
import type { Endian, ValType } from '../ir/ops';
import { FunctionBody, ModuleBuilder, type FuncType } from './emitter';
import { ImportHub, withPad, type HubImport } from './import-hub';
import { LINK_TABLE, lowerBlock, lowerRegion, type ExitLinkEnv } from './lower';
import { loopRegions } from './regions';
import type { SoftTlbLayout, SoftTranslate } from './soft-tlb';

export const BLOCK_TYPE: FuncType = { params: ['i32'], results: ['i32'] };
export const REGION_TYPE: FuncType = { params: ['i32', 'i32'], results: ['i32'] };
export const LOAD_CHECK_TYPE: FuncType = { params: ['i32', 'i64', 'i32'], results: ['i32'] };
export const SLOW_STORE_TYPE: FuncType = { params: ['i32', 'i64', 'i64', 'i64', 'i32'], results: ['i32'] };
export const SOFT_TRANSLATE_TYPE: FuncType = { params: ['i32', 'i64', 'i32', 'i32'], results: ['i32'] };

/** JS side of the slow load check: non-zero when the guest may not read [addr, addr + size). */
export type LoadCheck = (state: number, addr: bigint, size: number) => number;

/** JS side of the slow store path: returns 0 when the store was done, non-zero for a fault. */
export type SlowStore = (state: number, addr: bigint, lo: bigint, hi: bigint, size: number) => number;

export interface ModuleEnv {
  memory: WebAssembly.Memory;
  endian: Endian;
  slowStore: SlowStore;
  loadCheck: LoadCheck;
  /** Let blocks of the batch tail-call each other directly. */
  chain: boolean;
  /**
   * Targets an indirect branch ending the block at `pc` was seen to take (while interpreted): with
   * `chain`, they join the block's loop region, and the branch jumps to them inside the region.
   */
  indirectTargets?: (pc: number) => readonly number[];
  /**
   * The dispatcher's function table and the window address of its lookup cache: with `chain`,
   * indirect branches look their target up there and tail-call it through the table (see
   * enterThrough).
   */
  lookup?: { table: WebAssembly.Table; base: number };
  /** Guest memory as a DataView, handed to helpers (see helpers.ts HelperContext). */
  view: DataView;
  /**
   * System mode: guest addresses are virtual and go through this software TLB (soft-tlb.ts);
   * `slowStore` then receives virtual addresses too. `budgetWord` is the dispatcher's i32 budget,
   * which loops inside a module also stop on when it is spent.
   */
  softmmu?: { layout: SoftTlbLayout; translate: SoftTranslate; budgetWord: number };
  /**
   * Where instances get the JavaScript functions they import (import-hub.ts): one per engine, for
   * every module it compiles; without it, a hub of this module's own.
   */
  hub?: ImportHub;
  /**
   * Name each function in the module's `name` section by the guest pc it runs (`b_<pc>` a block,
   * `e_<pc>` a block's entry into its loop region, `r_<pc>_<blocks>` a region), so that V8's perf
   * map (-perfmap) tells generated code apart.
   */
  names?: boolean;
}

export interface CompiledBatch {
  /** One callable per input block, in order. */
  functions: Function[];
  /** Size of the generated module in bytes. */
  size: number;
  /** The module bytes (for -d out_asm and the persistent translation cache). */
  bytes: Uint8Array;
  /** Ids of the helpers it imports. */
  helpers: number[];
}

/** A batch's module bytes and the helpers it imports, before compilation (what a persistent cache keeps). */
export interface EncodedBatch {
  bytes: Uint8Array;
  /** Ids of the helpers the module imports (as `h:<name>`). */
  helpers: number[];
}

/** Lowers and compiles `blocks` into one module. */
export function compileBatch(blocks: readonly IRBlock[], env: ModuleEnv): CompiledBatch {
  const encoded = encodeBatch(blocks, env);
  return {
    functions: instantiateBatch(new WebAssembly.Module(encoded.bytes), encoded.helpers, blocks.length, env),
    size: encoded.bytes.length,
    bytes: encoded.bytes,
    helpers: encoded.helpers,
  };
}

/** Lowers `blocks` into the bytes of one module exporting `b<i>` per block. */
export function encodeBatch(
  blocks: readonly IRBlock[],
  env: Omit<ModuleEnv, 'memory' | 'view' | 'slowStore' | 'loadCheck'>,
): EncodedBatch {
  const mb = new ModuleBuilder();
  mb.addImport({ module: 'env', name: 'mem', kind: 'memory', shared: true, min: 65536, max: 65536 });
  const slowStoreFunc = mb.addImport({ module: 'env', name: 'slowStore', kind: 'func', type: withPad(SLOW_STORE_TYPE) });
  const loadCheckFunc = mb.addImport({ module: 'env', name: 'loadCheck', kind: 'func', type: withPad(LOAD_CHECK_TYPE) });
  const translateFunc = env.softmmu
    ? mb.addImport({ module: 'env', name: 'softTranslate', kind: 'func', type: withPad(SOFT_TRANSLATE_TYPE) })
    : undefined;
  const enterFunc =
    env.chain && env.lookup
      ? mb.addImport({ module: 'env', name: 'enter', kind: 'func', type: withPad(REGION_TYPE) })
      : undefined;

  const used = new Set<number>();
  for (const block of blocks) {
    for (const insn of block.insns) if (insn.op === 'call') used.add(insn.imm as number);
  }
  const helpers = allHelpers();
  const helperFuncs = new Map<number, number>();
  const helperIds = [...used].sort((a, b) => a - b);
  for (const id of helperIds) {
    const def = helpers[id]!;
    helperFuncs.set(id, mb.addImport({ module: 'env', name: helperImportName(def), kind: 'func', type: withPad(helperType(def)) }));
  }

  // Function indices: each block gets an exported `(state) -> status` function; the blocks of a
  // loop region share one `(state, entry) -> status` body that their functions tail-call.
  const indirectTargets = env.chain && env.indirectTargets ? env.indirectTargets : () => [];
  const regions = env.chain ? loopRegions(blocks, indirectTargets) : blocks.map((_, i) => [i]);
  const importCount = (translateFunc === undefined ? 2 : 3) + (enterFunc === undefined ? 0 : 1) + used.size;
  const blockFunc = blocks.map((_, i) => importCount + i);
  const byPc = new Map<number, number>();
  blocks.forEach((b, i) => {
    if (!byPc.has(b.pc)) byPc.set(b.pc, blockFunc[i]!);
  });
  // Exits to constant pcs outside the module: a link table slot per pc (engine/exit-links.ts).
  const linkPcs: number[] = [];
  const linkSlots = new Map<number, number>();
  const exitLinks: ExitLinkEnv | undefined =
    enterFunc === undefined || !env.lookup
      ? undefined
      : {
          slot: (pc) => {
            let slot = linkSlots.get(pc);
            if (slot === undefined) linkSlots.set(pc, (slot = linkPcs.push(pc) - 1));
            return slot;
          },
          blockType: mb.typeIndex(BLOCK_TYPE),
          lookupBase: env.lookup.base,
        };
  const lowerEnv = {
    endian: env.endian,
    helperFunc: (id: number) => helperFuncs.get(id)!,
    slowStoreFunc,
    loadCheckFunc,
    chainTarget: (pc: number) => (env.chain ? byPc.get(pc) : undefined),
    indirectTargets,
    ...(enterFunc === undefined || !env.lookup ? {} : { indirectChain: { enterFunc, lookupBase: env.lookup.base } }),
    ...(exitLinks && { exitLinks }),
    ...(env.softmmu && translateFunc !== undefined ? { softmmu: { layout: env.softmmu.layout, translateFunc, budgetWord: env.softmmu.budgetWord } } : {}),
  };
  const regionOf = new Map<number, { members: number[]; func: number }>();
  let nextFunc = importCount + blocks.length;
  for (const members of regions) {
    if (members.length > 1) {
      const region = { members, func: nextFunc++ };
      for (const m of members) regionOf.set(m, region);
    }
  }
  blocks.forEach((block, i) => {
    const region = regionOf.get(i);
    let body: FunctionBody;
    if (region) {
      // Entry stub: region(state, index of this block within the region).
      body = new FunctionBody(1);
      body.code.byte(0x20).u32(0).byte(0x41).s32(region.members.indexOf(i)).byte(0x12).u32(region.func);
    } else {
      body = lowerBlock(block, lowerEnv);
    }
    const func = mb.addFunction(BLOCK_TYPE, body);
    mb.exportFunction(`b${i}`, func);
    if (env.names) mb.nameFunction(func, `${region ? 'e' : 'b'}_${block.pc.toString(16)}`);
  });
  const emitted = new Set<number>();
  for (const region of regionOf.values()) {
    if (emitted.has(region.func)) continue;
    emitted.add(region.func);
    const body = lowerRegion(
      region.members.map((m) => blocks[m]!),
      lowerEnv,
    );
    if (mb.addFunction(REGION_TYPE, body) !== region.func) throw new Error('region function index mismatch');
    if (env.names) {
      const first = blocks[region.members[0]!]!;
      mb.nameFunction(region.func, `r_${first.pc.toString(16)}_${region.members.length}`);
    }
  }
  if (linkPcs.length > 0) {
    if (mb.addTable(linkPcs.length, LINKS_EXPORT) !== LINK_TABLE) throw new Error('link table index mismatch');
    mb.addCustomSection(LINKS_SECTION, new Uint8Array(Float64Array.from(linkPcs).buffer));
  }
  return { bytes: mb.encode(), helpers: helperIds };
}

/** The export name of a module's link table, and the custom section listing the guest pc of each of its slots. */
const LINKS_EXPORT = 'links';
const LINKS_SECTION = 'tsemu.links';

/** A module instance's link table and the guest pc each slot's exits go to (engine/exit-links.ts). */
export interface ExitLinkTable {
  table: WebAssembly.Table;
  pcs: readonly number[];
}

/** WebAssembly.Module's static customSections, which TypeScript's library without the DOM leaves out. */
interface CustomSections {
  customSections(module: WebAssembly.Module, name: string): ArrayBuffer[];
}

/** The link table of the instance whose block callables are `functions`, kept beside them (instantiateBatch). */
const linkTables = new WeakMap<readonly Function[], ExitLinkTable>();

/** The link table of the instance whose block callables `functions` are; undefined when its module links no exit. */
export function exitLinkTable(functions: readonly Function[]): ExitLinkTable | undefined {
  return linkTables.get(functions);
}

/**
 * Puts the callables of another instance of the same module (a forked child's tier-up) in place of
 * those in `functions`, which whoever shares the array then runs, with that instance's link table.
 */
export function replaceFunctions(functions: Function[], replacement: readonly Function[]): void {
  functions.splice(0, functions.length, ...replacement);
  const links = linkTables.get(replacement);
  if (links) linkTables.set(functions, links);
  else linkTables.delete(functions);
}

/** A helper's import: by name, so that a module's bytes do not depend on this run's helper ids (persistent cache). */
const helperImportName = (def: HelperDef): string => `h:${def.name}`;

/** A helper's import signature: the state base, then its IR arguments. */
const helperType = (def: HelperDef): FuncType => ({
  params: ['i32', ...(def.params as ValType[])],
  results: def.result ? [def.result] : [],
});

/**
 * Instantiates a module made by encodeBatch against the guest memory and the engine's callbacks;
 * returns one callable per block, in order. `chain` and `softmmu` in `env` must be those it was encoded with.
 */
export function instantiateBatch(
  module: WebAssembly.Module,
  helperIds: readonly number[],
  blockCount: number,
  env: ModuleEnv,
): Function[] {
  const helpers = allHelpers();
  const view = env.view;
  const imports: HubImport[] = [
    { name: 'slowStore', type: SLOW_STORE_TYPE, fn: env.slowStore },
    { name: 'loadCheck', type: LOAD_CHECK_TYPE, fn: env.loadCheck },
  ];
  if (env.softmmu) imports.push({ name: 'softTranslate', type: SOFT_TRANSLATE_TYPE, fn: env.softmmu.translate });
  for (const id of helperIds) {
    const def = helpers[id]!;
    const impl = def.impl;
    // Generated code passes the state base (an i32, so possibly negative) before the IR arguments.
    const fn = (state: number, ...args: HelperValue[]): HelperValue | void => impl({ view, stateBase: state >>> 0 }, ...args);
    imports.push({ name: helperImportName(def), type: helperType(def), fn });
  }
  const enter = env.chain && env.lookup ? enterThrough(env.lookup.table, env.names === true) : undefined;
  const instance = new WebAssembly.Instance(module, {
    env: { mem: env.memory, ...(enter ? { enter } : {}), ...(env.hub ?? new ImportHub()).functions(imports) },
  });
  const functions = Array.from({ length: blockCount }, (_, i) => instance.exports[`b${i}`] as Function);
  const table = instance.exports[LINKS_EXPORT];
  if (table instanceof WebAssembly.Table) {
    const [section] = (WebAssembly.Module as unknown as CustomSections).customSections(module, LINKS_SECTION);
    if (!section || section.byteLength !== table.length * 8) throw new Error('link table without its pcs');
    linkTables.set(functions, { table, pcs: Array.from(new Float64Array(section)) });
  }
  return functions;
}

const enterStubs = new WeakMap<WebAssembly.Table, Function>();

/**
 * The one function `(state, index, pad) -> status` that tail-calls table[index](state), shared by every
 * module chaining through `table`. Modules import it instead of the table itself: V8 keeps a copy of
 * an imported table's dispatch entries in each importing instance and updates all of them on every
 * table.set, so with thousands of batch modules each new block cost time and memory in proportion to
 * the number of modules (a large program's start-up became quadratic and then ran out of heap).
 */
function enterThrough(table: WebAssembly.Table, named: boolean): Function {
  let enter = enterStubs.get(table);
  if (!enter) {
    const mb = new ModuleBuilder();
    mb.addImport({ module: 'env', name: 'table', kind: 'table', min: 1 });
    const body = new FunctionBody(3);
    body.code.byte(0x20).u32(0).byte(0x20).u32(1);
    body.code.byte(0x13).u32(mb.typeIndex(BLOCK_TYPE)).u32(0); // return_call_indirect
    const func = mb.addFunction(withPad(REGION_TYPE), body);
    mb.exportFunction('enter', func);
    if (named) mb.nameFunction(func, 'enter');
    const instance = new WebAssembly.Instance(new WebAssembly.Module(mb.encode()), { env: { table } });
    enter = instance.exports['enter'] as Function;
    enterStubs.set(table, enter);
  }
  return enter;
}
