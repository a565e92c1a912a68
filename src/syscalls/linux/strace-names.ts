/**
 * -strace formatters that print an argument by name, in QEMU's style: flag words as NAME|NAME
 * (bits without a name as a trailing hex value), commands and constants by their macro name
 * (unknown values as numbers). Values an ABI numbers its own way (open flags, fcntl commands,
 * ioctls) come from the ABI's tables; the rest are the same on every Linux ABI.
 */
import type { LinuxAbi, StraceFormatter } from '../abi';

type Names = Readonly<Record<string, number>>;

/** Names of the bits of `v`, each entry counted when all its bits are set; `zero` for 0. */
function bitNames(names: Names, v: number, zero: string): string {
  let rest = v >>> 0;
  const parts: string[] = [];
  for (const [name, bits] of Object.entries(names)) {
    if (bits !== 0 && (rest & bits) === bits) {
      parts.push(name);
      rest = (rest & ~bits) >>> 0;
    }
  }
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.length === 0 ? zero : parts.join('|');
}

/** The name whose value is `v`, or `v` printed by `fallback`. */
function valueName(names: Names, v: number, fallback: (v: number) => string = String): string {
  return Object.entries(names).find(([, value]) => value === v)?.[0] ?? fallback(v);
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** The ABI's open flags under their user-visible names (O_SYNC, O_TMPFILE), O_ACCMODE handled apart. */
function openFlagNames(abi: LinuxAbi): Names {
  const { O_WRONLY: _w, O_RDWR: _rw, __O_SYNC, __O_TMPFILE, O_DSYNC, O_DIRECTORY, ...rest } = abi.openFlags;
  // O_SYNC and O_TMPFILE include O_DSYNC and O_DIRECTORY: the longer names first.
  return { O_SYNC: __O_SYNC | O_DSYNC, O_TMPFILE: __O_TMPFILE | O_DIRECTORY, O_DSYNC, O_DIRECTORY, ...rest };
}

export const openFlags: StraceFormatter = (abi, v) => {
  const access = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][v & 3]!;
  const rest = bitNames(openFlagNames(abi), v & ~3, '');
  return rest === '' ? access : `${access}|${rest}`;
};

export const protection: StraceFormatter = (_abi, v) =>
  bitNames({ PROT_READ: 1, PROT_WRITE: 2, PROT_EXEC: 4, PROT_SEM: 8, PROT_GROWSDOWN: 0x01000000, PROT_GROWSUP: 0x02000000 }, v, 'PROT_NONE');

/** MAP_* values shared by every Linux ABI tsemu runs (MAP_NORESERVE and MAP_LOCKED differ on PowerPC and stay numeric). */
export const mmapFlags: StraceFormatter = (_abi, v) =>
  bitNames(
    {
      MAP_SHARED_VALIDATE: 3,
      MAP_SHARED: 1,
      MAP_PRIVATE: 2,
      MAP_FIXED: 0x10,
      MAP_ANONYMOUS: 0x20,
      MAP_GROWSDOWN: 0x100,
      MAP_DENYWRITE: 0x800,
      MAP_EXECUTABLE: 0x1000,
      MAP_POPULATE: 0x8000,
      MAP_NONBLOCK: 0x10000,
      MAP_STACK: 0x20000,
      MAP_HUGETLB: 0x40000,
      MAP_SYNC: 0x80000,
      MAP_FIXED_NOREPLACE: 0x100000,
    },
    v,
    '0',
  );

export const ioctlRequest: StraceFormatter = (abi, v) => valueName(abi.ioctls, v >>> 0, hex);

export const fcntlCommand: StraceFormatter = (abi, v) => valueName(abi.fcntlCommands, v);

export const accessMode: StraceFormatter = (_abi, v) => bitNames({ R_OK: 4, W_OK: 2, X_OK: 1 }, v, 'F_OK');

export const clockId: StraceFormatter = (_abi, v) =>
  valueName(
    {
      CLOCK_REALTIME: 0,
      CLOCK_MONOTONIC: 1,
      CLOCK_PROCESS_CPUTIME_ID: 2,
      CLOCK_THREAD_CPUTIME_ID: 3,
      CLOCK_MONOTONIC_RAW: 4,
      CLOCK_REALTIME_COARSE: 5,
      CLOCK_MONOTONIC_COARSE: 6,
      CLOCK_BOOTTIME: 7,
      CLOCK_REALTIME_ALARM: 8,
      CLOCK_BOOTTIME_ALARM: 9,
      CLOCK_TAI: 11,
    },
    v,
  );

/** Signal names as QEMU prints them: the ABI's own numbering, SIGABRT under its alias SIGIOT; real-time signals as numbers. */
const QEMU_SIGNAL_ALIASES: Readonly<Partial<Record<string, string>>> = { SIGABRT: 'SIGIOT' };

export const signalNumber: StraceFormatter = (abi, v) => {
  const name = valueName(abi.signals, v);
  return QEMU_SIGNAL_ALIASES[name] ?? name;
};

/** rt_sigprocmask's `how`; QEMU prints any other value as UNKNOWN. */
export const sigprocmaskHow: StraceFormatter = (_abi, v) =>
  valueName({ SIG_BLOCK: 0, SIG_UNBLOCK: 1, SIG_SETMASK: 2 }, v, () => 'UNKNOWN');

export const whence: StraceFormatter = (_abi, v) => valueName({ SEEK_SET: 0, SEEK_CUR: 1, SEEK_END: 2, SEEK_DATA: 3, SEEK_HOLE: 4 }, v);

export const socketDomain: StraceFormatter = (_abi, v) =>
  valueName({ PF_UNSPEC: 0, PF_UNIX: 1, PF_INET: 2, PF_INET6: 10, PF_NETLINK: 16, PF_PACKET: 17 }, v);

/** A socket type with its SOCK_NONBLOCK/SOCK_CLOEXEC bits (the ABI's O_NONBLOCK/O_CLOEXEC). */
export const socketType: StraceFormatter = (abi, v) => {
  const type = valueName({ SOCK_STREAM: 1, SOCK_DGRAM: 2, SOCK_RAW: 3, SOCK_RDM: 4, SOCK_SEQPACKET: 5, SOCK_PACKET: 10 }, v & 0xf);
  const flags = bitNames({ SOCK_NONBLOCK: abi.openFlags.O_NONBLOCK, SOCK_CLOEXEC: abi.openFlags.O_CLOEXEC }, v & ~0xf, '');
  return flags === '' ? type : `${type}|${flags}`;
};

export const sockoptLevel: StraceFormatter = (_abi, v) =>
  valueName({ SOL_SOCKET: 1, SOL_IP: 0, SOL_TCP: 6, SOL_UDP: 17, SOL_IPV6: 41 }, v);

export const shutdownHow: StraceFormatter = (_abi, v) => valueName({ SHUT_RD: 0, SHUT_WR: 1, SHUT_RDWR: 2 }, v);

/** futex's operation as QEMU prints it: FUTEX_PRIVATE_FLAG| and FUTEX_CLOCK_REALTIME| before the command's name. */
export const futexOp: StraceFormatter = (_abi, v) => {
  const flags = [v & 128 ? 'FUTEX_PRIVATE_FLAG' : '', v & 256 ? 'FUTEX_CLOCK_REALTIME' : ''].filter((f) => f !== '');
  const commands = {
    FUTEX_WAIT: 0,
    FUTEX_WAKE: 1,
    FUTEX_FD: 2,
    FUTEX_REQUEUE: 3,
    FUTEX_CMP_REQUEUE: 4,
    FUTEX_WAKE_OP: 5,
    FUTEX_LOCK_PI: 6,
    FUTEX_UNLOCK_PI: 7,
    FUTEX_TRYLOCK_PI: 8,
    FUTEX_WAIT_BITSET: 9,
    FUTEX_WAKE_BITSET: 10,
    FUTEX_WAIT_REQUEUE_PI: 11,
    FUTEX_CMP_REQUEUE_PI: 12,
    FUTEX_LOCK_PI2: 13,
  };
  return [...flags, valueName(commands, v & ~(128 | 256))].join('|');
};

export const epollOp: StraceFormatter = (_abi, v) => valueName({ EPOLL_CTL_ADD: 1, EPOLL_CTL_DEL: 2, EPOLL_CTL_MOD: 3 }, v);

export const atFlags: StraceFormatter = (_abi, v) =>
  bitNames(
    {
      AT_EMPTY_PATH: 0x1000,
      AT_NO_AUTOMOUNT: 0x800,
      AT_SYMLINK_NOFOLLOW: 0x100,
      AT_REMOVEDIR: 0x200,
      AT_SYMLINK_FOLLOW: 0x400,
      AT_STATX_FORCE_SYNC: 0x2000,
      AT_STATX_DONT_SYNC: 0x4000,
      AT_RECURSIVE: 0x8000,
    },
    v,
    '0',
  );

export const statxMask: StraceFormatter = (_abi, v) =>
  bitNames(
    {
      STATX_BASIC_STATS: 0x7ff,
      STATX_TYPE: 0x1,
      STATX_MODE: 0x2,
      STATX_NLINK: 0x4,
      STATX_UID: 0x8,
      STATX_GID: 0x10,
      STATX_ATIME: 0x20,
      STATX_MTIME: 0x40,
      STATX_CTIME: 0x80,
      STATX_INO: 0x100,
      STATX_SIZE: 0x200,
      STATX_BLOCKS: 0x400,
      STATX_BTIME: 0x800,
      STATX_MNT_ID: 0x1000,
      STATX_DIOALIGN: 0x2000,
    },
    v,
    '0',
  );

/** include/uapi/linux/mount.h: the same on every Linux ABI. */
export const mountFlags: StraceFormatter = (_abi, v) =>
  bitNames(
    {
      MS_RDONLY: 0x1,
      MS_NOSUID: 0x2,
      MS_NODEV: 0x4,
      MS_NOEXEC: 0x8,
      MS_SYNCHRONOUS: 0x10,
      MS_REMOUNT: 0x20,
      MS_MANDLOCK: 0x40,
      MS_DIRSYNC: 0x80,
      MS_NOSYMFOLLOW: 0x100,
      MS_NOATIME: 0x400,
      MS_NODIRATIME: 0x800,
      MS_BIND: 0x1000,
      MS_MOVE: 0x2000,
      MS_REC: 0x4000,
      MS_SILENT: 0x8000,
      MS_POSIXACL: 0x10000,
      MS_UNBINDABLE: 0x20000,
      MS_PRIVATE: 0x40000,
      MS_SLAVE: 0x80000,
      MS_SHARED: 0x100000,
      MS_RELATIME: 0x200000,
      MS_KERNMOUNT: 0x400000,
      MS_I_VERSION: 0x800000,
      MS_STRICTATIME: 0x1000000,
      MS_LAZYTIME: 0x2000000,
    },
    v,
    '0',
  );

export const umountFlags: StraceFormatter = (_abi, v) =>
  bitNames({ MNT_FORCE: 1, MNT_DETACH: 2, MNT_EXPIRE: 4, UMOUNT_NOFOLLOW: 8 }, v, '0');
