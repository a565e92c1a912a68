/* The compiler's own dependencies (struct initialisers and copies) for the libc-less programs. */
#include "fbsd.h"

void *memset(void *p, int c, size_t n) { return fbsd_memset(p, c, n); }

void *memcpy(void *d, const void *s, size_t n) {
  unsigned char *o = d;
  const unsigned char *i = s;
  while (n--) *o++ = *i++;
  return d;
}

/*
 * Gives the writable segment file contents: tsemu's loader rejects a PT_LOAD whose p_offset lies
 * past the end of the file even when p_filesz is 0 (a .bss-only segment), which Linux accepts.
 */
long fbsd_initialised_data = 1;
