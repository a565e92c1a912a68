/*
 * POSIX timers: timer_create with SIGEV_SIGNAL (the handler's si_code, si_value, si_timerid),
 * SIGEV_NONE (timer_gettime only), SIGEV_THREAD (glibc runs the function on a helper thread it
 * signals with SIGEV_THREAD_ID), a NULL sigevent (SIGALRM carrying the id), periodic timers,
 * expiries merged into one pending signal (si_overrun, timer_getoverrun), absolute CLOCK_REALTIME
 * times, a CPU-time clock, timer_delete, a forked child without its parent's timers, and the
 * errors for bad ids, clocks (EOPNOTSUPP for a clock without timers), sigevents and itimerspecs.
 * Waits (nanosleep, poll, select, epoll_wait, a futex wait, semtimedop) under a periodic timer
 * whose signal is blocked end at their time, uninterrupted.
 * Then setitimer's CPU-time timers: ITIMER_VIRTUAL (SIGVTALRM) and ITIMER_PROF (SIGPROF) expire
 * in a loop that makes no syscalls, and getitimer reads them back.
 * Timer ids are not printed: QEMU hands the guest ids of its own making.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got, got_code, got_value, got_overrun;

static void on_timer(int sig, siginfo_t *info, void *uc) {
  (void)uc;
  got = sig;
  got_code = info->si_code;
  got_value = info->si_value.sival_int;
  got_overrun = info->si_overrun;
}

static void arm(timer_t t, long long value_ns, long long interval_ns, int flags) {
  struct itimerspec its = { { interval_ns / 1000000000, interval_ns % 1000000000 }, { value_ns / 1000000000, value_ns % 1000000000 } };
  if (timer_settime(t, flags, &its, NULL) != 0) printf("timer_settime: %s\n", strerror(errno));
}

static void wait_for(volatile sig_atomic_t *flag) {
  for (int i = 0; i < 5000 && !*flag; i++) {
    struct timespec ms = { 0, 1000000 };
    nanosleep(&ms, NULL);
  }
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int thread_calls, thread_value;

static void on_thread(union sigval v) {
  pthread_mutex_lock(&lock);
  thread_calls++;
  thread_value = v.sival_int;
  pthread_cond_signal(&cond);
  pthread_mutex_unlock(&lock);
}

int main(void) {
  int r;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_timer;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGRTMIN, &sa, NULL);
  sigaction(SIGALRM, &sa, NULL);

  /* SIGEV_SIGNAL, one shot. */
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGRTMIN;
  sev.sigev_value.sival_int = 1234;
  timer_t t1;
  printf("create: %d\n", timer_create(CLOCK_MONOTONIC, &sev, &t1));
  struct itimerspec cur;
  timer_gettime(t1, &cur);
  printf("disarmed: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
  arm(t1, 10000000000, 0, 0);
  timer_gettime(t1, &cur);
  printf("armed: left in [9 s, 10 s): %d, interval %ld\n", cur.it_value.tv_sec == 9, cur.it_interval.tv_nsec);
  arm(t1, 20000000, 0, 0);
  wait_for(&got);
  printf("signal %d code %d (SI_TIMER %d) value %d overrun %d\n", got == SIGRTMIN, got_code, SI_TIMER, got_value, got_overrun);
  timer_gettime(t1, &cur);
  printf("after expiry: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);

  /* Periodic, with the signal blocked: expiries merge into one pending signal. */
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &rt, NULL);
  arm(t1, 1000000, 1000000, 0);
  /* Its expiries interrupt no wait: each ends at its time (none would before its signal is taken). */
  struct timespec sleep30 = { 0, 30000000 };
  printf("under a blocked periodic timer: nanosleep %d", nanosleep(&sleep30, NULL));
  printf(", poll %d", poll(NULL, 0, 20));
  struct timeval tv20 = { 0, 20000 };
  printf(", select %d", select(0, NULL, NULL, NULL, &tv20));
  int ep = epoll_create1(0);
  struct epoll_event ev;
  printf(", epoll_wait %d", epoll_wait(ep, &ev, 1, 20));
  close(ep);
  int word = 0;
  struct timespec wait20 = { 0, 20000000 };
  long fr = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &wait20, NULL, 0);
  printf(", futex %ld %s", fr, fr < 0 ? strerror(errno) : "");
  int sem = semget(IPC_PRIVATE, 1, 0600);
  struct sembuf down = { 0, -1, 0 };
  int sr = semtimedop(sem, &down, 1, &wait20);
  printf(", semtimedop %d %s\n", sr, sr < 0 ? strerror(errno) : "");
  semctl(sem, 0, IPC_RMID);
  siginfo_t si;
  int sig = sigwaitinfo(&rt, &si);
  printf("sigwaitinfo %d code %d value %d overrun > 5: %d\n", sig == SIGRTMIN, si.si_code, si.si_value.sival_int, si.si_overrun > 5);
  printf("timer_getoverrun matches: %d\n", timer_getoverrun(t1) == si.si_overrun);
  arm(t1, 0, 0, 0);
  /* An expiry may have queued the signal again before the timer was disarmed. */
  struct timespec zero = { 0, 0 };
  while (sigtimedwait(&rt, &si, &zero) == SIGRTMIN) {}
  sigprocmask(SIG_UNBLOCK, &rt, NULL);

  /* SIGEV_NONE: nothing is sent; the time left runs down to 0. */
  timer_t t2;
  sev.sigev_notify = SIGEV_NONE;
  r = timer_create(CLOCK_REALTIME, &sev, &t2);
  printf("create none: %d, distinct id: %d\n", r, t2 != t1);
  got = 0;
  arm(t2, 5000000, 0, 0);
  struct timespec sleep10 = { 0, 10000000 };
  nanosleep(&sleep10, NULL);
  timer_gettime(t2, &cur);
  printf("none expired: %ld %ld, signal %d\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec, got);

  /* Absolute CLOCK_REALTIME time, a NULL sigevent (SIGALRM, value = the timer id). */
  timer_t t3;
  printf("create null sigevent: %d\n", timer_create(CLOCK_REALTIME, NULL, &t3));
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  now.tv_nsec += 15000000;
  if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
  struct itimerspec abs = { { 0, 0 }, now };
  got = 0;
  printf("absolute: %d\n", timer_settime(t3, TIMER_ABSTIME, &abs, NULL));
  wait_for(&got);
  printf("alarm %d code %d value is &t3 %d\n", got == SIGALRM, got_code, got_value == (int)(long)&t3);

  /* A time already past fires at once. */
  got = 0;
  abs.it_value.tv_sec -= 10;
  timer_settime(t3, TIMER_ABSTIME, &abs, NULL);
  wait_for(&got);
  printf("past absolute time fired: %d\n", got == SIGALRM);

  /* The process CPU-time clock. */
  timer_t t4;
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_value.sival_int = 77;
  printf("create cputime: %d\n", timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &t4));
  got = 0;
  arm(t4, 10000000, 0, 0);
  volatile unsigned long spin = 0;
  while (!got) spin++;
  printf("cpu timer value %d\n", got_value);

  /* SIGEV_THREAD: glibc calls the function on its helper thread. */
  timer_t t5;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD;
  sev.sigev_notify_function = on_thread;
  sev.sigev_value.sival_int = 99;
  printf("create thread: %d\n", timer_create(CLOCK_MONOTONIC, &sev, &t5));
  arm(t5, 5000000, 0, 0);
  pthread_mutex_lock(&lock);
  while (thread_calls == 0) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  printf("thread function: calls %d value %d\n", thread_calls, thread_value);

  /* A forked child has none of the timers. */
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    errno = 0;
    r = timer_gettime(t1, &cur);
    printf("child: gettime %d %s\n", r, strerror(errno));
    fflush(stdout);
    _exit(0);
  }
  waitpid(child, NULL, 0);

  /* Deleting; errors. */
  printf("delete: %d %d %d %d\n", timer_delete(t1), timer_delete(t2), timer_delete(t3), timer_delete(t4));
  errno = 0;
  r = timer_gettime(t1, &cur);
  printf("gettime deleted: %d %s\n", r, strerror(errno));
  errno = 0;
  r = timer_delete(t1);
  printf("delete again: %d %s\n", r, strerror(errno));
  errno = 0;
  r = timer_getoverrun(t1);
  printf("overrun of deleted: %d %s\n", r, strerror(errno));
  timer_t bad;
  errno = 0;
  r = timer_create(CLOCK_MONOTONIC_RAW, NULL, &bad);
  printf("bad clock: %d %s\n", r, strerror(errno));
  errno = 0;
  r = timer_create(99, NULL, &bad);
  printf("bad clock 99: %d %s\n", r, strerror(errno));
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = 0;
  errno = 0;
  r = timer_create(CLOCK_MONOTONIC, &sev, &bad);
  printf("bad signal: %d %s\n", r, strerror(errno));
  sev.sigev_notify = 77;
  sev.sigev_signo = SIGUSR1;
  errno = 0;
  r = timer_create(CLOCK_MONOTONIC, &sev, &bad);
  printf("bad notify: %d %s\n", r, strerror(errno));
  sev.sigev_notify = SIGEV_SIGNAL;
  timer_t t6;
  printf("create: %d\n", timer_create(CLOCK_MONOTONIC, &sev, &t6));
  struct itimerspec badspec = { { 0, 0 }, { 0, 1000000000 } };
  errno = 0;
  r = timer_settime(t6, 0, &badspec, NULL);
  printf("bad nsec: %d %s\n", r, strerror(errno));
  badspec.it_value.tv_nsec = 0;
  badspec.it_value.tv_sec = -1;
  errno = 0;
  r = timer_settime(t6, 0, &badspec, NULL);
  printf("negative sec: %d %s\n", r, strerror(errno));
  struct itimerspec old, one = { { 1, 0 }, { 5, 0 } };
  timer_settime(t6, 0, &one, NULL);
  timer_settime(t6, 0, &(struct itimerspec){ { 0, 0 }, { 0, 0 } }, &old);
  printf("old setting: value ~5 s %d, interval %ld.%09ld\n", old.it_value.tv_sec == 4 || old.it_value.tv_sec == 5, (long)old.it_interval.tv_sec, old.it_interval.tv_nsec);
  printf("delete thread timer: %d\n", timer_delete(t5));

  /* setitimer's CPU-time timers. */
  sigaction(SIGVTALRM, &sa, NULL);
  sigaction(SIGPROF, &sa, NULL);
  int which[2] = { ITIMER_VIRTUAL, ITIMER_PROF };
  for (int i = 0; i < 2; i++) {
    /* Linux reports CPU itimers rounded up to its tick: only "armed" is printed. */
    struct itimerval it = { { 0, 0 }, { 0, 20000 } }, back;
    got = 0;
    r = setitimer(which[i], &it, NULL);
    getitimer(which[i], &back);
    printf("setitimer %d: %d, armed %d\n", which[i], r, back.it_value.tv_sec > 0 || back.it_value.tv_usec > 0);
    while (!got) spin++;
    getitimer(which[i], &back);
    printf("signal %s code %d, then %ld %ld\n", got == SIGVTALRM ? "SIGVTALRM" : got == SIGPROF ? "SIGPROF" : "other", got_code, (long)back.it_value.tv_sec, (long)back.it_value.tv_usec);
  }
  struct itimerval none;
  errno = 0;
  r = getitimer(3, &none);
  printf("getitimer 3: %d %s\n", r, strerror(errno));
  return 0;
}
