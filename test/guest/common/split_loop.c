/*
 * A hot loop spread over many blocks that turn hot at different moments: each phase takes more of
 * the loop's branches, so the blocks of later phases are compiled in batches of their own and the
 * loop runs across modules, through the dispatcher (docs/performance.md, "xz's LZMA decoder").
 * Code changes inside the loop: every iteration calls
 * generated code that each phase rewrites (with a cache flush), and in the last phases the loop
 * stores into its own code page (made writable; the bytes stored are those already there), which
 * discards the translations of the loop while it runs. Checked against qemu-user.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emit_code.h"

#define PHASES 10
#define ITERATIONS 60000

/* One step of the loop's body, taken from `from` phase on: a few blocks of its own. */
#define STEP(from, mask, value, expr)                 \
  if (phase >= (from) && (x & (mask)) == (value)) {   \
    acc = (expr);                                      \
    taken[from]++;                                     \
  }

__attribute__((noinline)) static uint64_t run(unsigned phase, void *jit, volatile uint8_t *own_code,
                                              unsigned taken[PHASES]) {
  uint64_t acc = 0x9e3779b97f4a7c15ull ^ phase;
  for (unsigned i = 0; i < ITERATIONS; i++) {
    uint32_t x = (uint32_t)(acc >> 17) ^ (i * 2654435761u);
    acc ^= x;
    STEP(0, 1u, 0u, acc + (x >> 3))
    STEP(1, 6u, 2u, (acc << 7) | (acc >> 57))
    STEP(2, 24u, 8u, acc * 0x100000001b3ull)
    STEP(3, 96u, 32u, acc - (uint64_t)x * x)
    STEP(4, 384u, 128u, acc ^ (acc >> 29))
    STEP(5, 1536u, 512u, acc + (uint64_t)call(jit))
    STEP(6, 6144u, 2048u, ~acc + i)
    STEP(7, 24576u, 8192u, acc % 1000003u + (acc << 20))
    STEP(8, 98304u, 32768u, acc / 7u + x)
    STEP(9, 393216u, 131072u, (acc >> 1) ^ (x & 0x5555u))
    if (own_code && (i & 8191u) == 0) *own_code = *own_code;
  }
  return acc;
}

int main(void) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  uint8_t *jit = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (jit == MAP_FAILED) { perror("mmap"); return 1; }
  uint8_t *own_code = code_of((void (*)(void))run);
  uint8_t *own_page = (uint8_t *)((uintptr_t)own_code & ~(uintptr_t)(page - 1));
  if (mprotect(own_page, page, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) { perror("mprotect"); return 1; }

  for (unsigned phase = 0; phase < PHASES; phase++) {
    flush(jit, emit_return(jit, (uint16_t)(100 + phase)));
    unsigned taken[PHASES] = {0};
    uint64_t acc = run(phase, jit, phase >= 7 ? own_code + 8 : NULL, taken);
    printf("phase %u: %016llx, steps taken", phase, (unsigned long long)acc);
    for (unsigned k = 0; k <= phase; k++) printf(" %u", taken[k]);
    printf("\n");
  }
  return 0;
}
