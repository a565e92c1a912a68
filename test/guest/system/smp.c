/* Several CPUs (-smp N, N <= 8) with the GICv2 or the GICv3: CPU 0 counts the CPUs with PSCI
   AFFINITY_INFO and starts the others with CPU_ON (and sees CPU_ON's refusals); each CPU takes a
   spinlock (LDAXR/STLXR) to bump a shared counter many times, bumps counters of every size (a byte,
   a halfword, a word, a doubleword, a pair with LDXP/STXP) without a lock, each with an
   LDXR/STXR retry loop, prints its MPIDR in its turn, pings
   the next CPU with an SGI and takes its own virtual timer interrupt, then powers off with CPU_OFF.
   Turns are handed over through shared flags, so the output does not depend on how the CPUs
   interleave. At the end CPU 0 restarts CPU 1, which ends the machine with SYSTEM_OFF. */
#include "gicv3.h"

#define MAX_CPUS 8
#define STACK_SIZE 4096
#define SGI_PING 1
#define VTIMER_INTID 27
#define ROUNDS 2000
/* CPU_ON's context id for the restarted CPU 1: its index with this flag. */
#define RESTARTED 0x100

#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_INVALID_PARAMETERS (-2L)

uint8_t secondary_stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));

/* A started CPU: a stack from its index (the context id in x0), the vectors, FP on, then C. */
__asm__(".global secondary_entry\n"
        "secondary_entry:\n"
        "  and x1, x0, #0xff\n"
        "  ldr x2, =secondary_stacks\n"
        "  add x1, x2, x1, lsl #12\n"
        "  add sp, x1, #4096\n"
        "  ldr x1, =vectors\n"
        "  msr vbar_el1, x1\n"
        "  mov x1, #(3 << 20)\n"
        "  msr cpacr_el1, x1\n"
        "  isb\n"
        "  b secondary_main\n");
extern char secondary_entry[];

static volatile uint32_t lock;
static volatile uint64_t counter;
static volatile uint32_t turn;
static volatile uint32_t started;
static volatile uint32_t finished;
static volatile uint32_t sgi_iar[MAX_CPUS];
static volatile uint32_t timer_ticks[MAX_CPUS];
static volatile uint64_t timer_ctl[MAX_CPUS];
static volatile uint64_t restart_result;
static volatile uint32_t restart_reported;
static int cpus;
static int gicv3;

/* Counters bumped without the lock, with exclusive loads and stores of their own size. */
static volatile uint8_t count8;
static volatile uint16_t count16;
static volatile uint32_t count32;
static volatile uint64_t count64;
static volatile uint64_t pair[2] __attribute__((aligned(16)));

/* `*p += 1` as an LDXR/STXR loop of the given size suffix and register width. */
#define EXCLUSIVE_INC(suffix, reg, p)                                     \
  do {                                                                    \
    uint64_t v_;                                                          \
    uint32_t failed_;                                                     \
    __asm__ volatile("1: ldxr" suffix " %" reg "0, [%2]\n"                \
                     "   add %" reg "0, %" reg "0, #1\n"                  \
                     "   stxr" suffix " %w1, %" reg "0, [%2]\n"           \
                     "   cbnz %w1, 1b\n"                                  \
                     : "=&r"(v_), "=&r"(failed_)                          \
                     : "r"(p)                                             \
                     : "memory");                                         \
  } while (0)

/* Both halves of `pair` bumped by one (the high half by two) with LDXP/STXP. */
static void exclusive_pair_inc(void) {
  uint64_t lo, hi;
  uint32_t failed;
  __asm__ volatile("1: ldxp %0, %1, [%3]\n"
                   "   add %0, %0, #1\n"
                   "   add %1, %1, #2\n"
                   "   stxp %w2, %0, %1, [%3]\n"
                   "   cbnz %w2, 1b\n"
                   : "=&r"(lo), "=&r"(hi), "=&r"(failed)
                   : "r"(pair)
                   : "memory");
}

static void spin_lock(volatile uint32_t *l) {
  uint32_t tmp, one = 1;
  __asm__ volatile("1: ldaxr %w0, [%1]\n"
                   "   cbnz %w0, 1b\n"
                   "   stlxr %w0, %w2, [%1]\n"
                   "   cbnz %w0, 1b\n"
                   : "=&r"(tmp)
                   : "r"(l), "r"(one)
                   : "memory");
}

static void spin_unlock(volatile uint32_t *l) {
  __asm__ volatile("stlr wzr, [%0]" ::"r"(l) : "memory");
}

static int this_cpu(void) {
  return (int)(READ_SYSREG(mpidr_el1) & 0xff);
}

static uint64_t gicr_rd(int cpu) {
  return GICR_RD + (uint64_t)cpu * 0x20000;
}

/* This CPU's part of the GIC: its CPU interface on, the ping SGI and the timer PPI enabled. */
static void gic_cpu_init(int cpu) {
  if (gicv3) {
    uint64_t rd = gicr_rd(cpu), sgi = rd + 0x10000;
    REG(rd, GICR_WAKER) &= ~GICR_WAKER_PROCESSOR_SLEEP;
    while (REG(rd, GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) {
    }
    REG(sgi, GICR_IGROUPR0) = 0xffffffff;
    REG(sgi, GICR_ISENABLER0) = (1u << SGI_PING) | (1u << VTIMER_INTID);
    ICC_WRITE(ICC_SRE_EL1, 7);
    ICC_WRITE(ICC_PMR_EL1, 0xff);
    ICC_WRITE(ICC_IGRPEN1_EL1, 1);
  } else {
    REG(GICD, 0x100) = (1u << SGI_PING) | (1u << VTIMER_INTID); /* GICD_ISENABLER0, banked */
    REG(GICC, 0x004) = 0xff;                                    /* GICC_PMR */
    REG(GICC, 0x000) = 1;                                       /* GICC_CTLR */
  }
  __asm__ volatile("isb; msr daifclr, #2" ::: "memory");
}

static void send_ping(int to) {
  if (gicv3)
    ICC_WRITE(ICC_SGI1R_EL1, ((uint64_t)SGI_PING << 24) | (1u << to));
  else
    REG(GICD, 0xf00) = (1u << (16 + to)) | SGI_PING; /* GICD_SGIR: target list */
  __asm__ volatile("isb" ::: "memory");
}

void on_exception(uint64_t kind, struct frame *f) {
  int cpu = this_cpu();
  if (kind != 0x11) unexpected_exception(kind, f);
  uint32_t iar = gicv3 ? (uint32_t)ICC_READ(ICC_IAR1_EL1) : REG(GICC, 0x0c);
  if ((iar & 0x3ff) == SGI_PING) {
    sgi_iar[cpu] = iar;
  } else if ((iar & 0x3ff) == VTIMER_INTID) {
    timer_ctl[cpu] = READ_SYSREG(cntv_ctl_el0);
    WRITE_SYSREG(cntv_ctl_el0, 0);
    timer_ticks[cpu]++;
  }
  if (gicv3)
    ICC_WRITE(ICC_EOIR1_EL1, iar);
  else
    REG(GICC, 0x10) = iar;
}

/* Waits until the shared word equals `value`. */
static void wait_for(volatile uint32_t *word, uint32_t value) {
  while (*word != value) {
  }
}

/* What every CPU does: the counter under the lock, its line in its turn, a ping to the next CPU
   (waiting for its own), its timer. */
static void work(int cpu) {
  for (int i = 0; i < ROUNDS; i++) {
    spin_lock(&lock);
    counter = counter + 1;
    spin_unlock(&lock);
    EXCLUSIVE_INC("b", "w", &count8);
    EXCLUSIVE_INC("h", "w", &count16);
    EXCLUSIVE_INC("", "w", &count32);
    EXCLUSIVE_INC("", "x", &count64);
    exclusive_pair_inc();
  }
  wait_for(&turn, (uint32_t)cpu);
  puts_("cpu ");
  putc_('0' + cpu);
  field(": MPIDR_EL1", READ_SYSREG(mpidr_el1));
  turn = (uint32_t)cpu + 1;
  /* Everyone has its interface on once every CPU has printed. */
  wait_for(&turn, (uint32_t)cpus);
  send_ping((cpu + 1) % cpus);
  WAIT_FOR_INTERRUPT(sgi_iar[cpu]);
  WRITE_SYSREG(cntv_tval_el0, READ_SYSREG(cntfrq_el0) / 1000);
  WRITE_SYSREG(cntv_ctl_el0, 1);
  WAIT_FOR_INTERRUPT(timer_ticks[cpu]);
}

static void print_signed(const char *name, uint64_t v) {
  puts_(name);
  if ((int64_t)v < 0) {
    puts_("=-");
    puthex(-v);
  } else {
    puts_("=");
    puthex(v);
  }
  puts_("\n");
}

void secondary_main(uint64_t context) {
  int cpu = this_cpu();
  if (context & RESTARTED) {
    wait_for(&restart_reported, 1);
    print_signed("CPU_ON 1 again", restart_result);
    field("cpu 1 restarted, x0", context);
    field("  SCTLR_EL1 (reset value)", READ_SYSREG(sctlr_el1));
    puts_("cpu 1: SYSTEM_OFF\n");
    system_off();
  }
  gic_cpu_init(cpu);
  spin_lock(&lock);
  started |= 1u << cpu;
  spin_unlock(&lock);
  work(cpu);
  spin_lock(&lock);
  finished |= 1u << cpu;
  spin_unlock(&lock);
  __asm__ volatile("msr daifset, #2" ::: "memory");
  psci(PSCI_CPU_OFF, 0, 0, 0);
  puts_("CPU_OFF returned\n");
  system_off();
}

int main(void) {
  gicv3 = ((READ_SYSREG(id_aa64pfr0_el1) >> 24) & 0xf) != 0;
  field("GICv3 CPU interface", gicv3);
  field("cpu 0 MPIDR_EL1", READ_SYSREG(mpidr_el1));
  for (int i = 0; i < MAX_CPUS + 1; i++) {
    uint64_t info = psci(PSCI_AFFINITY_INFO, i, 0, 0);
    if ((int64_t)info == PSCI_INVALID_PARAMETERS) break;
    puts_("AFFINITY_INFO ");
    putc_('0' + i);
    field("", info);
    cpus++;
  }
  print_signed("AFFINITY_INFO at level 1", psci(PSCI_AFFINITY_INFO, 0, 1, 0));
  print_signed("CPU_ON of a CPU that does not exist", psci(PSCI_CPU_ON, 0x80, (uint64_t)secondary_entry, 0));
  print_signed("CPU_ON of CPU 0 (on)", psci(PSCI_CPU_ON, 0, (uint64_t)secondary_entry, 0));

  if (gicv3) REG(GICD, GICD_CTLR) = GICD_CTLR_ENABLE_GRP1 | GICD_CTLR_ARE;
  else REG(GICD, 0x000) = 1; /* GICD_CTLR */
  gic_cpu_init(0);
  for (int i = 1; i < cpus; i++) {
    puts_("CPU_ON ");
    putc_('0' + i);
    print_signed("", psci(PSCI_CPU_ON, (uint64_t)i, (uint64_t)secondary_entry, (uint64_t)i));
  }
  wait_for(&started, ((1u << cpus) - 1) & ~1u);
  for (int i = 1; i < cpus; i++) {
    puts_("started: AFFINITY_INFO ");
    putc_('0' + i);
    field("", psci(PSCI_AFFINITY_INFO, (uint64_t)i, 0, 0));
    puts_("  CPU_ON again");
    print_signed("", psci(PSCI_CPU_ON, (uint64_t)i, (uint64_t)secondary_entry, (uint64_t)i));
  }
  work(0);
  wait_for(&finished, ((1u << cpus) - 1) & ~1u);
  for (int i = 1; i < cpus; i++) {
    while (psci(PSCI_AFFINITY_INFO, (uint64_t)i, 0, 0) != 1) {
    }
    puts_("cpu ");
    putc_('0' + i);
    puts_(" is off\n");
  }
  field("counter", counter);
  field("exclusive byte counter", count8);
  field("exclusive halfword counter", count16);
  field("exclusive word counter", count32);
  field("exclusive doubleword counter", count64);
  field("exclusive pair, low", pair[0]);
  field("exclusive pair, high", pair[1]);
  for (int i = 0; i < cpus; i++) {
    puts_("cpu ");
    putc_('0' + i);
    field(": SGI IAR", sgi_iar[i]);
    field("  timer ticks", timer_ticks[i]);
    field("  CNTV_CTL in the handler", timer_ctl[i]);
  }
  __asm__ volatile("msr daifset, #2" ::: "memory");
  if (cpus > 1) {
    /* CPU 1 prints the result: it may run (and power the machine off) before this CPU could. */
    restart_result = psci(PSCI_CPU_ON, 1, (uint64_t)secondary_entry, RESTARTED | 1);
    restart_reported = 1;
    for (;;) __asm__ volatile("wfi");
  }
  system_off();
}
