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

/** Registers a helper and returns its id, used as the `call` op's immediate. */
export function defineHelper(def: HelperDef): number {
  registry.push(def);
  return registry.length - 1;
}

export function helperById(id: number): HelperDef {
  const def = registry[id];
  if (!def) throw new Error(`unknown helper ${id}`);
  return def;
}

export function allHelpers(): readonly HelperDef[] {
  return registry;
}
