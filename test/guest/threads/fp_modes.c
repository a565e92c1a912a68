/*
 * Threads in different floating-point environments running the same code, switched after every
 * round: one rounds toward zero, one upward, one to nearest after reading the exception flags, one
 * never touches its environment. Translated code may assume facts of the FP state (a rounding
 * mode; on ppc64, whether FPSCR was ever read, as Go's asyncPreempt does), so a thread switch must
 * give each thread code made for its own state. Each thread's results are printed after the join,
 * so the output does not depend on scheduling. (The flags read are not printed: tsemu's arm and
 * aarch64 leave the inexact flag clear in round-to-nearest, a known gap of docs/arm.md.)
 */
#include <fenv.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS 400

struct worker {
  const char *name;
  int mode; /* a rounding mode, or -1: leave the environment alone */
  int read_flags;
  double sum;
  double product;
};

/* The same code for every thread: divisions and products whose rounding shows in the result. */
static __attribute__((noinline)) void accumulate(volatile double *sum, volatile double *product, int i) {
  *sum += 1.0 / (double)(3 + i % 7);
  *product *= 1.0 + 1.0 / (double)(11 + i % 5);
  if (*product > 1e6) *product /= 1e6;
}

static void *run(void *arg) {
  struct worker *w = arg;
  volatile double sum = 0.0;
  volatile double product = 1.0;
  if (w->mode >= 0) fesetround(w->mode);
  if (w->read_flags) {
    volatile int flags = fetestexcept(FE_ALL_EXCEPT);
    (void)flags;
  }
  for (int i = 0; i < ROUNDS; i++) {
    accumulate(&sum, &product, i);
    sched_yield();
  }
  w->sum = sum;
  w->product = product;
  return NULL;
}

static uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

int main(void) {
  struct worker workers[] = {
#ifdef FE_TOWARDZERO
    {"toward zero", FE_TOWARDZERO, 0, 0, 0},
#endif
#ifdef FE_UPWARD
    {"upward", FE_UPWARD, 0, 0, 0},
#endif
    {"nearest, flags read", FE_TONEAREST, 1, 0, 0},
    {"untouched", -1, 0, 0, 0},
  };
  enum { COUNT = sizeof workers / sizeof workers[0] };
  pthread_t threads[COUNT];
  for (int i = 0; i < COUNT; i++) pthread_create(&threads[i], NULL, run, &workers[i]);
  for (int i = 0; i < COUNT; i++) pthread_join(threads[i], NULL);
  for (int i = 0; i < COUNT; i++) {
    printf("%s: sum %016llx product %016llx\n", workers[i].name, (unsigned long long)bits(workers[i].sum),
           (unsigned long long)bits(workers[i].product));
  }
  return 0;
}
