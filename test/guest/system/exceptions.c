/* Synchronous exceptions taken to EL1 and returned from: SVC, an undefined instruction, BRK, a data abort on unbacked memory and above the physical address size, an HVC that is not PSCI, and an EL0 trip via ERET and back with SVC. */
#include "virt.h"

static volatile int taken;
static uint64_t el0_stack[512] __attribute__((aligned(16)));

static void report(uint64_t kind, struct frame *f) {
  uint64_t esr = READ_SYSREG(esr_el1);
  puts_("exception kind=");
  puthex(kind);
  puts_(" EC=");
  puthex(esr >> 26);
  puts_(" IL=");
  puthex((esr >> 25) & 1);
  puts_(" ISS.low=");
  puthex(esr & 0xffff);
  puts_(" SPSR=");
  puthex(f->spsr);
  puts_("\n");
}

void on_exception(uint64_t kind, struct frame *f) {
  uint64_t esr = READ_SYSREG(esr_el1);
  uint64_t ec = esr >> 26;
  report(kind, f);
  taken++;
  if (ec == 0x24 || ec == 0x25) {
    field("  FAR", READ_SYSREG(far_el1));
    field("  DFSC", esr & 0x3f);
    field("  WnR", (esr >> 6) & 1);
  }
  if (ec == 0x15 && kind == 0x20) {
    /* SVC from EL0: back to EL1h, at the address in x0. */
    f->spsr = 0x3c5;
    f->elr = f->x[0];
    return;
  }
  /* SVC and HVC return after the instruction already; the others skip the faulting one. */
  if (ec != 0x15 && ec != 0x16) f->elr += 4;
}

/* run_at_el0(fn, sp): ERET to fn at EL0t on stack sp, with x0 = where the SVC handler resumes EL1. */
extern void run_at_el0(void (*fn)(void), uint64_t *sp);
__asm__(".global run_at_el0\n run_at_el0:\n"
        " stp x29, x30, [sp, #-16]!\n"
        " msr sp_el0, x1\n msr elr_el1, x0\n mov x2, #0x3c0\n msr spsr_el1, x2\n"
        " ldr x0, =back_at_el1\n eret\n"
        " back_at_el1:\n ldp x29, x30, [sp], #16\n ret\n");

static void el0_code(void) {
  __asm__ volatile("svc #0x77\n b ." ::: "memory");
}

int main(void) {
  puts_("svc\n");
  __asm__ volatile("svc #0x1234" ::: "memory");
  puts_("undefined\n");
  __asm__ volatile(".word 0x00000000" ::: "memory");
  puts_("brk\n");
  __asm__ volatile("brk #0x42" ::: "memory");
  puts_("data abort (load)\n");
  (void)*(volatile uint32_t *)0x50000000UL;
  puts_("data abort (store)\n");
  *(volatile uint32_t *)0x50000010UL = 1;
  /* With the MMU off, address bits above the physical address size: an address size fault (DFSC 0). */
  puts_("data abort (load above PAMax)\n");
  (void)*(volatile uint32_t *)0x0001000000000000UL;
  puts_("data abort (store above PAMax)\n");
  *(volatile uint32_t *)0xffff000000000000UL = 1;
  puts_("hvc that is not PSCI\n");
  field("  returned", psci(0x12345678, 0, 0, 0));
  puts_("msr to an unknown register\n");
  __asm__ volatile("msr s3_0_c15_c15_7, xzr" ::: "memory");
  puts_("eret to EL0\n");
  run_at_el0(el0_code, &el0_stack[512]);
  field("back at EL1, CurrentEL", READ_SYSREG(CurrentEL));
  field("exceptions taken", taken);
  system_off();
}
