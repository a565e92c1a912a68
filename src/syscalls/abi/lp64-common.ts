/**
 * Struct layouts that every LP64 Linux ABI built on the generic uapi headers shares: x86_64 and the
 * asm-generic 64-bit targets (aarch64, riscv64) lay these out identically. Each ABI table spreads
 * them and adds the ones it lays out its own way (stat, epoll_event); test/syscalls verifies every
 * layout of every table against that target's headers.
 */
import type { AbiLayouts } from '../abi';
import { LP64_IPC_LAYOUTS } from './ipc-layouts';

export const LP64_COMMON_LAYOUTS = {
  statfs: {
    size: 120,
    fields: {
      type: { offset: 0, size: 8, type: 's' },
      bsize: { offset: 8, size: 8, type: 's' },
      blocks: { offset: 16, size: 8, type: 's' },
      bfree: { offset: 24, size: 8, type: 's' },
      bavail: { offset: 32, size: 8, type: 's' },
      files: { offset: 40, size: 8, type: 's' },
      ffree: { offset: 48, size: 8, type: 's' },
      fsid: { offset: 56, size: 8, type: 'bytes' },
      namelen: { offset: 64, size: 8, type: 's' },
      frsize: { offset: 72, size: 8, type: 's' },
      flags: { offset: 80, size: 8, type: 's' },
    },
  },
  statx: {
    size: 256,
    fields: {
      mask: { offset: 0, size: 4, type: 'u' },
      blksize: { offset: 4, size: 4, type: 'u' },
      attributes: { offset: 8, size: 8, type: 'u' },
      nlink: { offset: 16, size: 4, type: 'u' },
      uid: { offset: 20, size: 4, type: 'u' },
      gid: { offset: 24, size: 4, type: 'u' },
      mode: { offset: 28, size: 2, type: 'u' },
      ino: { offset: 32, size: 8, type: 'u' },
      size: { offset: 40, size: 8, type: 'u' },
      blocks: { offset: 48, size: 8, type: 'u' },
      attributes_mask: { offset: 56, size: 8, type: 'u' },
      atime_sec: { offset: 64, size: 8, type: 's' },
      atime_nsec: { offset: 72, size: 4, type: 'u' },
      btime_sec: { offset: 80, size: 8, type: 's' },
      btime_nsec: { offset: 88, size: 4, type: 'u' },
      ctime_sec: { offset: 96, size: 8, type: 's' },
      ctime_nsec: { offset: 104, size: 4, type: 'u' },
      mtime_sec: { offset: 112, size: 8, type: 's' },
      mtime_nsec: { offset: 120, size: 4, type: 'u' },
      rdev_major: { offset: 128, size: 4, type: 'u' },
      rdev_minor: { offset: 132, size: 4, type: 'u' },
      dev_major: { offset: 136, size: 4, type: 'u' },
      dev_minor: { offset: 140, size: 4, type: 'u' },
      mnt_id: { offset: 144, size: 8, type: 'u' },
    },
  },
  timespec: {
    size: 16,
    fields: {
      sec: { offset: 0, size: 8, type: 's' },
      nsec: { offset: 8, size: 8, type: 's' },
    },
  },
  timeval: {
    size: 16,
    fields: {
      sec: { offset: 0, size: 8, type: 's' },
      usec: { offset: 8, size: 8, type: 's' },
    },
  },
  timezone: {
    size: 8,
    fields: {
      minuteswest: { offset: 0, size: 4, type: 's' },
      dsttime: { offset: 4, size: 4, type: 's' },
    },
  },
  rusage: {
    size: 144,
    fields: {
      utime_sec: { offset: 0, size: 8, type: 's' },
      utime_usec: { offset: 8, size: 8, type: 's' },
      stime_sec: { offset: 16, size: 8, type: 's' },
      stime_usec: { offset: 24, size: 8, type: 's' },
      maxrss: { offset: 32, size: 8, type: 's' },
      ixrss: { offset: 40, size: 8, type: 's' },
      idrss: { offset: 48, size: 8, type: 's' },
      isrss: { offset: 56, size: 8, type: 's' },
      minflt: { offset: 64, size: 8, type: 's' },
      majflt: { offset: 72, size: 8, type: 's' },
      nswap: { offset: 80, size: 8, type: 's' },
      inblock: { offset: 88, size: 8, type: 's' },
      oublock: { offset: 96, size: 8, type: 's' },
      msgsnd: { offset: 104, size: 8, type: 's' },
      msgrcv: { offset: 112, size: 8, type: 's' },
      nsignals: { offset: 120, size: 8, type: 's' },
      nvcsw: { offset: 128, size: 8, type: 's' },
      nivcsw: { offset: 136, size: 8, type: 's' },
    },
  },
  sysinfo: {
    size: 112,
    fields: {
      uptime: { offset: 0, size: 8, type: 's' },
      loads0: { offset: 8, size: 8, type: 'u' },
      loads1: { offset: 16, size: 8, type: 'u' },
      loads2: { offset: 24, size: 8, type: 'u' },
      totalram: { offset: 32, size: 8, type: 'u' },
      freeram: { offset: 40, size: 8, type: 'u' },
      sharedram: { offset: 48, size: 8, type: 'u' },
      bufferram: { offset: 56, size: 8, type: 'u' },
      totalswap: { offset: 64, size: 8, type: 'u' },
      freeswap: { offset: 72, size: 8, type: 'u' },
      procs: { offset: 80, size: 2, type: 'u' },
      totalhigh: { offset: 88, size: 8, type: 'u' },
      freehigh: { offset: 96, size: 8, type: 'u' },
      mem_unit: { offset: 104, size: 4, type: 'u' },
    },
  },
  utsname: {
    size: 390,
    fields: {
      sysname: { offset: 0, size: 65, type: 'bytes' },
      nodename: { offset: 65, size: 65, type: 'bytes' },
      release: { offset: 130, size: 65, type: 'bytes' },
      version: { offset: 195, size: 65, type: 'bytes' },
      machine: { offset: 260, size: 65, type: 'bytes' },
      domainname: { offset: 325, size: 65, type: 'bytes' },
    },
  },
  termios: {
    size: 36,
    fields: {
      iflag: { offset: 0, size: 4, type: 'u' },
      oflag: { offset: 4, size: 4, type: 'u' },
      cflag: { offset: 8, size: 4, type: 'u' },
      lflag: { offset: 12, size: 4, type: 'u' },
      line: { offset: 16, size: 1, type: 'u' },
      cc: { offset: 17, size: 19, type: 'bytes' },
    },
  },
  winsize: {
    size: 8,
    fields: {
      row: { offset: 0, size: 2, type: 'u' },
      col: { offset: 2, size: 2, type: 'u' },
      xpixel: { offset: 4, size: 2, type: 'u' },
      ypixel: { offset: 6, size: 2, type: 'u' },
    },
  },
  iovec: {
    size: 16,
    fields: {
      base: { offset: 0, size: 8, type: 'u' },
      len: { offset: 8, size: 8, type: 'u' },
    },
  },
  sigaction: {
    size: 32,
    fields: {
      handler: { offset: 0, size: 8, type: 'u' },
      flags: { offset: 8, size: 8, type: 'u' },
      restorer: { offset: 16, size: 8, type: 'u' },
      mask: { offset: 24, size: 8, type: 'bytes' },
    },
  },
  rlimit: {
    size: 16,
    fields: {
      cur: { offset: 0, size: 8, type: 'u' },
      max: { offset: 8, size: 8, type: 'u' },
    },
  },
  flock: {
    size: 32,
    fields: {
      type: { offset: 0, size: 2, type: 's' },
      whence: { offset: 2, size: 2, type: 's' },
      start: { offset: 8, size: 8, type: 's' },
      len: { offset: 16, size: 8, type: 's' },
      pid: { offset: 24, size: 4, type: 's' },
    },
  },
  stack: {
    size: 24,
    fields: {
      sp: { offset: 0, size: 8, type: 'u' },
      flags: { offset: 8, size: 4, type: 's' },
      size: { offset: 16, size: 8, type: 'u' },
    },
  },
  pollfd: {
    size: 8,
    fields: {
      fd: { offset: 0, size: 4, type: 's' },
      events: { offset: 4, size: 2, type: 's' },
      revents: { offset: 6, size: 2, type: 's' },
    },
  },
  tms: {
    size: 32,
    fields: {
      utime: { offset: 0, size: 8, type: 's' },
      stime: { offset: 8, size: 8, type: 's' },
      cutime: { offset: 16, size: 8, type: 's' },
      cstime: { offset: 24, size: 8, type: 's' },
    },
  },
  dirent64: {
    size: 280,
    fields: {
      ino: { offset: 0, size: 8, type: 'u' },
      off: { offset: 8, size: 8, type: 's' },
      reclen: { offset: 16, size: 2, type: 'u' },
      type: { offset: 18, size: 1, type: 'u' },
      name: { offset: 19, size: 256, type: 'bytes' },
    },
  },
  msghdr: {
    size: 56,
    fields: {
      name: { offset: 0, size: 8, type: 'u' },
      namelen: { offset: 8, size: 4, type: 'u' },
      iov: { offset: 16, size: 8, type: 'u' },
      iovlen: { offset: 24, size: 8, type: 'u' },
      control: { offset: 32, size: 8, type: 'u' },
      controllen: { offset: 40, size: 8, type: 'u' },
      flags: { offset: 48, size: 4, type: 's' },
    },
  },
  cmsghdr: {
    size: 16,
    fields: {
      len: { offset: 0, size: 8, type: 'u' },
      level: { offset: 8, size: 4, type: 's' },
      type: { offset: 12, size: 4, type: 's' },
    },
  },
  ...LP64_IPC_LAYOUTS,
} as const satisfies Partial<AbiLayouts>;
