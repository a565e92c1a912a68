/* PSTATE.DAIF as MRS DAIF reads it after reset and after each way of writing it (DAIFSet, DAIFClr,
   MSR DAIF), and a pending IRQ: writes that keep it masked take nothing, the write that unmasks it
   takes it. Linux masks and restores DAIF around every critical section this way. */
#include "virt.h"

#define VTIMER_INTID 27

static volatile int taken;

void on_exception(uint64_t kind, struct frame *f) {
  uint32_t iar = acknowledge_irq(kind, f);
  field("irq", iar & 0x3ff);
  WRITE_SYSREG(cntv_ctl_el0, 0);
  REG(GICC, 0x10) = iar;
  taken++;
}

int main(void) {
  field("DAIF at reset", READ_SYSREG(daif));
  __asm__ volatile("msr daifclr, #0xf" ::: "memory");
  field("after DAIFClr #0xf", READ_SYSREG(daif));
  __asm__ volatile("msr daifset, #2" ::: "memory");
  field("after DAIFSet #2", READ_SYSREG(daif));
  __asm__ volatile("msr daifset, #0xc" ::: "memory");
  field("after DAIFSet #0xc", READ_SYSREG(daif));
  WRITE_SYSREG(daif, 0x3ffff);
  field("after MSR DAIF of all ones", READ_SYSREG(daif));
  WRITE_SYSREG(daif, 0x80);
  field("after MSR DAIF of I", READ_SYSREG(daif));

  REG(GICD, 0x000) = 1;                                      /* GICD_CTLR: enable */
  REG(GICD, 0x100) = 1u << VTIMER_INTID;                     /* GICD_ISENABLER0 */
  *(volatile uint8_t *)(GICD + 0x400 + VTIMER_INTID) = 0x80; /* priority */
  REG(GICC, 0x004) = 0xf0;                                   /* GICC_PMR */
  REG(GICC, 0x000) = 1;                                      /* GICC_CTLR: enable */
  WRITE_SYSREG(cntv_tval_el0, 0);
  WRITE_SYSREG(cntv_ctl_el0, 1);
  while (!(READ_SYSREG(cntv_ctl_el0) & 4)) {
  }
  for (volatile int i = 0; i < 100000; i++) {
  }
  /* Masking writes with the IRQ pending: none is taken. */
  __asm__ volatile("msr daifset, #2" ::: "memory");
  WRITE_SYSREG(daif, 0x3c0);
  WRITE_SYSREG(daif, 0x80);
  field("taken while masked", taken);
  WRITE_SYSREG(daif, 0x100);
  for (int i = 0; i < 1000000 && !taken; i++) {
  }
  field("taken after MSR DAIF unmasked I", taken);
  field("DAIF after", READ_SYSREG(daif));
  system_off();
}
