/*
 * IEEE 754 edge cases: NaN generation and propagation (printed as bit patterns, since the default
 * NaN's sign is an architecture fact), infinities, signed zeros, subnormals, fmin/fmax, fma,
 * the four rounding modes set with fesetround, and the exception flags seen by fetestexcept.
 * Built with -frounding-math so the compiler keeps every operation for run time.
 * usage: fp_edge values | flags | rounding
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static double from_bits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* Operands live in volatile globals so every operation happens at run time. */
static volatile double zero = 0.0, nzero = -0.0, one = 1.0, three = 3.0, inf = INFINITY;
static volatile double big = DBL_MAX, tiny = DBL_MIN;
static volatile double qnan, snan, nqnan;

static void flags(const char *what) {
  int f = fetestexcept(FE_ALL_EXCEPT);
  printf("%-22s flags:%s%s%s%s%s\n", what, f & FE_INVALID ? " invalid" : "",
         f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_OVERFLOW ? " overflow" : "",
         f & FE_UNDERFLOW ? " underflow" : "", f & FE_INEXACT ? " inexact" : "");
  feclearexcept(FE_ALL_EXCEPT);
}

static void values(void) {

  printf("0/0 %016llx\n", (unsigned long long)bits(zero / zero));
  printf("inf-inf %016llx\n", (unsigned long long)bits(inf - inf));
  printf("0*inf %016llx\n", (unsigned long long)bits(zero * inf));
  printf("sqrt(-1) %016llx\n", (unsigned long long)bits(sqrt(-one)));
  printf("qnan+1 %016llx\n", (unsigned long long)bits(qnan + one));
  printf("1+nqnan %016llx\n", (unsigned long long)bits(one + nqnan));
  printf("snan+1 %016llx\n", (unsigned long long)bits(snan + one));
  printf("qnan+nqnan %016llx\n", (unsigned long long)bits(qnan + nqnan));
  printf("snan*qnan %016llx\n", (unsigned long long)bits(snan * qnan));
  printf("-qnan %016llx\n", (unsigned long long)bits(-qnan));
  printf("fabs(nqnan) %016llx\n", (unsigned long long)bits(fabs(nqnan)));
  printf("(float)qnan %08x (float)snan %08x\n", fbits((float)qnan), fbits((float)snan));
  printf("(double)(float nan) %016llx\n", (unsigned long long)bits((double)(float)nqnan));
  printf("nan==nan %d nan<1 %d nan!=nan %d isnan %d\n", qnan == qnan, qnan < one, qnan != qnan,
         isnan(qnan));
  printf("fmin(nan,1) %g fmax(1,nan) %g fmin(-0,0) %016llx fmax(-0,0) %016llx\n",
         fmin(qnan, one), fmax(one, qnan), (unsigned long long)bits(fmin(nzero, zero)),
         (unsigned long long)bits(fmax(nzero, zero)));
  printf("1/0 %g 1/-0 %g -1/0 %g inf*-1 %g inf+inf %g\n", one / zero, one / nzero, -one / zero,
         inf * -one, inf + inf);
  printf("-0+0 %016llx -0+-0 %016llx -0*3 %016llx 0*-3 %016llx 1-1 %016llx\n",
         (unsigned long long)bits(nzero + zero), (unsigned long long)bits(nzero + nzero),
         (unsigned long long)bits(nzero * three), (unsigned long long)bits(zero * -three),
         (unsigned long long)bits(one - one));
  printf("copysign %g %g signbit(-0) %d sqrt(-0) %016llx\n", copysign(three, nzero),
         copysign(three, -qnan), signbit(nzero) != 0, (unsigned long long)bits(sqrt(nzero)));
  printf("subnormal min/3 %a, min*eps %a, denorm*2^52 %a\n", tiny / three, tiny * DBL_EPSILON,
         (tiny * DBL_EPSILON) * 4503599627370496.0);
  printf("float subnormal %a\n", (double)((float)FLT_MIN / 3.0f));
  printf("fma %a vs %a\n", fma(0.1, 10.0, -1.0), 0.1 * 10.0 - 1.0);
  printf("fmaf %a\n", (double)fmaf(0.1f, 10.0f, -1.0f));

}

static void exception_flags(void) {
  feclearexcept(FE_ALL_EXCEPT);
  flags("start");
  volatile double r = one / three;
  flags("1/3");
  r = one / zero;
  flags("1/0");
  r = zero / zero;
  flags("0/0");
  r = big * 2.0;
  flags("max*2");
  r = tiny / 1e10;
  flags("min/1e10");
  r = tiny / 2.0;
  flags("min/2 (exact subnorm)");
  r = sqrt(-one);
  flags("sqrt(-1)");
  r = qnan + one;
  flags("qnan+1");
  r = snan + one;
  flags("snan+1");
  volatile int iv = (int)big;
  flags("(int)DBL_MAX");
  volatile float fv = (float)big;
  flags("(float)DBL_MAX");
  r = 2.0 + one;
  flags("2+1");
  (void)r; (void)iv; (void)fv;
  feraiseexcept(FE_OVERFLOW);
  flags("feraiseexcept(OVF)");
  fexcept_t saved;
  feraiseexcept(FE_INEXACT | FE_INVALID);
  fegetexceptflag(&saved, FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  fesetexceptflag(&saved, FE_INVALID);
  flags("fesetexceptflag(INV)");

}

static void rounding(void) {
  static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
  static const char *names[] = {"nearest", "upward", "downward", "towardzero"};
  volatile double two = 2.0, ten = 10.0, seven = 7.0, halfs[] = {0.5, 1.5, 2.5, -0.5, -2.5};
  volatile float fthree = 3.0f;
  volatile long long big_int = 0x7fffffffffffffffLL;
  for (int m = 0; m < 4; m++) {
    printf("fesetround %s: %d, fegetround ok %d\n", names[m], fesetround(modes[m]),
           fegetround() == modes[m]);
    printf("  1/3 %a -1/3 %a 2/3f %a sqrt2 %a\n", one / three, -one / three,
           (double)(2.0f / fthree), sqrt(two));
    printf("  1/10 %a 7/10 %a 0.1+0.2 %a max+max %g\n", one / ten, seven / ten, 0.1 + 0.2 * one,
           big + big);
    printf("  (float)(1/3) %a (double)int64max %a (float)int64max %a\n", (double)(float)(one / three),
           (double)big_int, (double)(float)big_int);
    printf("  rint:");
    for (int k = 0; k < 5; k++) printf(" %g", rint(halfs[k]));
    printf(" nearbyint(2.5) %g lrint(-2.5) %ld llrint(1e10+0.5) %lld\n", nearbyint(halfs[2]),
           lrint(halfs[4]), llrint(1e10 + halfs[0]));
    printf("  fma(1/3,3,-1) %a min/3 %a\n", fma(one / three, three, -one), tiny / three);
  }
  fesetround(FE_TONEAREST);
  printf("round %g %g trunc %g floor %g ceil %g\n", round(2.5), round(-2.5), trunc(-2.7),
         floor(-2.5), ceil(-2.5));
}

int main(int argc, char **argv) {
  qnan = from_bits(0x7ff8000000012345ull);
  snan = from_bits(0x7ff0000000000badull);
  nqnan = from_bits(0xfff80000000abcdeull);
  const char *part = argc > 1 ? argv[1] : "";
  if (strcmp(part, "values") == 0) values();
  else if (strcmp(part, "flags") == 0) exception_flags();
  else if (strcmp(part, "rounding") == 0) rounding();
  else return 2;
  return 0;
}
