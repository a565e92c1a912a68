/**
 * LinuxAbi: everything target-specific the generic Linux syscall layer needs, as data: syscall
 * numbers and their handlers, struct layouts as byte-layout descriptors, flag and command values,
 * signal numbers, errno numbering, byte order and the uname machine.
 *
 * The host (x86_64 Linux) is described by the same KernelAbi facts, so converting a value or a
 * struct between guest and host is a name-by-name mapping between two tables, and "the layouts
 * are identical" (pass the guest buffer to the host in place) is a computed fact, not an assumption.
 */
import type { SyscallHandler } from './types';
import type { MsqidDsField, SemidDsField, ShmidDsField } from './abi/ipc-layouts';

/** One struct member: an integer read in the ABI's byte order, or bytes copied as they are. */
export interface FieldLayout {
  readonly offset: number;
  readonly size: number;
  /** 'u' unsigned or 's' signed integer (size 1, 2, 4 or 8); 'bytes' an array copied verbatim. */
  readonly type: 'u' | 's' | 'bytes';
}

/** A struct as one ABI lays it out; members are named by the kernel's names without their prefix. */
export interface StructLayout<F extends string = string> {
  readonly size: number;
  readonly fields: { readonly [K in F]: FieldLayout };
}

export type StatField =
  | 'dev' | 'ino' | 'mode' | 'nlink' | 'uid' | 'gid' | 'rdev' | 'size' | 'blksize' | 'blocks'
  | 'atime' | 'atime_nsec' | 'mtime' | 'mtime_nsec' | 'ctime' | 'ctime_nsec';
export type StatfsField =
  | 'type' | 'bsize' | 'blocks' | 'bfree' | 'bavail' | 'files' | 'ffree' | 'fsid' | 'namelen' | 'frsize' | 'flags';
export type StatxField =
  | 'mask' | 'blksize' | 'attributes' | 'nlink' | 'uid' | 'gid' | 'mode' | 'ino' | 'size' | 'blocks'
  | 'attributes_mask' | 'atime_sec' | 'atime_nsec' | 'btime_sec' | 'btime_nsec' | 'ctime_sec' | 'ctime_nsec'
  | 'mtime_sec' | 'mtime_nsec' | 'rdev_major' | 'rdev_minor' | 'dev_major' | 'dev_minor' | 'mnt_id';
export type TimespecField = 'sec' | 'nsec';
export type TimevalField = 'sec' | 'usec';
export type TimezoneField = 'minuteswest' | 'dsttime';
export type RusageField =
  | 'utime_sec' | 'utime_usec' | 'stime_sec' | 'stime_usec' | 'maxrss' | 'ixrss' | 'idrss' | 'isrss'
  | 'minflt' | 'majflt' | 'nswap' | 'inblock' | 'oublock' | 'msgsnd' | 'msgrcv' | 'nsignals' | 'nvcsw' | 'nivcsw';
export type SysinfoField =
  | 'uptime' | 'loads0' | 'loads1' | 'loads2' | 'totalram' | 'freeram' | 'sharedram' | 'bufferram'
  | 'totalswap' | 'freeswap' | 'procs' | 'totalhigh' | 'freehigh' | 'mem_unit';
export type UtsnameField = 'sysname' | 'nodename' | 'release' | 'version' | 'machine' | 'domainname';
export type TermiosField = 'iflag' | 'oflag' | 'cflag' | 'lflag' | 'line' | 'cc';
export type WinsizeField = 'row' | 'col' | 'xpixel' | 'ypixel';
export type IovecField = 'base' | 'len';
export type Dirent64Field = 'ino' | 'off' | 'reclen' | 'type' | 'name';
export type SigactionField = 'handler' | 'flags' | 'restorer' | 'mask';
export type RlimitField = 'cur' | 'max';
export type EpollEventField = 'events' | 'data';
export type FlockField = 'type' | 'whence' | 'start' | 'len' | 'pid';
export type StackField = 'sp' | 'flags' | 'size';
export type PollfdField = 'fd' | 'events' | 'revents';
export type TmsField = 'utime' | 'stime' | 'cutime' | 'cstime';
export type MsghdrField = 'name' | 'namelen' | 'iov' | 'iovlen' | 'control' | 'controllen' | 'flags';
export type CmsghdrField = 'len' | 'level' | 'type';

export interface AbiLayouts {
  readonly stat: StructLayout<StatField>;
  readonly statfs: StructLayout<StatfsField>;
  readonly statx: StructLayout<StatxField>;
  readonly timespec: StructLayout<TimespecField>;
  readonly timeval: StructLayout<TimevalField>;
  readonly timezone: StructLayout<TimezoneField>;
  readonly rusage: StructLayout<RusageField>;
  readonly sysinfo: StructLayout<SysinfoField>;
  readonly utsname: StructLayout<UtsnameField>;
  /** The kernel's struct termios (TCGETS/TCSETS*), not libc's. */
  readonly termios: StructLayout<TermiosField>;
  readonly winsize: StructLayout<WinsizeField>;
  readonly iovec: StructLayout<IovecField>;
  /** getdents64 records: `name` is where the NUL-terminated name starts (its size is the fixed part's end). */
  readonly dirent64: StructLayout<Dirent64Field>;
  /** The kernel's struct sigaction as rt_sigaction takes it. */
  readonly sigaction: StructLayout<SigactionField>;
  /** struct rlimit of getrlimit/setrlimit (longs); prlimit64's struct rlimit64 is two __u64 everywhere. */
  readonly rlimit: StructLayout<RlimitField>;
  readonly epoll_event: StructLayout<EpollEventField>;
  readonly flock: StructLayout<FlockField>;
  /** stack_t of sigaltstack. */
  readonly stack: StructLayout<StackField>;
  readonly pollfd: StructLayout<PollfdField>;
  readonly tms: StructLayout<TmsField>;
  /** struct msghdr of sendmsg/recvmsg. */
  readonly msghdr: StructLayout<MsghdrField>;
  /** struct cmsghdr: control messages are aligned to its `len` field's size (the ABI's long). */
  readonly cmsghdr: StructLayout<CmsghdrField>;
  /** msgctl's, semctl's and shmctl's IPC_STAT/IPC_SET structs (abi/ipc-layouts.ts). */
  readonly msqid_ds: StructLayout<MsqidDsField>;
  readonly semid_ds: StructLayout<SemidDsField>;
  readonly shmid_ds: StructLayout<ShmidDsField>;
}

/** Open flags by their kernel macro names (__O_SYNC and __O_TMPFILE are the single bits O_SYNC and O_TMPFILE add). */
export type OpenFlag =
  | 'O_WRONLY' | 'O_RDWR' | 'O_CREAT' | 'O_EXCL' | 'O_NOCTTY' | 'O_TRUNC' | 'O_APPEND' | 'O_NONBLOCK'
  | 'O_DSYNC' | 'FASYNC' | 'O_DIRECT' | 'O_LARGEFILE' | 'O_DIRECTORY' | 'O_NOFOLLOW' | 'O_NOATIME'
  | 'O_CLOEXEC' | '__O_SYNC' | 'O_PATH' | '__O_TMPFILE';

export type FcntlCommand =
  | 'F_DUPFD' | 'F_GETFD' | 'F_SETFD' | 'F_GETFL' | 'F_SETFL' | 'F_GETLK' | 'F_SETLK' | 'F_SETLKW'
  | 'F_SETOWN' | 'F_GETOWN' | 'F_SETSIG' | 'F_GETSIG' | 'F_SETOWN_EX' | 'F_GETOWN_EX' | 'F_OFD_GETLK'
  | 'F_OFD_SETLK' | 'F_OFD_SETLKW' | 'F_SETLEASE' | 'F_GETLEASE' | 'F_NOTIFY' | 'F_DUPFD_CLOEXEC' | 'F_SETPIPE_SZ'
  | 'F_GETPIPE_SZ' | 'F_ADD_SEALS' | 'F_GET_SEALS';

export type SignalName =
  | 'SIGHUP' | 'SIGINT' | 'SIGQUIT' | 'SIGILL' | 'SIGTRAP' | 'SIGABRT' | 'SIGBUS' | 'SIGFPE' | 'SIGKILL'
  | 'SIGUSR1' | 'SIGSEGV' | 'SIGUSR2' | 'SIGPIPE' | 'SIGALRM' | 'SIGTERM' | 'SIGSTKFLT' | 'SIGCHLD'
  | 'SIGCONT' | 'SIGSTOP' | 'SIGTSTP' | 'SIGTTIN' | 'SIGTTOU' | 'SIGURG' | 'SIGXCPU' | 'SIGXFSZ'
  | 'SIGVTALRM' | 'SIGPROF' | 'SIGWINCH' | 'SIGIO' | 'SIGPWR' | 'SIGSYS';

/** Terminal, pseudo-terminal and file ioctls the generic layer understands. */
export type IoctlName =
  | 'TCGETS' | 'TCSETS' | 'TCSETSW' | 'TCSETSF' | 'TIOCGWINSZ' | 'TIOCSWINSZ' | 'TIOCGPGRP' | 'TIOCSPGRP'
  | 'FIONREAD' | 'FIONBIO' | 'TIOCGPTN' | 'TIOCSPTLCK' | 'TIOCGPTLCK' | 'TIOCGPTPEER' | 'TCSBRK'
  | 'TCSBRKP' | 'TCXONC' | 'TCFLSH' | 'TIOCOUTQ' | 'TIOCSTI' | 'TIOCSCTTY' | 'TIOCNOTTY'
  | 'TIOCGSID' | 'TIOCEXCL' | 'TIOCNXCL' | 'TIOCGETD' | 'TIOCSETD' | 'TIOCMGET' | 'TIOCMSET'
  | 'TIOCMBIS' | 'TIOCMBIC' | 'TIOCPKT' | 'FIOCLEX' | 'FIONCLEX' | 'FIOASYNC';

/** A termios word's (or c_cc's) names and their bits (indices): abi/termios-bits.ts. */
export interface TermiosBits {
  readonly iflag: Readonly<Record<string, number>>;
  readonly oflag: Readonly<Record<string, number>>;
  readonly cflag: Readonly<Record<string, number>>;
  readonly lflag: Readonly<Record<string, number>>;
  readonly cc: Readonly<Record<string, number>>;
}

/** SOL_SOCKET option names (asm/socket.h): PowerPC numbers some of them its own way. */
export type SocketOption =
  | 'SO_DEBUG' | 'SO_REUSEADDR' | 'SO_TYPE' | 'SO_ERROR' | 'SO_DONTROUTE' | 'SO_BROADCAST' | 'SO_SNDBUF' | 'SO_RCVBUF'
  | 'SO_SNDBUFFORCE' | 'SO_RCVBUFFORCE' | 'SO_KEEPALIVE' | 'SO_OOBINLINE' | 'SO_NO_CHECK' | 'SO_PRIORITY' | 'SO_LINGER'
  | 'SO_BSDCOMPAT' | 'SO_REUSEPORT' | 'SO_PASSCRED' | 'SO_PEERCRED' | 'SO_RCVLOWAT' | 'SO_SNDLOWAT' | 'SO_RCVTIMEO_OLD'
  | 'SO_SNDTIMEO_OLD' | 'SO_BINDTODEVICE' | 'SO_TIMESTAMP_OLD' | 'SO_ACCEPTCONN' | 'SO_PEERSEC' | 'SO_PASSSEC' | 'SO_MARK'
  | 'SO_PROTOCOL' | 'SO_DOMAIN' | 'SO_RXQ_OVFL' | 'SO_BUSY_POLL' | 'SO_INCOMING_CPU' | 'SO_COOKIE' | 'SO_PEERGROUPS'
  | 'SO_ZEROCOPY' | 'SO_RCVTIMEO_NEW' | 'SO_SNDTIMEO_NEW';

/** Kernel facts shared by guest ABIs and the host: layouts, byte order and constant values. */
export interface KernelAbi {
  readonly littleEndian: boolean;
  /** Width of `long` and pointers in bytes. */
  readonly wordSize: 4 | 8;
  readonly layouts: AbiLayouts;
  readonly openFlags: { readonly [K in OpenFlag]: number };
  readonly fcntlCommands: { readonly [K in FcntlCommand]: number };
  readonly signals: { readonly [K in SignalName]: number };
  readonly ioctls: { readonly [K in IoctlName]: number };
  /** termios flag bits and c_cc indices; absent: asm-generic's. */
  readonly termiosBits?: TermiosBits;
  /** SOL_SOCKET option numbers; an ABI without them (a non-Linux guest) gets -ENOPROTOOPT for SOL_SOCKET options. */
  readonly socketOptions?: { readonly [K in SocketOption]: number };
  /** First real-time signal the kernel numbers (SIGRTMIN), and the highest signal (_NSIG). */
  readonly sigRtMin: number;
  readonly nsig: number;
  /** Syscall numbers by kernel name. */
  readonly syscallNumbers: Readonly<Record<string, number>>;
}

/** How -strace prints one argument by name (flags, commands, constants), from the ABI's tables. */
export type StraceFormatter = (abi: LinuxAbi, value: number) => string;

/** How -strace prints one argument: decimal, pointer, hex flags, quoted C string, octal, or by name. */
export type StraceArg = 'd' | 'x' | 'h' | 's' | 'o' | StraceFormatter;

/** One implemented syscall: its handler and how -strace prints it. */
export interface SyscallDefinition {
  readonly handler: SyscallHandler;
  /** Argument formats (length = argument count). */
  readonly args: readonly StraceArg[];
  /** Result printed as an address (mmap, brk). */
  readonly addressResult?: boolean;
  /** The call does not return (exit, exit_group): -strace prints no result. */
  readonly noReturn?: boolean;
}

/** A syscall number the ABI knows: its name and, when implemented, its definition. */
export interface SyscallEntry {
  readonly name: string;
  readonly definition?: SyscallDefinition;
}

export interface CloneArgPositions {
  readonly parentTid: number;
  readonly childTid: number;
  readonly tls: number;
}

/** kernel/fork.c's clone argument orders. */
export const CLONE_ARGS_GENERIC: CloneArgPositions = { parentTid: 2, childTid: 3, tls: 4 };
export const CLONE_ARGS_BACKWARDS: CloneArgPositions = { parentTid: 2, childTid: 4, tls: 3 };

/** A guest Linux ABI. */
export interface LinuxAbi extends KernelAbi {
  /** Target name ('aarch64'). */
  readonly name: string;
  /** What uname reports as machine. */
  readonly machine: string;
  /** Syscall number -> name and handler. */
  readonly syscalls: ReadonlyMap<number, SyscallEntry>;
  /** MINSIGSTKSZ: the smallest alternate signal stack sigaltstack accepts. */
  readonly minSigStackSize: number;
  /**
   * Argument positions of clone(2)'s pointers: kernel/fork.c's default order is (flags, newsp,
   * parent_tid, child_tid, tls), as on x86_64; arm64, arm and powerpc pass tls before child_tid
   * (glibc's clone.S and arch_fork for each).
   */
  readonly cloneArgs: CloneArgPositions;
  /** SHMLBA, shmat's address alignment, where it is more than a page (arm's four pages). */
  readonly shmlba?: number;
  /** Host errno -> guest errno. */
  errnoFromHost(hostErrno: number): number;
}
