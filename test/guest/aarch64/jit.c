/*
 * A JIT in miniature: AArch64 instructions written to memory at run time and executed, then
 * rewritten and executed again. Covers W^X (write, mprotect to executable, run, mprotect back),
 * an RWX mapping patched in place, a generated loop, and many rewrites of the same address, each
 * followed by __builtin___clear_cache as the architecture requires.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef uint64_t (*fn_t)(uint64_t, uint64_t);

/* Encodings from the Arm ARM (A64 base instructions). */
static uint32_t movz_w0(uint16_t imm) { return 0x52800000u | (uint32_t)imm << 5; }
static uint32_t movz_x(unsigned rd, uint16_t imm, unsigned shift) {
  return 0xd2800000u | (shift / 16) << 21 | (uint32_t)imm << 5 | rd;
}
static uint32_t add_x(unsigned rd, unsigned rn, unsigned rm) { return 0x8b000000u | rm << 16 | rn << 5 | rd; }
static uint32_t madd_x(unsigned rd, unsigned rn, unsigned rm, unsigned ra) {
  return 0x9b000000u | rm << 16 | ra << 10 | rn << 5 | rd;
}
static uint32_t subs_imm_x(unsigned rd, unsigned rn, uint16_t imm) {
  return 0xf1000000u | (uint32_t)imm << 10 | rn << 5 | rd;
}
static uint32_t b_ne(int offset_insns) { return 0x54000001u | ((uint32_t)offset_insns & 0x7ffff) << 5; }
static const uint32_t RET = 0xd65f03c0u;

static void flush(void *p, size_t n) { __builtin___clear_cache((char *)p, (char *)p + n); }

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  uint32_t *code = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  /* W^X: write, make executable, call; make writable, patch, make executable, call. */
  code[0] = movz_w0(1234);
  code[1] = RET;
  mprotect(code, (size_t)page, PROT_READ | PROT_EXEC);
  flush(code, 8);
  printf("w^x first: %llu\n", (unsigned long long)((fn_t)code)(0, 0));
  mprotect(code, (size_t)page, PROT_READ | PROT_WRITE);
  code[0] = movz_w0(4321);
  mprotect(code, (size_t)page, PROT_READ | PROT_EXEC);
  flush(code, 8);
  printf("w^x rewritten: %llu\n", (unsigned long long)((fn_t)code)(0, 0));
  munmap(code, (size_t)page);

  /* RWX: patch in place many times; each version must be the one that runs. */
  uint32_t *rwx = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (rwx == MAP_FAILED) { puts("no RWX mapping"); return 1; }
  uint64_t sum = 0;
  for (unsigned i = 0; i < 200; i++) {
    rwx[0] = movz_x(2, (uint16_t)(i * 7), 0);
    rwx[1] = add_x(0, 0, 2);
    rwx[2] = add_x(0, 0, 1);
    rwx[3] = RET;
    flush(rwx, 16);
    sum += ((fn_t)rwx)(i, 1000);
  }
  printf("rwx rewrites: sum %llu\n", (unsigned long long)sum);

  /* A generated loop: x0 = sum over k = x1..1 of (k * x1 + 3). */
  uint32_t *loop = rwx + 64;
  loop[0] = movz_x(0, 0, 0);     /* x0 = 0 */
  loop[1] = movz_x(3, 3, 0);     /* x3 = 3 */
  loop[2] = add_x(4, 1, 31);     /* x4 = x1 (add with xzr: encoding 31 as rm is xzr) */
  loop[3] = madd_x(5, 4, 1, 3);  /* x5 = x4 * x1 + x3 */
  loop[4] = add_x(0, 0, 5);      /* x0 += x5 */
  loop[5] = subs_imm_x(4, 4, 1); /* x4 -= 1, flags */
  loop[6] = b_ne(-3);            /* back to madd */
  loop[7] = RET;
  flush(loop, 32);
  printf("generated loop(1000): %llu\n", (unsigned long long)((fn_t)loop)(0, 1000));
  loop[1] = movz_x(3, 5, 0); /* change the addend only */
  flush(loop + 1, 4);
  printf("patched loop(1000): %llu\n", (unsigned long long)((fn_t)loop)(0, 1000));

  /* Code copied from an existing function (position independent) into the RWX page. */
  memcpy(rwx + 128, loop, 32);
  flush(rwx + 128, 32);
  printf("copied loop(10): %llu\n", (unsigned long long)((fn_t)(rwx + 128))(0, 10));
  return 0;
}
