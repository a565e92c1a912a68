/*
 * ARMv8's cryptographic extension (AESE/AESD/AESMC/AESIMC, SHA1C/P/M/H/SU0/SU1,
 * SHA256H/H2/SU0/SU1, PMULL/PMULL2 or VMULL.P64 of 64-bit elements) and CRC32B/H/W, CRC32CB/H/W,
 * built for AArch64 and AArch32 (A32 and T32) from the same intrinsics, on pseudo-random operands:
 * each instruction's first result in full and a checksum over 500 more, and the HWCAP bits for
 * them (AArch64's AT_HWCAP, AArch32's AT_HWCAP2). With the argument `crc` a CRC32W runs first (an
 * ARMv7 CPU dies by SIGILL there, as it does at the first AESE otherwise).
 */
#include <arm_acle.h>
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static uint8x16_t random_vector(void) {
  uint64_t words[2] = { next(), next() };
  return vreinterpretq_u8_u64(vld1q_u64(words));
}

struct result {
  const char *name;
  uint64_t sum;
};

static void account(struct result *r, uint8x16_t v, int first) {
  uint64_t words[2];
  vst1q_u64(words, vreinterpretq_u64_u8(v));
  if (first) printf("%-10s %016llx%016llx\n", r->name, (unsigned long long)words[1], (unsigned long long)words[0]);
  r->sum = (r->sum ^ words[0]) * 0x100000001b3ull;
  r->sum = (r->sum ^ words[1]) * 0x100000001b3ull;
}

static void account32(struct result *r, uint32_t v, int first) {
  if (first) printf("%-10s %08x\n", r->name, v);
  r->sum = (r->sum ^ v) * 0x100000001b3ull;
}

int main(int argc, char **argv) {
#ifdef __aarch64__
  unsigned long hwcap = getauxval(AT_HWCAP) >> 3; /* HWCAP_AES is bit 3, then PMULL, SHA1, SHA2, CRC32 */
#else
  unsigned long hwcap = getauxval(AT_HWCAP2); /* HWCAP2_AES is bit 0, then PMULL, SHA1, SHA2, CRC32 */
#endif
  printf("hwcap aes %d pmull %d sha1 %d sha2 %d crc32 %d\n", !!(hwcap & 1), !!(hwcap & 2), !!(hwcap & 4), !!(hwcap & 8),
         !!(hwcap & 16));
  fflush(stdout);
  if (argc > 1 && strcmp(argv[1], "crc") == 0) printf("crc32w %08x\n", __crc32w(0x12345678, (uint32_t)next()));
  struct result r[] = {
    { "aese", 0 }, { "aesd", 0 }, { "aesmc", 0 }, { "aesimc", 0 }, { "sha1c", 0 }, { "sha1p", 0 },
    { "sha1m", 0 }, { "sha1h", 0 }, { "sha1su0", 0 }, { "sha1su1", 0 }, { "sha256h", 0 }, { "sha256h2", 0 },
    { "sha256su0", 0 }, { "sha256su1", 0 }, { "pmull", 0 }, { "pmull2", 0 }, { "aesround", 0 },
    { "crc32b", 0 }, { "crc32h", 0 }, { "crc32w", 0 }, { "crc32cb", 0 }, { "crc32ch", 0 }, { "crc32cw", 0 },
  };
  for (int i = 0; i < 501; i++) {
    int first = i == 0;
    uint8x16_t a = random_vector(), b = random_vector(), c = random_vector();
    uint32x4_t wa = vreinterpretq_u32_u8(a), wb = vreinterpretq_u32_u8(b), wc = vreinterpretq_u32_u8(c);
    uint32_t e = vgetq_lane_u32(wb, 0), acc = vgetq_lane_u32(wc, 1);
    account(&r[0], vaeseq_u8(a, b), first);
    account(&r[1], vaesdq_u8(a, b), first);
    account(&r[2], vaesmcq_u8(a), first);
    account(&r[3], vaesimcq_u8(a), first);
    account(&r[4], vreinterpretq_u8_u32(vsha1cq_u32(wa, e, wc)), first);
    account(&r[5], vreinterpretq_u8_u32(vsha1pq_u32(wa, e, wc)), first);
    account(&r[6], vreinterpretq_u8_u32(vsha1mq_u32(wa, e, wc)), first);
    account(&r[7], vreinterpretq_u8_u32(vsetq_lane_u32(vsha1h_u32(e), vdupq_n_u32(0), 0)), first);
    account(&r[8], vreinterpretq_u8_u32(vsha1su0q_u32(wa, wb, wc)), first);
    account(&r[9], vreinterpretq_u8_u32(vsha1su1q_u32(wa, wb)), first);
    account(&r[10], vreinterpretq_u8_u32(vsha256hq_u32(wa, wb, wc)), first);
    account(&r[11], vreinterpretq_u8_u32(vsha256h2q_u32(wa, wb, wc)), first);
    account(&r[12], vreinterpretq_u8_u32(vsha256su0q_u32(wa, wb)), first);
    account(&r[13], vreinterpretq_u8_u32(vsha256su1q_u32(wa, wb, wc)), first);
    poly64x2_t pa = vreinterpretq_p64_u8(a), pb = vreinterpretq_p64_u8(b);
    account(&r[14], vreinterpretq_u8_p128(vmull_p64(vgetq_lane_p64(pa, 0), vgetq_lane_p64(pb, 0))), first);
    account(&r[15], vreinterpretq_u8_p128(vmull_high_p64(pa, pb)), first);
    account(&r[16], veorq_u8(vaesmcq_u8(vaeseq_u8(a, b)), c), first);
    account32(&r[17], __crc32b(acc, (uint8_t)e), first);
    account32(&r[18], __crc32h(acc, (uint16_t)e), first);
    account32(&r[19], __crc32w(acc, e), first);
    account32(&r[20], __crc32cb(acc, (uint8_t)e), first);
    account32(&r[21], __crc32ch(acc, (uint16_t)e), first);
    account32(&r[22], __crc32cw(acc, e), first);
  }
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) printf("%-10s sum %016llx\n", r[i].name, (unsigned long long)r[i].sum);
  return 0;
}
