/**
 * Test support: hand-built IR blocks run by the reference interpreter on one guest memory per test
 * file, with results read back from CPU state.
 */
import { GuestMemory } from '../../src/memory/guest-memory';
import { LOOKUP_BASE, STATE_BASE, STATE_SIZE } from '../../src/memory/layout';
import { STATE_HEADER_SIZE, STATE_PC } from '../../src/translate/frontend';
import type { IRBlock, Temp } from '../../src/translate/ir/block';
import { IRBuilder } from '../../src/translate/ir/builder';
import { TrapKind, type Endian, type ValType } from '../../src/translate/ir/ops';
import { makeLoadCheck, makeSlowStore } from '../../src/translate/engine/slow-store';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import type { ModuleEnv } from '../../src/translate/wasm/module';

export const STATE = STATE_BASE;
/** Where `evaluate` leaves its result in CPU state. */
export const RESULT = STATE_HEADER_SIZE;
export const BLOCK_PC = 0x40000;

let memory: GuestMemory | undefined;
export function testMemory(): GuestMemory {
  memory ??= new GuestMemory(true);
  return memory;
}

export interface Run {
  status: TrapKind;
  state: DataView;
  codeWrites: [number, number][];
}

/** Builds a block with `build` (which must end it), runs it on cleared state, returns the outcome. */
export function runIR(build: (b: IRBuilder) => void, endian: Endian = 'little'): Run {
  const mem = testMemory();
  mem.u8.fill(0, STATE, STATE + STATE_SIZE);
  const b = new IRBuilder();
  b.insnStart(BLOCK_PC);
  build(b);
  const codeWrites: [number, number][] = [];
  const status = interpretBlock(b.finish(BLOCK_PC, BLOCK_PC + 4, 1, [], false), mem, STATE, endian, (a, s) =>
    codeWrites.push([a, s]),
  );
  return { status, state: new DataView(mem.memory.buffer, STATE, STATE_SIZE), codeWrites };
}

/** The value `compute` produces, read back as its bit pattern (v128 as a little-endian bigint). */
export function evaluate(compute: (b: IRBuilder) => Temp): bigint {
  let type: ValType = 'i32';
  const { state } = runIR((b) => {
    const t = compute(b);
    type = t.type;
    b.set(RESULT, t);
    b.exit(b.i64(0));
  });
  switch (type as ValType) {
    case 'i32':
    case 'f32':
      return BigInt(state.getUint32(RESULT, true));
    case 'i64':
    case 'f64':
      return state.getBigUint64(RESULT, true);
    case 'v128':
      return state.getBigUint64(RESULT, true) | (state.getBigUint64(RESULT + 8, true) << 64n);
  }
}

/** A v128 constant from a little-endian 128-bit value. */
export function v128Of(b: IRBuilder, value: bigint): Temp {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return b.v128(bytes);
}

/** A v128 constant with the given lanes of `bits` each (lane 0 first). */
export function lanesOf(b: IRBuilder, bits: number, lanes: readonly (number | bigint)[]): Temp {
  let value = 0n;
  lanes.forEach((x, i) => (value |= BigInt.asUintN(bits, BigInt(x)) << BigInt(i * bits)));
  return v128Of(b, value);
}

/** Lanes of `bits` of a 128-bit value, unsigned. */
export function splitLanes(value: bigint, bits: number): bigint[] {
  return Array.from({ length: 128 / bits }, (_, i) => BigInt.asUintN(bits, value >> BigInt(i * bits)));
}

/** Bit pattern helpers for float expectations. */
export function f32Bits(x: number): bigint {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x, true);
  return BigInt(v.getUint32(0, true));
}
export function f64Bits(x: number): bigint {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x, true);
  return v.getBigUint64(0, true);
}

/**
 * Interprets `blocks` one at a time from `pc`, as a dispatcher loop would, until a block traps or
 * the next pc is none of theirs; that block's status.
 */
export function interpretBlocksFrom(blocks: readonly IRBlock[], mem: GuestMemory, pc: number): TrapKind {
  const byPc = new Map(blocks.map((b) => [b.pc, b]));
  let status = TrapKind.None;
  for (let block = byPc.get(pc); block; ) {
    status = interpretBlock(block, mem, STATE, 'little');
    if (status !== TrapKind.None) break;
    block = byPc.get(Number(mem.view.getBigUint64(STATE + STATE_PC, true)));
  }
  return status;
}

/**
 * What compileBatch needs to compile a batch over `mem` with chaining: its blocks tail-call each
 * other, and indirect branches (seen to take `indirectTargets`) look into an empty lookup cache.
 */
export function chainingEnv(mem: GuestMemory, indirectTargets: (pc: number) => readonly number[]): ModuleEnv {
  return {
    memory: mem.memory,
    endian: 'little',
    slowStore: makeSlowStore(mem, 'little', () => {}),
    loadCheck: makeLoadCheck(mem),
    chain: true,
    indirectTargets,
    lookup: { table: new WebAssembly.Table({ element: 'anyfunc', initial: 1 }), base: LOOKUP_BASE },
    view: mem.view,
  };
}
