/* Float math and vectorisable loops: what gcc -O2/-O3 -ftree-vectorize makes of ordinary C. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 256
static float fa[N], fb[N], fc[N];
static double da[N], db[N];
static int32_t ia[N], ib[N];
static uint8_t ba[N], bb[N];
static int16_t ha[N];
static int64_t la[N];

__attribute__((noinline)) void saxpy(float k) { for (int i = 0; i < N; i++) fa[i] = k * fb[i] + fc[i]; }
__attribute__((noinline)) double dot(void) { double s = 0; for (int i = 0; i < N; i++) s += da[i] * db[i]; return s; }
__attribute__((noinline)) int32_t isum(void) { int32_t s = 0; for (int i = 0; i < N; i++) s += ia[i] * ib[i]; return s; }
__attribute__((noinline)) uint32_t bsum(void) { uint32_t s = 0; for (int i = 0; i < N; i++) s += ba[i]; return s; }
__attribute__((noinline)) uint8_t bmax(void) { uint8_t m = 0; for (int i = 0; i < N; i++) m = ba[i] > m ? ba[i] : m; return m; }
__attribute__((noinline)) void bavg(void) { for (int i = 0; i < N; i++) ba[i] = (ba[i] + bb[i] + 1) >> 1; }
__attribute__((noinline)) void clampi(void) { for (int i = 0; i < N; i++) ia[i] = ia[i] < 0 ? 0 : ia[i] > 255 ? 255 : ia[i]; }
__attribute__((noinline)) void widen(void) { for (int i = 0; i < N; i++) la[i] = (int64_t)ia[i] * ib[i]; }
__attribute__((noinline)) void narrow(void) { for (int i = 0; i < N; i++) ha[i] = (int16_t)(ia[i] >> 3); }
__attribute__((noinline)) void tofloat(void) { for (int i = 0; i < N; i++) fa[i] = (float)ia[i] / 3.0f; }
__attribute__((noinline)) void toint(void) { for (int i = 0; i < N; i++) ia[i] = (int32_t)(fa[i] * 2.5f); }
__attribute__((noinline)) void todouble(void) { for (int i = 0; i < N; i++) da[i] = fa[i]; }
__attribute__((noinline)) void fminmax(void) { for (int i = 0; i < N; i++) fa[i] = fmaxf(fb[i], fminf(fc[i], 1.0f)); }
__attribute__((noinline)) void shifts(void) { for (int i = 0; i < N; i++) ib[i] = (ia[i] << 3) ^ ((uint32_t)ia[i] >> 5) ^ (ib[i] >> 7); }
__attribute__((noinline)) void select_(void) { for (int i = 0; i < N; i++) fa[i] = fb[i] > fc[i] ? sqrtf(fb[i]) : fabsf(fc[i]); }
__attribute__((noinline)) void rounding(void) { for (int i = 0; i < N; i++) da[i] = floor(db[i]) + ceil(db[i]) + trunc(db[i]) + round(db[i]) + rint(db[i]); }
__attribute__((noinline)) void shuffle(void) { for (int i = 0; i < N / 2; i++) { fa[2 * i] = fb[i]; fa[2 * i + 1] = fc[i]; } }
__attribute__((noinline)) void reverse(void) { for (int i = 0; i < N; i++) bb[i] = ba[N - 1 - i]; }
__attribute__((noinline)) int count(void) { int c = 0; for (int i = 0; i < N; i++) c += __builtin_popcount(ia[i]); return c; }

int main(int argc, char **argv) {
  for (int i = 0; i < N; i++) {
    fb[i] = i * 0.5f; fc[i] = 3.0f - i; da[i] = i / 7.0; db[i] = -i * 1.25; ia[i] = i * 37 - 500; ib[i] = 13 - i; ba[i] = i * 7; bb[i] = 255 - i;
  }
  saxpy(argc); todouble(); rounding(); select_(); fminmax(); tofloat(); toint(); widen(); narrow(); shifts(); clampi(); bavg(); shuffle(); reverse();
  fesetround(FE_UPWARD);
  volatile double third = 1.0 / 3.0;
  fesetround(FE_TONEAREST);
  char buf[128];
  snprintf(buf, sizeof buf, "%g %f %a", dot(), third, exp(da[3]) + log(db[9] + 1000) + pow(da[5], 1.5) + sin(da[7]) + atan2(da[1], db[2]));
  printf("%s %d %u %u %d %zu %s %p %d\n", buf, isum(), bsum(), bmax(), count(), strlen(buf), strchr(buf, '.'), memchr(buf, 'e', sizeof buf),
         strcmp(buf, argv[0]));
  char *copy = malloc(200);
  memcpy(copy, buf, sizeof buf);
  memset(copy, 'x', 100);
  printf("%s %s %.3Lf %f\n", strrchr(copy, 'x'), strstr(buf, "e+"), (long double)da[9] * 3, strtod("1e-5", NULL));
  return 0;
}
