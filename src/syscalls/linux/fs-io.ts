/**
 * Reading and writing file descriptors: read/write and their positioned and vectored forms,
 * lseek, close, syncing, space allocation and in-kernel copies (sendfile, copy_file_range, whose
 * loff_t offsets are the same on every little-endian ABI). Guest descriptors are host descriptors; buffers go to the host in place.
 * Vectored calls build a host iovec array (guest addresses become host addresses).
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, guestRange, guestStruct } from './guest-access';
import { guestRanges, isHostReserved } from './fd-guard';
import { hostStructArray, hostSyscall } from './host';

const IOV_MAX = 1024;

/** read/write-like calls; `fillsGuest` when the host writes the guest buffer. */
function transfer(name: string, fillsGuest: boolean) {
  return (proc: GuestProcess, [fd, buf, count, offset]: SyscallArgs): number => {
    const host = guestRange(proc, buf!, count!, fillsGuest);
    if (host === undefined) return -E.EFAULT;
    return hostSyscall(name, int(fd), host, count!, offset ?? 0);
  };
}

/** Host iovec array for a guest one (each buffer checked), or -errno. */
function hostIovecs(proc: GuestProcess, iov: number, count: number, fillsGuest: boolean): number {
  if (count < 0 || count > IOV_MAX) return -E.EINVAL;
  if (count === 0) return 0;
  const host = hostStructArray('iovec', count);
  for (let i = 0; i < count; i++) {
    const g = guestStruct(proc, 'iovec', iov, false, i);
    if (!g) return -E.EFAULT;
    const len = g.num('len');
    const base = guestRange(proc, g.num('base'), len, fillsGuest);
    if (base === undefined) return -E.EFAULT;
    host.views[i]!.set('base', base);
    host.views[i]!.set('len', len);
  }
  return host.address;
}

function vectored(name: string, fillsGuest: boolean) {
  return (proc: GuestProcess, [fd, iov, count, offLow, offHigh]: SyscallArgs): number => {
    const host = hostIovecs(proc, iov!, int(count), fillsGuest);
    if (host < 0) return host;
    return hostSyscall(name, int(fd), host, int(count), offLow ?? 0, offHigh ?? 0);
  };
}

/** An optional 8-byte offset the host reads and updates in place (NULL stays NULL), or undefined (EFAULT). */
function offsetArg(proc: GuestProcess, addr: number): number | undefined {
  return addr === 0 ? 0 : guestRange(proc, addr, 8, true);
}

function sendfile(proc: GuestProcess, [outFd, inFd, offset, count]: SyscallArgs): number {
  const off = offsetArg(proc, offset!);
  return off === undefined ? -E.EFAULT : hostSyscall('sendfile', int(outFd), int(inFd), off, count!);
}

function copyFileRange(proc: GuestProcess, [inFd, inOff, outFd, outOff, length, flags]: SyscallArgs): number {
  const a = offsetArg(proc, inOff!);
  const b = offsetArg(proc, outOff!);
  if (a === undefined || b === undefined) return -E.EFAULT;
  return hostSyscall('copy_file_range', int(inFd), a, int(outFd), b, length!, int(flags));
}

function close(_proc: GuestProcess, [fd]: SyscallArgs): number {
  return isHostReserved(int(fd)) ? -E.EBADF : hostSyscall('close', int(fd));
}

/** close_range over the guest's descriptors only (unsigned bounds, as the kernel reads them). */
function closeRange(_proc: GuestProcess, [first, last, flags]: SyscallArgs): number {
  const lo = first! >>> 0;
  const hi = last! >>> 0;
  if (lo > hi) return -E.EINVAL;
  for (const [a, b] of guestRanges(lo, hi)) {
    const r = hostSyscall('close_range', a, b, int(flags));
    if (r < 0) return r;
  }
  return 0;
}

export const FS_IO_SYSCALLS: SyscallGroup = {
  read: syscall('dxd', transfer('read', true)),
  write: syscall('dxd', transfer('write', false)),
  pread64: syscall('dxdd', transfer('pread64', true)),
  pwrite64: syscall('dxdd', transfer('pwrite64', false)),
  readv: syscall('dxd', vectored('readv', true)),
  writev: syscall('dxd', vectored('writev', false)),
  preadv: syscall('dxddd', vectored('preadv', true)),
  pwritev: syscall('dxddd', vectored('pwritev', false)),
  lseek: syscall('ddd', (_p, [fd, offset, whence]) => hostSyscall('lseek', int(fd), offset!, int(whence))),
  close: syscall('d', close),
  close_range: syscall('ddh', closeRange),
  fsync: syscall('d', (_p, [fd]) => hostSyscall('fsync', int(fd))),
  fdatasync: syscall('d', (_p, [fd]) => hostSyscall('fdatasync', int(fd))),
  ftruncate: syscall('dd', (_p, [fd, length]) => hostSyscall('ftruncate', int(fd), length!)),
  sync: syscall('', () => hostSyscall('sync')),
  syncfs: syscall('d', (_p, [fd]) => hostSyscall('syncfs', int(fd))),
  flock: syscall('dd', (_p, [fd, op]) => hostSyscall('flock', int(fd), int(op))),
  fallocate: syscall('dddd', (_p, [fd, mode, offset, length]) => hostSyscall('fallocate', int(fd), int(mode), offset!, length!)),
  fadvise64: syscall('dddd', (_p, [fd, offset, length, advice]) => hostSyscall('fadvise64', int(fd), offset!, length!, int(advice))),
  sendfile: syscall('ddxd', sendfile),
  copy_file_range: syscall('dxdxdd', copyFileRange),
};
