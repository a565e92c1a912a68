/**
 * Where things live in the one WebAssembly.Memory that is the guest's address space.
 *
 * The guest sees a 4 GiB window (QEMU's reserved_va): every guest address is below 2^32, even for
 * 64-bit guests. A private area inside the window holds the CPU state, the translation lookup cache
 * and the page flag table that generated code consults; the guest can never map or touch it (its
 * pages are flagged as inaccessible). It sits below 0xffff0000 so 32-bit ARM's kuser helper page stays
 * guest-visible.
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const WINDOW_SIZE = 2 ** 32;
export const WINDOW_PAGES = WINDOW_SIZE / PAGE_SIZE;

/** Private area: [PRIVATE_BASE, PRIVATE_END). */
export const PRIVATE_BASE = 0xfe000000;
export const PRIVATE_END = 0xff000000;

/**
 * A host transparent huge page. The private area starts on one, and the page flag table and the
 * lookup cache fill it (guest-memory.ts asks for it as a huge page: both are written whole at
 * start-up). The window starts on a huge page: V8 reserves it aligned to far more. The start-up
 * snapshot is padded to fill whole ones when read (tools/build-bundle.mjs).
 */
export const HUGE_PAGE_SIZE = 0x200000;

/** One byte of PageFlags per guest page, indexed by address >> PAGE_SHIFT (1 MiB). */
export const PAGE_FLAGS_BASE = PRIVATE_BASE;
/**
 * User mode's direct-mapped cache guest pc -> translated function index (engine/dispatcher.ts):
 * the one engine's (the persistent translation cache's modules are built against it). A
 * system-mode vCPU's engine keeps its own elsewhere (system/cpu/vcpu-area.ts).
 */
export const LOOKUP_BASE = PRIVATE_BASE + 0x100000;
export const LOOKUP_ENTRIES = 1 << 16;
export const LOOKUP_ENTRY_SIZE = 16;
export const LOOKUP_SIZE = LOOKUP_ENTRIES * LOOKUP_ENTRY_SIZE;

/**
 * How a pc's entry is found: the low 32 bits of the pc from bit LOOKUP_LOW_SHIFT up, xor the same
 * from LOOKUP_HIGH_SHIFT up, masked to LOOKUP_ENTRIES. Bit 1 is in it, for Thumb code (2-byte
 * aligned, its pcs carry the Thumb bit 0), and the fold keeps blocks a multiple of 256 KiB apart (a
 * program's hot function and a library's) out of one entry: indexed by pc >> 2 alone, sqlite3's two
 * hottest calls each took turns with another block for their entry, and every turn went back to
 * JavaScript (docs/performance.md, "The lookup cache's index").
 */
export const LOOKUP_LOW_SHIFT = 1;
export const LOOKUP_HIGH_SHIFT = 17;

/** The entry for `pc` of the lookup cache at window address `lookupBase`. */
export function lookupSlot(lookupBase: number, pc: number): number {
  const index = ((pc >>> LOOKUP_LOW_SHIFT) ^ (pc >>> LOOKUP_HIGH_SHIFT)) & (LOOKUP_ENTRIES - 1);
  return lookupBase + index * LOOKUP_ENTRY_SIZE;
}
/** CPU state blocks, one per guest thread, STATE_SIZE bytes each. */
export const STATE_BASE = PRIVATE_BASE + 0x300000;
export const STATE_SIZE = 0x1000;
export const MAX_THREADS = 1024;
/** Scratch for the engine and helpers (e.g. struct conversions), per thread. */
export const SCRATCH_BASE = STATE_BASE + STATE_SIZE * MAX_THREADS;
export const SCRATCH_SIZE = 0x1000;
/** Word a time-slice ticker sets (src/user/threads/preempt.ts); the engine yields at its next dispatcher miss. */
export const YIELD_REQUEST = SCRATCH_BASE + SCRATCH_SIZE * MAX_THREADS;

/** Top of the default guest stack, and the lowest address guest mmap hands out. */
export const STACK_TOP = 0xfd000000;
export const MMAP_MIN = 0x10000;

/**
 * Per-page flags. Generated code faults a load when any of DENY_READ is set, and calls the slow
 * store path when any of DENY_WRITE is set (a write to a page holding translated code is allowed,
 * but must invalidate that code first).
 */
export enum PageFlags {
  Unmapped = 1 << 0,
  NoRead = 1 << 1,
  NoWrite = 1 << 2,
  NoExec = 1 << 3,
  HasCode = 1 << 4,
  /** Derived: the next page denies reads (an access running into it must be checked). */
  NextDenyRead = 1 << 5,
  /** Derived: the next page denies or traps writes. */
  NextDenyWrite = 1 << 6,
}
export const DENY_READ = PageFlags.Unmapped | PageFlags.NoRead;
export const DENY_WRITE = PageFlags.Unmapped | PageFlags.NoWrite | PageFlags.HasCode;
/** Flags that forbid running a page's code: its translations must go when it gets one of them. */
export const DENY_EXEC = PageFlags.Unmapped | PageFlags.NoRead | PageFlags.NoExec;
/** The derived bits, maintained by GuestMemory.refreshNeighbourBits from each page's successor. */
export const NEIGHBOUR_BITS = PageFlags.NextDenyRead | PageFlags.NextDenyWrite;
