/*
 * Generating and calling machine code portably in the test programs: "return value;" and a jump in the
 * instructions of the machine the program is built for (aarch64, arm and Thumb, powerpc64 or
 * x86-64), the cache maintenance that makes it visible to instruction fetch, a call of it, and the
 * address of a compiled function's code.
 */
#ifndef EMIT_CODE_H
#define EMIT_CODE_H

#include <stdint.h>
#include <string.h>

typedef int (*fn_t)(void);

/* Writes "return value;" at code; returns its length in bytes. */
static inline size_t emit_return(uint8_t *code, uint16_t value) {
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

/* Writes at `from` a jump to `to` (no link register written); returns its length in bytes. */
static inline size_t emit_jump(uint8_t *from, const uint8_t *to) {
  intptr_t offset = to - from;
#if defined(__aarch64__)
  uint32_t insns[] = {0x14000000u | ((uint32_t)(offset >> 2) & 0x3ffffffu) /* b to */};
#elif defined(__thumb__)
  /* b.w to (T4): offset from the instruction's address + 4, S:I1:I2:imm10:imm11:0 */
  uint32_t imm = (uint32_t)(offset - 4);
  uint32_t s = (imm >> 24) & 1, j1 = ((imm >> 23) & 1) ^ !s, j2 = ((imm >> 22) & 1) ^ !s;
  uint16_t insns[] = {(uint16_t)(0xf000u | s << 10 | ((imm >> 12) & 0x3ffu)),
                      (uint16_t)(0x9000u | j1 << 13 | j2 << 11 | ((imm >> 1) & 0x7ffu))};
#elif defined(__arm__)
  uint32_t insns[] = {0xea000000u | ((uint32_t)((offset - 8) >> 2) & 0xffffffu) /* b to */};
#elif defined(__powerpc64__)
  uint32_t insns[] = {0x48000000u | ((uint32_t)offset & 0x3fffffcu) /* b to */};
#elif defined(__x86_64__)
  int32_t rel = (int32_t)(offset - 5);
  uint8_t insns[] = {0xe9, (uint8_t)rel, (uint8_t)(rel >> 8), (uint8_t)(rel >> 16), (uint8_t)(rel >> 24) /* jmp to */};
#endif
  memcpy(from, insns, sizeof insns);
  return sizeof insns;
}

/*
 * Makes the code at [exec, exec + n) visible to instruction fetch. GCC's __builtin___clear_cache
 * does nothing on powerpc64, where the program itself issues dcbst, sync, icbi and isync.
 */
static inline void flush(uint8_t *exec, size_t n) {
#if defined(__powerpc64__)
  for (uintptr_t line = (uintptr_t)exec & ~(uintptr_t)127; line < (uintptr_t)exec + n; line += 128) {
    __asm__ volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0\n\tisync" : : "r"(line) : "memory");
  }
#else
  __builtin___clear_cache((char *)exec, (char *)exec + n);
#endif
}

static inline int call(void *exec) {
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

/* Where a function's instructions start (ELFv1 powerpc64: through its descriptor; Thumb: without bit 0). */
static inline uint8_t *code_of(void (*fn)(void)) {
#if defined(__powerpc64__) && _CALL_ELF != 2
  return *(uint8_t **)(void *)fn;
#else
  return (uint8_t *)((uintptr_t)fn & ~(uintptr_t)1);
#endif
}

#endif
