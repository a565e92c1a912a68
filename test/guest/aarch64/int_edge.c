/*
 * Integer edge cases with the AArch64 results the architecture defines: division by zero gives 0
 * (no trap), INT_MIN / -1 gives INT_MIN, register shift amounts are taken modulo the width, plus
 * overflow builtins, bit counting, byte/bit reversal, extensions, 128-bit arithmetic and
 * saturating float-to-integer conversion. Inline assembly pins the instruction so the C
 * compiler cannot fold or assume undefined behaviour away.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static const int64_t vals[] = {0, 1, -1, 2, -2, 7, -7, 63, 64, 65, INT32_MAX, INT32_MIN,
                               (int64_t)UINT32_MAX, INT64_MAX, INT64_MIN, 0x123456789abcdefLL,
                               -0x0fedcba987654321LL};
#define NV (sizeof vals / sizeof vals[0])

static int64_t sdiv64(int64_t a, int64_t b) { int64_t r; __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint64_t udiv64(uint64_t a, uint64_t b) { uint64_t r; __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static int32_t sdiv32(int32_t a, int32_t b) { int32_t r; __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t udiv32(uint32_t a, uint32_t b) { uint32_t r; __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint64_t lsl64(uint64_t a, uint64_t s) { uint64_t r; __asm__("lsl %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t lsr64(uint64_t a, uint64_t s) { uint64_t r; __asm__("lsr %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static int64_t asr64(int64_t a, uint64_t s) { int64_t r; __asm__("asr %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t ror64(uint64_t a, uint64_t s) { uint64_t r; __asm__("ror %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint32_t lsl32(uint32_t a, uint32_t s) { uint32_t r; __asm__("lsl %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static int32_t asr32(int32_t a, uint32_t s) { int32_t r; __asm__("asr %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint32_t ror32(uint32_t a, uint32_t s) { uint32_t r; __asm__("ror %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t rbit64(uint64_t a) { uint64_t r; __asm__("rbit %0, %1" : "=r"(r) : "r"(a)); return r; }
static uint64_t cls64(uint64_t a) { uint64_t r; __asm__("cls %0, %1" : "=r"(r) : "r"(a)); return r; }
static uint64_t clz64(uint64_t a) { uint64_t r; __asm__("clz %0, %1" : "=r"(r) : "r"(a)); return r; }
static int64_t fcvtzs_d(double d) { int64_t r; __asm__("fcvtzs %0, %d1" : "=r"(r) : "w"(d)); return r; }
static uint64_t fcvtzu_d(double d) { uint64_t r; __asm__("fcvtzu %0, %d1" : "=r"(r) : "w"(d)); return r; }
static int32_t fcvtzs_w(double d) { int32_t r; __asm__("fcvtzs %w0, %d1" : "=r"(r) : "w"(d)); return r; }
static int64_t fcvtas_d(double d) { int64_t r; __asm__("fcvtas %0, %d1" : "=r"(r) : "w"(d)); return r; }
static int64_t fcvtns_d(double d) { int64_t r; __asm__("fcvtns %0, %d1" : "=r"(r) : "w"(d)); return r; }
static int64_t fcvtms_d(double d) { int64_t r; __asm__("fcvtms %0, %d1" : "=r"(r) : "w"(d)); return r; }
static int64_t fcvtps_d(double d) { int64_t r; __asm__("fcvtps %0, %d1" : "=r"(r) : "w"(d)); return r; }

int main(void) {
  uint64_t h = 0;
  for (unsigned i = 0; i < NV; i++) {
    for (unsigned j = 0; j < NV; j++) {
      int64_t a = vals[i], b = vals[j];
      int64_t q = sdiv64(a, b);
      uint64_t uq = udiv64((uint64_t)a, (uint64_t)b);
      int32_t q32 = sdiv32((int32_t)a, (int32_t)b);
      uint32_t uq32 = udiv32((uint32_t)a, (uint32_t)b);
      printf("div %lld %lld: %lld %llu %d %u\n", (long long)a, (long long)b, (long long)q,
             (unsigned long long)uq, q32, uq32);
      h = h * 31 + lsl64((uint64_t)a, (uint64_t)b) + 3 * lsr64((uint64_t)a, (uint64_t)b) +
          5 * (uint64_t)asr64(a, (uint64_t)b) + 7 * ror64((uint64_t)a, (uint64_t)b) +
          11 * lsl32((uint32_t)a, (uint32_t)b) + 13 * (uint32_t)asr32((int32_t)a, (uint32_t)b) +
          17 * ror32((uint32_t)a, (uint32_t)b);
    }
  }
  printf("shift hash %016llx\n", (unsigned long long)h);
  printf("lsl 1<<64 %llu, lsl 1<<65 %llu, asr -8>>66 %lld, lsl32 1<<33 %u\n",
         (unsigned long long)lsl64(1, 64), (unsigned long long)lsl64(1, 65),
         (long long)asr64(-8, 66), lsl32(1, 33));

  for (unsigned i = 0; i < NV; i++) {
    int64_t a = vals[i];
    uint64_t u = (uint64_t)a;
    printf("bits %llx: pop %d clz %llu ctz %d cls %llu clz32 %d rbit %llx rev %llx rev32 %x "
           "rev16 %x sxtb %lld sxth %lld sxtw %lld uxtb %llu\n",
           (unsigned long long)u, __builtin_popcountll(u), (unsigned long long)clz64(u),
           u ? __builtin_ctzll(u) : 64, (unsigned long long)cls64(u),
           (uint32_t)u ? __builtin_clz((uint32_t)u) : 32, (unsigned long long)rbit64(u),
           (unsigned long long)__builtin_bswap64(u), __builtin_bswap32((uint32_t)u),
           __builtin_bswap16((uint16_t)u), (long long)(int8_t)u, (long long)(int16_t)u,
           (long long)(int32_t)u, (unsigned long long)(uint8_t)u);
  }

  for (unsigned i = 0; i < NV; i++) {
    for (unsigned j = 0; j < NV; j += 2) {
      int64_t a = vals[i], b = vals[j], r64;
      int32_t r32;
      uint64_t ur;
      int o1 = __builtin_add_overflow(a, b, &r64);
      int o2 = __builtin_sub_overflow(a, b, &r64) * 2;
      int o3 = __builtin_mul_overflow(a, b, &r64) * 4;
      int o4 = __builtin_add_overflow((int32_t)a, (int32_t)b, &r32) * 8;
      int o5 = __builtin_mul_overflow((int32_t)a, (int32_t)b, &r32) * 16;
      int o6 = __builtin_add_overflow((uint64_t)a, (uint64_t)b, &ur) * 32;
      int o7 = __builtin_mul_overflow((uint64_t)a, (uint64_t)b, &ur) * 64;
      int o8 = __builtin_sub_overflow((uint64_t)a, (uint64_t)b, &ur) * 128;
      printf("ovf %lld %lld: %d %lld %d\n", (long long)a, (long long)b,
             o1 | o2 | o3 | o4 | o5 | o6 | o7 | o8, (long long)r64, r32);
    }
  }

  unsigned __int128 x = ((unsigned __int128)0xfedcba9876543210ull << 64) | 0x0123456789abcdefull;
  unsigned __int128 y = 0xffffffffffffffc5ull; /* a large prime below 2^64 */
  unsigned __int128 prod = x * y, quo = x / y, rem = x % y;
  printf("u128 prod %016llx%016llx quo %016llx%016llx rem %016llx\n",
         (unsigned long long)(prod >> 64), (unsigned long long)prod,
         (unsigned long long)(quo >> 64), (unsigned long long)quo, (unsigned long long)rem);
  __int128 sx = -(__int128)x / 7;
  printf("s128 %016llx%016llx\n", (unsigned long long)((unsigned __int128)sx >> 64),
         (unsigned long long)sx);
  uint64_t hi = (uint64_t)(((unsigned __int128)0xdeadbeefcafebabeull * 0x1234567890abcdefull) >> 64);
  int64_t shi = (int64_t)(((__int128)-0x1234567890abcdefLL * 0x7edcba9876543210LL) >> 64);
  printf("umulh %llx smulh %lld\n", (unsigned long long)hi, (long long)shi);

  static const double cv[] = {0.0, -0.0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1e19, -1e19, 3e9,
                              -3e9, 9.2233720368547758e18, 1.8446744073709552e19, 1e300, -1e300,
                              __builtin_inf(), -__builtin_inf(), __builtin_nan("")};
  for (unsigned i = 0; i < sizeof cv / sizeof cv[0]; i++) {
    double d = cv[i];
    printf("cvt %g: zs %lld zu %llu zs32 %d as %lld ns %lld ms %lld ps %lld\n", d,
           (long long)fcvtzs_d(d), (unsigned long long)fcvtzu_d(d), fcvtzs_w(d),
           (long long)fcvtas_d(d), (long long)fcvtns_d(d), (long long)fcvtms_d(d),
           (long long)fcvtps_d(d));
  }
  return 0;
}
