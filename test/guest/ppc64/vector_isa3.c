/*
 * The VMX/VSX integer instructions of Power ISA 2.07 and 3.0 that Go's crypto and big-number code
 * and gcc's power9 code generation use: the quadword arithmetic (vadduqm, vaddcuq, vaddeuqm,
 * vaddecuq, vsub*uqm/cuq, vaddcuw, vsubcuw), counts (vclz*, vctz*, vprtyb*), doubleword min/max and
 * compares, averages, absolute differences, negation, sign extension, byte multiplies and
 * multiply-sums, vcmpnez* (with CR6), the permutes vpermr, vpermxor, xxperm, xxpermr, xxbr*,
 * xxspltib, vextract*, vinsert*, xxextractuw, xxinsertw, and the loads and stores lxvb16x,
 * lxvh8x, lxvwsx, lxsibzx, lxsihzx and their stores, the element stores stvebx, stvehx, stvewx; and the saturating adds, subtracts, sums
 * across and packs with the VSCR[SAT] bit each leaves (VSCR cleared before each). Sources are edge patterns and pseudo-random
 * values (carries chained through all-ones, zero elements); results print as doublewords in
 * element order, so both byte orders print the same text.
 */
#define VEC128_SEED 0x243f6a8885a308d3ull
#include "vec128.h"

/* A record-form compare: the mask and CR6. */
/* xxperm/xxpermr read XT as their second source. */
#define VSX_PERM(insn, a, t0, c)                                       \
  do {                                                                 \
    v16 t = t0;                                                        \
    __asm__(#insn " %x0,%x1,%x2" : "+wa"(t) : "wa"(a), "wa"(c));       \
    show(#insn, t);                                                    \
  } while (0)
#define EXTRACT(insn, uim, b)                                   \
  do {                                                          \
    v16 t;                                                      \
    __asm__(#insn " %0,%1," #uim : "=v"(t) : "v"(b));           \
    show(#insn "/" #uim, t);                                    \
  } while (0)
#define INSERT(insn, uim, t0, b)                                \
  do {                                                          \
    v16 t = t0;                                                 \
    __asm__(#insn " %0,%1," #uim : "+v"(t) : "v"(b));           \
    show(#insn "/" #uim, t);                                    \
  } while (0)
#define VSX_EXTRACT(insn, uim, t0, b)                           \
  do {                                                          \
    v16 t = t0;                                                 \
    __asm__(#insn " %x0,%x1," #uim : "+wa"(t) : "wa"(b));       \
    show(#insn "/" #uim, t);                                    \
  } while (0)

/* A saturating operation from a cleared VSCR: the result and VSCR[SAT]. */
#define SATURATING(insn, a, b)                                                                              \
  do {                                                                                                      \
    v16 t, vscr, zero = {0};                                                                                \
    __asm__ volatile("mtvscr %3\n\t" #insn " %0,%2,%4\n\tmfvscr %1" : "=&v"(t), "=&v"(vscr) : "v"(a), "v"(zero), "v"(b)); \
    show(#insn, t);                                                                                         \
    printf(" sat=%d", (int)(dword(vscr, 1) & 1));                                                           \
  } while (0)

static void run(v16 a, v16 b, v16 c) {
  show("a", a);
  show("b", b);
  show("c", c);
  BINARY(vadduqm, a, b);
  BINARY(vaddcuq, a, b);
  TERNARY(vaddeuqm, a, b, c);
  TERNARY(vaddecuq, a, b, c);
  BINARY(vsubuqm, a, b);
  BINARY(vsubcuq, a, b);
  TERNARY(vsubeuqm, a, b, c);
  TERNARY(vsubecuq, a, b, c);
  BINARY(vaddcuw, a, b);
  BINARY(vsubcuw, a, b);
  UNARY(vclzb, a);
  UNARY(vclzh, a);
  UNARY(vclzw, a);
  UNARY(vclzd, a);
  UNARY(vctzb, a);
  UNARY(vctzh, a);
  UNARY(vctzw, a);
  UNARY(vctzd, a);
  UNARY(vprtybw, a);
  UNARY(vprtybd, a);
  UNARY(vprtybq, a);
  UNARY(vnegw, a);
  UNARY(vnegd, a);
  UNARY(vextsb2w, a);
  UNARY(vextsh2w, a);
  UNARY(vextsb2d, a);
  UNARY(vextsh2d, a);
  UNARY(vextsw2d, a);
  BINARY(vmaxud, a, b);
  BINARY(vmaxsd, a, b);
  BINARY(vminud, a, b);
  BINARY(vminsd, a, b);
  BINARY(vavguw, a, b);
  BINARY(vavgsb, a, b);
  BINARY(vavgsh, a, b);
  BINARY(vavgsw, a, b);
  BINARY(vabsdub, a, b);
  BINARY(vabsduh, a, b);
  BINARY(vabsduw, a, b);
  BINARY(vmuleub, a, b);
  BINARY(vmulesb, a, b);
  BINARY(vmuloub, a, b);
  BINARY(vmulosb, a, b);
  TERNARY(vmsummbm, a, b, c);
  TERNARY(vmsumuhm, a, b, c);
  TERNARY(vmsumshm, a, b, c);
  TERNARY(vpermr, a, b, c);
  TERNARY(vpermxor, a, b, c);
  COMPARE(vcmpgtud, a, b);
  COMPARE(vcmpnezb, a, b);
  COMPARE(vcmpnezh, a, b);
  COMPARE(vcmpnezw, a, b);
  COMPARE(vcmpnezb, a, a);
  VSX_PERM(xxperm, a, b, c);
  VSX_PERM(xxpermr, a, b, c);
  VSX_UNARY(xxbrh, a);
  VSX_UNARY(xxbrw, a);
  VSX_UNARY(xxbrd, a);
  VSX_UNARY(xxbrq, a);
  EXTRACT(vextractub, 0, a);
  EXTRACT(vextractub, 7, a);
  EXTRACT(vextractub, 15, a);
  EXTRACT(vextractuh, 0, a);
  EXTRACT(vextractuh, 5, a);
  EXTRACT(vextractuh, 14, a);
  EXTRACT(vextractuw, 0, a);
  EXTRACT(vextractuw, 3, a);
  EXTRACT(vextractuw, 12, a);
  EXTRACT(vextractd, 0, a);
  EXTRACT(vextractd, 1, a);
  EXTRACT(vextractd, 8, a);
  INSERT(vinsertb, 0, a, b);
  INSERT(vinsertb, 9, a, b);
  INSERT(vinsertb, 15, a, b);
  INSERT(vinserth, 0, a, b);
  INSERT(vinserth, 7, a, b);
  INSERT(vinserth, 14, a, b);
  INSERT(vinsertw, 0, a, b);
  INSERT(vinsertw, 6, a, b);
  INSERT(vinsertw, 12, a, b);
  INSERT(vinsertd, 0, a, b);
  INSERT(vinsertd, 3, a, b);
  INSERT(vinsertd, 8, a, b);
  VSX_EXTRACT(xxextractuw, 0, c, a);
  VSX_EXTRACT(xxextractuw, 5, c, a);
  VSX_EXTRACT(xxextractuw, 12, c, a);
  VSX_EXTRACT(xxinsertw, 0, c, a);
  VSX_EXTRACT(xxinsertw, 7, c, a);
  VSX_EXTRACT(xxinsertw, 12, c, a);
  SATURATING(vaddubs, a, b);
  SATURATING(vaddsbs, a, b);
  SATURATING(vadduhs, a, b);
  SATURATING(vaddshs, a, b);
  SATURATING(vadduws, a, b);
  SATURATING(vaddsws, a, b);
  SATURATING(vsububs, a, b);
  SATURATING(vsubsbs, a, b);
  SATURATING(vsubuhs, a, b);
  SATURATING(vsubshs, a, b);
  SATURATING(vsubuws, a, b);
  SATURATING(vsubsws, a, b);
  SATURATING(vpkuhus, a, b);
  SATURATING(vpkuwus, a, b);
  SATURATING(vpkshus, a, b);
  SATURATING(vpkswus, a, b);
  SATURATING(vpkshss, a, b);
  SATURATING(vpkswss, a, b);
  SATURATING(vsum4ubs, a, b);
  SATURATING(vsum4sbs, a, b);
  SATURATING(vsum4shs, a, b);
  SATURATING(vsum2sws, a, b);
  SATURATING(vsumsws, a, b);
  SATURATING(vsum4ubs, c, c);
  SATURATING(vsum4shs, c, c);
  SATURATING(vsum2sws, c, c);
  SATURATING(vsumsws, c, c);
  SATURATING(vpkuhus, c, c);
  SATURATING(vpkshss, c, c);
  printf("\n");
}

/* The loads and stores over a byte ramp: what lands in the register, and what lands in memory. */
static void storage(void) {
  unsigned char mem[40], out[40];
  for (int k = 0; k < 40; k++) mem[k] = (unsigned char)(0x11 * k + 3);
  for (int off = 0; off < 3; off++) {
    v16 t;
    printf("off %d", off);
#define LOAD(insn)                                                        \
    __asm__(#insn " %x0,0,%1" : "=wa"(t) : "r"(mem + off) : "memory");   \
    show(#insn, t);
    LOAD(lxvb16x);
    LOAD(lxvh8x);
    LOAD(lxvwsx);
#define STORE(insn)                                                               \
    memset(out, 0xee, sizeof out);                                                \
    __asm__(#insn " %x0,0,%1" : : "wa"(t), "r"(out + off) : "memory");           \
    printf(" %s=", #insn);                                                        \
    for (int k = 0; k < 20; k++) printf("%02x", out[k]);
    __asm__("lxvb16x %x0,0,%1" : "=wa"(t) : "r"(mem + off) : "memory");
    STORE(stxvb16x);
    STORE(stxvh8x);
    /* The scalar forms load into doubleword 0 and store its low bits. */
    uint64_t d;
    __asm__("lxsibzx %x1,0,%2\n\tmfvsrd %0,%x1" : "=r"(d), "=wa"(t) : "r"(mem + off) : "memory");
    printf(" lxsibzx=%016llx", (unsigned long long)d);
    __asm__("lxsihzx %x1,0,%2\n\tmfvsrd %0,%x1" : "=r"(d), "=wa"(t) : "r"(mem + off) : "memory");
    printf(" lxsihzx=%016llx", (unsigned long long)d);
    __asm__("mtvsrd %x0,%1" : "=wa"(t) : "r"(0x0102030405060708ull));
    STORE(stxsibx);
    STORE(stxsihx);
    printf("\n");
  }
}

/*
 * stvebx/stvehx/stvewx at each offset of an aligned quadword, of a register loaded by lvx: each
 * stores the bytes stvx would store there (EA aligned down to the element), in either byte order.
 */
static void element_stores(void) {
  unsigned char ramp[16] __attribute__((aligned(16))), out[32] __attribute__((aligned(16)));
  for (int k = 0; k < 16; k++) ramp[k] = (unsigned char)(0x40 + 7 * k);
  v16 t;
  __asm__("lvx %0,0,%1" : "=v"(t) : "r"(ramp) : "memory");
  for (int off = 0; off < 16; off++) {
    printf("stve off %2d", off);
#define STORE_ELEMENT(insn)                                                     \
    memset(out, 0xee, sizeof out);                                              \
    __asm__(#insn " %0,0,%1" : : "v"(t), "r"(out + 16 + off) : "memory");       \
    printf(" %s=", #insn);                                                      \
    for (int k = 16; k < 32; k++) printf("%02x", out[k]);
    STORE_ELEMENT(stvebx);
    STORE_ELEMENT(stvehx);
    STORE_ELEMENT(stvewx);
    printf("\n");
  }
}

/* xxspltib over immediates of both signs. */
static void splats(void) {
  v16 t;
#define SPLAT(imm)                                  \
  __asm__("xxspltib %x0," #imm : "=wa"(t));         \
  show("xxspltib/" #imm, t);
  SPLAT(0);
  SPLAT(1);
  SPLAT(127);
  SPLAT(128);
  SPLAT(255);
  printf("\n");
}

int main(void) {
  const uint64_t ones = ~0ull;
  /* Carries through all-ones halves, zero and all-ones sources, single bits. */
  run(make(ones, ones), make(0, 1), make(0, 1));
  run(make(0, ones), make(0, 1), make(0, 0));
  run(make(ones, ones), make(ones, ones), make(ones, ones));
  run(make(0, 0), make(0, 0), make(0, 1));
  run(make(0, 0), make(0, 1), make(0, 0));
  run(make(0x8000000000000000ull, 1), make(0x7fffffffffffffffull, ones), make(0x0102030405060708ull, 0x1f1e1d1c1b1a1918ull));
  run(make(0x0000000100000080ull, 0x0001000000008000ull), make(0x00ff00ff00000000ull, 0x8080808000000001ull), make(0, 0));
  for (int n = 0; n < 150; n++) {
    v16 a = make(next(), next()), b = make(next(), next()), c = make(next(), next());
    /* Some zero bytes, for the vcmpnez* and count cases. */
    if (n % 3 == 0) a = make(dword(a, 0) & 0xff00ff0000ffff00ull, dword(a, 1) >> (n % 64));
    if (n % 5 == 0) b = a;
    run(a, b, c);
  }
  storage();
  element_stores();
  splats();
  return 0;
}
