/*
 * Generated code that jumps to other generated code compiled before it, so that the two are
 * compiled apart and the jump goes from one translation to the other without the emulator's
 * lookup (tsemu's exit links, QEMU's chained translation blocks), while the target is rewritten
 * again and again and turns hot again after each rewrite. Every call's result is checked and
 * summed, so a jump still going to the old code shows in the output.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emit_code.h"

static uint8_t *code;
static int failures;

static long check(size_t at, int expected) {
  int got = call(code + at);
  if (got != expected && failures++ < 10) printf("offset %zu returned %d, expected %d\n", at, got, expected);
  return got;
}

int main(void) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  code = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  /* Two jumps into the target: one from the start of the page, one from after it. */
  enum { BEFORE = 0, TARGET = 1024, AFTER = 2048 };
  flush(code + TARGET, emit_return(code + TARGET, 1));
  long sum = 0;
  for (int i = 0; i < 100; i++) sum += check(TARGET, 1);
  flush(code + BEFORE, emit_jump(code + BEFORE, code + TARGET));
  flush(code + AFTER, emit_jump(code + AFTER, code + TARGET));
  for (int i = 0; i < 100; i++) sum += check(BEFORE, 1) + check(AFTER, 1);
  for (int round = 2; round <= 300; round++) {
    flush(code + TARGET, emit_return(code + TARGET, (uint16_t)round));
    /* The jumps run the new code at once, and again once it has been compiled anew. */
    for (int i = 0; i < 40; i++) sum += check(BEFORE, round) + check(i % 8 == 0 ? TARGET : AFTER, round);
  }
  printf("calls through rewritten jump targets: %ld, failures %d\n", sum, failures);
  return failures != 0;
}
