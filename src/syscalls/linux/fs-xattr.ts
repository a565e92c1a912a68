/**
 * Extended attributes: the set/get/list/remove calls by path (following or not following a final
 * symlink) and by descriptor. Names and values are bytes the host reads or fills in place; paths
 * go through the -L rule.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { hostFd } from './fd-table';
import { E, guestRange } from './guest-access';
import { hostSyscall } from './host';
import { hostPathArg, hostStringArg } from './paths';

/** The file argument: a path (l* and plain forms) or a descriptor (f* forms), as the host takes it; or -errno. */
type FileArg = (proc: GuestProcess, v: number) => number;
const byPath: FileArg = (proc, v) => hostPathArg(proc, v);
const byFd: FileArg = (proc, v) => hostFd(proc, int(v));

/** A buffer the host reads (set) or fills (get/list); a zero size asks only for the size, and NULL is allowed then. */
function buffer(proc: GuestProcess, addr: number, size: number, fills: boolean): number | undefined {
  if (size === 0) return 0;
  return guestRange(proc, addr, size, fills);
}

function setxattr(name: string, file: FileArg) {
  return (proc: GuestProcess, [f, attr, value, size, flags]: SyscallArgs): number => {
    const target = file(proc, f!);
    if (target < 0) return target;
    const a = hostStringArg(proc, attr!);
    if (a < 0) return a;
    const v = buffer(proc, value!, size!, false);
    return v === undefined ? -E.EFAULT : hostSyscall(name, target, a, v, size!, int(flags));
  };
}

function getxattr(name: string, file: FileArg) {
  return (proc: GuestProcess, [f, attr, value, size]: SyscallArgs): number => {
    const target = file(proc, f!);
    if (target < 0) return target;
    const a = hostStringArg(proc, attr!);
    if (a < 0) return a;
    const v = buffer(proc, value!, size!, true);
    return v === undefined ? -E.EFAULT : hostSyscall(name, target, a, v, size!);
  };
}

function listxattr(name: string, file: FileArg) {
  return (proc: GuestProcess, [f, list, size]: SyscallArgs): number => {
    const target = file(proc, f!);
    if (target < 0) return target;
    const l = buffer(proc, list!, size!, true);
    return l === undefined ? -E.EFAULT : hostSyscall(name, target, l, size!);
  };
}

function removexattr(name: string, file: FileArg) {
  return (proc: GuestProcess, [f, attr]: SyscallArgs): number => {
    const target = file(proc, f!);
    if (target < 0) return target;
    const a = hostStringArg(proc, attr!);
    return a < 0 ? a : hostSyscall(name, target, a);
  };
}

export const XATTR_SYSCALLS: SyscallGroup = {
  setxattr: syscall('ssxdd', setxattr('setxattr', byPath)),
  lsetxattr: syscall('ssxdd', setxattr('lsetxattr', byPath)),
  fsetxattr: syscall('dsxdd', setxattr('fsetxattr', byFd)),
  getxattr: syscall('ssxd', getxattr('getxattr', byPath)),
  lgetxattr: syscall('ssxd', getxattr('lgetxattr', byPath)),
  fgetxattr: syscall('dsxd', getxattr('fgetxattr', byFd)),
  listxattr: syscall('sxd', listxattr('listxattr', byPath)),
  llistxattr: syscall('sxd', listxattr('llistxattr', byPath)),
  flistxattr: syscall('dxd', listxattr('flistxattr', byFd)),
  removexattr: syscall('ss', removexattr('removexattr', byPath)),
  lremovexattr: syscall('ss', removexattr('lremovexattr', byPath)),
  fremovexattr: syscall('ds', removexattr('fremovexattr', byFd)),
};
