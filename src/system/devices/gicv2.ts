/**
 * ARM Generic Interrupt Controller v2 (ARM IHI 0048B) for one CPU: the distributor (GICD_*) and
 * the CPU interface (GICC_*) as two MMIO devices sharing one state. Interrupts 0-15 are SGIs,
 * 16-31 PPIs (the timers), 32 and up SPIs from devices. Inputs are level-sensitive lines; an
 * interrupt is pending while its line is high or after a software set, until acknowledged.
 * Priority grouping (BPR) and security groups are not modelled: one group, full-priority preemption.
 */
import { type MmioDevice } from './mmio';

/** Interrupt IDs QEMU's virt gives its GIC: 256 external ones after the 32 internal. */
export const GIC_NUM_IRQS = 288;
export const GIC_SPI_BASE = 32;
export const GIC_PPI_BASE = 16;
const SPURIOUS = 1023;
const IDLE_PRIORITY = 0x100;

export class Gicv2State {
  distEnabled = false;
  cpuEnabled = false;
  pmr = 0;
  bpr = 2;
  readonly enabled = new Uint8Array(GIC_NUM_IRQS);
  readonly line = new Uint8Array(GIC_NUM_IRQS);
  readonly latched = new Uint8Array(GIC_NUM_IRQS);
  readonly active = new Uint8Array(GIC_NUM_IRQS);
  readonly priority = new Uint8Array(GIC_NUM_IRQS);
  readonly targets = new Uint8Array(GIC_NUM_IRQS);
  readonly config = new Uint32Array(GIC_NUM_IRQS / 16);
  /** Acknowledged interrupts, most recent last (their priorities set the running priority). */
  readonly activeStack: number[] = [];

  /** `changed` hears of every change that may alter the CPU's IRQ signal (to wake a waiting CPU). */
  constructor(readonly changed: () => void) {
    this.reset();
  }

  reset(): void {
    this.distEnabled = this.cpuEnabled = false;
    this.pmr = 0;
    this.bpr = 2;
    for (const a of [this.enabled, this.latched, this.active, this.priority, this.targets]) a.fill(0);
    this.config.fill(0);
    // SGIs are always enabled; SGI and PPI targets read as this CPU.
    this.enabled.fill(1, 0, GIC_PPI_BASE);
    this.targets.fill(1, 0, GIC_SPI_BASE);
    this.config[0] = 0xaaaaaaaa;
    this.activeStack.length = 0;
  }

  /** A device's line changed. */
  setLine(irq: number, level: boolean): void {
    if (this.line[irq] === Number(level)) return;
    this.line[irq] = Number(level);
    this.changed();
  }

  private pending(irq: number): boolean {
    return this.line[irq] === 1 || this.latched[irq] === 1;
  }

  private runningPriority(): number {
    const top = this.activeStack[this.activeStack.length - 1];
    return top === undefined ? IDLE_PRIORITY : this.priority[top]!;
  }

  /** The highest-priority pending interrupt the CPU interface would signal, or SPURIOUS. */
  highestPending(): number {
    let best = SPURIOUS;
    let bestPriority = Math.min(this.pmr, this.runningPriority());
    if (!this.distEnabled) return SPURIOUS;
    for (let irq = 0; irq < GIC_NUM_IRQS; irq++) {
      if (!this.enabled[irq] || this.active[irq] || !this.pending(irq)) continue;
      if (this.priority[irq]! < bestPriority) {
        best = irq;
        bestPriority = this.priority[irq]!;
      }
    }
    return best;
  }

  /** The IRQ signal to the CPU. */
  irqAsserted(): boolean {
    return this.cpuEnabled && this.highestPending() !== SPURIOUS;
  }

  acknowledge(): number {
    const irq = this.highestPending();
    if (irq === SPURIOUS || !this.cpuEnabled) return SPURIOUS;
    this.active[irq] = 1;
    this.latched[irq] = 0;
    this.activeStack.push(irq);
    this.changed();
    return irq;
  }

  endOfInterrupt(irq: number): void {
    if (irq >= GIC_NUM_IRQS || !this.active[irq]) return;
    this.active[irq] = 0;
    const at = this.activeStack.lastIndexOf(irq);
    if (at >= 0) this.activeStack.splice(at, 1);
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

  constructor(private readonly s: Gicv2State) {}

  reset(): void {
    this.s.reset();
  }

  private bitBank(offset: number, base: number): number | undefined {
    return offset >= base && offset < base + BANK_BYTES ? (offset - base) * 8 : undefined;
  }

  read(offset: number, size: number): number {
    const s = this.s;
    if (offset === 0x000) return Number(s.distEnabled);
    if (offset === 0x004) return GIC_NUM_IRQS / 32 - 1; // TYPER: ITLinesNumber, one CPU
    if (offset === 0x008) return 0x0100143b; // IIDR: ARM, as QEMU's
    const bitBanks: [number, Uint8Array][] = [
      [GICD_ISENABLER, s.enabled],
      [GICD_ICENABLER, s.enabled],
      [GICD_ISPENDR, s.latched],
      [GICD_ICPENDR, s.latched],
      [GICD_ISACTIVER, s.active],
      [GICD_ICACTIVER, s.active],
    ];
    for (const [base, bits] of bitBanks) {
      const first = this.bitBank(offset, base);
      if (first === undefined) continue;
      let word = 0;
      for (let i = 0; i < size * 8 && first + i < GIC_NUM_IRQS; i++) word |= (bits[first + i]! & 1) << i;
      return word >>> 0;
    }
    for (const [base, bytes] of [
      [GICD_IPRIORITYR, s.priority],
      [GICD_ITARGETSR, s.targets],
    ] as const) {
      if (offset >= base && offset < base + GIC_NUM_IRQS) {
        let word = 0;
        for (let i = 0; i < size; i++) word |= (bytes[offset - base + i] ?? 0) << (8 * i);
        return word >>> 0;
      }
    }
    if (offset >= GICD_ICFGR && offset < GICD_ICFGR + GIC_NUM_IRQS / 4)
      return s.config[(offset - GICD_ICFGR) >> 2]!;
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    const s = this.s;
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
        // SGIs cannot be disabled.
        if (value & (1 << i) && !(bits === s.enabled && to === 0 && first + i < GIC_PPI_BASE))
          bits[first + i] = to;
      }
    }
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + GIC_NUM_IRQS) {
      for (let i = 0; i < size; i++) s.priority[offset - GICD_IPRIORITYR + i] = (value >>> (8 * i)) & 0xff;
    }
    if (offset >= GICD_ITARGETSR + GIC_SPI_BASE && offset < GICD_ITARGETSR + GIC_NUM_IRQS) {
      for (let i = 0; i < size; i++) s.targets[offset - GICD_ITARGETSR + i] = (value >>> (8 * i)) & 1;
    }
    if (offset >= GICD_ICFGR + 8 && offset < GICD_ICFGR + GIC_NUM_IRQS / 4)
      s.config[(offset - GICD_ICFGR) >> 2] = value >>> 0;
    // SGIR: with one CPU every target list reaches it.
    if (offset === GICD_SGIR) s.latched[value & 15] = 1;
    s.changed();
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

  constructor(private readonly s: Gicv2State) {}

  reset(): void {
    // The distributor resets the shared state.
  }

  read(offset: number): number {
    const s = this.s;
    switch (offset) {
      case GICC_CTLR:
        return Number(s.cpuEnabled);
      case GICC_PMR:
        return s.pmr;
      case GICC_BPR:
        return s.bpr;
      case GICC_IAR:
        return s.acknowledge();
      case GICC_RPR: {
        const top = s.activeStack[s.activeStack.length - 1];
        return top === undefined ? 0xff : s.priority[top]!;
      }
      case GICC_HPPIR:
        return s.highestPending();
      case GICC_IIDR:
        return 0x0202143b;
      default:
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    const s = this.s;
    if (offset === GICC_CTLR) s.cpuEnabled = (value & 1) !== 0;
    else if (offset === GICC_PMR) s.pmr = value & 0xff;
    else if (offset === GICC_BPR) s.bpr = value & 7;
    else if (offset === GICC_EOIR) s.endOfInterrupt(value & 0x3ff);
    else if (offset === GICC_DIR) s.endOfInterrupt(value & 0x3ff);
    s.changed();
  }
}
