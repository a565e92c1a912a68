/**
 * The system CPU's software TLB (the format generated code reads is src/translate/wasm/soft-tlb.ts):
 * one direct-mapped table per exception level and address-space context, in the engine's private
 * words in the window (vcpu-area.ts), picked by the TLB_INDEX slot of the CPU state
 * (tlbIndex(context, level)). An ASID in use holds a context (asid-contexts.ts), so switching ASIDs switches tables instead of emptying
 * them, as a TLB whose entries are tagged with the ASID does. The tables are filled by the memory
 * slow paths after a walk and emptied by TLB maintenance and by writes of SCTLR/TCR. Only RAM pages
 * are ever entered, so a hit is always a direct access to the window.
 */
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
/** Address spaces whose tables are kept at once (Linux with KPTI uses two ASIDs per process). */
export const TLB_CONTEXTS = 16;
/** i32 of the CPU state, just past CURRENT_EL: the table in force, tlbIndex(context, level). */
export const TLB_INDEX = CURRENT_EL + 4;
export const TLB_TABLES = LEVELS * TLB_CONTEXTS;

/** The table of exception level `el` in address-space context `context`. */
export function tlbIndex(context: number, el: number): number {
  return context * LEVELS + el;
}

/** The tables of one context. */
export function contextTables(context: number): number[] {
  return Array.from({ length: LEVELS }, (_, el) => tlbIndex(context, el));
}

/** The tables' layout, from window address `base`. */
export function tlbLayout(base: number): SoftTlbLayout {
  return {
    base,
    indexSlot: TLB_INDEX,
    // 16 MiB of reach per table: Linux's boot touches its image, the linear map and vmalloc space
    // at once, and with 1024 entries (4 MiB) nineteen walks in twenty refilled an entry another
    // page had taken (2 million walks per boot; 136 000 with this size).
    entries: 4096,
  };
}

export class SoftTlb {
  /** Tables filled since they were last emptied (the others need no work to empty). */
  private readonly used = new Set<number>();

  constructor(
    private readonly memory: GuestMemory,
    private readonly layout: SoftTlbLayout,
  ) {
    this.memory.u8.fill(0xff, this.tableBase(0), this.tableBase(TLB_TABLES));
  }

  /** Forgets every translation. */
  flush(): void {
    this.flushTables([...this.used]);
  }

  /** Forgets every translation of the given tables. */
  flushTables(indexes: readonly number[]): void {
    for (const index of indexes) {
      if (!this.used.delete(index)) continue;
      this.memory.u8.fill(0xff, this.tableBase(index), this.tableBase(index + 1));
    }
  }

  /** Forgets the translations of the 4 KiB pages in [base, base + size), in every table. */
  flushRange(base: bigint, size: bigint): void {
    const pages = size >> BigInt(TLB_PAGE_SHIFT);
    for (const index of this.used) {
      if (pages >= BigInt(this.layout.entries)) {
        // Larger than a table: look at every entry instead.
        for (let entry = this.tableBase(index); entry < this.tableBase(index + 1); entry += TLB_ENTRY_SIZE) {
          const tag = BigInt.asUintN(64, this.tagOf(entry));
          if (tag - base < size) this.clear(entry);
        }
        continue;
      }
      for (let page = 0n; page < pages; page++) {
        const va = base + (page << BigInt(TLB_PAGE_SHIFT));
        const entry = this.entryOf(index, va);
        if (BigInt.asUintN(64, this.tagOf(entry)) === va) this.clear(entry);
      }
    }
  }

  /**
   * Enters the 4 KiB page of `va` in table `index`: it lives at window address `at`
   * (page-aligned), readable and/or writable from that table's level.
   */
  fill(index: number, va: bigint, at: number, readable: boolean, writable: boolean): void {
    const page = BigInt.asIntN(64, va & (-1n << BigInt(TLB_PAGE_SHIFT)));
    const entry = this.entryOf(index, va);
    const view = this.memory.view;
    this.used.add(index);
    view.setBigInt64(entry + TLB_READ_TAG, readable ? page : TLB_NO_MATCH, true);
    view.setBigInt64(entry + TLB_WRITE_TAG, writable ? page : TLB_NO_MATCH, true);
    view.setInt32(entry + TLB_ADDEND, (at - Number(va & 0xfffff000n)) | 0, true);
  }

  private entryOf(index: number, va: bigint): number {
    const slot = Number((va >> BigInt(TLB_PAGE_SHIFT)) & BigInt(this.layout.entries - 1));
    return this.tableBase(index) + slot * TLB_ENTRY_SIZE;
  }

  private tableBase(index: number): number {
    return this.layout.base + index * tlbTableSize(this.layout);
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
