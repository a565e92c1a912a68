/**
 * Indirect branches leaving a block: a computed jump whose few targets were seen (a function's
 * return to its callers) goes straight on to a seen target compiled in the same module, and any
 * other pc leaves through the ordinary exit, as does a jump seen to take more targets than get exits
 * of their own (a switch). The reference is the IR interpreter running the same blocks one at a time.
 */
import { describe, expect, it } from 'vitest';
import { STATE_PC } from '../../src/translate/frontend';
import type { IRBlock } from '../../src/translate/ir/block';
import { IRBuilder } from '../../src/translate/ir/builder';
import { TrapKind } from '../../src/translate/ir/ops';
import { compileBatch } from '../../src/translate/wasm/module';
import { chainingEnv, interpretBlocksFrom, STATE, testMemory } from './ir-harness';

const TARGET = 0x48; // where the returning block jumps
const ACC = 0x50;
const DONE = 0x9000;
const RETURN = 0x1000; // seen to return to CALLER_A only
const SWITCH = 0x1100; // seen to jump to four different cases
const CALLER_A = 0x2000;
const CALLER_B = 0x3000;
const CALLER_C = 0x4000;
const CALLER_D = 0x5000;

/** acc += 1, then jump to the pc in TARGET. */
function jumpBlock(pc: number): IRBlock {
  const b = new IRBuilder();
  b.insnStart(pc);
  b.set(ACC, b.add(b.get(ACC, 'i64'), b.i64(1)));
  b.exit(b.get(TARGET, 'i64'));
  return b.finish(pc, pc + 4, 1, [], false);
}

/** acc = acc * mul, then leave the batch. */
function callerBlock(pc: number, mul: number): IRBlock {
  const b = new IRBuilder();
  b.insnStart(pc);
  b.set(ACC, b.binary('mul', b.get(ACC, 'i64'), b.i64(mul)));
  b.exit(b.i64(DONE));
  return b.finish(pc, pc + 4, 1, [DONE], false);
}

const blocks = [
  jumpBlock(RETURN),
  jumpBlock(SWITCH),
  callerBlock(CALLER_A, 3),
  callerBlock(CALLER_B, 5),
  callerBlock(CALLER_C, 7),
  callerBlock(CALLER_D, 11),
];
const seen = new Map<number, number[]>([
  [RETURN, [CALLER_A]],
  [SWITCH, [CALLER_A, CALLER_B, CALLER_C, CALLER_D]],
]);
const mem = testMemory();

/** A 64-bit word of CPU state. */
const word = (offset: number): bigint => mem.view.getBigUint64(STATE + offset, true);

function reset(target: number): void {
  mem.u8.fill(0, STATE, STATE + 0x100);
  mem.view.setBigUint64(STATE + TARGET, BigInt(target), true);
  mem.view.setBigUint64(STATE + ACC, 1n, true);
}

const outcome = (status: number) => ({ status, pc: word(STATE_PC), acc: word(ACC) });

/** Reference: the interpreter, block by block. */
const interpretFrom = (pc: number) => outcome(interpretBlocksFrom(blocks, mem, pc));

/** The batch compiled with chaining, entered at block `index`; the lookup cache is empty. */
function compiledFrom(index: number): ReturnType<typeof outcome> {
  const { functions } = compileBatch(blocks, chainingEnv(mem, (pc) => seen.get(pc) ?? []));
  return outcome((functions[index] as (state: number) => number)(STATE));
}

describe('indirect branches leaving a block', () => {
  it('go straight on to a seen target of the same module', () => {
    reset(CALLER_A);
    const expected = interpretFrom(RETURN);
    expect(expected).toEqual({ status: TrapKind.None, pc: BigInt(DONE), acc: 6n });
    reset(CALLER_A);
    expect(compiledFrom(0)).toEqual(expected);
  });

  it('leave through the ordinary exit for a target never seen', () => {
    reset(CALLER_B);
    expect(compiledFrom(0)).toEqual({ status: TrapKind.None, pc: BigInt(CALLER_B), acc: 2n });
  });

  it('leave through the ordinary exit when seen to take more targets than get exits of their own', () => {
    reset(CALLER_A);
    expect(compiledFrom(1)).toEqual({ status: TrapKind.None, pc: BigInt(CALLER_A), acc: 2n });
  });
});
