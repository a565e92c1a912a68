/*
 * A JIT's life on one page: functions written side by side on a read-write-execute page, one of
 * them rewritten again and again (written, the instruction cache flushed, called) while its
 * neighbours stay and are called often enough to be compiled; data stored on the same page; the
 * page switched between RWX and RX around rewrites, as V8 does, and between RW and RX, as LuaJIT
 * does; and a hot loop that rewrites the function it calls. Every call's result is checked and
 * summed, so running stale code shows in the output.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emit_code.h"

static size_t page;
static uint8_t *code;
static int failures;

/* Writes "return value;" at offset `at` of the page and makes it visible to instruction fetch. */
static void put(size_t at, uint16_t value) { flush(code + at, emit_return(code + at, value)); }

static long check(size_t at, int expected) {
  int got = call(code + at);
  if (got != expected && failures++ < 10) printf("offset %zu returned %d, expected %d\n", at, got, expected);
  return got;
}

static void protect(int prot) {
  if (mprotect(code, page, prot) != 0) perror("mprotect");
}

int main(void) {
  page = (size_t)sysconf(_SC_PAGESIZE);
  code = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) { perror("mmap"); return 1; }
  enum { A = 0, B = 512, C = 1024, DATA = 2048 };

  /* Neighbours made hot, then one function rewritten 2000 times beside them. */
  put(B, 111);
  put(C, 222);
  long sum = 0;
  for (int i = 0; i < 300; i++) sum += check(B, 111) + check(C, 222);
  for (int i = 1; i <= 2000; i++) {
    put(A, (uint16_t)i);
    sum += check(A, i) + check(B, 111) + check(C, 222);
  }
  printf("rewrites beside hot code: %ld\n", sum);

  /* Data on the code page: thousands of stores that touch no instruction, then a rewrite. */
  volatile uint32_t *data = (volatile uint32_t *)(code + DATA);
  sum = 0;
  for (int i = 0; i < 5000; i++) {
    data[i % 64] += (uint32_t)i;
    sum += check(B, 111) + data[i % 64];
  }
  put(B, 333);
  sum += check(B, 333) + check(C, 222);
  printf("data stores on the code page: %ld\n", sum);

  /* RWX <-> RX: code kept while the page is only made writable, a rewrite made then still seen. */
  sum = 0;
  for (int round = 1; round <= 50; round++) {
    protect(PROT_READ | PROT_EXEC);
    for (int i = 0; i < 20; i++) sum += check(C, 222 + round - 1);
    protect(PROT_READ | PROT_WRITE | PROT_EXEC);
    sum += check(C, 222 + round - 1);
    put(C, (uint16_t)(222 + round));
  }
  printf("rwx and rx: %ld\n", sum);

  /* RW <-> RX (W^X): the code is not executable while it is written. */
  sum = 0;
  for (int round = 1; round <= 50; round++) {
    protect(PROT_READ | PROT_WRITE);
    emit_return(code + B, (uint16_t)(1000 + round));
    protect(PROT_READ | PROT_EXEC);
    flush(code + B, 16);
    for (int i = 0; i < 20; i++) sum += check(B, 1000 + round) + check(C, 272);
  }
  protect(PROT_READ | PROT_WRITE | PROT_EXEC);
  printf("w^x: %ld\n", sum);

  /* A hot loop rewriting, every 37 calls, the function it calls. */
  sum = 0;
  int value = 7;
  put(A, (uint16_t)value);
  for (int i = 0; i < 5000; i++) {
    if (i % 37 == 0) put(A, (uint16_t)(value = 7 + i / 37));
    sum += check(A, value);
  }
  printf("hot loop rewriting its callee: %ld\n", sum);
  printf("failures: %d\n", failures);
  return failures != 0;
}
