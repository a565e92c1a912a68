/**
 * Indirect branches inside loop regions: a block ending in a computed jump whose targets were seen
 * (a switch's jump table) forms one region with those targets, and the jump continues inside the
 * region when the computed pc is one of them. The reference is the IR interpreter stepping the
 * same blocks one at a time through a dispatcher loop; the batch is checked to form the region so
 * the WebAssembly path under test is the in-region jump.
 */
import { describe, expect, it } from 'vitest';
import { STATE_PC } from '../../src/translate/frontend';
import type { IRBlock } from '../../src/translate/ir/block';
import { IRBuilder } from '../../src/translate/ir/builder';
import { TrapKind } from '../../src/translate/ir/ops';
import { compileBatch } from '../../src/translate/wasm/module';
import { loopRegions } from '../../src/translate/wasm/regions';
import { chainingEnv, interpretBlocksFrom, STATE, testMemory } from './ir-harness';

const COUNT = 0x40; // iterations left
const TARGET = 0x48; // where the dispatch block jumps next
const ACC = 0x50;
const DONE = 0x9000;
const DISPATCH = 0x1000;
const CASE_A = 0x2000;
const CASE_B = 0x3000;
const CASE_C = 0x4000; // a target the dispatch block was never seen to take

/** dispatch: if count == 0 leave; count -= 1; jump to the pc in TARGET. */
function dispatchBlock(): IRBlock {
  const b = new IRBuilder();
  b.insnStart(DISPATCH);
  const count = b.get(COUNT, 'i64');
  const done = b.label();
  b.brcond(b.compare('eq', count, b.i64(0)), done);
  b.set(COUNT, b.sub(count, b.i64(1)));
  b.exit(b.get(TARGET, 'i64'));
  b.place(done);
  b.exit(b.i64(DONE));
  return b.finish(DISPATCH, DISPATCH + 4, 1, [DONE], false);
}

/** A case: acc = acc * mul + add, set the next target, back to dispatch. */
function caseBlock(pc: number, mul: number, add: number, next: number): IRBlock {
  const b = new IRBuilder();
  b.insnStart(pc);
  b.set(ACC, b.add(b.binary('mul', b.get(ACC, 'i64'), b.i64(mul)), b.i64(add)));
  b.set(TARGET, b.i64(next));
  b.exit(b.i64(DISPATCH));
  return b.finish(pc, pc + 4, 1, [DISPATCH], false);
}

const blocks = [
  dispatchBlock(),
  caseBlock(CASE_A, 3, 1, CASE_B),
  caseBlock(CASE_B, 5, 7, CASE_A),
  caseBlock(CASE_C, 1, 1000, CASE_A),
];
const seen = new Map<number, number[]>([[DISPATCH, [CASE_A, CASE_B]]]);
const indirectTargets = (pc: number): readonly number[] => seen.get(pc) ?? [];
const mem = testMemory();

function reset(count: bigint, target: number): void {
  mem.u8.fill(0, STATE, STATE + 0x100);
  mem.view.setBigUint64(STATE + COUNT, count, true);
  mem.view.setBigUint64(STATE + TARGET, BigInt(target), true);
  mem.view.setBigUint64(STATE + ACC, 1n, true);
}

const outcome = (status: number) => ({
  status,
  pc: mem.view.getBigUint64(STATE + STATE_PC, true),
  acc: mem.view.getBigUint64(STATE + ACC, true),
  count: mem.view.getBigUint64(STATE + COUNT, true),
});

/** Reference: the interpreter, block by block. */
const interpretFrom = (pc: number) => outcome(interpretBlocksFrom(blocks, mem, pc));

/** The batch compiled with chaining; entered at DISPATCH, it runs until it leaves the batch. */
function compiledFrom(): ReturnType<typeof outcome> {
  const { functions } = compileBatch(blocks, chainingEnv(mem, indirectTargets));
  return outcome((functions[0] as (state: number) => number)(STATE));
}

describe('indirect branches inside a loop region', () => {
  it('puts the dispatch block and its seen targets in one region', () => {
    const regions = loopRegions(blocks, indirectTargets);
    expect(regions.find((r) => r.includes(0))!.sort()).toEqual([0, 1, 2]);
  });
  it('runs the loop as the interpreter does', () => {
    reset(1000n, CASE_A);
    const expected = interpretFrom(DISPATCH);
    reset(1000n, CASE_A);
    expect(compiledFrom()).toEqual(expected);
    expect(expected.pc).toBe(BigInt(DONE));
  });
  it('leaves the region for a target it was never seen to take', () => {
    reset(5n, CASE_C);
    const r = compiledFrom();
    expect(r).toMatchObject({ status: TrapKind.None, pc: BigInt(CASE_C), count: 4n, acc: 1n });
  });
});
