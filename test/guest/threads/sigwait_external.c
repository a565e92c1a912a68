/*
 * A signal from another process that the guest blocks while leaving it at SIG_DFL: sigwait takes
 * it (in the main thread, or with `thread` in a second thread while the main thread joins it),
 * it never kills the process. Prints "ready" when it waits; the test then sends SIGUSR1 and the
 * program reports what sigwait returned and that nothing stays pending.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigset_t usr1;

static void *wait_usr1(void *arg) {
  (void)arg;
  int sig = 0;
  int r = sigwait(&usr1, &sig);
  return (void *)(intptr_t)(r == 0 ? sig : -r);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  printf("ready\n");
  void *got;
  if (argc > 1 && strcmp(argv[1], "thread") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, wait_usr1, NULL);
    pthread_join(t, &got);
  } else {
    got = wait_usr1(NULL);
  }
  printf("sigwait: %d (SIGUSR1 %d)\n", (int)(intptr_t)got, SIGUSR1);
  sigset_t pending;
  sigpending(&pending);
  printf("still pending after: %d\n", sigismember(&pending, SIGUSR1));
  return 0;
}
