/*
 * Signal delivery at user level: handlers with and without SA_SIGINFO, blocking and pending
 * signals, kill/raise to self, the mask inside a handler (SA_NODEFER or not), SA_RESETHAND,
 * sigaltstack, nested delivery, and a syscall interrupted by a signal (EINTR).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile int hits, last_code, in_usr1_blocked, nested;
static char altstack[65536];
static volatile int on_alt;

static void simple(int sig) { hits += sig; }

static void info_handler(int sig, siginfo_t *info, void *uc) {
  (void)uc;
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  in_usr1_blocked = sigismember(&cur, SIGUSR1);
  last_code = info->si_code;
  hits += sig * 100;
  if (info->si_pid != getpid()) hits = -1000;
}

static void alt_handler(int sig) {
  char probe;
  (void)sig;
  on_alt = (uintptr_t)&probe >= (uintptr_t)altstack && (uintptr_t)&probe < (uintptr_t)altstack + sizeof altstack;
}

static void outer(int sig) {
  (void)sig;
  nested = 1;
  raise(SIGUSR2); /* delivered inside this handler: USR2 is not blocked */
  nested = 2;
}
static void inner(int sig) {
  (void)sig;
  if (nested == 1) nested = 10;
}

static void on_alarm(int sig) { (void)sig; }

int main(void) {
  signal(SIGUSR1, simple);
  raise(SIGUSR1);
  printf("raise USR1 hits=%d\n", hits);
  printf("ignored USR2: ");
  signal(SIGUSR2, SIG_IGN);
  kill(getpid(), SIGUSR2);
  printf("ok\n");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = info_handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  hits = 0;
  kill(getpid(), SIGUSR1);
  printf("siginfo kill: hits=%d code=%d (SI_USER=%d) usr1 blocked in handler=%d\n", hits,
         last_code, SI_USER, in_usr1_blocked);
  hits = 0;
  raise(SIGUSR1);
  printf("siginfo raise: hits=%d code=%d (SI_TKILL=%d)\n", hits, last_code, SI_TKILL);
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("SA_NODEFER: usr1 blocked in handler=%d\n", in_usr1_blocked);

  sigset_t set, old, pend;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, &old);
  hits = 0;
  raise(SIGUSR1);
  raise(SIGUSR1);
  sigpending(&pend);
  printf("blocked: hits=%d pending=%d\n", hits, sigismember(&pend, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("unblocked: hits=%d (standard signals do not queue)\n", hits);

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = simple;
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGUSR1, &sa, NULL);
  hits = 0;
  raise(SIGUSR1);
  struct sigaction now;
  sigaction(SIGUSR1, NULL, &now);
  printf("SA_RESETHAND: hits=%d handler reset to default=%d\n", hits, now.sa_handler == SIG_DFL);

  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
  printf("sigaltstack=%d\n", sigaltstack(&ss, NULL));
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = alt_handler;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("handler ran on alternate stack=%d\n", on_alt);
  sa.sa_flags = 0;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("without SA_ONSTACK on alternate stack=%d\n", on_alt);

  signal(SIGUSR1, outer);
  signal(SIGUSR2, inner);
  raise(SIGUSR1);
  printf("nested delivery: %d\n", nested);

  /* A blocking read interrupted by SIGALRM (no SA_RESTART) fails with EINTR. */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  int fds[2];
  if (pipe(fds) != 0) return 1;
  /* The timer repeats: a first expiry that comes before the read starts (a loaded machine can
     hold the process back longer than 50 ms) would otherwise leave the read blocked forever. */
  struct itimerval it = {{0, 50000}, {0, 50000}};
  setitimer(ITIMER_REAL, &it, NULL);
  char c;
  ssize_t n = read(fds[0], &c, 1);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("interrupted read: %zd %s\n", n, n < 0 ? strerror(errno) : "");
  printf("sigaction(SIGKILL) fails: %d %s\n", sigaction(SIGKILL, &sa, NULL), strerror(errno));
  printf("psignal-style name: %s\n", strsignal(SIGSEGV));
  return 0;
}
