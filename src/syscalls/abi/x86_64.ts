/**
 * The host: x86_64 Linux. Its syscall numbers make the raw host calls; its layouts and flag values
 * are what guest structs and flags are converted to. Verified against the host's own headers by
 * test/syscalls/abi-verify.test.ts.
 */
import type { KernelAbi } from '../abi';
import { ASM_GENERIC_FCNTL, ASM_GENERIC_IOCTLS, ASM_GENERIC_SIGNALS, ASM_GENERIC_SOCKET_OPTIONS } from './asm-generic';
import { X86_64_IPC_LAYOUTS } from './ipc-layouts';
import { LP64_COMMON_LAYOUTS } from './lp64-common';
import { X86_64_SYSCALL_NUMBERS } from './x86_64-numbers';

export const x86_64Host: KernelAbi = {
  littleEndian: true,
  wordSize: 8,
  layouts: {
    ...LP64_COMMON_LAYOUTS,
    ...X86_64_IPC_LAYOUTS,
    stat: {
      size: 144,
      fields: {
        dev: { offset: 0, size: 8, type: 'u' },
        ino: { offset: 8, size: 8, type: 'u' },
        mode: { offset: 24, size: 4, type: 'u' },
        nlink: { offset: 16, size: 8, type: 'u' },
        uid: { offset: 28, size: 4, type: 'u' },
        gid: { offset: 32, size: 4, type: 'u' },
        rdev: { offset: 40, size: 8, type: 'u' },
        size: { offset: 48, size: 8, type: 's' },
        blksize: { offset: 56, size: 8, type: 's' },
        blocks: { offset: 64, size: 8, type: 's' },
        atime: { offset: 72, size: 8, type: 'u' },
        atime_nsec: { offset: 80, size: 8, type: 'u' },
        mtime: { offset: 88, size: 8, type: 'u' },
        mtime_nsec: { offset: 96, size: 8, type: 'u' },
        ctime: { offset: 104, size: 8, type: 'u' },
        ctime_nsec: { offset: 112, size: 8, type: 'u' },
      },
    },
    epoll_event: {
      size: 12,
      fields: {
        events: { offset: 0, size: 4, type: 'u' },
        data: { offset: 4, size: 8, type: 'u' },
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
    O_DIRECT: 0o40000,
    O_LARGEFILE: 0o100000,
    O_DIRECTORY: 0o200000,
    O_NOFOLLOW: 0o400000,
    O_NOATIME: 0o1000000,
    O_CLOEXEC: 0o2000000,
    __O_SYNC: 0o4000000,
    O_PATH: 0o10000000,
    __O_TMPFILE: 0o20000000,
  },
  fcntlCommands: ASM_GENERIC_FCNTL,
  signals: ASM_GENERIC_SIGNALS,
  ioctls: ASM_GENERIC_IOCTLS,
  socketOptions: ASM_GENERIC_SOCKET_OPTIONS,
  sigRtMin: 32,
  nsig: 64,
  syscallNumbers: X86_64_SYSCALL_NUMBERS,
};
