/*
 * Code written through a second mapping of the same pages, as dual-mapping JITs and libffi do: a
 * memfd mapped twice, read-write and read-execute. A function is written through the RW alias,
 * made visible to instruction fetch on the executable address (__builtin___clear_cache), called, rewritten through
 * the alias, flushed and called again: the architected contract is that the new code runs. The
 * instructions are those of the machine it is built for (aarch64, arm, powerpc64 or x86-64), so
 * the native build of this source is the oracle (qemu-user 7.2 runs the stale code).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emit_code.h"

int main(void) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  int fd = memfd_create("dual_map_jit", 0);
  if (fd < 0 || ftruncate(fd, (off_t)page) != 0) { perror("memfd"); return 1; }
  uint8_t *rw = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  uint8_t *rx = mmap(NULL, page, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
  if (rw == MAP_FAILED || rx == MAP_FAILED) { perror("mmap"); return 1; }

  /*
   * The same function rewritten many times; each version is called (and so translated) once. The
   * flushing code runs often enough to be compiled.
   */
  int sum = 0;
  for (uint16_t v = 1; v <= 3000; v++) {
    size_t n = emit_return(rw, v);
    flush(rx, n);
    int got = call(rx);
    if (got != v) printf("version %u returned %d\n", v, got);
    sum += got;
  }
  printf("rewritten 3000 times, sum %d\n", sum);

  /* A function at another place on the page, called often before it changes (hot code). */
  uint8_t *rw2 = rw + 256, *rx2 = rx + 256;
  size_t n = emit_return(rw2, 1234);
  flush(rx2, n);
  long hot = 0;
  for (int i = 0; i < 20000; i++) hot += call(rx2);
  emit_return(rw2, 4321);
  flush(rx2, n);
  printf("hot: %ld, then %d\n", hot, call(rx2));
  return 0;
}
