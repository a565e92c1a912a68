/* Prints a dot on every virtual timer interrupt (every 10 ms), forever: output that stops while the machine is stopped. */
#include "virt.h"

#define VTIMER_INTID 27

static uint64_t period;

void on_exception(uint64_t kind, struct frame *f) {
  uint32_t iar = acknowledge_irq(kind, f);
  putc_('.');
  WRITE_SYSREG(cntv_tval_el0, period);
  REG(GICC, 0x10) = iar;
}

int main(void) {
  period = READ_SYSREG(cntfrq_el0) / 100;
  REG(GICD, 0x000) = 1;
  REG(GICD, 0x100) = 1u << VTIMER_INTID;
  REG(GICC, 0x004) = 0xf0;
  REG(GICC, 0x000) = 1;
  WRITE_SYSREG(cntv_tval_el0, period);
  WRITE_SYSREG(cntv_ctl_el0, 1);
  __asm__ volatile("msr daifclr, #2" ::: "memory");
  for (;;) __asm__ volatile("wfi");
}
