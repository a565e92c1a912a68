/* A debuggee with guest threads: main starts one worker at a time and joins it, so each stop at
   work() has exactly two threads, main waiting in pthread_join and the worker. */
#include <pthread.h>
#include <stdio.h>

static int done;

static void *work(void *arg) {
  int id = (int)(long)arg;
  done += id;
  return arg;
}

int main(void) {
  for (long id = 1; id <= 2; id++) {
    pthread_t t;
    pthread_create(&t, NULL, work, (void *)id);
    pthread_join(t, NULL);
  }
  printf("done=%d\n", done);
  return done;
}
