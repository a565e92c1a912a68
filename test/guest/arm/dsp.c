/*
 * The ARMv6/v7 DSP instructions over operands with edge values (halfword and word limits, sign
 * changes): the parallel add/subtract family (S, Q, SH, U, UQ, UH x ADD16, ASX, SAX, SUB16, ADD8,
 * SUB8), QADD/QSUB/QDADD/QDSUB, SMUAD/SMUSD/SMLAD/SMLSD (X), SMLALD/SMLSLD (X), SMMUL/SMMLA/SMMLS
 * (R), USAD8/USADA8, SXTB16/UXTB16 (+A), SSAT16/USAT16 and SMLABB/SMLAWB. For each instruction it
 * prints a hash of the results and of the APSR (NZCV, Q, GE) after each, starting from a clear APSR.
 */
#include <stdint.h>
#include <stdio.h>

static const uint32_t VALUES[] = {0x7fff8000, 0x80007fff, 0x12345678, 0xffff0001, 0x00010000,
                                  0xfedcba98, 0x7fffffff, 0x80000000, 0, 0xffffffff};
#define NV (sizeof VALUES / sizeof VALUES[0])

static uint32_t hash;
static void mix(uint32_t v) { hash = (hash ^ v) * 0x01000193u; }

#define OP3(name, text)                                                                        \
  static void t_##name(void) {                                                                 \
    hash = 0x811c9dc5u;                                                                        \
    for (unsigned i = 0; i < NV; i++)                                                          \
      for (unsigned j = 0; j < NV; j++) {                                                      \
        uint32_t r, apsr;                                                                      \
        __asm__ volatile("msr APSR_nzcvqg, %4\n " text " %0, %2, %3\n mrs %1, APSR"            \
                         : "=&r"(r), "=&r"(apsr) : "r"(VALUES[i]), "r"(VALUES[j]), "r"(0) : "cc"); \
        mix(r), mix(apsr);                                                                     \
      }                                                                                        \
    printf("%-10s %08x\n", #name, hash);                                                       \
  }
#define OP4(name, text)                                                                        \
  static void t_##name(void) {                                                                 \
    hash = 0x811c9dc5u;                                                                        \
    for (unsigned i = 0; i < NV; i++)                                                          \
      for (unsigned j = 0; j < NV; j++) {                                                      \
        uint32_t r, apsr, acc = VALUES[(i + 3 * j) % NV];                                      \
        __asm__ volatile("msr APSR_nzcvqg, %5\n " text " %0, %2, %3, %4\n mrs %1, APSR"        \
                         : "=&r"(r), "=&r"(apsr) : "r"(VALUES[i]), "r"(VALUES[j]), "r"(acc), "r"(0) : "cc"); \
        mix(r), mix(apsr);                                                                     \
      }                                                                                        \
    printf("%-10s %08x\n", #name, hash);                                                       \
  }
#define OPLONG(name, text)                                                                     \
  static void t_##name(void) {                                                                 \
    hash = 0x811c9dc5u;                                                                        \
    for (unsigned i = 0; i < NV; i++)                                                          \
      for (unsigned j = 0; j < NV; j++) {                                                      \
        uint32_t lo = VALUES[(i + j) % NV], hi = VALUES[(2 * i + j) % NV];                     \
        __asm__ volatile(text " %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(VALUES[i]), "r"(VALUES[j])); \
        mix(lo), mix(hi);                                                                      \
      }                                                                                        \
    printf("%-10s %08x\n", #name, hash);                                                       \
  }
#define OPSAT(name, text)                                                                      \
  static void t_##name(void) {                                                                 \
    hash = 0x811c9dc5u;                                                                        \
    for (unsigned i = 0; i < NV; i++) {                                                        \
      uint32_t r, apsr;                                                                        \
      __asm__ volatile("msr APSR_nzcvqg, %3\n " text "\n mrs %1, APSR"                         \
                       : "=&r"(r), "=&r"(apsr) : "r"(VALUES[i]), "r"(0) : "cc");               \
      mix(r), mix(apsr);                                                                       \
    }                                                                                          \
    printf("%-10s %08x\n", #name, hash);                                                       \
  }

#define PARALLEL(p)                                                                            \
  OP3(p##add16, #p "add16") OP3(p##asx, #p "asx") OP3(p##sax, #p "sax") OP3(p##sub16, #p "sub16") \
  OP3(p##add8, #p "add8") OP3(p##sub8, #p "sub8")
PARALLEL(s) PARALLEL(q) PARALLEL(sh) PARALLEL(u) PARALLEL(uq) PARALLEL(uh)
OP3(qadd, "qadd") OP3(qsub, "qsub") OP3(qdadd, "qdadd") OP3(qdsub, "qdsub")
OP3(smuad, "smuad") OP3(smuadx, "smuadx") OP3(smusd, "smusd") OP3(smusdx, "smusdx")
OP3(smmul, "smmul") OP3(smmulr, "smmulr") OP3(usad8, "usad8") OP3(sel, "sel")
OP3(sxtab16, "sxtab16") OP3(uxtab16, "uxtab16")
OP4(smlad, "smlad") OP4(smladx, "smladx") OP4(smlsd, "smlsd") OP4(smlsdx, "smlsdx")
OP4(smmla, "smmla") OP4(smmlar, "smmlar") OP4(smmls, "smmls") OP4(smmlsr, "smmlsr")
OP4(usada8, "usada8") OP4(smlabb, "smlabb") OP4(smlatt, "smlatt") OP4(smlawb, "smlawb")
OPLONG(smlald, "smlald") OPLONG(smlaldx, "smlaldx") OPLONG(smlsld, "smlsld") OPLONG(smlsldx, "smlsldx")
OPSAT(ssat16, "ssat16 %0, #9, %2") OPSAT(usat16, "usat16 %0, #7, %2")
OPSAT(sxtb16, "sxtb16 %0, %2, ror #8") OPSAT(uxtb16, "uxtb16 %0, %2")

#define RUNP(p) t_##p##add16(), t_##p##asx(), t_##p##sax(), t_##p##sub16(), t_##p##add8(), t_##p##sub8()
int main(void) {
  RUNP(s), RUNP(q), RUNP(sh), RUNP(u), RUNP(uq), RUNP(uh);
  t_qadd(), t_qsub(), t_qdadd(), t_qdsub(), t_smuad(), t_smuadx(), t_smusd(), t_smusdx();
  t_smmul(), t_smmulr(), t_usad8(), t_sel(), t_sxtab16(), t_uxtab16();
  t_smlad(), t_smladx(), t_smlsd(), t_smlsdx(), t_smmla(), t_smmlar(), t_smmls(), t_smmlsr();
  t_usada8(), t_smlabb(), t_smlatt(), t_smlawb();
  t_smlald(), t_smlaldx(), t_smlsld(), t_smlsldx(), t_ssat16(), t_usat16(), t_sxtb16(), t_uxtb16();
  return 0;
}
