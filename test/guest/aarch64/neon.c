/*
 * Advanced SIMD through intrinsics, one group per line of output: lane arithmetic, widening and
 * narrowing, saturation, table lookups, structure loads (vld3), permutes (zip/uzp/trn/ext),
 * across-vector reductions, bit counting, comparisons, floating-point lanes including min/max with
 * NaN and the reciprocal estimates (whose exact results the architecture specifies).
 */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void p8(const char *name, uint8x16_t v) {
  uint8_t b[16];
  vst1q_u8(b, v);
  printf("%-10s", name);
  for (int i = 0; i < 16; i++) printf(" %02x", b[i]);
  printf("\n");
}
static void p16(const char *name, int16x8_t v) {
  int16_t b[8];
  vst1q_s16(b, v);
  printf("%-10s", name);
  for (int i = 0; i < 8; i++) printf(" %d", b[i]);
  printf("\n");
}
static void p32(const char *name, uint32x4_t v) {
  uint32_t b[4];
  vst1q_u32(b, v);
  printf("%-10s %08x %08x %08x %08x\n", name, b[0], b[1], b[2], b[3]);
}
static void pf(const char *name, float32x4_t v) {
  float b[4];
  vst1q_f32(b, v);
  printf("%-10s %a %a %a %a\n", name, (double)b[0], (double)b[1], (double)b[2], (double)b[3]);
}
static void pd(const char *name, float64x2_t v) {
  double b[2];
  vst1q_f64(b, v);
  printf("%-10s %a %a\n", name, b[0], b[1]);
}

int main(void) {
  uint8_t bytes[48];
  for (int i = 0; i < 48; i++) bytes[i] = (uint8_t)(i * 37 + 11);
  uint8x16_t a = vld1q_u8(bytes), b = vld1q_u8(bytes + 16);
  p8("add", vaddq_u8(a, b));
  p8("sub", vsubq_u8(a, b));
  p8("mul", vmulq_u8(a, b));
  p8("qadd", vqaddq_u8(a, b));
  p8("qsub", vqsubq_u8(a, b));
  p8("sqadd", vreinterpretq_u8_s8(vqaddq_s8(vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b))));
  p8("hadd", vhaddq_u8(a, b));
  p8("rhadd", vrhaddq_u8(a, b));
  p8("abd", vabdq_u8(a, b));
  p8("max", vmaxq_u8(a, b));
  p8("min", vminq_u8(a, b));
  p8("cnt", vcntq_u8(a));
  p8("clz", vclzq_u8(a));
  p8("rbit", vrbitq_u8(a));
  p8("cmhi", vcgtq_u8(a, b));
  p8("cmeq0", vceqzq_u8(vandq_u8(a, vdupq_n_u8(3))));
  p8("tst", vtstq_u8(a, b));
  p8("bsl", vbslq_u8(vdupq_n_u8(0xf0), a, b));
  p8("eor/bic", veorq_u8(vbicq_u8(a, b), vornq_u8(a, b)));
  p8("shl3", vshlq_n_u8(a, 3));
  p8("ushr5", vshrq_n_u8(a, 5));
  p8("sshr2", vreinterpretq_u8_s8(vshrq_n_s8(vreinterpretq_s8_u8(a), 2)));
  p8("ushl reg", vshlq_u8(a, vreinterpretq_s8_u8(vandq_u8(b, vdupq_n_u8(0x8f)))));
  p8("rev64", vrev64q_u8(a));
  p8("ext5", vextq_u8(a, b, 5));
  p8("zip1", vzip1q_u8(a, b));
  p8("uzp2", vuzp2q_u8(a, b));
  p8("trn1", vtrn1q_u8(a, b));
  uint8x16_t idx = vld1q_u8((const uint8_t[]){0, 31, 15, 16, 40, 2, 255, 7, 17, 18, 32, 1, 3, 30, 29, 64});
  uint8x16x2_t tbl2 = {{a, b}};
  p8("tbl2", vqtbl2q_u8(tbl2, idx));
  p8("tbx1", vqtbx1q_u8(vdupq_n_u8(0xaa), a, idx));
  uint8x16x3_t st = vld3q_u8(bytes);
  p8("ld3.0", st.val[0]);
  p8("ld3.2", st.val[2]);
  printf("addv %u maxv %u minv %u addlv %u\n", vaddvq_u8(a), vmaxvq_u8(a), vminvq_u8(b),
         vaddlvq_u8(b));

  int16x8_t s = vreinterpretq_s16_u8(a), t = vreinterpretq_s16_u8(b);
  p16("mul16", vmulq_s16(s, t));
  p16("qdmulh", vqdmulhq_s16(s, t));
  p16("qrdmulh", vqrdmulhq_s16(s, t));
  p16("mla", vmlaq_s16(s, s, t));
  p16("abs", vabsq_s16(s));
  p16("qabs", vqabsq_s16(vdupq_n_s16(-32768)));
  p16("neg", vnegq_s16(t));
  p16("sra", vsraq_n_s16(s, t, 3));
  p16("rshr", vrshrq_n_s16(s, 4));
  p16("movl", vmovl_s8(vget_low_s8(vreinterpretq_s8_u8(a))));
  p16("addl_hi", vreinterpretq_s16_u16(vaddl_high_u8(a, b)));
  p16("mull", vmull_s8(vget_low_s8(vreinterpretq_s8_u8(a)), vget_high_s8(vreinterpretq_s8_u8(b))));
  p16("padd", vpaddq_s16(s, t));
  p16("pairwise-l", vpaddlq_s8(vreinterpretq_s8_u8(a)));
  p8("qmovn", vreinterpretq_u8_s8(vcombine_s8(vqmovn_s16(s), vqmovn_s16(t))));
  p8("qmovun", vcombine_u8(vqmovun_s16(s), vqmovun_s16(t)));
  p8("xtn/shrn", vcombine_u8(vmovn_u16(vreinterpretq_u16_u8(a)), vshrn_n_u16(vreinterpretq_u16_u8(b), 5)));

  uint32x4_t u = vreinterpretq_u32_u8(a), w = vreinterpretq_u32_u8(b);
  p32("add32", vaddq_u32(u, w));
  p32("mul32", vmulq_u32(u, w));
  p32("mla lane", vmlaq_laneq_u32(u, w, u, 2));
  p32("cmgt s", vcgtq_s32(vreinterpretq_s32_u32(u), vreinterpretq_s32_u32(w)));
  p32("sshl neg", vreinterpretq_u32_s32(vshlq_s32(vreinterpretq_s32_u32(u), vdupq_n_s32(-7))));
  p32("rev32", vreinterpretq_u32_u8(vrev32q_u8(a)));
  uint64x2_t wide = vmull_u32(vget_low_u32(u), vget_low_u32(w));
  p32("umull", vreinterpretq_u32_u64(wide));
  printf("addv32 %u uminv %u\n", vaddvq_u32(u), vminvq_u32(w));

  float32x4_t f = vcvtq_f32_s32(vreinterpretq_s32_u32(u));
  float32x4_t g = vld1q_f32((const float[]){1.5f, -0.0f, __builtin_nanf(""), 3.0e38f});
  pf("cvt", f);
  pf("fadd", vaddq_f32(f, g));
  pf("fmul", vmulq_f32(g, g));
  pf("fma", vfmaq_f32(g, f, vdupq_n_f32(0.5f)));
  pf("fmax", vmaxq_f32(g, vdupq_n_f32(2.0f)));
  pf("fmaxnm", vmaxnmq_f32(g, vdupq_n_f32(2.0f)));
  pf("fminnm", vminnmq_f32(g, vdupq_n_f32(-0.0f)));
  pf("fabd", vabdq_f32(f, g));
  pf("frecpe", vrecpeq_f32(vld1q_f32((const float[]){3.0f, -0.1f, 1e-40f, 1e38f})));
  pf("frsqrte", vrsqrteq_f32(vld1q_f32((const float[]){3.0f, 0.25f, 1e-40f, 1e38f})));
  pf("frecps", vrecpsq_f32(vdupq_n_f32(3.0f), vdupq_n_f32(0.333f)));
  pf("frinta", vrndaq_f32(vld1q_f32((const float[]){0.5f, -1.5f, 2.5f, -2.5f})));
  pf("frintn", vrndnq_f32(vld1q_f32((const float[]){0.5f, -1.5f, 2.5f, -2.5f})));
  p32("fcvtzs", vreinterpretq_u32_s32(vcvtq_s32_f32(vld1q_f32((const float[]){-1.9f, 3e9f, -3e9f, __builtin_nanf("")}))));
  p32("fcvtzu", vcvtq_u32_f32(vld1q_f32((const float[]){-1.9f, 5e9f, 3e9f, 7.9f})));
  p32("fcmge", vcgeq_f32(f, g));
  printf("faddp %a fmaxv %a fminnmv %a\n", (double)vpadds_f32(vget_low_f32(f)),
         (double)vmaxvq_f32(f), (double)vminnmvq_f32(g));
  float64x2_t d = vld1q_f64((const double[]){2.0, -0.5}), e = vld1q_f64((const double[]){1e308, 3.0});
  pd("dmul", vmulq_f64(d, e));
  pd("ddiv", vdivq_f64(d, e));
  pd("dsqrt", vsqrtq_f64(vabsq_f64(d)));
  pd("dfma", vfmaq_f64(d, d, e));
  pd("cvtl", vcvt_f64_f32(vget_low_f32(g)));
  pf("cvtn", vcombine_f32(vcvt_f32_f64(e), vcvt_f32_f64(d)));
  return 0;
}
