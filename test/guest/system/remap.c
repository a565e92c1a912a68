/* Mappings to other physical addresses (39-bit VAs, 4K pages in a window past the end of RAM): two aliases of one page, the UART at another address, a page remapped with TLBI by VA, loads and stores crossing from one page to another mapped elsewhere, exclusives through an alias, code written through a writable alias and run through an executable one (rewritten twice), code remapped under a running program with TLBI by VA, and ASIDs: two tables with non-global mappings switched by TTBR0 alone, then TLBI by VA and ASID and TLBI by ASID. */
#include "virt.h"
#include "pagetable.h"

#define RAM 0x40000000UL
#define WINDOW 0x48000000UL /* VAs past the 128 MiB of RAM */
#define VA(n) (WINDOW + ((uint64_t)(n) << 12))
#define ASID(n) ((uint64_t)(n) << 48)
#define MOV_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5))
#define RET 0xd65f03c0u

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
/* A second set of tables for another ASID, sharing l1's RAM entries. */
static uint64_t l1_b[512] __attribute__((aligned(4096)));
static uint64_t l2_b[512] __attribute__((aligned(4096)));
static uint64_t l3_b[512] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint64_t page_c[512] __attribute__((aligned(4096)));
static uint32_t code_c[1024] __attribute__((aligned(4096)));
static uint32_t code_d1[1024] __attribute__((aligned(4096)));
static uint32_t code_d2[1024] __attribute__((aligned(4096)));

void on_exception(uint64_t kind, struct frame *f) {
  report_exception(kind);
  /* An instruction abort on a call returns to the caller; other aborts skip the instruction. */
  f->elr = (READ_SYSREG(esr_el1) >> 26) == 0x21 ? f->x[30] : f->elr + 4;
}

static uint64_t rd(uint64_t va) {
  return *(volatile uint64_t *)va;
}

static void wr(uint64_t va, uint64_t v) {
  *(volatile uint64_t *)va = v;
}

static uint64_t call(uint64_t va) {
  return ((uint64_t(*)(void))va)();
}

static void tables(uint64_t *t1, uint64_t *t2, uint64_t *t3) {
  t1[0] = 0x00000000UL | DEVICE_BLOCK;
  t1[1] = (uint64_t)t2 | DESC_TABLE;
  for (int i = 0; i < 64; i++) t2[i] = (RAM + ((uint64_t)i << 21)) | RAM_BLOCK;
  t2[64] = (uint64_t)t3 | DESC_TABLE;
}

int main(void) {
  tables(l1, l2, l3);
  tables(l1_b, l2_b, l3_b);
  l3[0] = (uint64_t)page_a | RAM_PAGE;
  l3[1] = (uint64_t)page_a | RAM_PAGE;
  l3[2] = UART_BASE | DEVICE_PAGE | PXN | UXN;
  l3[3] = (uint64_t)code_c | RAM_PAGE | PXN | UXN;
  l3[4] = (uint64_t)code_c | RAM_PAGE | AP_RO;
  l3[5] = (uint64_t)code_d1 | RAM_PAGE | AP_RO;
  l3[6] = (uint64_t)page_a | RAM_PAGE | NG;
  l3_b[6] = (uint64_t)page_b | RAM_PAGE | NG;
  page_b[0] = 0xbbbb;
  page_b[1] = 0x1111111111111111UL;
  page_c[0] = 0xcccc;
  mmu_on(TCR_T0SZ(25) | TCR_WALKS | TCR_TG0_4K | TCR_EPD1, (uint64_t)l1 | ASID(1), 0);
  puts_("MMU on\n");

  wr(VA(0) + 8, 0xaaaa);
  field("written at one alias, read at the other", rd(VA(1) + 8));
  field("and in RAM", ((volatile uint64_t *)page_a)[1]);
  volatile uint32_t *uart = (volatile uint32_t *)VA(2);
  for (const char *s = "printed through the UART mapped at 0x48002000\n"; *s; s++) uart[0] = (uint32_t)(unsigned char)*s;
  field("UART flag register read there", uart[6] & 0x80);

  l3[0] = (uint64_t)page_b | RAM_PAGE;
  tlbi_va(VA(0));
  field("page remapped with TLBI by VA, read", rd(VA(0)));

  /* VA(0) is page_b, VA(1) is page_a: an 8-byte access across them touches both. */
  page_a[0] = 0x8877665544332211UL;
  page_b[511] = 0x00ffeeddccbbaa99UL;
  uint64_t v;
  __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(VA(0) + 0xffc) : "memory");
  field("load across two pages mapped apart", v);
  __asm__ volatile("str %0, [%1]" ::"r"(0x0102030405060708UL), "r"(VA(0) + 0xffa) : "memory");
  field("store across them, high page", ((volatile uint64_t *)page_a)[0]);
  field("store across them, low page", ((volatile uint64_t *)page_b)[511]);

  uint32_t fail;
  uint64_t old;
  do {
    __asm__ volatile("ldaxr %0, [%2]\n add %0, %0, #5\n stlxr %w1, %0, [%2]" : "=&r"(old), "=&r"(fail) : "r"(VA(1) + 16) : "memory");
  } while (fail);
  field("exclusive add through the alias, in RAM", ((volatile uint64_t *)page_a)[2]);

  for (int round = 1; round <= 3; round++) {
    ((volatile uint32_t *)VA(3))[0] = MOV_W0(round * 11);
    ((volatile uint32_t *)VA(3))[1] = RET;
    sync_code((void *)VA(3));
    uint64_t sum = 0;
    for (int i = 0; i < 50; i++) sum += call(VA(4));
    field("code written through the writable alias, run through the other (50 calls)", sum);
  }

  code_d1[0] = MOV_W0(3);
  code_d1[1] = RET;
  code_d2[0] = MOV_W0(4);
  code_d2[1] = RET;
  sync_code(code_d1);
  sync_code(code_d2);
  field("code at 0x48005000", call(VA(5)));
  l3[5] = (uint64_t)code_d2 | RAM_PAGE | AP_RO;
  tlbi_va(VA(5));
  field("remapped with TLBI by VA", call(VA(5)));
  puts_("write to the read-only code alias\n");
  ((volatile uint32_t *)VA(5))[0] = 0;
  puts_("run the non-executable alias\n");
  call(VA(3));

  field("ASID 1 non-global page", rd(VA(6)));
  WRITE_SYSREG(ttbr0_el1, (uint64_t)l1_b | ASID(2));
  isb();
  field("ASID 2 tables, same VA", rd(VA(6)));
  WRITE_SYSREG(ttbr0_el1, (uint64_t)l1 | ASID(1));
  isb();
  field("back to ASID 1", rd(VA(6)));
  l3[6] = (uint64_t)page_c | RAM_PAGE | NG;
  tlbi_va_asid(VA(6), 1);
  field("changed, TLBI by VA and ASID 1", rd(VA(6)));
  l3_b[6] = (uint64_t)page_a | RAM_PAGE | NG;
  tlbi_asid(2);
  WRITE_SYSREG(ttbr0_el1, (uint64_t)l1_b | ASID(2));
  isb();
  field("ASID 2 changed, TLBI by ASID 2", rd(VA(6)));
  system_off();
}
