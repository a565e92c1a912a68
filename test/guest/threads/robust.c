/*
 * Robust mutexes whose owner ends while holding them: the next locker gets EOWNERDEAD, makes the
 * mutex consistent and goes on. The owner is a thread that returns (exit), a thread that returns
 * while another thread is blocked in the lock, and a forked child process (a process-shared mutex
 * in shared memory) that exits, once with the parent blocked in the lock, that dies of a signal
 * (abort), and that replaces itself by execve. qemu-user does not serve set_robust_list, so this
 * is compared with the native kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t mutex;
static sem_t locked;

static void robust_init(pthread_mutex_t *m, int pshared) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  if (pshared) pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  int r = pthread_mutex_init(m, &a);
  if (r) printf("pthread_mutex_init: %s\n", strerror(r));
}

static const char *name(int r) { return r == 0 ? "0" : r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r); }

/* Locks after the owner died: EOWNERDEAD, then consistent, unlock, and a plain lock again. */
static void take_over(const char *what, pthread_mutex_t *m, int r) {
  int consistent = r == EOWNERDEAD ? pthread_mutex_consistent(m) : -1;
  int unlocked = pthread_mutex_unlock(m);
  int again = pthread_mutex_lock(m);
  pthread_mutex_unlock(m);
  printf("%s: lock %s, consistent %d, unlock %d, lock again %s\n", what, name(r), consistent, unlocked, name(again));
}

static void *lock_and_return(void *arg) {
  int hold = *(int *)arg;
  pthread_mutex_lock(&mutex);
  if (hold) {
    sem_post(&locked);
    usleep(30000);
  }
  return NULL;
}

/* How the owner process ends while holding the lock. */
enum ending { EXIT, EXIT_WHILE_WAITED, ABORT, EXEC };

static const char *const ENDINGS[] = {
  "owner process exited", "owner process exited while the parent waited", "owner process died of SIGABRT",
  "owner process replaced itself by execve",
};

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  robust_init(&mutex, 0);
  sem_init(&locked, 0, 0);

  int hold = 0;
  pthread_t t;
  pthread_create(&t, NULL, lock_and_return, &hold);
  pthread_join(t, NULL);
  take_over("owner thread ended", &mutex, pthread_mutex_lock(&mutex));

  hold = 1;
  pthread_create(&t, NULL, lock_and_return, &hold);
  sem_wait(&locked);
  int r = pthread_mutex_lock(&mutex);
  pthread_join(t, NULL);
  take_over("owner thread ended while main waited", &mutex, r);

  pthread_mutex_t *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  robust_init(shared, 1);
  for (enum ending how = EXIT; how <= EXEC; how++) {
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
      pthread_mutex_lock(shared);
      write(p[1], "l", 1);
      if (how == EXIT_WHILE_WAITED) usleep(30000);
      if (how == ABORT) {
        /* The emulator's report of the signal (QEMU's too) would go to stderr. */
        dup2(open("/dev/null", O_WRONLY), 2);
        abort();
      }
      /* A host program (tsemu runs it natively): the exec itself is what is looked at. */
      if (how == EXEC) execl("/bin/true", "true", (char *)NULL);
      _exit(0);
    }
    char c;
    read(p[0], &c, 1);
    int status = 0;
    if (how != EXIT_WHILE_WAITED) waitpid(child, &status, 0);
    r = pthread_mutex_lock(shared);
    if (how == EXIT_WHILE_WAITED) waitpid(child, &status, 0);
    if (how == ABORT) printf("owner process signalled %d by %d\n", WIFSIGNALED(status), WTERMSIG(status));
    take_over(ENDINGS[how], shared, r);
    close(p[0]);
    close(p[1]);
  }
  return 0;
}
