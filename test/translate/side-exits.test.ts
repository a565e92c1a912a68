/**
 * Blocks that go on past forward conditional branches (src/translate/side-exit.ts): the AArch64
 * frontend's translation of a few hand-assembled words, run by the reference interpreter and by the
 * WebAssembly backend on each path; both must leave the state the branches' semantics give.
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../src/memory/guest-memory';
import { STATE_BASE } from '../../src/memory/layout';
import { aarch64Frontend } from '../../src/translate/aarch64/frontend';
import { xreg } from '../../src/translate/aarch64/state';
import { STATE_PC } from '../../src/translate/frontend';
import type { IRBlock } from '../../src/translate/ir/block';
import { TrapKind } from '../../src/translate/ir/ops';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import { MAX_CONTINUED_BRANCHES } from '../../src/translate/side-exit';
import { runBlockWasm } from '../../src/translate/wasm/run-once';

const CODE = 0x10000;
const CBZ_X0_PLUS_12 = 0xb4000060;
const ADD_X1_1 = 0x91000421;
const CBNZ_X2_PLUS_8 = 0xb5000042;
const ADD_X3_1 = 0x91000463;
const RET = 0xd65f03c0;
const CBZ_X0_MINUS_8 = 0xb4ffffc0;
const CBZ_X0_PLUS_256 = 0xb4000800;

const memory = new GuestMemory(true);

function translate(words: readonly number[]): IRBlock {
  const end = CODE + words.length * 4;
  const code = {
    fetch32: (pc: number) => (pc >= CODE && pc < end ? words[(pc - CODE) / 4] : undefined),
    fetch16: () => undefined,
  };
  return aarch64Frontend.translate(code, CODE, { maxInsns: 512, flags: 0 });
}

const executors = { interpreter: interpretBlock, wasm: runBlockWasm };

/** Runs `block` from registers `x` (others zero); returns the next pc and x1..x3. */
function run(executor: keyof typeof executors, block: IRBlock, x: Record<number, bigint>): bigint[] {
  const view = new DataView(memory.memory.buffer, STATE_BASE, aarch64Frontend.stateSize);
  new Uint8Array(memory.memory.buffer, STATE_BASE, aarch64Frontend.stateSize).fill(0);
  for (const [n, value] of Object.entries(x)) view.setBigUint64(xreg(Number(n)), value, true);
  expect(executors[executor](block, memory, STATE_BASE, 'little')).toBe(TrapKind.None);
  return [view.getBigUint64(STATE_PC, true), ...[1, 2, 3].map((n) => view.getBigUint64(xreg(n), true))];
}

const EXECUTORS = Object.keys(executors) as (keyof typeof executors)[];

describe.each(EXECUTORS)('a block past forward conditional branches (%s)', (executor) => {
  const block = translate([CBZ_X0_PLUS_12, ADD_X1_1, CBNZ_X2_PLUS_8, ADD_X3_1, RET]);

  it('holds the code after each forward branch, up to the return', () => {
    expect(block.insnCount).toBe(5);
    expect(block.end).toBe(CODE + 20);
    expect(block.successors).toEqual([CODE + 12, CODE + 16]);
  });

  it('leaves at a taken branch with the state as of that branch', () => {
    expect(run(executor, block, { 0: 0n, 1: 10n, 30: 0x5000n })).toEqual([BigInt(CODE + 12), 10n, 0n, 0n]);
    const taken = run(executor, block, { 0: 1n, 1: 10n, 2: 7n, 30: 0x5000n });
    expect(taken).toEqual([BigInt(CODE + 16), 11n, 7n, 0n]);
  });

  it('runs on past branches not taken', () => {
    expect(run(executor, block, { 0: 1n, 1: 10n, 3: 20n, 30: 0x5000n })).toEqual([0x5000n, 11n, 0n, 21n]);
  });

  it('ends at a backward branch (a loop keeps its blocks for region formation)', () => {
    const loop = translate([ADD_X1_1, CBZ_X0_MINUS_8, RET]);
    expect(loop.insnCount).toBe(2);
    expect(run(executor, loop, { 0: 0n })).toEqual([BigInt(CODE - 4), 1n, 0n, 0n]);
    expect(run(executor, loop, { 0: 1n })).toEqual([BigInt(CODE + 8), 1n, 0n, 0n]);
  });

  it(`goes on past at most ${MAX_CONTINUED_BRANCHES} branches`, () => {
    const chain = translate([...Array<number>(MAX_CONTINUED_BRANCHES + 2).fill(CBZ_X0_PLUS_256), RET]);
    expect(chain.insnCount).toBe(MAX_CONTINUED_BRANCHES + 1);
    const last = CODE + MAX_CONTINUED_BRANCHES * 4;
    expect(run(executor, chain, { 0: 1n })).toEqual([BigInt(last + 4), 0n, 0n, 0n]);
    expect(run(executor, chain, { 0: 0n })).toEqual([BigInt(CODE + 256), 0n, 0n, 0n]);
  });
});
