/* System registers EL0 reaches under SCTLR_EL1's controls: PSTATE.DAIF (MRS, MSR, MSR DAIFSet and
   DAIFClr) with UMA clear and set, CTR_EL0 with UCT clear and set, CNTFRQ_EL0 with CNTKCTL_EL1's
   EL0VCTEN clear and set, DCZID_EL0, and an ID register EL0 may not read. A trapped access is reported with its syndrome (EC 0x18 for a trap SCTLR_EL1 controls,
   EC 0 for an UNDEFINED one) and skipped; the values read are printed after each trip to EL0. */
#include "virt.h"

#define SCTLR_UMA (1u << 9)
#define SCTLR_UCT (1u << 15)
#define CNTKCTL_EL0VCTEN (1u << 1)
/* What a register read returns when its MRS was skipped. */
#define UNREAD 0x5a5aUL

static uint64_t el0_stack[512] __attribute__((aligned(16)));
static volatile uint64_t results[8];

void on_exception(uint64_t kind, struct frame *f) {
  uint64_t esr = READ_SYSREG(esr_el1);
  if (kind != 0x20) unexpected_exception(kind, f);
  if (esr >> 26 == 0x15) {
    /* SVC from EL0: back to EL1h, at the address in x0. */
    f->spsr = 0x3c5;
    f->elr = f->x[0];
    return;
  }
  if (((esr >> 20) & 3) == 0) {
    /* MSR DAIFSet/DAIFClr (Op0 0): QEMU 7.2 swaps their Op1 and Op2 in the syndrome (its
       daif_check), so the two fields are printed as an unordered pair. */
    uint64_t a = (esr >> 17) & 7, b = (esr >> 14) & 7;
    field("  trapped, ESR without Op1 and Op2", esr & ~(0x3fUL << 14));
    field("  Op1 and Op2", a < b ? a << 4 | b : b << 4 | a);
  } else {
    field("  trapped, ESR", esr);
  }
  f->elr += 4;
}

/* run_at_el0(fn, sp): ERET to fn at EL0t (DAIF masked) on stack sp, with x0 = where the SVC
   handler resumes EL1. */
extern void run_at_el0(void (*fn)(uint64_t), uint64_t *sp);
__asm__(".global run_at_el0\n run_at_el0:\n"
        " stp x29, x30, [sp, #-16]!\n"
        " msr sp_el0, x1\n msr elr_el1, x0\n mov x2, #0x3c0\n msr spsr_el1, x2\n"
        " ldr x0, =back_at_el1\n eret\n"
        " back_at_el1:\n ldp x29, x30, [sp], #16\n ret\n");

#define READ_OR_UNREAD(name) ({ uint64_t v_ = UNREAD; __asm__ volatile("mrs %0, " #name : "+r"(v_)); v_; })

static void el0_code(uint64_t resume) {
  results[0] = READ_OR_UNREAD(daif);
  __asm__ volatile("msr daifclr, #6" ::: "memory");
  results[1] = READ_OR_UNREAD(daif);
  __asm__ volatile("msr daifset, #2" ::: "memory");
  results[2] = READ_OR_UNREAD(daif);
  WRITE_SYSREG(daif, 0x300);
  results[3] = READ_OR_UNREAD(daif);
  results[4] = READ_OR_UNREAD(ctr_el0);
  results[5] = READ_OR_UNREAD(midr_el1);
  results[6] = READ_OR_UNREAD(cntfrq_el0);
  results[7] = READ_OR_UNREAD(dczid_el0);
  register uint64_t x0 __asm__("x0") = resume;
  __asm__ volatile("svc #0\n b ." ::"r"(x0) : "memory");
}

static void trip(const char *name, uint32_t controls, uint32_t cntkctl) {
  uint64_t sctlr = READ_SYSREG(sctlr_el1) & ~(uint64_t)(SCTLR_UMA | SCTLR_UCT);
  WRITE_SYSREG(sctlr_el1, sctlr | controls);
  WRITE_SYSREG(cntkctl_el1, cntkctl);
  __asm__ volatile("isb" ::: "memory");
  puts_(name);
  puts_("\n");
  run_at_el0(el0_code, &el0_stack[512]);
  field("  DAIF", results[0]);
  field("  DAIF after DAIFClr #6", results[1]);
  field("  DAIF after DAIFSet #2", results[2]);
  field("  DAIF after MSR DAIF", results[3]);
  field("  CTR_EL0", results[4]);
  field("  MIDR_EL1", results[5]);
  field("  CNTFRQ_EL0", results[6]);
  field("  DCZID_EL0", results[7]);
}

int main(void) {
  field("CTR_EL0 at EL1", READ_SYSREG(ctr_el0));
  trip("UMA and UCT clear, EL0VCTEN clear", 0, 0);
  trip("UMA set", SCTLR_UMA, 0);
  trip("UCT set, EL0VCTEN set", SCTLR_UCT, CNTKCTL_EL0VCTEN);
  trip("both set, EL0VCTEN set", SCTLR_UMA | SCTLR_UCT, CNTKCTL_EL0VCTEN);
  system_off();
}
