/*
 * System calls that block a thread while another one runs, for -strace: the main thread waits on a
 * condition variable (a futex wait) until a second thread, after a 20 ms nanosleep, signals it; the
 * main thread then joins it.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready;

static void *worker(void *arg) {
  struct timespec pause = {0, 20000000};
  nanosleep(&pause, NULL);
  pthread_mutex_lock(&mutex);
  ready = 1;
  pthread_cond_signal(&cond);
  pthread_mutex_unlock(&mutex);
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_mutex_lock(&mutex);
  while (!ready) pthread_cond_wait(&cond, &mutex);
  pthread_mutex_unlock(&mutex);
  pthread_join(t, NULL);
  printf("done\n");
  return 0;
}
