/* Files, directories, pipes and errors through FreeBSD's calls; argv[1] is a scratch directory. */
#include "fbsd.h"

#define F_GETFL 3
#define EAGAIN 35
#define S_IFMT 0170000
#define S_IFREG 0100000
#define AT_SYMLINK_NOFOLLOW 0x200
#define AT_REMOVEDIR 0x800
#define RLIMIT_NOFILE 8
#define CLOCK_MONOTONIC 4

struct timespec { long sec, nsec; };
struct stat {
  unsigned long dev, ino, nlink;
  unsigned short mode;
  short bsdflags;
  unsigned uid, gid;
  int pad;
  unsigned long rdev;
  struct timespec atim, mtim, ctim, birthtim;
  long size, blocks;
  int blksize;
  unsigned flags;
  unsigned long gen, spare[10];
};
struct dirent {
  unsigned long fileno;
  long off;
  unsigned short reclen;
  unsigned char type, pad0;
  unsigned short namlen, pad1;
  char name[256];
};

int fbsd_main(long *ap) {
  char **argv = (char **)(ap + 1);
  long dir = sys4(SYS_openat, AT_FDCWD, argv[1], O_RDONLY | O_DIRECTORY, 0);
  show("dir.ok", dir >= 0);
  long fd = sys4(SYS_openat, dir, "data.txt", O_RDWR | O_CREAT | O_EXCL, 0644);
  show("create.ok", fd >= 0);
  show("write", sys3(SYS_write, fd, "tsemu on FreeBSD\n", 17));
  show("lseek", sys3(SYS_lseek, fd, 0, 0));
  char buf[32];
  long n = sys3(SYS_read, fd, buf, sizeof buf);
  show("read", n);
  sys3(SYS_write, 1, buf, n);
  struct stat st;
  show("fstat.rc", sys2(SYS_fstat, fd, &st));
  show("fstat.size", st.size);
  show("fstat.isreg", (st.mode & S_IFMT) == S_IFREG);
  show("fstat.perm", st.mode & 0777);
  show("fstat.nlink", st.nlink);
  show("fstatat.rc", sys4(SYS_fstatat, dir, "data.txt", &st, AT_SYMLINK_NOFOLLOW));
  show("fstatat.size", st.size);
  show("exclusive.again", sys4(SYS_openat, dir, "data.txt", O_RDWR | O_CREAT | O_EXCL, 0644));
  sys1(SYS_close, fd);

  long d = sys4(SYS_openat, dir, ".", O_RDONLY | O_DIRECTORY, 0);
  char dents[4096];
  long base = -1;
  long got = sys4(SYS_getdirentries, d, dents, sizeof dents, &base);
  show("getdirentries.base", base);
  int found = 0;
  for (long off = 0; off < got;) {
    struct dirent *e = (struct dirent *)(dents + off);
    if (fbsd_strcmp(e->name, "data.txt") == 0) {
      found = 1;
      show("dirent.namlen", e->namlen);
      show("dirent.type", e->type);
      show("dirent.reclen_aligned", e->reclen % 8 == 0);
    }
    off += e->reclen;
  }
  show("dirent.found", found);
  show("getdirentries.end", sys4(SYS_getdirentries, d, dents, sizeof dents, &base));
  sys1(SYS_close, d);

  show("unlinkat", sys3(SYS_unlinkat, dir, "data.txt", 0));
  show("missing", sys4(SYS_openat, dir, "data.txt", O_RDONLY, 0));
  show("rmdir.notdir", sys3(SYS_unlinkat, AT_FDCWD, "/etc/passwd", AT_REMOVEDIR));

  int fds[2];
  show("pipe2", sys2(SYS_pipe2, fds, O_NONBLOCK | O_CLOEXEC));
  show("pipe.empty", sys3(SYS_read, fds[0], buf, 1));
  show("pipe.flags", sys2(SYS_fcntl, fds[0], F_GETFL) & (O_NONBLOCK | 3));
  show("enosys", sys0(SYS_kcmp));
  show("issetugid", sys0(SYS_issetugid));
  long limit[2];
  show("getrlimit", sys2(SYS_getrlimit, RLIMIT_NOFILE, limit));
  show("nofile.ok", limit[0] > 0 && limit[0] <= limit[1]);
  struct timespec t0, t1, pause = {0, 20000000};
  sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &t0);
  show("nanosleep", sys2(SYS_nanosleep, &pause, 0));
  sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &t1);
  show("slept_enough", (t1.sec - t0.sec) * 1000000000 + (t1.nsec - t0.nsec) >= 20000000);
  show("badclock", sys2(SYS_clock_gettime, 3, &t0));
  return 42;
}
