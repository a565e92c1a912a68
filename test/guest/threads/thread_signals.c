/*
 * Signals and process operations with several threads, each result printed as a fact that does
 * not depend on scheduling: pthread_kill reaches the one thread it names (its handler sets that
 * thread's TLS flag); a signal sent to the process goes to the thread that does not block it; each
 * thread keeps a signal it raised while blocking it, for its sigwait; a thread has its own
 * alternate signal stack; thread ids differ while the pid is shared; fork in a
 * threaded process gives a child with one thread; and the process lives on after the main
 * thread's pthread_exit until its last thread returns. With the argument "cancel", pthread_cancel
 * ends a thread blocked in a cancellation point; with "fork-thread", the child of a fork in a
 * threaded process makes a thread of its own (which qemu-user 7.2 cannot do); with "exec", a
 * thread replaces the process by /bin/echo while the main thread waits in pause().
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 3

static __thread volatile sig_atomic_t got_usr1;
static __thread volatile sig_atomic_t got_usr2;
static volatile int stop;
static pthread_barrier_t barrier;

static void on_usr1(int sig) { (void)sig; got_usr1 = 1; }
static void on_usr2(int sig) { (void)sig; got_usr2 = 1; }

static void *waiter(void *arg) {
  (void)arg;
  pthread_barrier_wait(&barrier);
  for (int i = 0; i < 2000 && !stop; i++) usleep(1000);
  return (void *)(intptr_t)(got_usr1 * 1 + got_usr2 * 2);
}

static void directed_signals(void) {
  signal(SIGUSR1, on_usr1);
  signal(SIGUSR2, on_usr2);
  pthread_t t[WORKERS];
  pthread_barrier_init(&barrier, NULL, WORKERS + 1);
  for (int i = 0; i < WORKERS; i++) pthread_create(&t[i], NULL, waiter, NULL);
  pthread_barrier_wait(&barrier);
  /* SIGUSR1 to worker 1 only; SIGUSR2 to the process while every thread but worker 2 blocks it. */
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &usr2, NULL);
  pthread_kill(t[1], SIGUSR1);
  usleep(20000);
  stop = 1;
  int results[WORKERS];
  for (int i = 0; i < WORKERS; i++) {
    void *r;
    pthread_join(t[i], &r);
    results[i] = (int)(intptr_t)r;
  }
  printf("pthread_kill: worker flags %d %d %d, main %d\n", results[0], results[1], results[2], (int)got_usr1);
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
}

/* Unblocks SIGUSR2 and waits up to `arg` ms for it: whether it took it. */
static void *usr2_taker(void *arg) {
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
  pthread_barrier_wait(&barrier);
  for (intptr_t i = 0; i < (intptr_t)arg && !got_usr2; i++) usleep(1000);
  return (void *)(intptr_t)got_usr2;
}

/* Blocks SIGUSR2 (`usr2`) in the calling thread and starts a usr2_taker waiting `ms` ms, once it
   has unblocked it. */
static pthread_t start_usr2_taker(sigset_t *usr2, intptr_t ms) {
  sigemptyset(usr2);
  sigaddset(usr2, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, usr2, NULL);
  pthread_barrier_init(&barrier, NULL, 2);
  pthread_t t;
  pthread_create(&t, NULL, usr2_taker, (void *)ms);
  pthread_barrier_wait(&barrier);
  return t;
}

static void process_signal(void) {
  sigset_t usr2;
  pthread_t t = start_usr2_taker(&usr2, 2000);
  kill(getpid(), SIGUSR2);
  void *r;
  pthread_join(t, &r);
  sigset_t pending;
  sigpending(&pending);
  printf("kill to the process: taken by the unblocking thread %d, main %d, still pending %d\n", (int)(intptr_t)r,
         (int)got_usr2, sigismember(&pending, SIGUSR2));
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
}

/* raise() while the thread blocks the signal: it stays that thread's, for its sigwait, even though
   another thread does not block it. */
static void raise_blocked(void) {
  sigset_t usr2;
  pthread_t t = start_usr2_taker(&usr2, 200);
  raise(SIGUSR2);
  usleep(50000);
  sigset_t pending;
  sigpending(&pending);
  int taken = sigwaitinfo(&usr2, NULL);
  void *r;
  pthread_join(t, &r);
  printf("raise while blocked: pending %d, taken by the other thread %d, by sigwait %d\n",
         sigismember(&pending, SIGUSR2), (int)(intptr_t)r, taken);
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
}

static char *alt_base;
static volatile int on_alt;

static void on_alt_signal(int sig) {
  (void)sig;
  char here;
  on_alt = &here >= alt_base && &here < alt_base + SIGSTKSZ * 4;
}

static void *alt_thread(void *arg) {
  (void)arg;
  stack_t ss = {.ss_sp = alt_base, .ss_size = SIGSTKSZ * 4, .ss_flags = 0};
  sigaltstack(&ss, NULL);
  raise(SIGWINCH);
  stack_t now;
  sigaltstack(NULL, &now);
  return (void *)(intptr_t)(now.ss_flags == 0 && now.ss_sp == alt_base);
}

static void alternate_stacks(void) {
  alt_base = malloc(SIGSTKSZ * 4);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alt_signal;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGWINCH, &sa, NULL);
  pthread_t t;
  pthread_create(&t, NULL, alt_thread, NULL);
  void *own;
  pthread_join(t, &own);
  stack_t main_ss;
  sigaltstack(NULL, &main_ss);
  printf("sigaltstack: handler ran on the thread's stack %d, thread saw its own %d, main's disabled %d\n", on_alt,
         (int)(intptr_t)own, (main_ss.ss_flags & SS_DISABLE) != 0);
}

static void *sleeper(void *arg) {
  (void)arg;
  for (;;) sleep(1);
  return NULL;
}

static void cancellation(void) {
  pthread_t t;
  pthread_create(&t, NULL, sleeper, NULL);
  usleep(10000);
  pthread_cancel(t);
  void *r;
  pthread_join(t, &r);
  printf("pthread_cancel: joined with PTHREAD_CANCELED %d\n", r == PTHREAD_CANCELED);
}

static long tids[2];

static void *record_tid(void *arg) {
  tids[(intptr_t)arg] = syscall(SYS_gettid);
  return (void *)(intptr_t)getpid();
}

static void identities(void) {
  pthread_t t[2];
  void *pids[2];
  for (intptr_t i = 0; i < 2; i++) pthread_create(&t[i], NULL, record_tid, (void *)i);
  for (int i = 0; i < 2; i++) pthread_join(t[i], &pids[i]);
  long main_tid = syscall(SYS_gettid);
  printf("ids: main tid is the pid %d, thread tids distinct %d, same pid %d\n", main_tid == getpid(),
         tids[0] != tids[1] && tids[0] != main_tid && tids[1] != main_tid,
         (intptr_t)pids[0] == getpid() && (intptr_t)pids[1] == getpid());
}

static int gate[2];

static void *gated(void *arg) {
  (void)arg;
  char c;
  return (void *)(intptr_t)read(gate[0], &c, 1);
}

static void *answer(void *arg) {
  (void)arg;
  return (void *)(intptr_t)42;
}

static void fork_with_threads(int child_makes_thread) {
  pipe(gate);
  pthread_t t;
  pthread_create(&t, NULL, gated, NULL);
  usleep(10000);
  pid_t child = fork();
  if (child == 0) {
    if (child_makes_thread) {
      pthread_t c;
      void *r;
      pthread_create(&c, NULL, answer, NULL);
      pthread_join(c, &r);
      printf("fork: the child made and joined a thread: %ld\n", (long)(intptr_t)r);
    }
    printf("fork: the child's tid is its pid %d\n", syscall(SYS_gettid) == getpid());
    fflush(stdout);
    _exit(7);
  }
  int status;
  waitpid(child, &status, 0);
  write(gate[1], "x", 1);
  void *n;
  pthread_join(t, &n);
  printf("fork: child exit %d; the parent's reader read %ld byte\n", WEXITSTATUS(status), (long)(intptr_t)n);
}

static void *exec_echo(void *arg) {
  (void)arg;
  char *argv[] = {"/bin/echo", "execve: a thread replaced the process", NULL};
  execv(argv[0], argv);
  perror("execv");
  exit(1);
}

static void *last_one(void *arg) {
  (void)arg;
  usleep(20000);
  printf("pthread_exit: a thread outlives the main thread\n");
  return NULL;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && strcmp(argv[1], "fork-thread") == 0) {
    fork_with_threads(1);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "exec") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, exec_echo, NULL);
    for (;;) pause();
  }
  if (argc > 1 && strcmp(argv[1], "cancel") == 0) {
    cancellation();
    return 0;
  }
  directed_signals();
  process_signal();
  raise_blocked();
  alternate_stacks();
  identities();
  fork_with_threads(0);
  pthread_t t;
  pthread_create(&t, NULL, last_one, NULL);
  pthread_exit(NULL);
}
