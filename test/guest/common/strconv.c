/*
 * Conversions between numbers and text: strtod/strtof on hard cases (halfway, subnormal,
 * overflow, hex floats, inf/nan), printf %.17g round trips of pseudo-random doubles,
 * strtol/strtoul with every base and their ERANGE clamping, atoi, sscanf and snprintf truncation.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dstr[] = {
    "0", "-0", "1", "0.1", "1e23", "8.98846567431158e307", "1.7976931348623157e308",
    "1.7976931348623159e308", "2.2250738585072011e-308", "4.9e-324", "2.4703282292062327e-324",
    "2.4703282292062328e-324", "1e-400", "0x1.fffffffffffffp+1023", "0x1p-1074", "0X1.8P1", "inf",
    "-Infinity", "nan", "NAN(123)", "  +12.5e+2xyz", "9007199254740993", "123456789012345678901234567890",
    "0.000000000000000000000000000001", ".5", "5.", "e5", "-", "0x", "1e", "1.5e+", "3.14159265358979323846264338327950288419716939937510",
};

static const char *istr[] = {"0", "42", "-42", "0x1F", "0X1f", "017", "0b101", "z", "  -  5",
                             "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                             "-9223372036854775809", "18446744073709551615", "18446744073709551616",
                             "-1", "+7", "0x", "123abc", "zzzzzzzzzzzzz", "2147483648"};
static const int bases[] = {0, 2, 8, 10, 16, 36};

int main(void) {
  for (unsigned i = 0; i < sizeof dstr / sizeof dstr[0]; i++) {
    char *end;
    errno = 0;
    double d = strtod(dstr[i], &end);
    int e1 = errno;
    errno = 0;
    float f = strtof(dstr[i], NULL);
    int e2 = errno;
    printf("strtod(\"%s\") = %a (%.17g) consumed %td erange %d | strtof %a erange %d\n", dstr[i], d,
           d, end - dstr[i], e1 == ERANGE, (double)f, e2 == ERANGE);
  }
  uint64_t r = 88172645463325252ull;
  int roundtrips = 0, shortest_ok = 0;
  for (int i = 0; i < 20000; i++) {
    r ^= r << 13; r ^= r >> 7; r ^= r << 17;
    double d;
    uint64_t u = r & 0x7fefffffffffffffull;
    memcpy(&d, &u, 8);
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", d);
    roundtrips += strtod(buf, NULL) == d;
    snprintf(buf, sizeof buf, "%.15g", d);
    shortest_ok += strtod(buf, NULL) == d;
    if (i % 4000 == 0) printf("sample %s\n", buf);
  }
  printf("%%.17g roundtrips %d/20000, %%.15g exact %d\n", roundtrips, shortest_ok);

  for (unsigned i = 0; i < sizeof istr / sizeof istr[0]; i++) {
    printf("\"%s\":", istr[i]);
    for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++) {
      char *end;
      errno = 0;
      long v = strtol(istr[i], &end, bases[b]);
      int e = errno;
      errno = 0;
      unsigned long uv = strtoul(istr[i], NULL, bases[b]);
      int ue = errno;
      printf(" b%d=%ld/%td%s/%lu%s", bases[b], v, end - istr[i], e == ERANGE ? "R" : (e ? "E" : ""),
             uv, ue == ERANGE ? "R" : "");
    }
    printf(" atoi=%d\n", atoi(istr[i]));
  }
  errno = 0;
  printf("strtol base 1: %ld einval %d\n", strtol("5", NULL, 1), errno == EINVAL);
  errno = 0;
  printf("strtoll %lld strtoull %llu\n", strtoll("-0x8000000000000000", NULL, 0),
         strtoull("0777777777777777777777", NULL, 0));

  int a, n;
  unsigned x;
  char word[16];
  double g;
  int got = sscanf("  12 0x1f hello 2.5e3 rest", "%d %x %15s %lf%n", &a, &x, word, &g, &n);
  printf("sscanf got=%d a=%d x=%u word=%s g=%g n=%d\n", got, a, x, word, g, n);
  char small[8];
  int want = snprintf(small, sizeof small, "%d-%s", 123456, "abcdef");
  printf("snprintf want=%d got='%s'\n", want, small);
  printf("formats: [%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%#o] [%#x] [%lld] [%hhd] [%zu] [%%] [%c] [%10.3s]\n",
         42, 42, 42, 42, 42, 255u, 8u, 255u, LLONG_MIN, 300, (size_t)-1, 'Z', "abcdef");
  return 0;
}
