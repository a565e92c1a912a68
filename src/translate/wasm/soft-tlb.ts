/**
 * The software TLB generated code consults in system mode (a code-generator option: user-mode code
 * never has it). Guest addresses are virtual there; each load and store looks its 4 KiB page up in
 * a direct-mapped table of the CPU's, as QEMU's CPUTLBEntry does: an entry holds the page address
 * it translates for reads and for writes (all-ones when that access is not allowed from the entry,
 * which no page address equals) and the addend turning the virtual address into its place in the
 * window. A mismatch calls the owner's slow path, which walks the page tables and fills the entry,
 * reaches a device, or records a fault. One table per translation regime index (the exception
 * level), chosen by a slot of the CPU state.
 *
 * Entry (TLB_ENTRY_SIZE bytes): read tag (i64), write tag (i64), addend (i32), unused.
 */

export const TLB_ENTRY_SHIFT = 5;
export const TLB_ENTRY_SIZE = 1 << TLB_ENTRY_SHIFT;
export const TLB_READ_TAG = 0;
export const TLB_WRITE_TAG = 8;
export const TLB_ADDEND = 16;
/** A tag no access matches. */
export const TLB_NO_MATCH = -1n;
export const TLB_PAGE_SHIFT = 12;

/** Where the tables are and how generated code picks one. */
export interface SoftTlbLayout {
  /** Window address of table 0. */
  base: number;
  /** Offset in the CPU state block of the i32 table index (the translation regime in force). */
  indexSlot: number;
  /** Entries per table, a power of two. */
  entries: number;
}

/** Bytes of one table. */
export function tlbTableSize(layout: SoftTlbLayout): number {
  return layout.entries * TLB_ENTRY_SIZE;
}

/** Kinds of the translate hook's access argument. */
export enum SoftAccess {
  /** A load: device registers and page-crossing accesses are served through a bounce buffer. */
  Load = 0,
  /** An atomic read-modify-write: RAM within one page only, translated code on it invalidated. */
  ReadModifyWrite = 1,
}

/**
 * The slow path of loads and atomics: `(state, va, size, SoftAccess) -> window address` to access,
 * or 0 after recording a fault (generated code then exits with MemoryFault).
 */
export type SoftTranslate = (state: number, va: bigint, size: number, access: SoftAccess) => number;
