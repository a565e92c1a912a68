/**
 * The slow paths of the system CPU's memory accesses, called by generated code when the software
 * TLB (tlb.ts) has no entry allowing the access: translate the virtual address at the current
 * exception level, enter RAM pages in the TLB, and carry out what a TLB entry cannot: device
 * registers (through the MMIO bus), accesses crossing a page (byte by byte, both pages checked
 * first), and writes to pages holding translated code (invalidated first). A refused access
 * records its fault (pendingFault) and makes generated code exit with MemoryFault; the CPU turns
 * that into the data abort. Instruction fetch goes through `codeAddress`. ROM ranges (flash) read
 * and execute as RAM does, but their pages enter the TLB read-only: writes go to their device.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { DENY_WRITE, PAGE_SHIFT, PAGE_SIZE } from '../../memory/layout';
import type { SlowStore } from '../../translate/wasm/module';
import { SoftAccess, type SoftTranslate } from '../../translate/wasm/soft-tlb';
import type { DeviceBus } from '../devices/mmio';
import type { Mmu, RomRange } from './mmu';
import type { CpuRegisters } from './registers';
import type { Access } from './stage1';
import { AsidContexts } from './asid-contexts';
import { TLB_TABLES, contextTables, type SoftTlb } from './tlb';
import type { VcpuArea } from './vcpu-area';

/** Fault status code of a synchronous external abort (no memory there). */
export const FSC_EXTERNAL_ABORT = 0x10;

export interface DataFault {
  /** The address of the first byte refused (FAR_EL1). */
  va: bigint;
  fsc: number;
  write: boolean;
}

/** Where one page's part of an access goes. */
type Target = { ram: number } | { device: bigint };

export class MemoryPath {
  /** The fault the last refused access recorded, for the CPU's MemoryFault handling. */
  pendingFault: DataFault | undefined;
  /**
   * Window page of each code page translated since the last flush, per TLB table (address-space
   * context and exception level). Refused fetches are not remembered: a TLB holds no faults, so an
   * OS may map a page where a fetch failed and return to it without TLBI (Linux's page fault
   * handler does).
   */
  private readonly codePages = Array.from({ length: TLB_TABLES }, () => new Map<number, number>());
  /** The ASIDs with cached translations, and their TLB tables. */
  private readonly contexts = new AsidContexts();
  /**
   * Mappings larger than a page entered in the TLB since the last flush (base -> size): a TLBI of
   * any address in one must forget all of its pages, as a TLB holding the block itself would.
   */
  private readonly largeMappings = new Map<bigint, bigint>();

  constructor(
    private readonly memory: GuestMemory,
    /** The CPU whose accesses these are (the running one, with several). */
    private readonly cpu: () => CpuRegisters,
    private readonly mmu: Mmu,
    private readonly tlb: SoftTlb,
    /** The engine's private words: the bounce buffer and the dispatcher's budget word are used here. */
    private readonly area: VcpuArea,
    private readonly bus: DeviceBus,
    /** Memory that reads as RAM but whose writes go to the device on the bus there (flash). */
    private readonly rom: readonly RomRange[],
    /** Discards translated code in [pa, pa + size) before it is overwritten. */
    private readonly invalidateCode: (pa: number, size: number) => void,
  ) {}

  private get regs(): CpuRegisters {
    return this.cpu();
  }

  /** Translation may have changed: forget the TLB and the code pages of every ASID. */
  flush(): void {
    this.tlb.flush();
    for (const pages of this.codePages) pages.clear();
    this.largeMappings.clear();
    this.contexts.clear();
    this.switchAddressSpace();
  }

  /**
   * A TTBR was written: the translations of the ASID now in force apply, kept from when it was last
   * in force. Returns the TLB tables (the tags of the lookup cache entries) of another ASID that
   * were emptied to make room, if any.
   */
  switchAddressSpace(): number[] {
    const { context, reused } = this.contexts.select(this.mmu.asid);
    this.regs.pstate.setTlbContext(context);
    return reused ? this.flushContext(context) : [];
  }

  /** TLBI ASIDE1: forgets the translations of ASID field `asid`; returns the TLB tables emptied. */
  flushAsid(asid: number): number[] {
    const context = this.contexts.find(this.mmu.asidOf(asid));
    return context === undefined ? [] : this.flushContext(context);
  }

  private flushContext(context: number): number[] {
    const tables = contextTables(context);
    this.tlb.flushTables(tables);
    for (const table of tables) this.codePages[table]!.clear();
    return tables;
  }

  /**
   * TLBI by VA: forget the translation of `va`'s page (all of a larger mapping holding it), at every
   * level and in every ASID. Returns the virtual pages forgotten.
   */
  flushPage(va: bigint): { first: number; count: number } {
    let base = va & ~BigInt(PAGE_SIZE - 1);
    let size = BigInt(PAGE_SIZE);
    for (const [start, length] of this.largeMappings) {
      if (va - start >= 0n && va - start < length) {
        base = start;
        size = length;
        this.largeMappings.delete(start);
        break;
      }
    }
    this.tlb.flushRange(base, size);
    const first = Number(BigInt.asIntN(64, base) >> BigInt(PAGE_SHIFT));
    const count = Number(size >> BigInt(PAGE_SHIFT));
    for (const pages of this.codePages) {
      if (count > pages.size) {
        for (const page of pages.keys()) if (page - first >= 0 && page - first < count) pages.delete(page);
      } else {
        for (let page = first; page < first + count; page++) pages.delete(page);
      }
    }
    return { first, count };
  }

  /** Returns the window address to access, or 0 with the fault recorded. */
  readonly translate: SoftTranslate = (_state, va, size, access) => {
    const addr = BigInt.asUintN(64, va);
    if (access === SoftAccess.ReadModifyWrite) {
      const target = this.resolve(addr, 'write');
      if (!target) return 0;
      if (!('ram' in target)) {
        this.refuse(addr, FSC_EXTERNAL_ABORT, true);
        return 0;
      }
      this.beforeWrite(target.ram, size);
      return target.ram;
    }
    const first = PAGE_SIZE - Number(addr & BigInt(PAGE_SIZE - 1));
    const head = this.resolve(addr, 'read');
    if (!head) return 0;
    if (size <= first) {
      // Window address 0 (flash at physical 0) would read as the fault marker: bounce it.
      if ('ram' in head && head.ram === 0) {
        this.memory.u8.copyWithin(this.area.bounceBuffer, 0, size);
        return this.area.bounceBuffer;
      }
      if ('ram' in head) return head.ram;
      const value = this.bus.read(head.device, Math.min(size, 8));
      if (value === undefined) {
        this.refuse(addr, FSC_EXTERNAL_ABORT, false);
        return 0;
      }
      this.memory.view.setBigUint64(this.area.bounceBuffer, value, true);
      // A device register read in a loop (polling a status bit) waits for something only time or
      // the event loop brings: the dispatcher returns at the next block, and a loop at its back edge.
      this.memory.view.setInt32(this.area.budgetWord, 0, true);
      return this.area.bounceBuffer;
    }
    const tail = this.resolve(addr + BigInt(first), 'read');
    if (!tail) return 0;
    if (!('ram' in head) || !('ram' in tail)) {
      this.refuse(addr, FSC_EXTERNAL_ABORT, false);
      return 0;
    }
    this.memory.u8.copyWithin(this.area.bounceBuffer, head.ram, head.ram + first);
    this.memory.u8.copyWithin(this.area.bounceBuffer + first, tail.ram, tail.ram + size - first);
    return this.area.bounceBuffer;
  };

  /** Stores `size` bytes of lo:hi (little-endian); returns 0, or 1 with the fault recorded. */
  readonly slowStore: SlowStore = (_state, va, lo, hi, size) => {
    const addr = BigInt.asUintN(64, va);
    const first = Math.min(size, PAGE_SIZE - Number(addr & BigInt(PAGE_SIZE - 1)));
    const head = this.resolve(addr, 'write');
    if (!head) return 1;
    const tail = first < size ? this.resolve(addr + BigInt(first), 'write') : head;
    if (!tail) return 1;
    if (!('ram' in head)) {
      if (first < size) {
        this.refuse(addr, FSC_EXTERNAL_ABORT, true);
        return 1;
      }
      const value = size > 8 ? lo : lo & ((1n << BigInt(size * 8)) - 1n);
      this.bus.write(head.device, Math.min(size, 8), BigInt.asUintN(64, value));
      // The write may have raised an interrupt: the dispatcher returns at the next block to check.
      this.memory.view.setInt32(this.area.budgetWord, 0, true);
      return 0;
    }
    if (!('ram' in tail)) {
      this.refuse(addr + BigInt(first), FSC_EXTERNAL_ABORT, true);
      return 1;
    }
    const bytes = new DataView(new ArrayBuffer(16));
    bytes.setBigUint64(0, BigInt.asUintN(64, lo), true);
    bytes.setBigUint64(8, BigInt.asUintN(64, hi), true);
    this.beforeWrite(head.ram, first);
    if (first < size) this.beforeWrite(tail.ram, size - first);
    for (let i = 0; i < size; i++) {
      this.memory.u8[i < first ? head.ram + i : tail.ram + i - first] = bytes.getUint8(i);
    }
    return 0;
  };

  /** Window address of the instruction at virtual `pc` (at the current exception level), or undefined. */
  codeAddress(pc: number): number | undefined {
    const el = this.regs.pstate.el;
    const page = Math.floor(pc / PAGE_SIZE);
    const pages = this.codePages[this.regs.pstate.tlbIndex]!;
    let at = pages.get(page);
    if (at === undefined) {
      const va = BigInt.asUintN(64, BigInt(page) << BigInt(PAGE_SHIFT));
      const t = this.mmu.translate(va, 'exec', el);
      if (!t.ok || !(this.mmu.isRam(t.pa) || this.isRom(t.pa))) return undefined;
      at = Number(t.pa);
      pages.set(page, at);
    }
    return at + (pc - page * PAGE_SIZE);
  }

  /**
   * Translates `va` for `access` and enters its page in the TLB when it is RAM; undefined (the fault
   * recorded) when refused or when nothing is there.
   */
  private resolve(va: bigint, access: Access): Target | undefined {
    const el = this.regs.pstate.el;
    const t = this.mmu.translate(va, access, el);
    if (!t.ok) {
      this.refuse(va, t.fsc, access === 'write');
      return undefined;
    }
    if (this.mmu.isRam(t.pa)) {
      const ram = Number(t.pa);
      if (t.size > BigInt(PAGE_SIZE)) this.largeMappings.set(va & ~(t.size - 1n), t.size);
      this.tlb.fill(this.regs.pstate.tlbIndex, va, ram & ~(PAGE_SIZE - 1), t.readable, t.writable);
      return { ram };
    }
    if (access !== 'write' && this.isRom(t.pa)) {
      this.tlb.fill(this.regs.pstate.tlbIndex, va, Number(t.pa) & ~(PAGE_SIZE - 1), t.readable, false);
      return { ram: Number(t.pa) };
    }
    if (this.bus.claims(t.pa)) return { device: t.pa };
    this.refuse(va, FSC_EXTERNAL_ABORT, access === 'write');
    return undefined;
  }

  private isRom(pa: bigint): boolean {
    return this.rom.some(
      (r) => pa >= BigInt(r.base) && pa < BigInt(r.base + r.size) && (r.readsAsMemory?.() ?? true),
    );
  }

  private refuse(va: bigint, fsc: number, write: boolean): void {
    this.pendingFault = { va, fsc, write };
  }

  /** A write to [at, at + size) of RAM is about to happen: translated code there goes first. */
  private beforeWrite(at: number, size: number): void {
    if ((this.memory.pageFlags(at) | this.memory.pageFlags(at + size - 1)) & DENY_WRITE) {
      this.invalidateCode(at, size);
    }
  }
}
