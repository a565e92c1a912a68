/**
 * Reading and writing file descriptors: read/write and their positioned and vectored forms,
 * lseek, close, syncing, space allocation and in-kernel copies (sendfile, copy_file_range: their
 * loff_t offsets are converted for a guest of the other byte order). Descriptors go through the guest's
 * descriptor table; buffers go to the host in place. Vectored calls build a host iovec array
 * (guest addresses become host addresses).
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, guestRange, guestStruct } from './guest-access';
import { fdCall, fdTable, hostFd } from './fd-table';
import { HOST, hostArena, hostStructArray, hostSyscall } from './host';
import { lseek } from './dirents';
import { convertedKind, swapKernelData } from './fd-kinds';
import { readSignalFd } from './signalfd';
import { whence } from './strace-names';

const IOV_MAX = 1024;

/**
 * read/write-like calls; `fillsGuest` when the host writes the guest buffer. Kernel-defined data
 * (fd-kinds.ts) is byte-swapped for a guest of the other byte order.
 */
function transfer(name: string, fillsGuest: boolean) {
  return (proc: GuestProcess, [fd, buf, count, offset]: SyscallArgs): number => {
    const h = hostFd(proc, int(fd));
    if (h < 0) return h;
    const host = guestRange(proc, buf!, count!, fillsGuest);
    if (host === undefined) return -E.EFAULT;
    const kind = convertedKind(proc, h);
    if (!kind) return hostSyscall(name, h, host, count!, offset ?? 0);
    if (fillsGuest) {
      const r = hostSyscall(name, h, host, count!, offset ?? 0);
      if (r > 0) swapKernelData(kind, proc.memory.u8.subarray(buf!, buf! + r), true);
      return r;
    }
    const at = hostArena.alloc(Math.max(count!, 1));
    const copy = hostArena.bytesAt(at, count!);
    copy.set(proc.memory.u8.subarray(buf!, buf! + count!));
    swapKernelData(kind, copy, false);
    return hostSyscall(name, h, hostArena.address(at), count!, offset ?? 0);
  };
}

/**
 * Host iovec array for a guest one (each buffer checked), or -errno; too many iovecs is EINVAL for
 * readv/writev, EMSGSIZE for sendmsg/recvmsg (`tooMany`).
 */
export function hostIovecs(proc: GuestProcess, iov: number, count: number, fillsGuest: boolean, tooMany = E.EINVAL): number {
  if (count < 0 || count > IOV_MAX) return -tooMany;
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

/**
 * readv/writev and their positioned forms: preadv and pwritev take the offset as two longs, low and
 * high (on a 64-bit ABI the low one holds it all), preadv2 and pwritev2 flags after them.
 */
function vectored(name: string, fillsGuest: boolean) {
  return (proc: GuestProcess, [fd, iov, count, offLow, offHigh, flags]: SyscallArgs): number => {
    const h = hostFd(proc, int(fd));
    if (h < 0) return h;
    const host = hostIovecs(proc, iov!, int(count), fillsGuest);
    if (host < 0) return host;
    const offset = proc.abi.wordSize === 8 ? (offLow ?? 0) : (offHigh! | 0) * 2 ** 32 + (offLow! >>> 0);
    return hostSyscall(name, h, host, int(count), offset, 0, int(flags));
  };
}

/**
 * Runs `call` with the host address of an optional loff_t the host reads and updates (NULL stays
 * NULL): the guest's own when byte orders agree, else a converted copy written back after a success.
 */
function withOffset(proc: GuestProcess, addr: number, call: (host: number) => number): number {
  if (addr === 0) return call(0);
  const inPlace = guestRange(proc, addr, 8, true);
  if (inPlace === undefined) return -E.EFAULT;
  if (proc.memory.littleEndian === HOST.littleEndian) return call(inPlace);
  const at = hostArena.alloc(8);
  hostArena.view.setBigInt64(at, proc.memory.view.getBigInt64(addr, proc.memory.littleEndian), HOST.littleEndian);
  const r = call(hostArena.address(at));
  if (r >= 0) proc.memory.view.setBigInt64(addr, hostArena.view.getBigInt64(at, HOST.littleEndian), proc.memory.littleEndian);
  return r;
}

/**
 * Runs `call` with the host address of an optional off_t (a long: 32 bits on a 32-bit ABI, where
 * sendfile64 takes the loff_t) the host reads and updates as a loff_t.
 */
function withLongOffset(proc: GuestProcess, addr: number, call: (host: number) => number): number {
  if (addr === 0 || proc.abi.wordSize === 8) return withOffset(proc, addr, call);
  if (guestRange(proc, addr, 4, true) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(8);
  hostArena.view.setBigInt64(at, BigInt(proc.memory.view.getInt32(addr, proc.memory.littleEndian)), HOST.littleEndian);
  const r = call(hostArena.address(at));
  if (r >= 0) proc.memory.view.setInt32(addr, Number(hostArena.view.getBigInt64(at, HOST.littleEndian)), proc.memory.littleEndian);
  return r;
}

function sendfileWith(withOffsetOf: typeof withOffset) {
  return (proc: GuestProcess, [outFd, inFd, offset, count]: SyscallArgs): number => {
    const out = hostFd(proc, int(outFd));
    const inp = hostFd(proc, int(inFd));
    if (out < 0 || inp < 0) return -E.EBADF;
    return withOffsetOf(proc, offset!, (off) => hostSyscall('sendfile', out, inp, off, count!));
  };
}

function copyFileRange(proc: GuestProcess, [inFd, inOff, outFd, outOff, length, flags]: SyscallArgs): number {
  const inp = hostFd(proc, int(inFd));
  const out = hostFd(proc, int(outFd));
  if (out < 0 || inp < 0) return -E.EBADF;
  return withOffset(proc, inOff!, (a) => withOffset(proc, outOff!, (b) => hostSyscall('copy_file_range', inp, a, out, b, length!, int(flags))));
}

function close(proc: GuestProcess, [fd]: SyscallArgs): number {
  const host = fdTable(proc).remove(int(fd));
  return host === undefined ? -E.EBADF : hostSyscall('close', host);
}

const CLOSE_RANGE_UNSHARE = 2;
const CLOSE_RANGE_CLOEXEC = 4;
const F_SETFD = 2;
const FD_CLOEXEC = 1;

/** close_range over guest numbers (unsigned bounds, as the kernel reads them); UNSHARE has nothing to unshare. */
function closeRange(proc: GuestProcess, [first, last, flagsArg]: SyscallArgs): number {
  const lo = first! >>> 0;
  const hi = last! >>> 0;
  const flags = int(flagsArg);
  if (lo > hi || flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) return -E.EINVAL;
  const table = fdTable(proc);
  for (const fd of table.guestFds().filter((f) => f >= lo && f <= hi)) {
    if (flags & CLOSE_RANGE_CLOEXEC) hostSyscall('fcntl', table.host(fd)!, F_SETFD, FD_CLOEXEC);
    else hostSyscall('close', table.remove(fd)!);
  }
  return 0;
}

const plainRead = transfer('read', true);

export const FS_IO_SYSCALLS: SyscallGroup = {
  read: syscall('dxd', (p, args) => readSignalFd(p, args) ?? plainRead(p, args)),
  write: syscall('dxd', transfer('write', false)),
  pread64: syscall('dxdd', transfer('pread64', true)),
  pwrite64: syscall('dxdd', transfer('pwrite64', false)),
  readv: syscall('dxd', vectored('readv', true)),
  writev: syscall('dxd', vectored('writev', false)),
  preadv: syscall('dxddd', vectored('preadv', true)),
  pwritev: syscall('dxddd', vectored('pwritev', false)),
  preadv2: syscall('dxdddh', vectored('preadv2', true)),
  pwritev2: syscall('dxdddh', vectored('pwritev2', false)),
  lseek: syscall(['d', 'd', whence], lseek),
  close: syscall('d', close),
  close_range: syscall('ddh', closeRange),
  fsync: syscall('d', fdCall('fsync')),
  fdatasync: syscall('d', fdCall('fdatasync')),
  ftruncate: syscall('dd', fdCall('ftruncate')),
  sync: syscall('', () => hostSyscall('sync')),
  syncfs: syscall('d', fdCall('syncfs')),
  flock: syscall('dd', fdCall('flock')),
  fallocate: syscall('dddd', fdCall('fallocate')),
  fadvise64: syscall('dddd', fdCall('fadvise64')),
  sendfile: syscall('ddxd', sendfileWith(withLongOffset)),
  sendfile64: syscall('ddxd', sendfileWith(withOffset)),
  readahead: syscall('ddd', fdCall('readahead')),
  sync_file_range: syscall('dddh', fdCall('sync_file_range')),
  copy_file_range: syscall('dxdxdd', copyFileRange),
};
