/*
 * signalfd: blocked signals read as struct signalfd_siginfo records instead of being delivered.
 * Sent to itself (kill, sigqueue with a value, a timer), by a forked child to a blocking read,
 * to a reading thread, seen by poll and epoll; the mask replaced; the argument errors. Prints
 * only what does not depend on the architecture or the run (pids compared, not printed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int readable(int fd) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void show(const struct signalfd_siginfo *s) {
  printf("  signo %u code %d errno %d from-self %d uid-ok %d", s->ssi_signo, s->ssi_code, s->ssi_errno,
         s->ssi_pid == (unsigned)getpid(), s->ssi_uid == (unsigned)getuid());
  if (s->ssi_code == SI_QUEUE) printf(" int %d", s->ssi_int);
  printf("\n");
}

/* Reads up to `max` records; prints their count and each. */
static int drain(int fd, int max) {
  struct signalfd_siginfo records[8];
  ssize_t n = read(fd, records, sizeof records[0] * max);
  if (n < 0) {
    printf("read: %s\n", strerror(errno));
    return -1;
  }
  printf("read %zd bytes, %zd records\n", n, n / (ssize_t)sizeof records[0]);
  for (ssize_t i = 0; i < n / (ssize_t)sizeof records[0]; i++) show(&records[i]);
  return (int)(n / sizeof records[0]);
}

static void *thread_reader(void *arg) {
  int fd = *(int *)arg;
  struct signalfd_siginfo s;
  ssize_t n = read(fd, &s, sizeof s);
  printf("thread read %zd: signo %u from-self %d\n", n, s.ssi_signo, s.ssi_pid == (unsigned)getpid());
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("sizeof(struct signalfd_siginfo) %zu\n", sizeof(struct signalfd_siginfo));
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGUSR1);
  sigaddset(&mask, SIGUSR2);
  sigaddset(&mask, SIGRTMIN + 1);
  sigaddset(&mask, SIGALRM);
  sigprocmask(SIG_BLOCK, &mask, NULL);

  int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  printf("signalfd %s, cloexec %d\n", fd >= 0 ? "ok" : strerror(errno), (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  printf("empty: readable %d\n", readable(fd));
  drain(fd, 1);

  kill(getpid(), SIGUSR2);
  kill(getpid(), SIGUSR1);
  kill(getpid(), SIGUSR1); /* standard signals merge */
  union sigval v = {.sival_int = 42};
  sigqueue(getpid(), SIGRTMIN + 1, v);
  v.sival_int = 43;
  sigqueue(getpid(), SIGRTMIN + 1, v); /* real-time signals queue */
  printf("after kill and sigqueue: readable %d\n", readable(fd));
  drain(fd, 2);
  printf("still readable %d\n", readable(fd));
  drain(fd, 8);
  printf("drained: readable %d\n", readable(fd));
  drain(fd, 1);

  /* Too small a buffer, a descriptor that is no signalfd, unknown flags, a wrong mask size. */
  struct signalfd_siginfo one;
  printf("short read fails %d\n", read(fd, &one, sizeof one - 1) < 0);
  printf("signalfd(0): %d %s\n", signalfd(0, &mask, 0), strerror(errno));
  printf("bad flags: %d %s\n", signalfd(-1, &mask, 0x10), strerror(errno));
  printf("bad size: %ld %s\n", syscall(SYS_signalfd4, -1, &mask, 4, 0), strerror(errno));

  /* A new mask for the same descriptor: SIGUSR1 stays pending, SIGUSR2 is read. */
  sigset_t only2;
  sigemptyset(&only2);
  sigaddset(&only2, SIGUSR2);
  printf("same fd: %d\n", signalfd(fd, &only2, 0) == fd);
  kill(getpid(), SIGUSR1);
  kill(getpid(), SIGUSR2);
  drain(fd, 4);
  sigset_t pending;
  sigpending(&pending);
  printf("SIGUSR1 pending %d, SIGUSR2 pending %d\n", sigismember(&pending, SIGUSR1), sigismember(&pending, SIGUSR2));
  int sig;
  sigwait(&mask, &sig);
  printf("sigwait took %d\n", sig);

  /* A timer's signal through epoll. */
  signalfd(fd, &mask, 0);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  struct itimerval t = {.it_value = {.tv_usec = 20000}};
  setitimer(ITIMER_REAL, &t, NULL);
  struct epoll_event got;
  int n = epoll_wait(ep, &got, 1, 5000);
  printf("epoll_wait %d data %u\n", n, n == 1 ? got.data.u32 : 0);
  drain(fd, 1);

  /* A blocking signalfd read, woken by a forked child's kill. */
  int blocking = signalfd(-1, &mask, 0);
  pid_t child = fork();
  if (child == 0) {
    usleep(50000);
    kill(getppid(), SIGUSR2);
    _exit(0);
  }
  struct signalfd_siginfo s;
  ssize_t r = read(blocking, &s, sizeof s);
  printf("blocking read %zd: signo %u from-child %d\n", r, s.ssi_signo, s.ssi_pid == (unsigned)child);
  waitpid(child, NULL, 0);

  /* A thread blocked reading while the main thread sends. */
  pthread_t th;
  pthread_create(&th, NULL, thread_reader, &blocking);
  usleep(50000);
  kill(getpid(), SIGUSR1);
  pthread_join(th, NULL);
  printf("done: readable %d\n", readable(fd));
  return 0;
}
