/* GICv3 with affinity routing: the identification registers, the redistributor's wake-up
   handshake, the CPU interface's system registers, then interrupts taken through ICC_IAR1_EL1:
   SGIs sent with ICC_SGI1R_EL1 (held back by the priority mask, one preempting another, split
   priority drop and deactivation with EOImode, the groups and targets they reach, a group 0 one
   taken as an FIQ through ICC_IAR0_EL1), the virtual timer's PPI from WFI, an edge-triggered SPI
   made pending in the distributor (routed elsewhere, then here), and the PL011's receive SPI
   routed by GICD_IROUTER. */
#include "gicv3.h"

#define SGI_LOW 1
#define SGI_HIGH 2
#define SGI_MASKED 3
#define SGI_SPLIT 4
#define SGI_OTHER 5
#define SGI_GROUP0 8
#define VTIMER_INTID 27
#define UART_INTID 33
#define EDGE_INTID 100
#define UART_IMSC (*(volatile uint32_t *)(UART_BASE + 0x38))
#define UART_FR_RXFE (1u << 4)

static volatile int seen[128];
static volatile int nested;
static volatile int received;
static volatile int expect_undefined;

static void send_sgi(unsigned intid) {
  /* INTID in bits 27:24, target list bit 0: affinity 0.0.0.0, CPU 0. */
  ICC_WRITE(ICC_SGI1R_EL1, ((uint64_t)intid << 24) | 1);
  __asm__ volatile("isb" ::: "memory");
}

static void irqs_on(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static void irqs_off(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }

static void set_priority_redist(unsigned intid, uint8_t priority) {
  REG8(GICR_SGI, GICR_IPRIORITYR + intid) = priority;
}

/* A group 0 interrupt: an FIQ, acknowledged and ended through the group 0 registers. */
static void on_fiq(void) {
  uint64_t iar = ICC_READ(ICC_IAR0_EL1);
  field("fiq", iar);
  field("  ICC_RPR_EL1", ICC_READ(ICC_RPR_EL1));
  field("  ICC_AP0R0_EL1", ICC_READ(ICC_AP0R0_EL1));
  field("  ICC_AP1R0_EL1", ICC_READ(ICC_AP1R0_EL1));
  if (iar < 128) seen[iar]++;
  ICC_WRITE(ICC_EOIR0_EL1, iar);
  field("  ICC_RPR_EL1 after EOIR0", ICC_READ(ICC_RPR_EL1));
}

void on_exception(uint64_t kind, struct frame *f) {
  if (kind == 0x12) {
    on_fiq();
    return;
  }
  if (kind == 0x10 && expect_undefined) {
    field("  UNDEFINED, ESR_EL1.EC", READ_SYSREG(esr_el1) >> 26);
    expect_undefined = 0;
    f->elr += 4;
    return;
  }
  if (kind != 0x11) unexpected_exception(kind, f);
  uint64_t iar = ICC_READ(ICC_IAR1_EL1);
  uint32_t intid = (uint32_t)iar & 0xffffff;
  field("irq", intid);
  field("  ICC_RPR_EL1", ICC_READ(ICC_RPR_EL1));
  field("  ICC_AP1R0_EL1", ICC_READ(ICC_AP1R0_EL1));
  if (intid < 32) field("  GICR_ISACTIVER0", REG(GICR_SGI, GICR_ISACTIVER0));
  if (intid == SGI_LOW) {
    /* A higher-priority SGI preempts this handler once IRQs are unmasked. */
    send_sgi(SGI_HIGH);
    field("  ICC_HPPIR1_EL1 before unmasking", ICC_READ(ICC_HPPIR1_EL1));
    irqs_on();
    irqs_off();
    field("  nested handler ran", nested);
  }
  if (intid == SGI_HIGH) nested = 1;
  if (intid == VTIMER_INTID) {
    field("  CNTV_CTL (ISTATUS set)", READ_SYSREG(cntv_ctl_el0));
    WRITE_SYSREG(cntv_ctl_el0, 0);
  }
  if (intid == UART_INTID) {
    while (!(UART_FR & UART_FR_RXFE)) {
      char c = (char)(UART_DR & 0xff);
      puts_("  received '");
      putc_(c);
      puts_("'\n");
      received++;
    }
  }
  if (intid < 128) seen[intid]++;
  ICC_WRITE(ICC_EOIR1_EL1, iar);
  if (intid == SGI_SPLIT) {
    /* EOImode 1: the write above only dropped the running priority. */
    field("  after EOIR: GICR_ISACTIVER0", REG(GICR_SGI, GICR_ISACTIVER0));
    field("  after EOIR: ICC_RPR_EL1", ICC_READ(ICC_RPR_EL1));
    ICC_WRITE(ICC_DIR_EL1, iar);
    field("  after DIR: GICR_ISACTIVER0", REG(GICR_SGI, GICR_ISACTIVER0));
  }
}

static void identify(void) {
  field("ID_AA64PFR0_EL1.GIC", (READ_SYSREG(id_aa64pfr0_el1) >> 24) & 0xf);
  field("GICD_CTLR at reset", REG(GICD, GICD_CTLR));
  uint32_t typer = REG(GICD, GICD_TYPER);
  field("GICD_TYPER.ITLinesNumber", typer & 0x1f);
  field("GICD_TYPER.IDbits", (typer >> 19) & 0x1f);
  field("GICD_IIDR", REG(GICD, GICD_IIDR));
  field("GICD_PIDR2.ArchRev", (REG(GICD, GICD_PIDR2) >> 4) & 0xf);
  uint64_t rtyper = REG64(GICR_RD, GICR_TYPER);
  field("GICR_TYPER.Affinity", rtyper >> 32);
  field("GICR_TYPER.Processor_Number", (rtyper >> 8) & 0xffff);
  field("GICR_TYPER.Last", (rtyper >> 4) & 1);
  field("GICR_IIDR", REG(GICR_RD, GICR_IIDR));
  field("GICR_PIDR2.ArchRev", (REG(GICR_RD, GICR_PIDR2) >> 4) & 0xf);
}

static void wake_redistributor(void) {
  field("GICR_WAKER at reset", REG(GICR_RD, GICR_WAKER));
  REG(GICR_RD, GICR_WAKER) = REG(GICR_RD, GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP;
  while (REG(GICR_RD, GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) {
  }
  field("GICR_WAKER awake", REG(GICR_RD, GICR_WAKER));
}

static void cpu_interface(void) {
  field("ICC_SRE_EL1", ICC_READ(ICC_SRE_EL1));
  ICC_WRITE(ICC_SRE_EL1, ICC_READ(ICC_SRE_EL1) | 1);
  __asm__ volatile("isb" ::: "memory");
  field("ICC_SRE_EL1 after setting SRE", ICC_READ(ICC_SRE_EL1));
  field("ICC_CTLR_EL1", ICC_READ(ICC_CTLR_EL1));
  field("ICC_PMR_EL1 at reset", ICC_READ(ICC_PMR_EL1));
  ICC_WRITE(ICC_PMR_EL1, 0xff);
  field("ICC_PMR_EL1 after writing 0xff", ICC_READ(ICC_PMR_EL1));
  field("ICC_BPR1_EL1", ICC_READ(ICC_BPR1_EL1));
  ICC_WRITE(ICC_BPR1_EL1, 0);
  field("ICC_BPR1_EL1 after writing 0", ICC_READ(ICC_BPR1_EL1));
  field("ICC_IGRPEN1_EL1 at reset", ICC_READ(ICC_IGRPEN1_EL1));
  ICC_WRITE(ICC_IGRPEN1_EL1, 1);
  field("ICC_IGRPEN1_EL1", ICC_READ(ICC_IGRPEN1_EL1));
  field("ICC_RPR_EL1 idle", ICC_READ(ICC_RPR_EL1));
  field("ICC_IAR1_EL1 with nothing pending", ICC_READ(ICC_IAR1_EL1));
  field("ICC_HPPIR1_EL1 with nothing pending", ICC_READ(ICC_HPPIR1_EL1));
  puts_("reading the write-only ICC_EOIR1_EL1\n");
  expect_undefined = 1;
  (void)ICC_READ(ICC_EOIR1_EL1);
  puts_("reading ICC_AP1R1_EL1, absent with 5 priority bits\n");
  expect_undefined = 1;
  (void)READ_SYSREG(S3_0_C12_C9_1);
}

static void distributor(void) {
  REG(GICD, GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1;
  while (REG(GICD, GICD_CTLR) & GICD_CTLR_RWP) {
  }
  field("GICD_CTLR enabled", REG(GICD, GICD_CTLR));
  field("GICD_ISENABLER0 (SGIs and PPIs are the redistributor's)", REG(GICD, GICD_ISENABLER));
  field("GICD_IROUTER33 at reset", REG64(GICD, GICD_IROUTER + 8 * UART_INTID));
  field("GICD_ICFGR2 at reset", REG(GICD, GICD_ICFGR + 8));
}

static void sgis(void) {
  REG(GICR_SGI, GICR_IGROUPR0) = 0xffffffff;
  field("GICR_IGROUPR0", REG(GICR_SGI, GICR_IGROUPR0));
  field("GICR_ICFGR0", REG(GICR_SGI, GICR_ICFGR0));
  field("GICR_ICFGR1", REG(GICR_SGI, GICR_ICFGR1));
  set_priority_redist(SGI_LOW, 0xa0);
  set_priority_redist(SGI_HIGH, 0x40);
  set_priority_redist(SGI_MASKED, 0x80);
  set_priority_redist(SGI_SPLIT, 0x60);
  field("GICR_IPRIORITYR0", REG(GICR_SGI, GICR_IPRIORITYR));
  REG(GICR_SGI, GICR_ISENABLER0) =
      (1u << SGI_LOW) | (1u << SGI_HIGH) | (1u << SGI_MASKED) | (1u << SGI_SPLIT);
  field("GICR_ISENABLER0", REG(GICR_SGI, GICR_ISENABLER0));

  puts_("-- an SGI, then a higher-priority one preempting its handler\n");
  send_sgi(SGI_LOW);
  field("GICR_ISPENDR0", REG(GICR_SGI, GICR_ISPENDR0));
  field("ICC_HPPIR1_EL1", ICC_READ(ICC_HPPIR1_EL1));
  irqs_on();
  irqs_off();
  field("ICC_RPR_EL1 after both", ICC_READ(ICC_RPR_EL1));

  puts_("-- an SGI at the priority mask waits until the mask is lowered\n");
  ICC_WRITE(ICC_PMR_EL1, 0x80);
  send_sgi(SGI_MASKED);
  irqs_on();
  irqs_off();
  field("taken with PMR 0x80", seen[SGI_MASKED]);
  field("ICC_HPPIR1_EL1", ICC_READ(ICC_HPPIR1_EL1));
  ICC_WRITE(ICC_PMR_EL1, 0xf0);
  irqs_on();
  irqs_off();
  field("taken with PMR 0xf0", seen[SGI_MASKED]);

  puts_("-- EOImode 1: EOIR drops the priority, DIR deactivates\n");
  ICC_WRITE(ICC_CTLR_EL1, ICC_READ(ICC_CTLR_EL1) | 2);
  field("ICC_CTLR_EL1 with EOImode", ICC_READ(ICC_CTLR_EL1));
  send_sgi(SGI_SPLIT);
  irqs_on();
  irqs_off();
  ICC_WRITE(ICC_CTLR_EL1, ICC_READ(ICC_CTLR_EL1) & ~2ull);

  puts_("-- a disabled SGI stays pending\n");
  REG(GICR_SGI, GICR_ICENABLER0) = 1u << SGI_LOW;
  send_sgi(SGI_LOW);
  irqs_on();
  irqs_off();
  field("GICR_ISPENDR0", REG(GICR_SGI, GICR_ISPENDR0));
  field("ICC_HPPIR1_EL1", ICC_READ(ICC_HPPIR1_EL1));
  REG(GICR_SGI, GICR_ICPENDR0) = 1u << SGI_LOW;
  field("GICR_ISPENDR0 after ICPENDR0", REG(GICR_SGI, GICR_ISPENDR0));

  puts_("-- SGI1R and SGI0R reach the SGIs of their group; targets elsewhere are not this CPU\n");
  REG(GICR_SGI, GICR_IGROUPR0) = ~(1u << SGI_GROUP0);
  ICC_WRITE(ICC_SGI1R_EL1, ((uint64_t)SGI_GROUP0 << 24) | 1);
  field("after SGI1R to the group 0 SGI", REG(GICR_SGI, GICR_ISPENDR0));
  ICC_WRITE(ICC_SGI0R_EL1, ((uint64_t)SGI_GROUP0 << 24) | 1);
  ICC_WRITE(ICC_SGI0R_EL1, ((uint64_t)SGI_OTHER << 24) | 1);
  field("after SGI0R to it and to a group 1 SGI", REG(GICR_SGI, GICR_ISPENDR0));
  REG(GICR_SGI, GICR_ICPENDR0) = 0xffff;
  ICC_WRITE(ICC_SGI1R_EL1, ((uint64_t)SGI_OTHER << 24) | 2);               /* CPU 0.0.0.1 */
  ICC_WRITE(ICC_SGI1R_EL1, ((uint64_t)SGI_OTHER << 24) | (1ull << 16) | 1); /* CPU 0.0.1.0 */
  ICC_WRITE(ICC_SGI1R_EL1, ((uint64_t)SGI_OTHER << 24) | (1ull << 40) | 1); /* all but self */
  field("after SGI1R to other CPUs", REG(GICR_SGI, GICR_ISPENDR0));
  ICC_WRITE(ICC_SGI1R_EL1, ((uint64_t)SGI_OTHER << 24) | (1ull << 44) | 1); /* range 1: ignored */
  field("after SGI1R with a range selector", REG(GICR_SGI, GICR_ISPENDR0));
  REG(GICR_SGI, GICR_ICPENDR0) = 0xffff;

  puts_("-- a group 0 SGI is an FIQ\n");
  REG(GICD, GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1;
  ICC_WRITE(ICC_IGRPEN0_EL1, 1);
  set_priority_redist(SGI_GROUP0, 0x70);
  REG(GICR_SGI, GICR_ISENABLER0) = 1u << SGI_GROUP0;
  ICC_WRITE(ICC_SGI0R_EL1, ((uint64_t)SGI_GROUP0 << 24) | 1);
  field("ICC_HPPIR0_EL1", ICC_READ(ICC_HPPIR0_EL1));
  field("ICC_HPPIR1_EL1", ICC_READ(ICC_HPPIR1_EL1));
  irqs_on();
  irqs_off();
  field("taken with IRQs unmasked", seen[SGI_GROUP0]);
  __asm__ volatile("msr daifclr, #1" ::: "memory");
  __asm__ volatile("msr daifset, #1" ::: "memory");
  field("taken with FIQs unmasked", seen[SGI_GROUP0]);
  REG(GICR_SGI, GICR_ICENABLER0) = 1u << SGI_GROUP0;
  ICC_WRITE(ICC_IGRPEN0_EL1, 0);
  REG(GICD, GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1;
  REG(GICR_SGI, GICR_IGROUPR0) = 0xffffffff;
}

static void timer_ppi(void) {
  puts_("-- the virtual timer's PPI wakes WFI\n");
  set_priority_redist(VTIMER_INTID, 0x80);
  REG(GICR_SGI, GICR_ISENABLER0) = 1u << VTIMER_INTID;
  WRITE_SYSREG(cntv_tval_el0, READ_SYSREG(cntfrq_el0) / 100);
  WRITE_SYSREG(cntv_ctl_el0, 1);
  WAIT_FOR_INTERRUPT(seen[VTIMER_INTID]);
  irqs_off();
}

static void spis(void) {
  puts_("-- an edge-triggered SPI made pending in the distributor\n");
  REG(GICD, GICD_IGROUPR + 4 * (EDGE_INTID / 32)) = 1u << (EDGE_INTID % 32);
  REG(GICD, GICD_ICFGR + 4 * (EDGE_INTID / 16)) = 2u << (2 * (EDGE_INTID % 16));
  field("GICD_ICFGR6", REG(GICD, GICD_ICFGR + 4 * (EDGE_INTID / 16)));
  REG8(GICD, GICD_IPRIORITYR + EDGE_INTID) = 0x90;
  /* Routed to affinity 0.0.1.0, a CPU there is not. */
  REG64(GICD, GICD_IROUTER + 8 * EDGE_INTID) = 1u << 8;
  REG(GICD, GICD_ISENABLER + 4 * (EDGE_INTID / 32)) = 1u << (EDGE_INTID % 32);
  REG(GICD, GICD_ISPENDR + 4 * (EDGE_INTID / 32)) = 1u << (EDGE_INTID % 32);
  field("GICD_ISPENDR3", REG(GICD, GICD_ISPENDR + 4 * (EDGE_INTID / 32)));
  irqs_on();
  irqs_off();
  field("taken while routed to 0.0.1.0", seen[EDGE_INTID]);
  /* Interrupt_Routing_Mode 1 (any CPU) at affinity 0.0.0.0. */
  REG64(GICD, GICD_IROUTER + 8 * EDGE_INTID) = 1u << 31;
  field("GICD_IROUTER100", REG64(GICD, GICD_IROUTER + 8 * EDGE_INTID));
  irqs_on();
  irqs_off();
  field("GICD_ISPENDR3 after", REG(GICD, GICD_ISPENDR + 4 * (EDGE_INTID / 32)));

  puts_("-- the UART's receive interrupt, a level-triggered SPI\n");
  REG(GICD, GICD_IGROUPR + 4) = (1u << (UART_INTID % 32)) | REG(GICD, GICD_IGROUPR + 4);
  REG8(GICD, GICD_IPRIORITYR + UART_INTID) = 0x80;
  REG64(GICD, GICD_IROUTER + 8 * UART_INTID) = 0;
  field("GICD_IROUTER33", REG64(GICD, GICD_IROUTER + 8 * UART_INTID));
  REG(GICD, GICD_ISENABLER + 4) = 1u << (UART_INTID % 32);
  UART_IMSC = 1u << 4;
  WAIT_FOR_INTERRUPT(received);
  irqs_off();
  UART_IMSC = 0;
}

int main(void) {
  identify();
  wake_redistributor();
  cpu_interface();
  distributor();
  sgis();
  timer_ppi();
  spis();
  puts_("-- group 1 disabled at the CPU interface: nothing is signalled\n");
  ICC_WRITE(ICC_IGRPEN1_EL1, 0);
  send_sgi(SGI_HIGH);
  irqs_on();
  irqs_off();
  field("ICC_HPPIR1_EL1", ICC_READ(ICC_HPPIR1_EL1));
  field("ICC_IAR1_EL1", ICC_READ(ICC_IAR1_EL1));
  system_off();
}
