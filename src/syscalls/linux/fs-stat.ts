/**
 * File status: fstat and newfstatat (the guest's struct stat differs from the host's, so it is
 * converted), statx, statfs/fstatfs, utimensat, and the directory reads of dirents.ts.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallDefinition } from '../abi';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { hostDirFd, hostFd } from './fd-table';
import { E, withHostStruct, withHostStructs } from './guest-access';
import { hostSyscall } from './host';
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

export const FS_STAT_SYSCALLS: SyscallGroup = {
  fstat: syscall('dx', fstat),
  newfstatat: syscall('dsxh', newfstatat),
  statx: syscall(['d', 's', atFlags, statxMask, 'x'], statx),
  statfs: syscall('sx', statfs),
  fstatfs: syscall('dx', fstatfs),
  utimensat: utimensatWith((proc, addr, call) => withHostStructs(proc, 'timespec', addr, 2, 'in', call)),
  getdents64: syscall('dxd', getdents64),
  getdents: syscall('dxd', getdents),
};
