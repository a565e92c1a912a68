/*
 * A JIT in miniature for 32-bit ARM: Thumb and ARM instructions written to memory at run time,
 * executed, then rewritten and executed again, each followed by __builtin___clear_cache. The
 * rewrites change only the first byte of a Thumb function (the immediate of MOVS, the register
 * list of POP, the offset of B), the byte at the function's address itself: a Thumb function is
 * entered at that address + 1, and the new code must run, not a translation of the old.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

typedef uint32_t (*fn_t)(uint32_t, uint32_t);

/* Thumb encodings (Arm ARM, T1 forms). */
static uint16_t t_movs(unsigned rd, uint8_t imm) { return (uint16_t)(0x2000u | rd << 8 | imm); }
static uint16_t t_adds(unsigned rd, unsigned rn, unsigned rm) { return (uint16_t)(0x1800u | rm << 6 | rn << 3 | rd); }
static uint16_t t_b(int offset_halfwords) { return (uint16_t)(0xe000u | ((unsigned)(offset_halfwords - 2) & 0x7ffu)); }
static uint16_t t_push(uint8_t regs) { return (uint16_t)(0xb500u | regs); }
static uint16_t t_pop(uint8_t regs) { return (uint16_t)(0xbd00u | regs); }
static const uint16_t T_BX_LR = 0x4770;
/* ARM encodings (A1 forms, condition AL). */
static uint32_t a_mov(unsigned rd, uint8_t imm) { return 0xe3a00000u | rd << 12 | imm; }
static const uint32_t A_BX_LR = 0xe12fff1eu;

static void flush(void *p, size_t n) { __builtin___clear_cache((char *)p, (char *)p + n); }
static fn_t thumb(void *p) { return (fn_t)((uintptr_t)p | 1); }

int main(void) {
  long page = sysconf(_SC_PAGESIZE);

  /* W^X: write, make executable, call; make writable, change the MOVS immediate, call again. */
  uint16_t *wx = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (wx == MAP_FAILED) { puts("no mapping"); return 1; }
  wx[0] = t_movs(0, 17);
  wx[1] = T_BX_LR;
  mprotect(wx, (size_t)page, PROT_READ | PROT_EXEC);
  flush(wx, 4);
  printf("w^x thumb first: %u\n", thumb(wx)(0, 0));
  mprotect(wx, (size_t)page, PROT_READ | PROT_WRITE);
  wx[0] = t_movs(0, 71);
  mprotect(wx, (size_t)page, PROT_READ | PROT_EXEC);
  flush(wx, 4);
  printf("w^x thumb rewritten: %u\n", thumb(wx)(0, 0));
  munmap(wx, (size_t)page);

  uint16_t *rwx = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (rwx == MAP_FAILED) { puts("no RWX mapping"); return 1; }

  /* RWX: the immediate of the first MOVS changes at every call. */
  uint32_t sum = 0;
  for (unsigned i = 0; i < 40; i++) {
    rwx[0] = t_movs(2, (uint8_t)(i * 5));
    rwx[1] = t_adds(0, 0, 2);
    rwx[2] = t_adds(0, 0, 1);
    rwx[3] = T_BX_LR;
    flush(rwx, 8);
    sum += thumb(rwx)(i, 1000);
  }
  printf("rwx thumb rewrites: sum %u\n", sum);

  /* A POP whose register list (its first byte) changes: r0 comes back as what was pushed, or not. */
  uint16_t *pop = rwx + 64;
  pop[0] = t_push(0x01); /* push {r0, lr} */
  pop[1] = t_movs(0, 9);
  pop[2] = t_b(1);       /* b to pop[3] */
  pop[3] = t_pop(0x01);  /* pop {r0, pc}: returns the pushed r0 */
  flush(pop, 8);
  printf("pop {r0, pc}: %u\n", thumb(pop)(5, 0));
  pop[0] = t_push(0x02); /* push {r1, lr} */
  pop[3] = t_pop(0x02);  /* pop {r1, pc}: r0 stays 9 */
  flush(pop, 8);
  printf("pop {r1, pc}: %u\n", thumb(pop)(5, 6));

  /* A block that is one B whose offset (its first byte) changes: which MOVS runs. */
  uint16_t *br = rwx + 128;
  br[0] = t_b(2);        /* to br[2] */
  br[1] = t_movs(0, 1);
  br[2] = t_movs(0, 2);
  br[3] = T_BX_LR;
  br[4] = t_movs(0, 3);
  br[5] = T_BX_LR;
  flush(br, 12);
  printf("b forward 2: %u\n", thumb(br)(0, 0));
  br[0] = t_b(4);        /* to br[4] */
  flush(br, 2);
  printf("b forward 4: %u\n", thumb(br)(0, 0));

  /* ARM state at the same address as Thumb code before it, then Thumb again. */
  uint32_t *arm = (uint32_t *)(rwx + 256);
  arm[0] = a_mov(0, 44);
  arm[1] = A_BX_LR;
  flush(arm, 8);
  printf("arm: %u\n", ((fn_t)arm)(0, 0));
  uint16_t *t = (uint16_t *)arm;
  t[0] = t_movs(0, 45);
  t[1] = T_BX_LR;
  flush(arm, 8);
  printf("thumb at the same address: %u\n", thumb(arm)(0, 0));
  arm[0] = a_mov(0, 46);
  arm[1] = A_BX_LR;
  flush(arm, 8);
  printf("arm again: %u\n", ((fn_t)arm)(0, 0));
  return 0;
}
