/**
 * Host-side operations on page ranges of the guest window: giving pages back as zero, and putting a
 * host mapping (shared memory, a shared file) under a range and taking it away again.
 *
 * Zeroing uses madvise(MADV_DONTNEED), which both frees the host memory and makes private anonymous
 * pages read as zero; that holds only if V8 allocated the window as a private anonymous mapping,
 * which is checked once by trying it (otherwise pages are cleared by writing zeros).
 */
import type { GuestMemory } from './guest-memory';
import { PAGE_SIZE, WINDOW_SIZE } from './layout';
import { native } from '../native';

/**
 * Whether madvise(MADV_DONTNEED) makes the window's pages read as zero, tried on its last page
 * before anything uses it (a test that needs no /proc, which a chroot's guest may have unmounted).
 */
function discardReadsZero(memory: GuestMemory): boolean {
  const probe = WINDOW_SIZE - PAGE_SIZE;
  memory.u8[probe] = 1;
  const zeroed = native().hostDiscard(memory.hostAddress(probe), PAGE_SIZE) === 0 && memory.u8[probe] === 0;
  memory.u8[probe] = 0;
  return zeroed;
}

export class WindowPages {
  private readonly discardable: boolean;

  constructor(private readonly memory: GuestMemory) {
    this.discardable = discardReadsZero(memory);
  }

  /** Makes [start, start + length) read as zero and releases its host memory where possible. */
  zero(start: number, length: number): void {
    if (this.discardable && native().hostDiscard(this.memory.hostAddress(start), length) === 0) return;
    this.memory.u8.fill(0, start, start + length);
  }

  /**
   * Gives the host memory of [start, start + length) back where that costs nothing, its contents
   * then undefined: for a guest that has ended (the pages are never read again).
   */
  release(start: number, length: number): void {
    if (this.discardable) native().hostDiscard(this.memory.hostAddress(start), length);
  }

  /** Maps host fd at `offset` (anonymous memory if fd < 0) over the range, shared or private. 0 or -errno. */
  mapHost(start: number, length: number, shared: boolean, fd: number, offset: number): number {
    return native().hostMapFixed(this.memory.hostAddress(start), length, shared, fd, offset);
  }

  /** Replaces a host mapping made by mapHost with the window's own zeroed memory. */
  unmapHost(start: number, length: number): void {
    const r = native().hostMapAnonymous(this.memory.hostAddress(start), length);
    if (r < 0) throw new Error(`tsemu: cannot restore guest memory at 0x${start.toString(16)} (errno ${-r})`);
  }

  /** Moves a host mapping to `to` (growing or shrinking it); the old range becomes zeroed window memory. */
  moveHost(from: number, oldLength: number, newLength: number, to: number): number {
    return native().hostMoveMapping(this.memory.hostAddress(from), oldLength, newLength, this.memory.hostAddress(to));
  }
}
