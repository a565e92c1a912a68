/*
 * POSIX message queues: mq_open with attributes (and O_EXCL, ENOENT), mq_getattr/mq_setattr
 * (O_NONBLOCK), messages received highest priority first with their priorities, EAGAIN on an empty
 * non-blocking queue, ETIMEDOUT from mq_timedreceive, EMSGSIZE both ways, a message from a forked
 * child, mq_notify (NULL and SIGEV_NONE), mq_close and mq_unlink. The queue's name has the pid in
 * it, so runs side by side do not meet.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show_attr(const char *what, mqd_t q) {
  struct mq_attr a;
  int r = mq_getattr(q, &a);
  printf("%s: %d flags %s maxmsg %ld msgsize %ld curmsgs %ld\n", what, r, (a.mq_flags & O_NONBLOCK) ? "nonblock" : "0", (long)a.mq_maxmsg, (long)a.mq_msgsize, (long)a.mq_curmsgs);
}

int main(void) {
  char name[64];
  snprintf(name, sizeof name, "/tsemu-mq-%d", (int)getpid());
  struct mq_attr attr = { 0, 4, 64, 0, { 0 } };
  mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
  printf("open: %d\n", q >= 0);
  show_attr("attr", q);
  errno = 0;
  mqd_t again = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
  printf("open excl again: %d %s\n", (int)again, strerror(errno));
  printf("send: %d %d %d\n", mq_send(q, "low", 3, 1), mq_send(q, "high", 4, 9), mq_send(q, "mid", 3, 5));
  show_attr("after sends", q);
  char buf[64];
  for (int i = 0; i < 3; i++) {
    unsigned prio = 0;
    ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
    printf("received %.*s prio %u\n", (int)n, buf, prio);
  }
  errno = 0;
  ssize_t n = mq_receive(q, buf, 10, NULL);
  printf("small buffer: %d %s\n", (int)n, strerror(errno));
  char big[100];
  memset(big, 'x', sizeof big);
  errno = 0;
  int r = mq_send(q, big, sizeof big, 0);
  printf("too big: %d %s\n", r, strerror(errno));
  struct timespec abs;
  clock_gettime(CLOCK_REALTIME, &abs);
  abs.tv_nsec += 50000000;
  if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
  errno = 0;
  n = mq_timedreceive(q, buf, sizeof buf, NULL, &abs);
  printf("timed out: %d %s\n", (int)n, strerror(errno));
  struct mq_attr nb = { O_NONBLOCK, 0, 0, 0, { 0 } }, old;
  printf("setattr: %d, old flags %ld\n", mq_setattr(q, &nb, &old), (long)old.mq_flags);
  show_attr("nonblocking", q);
  errno = 0;
  n = mq_receive(q, buf, sizeof buf, NULL);
  printf("empty: %d %s\n", (int)n, strerror(errno));
  printf("notify none: %d\n", mq_notify(q, &(struct sigevent){ .sigev_notify = SIGEV_NONE }));
  printf("notify off: %d\n", mq_notify(q, NULL));
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    mqd_t c = mq_open(name, O_WRONLY);
    int s = mq_send(c, "from child", 10, 3);
    mq_close(c);
    _exit(s == 0 ? 0 : 1);
  }
  int status;
  waitpid(child, &status, 0);
  unsigned prio = 0;
  n = mq_receive(q, buf, sizeof buf, &prio);
  printf("child status %d, received %.*s prio %u\n", WEXITSTATUS(status), (int)n, buf, prio);
  printf("close: %d unlink: %d\n", mq_close(q), mq_unlink(name));
  errno = 0;
  q = mq_open(name, O_RDONLY);
  printf("open unlinked: %d %s\n", (int)q, strerror(errno));
  errno = 0;
  r = mq_unlink(name);
  printf("unlink again: %d %s\n", r, strerror(errno));
  return 0;
}
