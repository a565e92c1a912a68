/*
 * Integer to floating-point conversions (fcfid, fcfids, fcfidu, fcfidus) once the program has
 * written FPSCR, so that their FPSCR updates count (FPRF, FR, FI, XX, FX). Each conversion runs
 * with FPSCR's flags tracked (round to nearest, no exception enabled) and again with VE enabled,
 * which no conversion here triggers but which makes tsemu take its exact path: both must give the
 * same result and FPSCR, with the status cleared before each conversion and left to accumulate.
 * What is printed is the same under any correct emulator: the results, and the disagreements
 * (none). QEMU 7.2's FPSCR after these conversions differs from the ISA's (FPRF left clear by the
 * single and unsigned forms, FX set again when XX already was), so FPSCR itself is not printed.
 */
#include <stdio.h>

#include "fpscr.h"

#define CONVERT(insn)                                                   \
  static uint64_t insn(uint64_t v) {                                    \
    double in = from_bits(v), out;                                      \
    __asm__ volatile(#insn " %0, %1" : "=d"(out) : "d"(in) : "memory"); \
    return bits(out);                                                   \
  }
CONVERT(fcfid)
CONVERT(fcfids)
CONVERT(fcfidu)
CONVERT(fcfidus)

static uint64_t (*const ops[])(uint64_t) = {fcfid, fcfids, fcfidu, fcfidus};
static const char *const names[] = {"fcfid", "fcfids", "fcfidu", "fcfidus"};

static const uint64_t fixed[] = {
    0, 1, 2, 3, (uint64_t)-1, (uint64_t)-2, 1ull << 24, (1ull << 24) + 1, (uint64_t) - (1ll << 24),
    (uint64_t) - (1ll << 24) - 1, 1ull << 53, (1ull << 53) + 1, (1ull << 53) - 1, (uint64_t) - (1ll << 53),
    (uint64_t) - (1ll << 53) - 1, 12345678901234567ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
    0xfffffffffffff800ull, 16777217ull * 3,
};
#define FIXED (sizeof fixed / sizeof *fixed)
#define COUNT (FIXED + 300)

static uint64_t values[COUNT];

/** FPSCR's VE: enabled, it keeps every conversion on tsemu's exact path. */
#define FPSCR_VE 0x80u

/* Runs op over the values from FPSCR `start` (cleared before each when clear_each); results and FPSCRs out. */
static void run(int op, uint32_t start, int clear_each, uint64_t *results, uint32_t *status) {
  set_fpscr(start);
  for (unsigned i = 0; i < COUNT; i++) {
    if (clear_each) set_fpscr(start);
    results[i] = ops[op](values[i]);
    status[i] = fpscr() & ~FPSCR_VE;
  }
}

int main(void) {
  uint64_t state = 0x9e3779b97f4a7c15ull;
  for (unsigned i = 0; i < COUNT; i++) {
    if (i < FIXED) {
      values[i] = fixed[i];
      continue;
    }
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    values[i] = state >> (state & 63);
  }
  static uint64_t tracked[COUNT], exact[COUNT];
  static uint32_t tracked_status[COUNT], exact_status[COUNT];
  static const uint32_t starts[] = {0, 1u << 25};
  int disagreements = 0;
  for (int op = 0; op < 4; op++) {
    for (unsigned s = 0; s < 2; s++) {
      for (int clear_each = 0; clear_each < 2; clear_each++) {
        run(op, starts[s], clear_each, tracked, tracked_status);
        run(op, starts[s] | FPSCR_VE, clear_each, exact, exact_status);
        for (unsigned i = 0; i < COUNT; i++) {
          if (tracked[i] == exact[i] && tracked_status[i] == exact_status[i]) continue;
          if (++disagreements <= 20)
            printf("%s of %016llx from fpscr %08x%s: tracked %016llx fpscr %08x, exact %016llx fpscr %08x\n",
                   names[op], (unsigned long long)values[i], starts[s], clear_each ? "" : " (accumulated)",
                   (unsigned long long)tracked[i], tracked_status[i], (unsigned long long)exact[i],
                   exact_status[i]);
        }
      }
    }
    uint64_t sum = 0;
    for (unsigned i = 0; i < COUNT; i++) {
      if (i < FIXED) printf("%s %016llx -> %016llx\n", names[op], (unsigned long long)values[i],
                            (unsigned long long)tracked[i]);
      sum = sum * 31 + tracked[i];
    }
    printf("%s of %u values: %016llx\n", names[op], (unsigned)COUNT, (unsigned long long)sum);
  }
  printf("%d disagreements between tracked and exact FPSCR\n", disagreements);
  return disagreements != 0;
}
