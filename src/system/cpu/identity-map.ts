/**
 * The MMU for page tables that map addresses to themselves, the way bare-metal programs and early
 * boot code use it. Translated code addresses the guest window directly, so while the tables are
 * an identity map, stage-1 translation reduces to permissions: after each change of SCTLR_EL1,
 * TTBR0_EL1 or TCR_EL1, and at each TLBI, every RAM page's flags in the window are set from its
 * translation (unmapped or access flag clear: no access; read-only: no write; PXN: no execute).
 * Faulting accesses are then classified by a walk of their own. A mapping to another address
 * needs the code generator's TLB hook (docs/system.md) and is reported as unsupported.
 * Permissions are those of EL1: EL0's (AP[1], UXN) are not told apart yet.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { PAGE_SIZE, PageFlags } from '../../memory/layout';
import type { CpuRegisters } from './registers';
import { Stage1Unsupported, walkStage1, type Stage1Result } from './stage1';

const SCTLR_M = 1n;

export interface RamRange {
  base: number;
  size: number;
}

export class IdentityMap {
  /** Whether the window's flags currently reflect translation (the MMU was on when last applied). */
  private translated = false;

  constructor(
    private readonly memory: GuestMemory,
    private readonly regs: CpuRegisters,
    private readonly ram: RamRange,
  ) {}

  get enabled(): boolean {
    return (this.regs.sys.sctlrEl1 & SCTLR_M) !== 0n;
  }

  isRam(address: bigint): boolean {
    return address >= BigInt(this.ram.base) && address < BigInt(this.ram.base + this.ram.size);
  }

  /** The stage-1 walk of `va` with the current registers, reading tables from RAM. */
  walk(va: bigint): Stage1Result {
    const read64 = (pa: bigint): bigint | undefined =>
      this.isRam(pa) && this.isRam(pa + 7n) ? this.memory.read64(Number(pa)) : undefined;
    return walkStage1({ tcr: this.regs.sys.tcrEl1, ttbr0: this.regs.sys.ttbr0El1 }, va, read64);
  }

  /**
   * Sets RAM's page flags from the translation in force (all accessible with the MMU off).
   * Returns whether anything may have changed, so translated code must be discarded.
   */
  apply(): boolean {
    if (!this.enabled) {
      if (!this.translated) return false;
      this.memory.setFlags(this.ram.base, this.ram.size, 0);
      this.translated = false;
      return true;
    }
    for (let page = this.ram.base; page < this.ram.base + this.ram.size; page += PAGE_SIZE) {
      const t = this.walk(BigInt(page));
      let flags = PageFlags.Unmapped;
      if (t.ok) {
        if (t.pa !== BigInt(page)) {
          throw new Stage1Unsupported(
            `VA 0x${page.toString(16)} maps to PA 0x${t.pa.toString(16)}: only identity maps are translated yet`,
          );
        }
        flags = (t.readOnly ? PageFlags.NoWrite : 0) | (t.privilegedExecuteNever ? PageFlags.NoExec : 0);
      }
      this.memory.setFlags(page, PAGE_SIZE, flags);
    }
    this.translated = true;
    return true;
  }
}
