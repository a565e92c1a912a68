/*
 * The signal mask that pselect, ppoll and epoll_pwait install for their wait: SIGCHLD blocked
 * except while waiting (GNU make's jobserver loop), a child's exit ends the wait with EINTR and its
 * handler runs inside the call's mask (SIGUSR1, blocked by the caller, is not blocked there); a signal that mask lets through which is pending already
 * ends the call at once; after the call the caller's mask is back, whether it was interrupted or
 * not. Then the same with a second thread (blocked in read, every signal blocked), so that the
 * wait is one thread's among others.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;
static volatile sig_atomic_t usr1_blocked_in_handler = -1;

static void on_signal(int sig) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  handled = sig;
  usr1_blocked_in_handler = sigismember(&now, SIGUSR1);
}

/** The caller's mask: SIGCHLD, SIGUSR1 and SIGUSR2 blocked. */
static sigset_t caller_mask(void) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGCHLD);
  sigaddset(&s, SIGUSR1);
  sigaddset(&s, SIGUSR2);
  return s;
}

static void report(const char *what, int r, int err) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  int status = -1;
  pid_t reaped = handled == SIGCHLD ? waitpid(-1, &status, WNOHANG) : 0;
  printf("%s: r=%d %s, handler %d (SIGUSR1 blocked in it: %d), reaped %d status %d, after: CHLD %d USR1 %d USR2 %d\n",
         what, r, r < 0 ? strerror(err) : "-", (int)handled, (int)usr1_blocked_in_handler, reaped > 0,
         reaped > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, sigismember(&now, SIGCHLD),
         sigismember(&now, SIGUSR1), sigismember(&now, SIGUSR2));
  handled = 0;
  usr1_blocked_in_handler = -1;
}

/** A child that exits with 3 after a moment, so the parent is waiting by then. */
static void child_exits_soon(void) {
  if (fork() == 0) {
    usleep(100000);
    _exit(3);
  }
}

/** The second thread: waits in read until main writes (the signals it inherited stay blocked). */
static void *idle_thread(void *fd) {
  char c;
  return read(*(int *)fd, &c, 1) == 1 ? NULL : fd;
}

int main(void) {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGCHLD, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigset_t blocked = caller_mask();
  sigprocmask(SIG_SETMASK, &blocked, NULL);
  sigset_t only_usr2;
  sigemptyset(&only_usr2);
  sigaddset(&only_usr2, SIGUSR2);
  setvbuf(stdout, NULL, _IONBF, 0);

  /* A child's exit interrupts each wait; the handler runs with the wait's mask (SIGUSR2 only). */
  child_exits_soon();
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(fds[0], &rd);
  int r = pselect(fds[0] + 1, &rd, NULL, NULL, NULL, &only_usr2);
  report("pselect, child exits", r, errno);

  child_exits_soon();
  struct pollfd p = {.fd = fds[0], .events = POLLIN};
  r = ppoll(&p, 1, NULL, &only_usr2);
  report("ppoll, child exits", r, errno);

  child_exits_soon();
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[0]};
  epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
  r = epoll_pwait(ep, &ev, 1, -1, &only_usr2);
  report("epoll_pwait, child exits", r, errno);

  /* Pending already and let through by the wait's mask: EINTR at once, with a long timeout. */
  raise(SIGUSR1);
  struct timespec long_wait = {.tv_sec = 10};
  r = ppoll(&p, 1, &long_wait, &only_usr2);
  report("ppoll, SIGUSR1 pending", r, errno);

  /* Pending but blocked by the wait's mask too: the timeout ends the wait, nothing is delivered. */
  raise(SIGUSR2);
  struct timespec short_wait = {.tv_nsec = 50000000};
  r = ppoll(&p, 1, &short_wait, &only_usr2);
  report("ppoll, SIGUSR2 pending but blocked", r, errno);
  sigset_t pending;
  sigpending(&pending);
  printf("SIGUSR2 still pending: %d\n", sigismember(&pending, SIGUSR2));

  /* A ready descriptor: the call succeeds and the caller's mask is back, SIGUSR2 still pending. */
  if (write(fds[1], "x", 1) != 1) return 1;
  FD_ZERO(&rd);
  FD_SET(fds[0], &rd);
  r = pselect(fds[0] + 1, &rd, NULL, NULL, NULL, &only_usr2);
  report("pselect, descriptor ready", r, errno);

  /* Without a mask the caller's stays in force: the child's exit (waited for, not reaped) stays pending. */
  child_exits_soon();
  struct timespec quarter = {.tv_nsec = 250000000};
  char c;
  if (read(fds[0], &c, 1) != 1) return 1;
  r = ppoll(&p, 1, &quarter, NULL);
  report("ppoll without a mask", r, errno);
  siginfo_t exited;
  waitid(P_ALL, 0, &exited, WEXITED | WNOWAIT);
  sigpending(&pending);
  printf("SIGCHLD pending: %d\n", sigismember(&pending, SIGCHLD));
  sigprocmask(SIG_SETMASK, &only_usr2, NULL);
  report("SIGCHLD unblocked", 0, 0);

  sigprocmask(SIG_SETMASK, &blocked, NULL);
  int idle[2];
  pthread_t other;
  if (pipe(idle) != 0 || pthread_create(&other, NULL, idle_thread, &idle[0]) != 0) return 1;
  child_exits_soon();
  FD_ZERO(&rd);
  FD_SET(fds[0], &rd);
  r = pselect(fds[0] + 1, &rd, NULL, NULL, NULL, &only_usr2);
  report("two threads: pselect, child exits", r, errno);
  raise(SIGUSR1);
  r = ppoll(&p, 1, &long_wait, &only_usr2);
  report("two threads: ppoll, SIGUSR1 pending", r, errno);
  r = ppoll(&p, 1, &short_wait, &only_usr2);
  report("two threads: ppoll times out", r, errno);
  if (write(idle[1], "q", 1) != 1 || pthread_join(other, NULL) != 0) return 1;
  return 0;
}
