/**
 * ARM Generic Interrupt Controller v2 (ARM IHI 0048B) for up to 8 CPUs: the distributor (GICD_*)
 * and the CPU interfaces (GICC_*, one per CPU at the same address, banked by the CPU accessing
 * it) as two MMIO devices sharing one state. Interrupts 0-15 are SGIs and 16-31 PPIs, both banked
 * per CPU; 32 and up SPIs from devices, sent to the CPUs GICD_ITARGETSR names (RAZ/WI with one
 * CPU, which every SPI reaches, as in QEMU). An SGI is pending per source CPU (GICD_SGIR with its
 * target list or filter); acknowledging it reports the source in GICC_IAR bits 12:10. Inputs are
 * level-sensitive lines; an interrupt is pending while its line is high or after a software set,
 * until acknowledged. Priority grouping (BPR) and security groups are not modelled: one group,
 * full-priority preemption.
 */
import { type MmioDevice } from './mmio';

/** Interrupt IDs QEMU's virt gives its GIC: 256 external ones after the 32 internal. */
export const GIC_NUM_IRQS = 288;
export const GIC_SPI_BASE = 32;
export const GIC_PPI_BASE = 16;
/** The most CPUs a GICv2 serves (its target lists are 8 bits). */
export const GICV2_MAX_CPUS = 8;
const SPURIOUS = 1023;
/** A pending summary entry to be computed again. */
const UNKNOWN = -1;
const IDLE_PRIORITY = 0x100;

/** One CPU's interface. */
class CpuInterfaceState {
  enabled = false;
  pmr = 0;
  bpr = 2;
  /** Acknowledged interrupts, most recent last (their priorities set the running priority). */
  readonly activeStack: number[] = [];
}

export class Gicv2State {
  distEnabled = false;
  readonly cpus: CpuInterfaceState[];
  /** Per-interrupt state at slot(cpu, irq): SGIs and PPIs banked per CPU, SPIs once. */
  readonly enabled: Uint8Array;
  readonly line: Uint8Array;
  readonly latched: Uint8Array;
  readonly active: Uint8Array;
  readonly priority: Uint8Array;
  /** Pending SGIs: a bit per source CPU, at target CPU * 16 + SGI. */
  readonly sgiSources: Uint8Array;
  /** GICD_ITARGETSR of each SPI. */
  readonly targets = new Uint8Array(GIC_NUM_IRQS);
  readonly config = new Uint32Array(GIC_NUM_IRQS / 16);
  /**
   * The pending summary: each CPU's highestPending, or UNKNOWN until asked again after a change.
   * The CPU asks for its IRQ signal at every return from translated code, and a scan of every
   * interrupt each time was a twentieth of a Linux boot; the state changes far less often.
   */
  private readonly best: Int32Array;

  /** `onChange` hears of every change that may alter a CPU's IRQ signal (to wake a waiting CPU). */
  constructor(
    readonly cpuCount: number,
    private readonly onChange: () => void,
  ) {
    this.cpus = Array.from({ length: cpuCount }, () => new CpuInterfaceState());
    this.best = new Int32Array(cpuCount).fill(UNKNOWN);
    const slots = GIC_NUM_IRQS + (cpuCount - 1) * GIC_SPI_BASE;
    this.enabled = new Uint8Array(slots);
    this.line = new Uint8Array(slots);
    this.latched = new Uint8Array(slots);
    this.active = new Uint8Array(slots);
    this.priority = new Uint8Array(slots);
    this.sgiSources = new Uint8Array(cpuCount * GIC_PPI_BASE);
    this.reset();
  }

  /** Where interrupt `irq`'s state is kept, as CPU `cpu` sees it. */
  slot(cpu: number, irq: number): number {
    return irq < GIC_SPI_BASE ? cpu * GIC_SPI_BASE + irq : (this.cpuCount - 1) * GIC_SPI_BASE + irq;
  }

  reset(): void {
    this.distEnabled = false;
    for (const cpu of this.cpus) {
      cpu.enabled = false;
      cpu.pmr = 0;
      cpu.bpr = 2;
      cpu.activeStack.length = 0;
    }
    for (const a of [this.enabled, this.latched, this.active, this.priority, this.sgiSources]) a.fill(0);
    // SGIs are always enabled; with one CPU every SPI targets it.
    for (let cpu = 0; cpu < this.cpuCount; cpu++) this.enabled.fill(1, cpu * GIC_SPI_BASE, cpu * GIC_SPI_BASE + GIC_PPI_BASE);
    this.targets.fill(this.cpuCount === 1 ? 1 : 0);
    this.config.fill(0);
    this.config[0] = 0xaaaaaaaa;
    this.best.fill(UNKNOWN);
  }

  /** Every change to the state comes here: the summary is stale, and the board hears of it. */
  changed(): void {
    this.best.fill(UNKNOWN);
    this.onChange();
  }

  /** A device's line changed (a PPI's: the line of CPU `cpu`). */
  setLine(irq: number, level: boolean, cpu = 0): void {
    const slot = this.slot(cpu, irq);
    if (this.line[slot] === Number(level)) return;
    this.line[slot] = Number(level);
    this.changed();
  }

  /** Whether `irq` is pending for `cpu`. */
  pending(cpu: number, irq: number): boolean {
    if (irq < GIC_PPI_BASE) return this.sgiSources[cpu * GIC_PPI_BASE + irq] !== 0;
    const slot = this.slot(cpu, irq);
    return this.line[slot] === 1 || this.latched[slot] === 1;
  }

  /** GICD_SGIR: SGI `irq` from CPU `source` becomes pending on each CPU of the bit mask `targets`. */
  sendSgi(source: number, irq: number, targets: number): void {
    for (let cpu = 0; cpu < this.cpuCount; cpu++) {
      if (targets & (1 << cpu)) this.sgiSources[cpu * GIC_PPI_BASE + irq]! |= 1 << source;
    }
    this.changed();
  }

  runningPriority(cpu: number): number {
    const stack = this.cpus[cpu]!.activeStack;
    const top = stack[stack.length - 1];
    return top === undefined ? IDLE_PRIORITY : this.priority[this.slot(cpu, top)]!;
  }

  /** The highest-priority pending interrupt CPU `cpu`'s interface would signal, or SPURIOUS. */
  highestPending(cpu: number): number {
    const known = this.best[cpu]!;
    if (known !== UNKNOWN) return known;
    return (this.best[cpu] = this.scan(cpu));
  }

  private scan(cpu: number): number {
    let best = SPURIOUS;
    let bestPriority = Math.min(this.cpus[cpu]!.pmr, this.runningPriority(cpu));
    if (!this.distEnabled) return SPURIOUS;
    for (let irq = 0; irq < GIC_NUM_IRQS; irq++) {
      const slot = this.slot(cpu, irq);
      if (!this.enabled[slot] || this.active[slot] || !this.pending(cpu, irq)) continue;
      if (irq >= GIC_SPI_BASE && !(this.targets[irq]! & (1 << cpu))) continue;
      if (this.priority[slot]! < bestPriority) {
        best = irq;
        bestPriority = this.priority[slot]!;
      }
    }
    return best;
  }

  /** The IRQ signal to CPU `cpu`. */
  irqAsserted(cpu: number): boolean {
    return this.cpus[cpu]!.enabled && this.highestPending(cpu) !== SPURIOUS;
  }

  /** GICC_IAR of CPU `cpu`: the interrupt becomes active; an SGI's value names its source CPU. */
  acknowledge(cpu: number): number {
    const irq = this.highestPending(cpu);
    if (irq === SPURIOUS || !this.cpus[cpu]!.enabled) return SPURIOUS;
    const slot = this.slot(cpu, irq);
    let value = irq;
    if (irq < GIC_PPI_BASE) {
      const sources = this.sgiSources[cpu * GIC_PPI_BASE + irq]!;
      const source = 31 - Math.clz32(sources & -sources);
      this.sgiSources[cpu * GIC_PPI_BASE + irq] = sources & ~(1 << source);
      value |= source << 10;
    }
    this.active[slot] = 1;
    this.latched[slot] = 0;
    this.cpus[cpu]!.activeStack.push(irq);
    this.changed();
    return value;
  }

  endOfInterrupt(cpu: number, irq: number): void {
    const slot = this.slot(cpu, irq);
    if (irq >= GIC_NUM_IRQS || !this.active[slot]) return;
    this.active[slot] = 0;
    const stack = this.cpus[cpu]!.activeStack;
    const at = stack.lastIndexOf(irq);
    if (at >= 0) stack.splice(at, 1);
    this.changed();
  }
}

/** Bit-per-interrupt register banks of the distributor, by offset. */
const GICD_ISENABLER = 0x100;
const GICD_ICENABLER = 0x180;
const GICD_ISPENDR = 0x200;
const GICD_ICPENDR = 0x280;
const GICD_ISACTIVER = 0x300;
const GICD_ICACTIVER = 0x380;
const GICD_IPRIORITYR = 0x400;
const GICD_ITARGETSR = 0x800;
const GICD_ICFGR = 0xc00;
const GICD_SGIR = 0xf00;
const BANK_BYTES = GIC_NUM_IRQS / 8;

export class Gicv2Distributor implements MmioDevice {
  readonly name = 'arm_gic';
  readonly size = 0x10000;

  constructor(
    private readonly s: Gicv2State,
    /** The index of the CPU making the access (the banked registers are its own). */
    private readonly currentCpu: () => number,
  ) {}

  reset(): void {
    this.s.reset();
  }

  private bitBank(offset: number, base: number): number | undefined {
    return offset >= base && offset < base + BANK_BYTES ? (offset - base) * 8 : undefined;
  }

  read(offset: number, size: number): number {
    const s = this.s;
    const cpu = this.currentCpu();
    if (offset === 0x000) return Number(s.distEnabled);
    if (offset === 0x004) return ((s.cpuCount - 1) << 5) | (GIC_NUM_IRQS / 32 - 1); // TYPER: CPUNumber, ITLinesNumber
    if (offset === 0x008) return 0x0100143b; // IIDR: ARM, as QEMU's
    const bitBanks: [number, (irq: number) => boolean][] = [
      [GICD_ISENABLER, (irq) => s.enabled[s.slot(cpu, irq)] === 1],
      [GICD_ICENABLER, (irq) => s.enabled[s.slot(cpu, irq)] === 1],
      [GICD_ISPENDR, (irq) => (irq < GIC_PPI_BASE ? s.pending(cpu, irq) : s.latched[s.slot(cpu, irq)] === 1)],
      [GICD_ICPENDR, (irq) => (irq < GIC_PPI_BASE ? s.pending(cpu, irq) : s.latched[s.slot(cpu, irq)] === 1)],
      [GICD_ISACTIVER, (irq) => s.active[s.slot(cpu, irq)] === 1],
      [GICD_ICACTIVER, (irq) => s.active[s.slot(cpu, irq)] === 1],
    ];
    for (const [base, bit] of bitBanks) {
      const first = this.bitBank(offset, base);
      if (first === undefined) continue;
      let word = 0;
      for (let i = 0; i < size * 8 && first + i < GIC_NUM_IRQS; i++) word |= Number(bit(first + i)) << i;
      return word >>> 0;
    }
    const byteBanks: [number, (irq: number) => number][] = [
      [GICD_IPRIORITYR, (irq) => s.priority[s.slot(cpu, irq)]!],
      // RAZ with one CPU; the SGIs' and PPIs' target is the CPU reading.
      [GICD_ITARGETSR, (irq) => (s.cpuCount === 1 ? 0 : irq < GIC_SPI_BASE ? 1 << cpu : s.targets[irq]!)],
    ];
    for (const [base, byte] of byteBanks) {
      if (offset >= base && offset < base + GIC_NUM_IRQS) {
        let word = 0;
        for (let i = 0; i < size && offset - base + i < GIC_NUM_IRQS; i++) word |= byte(offset - base + i) << (8 * i);
        return word >>> 0;
      }
    }
    if (offset >= GICD_ICFGR && offset < GICD_ICFGR + GIC_NUM_IRQS / 4)
      return s.config[(offset - GICD_ICFGR) >> 2]!;
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    const s = this.s;
    const cpu = this.currentCpu();
    if (offset === 0x000) s.distEnabled = (value & 1) !== 0;
    const setClear: [number, Uint8Array, number][] = [
      [GICD_ISENABLER, s.enabled, 1],
      [GICD_ICENABLER, s.enabled, 0],
      [GICD_ISPENDR, s.latched, 1],
      [GICD_ICPENDR, s.latched, 0],
      [GICD_ISACTIVER, s.active, 1],
      [GICD_ICACTIVER, s.active, 0],
    ];
    for (const [base, bits, to] of setClear) {
      const first = this.bitBank(offset, base);
      if (first === undefined) continue;
      for (let i = 0; i < size * 8 && first + i < GIC_NUM_IRQS; i++) {
        const irq = first + i;
        // SGIs cannot be disabled, and are made pending by GICD_SGIR only (as in QEMU).
        const sgiFixed = irq < GIC_PPI_BASE && (bits === s.latched || (bits === s.enabled && to === 0));
        if (value & (1 << i) && !sgiFixed) bits[s.slot(cpu, irq)] = to;
      }
    }
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + GIC_NUM_IRQS) {
      for (let i = 0; i < size; i++) s.priority[s.slot(cpu, offset - GICD_IPRIORITYR + i)] = (value >>> (8 * i)) & 0xff;
    }
    if (s.cpuCount > 1 && offset >= GICD_ITARGETSR + GIC_SPI_BASE && offset < GICD_ITARGETSR + GIC_NUM_IRQS) {
      for (let i = 0; i < size; i++) s.targets[offset - GICD_ITARGETSR + i] = (value >>> (8 * i)) & 0xff;
    }
    if (offset >= GICD_ICFGR + 8 && offset < GICD_ICFGR + GIC_NUM_IRQS / 4)
      s.config[(offset - GICD_ICFGR) >> 2] = value >>> 0;
    if (offset === GICD_SGIR) s.sendSgi(cpu, value & 15, sgiTargets(value, cpu));
    s.changed();
  }
}

/** GICD_SGIR's TargetListFilter (bits 25:24): the list in bits 23:16, all but the sender, the sender; 3 is all (QEMU). */
function sgiTargets(value: number, sender: number): number {
  switch ((value >>> 24) & 3) {
    case 0:
      return (value >>> 16) & 0xff;
    case 1:
      return 0xff & ~(1 << sender);
    case 2:
      return 1 << sender;
    default:
      return 0xff;
  }
}

const GICC_CTLR = 0x00;
const GICC_PMR = 0x04;
const GICC_BPR = 0x08;
const GICC_IAR = 0x0c;
const GICC_EOIR = 0x10;
const GICC_RPR = 0x14;
const GICC_HPPIR = 0x18;
const GICC_IIDR = 0xfc;
const GICC_DIR = 0x1000;

export class Gicv2CpuInterface implements MmioDevice {
  readonly name = 'arm_gic_cpu';
  readonly size = 0x10000;

  constructor(
    private readonly s: Gicv2State,
    /** The index of the CPU making the access: each CPU reaches its own interface here. */
    private readonly currentCpu: () => number,
  ) {}

  reset(): void {
    // The distributor resets the shared state.
  }

  read(offset: number): number {
    const s = this.s;
    const cpu = this.currentCpu();
    const c = s.cpus[cpu]!;
    switch (offset) {
      case GICC_CTLR:
        return Number(c.enabled);
      case GICC_PMR:
        return c.pmr;
      case GICC_BPR:
        return c.bpr;
      case GICC_IAR:
        return s.acknowledge(cpu);
      case GICC_RPR:
        return Math.min(s.runningPriority(cpu), 0xff);
      case GICC_HPPIR:
        return s.highestPending(cpu);
      case GICC_IIDR:
        return 0x0202143b;
      default:
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    const s = this.s;
    const cpu = this.currentCpu();
    const c = s.cpus[cpu]!;
    if (offset === GICC_CTLR) c.enabled = (value & 1) !== 0;
    else if (offset === GICC_PMR) c.pmr = value & 0xff;
    else if (offset === GICC_BPR) c.bpr = value & 7;
    else if (offset === GICC_EOIR) s.endOfInterrupt(cpu, value & 0x3ff);
    else if (offset === GICC_DIR) s.endOfInterrupt(cpu, value & 0x3ff);
    s.changed();
  }
}
