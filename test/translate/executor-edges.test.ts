/**
 * Memory edge cases run through both IR executors (interpreter and WebAssembly backend) on
 * hand-built IR. The expected outcomes are the guest architecture's: an access that touches an
 * unmapped page, even partly, or lies beyond the address window is a data abort (SIGSEGV) at the
 * accessing instruction, with the access's address reported; a store to a page holding translated
 * code succeeds after the engine is told.
 */
import { describe, expect, it } from 'vitest';
import type { GuestMemory } from '../../src/memory/guest-memory';
import { PageFlags } from '../../src/memory/layout';
import { STATE_FAULT_ADDR, STATE_PC } from '../../src/translate/frontend';
import type { IRBlock } from '../../src/translate/ir/block';
import { IRBuilder } from '../../src/translate/ir/builder';
import { TrapKind, type Endian } from '../../src/translate/ir/ops';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import { runBlockWasm } from '../../src/translate/wasm/run-once';
import { STATE, testMemory } from './ir-harness';

type Executor = (
  block: IRBlock,
  memory: GuestMemory,
  stateBase: number,
  endian: Endian,
  onCodeWrite?: (addr: number, size: number) => void,
) => TrapKind;

const PAGE = 0x50000;
const INSN_PC = 0x1008;
const mem = testMemory();
mem.setFlags(PAGE, 0x1000, 0);
mem.setFlags(PAGE + 0x1000, 0x1000, PageFlags.Unmapped);
mem.setFlags(PAGE + 0x2000, 0x1000, PageFlags.HasCode);

function run(exec: Executor, build: (b: IRBuilder) => void, codeWrites: [number, number][] = []) {
  mem.u8.fill(0, STATE, STATE + 0x100);
  const b = new IRBuilder();
  b.insnStart(INSN_PC);
  build(b);
  b.exit(b.i64(0x2000));
  const status = exec(b.finish(INSN_PC, INSN_PC + 4, 1, []), mem, STATE, 'little', (a, s) => codeWrites.push([a, s]));
  return {
    status,
    pc: mem.view.getBigUint64(STATE + STATE_PC, true),
    faultAddr: mem.view.getBigUint64(STATE + STATE_FAULT_ADDR, true),
  };
}

const crossingLoad = (b: IRBuilder): void => b.set(64, b.load('i64', b.i64(PAGE + 0xffc), 8));
const crossingStore = (b: IRBuilder): void => b.store(b.i64(PAGE + 0xffc), b.i64(-1), 8);
const pastWindow = (b: IRBuilder): void => b.set(64, b.load('i64', b.i64(2 ** 32 - 4), 8));
const codeStore = (b: IRBuilder): void => b.store(b.i64(PAGE + 0x2010), b.i32(7), 4);

const FAULT = { status: TrapKind.MemoryFault, pc: BigInt(INSN_PC) };

describe.each([
  ['interpreter', interpretBlock],
  ['WebAssembly backend', runBlockWasm],
] as const)('%s', (_name, exec) => {
  it('faults on a load that runs into an unmapped page', () => {
    expect(run(exec, crossingLoad)).toEqual({ ...FAULT, faultAddr: BigInt(PAGE + 0xffc) });
  });
  it('faults on a store that runs into an unmapped page, leaving memory alone', () => {
    mem.view.setBigUint64(PAGE + 0xff8, 0n, true);
    expect(run(exec, crossingStore)).toEqual({ ...FAULT, faultAddr: BigInt(PAGE + 0xffc) });
    expect(mem.view.getUint32(PAGE + 0xffc, true)).toBe(0);
  });
  it('faults on an access past the end of the address window', () => {
    expect(run(exec, pastWindow)).toEqual({ ...FAULT, faultAddr: 2n ** 32n - 4n });
  });
  it('reports a store to a page holding code, then performs it', () => {
    const writes: [number, number][] = [];
    expect(run(exec, codeStore, writes).status).toBe(TrapKind.None);
    expect(writes).toEqual([[PAGE + 0x2010, 4]]);
    expect(mem.view.getUint32(PAGE + 0x2010, true)).toBe(7);
  });
});
