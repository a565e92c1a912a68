/* Stage-1 translation at EL1 with the MMU on (4K granule, 32-bit VA, identity map): device and RAM blocks, a page table region with a read-only page, an invalid page, a page with the access flag clear and a privileged-execute-never page; each fault's syndrome and address, then the read-only page made writable with TLBI. */
#include "virt.h"

#define RAM 0x40000000UL
#define PAGES 0x40400000UL /* the 2 MiB region mapped with 4K pages */
#define DESC_VALID 1UL
#define DESC_TABLE 3UL
#define DESC_BLOCK 1UL
#define DESC_PAGE 3UL
#define ATTR_DEVICE (0UL << 2)
#define ATTR_NORMAL (1UL << 2)
#define AP_RO (1UL << 7)
#define SH_INNER (3UL << 8)
#define AF (1UL << 10)
#define PXN (1UL << 53)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));

void on_exception(uint64_t kind, struct frame *f) {
  uint64_t esr = READ_SYSREG(esr_el1);
  puts_("exception kind=");
  puthex(kind);
  puts_(" ESR=");
  puthex(esr);
  puts_(" FAR=");
  puthex(READ_SYSREG(far_el1));
  puts_(" ELR-offset=");
  puthex(f->elr - PAGES);
  puts_("\n");
  if ((esr >> 26) == 0x21) f->elr = f->x[30]; /* instruction abort on a call: return to the caller */
  else f->elr += 4;
}

static void tlb_flush_page(uint64_t va) {
  __asm__ volatile("dsb ishst\n tlbi vae1is, %0\n dsb ish\n isb" ::"r"(va >> 12) : "memory");
}

int main(void) {
  l1[0] = 0x00000000UL | DESC_BLOCK | ATTR_DEVICE | AF; /* devices in the first GiB */
  l1[1] = (uint64_t)l2 | DESC_TABLE;
  for (int i = 0; i < 64; i++) l2[i] = (RAM + ((uint64_t)i << 21)) | DESC_BLOCK | ATTR_NORMAL | SH_INNER | AF;
  l2[2] = (uint64_t)l3 | DESC_TABLE;
  for (int i = 0; i < 512; i++) l3[i] = (PAGES + ((uint64_t)i << 12)) | DESC_PAGE | ATTR_NORMAL | SH_INNER | AF;
  l3[1] |= AP_RO;
  l3[2] = 0;
  l3[3] &= ~AF;
  l3[4] |= PXN;
  *(volatile uint32_t *)(PAGES + 0x4000) = 0xd65f03c0; /* ret */
  __asm__ volatile("dc cvau, %0\n dsb ish\n ic iallu\n dsb ish\n isb" ::"r"(PAGES + 0x4000) : "memory");

  WRITE_SYSREG(mair_el1, 0xff00UL);             /* attr0 device-nGnRnE, attr1 normal write-back */
  WRITE_SYSREG(tcr_el1, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23)); /* T0SZ=32, 4K, EPD1 */
  WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
  __asm__ volatile("dsb ish\n isb" ::: "memory");
  WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
  __asm__ volatile("isb" ::: "memory");
  puts_("MMU on\n");
  field("SCTLR_EL1.M", READ_SYSREG(sctlr_el1) & 1);

  *(volatile uint32_t *)(PAGES + 0x0010) = 7;
  field("write to a RW page, read back", *(volatile uint32_t *)(PAGES + 0x0010));
  puts_("write to the read-only page\n");
  *(volatile uint32_t *)(PAGES + 0x1020) = 1;
  field("read the read-only page", *(volatile uint32_t *)(PAGES + 0x1020));
  puts_("read the unmapped page\n");
  (void)*(volatile uint64_t *)(PAGES + 0x2008);
  puts_("read the page with AF clear\n");
  (void)*(volatile uint8_t *)(PAGES + 0x3001);
  puts_("call into the PXN page\n");
  ((void (*)(void))(PAGES + 0x4000))();
  puts_("read beyond the tables (level 1 fault)\n");
  (void)*(volatile uint32_t *)0x80000000UL;

  l3[1] &= ~AP_RO;
  tlb_flush_page(PAGES + 0x1000);
  *(volatile uint32_t *)(PAGES + 0x1020) = 0x1234;
  field("after TLBI the page is writable", *(volatile uint32_t *)(PAGES + 0x1020));

  WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) & ~1UL);
  __asm__ volatile("isb" ::: "memory");
  field("MMU off; the unmapped page reads", *(volatile uint64_t *)(PAGES + 0x2008));
  system_off();
}
