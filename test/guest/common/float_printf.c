/*
 * Formatting and arithmetic of float, double and long double. On AArch64 long double is IEEE
 * binary128, done in software by libgcc (__addtf3, __multf3, ...) and glibc's ldbl-128 code:
 * long integer arithmetic, a good workout for the translator.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const double doubles[] = {
    0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 2.0 / 3.0, 123456789.125, 1e-300, 1e300,
    DBL_MIN, DBL_MIN / 4, DBL_MAX, DBL_EPSILON, 3.141592653589793, 2.718281828459045, 0.5,
    1e22, 1e23, 9007199254740993.0, 4.9406564584124654e-324, 5e-324 * 3, 1234.5678e-20,
};

int main(void) {
  for (unsigned i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
    double d = doubles[i];
    printf("%.17g | %e | %.3f | %g | %a | %15.6E | %-12.4g|\n", d, d, d, d, d, d, d);
  }
  volatile double z = 0.0;
  printf("inf %f %e %g %F\n", 1 / z, -1 / z, 1 / z, 1 / z);
  printf("huge %.0f\n", 1e300);
  printf("tiny %.330f\n", 1e-320);
  float f = 1.0f / 3.0f;
  printf("float %.9g %a %f sum=%.9g\n", f, f, f, f + 16777216.0f);

  long double third = 1.0L / 3.0L;
  printf("ld third %.36Lg\n", third);
  printf("ld third %La\n", third);
  printf("ld LDBL_MAX %Lg LDBL_MIN %Lg LDBL_EPSILON %Lg digits %d\n", LDBL_MAX, LDBL_MIN,
         LDBL_EPSILON, LDBL_MANT_DIG);
  long double s = 0;
  for (int k = 1; k <= 2000; k++) s += 1.0L / ((long double)k * k);
  printf("ld basel %.33Lf\n", s);
  printf("ld pi^2/6 %.33Lf\n", 3.14159265358979323846264338327950288L * 3.14159265358979323846264338327950288L / 6);
  long double p = 1;
  for (int k = 0; k < 100; k++) p *= 1.7L;
  printf("ld 1.7^100 %.30Le\n", p);
  printf("ld sqrtl(2) %.34Lf\n", sqrtl(2.0L));
  printf("ld from int64 %.0Lf %.0Lf\n", (long double)9223372036854775807LL,
         (long double)(-9223372036854775807LL - 1));
  volatile long double big = 1e30L;
  printf("ld to int64 %lld %lld\n", (long long)(big / 1e12L), (long long)(-third * 1e18L));
  printf("ld to double %.17g, cmp %d %d\n", (double)third, third < 0.33333334L, third > 1.0 / 3.0);
  printf("ld strtold %.36Lg\n", strtold("0.1", NULL));
  printf("ld fmal-like %.36Lg\n", third * 3 - 1);
  printf("ld subnormal %Lg\n", LDBL_MIN / 1e10L);
  return 0;
}
