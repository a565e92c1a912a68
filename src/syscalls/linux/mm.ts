/**
 * Memory management calls, delegated to the process's AddressSpace (guest window, page flags,
 * region list). madvise honours MADV_DONTNEED on private anonymous memory (it must read back as
 * zero: allocators rely on it) and treats the rest of the advice as the hint it is; the mlock
 * family is accepted and ignored, as the window is never swapped out by anything tsemu controls.
 */
import { native } from '../../native';
import { PAGE_SIZE } from '../../memory/layout';
import { MAP_ANONYMOUS } from '../../memory/linux-mm';
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { hostFd } from './fd-table';
import { E, guestRange } from './guest-access';
import type { MappedRegion } from '../../memory/address-space';
import { hostSyscall } from './host';
import { mmapFlags, protection } from './strace-names';

const MADV_DONTNEED = 4;

/** The guest's mapped regions overlapping [addr, end), or undefined when part of the range is not mapped. */
function mappedRegions(proc: GuestProcess, addr: number, end: number): MappedRegion[] | undefined {
  const overlapping = proc.space.regions().filter((r) => r.start < end && r.end > addr);
  const covered = overlapping.reduce((n, r) => n + Math.min(r.end, end) - Math.max(r.start, addr), 0);
  return covered === end - addr ? overlapping : undefined;
}

function madvise(proc: GuestProcess, [addr, length, advice]: SyscallArgs): number {
  if (addr! % PAGE_SIZE !== 0 || length! < 0) return -E.EINVAL;
  const end = addr! + Math.ceil(length! / PAGE_SIZE) * PAGE_SIZE;
  const overlapping = mappedRegions(proc, addr!, end);
  if (!overlapping) return -E.ENOMEM;
  if (int(advice) !== MADV_DONTNEED) return 0;
  for (const r of overlapping) {
    if (r.shared || r.inode !== 0) continue;
    const from = Math.max(r.start, addr!);
    const r2 = native().hostDiscard(proc.memory.hostAddress(from), Math.min(r.end, end) - from);
    if (r2 < 0) return r2;
  }
  return 0;
}

function msync(proc: GuestProcess, [addr, length, flags]: SyscallArgs): number {
  if (!proc.memory.accessible(addr!, length!, false)) return -E.ENOMEM;
  return hostSyscall('msync', proc.memory.hostAddress(addr!), length!, int(flags));
}

/** mincore: which pages of a mapped range are resident, one byte per page, as the host has them. */
function mincore(proc: GuestProcess, [addr, length, vec]: SyscallArgs): number {
  if (addr! % PAGE_SIZE !== 0) return -E.EINVAL;
  const pages = Math.ceil(length! / PAGE_SIZE);
  if (length! < 0 || !mappedRegions(proc, addr!, addr! + pages * PAGE_SIZE)) return -E.ENOMEM;
  const host = guestRange(proc, vec!, pages, true);
  return host === undefined ? -E.EFAULT : hostSyscall('mincore', proc.memory.hostAddress(addr!), length!, host);
}

/** mmap with the guest descriptor replaced by its host one (anonymous mappings ignore it, as Linux does). */
function mmap(proc: GuestProcess, [addr, len, prot, flags, fd, off]: SyscallArgs): number {
  const anonymous = (int(flags) & MAP_ANONYMOUS) !== 0;
  const host = anonymous ? -1 : hostFd(proc, int(fd));
  if (host < 0 && !anonymous) return host;
  return proc.space.mmap(addr!, len!, int(prot), int(flags), host, off!);
}

const accepted = (): number => 0;

export const MM_SYSCALLS: SyscallGroup = {
  mmap: syscall(['x', 'd', protection, mmapFlags, 'd', 'd'], mmap, { addressResult: true }),
  munmap: syscall('xd', (p, [addr, len]) => p.space.munmap(addr!, len!)),
  mprotect: syscall(['x', 'd', protection], (p, [addr, len, prot]) => p.space.mprotect(addr!, len!, int(prot))),
  mremap: syscall('xddhx', (p, [old, oldSize, newSize, flags, newAddr]) => p.space.mremap(old!, oldSize!, newSize!, int(flags), newAddr!), { addressResult: true }),
  brk: syscall('x', (p, [addr]) => p.space.brk(addr!), { addressResult: true }),
  madvise: syscall('xdd', madvise),
  msync: syscall('xdd', msync),
  mincore: syscall('xdx', mincore),
  mlock: syscall('xd', accepted),
  munlock: syscall('xd', accepted),
  mlock2: syscall('xdd', accepted),
  mlockall: syscall('d', accepted),
  munlockall: syscall('', accepted),
};
