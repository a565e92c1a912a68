/* qsort and bsearch over integers, strings and structs (deterministic pseudo-random inputs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 20000

static uint32_t seed = 12345;
static uint32_t lcg(void) { return seed = seed * 1103515245u + 12345u; }

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

struct rec { double key; int id; char name[12]; };
static int cmp_rec(const void *a, const void *b) {
  const struct rec *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->id - y->id;
}

int main(void) {
  static int v[N];
  for (int i = 0; i < N; i++) v[i] = (int)(lcg() >> 1) % 100000 - 50000;
  qsort(v, N, sizeof v[0], cmp_int);
  int sorted = 1;
  long long sum = 0;
  for (int i = 0; i < N; i++) {
    if (i && v[i - 1] > v[i]) sorted = 0;
    sum += (long long)v[i] * (i % 7);
  }
  printf("ints sorted=%d min=%d max=%d median=%d weighted=%lld\n", sorted, v[0], v[N - 1],
         v[N / 2], sum);
  int found = 0;
  for (int k = -50000; k < 50000; k += 97) found += bsearch(&k, v, N, sizeof v[0], cmp_int) != NULL;
  printf("bsearch found=%d\n", found);

  static char *words[2000];
  for (int i = 0; i < 2000; i++) {
    int len = 1 + (int)(lcg() >> 24) % 10;
    words[i] = malloc((size_t)len + 1);
    for (int j = 0; j < len; j++) words[i][j] = (char)('a' + (lcg() >> 20) % 26);
    words[i][len] = 0;
  }
  qsort(words, 2000, sizeof words[0], cmp_str);
  printf("words first=%s second=%s last=%s mid=%s\n", words[0], words[1], words[1999], words[1000]);

  static struct rec recs[5000];
  for (int i = 0; i < 5000; i++) {
    recs[i].key = (double)(lcg() % 1000) / 8.0;
    recs[i].id = i;
    snprintf(recs[i].name, sizeof recs[i].name, "r%d", i);
  }
  qsort(recs, 5000, sizeof recs[0], cmp_rec);
  unsigned long h = 0;
  for (int i = 0; i < 5000; i++) h = h * 33 + (unsigned long)recs[i].id;
  printf("recs first=%s %.3f last=%s %.3f hash=%lx\n", recs[0].name, recs[0].key,
         recs[4999].name, recs[4999].key, h);
  return 0;
}
