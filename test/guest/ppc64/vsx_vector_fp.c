/*
 * The VSX vector floating-point instructions besides add, subtract, multiply, divide and the
 * multiply-adds: square root and estimates, rounding to integral (xvr{dp,sp}i{,c,m,p,z}), the sign
 * operations, maximum and minimum, the compares with CR6, and the conversions between single,
 * double, word and doubleword lanes; and the VMX single-precision instructions (vaddfp ... vcmpbfp).
 * Sources are special values (zeros, infinities, quiet and signalling NaNs, subnormals, the
 * integer limits' neighbours) and pseudo-random doubles and singles of moderate exponents; results
 * print as doublewords in element order, so both byte orders print the same text.
 *
 * The conversions to integers (xvcv{dp,sp}{s,u}xws, xvcvsp{s,u}xds) get finite in-range sources only:
 * qemu 7.2 gives every lane after an invalid one (a NaN, a value out of range) the invalid
 * result too, where the ISA converts each lane on its own.
 */
#define VEC128_SEED 0x452821e638d01377ull
#include "vec128.h"

#define VSX_BINARY(insn, a, b)                                    \
  do {                                                            \
    v16 out;                                                        \
    __asm__(#insn " %x0,%x1,%x2" : "=wa"(out) : "wa"(a), "wa"(b)); \
    show(#insn, out);                                               \
  } while (0)
/* A record-form compare: the mask and CR6. */
#define VSX_COMPARE(insn, a, b)                                                                    \
  do {                                                                                             \
    v16 out;                                                                                         \
    unsigned long cr;                                                                              \
    __asm__(#insn ". %x0,%x2,%x3\n\tmfcr %1" : "=wa"(out), "=r"(cr) : "wa"(a), "wa"(b) : "cr6");    \
    show(#insn, out);                                                                                \
    printf(" cr6=%lx", (cr >> 4) & 15);                                                            \
  } while (0)
#define VMX_SCALED(insn, uim, b)                            \
  do {                                                      \
    v16 out;                                                  \
    __asm__(#insn " %0,%1," #uim : "=v"(out) : "v"(b));       \
    show(#insn "/" #uim, out);                                \
  } while (0)

static const uint64_t SPECIAL_DOUBLES[] = {
    0, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
    0x7ff4000000000001ull, 0xfff8000000000123ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x3ff0000000000000ull, 0xbfe0000000000000ull, 0x4004000000000000ull, 0xc01c000000000000ull,
    0x41dfffffffc00000ull, 0x41e0000000000000ull, 0xc1e0000000200000ull, 0x43e0000000000000ull,
    0x43f0000000000000ull, 0x3fe8000000000000ull, 0x4002800000000000ull, 0x47efffffe0000000ull,
    0x3810000000000000ull, 0x36a0000000000000ull,
};
static const uint32_t SPECIAL_SINGLES[] = {
    0,          0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0xffc00123, 0x00000001,
    0x807fffff, 0x3f800000, 0xbf000000, 0x40200000, 0xc0e00000, 0x4effffff, 0x4f000000, 0xcf000001,
    0x5f000000, 0x3f400000, 0x40140000, 0x7f7fffff, 0x00800000, 0xb3800000, 0x4f800000,
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A double of moderate exponent (|x| in about 2^-20..2^40), or a special one now and then. */
static uint64_t random_double(void) {
  uint64_t r = next();
  if ((r & 7) == 0) return SPECIAL_DOUBLES[(r >> 3) % COUNT(SPECIAL_DOUBLES)];
  return (r & 0x800fffffffffffffull) | ((uint64_t)(1003 + (r >> 52) % 60) << 52);
}
static uint32_t random_single(void) {
  uint64_t r = next();
  if ((r & 7) == 0) return SPECIAL_SINGLES[(r >> 3) % COUNT(SPECIAL_SINGLES)];
  return (uint32_t)((r & 0x807fffff) | ((uint64_t)(107 + (r >> 40) % 60) << 23));
}
/* A positive double below 2^31, or a negative one above -1 (in range for both word conversions). */
static uint64_t random_in_range_double(void) {
  uint64_t r = next();
  return (r & 1) ? (uint64_t)(1023 + (r >> 8) % 31) << 52 | (r >> 12 & 0xfffffffffffffull) : 0xbfe0000000000000ull | (r >> 20);
}
static uint32_t random_in_range_single(void) {
  uint64_t r = next();
  return (r & 1) ? (uint32_t)((127 + (r >> 8) % 31) << 23 | (r >> 40 & 0x7fffff)) : 0xbf000000u | (uint32_t)(r >> 44);
}
static v16 doubles(void) { return make(random_double(), random_double()); }
static v16 singles(void) {
  uint64_t hi = (uint64_t)random_single() << 32 | random_single();
  return make(hi, (uint64_t)random_single() << 32 | random_single());
}
/* Words holding integers, some at the limits. */
static v16 words(void) {
  static const uint32_t edges[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x01000001};
  uint64_t r = next();
  uint64_t hi = (r & 3) ? next() : (uint64_t)edges[r % 6] << 32 | edges[(r >> 8) % 6];
  return make(hi, next() >> (r & 31));
}
static v16 dwords(void) {
  uint64_t r = next();
  return make(next() >> (r & 63), (r & 1) ? 0x8000000000000000ull : next() >> ((r >> 8) & 63));
}

int main(void) {
  for (int i = 0; i < 160; i++) {
    v16 a = doubles(), b = doubles();
    printf("dp %d:", i);
    VSX_UNARY(xvsqrtdp, a);
    VSX_UNARY(xvredp, a);
    VSX_UNARY(xvrsqrtedp, a);
    VSX_UNARY(xvrdpi, a);
    VSX_UNARY(xvrdpic, a);
    VSX_UNARY(xvrdpim, a);
    VSX_UNARY(xvrdpip, a);
    VSX_UNARY(xvrdpiz, a);
    VSX_UNARY(xvabsdp, a);
    VSX_UNARY(xvnabsdp, a);
    VSX_UNARY(xvnegdp, a);
    VSX_BINARY(xvcpsgndp, a, b);
    VSX_BINARY(xvmaxdp, a, b);
    VSX_BINARY(xvmindp, a, b);
    VSX_COMPARE(xvcmpeqdp, a, (i & 1) ? a : b);
    VSX_COMPARE(xvcmpgtdp, a, b);
    VSX_COMPARE(xvcmpgedp, a, b);
    VSX_UNARY(xvcvdpsp, a);
    v16 in_range = make(random_in_range_double(), random_in_range_double());
    VSX_UNARY(xvcvdpsxws, in_range);
    VSX_UNARY(xvcvdpuxws, in_range);
    printf("\n");

    v16 s = singles(), t = singles();
    printf("sp %d:", i);
    VSX_UNARY(xvsqrtsp, s);
    VSX_UNARY(xvresp, s);
    VSX_UNARY(xvrsqrtesp, s);
    VSX_UNARY(xvrspi, s);
    VSX_UNARY(xvrspic, s);
    VSX_UNARY(xvrspim, s);
    VSX_UNARY(xvrspip, s);
    VSX_UNARY(xvrspiz, s);
    VSX_UNARY(xvabssp, s);
    VSX_UNARY(xvnabssp, s);
    VSX_UNARY(xvnegsp, s);
    VSX_BINARY(xvcpsgnsp, s, t);
    VSX_BINARY(xvmaxsp, s, t);
    VSX_BINARY(xvminsp, s, t);
    VSX_COMPARE(xvcmpeqsp, s, (i & 1) ? s : t);
    VSX_COMPARE(xvcmpgtsp, s, t);
    VSX_COMPARE(xvcmpgesp, s, t);
    VSX_UNARY(xvcvspdp, s);
    v16 in_range_singles = make((uint64_t)random_in_range_single() << 32 | random_in_range_single(),
                                (uint64_t)random_in_range_single() << 32 | random_in_range_single());
    VSX_UNARY(xvcvspsxws, in_range_singles);
    VSX_UNARY(xvcvspuxws, in_range_singles);
    VSX_UNARY(xvcvspsxds, in_range_singles);
    VSX_UNARY(xvcvspuxds, in_range_singles);
    printf("\n");

    v16 w = words(), d = dwords();
    printf("int %d:", i);
    VSX_UNARY(xvcvsxwsp, w);
    VSX_UNARY(xvcvuxwsp, w);
    VSX_UNARY(xvcvsxdsp, d);
    VSX_UNARY(xvcvuxdsp, d);
    printf("\n");

    v16 u = singles();
    printf("vmx %d:", i);
    BINARY(vaddfp, s, t);
    BINARY(vsubfp, s, t);
    TERNARY(vmaddfp, s, t, u);
    TERNARY(vnmsubfp, s, t, u);
    BINARY(vmaxfp, s, t);
    BINARY(vminfp, s, t);
    UNARY(vrfin, s);
    UNARY(vrfiz, s);
    UNARY(vrfip, s);
    UNARY(vrfim, s);
    VMX_SCALED(vcfsx, 0, w);
    VMX_SCALED(vcfux, 3, w);
    VMX_SCALED(vctsxs, 0, s);
    VMX_SCALED(vctuxs, 5, s);
    COMPARE(vcmpeqfp, s, (i & 1) ? s : t);
    COMPARE(vcmpgtfp, s, t);
    COMPARE(vcmpgefp, s, t);
    COMPARE(vcmpbfp, s, t);
    printf("\n");
  }
  return 0;
}
