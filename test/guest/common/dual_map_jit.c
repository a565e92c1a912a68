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

typedef int (*fn_t)(void);

/* Writes "return value;" at code; returns its length in bytes. */
static size_t emit_return(uint8_t *code, uint16_t value) {
#if defined(__aarch64__)
  uint32_t insns[] = {0x52800000u | (uint32_t)value << 5 /* movz w0, #value */, 0xd65f03c0u /* ret */};
#elif defined(__thumb__)
  /* movw r0, #value (T3); bx lr */
  uint16_t insns[] = {(uint16_t)(0xf240u | (value >> 12) | ((value >> 11) & 1) << 10),
                      (uint16_t)(((value >> 8) & 7) << 12 | (value & 0xff)), 0x4770u};
#elif defined(__arm__)
  uint32_t insns[] = {0xe3000000u | (uint32_t)(value >> 12) << 16 | (value & 0xfffu) /* movw r0, #value */,
                      0xe12fff1eu /* bx lr */};
#elif defined(__powerpc64__)
  uint32_t insns[] = {0x38600000u | value /* li r3, value (value < 0x8000) */, 0x4e800020u /* blr */};
#elif defined(__x86_64__)
  uint8_t insns[] = {0xb8, (uint8_t)value, (uint8_t)(value >> 8), 0, 0 /* mov eax, value */, 0xc3 /* ret */};
#else
#error "no encodings for this architecture"
#endif
  memcpy(code, insns, sizeof insns);
  return sizeof insns;
}

/*
 * Makes the code at [exec, exec + n) visible to instruction fetch. GCC's __builtin___clear_cache
 * does nothing on powerpc64, where the program itself issues dcbst, sync, icbi and isync.
 */
static void flush(uint8_t *exec, size_t n) {
#if defined(__powerpc64__)
  for (uintptr_t line = (uintptr_t)exec & ~(uintptr_t)127; line < (uintptr_t)exec + n; line += 128) {
    __asm__ volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0\n\tisync" : : "r"(line) : "memory");
  }
#else
  __builtin___clear_cache((char *)exec, (char *)exec + n);
#endif
}

static int call(void *exec) {
#if defined(__thumb__)
  return ((fn_t)((uintptr_t)exec | 1))();
#elif defined(__powerpc64__) && _CALL_ELF != 2
  /* ELFv1: a function pointer points to a descriptor (entry, TOC, environment). */
  static void *volatile descriptor[3];
  descriptor[0] = exec;
  return ((fn_t)(void *)descriptor)();
#else
  return ((fn_t)exec)();
#endif
}

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
