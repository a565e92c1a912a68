/**
 * The 32-bit ARM EABI Linux ABI (armhf and armel share it): ARM's own syscall numbers, ILP32
 * struct layouts (arm-layouts.ts), arm's O_* values (O_DIRECTORY, O_NOFOLLOW, O_DIRECT and
 * O_LARGEFILE moved, as on arm64), asm-generic signals, ioctls, fcntl commands and errno.
 *
 * The 32-bit calls that are the generic calls under another name or with another argument shape
 * (fstat64, mmap2's page offset, _llseek's split offset, the *_time64 family, fcntl's record locks
 * with 32- and 64-bit offsets) are mapped here onto the generic handlers. The CPU-specific private
 * calls (set_tls, cacheflush) are added by the user target (src/user/arm.ts).
 */
import { ARM_OPEN_FLAGS } from './arm-open-flags';
import { CLONE_ARGS_BACKWARDS, type FcntlCommand, type LinuxAbi, type SyscallDefinition, type SyscallEntry } from '../abi';
import { syscall } from '../linux/define';
import { writeGuestBytes, E } from '../linux/guest-access';
import { LINUX_SYSCALLS, syscallTable } from '../linux/registry';
import { ARM_EABI_LAYOUTS, ARM_OLD_FLOCK, ARM_OLD_TIMESPEC } from './arm-layouts';
import { timerfdGettime, timerfdSettime } from '../linux/event-fds';
import { timerGettime, timerSettime } from '../linux/timer-calls';
import { ARM_SYSCALL_NUMBERS } from './arm-numbers';
import { ARM_TIME32_CALLS } from './arm-time32';
import { ASM_GENERIC_FCNTL, ASM_GENERIC_IOCTLS, ASM_GENERIC_SIGNALS, ASM_GENERIC_SOCKET_OPTIONS } from './asm-generic';
import { fcntlCommand, mmapFlags, protection } from '../linux/strace-names';
import { fcntlLockWithLayout } from '../linux/fs-fd';
import { hostFd } from '../linux/fd-table';

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;
const MMAP2_UNIT = 4096;
const F_GETFD = 1;

function generic(name: string): SyscallDefinition {
  const definition = LINUX_SYSCALLS[name];
  if (!definition) throw new Error(`no generic syscall ${name}`);
  return definition;
}

/** ARM names of generic calls with the same arguments (the 64-bit stat/time variants glibc uses). */
const SAME_AS: Readonly<Record<string, string>> = {
  fstat64: 'fstat',
  fstatat64: 'newfstatat',
  futex_time64: 'futex',
  rt_sigtimedwait_time64: 'rt_sigtimedwait',
  clock_gettime64: 'clock_gettime',
  clock_getres_time64: 'clock_getres',
  clock_nanosleep_time64: 'clock_nanosleep',
  ppoll_time64: 'ppoll',
  pselect6_time64: 'pselect6',
  _newselect: 'select',
  utimensat_time64: 'utimensat',
  recvmmsg_time64: 'recvmmsg',
  timerfd_settime64: 'timerfd_settime',
  timerfd_gettime64: 'timerfd_gettime',
  timer_settime64: 'timer_settime',
  timer_gettime64: 'timer_gettime',
  mq_timedsend_time64: 'mq_timedsend',
  mq_timedreceive_time64: 'mq_timedreceive',
  sched_rr_get_interval_time64: 'sched_rr_get_interval',
  getuid32: 'getuid',
  geteuid32: 'geteuid',
  getgid32: 'getgid',
  getegid32: 'getegid',
  setuid32: 'setuid',
  setgid32: 'setgid',
  setreuid32: 'setreuid',
  setregid32: 'setregid',
  setresuid32: 'setresuid',
  setresgid32: 'setresgid',
  getresuid32: 'getresuid',
  getresgid32: 'getresgid',
  getgroups32: 'getgroups',
  setgroups32: 'setgroups',
  setfsuid32: 'setfsuid',
  setfsgid32: 'setfsgid',
  fchown32: 'fchown',
};

/** Path calls ARM keeps from before the *at family: the *at call on AT_FDCWD, and how many arguments the old call has. */
const AT_FDCWD_FORMS: Readonly<Record<string, readonly [string, number]>> = {
  open: ['openat', 3],
  readlink: ['readlinkat', 3],
  access: ['faccessat', 2],
  mkdir: ['mkdirat', 2],
  mknod: ['mknodat', 3],
  unlink: ['unlinkat', 1],
  chmod: ['fchmodat', 2],
  chown32: ['fchownat', 3],
};

/** A 64-bit argument from its low and high register (signed). */
function wide(lo: number | undefined, hi: number | undefined): number {
  return (hi! | 0) * 2 ** 32 + (lo! >>> 0);
}

/**
 * The *at call `name` with AT_FDCWD prepended to the old call's arguments; the *at call's extra
 * trailing arguments (flags) are 0, not whatever the registers after the old call's hold.
 */
function atFdcwd(name: string, oldArgs: number): SyscallDefinition {
  const at = generic(name);
  return syscall(at.args.slice(1, 1 + oldArgs), (p, args) =>
    at.handler(p, [AT_FDCWD, ...args.slice(0, oldArgs), ...Array<number>(at.args.length - 1 - oldArgs).fill(0)]));
}

/** fcntl's record-lock commands on a 32-bit ABI (asm-generic/fcntl.h): F_GETLK64, F_SETLK64, F_SETLKW64. */
const LOCK64_COMMANDS: ReadonlyMap<number, FcntlCommand> = new Map([
  [12, 'F_GETLK'],
  [13, 'F_SETLK'],
  [14, 'F_SETLKW'],
]);
const OLD_LOCK_COMMANDS: ReadonlySet<FcntlCommand> = new Set(['F_GETLK', 'F_SETLK', 'F_SETLKW']);

/**
 * fcntl and fcntl64: F_GETLK, F_SETLK and F_SETLKW take the old struct flock with 32-bit offsets;
 * fcntl64 also takes F_GETLK64, F_SETLK64 and F_SETLKW64 with struct flock64 (the ABI's `flock`,
 * what the generic commands use), as glibc sends them for a program built with 64-bit file offsets.
 */
function armFcntl(lock64: boolean): SyscallDefinition {
  return syscall(['d', fcntlCommand, 'd'], (p, [fd, cmd, arg]) => {
    const long = LOCK64_COMMANDS.get(cmd!);
    if (long && lock64) return generic('fcntl').handler(p, [fd!, ASM_GENERIC_FCNTL[long], arg!]);
    const old = (Object.keys(ASM_GENERIC_FCNTL) as FcntlCommand[]).find((n) => ASM_GENERIC_FCNTL[n] === cmd && OLD_LOCK_COMMANDS.has(n));
    if (!old) return generic('fcntl').handler(p, [fd!, cmd!, arg!]);
    const h = hostFd(p, fd! | 0);
    return h < 0 ? h : fcntlLockWithLayout(p, h, old, arg!, ARM_OLD_FLOCK);
  });
}

/** Calls whose arguments differ from the generic ones. */
const ADAPTED: Readonly<Record<string, SyscallDefinition>> = {
  ...ARM_TIME32_CALLS,
  mmap2: syscall(['x', 'd', protection, mmapFlags, 'd', 'd'], (p, [addr, len, prot, flags, fd, pgoff]) =>
    generic('mmap').handler(p, [addr!, len!, prot!, flags!, fd!, pgoff! * MMAP2_UNIT]),
  { addressResult: true }),
  _llseek: syscall('dddxd', (p, [fd, high, low, result, whence]) => {
    const offset = (high! | 0) * 2 ** 32 + (low! >>> 0);
    const position = generic('lseek').handler(p, [fd!, offset, whence!]);
    if (position < 0) return position;
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigInt64(0, BigInt(position), true);
    return writeGuestBytes(p, result!, bytes) ? 0 : -E.EFAULT;
  }),
  rmdir: syscall('s', (p, [path]) => generic('unlinkat').handler(p, [AT_FDCWD, path!, AT_REMOVEDIR])),
  rename: syscall('ss', (p, [from, to]) => generic('renameat').handler(p, [AT_FDCWD, from!, AT_FDCWD, to!])),
  link: syscall('ss', (p, [from, to]) => generic('linkat').handler(p, [AT_FDCWD, from!, AT_FDCWD, to!, 0])),
  lchown32: syscall('sdd', (p, [path, uid, gid]) => generic('fchownat').handler(p, [AT_FDCWD, path!, uid!, gid!, AT_SYMLINK_NOFOLLOW])),
  symlink: syscall('ss', (p, [target, path]) => generic('symlinkat').handler(p, [target!, AT_FDCWD, path!])),
  dup2: syscall('dd', (p, [from, to]) =>
    from === to ? (generic('fcntl').handler(p, [from!, F_GETFD, 0]) < 0 ? generic('fcntl').handler(p, [from!, F_GETFD, 0]) : to!) : generic('dup3').handler(p, [from!, to!, 0])),
  pipe: syscall('x', (p, [fds]) => generic('pipe2').handler(p, [fds!, 0])),
  fcntl: armFcntl(false),
  fcntl64: armFcntl(true),
  // EABI passes 64-bit arguments in an even/odd register pair, skipping a register to align.
  pread64: syscall('dxddd', (p, [fd, buf, count, , lo, hi]) => generic('pread64').handler(p, [fd!, buf!, count!, wide(lo, hi)])),
  pwrite64: syscall('dxddd', (p, [fd, buf, count, , lo, hi]) => generic('pwrite64').handler(p, [fd!, buf!, count!, wide(lo, hi)])),
  readahead: syscall('dddd', (p, [fd, , lo, hi, count]) => generic('readahead').handler(p, [fd!, wide(lo, hi), count!])),
  arm_sync_file_range: syscall('dhdddd', (p, [fd, flags, offLo, offHi, lenLo, lenHi]) =>
    generic('sync_file_range').handler(p, [fd!, wide(offLo, offHi), wide(lenLo, lenHi), flags!])),
  ftruncate64: syscall('ddd', (p, [fd, , lo, hi]) => generic('ftruncate').handler(p, [fd!, wide(lo, hi)])),
  truncate64: syscall('sdd', (p, [path, , lo, hi]) => generic('truncate').handler(p, [path!, wide(lo, hi)])),
  fallocate: syscall('dddd', (p, [fd, mode, offLo, offHi, lenLo, lenHi]) =>
    generic('fallocate').handler(p, [fd!, mode!, wide(offLo, offHi), wide(lenLo, lenHi)])),
  arm_fadvise64_64: syscall('dddd', (p, [fd, advice, offLo, offHi, lenLo, lenHi]) =>
    generic('fadvise64').handler(p, [fd!, wide(offLo, offHi), wide(lenLo, lenHi), advice!])),
  stat64: syscall('sx', (p, [path, buf]) => generic('newfstatat').handler(p, [AT_FDCWD, path!, buf!, 0])),
  lstat64: syscall('sx', (p, [path, buf]) => generic('newfstatat').handler(p, [AT_FDCWD, path!, buf!, AT_SYMLINK_NOFOLLOW])),
  statfs64: syscall('sdx', (p, [path, , buf]) => generic('statfs').handler(p, [path!, buf!])),
  fstatfs64: syscall('ddx', (p, [fd, , buf]) => generic('fstatfs').handler(p, [fd!, buf!])),
  // glibc uses the 32-bit-time calls while the values fit in 32 bits.
  timerfd_settime: syscall('dhxx', timerfdSettime(ARM_OLD_TIMESPEC)),
  timerfd_gettime: syscall('dx', timerfdGettime(ARM_OLD_TIMESPEC)),
  timer_settime: syscall('dhxx', timerSettime(ARM_OLD_TIMESPEC)),
  timer_gettime: syscall('dx', timerGettime(ARM_OLD_TIMESPEC)),
};

function armSyscalls(): ReadonlyMap<number, SyscallEntry> {
  const table = new Map(syscallTable(ARM_SYSCALL_NUMBERS));
  for (const [name, nr] of Object.entries(ARM_SYSCALL_NUMBERS)) {
    const target = SAME_AS[name];
    const atForm = AT_FDCWD_FORMS[name];
    const definition = target ? generic(target) : atForm ? atFdcwd(...atForm) : ADAPTED[name];
    if (definition) table.set(nr, { name, definition });
  }
  return table;
}

export const armAbi: LinuxAbi = {
  name: 'arm',
  machine: 'armv7l',
  littleEndian: true,
  wordSize: 4,
  layouts: ARM_EABI_LAYOUTS,
  openFlags: ARM_OPEN_FLAGS,
  fcntlCommands: ASM_GENERIC_FCNTL,
  signals: ASM_GENERIC_SIGNALS,
  ioctls: ASM_GENERIC_IOCTLS,
  socketOptions: ASM_GENERIC_SOCKET_OPTIONS,
  sigRtMin: 32,
  nsig: 64,
  syscallNumbers: ARM_SYSCALL_NUMBERS,
  // arch/arm/include/uapi/asm/signal.h
  minSigStackSize: 2048,
  cloneArgs: CLONE_ARGS_BACKWARDS,
  // arch/arm/include/asm/shmparam.h (which also forces it: shmat at a misaligned address is EINVAL).
  shmlba: 4 * 4096,
  syscalls: armSyscalls(),
  // arm uses asm-generic/errno.h, as x86_64 does.
  errnoFromHost: (e) => e,
};
