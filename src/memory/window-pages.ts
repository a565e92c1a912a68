/**
 * Host-side operations on page ranges of the guest window: giving pages back as zero, and putting a
 * host mapping (shared memory, a shared file) under a range and taking it away again.
 *
 * Zeroing uses madvise(MADV_DONTNEED), which both frees the host memory and makes private anonymous
 * pages read as zero; that holds only if V8 allocated the window as a private anonymous mapping,
 * which is checked once in /proc/self/maps (otherwise pages are cleared by writing zeros).
 */
import fs from 'node:fs';
import type { GuestMemory } from './guest-memory';
import { native } from '../native';

/** Whether the host mapping holding `hostAddress` is private and anonymous. */
function isPrivateAnonymous(hostAddress: number): boolean {
  for (const line of fs.readFileSync('/proc/self/maps', 'latin1').split('\n')) {
    const [range, perms, , , inode] = line.split(/\s+/);
    if (!range || !perms) continue;
    const [start, end] = range.split('-').map((h) => parseInt(h, 16));
    if (start! <= hostAddress && hostAddress < end!) return perms[3] === 'p' && inode === '0';
  }
  return false;
}

export class WindowPages {
  private readonly discardable: boolean;

  constructor(private readonly memory: GuestMemory) {
    this.discardable = isPrivateAnonymous(memory.hostBase);
  }

  /** Makes [start, start + length) read as zero and releases its host memory where possible. */
  zero(start: number, length: number): void {
    if (this.discardable && native().hostDiscard(this.memory.hostAddress(start), length) === 0) return;
    this.memory.u8.fill(0, start, start + length);
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
