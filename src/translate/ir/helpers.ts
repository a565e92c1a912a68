/**
 * Helper functions callable from translated code (`call` op): operations too long to express as
 * IR inline, written once in TypeScript. Each helper is registered with its typed signature; the
 * code generator imports it into every module, the interpreter calls it directly.
 *
 * Helpers receive the running CPU's context so they can read and write guest state and memory.
 */
import type { ValType } from './ops';

export type HelperValue = number | bigint;

export interface HelperContext {
  /** Guest CPU state and memory view (the same bytes generated code uses). */
  readonly view: DataView;
  /** Base offset of the CPU state inside the memory. */
  readonly stateBase: number;
}

export interface HelperDef {
  name: string;
  params: readonly ValType[];
  result: ValType | null;
  /** Implementation; i64 values are bigint, i32/f32/f64 are number. */
  impl: (ctx: HelperContext, ...args: HelperValue[]) => HelperValue | void;
}

const registry: HelperDef[] = [];
const idsByName = new Map<string, number>();

/**
 * Registers a helper and returns its id, used as the `call` op's immediate. Ids follow the order
 * modules are loaded in, which differs between runs (the start-up snapshot loads every target, the
 * bundle only what it needs), so what outlives a run names helpers by their unique names.
 */
export function defineHelper(def: HelperDef): number {
  if (idsByName.has(def.name)) throw new Error(`helper ${def.name} defined twice`);
  registry.push(def);
  idsByName.set(def.name, registry.length - 1);
  return registry.length - 1;
}

/** This run's ids of the helpers named `names`; throws when one is unknown. */
export function helperIdsByName(names: readonly string[]): number[] {
  return names.map((name) => {
    const id = idsByName.get(name);
    if (id === undefined) throw new Error(`unknown helper ${name}`);
    return id;
  });
}

export function helperById(id: number): HelperDef {
  const def = registry[id];
  if (!def) throw new Error(`unknown helper ${id}`);
  return def;
}

export function allHelpers(): readonly HelperDef[] {
  return registry;
}
