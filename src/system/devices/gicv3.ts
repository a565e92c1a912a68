/**
 * ARM Generic Interrupt Controller v3 (ARM IHI 0069) for one CPU, as QEMU's virt has it with
 * `gic-version=3`: affinity routing always on (GICD_CTLR.ARE reads as one), one security state
 * (GICD_CTLR.DS reads as one), 5 bits of priority, no LPIs. This is the state the distributor
 * (gicv3-distributor.ts), the redistributor (gicv3-redistributor.ts) and the CPU interface's system
 * registers (gicv3-cpu-interface.ts) share, and the CPU interface's logic: which interrupt is the
 * highest-priority pending one, acknowledge, priority drop and deactivation, the active priorities.
 *
 * Interrupts 0-15 are SGIs and 16-31 PPIs (the redistributor's), 32 and up SPIs (the
 * distributor's); with one CPU their state is kept in flat arrays indexed by INTID. Inputs are
 * lines: a level-sensitive interrupt is pending while its line is high or its pending latch is set;
 * an edge-triggered one latches on a rising edge. With one security state, group 1 interrupts are
 * signalled as IRQ and group 0 ones as FIQ.
 */

/** Interrupt IDs QEMU's virt gives its GIC: 256 SPIs after the 32 SGIs and PPIs. */
export const GICV3_NUM_IRQS = 288;
export const GICV3_SPI_BASE = 32;
export const GICV3_PPI_BASE = 16;
/** The INTID ICC_IARn/HPPIRn_EL1 read when there is nothing to acknowledge. */
const SPURIOUS = 1023;
/** The priority bits implemented (PRIbits, as a Cortex-A57's CPU interface): the low 3 read as zero. */
const PRIORITY_BITS = 5;
export const PRIORITY_MASK = (0xff << (8 - PRIORITY_BITS)) & 0xff;
/** The running priority of a CPU interface with nothing active. */
const IDLE_PRIORITY = 0xff;
/** The smallest ICC_BPR0_EL1 value; ICC_BPR1_EL1's is one more. */
export const MIN_BPR0 = 7 - PRIORITY_BITS;

export type Group = 0 | 1;

/** ICC_CTLR_EL1 bits software may write: CBPR (BPR0 governs both groups) and EOImode. */
export const ICC_CTLR_CBPR = 1;
export const ICC_CTLR_EOIMODE = 2;

export class Gicv3State {
  /** GICD_CTLR.EnableGrp0 and EnableGrp1. */
  readonly groupEnabled = [false, false];
  /** ICC_IGRPEN0_EL1 and ICC_IGRPEN1_EL1. */
  readonly cpuGroupEnabled = [false, false];
  pmr = 0;
  readonly bpr = [MIN_BPR0, MIN_BPR0 + 1];
  /** ICC_CTLR_EL1's writable bits. */
  cpuControl = 0;
  /** ICC_AP0R0_EL1 and ICC_AP1R0_EL1: one bit per active group priority (priority >> 3). */
  readonly activePriorities = [0, 0];
  /** GICR_WAKER.ProcessorSleep (ChildrenAsleep follows it at once). */
  processorSleep = true;

  readonly group = new Uint8Array(GICV3_NUM_IRQS);
  readonly enabled = new Uint8Array(GICV3_NUM_IRQS);
  readonly line = new Uint8Array(GICV3_NUM_IRQS);
  readonly latched = new Uint8Array(GICV3_NUM_IRQS);
  readonly active = new Uint8Array(GICV3_NUM_IRQS);
  readonly priority = new Uint8Array(GICV3_NUM_IRQS);
  readonly edge = new Uint8Array(GICV3_NUM_IRQS);
  /** GICD_IROUTER<n> in two 32-bit halves, as written. */
  readonly routeLow = new Uint32Array(GICV3_NUM_IRQS);
  readonly routeHigh = new Uint32Array(GICV3_NUM_IRQS);

  /** `changed` hears of every change that may alter the CPU's IRQ or FIQ signal (to wake a waiting CPU). */
  constructor(readonly changed: () => void) {
    this.reset();
  }

  reset(): void {
    this.groupEnabled.fill(false);
    this.cpuGroupEnabled.fill(false);
    this.pmr = 0;
    this.bpr[0] = MIN_BPR0;
    this.bpr[1] = MIN_BPR0 + 1;
    this.cpuControl = 0;
    this.activePriorities.fill(0);
    this.processorSleep = true;
    const perIrq = [this.group, this.enabled, this.latched, this.active, this.priority, this.edge];
    for (const a of [...perIrq, this.routeLow, this.routeHigh]) a.fill(0);
    // SGIs are edge-triggered (GICR_ICFGR0 reads as 0xaaaaaaaa); PPIs and SPIs start level-sensitive.
    this.edge.fill(1, 0, GICV3_PPI_BASE);
  }

  /** A device's line changed. */
  setLine(irq: number, level: boolean): void {
    if (this.line[irq] === Number(level)) return;
    this.line[irq] = Number(level);
    if (level && this.edge[irq]) this.latched[irq] = 1;
    this.changed();
  }

  /** The pending state GICD_ISPENDR/GICR_ISPENDR0 show: the latch, or a level-sensitive line held high. */
  pending(irq: number): boolean {
    return this.latched[irq] === 1 || (this.line[irq] === 1 && this.edge[irq] === 0);
  }

  /**
   * Whether an SPI's route names this CPU: affinity 0.0.0.0 in GICD_IROUTER's Aff2-0 (bits 23:0)
   * and Aff3 (bits 39:32). As in QEMU, Interrupt_Routing_Mode (bit 31, "any CPU") plays no part:
   * 1-of-N distribution is not implemented (GICD_TYPER.No1N) and the affinity alone decides.
   */
  private routedHere(irq: number): boolean {
    if (irq < GICV3_SPI_BASE) return true;
    return (this.routeLow[irq]! & 0xffffff) === 0 && (this.routeHigh[irq]! & 0xff) === 0;
  }

  /**
   * The highest-priority pending interrupt that is enabled, not active, in a group the distributor
   * forwards, and routed to this CPU (the lowest INTID among equals); undefined if none.
   */
  private best(): number | undefined {
    let best: number | undefined;
    for (let irq = 0; irq < GICV3_NUM_IRQS; irq++) {
      if (!this.enabled[irq] || this.active[irq] || !this.pending(irq)) continue;
      if (!this.groupEnabled[this.group[irq]!] || !this.routedHere(irq)) continue;
      if (best === undefined || this.priority[irq]! < this.priority[best]!) best = irq;
    }
    return best;
  }

  /** ICC_HPPIRn_EL1: the highest-priority pending interrupt if it is of `group` and that group is on here. */
  highestPending(group: Group): number {
    const irq = this.best();
    if (irq === undefined || this.group[irq] !== group || !this.cpuGroupEnabled[group]) return SPURIOUS;
    return irq;
  }

  /** The mask that keeps the group priority of an interrupt of `group` (ICC_BPRn_EL1). */
  private groupPriorityMask(group: Group): number {
    const cbpr = (this.cpuControl & ICC_CTLR_CBPR) !== 0;
    const bpr = group === 1 && !cbpr ? this.bpr[1]! - 1 : this.bpr[0]!;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /** ICC_RPR_EL1: the highest active group priority, or IDLE_PRIORITY. */
  runningPriority(): number {
    const bits = this.activePriorities[0]! | this.activePriorities[1]!;
    return bits === 0 ? IDLE_PRIORITY : lowestBit(bits) << (8 - PRIORITY_BITS);
  }

  /** Whether interrupt `irq` passes the priority mask and its group priority preempts the running one. */
  private canPreempt(irq: number): boolean {
    const priority = this.priority[irq]!;
    if (priority >= this.pmr) return false;
    const running = this.runningPriority();
    if (running === IDLE_PRIORITY) return true;
    const mask = this.groupPriorityMask(this.group[irq] as Group);
    return (priority & mask) < (running & mask);
  }

  /** The IRQ signal to the CPU: a group 1 interrupt ready to preempt. */
  irqAsserted(): boolean {
    return this.signalled(1);
  }

  /** The FIQ signal to the CPU: a group 0 interrupt ready to preempt. */
  fiqAsserted(): boolean {
    return this.signalled(0);
  }

  private signalled(group: Group): boolean {
    const irq = this.highestPending(group);
    return irq !== SPURIOUS && this.canPreempt(irq);
  }

  /** ICC_IARn_EL1: acknowledges the interrupt the CPU interface signals for `group`, or SPURIOUS. */
  acknowledge(group: Group): number {
    const irq = this.highestPending(group);
    if (irq === SPURIOUS || !this.canPreempt(irq)) return SPURIOUS;
    this.active[irq] = 1;
    this.latched[irq] = 0;
    const groupPriority = this.priority[irq]! & this.groupPriorityMask(group);
    this.activePriorities[group]! |= 1 << (groupPriority >> (8 - PRIORITY_BITS));
    this.changed();
    return irq;
  }

  /** The group holding the highest active priority, if any. */
  private highestActiveGroup(): Group | undefined {
    const [ap0, ap1] = this.activePriorities as [number, number];
    if ((ap0 | ap1) === 0) return undefined;
    if (ap0 === 0) return 1;
    if (ap1 === 0) return 0;
    return lowestBit(ap0) <= lowestBit(ap1) ? 0 : 1;
  }

  /**
   * ICC_EOIRn_EL1: drops the highest active priority if it belongs to `group`, and deactivates
   * `irq` too unless ICC_CTLR_EL1.EOImode splits the two (then ICC_DIR_EL1 deactivates).
   */
  endOfInterrupt(group: Group, irq: number): void {
    if (irq >= GICV3_NUM_IRQS || this.highestActiveGroup() !== group) return;
    const bits = this.activePriorities[group]!;
    this.activePriorities[group] = bits & (bits - 1);
    if (!(this.cpuControl & ICC_CTLR_EOIMODE)) this.active[irq] = 0;
    this.changed();
  }

  /** ICC_DIR_EL1: deactivates `irq` (only when EOImode splits priority drop and deactivation). */
  deactivate(irq: number): void {
    if (!(this.cpuControl & ICC_CTLR_EOIMODE) || irq >= GICV3_NUM_IRQS) return;
    this.active[irq] = 0;
    this.changed();
  }

  /**
   * ICC_SGI0R/SGI1R/ASGI1R_EL1: bits 15:0 the target list of affinity Aff3.Aff2.Aff1 (bits 55:48,
   * 39:32, 23:16), INTID in bits 27:24, IRM (bit 40) for "every CPU but this one". With one CPU at
   * affinity 0.0.0.0 it reaches this CPU only through target list bit 0 at affinity 0.0.0; RS
   * (bits 47:44) is ignored, as ICC_CTLR_EL1.RSS is 0. The SGI is made pending only if it is in
   * `group` (QEMU's rule: SGI1R reaches group 1 SGIs, SGI0R and ASGI1R group 0 ones).
   */
  sendSgi(value: bigint, group: Group): void {
    const irm = (value >> 40n) & 1n;
    const affinity = value & 0x00ff_00ff_00ff_0000n;
    const irq = Number((value >> 24n) & 15n);
    if (irm !== 0n || affinity !== 0n || (value & 1n) === 0n || this.group[irq] !== group) return;
    this.latched[irq] = 1;
    this.changed();
  }
}

/** The index of the lowest set bit of a non-zero 32-bit value. */
function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}
