/* The virtual timer's interrupt through the GICv2 (PPI 11 = INTID 27): three ticks taken from WFI, acknowledged and ended at the CPU interface. */
#include "virt.h"

#define VTIMER_INTID 27

static volatile int ticks;
static uint64_t period;

void on_exception(uint64_t kind, struct frame *f) {
  uint32_t iar = acknowledge_irq(kind, f);
  uint32_t intid = iar & 0x3ff;
  field("irq", intid);
  field("  CNTV_CTL (ISTATUS set)", READ_SYSREG(cntv_ctl_el0));
  ticks++;
  if (ticks < 3) WRITE_SYSREG(cntv_tval_el0, period);
  else WRITE_SYSREG(cntv_ctl_el0, 0);
  REG(GICC, 0x10) = iar;
}

int main(void) {
  uint64_t freq = READ_SYSREG(cntfrq_el0);
  field("CNTFRQ_EL0", freq);
  period = freq / 100;
  REG(GICD, 0x000) = 1;                                /* GICD_CTLR: enable */
  REG(GICD, 0x100) = 1u << VTIMER_INTID;               /* GICD_ISENABLER0 */
  field("GICD_ISENABLER0", REG(GICD, 0x100));
  *(volatile uint8_t *)(GICD + 0x400 + VTIMER_INTID) = 0x80; /* priority */
  REG(GICC, 0x004) = 0xf0;                             /* GICC_PMR */
  REG(GICC, 0x000) = 1;                                /* GICC_CTLR: enable */
  field("GICC_IAR with nothing pending", REG(GICC, 0x0c));
  WRITE_SYSREG(cntv_tval_el0, period);
  WRITE_SYSREG(cntv_ctl_el0, 1);
  __asm__ volatile("msr daifclr, #2" ::: "memory");
  while (ticks < 3) __asm__ volatile("wfi");
  __asm__ volatile("msr daifset, #2" ::: "memory");
  field("ticks", ticks);
  field("CNTV_CTL after", READ_SYSREG(cntv_ctl_el0));
  system_off();
}
