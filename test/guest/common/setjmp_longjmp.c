/*
 * Non-local jumps: setjmp/longjmp through nested frames (callee-saved integer and FP registers
 * must come back); with "signal", sigsetjmp/siglongjmp out of a signal handler, with and without
 * restoring the signal mask.
 * usage: setjmp_longjmp plain | signal
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf env;
static sigjmp_buf senv;

static __attribute__((noinline)) void deep(int n) {
  if (n == 0) longjmp(env, 42);
  deep(n - 1);
  __asm__ volatile("" ::: "memory");
}

static __attribute__((noinline)) double fp_work(double x) {
  /* Keeps values in callee-saved FP registers (d8-d15) across the call that jumps. */
  double a = x * 1.5, b = x * 2.5, c = x * 3.5, d = x * 4.5;
  deep(3);
  return a + b + c + d;
}

static void on_usr1(int sig) {
  (void)sig;
  siglongjmp(senv, 7);
}

static int blocked(int sig) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  return sigismember(&cur, sig);
}

static int plain(void) {
  volatile int counter = 0;
  register double keep = 0.125;
  int r = setjmp(env);
  counter++;
  if (r == 0) {
    printf("setjmp returned 0\n");
    deep(50);
  }
  printf("longjmp value %d counter %d keep %g\n", r, counter, keep);

  volatile double v = 1.0;
  int r2 = setjmp(env);
  if (r2 == 0) fp_work(v);
  printf("after fp longjmp %d v=%g\n", r2, v);

  /* longjmp(env, 0) makes setjmp return 1. */
  volatile int passes = 0;
  int r3 = setjmp(env);
  passes++;
  if (r3 == 0) longjmp(env, 0);
  printf("longjmp(env, 0) made setjmp return %d, passes %d\n", r3, passes);
  return 0;
}

static int with_signals(void) {
  signal(SIGUSR1, on_usr1);
  int s = sigsetjmp(senv, 1);
  if (s == 0) {
    printf("in sigsetjmp, usr1 blocked: %d\n", blocked(SIGUSR1));
    raise(SIGUSR1);
    printf("not reached\n");
  }
  printf("siglongjmp %d, usr1 blocked after mask restore: %d\n", s, blocked(SIGUSR1));

  s = sigsetjmp(senv, 0);
  if (s == 0) {
    raise(SIGUSR1);
    printf("not reached\n");
  }
  printf("siglongjmp without mask save %d, usr1 still blocked: %d\n", s, blocked(SIGUSR1));
  return 0;
}

int main(int argc, char **argv) {
  return argc > 1 && strcmp(argv[1], "signal") == 0 ? with_signals() : plain();
}
