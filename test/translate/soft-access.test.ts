/**
 * The interpreter's system-mode memory access (interp/soft-access.ts) against the WebAssembly
 * backend's `softmmu` code, block by block: both run the same IR on the same memory, TLB and slow
 * paths (a small MMU of the test's: pages entered in the TLB on a miss, a read-only page, a device
 * page, unmapped addresses), and must leave the same status, CPU state, memory, TLB, device log and
 * recorded faults. Loads, stores of every type, page crossings, code pages, atomics, faults after a
 * state write.
 */
import { describe, expect, it } from 'vitest';
import { PageFlags, STATE_SIZE } from '../../src/memory/layout';
import { STATE_HEADER_SIZE } from '../../src/translate/frontend';
import { IRBuilder } from '../../src/translate/ir/builder';
import type { IRBlock, Temp } from '../../src/translate/ir/block';
import { TrapKind } from '../../src/translate/ir/ops';
import { runBlock } from '../../src/translate/interp/interpreter';
import { SoftmmuAccess } from '../../src/translate/interp/soft-access';
import { makeLoadCheck } from '../../src/translate/engine/slow-store';
import { compileBatch, type SlowStore } from '../../src/translate/wasm/module';
import {
  SoftAccess,
  tlbTableSize,
  type SoftTlbLayout,
  type SoftTranslate,
} from '../../src/translate/wasm/soft-tlb';
import { BLOCK_PC, STATE, testMemory } from './ir-harness';

const LAYOUT: SoftTlbLayout = { base: 0x0800_0000, indexSlot: STATE_HEADER_SIZE + 256, entries: 64 };
const RAM_VA = 0x1000_0000n;
const RAM_AT = 0x2000_0000;
/** Virtual pages RAM_VA + n * 4K, n < RAM_PAGES, map to RAM_AT + n * 4K; page READ_ONLY_PAGE is read-only. */
const RAM_PAGES = 4;
const READ_ONLY_PAGE = 3;
/** Page CODE_PAGE holds translated code: stores and atomics there always take the slow paths. */
const CODE_PAGE = 2;
const DEVICE_VA = 0x3000_0000n;
const BOUNCE = 0x0810_0000;
const RESULT = STATE_HEADER_SIZE;

interface Outcome {
  status: TrapKind;
  state: number[];
  ram: number[];
  tlb: number[];
  log: string[];
}

/** Runs `block` by `run` against fresh memory, TLB and MMU; returns everything it may have changed. */
function outcome(block: IRBlock, run: (translate: SoftTranslate, slowStore: SlowStore) => TrapKind): Outcome {
  const mem = testMemory();
  const view = mem.view;
  mem.u8.fill(0, STATE, STATE + STATE_SIZE);
  mem.u8.fill(0xff, LAYOUT.base, LAYOUT.base + 2 * tlbTableSize(LAYOUT));
  for (let i = 0; i < RAM_PAGES * 4096; i++) mem.u8[RAM_AT + i] = (i * 7 + 3) & 0xff;
  mem.setFlags(RAM_AT, RAM_PAGES * 4096, 0);
  mem.updatePageBits((RAM_AT >> 12) + CODE_PAGE, PageFlags.HasCode, true);
  view.setInt32(STATE + LAYOUT.indexSlot, 1, true);
  const log: string[] = [];
  const pageOf = (va: bigint): number | undefined => {
    const n = Number((va - RAM_VA) >> 12n);
    return va >= RAM_VA && n < RAM_PAGES ? n : undefined;
  };
  const fill = (va: bigint, n: number): void => {
    const entry = LAYOUT.base + tlbTableSize(LAYOUT) + Number((va >> 12n) & 63n) * 32;
    const page = BigInt.asIntN(64, va & ~0xfffn);
    view.setBigInt64(entry, page, true);
    view.setBigInt64(entry + 8, n === READ_ONLY_PAGE ? -1n : page, true);
    view.setInt32(entry + 16, RAM_AT + n * 4096 - Number(va & 0xfffff000n), true);
  };
  const translate: SoftTranslate = (_state, signed, size, access) => {
    const va = BigInt.asUintN(64, signed);
    log.push(`translate ${va.toString(16)} ${size} ${access}`);
    const n = pageOf(va);
    const last = pageOf(va + BigInt(size - 1));
    if (va >= DEVICE_VA && va < DEVICE_VA + 0x1000n && access === SoftAccess.Load) {
      view.setBigUint64(BOUNCE, 0x1122334455667788n + va, true);
      return BOUNCE;
    }
    const refused = access === SoftAccess.ReadModifyWrite && n === READ_ONLY_PAGE;
    if (n === undefined || last === undefined || refused) {
      log.push('fault');
      return 0;
    }
    fill(va, n);
    if (last === n) return RAM_AT + Number(va - RAM_VA);
    const first = 4096 - Number(va & 0xfffn);
    mem.u8.copyWithin(BOUNCE, RAM_AT + Number(va - RAM_VA), RAM_AT + Number(va - RAM_VA) + size);
    return first > 0 ? BOUNCE : 0;
  };
  const slowStore: SlowStore = (_state, signed, lo, hi, size) => {
    const va = BigInt.asUintN(64, signed);
    const hex = (x: bigint): string => BigInt.asUintN(64, x).toString(16);
    log.push(`store ${hex(va)} ${hex(lo)} ${hex(hi)} ${size}`);
    if (va >= DEVICE_VA && va < DEVICE_VA + 0x1000n) return 0;
    const n = pageOf(va);
    const last = pageOf(va + BigInt(size - 1));
    if (n === undefined || last === undefined || n === READ_ONLY_PAGE || last === READ_ONLY_PAGE) return 1;
    fill(va, n);
    const bytes = new DataView(new ArrayBuffer(16));
    bytes.setBigUint64(0, BigInt.asUintN(64, lo), true);
    bytes.setBigUint64(8, BigInt.asUintN(64, hi), true);
    for (let i = 0; i < size; i++) mem.u8[RAM_AT + Number(va - RAM_VA) + i] = bytes.getUint8(i);
    return 0;
  };
  const status = run(translate, slowStore);
  return {
    status,
    state: [...mem.u8.subarray(STATE, STATE + STATE_SIZE)],
    ram: [...mem.u8.subarray(RAM_AT, RAM_AT + RAM_PAGES * 4096)],
    tlb: [...mem.u8.subarray(LAYOUT.base, LAYOUT.base + 2 * tlbTableSize(LAYOUT))],
    log,
  };
}

function compare(build: (b: IRBuilder) => void): void {
  const b = new IRBuilder();
  b.insnStart(BLOCK_PC);
  build(b);
  const block = b.finish(BLOCK_PC, BLOCK_PC + 4, 1, []);
  const mem = testMemory();
  const interpreted = outcome(block, (translate, slowStore) =>
    runBlock(block, mem, STATE, new SoftmmuAccess(mem, { layout: LAYOUT, translate, slowStore }, STATE)),
  );
  const compiled = outcome(block, (translate, slowStore) => {
    const { functions } = compileBatch([block], {
      memory: mem.memory,
      endian: 'little',
      slowStore,
      loadCheck: makeLoadCheck(mem),
      chain: false,
      view: mem.view,
      // Without chaining there are no loop regions, which alone read the budget word.
      softmmu: { layout: LAYOUT, translate, budgetWord: 0 },
    });
    return (functions[0] as (state: number) => number)(STATE) as TrapKind;
  });
  expect(interpreted).toEqual(compiled);
}

const at = (b: IRBuilder, va: bigint): Temp => b.i64(va);

describe('system-mode memory access: interpreter and softmmu generated code agree', () => {
  it('loads of every width and type, missing then hitting the TLB, and from a device', () => {
    compare((b) => {
      b.set(RESULT, b.load('i64', at(b, RAM_VA + 0x10n), 8));
      b.set(RESULT + 8, b.load('i32', at(b, RAM_VA + 0x21n), 2, true));
      b.set(RESULT + 12, b.load('i64', at(b, RAM_VA + 0x33n), 4, true));
      b.set(RESULT + 16, b.load('f64', at(b, RAM_VA + 0x1008n), 8));
      b.set(RESULT + 32, b.load('v128', at(b, RAM_VA + 0x3040n), 16));
      b.set(RESULT + 48, b.load('i64', at(b, DEVICE_VA + 0x18n), 8));
      b.set(RESULT + 56, b.load('i64', at(b, RAM_VA + 0xffcn), 8));
      b.exit(b.i64(0));
    });
  });

  it('stores: direct after a fill, to a device, across a page, to code, to a read-only page', () => {
    compare((b) => {
      b.store(at(b, RAM_VA + 0x100n), b.i64(0x0102030405060708n), 8);
      b.store(at(b, RAM_VA + 0x108n), b.i32(-2), 2);
      b.store(at(b, RAM_VA + 0x10cn), b.f32(1.5), 4);
      b.store(at(b, RAM_VA + 0x110n), b.v128(new Uint8Array(16).map((_, i) => i + 1)), 16);
      b.store(at(b, DEVICE_VA + 0x8n), b.i64(0xabcdn), 4);
      b.store(at(b, RAM_VA + 0x1ffen), b.i32(0x11223344), 4);
      b.store(at(b, RAM_VA + 0x2010n), b.i64(3n), 8);
      b.store(at(b, RAM_VA + 0x2018n), b.f64(-0.25), 8);
      b.set(RESULT + 8, b.rmw('or', at(b, RAM_VA + 0x2020n), b.i64(6n), 8));
      b.set(RESULT, b.i64(7));
      b.store(at(b, RAM_VA + 0x3000n), b.i32(1), 4);
      b.exit(b.i64(0));
    });
  });

  it('atomics: compare-and-swap and add in RAM, then one on a read-only page and one misaligned', () => {
    for (const address of [RAM_VA + 0x3010n, RAM_VA + 0x203n]) {
      compare((b) => {
        b.set(RESULT, b.cmpxchg(at(b, RAM_VA + 0x200n), b.i64(0), b.i64(5), 8));
        b.set(RESULT + 8, b.rmw('add', at(b, RAM_VA + 0x208n), b.i32(9), 4));
        b.set(RESULT + 12, b.rmw('xchg', at(b, address), b.i32(1), 4));
        b.exit(b.i64(0));
      });
    }
  });

  it('a load from an unmapped address after a state write', () => {
    compare((b) => {
      b.set(RESULT, b.i64(0x55n));
      b.set(RESULT + 8, b.load('i32', at(b, 0x7000_0000n), 4));
      b.exit(b.i64(0));
    });
  });
});
