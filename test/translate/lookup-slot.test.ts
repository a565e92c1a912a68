/**
 * The lookup cache's index (memory/layout.ts `lookupSlot`, and wasm/lookup-slot.ts, which the
 * dispatcher and indirect branches compute it with): both forms agree on every pc, 64-bit ones
 * included, and pcs that used to share an entry (a Thumb block and the one 2 bytes after it, blocks
 * a multiple of 256 KiB apart) each have one of their own.
 */
import { describe, expect, it } from 'vitest';
import { LOOKUP_BASE, LOOKUP_ENTRIES, LOOKUP_ENTRY_SIZE, lookupSlot } from '../../src/memory/layout';
import { FunctionBody, ModuleBuilder } from '../../src/translate/wasm/emitter';
import { emitLookupSlot } from '../../src/translate/wasm/lookup-slot';
import { Random } from './random';

/** The generated code's form, as a function of a pc (i64) returning the entry's address (i32). */
function wasmLookupSlot(lookupBase: number): (pc: bigint) => number {
  const mb = new ModuleBuilder();
  const body = new FunctionBody(1);
  emitLookupSlot(body.code, () => body.code.byte(0x20).u32(0), lookupBase);
  mb.exportFunction('slot', mb.addFunction({ params: ['i64'], results: ['i32'] }, body));
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(mb.encode()));
  const slot = exports['slot'] as (pc: bigint) => number;
  return (pc) => slot(pc) >>> 0;
}

describe('the lookup cache index', () => {
  it('is the same in generated code and in JavaScript, for 32- and 64-bit pcs', () => {
    const inWasm = wasmLookupSlot(LOOKUP_BASE);
    const random = new Random(8);
    for (let i = 0; i < 2000; i++) {
      const pc = i % 2 === 0 ? random.u32() : random.u32() + random.below(2 ** 16) * 2 ** 32;
      expect(inWasm(BigInt(pc)), `pc ${pc.toString(16)}`).toBe(lookupSlot(LOOKUP_BASE, pc));
    }
  });

  it('stays inside the cache', () => {
    const random = new Random(9);
    for (let i = 0; i < 2000; i++) {
      const slot = lookupSlot(LOOKUP_BASE, random.u32());
      expect(slot).toBeGreaterThanOrEqual(LOOKUP_BASE);
      expect(slot).toBeLessThan(LOOKUP_BASE + LOOKUP_ENTRIES * LOOKUP_ENTRY_SIZE);
      expect((slot - LOOKUP_BASE) % LOOKUP_ENTRY_SIZE).toBe(0);
    }
  });

  it('gives a Thumb block and the block 2 bytes after it entries of their own', () => {
    for (const pc of [0x10001, 0xfc7bc88d, 0x4000_2a31]) {
      expect(lookupSlot(LOOKUP_BASE, pc)).not.toBe(lookupSlot(LOOKUP_BASE, pc + 2));
    }
  });

  it('gives blocks a multiple of 256 KiB apart entries of their own (a program and its libraries)', () => {
    // sqlite3's hottest calls under pc >> 2: arm64 0xfc667a80 / 0xfc727a80, armhf 0xfc71c2ec / 0xfc79c2ed.
    for (const pc of [0xfc667a80, 0xfc71c2ec, 0x5500_0000]) {
      const slots = new Set<number>();
      for (let k = 0; k < 16; k++) slots.add(lookupSlot(LOOKUP_BASE, pc + k * 0x40000));
      expect(slots.size).toBe(16);
    }
  });
});
