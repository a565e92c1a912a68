/*
 * What a process keeps and loses across execve, each case in a forked child whose status the
 * parent collects: a chain of execs of a copy of this program under another name (the pid is kept;
 * /proc/self/exe, argv[0], AT_EXECFN, the environment and the name in /proc/self/comm are the new
 * image's, whatever PR_SET_NAME set before), close-on-exec
 * descriptors, signal dispositions (handled ones reset, ignored ones kept), the signal mask and a
 * pending signal, the alternate signal stack; execve from a process with a second thread, and
 * from that second thread; failed execs (a missing file, an ELF object file, a file of garbage)
 * leaving the caller's handlers and descriptors as they were. Paths are printed as base names
 * only, so the output is the same for every architecture's build (the native build is the oracle).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wait_report.h"

#define COPY "./exec_image_copy"
#define OBJECT "./exec_image_object"
#define GARBAGE "./exec_image_garbage"

static char pid_text[32];

static void on_usr1(int sig) {
  (void)sig;
  static const char text[] = "handler ran\n";
  write(1, text, sizeof text - 1);
}

static const char *disposition(int sig) {
  struct sigaction sa;
  sigaction(sig, NULL, &sa);
  if (sa.sa_handler == SIG_DFL) return "default";
  if (sa.sa_handler == SIG_IGN) return "ignored";
  return "handled";
}

/* The kernel's name of the process (its comm), as ps and pgrep read it. */
static const char *comm(void) {
  static char name[32];
  int fd = open("/proc/self/comm", O_RDONLY);
  ssize_t n = fd < 0 ? -1 : read(fd, name, sizeof name - 1);
  if (fd >= 0) close(fd);
  name[n < 0 ? 0 : n] = 0;
  name[strcspn(name, "\n")] = 0;
  return name;
}

static const char *fd_state(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0) return errno == EBADF ? "closed" : "error";
  return flags & FD_CLOEXEC ? "open, close-on-exec" : "open";
}

static void exec_next(const char *argv0, const char *stage, const char *arg) {
  char *const argv[] = {(char *)argv0, (char *)stage, (char *)arg, pid_text, NULL};
  char *const envp[] = {"EXEC_IMAGE=set by the caller", NULL};
  execve(COPY, argv, envp);
  printf("execve failed: %s\n", strerror(errno));
  exit(99);
}

/* The image after exec: what it was given and what it inherited. */
static int after_exec(int argc, char **argv) {
  const char *stage = argv[1];
  snprintf(pid_text, sizeof pid_text, "%s", argv[3]);
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n < 0 ? 0 : n] = 0;
  const char *execfn = (const char *)getauxval(AT_EXECFN);
  printf("%s: argv0=%s argc=%d exe=%s execfn=%s comm=%s pid kept=%s env=%s\n", stage, argv[0], argc, basename(exe),
         execfn ? execfn : "-", comm(), atoi(argv[3]) == getpid() ? "yes" : "no", getenv("EXEC_IMAGE") ? getenv("EXEC_IMAGE") : "-");
  if (strcmp(stage, "chain") == 0) {
    int left = atoi(argv[2]);
    fflush(stdout);
    if (left > 0) {
      char next[16];
      snprintf(next, sizeof next, "%d", left - 1);
      exec_next("chained", "chain", next);
    }
    return 20 + left;
  }
  if (strcmp(stage, "inherit") == 0) {
    printf("fd 10: %s; fd 11: %s\n", fd_state(10), fd_state(11));
    printf("SIGUSR1: %s; SIGUSR2: %s; SIGTERM: %s\n", disposition(SIGUSR1), disposition(SIGUSR2), disposition(SIGTERM));
    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    sigpending(&pending);
    printf("SIGHUP blocked: %d; SIGTERM blocked: %d; SIGTERM pending: %d\n", sigismember(&mask, SIGHUP),
           sigismember(&mask, SIGTERM), sigismember(&pending, SIGTERM));
    stack_t ss;
    sigaltstack(NULL, &ss);
    printf("alternate stack disabled: %d\n", (ss.ss_flags & SS_DISABLE) != 0);
    fflush(stdout);
    /* Unblocking SIGTERM now takes its default action: the process dies by it. */
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &term, NULL);
    return 1;
  }
  return 0;
}

static void exec_inheriting(void) {
  prctl(PR_SET_NAME, "renamed");
  printf("renamed: comm=%s\n", comm());
  signal(SIGUSR1, on_usr1);
  signal(SIGUSR2, SIG_IGN);
  int fd = open("/dev/null", O_RDONLY);
  dup2(fd, 10);
  dup2(fd, 11);
  close(fd);
  fcntl(10, F_SETFD, FD_CLOEXEC);
  static char alt[65536];
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
  sigaltstack(&ss, NULL);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGHUP);
  sigaddset(&mask, SIGTERM);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  raise(SIGTERM);
  exec_next("inheriting", "inherit", "-");
}

static void *sleeper(void *arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static void *exec_from_thread(void *arg) {
  (void)arg;
  exec_next("from-thread", "plain", "-");
  return NULL;
}

static void exec_with_thread(int from_thread) {
  pthread_t thread;
  pthread_create(&thread, NULL, from_thread ? exec_from_thread : sleeper, NULL);
  if (from_thread) for (;;) pause();
  usleep(10000);
  exec_next("threaded", "plain", "-");
}

/* Writes `path` as a copy of this program with e_type (the two bytes at 16) patched to ET_REL, in the file's byte order. */
static void write_object(const char *self) {
  FILE *in = fopen(self, "rb");
  FILE *out = fopen(OBJECT, "wb");
  unsigned char buf[65536];
  size_t n = fread(buf, 1, sizeof buf, in);
  int big = buf[5] == 2;
  buf[16] = big ? 0 : 1;
  buf[17] = big ? 1 : 0;
  fwrite(buf, 1, n, out);
  fclose(in);
  fclose(out);
  chmod(OBJECT, 0755);
}

static void failed_execs(void) {
  signal(SIGUSR1, on_usr1);
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  dup2(fd, 12);
  fcntl(12, F_SETFD, FD_CLOEXEC);
  const char *files[] = {"./exec_image_missing", OBJECT, GARBAGE};
  for (int i = 0; i < 3; i++) {
    char *const argv[] = {"x", NULL};
    execv(files[i], argv);
    printf("%s: %s\n", basename((char *)files[i]), strerror(errno));
  }
  printf("after the failures: SIGUSR1 %s, fd 12 %s\n", disposition(SIGUSR1), fd_state(12));
  fflush(stdout);
  raise(SIGUSR1);
}

static void copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  FILE *out = fopen(to, "wb");
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
  fclose(in);
  fclose(out);
  chmod(to, 0755);
}

int main(int argc, char **argv) {
  if (argc > 3) return after_exec(argc, argv);
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n < 0) return 1;
  self[n] = 0;
  copy_file(self, COPY);
  write_object(self);
  FILE *garbage = fopen(GARBAGE, "w");
  fputs("this is neither an ELF file nor a script\n", garbage);
  fclose(garbage);
  chmod(GARBAGE, 0755);
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("started: comm=%s\n", comm());

  struct {
    const char *name;
    void (*run)(void);
  } cases[] = {
      {"exec chain", NULL},
      {"inheritance", exec_inheriting},
      {"exec beside a thread", NULL},
      {"exec from a thread", NULL},
      {"failed execs", failed_execs},
  };
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      snprintf(pid_text, sizeof pid_text, "%d", getpid());
      if (i == 0) exec_next("chained", "chain", "3");
      if (i == 2) exec_with_thread(0);
      if (i == 3) exec_with_thread(1);
      if (cases[i].run) cases[i].run();
      _exit(0);
    }
    report(cases[i].name, pid);
  }
  unlink(COPY);
  unlink(OBJECT);
  unlink(GARBAGE);
  return 0;
}
