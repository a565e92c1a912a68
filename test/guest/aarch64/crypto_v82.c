/*
 * ARMv8.2's SHA512 (SHA512H/H2/SU0/SU1) and SHA3 (EOR3, BCAX, RAX1, XAR) instructions on
 * pseudo-random operands: each instruction's first result in full and a checksum over 500 more,
 * and HWCAP's bits for them.
 */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>

static uint64_t state = 0x2545f4914f6cdd1dull;

static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static uint64x2_t random_vector(void) {
  uint64_t words[2] = { next(), next() };
  return vld1q_u64(words);
}

struct result {
  const char *name;
  uint64_t sum;
};

static void account(struct result *r, uint64x2_t v, int first) {
  uint64_t words[2];
  vst1q_u64(words, v);
  if (first) printf("%-10s %016llx%016llx\n", r->name, (unsigned long long)words[1], (unsigned long long)words[0]);
  r->sum = (r->sum ^ words[0]) * 0x100000001b3ull;
  r->sum = (r->sum ^ words[1]) * 0x100000001b3ull;
}

#define XAR(shift) account(&r[8 + (shift) % 3], vxarq_u64(a, b, shift), first)

int main(void) {
  unsigned long hwcap = getauxval(AT_HWCAP);
  printf("hwcap sha3 %d sha512 %d\n", !!(hwcap & HWCAP_SHA3), !!(hwcap & HWCAP_SHA512));
  struct result r[] = {
    { "sha512h", 0 }, { "sha512h2", 0 }, { "sha512su0", 0 }, { "sha512su1", 0 }, { "eor3", 0 }, { "bcax", 0 },
    { "rax1", 0 }, { "round", 0 }, { "xar0", 0 }, { "xar1", 0 }, { "xar2", 0 },
  };
  for (int i = 0; i < 501; i++) {
    int first = i == 0;
    uint64x2_t a = random_vector(), b = random_vector(), c = random_vector();
    account(&r[0], vsha512hq_u64(a, b, c), first);
    account(&r[1], vsha512h2q_u64(a, b, c), first);
    account(&r[2], vsha512su0q_u64(a, b), first);
    account(&r[3], vsha512su1q_u64(a, b, c), first);
    account(&r[4], vreinterpretq_u64_u8(veor3q_u8(vreinterpretq_u8_u64(a), vreinterpretq_u8_u64(b), vreinterpretq_u8_u64(c))), first);
    account(&r[5], vreinterpretq_u64_u8(vbcaxq_u8(vreinterpretq_u8_u64(a), vreinterpretq_u8_u64(b), vreinterpretq_u8_u64(c))), first);
    account(&r[6], vrax1q_u64(a, b), first);
    account(&r[7], vsha512h2q_u64(vsha512hq_u64(a, b, c), c, a), first);
    XAR(0);
    XAR(1);
    XAR(17);
    XAR(32);
    XAR(63);
  }
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) printf("%-10s sum %016llx\n", r[i].name, (unsigned long long)r[i].sum);
  return 0;
}
