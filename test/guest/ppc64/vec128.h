/*
 * What the ppc64 vector test programs share: a 128-bit vector type, a reproducible xorshift source
 * of operands (seeded by VEC128_SEED when the program defines it), and conversions between a vector
 * and its two doublewords in element order (0 is the most significant), so that results print the
 * same text on both byte orders.
 */
#ifndef VEC128_H
#define VEC128_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef VEC128_SEED
#define VEC128_SEED 0x9e3779b97f4a7c15ull
#endif

typedef unsigned char v16 __attribute__((vector_size(16)));

static uint64_t state = VEC128_SEED;
static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

/* Doubleword `i` (element order: 0 is the most significant) of v. */
static uint64_t dword(v16 v, int i) {
  unsigned char b[16];
  memcpy(b, &v, 16);
  uint64_t r = 0;
  for (int k = 0; k < 8; k++) {
#ifdef __LITTLE_ENDIAN__
    r = (r << 8) | b[15 - (i * 8 + k)];
#else
    r = (r << 8) | b[i * 8 + k];
#endif
  }
  return r;
}

/* The vector whose doublewords in element order are hi, lo. */
static inline v16 make(uint64_t hi, uint64_t lo) {
  unsigned char b[16];
  for (int k = 0; k < 8; k++) {
#ifdef __LITTLE_ENDIAN__
    b[15 - k] = (unsigned char)(hi >> (56 - 8 * k));
    b[7 - k] = (unsigned char)(lo >> (56 - 8 * k));
#else
    b[k] = (unsigned char)(hi >> (56 - 8 * k));
    b[8 + k] = (unsigned char)(lo >> (56 - 8 * k));
#endif
  }
  v16 v;
  memcpy(&v, b, 16);
  return v;
}

static void show(const char *name, v16 t) {
  printf(" %s=%016llx%016llx", name, (unsigned long long)dword(t, 0), (unsigned long long)dword(t, 1));
}

/* One VMX instruction on register operands, its result shown under the instruction's name. */
#define BINARY(insn, a, b)                                       \
  do {                                                           \
    v16 result_;                                                 \
    __asm__(#insn " %0,%1,%2" : "=v"(result_) : "v"(a), "v"(b)); \
    show(#insn, result_);                                        \
  } while (0)
#define UNARY(insn, b)                                \
  do {                                                \
    v16 result_;                                      \
    __asm__(#insn " %0,%1" : "=v"(result_) : "v"(b)); \
    show(#insn, result_);                             \
  } while (0)
/* A three-source VMX instruction; a record-form VMX compare (the mask and CR6); a two-register VSX one. */
#define TERNARY(insn, a, b, c)                                              \
  do {                                                                      \
    v16 result_;                                                            \
    __asm__(#insn " %0,%1,%2,%3" : "=v"(result_) : "v"(a), "v"(b), "v"(c)); \
    show(#insn, result_);                                                   \
  } while (0)
#define COMPARE(insn, a, b)                                                                    \
  do {                                                                                         \
    v16 result_;                                                                               \
    unsigned long cr;                                                                          \
    __asm__(#insn ". %0,%2,%3\n\tmfcr %1" : "=v"(result_), "=r"(cr) : "v"(a), "v"(b) : "cr6"); \
    show(#insn, result_);                                                                      \
    printf(" cr6=%lx", (cr >> 4) & 15);                                                        \
  } while (0)
#define VSX_UNARY(insn, b)                                \
  do {                                                    \
    v16 result_;                                          \
    __asm__(#insn " %x0,%x1" : "=wa"(result_) : "wa"(b)); \
    show(#insn, result_);                                 \
  } while (0)
#endif
