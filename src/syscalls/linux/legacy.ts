/**
 * The older path and descriptor syscalls that ABIs with a pre-*at syscall table still number
 * (PowerPC, x86_64...) and that libcs for them still call (glibc's readlink, unlink, mkdir, time...):
 * each is its *at or newer successor with the arguments Linux itself supplies (AT_FDCWD, flag 0),
 * so there is exactly one implementation of each operation.
 */
import type { StraceArg, SyscallDefinition } from '../abi';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, readLong } from './guest-access';
import { accessMode, openFlags } from './strace-names';

/** include/uapi/linux/fcntl.h: the same on every Linux ABI. */
const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;

type Rewrite = (args: SyscallArgs) => SyscallArgs;

/** The legacy calls: [name, successor, -strace formats, argument rewrite]. */
const LEGACY: readonly [string, string, string | readonly StraceArg[], Rewrite][] = [
  ['open', 'openat', ['s', openFlags, 'o'], ([path, flags, mode]) => [AT_FDCWD, path!, flags!, mode!]],
  ['readlink', 'readlinkat', 'sxd', ([path, buf, size]) => [AT_FDCWD, path!, buf!, size!]],
  ['access', 'faccessat', ['s', accessMode], ([path, mode]) => [AT_FDCWD, path!, mode!, 0]],
  ['mkdir', 'mkdirat', 'so', ([path, mode]) => [AT_FDCWD, path!, mode!]],
  ['mknod', 'mknodat', 'sod', ([path, mode, dev]) => [AT_FDCWD, path!, mode!, dev!]],
  ['unlink', 'unlinkat', 's', ([path]) => [AT_FDCWD, path!, 0]],
  ['rmdir', 'unlinkat', 's', ([path]) => [AT_FDCWD, path!, AT_REMOVEDIR]],
  ['rename', 'renameat', 'ss', ([from, to]) => [AT_FDCWD, from!, AT_FDCWD, to!]],
  ['link', 'linkat', 'ss', ([from, to]) => [AT_FDCWD, from!, AT_FDCWD, to!, 0]],
  ['symlink', 'symlinkat', 'ss', ([target, path]) => [target!, AT_FDCWD, path!]],
  ['chmod', 'fchmodat', 'so', ([path, mode]) => [AT_FDCWD, path!, mode!]],
  ['chown', 'fchownat', 'sdd', ([path, uid, gid]) => [AT_FDCWD, path!, uid!, gid!, 0]],
  ['lchown', 'fchownat', 'sdd', ([path, uid, gid]) => [AT_FDCWD, path!, uid!, gid!, AT_SYMLINK_NOFOLLOW]],
  ['stat', 'newfstatat', 'sx', ([path, buf]) => [AT_FDCWD, path!, buf!, 0]],
  ['lstat', 'newfstatat', 'sx', ([path, buf]) => [AT_FDCWD, path!, buf!, AT_SYMLINK_NOFOLLOW]],
  ['pipe', 'pipe2', 'x', ([fds]) => [fds!, 0]],
  ['eventfd', 'eventfd2', 'd', ([count]) => [count!, 0]],
  ['epoll_wait', 'epoll_pwait', 'dxdd', ([epfd, events, max, timeout]) => [epfd!, events!, max!, timeout!, 0, 8]],
  ['ugetrlimit', 'getrlimit', 'dx', (args) => args],
  ['getpgrp', 'getpgid', '', () => [0]],
  ['umount', 'umount2', 's', ([path]) => [path!, 0]],
  // 64-bit PowerPC still numbers these (glibc's statfs calls them); struct statfs64 is struct statfs there.
  ['statfs64', 'statfs', 'sdx', ([path, , buf]) => [path!, buf!]],
  ['fstatfs64', 'fstatfs', 'ddx', ([fd, , buf]) => [fd!, buf!]],
  // pause waits for a signal as ppoll with no descriptors and no timeout does (glibc's pause on arm64).
  ['pause', 'ppoll', '', () => [0, 0, 0, 0, 0]],
  ['waitpid', 'wait4', 'dxd', ([pid, status, options]) => [pid!, status!, options!, 0]],
  ['inotify_init', 'inotify_init1', '', () => [0]],
  // sync_file_range2 (PowerPC's, and ARM's arm_sync_file_range): flags moved second, where 32-bit ABIs would pad.
  ['sync_file_range2', 'sync_file_range', 'dhdd', ([fd, flags, offset, nbytes]) => [fd!, offset!, nbytes!, flags!]],
];

/**
 * socketcall(call, args)'s calls (include/uapi/linux/net.h's SYS_SOCKET..SYS_SENDMMSG) by number:
 * the socket call each is and how many of its arguments the array at `args` holds (send and recv
 * are sendto and recvfrom without an address).
 */
const SOCKETCALLS: readonly (readonly [string, number])[] = [
  ['socket', 3], ['bind', 3], ['connect', 3], ['listen', 2], ['accept', 3], ['getsockname', 3], ['getpeername', 3],
  ['socketpair', 4], ['send', 4], ['recv', 4], ['sendto', 6], ['recvfrom', 6], ['shutdown', 2], ['setsockopt', 5],
  ['getsockopt', 5], ['sendmsg', 3], ['recvmsg', 3], ['accept4', 4], ['recvmmsg', 5], ['sendmmsg', 4],
];

/** Legacy definitions built on `defs` (the generic layer's table); successors it lacks are skipped. */
export function legacySyscalls(defs: Readonly<Record<string, SyscallDefinition>>): SyscallGroup {
  const out: Record<string, SyscallDefinition> = {};
  for (const [name, successor, formats, rewrite] of LEGACY) {
    const target = defs[successor];
    if (target) out[name] = syscall(formats, (proc, args) => target.handler(proc, rewrite(args)));
  }
  const openat = defs['openat'];
  if (openat) {
    // creat(path, mode) = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode) in the guest's flag values.
    out['creat'] = syscall('so', (proc, [path, mode]) => {
      const f = proc.abi.openFlags;
      return openat.handler(proc, [AT_FDCWD, path!, f.O_CREAT | f.O_WRONLY | f.O_TRUNC, mode!]);
    });
  }
  const fcntl = defs['fcntl'];
  const dup3 = defs['dup3'];
  if (fcntl && dup3) {
    // dup2 to itself checks the descriptor and returns it (dup3 refuses equal descriptors).
    out['dup2'] = syscall('dd', (proc, [from, to]) => {
      if (from !== to) return dup3.handler(proc, [from!, to!, 0]);
      const r = fcntl.handler(proc, [from!, proc.abi.fcntlCommands.F_GETFD]);
      return r < 0 ? r : to!;
    });
  }
  const epollCreate1 = defs['epoll_create1'];
  if (epollCreate1) out['epoll_create'] = syscall('d', (proc, [size]) => (size! <= 0 ? -E.EINVAL : epollCreate1.handler(proc, [0])));
  const lseek = defs['lseek'];
  if (lseek) {
    // _llseek(fd, offset_high, offset_low, loff_t *result, whence): the 64-bit lseek of 32-bit
    // ABIs, still numbered (and used by glibc) on 64-bit PowerPC.
    out['_llseek'] = syscall('dddxd', (proc, [fd, high, low, result, whence]) => {
      if (!proc.memory.accessible(result!, 8, true)) return -E.EFAULT;
      const offset = Number(BigInt.asIntN(64, (BigInt(high! >>> 0) << 32n) | BigInt(low! >>> 0)));
      const r = lseek.handler(proc, [fd!, offset, whence!]);
      if (r < 0) return r;
      proc.memory.write64(result!, BigInt(r));
      return 0;
    });
  }
  // socketcall(call, args): the socket calls of ABIs that multiplex them, with their arguments in an array of longs.
  out['socketcall'] = syscall('dx', (proc, [call, argsAddr]) => {
    const entry = SOCKETCALLS[int(call) - 1];
    if (!entry) return -E.EINVAL;
    const [name, count] = entry;
    const word = proc.abi.wordSize;
    if (!proc.memory.accessible(argsAddr!, count * word, false)) return -E.EFAULT;
    // Each long as a register would hold it: a 32-bit ABI's zero-extended, a 64-bit one's signed.
    const long = (i: number): number => Number(BigInt.asIntN(64, BigInt.asUintN(8 * word, readLong(proc, argsAddr! + i * word))));
    const args = Array.from({ length: 6 }, (_, i) => (i < count ? long(i) : 0));
    const definition = defs[name];
    return definition ? definition.handler(proc, args) : -E.ENOSYS;
  });
  // time(tloc): seconds since the epoch, also stored at tloc when it is not NULL.
  out['time'] = syscall('x', (proc, [tloc]) => {
    const now = Math.floor(Date.now() / 1000);
    if (tloc) {
      if (!proc.memory.accessible(tloc, proc.abi.wordSize, true)) return -E.EFAULT;
      if (proc.abi.wordSize === 8) proc.memory.write64(tloc, BigInt(now));
      else proc.memory.write32(tloc, now);
    }
    return now;
  });
  return out;
}

