/*
 * Blocking calls in one thread while another thread of the same process is the one that ends the
 * wait, each result printed as a fact that does not depend on scheduling (under a kernel each
 * thread blocks on its own; an emulator that runs threads on one host thread must not block them
 * all): a 1 MiB write into a pipe and into a socket pair whose reader is the main thread, and
 * the same with writev into a pipe, send and sendmsg into a socket pair;
 * sigwait for a pthread_kill, sigtimedwait timing out, sigwaitinfo of a signal sent to the
 * process; select in a thread until the main thread writes; flock and an F_OFD_SETLKW record lock
 * held by the main thread until it lets go; a blocking connect to a listening socket on loopback.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define BIG (1 << 20)

enum how { WRITE, WRITEV, SEND, SENDMSG };

struct big_write {
  int fd;
  enum how how;
  long written;
};

static unsigned char pattern(long i) { return (unsigned char)(i * 7 + (i >> 12)); }

static void *write_big(void *arg) {
  struct big_write *w = arg;
  unsigned char *buf = malloc(BIG);
  for (long i = 0; i < BIG; i++) buf[i] = pattern(i);
  /* Three buffers of uneven sizes, so pieces start inside an iovec. */
  struct iovec iov[3] = {{buf, 1000}, {buf + 1000, BIG / 2}, {buf + 1000 + BIG / 2, BIG / 2 - 1000}};
  struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 3};
  switch (w->how) {
    case WRITE: w->written = write(w->fd, buf, BIG); break;
    case WRITEV: w->written = writev(w->fd, iov, 3); break;
    case SEND: w->written = send(w->fd, buf, BIG, 0); break;
    case SENDMSG: w->written = sendmsg(w->fd, &msg, 0); break;
  }
  free(buf);
  return NULL;
}

/* One write of 1 MiB by a thread; the main thread reads it all (the pipe holds far less). */
static void full_buffer(const char *what, enum how how, int rfd, int wfd) {
  struct big_write w = {wfd, how, 0};
  pthread_t t;
  pthread_create(&t, NULL, write_big, &w);
  static unsigned char buf[65536];
  long got = 0, wrong = 0;
  while (got < BIG) {
    ssize_t n = read(rfd, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; i++) wrong += buf[i] != pattern(got + i);
    got += n;
  }
  pthread_join(t, NULL);
  printf("%s: one call of %ld bytes, read %ld, %ld wrong\n", what, w.written, got, wrong);
  close(rfd);
  close(wfd);
}

static void *sigwait_usr1(void *arg) {
  (void)arg;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  int sig = 0;
  int r = sigwait(&set, &sig);
  return (void *)(intptr_t)(r == 0 ? sig : -1);
}

static void *sigtimedwait_usr2(void *arg) {
  (void)arg;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  struct timespec ts = {10, 0};
  siginfo_t info;
  int sig = sigtimedwait(&set, &info, &ts);
  return (void *)(intptr_t)(sig == SIGUSR2 && info.si_code == SI_USER && info.si_pid == getpid());
}

static void signal_waits(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &set, NULL);

  pthread_t t;
  void *r;
  pthread_create(&t, NULL, sigwait_usr1, NULL);
  pthread_kill(t, SIGUSR1);
  pthread_join(t, &r);
  printf("sigwait in a thread: signal %d (SIGUSR1 %d)\n", (int)(intptr_t)r, SIGUSR1);

  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  struct timespec short_wait = {0, 30 * 1000 * 1000};
  errno = 0;
  int none = sigtimedwait(&usr2, NULL, &short_wait);
  printf("sigtimedwait with nothing pending: %d, %s\n", none, errno == EAGAIN ? "EAGAIN" : strerror(errno));

  kill(getpid(), SIGUSR2);
  siginfo_t info;
  int sig = sigwaitinfo(&usr2, &info);
  printf("sigwaitinfo after kill: signal %d, SI_USER %d, own pid %d\n", sig, info.si_code == SI_USER, info.si_pid == getpid());

  pthread_create(&t, NULL, sigtimedwait_usr2, NULL);
  kill(getpid(), SIGUSR2);
  pthread_join(t, &r);
  printf("sigtimedwait in a thread for a signal to the process: %d\n", (int)(intptr_t)r);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static int select_pipe[2];

static void *select_reader(void *arg) {
  (void)arg;
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(select_pipe[0], &rd);
  struct timeval tv = {10, 0};
  int n = select(select_pipe[0] + 1, &rd, NULL, NULL, &tv);
  char c = 0;
  if (n == 1) read(select_pipe[0], &c, 1);
  return (void *)(intptr_t)(n * 1000 + c);
}

static void select_wait(void) {
  pipe(select_pipe);
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(select_pipe[0], &rd);
  struct timeval tv = {0, 20000};
  printf("select on an empty pipe with a 20 ms timeout: %d\n", select(select_pipe[0] + 1, &rd, NULL, NULL, &tv));
  pthread_t t;
  pthread_create(&t, NULL, select_reader, NULL);
  usleep(20000);
  write(select_pipe[1], "x", 1);
  void *r;
  pthread_join(t, &r);
  printf("select in a thread until the main thread writes: %d ready, read '%c'\n", (int)(intptr_t)r / 1000, (int)(intptr_t)r % 1000);
  close(select_pipe[0]);
  close(select_pipe[1]);
}

static char lock_path[64];
static volatile int released;

static void *flock_waiter(void *arg) {
  (void)arg;
  int fd = open(lock_path, O_RDWR);
  int r = flock(fd, LOCK_EX);
  int seen = released;
  close(fd);
  return (void *)(intptr_t)(r == 0 ? seen : -1);
}

static void *ofd_waiter(void *arg) {
  (void)arg;
  int fd = open(lock_path, O_RDWR);
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
  int r = fcntl(fd, F_OFD_SETLKW, &fl);
  int seen = released;
  close(fd);
  return (void *)(intptr_t)(r == 0 ? seen : -1);
}

/* The main thread holds the lock through one open file description; a thread asks through another. */
static void lock_waits(void) {
  snprintf(lock_path, sizeof lock_path, "/tmp/tsemu-blocking-%d", (int)getpid());
  int fd = open(lock_path, O_RDWR | O_CREAT | O_TRUNC, 0600);

  flock(fd, LOCK_EX);
  released = 0;
  pthread_t t;
  void *r;
  pthread_create(&t, NULL, flock_waiter, NULL);
  usleep(20000);
  released = 1;
  flock(fd, LOCK_UN);
  pthread_join(t, &r);
  printf("flock in a thread: got the lock after the release: %d\n", (int)(intptr_t)r);

  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
  fcntl(fd, F_OFD_SETLK, &fl);
  released = 0;
  pthread_create(&t, NULL, ofd_waiter, NULL);
  usleep(20000);
  released = 1;
  fl.l_type = F_UNLCK;
  fcntl(fd, F_OFD_SETLK, &fl);
  pthread_join(t, &r);
  printf("F_OFD_SETLKW in a thread: got the lock after the release: %d\n", (int)(intptr_t)r);
  close(fd);
  unlink(lock_path);
}

static struct sockaddr_in listen_addr;

static void *connector(void *arg) {
  (void)arg;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int r = connect(s, (struct sockaddr *)&listen_addr, sizeof listen_addr);
  char c = 0;
  if (r == 0) {
    write(s, "c", 1);
    read(s, &c, 1);
  }
  close(s);
  return (void *)(intptr_t)(r == 0 ? c : -errno);
}

static void connect_wait(void) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  listen_addr.sin_family = AF_INET;
  listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof listen_addr;
  bind(l, (struct sockaddr *)&listen_addr, sizeof listen_addr);
  getsockname(l, (struct sockaddr *)&listen_addr, &len);
  listen(l, 1);
  pthread_t t;
  pthread_create(&t, NULL, connector, NULL);
  int a = accept(l, NULL, NULL);
  char c = 0;
  read(a, &c, 1);
  write(a, "C", 1);
  void *r;
  pthread_join(t, &r);
  printf("connect in a thread: server read '%c', client read '%c'\n", c, (int)(intptr_t)r);
  close(a);
  close(l);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int p[2];
  pipe(p);
  full_buffer("pipe", WRITE, p[0], p[1]);
  socketpair(AF_UNIX, SOCK_STREAM, 0, p);
  full_buffer("socketpair", WRITE, p[0], p[1]);
  pipe(p);
  full_buffer("pipe, writev", WRITEV, p[0], p[1]);
  socketpair(AF_UNIX, SOCK_STREAM, 0, p);
  full_buffer("socketpair, send", SEND, p[0], p[1]);
  socketpair(AF_UNIX, SOCK_STREAM, 0, p);
  full_buffer("socketpair, sendmsg", SENDMSG, p[0], p[1]);
  signal_waits();
  select_wait();
  lock_waits();
  connect_wait();
  return 0;
}
