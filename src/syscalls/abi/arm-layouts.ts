/**
 * Struct layouts of the 32-bit ARM EABI (armhf and armel lay them out alike): 4-byte longs and
 * pointers, 8-byte alignment of 64-bit members. `stat` is struct stat64 (what fstat64/fstatat64
 * fill), `timespec` the 64-bit-time __kernel_timespec of the *_time64 calls glibc uses, `rlimit`
 * the struct of (u)getrlimit/setrlimit (prlimit64's 64-bit struct is the generic layer's own).
 */
import type { AbiLayouts, FlockField, StructLayout, TimespecField } from '../abi';
import { ILP32_IPC_LAYOUTS } from './ipc-layouts';
import { LP64_COMMON_LAYOUTS } from './lp64-common';

/** struct old_timespec32 of the calls older than the *_time64 family (32-bit seconds). */
export const ARM_OLD_TIMESPEC: StructLayout<TimespecField> = {
  size: 8,
  fields: { sec: { offset: 0, size: 4, type: 's' }, nsec: { offset: 4, size: 4, type: 's' } },
};

/**
 * struct flock of fcntl's F_GETLK, F_SETLK and F_SETLKW (32-bit offsets); F_GETLK64, F_SETLK64 and
 * F_SETLKW64 take struct flock64, the ABI's `flock`.
 */
export const ARM_OLD_FLOCK: StructLayout<FlockField> = {
  size: 16,
  fields: {
    type: { offset: 0, size: 2, type: 's' },
    whence: { offset: 2, size: 2, type: 's' },
    start: { offset: 4, size: 4, type: 's' },
    len: { offset: 8, size: 4, type: 's' },
    pid: { offset: 12, size: 4, type: 's' },
  },
};

export const ARM_EABI_LAYOUTS: AbiLayouts = {
  ...ILP32_IPC_LAYOUTS,
  statx: LP64_COMMON_LAYOUTS.statx,
  utsname: LP64_COMMON_LAYOUTS.utsname,
  termios: LP64_COMMON_LAYOUTS.termios,
  winsize: LP64_COMMON_LAYOUTS.winsize,
  timezone: LP64_COMMON_LAYOUTS.timezone,
  pollfd: LP64_COMMON_LAYOUTS.pollfd,
  dirent64: LP64_COMMON_LAYOUTS.dirent64,
  timespec: LP64_COMMON_LAYOUTS.timespec,
  rlimit: { size: 8, fields: { cur: { offset: 0, size: 4, type: 'u' }, max: { offset: 4, size: 4, type: 'u' } } },
  flock: LP64_COMMON_LAYOUTS.flock,
  stat: {
    size: 104,
    fields: {
      dev: { offset: 0, size: 8, type: 'u' },
      mode: { offset: 16, size: 4, type: 'u' },
      nlink: { offset: 20, size: 4, type: 'u' },
      uid: { offset: 24, size: 4, type: 'u' },
      gid: { offset: 28, size: 4, type: 'u' },
      rdev: { offset: 32, size: 8, type: 'u' },
      size: { offset: 48, size: 8, type: 's' },
      blksize: { offset: 56, size: 4, type: 'u' },
      blocks: { offset: 64, size: 8, type: 'u' },
      atime: { offset: 72, size: 4, type: 'u' },
      atime_nsec: { offset: 76, size: 4, type: 'u' },
      mtime: { offset: 80, size: 4, type: 'u' },
      mtime_nsec: { offset: 84, size: 4, type: 'u' },
      ctime: { offset: 88, size: 4, type: 'u' },
      ctime_nsec: { offset: 92, size: 4, type: 'u' },
      ino: { offset: 96, size: 8, type: 'u' },
    },
  },
  statfs: {
    size: 84,
    fields: {
      type: { offset: 0, size: 4, type: 'u' },
      bsize: { offset: 4, size: 4, type: 'u' },
      blocks: { offset: 8, size: 8, type: 'u' },
      bfree: { offset: 16, size: 8, type: 'u' },
      bavail: { offset: 24, size: 8, type: 'u' },
      files: { offset: 32, size: 8, type: 'u' },
      ffree: { offset: 40, size: 8, type: 'u' },
      fsid: { offset: 48, size: 8, type: 'bytes' },
      namelen: { offset: 56, size: 4, type: 'u' },
      frsize: { offset: 60, size: 4, type: 'u' },
      flags: { offset: 64, size: 4, type: 'u' },
    },
  },
  timeval: {
    size: 8,
    fields: {
      sec: { offset: 0, size: 4, type: 's' },
      usec: { offset: 4, size: 4, type: 's' },
    },
  },
  rusage: {
    size: 72,
    fields: {
      utime_sec: { offset: 0, size: 4, type: 's' },
      utime_usec: { offset: 4, size: 4, type: 's' },
      stime_sec: { offset: 8, size: 4, type: 's' },
      stime_usec: { offset: 12, size: 4, type: 's' },
      maxrss: { offset: 16, size: 4, type: 's' },
      ixrss: { offset: 20, size: 4, type: 's' },
      idrss: { offset: 24, size: 4, type: 's' },
      isrss: { offset: 28, size: 4, type: 's' },
      minflt: { offset: 32, size: 4, type: 's' },
      majflt: { offset: 36, size: 4, type: 's' },
      nswap: { offset: 40, size: 4, type: 's' },
      inblock: { offset: 44, size: 4, type: 's' },
      oublock: { offset: 48, size: 4, type: 's' },
      msgsnd: { offset: 52, size: 4, type: 's' },
      msgrcv: { offset: 56, size: 4, type: 's' },
      nsignals: { offset: 60, size: 4, type: 's' },
      nvcsw: { offset: 64, size: 4, type: 's' },
      nivcsw: { offset: 68, size: 4, type: 's' },
    },
  },
  sysinfo: {
    size: 64,
    fields: {
      uptime: { offset: 0, size: 4, type: 's' },
      loads0: { offset: 4, size: 4, type: 'u' },
      loads1: { offset: 8, size: 4, type: 'u' },
      loads2: { offset: 12, size: 4, type: 'u' },
      totalram: { offset: 16, size: 4, type: 'u' },
      freeram: { offset: 20, size: 4, type: 'u' },
      sharedram: { offset: 24, size: 4, type: 'u' },
      bufferram: { offset: 28, size: 4, type: 'u' },
      totalswap: { offset: 32, size: 4, type: 'u' },
      freeswap: { offset: 36, size: 4, type: 'u' },
      procs: { offset: 40, size: 2, type: 'u' },
      totalhigh: { offset: 44, size: 4, type: 'u' },
      freehigh: { offset: 48, size: 4, type: 'u' },
      mem_unit: { offset: 52, size: 4, type: 'u' },
    },
  },
  iovec: {
    size: 8,
    fields: {
      base: { offset: 0, size: 4, type: 'u' },
      len: { offset: 4, size: 4, type: 'u' },
    },
  },
  sigaction: {
    size: 20,
    fields: {
      handler: { offset: 0, size: 4, type: 'u' },
      flags: { offset: 4, size: 4, type: 'u' },
      restorer: { offset: 8, size: 4, type: 'u' },
      mask: { offset: 12, size: 8, type: 'bytes' },
    },
  },
  epoll_event: {
    size: 16,
    fields: {
      events: { offset: 0, size: 4, type: 'u' },
      data: { offset: 8, size: 8, type: 'u' },
    },
  },
  stack: {
    size: 12,
    fields: {
      sp: { offset: 0, size: 4, type: 'u' },
      flags: { offset: 4, size: 4, type: 's' },
      size: { offset: 8, size: 4, type: 'u' },
    },
  },
  tms: {
    size: 16,
    fields: {
      utime: { offset: 0, size: 4, type: 's' },
      stime: { offset: 4, size: 4, type: 's' },
      cutime: { offset: 8, size: 4, type: 's' },
      cstime: { offset: 12, size: 4, type: 's' },
    },
  },
  msghdr: {
    size: 28,
    fields: {
      name: { offset: 0, size: 4, type: 'u' },
      namelen: { offset: 4, size: 4, type: 'u' },
      iov: { offset: 8, size: 4, type: 'u' },
      iovlen: { offset: 12, size: 4, type: 'u' },
      control: { offset: 16, size: 4, type: 'u' },
      controllen: { offset: 20, size: 4, type: 'u' },
      flags: { offset: 24, size: 4, type: 's' },
    },
  },
  cmsghdr: {
    size: 12,
    fields: {
      len: { offset: 0, size: 4, type: 'u' },
      level: { offset: 4, size: 4, type: 's' },
      type: { offset: 8, size: 4, type: 's' },
    },
  },
};
