/*
 * Float arithmetic of a -ffast-math program: gcc's start-up code (crtfastmath.o) sets FPCR.FZ, so
 * denormal operands and results are flushed to zero. Prints FPCR.FZ, then the bits of scalar and
 * vector results that reach, cross or stay above the smallest normal: a decaying filter, products
 * and quotients of small numbers, fused multiply-adds, compares and conversions of denormals read
 * from memory (the compiler cannot fold them: they come through a volatile array).
 */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile uint32_t denormal_bits[] = {0x00000001, 0x80400000, 0x007fffff, 0x00800000, 0x00800001, 0x3f800000};
static volatile uint64_t denormal_bits64[] = {0x0000000000000001ull, 0x800fffffffffffffull, 0x0010000000000000ull};

static uint32_t bits32(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static uint64_t bits64(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return u;
}

static float f32(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

static double f64(uint64_t u) {
  double d;
  memcpy(&d, &u, 8);
  return d;
}

int main(void) {
  uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  printf("FPCR.FZ %d\n", (int)((fpcr >> 24) & 1));

  /* A decaying recursive filter: its state passes through the denormal range. */
  float y = 1.0f, x = 0.5f;
  uint32_t h = 0;
  for (int i = 0; i < 400; i++) {
    y = y * 0.7f + x * 1e-30f;
    x = x * 0.5f;
    h = h * 31 + bits32(y);
  }
  printf("filter %08x %08x\n", bits32(y), h);

  double yd = 1.0;
  uint64_t hd = 0;
  for (int i = 0; i < 2000; i++) {
    yd = yd * 0.6 + yd * 1e-3;
    hd = hd * 31 + bits64(yd);
  }
  printf("filter64 %016llx %016llx\n", (unsigned long long)bits64(yd), (unsigned long long)hd);

  for (unsigned i = 0; i < sizeof denormal_bits / sizeof denormal_bits[0]; i++) {
    float a = f32(denormal_bits[i]);
    float b = f32(denormal_bits[(i + 1) % 6]);
    volatile float c = 0.5f;
    printf("s %08x: add %08x mul %08x div %08x fma %08x cvt %08x int %d lt %d eq0 %d tiny %08x\n", bits32(a),
           bits32(a + b), bits32(a * 3.0f), bits32(a / 3.0f), bits32(a * c + b), (unsigned)bits64((double)a),
           (int)(a * 1e30f), a < b, a == 0.0f, bits32(f32(0x00c00000) * c));
  }
  for (unsigned i = 0; i < sizeof denormal_bits64 / sizeof denormal_bits64[0]; i++) {
    double a = f64(denormal_bits64[i]);
    volatile double c = 0.75;
    printf("d %016llx: add %016llx mul %016llx fma %016llx narrow %08x lt %d\n", (unsigned long long)bits64(a),
           (unsigned long long)bits64(a + a), (unsigned long long)bits64(a * c),
           (unsigned long long)bits64(a * c + a), bits32((float)a), a < c);
  }

  float in[8];
  for (int i = 0; i < 8; i++) in[i] = f32(denormal_bits[i % 6]) + (i > 5 ? 1e-38f : 0.0f);
  float32x4_t v = vld1q_f32(in), w = vld1q_f32(in + 4);
  float32x4_t r[] = {vaddq_f32(v, w), vmulq_f32(v, vdupq_n_f32(0.75f)), vfmaq_f32(w, v, vdupq_n_f32(2.0f)),
                     vmaxq_f32(v, w), vreinterpretq_f32_u32(vcgtq_f32(v, w)), vmulq_laneq_f32(w, v, 3)};
  for (unsigned i = 0; i < sizeof r / sizeof r[0]; i++) {
    uint32_t o[4];
    vst1q_u32(o, vreinterpretq_u32_f32(r[i]));
    printf("v%u %08x %08x %08x %08x\n", i, o[0], o[1], o[2], o[3]);
  }
  return 0;
}
