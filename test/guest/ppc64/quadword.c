/*
 * The quadword accesses of ISA 2.07 (user-mode since POWER8): lq and stq at aligned and
 * misaligned addresses, and the reservation pair lqarx/stqcx. (a 128-bit counter incremented in
 * a hot loop, one attempt each, and a stqcx. whose reservation was lost), and the FPR pairs
 * (lfdp, stfdp, lfdpx, stfdpx, ordered as lq/stq). With an argument, one
 * invalid form (odd RTp, RA = RTp or RB) or a misaligned lqarx, which must die as under QEMU.
 * In little-endian mode the pair's high doubleword (RTp) is the one at EA + 8.
 *
 * QEMU 7.2's stqcx. never succeeds after lqarx (so GCC's inline 128-bit compare-and-swap loops
 * forever under it, and is left out): the ISA's result, every attempt stored, is what the test
 * expects for the counter line (docs/ppc64.md). Built with -mcpu=power8.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t buf[64] __attribute__((aligned(16)));
static unsigned __int128 counter __attribute__((aligned(16)));

static void fill(void) {
  for (int i = 0; i < 64; i++) buf[i] = (uint8_t)(0x11 * (i & 15) + (i >> 4));
}

static void dump(const char *what) {
  printf("%-12s", what);
  for (int i = 0; i < 48; i++) printf("%02x", buf[i]);
  printf("\n");
}

/* lq into r10:r11 from p + disp. */
#define LQ(p, disp, hi, lo)                                                                      \
  do {                                                                                           \
    register uint64_t h_ asm("r10"), l_ asm("r11");                                              \
    asm volatile("lq 10, " #disp "(%2)" : "=&r"(h_), "=&r"(l_) : "b"(p) : "memory");            \
    hi = h_;                                                                                     \
    lo = l_;                                                                                     \
  } while (0)

/* stq r10:r11 to p + disp. */
#define STQ(p, disp, hi, lo)                                                                     \
  do {                                                                                           \
    register uint64_t h_ asm("r10") = hi, l_ asm("r11") = lo;                                    \
    asm volatile("stq 10, " #disp "(%2)" : : "r"(h_), "r"(l_), "b"(p) : "memory");              \
  } while (0)

/* lqarx r10:r11 and stqcx. r10:r11 (after adding 1 with carry): returns CR0's bits. */
static unsigned increment_once(void *p, int lose) {
  register uint64_t h_ asm("r10"), l_ asm("r11");
  uint64_t cr;
  asm volatile("lqarx 10, 0, %3\n\t"
               "addic 11, 11, 1\n\t"
               "addze 10, 10\n\t"
               "cmpdi %4, 0\n\t"
               "beq 1f\n\t"
               "stdcx. 11, 0, %5\n\t" /* another reservation: the quadword's is lost */
               "1: stqcx. 10, 0, %3\n\t"
               "mfcr %2"
               : "=&r"(h_), "=&r"(l_), "=&r"(cr)
               : "b"(p), "r"(lose), "b"(buf)
               : "cr0", "xer", "memory");
  return (unsigned)(cr >> 28);
}

static void show_pair(const char *what, uint64_t hi, uint64_t lo) {
  printf("%-12s%016llx %016llx\n", what, (unsigned long long)hi, (unsigned long long)lo);
}

/* lfdp/lfdpx into f10:f11, stfdp/stfdpx back: FRTp first. */
static void float_pairs(void) {
  uint64_t out[4];
  asm volatile("lfdp 10, 16(%1)\n\tstfd 10, 0(%0)\n\tstfd 11, 8(%0)\n\t"
               "li 9, 24\n\tlfdpx 10, %1, 9\n\tstfd 10, 16(%0)\n\tstfd 11, 24(%0)"
               : : "b"(out), "b"(buf) : "r9", "fr10", "fr11", "memory");
  show_pair("lfdp 16", out[0], out[1]);
  show_pair("lfdpx 24", out[2], out[3]);
  asm volatile("lfdp 10, 0(%0)\n\tstfdp 10, 32(%0)\n\tli 9, 4\n\tlfdp 10, 16(%0)\n\tstfdpx 10, %0, 9"
               : : "b"(buf) : "r9", "fr10", "fr11", "memory");
  dump("stfdp(x)");
}

static int invalid(const char *which) {
  if (!strcmp(which, "lq-odd")) asm volatile(".long 0xe1630000" : : : "r11", "r12", "memory"); /* lq 11,0(3) */
  if (!strcmp(which, "lq-ra")) asm volatile(".long 0xe14a0000" : : : "r10", "r11", "memory");  /* lq 10,0(10) */
  if (!strcmp(which, "stq-odd")) asm volatile(".long 0xf9630002" : : : "memory");               /* stq 11,0(3) */
  if (!strcmp(which, "lqarx-odd")) asm volatile(".long 0x7d63222a" : : : "r11", "r12", "memory"); /* lqarx 11,3,4 */
  if (!strcmp(which, "lqarx-rb")) asm volatile(".long 0x7d43522a" : : : "r10", "r11", "memory"); /* lqarx 10,3,10 */
  if (!strcmp(which, "lqarx-misaligned")) {
    register void *p asm("r3") = buf + 8;
    asm volatile("lqarx 10, 0, %0" : : "b"(p) : "r10", "r11", "memory");
  }
  printf("%s did not trap\n", which);
  return 1;
}

int main(int argc, char **argv) {
  if (argc > 1) return invalid(argv[1]);
  uint64_t hi, lo;
  fill();
  LQ(buf, 0, hi, lo);
  show_pair("lq 0", hi, lo);
  LQ(buf, 32, hi, lo);
  show_pair("lq 32", hi, lo);
  LQ(buf + 8, 0, hi, lo);
  show_pair("lq +8", hi, lo);
  LQ(buf + 48, -16, hi, lo);
  show_pair("lq 48-16", hi, lo);

  STQ(buf, 16, 0x0123456789abcdefull, 0xfedcba9876543210ull);
  dump("stq 16");
  STQ(buf + 4, 0, 0xa1a2a3a4a5a6a7a8ull, 0xb1b2b3b4b5b6b7b8ull);
  dump("stq +4");
  STQ(buf + 40, -8, lo, hi);
  dump("stq 40-8");

  float_pairs();

  counter = ((unsigned __int128)0x10 << 64) | 0xffffffffffff0000ull;
  unsigned stored = 0;
  for (int i = 0; i < 100000; i++) stored += (increment_once(&counter, 0) & 2) != 0;
  printf("lqarx/stqcx.: %u of 100000 stored, counter %016llx %016llx\n", stored,
         (unsigned long long)(counter >> 64), (unsigned long long)counter);
  unsigned __int128 before = counter;
  printf("lost reservation: cr0 %x, counter %s\n", increment_once(&counter, 1),
         counter == before ? "unchanged" : "changed");
  return 0;
}
