/* ASIDs (39-bit VAs, 4K pages in a window past the end of RAM): two sets of tables give one VA a different non-global data page and code page in each ASID, and share a global data page and code page; the program switches ASIDs by TTBR0 alone (TCR_EL1.A1 = 0), then by TTBR1 (A1 = 1), then with 16-bit ASIDs (TCR_EL1.AS) that differ only in the upper byte, and runs through more ASIDs than a TLB holds. Tables change only before a TLBI that covers them (VAE1 with the ASID, ASIDE1, VAAE1, VAE1 of another ASID for a global page), and only what the architecture defines is printed: a stale entry may legally be seen until the TLBI, so nothing is read between a change and its TLBI. */
#include "virt.h"
#include "pagetable.h"

#define RAM 0x40000000UL
#define WINDOW 0x48000000UL /* VAs past the 128 MiB of RAM */
#define VA(n) (WINDOW + ((uint64_t)(n) << 12))
#define ASID(n) ((uint64_t)(n) << 48)
#define TCR_A1 (1UL << 22)
#define TCR_AS (1UL << 36)
#define TCR_BASE (TCR_T0SZ(25) | TCR_WALKS | TCR_TG0_4K | TCR_EPD1)
#define MOV_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5))
#define RET 0xd65f03c0u
#define DATA_NG 0 /* VA(0): a non-global data page */
#define DATA_G 1  /* VA(1): a global data page */
#define CODE_NG 2 /* VA(2): a non-global code page */
#define CODE_G 3  /* VA(3): a global code page */
#define CODE_PAGE (RAM_PAGE | AP_RO)

static uint64_t l1_a[512] __attribute__((aligned(4096)));
static uint64_t l2_a[512] __attribute__((aligned(4096)));
static uint64_t l3_a[512] __attribute__((aligned(4096)));
static uint64_t l1_b[512] __attribute__((aligned(4096)));
static uint64_t l2_b[512] __attribute__((aligned(4096)));
static uint64_t l3_b[512] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint64_t page_c[512] __attribute__((aligned(4096)));
static uint32_t code_1[1024] __attribute__((aligned(4096)));
static uint32_t code_2[1024] __attribute__((aligned(4096)));
static uint32_t code_3[1024] __attribute__((aligned(4096)));

void on_exception(uint64_t kind, struct frame *f) {
  report_exception(kind);
  system_off();
}

static uint64_t rd(uint64_t va) {
  return *(volatile uint64_t *)va;
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

static void code(uint32_t *at, int value) {
  at[0] = MOV_W0(value);
  at[1] = RET;
  sync_code(at);
}

/* TLBI VAAE1IS: the page's entries of every ASID. */
static void tlbi_va_all_asids(uint64_t va) {
  __asm__ volatile("dsb ishst\n tlbi vaae1is, %0\n dsb ish\n isb" ::"r"((va >> 12) & 0xfffffffffffUL) : "memory");
}

static void set_ttbr0(uint64_t *l1, uint64_t asid) {
  WRITE_SYSREG(ttbr0_el1, (uint64_t)l1 | ASID(asid));
  isb();
}

static void set_tcr(uint64_t tcr) {
  WRITE_SYSREG(tcr_el1, tcr);
  isb();
  tlbi_all();
}

/* What the four pages give in the ASID and tables in force: data pages by their first word, code pages by what they return. */
static void report(const char *name) {
  puts_(name);
  puts_(": data ");
  puthex(rd(VA(DATA_NG)));
  puts_(" global data ");
  puthex(rd(VA(DATA_G)));
  puts_(" code ");
  puthex(call(VA(CODE_NG)));
  puts_(" global code ");
  puthex(call(VA(CODE_G)));
  puts_("\n");
}

int main(void) {
  tables(l1_a, l2_a, l3_a);
  tables(l1_b, l2_b, l3_b);
  page_a[0] = 0xaaaa;
  page_b[0] = 0xbbbb;
  page_c[0] = 0xcccc;
  code(code_1, 1);
  code(code_2, 2);
  code(code_3, 3);
  l3_a[DATA_NG] = (uint64_t)page_a | RAM_PAGE | NG;
  l3_b[DATA_NG] = (uint64_t)page_b | RAM_PAGE | NG;
  l3_a[DATA_G] = l3_b[DATA_G] = (uint64_t)page_a | RAM_PAGE;
  l3_a[CODE_NG] = (uint64_t)code_1 | CODE_PAGE | NG;
  l3_b[CODE_NG] = (uint64_t)code_2 | CODE_PAGE | NG;
  l3_a[CODE_G] = l3_b[CODE_G] = (uint64_t)code_1 | CODE_PAGE;
  tlbi_all();
  mmu_on(TCR_BASE, (uint64_t)l1_a | ASID(1), 0);

  puts_("TCR_EL1.A1 = 0, ASIDs in TTBR0\n");
  report("ASID 1, tables A");
  set_ttbr0(l1_b, 2);
  report("ASID 2, tables B");
  set_ttbr0(l1_a, 1);
  report("ASID 1 again");
  set_ttbr0(l1_b, 2);
  report("ASID 2 again");

  l3_a[DATA_NG] = (uint64_t)page_c | RAM_PAGE | NG;
  l3_a[CODE_NG] = (uint64_t)code_3 | CODE_PAGE | NG;
  tlbi_va_asid(VA(DATA_NG), 1);
  tlbi_va_asid(VA(CODE_NG), 1);
  report("A changed, TLBI VAE1 with ASID 1; in ASID 2");
  set_ttbr0(l1_a, 1);
  report("in ASID 1");

  l3_b[DATA_NG] = (uint64_t)page_a | RAM_PAGE | NG;
  l3_b[CODE_NG] = (uint64_t)code_1 | CODE_PAGE | NG;
  tlbi_asid(2);
  report("B changed, TLBI ASIDE1 of ASID 2; in ASID 1");
  set_ttbr0(l1_b, 2);
  report("in ASID 2");

  l3_a[DATA_NG] = (uint64_t)page_b | RAM_PAGE | NG;
  l3_b[DATA_NG] = (uint64_t)page_c | RAM_PAGE | NG;
  tlbi_va_all_asids(VA(DATA_NG));
  report("both changed, TLBI VAAE1; in ASID 2");
  set_ttbr0(l1_a, 1);
  report("in ASID 1");

  l3_a[DATA_G] = l3_b[DATA_G] = (uint64_t)page_c | RAM_PAGE;
  l3_a[CODE_G] = l3_b[CODE_G] = (uint64_t)code_2 | CODE_PAGE;
  tlbi_va_asid(VA(DATA_G), 7);
  tlbi_va_asid(VA(CODE_G), 7);
  report("global pages changed, TLBI VAE1 with unused ASID 7; in ASID 1");
  set_ttbr0(l1_b, 2);
  report("in ASID 2");

  puts_("TCR_EL1.A1 = 1, ASIDs in TTBR1\n");
  set_tcr(TCR_BASE | TCR_A1);
  WRITE_SYSREG(ttbr1_el1, ASID(1));
  set_ttbr0(l1_a, 9);
  report("ASID 1, tables A (TTBR0's ASID field 9 ignored)");
  set_ttbr0(l1_b, 9);
  WRITE_SYSREG(ttbr1_el1, ASID(2));
  isb();
  report("ASID 2, tables B");
  set_ttbr0(l1_a, 2);
  WRITE_SYSREG(ttbr1_el1, ASID(1));
  isb();
  report("ASID 1, tables A (TTBR0's ASID field 2 ignored)");

  puts_("TCR_EL1.AS = 1, 16-bit ASIDs\n");
  set_tcr(TCR_BASE | TCR_AS);
  set_ttbr0(l1_a, 0x001);
  report("ASID 0x001, tables A");
  set_ttbr0(l1_b, 0x101);
  report("ASID 0x101, tables B");
  set_ttbr0(l1_a, 0x001);
  report("ASID 0x001 again");
  l3_b[DATA_NG] = (uint64_t)page_b | RAM_PAGE | NG;
  tlbi_asid(0x101);
  set_ttbr0(l1_b, 0x101);
  report("B changed, TLBI ASIDE1 of ASID 0x101; in it");
  set_ttbr0(l1_a, 0x001);
  report("ASID 0x001 again");

  puts_("48 ASIDs in turn, odd ones with tables A, even ones with B\n");
  for (int round = 1; round <= 3; round++) {
    uint64_t sum = 0;
    for (int n = 0; n < 48; n++) {
      set_ttbr0(n & 1 ? l1_a : l1_b, 0x200 + n);
      sum += rd(VA(DATA_NG)) + call(VA(CODE_NG)) + rd(VA(DATA_G));
    }
    field("round's sum", sum);
  }
  system_off();
}
