/**
 * Guest memory as the interpreter sees it in system mode: guest addresses are virtual, and every
 * access goes the way generated code with the `softmmu` option sends it (wasm/lower.ts), so that a
 * block behaves the same interpreted or compiled: a hit in the software TLB (wasm/soft-tlb.ts) for
 * the CPU's current translation regime is a direct access to the window; a miss, a page crossing,
 * or a write to a page holding translated code takes the owner's slow paths (the translate hook for
 * loads and atomics, the slow store for stores), which walk the page tables, reach devices, discard
 * translated code, or record the fault the CPU turns into an abort.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { DENY_WRITE } from '../../memory/layout';
import type { MemAccess, ValType } from '../ir/ops';
import type { SlowStore } from '../wasm/module';
import {
  SoftAccess,
  TLB_ADDEND,
  TLB_ENTRY_SHIFT,
  TLB_PAGE_SHIFT,
  TLB_READ_TAG,
  TLB_WRITE_TAG,
  tlbTableSize,
  type SoftTlbLayout,
  type SoftTranslate,
} from '../wasm/soft-tlb';
import { f32Bits, f64Bits, type FloatValue } from './float-values';
import { WindowAccess, type GuestValue } from './window-access';

/** What the interpreter needs of a system-mode MMU: the TLB generated code reads and its slow paths. */
export interface SoftMmuPaths {
  layout: SoftTlbLayout;
  translate: SoftTranslate;
  slowStore: SlowStore;
}

const PAGE_MASK = -1n << BigInt(TLB_PAGE_SHIFT);
const LOW_64 = (1n << 64n) - 1n;

export class SoftmmuAccess extends WindowAccess {
  private readonly tableShift: number;

  /** Accesses of the CPU whose state block is at `stateBase` (it holds the translation regime). */
  constructor(
    memory: GuestMemory,
    private readonly paths: SoftMmuPaths,
    private readonly stateBase: number,
  ) {
    // The memory path stores lo:hi little-endian: system mode's guests are.
    super(memory, 'little');
    this.tableShift = Math.log2(tlbTableSize(paths.layout));
  }

  load(type: ValType, address: bigint, mem: MemAccess): GuestValue | undefined {
    const entry = this.entry(address);
    let a = this.hit(entry, address, mem.size, TLB_READ_TAG) ? this.windowAddress(entry, address) : 0;
    if (a === 0) a = this.paths.translate(this.stateBase, BigInt.asIntN(64, address), mem.size, SoftAccess.Load);
    return a === 0 ? undefined : this.loadAt(type, a, mem);
  }

  store(type: ValType, address: bigint, size: MemAccess['size'], value: GuestValue): boolean {
    const a = this.directWrite(address, size);
    if (a !== undefined) {
      this.storeAt(type, a, size, value);
      return true;
    }
    const [lo, hi] = asI64Pair(type, value);
    return this.paths.slowStore(this.stateBase, BigInt.asIntN(64, address), lo, hi, size) === 0;
  }

  atomicAddress(address: bigint, size: number): number | undefined {
    const direct = this.directWrite(address, size);
    if (direct !== undefined) return direct;
    const access = SoftAccess.ReadModifyWrite;
    const a = this.paths.translate(this.stateBase, BigInt.asIntN(64, address), size, access);
    return a === 0 ? undefined : a;
  }

  /** The window address of a write the TLB allows to a page without translated code, else undefined. */
  private directWrite(address: bigint, size: number): number | undefined {
    const entry = this.entry(address);
    if (!this.hit(entry, address, size, TLB_WRITE_TAG)) return undefined;
    const a = this.windowAddress(entry, address);
    return this.memory.pageFlags(a) & DENY_WRITE ? undefined : a;
  }

  /** Window address of the TLB entry for `address` in the table of the current translation regime. */
  private entry(address: bigint): number {
    const { layout } = this.paths;
    const table = this.view.getInt32(this.stateBase + layout.indexSlot, true) << this.tableShift;
    const index = Number((address >> BigInt(TLB_PAGE_SHIFT)) & BigInt(layout.entries - 1));
    return layout.base + table + (index << TLB_ENTRY_SHIFT);
  }

  /** The entry's tag at `tagOffset` is the page of the access's last byte (a hit within one page). */
  private hit(entry: number, address: bigint, size: number, tagOffset: number): boolean {
    const page = BigInt.asIntN(64, (address + BigInt(size - 1)) & PAGE_MASK);
    return this.view.getBigInt64(entry + tagOffset, true) === page;
  }

  private windowAddress(entry: number, address: bigint): number {
    const addend = this.view.getInt32(entry + TLB_ADDEND, true);
    return (Number(address & 0xffffffffn) + addend) >>> 0;
  }
}

/** A stored value as the slow store path takes it: its bytes as two little-endian i64 (low, high). */
function asI64Pair(type: ValType, value: GuestValue): [bigint, bigint] {
  switch (type) {
    case 'i32':
      return [BigInt((value as number) >>> 0), 0n];
    case 'i64':
      return [(value as bigint) & LOW_64, 0n];
    case 'f32':
      return [BigInt(f32Bits(value as FloatValue) >>> 0), 0n];
    case 'f64':
      return [f64Bits(value as FloatValue), 0n];
    case 'v128': {
      const bytes = new DataView((value as Uint8Array).slice().buffer);
      return [bytes.getBigUint64(0, true), bytes.getBigUint64(8, true)];
    }
  }
}
