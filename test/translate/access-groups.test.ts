/**
 * Shared memory checks (src/translate/wasm/access-groups.ts): accesses off one base register
 * within straight-line code are checked once as a span. These cases run grouped accesses through
 * both IR executors (the interpreter checks every access on its own, so it is the reference) and
 * hold both to the architecture's rules: the first access that touches an unmapped page, even
 * partly, or goes past the address window faults with its own address, after the earlier
 * accesses of the instruction sequence took effect; stores to pages holding code are reported
 * one by one. Each case also asserts that the block really forms a group, so the WebAssembly
 * backend runs the grouped path.
 */
import { describe, expect, it } from 'vitest';
import type { GuestMemory } from '../../src/memory/guest-memory';
import { PageFlags } from '../../src/memory/layout';
import { STATE_FAULT_ADDR } from '../../src/translate/frontend';
import type { IRBlock, Temp } from '../../src/translate/ir/block';
import { IRBuilder } from '../../src/translate/ir/builder';
import { TrapKind, type Endian } from '../../src/translate/ir/ops';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import { planAccessGroups } from '../../src/translate/wasm/access-groups';
import { runBlockWasm } from '../../src/translate/wasm/run-once';
import { STATE, testMemory } from './ir-harness';

type Executor = (
  block: IRBlock,
  memory: GuestMemory,
  stateBase: number,
  endian: Endian,
  onCodeWrite?: (addr: number, size: number) => void,
) => TrapKind;

const DATA = 0x60000; // mapped
const HOLE = DATA + 0x1000; // unmapped
const CODE = DATA + 0x2000; // holds translated code
const MORE = DATA + 0x3000; // two mapped pages
const BASE_SLOT = 0x80;
const OUT = 0x40;
const mem = testMemory();
mem.setFlags(DATA, 0x1000, 0);
mem.setFlags(HOLE, 0x1000, PageFlags.Unmapped);
mem.setFlags(CODE, 0x1000, PageFlags.HasCode);
mem.setFlags(MORE, 0x2000, 0);
const TOP = 2 ** 32 - 0x1000; // the window's last page, mapped
mem.setFlags(TOP, 0x1000, 0);

type Build = (b: IRBuilder, base: () => Temp) => void;

/** Runs a block that reads its base address from state slot BASE_SLOT (set to `base`). */
function run(exec: Executor, base: bigint, build: Build) {
  mem.u8.fill(0, STATE, STATE + 0x100);
  mem.view.setBigUint64(STATE + BASE_SLOT, base, true);
  const b = new IRBuilder();
  b.insnStart(0x1000);
  build(b, () => b.get(BASE_SLOT, 'i64'));
  b.exit(b.i64(0x2000));
  const block = b.finish(0x1000, 0x1004, 1, []);
  expect(new Set([...planAccessGroups(block).values()].map((g) => g.group)).size).toBeGreaterThan(0);
  const writes: [number, number][] = [];
  const status = exec(block, mem, STATE, 'little', (a, s) => writes.push([a, s]));
  const out = [0, 1, 2].map((i) => mem.view.getBigUint64(STATE + OUT + 8 * i, true));
  return { status, out, faultAddr: mem.view.getBigUint64(STATE + STATE_FAULT_ADDR, true), writes };
}

/** ldp-like: three 8-byte loads at base + off, base + off + 8, base + off + 16 into OUT... */
const threeLoads =
  (off: number): Build =>
  (b, base) => {
    for (let i = 0; i < 3; i++) b.set(OUT + 8 * i, b.load('i64', b.add(base(), b.i64(off + 8 * i)), 8));
  };

describe.each([
  ['interpreter', interpretBlock],
  ['WebAssembly backend', runBlockWasm],
] as const)('%s, accesses sharing a base', (_name, exec) => {
  it('loads every member when the span is mapped, also across two mapped pages', () => {
    for (let i = 0; i < 3; i++) mem.view.setBigUint64(MORE + 0xff8 + 8 * i, 0x1111n * BigInt(i + 1), true);
    const r = run(exec, BigInt(MORE), threeLoads(0xff8));
    expect(r.status).toBe(TrapKind.None);
    expect(r.out).toEqual([0x1111n, 0x2222n, 0x3333n]);
  });
  it('loads every member of a span that ends inside a page bordering an unmapped one', () => {
    for (let i = 0; i < 3; i++) mem.view.setBigUint64(DATA + 0xfe0 + 8 * i, 0x4444n * BigInt(i + 1), true);
    const r = run(exec, BigInt(DATA), threeLoads(0xfe0));
    expect(r.status).toBe(TrapKind.None);
    expect(r.out).toEqual([0x4444n, 0x8888n, 0xccccn]);
  });
  it('faults at the first member that reaches an unmapped page, after the earlier ones loaded', () => {
    mem.view.setBigUint64(DATA + 0xff0, 5n, true);
    mem.view.setBigUint64(DATA + 0xff8, 6n, true);
    const r = run(exec, BigInt(DATA), threeLoads(0xff0));
    expect(r.status).toBe(TrapKind.MemoryFault);
    expect(r.faultAddr).toBe(BigInt(HOLE));
    expect(r.out).toEqual([5n, 6n, 0n]);
  });
  it('faults at the member past the end of the address window', () => {
    const r = run(exec, BigInt(TOP), threeLoads(0xff0));
    expect(r.status).toBe(TrapKind.MemoryFault);
    expect(r.faultAddr).toBe(2n ** 32n);
  });
  it('faults at the first member when the span wraps around 2^64 onto the window', () => {
    const r = run(exec, 2n ** 64n - 8n, threeLoads(0));
    expect(r.status).toBe(TrapKind.MemoryFault);
    expect(r.faultAddr).toBe(2n ** 64n - 8n);
  });
  it('performs the stores before a member that faults, and none after', () => {
    mem.view.setBigUint64(DATA + 0xff8, 0n, true);
    const r = run(exec, BigInt(DATA), (b, base) => {
      b.store(b.add(base(), b.i64(0xff8)), b.i64(42), 8);
      b.store(b.add(base(), b.i64(0x1000)), b.i64(43), 8);
    });
    expect(r.status).toBe(TrapKind.MemoryFault);
    expect(r.faultAddr).toBe(BigInt(HOLE));
    expect(mem.view.getBigUint64(DATA + 0xff8, true)).toBe(42n);
  });
  it('reports each store of a group to a page holding code and performs it', () => {
    const r = run(exec, BigInt(CODE), (b, base) => {
      b.store(base(), b.i32(7), 4);
      b.store(b.add(base(), b.i64(4)), b.i32(8), 4);
    });
    expect(r.status).toBe(TrapKind.None);
    expect(r.writes).toEqual([
      [CODE, 4],
      [CODE + 4, 4],
    ]);
    expect([mem.view.getUint32(CODE, true), mem.view.getUint32(CODE + 4, true)]).toEqual([7, 8]);
  });
  it('groups 32-bit addresses (zero-extended sums) and faults at the right one', () => {
    mem.view.setUint32(DATA + 0xffc, 9, true);
    const r = run(exec, BigInt(DATA + 0xffc), (b) => {
      const base32 = b.get(BASE_SLOT, 'i32');
      b.set(OUT, b.zext(b.load('i32', b.zext(b.add(base32, b.i32(0))), 4)));
      b.set(OUT + 8, b.zext(b.load('i32', b.zext(b.add(base32, b.i32(4))), 4)));
    });
    expect(r.status).toBe(TrapKind.MemoryFault);
    expect(r.faultAddr).toBe(BigInt(HOLE));
    expect(r.out[0]).toBe(9n);
  });
});
