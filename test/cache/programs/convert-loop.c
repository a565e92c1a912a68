/*
 * Converts doubles to integers in a loop after reading the FP exception flags: on ppc64 the loop's
 * compiled code then calls a translator helper for each conversion (docs/ppc64.md, FPSCR).
 */
#include <fenv.h>
#include <stdio.h>

int main(void) {
  volatile double x = 0.25;
  long sum = fetestexcept(FE_ALL_EXCEPT);
  for (int i = 0; i < 20000; i++) sum += (long)(x * i);
  printf("%ld\n", sum);
  return 0;
}
