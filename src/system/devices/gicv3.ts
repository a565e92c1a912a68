/**
 * ARM Generic Interrupt Controller v3 (ARM IHI 0069) for one or more CPUs, as QEMU's virt has it with
 * `gic-version=3`: affinity routing always on (GICD_CTLR.ARE reads as one), one security state
 * (GICD_CTLR.DS reads as one), 5 bits of priority, no LPIs. This is the state the distributor
 * (gicv3-distributor.ts), the redistributor (gicv3-redistributor.ts) and the CPU interface's system
 * registers (gicv3-cpu-interface.ts) share, and the CPU interface's logic: which interrupt is the
 * highest-priority pending one, acknowledge, priority drop and deactivation, the active priorities.
 *
 * Interrupts 0-15 are SGIs and 16-31 PPIs (each CPU's redistributor's, banked), 32 and up SPIs
 * (the distributor's, routed to the CPU whose affinity GICD_IROUTER names); their state is kept in
 * flat arrays at slot(cpu, INTID). Each CPU has its own CPU interface state. Inputs are
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
/** Pending summary entries: no interrupt to signal, or to be computed again. */
const NONE = -1;
const UNKNOWN = -2;
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

/** One CPU's interface (its ICC registers) and its redistributor's power state. */
export class Gicv3CpuState {
  /** ICC_IGRPEN0_EL1 and ICC_IGRPEN1_EL1. */
  readonly groupEnabled = [false, false];
  pmr = 0;
  readonly bpr = [MIN_BPR0, MIN_BPR0 + 1];
  /** ICC_CTLR_EL1's writable bits. */
  control = 0;
  /** ICC_AP0R0_EL1 and ICC_AP1R0_EL1: one bit per active group priority (priority >> 3). */
  readonly activePriorities = [0, 0];
  /** GICR_WAKER.ProcessorSleep (ChildrenAsleep follows it at once). */
  processorSleep = true;

  reset(): void {
    this.groupEnabled.fill(false);
    this.pmr = 0;
    this.bpr[0] = MIN_BPR0;
    this.bpr[1] = MIN_BPR0 + 1;
    this.control = 0;
    this.activePriorities.fill(0);
    this.processorSleep = true;
  }
}

export class Gicv3State {
  /** GICD_CTLR.EnableGrp0 and EnableGrp1. */
  readonly groupEnabled = [false, false];
  readonly cpus: Gicv3CpuState[];

  /** Per-interrupt state at slot(cpu, irq): SGIs and PPIs banked per CPU, SPIs once. */
  readonly group: Uint8Array;
  readonly enabled: Uint8Array;
  readonly line: Uint8Array;
  readonly latched: Uint8Array;
  readonly active: Uint8Array;
  readonly priority: Uint8Array;
  readonly edge: Uint8Array;
  /** GICD_IROUTER<n> in two 32-bit halves, as written. */
  readonly routeLow = new Uint32Array(GICV3_NUM_IRQS);
  readonly routeHigh = new Uint32Array(GICV3_NUM_IRQS);
  /**
   * The pending summary: each CPU's best interrupt (NONE if none), or UNKNOWN until asked again
   * after a change. The CPU asks for its IRQ and FIQ signals at every return from translated code;
   * the state changes far less often.
   */
  private readonly bestIrq: Int32Array;

  /**
   * `affinityOf(cpu)` is the CPU's MPIDR affinity packed as GICR_TYPER[63:32] shows it
   * (Aff3.Aff2.Aff1.Aff0, a byte each); `changed` hears of every change that may alter a CPU's IRQ
   * or FIQ signal (to wake a waiting CPU).
   */
  constructor(
    readonly cpuCount: number,
    readonly affinityOf: (cpu: number) => number,
    private readonly onChange: () => void,
  ) {
    this.cpus = Array.from({ length: cpuCount }, () => new Gicv3CpuState());
    this.bestIrq = new Int32Array(cpuCount).fill(UNKNOWN);
    const slots = GICV3_NUM_IRQS + (cpuCount - 1) * GICV3_SPI_BASE;
    this.group = new Uint8Array(slots);
    this.enabled = new Uint8Array(slots);
    this.line = new Uint8Array(slots);
    this.latched = new Uint8Array(slots);
    this.active = new Uint8Array(slots);
    this.priority = new Uint8Array(slots);
    this.edge = new Uint8Array(slots);
    this.reset();
  }

  /** Where interrupt `irq`'s state is kept for CPU `cpu`. */
  slot(cpu: number, irq: number): number {
    return irq < GICV3_SPI_BASE ? cpu * GICV3_SPI_BASE + irq : (this.cpuCount - 1) * GICV3_SPI_BASE + irq;
  }

  reset(): void {
    this.groupEnabled.fill(false);
    for (const cpu of this.cpus) cpu.reset();
    const perIrq = [this.group, this.enabled, this.latched, this.active, this.priority, this.edge];
    for (const a of [...perIrq, this.routeLow, this.routeHigh]) a.fill(0);
    // SGIs are edge-triggered (GICR_ICFGR0 reads as 0xaaaaaaaa); PPIs and SPIs start level-sensitive.
    for (let cpu = 0; cpu < this.cpuCount; cpu++) this.edge.fill(1, this.slot(cpu, 0), this.slot(cpu, GICV3_PPI_BASE));
    this.bestIrq.fill(UNKNOWN);
  }

  /** Every change to the state comes here: the summary is stale, and the board hears of it. */
  changed(): void {
    this.bestIrq.fill(UNKNOWN);
    this.onChange();
  }

  /** A device's line changed (a PPI's: the line of CPU `cpu`). */
  setLine(irq: number, level: boolean, cpu = 0): void {
    const slot = this.slot(cpu, irq);
    if (this.line[slot] === Number(level)) return;
    this.line[slot] = Number(level);
    if (level && this.edge[slot]) this.latched[slot] = 1;
    this.changed();
  }

  /** The pending state GICD_ISPENDR/GICR_ISPENDR0 show: the latch, or a level-sensitive line held high. */
  pending(slot: number): boolean {
    return this.latched[slot] === 1 || (this.line[slot] === 1 && this.edge[slot] === 0);
  }

  /**
   * Whether an SPI's route names CPU `cpu`: its affinity in GICD_IROUTER's Aff2-0 (bits 23:0) and
   * Aff3 (bits 39:32). As in QEMU, Interrupt_Routing_Mode (bit 31, "any CPU") plays no part: 1-of-N
   * distribution is not implemented (GICD_TYPER.No1N) and the affinity alone decides.
   */
  private routedTo(cpu: number, irq: number): boolean {
    if (irq < GICV3_SPI_BASE) return true;
    const affinity = this.affinityOf(cpu);
    return (this.routeLow[irq]! & 0xffffff) === (affinity & 0xffffff) && (this.routeHigh[irq]! & 0xff) === affinity >>> 24;
  }

  /**
   * The highest-priority pending interrupt of CPU `cpu` that is enabled, not active, in a group the
   * distributor forwards, and routed to it (the lowest INTID among equals); its slot, or undefined.
   */
  private best(cpu: number): number | undefined {
    let known = this.bestIrq[cpu]!;
    if (known === UNKNOWN) known = this.bestIrq[cpu] = this.scan(cpu) ?? NONE;
    return known === NONE ? undefined : known;
  }

  private scan(cpu: number): number | undefined {
    let best: number | undefined;
    for (let irq = 0; irq < GICV3_NUM_IRQS; irq++) {
      const slot = this.slot(cpu, irq);
      if (!this.enabled[slot] || this.active[slot] || !this.pending(slot)) continue;
      if (!this.groupEnabled[this.group[slot]!] || !this.routedTo(cpu, irq)) continue;
      if (best === undefined || this.priority[slot]! < this.priority[this.slot(cpu, best)]!) best = irq;
    }
    return best;
  }

  /** ICC_HPPIRn_EL1 of CPU `cpu`: its highest-priority pending interrupt if it is of `group` and that group is on there. */
  highestPending(cpu: number, group: Group): number {
    const irq = this.best(cpu);
    if (irq === undefined || this.group[this.slot(cpu, irq)] !== group || !this.cpus[cpu]!.groupEnabled[group])
      return SPURIOUS;
    return irq;
  }

  /** The mask that keeps the group priority of an interrupt of `group` (ICC_BPRn_EL1). */
  private groupPriorityMask(c: Gicv3CpuState, group: Group): number {
    const cbpr = (c.control & ICC_CTLR_CBPR) !== 0;
    const bpr = group === 1 && !cbpr ? c.bpr[1]! - 1 : c.bpr[0]!;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /** ICC_RPR_EL1 of CPU `cpu`: the highest active group priority, or IDLE_PRIORITY. */
  runningPriority(cpu: number): number {
    const c = this.cpus[cpu]!;
    const bits = c.activePriorities[0]! | c.activePriorities[1]!;
    return bits === 0 ? IDLE_PRIORITY : lowestBit(bits) << (8 - PRIORITY_BITS);
  }

  /** Whether `irq` passes CPU `cpu`'s priority mask and its group priority preempts the running one. */
  private canPreempt(cpu: number, irq: number): boolean {
    const c = this.cpus[cpu]!;
    const slot = this.slot(cpu, irq);
    const priority = this.priority[slot]!;
    if (priority >= c.pmr) return false;
    const running = this.runningPriority(cpu);
    if (running === IDLE_PRIORITY) return true;
    const mask = this.groupPriorityMask(c, this.group[slot] as Group);
    return (priority & mask) < (running & mask);
  }

  /** The IRQ signal to CPU `cpu`: a group 1 interrupt ready to preempt. */
  irqAsserted(cpu: number): boolean {
    return this.signalled(cpu, 1);
  }

  /** The FIQ signal to CPU `cpu`: a group 0 interrupt ready to preempt. */
  fiqAsserted(cpu: number): boolean {
    return this.signalled(cpu, 0);
  }

  private signalled(cpu: number, group: Group): boolean {
    const irq = this.highestPending(cpu, group);
    return irq !== SPURIOUS && this.canPreempt(cpu, irq);
  }

  /** ICC_IARn_EL1 of CPU `cpu`: acknowledges the interrupt its interface signals for `group`, or SPURIOUS. */
  acknowledge(cpu: number, group: Group): number {
    const irq = this.highestPending(cpu, group);
    if (irq === SPURIOUS || !this.canPreempt(cpu, irq)) return SPURIOUS;
    const c = this.cpus[cpu]!;
    const slot = this.slot(cpu, irq);
    this.active[slot] = 1;
    this.latched[slot] = 0;
    const groupPriority = this.priority[slot]! & this.groupPriorityMask(c, group);
    c.activePriorities[group]! |= 1 << (groupPriority >> (8 - PRIORITY_BITS));
    this.changed();
    return irq;
  }

  /** The group holding CPU `c`'s highest active priority, if any. */
  private highestActiveGroup(c: Gicv3CpuState): Group | undefined {
    const [ap0, ap1] = c.activePriorities as [number, number];
    if ((ap0 | ap1) === 0) return undefined;
    if (ap0 === 0) return 1;
    if (ap1 === 0) return 0;
    return lowestBit(ap0) <= lowestBit(ap1) ? 0 : 1;
  }

  /**
   * ICC_EOIRn_EL1 of CPU `cpu`: drops its highest active priority if it belongs to `group`, and
   * deactivates `irq` too unless ICC_CTLR_EL1.EOImode splits the two (then ICC_DIR_EL1 deactivates).
   */
  endOfInterrupt(cpu: number, group: Group, irq: number): void {
    const c = this.cpus[cpu]!;
    if (irq >= GICV3_NUM_IRQS || this.highestActiveGroup(c) !== group) return;
    const bits = c.activePriorities[group]!;
    c.activePriorities[group] = bits & (bits - 1);
    if (!(c.control & ICC_CTLR_EOIMODE)) this.active[this.slot(cpu, irq)] = 0;
    this.changed();
  }

  /** ICC_DIR_EL1 of CPU `cpu`: deactivates `irq` (only when EOImode splits priority drop and deactivation). */
  deactivate(cpu: number, irq: number): void {
    if (!(this.cpus[cpu]!.control & ICC_CTLR_EOIMODE) || irq >= GICV3_NUM_IRQS) return;
    this.active[this.slot(cpu, irq)] = 0;
    this.changed();
  }

  /**
   * ICC_SGI0R/SGI1R/ASGI1R_EL1 written by CPU `sender`: with IRM (bit 40) every other CPU, else
   * the CPUs at affinity Aff3.Aff2.Aff1 (bits 55:48, 39:32, 23:16) whose Aff0 has its bit in the
   * target list (bits 15:0); INTID in bits 27:24. RS (bits 47:44) is ignored, as ICC_CTLR_EL1.RSS
   * is 0 (QEMU does the same). The SGI is made pending on a target only if it is in `group` there
   * (QEMU's rule: SGI1R reaches group 1 SGIs, SGI0R and ASGI1R group 0 ones).
   */
  sendSgi(sender: number, value: bigint, group: Group): void {
    const irm = ((value >> 40n) & 1n) === 1n;
    const upper = Number(((value >> 48n) & 0xffn) << 16n | ((value >> 32n) & 0xffn) << 8n | ((value >> 16n) & 0xffn));
    const targets = Number(value & 0xffffn);
    const irq = Number((value >> 24n) & 15n);
    for (let cpu = 0; cpu < this.cpuCount; cpu++) {
      const affinity = this.affinityOf(cpu);
      const aff0 = affinity & 0xff;
      const chosen = irm ? cpu !== sender : affinity >>> 8 === upper && aff0 < 16 && ((targets >> aff0) & 1) === 1;
      const slot = this.slot(cpu, irq);
      if (chosen && this.group[slot] === group) this.latched[slot] = 1;
    }
    this.changed();
  }
}

/** The index of the lowest set bit of a non-zero 32-bit value. */
function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}
