/**
 * The interpreter's atomics under another host thread's stores (vCPUs on host threads, QEMU's
 * MTTCG): a counter bumped by interpreted read-modify-writes and by LDXR/STXR-style loads and
 * compare-and-swaps (what the frontends emit for a store-exclusive) while a worker thread bumps the
 * same words with the host's own atomics must end at the sum of both threads' bumps, in either
 * byte order. A load followed by a plain store loses some of the worker's bumps.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { IRBuilder } from '../../src/translate/ir/builder';
import { TrapKind, type Endian } from '../../src/translate/ir/ops';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import { BLOCK_PC, RESULT, STATE, testMemory } from './ir-harness';

const PAGE = 0x70000;
/** The counters: little-endian, then big-endian. */
const COUNTER = { little: PAGE, big: PAGE + 8 };
const BUMPS = 20_000;

/** Bumps both counters (the big-endian one byte-swapped) with host atomics until told to stop. */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const words = new Uint32Array(workerData.buffer);
const control = new Int32Array(workerData.control);
const swap = (x) => (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
const big = workerData.big >>> 2;
let bumps = 0;
Atomics.store(control, 1, 1);
Atomics.notify(control, 1);
while (Atomics.load(control, 0) === 0) {
  Atomics.add(words, workerData.little >>> 2, 1);
  for (let old = Atomics.load(words, big); ; ) {
    const seen = Atomics.compareExchange(words, big, old, swap((swap(old) + 1) >>> 0));
    if (seen === old) break;
    old = seen;
  }
  bumps++;
}
parentPort.postMessage(bumps);
`;

/** A block that adds 1 to the counter with an atomic read-modify-write. */
function rmwBlock() {
  const b = new IRBuilder();
  b.insnStart(BLOCK_PC);
  b.rmw('add', b.i64(COUNTER.little), b.i32(1), 4);
  b.exit(b.i64(0));
  return b.finish(BLOCK_PC, BLOCK_PC + 4, 1, []);
}

/** A block that loads the counter and stores it plus 1 if it still holds what was loaded (RESULT: 0 if stored). */
function exclusiveBlock(at: number) {
  const b = new IRBuilder();
  b.insnStart(BLOCK_PC);
  const old = b.load('i32', b.i64(at), 4);
  const seen = b.cmpxchg(b.i64(at), old, b.add(old, b.i32(1)), 4);
  b.set(RESULT, b.compare('ne', seen, old));
  b.exit(b.i64(0));
  return b.finish(BLOCK_PC, BLOCK_PC + 4, 1, []);
}

describe('interpreted atomics beside another thread', () => {
  it('lose none of either thread’s bumps, in either byte order', async () => {
    const mem = testMemory();
    mem.setFlags(PAGE, 0x1000, 0);
    mem.u8.fill(0, PAGE, PAGE + 16);
    const control = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { buffer: mem.memory.buffer, control: control.buffer, ...COUNTER },
    });
    const workerBumps = new Promise<number>((resolve) => worker.once('message', resolve));
    Atomics.wait(control, 1, 0);
    const run = (block: ReturnType<typeof rmwBlock>, endian: Endian): void => {
      expect(interpretBlock(block, mem, STATE, endian)).toBe(TrapKind.None);
    };
    const rmw = rmwBlock();
    const exclusive = { little: exclusiveBlock(COUNTER.little), big: exclusiveBlock(COUNTER.big) };
    for (let i = 0; i < BUMPS; i++) {
      run(rmw, 'little');
      for (const endian of ['little', 'big'] as const) {
        do run(exclusive[endian], endian);
        while (mem.view.getUint32(STATE + RESULT, true) !== 0);
      }
    }
    Atomics.store(control, 0, 1);
    const bumps = await workerBumps;
    await worker.terminate();
    expect(mem.view.getUint32(COUNTER.little, true)).toBe(2 * BUMPS + bumps);
    expect(mem.view.getUint32(COUNTER.big, false)).toBe(BUMPS + bumps);
  });
});
