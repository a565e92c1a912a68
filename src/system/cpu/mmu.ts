/**
 * The EL1&0 MMU as the system CPU sees it: whether stage 1 is on (SCTLR_EL1.M), the ASID in force,
 * the walk with the registers in force (stage1.ts), and the outcome of one access at an exception
 * level as a physical address or a fault status code. With the MMU off an address is its physical
 * address, unless it has bits set above the CPU's physical address size (below a top byte TBI
 * ignores): an address size fault, as QEMU's get_phys_addr_disabled gives.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { physicalAddressBits } from './cpu-model';
import type { CpuRegisters } from './registers';
import { faultStatusCode, permits, walkStage1, type Access, type Stage1Result } from './stage1';

const SCTLR_M = 1n;
const SCTLR_WXN = 1n << 19n;
/** TCR_EL1.A1: the ASID is TTBR1_EL1's (else TTBR0_EL1's). */
const TCR_A1 = 1n << 22n;
/** TCR_EL1.AS: ASIDs are 16 bits (else 8, the TTBRs' upper ASID byte ignored). */
const TCR_AS = 1n << 36n;

export interface RamRange {
  base: number;
  size: number;
}

/**
 * Flash: reads (and instruction fetches, and table walks) take its bytes from memory while
 * `readsAsMemory` says so (a bank in read-array mode), and go to its device on the bus otherwise;
 * writes always go there.
 */
export interface RomRange extends RamRange {
  readsAsMemory?: () => boolean;
}

export type Translation =
  | { ok: true; pa: bigint; readable: boolean; writable: boolean; /** Bytes of the mapping. */ size: bigint }
  | { ok: false; fsc: number };

const FLAT_PAGE = 4096n;
/** QEMU keeps address bits 51:0 of a flat address (those above PAMax having been checked zero). */
const OUTPUT_MASK = (1n << 52n) - 1n;

export class Mmu {
  constructor(
    private readonly memory: GuestMemory,
    /** The CPU whose registers govern translation (the running one, with several). */
    private readonly cpu: () => CpuRegisters,
    private readonly ram: RamRange,
    /** Flash, where tables may be too (firmware's first ones), while it reads as memory. */
    private readonly rom: readonly RomRange[] = [],
  ) {}

  private get regs(): CpuRegisters {
    return this.cpu();
  }

  get enabled(): boolean {
    return (this.regs.sys.sctlrEl1 & SCTLR_M) !== 0n;
  }

  /** The current ASID: bits 63:48 of the TTBR TCR_EL1.A1 selects, 8 or 16 of them as TCR_EL1.AS says. */
  get asid(): number {
    const sys = this.regs.sys;
    const ttbr = (sys.tcrEl1 & TCR_A1) !== 0n ? sys.ttbr1El1 : sys.ttbr0El1;
    return this.asidOf(Number(ttbr >> 48n));
  }

  /** A 16-bit ASID field (of a TTBR or a TLBI operand) cut to the ASID size in force. */
  asidOf(field: number): number {
    return (this.regs.sys.tcrEl1 & TCR_AS) !== 0n ? field : field & 0xff;
  }

  /** Whether [pa, pa + size) is RAM. */
  isRam(pa: bigint, size = 1): boolean {
    return pa >= BigInt(this.ram.base) && pa + BigInt(size) <= BigInt(this.ram.base + this.ram.size);
  }

  /** Whether [pa, pa + size) is flash reading as memory. */
  private isRom(pa: bigint, size: number): boolean {
    return this.rom.some(
      (r) =>
        pa >= BigInt(r.base) && pa + BigInt(size) <= BigInt(r.base + r.size) && (r.readsAsMemory?.() ?? true),
    );
  }

  /** The physical address of `va` with the MMU off; undefined for an address size fault. */
  flatAddress(va: bigint): bigint | undefined {
    const upper = (va >> 55n) & 1n;
    const tbi = (this.regs.sys.tcrEl1 >> (37n + upper)) & 1n;
    const top = tbi !== 0n ? 56n : 64n;
    const beyond = (va & ((1n << top) - 1n)) >> BigInt(physicalAddressBits(this.regs.model));
    return beyond === 0n ? va & OUTPUT_MASK : undefined;
  }

  /** The stage-1 walk of `va` with the current registers, reading tables from RAM or flash. */
  walk(va: bigint): Stage1Result {
    const read64 = (pa: bigint): bigint | undefined =>
      this.isRam(pa, 8) || this.isRom(pa, 8) ? this.memory.read64(Number(pa)) : undefined;
    const sys = this.regs.sys;
    return walkStage1({ tcr: sys.tcrEl1, ttbr0: sys.ttbr0El1, ttbr1: sys.ttbr1El1 }, va, read64);
  }

  /** Translates `va` for `access` at exception level `el`; also says what else the level may do there. */
  translate(va: bigint, access: Access, el: number): Translation {
    if (!this.enabled) {
      const pa = this.flatAddress(va);
      if (pa === undefined) return { ok: false, fsc: faultStatusCode('address-size', 0) };
      return { ok: true, pa, readable: true, writable: true, size: FLAT_PAGE };
    }
    const t = this.walk(va);
    if (!t.ok) return { ok: false, fsc: faultStatusCode(t.fault, t.level) };
    const wxn = (this.regs.sys.sctlrEl1 & SCTLR_WXN) !== 0n;
    if (!permits(t, access, el, wxn)) return { ok: false, fsc: faultStatusCode('permission', t.level) };
    const readable = permits(t, 'read', el, wxn);
    return { ok: true, pa: t.pa, readable, writable: permits(t, 'write', el, wxn), size: t.size };
  }
}
