/**
 * Descriptors whose data is binary the kernel defines (not bytes the program chose): eventfd and
 * timerfd counters (a u64) and inotify event records (four u32 then the name). A guest of the
 * other byte order than the host's needs those numbers swapped on read (and the eventfd counter on
 * write). The descriptors are remembered by host number when made, with the file's identity, so a
 * reused number is not mistaken for them.
 */
import type { GuestProcess } from '../../user/process';
import { StructView } from '../struct-view';
import { HOST, hostArena, hostSyscall } from './host';

export type FdKind = 'counter' | 'inotify';

const INOTIFY_HEADER = 16;
const kinds = new WeakMap<GuestProcess, Map<number, { kind: FdKind; id: string }>>();

function swapsBytes(proc: GuestProcess): boolean {
  return proc.memory.littleEndian !== HOST.littleEndian;
}

/** A host descriptor's file identity (device:inode), to tell a reused descriptor number from the file it named. */
export function identity(fd: number): string {
  const st = hostArena.alloc(HOST.layouts.stat.size);
  if (hostSyscall('fstat', fd, hostArena.address(st)) < 0) return '';
  const view = new StructView(hostArena.view, st, HOST.layouts.stat, HOST.littleEndian);
  return `${view.get('dev')}:${view.get('ino')}`;
}

/** Remembers a new host descriptor's kind (a no-op for guests of the host's byte order); returns `fd`. */
export function recordKind(proc: GuestProcess, fd: number, kind: FdKind): number {
  if (fd < 0 || !swapsBytes(proc)) return fd;
  const map = kinds.get(proc) ?? new Map<number, { kind: FdKind; id: string }>();
  kinds.set(proc, map);
  map.set(fd, { kind, id: identity(fd) });
  return fd;
}

/** The kind of host descriptor `fd` when its data needs converting for this guest. */
export function convertedKind(proc: GuestProcess, fd: number): FdKind | undefined {
  const entry = kinds.get(proc)?.get(fd);
  if (!entry) return undefined;
  if (entry.id === identity(fd)) return entry.kind;
  kinds.get(proc)!.delete(fd);
  return undefined;
}

/** Converts `bytes` (host data just read, or guest data about to be written) in place for a descriptor of `kind`. */
export function swapKernelData(kind: FdKind, bytes: Uint8Array, fromHost: boolean): void {
  if (kind === 'counter') {
    for (let i = 0; i + 8 <= bytes.length; i += 8) bytes.subarray(i, i + 8).reverse();
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let at = 0; at + INOTIFY_HEADER <= bytes.length; ) {
    const nameLength = view.getUint32(at + 12, fromHost ? HOST.littleEndian : !HOST.littleEndian);
    for (let w = 0; w < INOTIFY_HEADER; w += 4) bytes.subarray(at + w, at + w + 4).reverse();
    at += INOTIFY_HEADER + nameLength;
  }
}
