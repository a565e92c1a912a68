/*
 * SIGALRM sent by another process: caught by a handler before and after the process armed a timer
 * of its own (tsemu's host timer uses the host's SIGALRM too), taken by sigwait while blocked,
 * interrupting a blocking read, and ending the process by its default action.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t caught, from_child;

static void on_alarm(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)context;
  caught++;
  from_child = info->si_code == SI_USER && info->si_pid != getpid();
}

/* A child that sends the parent SIGALRM after `delay_us`. */
static pid_t send_later(unsigned delay_us) {
  pid_t parent = getpid();
  pid_t child = fork();
  if (child == 0) {
    usleep(delay_us);
    kill(parent, SIGALRM);
    _exit(0);
  }
  return child;
}

static void wait_caught(int n) {
  for (int i = 0; i < 500 && caught < n; i++) usleep(10000);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sigaction sa = {.sa_sigaction = on_alarm, .sa_flags = SA_SIGINFO};
  sigaction(SIGALRM, &sa, NULL);

  pid_t child = send_later(20000);
  wait_caught(1);
  waitpid(child, NULL, 0);
  printf("handler, no timer yet: caught %d from child %d\n", caught, from_child);

  /* A timer of the process's own, then a SIGALRM from outside while the timer runs. */
  struct itimerval t = {.it_value = {.tv_usec = 30000}};
  setitimer(ITIMER_REAL, &t, NULL);
  wait_caught(2);
  printf("own timer: caught %d from child %d\n", caught, from_child);
  struct itimerval later = {.it_value = {.tv_sec = 3600}};
  setitimer(ITIMER_REAL, &later, NULL);
  child = send_later(20000);
  wait_caught(3);
  waitpid(child, NULL, 0);
  printf("timer armed: caught %d from child %d\n", caught, from_child);

  /* A blocking read interrupted (no SA_RESTART): EINTR. */
  int fds[2];
  pipe(fds);
  child = send_later(50000);
  char c;
  ssize_t r = read(fds[0], &c, 1);
  int err = errno;
  waitpid(child, NULL, 0);
  printf("read: %zd %s, caught %d\n", r, strerror(err), caught);

  /* Blocked, then taken by sigwait. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  child = send_later(20000);
  int sig = 0;
  sigwait(&set, &sig);
  waitpid(child, NULL, 0);
  printf("sigwait: %s, caught %d\n", sig == SIGALRM ? "SIGALRM" : "other", caught);

  /* The default action: a forked child with the timer armed dies by SIGALRM from its parent. */
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  int ready[2];
  pipe(ready);
  child = fork();
  if (child == 0) {
    signal(SIGALRM, SIG_DFL);
    setitimer(ITIMER_REAL, &later, NULL);
    write(ready[1], "r", 1);
    for (;;) pause();
  }
  read(ready[0], &c, 1);
  kill(child, SIGALRM);
  int status = 0;
  pid_t waited = waitpid(child, &status, 0);
  if (waited != child) printf("waitpid: %s, caught %d from child %d\n", strerror(errno), caught, from_child);
  printf("default action: waited %d, signaled %d by SIGALRM %d\n", waited == child, WIFSIGNALED(status), WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);
  return 0;
}
