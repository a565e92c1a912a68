/*
 * Advanced SIMD (NEON) instructions through arm_neon.h intrinsics, over inputs with edge values
 * (saturation limits, sign changes, NaN, infinities, denormals): integer arithmetic, halving and
 * saturating ops, shifts by immediate and by register, narrowing and widening, multiplies (long,
 * doubling, by scalar), comparisons and selects, permutes, table lookups, pairwise and bit ops,
 * float arithmetic and conversions, and the element/structure loads and stores. Prints one line of
 * lanes per operation; the saturating, halving and rounding forms also run over pseudo-random
 * operands (a digest and the FPSCR.QC count per operation).
 */
#include <arm_neon.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t bytes[64];
static int16_t halves[32];
static int32_t words[16];
static float floats[16];

static void p8(const char *name, uint8x16_t v) {
  uint8_t o[16];
  vst1q_u8(o, v);
  printf("%s:", name);
  for (int i = 0; i < 16; i++) printf(" %02x", o[i]);
  printf("\n");
}
static void p16(const char *name, uint16x8_t v) {
  uint16_t o[8];
  vst1q_u16(o, v);
  printf("%s:", name);
  for (int i = 0; i < 8; i++) printf(" %04x", o[i]);
  printf("\n");
}
static void p32(const char *name, uint32x4_t v) {
  uint32_t o[4];
  vst1q_u32(o, v);
  printf("%s:", name);
  for (int i = 0; i < 4; i++) printf(" %08x", o[i]);
  printf("\n");
}
static void p64(const char *name, uint64x2_t v) {
  uint64_t o[2];
  vst1q_u64(o, v);
  printf("%s: %016llx %016llx\n", name, (unsigned long long)o[0], (unsigned long long)o[1]);
}
static void pd(const char *name, uint8x8_t v) { p8(name, vcombine_u8(v, vdup_n_u8(0))); }
static uint32_t fpscr_qc(void) {
  uint32_t r;
  __asm__ volatile("vmrs %0, fpscr" : "=r"(r));
  return (r >> 27) & 1;
}
static void clear_qc(void) {
  uint32_t r;
  __asm__ volatile("vmrs %0, fpscr\n bic %0, %0, #(1 << 27)\n vmsr fpscr, %0" : "=&r"(r));
}

/* Half precision conversions (not in arm_neon.h without -mfp16-format). */
static uint16x4_t cvt_f16_f32(float32x4_t x) {
  uint16x4_t r;
  __asm__(".fpu neon-fp16\n\tvcvt.f16.f32 %P0, %q1" : "=w"(r) : "w"(x));
  return r;
}
static float32x4_t cvt_f32_f16(uint16x4_t h) {
  float32x4_t r;
  __asm__(".fpu neon-fp16\n\tvcvt.f32.f16 %q0, %P1" : "=w"(r) : "w"(h));
  return r;
}

/* Reciprocal (square root) estimates and steps, half precision conversions, over special values. */
static void estimates(void) {
  static float ef[16];
  static const float init[16] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-40f, 3e38f, 1e38f,
                                 0.75f, 1.0f, 2.0f, 3.0f, 1.9999f, 4e-38f, -5.5f, 1e-20f};
  static uint32_t eu[8] = {0, 0x7fffffff, 0x80000000, 0xffffffff, 0x3fffffff, 0x40000000, 0xc0000000, 0x12345678};
  static float hf[16];
  static const float hinit[16] = {65504.0f, 65520.0f, 65519.99f, 1e-5f, 5.9604645e-8f, 2.9802322e-8f, 1.00048828125f, 1.00146484375f,
                                  -2.5e-5f, NAN, -INFINITY, 1e-40f, 0.1f, -3.14159f, 6.1e-5f, 1e30f};
  static uint16_t hh[8] = {0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0x7c01, 0xfe00, 0x8001};
  memcpy(ef, init, sizeof ef);
  memcpy(hf, hinit, sizeof hf);
  for (int i = 0; i < 16; i += 4) {
    float32x4_t x = vld1q_f32(ef + i), y = vld1q_f32(ef + (i + 4) % 16);
    p32("vrecpe.f32", vreinterpretq_u32_f32(vrecpeq_f32(x)));
    p32("vrsqrte.f32", vreinterpretq_u32_f32(vrsqrteq_f32(x)));
    p32("vrecps.f32", vreinterpretq_u32_f32(vrecpsq_f32(x, y)));
    p32("vrsqrts.f32", vreinterpretq_u32_f32(vrsqrtsq_f32(y, x)));
    p16("vcvt.f16.f32", vcombine_u16(cvt_f16_f32(vld1q_f32(hf + i)), vdup_n_u16(0)));
  }
  for (int i = 0; i < 8; i += 4) {
    uint32x4_t u = vld1q_u32(eu + i);
    p32("vrecpe.u32", vrecpeq_u32(u));
    p32("vrsqrte.u32", vrsqrteq_u32(u));
    p32("vcvt.f32.f16", vreinterpretq_u32_f32(cvt_f32_f16(vld1_u16(hh + i))));
  }
}

/* More permutes, pairwise and immediate forms (the inline SIMD paths). */
static void more_forms(uint8x16_t a8, uint8x16_t b8, int16x8_t a16, int32x4_t a32) {
  uint8x8x4_t t4 = {{vget_low_u8(a8), vget_high_u8(a8), vget_low_u8(b8), vget_high_u8(b8)}};
  uint8x8_t idx = vand_u8(vget_low_u8(b8), vdup_n_u8(0x27));
  pd("vtbl4", vtbl4_u8(t4, idx));
  uint8x8x3_t t3 = {{vget_low_u8(a8), vget_high_u8(a8), vget_low_u8(b8)}};
  pd("vtbx3", vtbx3_u8(vget_high_u8(b8), t3, idx));
  pd("vtbl1", vtbl1_u8(vget_low_u8(a8), vand_u8(idx, vdup_n_u8(0x0f))));
  pd("vext.8 d #3", vext_u8(vget_low_u8(a8), vget_high_u8(b8), 3));
  p8("vrev64.8", vrev64q_u8(a8));
  p16("vrev32.16", vrev32q_u16(vreinterpretq_u16_s16(a16)));
  p8("vrev16.8", vrev16q_u8(b8));
  uint8x8x2_t z = vzip_u8(vget_low_u8(a8), vget_low_u8(b8));
  p8("vzip.8 d", vcombine_u8(z.val[0], z.val[1]));
  uint16x4x2_t uz = vuzp_u16(vget_low_u16(vreinterpretq_u16_s16(a16)), vget_high_u16(vreinterpretq_u16_s16(a16)));
  p16("vuzp.16 d", vcombine_u16(uz.val[0], uz.val[1]));
  int32x2x2_t tr = vtrn_s32(vget_low_s32(a32), vget_high_s32(a32));
  p32("vtrn.32 d", vreinterpretq_u32_s32(vcombine_s32(tr.val[0], tr.val[1])));
  p32("vpaddl.u16", vpaddlq_u16(vreinterpretq_u16_s16(a16)));
  p64("vpaddl.s32", vreinterpretq_u64_s64(vpaddlq_s32(a32)));
  p8("vshr.u8 #8", vshrq_n_u8(a8, 8));
  p16("vshr.s16 #16", vreinterpretq_u16_s16(vshrq_n_s16(a16, 16)));
  p64("vsra.s64 #64", vreinterpretq_u64_s64(vsraq_n_s64(vreinterpretq_s64_s32(a32), vreinterpretq_s64_u8(b8), 64)));
  p64("vshr.u64 #64", vshrq_n_u64(vreinterpretq_u64_s32(a32), 64));
  pd("vdup.8 d lane", vdup_lane_u8(vget_high_u8(a8), 5));
  p16("vpadd.s16", vreinterpretq_u16_s16(vcombine_s16(vpadd_s16(vget_low_s16(a16), vget_high_s16(a16)), vdup_n_s16(0))));
  p32("vpadd.s32", vreinterpretq_u32_s32(vcombine_s32(vpadd_s32(vget_low_s32(a32), vget_high_s32(a32)), vdup_n_s32(0))));
  pd("vpmax.u8", vpmax_u8(vget_low_u8(a8), vget_high_u8(b8)));
  pd("vpmin.s8", vreinterpret_u8_s8(vpmin_s8(vreinterpret_s8_u8(vget_low_u8(a8)), vreinterpret_s8_u8(vget_high_u8(b8)))));
  p32("vmull.s16 n", vreinterpretq_u32_s32(vmull_n_s16(vget_low_s16(a16), -7)));
  p32("vmla.i32 lane", vreinterpretq_u32_s32(vmlaq_lane_s32(a32, a32, vget_high_s32(a32), 1)));
  p16("vmls.i16", vreinterpretq_u16_s16(vmlsq_s16(a16, a16, vreinterpretq_s16_u8(b8))));
  p16("vabd.s16", vreinterpretq_u16_s16(vabdq_s16(a16, vreinterpretq_s16_u8(b8))));
  p8("vrhadd.u8", vrhaddq_u8(a8, b8));
  p16("vmovn/vmovl", vmovl_u8(vmovn_u16(vreinterpretq_u16_s16(a16))));
  p32("vmov.i32 #0x4f00", vreinterpretq_u32_s32(vorrq_s32(vdupq_n_s32(0x4f00), vdupq_n_s32(0))));
  p16("vbic.i16 #0xff00", vreinterpretq_u16_s16(vandq_s16(a16, vdupq_n_s16(0x00ff))));
  p8("vcle.s8 #0", vcleq_s8(vreinterpretq_s8_u8(a8), vdupq_n_s8(0)));
  p16("vsubhn.i32", vcombine_u16(vreinterpret_u16_s16(vsubhn_s32(a32, vreinterpretq_s32_u8(b8))), vdup_n_u16(0)));
  p32("vmlal.u16", vmlal_u16(vreinterpretq_u32_s32(a32), vget_low_u16(vreinterpretq_u16_s16(a16)), vget_high_u16(vreinterpretq_u16_s16(a16))));
}

/*
 * The saturating, halving, rounding and register-shift forms over pseudo-random operands (a third
 * uniform bits, the rest saturation edges): per operation a digest of 300 results and how many of
 * them set FPSCR.QC.
 */
static uint32_t rng_state = 0x2545f491;
static uint32_t next_random(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}
static const uint32_t EDGES[] = {0, 0xffffffff, 0x80000000, 0x7fffffff, 0x00008000, 0x00007fff,
                                 0x80808080, 0x7f7f7f7f, 1, 0x8000ffff, 0xffff8000, 0x00800080};
static uint32x4_t random_operand(void) {
  uint32_t w[4];
  for (int i = 0; i < 4; i++) w[i] = next_random() % 3 ? EDGES[next_random() % 12] : next_random();
  return vld1q_u32(w);
}
static uint32_t digest;
static void mix(uint32x4_t v) {
  uint32_t o[4];
  vst1q_u32(o, v);
  for (int i = 0; i < 4; i++) digest = (digest ^ o[i]) * 16777619u;
}
#define RANDOM(name, expr)                                                         \
  do {                                                                             \
    unsigned qc = 0;                                                               \
    digest = 2166136261u;                                                          \
    for (int k = 0; k < 300; k++) {                                                \
      uint32x4_t x = random_operand(), y = random_operand(), z = random_operand(); \
      clear_qc();                                                                  \
      mix((uint32x4_t)(expr));                                                     \
      qc += fpscr_qc();                                                            \
    }                                                                              \
    printf("%s: %08x qc %u\n", name, digest, qc);                                  \
  } while (0)
#define LO(t, v) vget_low_##t((v))
#define HI(t, v) vget_high_##t((v))
/* Vector casts between same-sized types (GCC's), to keep the table short. */
#define S8(v) ((int8x16_t)(v))
#define U8(v) ((uint8x16_t)(v))
#define S16(v) ((int16x8_t)(v))
#define U16(v) ((uint16x8_t)(v))
#define S32(v) ((int32x4_t)(v))
#define U32(v) ((uint32x4_t)(v))
#define S64(v) ((int64x2_t)(v))
#define U64(v) ((uint64x2_t)(v))
#define SHIFTS(v) ((int8x16_t)vandq_u32((v), vdupq_n_u32(0x9f8fbfa7)))

static void saturating_random(void) {
  RANDOM("vqadd.s8", vqaddq_s8(S8(x), S8(y)));
  RANDOM("vqadd.u16", vqaddq_u16(U16(x), U16(y)));
  RANDOM("vqadd.s32", vqaddq_s32(S32(x), S32(y)));
  RANDOM("vqadd.u32", vqaddq_u32(U32(x), U32(y)));
  RANDOM("vqadd.s64", vqaddq_s64(S64(x), S64(y)));
  RANDOM("vqsub.u8", vqsubq_u8(U8(x), U8(y)));
  RANDOM("vqsub.s16", vqsubq_s16(S16(x), S16(y)));
  RANDOM("vqsub.s32", vqsubq_s32(S32(x), S32(y)));
  RANDOM("vqsub.u64", vqsubq_u64(U64(x), U64(y)));
  RANDOM("vhadd.s8", vhaddq_s8(S8(x), S8(y)));
  RANDOM("vhadd.u32", vhaddq_u32(U32(x), U32(y)));
  RANDOM("vrhadd.s16", vrhaddq_s16(S16(x), S16(y)));
  RANDOM("vrhadd.u32", vrhaddq_u32(U32(x), U32(y)));
  RANDOM("vhsub.s32", vhsubq_s32(S32(x), S32(y)));
  RANDOM("vhsub.u8", vhsubq_u8(U8(x), U8(y)));
  RANDOM("vqdmulh.s16", vqdmulhq_s16(S16(x), S16(y)));
  RANDOM("vqdmulh.s32", vqdmulhq_s32(S32(x), S32(y)));
  RANDOM("vqrdmulh.s16", vqrdmulhq_s16(S16(x), S16(y)));
  RANDOM("vqrdmulh.s32", vqrdmulhq_s32(S32(x), S32(y)));
  RANDOM("vqrdmulh.s16 d", vcombine_s16(vqrdmulh_s16(LO(s16, S16(x)), LO(s16, S16(y))), LO(s16, S16(z))));
  RANDOM("vqdmulh.s16 scalar", vqdmulhq_lane_s16(S16(x), LO(s16, S16(y)), 3));
  RANDOM("vqrdmulh.s32 scalar", vqrdmulhq_lane_s32(S32(x), HI(s32, S32(y)), 1));
  RANDOM("vqdmull.s16", vqdmull_s16(LO(s16, S16(x)), HI(s16, S16(y))));
  RANDOM("vqdmlal.s32", vqdmlal_s32(S64(z), LO(s32, S32(x)), HI(s32, S32(y))));
  RANDOM("vqdmlsl.s16", vqdmlsl_s16(S32(z), LO(s16, S16(x)), HI(s16, S16(y))));
  RANDOM("vqdmlal.s16 scalar", vqdmlal_lane_s16(S32(z), LO(s16, S16(x)), HI(s16, S16(y)), 2));
  RANDOM("vrshr.s8 #8", vrshrq_n_s8(S8(x), 8));
  RANDOM("vrshr.u16 #16", vrshrq_n_u16(U16(x), 16));
  RANDOM("vrshr.s32 #13", vrshrq_n_s32(S32(x), 13));
  RANDOM("vrshr.u64 #1", vrshrq_n_u64(U64(x), 1));
  RANDOM("vrsra.u8 #3", vrsraq_n_u8(U8(z), U8(x), 3));
  RANDOM("vrsra.s64 #64", vrsraq_n_s64(S64(z), S64(x), 64));
  RANDOM("vqshl.s8 #5", vqshlq_n_s8(S8(x), 5));
  RANDOM("vqshl.u16 #1", vqshlq_n_u16(U16(x), 1));
  RANDOM("vqshl.s32 #30", vqshlq_n_s32(S32(x), 30));
  RANDOM("vqshl.u64 #7", vqshlq_n_u64(U64(x), 7));
  RANDOM("vqshlu.s16 #0", vqshluq_n_s16(S16(x), 0));
  RANDOM("vqshlu.s64 #33", vqshluq_n_s64(S64(x), 33));
  RANDOM("vqshrn.s16 #8", vcombine_s8(vqshrn_n_s16(S16(x), 8), vqshrn_n_s16(S16(y), 1)));
  RANDOM("vqrshrn.u32 #5", vcombine_u16(vqrshrn_n_u32(U32(x), 5), vqrshrn_n_u32(U32(y), 16)));
  RANDOM("vqrshrun.s64 #32", vcombine_u32(vqrshrun_n_s64(S64(x), 32), vqshrun_n_s64(S64(y), 3)));
  RANDOM("vqshrun.s32 #2", vcombine_u16(vqshrun_n_s32(S32(x), 2), vqrshrun_n_s32(S32(y), 16)));
  RANDOM("vrshrn.i64 #20", vcombine_u32(vrshrn_n_u64(U64(x), 20), vrshrn_n_u64(U64(y), 32)));
  RANDOM("vqmovn.s64", vcombine_s32(vqmovn_s64(S64(x)), vqmovn_s64(S64(y))));
  RANDOM("vqmovn.u16", vcombine_u8(vqmovn_u16(U16(x)), vqmovn_u16(U16(y))));
  RANDOM("vqmovun.s32", vcombine_u16(vqmovun_s32(S32(x)), vqmovun_s32(S32(y))));
  RANDOM("vqmovn.u64", vcombine_u32(vqmovn_u64(U64(x)), vqmovn_u64(U64(y))));
  RANDOM("vqabs.s8", vqabsq_s8(S8(x)));
  RANDOM("vqabs.s32", vqabsq_s32(S32(x)));
  RANDOM("vqneg.s16", vqnegq_s16(S16(x)));
  RANDOM("vqneg.s32", vqnegq_s32(S32(x)));
  RANDOM("vshl.s8 reg", vshlq_s8(S8(x), S8(y)));
  RANDOM("vshl.u32 reg", vshlq_u32(U32(x), S32(SHIFTS(y))));
  RANDOM("vrshl.s16 reg", vrshlq_s16(S16(x), S16(SHIFTS(y))));
  RANDOM("vrshl.u32 reg", vrshlq_u32(U32(x), S32(SHIFTS(y))));
  RANDOM("vqshl.s32 reg", vqshlq_s32(S32(x), S32(SHIFTS(y))));
  RANDOM("vqshl.u8 reg", vqshlq_u8(U8(x), S8(SHIFTS(y))));
  RANDOM("vqrshl.s16 reg", vqrshlq_s16(S16(x), S16(SHIFTS(y))));
  RANDOM("vqrshl.u32 reg", vqrshlq_u32(U32(x), S32(SHIFTS(y))));
  RANDOM("vqrshl.s64 reg", vqrshlq_s64(S64(x), S64(SHIFTS(y))));
  RANDOM("vclz.i16", vclzq_u16(U16(x)));
  RANDOM("vcls.s32", vclsq_s32(S32(x)));
  RANDOM("vcls.s8", vclsq_s8(S8(x)));
}

int main(void) {
  for (int i = 0; i < 64; i++) bytes[i] = (uint8_t)(i * 37 + 11) ^ (i & 8 ? 0x80 : 0);
  bytes[3] = 0xff, bytes[4] = 0x80, bytes[5] = 0x7f, bytes[6] = 0;
  for (int i = 0; i < 32; i++) halves[i] = (int16_t)(i * 4099 - 60000);
  halves[1] = 32767, halves[2] = -32768;
  for (int i = 0; i < 16; i++) words[i] = (int32_t)((uint32_t)i * 0x12345679u - 0x40000000u);
  words[1] = 0x7fffffff, words[2] = (int32_t)0x80000000;
  float fs[16] = {1.5f, -2.25f, 0.0f, -0.0f, 3e38f, -3e38f, 1e-40f, 7.0f, 1.0f / 3, 100.5f, -0.75f, 65536.0f, 2.5f, -2.5f, 1e10f, -1e-3f};
  memcpy(floats, fs, sizeof fs);

  uint8x16_t a8 = vld1q_u8(bytes), b8 = vld1q_u8(bytes + 16);
  int16x8_t a16 = vld1q_s16(halves), b16 = vld1q_s16(halves + 8);
  int32x4_t a32 = vld1q_s32(words), b32 = vld1q_s32(words + 4);
  float32x4_t fa = vld1q_f32(floats), fb = vld1q_f32(floats + 4);

  /* Integer arithmetic, halving, saturating (QC). */
  p8("vadd.i8", vaddq_u8(a8, b8));
  p8("vsub.i8", vsubq_u8(a8, b8));
  p8("vhadd.u8", vhaddq_u8(a8, b8));
  p8("vrhadd.s8", vreinterpretq_u8_s8(vrhaddq_s8(vreinterpretq_s8_u8(a8), vreinterpretq_s8_u8(b8))));
  p8("vhsub.s8", vreinterpretq_u8_s8(vhsubq_s8(vreinterpretq_s8_u8(a8), vreinterpretq_s8_u8(b8))));
  clear_qc();
  p8("vqadd.u8", vqaddq_u8(a8, b8));
  printf("qc after vqadd.u8: %u\n", fpscr_qc());
  clear_qc();
  p16("vqadd.s16", vreinterpretq_u16_s16(vqaddq_s16(a16, b16)));
  p16("vqsub.s16", vreinterpretq_u16_s16(vqsubq_s16(a16, b16)));
  printf("qc after vqsub.s16: %u\n", fpscr_qc());
  p32("vqadd.s32", vreinterpretq_u32_s32(vqaddq_s32(a32, b32)));
  p64("vqadd.u64", vqaddq_u64(vreinterpretq_u64_s32(a32), vreinterpretq_u64_s32(b32)));
  p32("vabd.s32", vreinterpretq_u32_s32(vabdq_s32(a32, b32)));
  p16("vaba.u16", vabaq_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16), vreinterpretq_u16_s16(a16)));
  p8("vmax.s8", vreinterpretq_u8_s8(vmaxq_s8(vreinterpretq_s8_u8(a8), vreinterpretq_s8_u8(b8))));
  p8("vmin.u8", vminq_u8(a8, b8));
  p16("vmul.i16", vreinterpretq_u16_s16(vmulq_s16(a16, b16)));
  p32("vmla.i32", vreinterpretq_u32_s32(vmlaq_s32(a32, b32, a32)));
  p32("vmls.i32", vreinterpretq_u32_s32(vmlsq_s32(a32, b32, b32)));
  p16("vqdmulh.s16", vreinterpretq_u16_s16(vqdmulhq_s16(a16, b16)));
  p32("vqrdmulh.s32", vreinterpretq_u32_s32(vqrdmulhq_s32(a32, b32)));
  p8("vmul.p8", vreinterpretq_u8_p8(vmulq_p8(vreinterpretq_p8_u8(a8), vreinterpretq_p8_u8(b8))));
  p8("vabs.s8", vreinterpretq_u8_s8(vabsq_s8(vreinterpretq_s8_u8(a8))));
  p8("vqabs.s8", vreinterpretq_u8_s8(vqabsq_s8(vreinterpretq_s8_u8(a8))));
  p16("vneg.s16", vreinterpretq_u16_s16(vnegq_s16(a16)));
  p16("vqneg.s16", vreinterpretq_u16_s16(vqnegq_s16(a16)));

  /* Shifts. */
  p8("vshr.u8 #3", vshrq_n_u8(a8, 3));
  p16("vshr.s16 #16", vreinterpretq_u16_s16(vshrq_n_s16(a16, 16)));
  p32("vrshr.s32 #7", vreinterpretq_u32_s32(vrshrq_n_s32(a32, 7)));
  p32("vsra.u32 #9", vsraq_n_u32(vreinterpretq_u32_s32(a32), vreinterpretq_u32_s32(b32), 9));
  p16("vrsra.s16 #2", vreinterpretq_u16_s16(vrsraq_n_s16(a16, b16, 2)));
  p8("vshl.i8 #5", vshlq_n_u8(a8, 5));
  p64("vshl.i64 #33", vshlq_n_u64(vreinterpretq_u64_s32(a32), 33));
  p64("vshr.s64 #40", vreinterpretq_u64_s64(vshrq_n_s64(vreinterpretq_s64_s32(a32), 40)));
  p8("vsri.8 #3", vsriq_n_u8(a8, b8, 3));
  p16("vsli.16 #4", vsliq_n_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16), 4));
  p16("vqshl.s16 #3", vreinterpretq_u16_s16(vqshlq_n_s16(a16, 3)));
  p16("vqshlu.s16 #2", vqshluq_n_s16(a16, 2));
  p32("vqshl.u32 #4", vqshlq_n_u32(vreinterpretq_u32_s32(a32), 4));
  int8x16_t sh = vreinterpretq_s8_u8(vandq_u8(b8, vdupq_n_u8(0x8f)));
  p8("vshl.u8 reg", vshlq_u8(a8, sh));
  p8("vrshl.s8 reg", vreinterpretq_u8_s8(vrshlq_s8(vreinterpretq_s8_u8(a8), sh)));
  p8("vqshl.s8 reg", vreinterpretq_u8_s8(vqshlq_s8(vreinterpretq_s8_u8(a8), sh)));
  p16("vqrshl.u16 reg", vqrshlq_u16(vreinterpretq_u16_s16(a16), vreinterpretq_s16_u16(vandq_u16(vreinterpretq_u16_s16(b16), vdupq_n_u16(0x801f)))));

  /* Narrowing and widening. */
  pd("vmovn.i16", vmovn_u16(vreinterpretq_u16_s16(a16)));
  pd("vqmovn.s16", vreinterpret_u8_s8(vqmovn_s16(a16)));
  pd("vqmovun.s16", vqmovun_s16(a16));
  p16("vqmovn.u32", vcombine_u16(vqmovn_u32(vreinterpretq_u32_s32(a32)), vdup_n_u16(1)));
  pd("vshrn.i16 #5", vshrn_n_u16(vreinterpretq_u16_s16(a16), 5));
  pd("vrshrn.i16 #8", vrshrn_n_u16(vreinterpretq_u16_s16(a16), 8));
  pd("vqshrn.s16 #2", vreinterpret_u8_s8(vqshrn_n_s16(a16, 2)));
  pd("vqrshrun.s16 #3", vqrshrun_n_s16(a16, 3));
  p16("vmovl.u8", vmovl_u8(vget_low_u8(a8)));
  p32("vmovl.s16", vreinterpretq_u32_s32(vmovl_s16(vget_high_s16(a16))));
  p32("vshll.s16 #5", vreinterpretq_u32_s32(vshll_n_s16(vget_low_s16(a16), 5)));
  p16("vshll.u8 #8", vshll_n_u8(vget_low_u8(a8), 8));
  p16("vaddl.u8", vaddl_u8(vget_low_u8(a8), vget_high_u8(b8)));
  p32("vsubl.s16", vreinterpretq_u32_s32(vsubl_s16(vget_low_s16(a16), vget_high_s16(b16))));
  p16("vaddw.u8", vaddw_u8(vreinterpretq_u16_s16(a16), vget_low_u8(b8)));
  p64("vsubw.s32", vreinterpretq_u64_s64(vsubw_s32(vreinterpretq_s64_s32(a32), vget_low_s32(b32))));
  pd("vaddhn.i16", vaddhn_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16)));
  pd("vrsubhn.i16", vrsubhn_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16)));
  p32("vmull.s16", vreinterpretq_u32_s32(vmull_s16(vget_low_s16(a16), vget_high_s16(b16))));
  p64("vmull.u32", vmull_u32(vget_low_u32(vreinterpretq_u32_s32(a32)), vget_high_u32(vreinterpretq_u32_s32(b32))));
  p16("vmull.p8", vreinterpretq_u16_p16(vmull_p8(vreinterpret_p8_u8(vget_low_u8(a8)), vreinterpret_p8_u8(vget_low_u8(b8)))));
  p32("vmlal.u16", vmlal_u16(vreinterpretq_u32_s32(a32), vget_low_u16(vreinterpretq_u16_s16(a16)), vget_low_u16(vreinterpretq_u16_s16(b16))));
  p64("vmlsl.s32", vreinterpretq_u64_s64(vmlsl_s32(vreinterpretq_s64_s32(b32), vget_low_s32(a32), vget_high_s32(b32))));
  p32("vabdl.u16", vabdl_u16(vget_low_u16(vreinterpretq_u16_s16(a16)), vget_low_u16(vreinterpretq_u16_s16(b16))));
  p16("vabal.s8", vreinterpretq_u16_s16(vabal_s8(a16, vget_low_s8(vreinterpretq_s8_u8(a8)), vget_high_s8(vreinterpretq_s8_u8(b8)))));
  clear_qc();
  p32("vqdmull.s16", vreinterpretq_u32_s32(vqdmull_s16(vget_low_s16(a16), vget_low_s16(a16))));
  printf("qc after vqdmull: %u\n", fpscr_qc());
  p64("vqdmlal.s32", vreinterpretq_u64_s64(vqdmlal_s32(vreinterpretq_s64_s32(a32), vget_low_s32(a32), vget_high_s32(b32))));

  /* By scalar. */
  p16("vmul.i16 scalar", vreinterpretq_u16_s16(vmulq_lane_s16(a16, vget_low_s16(b16), 3)));
  p32("vmla.i32 scalar", vreinterpretq_u32_s32(vmlaq_lane_s32(a32, b32, vget_high_s32(a32), 1)));
  p32("vmull.s16 scalar", vreinterpretq_u32_s32(vmull_lane_s16(vget_low_s16(a16), vget_high_s16(b16), 2)));
  p32("vqdmulh.s32 scalar", vreinterpretq_u32_s32(vqdmulhq_lane_s32(a32, vget_low_s32(b32), 0)));
  p32("vmul.f32 scalar", vreinterpretq_u32_f32(vmulq_lane_f32(fa, vget_high_f32(fb), 1)));
  p32("vmla.f32 scalar", vreinterpretq_u32_f32(vmlaq_lane_f32(fa, fb, vget_low_f32(fa), 0)));

  /* Comparisons, bit ops, selects. */
  p8("vceq.i8", vceqq_u8(vandq_u8(a8, vdupq_n_u8(3)), vandq_u8(b8, vdupq_n_u8(3))));
  p8("vcgt.s8", vcgtq_s8(vreinterpretq_s8_u8(a8), vreinterpretq_s8_u8(b8)));
  p16("vcge.u16", vcgeq_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16)));
  p32("vtst.32", vtstq_s32(a32, b32));
  p32("vclt.s32 #0", vcltq_s32(a32, vdupq_n_s32(0)));
  p32("vcge.s32 #0", vcgeq_s32(b32, vdupq_n_s32(0)));
  p8("vbsl", vbslq_u8(vcgtq_u8(a8, b8), a8, b8));
  p8("vbic", vbicq_u8(a8, b8));
  p8("vorn", vornq_u8(a8, b8));
  p8("veor", veorq_u8(a8, b8));
  p8("vmvn", vmvnq_u8(a8));
  p8("vcnt", vcntq_u8(a8));
  p8("vclz.i8", vclzq_u8(a8));
  p32("vclz.i32", vreinterpretq_u32_s32(vclzq_s32(a32)));
  p16("vcls.s16", vreinterpretq_u16_s16(vclsq_s16(a16)));
  p32("vorr imm", vorrq_u32(vreinterpretq_u32_s32(a32), vdupq_n_u32(0x00ab0000)));
  p16("vbic imm", vbicq_u16(vreinterpretq_u16_s16(a16), vdupq_n_u16(0xff00)));
  p64("vmov.i64 imm", vdupq_n_u64(0xff00ff0000ffff00ull));
  p32("vmvn.i32 imm", vdupq_n_u32(0xffff54ff));

  /* Permutes, table lookups, pairwise. */
  p8("vext #5", vextq_u8(a8, b8, 5));
  p8("vrev64.8", vrev64q_u8(a8));
  p16("vrev32.16", vrev32q_u16(vreinterpretq_u16_s16(a16)));
  p8("vrev16.8", vrev16q_u8(a8));
  uint8x16x2_t z = vzipq_u8(a8, b8);
  p8("vzip.8 d", z.val[0]);
  p8("vzip.8 m", z.val[1]);
  uint16x8x2_t u = vuzpq_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16));
  p16("vuzp.16 d", u.val[0]);
  p16("vuzp.16 m", u.val[1]);
  uint32x4x2_t t = vtrnq_u32(vreinterpretq_u32_s32(a32), vreinterpretq_u32_s32(b32));
  p32("vtrn.32 d", t.val[0]);
  p32("vtrn.32 m", t.val[1]);
  uint8x8x2_t table = {{vget_low_u8(a8), vget_high_u8(a8)}};
  uint8x8_t idx = vand_u8(vget_low_u8(b8), vdup_n_u8(0x13));
  pd("vtbl.8 2 regs", vtbl2_u8(table, idx));
  pd("vtbx.8 1 reg", vtbx1_u8(vget_high_u8(b8), vget_low_u8(a8), idx));
  pd("vpadd.i8", vpadd_u8(vget_low_u8(a8), vget_high_u8(b8)));
  p16("vpaddl.u8", vpaddlq_u8(a8));
  p32("vpadal.s16", vreinterpretq_u32_s32(vpadalq_s16(a32, b16)));
  p16("vpmax.s16", vreinterpretq_u16_s16(vcombine_s16(vpmax_s16(vget_low_s16(a16), vget_high_s16(b16)), vpmin_s16(vget_low_s16(a16), vget_high_s16(b16)))));
  p8("vdup lane", vdupq_lane_u8(vget_high_u8(a8), 6));
  p16("vdup core", vdupq_n_u16((uint16_t)words[3]));
  uint16x8_t ins = vsetq_lane_u16((uint16_t)words[5], vreinterpretq_u16_s16(a16), 6);
  p16("vmov.16 to lane", ins);
  printf("vmov.s8 from lane: %d, vmov.u16: %u, vmov.32: %d\n", vgetq_lane_s8(vreinterpretq_s8_u8(a8), 9), vgetq_lane_u16(ins, 6), vgetq_lane_s32(a32, 3));

  /* Float. */
  p32("vadd.f32", vreinterpretq_u32_f32(vaddq_f32(fa, fb)));
  p32("vsub.f32", vreinterpretq_u32_f32(vsubq_f32(fa, fb)));
  p32("vmul.f32", vreinterpretq_u32_f32(vmulq_f32(fa, fb)));
  p32("vmla.f32", vreinterpretq_u32_f32(vmlaq_f32(fa, fb, fb)));
  p32("vabd.f32", vreinterpretq_u32_f32(vabdq_f32(fa, fb)));
  p32("vmax.f32", vreinterpretq_u32_f32(vmaxq_f32(fa, fb)));
  p32("vmin.f32", vreinterpretq_u32_f32(vminq_f32(fa, fb)));
  p32("vpadd.f32", vreinterpretq_u32_f32(vcombine_f32(vpadd_f32(vget_low_f32(fa), vget_high_f32(fb)), vpmax_f32(vget_low_f32(fa), vget_high_f32(fa)))));
  p32("vceq.f32", vceqq_f32(fa, fb));
  p32("vcge.f32", vcgeq_f32(fa, fb));
  p32("vcagt.f32", vcagtq_f32(fa, fb));
  p32("vabs.f32", vreinterpretq_u32_f32(vabsq_f32(fb)));
  p32("vneg.f32", vreinterpretq_u32_f32(vnegq_f32(fa)));
  p32("vcvt.s32.f32", vreinterpretq_u32_s32(vcvtq_s32_f32(fb)));
  p32("vcvt.u32.f32", vcvtq_u32_f32(fa));
  p32("vcvt.f32.s32", vreinterpretq_u32_f32(vcvtq_f32_s32(a32)));
  p32("vcvt.f32.u32 #8", vreinterpretq_u32_f32(vcvtq_n_f32_u32(vreinterpretq_u32_s32(b32), 8)));
  p32("vcvt.s32.f32 #4", vreinterpretq_u32_s32(vcvtq_n_s32_f32(fa, 4)));

  estimates();
  more_forms(a8, b8, a16, a32);
  saturating_random();

  /* Loads and stores: structures, lanes, all lanes, writeback. */
  uint8x8x3_t l3 = vld3_u8(bytes + 1);
  pd("vld3.8 0", l3.val[0]);
  pd("vld3.8 2", l3.val[2]);
  uint16x4x4_t l4 = vld4_u16((const uint16_t *)halves);
  p16("vld4.16 1,3", vreinterpretq_u16_u64(vcombine_u64(vreinterpret_u64_u16(l4.val[1]), vreinterpret_u64_u16(l4.val[3]))));
  uint32x4x2_t l2 = vld2q_u32((const uint32_t *)words + 1);
  p32("vld2q.32 0", l2.val[0]);
  p32("vld2q.32 1", l2.val[1]);
  uint8_t out[64];
  memset(out, 0xee, sizeof out);
  vst3_u8(out + 2, l3);
  vst4_u16((uint16_t *)(out + 30), l4);
  p8("vst3.8", vld1q_u8(out));
  p8("vst4.16", vld1q_u8(out + 30));
  uint16x4_t lane = vld1_lane_u16((const uint16_t *)bytes + 5, vget_low_u16(vreinterpretq_u16_s16(a16)), 2);
  p16("vld1.16 lane", vcombine_u16(lane, vld1_dup_u16((const uint16_t *)bytes + 7)));
  uint32x2x2_t two = vld2_dup_u32((const uint32_t *)words + 3);
  p32("vld2.32 dup", vcombine_u32(two.val[0], two.val[1]));
  vst1q_lane_u32((uint32_t *)out, vreinterpretq_u32_s32(a32), 3);
  vst2_lane_u8(out + 8, (uint8x8x2_t){{vget_low_u8(a8), vget_high_u8(b8)}}, 5);
  p8("vst1/vst2 lane", vld1q_u8(out));
  const uint8_t *walk = bytes;
  uint32_t acc = 0;
  for (int i = 0; i < 4; i++) {
    uint8x16_t v;
    __asm__ volatile("vld1.8 {%q0}, [%1]!" : "=w"(v), "+r"(walk));
    acc = acc * 31 + vgetq_lane_u8(v, 3);
  }
  printf("vld1 writeback: advanced %d acc %u\n", (int)(walk - bytes), acc);
  return 0;
}
