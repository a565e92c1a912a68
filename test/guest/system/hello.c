/* UART output, the CPU's identity and state at entry, the device tree QEMU leaves at the start of RAM, PSCI queries, then SYSTEM_OFF. */
#include "virt.h"

void on_exception(uint64_t kind, struct frame *f) {
  unexpected_exception(kind, f);
}

int main(uint64_t x0) {
  puts_("Hello from EL1 on virt\n");
  field("x0 at entry", x0);
  field("CurrentEL", READ_SYSREG(CurrentEL));
  field("MIDR_EL1", READ_SYSREG(midr_el1));
  field("MPIDR_EL1", READ_SYSREG(mpidr_el1));
  field("ID_AA64MMFR0_EL1", READ_SYSREG(id_aa64mmfr0_el1));
  field("SCTLR_EL1", READ_SYSREG(sctlr_el1));
  field("DAIF", READ_SYSREG(daif));
  field("SPSel", READ_SYSREG(spsel));
  field("CNTFRQ_EL0", READ_SYSREG(cntfrq_el0));
  field("DTB magic at RAM base", __builtin_bswap32(*(volatile uint32_t *)0x40000000UL));
  field("PSCI_VERSION", psci(PSCI_VERSION, 0, 0, 0));
  field("MIGRATE_INFO_TYPE", psci(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
  field("AFFINITY_INFO(0)", psci(PSCI_AFFINITY_INFO, 0, 0, 0));
  field("CPU_ON(0)", psci(PSCI_CPU_ON, 0, 0x40080000, 0));
  field("CPU_ON(7)", psci(PSCI_CPU_ON, 7, 0x40080000, 0));
  field("PL011 PeriphID0", *(volatile uint32_t *)(UART_BASE + 0xfe0));
  field("PL011 CellID3", *(volatile uint32_t *)(UART_BASE + 0xffc));
  field("PL011 FR", UART_FR);
  field("PL031 PeriphID0", *(volatile uint32_t *)(0x09010000UL + 0xfe0));
  field("GICD_TYPER", *(volatile uint32_t *)(0x08000000UL + 0x4));
  puts_("bye\n");
  system_off();
}
