/* Integer hashing: a 64-bit multiply/xor/rotate mixer (in the style of xxHash's avalanche) over a
   generated buffer, repeated; stresses 64-bit multiplies, rotates and loads. */
#include <stdint.h>
#include <stdio.h>

#define WORDS (1 << 16)
#define ROUNDS 12000

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t mix(uint64_t acc, uint64_t v) {
  acc += v * 0xc2b2ae3d27d4eb4full;
  acc = rotl(acc, 31);
  return acc * 0x9e3779b185ebca87ull;
}

int main(void) {
  static uint64_t data[WORDS];
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < WORDS; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    data[i] = x;
  }
  uint64_t h = 0;
  for (int r = 0; r < ROUNDS; r++) {
    uint64_t a = 0x60ea27eeadc0b5d6ull + (uint64_t)r, b = 0xc2b2ae3d27d4eb4full, c = 0, d = 0x61c8864e7a143579ull;
    for (int i = 0; i < WORDS; i += 4) {
      a = mix(a, data[i]);
      b = mix(b, data[i + 1]);
      c = mix(c, data[i + 2]);
      d = mix(d, data[i + 3]);
    }
    uint64_t t = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18);
    t ^= t >> 33; t *= 0xff51afd7ed558ccdull; t ^= t >> 33;
    h ^= t + (h << 6) + (h >> 2);
  }
  printf("hash checksum %016llx\n", (unsigned long long)h);
  return 0;
}
