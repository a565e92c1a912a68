/**
 * Calls that name files by path: openat, readlinkat, access checks, creating, removing, renaming
 * and linking, permissions, ownership, times, truncate, the working directory. Every path goes
 * through the -L rule (paths.ts), and the /proc files that describe the process are generated for the
 * guest (proc-files.ts); AT_* flags and AT_FDCWD have the same values on every Linux ABI
 * and pass through.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { openFlagsToHost } from './flags';
import { fdCall, hostDirFd, newGuestFd, translateFdArgs } from './fd-table';
import { E, guestRange, writeGuestBytes } from './guest-access';
import { HOST, hostSyscall } from './host';
import { hostOpenPathArg, hostPathArg, hostStringArg, isProcSelfExe, readGuestPath } from './paths';
import { openContent, procFileContent } from './proc-files';
import { accessMode, openFlags } from './strace-names';

/**
 * A call whose arguments at `paths` are paths and at `dirFds` directory descriptors (each path's
 * directory is the argument before it); other arguments pass through as they are.
 */
function pathCall(name: string, paths: readonly number[], dirFds: readonly number[]) {
  return (proc: GuestProcess, args: SyscallArgs): number => {
    const host = translateFdArgs(proc, args, [], dirFds);
    if (typeof host === 'number') return host;
    for (const i of paths) {
      const p = hostPathArg(proc, args[i]!);
      if (p < 0) return p;
      host[i] = p;
    }
    return hostSyscall(name, ...host);
  };
}

function openat(proc: GuestProcess, [dirfd, pathAddr, flags, mode]: SyscallArgs): number {
  const guestPath = readGuestPath(proc, pathAddr!);
  if (typeof guestPath === 'number') return guestPath;
  const generated = procFileContent(proc, guestPath);
  if (generated) return newGuestFd(proc, openContent(generated, (int(flags) & proc.abi.openFlags.O_CLOEXEC) !== 0, guestPath.toString('latin1')));
  const dir = hostDirFd(proc, int(dirfd));
  if (dir === undefined) return -E.EBADF;
  const path = hostOpenPathArg(proc, pathAddr!);
  if (path < 0) return path;
  return newGuestFd(proc, hostSyscall('openat', dir, path, openFlagsToHost(proc.abi, HOST, int(flags)), int(mode)));
}

function readlinkat(proc: GuestProcess, [dirfd, pathAddr, buf, size]: SyscallArgs): number {
  const guestPath = readGuestPath(proc, pathAddr!);
  if (typeof guestPath === 'number') return guestPath;
  if (int(size) <= 0) return -E.EINVAL;
  if (isProcSelfExe(guestPath)) {
    const target = Buffer.from(proc.exePath).subarray(0, int(size));
    return writeGuestBytes(proc, buf!, target) ? target.length : -E.EFAULT;
  }
  const dir = hostDirFd(proc, int(dirfd));
  if (dir === undefined) return -E.EBADF;
  const path = hostPathArg(proc, pathAddr!);
  if (path < 0) return path;
  const host = guestRange(proc, buf!, int(size), true);
  if (host === undefined) return -E.EFAULT;
  return hostSyscall('readlinkat', dir, path, host, int(size));
}

function symlinkat(proc: GuestProcess, [target, dirfd, linkPath]: SyscallArgs): number {
  const t = hostStringArg(proc, target!);
  if (t < 0) return t;
  const dir = hostDirFd(proc, int(dirfd));
  if (dir === undefined) return -E.EBADF;
  const link = hostPathArg(proc, linkPath!);
  if (link < 0) return link;
  return hostSyscall('symlinkat', t, dir, link);
}

function getcwd(proc: GuestProcess, [buf, size]: SyscallArgs): number {
  const host = guestRange(proc, buf!, size!, true);
  if (host === undefined) return -E.EFAULT;
  return hostSyscall('getcwd', host, size!);
}

export const FS_PATH_SYSCALLS: SyscallGroup = {
  openat: syscall(['d', 's', openFlags, 'o'], openat),
  readlinkat: syscall('dsxd', readlinkat),
  faccessat: syscall(['d', 's', accessMode, 'd'], pathCall('faccessat', [1], [0])),
  faccessat2: syscall(['d', 's', accessMode, 'd'], pathCall('faccessat2', [1], [0])),
  mkdirat: syscall('dso', pathCall('mkdirat', [1], [0])),
  mknodat: syscall('dsod', pathCall('mknodat', [1], [0])),
  unlinkat: syscall('dsd', pathCall('unlinkat', [1], [0])),
  renameat: syscall('dsds', pathCall('renameat', [1, 3], [0, 2])),
  renameat2: syscall('dsdsd', pathCall('renameat2', [1, 3], [0, 2])),
  linkat: syscall('dsdsd', pathCall('linkat', [1, 3], [0, 2])),
  symlinkat: syscall('sds', symlinkat),
  fchmod: syscall('do', fdCall('fchmod')),
  fchmodat: syscall('dso', pathCall('fchmodat', [1], [0])),
  fchown: syscall('ddd', fdCall('fchown')),
  fchownat: syscall('dsddd', pathCall('fchownat', [1], [0])),
  truncate: syscall('sd', pathCall('truncate', [0], [])),
  chdir: syscall('s', pathCall('chdir', [0], [])),
  fchdir: syscall('d', fdCall('fchdir')),
  chroot: syscall('s', pathCall('chroot', [0], [])),
  getcwd: syscall('xd', getcwd),
};
