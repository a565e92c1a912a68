/*
 * POSIX threads (clone with CLONE_VM|CLONE_THREAD, futexes): workers sum disjoint ranges, a
 * mutex-protected counter, a condition variable hand-off, thread-local storage and join results.
 * Output depends only on the results, never on scheduling.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define WORKERS 4
#define PER 200000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread int tls_value = 7;

static void *worker(void *arg) {
  intptr_t id = (intptr_t)arg;
  uint64_t s = 0;
  for (uint64_t i = (uint64_t)id * PER; i < (uint64_t)(id + 1) * PER; i++) s += i * i % 1000003;
  tls_value += (int)id;
  for (int i = 0; i < 1000; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
  }
  pthread_mutex_lock(&lock);
  while (!ready) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  return (void *)(uintptr_t)(s ^ (uint64_t)tls_value);
}

int main(void) {
  pthread_t t[WORKERS];
  for (intptr_t i = 0; i < WORKERS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
  pthread_mutex_lock(&lock);
  ready = 1;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  uint64_t total = 0;
  for (int i = 0; i < WORKERS; i++) {
    void *r;
    pthread_join(t[i], &r);
    total += (uint64_t)(uintptr_t)r;
    printf("worker %d -> %llu\n", i, (unsigned long long)(uintptr_t)r);
  }
  printf("counter=%ld total=%llu main tls=%d\n", counter, (unsigned long long)total, tls_value);
  return 0;
}
