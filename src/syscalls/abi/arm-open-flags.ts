/**
 * The O_* open flags of the ARM family: arch/arm and arch/arm64 define O_DIRECTORY, O_NOFOLLOW,
 * O_DIRECT and O_LARGEFILE differently from asm-generic (and from x86_64), and identically to each
 * other, so AArch64 and 32-bit ARM share this table.
 */
export const ARM_OPEN_FLAGS = {
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
  O_DIRECT: 0o200000,
  O_LARGEFILE: 0o400000,
  O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000,
  __O_SYNC: 0o4000000,
  O_PATH: 0o10000000,
  __O_TMPFILE: 0o20000000,
};
