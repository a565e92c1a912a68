/**
 * The GICv3 redistributors (GICR_*, ARM IHI 0069 12.10), one per CPU in CPU order, each two 64 KiB
 * frames: RD_base (control, identification, the GICR_WAKER handshake a CPU interface goes through
 * before use) and SGI_base (its CPU's SGIs' and PPIs' groups, enables, pending and active state,
 * priorities and trigger modes, at the distributor's offsets). GICR_TYPER gives the CPU's number
 * and affinity, and Last on the last redistributor of the region. No LPIs: PROPBASER/PENDBASER read
 * as zero. Reserved registers are RAZ/WI, as in QEMU.
 */
import { BIT_REGISTERS, GICV3_IIDR, gicv3IdRegister } from './gicv3-distributor';
import { GICV3_PPI_BASE, GICV3_SPI_BASE, type Gicv3State } from './gicv3';
import { type MmioDevice } from './mmio';

const FRAME = 0x10000;
/** The bytes of one CPU's redistributor: RD_base and SGI_base. */
export const GICV3_REDIST_SIZE = 2 * FRAME;

const GICR_CTLR = 0x0000;
const GICR_IIDR = 0x0004;
const GICR_TYPER = 0x0008;
const GICR_WAKER = 0x0014;
const GICR_ID_REGS = 0xffd0;

/** In the SGI_base frame. */
const GICR_IGROUPR0 = 0x0080;
const GICR_IPRIORITYR = 0x0400;
const GICR_ICFGR0 = 0x0c00;
const GICR_ICFGR1 = 0x0c04;

/** GICR_CTLR.CES: GICR_CTLR.EnableLPIs may be cleared (QEMU 7.2 reports it). */
const CTLR_CES = 1 << 1;
/** GICR_TYPER: Last (bit 4), Processor_Number (bits 23:8); the affinity is its upper word. */
const TYPER_LAST = 1 << 4;
const GICR_TYPER_AFFINITY = GICR_TYPER + 4;
const WAKER_PROCESSOR_SLEEP = 1 << 1;
/** ProcessorSleep and ChildrenAsleep. */
const WAKER_ASLEEP = WAKER_PROCESSOR_SLEEP | (1 << 2);
/** SGIs are edge-triggered, and GICR_ICFGR0 is read-only. */
const ICFGR0_SGIS = 0xaaaaaaaa;

export class Gicv3Redistributor implements MmioDevice {
  readonly name = 'arm-gicv3-redist';
  readonly size: number;

  constructor(private readonly s: Gicv3State) {
    this.size = s.cpuCount * GICV3_REDIST_SIZE;
  }

  reset(): void {
    // The distributor resets the shared state.
  }

  read(at: number, size: number): number {
    const cpu = Math.floor(at / GICV3_REDIST_SIZE);
    const offset = at % GICV3_REDIST_SIZE;
    if (offset < FRAME) return size === 4 ? this.readRd(cpu, offset) : 0;
    const s = this.s;
    const sgi = offset - FRAME;
    const priority = sgi - GICR_IPRIORITYR;
    if (priority >= 0 && priority < GICV3_SPI_BASE && (size === 1 || size === 4)) {
      let word = 0;
      for (let i = 0; i < size; i++) word |= s.priority[s.slot(cpu, priority + i)]! << (8 * i);
      return word >>> 0;
    }
    if (size !== 4) return 0;
    if (sgi === GICR_IGROUPR0) return this.word((irq) => s.group[s.slot(cpu, irq)] === 1);
    if (sgi === GICR_ICFGR0) return ICFGR0_SGIS;
    if (sgi === GICR_ICFGR1) {
      let word = 0;
      for (let i = 0; i < 16; i++) word |= s.edge[s.slot(cpu, GICV3_PPI_BASE + i)]! << (2 * i + 1);
      return word >>> 0;
    }
    const register = BIT_REGISTERS.get(sgi);
    return register ? this.word((irq) => register.read(s, s.slot(cpu, irq))) : 0;
  }

  /** The RD_base frame's registers of CPU `cpu`'s redistributor. */
  private readRd(cpu: number, offset: number): number {
    if (offset === GICR_CTLR) return CTLR_CES;
    if (offset === GICR_IIDR) return GICV3_IIDR;
    if (offset === GICR_TYPER) return (cpu << 8) | (cpu === this.s.cpuCount - 1 ? TYPER_LAST : 0);
    if (offset === GICR_TYPER_AFFINITY) return this.s.affinityOf(cpu) >>> 0;
    if (offset === GICR_WAKER) return this.s.cpus[cpu]!.processorSleep ? WAKER_ASLEEP : 0;
    if (offset >= GICR_ID_REGS) return gicv3IdRegister(offset - GICR_ID_REGS, 0x93);
    return 0;
  }

  /** The SGIs' and PPIs' bits as one word. */
  private word(bit: (irq: number) => boolean): number {
    let word = 0;
    for (let irq = 0; irq < GICV3_SPI_BASE; irq++) word |= Number(bit(irq)) << irq;
    return word >>> 0;
  }

  write(at: number, size: number, value: number): void {
    const s = this.s;
    const cpu = Math.floor(at / GICV3_REDIST_SIZE);
    const offset = at % GICV3_REDIST_SIZE;
    const sgi = offset - FRAME;
    const priority = sgi - GICR_IPRIORITYR;
    if (priority >= 0 && priority < GICV3_SPI_BASE && (size === 1 || size === 4)) {
      for (let i = 0; i < size; i++) s.priority[s.slot(cpu, priority + i)] = (value >>> (8 * i)) & 0xff;
    } else if (size === 4 && offset === GICR_WAKER) {
      // The quiescing handshake completes at once: ChildrenAsleep follows ProcessorSleep.
      s.cpus[cpu]!.processorSleep = (value & WAKER_PROCESSOR_SLEEP) !== 0;
    } else if (size === 4 && sgi === GICR_IGROUPR0) {
      for (let irq = 0; irq < GICV3_SPI_BASE; irq++) s.group[s.slot(cpu, irq)] = (value >>> irq) & 1;
    } else if (size === 4 && sgi === GICR_ICFGR1) {
      for (let i = 0; i < 16; i++) s.edge[s.slot(cpu, GICV3_PPI_BASE + i)] = (value >>> (2 * i + 1)) & 1;
    } else if (size === 4 && sgi >= 0) {
      const register = BIT_REGISTERS.get(sgi);
      for (let irq = 0; irq < GICV3_SPI_BASE && register; irq++)
        if ((value >>> irq) & 1) register.write(s, s.slot(cpu, irq));
    }
    s.changed();
  }
}
