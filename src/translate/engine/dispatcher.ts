/**
 * The dispatcher: a small wasm function that runs translated blocks back to back without returning
 * to JavaScript. It looks the next guest pc up in the direct-mapped lookup cache in guest memory
 * (LOOKUP_ENTRIES entries, memory/layout.ts, at the engine's own `lookupBase`, so engines can
 * share one memory) and calls the block through the function table; it returns to the engine on a
 * cache miss or when a block returns a non-zero status (trap, Yield).
 *
 * Lookup entry (16 bytes): guest pc (i64; all-ones = empty), table index (i32), regime tag (i32;
 * system mode only).
 *
 * System mode builds it with `SystemDispatch`: an entry matches only when its tag also equals the
 * translation regime in force (an i32 of the CPU state: the exception level and address space), so
 * code translated and checked for one level or ASID is never entered under another; and every
 * dispatch spends one unit of a budget word in memory, returning STATUS_MISS when it is spent, so
 * the CPU polls for interrupts and the end of its time slice every so many blocks (a device that
 * raised an interrupt sets the budget to zero).
 */
import { STATE_PC } from '../frontend';
import { Bytes, FunctionBody, ModuleBuilder } from '../wasm/emitter';
import { emitLookupSlot } from '../wasm/lookup-slot';
import { BLOCK_TYPE } from '../wasm/module';

/** Status the dispatcher returns when the next pc has no entry in the lookup cache. */
export const STATUS_MISS = 255;

/** Offset of a lookup entry's regime tag. */
export const LOOKUP_TAG = 12;

/** What the system-mode dispatcher adds (see the overview). */
export interface SystemDispatch {
  /** Offset in the CPU state of the i32 an entry's tag must equal. */
  tagSlot: number;
  /** Window address of the i32 dispatch budget. */
  budgetWord: number;
}

export function buildDispatcher(
  memory: WebAssembly.Memory,
  table: WebAssembly.Table,
  lookupBase: number,
  system?: SystemDispatch,
  named = false,
): (state: number) => number {
  const mb = new ModuleBuilder();
  mb.addImport({ module: 'env', name: 'mem', kind: 'memory', shared: true, min: 65536, max: 65536 });
  mb.addImport({ module: 'env', name: 'table', kind: 'table', min: 1 });
  const body = new FunctionBody(1);
  const pc = body.local('i64');
  const entry = body.local('i32');
  const status = body.local('i32');
  const c: Bytes = body.code;
  c.byte(0x03).byte(0x40); // loop
  if (system) {
    // if (--budget <= 0) return MISS
    c.byte(0x41).s32(system.budgetWord | 0);
    c.byte(0x41).s32(system.budgetWord | 0).byte(0x28).u32(2).u32(0).byte(0x41).s32(1).byte(0x6b);
    c.byte(0x22).u32(status).byte(0x36).u32(2).u32(0);
    c.byte(0x20).u32(status).byte(0x41).s32(0).byte(0x4c);
    c.byte(0x04).byte(0x40).byte(0x41).s32(STATUS_MISS).byte(0x0f).byte(0x0b);
  }
  // pc = state.pc
  c.byte(0x20).u32(0).byte(0x29).u32(3).u32(STATE_PC);
  c.byte(0x21).u32(pc);
  emitLookupSlot(c, () => c.byte(0x20).u32(pc), lookupBase);
  c.byte(0x21).u32(entry);
  // if entry.pc != pc (|| entry.tag != state.tag): return MISS
  c.byte(0x20).u32(entry).byte(0x29).u32(3).u32(0);
  c.byte(0x20).u32(pc).byte(0x52);
  if (system) {
    c.byte(0x20).u32(entry).byte(0x28).u32(2).u32(LOOKUP_TAG);
    c.byte(0x20).u32(0).byte(0x28).u32(2).u32(system.tagSlot);
    c.byte(0x47).byte(0x72); // i32.ne, i32.or
  }
  c.byte(0x04).byte(0x40).byte(0x41).s32(STATUS_MISS).byte(0x0f).byte(0x0b);
  // status = table[entry.index](state)
  c.byte(0x20).u32(0);
  c.byte(0x20).u32(entry).byte(0x28).u32(2).u32(8);
  c.byte(0x11).u32(mb.typeIndex(BLOCK_TYPE)).u32(0);
  c.byte(0x22).u32(status);
  // if status: return status
  c.byte(0x04).byte(0x40).byte(0x20).u32(status).byte(0x0f).byte(0x0b);
  c.byte(0x0c).u32(0); // continue loop
  c.byte(0x0b); // end loop
  c.byte(0x00);
  const idx = mb.addFunction(BLOCK_TYPE, body);
  mb.exportFunction('run', idx);
  if (named) mb.nameFunction(idx, 'dispatcher');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(mb.encode()), { env: { mem: memory, table } });
  return instance.exports['run'] as (state: number) => number;
}

/**
 * A block function that only returns status 0: what an exit link not linked to a block holds
 * (exit-links.ts), so that the exit, which has stored the next pc, returns to the dispatcher.
 */
export function buildReturnToDispatcher(): Function {
  const mb = new ModuleBuilder();
  const body = new FunctionBody(1);
  body.code.byte(0x41).s32(0);
  mb.exportFunction('unlinked', mb.addFunction(BLOCK_TYPE, body));
  return new WebAssembly.Instance(new WebAssembly.Module(mb.encode())).exports['unlinked'] as Function;
}
