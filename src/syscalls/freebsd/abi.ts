/**
 * The FreeBSD/arm64 ABI in the shape the generic syscall layer works with (LinuxAbi): FreeBSD's
 * syscall numbers, each bound to a FreeBSD-specific handler (the files of this folder) or, where
 * FreeBSD's call means what Linux's does once the ABI's tables have translated flags and structs,
 * to the generic Linux handler. Numbers without a handler answer ENOSYS, logged once by name
 * (dispatch.ts). errno, signal, open-flag, fcntl and ioctl values and struct layouts are
 * FreeBSD's; the byte order and word size are arm64's.
 */
import { CLONE_ARGS_BACKWARDS, type LinuxAbi, type SyscallDefinition, type SyscallEntry } from '../abi';
import type { SyscallGroup } from '../linux/define';
import { LINUX_SYSCALLS } from '../linux/registry';
import { freebsdErrnoFromHost } from './errno';
import { FREEBSD_FCNTL, FREEBSD_IOCTLS, FREEBSD_OPEN_FLAGS } from './flags';
import { FS_SYSCALLS } from './fs';
import { KQUEUE_SYSCALLS } from './kqueue';
import { FREEBSD_LAYOUTS } from './layouts';
import { MISC_SYSCALLS } from './misc';
import { MM_SYSCALLS } from './mm';
import { FREEBSD_SYSCALL_NUMBERS } from './numbers';
import { SIGNAL_SYSCALLS } from './sig';
import { FREEBSD_MINSIGSTKSZ, FREEBSD_NSIG, FREEBSD_SIGNALS, FREEBSD_SIGRTMIN } from './signals';
import { SYSCTL_SYSCALLS } from './sysctl';
import { TERMIOS_SYSCALLS } from './termios';
import { THR_SYSCALLS } from './thr';
import { UMTX_SYSCALLS } from './umtx';

/** FreeBSD calls served by the generic handler of the Linux call named beside them. */
const SAME_AS_LINUX: Readonly<Record<string, string>> = {
  exit: 'exit_group',
  read: 'read',
  write: 'write',
  open: 'open',
  close: 'close',
  link: 'link',
  unlink: 'unlink',
  chdir: 'chdir',
  fchdir: 'fchdir',
  chmod: 'chmod',
  chown: 'chown',
  getpid: 'getpid',
  setuid: 'setuid',
  getuid: 'getuid',
  geteuid: 'geteuid',
  access: 'access',
  sync: 'sync',
  kill: 'kill',
  getppid: 'getppid',
  dup: 'dup',
  getegid: 'getegid',
  getgid: 'getgid',
  symlink: 'symlink',
  readlink: 'readlink',
  umask: 'umask',
  chroot: 'chroot',
  munmap: 'munmap',
  mprotect: 'mprotect',
  getgroups: 'getgroups',
  setgroups: 'setgroups',
  getpgrp: 'getpgrp',
  setpgid: 'setpgid',
  setitimer: 'setitimer',
  getitimer: 'getitimer',
  dup2: 'dup2',
  fcntl: 'fcntl',
  fsync: 'fsync',
  setpriority: 'setpriority',
  getpriority: 'getpriority',
  gettimeofday: 'gettimeofday',
  getrusage: 'getrusage',
  readv: 'readv',
  writev: 'writev',
  fchown: 'fchown',
  fchmod: 'fchmod',
  setreuid: 'setreuid',
  setregid: 'setregid',
  rename: 'rename',
  flock: 'flock',
  mkdir: 'mkdir',
  rmdir: 'rmdir',
  setsid: 'setsid',
  setgid: 'setgid',
  mlock: 'mlock',
  munlock: 'munlock',
  getpgid: 'getpgid',
  lchown: 'lchown',
  preadv: 'preadv',
  pwritev: 'pwritev',
  getsid: 'getsid',
  setresuid: 'setresuid',
  setresgid: 'setresgid',
  mlockall: 'mlockall',
  munlockall: 'munlockall',
  sched_get_priority_max: 'sched_get_priority_max',
  sched_get_priority_min: 'sched_get_priority_min',
  getresuid: 'getresuid',
  getresgid: 'getresgid',
  pread: 'pread64',
  pwrite: 'pwrite64',
  lseek: 'lseek',
  truncate: 'truncate',
  ftruncate: 'ftruncate',
  mkdirat: 'mkdirat',
  openat: 'openat',
  readlinkat: 'readlinkat',
  renameat: 'renameat',
  symlinkat: 'symlinkat',
  pipe2: 'pipe2',
  fdatasync: 'fdatasync',
  fstat: 'fstat',
  getrandom: 'getrandom',
  close_range: 'close_range',
  copy_file_range: 'copy_file_range',
};

const FREEBSD_HANDLERS: SyscallGroup = {
  ...Object.fromEntries(
    Object.entries(SAME_AS_LINUX).map(([freebsd, linux]) => [freebsd, LINUX_SYSCALLS[linux]!]),
  ),
  ...FS_SYSCALLS,
  ...MM_SYSCALLS,
  ...MISC_SYSCALLS,
  ...SIGNAL_SYSCALLS,
  ...SYSCTL_SYSCALLS,
  ...TERMIOS_SYSCALLS,
  ...THR_SYSCALLS,
  ...UMTX_SYSCALLS,
  ...KQUEUE_SYSCALLS,
};

function freebsdTable(): ReadonlyMap<number, SyscallEntry> {
  const table = new Map<number, SyscallEntry>();
  for (const [name, nr] of Object.entries(FREEBSD_SYSCALL_NUMBERS)) {
    const definition: SyscallDefinition | undefined = FREEBSD_HANDLERS[name];
    table.set(nr, { name, definition });
  }
  return table;
}

export const FREEBSD_SAME_AS_LINUX = SAME_AS_LINUX;

export const freebsdAarch64Abi: LinuxAbi = {
  name: 'aarch64-freebsd',
  machine: 'arm64',
  littleEndian: true,
  wordSize: 8,
  layouts: FREEBSD_LAYOUTS,
  openFlags: FREEBSD_OPEN_FLAGS,
  fcntlCommands: FREEBSD_FCNTL,
  signals: FREEBSD_SIGNALS,
  ioctls: FREEBSD_IOCTLS,
  sigRtMin: FREEBSD_SIGRTMIN,
  nsig: FREEBSD_NSIG,
  // The CPU loop recognises the frame-restoring call by Linux's name for it.
  syscallNumbers: { ...FREEBSD_SYSCALL_NUMBERS, rt_sigreturn: FREEBSD_SYSCALL_NUMBERS['sigreturn']! },
  minSigStackSize: FREEBSD_MINSIGSTKSZ,
  // FreeBSD has no clone(2) (its fork and thr_new take no such arguments); the field is unused.
  cloneArgs: CLONE_ARGS_BACKWARDS,
  syscalls: freebsdTable(),
  errnoFromHost: freebsdErrnoFromHost,
};
