/**
 * GuestMemory: the guest's 4 GiB address window as one shared WebAssembly.Memory, with the page
 * flag table generated code consults, and typed accessors in the guest's byte order.
 *
 * The whole window is allocated up front (the kernel commits pages lazily), so the buffer never
 * moves and host syscalls can be handed `hostAddress(guestAddr)` directly.
 */
import {
  DENY_READ,
  DENY_WRITE,
  HUGE_PAGE_SIZE,
  NEIGHBOUR_BITS,
  PAGE_FLAGS_BASE,
  PAGE_SHIFT,
  PRIVATE_BASE,
  PRIVATE_END,
  PageFlags,
  WINDOW_PAGES,
} from './layout';
import { native } from '../native';

export class GuestMemory {
  readonly memory: WebAssembly.Memory;
  readonly u8: Uint8Array;
  readonly view: DataView;
  /**
   * The page flag table (PageFlags per page), indexed by page number: small indices, where the
   * window's own view needs PAGE_FLAGS_BASE + page, above 2^31, which unoptimised code makes a heap
   * number of at each access (a forked child runs much of its JavaScript unoptimised).
   */
  readonly flagTable: Uint8Array;
  /** Host address of guest address 0. */
  readonly hostBase: number;
  /** Views for compareExchange, made at its first use of each size. */
  private u16: Uint16Array | undefined;
  private u32: Uint32Array | undefined;
  private u64: BigUint64Array | undefined;

  /**
   * A new window, or (`shared`) one another thread made, whose page flags stay as they are (a
   * system-mode vCPU on a worker thread, docs/smp.md).
   */
  constructor(
    readonly littleEndian: boolean,
    shared?: WebAssembly.Memory,
  ) {
    this.memory = shared ?? new WebAssembly.Memory({ initial: WINDOW_PAGES / 16, maximum: WINDOW_PAGES / 16, shared: true });
    this.u8 = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
    this.hostBase = native().bufferAddress(this.u8);
    this.flagTable = this.u8.subarray(PAGE_FLAGS_BASE, PAGE_FLAGS_BASE + WINDOW_PAGES);
    if (shared) return;
    // The flag table and the lookup cache, filled now, in one huge page rather than 512 pages.
    native().hostHugePages(this.hostAddress(PAGE_FLAGS_BASE), HUGE_PAGE_SIZE);
    this.flagTable.fill(PageFlags.Unmapped | NEIGHBOUR_BITS);
    // The private area is never guest-accessible.
    this.setFlags(PRIVATE_BASE, PRIVATE_END - PRIVATE_BASE, PageFlags.Unmapped);
  }

  /** Host address of guest address `addr` (for the native addon). */
  hostAddress(addr: number): number {
    return this.hostBase + addr;
  }

  /**
   * Replaces the little-endian `size`-byte integer at `addr` (a multiple of `size`) by
   * `replacement` if it equals `expected` (both below 2^(8 * size)), and returns the value it held:
   * one host atomic on the shared buffer, as generated code's `atomic.rmw.cmpxchg` is, so it stays
   * right while another thread stores there. (Typed arrays use the host's byte order, which is
   * little-endian on every host Node runs tsemu on, as WebAssembly's is.)
   */
  compareExchange(addr: number, size: 1 | 2 | 4 | 8, expected: bigint, replacement: bigint): bigint {
    switch (size) {
      case 1:
        return BigInt(Atomics.compareExchange(this.u8, addr, Number(expected), Number(replacement)));
      case 2:
        this.u16 ??= new Uint16Array(this.memory.buffer);
        return BigInt(Atomics.compareExchange(this.u16, addr >>> 1, Number(expected), Number(replacement)));
      case 4:
        this.u32 ??= new Uint32Array(this.memory.buffer);
        return BigInt(Atomics.compareExchange(this.u32, addr >>> 2, Number(expected), Number(replacement)));
      case 8:
        this.u64 ??= new BigUint64Array(this.memory.buffer);
        return Atomics.compareExchange(this.u64, addr >>> 3, expected, replacement);
    }
  }

  /** The page's own flags (PageFlags), without the derived neighbour bits. */
  pageFlags(addr: number): number {
    return this.flagTable[Math.floor(addr / 2 ** PAGE_SHIFT)]! & ~NEIGHBOUR_BITS;
  }

  /** Sets the flags of every page overlapping [addr, addr + length). */
  setFlags(addr: number, length: number, flags: number): void {
    const first = Math.floor(addr / 2 ** PAGE_SHIFT);
    const last = Math.floor((addr + length - 1) / 2 ** PAGE_SHIFT);
    this.flagTable.fill(flags & ~NEIGHBOUR_BITS, first, last + 1);
    this.refreshNeighbourBits(first, last);
  }

  /** Sets (`on`) or clears the bits `bits` of page number `page`. */
  updatePageBits(page: number, bits: number, on: boolean): void {
    const table = this.flagTable;
    table[page] = on ? table[page]! | bits : table[page]! & ~bits;
    this.refreshNeighbourBits(page, page);
  }

  /**
   * Recomputes the derived NextDeny* bits of pages first-1 .. last (each from its successor), after
   * the flags of pages first .. last changed. Generated code's fast path tests a page's own deny bits
   * together with these, so an access that may run into the next page needs no extra test unless that
   * page is actually denied.
   */
  refreshNeighbourBits(first: number, last: number): void {
    const table = this.flagTable;
    for (let page = Math.max(first - 1, 0); page <= last && page < WINDOW_PAGES - 1; page++) {
      const next = table[page + 1]!;
      let own = table[page]! & ~NEIGHBOUR_BITS;
      if (next & DENY_READ) own |= PageFlags.NextDenyRead;
      if (next & DENY_WRITE) own |= PageFlags.NextDenyWrite;
      table[page] = own;
    }
  }

  /** Whether the guest may access [addr, addr + length) (write access if `write`). */
  accessible(addr: number, length: number, write: boolean): boolean {
    if (length === 0) return true;
    if (addr < 0 || addr + length > 2 ** 32) return false;
    const deny = write ? PageFlags.Unmapped | PageFlags.NoWrite : DENY_READ;
    const first = Math.floor(addr / 2 ** PAGE_SHIFT);
    const last = Math.floor((addr + length - 1) / 2 ** PAGE_SHIFT);
    for (let p = first; p <= last; p++) {
      if (this.flagTable[p]! & deny) return false;
    }
    return true;
  }

  read8(addr: number): number {
    return this.u8[addr]!;
  }
  read16(addr: number): number {
    return this.view.getUint16(addr, this.littleEndian);
  }
  read32(addr: number): number {
    return this.view.getUint32(addr, this.littleEndian);
  }
  read64(addr: number): bigint {
    return this.view.getBigUint64(addr, this.littleEndian);
  }
  write8(addr: number, v: number): void {
    this.u8[addr] = v;
  }
  write16(addr: number, v: number): void {
    this.view.setUint16(addr, v, this.littleEndian);
  }
  write32(addr: number, v: number): void {
    this.view.setUint32(addr, v >>> 0, this.littleEndian);
  }
  write64(addr: number, v: bigint): void {
    this.view.setBigUint64(addr, BigInt.asUintN(64, v), this.littleEndian);
  }

  /** Reads a NUL-terminated string (bytes as Latin-1 -> UTF-8 is the caller's business). */
  readCString(addr: number, max = 4096): Buffer | undefined {
    for (let end = addr; end < addr + max; end++) {
      if (!this.accessible(end, 1, false)) return undefined;
      if (this.u8[end] === 0) return Buffer.from(this.u8.subarray(addr, end));
    }
    return undefined;
  }
  readBytes(addr: number, length: number): Uint8Array {
    return this.u8.slice(addr, addr + length);
  }
  writeBytes(addr: number, bytes: Uint8Array): void {
    this.u8.set(bytes, addr);
  }
}
