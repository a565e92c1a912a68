/*
 * POSIX threads under load, every result checked and printed, nothing depending on scheduling:
 * 8 threads hammering a mutex-protected counter, an atomic counter and a spinlock; join return
 * values and thread-local storage; a thread blocked in read() on a pipe that another thread
 * writes; a producer/consumer over a condition variable with timed waits; a timed wait nobody
 * signals (ETIMEDOUT); and a thread that spins without syscalls until another sets a flag (which
 * only works if spinning threads are preempted).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t spin;
static long locked_counter;
static long spin_counter;
static atomic_long atomic_counter;
static __thread long tls_value;

static void *hammer(void *arg) {
  long id = (long)(intptr_t)arg;
  tls_value = id * 7;
  for (int i = 0; i < ROUNDS; i++) {
    pthread_mutex_lock(&lock);
    locked_counter++;
    pthread_mutex_unlock(&lock);
    atomic_fetch_add(&atomic_counter, 1);
    pthread_spin_lock(&spin);
    spin_counter++;
    pthread_spin_unlock(&spin);
    if (i % 1000 == 0) sched_yield();
  }
  /* Other threads ran in between; this thread's TLS is still its own. */
  return (void *)(intptr_t)(tls_value == id * 7 ? id * 100 + 1 : -1);
}

static void stress(void) {
  pthread_t t[THREADS];
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, hammer, (void *)(intptr_t)i);
  long joined = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(t[i], &r);
    joined += (long)(intptr_t)r;
  }
  printf("stress: mutex %ld atomic %ld spin %ld joined %ld main tls %ld\n", locked_counter,
         (long)atomic_load(&atomic_counter), spin_counter, joined, tls_value);
}

static int pipe_fds[2];

static void *reader(void *arg) {
  (void)arg;
  char buf[32] = {0};
  ssize_t n = read(pipe_fds[0], buf, sizeof buf - 1);
  printf("pipe: reader got %zd bytes: %s\n", n, buf);
  return NULL;
}

static void blocked_read(void) {
  pthread_t t;
  pipe(pipe_fds);
  pthread_create(&t, NULL, reader, NULL);
  usleep(50000);
  printf("pipe: main writes while the reader waits\n");
  fflush(stdout);
  write(pipe_fds[1], "hello", 5);
  pthread_join(t, NULL);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

#define ITEMS 200
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER;
static int queue[ITEMS];
static int qhead, qtail;

static void deadline_in(struct timespec *ts, long ns) {
  clock_gettime(CLOCK_REALTIME, ts);
  ts->tv_nsec += ns;
  ts->tv_sec += ts->tv_nsec / 1000000000;
  ts->tv_nsec %= 1000000000;
}

static void *consumer(void *arg) {
  (void)arg;
  long sum = 0;
  for (int got = 0; got < ITEMS;) {
    pthread_mutex_lock(&qlock);
    while (qhead == qtail) {
      struct timespec ts;
      deadline_in(&ts, 2000000);
      pthread_cond_timedwait(&qcond, &qlock, &ts);
    }
    sum += queue[qhead++];
    got++;
    pthread_mutex_unlock(&qlock);
  }
  return (void *)(intptr_t)sum;
}

static void producer_consumer(void) {
  pthread_t t;
  pthread_create(&t, NULL, consumer, NULL);
  for (int i = 0; i < ITEMS; i++) {
    pthread_mutex_lock(&qlock);
    queue[qtail++] = i * 3;
    pthread_cond_signal(&qcond);
    pthread_mutex_unlock(&qlock);
    if (i % 50 == 0) usleep(5000);
  }
  void *sum;
  pthread_join(t, &sum);
  printf("condvar: consumed sum %ld\n", (long)(intptr_t)sum);

  struct timespec ts, before, after;
  clock_gettime(CLOCK_MONOTONIC, &before);
  deadline_in(&ts, 30000000);
  pthread_mutex_lock(&qlock);
  int r = pthread_cond_timedwait(&qcond, &qlock, &ts);
  pthread_mutex_unlock(&qlock);
  clock_gettime(CLOCK_MONOTONIC, &after);
  long ms = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
  printf("condvar: unsignalled timed wait: %s, waited at least 25 ms: %d\n", r == ETIMEDOUT ? "ETIMEDOUT" : strerror(r), ms >= 25);
}

static volatile int flag;

static void *spinner(void *arg) {
  (void)arg;
  long spins = 0;
  while (!flag) spins++;
  return (void *)(intptr_t)(spins >= 0);
}

static void *setter(void *arg) {
  (void)arg;
  flag = 1;
  return NULL;
}

static void preemption(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, spinner, NULL);
  pthread_create(&b, NULL, setter, NULL);
  void *r;
  pthread_join(a, &r);
  pthread_join(b, NULL);
  printf("preemption: the spinner saw the flag: %ld\n", (long)(intptr_t)r);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  stress();
  blocked_read();
  producer_consumer();
  preemption();
  return 0;
}
