/* memcpy/memset/memmove/memcmp-heavy work (glibc's SIMD routines) over assorted sizes and
   alignments, the pattern of buffer management in real programs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BUF (1 << 20)

static unsigned char src[BUF + 64], dst[BUF + 64];

int main(void) {
  for (int i = 0; i < BUF + 64; i++) src[i] = (unsigned char)(i * 7 + (i >> 9));
  uint64_t check = 0;
  uint32_t x = 7;
  for (int r = 0; r < 3000; r++) {
    memcpy(dst, src + (r & 15), BUF);
    check += dst[(r * 4099) % BUF];
    memset(dst + (r & 31), r & 255, BUF / 2);
    check += dst[BUF / 4];
    memmove(dst + 1 + (r & 7), dst, BUF / 4);
    check += dst[1000];
    check += memcmp(dst, src, BUF) < 0;
  }
  for (int r = 0; r < 20000000; r++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    size_t len = x % 200, so = (x >> 8) % 4096, dof = (x >> 20) % 4096;
    memcpy(dst + dof, src + so, len);
    check = check * 31 + dst[dof + len / 2];
  }
  printf("memops checksum %016llx\n", (unsigned long long)check);
  return 0;
}
