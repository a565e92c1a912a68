/**
 * File status: fstat and newfstatat (the guest's struct stat differs from the host's, so it is
 * converted), statx, statfs/fstatfs, utimensat (and utimes, futimesat, utime through it), and the
 * directory reads of dirents.ts.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallDefinition } from '../abi';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { hostDirFd, hostFd } from './fd-table';
import { E, guestStruct, readLong, withHostStruct, withHostStructs } from './guest-access';
import { hostStructArray, hostSyscall } from './host';
import { hostPathArg } from './paths';
import { getdents, getdents64 } from './dirents';
import { atFlags, statxMask } from './strace-names';

/** Host path argument, where a guest NULL stays NULL (utimensat on a descriptor). */
function optionalPath(proc: GuestProcess, addr: number): number {
  return addr === 0 ? 0 : hostPathArg(proc, addr);
}

function newfstatat(proc: GuestProcess, [dirfd, pathAddr, statbuf, flags]: SyscallArgs): number {
  const dir = hostDirFd(proc, int(dirfd));
  if (dir === undefined) return -E.EBADF;
  const path = hostPathArg(proc, pathAddr!);
  if (path < 0) return path;
  return withHostStruct(proc, 'stat', statbuf!, 'out', (st) => (st === 0 ? -E.EFAULT : hostSyscall('newfstatat', dir, path, st, int(flags))));
}

function fstat(proc: GuestProcess, [fd, statbuf]: SyscallArgs): number {
  const h = hostFd(proc, int(fd));
  if (h < 0) return h;
  return withHostStruct(proc, 'stat', statbuf!, 'out', (st) => (st === 0 ? -E.EFAULT : hostSyscall('fstat', h, st)));
}

function statx(proc: GuestProcess, [dirfd, pathAddr, flags, mask, buf]: SyscallArgs): number {
  const dir = hostDirFd(proc, int(dirfd));
  if (dir === undefined) return -E.EBADF;
  const path = hostPathArg(proc, pathAddr!);
  if (path < 0) return path;
  return withHostStruct(proc, 'statx', buf!, 'out', (st) => (st === 0 ? -E.EFAULT : hostSyscall('statx', dir, path, int(flags), int(mask), st)));
}

function statfs(proc: GuestProcess, [pathAddr, buf]: SyscallArgs): number {
  const path = hostPathArg(proc, pathAddr!);
  if (path < 0) return path;
  return withHostStruct(proc, 'statfs', buf!, 'out', (st) => (st === 0 ? -E.EFAULT : hostSyscall('statfs', path, st)));
}

function fstatfs(proc: GuestProcess, [fd, buf]: SyscallArgs): number {
  const h = hostFd(proc, int(fd));
  if (h < 0) return h;
  return withHostStruct(proc, 'statfs', buf!, 'out', (st) => (st === 0 ? -E.EFAULT : hostSyscall('fstatfs', h, st)));
}

/**
 * utimensat with its two timespecs read as `withTimes` says (it runs `call` on host timespecs; the
 * ABI's layout here, ARM's old 32-bit one for its utimensat without _time64).
 */
export function utimensatWith(withTimes: (proc: GuestProcess, addr: number, call: (host: number) => number) => number): SyscallDefinition {
  return syscall('dsxd', (proc, [dirfd, pathAddr, times, flags]) => {
    const dir = hostDirFd(proc, int(dirfd));
    if (dir === undefined) return -E.EBADF;
    const path = optionalPath(proc, pathAddr!);
    if (path < 0) return path;
    return withTimes(proc, times!, (t) => hostSyscall('utimensat', dir, path, t, int(flags)));
  });
}

const AT_FDCWD = -100;
const US_PER_S = 1_000_000n;

/**
 * utimes' and futimesat's two struct timevals as utimensat's timespecs (NULL stays NULL: now); a
 * microsecond count out of range is EINVAL (fs/utimes.c).
 */
function withTimevals(proc: GuestProcess, addr: number, call: (host: number) => number): number {
  if (addr === 0) return call(0);
  const host = hostStructArray('timespec', 2);
  for (let i = 0; i < 2; i++) {
    const tv = guestStruct(proc, 'timeval', addr, false, i);
    if (!tv) return -E.EFAULT;
    const usec = tv.get('usec');
    if (usec < 0n || usec >= US_PER_S) return -E.EINVAL;
    host.views[i]!.set('sec', tv.get('sec'));
    host.views[i]!.set('nsec', usec * 1000n);
  }
  return call(host.address);
}

/** utime's struct utimbuf (access and modification time, a time_t each) as utimensat's timespecs. */
function withUtimbuf(proc: GuestProcess, addr: number, call: (host: number) => number): number {
  if (addr === 0) return call(0);
  const word = proc.abi.wordSize;
  if (!proc.memory.accessible(addr, 2 * word, false)) return -E.EFAULT;
  const host = hostStructArray('timespec', 2);
  for (let i = 0; i < 2; i++) {
    host.views[i]!.set('sec', readLong(proc, addr + word * i));
    host.views[i]!.set('nsec', 0n);
  }
  return call(host.address);
}

const futimesat = utimensatWith(withTimevals);
const utime = utimensatWith(withUtimbuf);

export const FS_STAT_SYSCALLS: SyscallGroup = {
  fstat: syscall('dx', fstat),
  newfstatat: syscall('dsxh', newfstatat),
  statx: syscall(['d', 's', atFlags, statxMask, 'x'], statx),
  statfs: syscall('sx', statfs),
  fstatfs: syscall('dx', fstatfs),
  utimensat: utimensatWith((proc, addr, call) => withHostStructs(proc, 'timespec', addr, 2, 'in', call)),
  futimesat: syscall('dsx', (p, [dirfd, path, times]) => futimesat.handler(p, [dirfd!, path!, times!, 0])),
  utimes: syscall('sx', (p, [path, times]) => futimesat.handler(p, [AT_FDCWD, path!, times!, 0])),
  utime: syscall('sx', (p, [path, times]) => utime.handler(p, [AT_FDCWD, path!, times!, 0])),
  getdents64: syscall('dxd', getdents64),
  getdents: syscall('dxd', getdents),
};
