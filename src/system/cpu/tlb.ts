/**
 * The system CPU's software TLB (the format generated code reads is src/translate/wasm/soft-tlb.ts):
 * one direct-mapped table per exception level in the private area of the window, indexed by the
 * CURRENT_EL slot, filled by the memory slow paths after a walk and emptied whenever translation
 * may have changed (TLBI, writes of SCTLR/TTBRn/TCR). Only RAM pages are ever entered, so a hit
 * is always a direct access to the window. Entries are not tagged with an ASID: every ASID change
 * (a TTBR write) empties the tables, which is what a TLB without ASIDs may do.
 */
import { PAGE_SIZE, PRIVATE_END, YIELD_REQUEST } from '../../memory/layout';
import type { GuestMemory } from '../../memory/guest-memory';
import { CURRENT_EL } from '../../translate/aarch64/insns/el1-state';
import {
  TLB_ADDEND,
  TLB_ENTRY_SIZE,
  TLB_NO_MATCH,
  TLB_PAGE_SHIFT,
  TLB_READ_TAG,
  TLB_WRITE_TAG,
  tlbTableSize,
  type SoftTlbLayout,
} from '../../translate/wasm/soft-tlb';

/** EL0 and EL1. */
const LEVELS = 2;

export const TLB_LAYOUT: SoftTlbLayout = {
  // Past the per-thread scratch blocks and the yield word the engine reads: the rest of the
  // private area is free in system mode.
  base: YIELD_REQUEST + TLB_ENTRY_SIZE,
  indexSlot: CURRENT_EL,
  entries: 1024,
};

/** 16 bytes where the slow load path leaves a device register's value or a page-crossing load's bytes. */
export const BOUNCE_BUFFER = TLB_LAYOUT.base + LEVELS * tlbTableSize(TLB_LAYOUT);
/** The engine's dispatch budget word (EngineSoftMmu.budgetWord). */
export const DISPATCH_BUDGET = BOUNCE_BUFFER + 16;
if (DISPATCH_BUDGET + PAGE_SIZE > PRIVATE_END) {
  throw new Error('the software TLB does not fit the private area');
}

export class SoftTlb {
  constructor(private readonly memory: GuestMemory) {
    this.flush();
  }

  /** Forgets every translation. */
  flush(): void {
    this.memory.u8.fill(0xff, TLB_LAYOUT.base, BOUNCE_BUFFER);
  }

  /** Forgets the translations of the 4 KiB pages in [base, base + size), at every level. */
  flushRange(base: bigint, size: bigint): void {
    const pages = size >> BigInt(TLB_PAGE_SHIFT);
    if (pages >= BigInt(TLB_LAYOUT.entries)) {
      // Larger than a table: look at every entry instead.
      for (let entry = TLB_LAYOUT.base; entry < BOUNCE_BUFFER; entry += TLB_ENTRY_SIZE) {
        const tag = BigInt.asUintN(64, this.tagOf(entry));
        if (tag - base < size) this.clear(entry);
      }
      return;
    }
    for (let page = 0n; page < pages; page++) {
      const va = base + (page << BigInt(TLB_PAGE_SHIFT));
      for (let el = 0; el < LEVELS; el++) {
        const entry = this.entryOf(el, va);
        if (BigInt.asUintN(64, this.tagOf(entry)) === va) this.clear(entry);
      }
    }
  }

  /**
   * Enters the 4 KiB page of `va` for exception level `el`: it lives at window address `at`
   * (page-aligned), readable and/or writable from that level.
   */
  fill(el: number, va: bigint, at: number, readable: boolean, writable: boolean): void {
    const page = BigInt.asIntN(64, va & (-1n << BigInt(TLB_PAGE_SHIFT)));
    const entry = this.entryOf(el, va);
    const view = this.memory.view;
    view.setBigInt64(entry + TLB_READ_TAG, readable ? page : TLB_NO_MATCH, true);
    view.setBigInt64(entry + TLB_WRITE_TAG, writable ? page : TLB_NO_MATCH, true);
    view.setInt32(entry + TLB_ADDEND, (at - Number(va & 0xfffff000n)) | 0, true);
  }

  private entryOf(el: number, va: bigint): number {
    const index = Number((va >> BigInt(TLB_PAGE_SHIFT)) & BigInt(TLB_LAYOUT.entries - 1));
    return TLB_LAYOUT.base + el * tlbTableSize(TLB_LAYOUT) + index * TLB_ENTRY_SIZE;
  }

  /** The page an entry translates (its read tag, else its write tag; all-ones when empty). */
  private tagOf(entry: number): bigint {
    const view = this.memory.view;
    const read = view.getBigInt64(entry + TLB_READ_TAG, true);
    return read !== TLB_NO_MATCH ? read : view.getBigInt64(entry + TLB_WRITE_TAG, true);
  }

  private clear(entry: number): void {
    this.memory.view.setBigInt64(entry + TLB_READ_TAG, TLB_NO_MATCH, true);
    this.memory.view.setBigInt64(entry + TLB_WRITE_TAG, TLB_NO_MATCH, true);
  }
}
