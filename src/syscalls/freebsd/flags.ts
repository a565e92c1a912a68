/**
 * FreeBSD flag and command values under the generic layer's (Linux) names: open flags
 * (sys/sys/fcntl.h), fcntl commands, the *at() flags, terminal ioctls (sys/sys/ttycom.h,
 * sys/sys/filio.h: _IOR/_IOW encodings with FreeBSD's struct sizes), mmap flags (sys/sys/mman.h),
 * clock ids (sys/sys/_clock_id.h) and getrlimit resources (sys/sys/resource.h). A Linux name
 * FreeBSD lacks gets 0 (flags: no bit) or -1 (commands: a value no guest passes).
 */
import type { FcntlCommand, IoctlName, OpenFlag } from '../abi';

const NONE = -1;

export const FREEBSD_OPEN_FLAGS: { readonly [K in OpenFlag]: number } = {
  O_WRONLY: 0x1,
  O_RDWR: 0x2,
  O_NONBLOCK: 0x4,
  O_APPEND: 0x8,
  FASYNC: 0x40,
  __O_SYNC: 0x80,
  O_NOFOLLOW: 0x100,
  O_CREAT: 0x200,
  O_TRUNC: 0x400,
  O_EXCL: 0x800,
  O_NOCTTY: 0x8000,
  O_DIRECT: 0x10000,
  O_DIRECTORY: 0x20000,
  O_CLOEXEC: 0x100000,
  O_PATH: 0x400000,
  O_DSYNC: 0x1000000,
  O_LARGEFILE: 0,
  O_NOATIME: 0,
  __O_TMPFILE: 0,
};

export const FREEBSD_FCNTL: { readonly [K in FcntlCommand]: number } = {
  F_DUPFD: 0,
  F_GETFD: 1,
  F_SETFD: 2,
  F_GETFL: 3,
  F_SETFL: 4,
  F_GETOWN: 5,
  F_SETOWN: 6,
  F_GETLK: 11,
  F_SETLK: 12,
  F_SETLKW: 13,
  F_DUPFD_CLOEXEC: 17,
  F_ADD_SEALS: 19,
  F_GET_SEALS: 20,
  F_SETSIG: NONE,
  F_GETSIG: NONE,
  F_SETOWN_EX: NONE,
  F_GETOWN_EX: NONE,
  F_OFD_GETLK: NONE,
  F_OFD_SETLK: NONE,
  F_OFD_SETLKW: NONE,
  F_SETLEASE: NONE,
  F_GETLEASE: NONE,
  F_NOTIFY: NONE,
  F_SETPIPE_SZ: NONE,
  F_GETPIPE_SZ: NONE,
};

/** The *at() flag bits (AT_EACCESS shares Linux's AT_REMOVEDIR value there, so each call names its own). */
export const FREEBSD_AT = {
  AT_EACCESS: 0x100,
  AT_SYMLINK_NOFOLLOW: 0x200,
  AT_SYMLINK_FOLLOW: 0x400,
  AT_REMOVEDIR: 0x800,
  AT_EMPTY_PATH: 0x4000,
} as const;
export const LINUX_AT = {
  AT_EACCESS: 0x200,
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_SYMLINK_FOLLOW: 0x400,
  AT_REMOVEDIR: 0x200,
  AT_EMPTY_PATH: 0x1000,
} as const;

/** _IOC(inout, group, num, len) as FreeBSD encodes it. */
const IOC_OUT = 0x40000000;
const IOC_IN = 0x80000000;
const ioc = (dir: number, group: string, num: number, len: number): number =>
  (dir | (len << 16) | (group.charCodeAt(0) << 8) | num) >>> 0;
/** sizeof(struct termios) on FreeBSD: four tcflag_t, 20 cc_t, two speed_t. */
export const FREEBSD_TERMIOS_SIZE = 44;

export const FREEBSD_IOCTLS: { readonly [K in IoctlName]: number } = {
  TCGETS: ioc(IOC_OUT, 't', 19, FREEBSD_TERMIOS_SIZE), // TIOCGETA
  TCSETS: ioc(IOC_IN, 't', 20, FREEBSD_TERMIOS_SIZE), // TIOCSETA
  TCSETSW: ioc(IOC_IN, 't', 21, FREEBSD_TERMIOS_SIZE), // TIOCSETAW
  TCSETSF: ioc(IOC_IN, 't', 22, FREEBSD_TERMIOS_SIZE), // TIOCSETAF
  TIOCGWINSZ: ioc(IOC_OUT, 't', 104, 8),
  TIOCSWINSZ: ioc(IOC_IN, 't', 103, 8),
  TIOCGPGRP: ioc(IOC_OUT, 't', 119, 4),
  TIOCSPGRP: ioc(IOC_IN, 't', 118, 4),
  FIONREAD: ioc(IOC_OUT, 'f', 127, 4),
  FIONBIO: ioc(IOC_IN, 'f', 126, 4),
  TIOCGPTN: NONE,
  TIOCSPTLCK: NONE,
  TIOCGPTLCK: NONE,
  TIOCGPTPEER: NONE,
  TCSBRK: NONE,
  TCSBRKP: NONE,
  TCXONC: NONE,
  TCFLSH: NONE,
  TIOCOUTQ: NONE,
  TIOCSTI: NONE,
  TIOCSCTTY: NONE,
  TIOCNOTTY: NONE,
  TIOCGSID: NONE,
  TIOCEXCL: NONE,
  TIOCNXCL: NONE,
  TIOCGETD: NONE,
  TIOCSETD: NONE,
  TIOCMGET: NONE,
  TIOCMSET: NONE,
  TIOCMBIS: NONE,
  TIOCMBIC: NONE,
  TIOCPKT: NONE,
  FIOCLEX: NONE,
  FIONCLEX: NONE,
  FIOASYNC: NONE,
};

/** mmap flags. */
export const FREEBSD_MAP = {
  MAP_SHARED: 0x1,
  MAP_PRIVATE: 0x2,
  MAP_FIXED: 0x10,
  MAP_STACK: 0x400,
  MAP_NOSYNC: 0x800,
  MAP_ANON: 0x1000,
  MAP_GUARD: 0x2000,
  MAP_EXCL: 0x4000,
  MAP_NOCORE: 0x20000,
  MAP_PREFAULT_READ: 0x40000,
  MAP_32BIT: 0x80000,
} as const;
/** MAP_ALIGNED(n) keeps log2 of the alignment in the top byte. */
export const FREEBSD_MAP_ALIGNMENT_SHIFT = 24;

/** FreeBSD clock id -> Linux clock id (the PRECISE/FAST variants are the same clocks at other costs). */
export const FREEBSD_CLOCKS: ReadonlyMap<number, number> = new Map([
  [0, 0], // CLOCK_REALTIME
  [1, 2], // CLOCK_VIRTUAL: the process's user CPU time, as near as Linux gets
  [2, 2], // CLOCK_PROF
  [4, 1], // CLOCK_MONOTONIC
  [5, 7], // CLOCK_UPTIME: boot time, which Linux's BOOTTIME counts
  [7, 7], // CLOCK_UPTIME_PRECISE
  [8, 7], // CLOCK_UPTIME_FAST
  [9, 0], // CLOCK_REALTIME_PRECISE
  [10, 5], // CLOCK_REALTIME_FAST -> CLOCK_REALTIME_COARSE
  [11, 1], // CLOCK_MONOTONIC_PRECISE
  [12, 6], // CLOCK_MONOTONIC_FAST -> CLOCK_MONOTONIC_COARSE
  [13, 5], // CLOCK_SECOND (whole seconds; the caller truncates)
  [14, 3], // CLOCK_THREAD_CPUTIME_ID
  [15, 2], // CLOCK_PROCESS_CPUTIME_ID
]);

/** getrlimit resource: FreeBSD number -> Linux number (FreeBSD-only ones: undefined). */
export const FREEBSD_RLIMITS: ReadonlyMap<number, number> = new Map([
  [0, 0], // CPU
  [1, 1], // FSIZE
  [2, 2], // DATA
  [3, 3], // STACK
  [4, 4], // CORE
  [5, 5], // RSS
  [6, 8], // MEMLOCK
  [7, 6], // NPROC
  [8, 7], // NOFILE
  [10, 9], // AS (RLIMIT_VMEM)
]);
/** RLIM_INFINITY: FreeBSD's is the largest signed value, Linux's all ones. */
export const FREEBSD_RLIM_INFINITY = 0x7fffffffffffffffn;
