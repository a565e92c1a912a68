/**
 * Guest RAM backed by a host file (memory-backend-file): the file is mapped MAP_FIXED over the RAM's
 * range of the guest window, MAP_SHARED (the file sees the guest's writes) or MAP_PRIVATE (the guest
 * starts from the file's bytes and its writes stay in memory). As QEMU's file_ram_open and
 * file_ram_alloc: a directory gets an unnamed file of its own, a missing file is created, an empty or
 * new one is grown to the RAM's size, and a non-empty one shorter than the RAM is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GuestMemory } from '../../memory/guest-memory';
import { native } from '../../native';
import { hostErrorReason } from '../fd-sets';
import { MachineError } from './machine';

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Opens the backing store: `file` itself (created if missing), or a new file in it if it is a directory, unlinked. */
function openBackingStore(file: string): number {
  try {
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) return fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    const dir = fs.mkdtempSync(path.join(file, 'qemu_back_mem.'));
    const name = path.join(dir, 'ram');
    const fd = fs.openSync(name, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    fs.unlinkSync(name);
    fs.rmdirSync(dir);
    return fd;
  } catch (e) {
    throw new MachineError(`can't open backing store ${file} for guest RAM: ${hostErrorReason(e)}`);
  }
}

/** Maps `file` over guest RAM [base, base + size) of `memory`, shared or private. */
export function mapRamFile(memory: GuestMemory, base: number, size: number, file: { path: string; share: boolean }): void {
  const fd = openBackingStore(file.path);
  try {
    const fileSize = fs.fstatSync(fd).size;
    if (fileSize > 0 && fileSize < size)
      throw new MachineError(`backing store size ${hex(fileSize)} does not match 'size' option ${hex(size)}`);
    if (fileSize < size) fs.ftruncateSync(fd, size);
    const r = native().hostMapFixed(memory.hostAddress(base), size, file.share, fd, 0);
    if (r < 0) throw new MachineError(`unable to map backing store for guest RAM: ${native().hostStrerror(-r)}`);
  } finally {
    fs.closeSync(fd);
  }
}
