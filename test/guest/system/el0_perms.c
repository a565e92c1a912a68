/* EL0 and EL1 permissions of stage 1 (39-bit VAs, 4K pages): EL0 code running from a user page reads, writes and calls into pages with each AP[2:1] setting, UXN, and a table with APTable (no EL0) or UXNTable above it; EL1 meets read-only pages, PXN, and the execute-never EL1 gets on pages EL0 may write. Each abort's class, status, WnR and address are printed. */
#include "virt.h"
#include "pagetable.h"

#define RAM 0x40000000UL
#define PAGES 0x40400000UL /* 2 MiB of 4K pages, identity mapped */
#define PAGE(n) (PAGES + ((uint64_t)(n) << 12))
#define NO_EL0_TABLE 0x40600000UL
#define UXN_TABLE 0x40800000UL
#define RET 0xd65f03c0u
#define AP_USER_RW AP_EL0
#define AP_USER_RO (AP_EL0 | AP_RO)
#define AP_KERNEL_RO AP_RO

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint64_t l3_no_el0[512] __attribute__((aligned(4096)));
static uint64_t l3_uxn[512] __attribute__((aligned(4096)));
static uint64_t el0_stack[64] __attribute__((aligned(16)));

/* EL0 code, copied to user pages: read [x1] into x3, write x2 to [x1], or call x1; then SVC. */
extern char user_code[], user_code_end[];
__asm__(".global user_code, user_code_end\n user_code:\n"
        " ldr x3, [x1]\n svc #1\n"
        " str x2, [x1]\n svc #2\n"
        " blr x1\n svc #3\n"
        " user_code_end:\n");
enum { USER_READ = 0, USER_WRITE = 8, USER_CALL = 16 };

/* run_el0(pc, sp, x1, x2): ERET to pc at EL0t; the handler resumes EL1 after it (x0 holds where). */
extern void run_el0(uint64_t pc, uint64_t *sp, uint64_t x1, uint64_t x2);
__asm__(".global run_el0\n run_el0:\n"
        " stp x29, x30, [sp, #-16]!\n"
        " msr sp_el0, x1\n msr elr_el1, x0\n mov x1, x2\n mov x2, x3\n mov x4, #0x3c0\n msr spsr_el1, x4\n"
        " ldr x0, =el0_done\n eret\n"
        " el0_done:\n ldp x29, x30, [sp], #16\n ret\n");

void on_exception(uint64_t kind, struct frame *f) {
  uint64_t esr = READ_SYSREG(esr_el1);
  uint64_t ec = esr >> 26;
  puts_(kind == 0x20 ? "  EL0 " : "  EL1 ");
  if (ec == 0x15) {
    puts_("svc #");
    puthex(esr & 0xffff);
    puts_(" x3=");
    puthex(f->x[3]);
  } else {
    puts_("abort EC=");
    puthex(ec);
    puts_(" FSC=");
    puthex(esr & 0x3f);
    puts_(" WnR=");
    puthex((esr >> 6) & 1);
    puts_(" FAR=");
    puthex(READ_SYSREG(far_el1));
  }
  puts_("\n");
  if (kind == 0x20) {
    f->spsr = 0x3c5;
    f->elr = f->x[0];
  } else {
    f->elr = ec == 0x21 ? f->x[30] : f->elr + 4;
  }
}

static void el0(const char *what, uint64_t entry, uint64_t addr) {
  puts_(what);
  puts_("\n");
  run_el0(PAGE(0) + entry, &el0_stack[64], addr, 0x5a5a);
}

static void el1_write(const char *what, uint64_t addr) {
  puts_(what);
  puts_("\n");
  *(volatile uint64_t *)addr = 0x7777;
}

static void el1_call(const char *what, uint64_t addr) {
  puts_(what);
  puts_("\n");
  ((void (*)(void))addr)();
  puts_("  returned\n");
}

static void copy_user_code(uint64_t to) {
  for (char *p = user_code; p < user_code_end; p++) ((volatile char *)to)[p - user_code] = *p;
}

int main(void) {
  l1[0] = 0x00000000UL | DEVICE_BLOCK;
  l1[1] = (uint64_t)l2 | DESC_TABLE;
  for (int i = 0; i < 64; i++) l2[i] = (RAM + ((uint64_t)i << 21)) | RAM_BLOCK;
  l2[2] = (uint64_t)l3 | DESC_TABLE;
  l2[3] = (uint64_t)l3_no_el0 | DESC_TABLE | APTABLE_NO_EL0;
  l2[4] = (uint64_t)l3_uxn | DESC_TABLE | (1UL << 60);
  for (int i = 0; i < 512; i++) {
    l3[i] = PAGE(i) | RAM_PAGE;
    l3_no_el0[i] = (NO_EL0_TABLE + ((uint64_t)i << 12)) | RAM_PAGE | AP_USER_RW;
    l3_uxn[i] = (UXN_TABLE + ((uint64_t)i << 12)) | RAM_PAGE | AP_USER_RO;
  }
  copy_user_code(PAGE(0));
  copy_user_code(UXN_TABLE);
  for (int n = 5; n <= 7; n++) *(volatile uint32_t *)PAGE(n) = RET;
  *(volatile uint64_t *)PAGE(2) = 0x2222;
  *(volatile uint64_t *)PAGE(3) = 0x3333;
  l3[0] |= AP_USER_RO | PXN;
  l3[1] |= AP_USER_RW;
  l3[2] |= AP_USER_RO;
  l3[4] |= AP_KERNEL_RO;
  l3[5] |= AP_USER_RO | UXN;
  l3[7] |= AP_USER_RW;
  sync_code((void *)PAGE(0));
  sync_code((void *)UXN_TABLE);
  mmu_on(TCR_T0SZ(25) | TCR_WALKS | TCR_TG0_4K | TCR_EPD1, (uint64_t)l1, 0);
  puts_("MMU on\n");

  el0("EL0 reads a user read-write page", USER_READ, PAGE(1));
  el0("EL0 writes it", USER_WRITE, PAGE(1));
  el0("EL0 reads a user read-only page", USER_READ, PAGE(2));
  el0("EL0 writes it", USER_WRITE, PAGE(2));
  el0("EL0 reads a kernel page", USER_READ, PAGE(3));
  el0("EL0 writes it", USER_WRITE, PAGE(3));
  el0("EL0 reads a kernel read-only page", USER_READ, PAGE(4));
  el0("EL0 calls into a UXN page", USER_CALL, PAGE(5));
  el0("EL0 calls into a user read-write page", USER_CALL, PAGE(7));
  el0("EL0 reads below APTable no-EL0", USER_READ, NO_EL0_TABLE);
  el0("EL0 runs code below UXNTable", USER_READ + UXN_TABLE - PAGE(0), PAGE(2));
  field("user page written by EL0", *(volatile uint64_t *)PAGE(1));

  el1_write("EL1 writes a user read-only page", PAGE(2));
  el1_write("EL1 writes a kernel read-only page", PAGE(4));
  el1_write("EL1 writes below APTable no-EL0", NO_EL0_TABLE + 8);
  field("  read back", *(volatile uint64_t *)(NO_EL0_TABLE + 8));
  el1_call("EL1 calls into the user code page (PXN)", PAGE(0));
  el1_call("EL1 calls into a UXN page", PAGE(5));
  el1_call("EL1 calls into a kernel read-write page", PAGE(6));
  el1_call("EL1 calls into a page EL0 may write", PAGE(7));
  system_off();
}
