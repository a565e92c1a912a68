/* The syscalls current runtimes and tools rely on, each checked by what it does: memfd_create,
 * the xattr family, inotify, timerfd, statx, sendfile, copy_file_range, close_range, faccessat2,
 * membarrier, pidfd_open/pidfd_send_signal, sched_getaffinity, getcpu, prlimit64, getrusage,
 * sysinfo, prctl names; rseq and clone3 answer exactly ENOSYS (glibc then disables rseq and falls
 * back to clone). With "unimp N" it calls syscall N twice and prints what it returned. Prints
 * only what is the same on every run. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/xattr.h>
#include <unistd.h>

static void memfd(void) {
  int fd = memfd_create("runtime-test", MFD_CLOEXEC);
  printf("memfd: fd>=3=%d cloexec=%d write=%zd", fd >= 3, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, write(fd, "memory file", 11));
  struct stat st;
  fstat(fd, &st);
  char *m = mmap(NULL, 11, PROT_READ, MAP_SHARED, fd, 0);
  printf(" size=%lld mapped='%.11s'\n", (long long)st.st_size, m == MAP_FAILED ? "" : m);
  errno = 0;
  printf("memfd: bad flags %d %s\n", memfd_create("x", 0x100), strerror(errno));
  close(fd);
}

static void xattrs(void) {
  int fd = open("xattr-file", O_CREAT | O_RDWR, 0644);
  int set = setxattr("xattr-file", "user.tsemu", "value-1", 7, 0);
  int fset = fsetxattr(fd, "user.second", "2", 1, XATTR_CREATE);
  char buf[64] = {0};
  ssize_t got = getxattr("xattr-file", "user.tsemu", buf, sizeof buf);
  ssize_t size = lgetxattr("xattr-file", "user.second", NULL, 0);
  char list[128];
  ssize_t ln = flistxattr(fd, list, sizeof list);
  int names = 0;
  for (ssize_t i = 0; i < ln; i += strlen(list + i) + 1) names++;
  int rm = removexattr("xattr-file", "user.tsemu");
  errno = 0;
  ssize_t gone = fgetxattr(fd, "user.tsemu", buf, sizeof buf);
  printf("xattr: set=%d fset=%d get=%zd '%s' size-only=%zd names=%d remove=%d after-remove=%zd %s\n", set, fset, got, buf, size, names, rm, gone,
         errno == ENODATA ? "ENODATA" : strerror(errno));
  close(fd);
}

static void inotify(void) {
  int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  int wd = inotify_add_watch(in, ".", IN_CREATE | IN_DELETE);
  char buf[4096] __attribute__((aligned(8)));
  errno = 0;
  ssize_t none = read(in, buf, sizeof buf);
  printf("inotify: wd=%d empty read %zd %s\n", wd, none, errno == EAGAIN ? "EAGAIN" : strerror(errno));
  close(open("watched-file", O_CREAT | O_WRONLY, 0644));
  unlink("watched-file");
  ssize_t n = read(in, buf, sizeof buf);
  for (char *p = buf; p < buf + n;) {
    struct inotify_event *e = (struct inotify_event *)p;
    printf("inotify: event wd=%d mask=%#x name=%s\n", e->wd, e->mask, e->len ? e->name : "");
    p += sizeof *e + e->len;
  }
  printf("inotify: rm_watch=%d\n", inotify_rm_watch(in, wd));
  close(in);
}

static void timerfd(void) {
  int t = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  struct itimerspec its = { .it_value = { 0, 20 * 1000 * 1000 }, .it_interval = { 5, 0 } }, cur;
  printf("timerfd: settime=%d", timerfd_settime(t, 0, &its, NULL));
  uint64_t expirations = 0;
  ssize_t n = read(t, &expirations, sizeof expirations);
  timerfd_gettime(t, &cur);
  printf(" read=%zd expirations=%llu interval=%ld remaining<=5s=%d\n", n, (unsigned long long)expirations, (long)cur.it_interval.tv_sec,
         cur.it_value.tv_sec <= 5);
  close(t);
}

static void files(void) {
  int src = open("src-file", O_CREAT | O_RDWR | O_TRUNC, 0600);
  write(src, "0123456789abcdef", 16);
  struct statx sx;
  int r = statx(AT_FDCWD, "src-file", 0, STATX_SIZE | STATX_MODE, &sx);
  printf("statx: %d size=%llu mode=%o mask-has-size=%d\n", r, (unsigned long long)sx.stx_size, sx.stx_mode & 07777, (sx.stx_mask & STATX_SIZE) != 0);
  int dst = open("dst-file", O_CREAT | O_RDWR | O_TRUNC, 0600);
  off_t off = 4;
  printf("sendfile: %zd offset-now=%lld", sendfile(dst, src, &off, 6), (long long)off);
  loff_t in = 10;
  printf(" copy_file_range: %zd in-now=%lld\n", copy_file_range(src, &in, dst, NULL, 6, 0), (long long)in);
  char buf[32] = {0};
  pread(dst, buf, sizeof buf - 1, 0);
  printf("files: dst='%s' faccessat2=%d", buf, (int)syscall(SYS_faccessat2, AT_FDCWD, "dst-file", R_OK | W_OK, AT_EACCESS));
  int a = dup(src), b = dup(src);
  printf(" close_range=%d closed=%d\n", close_range(a, b, 0), fcntl(a, F_GETFD) < 0 && fcntl(b, F_GETFD) < 0);
  close(src);
  close(dst);
}

static void process_calls(void) {
  int q = (int)syscall(SYS_membarrier, 0, 0, 0);
  int reg = (int)syscall(SYS_membarrier, 16, 0, 0);
  int exp = (int)syscall(SYS_membarrier, 8, 0, 0);
  printf("membarrier: private-expedited-offered=%d register=%d barrier=%d\n", q >= 0 && (q & 8) != 0, reg, exp);
  int pfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
  printf("pidfd: open>=0=%d signal0=%d\n", pfd >= 0, (int)syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0));
  close(pfd);
  cpu_set_t set;
  CPU_ZERO(&set);
  printf("sched: getaffinity=%d cpus>=1=%d yield=%d policy=%d\n", sched_getaffinity(0, sizeof set, &set), CPU_COUNT(&set) >= 1, sched_yield(),
         sched_getscheduler(0));
  unsigned cpu = 99, node = 99;
  int getcpu_result = (int)syscall(SYS_getcpu, &cpu, &node, NULL);
  printf("getcpu: %d node %u cpu in range %d\n", getcpu_result, node, cpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF));
  struct rlimit a, b;
  getrlimit(RLIMIT_NOFILE, &a);
  prlimit(0, RLIMIT_NOFILE, NULL, &b);
  printf("prlimit64: same-as-getrlimit=%d\n", a.rlim_cur == b.rlim_cur && a.rlim_max == b.rlim_max);
  struct rusage ru;
  struct sysinfo si;
  printf("getrusage: %d maxrss>0=%d sysinfo: %d uptime>0=%d mem_unit>=1=%d\n", getrusage(RUSAGE_SELF, &ru), ru.ru_maxrss > 0, sysinfo(&si), si.uptime > 0,
         si.mem_unit >= 1);
  char name[16] = {0};
  prctl(PR_SET_NAME, "renamed-thread");
  prctl(PR_GET_NAME, name);
  printf("prctl: name='%s' dumpable=%d\n", name, prctl(PR_GET_DUMPABLE));
  errno = 0;
  long r = syscall(SYS_rseq, NULL, 0, 0, 0);
  printf("rseq: %ld %s\n", r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
#ifdef SYS_clone3
  errno = 0;
  r = syscall(SYS_clone3, NULL, 0);
  printf("clone3: %ld %s\n", r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
#endif
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc == 3 && strcmp(argv[1], "unimp") == 0) {
    long nr = strtol(argv[2], NULL, 0);
    for (int i = 0; i < 2; i++) {
      errno = 0;
      long r = syscall(nr, 0, 0, 0);
      printf("syscall %ld: %ld %s\n", nr, r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
    }
    return 0;
  }
  memfd();
  xattrs();
  inotify();
  timerfd();
  files();
  process_calls();
  return 0;
}
