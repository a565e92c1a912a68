/**
 * The PowerPC64 Linux ABI, in both byte orders (ppc64 is big-endian ELFv1, ppc64le little-endian
 * ELFv2; the kernel interface is otherwise the same): arch/powerpc's own syscall numbers, its struct
 * stat and termios, termios' flag bits and c_cc indices, its open flags (O_DIRECTORY, O_NOFOLLOW, O_LARGEFILE and O_DIRECT moved) and
 * ioctl numbers (_IOR/_IOW encodings with PowerPC's direction bits). Signals, fcntl commands and
 * errno values are the asm-generic ones (PowerPC's EDEADLOCK alias aside, which no host errno maps
 * to). Verified against the cross-compiled headers by test/ppc64/abi.test.ts.
 */
import { CLONE_ARGS_BACKWARDS, type KernelAbi, type LinuxAbi, type SyscallEntry } from '../abi';
import { syscallTable } from '../linux/registry';
import { ASM_GENERIC_FCNTL, ASM_GENERIC_IOCTLS, ASM_GENERIC_SIGNALS, ASM_GENERIC_SOCKET_OPTIONS } from './asm-generic';
import { LP64_COMMON_LAYOUTS } from './lp64-common';
import { PPC64_IPC_LAYOUTS } from './ipc-layouts';
import { PPC64_SYSCALL_NUMBERS } from './ppc64-numbers';
import { PPC_TERMIOS_BITS } from './termios-bits';

/**
 * Kernel names whose PowerPC entry is another name's implementation: __NR_select (82) is
 * sys_ni_syscall on 64-bit PowerPC, and __NR__newselect (142) is the select the generic layer knows.
 */
function handlerNames(numbers: Readonly<Record<string, number>>): Record<string, number> {
  const renamed: Record<string, number> = { ...numbers };
  delete renamed['select'];
  delete renamed['_newselect'];
  renamed['select'] = numbers['_newselect']!;
  return renamed;
}

const PPC64_KERNEL: Omit<KernelAbi, 'littleEndian'> = {
  wordSize: 8,
  layouts: {
    ...LP64_COMMON_LAYOUTS,
    ...PPC64_IPC_LAYOUTS,
    stat: {
      size: 144,
      fields: {
        dev: { offset: 0, size: 8, type: 'u' },
        ino: { offset: 8, size: 8, type: 'u' },
        nlink: { offset: 16, size: 8, type: 'u' },
        mode: { offset: 24, size: 4, type: 'u' },
        uid: { offset: 28, size: 4, type: 'u' },
        gid: { offset: 32, size: 4, type: 'u' },
        rdev: { offset: 40, size: 8, type: 'u' },
        size: { offset: 48, size: 8, type: 's' },
        blksize: { offset: 56, size: 8, type: 'u' },
        blocks: { offset: 64, size: 8, type: 'u' },
        atime: { offset: 72, size: 8, type: 'u' },
        atime_nsec: { offset: 80, size: 8, type: 'u' },
        mtime: { offset: 88, size: 8, type: 'u' },
        mtime_nsec: { offset: 96, size: 8, type: 'u' },
        ctime: { offset: 104, size: 8, type: 'u' },
        ctime_nsec: { offset: 112, size: 8, type: 'u' },
      },
    },
    termios: {
      size: 44,
      fields: {
        iflag: { offset: 0, size: 4, type: 'u' },
        oflag: { offset: 4, size: 4, type: 'u' },
        cflag: { offset: 8, size: 4, type: 'u' },
        lflag: { offset: 12, size: 4, type: 'u' },
        cc: { offset: 16, size: 19, type: 'bytes' },
        line: { offset: 35, size: 1, type: 'u' },
      },
    },
    epoll_event: {
      size: 16,
      fields: {
        events: { offset: 0, size: 4, type: 'u' },
        data: { offset: 8, size: 8, type: 'u' },
      },
    },
  },
  openFlags: {
    O_WRONLY: 0o1,
    O_RDWR: 0o2,
    O_CREAT: 0o100,
    O_EXCL: 0o200,
    O_NOCTTY: 0o400,
    O_TRUNC: 0o1000,
    O_APPEND: 0o2000,
    O_NONBLOCK: 0o4000,
    O_DSYNC: 0o10000,
    FASYNC: 0o20000,
    O_DIRECTORY: 0o40000,
    O_NOFOLLOW: 0o100000,
    O_LARGEFILE: 0o200000,
    O_DIRECT: 0o400000,
    O_NOATIME: 0o1000000,
    O_CLOEXEC: 0o2000000,
    __O_SYNC: 0o4000000,
    O_PATH: 0o10000000,
    __O_TMPFILE: 0o20000000,
  },
  fcntlCommands: ASM_GENERIC_FCNTL,
  signals: ASM_GENERIC_SIGNALS,
  termiosBits: PPC_TERMIOS_BITS,
  ioctls: {
    ...ASM_GENERIC_IOCTLS,
    TCGETS: 0x402c7413,
    TCSETS: 0x802c7414,
    TCSETSW: 0x802c7415,
    TCSETSF: 0x802c7416,
    TIOCGPGRP: 0x40047477,
    TIOCSPGRP: 0x80047476,
    TIOCGWINSZ: 0x40087468,
    TIOCSWINSZ: 0x80087467,
    FIONREAD: 0x4004667f,
    FIONBIO: 0x8004667e,
    TIOCGPTN: 0x40045430,
    TIOCSPTLCK: 0x80045431,
    TIOCGPTLCK: 0x40045439,
    TIOCGPTPEER: 0x20005441,
    TCSBRK: 0x2000741d,
    TCXONC: 0x2000741e,
    TCFLSH: 0x2000741f,
    TIOCOUTQ: 0x40047473,
    FIOCLEX: 0x20006601,
    FIONCLEX: 0x20006602,
    FIOASYNC: 0x8004667d,
  },

  // arch/powerpc/include/uapi/asm/socket.h renumbers six options.
  socketOptions: {
    ...ASM_GENERIC_SOCKET_OPTIONS,
    SO_RCVLOWAT: 16,
    SO_SNDLOWAT: 17,
    SO_RCVTIMEO_OLD: 18,
    SO_SNDTIMEO_OLD: 19,
    SO_PASSCRED: 20,
    SO_PEERCRED: 21,
  },
  sigRtMin: 32,
  nsig: 64,
  syscallNumbers: PPC64_SYSCALL_NUMBERS,
};

/**
 * Calls the table numbers for 32-bit PowerPC only (arch/powerpc/kernel/syscalls/syscall.tbl's "32"
 * rows whose "64" row is sys_ni_syscall): a 64-bit process gets ENOSYS, whatever the generic layer has.
 */
const ONLY_32BIT: readonly string[] = [
  'oldstat', 'umount', 'oldfstat', 'sigaction', 'sigsuspend', 'sigpending', 'getrlimit', 'oldlstat', 'readdir', 'olduname',
  'sigreturn', 'sigprocmask',
];

const PPC64_SYSCALLS = withoutDefinitions(syscallTable(handlerNames(PPC64_SYSCALL_NUMBERS)), ONLY_32BIT);

function withoutDefinitions(table: ReadonlyMap<number, SyscallEntry>, names: readonly string[]): ReadonlyMap<number, SyscallEntry> {
  return new Map([...table].map(([nr, entry]) => [nr, names.includes(entry.name) ? { name: entry.name } : entry]));
}

function ppc64AbiOf(littleEndian: boolean, machine: string): LinuxAbi {
  return {
    ...PPC64_KERNEL,
    littleEndian,
    name: machine,
    machine,
    syscalls: PPC64_SYSCALLS,
    minSigStackSize: 8192,
    cloneArgs: CLONE_ARGS_BACKWARDS,
    errnoFromHost: (e) => e,
  };
}

export const ppc64Abi = ppc64AbiOf(false, 'ppc64');
export const ppc64leAbi = ppc64AbiOf(true, 'ppc64le');
