/*
 * Loops the compiler vectorises with -O2 -ftree-vectorize (SIMD loads/stores, lane arithmetic,
 * widening, reductions, gathers of bytes): integer sums, a dot product, saxpy, a byte histogram,
 * saturating and min/max loops, and a conditional select. Output is checksums.
 */
#include <stdint.h>
#include <stdio.h>

#define N 4099 /* not a multiple of the vector length: the scalar epilogue runs too */

static int32_t a[N], b[N];
static int16_t s16[N];
static uint8_t u8[N], v8[N], out8[N];
static float x[N], y[N];
static double dx[N], dy[N];

static __attribute__((noinline)) int64_t sum32(const int32_t *p, int n) {
  int64_t s = 0;
  for (int i = 0; i < n; i++) s += p[i];
  return s;
}
static __attribute__((noinline)) int32_t dot32(const int32_t *p, const int32_t *q, int n) {
  int32_t s = 0;
  for (int i = 0; i < n; i++) s += p[i] * q[i];
  return s;
}
static __attribute__((noinline)) void saxpy(float k, const float *p, float *q, int n) {
  for (int i = 0; i < n; i++) q[i] = k * p[i] + q[i];
}
static __attribute__((noinline)) void daxpy(double k, const double *p, double *q, int n) {
  for (int i = 0; i < n; i++) q[i] = k * p[i] + q[i];
}
static __attribute__((noinline)) void histogram(const uint8_t *p, int n, uint32_t h[256]) {
  for (int i = 0; i < n; i++) h[p[i]]++;
}
static __attribute__((noinline)) void sat_add(const uint8_t *p, const uint8_t *q, uint8_t *o, int n) {
  for (int i = 0; i < n; i++) {
    unsigned s = (unsigned)p[i] + q[i];
    o[i] = s > 255 ? 255 : (uint8_t)s;
  }
}
static __attribute__((noinline)) void minmax(const int32_t *p, int n, int32_t *mn, int32_t *mx) {
  int32_t lo = p[0], hi = p[0];
  for (int i = 0; i < n; i++) {
    lo = p[i] < lo ? p[i] : lo;
    hi = p[i] > hi ? p[i] : hi;
  }
  *mn = lo;
  *mx = hi;
}
static __attribute__((noinline)) int64_t widen16(const int16_t *p, int n) {
  int64_t s = 0;
  for (int i = 0; i < n; i++) s += (int32_t)p[i] * p[i];
  return s;
}
static __attribute__((noinline)) void select_abs(int32_t *p, const int32_t *q, int n) {
  for (int i = 0; i < n; i++) p[i] = q[i] < 0 ? -q[i] : q[i] >> 1;
}
static __attribute__((noinline)) uint32_t byte_sum(const uint8_t *p, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; i++) s += p[i];
  return s;
}
static __attribute__((noinline)) void shifts(uint32_t *p, int n) {
  for (int i = 0; i < n; i++) p[i] = (p[i] << 3) ^ (p[i] >> 5) ^ ((uint32_t)(int32_t)p[i] >> 31);
}

int main(void) {
  uint32_t r = 2463534242u;
  for (int i = 0; i < N; i++) {
    r ^= r << 13; r ^= r >> 17; r ^= r << 5;
    a[i] = (int32_t)r >> 8;
    b[i] = (int32_t)(r * 2654435761u) >> 20;
    s16[i] = (int16_t)r;
    u8[i] = (uint8_t)(r >> 3);
    v8[i] = (uint8_t)(r >> 11);
    x[i] = (float)(int32_t)r / 65536.0f;
    y[i] = (float)i * 0.25f;
    dx[i] = (double)(int32_t)r / 3.0;
    dy[i] = (double)i;
  }
  printf("sum32 %lld\n", (long long)sum32(a, N));
  printf("dot32 %d\n", dot32(a, b, N));
  saxpy(1.5f, x, y, N);
  double fs = 0;
  for (int i = 0; i < N; i++) fs += y[i];
  printf("saxpy y[0]=%a y[N-1]=%a sum=%.6f\n", (double)y[0], (double)y[N - 1], fs);
  daxpy(-0.75, dx, dy, N);
  double ds = 0;
  for (int i = 0; i < N; i++) ds += dy[i];
  printf("daxpy dy[7]=%a sum=%.6f\n", dy[7], ds);
  uint32_t h[256] = {0};
  histogram(u8, N, h);
  uint32_t hh = 0;
  for (int i = 0; i < 256; i++) hh = hh * 33 + h[i];
  printf("histogram h[0]=%u h[255]=%u hash=%08x\n", h[0], h[255], hh);
  sat_add(u8, v8, out8, N);
  printf("sat_add sum %u\n", byte_sum(out8, N));
  int32_t mn, mx;
  minmax(a, N, &mn, &mx);
  printf("minmax %d %d\n", mn, mx);
  printf("widen16 %lld\n", (long long)widen16(s16, N));
  select_abs(b, a, N);
  printf("select_abs sum %lld\n", (long long)sum32(b, N));
  shifts((uint32_t *)a, N);
  printf("shifts sum %lld\n", (long long)sum32(a, N));
  return 0;
}
