/*
 * The FPSCR moves of Power ISA 3.0 that glibc's libm uses on ppc64le (fesetround, fegetenv):
 * mffscrni and mffscrn (return the control bits, set the rounding mode; the quotient 1/3 shows
 * which mode is in force), mffsl (controls and non-sticky status only) and mffsce (returns FPSCR,
 * clears the exception enables).
 */
#include <stdio.h>

#include "fpscr.h"

static volatile double one = 1.0, three = 3.0;

static void show(const char *what, double returned) {
  double q = one / three;
  printf("%s: returned %016llx, fpscr %08llx, 1/3 %016llx\n", what, (unsigned long long)bits(returned),
         (unsigned long long)(fpscr() & 0xffffffffu), (unsigned long long)bits(q));
}

int main(void) {
  double r;
  __asm__ volatile("mffscrni %0, 1" : "=d"(r)::"memory");
  show("mffscrni 1", r);
  __asm__ volatile("mffscrni %0, 2" : "=d"(r)::"memory");
  show("mffscrni 2", r);
  __asm__ volatile("mffscrni %0, 3" : "=d"(r)::"memory");
  show("mffscrni 3", r);
  __asm__ volatile("mffscrni %0, 0" : "=d"(r)::"memory");
  show("mffscrni 0", r);
  uint64_t mode = 0xfffffffffffffffeull;
  double reg;
  memcpy(&reg, &mode, 8);
  __asm__ volatile("mffscrn %0, %1" : "=d"(r) : "d"(reg) : "memory");
  show("mffscrn 2", r);
  __asm__ volatile("mffsl %0" : "=d"(r)::"memory");
  show("mffsl", r);
  __asm__ volatile("mtfsb1 25\n\tmtfsb1 27" ::: "memory"); /* OE, ZE: no overflow or zero divide is pending */
  __asm__ volatile("mffsce %0" : "=d"(r)::"memory");
  show("mffsce", r);
  return 0;
}
