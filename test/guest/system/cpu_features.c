/* The -cpu model's AArch64 feature ID registers, then whether an LSE atomic (LDADD, ARMv8.1)
   executes or is an undefined instruction, as the model's ID_AA64ISAR0_EL1.Atomic field says. */
#include "virt.h"

static volatile int undefined_seen;

void on_exception(uint64_t kind, struct frame *f) {
  uint64_t esr = READ_SYSREG(esr_el1);
  if (kind == 0x10 && esr >> 26 == 0) { /* EC 0: unknown reason, an undefined instruction */
    undefined_seen = 1;
    f->elr += 4;
    return;
  }
  unexpected_exception(kind, f);
}

static uint64_t counter;

int main(void) {
  field("MIDR_EL1", READ_SYSREG(midr_el1));
  field("ID_AA64PFR0_EL1", READ_SYSREG(S3_0_C0_C4_0));
  field("ID_AA64PFR1_EL1", READ_SYSREG(S3_0_C0_C4_1));
  field("ID_AA64ZFR0_EL1", READ_SYSREG(S3_0_C0_C4_4));
  field("ID_AA64DFR0_EL1", READ_SYSREG(S3_0_C0_C5_0));
  field("ID_AA64DFR1_EL1", READ_SYSREG(S3_0_C0_C5_1));
  field("ID_AA64AFR0_EL1", READ_SYSREG(S3_0_C0_C5_4));
  field("ID_AA64ISAR0_EL1", READ_SYSREG(S3_0_C0_C6_0));
  field("ID_AA64ISAR1_EL1", READ_SYSREG(S3_0_C0_C6_1));
  field("ID_AA64ISAR2_EL1", READ_SYSREG(S3_0_C0_C6_2));
  field("ID_AA64MMFR0_EL1", READ_SYSREG(S3_0_C0_C7_0));
  field("ID_AA64MMFR1_EL1", READ_SYSREG(S3_0_C0_C7_1));
  field("ID_AA64MMFR2_EL1", READ_SYSREG(S3_0_C0_C7_2));
  field("CTR_EL0", READ_SYSREG(ctr_el0));
  field("CLIDR_EL1", READ_SYSREG(clidr_el1));
  uint64_t isar0 = READ_SYSREG(S3_0_C0_C6_0);
  field("ISAR0.Atomic", (isar0 >> 20) & 15);
  counter = 40;
  uint64_t old = 0, add = 2;
  /* LDADD X1, X0, [X2] */
  __asm__ volatile("mov x0, %2\n mov x1, #0\n mov x2, %3\n .inst 0xf8200041\n mov %0, x1"
                   : "=r"(old), "+m"(counter)
                   : "r"(add), "r"(&counter)
                   : "x0", "x1", "x2", "memory");
  puts_(undefined_seen ? "LDADD: undefined instruction\n" : "LDADD: executed\n");
  field("LDADD old value", old);
  field("counter", counter);
  system_off();
}
