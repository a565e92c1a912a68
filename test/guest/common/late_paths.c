/* Loops whose paths turn hot at different times: a search tree filled with ascending keys (every
   search goes right) and then searched for random ones (left turns from then on), and a sum over
   rows whose every third row first takes a second path after a thousand rows. tsemu compiles the
   first-hot path of each loop on its own and, when the later path turns hot, compiles the loop's
   blocks again together with it; the results must not change. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct node { uint32_t key; uint32_t hits; struct node *left, *right; };

static struct node *insert(struct node *root, struct node *n) {
  struct node **at = &root;
  while (*at) {
    if (n->key == (*at)->key) { (*at)->hits++; return root; }
    at = n->key < (*at)->key ? &(*at)->left : &(*at)->right;
  }
  *at = n;
  return root;
}

static const struct node *find(const struct node *n, uint32_t key) {
  while (n && n->key != key) n = key < n->key ? n->left : n->right;
  return n;
}

static uint32_t seed = 2463534242u;
static uint32_t next(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

int main(void) {
  enum { SPINE = 400, RANDOM = 20000, ROWS = 4000, COLS = 37 };
  static struct node pool[SPINE + RANDOM];
  struct node *root = NULL;
  size_t used = 0;
  for (uint32_t k = 0; k < SPINE; k++) {
    pool[used] = (struct node){ .key = k * 4096 };
    root = insert(root, &pool[used++]);
  }
  for (int i = 0; i < RANDOM; i++) {
    pool[used] = (struct node){ .key = next() % (SPINE * 4096) };
    root = insert(root, &pool[used++]);
  }
  uint64_t found = 0, keysum = 0;
  for (int round = 0; round < 3; round++) {
    for (uint32_t k = 0; k < SPINE * 4096; k += 97 + round) {
      const struct node *n = find(root, k);
      if (n) { found++; keysum += n->key + n->hits; }
    }
  }
  uint64_t rows = 0;
  for (int r = 0; r < ROWS; r++) {
    uint64_t acc = (uint64_t)r;
    for (int c = 0; c < COLS; c++) {
      if (r > 1000 && r % 3 == 0) acc = acc * 31 + (uint64_t)(c ^ r);
      else acc += (uint64_t)c * (uint64_t)r;
    }
    rows = rows * 1000003 + acc;
  }
  printf("late_paths found %llu keysum %llu rows %016llx\n", (unsigned long long)found,
         (unsigned long long)keysum, (unsigned long long)rows);
  return 0;
}
