/*
 * Calls that glibc seldom makes but other libcs (dietlibc, klibc, musl) and programs do, each made
 * directly with syscall() where the target numbers it: the pre-rt signal calls, waitpid, nice,
 * utime/utimes/futimesat, inotify_init, personality, mincore, the sched_* setters, preadv2/pwritev2,
 * readahead, sync_file_range, sendfile with a long and a 64-bit offset, socketcall.
 *
 * One part per argument, by the oracle that can judge it:
 *   host            calls the x86_64 kernel also has, the same output natively (qemu 7.2 lacks
 *                   preadv2 and pwritev2);
 *   qemu            calls qemu-user has right;
 *   legacy-signals  PowerPC's signal() and ssetmask, ARM's three-argument sigsuspend, which qemu
 *                   7.2 lacks (signal), byte-swaps on a big-endian guest (ssetmask's mask) or
 *                   takes as a pointer (sigsuspend): the same lines as
 *   modern-signals  their rt_ equivalents through the C library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0)
    printf("%s = -1 (%s)\n", what, strerror(errno));
  else
    printf("%s = %ld\n", what, r);
}

static __attribute__((unused)) void show_times(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("stat: %s\n", strerror(errno));
    return;
  }
  printf("  atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static volatile int handled;
static __attribute__((unused)) void on_signal(int sig) { handled += sig; }

#ifdef SYS_sendfile64
#define SENDFILE64 SYS_sendfile64
#else
#define SENDFILE64 SYS_sendfile /* a 64-bit ABI's, whose off_t is 64 bits */
#endif

/* The high long of a 64-bit offset passed as two longs (preadv2's pos_h): 0 on a 64-bit ABI. */
#define HIGH(o) (sizeof(long) == 4 ? (long)((long long)(o) >> 32) : 0L)

static void times_calls(const char *path) {
  struct timeval tv[2] = {{1000000000, 500000}, {1200000000, 250000}};
#ifdef SYS_utimes
  show("utimes", syscall(SYS_utimes, path, tv));
  show_times(path);
  tv[1].tv_usec = 1000000;
  show("utimes usec 1000000", syscall(SYS_utimes, path, tv));
  show("utimes bad pointer", syscall(SYS_utimes, path, (void *)8));
  tv[1].tv_usec = 7;
#endif
#ifdef SYS_futimesat
  tv[0].tv_sec = 1100000000;
  show("futimesat", syscall(SYS_futimesat, AT_FDCWD, path, tv));
  show_times(path);
  int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
  show("futimesat dirfd", syscall(SYS_futimesat, dir, strrchr(path, '/') + 1, tv));
  close(dir);
#endif
#ifdef SYS_utime
  long buf[2] = {1300000000, 1400000000};
  show("utime", syscall(SYS_utime, path, buf));
  show_times(path);
#endif
  (void)tv;
}

static void io_calls(const char *path) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  char text[] = "hello, legacy world";
  struct iovec iov = {text, strlen(text)};
  show("pwritev2 at 0", syscall(SYS_pwritev2, fd, &iov, 1, 0L, 0L, 0));
  struct iovec tail = {"!", 1};
  show("pwritev2 RWF_APPEND", syscall(SYS_pwritev2, fd, &tail, 1, 0L, 0L, 0x10));
  char in[64] = {0};
  struct iovec back = {in, 10};
  show("preadv2 at 7", syscall(SYS_preadv2, fd, &back, 1, 7L, HIGH(7), 0));
  printf("  read \"%s\"\n", in);
  lseek(fd, 2, SEEK_SET);
  memset(in, 0, sizeof in);
  show("preadv2 at -1 (the position)", syscall(SYS_preadv2, fd, &back, 1, -1L, HIGH(-1), 0));
  printf("  read \"%s\", position now %ld\n", in, (long)lseek(fd, 0, SEEK_CUR));
  show("preadv2 unknown flag", syscall(SYS_preadv2, fd, &back, 1, 0L, 0L, 0x1000));
  show("readahead", readahead(fd, 0, 4096));
  show("sync_file_range", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
  show("sync_file_range bad flags", sync_file_range(fd, 0, 0, 0x100));

  int out = open("/tmp", O_TMPFILE | O_RDWR, 0600);
  struct {
    long offset;
    int guard;
  } at = {7, 0x5a5a5a5a};
  show("sendfile", syscall(SYS_sendfile, out, fd, &at.offset, 6));
  printf("  offset %ld guard %#x\n", at.offset, at.guard);
  long long offset64 = 14;
  show("sendfile64", syscall(SENDFILE64, out, fd, &offset64, 5));
  printf("  offset %lld\n", offset64);
  memset(in, 0, sizeof in);
  show("pread back", pread(out, in, sizeof in - 1, 0));
  printf("  copied \"%s\"\n", in);
  close(out);
  close(fd);
}

static void memory_calls(void) {
  long page = sysconf(_SC_PAGESIZE);
  char *area = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  area[0] = 1;
  area[2 * page] = 1;
  unsigned char vec[4];
  show("mincore", syscall(SYS_mincore, area, 4 * page, vec));
  printf("  pages 0 and 2 resident: %d %d\n", vec[0] & 1, vec[2] & 1);
  show("mincore misaligned", syscall(SYS_mincore, area + 1, page, vec));
  show("mincore bad vector", syscall(SYS_mincore, area, page, (void *)8));
  munmap(area + 3 * page, page);
  show("mincore past the mapping", syscall(SYS_mincore, area, 4 * page, vec));
  munmap(area, 3 * page);
}

static void scheduling_calls(void) {
  struct sched_param param = {0};
  show("sched_setscheduler SCHED_BATCH", syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &param));
  show("sched_getscheduler", syscall(SYS_sched_getscheduler, 0));
  show("sched_setparam", syscall(SYS_sched_setparam, 0, &param));
  param.sched_priority = 99;
  show("sched_setparam priority 99", syscall(SYS_sched_setparam, 0, &param));
  show("sched_getparam", syscall(SYS_sched_getparam, 0, &param));
  printf("  priority %d\n", param.sched_priority);
  show("sched_getparam NULL", syscall(SYS_sched_getparam, 0, NULL));
  show("sched_setscheduler pid -1", syscall(SYS_sched_setscheduler, -1, SCHED_OTHER, &param));
  param.sched_priority = 0;
  show("sched_setscheduler SCHED_OTHER", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &param));
  struct timespec slice = {-1, -1};
  show("sched_rr_get_interval", sched_rr_get_interval(0, &slice));
  printf("  non-negative: %d\n", slice.tv_sec >= 0 && slice.tv_nsec >= 0);
}

static void process_calls(void) {
#ifdef SYS_nice
  errno = 0;
  long r = syscall(SYS_nice, 3);
  printf("nice +3: %s, priority now %d\n", r < 0 ? strerror(errno) : "done", getpriority(PRIO_PROCESS, 0));
  r = syscall(SYS_nice, 100);
  printf("nice +100: %s, priority now %d\n", r < 0 ? strerror(errno) : "done", getpriority(PRIO_PROCESS, 0));
#endif
  show("personality query", syscall(SYS_personality, 0xffffffffUL));
#ifdef SYS_waitpid
  pid_t child = fork();
  if (child == 0) _exit(7);
  int status = 0;
  long reaped = syscall(SYS_waitpid, child, &status, 0);
  printf("waitpid: child %s, exit status %d\n", reaped == child ? "reaped" : "missing", WEXITSTATUS(status));
#endif
#ifdef SYS_inotify_init
  long fd = syscall(SYS_inotify_init);
  printf("inotify_init: %s, close-on-exec %d\n", fd < 0 ? strerror(errno) : "descriptor", fd < 0 ? -1 : fcntl(fd, F_GETFD));
  if (fd >= 0) close(fd);
#endif
#ifdef SYS_socketcall
  int sv[2];
  unsigned long pair[] = {AF_UNIX, SOCK_STREAM, 0, (unsigned long)sv};
  show("socketcall socketpair", syscall(SYS_socketcall, 8, pair));
  unsigned long sent[] = {sv[0], (unsigned long)"ping", 4, 0};
  show("socketcall send", syscall(SYS_socketcall, 9, sent));
  char got[8] = {0};
  unsigned long received[] = {sv[1], (unsigned long)got, sizeof got, 0};
  show("socketcall recv", syscall(SYS_socketcall, 10, received));
  printf("  got \"%s\"\n", got);
  show("socketcall 0", syscall(SYS_socketcall, 0, pair));
  show("socketcall 21", syscall(SYS_socketcall, 21, pair));
  show("socketcall bad args", syscall(SYS_socketcall, 8, (void *)8));
  close(sv[0]);
  close(sv[1]);
#endif
}

#if defined(SYS_sigaction) && !defined(__powerpc64__)
/* struct old_sigaction of 32-bit ABIs: one word each. */
struct old_sigaction {
  unsigned long handler, mask, flags, restorer;
};
#endif

static void signal_calls(void) {
#if defined(SYS_sigaction) && !defined(__powerpc64__)
  unsigned long usr2 = 1UL << (SIGUSR2 - 1), old = 0, pending = 0;
  struct old_sigaction act = {(unsigned long)on_signal, 0, 0, 0}, was;
  show("sigaction", syscall(SYS_sigaction, SIGUSR2, &act, NULL));
  show("sigaction query", syscall(SYS_sigaction, SIGUSR2, NULL, &was));
  printf("  handler ours: %d, flags %#lx\n", was.handler == (unsigned long)on_signal, was.flags);
  show("sigaction SIGKILL", syscall(SYS_sigaction, SIGKILL, &act, NULL));
  show("sigprocmask block", syscall(SYS_sigprocmask, SIG_BLOCK, &usr2, &old));
  printf("  old mask %#lx\n", old);
  kill(getpid(), SIGUSR2);
  show("sigpending", syscall(SYS_sigpending, &pending));
  printf("  pending SIGUSR2: %d, handled %d\n", (pending & usr2) != 0, handled);
  show("sigprocmask query", syscall(SYS_sigprocmask, SIG_BLOCK, NULL, &old));
  printf("  mask %#lx\n", old);
  show("sigprocmask bad how", syscall(SYS_sigprocmask, 7, &usr2, NULL));
  show("sigprocmask unblock", syscall(SYS_sigprocmask, SIG_UNBLOCK, &usr2, NULL));
#endif
}

/* Signals 1 to 32 of a set, as the old calls' one word holds them. */
static __attribute__((unused)) long low_word(const sigset_t *set) {
  long word = 0;
  for (int sig = 1; sig <= 32; sig++)
    if (sigismember(set, sig) == 1) word |= 1L << (sig - 1);
  return word;
}

/*
 * The one-shot handler of signal() and a suspension with a one-word mask, by the old calls where
 * the target has them (`legacy`) or by sigaction and sigsuspend (the same lines).
 */
static void signal_forms(int legacy) {
  sigset_t none;
  sigemptyset(&none);
#ifdef SYS_signal
  handled = 0;
  struct sigaction oneshot = {.sa_handler = on_signal, .sa_flags = SA_RESETHAND | SA_NODEFER}, was;
  long before = legacy ? syscall(SYS_signal, SIGUSR1, on_signal) : (sigaction(SIGUSR1, &oneshot, &was), (long)was.sa_handler);
  printf("signal: previous is SIG_DFL: %d\n", before == (long)SIG_DFL);
  kill(getpid(), SIGUSR1);
  oneshot.sa_handler = SIG_IGN;
  oneshot.sa_flags = 0;
  long after = legacy ? syscall(SYS_signal, SIGUSR1, SIG_IGN) : (sigaction(SIGUSR1, &oneshot, &was), (long)was.sa_handler);
  printf("  handled %d, reset to SIG_DFL by delivery: %d\n", handled, after == (long)SIG_DFL);
  errno = 0;
  long refused = legacy ? syscall(SYS_signal, SIGKILL, SIG_IGN) : sigaction(SIGKILL, &oneshot, NULL);
  printf("signal SIGKILL: %ld (%s)\n", refused, strerror(errno));
#endif
#ifdef SYS_ssetmask
  sigset_t usr1, mask;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  long previous = legacy ? syscall(SYS_ssetmask, 1L << (SIGUSR1 - 1)) : (sigprocmask(SIG_SETMASK, &usr1, &mask), low_word(&mask));
  long now = legacy ? syscall(SYS_sgetmask) : (sigprocmask(SIG_BLOCK, NULL, &mask), low_word(&mask));
  sigprocmask(SIG_BLOCK, NULL, &mask);
  printf("ssetmask: previous %#lx, now %#lx, SIGUSR1 blocked: %d\n", previous, now, sigismember(&mask, SIGUSR1));
  sigprocmask(SIG_SETMASK, &none, NULL);
#endif
#if defined(SYS_sigsuspend) && !defined(__powerpc64__)
  handled = 0;
  signal(SIGUSR2, on_signal);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, NULL);
  kill(getpid(), SIGUSR2);
  long r = legacy ? syscall(SYS_sigsuspend, 0, 0, 0UL) : sigsuspend(&none);
  printf("sigsuspend: %ld (%s), handled %d\n", r, strerror(errno), handled);
  sigprocmask(SIG_UNBLOCK, &usr2, NULL);
#endif
  (void)legacy;
  (void)none;
}

int main(int argc, char **argv) {
  const char *part = argc > 1 ? argv[1] : "";
  if (strcmp(part, "host") == 0) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/legacy_calls.%d", (int)getpid());
    io_calls(path);
    unlink(path);
    memory_calls();
    scheduling_calls();
  } else if (strcmp(part, "qemu") == 0) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/legacy_calls.%d", (int)getpid());
    close(open(path, O_CREAT | O_WRONLY, 0600));
    times_calls(path);
    unlink(path);
    process_calls();
    signal_calls();
  } else if (strcmp(part, "legacy-signals") == 0 || strcmp(part, "modern-signals") == 0) {
    signal_forms(part[0] == 'l');
  } else {
    fprintf(stderr, "usage: legacy_calls host|qemu|legacy-signals|modern-signals\n");
    return 2;
  }
  return 0;
}
