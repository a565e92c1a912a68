/**
 * FreeBSD/arm64 struct layouts (LP64), as byte-layout descriptors under the generic layer's field
 * names. Where FreeBSD lays a struct out as Linux's LP64 ABIs do (timespec, timeval, rusage,
 * rlimit, iovec, winsize, pollfd), the common table serves. struct stat is FreeBSD 12's (64-bit
 * inode and nlink, timespecs, birth time); stack_t puts ss_size before ss_flags; struct flock
 * starts with the offsets; struct sigaction has no restorer and a 128-bit mask.
 */
import type { AbiLayouts } from '../abi';
import { aarch64Abi } from '../abi/aarch64';

export const FREEBSD_STAT_SIZE = 224;
/** st_birthtim (no Linux field carries it), written separately. */
export const FREEBSD_STAT_BIRTHTIME = 96;

export const FREEBSD_LAYOUTS: AbiLayouts = {
  ...aarch64Abi.layouts,
  stat: {
    size: FREEBSD_STAT_SIZE,
    fields: {
      dev: { offset: 0, size: 8, type: 'u' },
      ino: { offset: 8, size: 8, type: 'u' },
      nlink: { offset: 16, size: 8, type: 'u' },
      mode: { offset: 24, size: 2, type: 'u' },
      uid: { offset: 28, size: 4, type: 'u' },
      gid: { offset: 32, size: 4, type: 'u' },
      rdev: { offset: 40, size: 8, type: 'u' },
      atime: { offset: 48, size: 8, type: 's' },
      atime_nsec: { offset: 56, size: 8, type: 's' },
      mtime: { offset: 64, size: 8, type: 's' },
      mtime_nsec: { offset: 72, size: 8, type: 's' },
      ctime: { offset: 80, size: 8, type: 's' },
      ctime_nsec: { offset: 88, size: 8, type: 's' },
      size: { offset: 112, size: 8, type: 's' },
      blocks: { offset: 120, size: 8, type: 's' },
      blksize: { offset: 128, size: 4, type: 's' },
    },
  },
  flock: {
    size: 32,
    fields: {
      start: { offset: 0, size: 8, type: 's' },
      len: { offset: 8, size: 8, type: 's' },
      pid: { offset: 16, size: 4, type: 's' },
      type: { offset: 20, size: 2, type: 's' },
      whence: { offset: 22, size: 2, type: 's' },
    },
  },
  stack: {
    size: 24,
    fields: {
      sp: { offset: 0, size: 8, type: 'u' },
      size: { offset: 8, size: 8, type: 'u' },
      flags: { offset: 16, size: 4, type: 's' },
    },
  },
  sigaction: {
    size: 32,
    fields: {
      handler: { offset: 0, size: 8, type: 'u' },
      flags: { offset: 8, size: 4, type: 'u' },
      // No sa_restorer: FreeBSD's handlers return to the kernel's signal trampoline.
      restorer: { offset: 0, size: 0, type: 'bytes' },
      mask: { offset: 12, size: 16, type: 'bytes' },
    },
  },
};

/** struct dirent (sys/sys/dirent.h): fileno, off, reclen, type, pad, namlen, pad, then the name. */
export const FREEBSD_DIRENT = { fileno: 0, off: 8, reclen: 16, type: 18, namlen: 20, name: 24 } as const;

/** struct kevent (FreeBSD 12+): ident, filter, flags, fflags, data, udata, ext[4]. */
export const FREEBSD_KEVENT = {
  size: 64,
  ident: 0,
  filter: 8,
  flags: 10,
  fflags: 12,
  data: 16,
  udata: 24,
} as const;
