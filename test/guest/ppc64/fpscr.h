/* A double's bits and back, and FPSCR read (mffs) and written whole (mtfsf), for the FPSCR programs. */
#include <stdint.h>
#include <string.h>

static inline uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return u;
}
static inline double from_bits(uint64_t u) {
  double d;
  memcpy(&d, &u, 8);
  return d;
}
static inline uint32_t fpscr(void) {
  double f;
  __asm__ volatile("mffs %0" : "=d"(f)::"memory");
  return (uint32_t)bits(f);
}
static inline void set_fpscr(uint32_t v) {
  double f = from_bits(v);
  __asm__ volatile("mtfsf 0xff, %0" ::"d"(f) : "memory");
}
