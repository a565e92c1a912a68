/*
 * Timer signals and interrupted syscalls: alarm() and a periodic ITIMER_REAL delivered to a
 * handler while the program makes syscalls, getitimer of an armed and a disarmed timer, a blocking
 * read interrupted by SIGALRM with SA_RESTART (restarted: the handler writes the byte it then reads)
 * and without (EINTR), pause() ending with EINTR even under SA_RESTART (never restarted), sigqueue() to itself (SI_QUEUE and the value), and SIGALRM's default action.
 * "spin": the timer must interrupt a loop that makes no syscall.
 * usage: timers run | default | spin
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int ticks, queued_value, queued_code;
static int fds[2];

static void on_tick(int sig) { (void)sig; ticks++; }
static void on_alarm_write(int sig) {
  (void)sig;
  ticks++;
  if (write(fds[1], "x", 1) != 1) ticks = -100;
}
static volatile int queued_order;
static void on_queued(int sig, siginfo_t *info, void *uc) {
  (void)sig;
  (void)uc;
  queued_code = info->si_code;
  queued_value = info->si_value.sival_int;
  queued_order = queued_order * 10 + queued_value;
}

static void wait_ticks(int n) {
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  do {
    getppid();
    clock_gettime(CLOCK_MONOTONIC, &now);
  } while (ticks < n && now.tv_sec - start.tv_sec < 5);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "default") == 0) {
    alarm(1);
    printf("waiting for SIGALRM\n");
    fflush(stdout);
    for (;;) pause();
  }
  signal(SIGALRM, on_tick);
  if (argc > 1 && strcmp(argv[1], "spin") == 0) {
    struct itimerval soon = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &soon, NULL);
    while (!ticks) {
    }
    printf("spinning loop interrupted: ticks %d\n", ticks);
    return 0;
  }
  printf("alarm(5) returns %u, then alarm(0) returns %u\n", alarm(5), alarm(0));
  alarm(1);
  wait_ticks(1);
  printf("alarm ticks %d\n", ticks);

  struct itimerval it = {{0, 20000}, {0, 20000}}, cur;
  ticks = 0;
  setitimer(ITIMER_REAL, &it, NULL);
  getitimer(ITIMER_REAL, &cur);
  printf("armed: interval %ld us, value in (0, 20000] %d\n", (long)cur.it_interval.tv_usec,
         cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 20000 && cur.it_value.tv_sec == 0);
  wait_ticks(3);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  getitimer(ITIMER_REAL, &cur);
  printf("periodic ticks >= 3: %d, disarmed %d\n", ticks >= 3,
         cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 && cur.it_interval.tv_usec == 0);
  struct itimerval bad = {{0, 0}, {0, 1000000}};
  printf("usec 1000000 rejected: %d %s\n", setitimer(ITIMER_REAL, &bad, NULL), strerror(errno));

  if (pipe(fds) != 0) return 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm_write;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  /* Long enough that the expiry comes after the blocking call starts even when the emulator (or a
     loaded machine) stalls between setitimer and the call: an earlier expiry runs the handler first
     and leaves pause() or the last read waiting forever, under Linux too. */
  struct itimerval once = {{0, 0}, {0, 300000}};
  ticks = 0;
  setitimer(ITIMER_REAL, &once, NULL);
  char c = 0;
  ssize_t n = read(fds[0], &c, 1);
  printf("SA_RESTART read: %zd '%c' ticks %d\n", n, c, ticks);
  sa.sa_flags = 0;
  sigaction(SIGALRM, &sa, NULL);
  setitimer(ITIMER_REAL, &once, NULL);
  n = read(fds[0], &c, 1);
  printf("read without SA_RESTART: %zd %s\n", n, n < 0 ? strerror(errno) : "");
  n = read(fds[0], &c, 1);
  printf("the handler's byte is still there: %zd '%c'\n", n, c);

  sa.sa_handler = on_tick;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  ticks = 0;
  setitimer(ITIMER_REAL, &once, NULL);
  int r = pause();
  printf("pause under SA_RESTART: %d %s ticks %d\n", r, strerror(errno), ticks);

  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_queued;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGRTMIN + 1, &sa, NULL);
  union sigval v = {.sival_int = 4242};
  printf("sigqueue: %d\n", sigqueue(getpid(), SIGRTMIN + 1, v));
  printf("queued: code %d (SI_QUEUE=%d) value %d\n", queued_code, SI_QUEUE, queued_value);
  /* Real-time signals queue every instance, delivered in the order sent. */
  sigset_t rt, old;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &rt, &old);
  queued_order = 0;
  for (int i = 1; i <= 3; i++) {
    union sigval each = {.sival_int = i};
    sigqueue(getpid(), SIGRTMIN + 1, each);
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("three queued real-time signals delivered in order: %d\n", queued_order);
  return 0;
}
