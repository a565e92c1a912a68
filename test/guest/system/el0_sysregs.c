/* System registers EL0 reaches under SCTLR_EL1's and CNTKCTL_EL1's controls: PSTATE.DAIF (MRS,
   MSR, MSR DAIFSet and DAIFClr) with UMA clear and set, CTR_EL0 with UCT clear and set, DC ZVA
   with DZE clear and set, CNTFRQ_EL0, CNTVCT_EL0 and CNTPCT_EL0 with EL0VCTEN and EL0PCTEN, the
   virtual and physical timers' registers with EL0VTEN and EL0PTEN, DCZID_EL0, and an ID register
   EL0 may not read. A trapped access is reported with its syndrome (EC 0x18 for a trap those
   controls make, EC 0 for an UNDEFINED one) and skipped; the values read are printed after each
   trip to EL0 (for the counters, only whether they were read). */
#include "virt.h"

#define SCTLR_UMA (1u << 9)
#define SCTLR_UCT (1u << 15)
#define SCTLR_DZE (1u << 14)
#define CNTKCTL_EL0PCTEN (1u << 0)
#define CNTKCTL_EL0VCTEN (1u << 1)
#define CNTKCTL_EL0VTEN (1u << 8)
#define CNTKCTL_EL0PTEN (1u << 9)
/* What a register read returns when its MRS was skipped. */
#define UNREAD 0x5a5aUL

static uint64_t el0_stack[512] __attribute__((aligned(16)));
static volatile uint64_t results[14];
/* The block DC ZVA zeroes at EL0 (DCZID_EL0 says 64 bytes on every model). */
static volatile uint64_t zva_block[8] __attribute__((aligned(64)));

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
  results[8] = READ_OR_UNREAD(cntvct_el0) != UNREAD;
  results[9] = READ_OR_UNREAD(cntpct_el0) != UNREAD;
  results[10] = READ_OR_UNREAD(cntv_ctl_el0);
  WRITE_SYSREG(cntv_cval_el0, 0x1234);
  results[11] = READ_OR_UNREAD(cntv_cval_el0);
  WRITE_SYSREG(cntp_cval_el0, 0x5678);
  results[12] = READ_OR_UNREAD(cntp_cval_el0);
  __asm__ volatile("dc zva, %0" ::"r"(&zva_block[3]) : "memory");
  results[13] = zva_block[5];
  register uint64_t x0 __asm__("x0") = resume;
  __asm__ volatile("svc #0\n b ." ::"r"(x0) : "memory");
}

static void trip(const char *name, uint32_t controls, uint32_t cntkctl) {
  uint64_t sctlr = READ_SYSREG(sctlr_el1) & ~(uint64_t)(SCTLR_UMA | SCTLR_UCT | SCTLR_DZE);
  WRITE_SYSREG(sctlr_el1, sctlr | controls);
  WRITE_SYSREG(cntkctl_el1, cntkctl);
  WRITE_SYSREG(cntv_cval_el0, 0);
  WRITE_SYSREG(cntp_cval_el0, 0);
  for (int i = 0; i < 8; i++) zva_block[i] = 0xa5a5;
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
  field("  CNTVCT_EL0 read", results[8]);
  field("  CNTPCT_EL0 read", results[9]);
  field("  CNTV_CTL_EL0", results[10]);
  field("  CNTV_CVAL_EL0 after writing 0x1234", results[11]);
  field("  CNTP_CVAL_EL0 after writing 0x5678", results[12]);
  field("  DC ZVA block's word 5 (0xa5a5 before)", results[13]);
  field("  DC ZVA block's word 0 at EL1", zva_block[0]);
}

int main(void) {
  field("CTR_EL0 at EL1", READ_SYSREG(ctr_el0));
  trip("UMA and UCT clear, EL0VCTEN clear", 0, 0);
  trip("UMA set", SCTLR_UMA, 0);
  trip("UCT set, EL0VCTEN set", SCTLR_UCT, CNTKCTL_EL0VCTEN);
  trip("both set, EL0VCTEN set", SCTLR_UMA | SCTLR_UCT, CNTKCTL_EL0VCTEN);
  trip("DZE set, EL0PCTEN and EL0PTEN set", SCTLR_DZE, CNTKCTL_EL0PCTEN | CNTKCTL_EL0PTEN);
  trip("DZE set, EL0VTEN set", SCTLR_DZE, CNTKCTL_EL0VTEN);
  system_off();
}
