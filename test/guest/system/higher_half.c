/* TTBR1_EL1 and the upper VA range (39-bit VAs, 4K granule): RAM and the devices seen at upper-range addresses, code running there (its pc, string literals, the UART), VBAR_EL1 in the upper range with an SVC and a data abort taken there, a 4K page at the very top of the address space through three table levels, addresses in the hole between the ranges, TBI0 (tagged lower-range pointers), EPD1, and the upper range walked with the 64K granule (a 512 MiB block and a 64K page). */
#include "virt.h"
#include "pagetable.h"

#define RAM 0x40000000UL
#define HIGH 0xffffffc000000000UL /* where the upper range maps physical address 0 */
#define UP(p) (HIGH + (uint64_t)(p))
#define TCR_39 (TCR_T0SZ(25) | TCR_T1SZ(25) | TCR_WALKS | TCR_TG0_4K)

static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_hi[512] __attribute__((aligned(4096)));
static uint64_t l3_hi[512] __attribute__((aligned(4096)));
static uint64_t top_page[512] __attribute__((aligned(4096)));
static uint64_t l2_64k[1024] __attribute__((aligned(8192)));
static uint64_t l3_64k[8192] __attribute__((aligned(65536)));
static uint8_t page_64k[65536] __attribute__((aligned(65536)));
static volatile uint64_t shared = 0x1111;
static volatile int vbar_high;
extern char vectors[];

static uint64_t pc_here(void) {
  uint64_t pc;
  __asm__ volatile("adr %0, ." : "=r"(pc));
  return pc;
}

void on_exception(uint64_t kind, struct frame *f) {
  uint64_t esr = READ_SYSREG(esr_el1);
  puts_("exception kind=");
  puthex(kind);
  puts_(" ESR=");
  puthex(esr);
  if ((esr >> 26) == 0x25) {
    puts_(" FAR=");
    puthex(READ_SYSREG(far_el1));
  }
  puts_(" ELR=");
  puthex(f->elr);
  puts_(" handler in the upper range=");
  puthex(pc_here() >= HIGH);
  puts_("\n");
  if ((esr >> 26) != 0x15) f->elr += 4;
}

/* Runs at its upper-range alias: the pc, literals and the UART through upper addresses. */
static void __attribute__((noinline)) upper_code(void) {
  uint64_t pc = pc_here();
  field("running in the upper range", pc >= HIGH);
  field("pc offset from the alias of RAM", pc - UP(RAM) < 0x200000);
  volatile uint32_t *uart = (volatile uint32_t *)UP(UART_BASE);
  const char *s = "through the upper alias of the UART\n";
  field("string literal in the upper range", (uint64_t)s >= HIGH);
  while (*s) uart[0] = (uint32_t)(unsigned char)*s++;
}

static void load(const char *what, uint64_t va) {
  puts_(what);
  puts_("\n");
  field("  value", *(volatile uint64_t *)va);
}

int main(void) {
  l1_lo[0] = 0x00000000UL | DEVICE_BLOCK;
  l1_lo[1] = RAM | RAM_BLOCK;
  l1_hi[0x100] = 0x00000000UL | DEVICE_BLOCK;
  l1_hi[0x101] = RAM | RAM_BLOCK;
  l1_hi[511] = (uint64_t)l2_hi | DESC_TABLE;
  l2_hi[511] = (uint64_t)l3_hi | DESC_TABLE;
  l3_hi[511] = (uint64_t)top_page | RAM_PAGE;
  mmu_on(TCR_39 | TCR_TG1_4K, (uint64_t)l1_lo, (uint64_t)l1_hi);
  puts_("MMU on with TTBR0 and TTBR1\n");

  field("read through the upper alias", *(volatile uint64_t *)UP(&shared));
  *(volatile uint64_t *)UP(&shared) = 0x2222;
  field("written there, read through the lower one", shared);
  ((void (*)(void))UP(upper_code))();
  *(volatile uint64_t *)0xfffffffffffff008UL = 0x3333;
  field("top page written at 0xfffffffffffff008, read in RAM", ((volatile uint64_t *)top_page)[1]);

  WRITE_SYSREG(vbar_el1, UP(vectors));
  isb();
  puts_("svc with VBAR_EL1 in the upper range\n");
  __asm__ volatile("svc #7" ::: "memory");
  load("unmapped upper-range address (level 1)", 0xffffff8000000000UL);
  load("the hole above the lower range (level 0)", 0x0000008000000000UL);
  load("the hole below the upper range (level 0)", 0xffff000000000000UL);
  load("a tagged pointer without TBI0", (uint64_t)&shared | (0x5aUL << 56));
  WRITE_SYSREG(vbar_el1, (uint64_t)vectors);
  WRITE_SYSREG(tcr_el1, TCR_39 | TCR_TG1_4K | TCR_TBI0);
  tlbi_all();
  load("a tagged pointer with TBI0", (uint64_t)&shared | (0x5aUL << 56));
  WRITE_SYSREG(tcr_el1, TCR_39 | TCR_TG1_4K | TCR_EPD1);
  tlbi_all();
  load("the upper range with EPD1 set", UP(&shared));

  /* 64K granule: level 2 of 1024 entries (512 MiB each), level 3 of 8192 (64K pages). */
  l2_64k[0x200] = 0x00000000UL | DEVICE_BLOCK;
  l2_64k[0x202] = RAM | RAM_BLOCK;
  l2_64k[0x3ff] = (uint64_t)l3_64k | DESC_TABLE;
  l3_64k[8191] = (uint64_t)page_64k | RAM_PAGE;
  WRITE_SYSREG(ttbr1_el1, (uint64_t)l2_64k);
  WRITE_SYSREG(tcr_el1, TCR_39 | TCR_TG1_64K);
  tlbi_all();
  puts_("upper range with the 64K granule\n");
  field("read through the upper alias", *(volatile uint64_t *)UP(&shared));
  *(volatile uint64_t *)0xffffffffffff8010UL = 0x4444;
  field("top 64K page written at 0xffffffffffff8010, read in RAM", *(volatile uint64_t *)&page_64k[0x8010]);
  ((void (*)(void))UP(upper_code))();
  load("a missing 64K page (level 3)", 0xfffffffffffe0000UL);
  system_off();
}
