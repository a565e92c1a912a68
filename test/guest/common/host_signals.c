/*
 * Signals from other processes: a forked child sends SIGUSR1 and SIGTERM to its parent and exits;
 * the parent's handlers (SA_SIGINFO for the sender's pid, SA_RESTART for one of them) run while it
 * waits in sigsuspend, SIGCHLD reports the exit, and an ignored SIGHUP stays ignored. The child's
 * pid and status come through siginfo and waitpid.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, term, chld, usr1_from_child, chld_status;
static pid_t child;

static void on_usr1(int sig, siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  usr1++;
  usr1_from_child = info->si_pid == child && info->si_code == SI_USER;
}
static void on_term(int sig) {
  (void)sig;
  term++;
}
static void on_chld(int sig, siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  chld++;
  chld_status = info->si_code == CLD_EXITED ? info->si_status : -1;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGCHLD, &sa, NULL);
  signal(SIGTERM, on_term);
  signal(SIGHUP, SIG_IGN);

  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &old);
  child = fork();
  if (child == 0) {
    pid_t parent = getppid();
    kill(parent, SIGHUP);
    kill(parent, SIGUSR1);
    kill(parent, SIGTERM);
    _exit(3);
  }
  while (!(usr1 && term && chld)) sigsuspend(&old);
  int status;
  pid_t w = waitpid(child, &status, 0);
  printf("usr1 %d from child %d, term %d, chld %d status %d, waited %d exit %d\n", usr1, usr1_from_child, term, chld,
         chld_status, w == child, WEXITSTATUS(status));
  return 0;
}
