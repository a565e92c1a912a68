/*
 * PowerPC64 fixed-point instructions with their edge cases, through inline assembly so the
 * compiler cannot fold them: carries (addc/adde/subfe/addze, sraw/srad CA), overflow forms
 * (addo., mulldo., divwo.) and XER.SO, record forms' CR0, rotates with wrapping masks, cntlz/cnttz/
 * popcnt, cmpb, bpermd, isel, mfcr/mtcrf, mulh*, divide by zero and MIN/-1 (results the hardware leaves
 * undefined are not printed), and lbarx/stwcx. pairs.
 */
#include <stdint.h>
#include <stdio.h>

static const uint64_t V[] = {0, 1, 2, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
                             0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull, 0x123456789abcdef0ull,
                             0xfedcba9876543210ull, 0xdeadbeefull};
#define N (sizeof V / sizeof V[0])

static uint64_t h = 1469598103934665603ull;
static void mix(uint64_t v) { h = (h ^ v) * 1099511628211ull; }

static uint64_t xer(void) {
  uint64_t x;
  __asm__ volatile("mfxer %0" : "=r"(x));
  return x & 0xe0000000u; /* SO, OV, CA */
}
static void clear_xer(void) { __asm__ volatile("mtxer %0" ::"r"(0ull)); }
static uint64_t cr(void) {
  uint64_t c;
  __asm__ volatile("mfcr %0" : "=r"(c));
  return c;
}

#define BIN(name, insn)                                                   \
  static void name(uint64_t a, uint64_t b) {                              \
    uint64_t r;                                                           \
    clear_xer();                                                          \
    __asm__ volatile(insn " %0,%1,%2" : "=r"(r) : "r"(a), "r"(b) : "cr0"); \
    mix(r);                                                               \
    mix(xer());                                                           \
    mix(cr() >> 28);                                                      \
  }
BIN(op_addc, "addc.")
BIN(op_subfc, "subfc.")
BIN(op_addo, "addo.")
BIN(op_subfo, "subfo.")
BIN(op_mulldo, "mulldo.")
BIN(op_mullwo, "mullwo.")
BIN(op_mulhd, "mulhd.")
BIN(op_mulhdu, "mulhdu.")
BIN(op_mulhw, "mulhw.")
BIN(op_mulhwu, "mulhwu.")
BIN(op_sld, "sld.")
BIN(op_srd, "srd.")
BIN(op_srad, "srad.")
BIN(op_slw, "slw.")
BIN(op_srw, "srw.")
BIN(op_sraw, "sraw.")
BIN(op_rldcl, "rotld.")
BIN(op_cmpb, "cmpb")
BIN(op_bpermd, "bpermd")
BIN(op_and, "and.")
BIN(op_nand, "nand.")
BIN(op_eqv, "eqv.")
BIN(op_orc, "orc.")

static void extended(uint64_t a, uint64_t b) {
  uint64_t r;
  __asm__ volatile("mtxer %3\n\tadde %0,%1,%2" : "=r"(r) : "r"(a), "r"(b), "r"(0x20000000ull));
  mix(r);
  mix(xer());
  __asm__ volatile("mtxer %3\n\tsubfe %0,%1,%2" : "=r"(r) : "r"(a), "r"(b), "r"(0ull));
  mix(r);
  mix(xer());
  __asm__ volatile("mtxer %2\n\taddze %0,%1" : "=r"(r) : "r"(a), "r"(0x20000000ull));
  mix(r);
  mix(xer());
  __asm__ volatile("mtxer %2\n\taddme %0,%1" : "=r"(r) : "r"(a), "r"(0ull));
  mix(r);
  mix(xer());
}

static void unary(uint64_t a) {
  uint64_t r;
#define UN(insn)                                                         \
  __asm__ volatile(insn " %0,%1" : "=r"(r) : "r"(a) : "cr0");            \
  mix(r);
  UN("cntlzd") UN("cntlzw") UN("cnttzd") UN("cnttzw") UN("popcntd") UN("popcntw") UN("popcntb")
  UN("extsb.") UN("extsh.") UN("extsw.") UN("neg.")
  clear_xer();
  __asm__ volatile("srawi. %0,%1,7" : "=r"(r) : "r"(a) : "cr0");
  mix(r);
  mix(xer());
  __asm__ volatile("sradi. %0,%1,37" : "=r"(r) : "r"(a) : "cr0");
  mix(r);
  mix(xer());
  __asm__ volatile("rlwinm %0,%1,5,27,3" : "=r"(r) : "r"(a));
  mix(r);
  __asm__ volatile("rlwinm %0,%1,29,3,27" : "=r"(r) : "r"(a));
  mix(r);
  __asm__ volatile("rldicl %0,%1,13,7" : "=r"(r) : "r"(a));
  mix(r);
  __asm__ volatile("rldicr %0,%1,51,40" : "=r"(r) : "r"(a));
  mix(r);
  __asm__ volatile("rldic %0,%1,9,3" : "=r"(r) : "r"(a));
  mix(r);
  r = 0x5555555555555555ull;
  __asm__ volatile("rldimi %0,%1,17,20" : "+r"(r) : "r"(a));
  mix(r);
  r = 0x5555555555555555ull;
  __asm__ volatile("rlwimi %0,%1,8,4,27" : "+r"(r) : "r"(a));
  mix(r);
  __asm__ volatile("addic. %0,%1,-1" : "=r"(r) : "r"(a) : "cr0");
  mix(r);
  mix(xer());
  __asm__ volatile("subfic %0,%1,100" : "=r"(r) : "r"(a));
  mix(r);
  mix(xer());
}

static void compares(uint64_t a, uint64_t b) {
  uint64_t r;
  __asm__ volatile("cmpd 3,%1,%2\n\tcmplw 5,%1,%2\n\tcmpdi 7,%1,-5\n\tmfcr %0" : "=r"(r) : "r"(a), "r"(b) : "cr3", "cr5", "cr7");
  mix(r & 0x000f0f0f);
  __asm__ volatile("cmpd %1,%2\n\tisel %0,%1,%2,0" : "=r"(r) : "r"(a), "r"(b) : "cr0");
  mix(r);
  /* CR0 and CR1 are set first: what the compiler or the C library's start-up left there varies. */
  for (uint64_t fields = 0x1; fields <= 0xff; fields += 0x35) {
    __asm__ volatile("mtcrf 0xc0,%1\n\tcrxor 2,0,1\n\tcrnand 4,2,0\n\tmfcr %0"
                     : "=r"(r)
                     : "r"(fields << 24)
                     : "cr0", "cr1");
    mix(r >> 24);
  }
}

static void divides(uint64_t a, uint64_t b) {
  uint64_t r;
  if (b == 0) return;
  if (!(a == 0x8000000000000000ull && b == ~0ull)) {
    __asm__ volatile("divd %0,%1,%2" : "=r"(r) : "r"(a), "r"(b));
    mix(r);
  }
  __asm__ volatile("divdu %0,%1,%2" : "=r"(r) : "r"(a), "r"(b));
  mix(r);
  if ((uint32_t)b != 0) {
    __asm__ volatile("divwu %0,%1,%2" : "=r"(r) : "r"(a), "r"(b));
    mix(r & 0xffffffff);
    if (!((uint32_t)a == 0x80000000u && (uint32_t)b == 0xffffffffu)) {
      __asm__ volatile("divw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b));
      mix(r & 0xffffffff);
    }
  }
}

static void reservations(void) {
  static uint64_t word = 5;
  uint64_t old, ok;
  __asm__ volatile("1: ldarx %0,0,%2\n\taddi %0,%0,7\n\tstdcx. %0,0,%2\n\tbne- 1b\n\tmfcr %1"
                   : "=&r"(old), "=r"(ok)
                   : "r"(&word)
                   : "cr0", "memory");
  mix(word);
  mix(ok >> 28);
  /* A store conditional without a reservation fails. */
  __asm__ volatile("stdcx. %1,0,%2\n\tmfcr %0" : "=r"(ok) : "r"(99ull), "r"(&word) : "cr0", "memory");
  mix(word);
  mix((ok >> 28) & 2);
}

int main(void) {
  for (unsigned i = 0; i < N; i++) {
    unary(V[i]);
    for (unsigned j = 0; j < N; j++) {
      uint64_t a = V[i], b = V[j];
      op_addc(a, b); op_subfc(a, b); op_addo(a, b); op_subfo(a, b); op_mulldo(a, b); op_mullwo(a, b);
      op_mulhd(a, b); op_mulhdu(a, b); op_mulhw(a, b); op_mulhwu(a, b);
      op_sld(a, b & 127); op_srd(a, b & 127); op_srad(a, b & 127); op_slw(a, b & 63); op_srw(a, b & 63);
      op_sraw(a, b & 63); op_rldcl(a, b); op_cmpb(a, b); op_bpermd(a, b); op_bpermd(a ^ 0x00013f4080ff3e07ull, b); op_and(a, b); op_nand(a, b); op_eqv(a, b); op_orc(a, b);
      extended(a, b);
      compares(a, b);
      divides(a, b);
    }
    printf("%2u %016llx\n", i, (unsigned long long)h);
  }
  reservations();
  printf("final %016llx\n", (unsigned long long)h);
  return 0;
}
