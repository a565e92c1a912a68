/**
 * The AArch64 Linux ABI: asm-generic syscall numbers, struct layouts and flag values (arm64 moves
 * O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE), little-endian, errno and signal numbers as
 * asm-generic (the same as the x86_64 host's). Verified against the cross-compiled headers by
 * test/syscalls/abi-verify.test.ts.
 */
import { ARM_OPEN_FLAGS } from './arm-open-flags';
import { CLONE_ARGS_BACKWARDS, type LinuxAbi } from '../abi';
import { syscallTable } from '../linux/registry';
import { AARCH64_SYSCALL_NUMBERS } from './aarch64-numbers';
import { ASM_GENERIC_FCNTL, ASM_GENERIC_IOCTLS, ASM_GENERIC_SIGNALS, ASM_GENERIC_SOCKET_OPTIONS } from './asm-generic';
import { LP64_COMMON_LAYOUTS } from './lp64-common';

export const aarch64Abi: LinuxAbi = {
  name: 'aarch64',
  machine: 'aarch64',
  littleEndian: true,
  wordSize: 8,
  layouts: {
    ...LP64_COMMON_LAYOUTS,
    stat: {
      size: 128,
      fields: {
        dev: { offset: 0, size: 8, type: 'u' },
        ino: { offset: 8, size: 8, type: 'u' },
        mode: { offset: 16, size: 4, type: 'u' },
        nlink: { offset: 20, size: 4, type: 'u' },
        uid: { offset: 24, size: 4, type: 'u' },
        gid: { offset: 28, size: 4, type: 'u' },
        rdev: { offset: 32, size: 8, type: 'u' },
        size: { offset: 48, size: 8, type: 's' },
        blksize: { offset: 56, size: 4, type: 's' },
        blocks: { offset: 64, size: 8, type: 's' },
        atime: { offset: 72, size: 8, type: 's' },
        atime_nsec: { offset: 80, size: 8, type: 'u' },
        mtime: { offset: 88, size: 8, type: 's' },
        mtime_nsec: { offset: 96, size: 8, type: 'u' },
        ctime: { offset: 104, size: 8, type: 's' },
        ctime_nsec: { offset: 112, size: 8, type: 'u' },
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
  openFlags: ARM_OPEN_FLAGS,
  fcntlCommands: ASM_GENERIC_FCNTL,
  signals: ASM_GENERIC_SIGNALS,
  ioctls: ASM_GENERIC_IOCTLS,
  socketOptions: ASM_GENERIC_SOCKET_OPTIONS,
  sigRtMin: 32,
  nsig: 64,
  syscallNumbers: AARCH64_SYSCALL_NUMBERS,
  minSigStackSize: 5120,
  cloneArgs: CLONE_ARGS_BACKWARDS,
  syscalls: syscallTable(AARCH64_SYSCALL_NUMBERS),
  // arm64 uses asm-generic/errno.h, as x86_64 does.
  errnoFromHost: (e) => e,
};
