/*
 * malloc/calloc/realloc/free under a deterministic random workload, small blocks (brk heap) and
 * large ones (mmap), each block filled with a pattern that is checked before it is freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 2048
#define OPS 60000

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

struct block { unsigned char *p; size_t size; unsigned char tag; };
static struct block slots[SLOTS];

/* Blocks are filled and checked at offsets that grow sparser (about 120 of a 1 MB block), so the
   run time goes to the allocator rather than to filling memory. The last byte, which the checksum
   reads, is always written. */
static size_t step(size_t i) { return 1 + i / 8; }

static int check(const struct block *b) {
  for (size_t i = 0; i < b->size; i += step(i))
    if (b->p[i] != (unsigned char)(b->tag + i)) return 0;
  return 1;
}

static void fill(struct block *b, size_t from) {
  for (size_t i = 0; i < b->size; i += step(i))
    if (i >= from) b->p[i] = (unsigned char)(b->tag + i);
  b->p[b->size - 1] = (unsigned char)(b->tag + b->size - 1);
}

static size_t random_size(void) {
  uint64_t r = next();
  switch (r % 16) {
    case 0: return 200000 + (r >> 8) % 800000; /* above the mmap threshold */
    case 1: case 2: return 4096 + (r >> 8) % 60000;
    default: return 1 + (r >> 8) % 512;
  }
}

int main(void) {
  unsigned long bad = 0, misaligned = 0, allocs = 0, reallocs = 0, frees = 0;
  uint64_t checksum = 0;
  for (int op = 0; op < OPS; op++) {
    struct block *b = &slots[next() % SLOTS];
    if (b->p == NULL) {
      b->size = random_size();
      b->tag = (unsigned char)next();
      b->p = (next() & 3) == 0 ? calloc(1, b->size) : malloc(b->size);
      if (!b->p) { puts("allocation failed"); return 1; }
      if (((uintptr_t)b->p & 15) != 0) misaligned++;
      fill(b, 0);
      allocs++;
    } else if ((next() & 3) == 0) {
      if (!check(b)) bad++;
      size_t keep = b->size;
      b->size = random_size();
      b->p = realloc(b->p, b->size);
      if (!b->p) { puts("realloc failed"); return 1; }
      if (((uintptr_t)b->p & 15) != 0) misaligned++;
      if (keep > b->size) keep = b->size;
      for (size_t i = 0; i < keep; i += step(i))
        if (b->p[i] != (unsigned char)(b->tag + i)) { bad++; break; }
      fill(b, keep);
      reallocs++;
    } else {
      if (!check(b)) bad++;
      checksum = checksum * 31 + b->size + b->p[b->size - 1];
      free(b->p);
      b->p = NULL;
      frees++;
    }
  }
  for (int i = 0; i < SLOTS; i++) {
    if (slots[i].p) {
      if (!check(&slots[i])) bad++;
      free(slots[i].p);
    }
  }
  /* calloc of memory that malloc just released must still come back zeroed. */
  unsigned char *p = malloc(100000);
  memset(p, 0xaa, 100000);
  free(p);
  p = calloc(100000, 1);
  int zero = 1;
  for (int i = 0; i < 100000; i++) zero &= p[i] == 0;
  free(p);
  printf("allocs=%lu reallocs=%lu frees=%lu bad=%lu misaligned=%lu calloc-zero=%d\n", allocs,
         reallocs, frees, bad, misaligned, zero);
  printf("checksum=%016llx\n", (unsigned long long)checksum);
  printf("huge malloc fails cleanly: %d\n", malloc((size_t)1 << 62) == NULL);
  return 0;
}
