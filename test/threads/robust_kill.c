/*
 * A process-shared robust mutex whose owner process is killed by SIGKILL while holding it: the
 * kernel releases it (FUTEX_OWNER_DIED) and the next locker gets EOWNERDEAD, makes it consistent
 * and uses it again. Modes: `main`, the child's first thread holds it; `main-mt`, the same with a
 * second thread alive in the locking parent; `thread`, a second thread of the child holds it.
 * Three more end the owner without SIGKILL: `thread-exit`, the child's second thread returns (ends
 * by pthread_exit) holding it; `thread-exit-group`, the child exits (exit_group) while its second
 * thread holds it; `thread-term`, as `thread` but the child dies of SIGTERM's default action. The lock is timed (3 s), so a lost release prints ETIMEDOUT instead of
 * hanging.
 */
#include <errno.h>
#include <stdlib.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t *mutex;
static int ready[2];

static void *lock_and_report(void *arg) {
  (void)arg;
  pthread_mutex_lock(mutex);
  if (write(ready[1], "x", 1) != 1) _exit(3);
  for (;;) pause();
  return NULL;
}

static void *lock_and_end(void *arg) {
  pthread_mutex_lock(mutex);
  if (write(*(int *)arg, "x", 1) != 1) _exit(3);
  return NULL;
}

/* The child's second thread locks and tells the first (through `locked`), which goes on. */
static void lock_in_thread(pthread_t *t) {
  int locked[2];
  char c;
  if (pipe(locked) != 0 || pthread_create(t, NULL, lock_and_end, &locked[1]) != 0 || read(locked[0], &c, 1) != 1) _exit(3);
}

static void *idle(void *arg) {
  char c;
  return read(*(int *)arg, &c, 1) < 0 ? NULL : arg;
}

static const char *name(int r) {
  return r == 0 ? "0" : r == EOWNERDEAD ? "EOWNERDEAD" : r == ETIMEDOUT ? "ETIMEDOUT" : strerror(r);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "main";
  mutex = mmap(NULL, sizeof *mutex, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(mutex, &a);
  if (pipe(ready) != 0) return 1;

  pid_t pid = fork();
  if (pid == 0) {
    if (strcmp(mode, "thread") == 0 || strcmp(mode, "thread-term") == 0) {
      pthread_t t;
      pthread_create(&t, NULL, lock_and_report, NULL);
      for (;;) pause();
    }
    if (strncmp(mode, "thread-exit", 11) == 0) {
      pthread_t t;
      lock_in_thread(&t);
      if (strcmp(mode, "thread-exit-group") == 0) {
        if (write(ready[1], "x", 1) != 1) _exit(3);
        exit(0);
      }
      pthread_join(t, NULL);
      if (write(ready[1], "x", 1) != 1) _exit(3);
      for (;;) pause();
    }
    lock_and_report(NULL);
  }
  char c;
  if (read(ready[0], &c, 1) != 1) printf("the child did not lock\n");
  int quit[2];
  pthread_t helper;
  if (pipe(quit) != 0) return 1;
  if (strcmp(mode, "main-mt") == 0) pthread_create(&helper, NULL, idle, &quit[0]);

  if (strcmp(mode, "thread-exit-group") != 0) kill(pid, strcmp(mode, "thread-term") == 0 ? SIGTERM : SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  printf("%s: child %s %d\n", mode, WIFSIGNALED(status) ? "killed by signal" : "exited", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));

  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 3;
  int r = pthread_mutex_timedlock(mutex, &deadline);
  printf("lock -> %s", name(r));
  if (r == EOWNERDEAD) printf(", consistent -> %s", name(pthread_mutex_consistent(mutex)));
  if (r == 0 || r == EOWNERDEAD) {
    printf(", unlock -> %s", name(pthread_mutex_unlock(mutex)));
    printf(", lock again -> %s", name(pthread_mutex_lock(mutex)));
    printf(", unlock -> %s", name(pthread_mutex_unlock(mutex)));
  }
  printf("\n");
  if (strcmp(mode, "main-mt") == 0) {
    close(quit[1]);
    pthread_join(helper, NULL);
  }
  return 0;
}
