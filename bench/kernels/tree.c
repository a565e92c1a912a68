/* Branchy pointer code: an unbalanced binary search tree with inserts, lookups and deletions of
   pseudo-random keys, plus an in-order walk; cache misses and unpredictable branches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct node { uint32_t key; uint32_t count; struct node *left, *right; };

static struct node *pool;
static size_t used;

static struct node *insert(struct node *root, uint32_t key) {
  struct node **at = &root;
  while (*at) {
    if (key == (*at)->key) { (*at)->count++; return root; }
    at = key < (*at)->key ? &(*at)->left : &(*at)->right;
  }
  struct node *n = &pool[used++];
  n->key = key; n->count = 1; n->left = n->right = NULL;
  *at = n;
  return root;
}

static struct node *find(struct node *n, uint32_t key) {
  while (n && n->key != key) n = key < n->key ? n->left : n->right;
  return n;
}

static struct node *remove_key(struct node *root, uint32_t key) {
  struct node **at = &root;
  while (*at && (*at)->key != key) at = key < (*at)->key ? &(*at)->left : &(*at)->right;
  struct node *n = *at;
  if (!n) return root;
  if (!n->left) *at = n->right;
  else if (!n->right) *at = n->left;
  else {
    struct node **m = &n->right;
    while ((*m)->left) m = &(*m)->left;
    struct node *succ = *m;
    *m = succ->right;
    succ->left = n->left;
    succ->right = n->right;
    *at = succ;
  }
  return root;
}

static uint64_t walk(const struct node *n, uint64_t acc, int depth, int *maxdepth) {
  while (n) {
    if (depth > *maxdepth) *maxdepth = depth;
    acc = walk(n->left, acc, depth + 1, maxdepth);
    acc = acc * 1000003 + n->key * n->count;
    n = n->right;
    depth++;
  }
  return acc;
}

int main(void) {
  const int N = 600000;
  pool = malloc(sizeof *pool * (size_t)N);
  struct node *root = NULL;
  uint32_t x = 1;
  for (int i = 0; i < N; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    root = insert(root, x % 2000000);
  }
  long hits = 0;
  for (int r = 0; r < 3; r++)
    for (uint32_t k = 0; k < 2000000; k += 1 + r) hits += find(root, k) != NULL;
  for (uint32_t k = 0; k < 2000000; k += 3) root = remove_key(root, k);
  int depth = 0;
  uint64_t h = walk(root, 0, 0, &depth);
  printf("tree nodes %zu hits %ld depth %d checksum %016llx\n", used, hits, depth, (unsigned long long)h);
  return 0;
}
