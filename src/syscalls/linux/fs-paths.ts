/**
 * Calls that name files by path: openat, readlinkat, access checks, creating, removing, renaming
 * and linking, permissions, ownership, times, truncate, the working directory. Every path goes
 * through the -L rule (paths.ts); AT_* flags and AT_FDCWD have the same values on every Linux ABI
 * and pass through.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { openFlagsToHost } from './flags';
import { E, guestRange, writeGuestBytes } from './guest-access';
import { HOST, hostSyscall } from './host';
import { hostOpenPathArg, hostPathArg, hostStringArg, isProcSelfExe, readGuestPath } from './paths';

/** A call whose argument `pathIndex` is a path and whose other arguments pass through as they are. */
function pathCall(name: string, pathIndex: number) {
  return (proc: GuestProcess, args: SyscallArgs): number => {
    const path = hostPathArg(proc, args[pathIndex]!);
    if (path < 0) return path;
    const hostArgs = args.map((a, i) => (i === pathIndex ? path : a));
    return hostSyscall(name, ...hostArgs);
  };
}

/** A call with two paths (at arguments `first` and `second`). */
function twoPathCall(name: string, first: number, second: number) {
  return (proc: GuestProcess, args: SyscallArgs): number => {
    const a = hostPathArg(proc, args[first]!);
    if (a < 0) return a;
    const b = hostPathArg(proc, args[second]!);
    if (b < 0) return b;
    return hostSyscall(name, ...args.map((v, i) => (i === first ? a : i === second ? b : v)));
  };
}

function openat(proc: GuestProcess, [dirfd, pathAddr, flags, mode]: SyscallArgs): number {
  const path = hostOpenPathArg(proc, pathAddr!);
  if (path < 0) return path;
  return hostSyscall('openat', int(dirfd), path, openFlagsToHost(proc.abi, HOST, int(flags)), int(mode));
}

function readlinkat(proc: GuestProcess, [dirfd, pathAddr, buf, size]: SyscallArgs): number {
  const guestPath = readGuestPath(proc, pathAddr!);
  if (typeof guestPath === 'number') return guestPath;
  if (int(size) <= 0) return -E.EINVAL;
  if (isProcSelfExe(guestPath)) {
    const target = Buffer.from(proc.exePath).subarray(0, int(size));
    return writeGuestBytes(proc, buf!, target) ? target.length : -E.EFAULT;
  }
  const path = hostPathArg(proc, pathAddr!);
  if (path < 0) return path;
  const host = guestRange(proc, buf!, int(size), true);
  if (host === undefined) return -E.EFAULT;
  return hostSyscall('readlinkat', int(dirfd), path, host, int(size));
}

function symlinkat(proc: GuestProcess, [target, dirfd, linkPath]: SyscallArgs): number {
  const t = hostStringArg(proc, target!);
  if (t < 0) return t;
  const link = hostPathArg(proc, linkPath!);
  if (link < 0) return link;
  return hostSyscall('symlinkat', t, int(dirfd), link);
}

function getcwd(proc: GuestProcess, [buf, size]: SyscallArgs): number {
  const host = guestRange(proc, buf!, size!, true);
  if (host === undefined) return -E.EFAULT;
  return hostSyscall('getcwd', host, size!);
}

export const FS_PATH_SYSCALLS: SyscallGroup = {
  openat: syscall('dsho', openat),
  readlinkat: syscall('dsxd', readlinkat),
  faccessat: syscall('dsod', pathCall('faccessat', 1)),
  faccessat2: syscall('dsod', pathCall('faccessat2', 1)),
  mkdirat: syscall('dso', pathCall('mkdirat', 1)),
  mknodat: syscall('dsod', pathCall('mknodat', 1)),
  unlinkat: syscall('dsd', pathCall('unlinkat', 1)),
  renameat: syscall('dsds', twoPathCall('renameat', 1, 3)),
  renameat2: syscall('dsdsd', twoPathCall('renameat2', 1, 3)),
  linkat: syscall('dsdsd', twoPathCall('linkat', 1, 3)),
  symlinkat: syscall('sds', symlinkat),
  fchmod: syscall('do', (_p, [fd, mode]) => hostSyscall('fchmod', int(fd), int(mode))),
  fchmodat: syscall('dso', pathCall('fchmodat', 1)),
  fchown: syscall('ddd', (_p, [fd, uid, gid]) => hostSyscall('fchown', int(fd), int(uid), int(gid))),
  fchownat: syscall('dsddd', pathCall('fchownat', 1)),
  truncate: syscall('sd', pathCall('truncate', 0)),
  chdir: syscall('s', pathCall('chdir', 0)),
  fchdir: syscall('d', (_p, [fd]) => hostSyscall('fchdir', int(fd))),
  chroot: syscall('s', pathCall('chroot', 0)),
  getcwd: syscall('xd', getcwd),
};
