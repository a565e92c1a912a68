/**
 * The guest's descriptor table. Node and libuv hold host descriptors of their own (event loop,
 * signal pipes, eventfds) at low numbers, so guest descriptors cannot simply be host descriptors:
 * each guest number maps to a host descriptor, and new guest numbers follow Linux's rule (the
 * lowest free one), so a guest sees the numbers it would see natively and can never reach or
 * close tsemu's own descriptors. A new process starts with what it inherited: stdin, stdout and
 * stderr, and every other host descriptor open without FD_CLOEXEC when the table is made
 * (everything Node opens itself is close-on-exec), each under its own number. Node marks the
 * descriptors above 2 that it inherited close-on-exec too, so a tsemu that starts another tsemu
 * (a guest execve) names the guest's descriptors in INHERITED_FDS_VARIABLE, which the guest never sees.
 */
import { native } from '../../native';
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int } from './define';
import { E } from './guest-access';
import { hostSyscall } from './host';

/** Guest descriptor numbers a re-entered tsemu inherits (comma-separated), set by the execve that started it. */
export const INHERITED_FDS_VARIABLE = 'TSEMU_INHERITED_FDS';

const AT_FDCWD = -100;
const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;
const STDERR = 2;
/** A descriptor number no process has open (for poll: reported as POLLNVAL). */
export const NEVER_OPEN_FD = 0x7fffffff;

export class FdTable {
  /** Guest number -> host descriptor. */
  private readonly fds = new Map<number, number>();

  /** The table of a process that inherited the host's non-close-on-exec descriptors. */
  static inherited(): FdTable {
    const table = new FdTable();
    const named = new Set((process.env[INHERITED_FDS_VARIABLE] ?? '').split(',').filter(Boolean).map(Number));
    for (const fd of native().openFds()) {
      const flags = hostSyscall('fcntl', fd, F_GETFD);
      if (flags < 0 || (fd > STDERR && !named.has(fd) && flags & FD_CLOEXEC)) continue;
      // Node marks these close-on-exec; the guest's were inherited without it.
      if (flags & FD_CLOEXEC) hostSyscall('fcntl', fd, F_SETFD, flags & ~FD_CLOEXEC);
      table.fds.set(fd, fd);
    }
    return table;
  }

  /** The host descriptor behind guest `fd`, or undefined. */
  host(fd: number): number | undefined {
    return this.fds.get(fd);
  }

  /** Registers host descriptor `host` under the lowest free guest number >= `min`. */
  add(host: number, min = 0): number {
    let fd = min;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, host);
    return fd;
  }

  /** Puts `host` at guest number `fd`; returns the host descriptor it replaces (the caller closes it). */
  place(fd: number, host: number): number | undefined {
    const old = this.fds.get(fd);
    this.fds.set(fd, host);
    return old;
  }

  /** Forgets guest `fd`; returns its host descriptor. */
  remove(fd: number): number | undefined {
    const host = this.fds.get(fd);
    this.fds.delete(fd);
    return host;
  }

  /**
   * What a new program image keeps: (guest number, host descriptor) pairs of the descriptors whose
   * host side is not close-on-exec (the guest's own close-on-exec flag lives there).
   */
  /** The environment entry that names the placed descriptors to the tsemu an execve starts. */
  static inheritedVariable(placement: readonly number[]): string {
    return `${INHERITED_FDS_VARIABLE}=${placement.filter((_, i) => i % 2 === 0).join(',')}`;
  }

  execPlacement(): number[] {
    const pairs: number[] = [];
    for (const fd of this.guestFds()) {
      const host = this.fds.get(fd)!;
      const flags = hostSyscall('fcntl', host, F_GETFD);
      if (flags >= 0 && (flags & FD_CLOEXEC) === 0) pairs.push(fd, host);
    }
    return pairs;
  }

  /** Guest numbers in use, ascending. */
  guestFds(): number[] {
    return [...this.fds.keys()].sort((a, b) => a - b);
  }
}

const tables = new WeakMap<GuestProcess, FdTable>();

export function fdTable(proc: GuestProcess): FdTable {
  let t = tables.get(proc);
  if (!t) {
    t = FdTable.inherited();
    tables.set(proc, t);
  }
  return t;
}

/** The host descriptor for guest `fd`, or -EBADF. */
export function hostFd(proc: GuestProcess, fd: number): number {
  return fdTable(proc).host(fd) ?? -E.EBADF;
}

/** The host descriptor for a directory argument of an *at call (AT_FDCWD stays AT_FDCWD), or undefined (EBADF). */
export function hostDirFd(proc: GuestProcess, fd: number): number | undefined {
  return fd === AT_FDCWD ? AT_FDCWD : fdTable(proc).host(fd);
}

/** Turns a host call's new descriptor (or -errno) into a guest one numbered >= `min`. */
export function newGuestFd(proc: GuestProcess, hostResult: number, min = 0): number {
  return hostResult < 0 ? hostResult : fdTable(proc).add(hostResult, min);
}

/**
 * `args` with the guest descriptors at positions `fds` (and directory descriptors at `dirFds`)
 * replaced by host ones, or -EBADF when one is not open.
 */
export function translateFdArgs(proc: GuestProcess, args: SyscallArgs, fds: readonly number[], dirFds: readonly number[] = []): number[] | number {
  const out = [...args];
  for (const i of fds) {
    const h = hostFd(proc, int(args[i]));
    if (h < 0) return h;
    out[i] = h;
  }
  for (const i of dirFds) {
    const h = hostDirFd(proc, int(args[i]));
    if (h === undefined) return -E.EBADF;
    out[i] = h;
  }
  return out;
}

/** A host call whose guest descriptors sit at positions `fds` and whose other arguments pass through. */
export function fdCall(name: string, fds: readonly number[] = [0]) {
  return (proc: GuestProcess, args: SyscallArgs): number => {
    const host = translateFdArgs(proc, args, fds);
    return typeof host === 'number' ? host : hostSyscall(name, ...host);
  };
}
