/**
 * The GICv3 distributor (GICD_*, ARM IHI 0069 12.9) of a one-security-state GIC with
 * affinity routing: the SPIs' groups, enables, pending and active state, priorities, trigger modes
 * and routes (GICD_IROUTER). The SGI and PPI fields of its banked registers read as zero and ignore
 * writes (the redistributor owns those interrupts); ITARGETSR and GICD_SGIR are RAZ/WI, as affinity
 * routing is always on. Values and access widths are QEMU's: 32-bit registers, byte access to
 * IPRIORITYR only, reserved registers RAZ/WI.
 */
import { GICV3_NUM_IRQS, GICV3_SPI_BASE, type Gicv3State } from './gicv3';
import { type MmioDevice } from './mmio';

const GICD_CTLR = 0x0000;
const GICD_TYPER = 0x0004;
const GICD_IIDR = 0x0008;
const GICD_IGROUPR = 0x0080;
const GICD_IPRIORITYR = 0x0400;
const GICD_ICFGR = 0x0c00;
const GICD_IROUTER = 0x6000;
const GICD_ID_REGS = 0xffd0;

const CTLR_ENABLE_GRP0 = 1 << 0;
const CTLR_ENABLE_GRP1 = 1 << 1;
/** ARE (affinity routing) and DS (one security state): read as one, ignore writes. */
const CTLR_ARE_DS = (1 << 4) | (1 << 6);
/**
 * IDbits 15 (16-bit INTIDs), A3V, No1N (no 1-of-N SPIs), and QEMU's ITLinesNumber: the number of
 * SPIs / 32 - 1 (7, where the architecture's formula would give 8 for INTIDs up to 287).
 */
const TYPER = (1 << 25) | (1 << 24) | (15 << 19) | ((GICV3_NUM_IRQS - GICV3_SPI_BASE) / 32 - 1);
/** GICD_IIDR and GICR_IIDR: implementer ARM, revision 0 (QEMU's value: an r0p0 GIC-500). */
export const GICV3_IIDR = 0x43b;

/**
 * PIDR4-7, PIDR0-3, CIDR0-3 at 0xffd0: architecture revision 3 in PIDR2 bits 7:4; PIDR0 is
 * `partNumberLow` (QEMU's: 0x92 for the distributor, 0x93 for the redistributor).
 */
export function gicv3IdRegister(offset: number, partNumberLow: number): number {
  const ids = [0x44, 0, 0, 0, partNumberLow, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1];
  return ids[offset >> 2] ?? 0;
}

/**
 * A set-or-clear register with a bit per interrupt: what a bit reads as, and what writing one does,
 * given where the interrupt's state is kept (Gicv3State.slot).
 */
export interface BitRegister {
  read(s: Gicv3State, slot: number): boolean;
  write(s: Gicv3State, slot: number): void;
}

/**
 * The set/clear registers with a bit per interrupt, by offset: the same in the distributor (for
 * SPIs) and in the redistributor's SGI_base frame (for SGIs and PPIs). Writing zero does nothing.
 */
export const BIT_REGISTERS: ReadonlyMap<number, BitRegister> = new Map<number, BitRegister>([
  [0x100, { read: (s, at) => s.enabled[at] === 1, write: (s, at) => void (s.enabled[at] = 1) }],
  [0x180, { read: (s, at) => s.enabled[at] === 1, write: (s, at) => void (s.enabled[at] = 0) }],
  [0x200, { read: (s, at) => s.pending(at), write: (s, at) => void (s.latched[at] = 1) }],
  [0x280, { read: (s, at) => s.pending(at), write: (s, at) => void (s.latched[at] = 0) }],
  [0x300, { read: (s, at) => s.active[at] === 1, write: (s, at) => void (s.active[at] = 1) }],
  [0x380, { read: (s, at) => s.active[at] === 1, write: (s, at) => void (s.active[at] = 0) }],
]);

/** Where SPI `irq`'s state is kept (the same for every CPU). */
const spi = (s: Gicv3State, irq: number): number => s.slot(0, irq);

/** Bytes a bank with one bit per interrupt spans. */
const BIT_BANK_BYTES = 0x80;

export class Gicv3Distributor implements MmioDevice {
  readonly name = 'arm-gicv3';
  readonly size = 0x10000;

  constructor(private readonly s: Gicv3State) {}

  reset(): void {
    this.s.reset();
  }

  read(offset: number, size: number): number {
    if (size === 1) {
      const irq = offset - GICD_IPRIORITYR;
      return irq >= GICV3_SPI_BASE && irq < GICV3_NUM_IRQS ? this.s.priority[spi(this.s, irq)]! : 0;
    }
    return size === 4 ? this.readWord(offset) >>> 0 : 0;
  }

  write(offset: number, size: number, value: number): void {
    const s = this.s;
    if (size === 1) {
      const irq = offset - GICD_IPRIORITYR;
      if (irq >= GICV3_SPI_BASE && irq < GICV3_NUM_IRQS) s.priority[spi(s, irq)] = value & 0xff;
    } else if (size === 4) {
      this.writeWord(offset, value >>> 0);
    }
    s.changed();
  }

  private readWord(offset: number): number {
    const s = this.s;
    if (offset === GICD_CTLR) {
      const enables = (s.groupEnabled[0] ? CTLR_ENABLE_GRP0 : 0) | (s.groupEnabled[1] ? CTLR_ENABLE_GRP1 : 0);
      return CTLR_ARE_DS | enables;
    }
    if (offset === GICD_TYPER) return TYPER;
    if (offset === GICD_IIDR) return GICV3_IIDR;
    if (offset >= GICD_ID_REGS) return gicv3IdRegister(offset - GICD_ID_REGS, 0x92);
    const bits = this.bankAt(offset);
    if (bits) {
      const register = BIT_REGISTERS.get(bits.bank);
      let word = 0;
      for (let irq = bits.first; irq < bits.first + 32; irq++)
        word |= Number(register ? register.read(s, spi(s, irq)) : s.group[spi(s, irq)] === 1) << (irq - bits.first);
      return word;
    }
    const spis = this.spisAt(offset);
    if (!spis) return 0;
    const { first, field } = spis;
    let word = 0;
    if (field === 'priority') for (let i = 0; i < 4; i++) word |= s.priority[spi(s, first + i)]! << (8 * i);
    if (field === 'config') for (let i = 0; i < 16; i++) word |= s.edge[spi(s, first + i)]! << (2 * i + 1);
    if (field === 'route') word = ((offset & 4) !== 0 ? s.routeHigh : s.routeLow)[first]!;
    return word;
  }

  private writeWord(offset: number, value: number): void {
    const s = this.s;
    if (offset === GICD_CTLR) {
      s.groupEnabled[0] = (value & CTLR_ENABLE_GRP0) !== 0;
      s.groupEnabled[1] = (value & CTLR_ENABLE_GRP1) !== 0;
      return;
    }
    const bits = this.bankAt(offset);
    if (bits) {
      const register = BIT_REGISTERS.get(bits.bank);
      for (let irq = bits.first; irq < bits.first + 32; irq++) {
        const one = ((value >>> (irq - bits.first)) & 1) === 1;
        if (!register) s.group[spi(s, irq)] = Number(one);
        else if (one) register.write(s, spi(s, irq));
      }
      return;
    }
    const spis = this.spisAt(offset);
    if (!spis) return;
    const { first, field } = spis;
    if (field === 'priority') for (let i = 0; i < 4; i++) s.priority[spi(s, first + i)] = (value >>> (8 * i)) & 0xff;
    if (field === 'config') for (let i = 0; i < 16; i++) s.edge[spi(s, first + i)] = (value >>> (2 * i + 1)) & 1;
    if (field === 'route') ((offset & 4) !== 0 ? s.routeHigh : s.routeLow)[first] = value;
  }

  /**
   * The bank with a bit per interrupt (IGROUPR or one of BIT_REGISTERS) at `offset`, and the first
   * INTID of its word, for SPIs only: the words of SGIs and PPIs are RAZ/WI here.
   */
  private bankAt(offset: number): { bank: number; first: number } | undefined {
    const bank = offset & ~(BIT_BANK_BYTES - 1);
    const first = (offset - bank) * 8;
    const known = bank === GICD_IGROUPR || BIT_REGISTERS.has(bank);
    return known && first >= GICV3_SPI_BASE && first < GICV3_NUM_IRQS ? { bank, first } : undefined;
  }

  /** The SPI field (priority bytes, trigger-mode bit pairs, a route) whose word is at `offset`. */
  private spisAt(offset: number): { first: number; field: 'priority' | 'config' | 'route' } | undefined {
    const at = (base: number, perWord: number, bytesPerWord: number) => {
      const first = Math.floor((offset - base) / bytesPerWord) * perWord;
      return offset >= base && first >= GICV3_SPI_BASE && first < GICV3_NUM_IRQS ? first : undefined;
    };
    const priority = at(GICD_IPRIORITYR, 4, 4);
    if (priority !== undefined && offset < GICD_IPRIORITYR + 0x400)
      return { first: priority, field: 'priority' };
    const config = at(GICD_ICFGR, 16, 4);
    if (config !== undefined && offset < GICD_ICFGR + 0x100) return { first: config, field: 'config' };
    const route = at(GICD_IROUTER, 1, 8);
    if (route !== undefined && offset < GICD_IROUTER + 0x2000) return { first: route, field: 'route' };
    return undefined;
  }
}
