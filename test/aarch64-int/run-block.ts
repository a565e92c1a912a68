/**
 * Test support: runs assembled A64 code through the frontend and the WebAssembly backend on one
 * guest memory shared by the tests of a file.
 */
import { aarch64Frontend } from '../../src/translate/aarch64/frontend';
import { xreg } from '../../src/translate/aarch64/state';
import type { CodeSource } from '../../src/translate/frontend';
import { STATE_PC } from '../../src/translate/frontend';
import { GuestMemory } from '../../src/memory/guest-memory';
import { STATE_BASE, STATE_SIZE } from '../../src/memory/layout';
import type { TrapKind } from '../../src/translate/ir/ops';
import { runBlockWasm } from '../../src/translate/wasm/run-once';

/** Where test code is placed (it is fetched from the word list, not from guest memory). */
export const CODE_BASE = 0x10000;
export const STATE = STATE_BASE;

let memory: GuestMemory | undefined;

export function testMemory(): GuestMemory {
  memory ??= new GuestMemory(true);
  return memory;
}

/** Serves `words` as the code at CODE_BASE; every other address is not executable. */
export function codeSource(words: readonly number[]): CodeSource {
  const end = CODE_BASE + words.length * 4;
  return {
    fetch32: (pc) => (pc >= CODE_BASE && pc < end ? words[(pc - CODE_BASE) / 4] : undefined),
    fetch16: () => undefined,
  };
}

/** Clears the CPU state and sets X registers from `x`. */
export function resetState(x: Record<number, bigint> = {}): void {
  const mem = testMemory();
  mem.u8.fill(0, STATE, STATE + STATE_SIZE);
  for (const [n, v] of Object.entries(x)) mem.view.setBigUint64(STATE + xreg(Number(n)), BigInt.asUintN(64, v), true);
}

export const reg = (n: number): bigint => testMemory().view.getBigUint64(STATE + xreg(n), true);
export const statePc = (): number => Number(testMemory().view.getBigUint64(STATE + STATE_PC, true));

/** Translates and runs the block at `pc` once; returns its exit status. */
export function runBlockAt(code: CodeSource, pc: number): TrapKind {
  const block = aarch64Frontend.translate(code, pc, { maxInsns: 64, flags: 0 });
  return runBlockWasm(block, testMemory(), STATE, 'little');
}
